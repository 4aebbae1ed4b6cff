/* harness/cli/cli_compare.c: the compare verb: run (or bench) B against A, the reference; and
 * the end of `blsvk bench --baseline` and `blsvk run --compare-to`, which make the same
 * comparison through bv_cli_compare_finish. */
#define _GNU_SOURCE
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bv_report.h"
#include "cli.h"

static void compare_help(FILE *f)
{
    fprintf(f,
            "usage: blsvk compare A B [--max-slowdown P] [--min-reps N] [--confidence P]\n"
            "                         [--markdown FILE] [--html FILE] [--json FILE] [--max N] [--quiet]\n\n"
            "Compares B with A, the reference. A and B are run directories (<report-dir>/<device>/<run-id>),\n"
            "results.json files, merged reports (a `blsvk report merge` directory or its merged.json), or\n"
            "bench files (`blsvk bench --out`, blsvk-bench/1); both of one kind.\n\n"
            "It lists what else differs (blsvk, glslang, SPIRV-Tools, loader, driver, and every module whose\n"
            "SHA-256 changed, so that a timing change can be put down to the kernel or the driver); cases\n"
            "that newly fail, newly pass, changed status, appeared or disappeared, with both statuses and\n"
            "reasons; and for every case (and bench entry) timed in both, the ratio B/A of the median times\n"
            "with a confidence interval from the repetitions of both (Hodges-Lehmann, distribution-free).\n"
            "A slowdown is a regression only when the whole interval is above 1 + the threshold.\n\n"
            "  --max-slowdown P   the slowdown a regression must exceed: 5%% or 0.05 (default 10%%)\n"
            "  --min-reps N       timings with fewer repetitions on a side are 'too few repetitions'\n"
            "                     (default 5; at least 2)\n"
            "  --confidence P     of the intervals (default 95%%)\n"
            "  --markdown FILE    the comparison in Markdown\n"
            "  --html FILE        one self-contained page: regressions first, ratio bars per op\n"
            "  --json FILE        blsvk-compare/1 (docs/report-format.md)\n"
            "  --max N            list at most N rows of each table on the terminal (default 30; 0: all)\n"
            "  --quiet            print the verdict line only\n\n"
            "exit status: 0 no regression, 1 a regression (a new failure, or a slowdown past the threshold\n"
            "outside the noise), 2 bad usage or unreadable input.\n");
}

bool bv_cli_parse_fraction(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || !isfinite(v) || v < 0)
        return false;
    if (*end == '%') {
        v /= 100;
        end++;
    }
    if (*end)
        return false;
    *out = v;
    return true;
}

int bv_cli_compare_finish(const char *verb, bv_report_compare_input *a, bv_report_compare_input *b,
                          const bv_cli_compare_opts *o)
{
    bv_error err;
    bv_report_comparison *cmp = NULL;
    bv_error_clear(&err);
    if (bv_report_compare(a, b, &o->opts, &cmp, &err)) {
        fprintf(stderr, "blsvk %s: %s\n", verb, err.msg);
        return BV_EXIT_USAGE;
    }
    int rc = cmp->regression ? BV_EXIT_FAIL : BV_EXIT_OK;
    if (o->quiet) {
        printf("compare: %s: %zu new failure%s, %zu slowdown%s\n", cmp->regression ? "REGRESSION" : "no regression",
               cmp->new_failures, cmp->new_failures == 1 ? "" : "s", cmp->slowdowns, cmp->slowdowns == 1 ? "" : "s");
    } else if (bv_report_compare_write_text(stdout, cmp, o->max, &err)) {
        fprintf(stderr, "blsvk %s: %s\n", verb, err.msg);
        rc = BV_EXIT_USAGE;
    }
    if (o->markdown && bv_report_compare_write_markdown(o->markdown, cmp, &err)) {
        fprintf(stderr, "blsvk %s: --markdown: %s\n", verb, err.msg);
        rc = BV_EXIT_USAGE;
    }
    if (o->html && bv_report_compare_write_html(o->html, cmp, &err)) {
        fprintf(stderr, "blsvk %s: --html: %s\n", verb, err.msg);
        rc = BV_EXIT_USAGE;
    }
    if (o->json && bv_report_compare_write_json(o->json, cmp, &err)) {
        fprintf(stderr, "blsvk %s: --json: %s\n", verb, err.msg);
        rc = BV_EXIT_USAGE;
    }
    fflush(stdout);
    bv_report_comparison_destroy(cmp);
    return rc;
}

enum { OPT_SLOW = 256, OPT_MINREPS, OPT_CONF, OPT_MD, OPT_HTML, OPT_JSON, OPT_MAX, OPT_QUIET };

int bv_cli_compare(int argc, char **argv)
{
    static const struct option lo[] = {
        {"help", no_argument, NULL, 'h'},
        {"max-slowdown", required_argument, NULL, OPT_SLOW},
        {"min-reps", required_argument, NULL, OPT_MINREPS},
        {"confidence", required_argument, NULL, OPT_CONF},
        {"markdown", required_argument, NULL, OPT_MD},
        {"html", required_argument, NULL, OPT_HTML},
        {"json", required_argument, NULL, OPT_JSON},
        {"max", required_argument, NULL, OPT_MAX},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {0, 0, 0, 0},
    };
    bv_cli_compare_opts o = {.max = 30};
    bv_report_compare_defaults(&o.opts);
    const char *opt = "";
    int c;
    optind = 1;
    opterr = 0;
    while ((c = bv_cli_getopt(argc, argv, ":h", lo, &opt)) != -1) {
        uint64_t v;
        switch (c) {
        case 'h':
            compare_help(stdout);
            return BV_EXIT_OK;
        case OPT_SLOW:
        case OPT_CONF: {
            double x;
            if (!bv_cli_parse_fraction(optarg, &x) || (c == OPT_CONF && !(x > 0 && x < 1))) {
                fprintf(stderr, "blsvk compare: %s takes a percentage (5%%) or a fraction (0.05), not '%s'%s\n", opt,
                        optarg, c == OPT_CONF ? ", between 0 and 100%" : "");
                return BV_EXIT_USAGE;
            }
            *(c == OPT_SLOW ? &o.opts.max_slowdown : &o.opts.confidence) = x;
            break;
        }
        case OPT_MINREPS:
        case OPT_MAX:
            if (!bv_cli_parse_u64(optarg, c == OPT_MINREPS ? BV_STATS_MAX_SAMPLES : SIZE_MAX, &v) ||
                (c == OPT_MINREPS && v < 2)) {
                fprintf(stderr, "blsvk compare: %s takes a whole number%s, not '%s'\n", opt,
                        c == OPT_MINREPS ? " from 2 to 64" : "", optarg);
                return BV_EXIT_USAGE;
            }
            if (c == OPT_MINREPS)
                o.opts.min_reps = (uint32_t)v;
            else
                o.max = (size_t)v;
            break;
        case OPT_MD: o.markdown = optarg; break;
        case OPT_HTML: o.html = optarg; break;
        case OPT_JSON: o.json = optarg; break;
        case OPT_QUIET: o.quiet = true; break;
        default:
            return bv_cli_option_error("compare", c, opt);
        }
    }
    if (optind + 2 != argc) {
        fprintf(stderr, "blsvk compare: give two runs, merged reports or bench files: A (the reference) and B "
                        "(see blsvk compare --help)\n");
        return BV_EXIT_USAGE;
    }
    bv_error err;
    bv_error_clear(&err);
    bv_report_compare_input *a = NULL, *b = NULL;
    if (bv_report_compare_read(argv[optind], &a, &err) || bv_report_compare_read(argv[optind + 1], &b, &err)) {
        fprintf(stderr, "blsvk compare: %s\n", err.msg);
        bv_report_compare_input_destroy(a);
        return BV_EXIT_USAGE;
    }
    return bv_cli_compare_finish("compare", a, b, &o);
}
