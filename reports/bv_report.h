/* reports/bv_report.h: the result of a run (device, toolchain, one record per case) and
 * the writers that leave it behind: the crash-safe case log (results.jsonl) and
 * results.json. */
#ifndef BV_REPORT_H
#define BV_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bv_common.h"
#include "bv_ref.h"
#include "bv_vk.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BV_REPORT_SCHEMA "blsvk-results/1"

typedef enum bv_report_status {
    BV_RESULT_PASS = 0,
    BV_RESULT_FAIL,
    BV_RESULT_NOT_SUPPORTED,
    BV_RESULT_TIMEOUT,
    BV_RESULT_DEVICE_LOST,
    BV_RESULT_INTERNAL_ERROR,
    BV_RESULT_SKIPPED,
    BV_RESULT_COUNT
} bv_report_status;

/* "pass", "fail", "not-supported", "timeout", "device-lost", "internal-error", "skipped". */
const char *bv_report_status_name(bv_report_status s);
BV_NODISCARD bv_status bv_report_status_parse(const char *name, bv_report_status *out);

#define BV_REPORT_MAX_MISMATCHES 8

/* One wrong output element: where, from what, what was expected, what came back, and
 * which 32-bit limbs differ (bit k = limb k, little-endian). */
typedef struct bv_report_mismatch {
    size_t index;
    char name[96];
    unsigned ninputs;
    char inputs[2][BV_REF_MAX_HEX];
    char expected[BV_REF_MAX_HEX];
    char got[BV_REF_MAX_HEX];
    uint32_t limb_diff;
} bv_report_mismatch;

typedef struct bv_report_timing {
    bool valid;
    bool kernel_timed;
    uint32_t reps;
    bv_vk_stats kernel_ns;
    bv_vk_stats wall_ns;
    double bytes_per_elem;   /* bytes a kernel reads and writes per element */
    double kernel_elems_per_s;
    double kernel_bytes_per_s;
    double wall_elems_per_s;
} bv_report_timing;

typedef struct bv_report_case {
    char name[160];
    char field[4], op[12], limbs[4], mode[12], set[16];
    size_t size;     /* elements asked for (0: the whole set) */
    size_t elements; /* elements run */
    bv_report_status status;
    char reason[1024];
    size_t mismatches;
    unsigned nfirst;
    bv_report_mismatch first[BV_REPORT_MAX_MISMATCHES];
    char replay[1024];          /* vector file that replays the failure, or "" */
    char kernel_source[512];    /* "built-in" or the user's file */
    char kernel_sha256[65];
    uint32_t dispatches;
    double seconds;             /* host time for the whole case, reference included */
    bv_report_timing timing;
} bv_report_case;

/* What identifies a run and the toolchain behind it. */
typedef struct bv_report_run {
    char run_id[64];
    char started[32]; /* UTC, ISO 8601 */
    char command_line[2048];
    char host[256];
    char blsvk_version[32];
    char git_revision[64];
    char glslang_version[64];
    char spirv_tools_version[64];
    char loader_version[32];
    char suite[32];
    char memory[16];
    uint32_t workgroup_size;
    bool validation;
    bv_vk_device_info device;
} bv_report_run;

/* Counts per status. */
void bv_report_totals(const bv_report_case *cases, size_t n, size_t totals[BV_RESULT_COUNT]);

/* The append-only case log: a "start" line written and flushed before a case runs, its
 * result line after, so that a crash is pinned on the right case and no finished case is
 * lost. */
typedef struct bv_report_log bv_report_log;
BV_NODISCARD bv_status bv_report_log_open(const char *path, const bv_report_run *run, bv_report_log **out,
                                          bv_error *err);
BV_NODISCARD bv_status bv_report_log_start(bv_report_log *log, const char *case_name, bv_error *err);
BV_NODISCARD bv_status bv_report_log_result(bv_report_log *log, const bv_report_case *c, bv_error *err);
void bv_report_log_close(bv_report_log *log);

/* results.json (schema BV_REPORT_SCHEMA), written atomically. */
BV_NODISCARD bv_status bv_report_write_json(const char *path, const bv_report_run *run, const bv_report_case *cases,
                                            size_t n, bv_error *err);

/* A device's directory-name slug, e.g. "llvmpipe-llvm-15-0-6-256-bits-6d657361". */
void bv_report_device_slug(const bv_vk_device_info *d, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
