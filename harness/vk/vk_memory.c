/* harness/vk/vk_memory.c: the memory layer beneath every mode: buffers in the memory type a
 * use asks for, the registry of pinned host memory, the per-execution object set, and the
 * canary words that guard outputs. Calls nothing above it. */
#define _GNU_SOURCE
#include "vk_internal.h"

#include <stdlib.h>
#include <string.h>

#define MIN_GUARD_BYTES 256u

void bv_vk_buffer_destroy(VkDevice dev, bv_vk_buffer *b)
{
    if (b->map)
        vkUnmapMemory(dev, b->mem);
    if (b->buf)
        vkDestroyBuffer(dev, b->buf, NULL);
    if (b->mem)
        vkFreeMemory(dev, b->mem, NULL);
    memset(b, 0, sizeof *b);
}

void bv_vk_exec_destroy(VkDevice dev, bv_vk_exec *e)
{
    if (!dev)
        return;
    bv_vk_buffer_destroy(dev, &e->out);
    bv_vk_buffer_destroy(dev, &e->x);
    bv_vk_buffer_destroy(dev, &e->y);
    bv_vk_buffer_destroy(dev, &e->staging);
    if (e->qpool)
        vkDestroyQueryPool(dev, e->qpool, NULL);
    if (e->fence)
        vkDestroyFence(dev, e->fence, NULL);
    if (e->cpool)
        vkDestroyCommandPool(dev, e->cpool, NULL); /* frees e->cmd */
    if (e->dpool)
        vkDestroyDescriptorPool(dev, e->dpool, NULL);
    memset(e, 0, sizeof *e);
}

static int32_t find_memory_type(const VkPhysicalDeviceMemoryProperties *mp, uint32_t bits,
                                VkMemoryPropertyFlags need, VkMemoryPropertyFlags want)
{
    int32_t fallback = -1;
    for (uint32_t i = 0; i < mp->memoryTypeCount; i++) {
        VkMemoryPropertyFlags f = mp->memoryTypes[i].propertyFlags;
        if (!(bits & (1u << i)) || (f & need) != need)
            continue;
        if ((f & want) == want)
            return (int32_t)i;
        if (fallback < 0)
            fallback = (int32_t)i;
    }
    return fallback;
}

/* Makes sure b is a buffer of at least size bytes of the right kind; persistent callers
 * grow it geometrically so a series of jobs does not reallocate every time. */
bv_status bv_vk_buffer_ensure(bv_vk_context *ctx, bv_vk_buffer *b, VkDeviceSize size, bool host,
                               VkBufferUsageFlags usage, bool readback, bool grow, bv_error *err)
{
    bv_status st = BV_OK;
    if (b->buf && b->size >= size && b->host == host)
        return BV_OK;
    VkDeviceSize want = size;
    if (grow && b->buf && b->host == host && b->size * 2 > size)
        want = b->size * 2;
    bv_vk_buffer_destroy(ctx->device, b);
    VkBufferCreateInfo bci = {.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
                              .size = want,
                              .usage = usage,
                              .sharingMode = VK_SHARING_MODE_EXCLUSIVE};
    BV_VK_CHECK(vkCreateBuffer(ctx->device, &bci, NULL, &b->buf));
    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(ctx->device, b->buf, &req);
    VkMemoryPropertyFlags need = host ? VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT
                                      : VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
    VkMemoryPropertyFlags pref = host ? (readback ? VK_MEMORY_PROPERTY_HOST_CACHED_BIT : 0) : 0;
    int32_t type = find_memory_type(&ctx->mem, req.memoryTypeBits, need, need | pref);
    if (type < 0 && !host)
        type = find_memory_type(&ctx->mem, req.memoryTypeBits, 0, 0);
    if (type < 0) {
        st = bv_error_set(err, BV_ERR_UNSUPPORTED, "no suitable %s memory type for a %llu-byte buffer",
                          host ? "host-visible coherent" : "device", (unsigned long long)want);
        goto fail;
    }
    VkMemoryAllocateInfo mai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
                                .allocationSize = req.size,
                                .memoryTypeIndex = (uint32_t)type};
    BV_VK_CHECK(vkAllocateMemory(ctx->device, &mai, NULL, &b->mem));
    BV_VK_CHECK(vkBindBufferMemory(ctx->device, b->buf, b->mem, 0));
    if (host)
        BV_VK_CHECK(vkMapMemory(ctx->device, b->mem, 0, VK_WHOLE_SIZE, 0, &b->map));
    b->size = want;
    b->host = host;
    return BV_OK;
fail:
    if (err && st == BV_ERR_NOMEM)
        bv_error_prefix(err, "allocating a %llu-byte %s buffer", (unsigned long long)want, host ? "host" : "device");
    bv_vk_buffer_destroy(ctx->device, b);
    return st;
}

uint32_t bv_vk_guard_word(uint64_t seed)
{
    /* splitmix64's first output from the seed: neighbouring seeds give unrelated words. */
    uint32_t w = (uint32_t)bv_splitmix64(&seed);
    return w == 0 || w == UINT32_MAX ? BV_VK_CANARY_WORD : w;
}

uint32_t bv_vk_canary(const bv_vk_context *ctx)
{
    return ctx->opts.guard_word ? ctx->opts.guard_word : BV_VK_CANARY_WORD;
}

void bv_vk_fill_canary(uint8_t *p, size_t bytes, uint32_t word)
{
    uint32_t w = word;
    for (size_t i = 0; i + 4 <= bytes; i += 4)
        memcpy(p + i, &w, 4);
}

bool bv_vk_check_canary(const uint8_t *p, size_t bytes, uint32_t word, size_t *bad)
{
    for (size_t i = 0; i + 4 <= bytes; i += 4) {
        uint32_t w;
        memcpy(&w, p + i, 4);
        if (w != word) {
            *bad = i / 4;
            return false;
        }
    }
    return true;
}

size_t bv_vk_guard_bytes(const bv_vk_context *ctx, size_t elem_bytes)
{
    size_t a = (size_t)ctx->info.min_storage_buffer_offset_alignment;
    /* At least a workgroup's worth of elements: a bounds test that is off by one or by a
     * workgroup writes inside the guard, not past it. */
    size_t want = (size_t)ctx->wg * elem_bytes;
    if (want < MIN_GUARD_BYTES)
        want = MIN_GUARD_BYTES;
    if (a == 0)
        a = 4;
    return (want + a - 1) / a * a;
}

bv_status bv_vk_pinned_alloc(bv_vk_context *ctx, size_t bytes, void **ptr, bv_error *err)
{
    bv_status st;
    *ptr = NULL;
    if ((st = bv_array_reserve(&ctx->pinned, &ctx->cap_pinned, ctx->npinned + 1, sizeof *ctx->pinned, err)) != BV_OK)
        return st;
    bv_vk_pinned *p = &ctx->pinned[ctx->npinned];
    memset(p, 0, sizeof *p);
    st = bv_vk_buffer_ensure(ctx, &p->b, bytes ? bytes : 4, true,
                             VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT, true, false, err);
    if (st)
        return st;
    p->bytes = bytes;
    ctx->npinned++;
    *ptr = p->b.map;
    return BV_OK;
}

void bv_vk_pinned_free(bv_vk_context *ctx, void *ptr)
{
    if (!ctx || !ptr)
        return;
    for (size_t i = 0; i < ctx->npinned; i++)
        if (ctx->pinned[i].b.map == ptr) {
            if (ctx->device && !ctx->busy) /* else timed-out work may still use it */
                bv_vk_buffer_destroy(ctx->device, &ctx->pinned[i].b);
            ctx->pinned[i] = ctx->pinned[--ctx->npinned];
            return;
        }
}

void bv_vk_pinned_release_all(bv_vk_context *ctx)
{
    for (size_t i = 0; i < ctx->npinned; i++)
        bv_vk_buffer_destroy(ctx->device, &ctx->pinned[i].b);
    ctx->npinned = 0;
}

const bv_vk_buffer *bv_vk_pinned_find(const bv_vk_context *ctx, const void *p, size_t len, VkDeviceSize *off)
{
    const uint8_t *q = p;
    for (size_t i = 0; i < ctx->npinned; i++) {
        const uint8_t *base = ctx->pinned[i].b.map;
        if (q >= base && len <= ctx->pinned[i].bytes && (size_t)(q - base) <= ctx->pinned[i].bytes - len) {
            *off = (VkDeviceSize)(q - base);
            return &ctx->pinned[i].b;
        }
    }
    return NULL;
}
