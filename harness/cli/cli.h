/* harness/cli.h: the verbs of the blsvk command. Each takes the arguments after the
 * verb (argv[0] is the verb) and returns the process exit status:
 * 0 success, 1 a disagreement or failed case, 2 bad usage or input, 3 device error. */
#ifndef BV_CLI_H
#define BV_CLI_H

enum { BV_EXIT_OK = 0, BV_EXIT_FAIL = 1, BV_EXIT_USAGE = 2, BV_EXIT_DEVICE = 3 };

int bv_cli_vectors(int argc, char **argv);
int bv_cli_ref(int argc, char **argv);
int bv_cli_devices(int argc, char **argv);
int bv_cli_list(int argc, char **argv);
int bv_cli_run(int argc, char **argv);
int bv_cli_eval(int argc, char **argv);
int bv_cli_report(int argc, char **argv);
int bv_cli_mutants(int argc, char **argv);
int bv_cli_bench(int argc, char **argv);
int bv_cli_compare(int argc, char **argv);
int bv_cli_reduce(int argc, char **argv);
int bv_cli_qualify(int argc, char **argv);
int bv_cli_workload(int argc, char **argv);
/* The worker process of `run --isolate` (hidden verb "__worker"). */
int bv_cli_worker(int argc, char **argv);

/* Shared by the verbs (cli_common.c). */
#include <stdbool.h>
#include <stdint.h>

#include "bv_report.h"
#include "bv_vk.h"

/* The value of --validate, --validate=MODE or --validate MODE (MODE sync, the default, or gpu),
 * from getopt's optarg (consuming the next argument when it is a mode): *gpu for GPU-assisted
 * validation. Prints the error and returns false for another value. */
bool bv_cli_parse_validate(const char *verb, int argc, char **argv, bool *gpu);

/* A whole number no larger than max: decimal, or hexadecimal after 0x. */
bool bv_cli_parse_u64(const char *s, uint64_t max, uint64_t *out);

/* getopt_long without its prefix matching: a long option must be named in full ("--fil" is not
 * "--filter"), so scripts do not depend on prefixes that a later option would make ambiguous.
 * An option that takes a value may be given once (--filter, which adds patterns, excepted): a
 * second value is a mistake, not a quiet override, and gives BV_CLI_OPT_TWICE. Returns what
 * getopt_long returns ('?' also for an abbreviation; shorts should start with ':' so that a
 * missing value is ':'); *opt_text is the argument that named the option. A parse starts
 * afresh whenever optind is 0 or 1. */
#define BV_CLI_OPT_TWICE (-2)
struct option;
int bv_cli_getopt(int argc, char **argv, const char *shorts, const struct option *lo, const char **opt_text);
/* Prints what was wrong with an option bv_cli_getopt returned (':' a missing value, '?' an
 * unknown one, BV_CLI_OPT_TWICE a repeated one) for `blsvk VERB`; returns the usage exit status. */
int bv_cli_option_error(const char *verb, int c, const char *opt);

/* Instance, device selection and context, with the errors (and the no-device hint) printed.
 * Returns -1 when all is ready, else the exit status to return; *inst and *ctx are then
 * whatever was made, for the caller to destroy. */
int bv_cli_open_device(const char *verb, const char *selector, const bv_vk_instance_opts *io, const bv_vk_context_opts *co,
                       bv_vk_instance **inst, bv_vk_context **ctx);

/* After a run with the validation layer: prints how many messages it reported (and the messages,
 * to stderr, naming the verb); BV_EXIT_FAIL when there were any. */
int bv_cli_validation_summary(const char *verb, bv_vk_instance *inst, bool gpu);

/* What a comparison prints and writes (compare, bench --baseline, run --compare-to). */
typedef struct bv_cli_compare_opts {
    bv_report_compare_opts opts;
    const char *markdown, *html, *json; /* files to write, or NULL */
    size_t max;                         /* rows a terminal table lists (0: all) */
    bool quiet;                         /* the verdict line only */
} bv_cli_compare_opts;
/* "5%" or "0.05": a non-negative fraction. */
bool bv_cli_parse_fraction(const char *s, double *out);
/* Compares B with A (taking both), prints the comparison and writes the files asked for; returns
 * 0 (no regression), 1 (a regression) or 2 (an error, printed as `blsvk VERB: ...`). */
int bv_cli_compare_finish(const char *verb, bv_report_compare_input *a, bv_report_compare_input *b,
                          const bv_cli_compare_opts *o);

#endif
