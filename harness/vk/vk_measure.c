/* harness/vk/vk_measure.c: what a device can do, measured in the run that times the kernels:
 * shader and copy-engine copy bandwidth, host-link bandwidth with pinned memory, kernels on
 * device-resident data. */
#define _GNU_SOURCE
#include "vk_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bv_kernels.h"

/* A copy with four independent 16-byte loads in flight per invocation and a grid-stride
 * loop: a single 48-byte element per thread reaches only about half of an H100's bandwidth. */
/* A one-time command buffer with a timestamp pool, shared by the measurements here. */
typedef struct timed_cmd {
    VkCommandPool pool;
    VkCommandBuffer cmd;
    VkQueryPool qpool;
    VkFence fence;
    uint32_t nq;
} timed_cmd;

static void timed_destroy(VkDevice d, timed_cmd *t)
{
    if (t->fence)
        vkDestroyFence(d, t->fence, NULL);
    if (t->qpool)
        vkDestroyQueryPool(d, t->qpool, NULL);
    if (t->pool)
        vkDestroyCommandPool(d, t->pool, NULL);
    memset(t, 0, sizeof *t);
}

/* A command buffer for one of the context's queue roles, with nq timestamp queries reset for it. */
static bv_status timed_begin(bv_vk_context *ctx, int role, uint32_t nq, timed_cmd *t, bv_error *err)
{
    uint32_t family = role == BV_VK_ROLE_COMPUTE ? ctx->info.compute_queue_family : ctx->tfamily;
    bv_status st = BV_OK;
    memset(t, 0, sizeof *t);
    if ((st = bv_vk_cmd_create(ctx, family, 0, &t->pool, &t->cmd, &t->fence, err)) != BV_OK)
        goto fail;
    VkQueryPoolCreateInfo qci = {.sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO,
                                 .queryType = VK_QUERY_TYPE_TIMESTAMP,
                                 .queryCount = nq};
    BV_VK_CHECK(vkCreateQueryPool(ctx->device, &qci, NULL, &t->qpool));
    t->nq = nq;
    VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    BV_VK_CHECK(vkBeginCommandBuffer(t->cmd, &bi));
    st = bv_vk_query_reset(ctx, role, t->cmd, t->qpool, 0, nq, err);
    if (st)
        goto fail;
    return BV_OK;
fail:
    timed_destroy(ctx->device, t);
    return st;
}

/* Submits the recorded buffer, waits; ns[i] = time between timestamps 2i and 2i+1. */
static bv_status timed_submit(bv_vk_context *ctx, VkQueue q, timed_cmd *t, double *ns, bv_error *err)
{
    bv_status st = BV_OK;
    uint64_t *ts = NULL;
    BV_VK_CHECK(vkResetFences(ctx->device, 1, &t->fence));
    /* A resubmission writes the same queries again: with host resets they are reset here (the
     * buffer's last run has finished), otherwise the buffer resets them itself. */
    if (ctx->info.host_query_reset)
        vkResetQueryPool(ctx->device, t->qpool, 0, t->nq);
    VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &t->cmd};
    BV_VK_CHECK(vkQueueSubmit(q, 1, &si, t->fence));
    BV_VK_CHECK(vkWaitForFences(ctx->device, 1, &t->fence, VK_TRUE, (uint64_t)ctx->opts.timeout_ms * 1000000ull));
    ts = calloc(t->nq, sizeof *ts);
    if (!ts) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    BV_VK_CHECK(vkGetQueryPoolResults(ctx->device, t->qpool, 0, t->nq, t->nq * sizeof *ts, ts, sizeof *ts,
                                      VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT));
    for (uint32_t i = 0; i + 1 < t->nq; i += 2)
        ns[i / 2] = bv_vk_ticks_ns(ctx, ts[i], ts[i + 1]);
fail:
    free(ts);
    return st;
}

static bv_status timed_end(bv_vk_context *ctx, VkQueue q, timed_cmd *t, double *ns, bv_error *err)
{
    bv_status st = BV_OK;
    BV_VK_CHECK(vkEndCommandBuffer(t->cmd));
    st = timed_submit(ctx, q, t, ns, err);
fail:
    return st;
}

/* A GPU that sat idle (while the host checked the previous results, say) runs its first
 * work at low clocks: the whole timed series is resubmitted until what it times has run for
 * 200 ms in all, and only the last series counts. */
static bv_status timed_end_warm(bv_vk_context *ctx, VkQueue q, timed_cmd *t, double *ns, uint32_t n, bv_error *err)
{
    double busy = 0;
    bv_status st = timed_end(ctx, q, t, ns, err);
    for (int round = 0; !st && round < 50; round++) {
        for (uint32_t i = 0; i < n; i++)
            busy += ns[i];
        if (busy >= 200e6)
            break;
        st = timed_submit(ctx, q, t, ns, err);
    }
    return st;
}

static void full_barrier(VkCommandBuffer cmd)
{
    VkMemoryBarrier mb = {.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
                          .srcAccessMask = VK_ACCESS_MEMORY_WRITE_BIT,
                          .dstAccessMask = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT};
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 1, &mb, 0,
                         NULL, 0, NULL);
}

static double median_of(double *v, uint32_t n)
{
    bv_stats s;
    bv_stats_of(v, n, &s);
    return s.median;
}

/* A descriptor pool and set for a pipeline, bound to the given buffers (binding order). */
static bv_status bind_set(bv_vk_context *ctx, bv_vk_pipeline *p, const VkDescriptorBufferInfo *bi, uint32_t n,
                          VkDescriptorPool *pool, VkDescriptorSet *set, bv_error *err)
{
    bv_status st = BV_OK;
    VkDescriptorPoolSize ps = {.type = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, .descriptorCount = n};
    VkDescriptorPoolCreateInfo dpci = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
                                       .maxSets = 1,
                                       .poolSizeCount = 1,
                                       .pPoolSizes = &ps};
    BV_VK_CHECK(vkCreateDescriptorPool(ctx->device, &dpci, NULL, pool));
    VkDescriptorSetAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
                                      .descriptorPool = *pool,
                                      .descriptorSetCount = 1,
                                      .pSetLayouts = &p->dsl};
    BV_VK_CHECK(vkAllocateDescriptorSets(ctx->device, &ai, set));
    VkWriteDescriptorSet wr = {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
                               .dstSet = *set,
                               .descriptorCount = n,
                               .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                               .pBufferInfo = bi};
    vkUpdateDescriptorSets(ctx->device, 1, &wr, 0, NULL);
fail:
    return st;
}

/* Uploads into a and downloads from b at the same time, each on its own transfer queue;
 * each direction's rate is its bytes over the span of its own timestamps. */
static bv_status measure_duplex(bv_vk_context *ctx, const bv_vk_buffer *a, const bv_vk_buffer *b,
                                const bv_vk_buffer *pin, size_t bytes, uint32_t reps, bv_vk_bounds *out,
                                bv_error *err)
{
    bv_status st = BV_OK;
    timed_cmd t[2] = {{0}, {0}};
    uint8_t *pin2 = NULL;
    const bv_vk_buffer *pb2 = NULL;
    VkDeviceSize off2 = 0;
    uint64_t *ts = NULL;
    st = bv_vk_pinned_alloc(ctx, bytes, (void **)&pin2, err);
    if (st)
        goto fail;
    pb2 = bv_vk_pinned_find(ctx, pin2, bytes, &off2);
    ts = calloc(2 * (size_t)reps, sizeof *ts);
    if (!ts || !pb2) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (int dir = 0; dir < 2; dir++) {
        st = timed_begin(ctx, dir ? BV_VK_ROLE_DOWNLOAD : BV_VK_ROLE_UPLOAD, 2 * reps, &t[dir], err);
        if (st)
            goto fail;
        for (uint32_t r = 0; r < reps; r++) {
            /* Two bytes up for every byte down, as c = a op b streams them. */
            VkBufferCopy c = {.srcOffset = 0, .dstOffset = off2 * (VkDeviceSize)dir, .size = dir ? bytes / 2 : bytes};
            if (r == 0)
                vkCmdWriteTimestamp(t[dir].cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, t[dir].qpool, 0);
            if (dir == 0)
                vkCmdCopyBuffer(t[dir].cmd, pin->buf, a->buf, 1, &c);
            else
                vkCmdCopyBuffer(t[dir].cmd, b->buf, pb2->buf, 1, &c);
            full_barrier(t[dir].cmd);
        }
        vkCmdWriteTimestamp(t[dir].cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, t[dir].qpool, 1);
        BV_VK_CHECK(vkEndCommandBuffer(t[dir].cmd));
    }
    for (int dir = 0; dir < 2; dir++) {
        VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1,
                           .pCommandBuffers = &t[dir].cmd};
        BV_VK_CHECK(vkQueueSubmit(dir ? ctx->dqueue : ctx->tqueue, 1, &si, t[dir].fence));
    }
    uint64_t first = UINT64_MAX, last = 0;
    for (int dir = 0; dir < 2; dir++) {
        uint64_t q[2];
        st = bv_vk_wait_fence(ctx, t[dir].fence, err);
        if (st)
            goto fail;
        BV_VK_CHECK(vkGetQueryPoolResults(ctx->device, t[dir].qpool, 0, 2, sizeof q, q, sizeof q[0],
                                          VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT));
        first = q[0] < first ? q[0] : first;
        last = q[1] > last ? q[1] : last;
    }
    /* Both queues share the device's timebase: the span covers the two directions together. */
    double ns = (double)(last - first) * ctx->info.timestamp_period;
    if (ns > 0) {
        out->duplex_h2d_Bps = (double)bytes * reps / (ns * 1e-9);
        out->duplex_d2h_Bps = (double)(bytes / 2) * reps / (ns * 1e-9);
    }
fail:
    timed_destroy(ctx->device, &t[0]);
    timed_destroy(ctx->device, &t[1]);
    bv_vk_pinned_free(ctx, pin2);
    free(ts);
    return st;
}

bv_status bv_vk_measure_bounds(bv_vk_context *ctx, size_t bytes, uint32_t reps, bv_vk_bounds *out, bv_error *err)
{
    bv_status st = BV_OK;
    bv_vk_buffer a = {0}, b = {0};
    uint8_t *pin = NULL;
    uint32_t *code = NULL;
    size_t code_size = 0;
    bv_vk_pipeline *pipe = NULL;
    VkDescriptorPool dpool = VK_NULL_HANDLE;
    VkDescriptorSet set;
    timed_cmd t = {0};
    double *ns = NULL;
    VkBufferUsageFlags usage =
        VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    memset(out, 0, sizeof *out);
    if (!ctx->info.timestamp_valid_bits)
        return bv_error_set(err, BV_ERR_UNSUPPORTED, "%s has no timestamps on its compute queue", ctx->info.name);
    if (reps == 0)
        reps = 1;
    bytes &= ~(size_t)63;
    if (bytes > ctx->info.max_storage_buffer_range)
        bytes = (size_t)(ctx->info.max_storage_buffer_range & ~(uint64_t)63);
    if (bytes == 0)
        return bv_error_set(err, BV_ERR_ARG, "copy size too small");
    out->bytes = bytes;
    ns = calloc(reps + 1, sizeof *ns);
    if (!ns)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    st = bv_vk_buffer_ensure(ctx, &a, bytes, false, usage, false, false, err);
    if (!st)
        st = bv_vk_buffer_ensure(ctx, &b, bytes, false, usage, false, false, err);
    if (!st)
        st = bv_vk_pinned_alloc(ctx, bytes, (void **)&pin, err);
    if (!st)
        st = bv_kernel_tool_copy(&code, &code_size, err);
    if (!st)
        st = bv_vk_pipeline_get(ctx, code, code_size, 1, NULL, true, &pipe, err);
    if (st)
        goto fail;
    memset(pin, 0x5a, bytes);
    VkDescriptorBufferInfo bi[2] = {{.buffer = b.buf, .offset = 0, .range = bytes},
                                    {.buffer = a.buf, .offset = 0, .range = bytes}};
    st = bind_set(ctx, pipe, bi, 2, &dpool, &set, err);
    if (st)
        goto fail;

    /* Shader copy and copy engine, device to device, one warm-up each. */
    for (int engine = 0; engine < 2; engine++) {
        st = timed_begin(ctx, BV_VK_ROLE_COMPUTE, 2 * (reps + 1), &t, err);
        if (st)
            goto fail;
        uint32_t vecs = (uint32_t)(bytes / 16);
        uint32_t groups = (vecs + ctx->wg * 4 - 1) / (ctx->wg * 4);
        if (groups > ctx->info.max_workgroup_count[0])
            groups = ctx->info.max_workgroup_count[0];
        if (!engine) {
            vkCmdBindPipeline(t.cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipe->pipeline);
            vkCmdBindDescriptorSets(t.cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipe->layout, 0, 1, &set, 0, NULL);
            uint32_t pc[2] = {vecs, 0};
            vkCmdPushConstants(t.cmd, pipe->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof pc, pc);
        }
        for (uint32_t r = 0; r <= reps; r++) {
            vkCmdWriteTimestamp(t.cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, t.qpool, 2 * r);
            if (engine) {
                VkBufferCopy c = {.size = bytes};
                vkCmdCopyBuffer(t.cmd, a.buf, b.buf, 1, &c);
            } else {
                vkCmdDispatch(t.cmd, groups, 1, 1);
            }
            vkCmdWriteTimestamp(t.cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, t.qpool, 2 * r + 1);
            full_barrier(t.cmd);
        }
        st = timed_end_warm(ctx, ctx->queue, &t, ns, reps + 1, err);
        timed_destroy(ctx->device, &t);
        if (st)
            goto fail;
        double med = median_of(ns + 1, reps);
        double bps = med > 0 ? 2.0 * (double)bytes / (med * 1e-9) : 0;
        if (engine)
            out->engine_copy_Bps = bps;
        else
            out->shader_copy_Bps = bps;
    }

    /* Host link, on the queue the pipelined mode streams through. */
    bool tq = ctx->tfamily != ctx->info.compute_queue_family && bv_vk_role_timed(ctx, BV_VK_ROLE_UPLOAD);
    VkQueue q = tq ? ctx->tqueue : ctx->queue;
    int role = tq ? BV_VK_ROLE_UPLOAD : BV_VK_ROLE_COMPUTE;
    VkDeviceSize po = 0;
    const bv_vk_buffer *pb = NULL;
    for (size_t i = 0; i < ctx->npinned; i++)
        if (ctx->pinned[i].b.map == pin)
            pb = &ctx->pinned[i].b;
    if (!pb) {
        st = bv_error_set(err, BV_ERR_INTERNAL, "pinned buffer not found");
        goto fail;
    }
    for (int dir = 0; dir < 2; dir++) {
        st = timed_begin(ctx, role, 2 * (reps + 1), &t, err);
        if (st)
            goto fail;
        for (uint32_t r = 0; r <= reps; r++) {
            vkCmdWriteTimestamp(t.cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, t.qpool, 2 * r);
            VkBufferCopy c = {.srcOffset = po, .dstOffset = 0, .size = bytes};
            if (dir == 0)
                vkCmdCopyBuffer(t.cmd, pb->buf, a.buf, 1, &c);
            else {
                c.srcOffset = 0;
                c.dstOffset = po;
                vkCmdCopyBuffer(t.cmd, a.buf, pb->buf, 1, &c);
            }
            vkCmdWriteTimestamp(t.cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, t.qpool, 2 * r + 1);
            full_barrier(t.cmd);
        }
        st = timed_end(ctx, q, &t, ns, err);
        timed_destroy(ctx->device, &t);
        if (st)
            goto fail;
        double med = median_of(ns + 1, reps);
        double bps = med > 0 ? (double)bytes / (med * 1e-9) : 0;
        if (dir == 0)
            out->h2d_Bps = bps;
        else
            out->d2h_Bps = bps;
    }
    if (ctx->dqueue != ctx->tqueue && tq) {
        st = measure_duplex(ctx, &a, &b, pb, bytes, reps, out, err);
        if (st)
            goto fail;
    }
fail:
    timed_destroy(ctx->device, &t);
    if (dpool)
        vkDestroyDescriptorPool(ctx->device, dpool, NULL);
    bv_vk_buffer_destroy(ctx->device, &a);
    bv_vk_buffer_destroy(ctx->device, &b);
    bv_vk_pinned_free(ctx, pin);
    free(code);
    free(ns);
    return st;
}

const char *bv_vk_wait_how_name(bv_vk_wait_how how)
{
    static const char *const names[] = {"hybrid", "spin", "block"};
    return (unsigned)how < BV_VK_WAIT_HOW_COUNT ? names[how] : "unknown";
}

bv_status bv_vk_measure_submit_how(bv_vk_context *ctx, uint32_t reps, bv_vk_wait_how how, bv_stats *wall_ns,
                                   bv_stats *submit_ns, bv_error *err)
{
    bv_status st = BV_OK;
    timed_cmd t = {0};
    uint32_t n = reps ? reps : 1;
    double *ns = calloc(n, sizeof *ns), *sub = calloc(n, sizeof *sub);
    uint64_t limit = (uint64_t)ctx->opts.timeout_ms * 1000000ull;
    if (!ns || !sub) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    st = timed_begin(ctx, BV_VK_ROLE_COMPUTE, 2, &t, err);
    if (st)
        goto fail;
    BV_VK_CHECK(vkEndCommandBuffer(t.cmd));
    for (uint32_t r = 0; r < n; r++) {
        uint64_t t0 = bv_time_ns();
        BV_VK_CHECK(vkResetFences(ctx->device, 1, &t.fence));
        VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &t.cmd};
        uint64_t s0 = bv_time_ns();
        BV_VK_CHECK(vkQueueSubmit(ctx->queue, 1, &si, t.fence));
        sub[r] = (double)(bv_time_ns() - s0);
        if (how == BV_VK_WAIT_SPIN) {
            VkResult vr;
            while ((vr = vkGetFenceStatus(ctx->device, t.fence)) == VK_NOT_READY && bv_time_ns() - s0 < limit)
                ;
            if (vr != VK_SUCCESS) {
                st = bv_vk_fail(err, vr == VK_NOT_READY ? "vkGetFenceStatus (past the timeout)" : "vkGetFenceStatus",
                                vr == VK_NOT_READY ? VK_TIMEOUT : vr);
                goto fail;
            }
        } else if (how == BV_VK_WAIT_BLOCK) {
            BV_VK_CHECK(vkWaitForFences(ctx->device, 1, &t.fence, VK_TRUE, limit));
        } else if ((st = bv_vk_wait_fence(ctx, t.fence, err)) != BV_OK) {
            goto fail;
        }
        ns[r] = (double)(bv_time_ns() - t0);
    }
    bv_stats_of(ns, n, wall_ns);
    if (submit_ns)
        bv_stats_of(sub, n, submit_ns);
fail:
    timed_destroy(ctx->device, &t);
    free(ns);
    free(sub);
    return st;
}

bv_status bv_vk_measure_submit(bv_vk_context *ctx, uint32_t reps, bv_stats *wall_ns, bv_error *err)
{
    return bv_vk_measure_submit_how(ctx, reps, BV_VK_WAIT_HYBRID, wall_ns, NULL, err);
}

bv_status bv_vk_bench_resident(bv_vk_context *ctx, const bv_vk_resident *r, bv_stats *kernel_ns, bv_error *err)
{
    bv_status st = BV_OK;
    bv_vk_pipeline *pipe = NULL;
    bv_vk_buffer *bufs = NULL, stage = {0};
    VkDescriptorPool dpool = VK_NULL_HANDLE;
    VkDescriptorSet *sets = NULL;
    timed_cmd t = {0};
    double *ns = NULL;
    size_t bytes[3], all = 0; /* out, x, y */
    uint32_t rot = r->rotations, reps = r->reps ? r->reps : 1, total;
    VkBufferUsageFlags usage =
        VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    memset(kernel_ns, 0, sizeof *kernel_ns);
    if (!ctx->info.timestamp_valid_bits)
        return bv_error_set(err, BV_ERR_UNSUPPORTED, "%s has no timestamps on its compute queue", ctx->info.name);
    unsigned nb = r->arity + 1;
    size_t ebs[3] = {r->out_bytes ? r->out_bytes : r->elem_bytes, r->x_bytes ? r->x_bytes : r->elem_bytes,
                     r->y_bytes ? r->y_bytes : r->elem_bytes};
    for (unsigned j = 0; j < nb; j++)
        if (bv_size_mul(r->count, ebs[j], &bytes[j]) || bytes[j] > ctx->info.max_storage_buffer_range ||
            bv_size_add(all, bytes[j], &all))
            return bv_error_set(err, BV_ERR_OVERFLOW,
                                "%zu elements do not fit one storage buffer binding of this device (%llu bytes)",
                                r->count, (unsigned long long)ctx->info.max_storage_buffer_range);
    if (r->count > (size_t)ctx->wg * ctx->info.max_workgroup_count[0])
        return bv_error_set(err, BV_ERR_OVERFLOW, "%zu elements need more than one dispatch", r->count);
    if (rot == 0) {
        /* Enough copies that the data in turn exceeds any cache (256 MiB), at most 8. */
        size_t per = all;
        rot = per ? (uint32_t)((((size_t)256 << 20) + per - 1) / per) : 1;
        if (rot > 8)
            rot = 8;
    }
    total = r->warmup + reps;
    bufs = calloc((size_t)rot * nb, sizeof *bufs);
    sets = calloc(rot, sizeof *sets);
    ns = calloc(total, sizeof *ns);
    if (!bufs || !sets || !ns) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    st = bv_vk_pipeline_get(ctx, r->code, r->code_size, r->arity, NULL, true, &pipe, err);
    if (!st)
        st = bv_vk_buffer_ensure(ctx, &stage, all, true, usage, true, false, err);
    if (st)
        goto fail;
    /* Staging: x, then y, then the output read back. */
    memcpy(stage.map, r->x, bytes[1]);
    if (r->arity == 2)
        memcpy((uint8_t *)stage.map + bytes[1], r->y, bytes[2]);
    size_t back = all - bytes[0];
    VkDescriptorPoolSize ps = {.type = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, .descriptorCount = rot * nb};
    VkDescriptorPoolCreateInfo dpci = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
                                       .maxSets = rot,
                                       .poolSizeCount = 1,
                                       .pPoolSizes = &ps};
    BV_VK_CHECK(vkCreateDescriptorPool(ctx->device, &dpci, NULL, &dpool));
    st = timed_begin(ctx, BV_VK_ROLE_COMPUTE, 2 * total, &t, err);
    if (st)
        goto fail;
    for (uint32_t k = 0; k < rot; k++) {
        VkDescriptorBufferInfo bi[3];
        for (unsigned j = 0; j < nb; j++) {
            st = bv_vk_buffer_ensure(ctx, &bufs[k * nb + j], bytes[j], false, usage, false, false, err);
            if (st)
                goto fail;
            bi[j] = (VkDescriptorBufferInfo){.buffer = bufs[k * nb + j].buf, .offset = 0, .range = bytes[j]};
            if (j > 0) {
                VkBufferCopy c = {.srcOffset = j == 1 ? 0 : bytes[1], .dstOffset = 0, .size = bytes[j]};
                vkCmdCopyBuffer(t.cmd, stage.buf, bufs[k * nb + j].buf, 1, &c);
            }
        }
        VkDescriptorSetAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
                                          .descriptorPool = dpool,
                                          .descriptorSetCount = 1,
                                          .pSetLayouts = &pipe->dsl};
        BV_VK_CHECK(vkAllocateDescriptorSets(ctx->device, &ai, &sets[k]));
        VkWriteDescriptorSet wr = {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
                                   .dstSet = sets[k],
                                   .descriptorCount = nb,
                                   .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                                   .pBufferInfo = bi};
        vkUpdateDescriptorSets(ctx->device, 1, &wr, 0, NULL);
    }
    full_barrier(t.cmd);
    vkCmdBindPipeline(t.cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipe->pipeline);
    uint32_t pc[2] = {(uint32_t)r->count, 0};
    vkCmdPushConstants(t.cmd, pipe->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof pc, pc);
    uint32_t groups = (uint32_t)((r->count + ctx->wg - 1) / ctx->wg);
    for (uint32_t i = 0; i < total; i++) {
        /* The last repetition lands on rotation 0, whose output is read back for checking. */
        uint32_t k = (total - 1 - i) % rot;
        vkCmdBindDescriptorSets(t.cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipe->layout, 0, 1, &sets[k], 0, NULL);
        vkCmdWriteTimestamp(t.cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, t.qpool, 2 * i);
        vkCmdDispatch(t.cmd, groups, 1, 1);
        vkCmdWriteTimestamp(t.cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, t.qpool, 2 * i + 1);
        full_barrier(t.cmd);
    }
    if (r->out) {
        /* Behind the inputs: the series may be submitted again, uploading them anew. */
        VkBufferCopy c = {.srcOffset = 0, .dstOffset = back, .size = bytes[0]};
        vkCmdCopyBuffer(t.cmd, bufs[0].buf, stage.buf, 1, &c);
        full_barrier(t.cmd);
    }
    st = timed_end_warm(ctx, ctx->queue, &t, ns, total, err);
    if (st)
        goto fail;
    if (r->out)
        memcpy(r->out, (const uint8_t *)stage.map + back, bytes[0]);
    bv_stats_of(ns + r->warmup, reps, kernel_ns);
fail:
    timed_destroy(ctx->device, &t);
    if (dpool)
        vkDestroyDescriptorPool(ctx->device, dpool, NULL);
    for (size_t i = 0; bufs && i < (size_t)rot * nb; i++)
        bv_vk_buffer_destroy(ctx->device, &bufs[i]);
    bv_vk_buffer_destroy(ctx->device, &stage);
    free(bufs);
    free(sets);
    free(ns);
    return st;
}

bv_status bv_vk_pipeline_stats(bv_vk_context *ctx, const uint32_t *code, size_t code_size, unsigned arity,
                               const uint32_t *spec, char *buf, size_t n, bv_error *err)
{
    bv_status st = BV_OK;
    bv_vk_pipeline p = {0};
    VkPipelineExecutableStatisticKHR *stats = NULL;
    if (n)
        buf[0] = '\0';
    if (!ctx->info.pipeline_executable_info)
        return bv_error_set(err, BV_ERR_UNSUPPORTED, "%s lacks VK_KHR_pipeline_executable_properties", ctx->info.name);
    PFN_vkGetPipelineExecutableStatisticsKHR get_stats =
        (PFN_vkGetPipelineExecutableStatisticsKHR)vkGetDeviceProcAddr(ctx->device, "vkGetPipelineExecutableStatisticsKHR");
    if (!get_stats)
        return bv_error_set(err, BV_ERR_UNSUPPORTED, "vkGetPipelineExecutableStatisticsKHR not found");
    /* Statistics need a pipeline made with the capture flag: one made here and dropped. */
    st = bv_vk_pipeline_build(ctx, code, code_size, arity, spec, VK_NULL_HANDLE, VK_PIPELINE_CREATE_CAPTURE_STATISTICS_BIT_KHR,
                              &p, err);
    if (st)
        return st;
    VkPipelineExecutableInfoKHR ei = {.sType = VK_STRUCTURE_TYPE_PIPELINE_EXECUTABLE_INFO_KHR, .pipeline = p.pipeline,
                                      .executableIndex = 0};
    uint32_t ns = 0;
    BV_VK_CHECK(get_stats(ctx->device, &ei, &ns, NULL));
    stats = calloc(ns ? ns : 1, sizeof *stats);
    if (!stats) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (uint32_t i = 0; i < ns; i++)
        stats[i].sType = VK_STRUCTURE_TYPE_PIPELINE_EXECUTABLE_STATISTIC_KHR;
    BV_VK_CHECK(get_stats(ctx->device, &ei, &ns, stats));
    size_t k = 0;
    uint64_t total = 0;
    for (uint32_t h = 0; h < ctx->info.heap_count && h < 16; h++)
        total += ctx->info.heap_size[h];
    for (uint32_t i = 0; i < ns && k < n; i++) {
        const VkPipelineExecutableStatisticKHR *s = &stats[i];
        const char *sep = k ? ", " : "";
        switch (s->format) {
        case VK_PIPELINE_EXECUTABLE_STATISTIC_FORMAT_BOOL32_KHR:
            k += (size_t)snprintf(buf + k, n - k, "%s%s=%s", sep, s->name, s->value.b32 ? "yes" : "no");
            break;
        case VK_PIPELINE_EXECUTABLE_STATISTIC_FORMAT_INT64_KHR:
            k += (size_t)snprintf(buf + k, n - k, "%s%s=%lld", sep, s->name, (long long)s->value.i64);
            break;
        case VK_PIPELINE_EXECUTABLE_STATISTIC_FORMAT_UINT64_KHR:
            /* A memory size past the device's whole memory is not a kernel's (NVIDIA's driver
             * reports "Local Memory Size" as 2^36 for every kernel): said so, not passed on as one. */
            k += (size_t)snprintf(buf + k, n - k, "%s%s=%llu%s", sep, s->name, (unsigned long long)s->value.u64,
                                  strstr(s->name, "Size") && s->value.u64 > total ? " (more than the device has)"
                                                                                   : "");
            break;
        default:
            k += (size_t)snprintf(buf + k, n - k, "%s%s=%g", sep, s->name, s->value.f64);
            break;
        }
    }
fail:
    free(stats);
    bv_vk_pipeline_destroy(ctx->device, &p);
    return st;
}
