/* harness/bv_run.h: the runner: the named case list of a suite, filters, and the
 * execution of one case (vectors, reference, kernel run, element-by-element comparison,
 * replay file for failures). */
#ifndef BV_RUN_H
#define BV_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bv_common.h"
#include "bv_kernels.h"
#include "bv_ref.h"
#include "bv_report.h"
#include "bv_vec.h"
#include "bv_vk.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bv_run_case {
    char name[160]; /* <field>.<op>.<limbs>[+<recipe>].<mode>.<set>.<size|all> */
    bv_family family;
    bv_op op;
    bv_limbs limbs;
    char recipe[16]; /* a spirv-opt recipe the kernel goes through first (bv_kernel_recipe_names), or "" */
    bv_mode mode;
    bv_case_set set;
    size_t size; /* 0 = the whole set (edge) */
} bv_run_case;

/* Suites: "quick" (well under a minute on lavapipe) and "full". */
BV_NODISCARD bv_status bv_run_suite(const char *suite, bv_run_case **cases, size_t *n, bv_error *err);
/* Names of the suites, NULL-terminated. */
const char *const *bv_run_suite_names(void);

/* Globs (fnmatch); a pattern starting with '-' excludes. A name is selected when it matches
 * at least one including pattern (or there is none) and no excluding one. */
bool bv_run_filter_match(const char *const *patterns, size_t n, const char *name);
/* Keeps the selected cases, in order; returns how many remain. */
size_t bv_run_filter(bv_run_case *cases, size_t n, const char *const *patterns, size_t npatterns);

/* Parses "<field>.<op>.<limbs>[+<recipe>].<mode>.<set>.<size|all>" back into a case. */
BV_NODISCARD bv_status bv_run_case_parse(const char *name, bv_run_case *out, bv_error *err);

typedef struct bv_run_opts {
    bv_memory memory;
    uint64_t seed;             /* random sets; default 1 */
    uint32_t reps, warmup;     /* timing; conformance runs use 1 and 0 */
    const char *replay_dir;    /* where replay vector files go; NULL: none written */
    unsigned threads;          /* reference threads; 0 = all cores */
    size_t chunk_elems;        /* pipelined: elements per chunk; 0 = default */
    uint32_t buffers;          /* pipelined: buffer sets; 0 = default (2) */
} bv_run_opts;

/* Runs one case and fills out. Only failures of blsvk itself (out of memory, a replay file
 * that cannot be written) are returned as errors; a kernel that fails, a device error or a
 * missing feature is a result in *out. After BV_RESULT_DEVICE_LOST or BV_RESULT_TIMEOUT the
 * context has been reset (or *device_gone is set when that failed). */
BV_NODISCARD bv_status bv_run_case_execute(bv_vk_context *ctx, bv_vk_instance *inst, const bv_kernel *kernel,
                                           const bv_run_case *c, const bv_run_opts *opts, bv_report_case *out,
                                           bool *device_gone, bv_error *err);

/* Runs a vector set through one kernel: the engine behind `blsvk eval`. got receives
 * set->count outputs; status reports pass/fail per element through got vs. expected. */
BV_NODISCARD bv_status bv_run_vectors(bv_vk_context *ctx, const bv_kernel *kernel, const bv_vec_set *set,
                                      bv_mode mode, const bv_run_opts *opts, uint8_t *got, bv_vk_result *res,
                                      bv_error *err);

#ifdef __cplusplus
}
#endif
#endif
