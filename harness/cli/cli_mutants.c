/* harness/cli/cli_mutants.c: the mutants verb. Runs a suite against every deliberately broken kernel
 * of suites/mutants (built into <build>/suites/mutants/<mutant>/, one --kernel-dir each) and
 * reports, per mutant, which cases killed it, and the kill rate: how sensitive the suite is.
 * Each mutant runs in a child process of its own, so that a mutant that crashes the driver or
 * hangs the device is still a kill, recorded against the case it was running, and the next
 * mutant starts on a fresh device. */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bv_json.h"
#include "bv_run.h"
#include "bv_version.h"
#include "cli.h"
#include "cli_mutants.h"

enum { OPT_SUITE = 256, OPT_DIR, OPT_DEVICE, OPT_FILTER, OPT_CASE_FILTER, OPT_JSON, OPT_MD, OPT_TIMEOUT,
       OPT_FIRST_KILL, OPT_RECIPES, OPT_LIST, OPT_QUIET, OPT_HELP };

static void mutants_help(FILE *f)
{
    fprintf(f,
            "usage: blsvk mutants [--suite quick|full|curve] [--mutants-dir DIR] [--filter GLOB]...\n"
            "                     [--case-filter GLOB]... [--device SEL] [--timeout-ms N] [--first-kill]\n"
            "                     [--recipes] [--json FILE] [--markdown FILE] [--list] [--quiet]\n\n"
            "Runs the suite's cases against every mutant, a deliberately broken variant of the built-in\n"
            "kernels (suites/mutants/mutants.json, built into <build>/suites/mutants), and reports which\n"
            "cases killed each one. A case kills a mutant when it fails, times out, loses the device, or\n"
            "crashes or hangs the mutant's process; each mutant runs in a process of its own.\n\n"
            "  --mutants-dir DIR   the built mutants (default $BLSVK_MUTANTS_DIR, else\n"
            "                      <blsvk's folder>/../suites/mutants, right for a build tree)\n"
            "  --filter GLOB       mutants by name; '-GLOB' excludes; repeatable\n"
            "  --case-filter GLOB  cases by name, as blsvk run --filter\n"
            "  --timeout-ms N      longest wait for one submission (default %u)\n"
            "  --first-kill        stop each mutant at its first killing case (faster; fewer details)\n"
            "  --recipes           also run the spirv-opt recipe cases (<limbs>+<recipe>): they re-run\n"
            "                      the edge set through a differently optimised module, to find driver\n"
            "                      compiler bugs, not kernel bugs, and cost an optimiser run a kernel\n"
            "                      (the poison cases, <limbs>+poison, run always, after the others and\n"
            "                      only for a mutant those left alive: they find kernel bugs)\n"
            "  --json FILE         write the results (blsvk-mutants-results/1)\n"
            "  --markdown FILE     write the mutation table (as in docs/RELIABILITY.md)\n"
            "  --list              list the mutants and what they break; run nothing\n\n"
            "Exit status: 0 every mutant killed, 1 a mutant survived, 2 bad usage or a mutant that is\n"
            "missing, stale or the same as the built-in kernel, 3 no usable device.\n",
            DEFAULT_TIMEOUT_MS);
}

/* Returns -1 to go on, else the exit status. */
static int parse_opts(int argc, char **argv, mut_opts *o)
{
    uint64_t v;
    static const struct option lo[] = {{"help", no_argument, NULL, OPT_HELP},
                                       {"suite", required_argument, NULL, OPT_SUITE},
                                       {"mutants-dir", required_argument, NULL, OPT_DIR},
                                       {"device", required_argument, NULL, OPT_DEVICE},
                                       {"filter", required_argument, NULL, OPT_FILTER},
                                       {"case-filter", required_argument, NULL, OPT_CASE_FILTER},
                                       {"json", required_argument, NULL, OPT_JSON},
                                       {"markdown", required_argument, NULL, OPT_MD},
                                       {"timeout-ms", required_argument, NULL, OPT_TIMEOUT},
                                       {"first-kill", no_argument, NULL, OPT_FIRST_KILL},
                                       {"recipes", no_argument, NULL, OPT_RECIPES},
                                       {"list", no_argument, NULL, OPT_LIST},
                                       {"quiet", no_argument, NULL, OPT_QUIET},
                                       {0, 0, 0, 0}};
    int c;
    const char *opt = "";
    optind = 1;
    opterr = 0;
    while ((c = bv_cli_getopt(argc, argv, ":h", lo, &opt)) != -1) {
        switch (c) {
        case 'h':
        case OPT_HELP: mutants_help(stdout); return BV_EXIT_OK;
        case OPT_SUITE: o->suite = optarg; break;
        case OPT_DIR: o->mutants_dir = optarg; break;
        case OPT_DEVICE: o->device = optarg; break;
        case OPT_JSON: o->json_path = optarg; break;
        case OPT_MD: o->markdown_path = optarg; break;
        case OPT_FIRST_KILL: o->first_kill = true; break;
        case OPT_RECIPES: o->recipes = true; break;
        case OPT_LIST: o->list_only = true; break;
        case OPT_QUIET: o->quiet = true; break;
        case OPT_FILTER:
        case OPT_CASE_FILTER: {
            const char **list = c == OPT_FILTER ? o->filters : o->case_filters;
            size_t *n = c == OPT_FILTER ? &o->nfilters : &o->ncase_filters;
            for (char *p = strtok(optarg, ","); p; p = strtok(NULL, ",")) {
                if (*n == MAX_FILTERS) {
                    fprintf(stderr, "blsvk mutants: at most %d filters\n", MAX_FILTERS);
                    return BV_EXIT_USAGE;
                }
                list[(*n)++] = p;
            }
            break;
        }
        case OPT_TIMEOUT:
            if (!bv_cli_parse_u64(optarg, UINT32_MAX, &v) || v == 0) {
                fprintf(stderr, "blsvk mutants: --timeout-ms takes a positive whole number, not '%s'\n", optarg);
                return BV_EXIT_USAGE;
            }
            o->timeout_ms = (uint32_t)v;
            break;
        default:
            return bv_cli_option_error("mutants", c, opt);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "blsvk mutants: unexpected argument '%s'\n", argv[optind]);
        return BV_EXIT_USAGE;
    }
    return -1;
}

/* --- the verb ---------------------------------------------------------------------------- */

int bv_cli_mutants(int argc, char **argv)
{
    mut_opts o = {.suite = "quick", .timeout_ms = DEFAULT_TIMEOUT_MS};
    mutant *ms = NULL;
    bv_run_case *all = NULL, *cases = NULL;
    size_t nms = 0, nall = 0;
    bv_error err;
    char dirbuf[4096 + 32];
    mut_device dev = {"", ""};
    int rc = parse_opts(argc, argv, &o);
    if (rc >= 0)
        return rc;
    bv_error_clear(&err);
    if (bv_ref_init(&err)) {
        fprintf(stderr, "blsvk mutants: %s\n", err.msg);
        return BV_EXIT_FAIL;
    }
    const char *dir = bv_mut_dir(&o, dirbuf, sizeof dirbuf);
    if (bv_mut_read_table(dir, &ms, &nms, &err)) {
        fprintf(stderr, "blsvk mutants: %s\n(build the mutants with cmake -DBLSVK_BUILD_MUTANTS=ON, or point "
                        "--mutants-dir at them)\n", err.msg);
        return BV_EXIT_USAGE;
    }
    if (bv_run_suite(o.suite, &all, &nall, &err)) {
        fprintf(stderr, "blsvk mutants: --suite: %s\n", err.msg);
        rc = BV_EXIT_USAGE;
        goto out;
    }
    nall = bv_run_filter(all, nall, o.case_filters, o.ncase_filters);
    if (!o.recipes) {
        size_t k = 0;
        for (size_t i = 0; i < nall; i++)
            if (!all[i].recipe[0] || strcmp(all[i].recipe, BV_KERNEL_RECIPE_POISON) == 0)
                all[k++] = all[i];
        nall = k;
    }
    /* The poison cases last, in their order (a mutant's worker stops before them once killed). */
    for (size_t i = 0, k = 0; i < nall; i++)
        if (strcmp(all[i].recipe, BV_KERNEL_RECIPE_POISON) != 0) {
            bv_run_case c = all[i];
            memmove(&all[k + 1], &all[k], (i - k) * sizeof *all);
            all[k++] = c;
        }
    cases = calloc(nall ? nall : 1, sizeof *cases);
    if (!cases) {
        fprintf(stderr, "blsvk mutants: out of memory\n");
        rc = BV_EXIT_FAIL;
        goto out;
    }

    size_t selected = 0, killed = 0, survived = 0, not_run = 0, errors = 0;
    uint64_t t0 = bv_time_ns();
    for (size_t i = 0; i < nms; i++) {
        mutant *m = &ms[i];
        if (!bv_run_filter_match(o.filters, o.nfilters, m->name))
            continue;
        m->selected = true;
        selected++;
        if (o.list_only) {
            printf("%-32s %s; %s; %s\n    %s\n", m->name, m->ops, m->fields, m->limbs, m->bug);
            continue;
        }
        bv_kernel_set *set = NULL;
        if (bv_mut_load(dir, m, &set, &err)) {
            m->state = MUT_ERROR;
            snprintf(m->error, sizeof m->error, "%s", err.msg);
        } else {
            size_t n = 0;
            for (size_t c = 0; c < nall; c++)
                if (bv_kernel_set_find(set, all[c].family, all[c].op, all[c].limbs))
                    cases[n++] = all[c];
            if (n == 0) {
                m->state = MUT_ERROR;
                snprintf(m->error, sizeof m->error, "no case of the suite runs its kernels");
            } else {
                bv_mut_run(&o, m, set, cases, n, &dev);
            }
            bv_kernel_set_destroy(set);
        }
        char sum[512] = "";
        switch (m->state) {
        case MUT_KILLED: killed++; bv_mut_kill_summary(m, sum, sizeof sum); break;
        case MUT_SURVIVED: survived++; snprintf(sum, sizeof sum, "0 of %zu cases", m->ncases); break;
        case MUT_NOT_RUN: not_run++; snprintf(sum, sizeof sum, "every case not supported here"); break;
        case MUT_ERROR: errors++; snprintf(sum, sizeof sum, "%.250s", m->error); break;
        }
        if (!o.quiet || m->state != MUT_KILLED) {
            printf("%-8s %-32s %s (%.1f s)\n", m->state == MUT_SURVIVED ? "SURVIVED" : state_names[m->state], m->name,
                   sum, m->seconds);
            if (m->state == MUT_KILLED && !o.quiet)
                printf("         first killed by %s (%s)\n", m->kills[0].name, m->kills[0].status);
            if (m->state == MUT_SURVIVED)
                printf("         %s\n", m->bug);
            fflush(stdout);
        }
        /* A device that cannot be opened fails every mutant the same way: stop at the first. */
        if (m->device_error) {
            fprintf(stderr, "blsvk mutants: %s\n", m->error);
            rc = BV_EXIT_DEVICE;
            goto out;
        }
    }
    if (o.list_only) {
        printf("%zu mutants\n", selected);
        rc = BV_EXIT_OK;
        goto out;
    }
    if (selected == 0) {
        fprintf(stderr, "blsvk mutants: no mutant matches the filters (see blsvk mutants --list)\n");
        rc = BV_EXIT_USAGE;
        goto out;
    }
    double seconds = (double)(bv_time_ns() - t0) * 1e-9;
    size_t counted = killed + survived;
    printf("%zu mutants on %s: %zu killed, %zu survived, %zu not run, %zu errors; kill rate %.1f%% (%zu of %zu), "
           "%.1f s\n",
           selected, dev.name[0] ? dev.name : "(no device)", killed, survived, not_run, errors,
           counted ? 100.0 * (double)killed / (double)counted : 0.0, killed, counted, seconds);
    if (o.json_path && bv_mut_write_json(o.json_path, &o, &dev, ms, nms, killed, counted, seconds, &err)) {
        fprintf(stderr, "blsvk mutants: %s\n", err.msg);
        errors++;
    }
    if (o.markdown_path && bv_mut_write_markdown(o.markdown_path, &o, &dev, ms, nms, killed, counted, &err)) {
        fprintf(stderr, "blsvk mutants: %s\n", err.msg);
        errors++;
    }
    rc = errors ? BV_EXIT_USAGE : survived ? BV_EXIT_FAIL : BV_EXIT_OK;
out:
    free(ms);
    free(all);
    free(cases);
    return rc;
}

