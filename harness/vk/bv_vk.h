/* harness/vk/bv_vk.h: the Vulkan host side of blsvk: device discovery and selection, a
 * context per device, and the execution of one kernel over one set of inputs in
 * one-shot or persistent mode, with GPU timestamps and canary-guarded outputs. */
#ifndef BV_VK_H
#define BV_VK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bv_common.h"
#include "bv_record.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bv_vk_instance bv_vk_instance;

typedef struct bv_vk_instance_opts {
    bool validation;   /* Khronos validation layer with synchronization validation */
    bool gpu_assisted; /* with validation: GPU-assisted checks (bounds checks inside the shaders) instead */
} bv_vk_instance_opts;

/* Creates the instance and records every physical device. Having no device is not an
 * error here (the count is 0); a missing loader or a failed vkCreateInstance is. */
BV_NODISCARD bv_status bv_vk_instance_create(const bv_vk_instance_opts *opts, bv_vk_instance **out,
                                             bv_error *err);
void bv_vk_instance_destroy(bv_vk_instance *inst);
uint32_t bv_vk_device_count(const bv_vk_instance *inst);
const bv_device_info *bv_vk_device_info_at(const bv_vk_instance *inst, uint32_t i);
/* The loader's instance version, e.g. "1.3.239". */
const char *bv_vk_loader_version(const bv_vk_instance *inst);

/* Picks a device: selector NULL or "" = the default (the first discrete GPU, else the
 * first integrated, else the first device); a decimal index; a UUID (with or without
 * dashes); else a case-insensitive substring of the name, which must match exactly one
 * device. Errors name what matched and what did not. */
BV_NODISCARD bv_status bv_vk_device_select(const bv_vk_instance *inst, const char *selector,
                                           uint32_t *index, bv_error *err);

/* Validation messages gathered since the last call (warnings and errors), joined with
 * newlines into buf (truncated); returns how many there were. */
size_t bv_vk_take_validation_messages(bv_vk_instance *inst, char *buf, size_t n);

/* The hint shown when no Vulkan device is found (headless NVIDIA machines). */
const char *bv_vk_no_device_hint(void);

typedef struct bv_vk_context bv_vk_context;

typedef struct bv_vk_context_opts {
    uint32_t timeout_ms;            /* fence waits; 0 = default (60000) */
    uint32_t workgroup_size;        /* 0 = auto (64, within device limits) */
    const char *pipeline_cache_dir; /* NULL = no on-disk pipeline cache */
    /* Test hooks that shrink device limits so splitting is exercised; 0 = the device's. */
    uint32_t limit_max_groups;
    /* Test hooks for the queue-family rules (the validation layer sees only what the driver has):
     * plan uploads and downloads as on a transfer-only family even where the device has none, and
     * check every command recorded against what its command buffer's family can do (also on with
     * $BLSVK_CHECK_COMMANDS=1 and in builds without NDEBUG). */
    bool simulate_transfer_only;
    bool check_commands;
    uint64_t limit_max_range;
    /* The word the guards around every array are filled with (0: a fixed default); runs derive
     * it from their seed (bv_vk_guard_word), so that a read past an element's range sees other
     * garbage in another run and the same in a replay. */
    uint32_t guard_word;
    /* --memory auto: jobs whose arrays (out, x and y together) take at most this many bytes run
     * on host-visible memory, larger ones on device memory with staging. 0: the default,
     * BV_VK_MEMORY_CROSSOVER, or the crossover measured on this device and driver where one was
     * recorded in settings_dir (bv_vk_context_record_memory_crossover). */
    uint64_t memory_crossover;
    /* Where measured per-device settings are kept (one small JSON file a device and driver);
     * NULL or "": none read or written. */
    const char *settings_dir;
} bv_vk_context_opts;
/* 384 KiB: on an NVIDIA H100 the kernel on host-visible memory won a round trip up to about
 * 4096 elements (3 x 4096 Fr elements are 384 KiB, Fp 576 KiB) and copies won above
 * (docs/PERFORMANCE.md, "Round trips by size"). */
#define BV_VK_MEMORY_CROSSOVER ((uint64_t)384 << 10)
/* A guard word from a seed: never 0, never a word that could pass for zero or all ones. */
uint32_t bv_vk_guard_word(uint64_t seed);

BV_NODISCARD bv_status bv_vk_context_create(bv_vk_instance *inst, uint32_t device_index,
                                            const bv_vk_context_opts *opts, bv_vk_context **out,
                                            bv_error *err);
/* Saves the pipeline cache (if a directory was given) and destroys everything. */
void bv_vk_context_destroy(bv_vk_context *ctx);
/* After a lost device or a timeout: drops the logical device and everything on it and
 * creates a new one. */
BV_NODISCARD bv_status bv_vk_context_reset(bv_vk_context *ctx, bv_error *err);
const bv_device_info *bv_vk_context_device(const bv_vk_context *ctx);
uint32_t bv_vk_context_workgroup_size(const bv_vk_context *ctx);
/* Where the pipeline cache is saved ("" when none), and whether it was loaded from
 * disk at creation. */
const char *bv_vk_context_cache_path(const bv_vk_context *ctx);
bool bv_vk_context_cache_loaded(const bv_vk_context *ctx);
/* --memory auto's limit in bytes, and where it came from: "option" (opts.memory_crossover),
 * "measured" (recorded for this device and driver in opts.settings_dir), "default"
 * (BV_VK_MEMORY_CROSSOVER). */
uint64_t bv_vk_context_memory_crossover(const bv_vk_context *ctx, const char **from);
/* Records a measured crossover for this device and driver in opts.settings_dir (atomically;
 * *path names the file), so that later contexts on them use it; BV_ERR_ARG without a settings
 * dir. The context itself goes on with the one it has. */
BV_NODISCARD bv_status bv_vk_context_record_memory_crossover(bv_vk_context *ctx, uint64_t bytes, const char **path,
                                                             bv_error *err);
/* Pipelines created so far vs. found in the context's cache (persistent mode). */
void bv_vk_context_pipeline_stats(const bv_vk_context *ctx, uint32_t *created, uint32_t *reused);
/* Writes the pipeline cache now (atomically). */
BV_NODISCARD bv_status bv_vk_context_save_cache(bv_vk_context *ctx, bv_error *err);

/* How the output is bound: its own buffer, the same buffer as input x (out = x op y in
 * place), or inputs x and y bound to one buffer (y = x). */
typedef enum bv_alias { BV_ALIAS_NONE = 0, BV_ALIAS_OUT_X, BV_ALIAS_X_Y } bv_alias;

typedef struct bv_vk_job {
    const uint32_t *code; /* SPIR-V of the kernel */
    size_t code_size;     /* bytes */
    unsigned arity;       /* 1 or 2 input bindings */
    size_t elem_bytes;    /* bytes of an element of each array, unless given below */
    /* Bytes of an out, x and y element where they differ (a point and a scalar in, a point
     * out); 0: elem_bytes. In-place needs out_bytes == x_bytes, y = x needs x_bytes == y_bytes. */
    size_t out_bytes, x_bytes, y_bytes;
    size_t count;         /* elements */
    const uint8_t *x;
    const uint8_t *y; /* binary ops; ignored for BV_ALIAS_X_Y */
    uint8_t *out;
    bv_alias alias;
    /* Skip reading the inputs back after the dispatch to check that the kernel left them (and
     * the guards around them) alone: for timing loops only; conformance runs check. */
    bool no_input_check;
    bv_mode mode;     /* BV_MODE_ONESHOT or BV_MODE_PERSISTENT */
    bv_memory memory;
    uint32_t warmup;  /* untimed runs first */
    uint32_t reps;    /* timed runs (0 counts as 1); out holds the last one's result */
    bool no_timestamps; /* host clock only: skips the query-pool reset and timestamps */
    /* At most this many workgroups a dispatch (0: the device's limit): makes a small job take
     * several dispatches, so that a kernel that ignores the push constant base is caught. */
    uint32_t max_groups;
    /* Pipelined mode only (bv_vk_execute): the job streamed as njobs consecutive jobs of these
     * sizes (0: one job of count), chunk_elems a chunk (0: the default), buffers sets (0: 2). */
    size_t njobs;
    size_t job_sizes[8];
    size_t chunk_elems;
    uint32_t buffers;
} bv_vk_job;

typedef struct bv_vk_result {
    bool kernel_timed;   /* GPU timestamps available */
    bv_stats kernel_ns;  /* first dispatch to last dispatch, from timestamps */
    bv_stats wall_ns;    /* host monotonic clock around the whole call */
    uint32_t dispatches;    /* per repetition */
    uint32_t windows;       /* descriptor windows (buffer ranges) per repetition */
    /* Guard words around the output and every input, and the inputs themselves: false if the
     * kernel wrote outside its output range or into an input (except x when out is x). */
    bool canary_ok;
    char canary_msg[256];
    bv_memory memory; /* where the arrays were: BV_MEMORY_DEVICE or _HOST (auto resolved) */
} bv_vk_result;

/* Runs a kernel over a job's inputs. Errors: BV_ERR_TIMEOUT, BV_ERR_DEVICE_LOST (call
 * bv_vk_context_reset before the next job), BV_ERR_UNSUPPORTED, BV_ERR_VULKAN (err names
 * the call and its VkResult), BV_ERR_OVERFLOW / BV_ERR_NOMEM for sizes that do not fit. */
BV_NODISCARD bv_status bv_vk_run(bv_vk_context *ctx, const bv_vk_job *job, bv_vk_result *res,
                                 bv_error *err);
/* The memory a job runs on: job->memory, or for BV_MEMORY_AUTO host-visible up to the context's
 * crossover (its arrays' bytes) and device memory above. */
bv_memory bv_vk_memory_for(const bv_vk_context *ctx, const bv_vk_job *job);

/* One descriptor window and dispatch of a split job: elements [first, first+count) of
 * the job; bound at element offset window_first, dispatched with push constant base. */
typedef struct bv_vk_dispatch {
    size_t window_first; /* element offset of the binding (a multiple that keeps alignment) */
    size_t window_count; /* elements visible through the binding */
    uint32_t base;       /* push constant base, relative to the window */
    uint32_t count;      /* elements in this dispatch */
    uint32_t groups;     /* workgroups */
} bv_vk_dispatch;

/* Splits `count` elements into dispatches within the limits: at most max_groups
 * workgroups of wg invocations each, each binding (its elements elem_bytes[b] wide, nb
 * bindings) at most max_range bytes and starting at a multiple of align bytes. Pure; *out is
 * malloc'ed. */
BV_NODISCARD bv_status bv_vk_plan(size_t count, const size_t *elem_bytes, unsigned nb, uint32_t wg,
                                  uint32_t max_groups, uint64_t max_range, uint64_t align,
                                  bv_vk_dispatch **out, size_t *n, bv_error *err);

/* A workload (docs/workload-abi.md): a fixed sequence of dispatches (stages) over buffers the
 * caller describes. Every stage's module binds three storage buffers (set 0, bindings 0-2) and
 * takes BV_VK_WL_PUSH_WORDS push-constant words: count and base (set here, per dispatch: stage
 * item base + g, for g < count), then the stage's own. */
#define BV_VK_WL_PUSH_WORDS 8

typedef struct bv_vk_wl_buffer {
    size_t bytes;        /* its data; guard words around it are the harness's */
    const uint8_t *init; /* its contents before every repetition, or NULL: zeros */
    uint8_t *out;        /* where its contents after the last repetition go, or NULL */
} bv_vk_wl_buffer;

typedef struct bv_vk_wl_stage {
    const uint32_t *code; /* SPIR-V */
    size_t code_size;     /* bytes */
    unsigned nbind;       /* bindings 0 .. nbind-1 (1 to 3); the rest get bind[0]'s buffer */
    unsigned bind[3];     /* the buffer (index into buffers) at each binding */
    uint32_t push[BV_VK_WL_PUSH_WORDS]; /* [0] and [1] are overwritten with count and base */
    uint64_t items;       /* invocations that have work: dispatched in groups of the workgroup size */
    uint64_t shared_bytes; /* workgroup shared memory the module declares: refused (BV_ERR_UNSUPPORTED)
                            * past the device's limit, before any pipeline is made */
    bool specialize;      /* the module's specialization constant 1 set to spec, so that a driver
                           * compiles this stage's branch alone (each value its own pipeline) */
    uint32_t spec;
} bv_vk_wl_stage;

typedef struct bv_vk_workload {
    const bv_vk_wl_buffer *buffers;
    size_t nbuffers;
    const bv_vk_wl_stage *stages;
    size_t nstages;
    uint32_t warmup, reps; /* untimed and timed submissions (reps 0 counts as 1) */
    /* Untimed submissions go on past warmup until this long has passed since the first: a GPU
     * idle between cases (the reference runs on the CPU) clocks down, and a few milliseconds of
     * work are timed at its idle clock otherwise (measured: 4.5x slower on an H100). 0: none. */
    uint32_t warm_ms;
    double *stage_ns; /* optional, nstages: each stage's median GPU time (0 where not timed: no
                       * timestamps, or more than 64 stages) */
    bool oneshot;     /* pipelines made for this call and destroyed after it (the one-shot mode),
                       * instead of the context's cached ones */
} bv_vk_workload;

/* Runs the stages in order, with a full memory barrier between consecutive ones, once per
 * repetition (the buffers rewritten from init before each). res: kernel_ns from the first stage's
 * start to the last one's end, wall_ns around the submission, dispatches per repetition,
 * canary_ok false when a stage wrote outside a buffer. Errors as bv_vk_run's. */
BV_NODISCARD bv_status bv_vk_workload_run(bv_vk_context *ctx, const bv_vk_workload *w, bv_vk_result *res,
                                          bv_error *err);

/* A batch of nitems independent inputs of one workload through a ring of `ring` buffer sets
 * (pipelined mode): each set holds every buffer of the workload with its guards, its staging and
 * its recorded commands; item i runs in set i % ring once item i - ring has come back, so that
 * the host writes item i's input and takes item i - ring's output while the device works on the
 * items between (ring 1: one item after another, the baseline). images[i * nbuffers + b]: item
 * i's contents of buffer b before its stages (NULL: w->buffers[b].init's; a buffer given for one
 * item must be given for all); outs[i * nbuffers + b]: where buffer b's contents after item i go
 * (NULL: not wanted; outs itself may be NULL). Every buffer's initial image (guards, tables,
 * zeros) is copied to device memory once and restores each item's buffers there; only the
 * items' images, the buffers some item wants and the guards cross the bus an item (a buffer's
 * contents come back whole if any item wants them). res: wall_ns over the whole batch (one sample),
 * kernel_ns over the items (their stages' timestamps), dispatches an item, canary_ok over all.
 * w->warmup, reps, warm_ms and oneshot are not used (the context's cached pipelines). */
BV_NODISCARD bv_status bv_vk_workload_batch(bv_vk_context *ctx, const bv_vk_workload *w, size_t nitems, unsigned ring,
                                            const uint8_t *const *images, uint8_t *const *outs, bv_vk_result *res,
                                            bv_error *err);

/* Pinned (host-visible, device-accessible) memory from the context. Jobs whose arrays lie
 * in it are streamed straight between it and the device, with no host copy: the way a
 * prover keeps its inputs. Freed by bv_vk_pinned_free or with the context. */
BV_NODISCARD bv_status bv_vk_pinned_alloc(bv_vk_context *ctx, size_t bytes, void **ptr, bv_error *err);
void bv_vk_pinned_free(bv_vk_context *ctx, void *ptr);

/* Pipelined mode: many jobs (or one large one) cut into chunks and streamed through
 * `buffers` buffer sets, so that the upload of chunk k+1, the dispatch of chunk k and the
 * download of chunk k-1 overlap; ordered with timeline semaphores, uploads and downloads
 * on a transfer-only queue where the device has one. */
typedef struct bv_vk_stream_job {
    const uint8_t *x;
    const uint8_t *y; /* binary ops */
    uint8_t *out;
    size_t count;
} bv_vk_stream_job;

typedef struct bv_vk_stream {
    const uint32_t *code;
    size_t code_size;
    unsigned arity;
    size_t elem_bytes;
    size_t out_bytes, x_bytes, y_bytes; /* as in bv_vk_job; 0: elem_bytes */
    const bv_vk_stream_job *jobs;
    size_t njobs;
    size_t chunk_elems; /* 0: $BLSVK_CHUNK_ELEMS, else bv_vk_default_chunk_elems */
    uint32_t buffers;   /* buffer sets in flight; 0: 2 */
    uint32_t warmup, reps;
} bv_vk_stream;

/* GPU timestamps of one chunk's stages, in ns from the first upload of the repetition. */
typedef struct bv_vk_chunk_timing {
    size_t job, first, count;
    double up[2], comp[2], down[2];
} bv_vk_chunk_timing;

typedef struct bv_vk_stream_result {
    bv_stats wall_ns;       /* host clock, first upload to last output in place */
    size_t chunks, chunk_elems;
    uint32_t buffers;
    bool transfer_queue;       /* a dedicated transfer queue carried uploads and downloads */
    bool pinned;               /* every job's arrays were pinned: no host copies */
    bool timed;                /* GPU timestamps on every queue used */
    bv_vk_chunk_timing *chunk; /* `chunks` entries of the last repetition (when timed) */
    double busy_ns[3];         /* summed upload, compute, download time (last repetition) */
    double span_ns;            /* first upload start to last download end */
    bool canary_ok;
    char canary_msg[256];
} bv_vk_stream_result;

/* Elements a chunk holds by default on this device for elem_bytes-wide elements. */
size_t bv_vk_default_chunk_elems(const bv_vk_context *ctx, size_t elem_bytes);

BV_NODISCARD bv_status bv_vk_run_stream(bv_vk_context *ctx, const bv_vk_stream *s, bv_vk_stream_result *res,
                                        bv_error *err);
void bv_vk_stream_result_free(bv_vk_stream_result *res);

/* What the device itself can do, measured in the same run as the kernels so that every
 * kernel figure can be given as a fraction of it. Bytes count what is read plus what is
 * written for device copies, and what crosses the link for host copies. */
typedef struct bv_vk_bounds {
    size_t bytes;             /* size of each copy */
    double shader_copy_Bps;   /* a shader copy that keeps many 16-byte loads in flight */
    double engine_copy_Bps;   /* vkCmdCopyBuffer, device to device */
    double h2d_Bps, d2h_Bps;  /* vkCmdCopyBuffer between pinned host memory and the device */
    /* Both directions at once (uploads and downloads on their own queues), as a stream runs
     * them; 0 where the device has no second transfer queue. */
    double duplex_h2d_Bps, duplex_d2h_Bps;
} bv_vk_bounds;

BV_NODISCARD bv_status bv_vk_measure_bounds(bv_vk_context *ctx, size_t bytes, uint32_t reps, bv_vk_bounds *out,
                                            bv_error *err);

/* The double-precision fma probe: runs fma(a, b, c) on triples where a fused, correctly
 * rounded fma and a multiply and add rounded apart differ, and records on the context's device
 * record (bv_vk_context_device) its verdict: "fused", "not fused", "inexact", or "not supported"
 * without shaderFloat64 (docs/RELIABILITY.md, "The fma probe"). */
BV_NODISCARD bv_status bv_vk_probe_fma(bv_vk_context *ctx, bv_error *err);
/* Its triples (at most cap; returns how many), whether each one's fused result is subnormal, and
 * the verdict from the results a device gave, as bv_vk_probe_fma records it on d: for tests. */
size_t bv_vk_fma_cases(double (*abc)[3], bool *subnormal, size_t cap);
void bv_vk_fma_judge(const double (*abc)[3], const bool *subnormal, const double *got, size_t n, bv_device_info *d);

/* The floor under every round trip: submitting a command buffer that does nothing and
 * waiting for its fence, timed on the host. */
BV_NODISCARD bv_status bv_vk_measure_submit(bv_vk_context *ctx, uint32_t reps, bv_stats *wall_ns, bv_error *err);

/* How the floor's fence is waited for: blsvk's own way (bv_vk_wait_fence: spin on
 * vkGetFenceStatus for 2 ms, then block), spinning only, or blocking in vkWaitForFences only. */
typedef enum bv_vk_wait_how { BV_VK_WAIT_HYBRID = 0, BV_VK_WAIT_SPIN, BV_VK_WAIT_BLOCK, BV_VK_WAIT_HOW_COUNT } bv_vk_wait_how;
const char *bv_vk_wait_how_name(bv_vk_wait_how how); /* "hybrid", "spin", "block" */
/* The floor waited for one way, with the time spent inside vkQueueSubmit alone beside the whole
 * (submit_ns; NULL: not wanted): where a slow round trip's time goes. */
BV_NODISCARD bv_status bv_vk_measure_submit_how(bv_vk_context *ctx, uint32_t reps, bv_vk_wait_how how,
                                                bv_stats *wall_ns, bv_stats *submit_ns, bv_error *err);

/* The driver's own statistics of a module's compute pipeline (VK_KHR_pipeline_executable_
 * properties: registers, spills, instruction counts, whatever the driver reports), as
 * "name=value" pairs joined by ", " into buf; spec as for bv_vk_wl_stage's (NULL: none).
 * BV_ERR_UNSUPPORTED without the extension. */
BV_NODISCARD bv_status bv_vk_pipeline_stats(bv_vk_context *ctx, const uint32_t *code, size_t code_size, unsigned arity,
                                            const uint32_t *spec, char *buf, size_t n, bv_error *err);

/* A kernel timed on device-resident data: inputs uploaded once into `rotations` copies used
 * in turn (so that caches do not flatter), dispatches back to back, GPU timestamps around each. */
typedef struct bv_vk_resident {
    const uint32_t *code;
    size_t code_size;
    unsigned arity;
    size_t elem_bytes;
    size_t out_bytes, x_bytes, y_bytes; /* as in bv_vk_job; 0: elem_bytes */
    size_t count;
    const uint8_t *x, *y;
    uint8_t *out;        /* receives the outputs (of the first rotation) for checking */
    uint32_t rotations;  /* 0: enough to exceed the caches */
    uint32_t warmup, reps;
} bv_vk_resident;

BV_NODISCARD bv_status bv_vk_bench_resident(bv_vk_context *ctx, const bv_vk_resident *r, bv_stats *kernel_ns,
                                            bv_error *err);

/* Whether the device can run a kernel in a mode: what the module needs (BV_KERNEL_NEEDS_*:
 * shaderInt64, shaderFloat64, a double fma the probe found fused), and for pipelined mode
 * timeline semaphores. The one place that decides NotSupported; false with the reason in why.
 * bv_vk_context_supports runs the fma probe first where the answer depends on it and the
 * context has not run it yet. */
bool bv_vk_supports(const bv_device_info *d, unsigned needs, bv_mode mode, char *why, size_t n);
bool bv_vk_context_supports(bv_vk_context *ctx, unsigned needs, bv_mode mode, char *why, size_t n);

/* Runs a job in its mode: one-shot and persistent through bv_vk_run; pipelined by streaming it
 * through bv_vk_run_stream with its arrays copied into pinned memory (the stream's kernel time
 * is the compute queue's busy time). BV_ERR_UNSUPPORTED (with bv_vk_supports' reason) when the
 * device cannot run it. The entry the runner and eval use. */
BV_NODISCARD bv_status bv_vk_execute(bv_vk_context *ctx, const bv_vk_job *job, unsigned needs, bv_vk_result *res,
                                     bv_error *err);

#ifdef __cplusplus
}
#endif
#endif
