/* harness/vk/vk_internal.h: the structures shared by the harness's Vulkan files; not part
 * of the public interface (harness/bv_vk.h). */
#ifndef BV_VK_INTERNAL_H
#define BV_VK_INTERNAL_H

#include <pthread.h>
#include <vulkan/vulkan.h>

#include "bv_vk.h"

struct bv_vk_instance {
    VkInstance instance;
    VkDebugUtilsMessengerEXT messenger;
    uint32_t api_version;
    char loader_version[32];
    bool validation;
    uint32_t count;
    VkPhysicalDevice *phys;
    bv_device_info *info;
    bool lock_ready;
    /* A device of this instance was abandoned with work that never finished: destroying the
     * instance could wait for it forever, so it is left to the end of the process. */
    bool abandoned;
    pthread_mutex_t msg_lock;
    size_t msg_count;
    char msgs[8192];
};

typedef struct bv_vk_buffer {
    VkBuffer buf;
    VkDeviceMemory mem;
    VkDeviceSize size;
    void *map;      /* persistently mapped when host-visible */
    bool host;      /* host-visible memory */
} bv_vk_buffer;

/* A compute pipeline for one SPIR-V module and arity. */
typedef struct bv_vk_pipeline {
    uint64_t hash;
    uint32_t *code; /* a copy, to confirm a hash hit */
    const uint32_t *last_ptr; /* the caller's pointer last seen for this module */
    size_t code_size;
    unsigned arity;
    uint32_t wg;
    bool has_spec;  /* specialization constant 1 set to spec (a workload stage's) */
    uint32_t spec;
    VkDescriptorSetLayout dsl;
    VkPipelineLayout layout;
    VkPipeline pipeline;
} bv_vk_pipeline;

/* The objects one execution needs: long-lived in persistent mode, made and dropped per
 * call in one-shot mode. */
typedef struct bv_vk_exec {
    bv_vk_buffer out, x, y, staging;
    VkDescriptorPool dpool;
    uint32_t dpool_sets;
    VkCommandPool cpool;
    VkCommandBuffer cmd;
    VkFence fence;
    VkQueryPool qpool;
    /* What the recorded command buffer does; a persistent job that would record the same
     * again resubmits it instead (re-recording costs a short round trip tens of microseconds). */
    uint64_t recorded[20];
    bool has_recorded;
} bv_vk_exec;

typedef struct bv_vk_pinned {
    bv_vk_buffer b;
    size_t bytes;
} bv_vk_pinned;

/* The queues a context plans with, and what a command buffer of each one's family may record. */
enum { BV_VK_ROLE_COMPUTE = 0, BV_VK_ROLE_UPLOAD, BV_VK_ROLE_DOWNLOAD, BV_VK_ROLES };
enum { BV_VK_CAN_COMPUTE = 1u, BV_VK_CAN_TRANSFER = 2u, BV_VK_CAN_TIMESTAMP = 4u };

struct bv_vk_context {
    bv_vk_instance *inst;
    uint32_t index;
    bv_device_info info;
    VkPhysicalDevice phys;
    uint8_t cache_uuid[VK_UUID_SIZE];
    VkPhysicalDeviceMemoryProperties mem;
    bv_vk_context_opts opts;
    uint32_t wg;
    VkDevice device;
    VkQueue queue;
    VkQueue tqueue;  /* the transfer-only queue (uploads), or the compute queue */
    VkQueue dqueue;  /* downloads: a second transfer-only queue where there is one, so that
                        both directions of the link run at once on separate copy engines */
    uint32_t tfamily;
    unsigned role_caps[BV_VK_ROLES]; /* BV_VK_CAN_*, from the families (or simulate_transfer_only) */
    bool check_commands;
    bv_vk_pinned *pinned;
    size_t npinned, cap_pinned;
    VkPipelineCache cache;
    bool cache_loaded;
    char cache_path[4096];
    char settings_path[4096]; /* this device's and driver's measured settings, or "" */
    uint64_t crossover;       /* --memory auto's limit in bytes */
    const char *crossover_from;
    bv_vk_pipeline *pipes;
    size_t npipes, cap_pipes;
    uint32_t pipes_created, pipes_reused;
    bv_vk_exec exec; /* persistent mode's */
    /* Work that timed out may still be running (bv_vk_drain gave up): the objects it may use
     * are abandoned with the device at the next reset, never destroyed under it. */
    bool busy;
};

const char *bv_vk_result_name(VkResult r);
/* Records a failed Vulkan call (BV_ERR_VULKAN, or TIMEOUT / DEVICE_LOST / NOMEM by result). */
bv_status bv_vk_fail(bv_error *err, const char *call, VkResult r);

#define BV_VK_CHECK(call)                                 \
    do {                                                  \
        VkResult vr_ = (call);                            \
        if (vr_ != VK_SUCCESS) {                          \
            st = bv_vk_fail(err, #call, vr_);             \
            goto fail;                                    \
        }                                                 \
    } while (0)

/* Pipeline for a module: cached in the context (persistent) or fresh (*owned = true,
 * destroy with bv_vk_pipeline_destroy). spec: the value of specialization constant 1 (a
 * workload stage's), or NULL to leave the module's default; each value is its own pipeline. */
bv_status bv_vk_pipeline_get(bv_vk_context *ctx, const uint32_t *code, size_t size, unsigned arity,
                             const uint32_t *spec, bool cached, bv_vk_pipeline **out, bv_error *err);
void bv_vk_pipeline_destroy(VkDevice dev, bv_vk_pipeline *p);
/* The one place a compute pipeline is made: layout, module, pipeline (workgroup size from
 * the context), module dropped. */
bv_status bv_vk_pipeline_build(bv_vk_context *ctx, const uint32_t *code, size_t size, unsigned arity,
                               const uint32_t *spec, VkPipelineCache cache, VkPipelineCreateFlags flags,
                               bv_vk_pipeline *p, bv_error *err);
void bv_vk_exec_destroy(VkDevice dev, bv_vk_exec *e);
/* Buffers, shared by every mode. */
bv_status bv_vk_buffer_ensure(bv_vk_context *ctx, bv_vk_buffer *b, VkDeviceSize size, bool host,
                              VkBufferUsageFlags usage, bool readback, bool grow, bv_error *err);
void bv_vk_buffer_destroy(VkDevice dev, bv_vk_buffer *b);
void bv_stats_of(double *v, uint32_t n, bv_stats *s);
/* Canary words around outputs and inputs. The guard after an output is bound inside its
 * descriptor range (the kernel gets count and must not touch it), so that a driver that checks
 * bounds does not drop a stray write before the guard sees it; it holds at least a workgroup's
 * elements. The word is the context's (bv_vk_context_opts.guard_word, from the run's seed), so
 * that a kernel reading past its range sees a value that changes from run to run. */
#define BV_VK_CANARY_WORD 0xC0DEFA11u
uint32_t bv_vk_canary(const bv_vk_context *ctx);
size_t bv_vk_guard_bytes(const bv_vk_context *ctx, size_t elem_bytes);
void bv_vk_fill_canary(uint8_t *p, size_t bytes, uint32_t word);
bool bv_vk_check_canary(const uint8_t *p, size_t bytes, uint32_t word, size_t *bad);
void bv_vk_pinned_release_all(bv_vk_context *ctx);
/* After a timeout: waits a bounded time (the context's timeout, at least 5 s) for every queue to
 * finish what was submitted to it. BV_OK: idle, the objects the work used may be destroyed;
 * BV_ERR_DEVICE_LOST: lost, they may be destroyed too; BV_ERR_TIMEOUT: still busy (ctx->busy is
 * set), they must be left alone. */
bv_status bv_vk_drain(bv_vk_context *ctx);
/* The pinned buffer holding [p, p+len) and p's offset in it, or NULL. */
const bv_vk_buffer *bv_vk_pinned_find(const bv_vk_context *ctx, const void *p, size_t len, VkDeviceSize *off);
/* Whether a command needing `needs` (BV_VK_CAN_*) may go on a command buffer of `role`. When the
 * context checks commands (tests, debug builds) a command that may not is BV_ERR_INTERNAL naming it
 * and the role, so that a mistake a transfer-only family would reject shows up on any device. */
bv_status bv_vk_cmd_check(const bv_vk_context *ctx, int role, unsigned needs, const char *cmd, bv_error *err);
/* Resets queries [first, first+count) so that a command buffer of `role` can write them: from the
 * host where the device can (vkResetQueryPool), else recorded into cmd, which only a compute-capable
 * role may do. The pool must not be in use. */
bv_status bv_vk_query_reset(bv_vk_context *ctx, int role, VkCommandBuffer cmd, VkQueryPool pool, uint32_t first,
                            uint32_t count, bv_error *err);
/* Whether a role can be timed: timestamps on its family, and queries it can have reset. */
bool bv_vk_role_timed(const bv_vk_context *ctx, int role);

/* Waits for a fence within the context's timeout; spins briefly first, because a sleeping
 * wait adds tens of microseconds to a short job's round trip. */
bv_status bv_vk_wait_fence(bv_vk_context *ctx, VkFence fence, bv_error *err);
/* *ns = the time between timestamp queries 0 and 1 of pool (waited for), in nanoseconds, the
 * counter's wrap within its valid bits allowed for. */
bv_status bv_vk_query_elapsed(bv_vk_context *ctx, VkQueryPool pool, double *ns, bv_error *err);
/* Nanoseconds from timestamp t0 to t1 of the compute queue, the counter's invalid high bits masked
 * (a counter of fewer than 64 bits wraps). */
double bv_vk_ticks_ns(const bv_vk_context *ctx, uint64_t t0, uint64_t t1);
/* The count intervals between timestamps 0 .. count of pool (count + 1 of them, at most 64),
 * in ns, into ns[0 .. count-1]. */
bv_status bv_vk_query_intervals(bv_vk_context *ctx, VkQueryPool pool, uint32_t count, double *ns, bv_error *err);
/* What every path that records work makes first: a command pool on queue family `family` (with
 * `flags`), one primary command buffer from it and an unsignalled fence. On failure whatever was
 * made is destroyed and the handles are left null. */
bv_status bv_vk_cmd_create(bv_vk_context *ctx, uint32_t family, VkCommandPoolCreateFlags flags, VkCommandPool *pool,
                           VkCommandBuffer *cmd, VkFence *fence, bv_error *err);

#endif
