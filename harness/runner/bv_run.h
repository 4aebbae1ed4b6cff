/* harness/bv_run.h: the runner: the named case list of a suite, filters, and the
 * execution of one case (vectors, reference, kernel run, element-by-element comparison,
 * replay file for failures). */
#ifndef BV_RUN_H
#define BV_RUN_H

#include <signal.h>
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

/* Globs (bv_report_glob_match: fnmatch's, and a glob for a kernel selects its spirv-opt recipe
 * cases too); a pattern starting with '-' excludes. A name is selected when it matches at least
 * one including pattern (or there is none) and no excluding one. */
bool bv_run_filter_match(const char *const *patterns, size_t n, const char *name);
/* Keeps the selected cases, in order; returns how many remain. */
size_t bv_run_filter(bv_run_case *cases, size_t n, const char *const *patterns, size_t npatterns);

/* Whether an input set can be run on an op: the aliased bindings (out over x, x = y) need a
 * binary op whose aliased arrays have elements of one size. */
bool bv_run_set_applies(const bv_ref_op_info *info, bv_case_set set);

/* The kernel a case runs: the user's set's (NULL when it has none for the variant) when a
 * --kernel-dir was given, else the built-in one. */
const bv_kernel *bv_run_case_kernel(const bv_kernel_set *user, const bv_run_case *c);

/* The plan of a run: the suite's cases, filtered, only the variants a user's kernel set has
 * (when given), and of those shard `shard_index` of `shard_count` (1-based; 0/0: all). Shard I
 * of N takes every N-th case starting at the I-th, so that the same list splits the same way on
 * every machine. *cases is malloc'ed. */
BV_NODISCARD bv_status bv_run_plan(const char *suite, const char *const *filters, size_t nfilters,
                                   const bv_kernel_set *user, uint32_t shard_index, uint32_t shard_count,
                                   bv_run_case **cases, size_t *n, bv_error *err);

/* The suite's cases that the filters select, that a --caselist (bv_report_list_load without
 * reasons; NULL: every case) lists, and that a user's kernel set has: every shard's, in suite
 * order. A case-list line that matches no case of the suite is an error naming its file and
 * line. *cases is malloc'ed. */
BV_NODISCARD bv_status bv_run_plan_list(const char *suite, const char *const *filters, size_t nfilters,
                                        const bv_report_baseline *caselist, const bv_kernel_set *user,
                                        bv_run_case **cases, size_t *n, bv_error *err);
/* Keeps shard I of N of a plan, in place (every N-th case from the I-th); returns how many. 0/0
 * and 1/1 keep all. */
size_t bv_run_shard(bv_run_case *cases, size_t n, uint32_t shard_index, uint32_t shard_count);

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
    bv_alias alias;            /* bv_run_vectors (eval): how the output is bound, as a case's set binds it */
} bv_run_opts;

/* A result record for case c: its name and variant filled in, everything else zero. */
void bv_run_case_record(bv_report_case *out, const bv_run_case *c);

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

/* --- workloads (workload.c): one input through a workload's plan, checked against the reference -- */

/* One input of a workload of n = 2^log_n: an NTT's n Fr words (32 bytes each); an MSM's n affine
 * points (96 bytes), n scalars (32 bytes) and the expected sum (a Jacobian point, 144 bytes). */
typedef struct bv_run_wl_input {
    bv_family field; /* BV_FAMILY_FR: an NTT; BV_FAMILY_G1: an MSM */
    unsigned log_n;
    uint8_t *input;
    uint8_t *scalars;
    uint8_t expected[BV_REF_MAX_BYTES];
} bv_run_wl_input;
BV_NODISCARD bv_status bv_run_wl_input_init(bv_family field, unsigned log_n, bv_run_wl_input *in, bv_error *err);
void bv_run_wl_input_free(bv_run_wl_input *in);
/* The named edge inputs of a workload's kind (the reference's NTT or MSM edges). */
size_t bv_run_wl_edge_count(bv_family field);
const char *bv_run_wl_edge_name(bv_family field, size_t e);
/* Edge input e, or (edge false) the seed's random one: an NTT's words below r from splitmix64
 * (docs/workload-abi.md); an MSM's points of known logarithms and scalars below r, with the
 * expected sum from the logarithms. */
BV_NODISCARD bv_status bv_run_wl_input_make(bool edge, size_t e, uint64_t seed, bv_run_wl_input *in, bv_error *err);
/* The reference's tables the plan's buffers ask for (NULL for the others), made once a size;
 * free with bv_run_wl_tables_free. */
BV_NODISCARD bv_status bv_run_wl_tables(const bv_workload_plan *p, unsigned log_n, uint8_t ***tables, bv_error *err);
void bv_run_wl_tables_free(uint8_t **tables, size_t n);

typedef struct bv_run_wl_opts {
    uint32_t warmup, reps, warm_ms; /* as bv_vk_workload's */
    double *stage_ns;               /* optional: each stage's median GPU time */
    bool oneshot;                   /* pipelines made and destroyed for the call */
} bv_run_wl_opts;
/* The warm_ms a timed workload call on ctx's device gets: 200 on a GPU, which clocks down while
 * the reference runs on the CPU and would be timed at its idle clock otherwise; 0 on a CPU. */
uint32_t bv_run_wl_warm_ms(const bv_vk_context *ctx);
/* Whether stages that ask for it ("specialize") get their own pipelines on ctx's device: on a
 * GPU, where each stage's branch alone keeps fewer registers live; not on a CPU device, where
 * every pipeline of a module with point additions is a compile of most of a minute. */
bool bv_run_wl_specializes(const bv_vk_context *ctx);
typedef struct bv_run_wl_outcome {
    bv_report_status status; /* pass, fail, not-supported, timeout, device-lost, internal-error */
    char reason[1000];
    bv_vk_result res;        /* timing and dispatches, when it ran */
} bv_run_wl_outcome;
/* Runs in through plan p of workload w (tables from bv_run_wl_tables; NULL: none) and checks
 * the output: an NTT's every element against bv_ref_ntt's transform, an MSM's sum as a point;
 * guard words damaged fail it. After a timeout or a lost device the context has been reset
 * (*device_gone when that failed). Errors are blsvk's own (memory, the reference). */
/* count inputs through plan p as one batch in a ring of `ring` buffer sets (bv_vk_workload_batch:
 * the pipelined mode; ring 1 one after another), each output checked as bv_run_wl_execute's into
 * outs[i]; res the batch's timing (wall_ns the whole batch). A device failure is every item's. */
BV_NODISCARD bv_status bv_run_wl_batch(bv_vk_context *ctx, const bv_workload *w, const bv_workload_plan *p,
                                       uint8_t *const *tables, const bv_run_wl_input *ins, size_t count, unsigned ring,
                                       bv_run_wl_outcome *outs, bv_vk_result *res, bool *device_gone, bv_error *err);
/* A batch's inputs: *ins gets count of them, every edge input in turn (edge) or the random ones
 * of seeds seed, seed + 1, ...; free with bv_run_wl_inputs_free (which takes a half-made array). */
BV_NODISCARD bv_status bv_run_wl_inputs_make(bv_family field, unsigned log_n, bool edge, uint64_t seed, size_t count,
                                             bv_run_wl_input **ins, bv_error *err);
void bv_run_wl_inputs_free(bv_run_wl_input *ins, size_t count);
/* What a ring gains: the batch once untimed first when warm (pipelines made, a GPU's clock up),
 * then one after another (res[0], outs[0]) and through `ring` sets (res[1], outs[1]; each outs[k]
 * count outcomes). Stops at the first pass whose device failed (*device_gone, or outcomes that
 * are neither pass nor fail): the passes after it have every outcome skipped. Errors as
 * bv_run_wl_batch's. */
BV_NODISCARD bv_status bv_run_wl_batch_gain(bv_vk_context *ctx, const bv_workload *w, const bv_workload_plan *p,
                                            uint8_t *const *tables, const bv_run_wl_input *ins, size_t count,
                                            unsigned ring, bool warm, bv_run_wl_outcome *const outs[2],
                                            bv_vk_result res[2], bool *device_gone, bv_error *err);
/* A workload case of a run (c->op a workload op): the built-in workload, or user's manifest
 * beside user->source (a --kernel-dir's); every named edge input at c->size, or the seed's
 * random one, through the device in c->mode. Results as bv_run_case_execute's. */
BV_NODISCARD bv_status bv_run_wl_case(bv_vk_context *ctx, const bv_kernel *user, const bv_run_case *c,
                                      const bv_run_opts *opts, bv_report_case *out, bool *device_gone, bv_error *err);
BV_NODISCARD bv_status bv_run_wl_execute(bv_vk_context *ctx, const bv_workload *w, const bv_workload_plan *p,
                                         uint8_t *const *tables, const bv_run_wl_input *in,
                                         const bv_run_wl_opts *timing, bv_run_wl_outcome *out, bool *device_gone,
                                         bv_error *err);

/* --- the run session: a run's plan, case log, retries, baseline and reports, with no printing ---- */

/* Now in UTC: ISO 8601 ("2026-11-29T22:46:17Z") and, when compact is not NULL, compact
 * ("20261129T224617Z"). */
void bv_run_utc_stamp(char *iso, size_t n_iso, char *compact, size_t n_compact);

/* The parts of a run record that come from this process and device: run id, start time, command
 * line, host, blsvk and toolchain versions, loader, device, workgroup size, and the spirv-opt
 * recipes the plan uses. The caller fills what its options say (suite, memory, seed, ...). */
void bv_run_record_init(bv_report_run *r, int argc, char *const *argv, const bv_vk_instance *inst,
                        const bv_vk_context *ctx, const bv_run_case *cases, size_t ncases);

/* What the session tells its caller as it goes: a case starting (result NULL) or finished. */
typedef struct bv_run_progress {
    size_t done, todo;              /* cases finished in this session, and to run in it */
    const bv_run_case *c;
    const bv_report_case *result;   /* NULL when the case starts */
} bv_run_progress;
typedef void (*bv_run_progress_fn)(void *user, const bv_run_progress *p);

/* --- workers: cases in a process of their own (--isolate) ----------------------------------- */

/* The worker's side. Tells the parent the device is open (error NULL) or why it is not. */
BV_NODISCARD bv_status bv_run_worker_ready(int out_fd, const char *error, bv_error *err);
/* Reads "<attempt> <case name>" lines from in_fd until it closes, runs each case and answers each
 * with one JSON line on out_fd (the case record and whether the device was lost for good). */
BV_NODISCARD bv_status bv_run_worker_serve(int in_fd, int out_fd, bv_vk_instance *inst, bv_vk_context *ctx,
                                           const bv_kernel_set *user, const bv_kernel_set *first_attempt,
                                           const bv_run_opts *opts, bv_error *err);

/* The parent's side: a worker process, started from argv (argv[0] a path), its stdin, stdout and
 * stderr on pipes. */
typedef struct bv_run_worker bv_run_worker;
BV_NODISCARD bv_status bv_run_worker_start(char *const *argv, bv_run_worker **out, bv_error *err);
/* Waits for the worker to open its device; BV_ERR_NO_DEVICE (with its last stderr lines) when it
 * cannot within timeout_ms, then it is killed. */
BV_NODISCARD bv_status bv_run_worker_wait_ready(bv_run_worker *w, uint32_t timeout_ms, bv_error *err);
/* Runs one case in the worker. A worker that dies gives the case status crash (the signal and its
 * last stderr lines in the reason); one that has not answered after deadline_ms is killed and the
 * case is a timeout. Either way *lost is set: start a fresh worker for the next case. */
BV_NODISCARD bv_status bv_run_worker_case(bv_run_worker *w, const bv_run_case *c, unsigned attempt,
                                          uint32_t deadline_ms, bv_report_case *out, bool *device_gone, bool *lost,
                                          bv_error *err);
/* Ends the worker's input, lets it exit (or kills it) and frees everything; takes NULL. */
void bv_run_worker_stop(bv_run_worker *w);

typedef struct bv_run_session_opts {
    bv_run_opts run;                   /* per-case options; replay_dir is set to <dir>/replays */
    unsigned retry_failures;           /* retries of a failed case (flakes) */
    const char *baseline;              /* a known-failures file, or NULL */
    const char *skips;                 /* --skips: cases never run (skip-listed), or NULL */
    const char *flakes;                /* --flakes: known flakes, retried at least once, or NULL */
    const bv_kernel_set *user;         /* --kernel-dir's kernels, or NULL for the built-in ones */
    /* A test hook: first attempts run this set's kernels where it has one (so that the flake path
     * runs deterministically); NULL outside tests. */
    const bv_kernel_set *first_attempt;
    /* Isolation: when set, every case runs in a worker process started from this argv (a driver
     * crash becomes status crash, a worker that stops answering is killed after
     * worker_deadline_ms and its case is a timeout); the device's remaining cases are skipped only
     * when a fresh worker cannot open the device within worker_open_ms. */
    char *const *worker_argv;
    uint32_t worker_deadline_ms;
    uint32_t worker_open_ms;
    /* Cases run at once, each in a worker of its own (needs worker_argv); 0 or 1: one at a time.
     * Progress is then called from the lanes' threads, one call at a time. */
    unsigned jobs;
    /* When it becomes non-zero (a signal handler sets it), no further case starts: the cases in
     * flight finish and execute returns; the rest stay unrun, for a --resume. */
    volatile sig_atomic_t *stop;
    bv_run_progress_fn progress;
    void *progress_user;
} bv_run_session_opts;

typedef struct bv_run_session bv_run_session;

/* Opens a session in run folder dir over rep, which it takes (also on failure). A new run (rep
 * with its record filled and no plan): the plan is set, dir made, the link "latest" beside dir
 * pointed at it (the newest run of the device) and the case log opened. A
 * resumed run (rep read from dir's results.jsonl): it must have been started by this blsvk on this
 * driver with the same plan (BV_ERR_VALUE saying what differs), and the log is continued. */
BV_NODISCARD bv_status bv_run_session_open(bv_report *rep, bool resuming, const char *dir, const bv_run_case *cases,
                                           size_t n, const bv_device_info *device, const bv_run_session_opts *o,
                                           bv_run_session **out, bv_error *err);
/* Cases of the plan still to run. */
size_t bv_run_session_todo(const bv_run_session *s);
/* Runs every planned case that has no result yet, each logged before and after it runs; a case
 * --skips lists is not run (skip-listed); a case blsvk died in twice is not run a third time;
 * failures are retried (a case --flakes lists at least once); --flakes and the baseline resolve
 * the verdicts. Errors are blsvk's own (the log cannot be written, out of memory): the cases that
 * finished stay in the log and the report. */
BV_NODISCARD bv_status bv_run_session_execute(bv_run_session *s, bv_vk_instance *inst, bv_vk_context *ctx,
                                              bv_error *err);
/* --isolate: workers started (the first, and fresh ones after a crash, a timeout or a lost
 * device) and the longest a worker took to start and open the device. */
typedef struct bv_run_worker_stats {
    unsigned started, restarts;
    double slowest_open_s, slowest_restart_s;
} bv_run_worker_stats;
bv_run_worker_stats bv_run_session_worker_stats(const bv_run_session *s);
/* Whether execute ended early because *o.stop was set. */
bool bv_run_session_stopped(const bv_run_session *s);
/* Whether the device became unusable (the remaining cases were skipped). */
bool bv_run_session_device_gone(const bv_run_session *s);
/* Sorts the report into plan order, stamps its end and writes results.json, results.csv,
 * junit.xml, summary.md and report.html into the run folder. *set (when not NULL) receives the report set
 * for the caller to print, and *summary its counts and verdict. */
BV_NODISCARD bv_status bv_run_session_finish(bv_run_session *s, bv_report_summary *summary, bv_report_set **set,
                                             bv_error *err);
void bv_run_session_destroy(bv_run_session *s);

#ifdef __cplusplus
}
#endif
#endif
