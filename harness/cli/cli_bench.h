/* harness/cli/cli_bench.h: what the files of the bench verb share: its options and the table of
 * figures it measures; private to the command layer. */
#ifndef BV_CLI_BENCH_H
#define BV_CLI_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bv_report.h"
#include "bv_run.h"

#define MAX_LIST 32

typedef struct bench_opts {
    const char *device;
    bool fields[BV_FAMILY_COUNT];
    bool ops[BV_OP_COUNT];
    bool limbs[BV_LIMBS_COUNT];
    bool resident, roundtrip, pipelined;
    size_t sizes[MAX_LIST], nsizes;
    size_t psizes[MAX_LIST], npsizes;
    size_t rsizes[MAX_LIST], nrsizes; /* --roundtrip-sizes */
    size_t jobs[MAX_LIST], njobs;
    uint32_t reps, warmup, chain, buffers;
    size_t chunk;
    const char *out;
    const char *baseline; /* --baseline: an earlier blsvk-bench/1 file to compare with */
    double max_slowdown;  /* for --baseline */
    uint32_t timeout_ms;
    bool validate, validate_gpu;
    const char *workloads[8]; /* --workloads: built-in names */
    size_t nworkloads;
    size_t wsizes[MAX_LIST], nwsizes; /* --workload-sizes: powers of two */
} bench_opts;

/* One figure: kind (resident, chain, roundtrip, stream), kernel, mode, size, jobs, times and rates. */
typedef bv_report_bench_entry entry;

typedef struct bench {
    entry *e;
    size_t n, cap;
} bench;

/* cli_bench_opts.c: --help and the options. Returns -1 to go on, else the exit status. */
int bv_bench_parse(int argc, char **argv, bench_opts *o);

/* cli_bench_out.c: the table of figures, on the terminal and as blsvk-bench/1 JSON. */
/* A new zeroed entry at the end of the table, or NULL when out of memory. */
entry *bv_bench_add_entry(bench *b);
void bv_bench_print_entry(const entry *e);
bool bv_bench_write_json(const char *path, const bv_device_info *d, const bv_vk_bounds *b, const bench *B, int argc,
                         char **argv);
/* cli_bench_workload.c: each of o's workloads at each of its sizes and limb widths (u32, u64),
 * an entry each; false when an output was wrong or one could not be run. */
bool bv_bench_workloads(bv_vk_context *ctx, const bench_opts *o, const bv_vk_bounds *bounds, bench *B);
/* --baseline: this run's figures compared with the file's (bv_cli_compare_finish); the exit status. */
int bv_bench_compare_baseline(const bench_opts *o, const bv_device_info *d, const bench *B);

#endif
