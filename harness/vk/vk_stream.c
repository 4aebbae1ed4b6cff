/* harness/vk/vk_stream.c: pipelined mode. Jobs are cut into chunks that flow through a ring of
 * buffer sets: upload (transfer queue), dispatch (compute queue), download (transfer queue),
 * each stage ordered by its own timeline semaphore, so that the stages of neighbouring chunks
 * overlap. */
#define _GNU_SOURCE
#include "vk_stream.h"

#include <stdlib.h>
#include <string.h>

size_t bv_vk_default_chunk_elems(const bv_vk_context *ctx, size_t eb)
{
    /* Big enough that per-chunk submission costs vanish against the transfer (a few MB a
     * chunk on a GPU), small enough that several chunks are in flight for a medium job. A
     * CPU device has no link to hide: smaller chunks keep its memory use low. */
    size_t c = ctx->info.device_type == VK_PHYSICAL_DEVICE_TYPE_CPU ? (size_t)1 << 14 : (size_t)1 << 18;
    uint64_t by_range = ctx->info.max_storage_buffer_range / (eb ? eb : 1);
    if (by_range < c)
        c = (size_t)by_range;
    return c ? c : 1;
}

static void ownership(VkCommandBuffer cmd, VkBuffer buf, uint32_t from, uint32_t to, VkPipelineStageFlags src_stage,
                      VkAccessFlags src_access, VkPipelineStageFlags dst_stage, VkAccessFlags dst_access)
{
    VkBufferMemoryBarrier b = {.sType = VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER,
                               .srcAccessMask = src_access,
                               .dstAccessMask = dst_access,
                               .srcQueueFamilyIndex = from,
                               .dstQueueFamilyIndex = to,
                               .buffer = buf,
                               .offset = 0,
                               .size = VK_WHOLE_SIZE};
    vkCmdPipelineBarrier(cmd, src_stage, dst_stage, 0, 0, NULL, 1, &b, 0, NULL);
}

static void mem_barrier(VkCommandBuffer cmd, VkPipelineStageFlags src, VkAccessFlags sa, VkPipelineStageFlags dst,
                        VkAccessFlags da)
{
    VkMemoryBarrier mb = {.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER, .srcAccessMask = sa, .dstAccessMask = da};
    vkCmdPipelineBarrier(cmd, src, dst, 0, 1, &mb, 0, NULL, 0, NULL);
}

static bv_status submit(VkQueue q, VkCommandBuffer cmd, VkSemaphore wait, uint64_t wait_value,
                        VkPipelineStageFlags wait_stage, VkSemaphore signal, uint64_t signal_value, bv_error *err)
{
    bv_status st = BV_OK;
    VkTimelineSemaphoreSubmitInfo ts = {.sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO,
                                        .waitSemaphoreValueCount = wait ? 1 : 0,
                                        .pWaitSemaphoreValues = &wait_value,
                                        .signalSemaphoreValueCount = 1,
                                        .pSignalSemaphoreValues = &signal_value};
    VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
                       .pNext = &ts,
                       .waitSemaphoreCount = wait ? 1 : 0,
                       .pWaitSemaphores = &wait,
                       .pWaitDstStageMask = &wait_stage,
                       .commandBufferCount = 1,
                       .pCommandBuffers = &cmd,
                       .signalSemaphoreCount = 1,
                       .pSignalSemaphores = &signal};
    BV_VK_CHECK(vkQueueSubmit(q, 1, &si, VK_NULL_HANDLE));
fail:
    return st;
}

/* Records and submits the three stages of chunk k (in slot k % nslots) at timeline base. */
static bv_status launch(stream_state *S, size_t k, uint64_t base, bv_error *err)
{
    bv_status st = BV_OK;
    bv_vk_context *ctx = S->ctx;
    slot *sl = &S->slots[k % S->nslots];
    const chunk *c = &S->chunks[k];
    const bv_vk_stream_job *job = &S->s->jobs[c->job];
    size_t xoff = c->first * S->eb_x, xbytes = c->count * S->eb_x;
    size_t yoff = c->first * S->eb_y, ybytes = c->count * S->eb_y;
    size_t ooff = c->first * S->eb_out, obytes = c->count * S->eb_out;
    uint32_t cf = ctx->info.compute_queue_family, tf = ctx->tfamily;
    VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                   .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
    uint32_t q0 = (uint32_t)(6 * k);
    sl->chunk = k;

    /* Upload: inputs x and y in one copy command. */
    VkCommandBuffer *cmds = S->ahead ? &S->ahead_cmd[3 * k] : sl->cmd;
    VkCommandBuffer cmd = cmds[ST_UP];
    BV_VK_CHECK(vkBeginCommandBuffer(cmd, &bi));
    if (S->timed) {
        if (!ctx->info.host_query_reset)
            st = bv_vk_query_reset(ctx, BV_VK_ROLE_UPLOAD, cmd, S->qpool, q0, 2, err);
        if (!st)
            st = bv_vk_cmd_check(ctx, BV_VK_ROLE_UPLOAD, BV_VK_CAN_TIMESTAMP, "vkCmdWriteTimestamp", err);
        if (st)
            goto fail;
        vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, S->qpool, q0);
    }
    VkBufferCopy regions[2];
    uint32_t nreg = 0;
    VkBuffer src;
    if (S->pinned) {
        VkDeviceSize xo = 0, yo = 0;
        const bv_vk_buffer *xb = bv_vk_pinned_find(ctx, job->x + xoff, xbytes, &xo);
        src = xb->buf;
        regions[nreg++] = (VkBufferCopy){.srcOffset = xo, .dstOffset = 0, .size = xbytes};
        if (S->s->arity == 2) {
            const bv_vk_buffer *yb = bv_vk_pinned_find(ctx, job->y + yoff, ybytes, &yo);
            if (yb->buf == xb->buf) {
                regions[nreg++] = (VkBufferCopy){.srcOffset = yo, .dstOffset = S->in_y_off, .size = ybytes};
            } else {
                VkBufferCopy r = {.srcOffset = yo, .dstOffset = S->in_y_off, .size = ybytes};
                vkCmdCopyBuffer(cmd, yb->buf, sl->in.buf, 1, &r);
            }
        }
    } else {
        memcpy(sl->up.map, job->x + xoff, xbytes);
        regions[nreg++] = (VkBufferCopy){.srcOffset = 0, .dstOffset = 0, .size = xbytes};
        if (S->s->arity == 2) {
            memcpy((uint8_t *)sl->up.map + S->in_y_off, job->y + yoff, ybytes);
            regions[nreg++] = (VkBufferCopy){.srcOffset = S->in_y_off, .dstOffset = S->in_y_off, .size = ybytes};
        }
        src = sl->up.buf;
    }
    vkCmdCopyBuffer(cmd, src, sl->in.buf, nreg, regions);
    if (S->separate)
        ownership(cmd, sl->in.buf, tf, cf, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
                  VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, 0);
    if (S->timed)
        vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, S->qpool, q0 + 1);
    BV_VK_CHECK(vkEndCommandBuffer(cmd));
    /* The slot is free once the download of the chunk it held before is done. */
    uint64_t wait_down = k >= S->nslots ? base + (k - S->nslots) + 1 : 0;
    st = submit(ctx->tqueue, cmd, wait_down ? S->sem[ST_DOWN] : VK_NULL_HANDLE, wait_down,
                VK_PIPELINE_STAGE_TRANSFER_BIT, S->sem[ST_UP], base + k + 1, err);
    if (st)
        goto fail;

    /* Compute: canaries into the output ring slot, then the kernel. */
    cmd = cmds[ST_COMP];
    BV_VK_CHECK(vkBeginCommandBuffer(cmd, &bi));
    if (S->timed) {
        if (!ctx->info.host_query_reset)
            st = bv_vk_query_reset(ctx, BV_VK_ROLE_COMPUTE, cmd, S->qpool, q0 + 2, 2, err);
        if (st)
            goto fail;
        vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, S->qpool, q0 + 2);
    }
    if ((st = bv_vk_cmd_check(ctx, BV_VK_ROLE_COMPUTE, BV_VK_CAN_COMPUTE, "vkCmdDispatch", err)) != BV_OK)
        goto fail;
    if (S->separate)
        ownership(cmd, sl->in.buf, tf, cf, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, 0,
                  VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT);
    vkCmdFillBuffer(cmd, sl->out.buf, 0, S->out_bytes, bv_vk_canary(ctx));
    mem_barrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
                VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, S->pipe->pipeline);
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, S->pipe->layout, 0, 1, &sl->set, 0, NULL);
    size_t per = (size_t)ctx->wg * ctx->info.max_workgroup_count[0];
    for (size_t b = 0; b < c->count; b += per) {
        uint32_t n = (uint32_t)(c->count - b < per ? c->count - b : per);
        uint32_t pc[2] = {n, (uint32_t)b};
        vkCmdPushConstants(cmd, S->pipe->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof pc, pc);
        vkCmdDispatch(cmd, (n + ctx->wg - 1) / ctx->wg, 1, 1);
    }
    if (S->separate)
        ownership(cmd, sl->out.buf, cf, tf, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT,
                  VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, 0);
    if (S->timed)
        vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, S->qpool, q0 + 3);
    BV_VK_CHECK(vkEndCommandBuffer(cmd));
    st = submit(ctx->queue, cmd, S->sem[ST_UP], base + k + 1,
                VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, S->sem[ST_COMP], base + k + 1,
                err);
    if (st)
        goto fail;

    /* Download: the outputs (straight into pinned memory when they are pinned) and the guards. */
    cmd = cmds[ST_DOWN];
    BV_VK_CHECK(vkBeginCommandBuffer(cmd, &bi));
    if (S->timed) {
        if (!ctx->info.host_query_reset)
            st = bv_vk_query_reset(ctx, BV_VK_ROLE_DOWNLOAD, cmd, S->qpool, q0 + 4, 2, err);
        if (!st)
            st = bv_vk_cmd_check(ctx, BV_VK_ROLE_DOWNLOAD, BV_VK_CAN_TIMESTAMP, "vkCmdWriteTimestamp", err);
        if (st)
            goto fail;
        vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, S->qpool, q0 + 4);
    }
    if (S->separate)
        ownership(cmd, sl->out.buf, cf, tf, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, 0, VK_PIPELINE_STAGE_TRANSFER_BIT,
                  VK_ACCESS_TRANSFER_READ_BIT);
    if (S->pinned) {
        VkDeviceSize oo = 0;
        const bv_vk_buffer *ob = bv_vk_pinned_find(ctx, job->out + ooff, obytes, &oo);
        VkBufferCopy r = {.srcOffset = S->guard, .dstOffset = oo, .size = obytes};
        vkCmdCopyBuffer(cmd, sl->out.buf, ob->buf, 1, &r);
        VkDeviceSize gb = S->ahead ? 2 * S->guard * k : 0;
        VkBufferCopy g[2] = {{.srcOffset = 0, .dstOffset = gb, .size = S->guard},
                             {.srcOffset = S->guard + obytes, .dstOffset = gb + S->guard, .size = S->guard}};
        vkCmdCopyBuffer(cmd, sl->out.buf, S->ahead ? S->ahead_guards.buf : sl->down.buf, 2, g);
    } else {
        VkBufferCopy r = {.srcOffset = 0, .dstOffset = 0, .size = 2 * S->guard + obytes};
        vkCmdCopyBuffer(cmd, sl->out.buf, sl->down.buf, 1, &r);
    }
    mem_barrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_HOST_BIT,
                VK_ACCESS_HOST_READ_BIT);
    if (S->timed)
        vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, S->qpool, q0 + 5);
    BV_VK_CHECK(vkEndCommandBuffer(cmd));
    st = submit(ctx->dqueue, cmd, S->sem[ST_COMP], base + k + 1, VK_PIPELINE_STAGE_TRANSFER_BIT, S->sem[ST_DOWN],
                base + k + 1, err);
fail:
    return st;
}

static bv_status wait_value(stream_state *S, uint64_t v, bv_error *err)
{
    VkSemaphoreWaitInfo wi = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO,
                              .semaphoreCount = 1,
                              .pSemaphores = &S->sem[ST_DOWN],
                              .pValues = &v};
    VkResult r = vkWaitSemaphores(S->ctx->device, &wi, (uint64_t)S->ctx->opts.timeout_ms * 1000000ull);
    if (r != VK_SUCCESS) {
        bv_status st = bv_vk_fail(err, "vkWaitSemaphores", r);
        if (r == VK_TIMEOUT)
            bv_error_prefix(err, "no completion within %u ms", S->ctx->opts.timeout_ms);
        return st;
    }
    return BV_OK;
}

/* After chunk k's download: outputs into place (unless pinned), guards checked, the slot's
 * command pools ready for reuse. */
static bv_status collect(stream_state *S, size_t k, bv_vk_stream_result *res, bv_error *err)
{
    bv_status st = BV_OK;
    slot *sl = &S->slots[k % S->nslots];
    const chunk *c = &S->chunks[k];
    const bv_vk_stream_job *job = &S->s->jobs[c->job];
    size_t bytes = c->count * S->eb_out, bad = 0;
    const uint8_t *d = S->ahead ? (const uint8_t *)S->ahead_guards.map + 2 * S->guard * k : sl->down.map;
    const uint8_t *after = S->pinned ? d + S->guard : d + S->guard + bytes;
    if (!S->pinned)
        memcpy(job->out + c->first * S->eb_out, d + S->guard, bytes);
    if (res->canary_ok && (!bv_vk_check_canary(d, S->guard, bv_vk_canary(S->ctx), &bad) ||
                          !bv_vk_check_canary(after, S->guard, bv_vk_canary(S->ctx), &bad))) {
        res->canary_ok = false;
        snprintf(res->canary_msg, sizeof res->canary_msg,
                 "kernel wrote outside its output range in chunk %zu (job %zu, elements %zu..%zu)", k, c->job,
                 c->first, c->first + c->count - 1);
    }
    if (!S->ahead) {
        BV_VK_CHECK(vkResetCommandPool(S->ctx->device, sl->pool_t, 0));
        BV_VK_CHECK(vkResetCommandPool(S->ctx->device, sl->pool_c, 0));
    }
    sl->chunk = SIZE_MAX;
fail:
    return st;
}

static bv_status read_timings(stream_state *S, bv_vk_stream_result *res, bv_error *err)
{
    bv_status st = BV_OK;
    uint64_t *ts = calloc(6 * S->nchunks, sizeof *ts);
    res->chunk = calloc(S->nchunks, sizeof *res->chunk);
    if (!ts || !res->chunk) {
        free(ts);
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    }
    BV_VK_CHECK(vkGetQueryPoolResults(S->ctx->device, S->qpool, 0, (uint32_t)(6 * S->nchunks),
                                      6 * S->nchunks * sizeof *ts, ts, sizeof *ts,
                                      VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT));
    uint64_t t0 = ts[0];
    uint64_t tend = 0;
    for (size_t i = 0; i < 6 * S->nchunks; i++) {
        if (ts[i] < t0)
            t0 = ts[i];
        if (ts[i] > tend)
            tend = ts[i];
    }
    double p = S->ctx->info.timestamp_period;
    memset(res->busy_ns, 0, sizeof res->busy_ns);
    for (size_t k = 0; k < S->nchunks; k++) {
        bv_vk_chunk_timing *t = &res->chunk[k];
        const uint64_t *q = ts + 6 * k;
        t->job = S->chunks[k].job;
        t->first = S->chunks[k].first;
        t->count = S->chunks[k].count;
        double *stage[3] = {t->up, t->comp, t->down};
        for (int s = 0; s < 3; s++) {
            stage[s][0] = (double)(q[2 * s] - t0) * p;
            stage[s][1] = (double)(q[2 * s + 1] - t0) * p;
            res->busy_ns[s] += stage[s][1] - stage[s][0];
        }
    }
    res->span_ns = (double)(tend - t0) * p;
fail:
    free(ts);
    return st;
}

bv_status bv_vk_run_stream(bv_vk_context *ctx, const bv_vk_stream *s, bv_vk_stream_result *res, bv_error *err)
{
    bv_status st = BV_OK;
    stream_state S = {.ctx = ctx, .s = s};
    double *wt = NULL;
    memset(res, 0, sizeof *res);
    res->canary_ok = true;
    if (!ctx->device)
        return bv_error_set(err, BV_ERR_DEVICE_LOST, "%s: the device was lost and could not be recreated",
                            ctx->info.name);
    if (!ctx->info.timeline_semaphore)
        return bv_error_set(err, BV_ERR_UNSUPPORTED, "pipelined mode needs timeline semaphores (Vulkan 1.2)");
    S.eb_out = s->out_bytes ? s->out_bytes : s->elem_bytes;
    S.eb_x = s->x_bytes ? s->x_bytes : s->elem_bytes;
    S.eb_y = s->arity == 2 ? (s->y_bytes ? s->y_bytes : s->elem_bytes) : 0;
    if ((s->arity != 1 && s->arity != 2) || !s->code || s->code_size % 4 || S.eb_out == 0 || S.eb_x == 0 ||
        (s->arity == 2 && S.eb_y == 0) || (S.eb_out | S.eb_x | S.eb_y) % 4 || (s->njobs && !s->jobs))
        return bv_error_set(err, BV_ERR_ARG, "bv_vk_run_stream: inconsistent stream");
    /* Chunk limits follow the widest array. */
    size_t eb_max = S.eb_out > S.eb_x ? S.eb_out : S.eb_x;
    if (S.eb_y > eb_max)
        eb_max = S.eb_y;
    S.nslots = s->buffers ? s->buffers : DEFAULT_BUFFERS;
    if (S.nslots > MAX_BUFFERS)
        return bv_error_set(err, BV_ERR_ARG, "at most %u buffer sets", MAX_BUFFERS);
    S.cap = s->chunk_elems;
    if (!S.cap) {
        const char *env = getenv("BLSVK_CHUNK_ELEMS");
        char *end = NULL;
        unsigned long long v = env ? strtoull(env, &end, 10) : 0;
        if (env && (!*env || *end || v == 0))
            return bv_error_set(err, BV_ERR_ARG, "BLSVK_CHUNK_ELEMS='%s' is not a positive whole number", env);
        S.cap = v ? (size_t)v : bv_vk_default_chunk_elems(ctx, eb_max);
        /* A stream of few chunks spends most of its time filling and draining the pipeline,
         * one of many tiny chunks in submission latency (tens of microseconds a chunk): by
         * default aim at 16 chunks, none under 64K elements (a few MB, over 100 us of link). */
        size_t total = 0, floor_elems = (size_t)1 << 16;
        for (size_t j = 0; j < s->njobs; j++)
            total += s->jobs[j].count;
        if (!v && total / 16 < S.cap)
            S.cap = total / 16 > floor_elems ? total / 16 : floor_elems;
        if (S.cap > bv_vk_default_chunk_elems(ctx, eb_max) && !v)
            S.cap = bv_vk_default_chunk_elems(ctx, eb_max);
    }
    uint64_t by_range = ctx->info.max_storage_buffer_range / eb_max;
    if (S.cap > by_range)
        S.cap = (size_t)by_range;
    if (S.cap == 0)
        return bv_error_set(err, BV_ERR_UNSUPPORTED, "the device cannot bind one element");
    res->chunk_elems = S.cap;
    res->buffers = S.nslots;
    S.separate = ctx->tfamily != ctx->info.compute_queue_family;
    res->transfer_queue = S.separate;
    /* Every stage is timed or none: each role needs timestamps and queries it can have reset. */
    S.timed = bv_vk_role_timed(ctx, BV_VK_ROLE_COMPUTE) && bv_vk_role_timed(ctx, BV_VK_ROLE_UPLOAD) &&
              bv_vk_role_timed(ctx, BV_VK_ROLE_DOWNLOAD);
    /* Zero-copy only when every array of every job is pinned. */
    S.pinned = s->njobs > 0;
    for (size_t j = 0; j < s->njobs && S.pinned; j++) {
        VkDeviceSize o;
        size_t n = s->jobs[j].count;
        S.pinned = bv_vk_pinned_find(ctx, s->jobs[j].x, n * S.eb_x, &o) &&
                   bv_vk_pinned_find(ctx, s->jobs[j].out, n * S.eb_out, &o) &&
                   (s->arity == 1 || bv_vk_pinned_find(ctx, s->jobs[j].y, n * S.eb_y, &o));
    }
    res->pinned = S.pinned;
    S.ahead = S.pinned;
    st = bv_vk_stream_plan(&S, err);
    if (st)
        goto fail;
    res->chunks = S.nchunks;
    if (S.nchunks == 0)
        goto done;
    st = bv_vk_pipeline_get(ctx, s->code, s->code_size, s->arity, NULL, true, &S.pipe, err);
    if (!st)
        st = bv_vk_stream_setup(&S, err);
    if (st)
        goto fail;

    uint32_t reps = s->reps ? s->reps : 1;
    wt = calloc(reps, sizeof *wt);
    if (!wt) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (uint32_t it = 0; it < s->warmup + reps; it++) {
        uint64_t base = (uint64_t)it * S.nchunks;
        uint64_t t0 = bv_time_ns();
        /* The previous repetition has finished with every query: reset them all from the host, so
         * that no transfer-family command buffer records a reset. */
        if (S.timed && ctx->info.host_query_reset)
            vkResetQueryPool(ctx->device, S.qpool, 0, (uint32_t)(6 * S.nchunks));
        for (size_t k = 0; k < S.nchunks && S.ahead; k++) {
            st = launch(&S, k, base, err);
            if (st)
                goto fail;
        }
        for (size_t k = 0; k < S.nchunks && S.ahead; k++) {
            st = wait_value(&S, base + k + 1, err);
            if (!st)
                st = collect(&S, k, res, err);
            if (st)
                goto fail;
        }
        if (S.ahead) {
            BV_VK_CHECK(vkResetCommandPool(ctx->device, S.ahead_pool_t, 0));
            BV_VK_CHECK(vkResetCommandPool(ctx->device, S.ahead_pool_c, 0));
        }
        for (size_t k = 0; k < S.nchunks && !S.ahead; k++) {
            if (k >= S.nslots) {
                st = wait_value(&S, base + (k - S.nslots) + 1, err);
                if (!st)
                    st = collect(&S, k - S.nslots, res, err);
                if (st)
                    goto fail;
            }
            st = launch(&S, k, base, err);
            if (st)
                goto fail;
        }
        size_t first = S.nchunks > S.nslots ? S.nchunks - S.nslots : 0;
        for (size_t k = first; k < S.nchunks && !S.ahead; k++) {
            st = wait_value(&S, base + k + 1, err);
            if (!st)
                st = collect(&S, k, res, err);
            if (st)
                goto fail;
        }
        if (it >= s->warmup)
            wt[it - s->warmup] = (double)(bv_time_ns() - t0);
    }
    bv_stats_of(wt, reps, &res->wall_ns);
    if (S.timed) {
        st = read_timings(&S, res, err);
        if (st)
            goto fail;
        res->timed = true;
    }
done:
    free(wt);
    bv_vk_stream_teardown(&S);
    return BV_OK;
fail:
    free(wt);
    /* After a timeout, work may still reference the objects: they are destroyed once the
     * device is idle (or lost), else abandoned with the device at the reset that follows. */
    if (st != BV_ERR_TIMEOUT || bv_vk_drain(ctx) != BV_ERR_TIMEOUT) {
        if (ctx->device && st != BV_ERR_TIMEOUT)
            BV_IGNORE(vkDeviceWaitIdle(ctx->device) != VK_SUCCESS);
        bv_vk_stream_teardown(&S);
    } else {
        free(S.slots);
        free(S.chunks);
    }
    return st;
}

void bv_vk_stream_result_free(bv_vk_stream_result *res)
{
    if (!res)
        return;
    free(res->chunk);
    res->chunk = NULL;
}

