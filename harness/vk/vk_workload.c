/* harness/vk/vk_workload.c: a workload's fixed sequence of dispatches over named buffers
 * (docs/workload-abi.md): every buffer in device memory with guard words around it, filled from
 * one host-visible staging buffer (written once a run) and read back into another by copies in
 * the same command buffer, a barrier between stages, timestamps around the stages alone. A batch
 * restores each item's buffers from an image of them in device memory and moves only the
 * item's own inputs, the outputs wanted and the guards across the bus. */
#define _GNU_SOURCE
#include "vk_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bv_common.h"

typedef struct wl_state {
    bv_vk_buffer *bufs; /* device memory */
    bv_vk_buffer up;    /* every buffer's initial image, guards included, at soff[b]: the host
                         * writes it once, every submission copies it in */
    bv_vk_buffer down;  /* the same layout, copied back after the stages */
    size_t *soff;
    size_t *guard;  /* bytes of guard before and after each buffer's data */
    size_t *data;   /* bytes of data (at least 16, so that an empty buffer can be bound) */
    bv_vk_pipeline **pipes;
    bool owned; /* the pipelines are this call's (one-shot), not the context's */
    VkDescriptorSet *sets;
    VkDescriptorPool dpool;
    VkCommandPool cpool;
    VkCommandBuffer cmd;
    VkFence fence;
    VkQueryPool qpool;
    uint32_t nts; /* timestamps a submission: one before the stages and one after each (or after the last) */
    uint32_t dispatches;
} wl_state;

/* Where a set's buffers come from before each submission and what comes back after it. NULL
 * plan (a single run): every buffer, guards and all, from the host-visible staging and back. */
typedef struct wl_copy_plan {
    VkBuffer tmpl;         /* device memory in the staging's layout: every buffer's image */
    const bool *from_host; /* per buffer: its data from the staging (the item's own input) */
    const bool *wanted;    /* per buffer: its data copied back (guards always are) */
} wl_copy_plan;

/* The one-shot pipelines this call made: their host structs, and (vk) their Vulkan objects,
 * which go with the device instead when it was lost. A module used by two stages is one
 * pipeline: freed once. */
static void wl_free_owned_pipes(bv_vk_context *ctx, const bv_vk_workload *w, wl_state *s, bool vk)
{
    if (!s->owned || !s->pipes)
        return;
    for (size_t i = 0; i < w->nstages; i++)
        if (s->pipes[i]) {
            bv_vk_pipeline *p = s->pipes[i];
            for (size_t j = i; j < w->nstages; j++)
                if (s->pipes[j] == p)
                    s->pipes[j] = NULL;
            if (vk)
                bv_vk_pipeline_destroy(ctx->device, p);
            free(p);
        }
}

static void wl_destroy(bv_vk_context *ctx, const bv_vk_workload *w, wl_state *s)
{
    if (s->qpool)
        vkDestroyQueryPool(ctx->device, s->qpool, NULL);
    if (s->fence)
        vkDestroyFence(ctx->device, s->fence, NULL);
    if (s->cpool)
        vkDestroyCommandPool(ctx->device, s->cpool, NULL);
    if (s->dpool)
        vkDestroyDescriptorPool(ctx->device, s->dpool, NULL);
    if (s->bufs)
        for (size_t b = 0; b < w->nbuffers; b++)
            bv_vk_buffer_destroy(ctx->device, &s->bufs[b]);
    bv_vk_buffer_destroy(ctx->device, &s->up);
    bv_vk_buffer_destroy(ctx->device, &s->down);
    free(s->soff);
    free(s->bufs);
    free(s->guard);
    free(s->data);
    wl_free_owned_pipes(ctx, w, s, true);
    free(s->pipes); /* cached pipelines belong to the context */
    free(s->sets);
    memset(s, 0, sizeof *s);
}

static void wl_barrier(VkCommandBuffer cmd, VkPipelineStageFlags src, VkAccessFlags sa, VkPipelineStageFlags dst,
                       VkAccessFlags da)
{
    VkMemoryBarrier mb = {.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER, .srcAccessMask = sa, .dstAccessMask = da};
    vkCmdPipelineBarrier(cmd, src, dst, 0, 1, &mb, 0, NULL, 0, NULL);
}

static bv_status wl_check(const bv_vk_context *ctx, const bv_vk_workload *w, bv_error *err)
{
    if (!w->stages || !w->nstages || !w->buffers || !w->nbuffers)
        return bv_error_set(err, BV_ERR_ARG, "bv_vk_workload_run: no stages or no buffers");
    for (size_t i = 0; i < w->nstages; i++) {
        const bv_vk_wl_stage *st = &w->stages[i];
        if (!st->code || st->code_size % 4 || st->nbind < 1 || st->nbind > 3)
            return bv_error_set(err, BV_ERR_ARG, "bv_vk_workload_run: stage %zu: no module or 1 to 3 bindings", i);
        for (unsigned b = 0; b < st->nbind; b++)
            if (st->bind[b] >= w->nbuffers)
                return bv_error_set(err, BV_ERR_ARG, "bv_vk_workload_run: stage %zu binds buffer %u of %zu", i,
                                    st->bind[b], w->nbuffers);
        /* Past the limit a pipeline is invalid; NVIDIA's driver loses the device on its dispatch. */
        if (st->shared_bytes > ctx->info.max_shared_bytes)
            return bv_error_set(err, BV_ERR_UNSUPPORTED,
                                "stage %zu needs %llu bytes of shared memory at workgroup size %u; the device has %u",
                                i, (unsigned long long)st->shared_bytes, ctx->wg, ctx->info.max_shared_bytes);
    }
    for (size_t b = 0; b < w->nbuffers; b++)
        if (w->buffers[b].bytes + bv_vk_guard_bytes(ctx, 16) > ctx->info.max_storage_buffer_range)
            return bv_error_set(err, BV_ERR_UNSUPPORTED,
                                "buffer %zu: %zu bytes, past the device's storage buffer range of %llu bytes", b,
                                w->buffers[b].bytes, (unsigned long long)ctx->info.max_storage_buffer_range);
    return BV_OK;
}

/* Makes the buffers, pipelines, descriptor sets and the recorded command buffer. */
static bv_status wl_prepare(bv_vk_context *ctx, const bv_vk_workload *w, wl_state *s, bv_error *err)
{
    bv_status st = BV_OK;
    size_t nb = w->nbuffers, ns = w->nstages;
    s->bufs = calloc(nb, sizeof *s->bufs);
    s->guard = calloc(nb, sizeof *s->guard);
    s->data = calloc(nb, sizeof *s->data);
    s->pipes = calloc(ns, sizeof *s->pipes);
    s->sets = calloc(ns, sizeof *s->sets);
    s->soff = calloc(nb + 1, sizeof *s->soff);
    if (!s->bufs || !s->guard || !s->data || !s->pipes || !s->sets || !s->soff)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    for (size_t b = 0; b < nb; b++) {
        size_t total;
        s->data[b] = w->buffers[b].bytes < 16 ? 16 : w->buffers[b].bytes;
        s->guard[b] = bv_vk_guard_bytes(ctx, 16);
        if (bv_size_add(s->data[b], 2 * s->guard[b], &total) || bv_size_add(s->soff[b], total, &s->soff[b + 1]))
            return bv_error_set(err, BV_ERR_OVERFLOW, "buffer %zu: %zu bytes do not fit", b, w->buffers[b].bytes);
        st = bv_vk_buffer_ensure(ctx, &s->bufs[b], total, false,
                                 VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                                     VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                                 false, false, err);
        if (st)
            return st;
    }
    st = bv_vk_buffer_ensure(ctx, &s->up, s->soff[nb], true, VK_BUFFER_USAGE_TRANSFER_SRC_BIT, false, false, err);
    if (st)
        return st;
    st = bv_vk_buffer_ensure(ctx, &s->down, s->soff[nb], true, VK_BUFFER_USAGE_TRANSFER_DST_BIT, true, false, err);
    if (st)
        return st;
    s->owned = w->oneshot;
    for (size_t i = 0; i < ns; i++) {
        /* One-shot: a stage whose module (and specialization) an earlier stage has shares its
         * pipeline. */
        const bv_vk_wl_stage *g = &w->stages[i];
        for (size_t j = 0; s->owned && j < i && !s->pipes[i]; j++)
            if (w->stages[j].code == g->code && w->stages[j].code_size == g->code_size &&
                w->stages[j].specialize == g->specialize && (!g->specialize || w->stages[j].spec == g->spec))
                s->pipes[i] = s->pipes[j];
        if (!s->pipes[i] && (st = bv_vk_pipeline_get(ctx, g->code, g->code_size, 2, g->specialize ? &g->spec : NULL,
                                                     !s->owned, &s->pipes[i], err)))
            return st;
    }

    VkDescriptorPoolSize ps = {.type = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, .descriptorCount = (uint32_t)(3 * ns)};
    VkDescriptorPoolCreateInfo dpci = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
                                       .maxSets = (uint32_t)ns,
                                       .poolSizeCount = 1,
                                       .pPoolSizes = &ps};
    BV_VK_CHECK(vkCreateDescriptorPool(ctx->device, &dpci, NULL, &s->dpool));
    for (size_t i = 0; i < ns; i++) {
        const bv_vk_wl_stage *g = &w->stages[i];
        VkDescriptorSetAllocateInfo dsai = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
                                            .descriptorPool = s->dpool,
                                            .descriptorSetCount = 1,
                                            .pSetLayouts = &s->pipes[i]->dsl};
        BV_VK_CHECK(vkAllocateDescriptorSets(ctx->device, &dsai, &s->sets[i]));
        /* The layout has three bindings; a stage that names fewer gets its first buffer at the
         * others, so that every binding the module declares is valid. The trailing guard lies
         * inside the bound range: a write past the data lands in it, where a driver that checks
         * bounds (lavapipe) would drop a write past the range unseen. */
        VkDescriptorBufferInfo bi[3];
        VkWriteDescriptorSet wr[3];
        for (unsigned b = 0; b < 3; b++) {
            unsigned k = g->bind[b < g->nbind ? b : 0];
            bi[b] = (VkDescriptorBufferInfo){.buffer = s->bufs[k].buf, .offset = s->guard[k],
                                            .range = s->data[k] + s->guard[k]};
            wr[b] = (VkWriteDescriptorSet){.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
                                           .dstSet = s->sets[i],
                                           .dstBinding = b,
                                           .descriptorCount = 1,
                                           .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                                           .pBufferInfo = &bi[b]};
        }
        vkUpdateDescriptorSets(ctx->device, 3, wr, 0, NULL);
    }

    if ((st = bv_vk_cmd_create(ctx, ctx->info.compute_queue_family, VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
                               &s->cpool, &s->cmd, &s->fence, err)) != BV_OK)
        goto fail;
    if (ctx->info.timestamp_valid_bits) {
        /* A timestamp after every stage where there are at most 64 (which pass is slow), else
         * around all of them. */
        s->nts = ns <= 64 ? (uint32_t)ns + 1 : 2;
        VkQueryPoolCreateInfo qpci = {.sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO,
                                      .queryType = VK_QUERY_TYPE_TIMESTAMP,
                                      .queryCount = s->nts};
        BV_VK_CHECK(vkCreateQueryPool(ctx->device, &qpci, NULL, &s->qpool));
    }

    return BV_OK;
fail:
    return st;
}

/* The regions of buffer b to copy: all of it (one region) when data, else its two guards.
 * src_at and dst_at: where the buffer starts in the source and in the destination. */
static uint32_t wl_regions(const wl_state *s, size_t b, bool data, VkDeviceSize src_at, VkDeviceSize dst_at,
                           VkBufferCopy r[2])
{
    VkDeviceSize g = s->guard[b], d = s->data[b];
    if (data) {
        r[0] = (VkBufferCopy){.srcOffset = src_at, .dstOffset = dst_at, .size = 2 * g + d};
        return 1;
    }
    r[0] = (VkBufferCopy){.srcOffset = src_at, .dstOffset = dst_at, .size = g};
    r[1] = (VkBufferCopy){.srcOffset = src_at + g + d, .dstOffset = dst_at + g + d, .size = g};
    return 2;
}

/* Records the set's command buffer: the buffers' images in, the stages with their timestamps,
 * the buffers out (all of each without a plan; with one, as the plan says). */
static bv_status wl_record(bv_vk_context *ctx, const bv_vk_workload *w, wl_state *s, const wl_copy_plan *plan,
                           bv_error *err)
{
    bv_status st = BV_OK;
    size_t nb = w->nbuffers, ns = w->nstages;
    s->dispatches = 0;
    /* Recorded once, submitted for every repetition: each starts from the same images. */
    uint32_t max_groups = ctx->opts.limit_max_groups ? ctx->opts.limit_max_groups : ctx->info.max_workgroup_count[0];
    VkCommandBufferBeginInfo cbbi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    BV_VK_CHECK(vkBeginCommandBuffer(s->cmd, &cbbi));
    if (s->qpool)
        vkCmdResetQueryPool(s->cmd, s->qpool, 0, s->nts);
    /* With a plan, the template's copy (an earlier submission) is before it as well. */
    wl_barrier(s->cmd, VK_PIPELINE_STAGE_HOST_BIT | (plan ? VK_PIPELINE_STAGE_TRANSFER_BIT : 0),
               VK_ACCESS_HOST_WRITE_BIT | (plan ? VK_ACCESS_TRANSFER_WRITE_BIT : 0), VK_PIPELINE_STAGE_TRANSFER_BIT,
               VK_ACCESS_TRANSFER_READ_BIT);
    for (size_t b = 0; b < nb; b++) {
        VkBufferCopy r[2];
        if (!plan) {
            uint32_t k = wl_regions(s, b, true, s->soff[b], 0, r);
            vkCmdCopyBuffer(s->cmd, s->up.buf, s->bufs[b].buf, k, r);
        } else if (plan->from_host[b]) {
            /* Guards from the image, the data from the host's staging: disjoint regions. */
            uint32_t k = wl_regions(s, b, false, s->soff[b], 0, r);
            vkCmdCopyBuffer(s->cmd, plan->tmpl, s->bufs[b].buf, k, r);
            VkBufferCopy d = {.srcOffset = s->soff[b] + s->guard[b], .dstOffset = s->guard[b], .size = s->data[b]};
            vkCmdCopyBuffer(s->cmd, s->up.buf, s->bufs[b].buf, 1, &d);
        } else {
            uint32_t k = wl_regions(s, b, true, s->soff[b], 0, r);
            vkCmdCopyBuffer(s->cmd, plan->tmpl, s->bufs[b].buf, k, r);
        }
    }
    wl_barrier(s->cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
               VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
    /* At the bottom of the pipe: written once the uploads before it are done (at the top it is
     * written as soon as the command is reached, and the time would include the copies). */
    if (s->qpool)
        vkCmdWriteTimestamp(s->cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, s->qpool, 0);
    for (size_t i = 0; i < ns; i++) {
        const bv_vk_wl_stage *g = &w->stages[i];
        if (i > 0)
            wl_barrier(s->cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT,
                       VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
        vkCmdBindPipeline(s->cmd, VK_PIPELINE_BIND_POINT_COMPUTE, s->pipes[i]->pipeline);
        vkCmdBindDescriptorSets(s->cmd, VK_PIPELINE_BIND_POINT_COMPUTE, s->pipes[i]->layout, 0, 1, &s->sets[i], 0,
                                NULL);
        /* Items past one dispatch's group limit go in further dispatches, told apart by base. */
        uint64_t per = (uint64_t)max_groups * ctx->wg;
        for (uint64_t first = 0; first < g->items; first += per) {
            uint64_t left = g->items - first, n = left < per ? left : per;
            uint32_t pc[BV_VK_WL_PUSH_WORDS];
            memcpy(pc, g->push, sizeof pc);
            pc[0] = (uint32_t)n;
            pc[1] = (uint32_t)first;
            vkCmdPushConstants(s->cmd, s->pipes[i]->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof pc, pc);
            vkCmdDispatch(s->cmd, (uint32_t)((n + ctx->wg - 1) / ctx->wg), 1, 1);
            s->dispatches++;
        }
        if (s->qpool && (s->nts > 2 || i + 1 == ns))
            vkCmdWriteTimestamp(s->cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, s->qpool,
                                s->nts > 2 ? (uint32_t)i + 1 : 1);
    }
    /* Every buffer comes back, guards and all: the guards of each are checked, not only the
     * output's. */
    wl_barrier(s->cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT,
               VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_READ_BIT);
    for (size_t b = 0; b < nb; b++) {
        VkBufferCopy r[2];
        uint32_t k = wl_regions(s, b, !plan || plan->wanted[b], 0, s->soff[b], r);
        vkCmdCopyBuffer(s->cmd, s->bufs[b].buf, s->down.buf, k, r);
    }
    wl_barrier(s->cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_HOST_BIT,
               VK_ACCESS_HOST_READ_BIT);
    BV_VK_CHECK(vkEndCommandBuffer(s->cmd));
    return BV_OK;
fail:
    return st;
}

/* The buffers' images before the first submission: guards, then the initial data (or zeros). */
static void wl_fill(const bv_vk_context *ctx, const bv_vk_workload *w, const wl_state *s)
{
    uint32_t canary = bv_vk_canary(ctx);
    for (size_t b = 0; b < w->nbuffers; b++) {
        uint8_t *m = (uint8_t *)s->up.map + s->soff[b];
        bv_vk_fill_canary(m, s->guard[b], canary);
        if (w->buffers[b].init)
            memcpy(m + s->guard[b], w->buffers[b].init, w->buffers[b].bytes);
        else
            memset(m + s->guard[b], 0, w->buffers[b].bytes);
        memset(m + s->guard[b] + w->buffers[b].bytes, 0, s->data[b] - w->buffers[b].bytes);
        bv_vk_fill_canary(m + s->guard[b] + s->data[b], s->guard[b], canary);
    }
}

static bool wl_guards_ok(const bv_vk_context *ctx, const bv_vk_workload *w, const wl_state *s, char *msg, size_t n)
{
    uint32_t canary = bv_vk_canary(ctx);
    for (size_t b = 0; b < w->nbuffers; b++) {
        const uint8_t *m = (const uint8_t *)s->down.map + s->soff[b];
        size_t bad;
        if (!bv_vk_check_canary(m, s->guard[b], canary, &bad)) {
            snprintf(msg, n, "a stage wrote before buffer %zu (%zu bytes before its start)", b, s->guard[b] - bad);
            return false;
        }
        if (!bv_vk_check_canary(m + s->guard[b] + s->data[b], s->guard[b], canary, &bad)) {
            snprintf(msg, n, "a stage wrote past buffer %zu (%zu bytes past its end)", b,
                     bad + s->data[b] - w->buffers[b].bytes);
            return false;
        }
    }
    return true;
}

/* Frees what wl_prepare made for a set: everything while the device lives and is idle, else the
 * host arrays alone (its Vulkan objects go with the device). */
static void wl_release(bv_vk_context *ctx, const bv_vk_workload *w, wl_state *s, bool busy)
{
    if (ctx->device && !busy) {
        wl_destroy(ctx, w, s);
        return;
    }
    wl_free_owned_pipes(ctx, w, s, false);
    free(s->bufs);
    free(s->soff);
    free(s->guard);
    free(s->data);
    free(s->pipes);
    free(s->sets);
}

bv_status bv_vk_workload_run(bv_vk_context *ctx, const bv_vk_workload *w, bv_vk_result *res, bv_error *err)
{
    bv_status st = BV_OK;
    wl_state s = {0};
    double *kt = NULL, *wt = NULL, *pt = NULL; /* per repetition: whole, wall, each stage */
    bool busy = false;

    memset(res, 0, sizeof *res);
    if (!ctx->device)
        return bv_error_set(err, BV_ERR_DEVICE_LOST, "%s: the device was lost and could not be recreated", ctx->info.name);
    if ((st = wl_check(ctx, w, err)) != BV_OK)
        return st;
    uint32_t reps = w->reps ? w->reps : 1;
    kt = calloc(reps, sizeof *kt);
    wt = calloc(reps, sizeof *wt);
    pt = calloc((size_t)reps * (w->nstages ? w->nstages : 1), sizeof *pt);
    if (!kt || !wt || !pt) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if ((st = wl_prepare(ctx, w, &s, err)) != BV_OK || (st = wl_record(ctx, w, &s, NULL, err)) != BV_OK)
        goto fail;
    res->dispatches = s.dispatches;
    res->canary_ok = true;
    uint32_t nk = 0, warmup = w->warmup;
    const uint64_t warm_until = bv_time_ns() + (uint64_t)w->warm_ms * 1000000u;
    wl_fill(ctx, w, &s);
    for (uint32_t it = 0; it < warmup + reps; it++) {
        uint64_t t0 = bv_time_ns();
        /* Still warming: one more untimed submission (at most 10000 in all). */
        if (it == warmup && t0 < warm_until && warmup < 10000)
            warmup++;
        BV_VK_CHECK(vkResetFences(ctx->device, 1, &s.fence));
        VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &s.cmd};
        BV_VK_CHECK(vkQueueSubmit(ctx->queue, 1, &si, s.fence));
        st = bv_vk_wait_fence(ctx, s.fence, err);
        if (st) {
            /* The work may still be running: its objects go with the device, never under it. */
            busy = st == BV_ERR_TIMEOUT && bv_vk_drain(ctx) == BV_ERR_TIMEOUT;
            goto fail;
        }
        uint64_t t1 = bv_time_ns();
        double kns = -1, per[64];
        if (s.qpool) {
            if ((st = bv_vk_query_intervals(ctx, s.qpool, s.nts - 1, per, err)) != BV_OK)
                goto fail;
            kns = 0;
            for (uint32_t k = 0; k + 1 < s.nts; k++)
                kns += per[k];
        }
        char msg[256];
        if (!wl_guards_ok(ctx, w, &s, msg, sizeof msg) && res->canary_ok) {
            res->canary_ok = false;
            snprintf(res->canary_msg, sizeof res->canary_msg, "%s", msg);
        }
        if (it >= warmup) {
            wt[it - warmup] = (double)(t1 - t0);
            if (kns >= 0) {
                if (s.nts > 2)
                    for (size_t k = 0; k < w->nstages; k++)
                        pt[k * reps + nk] = per[k];
                kt[nk++] = kns;
            }
        }
    }
    for (size_t b = 0; b < w->nbuffers; b++)
        if (w->buffers[b].out)
            memcpy(w->buffers[b].out, (const uint8_t *)s.down.map + s.soff[b] + s.guard[b], w->buffers[b].bytes);
    bv_stats_of(wt, reps, &res->wall_ns);
    res->kernel_timed = nk == reps;
    if (res->kernel_timed)
        bv_stats_of(kt, nk, &res->kernel_ns);
    if (w->stage_ns)
        for (size_t k = 0; k < w->nstages; k++) {
            bv_stats ps = {0};
            if (res->kernel_timed && s.nts > 2)
                bv_stats_of(pt + k * reps, reps, &ps);
            w->stage_ns[k] = ps.median;
        }
fail:
    wl_release(ctx, w, &s, busy);
    free(kt);
    free(wt);
    free(pt);
    return st;
}

bv_status bv_vk_workload_batch(bv_vk_context *ctx, const bv_vk_workload *w, size_t nitems, unsigned ring,
                               const uint8_t *const *images, uint8_t *const *outs, bv_vk_result *res, bv_error *err)
{
    bv_status st = BV_OK;
    wl_state *sets = NULL;
    double *kt = NULL;
    bool *from_host = NULL, *wanted = NULL;
    bv_vk_buffer tmpl = {0};
    unsigned made = 0;
    bool busy = false;
    size_t nb = w->nbuffers, nk = 0;

    memset(res, 0, sizeof *res);
    if (!ctx->device)
        return bv_error_set(err, BV_ERR_DEVICE_LOST, "%s: the device was lost and could not be recreated", ctx->info.name);
    if (!nitems || !ring)
        return bv_error_set(err, BV_ERR_ARG, "bv_vk_workload_batch: no items or no buffer sets");
    if ((st = wl_check(ctx, w, err)) != BV_OK)
        return st;
    for (size_t i = 1; images && i < nitems; i++)
        for (size_t b = 0; b < nb; b++)
            if ((images[i * nb + b] != NULL) != (images[b] != NULL))
                return bv_error_set(err, BV_ERR_ARG, "bv_vk_workload_batch: buffer %zu has an image for some items only", b);
    if (ring > nitems)
        ring = (unsigned)nitems;
    bv_vk_workload one = *w;
    one.oneshot = false; /* the sets share the context's pipelines */
    sets = calloc(ring, sizeof *sets);
    kt = calloc(nitems, sizeof *kt);
    from_host = calloc(nb, sizeof *from_host);
    wanted = calloc(nb, sizeof *wanted);
    if (!sets || !kt || !from_host || !wanted) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (made = 0; made < ring;) {
        st = wl_prepare(ctx, &one, &sets[made], err);
        made++;
        if (st)
            goto fail;
        wl_fill(ctx, w, &sets[made - 1]);
    }
    /* Every buffer's image (guards, tables, zeros) goes to device memory once; each item then
     * restores its buffers from it at the device's own bandwidth. */
    for (size_t b = 0; b < nb; b++) {
        from_host[b] = images && images[b];
        for (size_t i = 0; outs && i < nitems && !wanted[b]; i++)
            wanted[b] = outs[i * nb + b] != NULL;
    }
    if ((st = bv_vk_buffer_ensure(ctx, &tmpl, sets[0].soff[nb], false,
                                  VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT, false, false,
                                  err)) != BV_OK)
        goto fail;
    {
        wl_state *s = &sets[0];
        VkCommandBufferBeginInfo cbbi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                         .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
        VkBufferCopy c = {.size = s->soff[nb]};
        BV_VK_CHECK(vkBeginCommandBuffer(s->cmd, &cbbi));
        wl_barrier(s->cmd, VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_HOST_WRITE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT,
                   VK_ACCESS_TRANSFER_READ_BIT);
        vkCmdCopyBuffer(s->cmd, s->up.buf, tmpl.buf, 1, &c);
        BV_VK_CHECK(vkEndCommandBuffer(s->cmd));
        BV_VK_CHECK(vkResetFences(ctx->device, 1, &s->fence));
        VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &s->cmd};
        BV_VK_CHECK(vkQueueSubmit(ctx->queue, 1, &si, s->fence));
        if ((st = bv_vk_wait_fence(ctx, s->fence, err))) {
            busy = st == BV_ERR_TIMEOUT && bv_vk_drain(ctx) == BV_ERR_TIMEOUT;
            goto fail;
        }
    }
    wl_copy_plan plan = {.tmpl = tmpl.buf, .from_host = from_host, .wanted = wanted};
    for (unsigned k = 0; k < made; k++)
        if ((st = wl_record(ctx, w, &sets[k], &plan, err)) != BV_OK)
            goto fail;
    res->dispatches = sets[0].dispatches;
    res->canary_ok = true;
    uint64_t t0 = bv_time_ns();
    /* Step i retires item i - ring (whose set item i takes) and submits item i. */
    for (size_t i = 0; i < nitems + ring; i++) {
        if (i >= ring) {
            size_t j = i - ring;
            wl_state *s = &sets[j % ring];
            if ((st = bv_vk_wait_fence(ctx, s->fence, err))) {
                busy = st == BV_ERR_TIMEOUT && bv_vk_drain(ctx) == BV_ERR_TIMEOUT;
                goto fail;
            }
            if (s->qpool) {
                double per[65];
                if ((st = bv_vk_query_intervals(ctx, s->qpool, s->nts - 1, per, err)) != BV_OK)
                    goto fail;
                double kns = 0;
                for (uint32_t k = 0; k + 1 < s->nts; k++)
                    kns += per[k];
                kt[nk++] = kns;
            }
            char msg[256];
            if (!wl_guards_ok(ctx, w, s, msg, sizeof msg) && res->canary_ok) {
                res->canary_ok = false;
                snprintf(res->canary_msg, sizeof res->canary_msg, "item %zu: %s", j, msg);
            }
            for (size_t b = 0; outs && b < nb; b++)
                if (outs[j * nb + b])
                    memcpy(outs[j * nb + b], (const uint8_t *)s->down.map + s->soff[b] + s->guard[b],
                           w->buffers[b].bytes);
        }
        if (i < nitems) {
            wl_state *s = &sets[i % ring];
            for (size_t b = 0; images && b < nb; b++)
                if (images[i * nb + b])
                    memcpy((uint8_t *)s->up.map + s->soff[b] + s->guard[b], images[i * nb + b], w->buffers[b].bytes);
            BV_VK_CHECK(vkResetFences(ctx->device, 1, &s->fence));
            VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &s->cmd};
            BV_VK_CHECK(vkQueueSubmit(ctx->queue, 1, &si, s->fence));
        }
    }
    double wall = (double)(bv_time_ns() - t0);
    bv_stats_of(&wall, 1, &res->wall_ns);
    res->kernel_timed = nk == nitems;
    if (res->kernel_timed)
        bv_stats_of(kt, nk, &res->kernel_ns);
fail:
    if (st && !busy && ctx->device && made)
        busy = bv_vk_drain(ctx) == BV_ERR_TIMEOUT; /* submitted items may still run */
    for (unsigned k = 0; k < made; k++)
        wl_release(ctx, w, &sets[k], busy);
    if (ctx->device && !busy)
        bv_vk_buffer_destroy(ctx->device, &tmpl);
    free(sets);
    free(kt);
    free(from_host);
    free(wanted);
    return st;
}
