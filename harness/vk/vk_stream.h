/* harness/vk/vk_stream.h: the state of one pipelined run, shared by its setup (vk_stream_setup.c)
 * and its execution (vk_stream.c); private to the Vulkan layer. */
#ifndef BV_VK_STREAM_H
#define BV_VK_STREAM_H

#include "vk_internal.h"

#define DEFAULT_BUFFERS 2u
#define MAX_BUFFERS 64u
enum { ST_UP = 0, ST_COMP = 1, ST_DOWN = 2, N_STAGES = 3 };

typedef struct chunk {
    size_t job, first, count;
} chunk;

/* One buffer set of the ring. */
typedef struct slot {
    bv_vk_buffer in, out, up, down;
    VkCommandPool pool_t, pool_c;
    VkCommandBuffer cmd[N_STAGES];
    VkDescriptorSet set;
    size_t chunk; /* the chunk it holds, or SIZE_MAX */
} slot;

typedef struct stream_state {
    bv_vk_context *ctx;
    const bv_vk_stream *s;
    bv_vk_pipeline *pipe;
    slot *slots;
    uint32_t nslots;
    chunk *chunks;
    size_t nchunks, cap;
    size_t eb_out, eb_x, eb_y; /* element bytes of each array (eb_y: 0 for unary ops) */
    size_t guard, in_y_off, in_bytes, out_bytes;
    VkDescriptorPool dpool;
    VkSemaphore sem[N_STAGES];
    VkQueryPool qpool;
    bool separate; /* transfer queue family differs from compute */
    bool timed;
    bool pinned;
    /* With every array pinned the host writes nothing between chunks, so the whole stream is
     * recorded and submitted at once and the GPU orders it alone: no host round trip can
     * leave a gap on a copy engine. Each chunk then has its own command buffers and guards. */
    bool ahead;
    VkCommandPool ahead_pool_t, ahead_pool_c;
    VkCommandBuffer *ahead_cmd; /* 3 per chunk */
    bv_vk_buffer ahead_guards;  /* 2 guards per chunk */
} stream_state;

/* Cuts the jobs into chunks of S->chunk_elems. */
bv_status bv_vk_stream_plan(stream_state *S, bv_error *err);
/* Buffers, descriptor sets, command pools and buffers, semaphores and queries for S's slots. */
bv_status bv_vk_stream_setup(stream_state *S, bv_error *err);
/* Destroys what setup made; takes a half-built state. */
void bv_vk_stream_teardown(stream_state *S);

#endif
