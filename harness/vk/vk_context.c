/* harness/vk/vk_context.c: one logical device per selected physical device, its queues, its
 * pipeline cache and measured settings on disk, fence waits and the drain after a timeout. */
#define _GNU_SOURCE
#include "vk_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bv_json.h"

#define DEFAULT_TIMEOUT_MS 60000u
#define DRAIN_MIN_MS 5000u
#define DEFAULT_WG 64u

/* The pipeline cache header is checked here because a driver handed a cache from another
 * device or driver version may reject it or, worse, misbehave. */
/* A pipeline cache file larger than this, or one that is not a regular file (a link to a
 * device), is not read: the run goes on without it. */
#define PIPELINE_CACHE_MAX_BYTES ((size_t)256 << 20)
#define BV_VK_SETTINGS_FORMAT "blsvk-device-settings/1"

static void load_cache_data(bv_vk_context *ctx, void **data, size_t *size)
{
    char *buf = NULL;
    size_t len = 0;
    *data = NULL;
    *size = 0;
    if (!ctx->cache_path[0] || bv_file_read(ctx->cache_path, PIPELINE_CACHE_MAX_BYTES, 0, NULL, &buf, &len, NULL) != BV_OK)
        return;
    if (len >= 16 + VK_UUID_SIZE) {
        uint32_t hdr_len, hdr_ver, vendor, device;
        memcpy(&hdr_len, buf, 4);
        memcpy(&hdr_ver, buf + 4, 4);
        memcpy(&vendor, buf + 8, 4);
        memcpy(&device, buf + 12, 4);
        if (hdr_len >= 16 + VK_UUID_SIZE && hdr_ver == VK_PIPELINE_CACHE_HEADER_VERSION_ONE &&
            vendor == ctx->info.vendor_id && device == ctx->info.device_id &&
            memcmp(buf + 16, ctx->cache_uuid, VK_UUID_SIZE) == 0) {
            *data = buf;
            *size = len;
            return;
        }
    }
    free(buf);
}

static bv_status create_device(bv_vk_context *ctx, bv_error *err)
{
    bv_status st = BV_OK;
    void *cache_data = NULL;
    size_t cache_size = 0;
    float prio[2] = {1.0f, 1.0f};
    bool tq = ctx->info.transfer_queue_family >= 0;
    uint32_t tcount = tq && ctx->info.transfer_queue_count >= 2 ? 2 : 1;
    VkDeviceQueueCreateInfo qci[2] = {
        {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
         .queueFamilyIndex = ctx->info.compute_queue_family,
         .queueCount = 1,
         .pQueuePriorities = prio},
        {.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
         .queueFamilyIndex = tq ? (uint32_t)ctx->info.transfer_queue_family : 0,
         .queueCount = tcount,
         .pQueuePriorities = prio},
    };
    VkPhysicalDeviceFeatures feats = {.shaderInt64 = ctx->info.shader_int64 ? VK_TRUE : VK_FALSE,
                                      .shaderFloat64 = ctx->info.shader_float64 ? VK_TRUE : VK_FALSE};
    VkPhysicalDeviceVulkan12Features f12 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
                                            .timelineSemaphore = ctx->info.timeline_semaphore ? VK_TRUE : VK_FALSE,
                                            .hostQueryReset = ctx->info.host_query_reset ? VK_TRUE : VK_FALSE};
    VkPhysicalDevicePipelineExecutablePropertiesFeaturesKHR fexe = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PIPELINE_EXECUTABLE_PROPERTIES_FEATURES_KHR,
        .pipelineExecutableInfo = VK_TRUE};
    const char *exts[1];
    uint32_t next = 0;
    if (ctx->info.pipeline_executable_info) {
        exts[next++] = VK_KHR_PIPELINE_EXECUTABLE_PROPERTIES_EXTENSION_NAME;
        fexe.pNext = f12.pNext;
        f12.pNext = &fexe;
    }
    VkDeviceCreateInfo dci = {.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
                              .pNext = ctx->info.api_version >= VK_API_VERSION_1_2 ? (void *)&f12
                                       : ctx->info.pipeline_executable_info ? (void *)&fexe
                                                                            : NULL,
                              .enabledExtensionCount = next,
                              .ppEnabledExtensionNames = exts,
                              .queueCreateInfoCount = tq ? 2 : 1,
                              .pQueueCreateInfos = qci,
                              .pEnabledFeatures = &feats};
    BV_VK_CHECK(vkCreateDevice(ctx->phys, &dci, NULL, &ctx->device));
    vkGetDeviceQueue(ctx->device, ctx->info.compute_queue_family, 0, &ctx->queue);
    ctx->tqueue = ctx->queue;
    ctx->tfamily = ctx->info.compute_queue_family;
    if (tq) {
        ctx->tfamily = (uint32_t)ctx->info.transfer_queue_family;
        vkGetDeviceQueue(ctx->device, ctx->tfamily, 0, &ctx->tqueue);
    }
    ctx->dqueue = ctx->tqueue;
    /* What each role's command buffers may record: a compute family also takes transfers; a
     * transfer-only family (real, or simulated for a test) takes transfers alone. */
    unsigned ccaps = BV_VK_CAN_COMPUTE | BV_VK_CAN_TRANSFER | (ctx->info.timestamp_valid_bits ? BV_VK_CAN_TIMESTAMP : 0);
    unsigned tcaps = tq ? BV_VK_CAN_TRANSFER | (ctx->info.transfer_timestamp_valid_bits ? BV_VK_CAN_TIMESTAMP : 0)
                        : ccaps;
    if (ctx->opts.simulate_transfer_only)
        tcaps &= ~BV_VK_CAN_COMPUTE;
    ctx->role_caps[BV_VK_ROLE_COMPUTE] = ccaps;
    ctx->role_caps[BV_VK_ROLE_UPLOAD] = ctx->role_caps[BV_VK_ROLE_DOWNLOAD] = tcaps;
    if (tcount == 2)
        vkGetDeviceQueue(ctx->device, ctx->tfamily, 1, &ctx->dqueue);

    load_cache_data(ctx, &cache_data, &cache_size);
    VkPipelineCacheCreateInfo pci = {.sType = VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO,
                                     .initialDataSize = cache_size,
                                     .pInitialData = cache_data};
    VkResult r = vkCreatePipelineCache(ctx->device, &pci, NULL, &ctx->cache);
    if (r != VK_SUCCESS && cache_data) {
        /* A cache the driver refuses is dropped, not fatal. */
        pci.initialDataSize = 0;
        pci.pInitialData = NULL;
        cache_size = 0;
        r = vkCreatePipelineCache(ctx->device, &pci, NULL, &ctx->cache);
    }
    if (r != VK_SUCCESS) {
        st = bv_vk_fail(err, "vkCreatePipelineCache", r);
        goto fail;
    }
    ctx->cache_loaded = cache_size > 0;
    free(cache_data);
    return BV_OK;
fail:
    free(cache_data);
    return st;
}

/* How long a drain waits: the context's timeout, at least DRAIN_MIN_MS; $BLSVK_DRAIN_MS is a
 * test hook that sets it, so that a test can reach the abandon path on lavapipe. */
static uint32_t drain_ms(const bv_vk_context *ctx)
{
    const char *hook = getenv("BLSVK_DRAIN_MS");
    if (hook && *hook)
        return (uint32_t)strtoul(hook, NULL, 10);
    return ctx->opts.timeout_ms > DRAIN_MIN_MS ? ctx->opts.timeout_ms : DRAIN_MIN_MS;
}

bv_status bv_vk_drain(bv_vk_context *ctx)
{
    VkQueue qs[3] = {ctx->queue, ctx->tqueue, ctx->dqueue};
    VkFence fences[3];
    uint32_t n = 0;
    VkResult r = VK_SUCCESS;
    if (!ctx->device)
        return BV_OK;
    /* An empty submission's fence signals once everything submitted to its queue before it
     * has finished: a vkDeviceWaitIdle with a time limit. */
    for (int i = 0; i < 3 && r == VK_SUCCESS; i++) {
        if (!qs[i] || (i > 0 && qs[i] == qs[0]) || (i > 1 && qs[i] == qs[1]))
            continue;
        VkFenceCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
        r = vkCreateFence(ctx->device, &fci, NULL, &fences[n]);
        if (r != VK_SUCCESS)
            break;
        r = vkQueueSubmit(qs[i], 0, NULL, fences[n++]);
    }
    if (r == VK_SUCCESS && n)
        r = vkWaitForFences(ctx->device, n, fences, VK_TRUE, (uint64_t)drain_ms(ctx) * 1000000ull);
    if (r == VK_TIMEOUT) {
        ctx->busy = true; /* the fences are still pending: they go with the device */
        return BV_ERR_TIMEOUT;
    }
    for (uint32_t i = 0; i < n; i++)
        vkDestroyFence(ctx->device, fences[i], NULL);
    return r == VK_SUCCESS ? BV_OK : BV_ERR_DEVICE_LOST;
}

/* Drops the handles of everything on the device without destroying it: work that never
 * finished may still use it, and vkDestroyDevice is left to reclaim what it can. */
static void abandon_device_objects(bv_vk_context *ctx)
{
    memset(&ctx->exec, 0, sizeof ctx->exec);
    ctx->npinned = 0;
    for (size_t i = 0; i < ctx->npipes; i++)
        free(ctx->pipes[i].code);
    ctx->npipes = 0;
    ctx->cache = VK_NULL_HANDLE;
}

/* Gives up on a device whose work does not finish. Tearing it down waits for that work: on an
 * H100 (driver 580) blsvk never got past such a reset. So the device and its instance are left
 * to the end of the process, whose teardown by the kernel driver stops the work. */
static void abandon_device(bv_vk_context *ctx)
{
    abandon_device_objects(ctx);
    ctx->device = VK_NULL_HANDLE;
    ctx->inst->abandoned = true;
}

static void destroy_device_objects(bv_vk_context *ctx)
{
    if (!ctx->device)
        return;
    bv_vk_exec_destroy(ctx->device, &ctx->exec);
    bv_vk_pinned_release_all(ctx);
    for (size_t i = 0; i < ctx->npipes; i++)
        bv_vk_pipeline_destroy(ctx->device, &ctx->pipes[i]);
    ctx->npipes = 0;
    if (ctx->cache)
        vkDestroyPipelineCache(ctx->device, ctx->cache, NULL);
    ctx->cache = VK_NULL_HANDLE;
    vkDestroyDevice(ctx->device, NULL);
    ctx->device = VK_NULL_HANDLE;
}

/* The crossover the context uses: the caller's, else the one recorded for this device and
 * driver, else the default. A recorded file that cannot be read or says something else is not
 * used (the default is, with crossover_from "unreadable"; bench records a new one). */
static void load_settings(bv_vk_context *ctx)
{
    ctx->crossover = BV_VK_MEMORY_CROSSOVER;
    ctx->crossover_from = "default";
    if (ctx->opts.memory_crossover) {
        ctx->crossover = ctx->opts.memory_crossover;
        ctx->crossover_from = "option";
        return;
    }
    if (!ctx->settings_path[0] || access(ctx->settings_path, F_OK) != 0)
        return;
    /* A file that is there but cannot be used is said so ("unreadable": the reports show it), so
     * that a user who recorded a crossover does not believe it is in force. */
    bv_json *j = NULL;
    bv_error e;
    uint64_t v;
    char format[64] = "";
    ctx->crossover_from = "unreadable";
    if (bv_json_parse_file(ctx->settings_path, &j, &e) == BV_OK) {
        bv_json_get_str(j, "format", format, sizeof format);
        if (strcmp(format, BV_VK_SETTINGS_FORMAT) == 0 && bv_json_uint(bv_json_get(j, "memory_crossover"), &v) == BV_OK &&
            v > 0) {
            ctx->crossover = v;
            ctx->crossover_from = "measured";
        }
    }
    bv_json_free(j);
}

bv_status bv_vk_context_create(bv_vk_instance *inst, uint32_t index, const bv_vk_context_opts *opts,
                               bv_vk_context **out, bv_error *err)
{
    bv_status st = BV_OK;
    bv_vk_context *ctx;
    *out = NULL;
    if (index >= bv_vk_device_count(inst))
        return bv_error_set(err, BV_ERR_ARG, "device index %u out of range", index);
    ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    ctx->inst = inst;
    ctx->index = index;
    ctx->info = inst->info[index];
    ctx->phys = inst->phys[index];
    if (opts)
        ctx->opts = *opts;
    ctx->opts.pipeline_cache_dir = NULL; /* not kept: the caller's string may go */
    if (!ctx->opts.timeout_ms)
        ctx->opts.timeout_ms = DEFAULT_TIMEOUT_MS;
    const char *check = getenv("BLSVK_CHECK_COMMANDS");
    ctx->check_commands = ctx->opts.check_commands || (check && strcmp(check, "1") == 0);
#ifndef NDEBUG
    ctx->check_commands = true;
#endif
    VkPhysicalDeviceProperties props;
    vkGetPhysicalDeviceProperties(ctx->phys, &props);
    memcpy(ctx->cache_uuid, props.pipelineCacheUUID, VK_UUID_SIZE);
    vkGetPhysicalDeviceMemoryProperties(ctx->phys, &ctx->mem);

    uint32_t wg = ctx->opts.workgroup_size ? ctx->opts.workgroup_size : DEFAULT_WG;
    /* A size asked for is used or refused, never changed behind the caller's back. */
    if (ctx->opts.workgroup_size && (wg > ctx->info.max_workgroup_size[0] || wg > ctx->info.max_workgroup_invocations)) {
        st = bv_error_set(err, BV_ERR_ARG, "workgroup size %u is more than %s allows (%u in x, %u invocations)", wg,
                          ctx->info.name, ctx->info.max_workgroup_size[0], ctx->info.max_workgroup_invocations);
        goto fail;
    }
    if (wg > ctx->info.max_workgroup_size[0])
        wg = ctx->info.max_workgroup_size[0];
    if (wg > ctx->info.max_workgroup_invocations)
        wg = ctx->info.max_workgroup_invocations;
    if (wg == 0) {
        st = bv_error_set(err, BV_ERR_UNSUPPORTED, "%s: device reports a maximum workgroup size of 0", ctx->info.name);
        goto fail;
    }
    ctx->wg = wg;

    if (opts && opts->pipeline_cache_dir && opts->pipeline_cache_dir[0]) {
        st = bv_mkdir_p(opts->pipeline_cache_dir, err);
        if (st)
            goto fail;
        int n = snprintf(ctx->cache_path, sizeof ctx->cache_path, "%s/%04x-%04x-%s-%08x.vkpc",
                         opts->pipeline_cache_dir, ctx->info.vendor_id, ctx->info.device_id, ctx->info.uuid_str,
                         ctx->info.driver_version);
        if (n < 0 || (size_t)n >= sizeof ctx->cache_path) {
            st = bv_error_set(err, BV_ERR_ARG, "pipeline cache directory path too long");
            goto fail;
        }
    }
    if (opts && opts->settings_dir && opts->settings_dir[0]) {
        int n = snprintf(ctx->settings_path, sizeof ctx->settings_path, "%s/%04x-%04x-%s-%08x.settings.json",
                         opts->settings_dir, ctx->info.vendor_id, ctx->info.device_id, ctx->info.uuid_str,
                         ctx->info.driver_version);
        if (n < 0 || (size_t)n >= sizeof ctx->settings_path) {
            st = bv_error_set(err, BV_ERR_ARG, "settings directory path too long");
            goto fail;
        }
    }
    ctx->opts.settings_dir = NULL; /* not kept, as the cache dir */
    load_settings(ctx);
    st = create_device(ctx, err);
    if (st)
        goto fail;
    *out = ctx;
    return BV_OK;
fail:
    bv_error_prefix(err, "%s", ctx->info.name);
    bv_vk_context_destroy(ctx);
    return st;
}

uint64_t bv_vk_context_memory_crossover(const bv_vk_context *ctx, const char **from)
{
    if (from)
        *from = ctx->crossover_from;
    return ctx->crossover;
}

bv_status bv_vk_context_record_memory_crossover(bv_vk_context *ctx, uint64_t bytes, const char **path, bv_error *err)
{
    bv_atomic_file af = {0};
    bv_json_writer *w = NULL;
    bv_status st;
    if (path)
        *path = ctx->settings_path;
    if (!ctx->settings_path[0])
        return bv_error_set(err, BV_ERR_ARG, "no settings directory to record the crossover in");
    char dir[sizeof ctx->settings_path];
    snprintf(dir, sizeof dir, "%s", ctx->settings_path);
    *strrchr(dir, '/') = '\0';
    if ((st = bv_mkdir_p(dir, err)) || (st = bv_atomic_open(&af, ctx->settings_path, err)) ||
        (st = bv_json_writer_create(af.f, true, &w, err)))
        goto fail;
    bv_json_obj_begin(w);
    bv_json_key(w, "format"); bv_json_str(w, BV_VK_SETTINGS_FORMAT);
    bv_json_key(w, "device"); bv_json_str(w, ctx->info.name);
    bv_json_key(w, "driver"); bv_json_str(w, ctx->info.driver_version_str);
    bv_json_key(w, "memory_crossover"); bv_json_u64(w, bytes);
    bv_json_obj_end(w);
    st = bv_json_writer_finish(w, err);
    w = NULL;
    if (st || (st = bv_atomic_commit(&af, err)))
        goto fail;
    return BV_OK;
fail:
    bv_atomic_abort(&af);
    return st;
}

bv_status bv_vk_context_save_cache(bv_vk_context *ctx, bv_error *err)
{
    bv_status st = BV_OK;
    void *data = NULL;
    size_t size = 0;
    bv_atomic_file af = {0};
    if (!ctx->cache_path[0] || !ctx->cache)
        return BV_OK;
    BV_VK_CHECK(vkGetPipelineCacheData(ctx->device, ctx->cache, &size, NULL));
    data = malloc(size ? size : 1);
    if (!data) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    BV_VK_CHECK(vkGetPipelineCacheData(ctx->device, ctx->cache, &size, data));
    st = bv_atomic_open(&af, ctx->cache_path, err);
    if (st)
        goto fail;
    if (fwrite(data, 1, size, af.f) != size) {
        st = bv_error_set(err, BV_ERR_IO, "%s: write failed", ctx->cache_path);
        goto fail;
    }
    st = bv_atomic_commit(&af, err);
    if (st)
        goto fail;
    free(data);
    return BV_OK;
fail:
    bv_atomic_abort(&af);
    free(data);
    return st;
}

void bv_vk_context_destroy(bv_vk_context *ctx)
{
    if (!ctx)
        return;
    if (ctx->device) {
        /* Saving is best effort at teardown; bv_vk_context_save_cache reports errors. A device
         * that never finishes its work is abandoned, not waited for without end. */
        bv_status idle = bv_vk_drain(ctx);
        if (idle == BV_OK)
            BV_IGNORE(bv_vk_context_save_cache(ctx, NULL));
        else if (idle == BV_ERR_TIMEOUT)
            abandon_device(ctx);
    }
    destroy_device_objects(ctx);
    free(ctx->pipes);
    free(ctx->pinned);
    free(ctx);
}

bv_status bv_vk_context_reset(bv_vk_context *ctx, bv_error *err)
{
    /* Timed-out work may still use the context's objects: destroying them under it crashes
     * lavapipe's queue thread. Wait for it (bounded); if it does not end, the device is given
     * up for the rest of the process, and its remaining cases are skipped. */
    if (ctx->device && bv_vk_drain(ctx) == BV_ERR_TIMEOUT) {
        abandon_device(ctx);
        return bv_error_set(err, BV_ERR_DEVICE_LOST,
                            "%s: the timed-out work had not finished %u ms later; the device is given up",
                            ctx->info.name, drain_ms(ctx));
    }
    ctx->busy = false;
    destroy_device_objects(ctx);
    ctx->cache_loaded = false;
    bv_status st = create_device(ctx, err);
    if (st)
        bv_error_prefix(err, "%s: recreating the device", ctx->info.name);
    return st;
}

const bv_device_info *bv_vk_context_device(const bv_vk_context *ctx) { return &ctx->info; }
uint32_t bv_vk_context_workgroup_size(const bv_vk_context *ctx) { return ctx->wg; }
const char *bv_vk_context_cache_path(const bv_vk_context *ctx) { return ctx->cache_path; }
bool bv_vk_context_cache_loaded(const bv_vk_context *ctx) { return ctx->cache_loaded; }

void bv_vk_context_pipeline_stats(const bv_vk_context *ctx, uint32_t *created, uint32_t *reused)
{
    *created = ctx->pipes_created;
    *reused = ctx->pipes_reused;
}

bv_status bv_vk_query_intervals(bv_vk_context *ctx, VkQueryPool pool, uint32_t count, double *ns, bv_error *err)
{
    uint64_t ts[65];
    if (count == 0 || count >= 65)
        return bv_error_set(err, BV_ERR_INTERNAL, "bv_vk_query_intervals: %u intervals (1 to 64)", count);
    VkResult r = vkGetQueryPoolResults(ctx->device, pool, 0, count + 1, (count + 1) * sizeof ts[0], ts, sizeof ts[0],
                                       VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT);
    if (r != VK_SUCCESS)
        return bv_vk_fail(err, "vkGetQueryPoolResults", r);
    for (uint32_t i = 0; i < count; i++)
        ns[i] = bv_vk_ticks_ns(ctx, ts[i], ts[i + 1]);
    return BV_OK;
}

double bv_vk_ticks_ns(const bv_vk_context *ctx, uint64_t t0, uint64_t t1)
{
    uint64_t mask = ctx->info.timestamp_valid_bits >= 64 ? ~0ull : ((1ull << ctx->info.timestamp_valid_bits) - 1);
    return (double)(((t1 & mask) - (t0 & mask)) & mask) * ctx->info.timestamp_period;
}

bv_status bv_vk_query_elapsed(bv_vk_context *ctx, VkQueryPool pool, double *ns, bv_error *err)
{
    return bv_vk_query_intervals(ctx, pool, 1, ns, err);
}

bv_status bv_vk_cmd_create(bv_vk_context *ctx, uint32_t family, VkCommandPoolCreateFlags flags, VkCommandPool *pool,
                           VkCommandBuffer *cmd, VkFence *fence, bv_error *err)
{
    bv_status st = BV_OK;
    *pool = VK_NULL_HANDLE;
    *cmd = VK_NULL_HANDLE;
    *fence = VK_NULL_HANDLE;
    VkCommandPoolCreateInfo cpci = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                    .flags = flags,
                                    .queueFamilyIndex = family};
    BV_VK_CHECK(vkCreateCommandPool(ctx->device, &cpci, NULL, pool));
    VkCommandBufferAllocateInfo cbai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                        .commandPool = *pool,
                                        .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                        .commandBufferCount = 1};
    BV_VK_CHECK(vkAllocateCommandBuffers(ctx->device, &cbai, cmd));
    VkFenceCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    BV_VK_CHECK(vkCreateFence(ctx->device, &fci, NULL, fence));
    return BV_OK;
fail:
    if (*pool)
        vkDestroyCommandPool(ctx->device, *pool, NULL); /* frees the command buffer with it */
    *pool = VK_NULL_HANDLE;
    *cmd = VK_NULL_HANDLE;
    return st;
}

bv_status bv_vk_wait_fence(bv_vk_context *ctx, VkFence fence, bv_error *err)
{
    enum { SPIN_NS = 2000000 };
    uint64_t t0 = bv_time_ns(), limit = (uint64_t)ctx->opts.timeout_ms * 1000000ull;
    VkResult r;
    while ((r = vkGetFenceStatus(ctx->device, fence)) == VK_NOT_READY && bv_time_ns() - t0 < SPIN_NS)
        ;
    if (r == VK_NOT_READY) {
        uint64_t spent = bv_time_ns() - t0;
        r = vkWaitForFences(ctx->device, 1, &fence, VK_TRUE, spent < limit ? limit - spent : 0);
    }
    if (r == VK_SUCCESS)
        return BV_OK;
    bv_status st = bv_vk_fail(err, r == VK_TIMEOUT ? "vkWaitForFences" : "vkGetFenceStatus", r);
    if (r == VK_TIMEOUT)
        bv_error_prefix(err, "no completion within %u ms", ctx->opts.timeout_ms);
    return st;
}

static const char *const role_names[] = {"compute", "upload", "download"};
_Static_assert(sizeof role_names / sizeof role_names[0] == BV_VK_ROLES, "one name per role");

bv_status bv_vk_cmd_check(const bv_vk_context *ctx, int role, unsigned needs, const char *cmd, bv_error *err)
{
    if (!ctx->check_commands || (ctx->role_caps[role] & needs) == needs)
        return BV_OK;
    return bv_error_set(err, BV_ERR_INTERNAL,
                        "%s recorded on a command buffer of the %s queue, whose family cannot run it%s", cmd,
                        role_names[role],
                        (ctx->role_caps[role] & BV_VK_CAN_COMPUTE) ? "" : " (transfer-only: no compute or graphics)");
}

bool bv_vk_role_timed(const bv_vk_context *ctx, int role)
{
    unsigned caps = ctx->role_caps[role];
    return (caps & BV_VK_CAN_TIMESTAMP) && (ctx->info.host_query_reset || (caps & BV_VK_CAN_COMPUTE));
}

bv_status bv_vk_query_reset(bv_vk_context *ctx, int role, VkCommandBuffer cmd, VkQueryPool pool, uint32_t first,
                            uint32_t count, bv_error *err)
{
    /* vkCmdResetQueryPool needs a graphics or compute family: a transfer queue's queries are
     * reset from the host. */
    if (ctx->info.host_query_reset) {
        vkResetQueryPool(ctx->device, pool, first, count);
        return BV_OK;
    }
    bv_status st = bv_vk_cmd_check(ctx, role, BV_VK_CAN_COMPUTE, "vkCmdResetQueryPool", err);
    if (!st)
        vkCmdResetQueryPool(cmd, pool, first, count);
    return st;
}
