/* harness/cli/cli_opts.h: the options run, list, eval and devices share, parsed once; private
 * to the command layer. */
#ifndef BV_CLI_OPTS_H
#define BV_CLI_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bv_run.h"
#include "cli.h"

#define MAX_FILTERS 64

/* Options shared by run, list and eval. */
#define MAX_DEVICES 16

typedef struct cli_opts {
    const char *device;  /* the first --device */
    const char *devices[MAX_DEVICES]; /* run: every --device, in order */
    size_t ndevices;
    const char *suite;
    const char *filters[MAX_FILTERS];
    size_t nfilters;
    const char *report_dir;
    const char *kernel_dir;
    const char *pipeline_cache;
    bool no_pipeline_cache;
    bv_memory memory;
    uint32_t timeout_ms;
    uint32_t workgroup_size;
    uint64_t seed;
    uint32_t reps, warmup;
    bool validate;
    bool isolate, no_isolate; /* run: --isolate (the default) and --no-isolate */
    uint32_t jobs;            /* run: cases at once, each in a worker (0: one) */
    bool validate_gpu; /* --validate gpu: GPU-assisted validation */
    bool quiet;
    bool json;
    bool probe; /* devices: run the fma probe on each device */
    /* eval */
    const char *in, *out;
    bv_alias bind;      /* eval: the output bound to input x (inplace) or x bound twice (samein) */
    const char *recipe; /* eval: the kernel through a spirv-opt recipe */
    const char *passes; /* eval: the kernel through a pass list (bv_kernel_passes_parse's text) */
    bool has_limbs;
    bv_limbs limbs;
    bv_mode mode;
    uint64_t memory_crossover; /* --memory auto's limit in bytes; 0: the default */
    /* pipelined mode */
    uint64_t chunk_elems;
    uint32_t buffers;
    /* run: resume, shard, retries, baseline */
    const char *resume;
    uint32_t shard_index, shard_count; /* 1-based; 0/0: not sharded */
    uint32_t retry_failures;
    const char *baseline;
    const char *compare_to; /* run: compare the finished run with this run (blsvk compare) */
    double max_slowdown;    /* run: for --compare-to (0: the default) */
    const char *caselist; /* run, list: a case name or glob a line */
    const char *skips, *flakes; /* run: cases never run; known flakes */
    bool bounds;
} cli_opts;

enum {
    OPT_DEVICE = 256, OPT_SUITE, OPT_FILTER, OPT_REPORT_DIR, OPT_KERNEL_DIR, OPT_MEMORY, OPT_TIMEOUT, OPT_SEED,
    OPT_REPS, OPT_WARMUP, OPT_VALIDATE, OPT_PCACHE, OPT_NO_PCACHE, OPT_WG, OPT_QUIET, OPT_JSON, OPT_IN, OPT_OUT,
    OPT_LIMBS, OPT_MODE, OPT_CHUNK, OPT_BUFFERS, OPT_RESUME, OPT_SHARD, OPT_RETRY, OPT_BASELINE, OPT_BOUNDS, OPT_ISOLATE, OPT_BIND, OPT_RECIPE, OPT_CASELIST, OPT_SKIPS, OPT_FLAKES, OPT_JOBS, OPT_NO_ISOLATE, OPT_COMPARE_TO, OPT_MAX_SLOWDOWN, OPT_PASSES, OPT_PROBE, OPT_MEMORY_XOVER, OPT_HELP
};

/* "I/N" with 1 <= I <= N. */
#define LO_COMMON                                                                                       \
    {"help", no_argument, NULL, OPT_HELP}, {"device", required_argument, NULL, OPT_DEVICE},             \
        {"kernel-dir", required_argument, NULL, OPT_KERNEL_DIR},                                        \
        {"memory", required_argument, NULL, OPT_MEMORY}, {"timeout-ms", required_argument, NULL, OPT_TIMEOUT}, \
        {"memory-crossover", required_argument, NULL, OPT_MEMORY_XOVER},                                \
        {"validate", optional_argument, NULL, OPT_VALIDATE}, {"workgroup-size", required_argument, NULL, OPT_WG},  \
        {"pipeline-cache", required_argument, NULL, OPT_PCACHE},                                       \
        {"no-pipeline-cache", no_argument, NULL, OPT_NO_PCACHE},                                      \
        {"chunk-elems", required_argument, NULL, OPT_CHUNK}, {"buffers", required_argument, NULL, OPT_BUFFERS}

/* The options eval and reduce share: a vector file, its kernel variant, binding and recipe (or
 * pass list). */
#define LO_EVAL                                                                                         \
    LO_COMMON, {"in", required_argument, NULL, OPT_IN}, {"out", required_argument, NULL, OPT_OUT},      \
        {"limbs", required_argument, NULL, OPT_LIMBS}, {"mode", required_argument, NULL, OPT_MODE},     \
        {"bind", required_argument, NULL, OPT_BIND}, {"recipe", required_argument, NULL, OPT_RECIPE},   \
        {"passes", required_argument, NULL, OPT_PASSES}, {"seed", required_argument, NULL, OPT_SEED}

/* run with --device all or several --device: one run per device at once, merged; argv as the
 * user gave it (before parsing, which cuts --filter's commas). Returns the exit status. */
int bv_cli_run_devices(int argc, char **argv, const cli_opts *o);

/* Parses argv into o (getopt_long with lo; --help prints help). Returns -1 on success, else the
 * exit status to return. */
int bv_cli_parse_opts(const char *verb, int argc, char **argv, const struct option *lo, cli_opts *o,
                      void (*help)(FILE *));
/* Instance, device selection and context (with the pipeline cache the options ask for): the
 * common start of run and eval. Prints its own errors; -1 when all is ready. */
int bv_cli_open_run_device(const char *verb, const cli_opts *o, bv_vk_instance **inst, bv_vk_context **ctx);
/* blsvk's cache folder ($XDG_CACHE_HOME/blsvk, else ~/.cache/blsvk): pipeline caches and the
 * settings measured per device (bench's memory crossover). NULL when neither is set. */
const char *bv_cli_cache_dir(char *buf, size_t n);
/* The suite's cases, filtered, those --caselist lists, the kernel dir's variants, one shard;
 * when all is not NULL, *all gets every shard's cases (malloc'ed; a sharded run records their
 * names). Prints its own errors; -1 when ready. */
int bv_cli_build_cases(const char *verb, const cli_opts *o, const bv_kernel_set *user, bv_run_case **cases,
                       size_t *n, bv_run_case **all, size_t *nall);
/* --kernel-dir, loaded (NULL without one); -1 when ready. */
int bv_cli_load_kernel_dir(const char *verb, const cli_opts *o, bv_kernel_set **user);

/* What eval and reduce start from (cli_eval.c): the vector file --in, the reference's value for
 * each case (checked against any the file carries), room for the kernel's output, and the kernel
 * for the file's family and op (--kernel-dir's or built-in, through --recipe; it may carry an
 * error, which the verb reports). Each prints its own errors and returns -1 when ready. */
typedef struct cli_eval_input {
    bv_vec_set *set;
    uint8_t *expected, *got; /* count elements of the output's size each */
    bv_limbs limbs;          /* --limbs, u32 by default */
    bv_kernel_set *user;     /* --kernel-dir's kernels, or NULL */
    const bv_kernel *kernel;
} cli_eval_input;
int bv_cli_eval_input(const char *verb, const cli_opts *o, cli_eval_input *in);
int bv_cli_eval_kernel(const char *verb, const cli_opts *o, cli_eval_input *in);
/* k through --recipe or all of --passes (k itself with neither); prints nothing. */
BV_NODISCARD bv_status bv_cli_kernel_through(const cli_opts *o, const bv_kernel *k, const bv_kernel **out,
                                             bv_error *err);
void bv_cli_eval_input_free(cli_eval_input *in);

#endif
