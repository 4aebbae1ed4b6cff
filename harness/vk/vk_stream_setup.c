/* harness/vk/vk_stream_setup.c: what a pipelined run is made of: its chunks, and per buffer set
 * the device buffers, staging, descriptor set, command buffers, semaphores and timestamp queries. */
#define _GNU_SOURCE
#include "vk_stream.h"

#include <stdlib.h>
#include <string.h>

bv_status bv_vk_stream_plan(stream_state *S, bv_error *err)
{
    size_t n = 0;
    for (size_t j = 0; j < S->s->njobs; j++)
        n += (S->s->jobs[j].count + S->cap - 1) / S->cap;
    S->chunks = calloc(n ? n : 1, sizeof *S->chunks);
    if (!S->chunks)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory planning %zu chunks", n);
    for (size_t j = 0; j < S->s->njobs; j++)
        for (size_t f = 0; f < S->s->jobs[j].count; f += S->cap) {
            size_t c = S->s->jobs[j].count - f;
            S->chunks[S->nchunks++] = (chunk){.job = j, .first = f, .count = c < S->cap ? c : S->cap};
        }
    return BV_OK;
}

void bv_vk_stream_teardown(stream_state *S)
{
    VkDevice d = S->ctx->device;
    if (!d)
        return;
    for (uint32_t i = 0; S->slots && i < S->nslots; i++) {
        slot *sl = &S->slots[i];
        bv_vk_buffer_destroy(d, &sl->in);
        bv_vk_buffer_destroy(d, &sl->out);
        bv_vk_buffer_destroy(d, &sl->up);
        bv_vk_buffer_destroy(d, &sl->down);
        if (sl->pool_t)
            vkDestroyCommandPool(d, sl->pool_t, NULL);
        if (sl->pool_c)
            vkDestroyCommandPool(d, sl->pool_c, NULL);
    }
    free(S->slots);
    if (S->ahead_pool_t)
        vkDestroyCommandPool(d, S->ahead_pool_t, NULL);
    if (S->ahead_pool_c)
        vkDestroyCommandPool(d, S->ahead_pool_c, NULL);
    free(S->ahead_cmd);
    bv_vk_buffer_destroy(d, &S->ahead_guards);
    for (int k = 0; k < N_STAGES; k++)
        if (S->sem[k])
            vkDestroySemaphore(d, S->sem[k], NULL);
    if (S->dpool)
        vkDestroyDescriptorPool(d, S->dpool, NULL);
    if (S->qpool)
        vkDestroyQueryPool(d, S->qpool, NULL);
    free(S->chunks);
}

static bv_status make_pool(bv_vk_context *ctx, uint32_t family, VkCommandPool *pool, bv_error *err)
{
    bv_status st = BV_OK;
    VkCommandPoolCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                  .flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT,
                                  .queueFamilyIndex = family};
    BV_VK_CHECK(vkCreateCommandPool(ctx->device, &ci, NULL, pool));
fail:
    return st;
}

bv_status bv_vk_stream_setup(stream_state *S, bv_error *err)
{
    bv_status st = BV_OK;
    bv_vk_context *ctx = S->ctx;
    VkDevice d = ctx->device;
    unsigned arity = S->s->arity;
    uint64_t align = ctx->info.min_storage_buffer_offset_alignment;
    VkBufferUsageFlags dev_usage =
        VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT;
    VkBufferUsageFlags host_usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;

    size_t out_chunk, x_chunk, y_chunk;
    if (bv_size_mul(S->cap, S->eb_out, &out_chunk) || bv_size_mul(S->cap, S->eb_x, &x_chunk) ||
        bv_size_mul(S->cap, S->eb_y, &y_chunk) || x_chunk > SIZE_MAX - align || out_chunk > SIZE_MAX / 2)
        return bv_error_set(err, BV_ERR_OVERFLOW, "chunk too large");
    S->in_y_off = (size_t)((x_chunk + align - 1) / align * align);
    S->in_bytes = arity == 2 ? S->in_y_off + y_chunk : x_chunk;
    S->guard = bv_vk_guard_bytes(ctx, S->eb_out);
    S->out_bytes = S->guard + out_chunk + S->guard;

    S->slots = calloc(S->nslots, sizeof *S->slots);
    if (!S->slots)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    VkDescriptorPoolSize ps = {.type = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, .descriptorCount = 3 * S->nslots};
    VkDescriptorPoolCreateInfo dpci = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
                                       .maxSets = S->nslots,
                                       .poolSizeCount = 1,
                                       .pPoolSizes = &ps};
    BV_VK_CHECK(vkCreateDescriptorPool(d, &dpci, NULL, &S->dpool));
    for (uint32_t i = 0; i < S->nslots; i++) {
        slot *sl = &S->slots[i];
        sl->chunk = SIZE_MAX;
        st = bv_vk_buffer_ensure(ctx, &sl->in, S->in_bytes, false, dev_usage, false, false, err);
        if (!st)
            st = bv_vk_buffer_ensure(ctx, &sl->out, S->out_bytes, false, dev_usage, false, false, err);
        if (!st && !S->pinned)
            st = bv_vk_buffer_ensure(ctx, &sl->up, S->in_bytes, true, host_usage, false, false, err);
        /* Guards come back through `down` even when outputs go straight to pinned memory. */
        if (!st)
            st = bv_vk_buffer_ensure(ctx, &sl->down, S->pinned ? 2 * S->guard : S->out_bytes, true, host_usage,
                                     true, false, err);
        if (!st)
            st = make_pool(ctx, ctx->tfamily, &sl->pool_t, err);
        if (!st)
            st = make_pool(ctx, ctx->info.compute_queue_family, &sl->pool_c, err);
        if (st)
            goto fail;
        VkCommandBufferAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                          .commandPool = sl->pool_t,
                                          .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                          .commandBufferCount = 1};
        BV_VK_CHECK(vkAllocateCommandBuffers(d, &ai, &sl->cmd[ST_UP]));
        BV_VK_CHECK(vkAllocateCommandBuffers(d, &ai, &sl->cmd[ST_DOWN]));
        ai.commandPool = sl->pool_c;
        BV_VK_CHECK(vkAllocateCommandBuffers(d, &ai, &sl->cmd[ST_COMP]));

        VkDescriptorSetAllocateInfo dsai = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
                                            .descriptorPool = S->dpool,
                                            .descriptorSetCount = 1,
                                            .pSetLayouts = &S->pipe->dsl};
        BV_VK_CHECK(vkAllocateDescriptorSets(d, &dsai, &sl->set));
        VkDescriptorBufferInfo bi[3] = {
            /* The guard after the chunk inside the range (see bv_vk_guard_bytes). */
            {.buffer = sl->out.buf, .offset = S->guard, .range = out_chunk + S->guard},
            {.buffer = sl->in.buf, .offset = 0, .range = x_chunk},
            {.buffer = sl->in.buf, .offset = S->in_y_off, .range = y_chunk ? y_chunk : x_chunk},
        };
        VkWriteDescriptorSet wr = {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
                                   .dstSet = sl->set,
                                   .descriptorCount = arity + 1,
                                   .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                                   .pBufferInfo = bi};
        vkUpdateDescriptorSets(d, 1, &wr, 0, NULL);
    }
    if (S->ahead) {
        size_t gbytes;
        S->ahead_cmd = calloc(3 * S->nchunks, sizeof *S->ahead_cmd);
        if (!S->ahead_cmd || bv_size_mul(S->nchunks, 2 * S->guard, &gbytes)) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        st = bv_vk_buffer_ensure(ctx, &S->ahead_guards, gbytes, true, host_usage, true, false, err);
        if (!st)
            st = make_pool(ctx, ctx->tfamily, &S->ahead_pool_t, err);
        if (!st)
            st = make_pool(ctx, ctx->info.compute_queue_family, &S->ahead_pool_c, err);
        if (st)
            goto fail;
        VkCommandBufferAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                          .commandPool = S->ahead_pool_t,
                                          .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                          .commandBufferCount = 1};
        for (size_t k = 0; k < S->nchunks; k++) {
            ai.commandPool = S->ahead_pool_t;
            BV_VK_CHECK(vkAllocateCommandBuffers(d, &ai, &S->ahead_cmd[3 * k + ST_UP]));
            BV_VK_CHECK(vkAllocateCommandBuffers(d, &ai, &S->ahead_cmd[3 * k + ST_DOWN]));
            ai.commandPool = S->ahead_pool_c;
            BV_VK_CHECK(vkAllocateCommandBuffers(d, &ai, &S->ahead_cmd[3 * k + ST_COMP]));
        }
    }
    for (int k = 0; k < N_STAGES; k++) {
        VkSemaphoreTypeCreateInfo tci = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
                                         .semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE,
                                         .initialValue = 0};
        VkSemaphoreCreateInfo sci = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO, .pNext = &tci};
        BV_VK_CHECK(vkCreateSemaphore(d, &sci, NULL, &S->sem[k]));
    }
    if (S->timed) {
        VkQueryPoolCreateInfo qpci = {.sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO,
                                      .queryType = VK_QUERY_TYPE_TIMESTAMP,
                                      .queryCount = (uint32_t)(6 * S->nchunks)};
        BV_VK_CHECK(vkCreateQueryPool(d, &qpci, NULL, &S->qpool));
    }
    return BV_OK;
fail:
    return st;
}

