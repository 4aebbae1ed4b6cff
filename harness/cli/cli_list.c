/* harness/cli/cli_list.c: `blsvk list`: the case names a run would execute. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bv_json.h"
#include "bv_version.h"
#include "cli_opts.h"

static void list_help(FILE *f)
{
    fprintf(f, "usage: blsvk list [--suite quick|full] [--filter GLOB]... [--caselist FILE] [--kernel-dir DIR]\n"
               "                  [--shard I/N]\n\n"
               "Prints the names of the cases a run would execute, one a line:\n"
               "  <field>.<op>.<limbs>[+<recipe>].<mode>.<set>.<size>, e.g. fp.mul.u32.persistent.random.4099\n"
               "--filter takes globs (repeat it, or separate with commas); a pattern that starts with '-'\n"
               "excludes, e.g. --filter 'fp.*' --filter '-*.oneshot.*'. A glob for a kernel selects its\n"
               "spirv-opt recipe cases too: 'fr.add.u32.*' takes fr.add.u32+O.persistent.edge.all.\n"
               "--caselist FILE keeps the cases FILE lists (a name or glob a line; this output reads back).\n"
               "--shard I/N lists the cases `blsvk run --shard I/N` would run.\n");
}

int bv_cli_list(int argc, char **argv)
{
    static const struct option lo[] = {{"help", no_argument, NULL, OPT_HELP},
                                       {"suite", required_argument, NULL, OPT_SUITE},
                                       {"filter", required_argument, NULL, OPT_FILTER},
                                       {"kernel-dir", required_argument, NULL, OPT_KERNEL_DIR},
                                       {"shard", required_argument, NULL, OPT_SHARD},
                                       {"caselist", required_argument, NULL, OPT_CASELIST},
                                       {0, 0, 0, 0}};
    cli_opts o = {.suite = "quick"};
    bv_run_case *cases = NULL;
    bv_kernel_set *user = NULL;
    size_t n = 0;
    bv_error err;
    int rc = bv_cli_parse_opts("list", argc, argv, lo, &o, list_help);
    if (rc >= 0)
        return rc;
    bv_error_clear(&err);
    if (bv_ref_init(&err)) {
        fprintf(stderr, "blsvk list: %s\n", err.msg);
        return BV_EXIT_FAIL;
    }
    rc = bv_cli_load_kernel_dir("list", &o, &user);
    if (rc < 0)
        rc = bv_cli_build_cases("list", &o, user, &cases, &n, NULL, NULL);
    if (rc < 0) {
        for (size_t i = 0; i < n; i++)
            printf("%s\n", cases[i].name);
        rc = BV_EXIT_OK;
    }
    free(cases);
    bv_kernel_set_destroy(user);
    return rc;
}

