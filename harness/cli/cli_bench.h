/* harness/cli/cli_bench.h: what the files of the bench verb share: its options and the table of
 * figures it measures; private to the command layer. */
#ifndef BV_CLI_BENCH_H
#define BV_CLI_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
    size_t jobs[MAX_LIST], njobs;
    uint32_t reps, warmup, chain, buffers;
    size_t chunk;
    const char *out;
    uint32_t timeout_ms;
    bool validate, validate_gpu;
} bench_opts;

typedef struct entry {
    char kind[16];  /* resident, chain, roundtrip, stream */
    char name[128];
    char mode[16];
    size_t size, jobs;
    bv_stats ns;
    double per_s;   /* elements (or products) per second */
    double bytes_per_s;
    double bound_per_s; /* what the device's bound allows, same unit as per_s; 0: none */
    bool verified;
    char note[512];
} entry;

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

#endif
