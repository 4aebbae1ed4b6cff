/* harness/vk/vk_exec.c: one-shot and persistent mode: one kernel over one job, dispatches split
 * within device limits, staging or host-visible buffers, GPU timestamps and fence waits that
 * time out. Pipelined mode (vk_stream.c) is its peer; both sit on vk_context.c and below. */
#define _GNU_SOURCE
#include "vk_internal.h"

#include <stdlib.h>
#include <string.h>


static size_t gcd_size(size_t a, size_t b)
{
    while (b) {
        size_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

bv_status bv_vk_plan(size_t count, const size_t *ebs, unsigned nb, uint32_t wg, uint32_t max_groups,
                     uint64_t max_range, uint64_t align, bv_vk_dispatch **out, size_t *n, bv_error *err)
{
    *out = NULL;
    *n = 0;
    if (nb == 0 || wg == 0 || max_groups == 0 || align == 0)
        return bv_error_set(err, BV_ERR_ARG, "plan: no binding, or zero workgroup size, group limit or alignment");
    /* A window must start at a byte offset that is a multiple of align in every binding: window
     * starts are multiples of `step` elements, the least common multiple of each binding's. */
    size_t step = 1, eb = 0;
    for (unsigned b = 0; b < nb; b++) {
        if (ebs[b] == 0)
            return bv_error_set(err, BV_ERR_ARG, "plan: zero element size");
        size_t sb = (size_t)(align / gcd_size((size_t)align, ebs[b]));
        step = step / gcd_size(step, sb) * sb;
        if (ebs[b] > eb)
            eb = ebs[b];
    }
    if (count == 0)
        return BV_OK;
    uint64_t wmax = max_range / eb;
    if (wmax > UINT32_MAX)
        wmax = UINT32_MAX;
    wmax -= wmax % step;
    if (wmax == 0)
        return bv_error_set(err, BV_ERR_UNSUPPORTED,
                            "plan: the device's storage buffer range (%llu bytes) cannot hold an aligned window of "
                            "%zu-byte elements",
                            (unsigned long long)max_range, eb);
    uint64_t per_dispatch = (uint64_t)wg * max_groups;
    if (per_dispatch > UINT32_MAX)
        per_dispatch = UINT32_MAX - (UINT32_MAX % wg);

    size_t nwin = (count + (size_t)wmax - 1) / (size_t)wmax;
    size_t per_win = ((size_t)wmax + (size_t)per_dispatch - 1) / (size_t)per_dispatch;
    size_t cap;
    if (bv_size_mul(nwin, per_win, &cap) || cap > SIZE_MAX / sizeof(bv_vk_dispatch))
        return bv_error_set(err, BV_ERR_OVERFLOW, "plan: too many dispatches for %zu elements", count);
    bv_vk_dispatch *d = calloc(cap, sizeof *d);
    if (!d)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory planning %zu dispatches", cap);
    size_t k = 0;
    for (size_t wf = 0; wf < count; wf += (size_t)wmax) {
        size_t wc = count - wf < (size_t)wmax ? count - wf : (size_t)wmax;
        for (size_t base = 0; base < wc; base += (size_t)per_dispatch) {
            size_t c = wc - base < (size_t)per_dispatch ? wc - base : (size_t)per_dispatch;
            d[k].window_first = wf;
            d[k].window_count = wc;
            d[k].base = (uint32_t)base;
            d[k].count = (uint32_t)c;
            d[k].groups = (uint32_t)((c + wg - 1) / wg);
            k++;
        }
    }
    *out = d;
    *n = k;
    return BV_OK;
}

static bv_status exec_prepare(bv_vk_context *ctx, bv_vk_exec *e, uint32_t sets, bool grow, bv_error *err)
{
    bv_status st = BV_OK;
    if (!e->cpool) {
        if ((st = bv_vk_cmd_create(ctx, ctx->info.compute_queue_family, VK_COMMAND_POOL_CREATE_TRANSIENT_BIT,
                                   &e->cpool, &e->cmd, &e->fence, err)) != BV_OK)
            goto fail;
        if (ctx->info.timestamp_valid_bits) {
            VkQueryPoolCreateInfo qpci = {.sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO,
                                          .queryType = VK_QUERY_TYPE_TIMESTAMP,
                                          .queryCount = 2};
            BV_VK_CHECK(vkCreateQueryPool(ctx->device, &qpci, NULL, &e->qpool));
        }
    }
    if (e->dpool_sets < sets) {
        e->has_recorded = false;
        if (e->dpool)
            vkDestroyDescriptorPool(ctx->device, e->dpool, NULL);
        e->dpool = VK_NULL_HANDLE;
        e->dpool_sets = 0;
        uint32_t want = grow && sets < 16 ? 16 : sets;
        VkDescriptorPoolSize ps = {.type = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, .descriptorCount = 3 * want};
        VkDescriptorPoolCreateInfo dpci = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
                                           .maxSets = want,
                                           .poolSizeCount = 1,
                                           .pPoolSizes = &ps};
        BV_VK_CHECK(vkCreateDescriptorPool(ctx->device, &dpci, NULL, &e->dpool));
        e->dpool_sets = want;
    }
    return BV_OK;
fail:
    return st;
}

static void barrier(VkCommandBuffer cmd, VkPipelineStageFlags src, VkAccessFlags sa, VkPipelineStageFlags dst,
                    VkAccessFlags da)
{
    VkMemoryBarrier mb = {.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER, .srcAccessMask = sa, .dstAccessMask = da};
    vkCmdPipelineBarrier(cmd, src, dst, 0, 1, &mb, 0, NULL, 0, NULL);
}

/* Sizes of one job, computed once with overflow checks. Every array lies in its buffer between
 * two guards of canary words; staging holds the images uploaded, then the output read back,
 * then the inputs read back to check that the kernel left them alone. */
enum { B_OUT = 0, B_X = 1, B_Y = 2, NB = 3 };
typedef struct job_layout {
    size_t eb[NB];       /* element bytes of out, x and y */
    size_t data[NB];     /* count * eb */
    size_t guard[NB];    /* bytes of each guard */
    uint32_t canary;     /* the guards' word */
    size_t buf[NB];      /* guard + data + guard */
    bool own[NB];        /* out always; x unless out is x; y for binary ops unless y is x */
    bool check[NB];      /* read back and checked after the dispatch: the inputs, unless no_input_check */
    size_t up_off[NB];   /* staging offset of the uploaded image (out: in place only) */
    size_t down_off[NB]; /* staging offset of the image read back */
    size_t up, staging;  /* bytes uploaded; staging bytes in all */
} job_layout;

static bv_status layout_job(const bv_vk_context *ctx, const bv_vk_job *job, job_layout *L, bv_error *err)
{
    memset(L, 0, sizeof *L);
    L->eb[B_OUT] = job->out_bytes ? job->out_bytes : job->elem_bytes;
    L->eb[B_X] = job->x_bytes ? job->x_bytes : job->elem_bytes;
    L->eb[B_Y] = job->arity == 2 ? (job->y_bytes ? job->y_bytes : job->elem_bytes) : 0;
    if (L->eb[B_OUT] == 0 || L->eb[B_X] == 0 || (job->arity == 2 && L->eb[B_Y] == 0) ||
        (L->eb[B_OUT] | L->eb[B_X] | L->eb[B_Y]) % 4)
        return bv_error_set(err, BV_ERR_ARG, "element sizes must be whole 32-bit words");
    if ((job->alias == BV_ALIAS_OUT_X && L->eb[B_OUT] != L->eb[B_X]) ||
        (job->alias == BV_ALIAS_X_Y && L->eb[B_X] != L->eb[B_Y]))
        return bv_error_set(err, BV_ERR_ARG, "arrays bound to one buffer must have elements of one size");
    L->own[B_OUT] = true;
    L->own[B_X] = job->alias != BV_ALIAS_OUT_X;
    L->own[B_Y] = job->arity == 2 && job->alias != BV_ALIAS_X_Y;
    size_t at = 0;
    for (int b = 0; b < NB; b++) {
        if (!L->own[b])
            continue;
        L->guard[b] = bv_vk_guard_bytes(ctx, L->eb[b]);
        L->canary = bv_vk_canary(ctx);
        if (bv_size_mul(job->count, L->eb[b], &L->data[b]) || bv_size_add(L->data[b], 2 * L->guard[b], &L->buf[b]))
            return bv_error_set(err, BV_ERR_OVERFLOW, "%zu elements of %zu bytes do not fit in memory", job->count,
                                L->eb[b]);
        L->check[b] = b != B_OUT && !job->no_input_check;
    }
    /* Uploads: x's image (out's, holding x, in place), then y's. */
    int first = job->alias == BV_ALIAS_OUT_X ? B_OUT : B_X;
    L->up_off[first] = 0;
    at = L->buf[first];
    if (L->own[B_Y]) {
        L->up_off[B_Y] = at;
        if (bv_size_add(at, L->buf[B_Y], &at))
            goto overflow;
    }
    L->up = at;
    L->down_off[B_OUT] = at;
    if (bv_size_add(at, L->buf[B_OUT], &at))
        goto overflow;
    for (int b = B_X; b < NB; b++)
        if (L->check[b]) {
            L->down_off[b] = at;
            if (bv_size_add(at, L->buf[b], &at))
                goto overflow;
        }
    L->staging = at;
    return BV_OK;
overflow:
    return bv_error_set(err, BV_ERR_OVERFLOW, "job too large: %zu elements", job->count);
}

/* The image of an input's buffer: its guards and its data. */
static void input_image(uint8_t *img, const uint8_t *data, size_t bytes, size_t guard, uint32_t canary)
{
    bv_vk_fill_canary(img, guard, canary);
    memcpy(img + guard, data, bytes);
    bv_vk_fill_canary(img + guard + bytes, guard, canary);
}

/* After the dispatch: out's guards, and each input checked as uploaded. The first difference
 * found is the message. */
static bool check_images(const bv_vk_job *job, const job_layout *L, const uint8_t *const img[NB], char *msg,
                         size_t n)
{
    static const char *const names[NB] = {"output", "input x", "input y"};
    size_t bad = 0;
    for (int b = 0; b < NB; b++) {
        if (b != B_OUT && !L->check[b])
            continue;
        const uint8_t *p = img[b];
        if (!bv_vk_check_canary(p, L->guard[b], L->canary, &bad)) {
            snprintf(msg, n, "kernel wrote before the %s range (guard word %zu of %zu before it)", names[b], bad,
                     L->guard[b] / 4);
            return false;
        }
        if (!bv_vk_check_canary(p + L->guard[b] + L->data[b], L->guard[b], L->canary, &bad)) {
            snprintf(msg, n, "kernel wrote past the %s range (guard word %zu after element %zu)", names[b], bad,
                     job->count);
            return false;
        }
        const uint8_t *orig = b == B_X ? job->x : job->y;
        if (b != B_OUT && memcmp(p + L->guard[b], orig, L->data[b]) != 0) {
            size_t i = 0;
            while (i + 1 < L->data[b] && p[L->guard[b] + i] == orig[i])
                i++;
            snprintf(msg, n, "kernel wrote into its %s (element %zu changed): only out may be written", names[b],
                     i / L->eb[b]);
            return false;
        }
    }
    return true;
}

/* The largest heap that memory with these properties comes from, and its index. */
static VkDeviceSize largest_heap(const VkPhysicalDeviceMemoryProperties *mp, VkMemoryPropertyFlags need,
                                 uint32_t *index)
{
    VkDeviceSize best = 0;
    *index = UINT32_MAX;
    for (uint32_t i = 0; i < mp->memoryTypeCount; i++) {
        uint32_t h = mp->memoryTypes[i].heapIndex;
        if ((mp->memoryTypes[i].propertyFlags & need) == need && mp->memoryHeaps[h].size > best) {
            best = mp->memoryHeaps[h].size;
            *index = h;
        }
    }
    return best;
}

/* Refuses, with the sizes, a job whose buffers cannot fit in the device's memory heaps, instead
 * of failing deep inside vkAllocateMemory or, on a driver that overcommits host memory
 * (lavapipe), being killed by the host's out-of-memory killer halfway through. */
static bv_status check_fits(const bv_vk_context *ctx, const bv_vk_job *job, const job_layout *L, bv_error *err)
{
    bool host = job->memory == BV_MEMORY_HOST;
    uint32_t dev_heap, host_heap;
    VkDeviceSize dev_size = largest_heap(&ctx->mem, host ? 0 : VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, &dev_heap);
    VkDeviceSize host_size = largest_heap(&ctx->mem, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT, &host_heap);
    /* The arrays with their guards, and (device memory) the staging buffer. */
    uint64_t buffers = (uint64_t)L->buf[B_OUT] + L->buf[B_X] + L->buf[B_Y];
    uint64_t staging = host ? 0 : (uint64_t)L->staging;
    uint64_t on_dev = buffers + (dev_heap == host_heap ? staging : 0);
    const char *why = NULL;
    uint64_t need = 0, have = 0;
    if (host && buffers > host_size) {
        why = "host-visible";
        need = buffers;
        have = host_size;
    } else if (!host && on_dev > dev_size) {
        why = "device";
        need = on_dev;
        have = dev_size;
    } else if (!host && staging > host_size) {
        why = "host-visible staging";
        need = staging;
        have = host_size;
    }
    if (!why)
        return BV_OK;
    return bv_error_set(err, BV_ERR_UNSUPPORTED,
                        "%zu elements need %.1f MiB of %s memory in one job and %s has %.1f MiB: too large "
                        "for %s mode; pipelined mode streams a job of any size in chunks",
                        job->count, (double)need / 1048576.0, why, ctx->info.name, (double)have / 1048576.0,
                        bv_mode_name(job->mode));
}

static bv_status run_once(bv_vk_context *ctx, bv_vk_exec *e, const bv_vk_job *job, const job_layout *L,
                          bv_vk_pipeline *p, const bv_vk_dispatch *plan, size_t nplan, size_t nwin,
                          double *kernel_ns, bool *canary_ok, char *canary_msg, size_t canary_n, bv_error *err)
{
    bv_status st = BV_OK;
    bool host = job->memory == BV_MEMORY_HOST;
    bool inplace = job->alias == BV_ALIAS_OUT_X;
    VkDescriptorSet *sets = NULL;
    VkBufferUsageFlags dev_usage =
        VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT;
    bool grow = job->mode == BV_MODE_PERSISTENT;
    bv_vk_buffer *bufs[NB] = {&e->out, &e->x, &e->y};
    const uint8_t *src[NB] = {inplace ? job->x : NULL, job->x, job->y};

    for (int b = 0; !st && b < NB; b++)
        if (L->own[b])
            st = bv_vk_buffer_ensure(ctx, bufs[b], L->buf[b], host, dev_usage, b == B_OUT || L->check[b], grow, err);
    if (!st && !host)
        st = bv_vk_buffer_ensure(ctx, &e->staging, L->staging, true,
                                 VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT, true, grow, err);
    if (st)
        goto fail;

    /* Arrays in pinned memory move straight between it and the device: no host copy. */
    VkDeviceSize px = 0, py = 0, po = 0;
    const bv_vk_buffer *pbx = NULL, *pby = NULL, *pbo = NULL;
    if (!host && job->alias == BV_ALIAS_NONE) {
        pbx = bv_vk_pinned_find(ctx, job->x, L->data[B_X], &px);
        pby = job->arity == 2 ? bv_vk_pinned_find(ctx, job->y, L->data[B_Y], &py) : pbx;
        pbo = bv_vk_pinned_find(ctx, job->out, L->data[B_OUT], &po);
    }
    bool pin = pbx && pby && pbo;

    /* Host side of the upload: the images of the inputs (and of out in place) into staging, or
     * straight into host-visible buffers; out's own image is all guard. */
    for (int b = 0; b < NB; b++) {
        if (!L->own[b] || !src[b] || pin)
            continue;
        input_image(host ? bufs[b]->map : (uint8_t *)e->staging.map + L->up_off[b], src[b], L->data[b], L->guard[b],
                    L->canary);
    }
    if (host && !inplace)
        bv_vk_fill_canary(e->out.map, L->buf[B_OUT], L->canary);

    uint64_t key[sizeof e->recorded / sizeof e->recorded[0]] = {(uint64_t)(uintptr_t)p, job->count, L->eb[B_OUT], L->eb[B_X], L->eb[B_Y], job->arity,
                        (uint64_t)job->alias << 8 | (uint64_t)job->memory << 4 | (uint64_t)job->no_timestamps << 1 | pin,
                        (uint64_t)(uintptr_t)e->out.buf, (uint64_t)(uintptr_t)e->x.buf, (uint64_t)(uintptr_t)e->y.buf,
                        (uint64_t)(uintptr_t)e->staging.buf, pin ? (uint64_t)(uintptr_t)pbx->buf : 0, px,
                        pin ? (uint64_t)(uintptr_t)pby->buf : 0, py, pin ? (uint64_t)(uintptr_t)pbo->buf : 0, po,
                        nplan, job->no_input_check};
    bool reuse = job->mode == BV_MODE_PERSISTENT && e->has_recorded && memcmp(key, e->recorded, sizeof key) == 0;
    if (reuse)
        goto submit;
    e->has_recorded = false;

    /* Descriptor sets: one per window. */
    sets = calloc(nwin, sizeof *sets);
    if (!sets) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    BV_VK_CHECK(vkResetDescriptorPool(ctx->device, e->dpool, 0));
    {
        VkDescriptorSetLayout *layouts = calloc(nwin, sizeof *layouts);
        if (!layouts) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < nwin; i++)
            layouts[i] = p->dsl;
        VkDescriptorSetAllocateInfo dsai = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
                                            .descriptorPool = e->dpool,
                                            .descriptorSetCount = (uint32_t)nwin,
                                            .pSetLayouts = layouts};
        VkResult r = vkAllocateDescriptorSets(ctx->device, &dsai, sets);
        free(layouts);
        if (r != VK_SUCCESS) {
            st = bv_vk_fail(err, "vkAllocateDescriptorSets", r);
            goto fail;
        }
    }
    /* Which buffer each binding reads, and that buffer's guard. */
    int holder[NB] = {B_OUT, inplace ? B_OUT : B_X, job->alias == BV_ALIAS_X_Y ? B_X : B_Y};
    size_t w = 0;
    for (size_t i = 0; i < nplan; i++) {
        if (i > 0 && plan[i].window_first == plan[i - 1].window_first)
            continue;
        /* The window that ends an array sees the guard after it too (see bv_vk_guard_bytes): a
         * stray write lands in the guard, where it is seen, and a stray read sees canary words. */
        bool last = plan[i].window_first + plan[i].window_count >= job->count;
        VkDescriptorBufferInfo bi[NB];
        for (int b = 0; b < NB; b++) {
            int h = holder[b];
            bi[b] = (VkDescriptorBufferInfo){
                .buffer = bufs[h]->buf,
                .offset = L->guard[h] + (VkDeviceSize)plan[i].window_first * L->eb[h],
                .range = (VkDeviceSize)plan[i].window_count * L->eb[h] + (last ? L->guard[h] : 0)};
        }
        VkWriteDescriptorSet wr = {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
                                   .dstSet = sets[w],
                                   .dstBinding = 0,
                                   .descriptorCount = job->arity + 1,
                                   .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                                   .pBufferInfo = bi};
        vkUpdateDescriptorSets(ctx->device, 1, &wr, 0, NULL);
        w++;
    }

    BV_VK_CHECK(vkResetCommandPool(ctx->device, e->cpool, 0));
    VkCommandBufferBeginInfo cbbi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    BV_VK_CHECK(vkBeginCommandBuffer(e->cmd, &cbbi));
    if (e->qpool && !job->no_timestamps)
        vkCmdResetQueryPool(e->cmd, e->qpool, 0, 2);
    if (!host) {
        const VkDeviceSize pofs[NB] = {0, px, py};
        const bv_vk_buffer *pb[NB] = {NULL, pbx, pby};
        for (int b = 0; b < NB; b++) {
            if (!L->own[b])
                continue;
            if (pin && b != B_OUT) {
                /* The data from the pinned array, the guards filled on the device. */
                VkBufferCopy c = {.srcOffset = pofs[b], .dstOffset = L->guard[b], .size = L->data[b]};
                vkCmdCopyBuffer(e->cmd, pb[b]->buf, bufs[b]->buf, 1, &c);
                vkCmdFillBuffer(e->cmd, bufs[b]->buf, 0, L->guard[b], L->canary);
                vkCmdFillBuffer(e->cmd, bufs[b]->buf, L->guard[b] + L->data[b], L->guard[b], L->canary);
            } else if (src[b]) {
                VkBufferCopy c = {.srcOffset = L->up_off[b], .dstOffset = 0, .size = L->buf[b]};
                vkCmdCopyBuffer(e->cmd, e->staging.buf, bufs[b]->buf, 1, &c);
            } else {
                vkCmdFillBuffer(e->cmd, bufs[b]->buf, 0, L->buf[b], L->canary);
            }
        }
        barrier(e->cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT,
                VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
    } else {
        barrier(e->cmd, VK_PIPELINE_STAGE_HOST_BIT, VK_ACCESS_HOST_WRITE_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT);
    }
    vkCmdBindPipeline(e->cmd, VK_PIPELINE_BIND_POINT_COMPUTE, p->pipeline);
    /* At the bottom of the pipe: written once the uploads before it are done (at the top it is
     * written as soon as the command is reached, and the time would include the copies). */
    if (e->qpool && !job->no_timestamps)
        vkCmdWriteTimestamp(e->cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, e->qpool, 0);
    w = 0;
    for (size_t i = 0; i < nplan; i++) {
        if (i > 0 && plan[i].window_first != plan[i - 1].window_first)
            w++;
        if (i == 0 || plan[i].window_first != plan[i - 1].window_first)
            vkCmdBindDescriptorSets(e->cmd, VK_PIPELINE_BIND_POINT_COMPUTE, p->layout, 0, 1, &sets[w], 0, NULL);
        uint32_t pc[2] = {plan[i].count, plan[i].base};
        vkCmdPushConstants(e->cmd, p->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof pc, pc);
        vkCmdDispatch(e->cmd, plan[i].groups, 1, 1);
    }
    if (e->qpool && !job->no_timestamps)
        vkCmdWriteTimestamp(e->cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, e->qpool, 1);
    if (!host) {
        barrier(e->cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT,
                VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_READ_BIT);
        size_t go = L->guard[B_OUT], dout = L->data[B_OUT], d0 = L->down_off[B_OUT];
        if (pin) {
            /* Outputs to the caller's pinned array; only the guards go through staging. */
            VkBufferCopy c = {.srcOffset = go, .dstOffset = po, .size = dout};
            vkCmdCopyBuffer(e->cmd, e->out.buf, pbo->buf, 1, &c);
            VkBufferCopy g[2] = {{.srcOffset = 0, .dstOffset = d0, .size = go},
                                 {.srcOffset = go + dout, .dstOffset = d0 + go + dout, .size = go}};
            vkCmdCopyBuffer(e->cmd, e->out.buf, e->staging.buf, 2, g);
        } else {
            VkBufferCopy c = {.srcOffset = 0, .dstOffset = d0, .size = L->buf[B_OUT]};
            vkCmdCopyBuffer(e->cmd, e->out.buf, e->staging.buf, 1, &c);
        }
        for (int b = B_X; b < NB; b++)
            if (L->check[b]) {
                VkBufferCopy c = {.srcOffset = 0, .dstOffset = L->down_off[b], .size = L->buf[b]};
                vkCmdCopyBuffer(e->cmd, bufs[b]->buf, e->staging.buf, 1, &c);
            }
        barrier(e->cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_HOST_BIT,
                VK_ACCESS_HOST_READ_BIT);
    } else {
        barrier(e->cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT, VK_PIPELINE_STAGE_HOST_BIT,
                VK_ACCESS_HOST_READ_BIT);
    }
    BV_VK_CHECK(vkEndCommandBuffer(e->cmd));
    memcpy(e->recorded, key, sizeof key);
    e->has_recorded = true;
submit:

    BV_VK_CHECK(vkResetFences(ctx->device, 1, &e->fence));
    VkSubmitInfo si = {.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &e->cmd};
    BV_VK_CHECK(vkQueueSubmit(ctx->queue, 1, &si, e->fence));
    st = bv_vk_wait_fence(ctx, e->fence, err);
    if (st)
        goto fail;
    *kernel_ns = -1;
    if (e->qpool && !job->no_timestamps && (st = bv_vk_query_elapsed(ctx, e->qpool, kernel_ns, err)) != BV_OK)
        goto fail;

    const uint8_t *img[NB];
    for (int b = 0; b < NB; b++)
        img[b] = host ? bufs[b]->map : (const uint8_t *)e->staging.map + L->down_off[b];
    canary_msg[0] = '\0';
    *canary_ok = check_images(job, L, img, canary_msg, canary_n);
    if (!pin)
        memcpy(job->out, img[B_OUT] + L->guard[B_OUT], L->data[B_OUT]);
    free(sets);
    return BV_OK;
fail:
    free(sets);
    return st;
}

bv_memory bv_vk_memory_for(const bv_vk_context *ctx, const bv_vk_job *job)
{
    if (job->memory != BV_MEMORY_AUTO)
        return job->memory;
    size_t eb = job->elem_bytes;
    uint64_t per = (uint64_t)(job->out_bytes ? job->out_bytes : eb) + (job->x_bytes ? job->x_bytes : eb) +
                   (job->arity == 2 ? (job->y_bytes ? job->y_bytes : eb) : 0);
    return job->count <= ctx->crossover / (per ? per : 1) ? BV_MEMORY_HOST : BV_MEMORY_DEVICE;
}

bv_status bv_vk_run(bv_vk_context *ctx, const bv_vk_job *job_in, bv_vk_result *res, bv_error *err)
{
    bv_status st = BV_OK;
    bv_vk_dispatch *plan = NULL;
    size_t nplan = 0, nwin = 0;
    double *kt = NULL, *wt = NULL;
    bv_vk_exec oneshot = {0};
    bv_vk_pipeline *pipe = NULL;
    bool persistent, busy = false;
    job_layout L;
    bv_vk_job resolved = *job_in; /* --memory auto decided */
    const bv_vk_job *job = &resolved;

    memset(res, 0, sizeof *res);
    resolved.memory = bv_vk_memory_for(ctx, job_in);
    res->memory = resolved.memory;
    if (!ctx->device)
        return bv_error_set(err, BV_ERR_DEVICE_LOST, "%s: the device was lost and could not be recreated", ctx->info.name);
    if (job->mode != BV_MODE_ONESHOT && job->mode != BV_MODE_PERSISTENT)
        return bv_error_set(err, BV_ERR_ARG, "bv_vk_run takes oneshot or persistent mode");
    if ((job->arity != 1 && job->arity != 2) || !job->code || job->code_size % 4 || !job->x || !job->out ||
        (job->arity == 2 && job->alias != BV_ALIAS_X_Y && !job->y) || (job->alias == BV_ALIAS_X_Y && job->arity != 2))
        return bv_error_set(err, BV_ERR_ARG, "bv_vk_run: inconsistent job");
    if (job->count == 0)
        return BV_OK;
    persistent = job->mode == BV_MODE_PERSISTENT;
    st = layout_job(ctx, job, &L, err);
    if (!st)
        st = check_fits(ctx, job, &L, err);
    if (st)
        return st;
    uint32_t max_groups = ctx->opts.limit_max_groups ? ctx->opts.limit_max_groups : ctx->info.max_workgroup_count[0];
    if (job->max_groups && job->max_groups < max_groups)
        max_groups = job->max_groups;
    uint64_t max_range = ctx->opts.limit_max_range ? ctx->opts.limit_max_range : ctx->info.max_storage_buffer_range;
    st = bv_vk_plan(job->count, L.eb, job->arity + 1, ctx->wg, max_groups, max_range,
                    ctx->info.min_storage_buffer_offset_alignment, &plan, &nplan, err);
    if (st)
        return st;
    for (size_t i = 0; i < nplan; i++)
        if (i == 0 || plan[i].window_first != plan[i - 1].window_first)
            nwin++;
    res->dispatches = (uint32_t)nplan;
    res->windows = (uint32_t)nwin;

    uint32_t reps = job->reps ? job->reps : 1;
    kt = calloc(reps, sizeof *kt);
    wt = calloc(reps, sizeof *wt);
    if (!kt || !wt) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    uint32_t nk = 0;
    res->canary_ok = true;
    for (uint32_t it = 0; it < job->warmup + reps; it++) {
        uint64_t t0 = bv_time_ns();
        bv_vk_exec *e = persistent ? &ctx->exec : &oneshot;
        /* One-shot pays for everything on every call: that is the baseline it measures. */
        st = bv_vk_pipeline_get(ctx, job->code, job->code_size, job->arity, NULL, persistent, &pipe, err);
        if (st)
            goto fail;
        st = exec_prepare(ctx, e, (uint32_t)nwin, persistent, err);
        if (st)
            goto fail;
        double kns = -1;
        bool cok = true;
        char cmsg[256];
        st = run_once(ctx, e, job, &L, pipe, plan, nplan, nwin, &kns, &cok, cmsg, sizeof cmsg, err);
        /* After a timeout the work may still be running: its objects are freed once the device
         * is idle (or lost), else left to the device reset rather than freed under it. */
        busy = st == BV_ERR_TIMEOUT && bv_vk_drain(ctx) == BV_ERR_TIMEOUT;
        if (!persistent && !busy) {
            bv_vk_exec_destroy(ctx->device, &oneshot);
            bv_vk_pipeline_destroy(ctx->device, pipe);
            free(pipe);
            pipe = NULL;
        }
        if (st)
            goto fail;
        uint64_t t1 = bv_time_ns();
        if (!cok && res->canary_ok) {
            res->canary_ok = false;
            snprintf(res->canary_msg, sizeof res->canary_msg, "%s", cmsg);
        }
        if (it >= job->warmup) {
            wt[it - job->warmup] = (double)(t1 - t0);
            if (kns >= 0)
                kt[nk++] = kns;
        }
    }
    bv_stats_of(wt, reps, &res->wall_ns);
    res->kernel_timed = nk == reps;
    if (res->kernel_timed)
        bv_stats_of(kt, nk, &res->kernel_ns);
    free(kt);
    free(wt);
    free(plan);
    return BV_OK;
fail:
    if (!persistent && ctx->device && !busy) {
        bv_vk_exec_destroy(ctx->device, &oneshot);
        if (pipe) {
            bv_vk_pipeline_destroy(ctx->device, pipe);
            free(pipe);
        }
    } else if (!persistent) {
        free(pipe); /* its Vulkan objects go with the device */
    }
    free(kt);
    free(wt);
    free(plan);
    return st;
}
