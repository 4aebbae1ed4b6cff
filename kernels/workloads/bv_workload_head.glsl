/* kernels/workloads/bv_workload_head.glsl: the ABI of a workload stage (docs/workload-abi.md):
 * up to three storage buffers of field elements at bindings 0, 1 and 2 of set 0 (which buffer
 * each is, the manifest's "bind" says), and push constants count, base and six words of the
 * stage's own. Invocation g works on item base + g when g < count, as in the elementwise ABI.
 * Pulls in bv_arith.glsl, for the field and limbs the build defines. */
#ifndef BV_WORKLOAD_HEAD_GLSL
#define BV_WORKLOAD_HEAD_GLSL

#include "bv_arith.glsl"

layout(local_size_x_id = 0) in;

layout(push_constant) uniform bv_wl_push_block {
    uint count;
    uint base;
    uint p[6];
} bv_wl;

/* No readonly/writeonly and no restrict: a stage may bind one buffer twice (in place). */
layout(set = 0, binding = 0, std430) buffer bv_wl_b0 { BV_VEC v[]; } bv_b0;
layout(set = 0, binding = 1, std430) buffer bv_wl_b1 { BV_VEC v[]; } bv_b1;
layout(set = 0, binding = 2, std430) buffer bv_wl_b2 { BV_VEC v[]; } bv_b2;

#define BV_WL_VECS (BV_N / BV_VEC_LANES)

/* Sets i to this invocation's item; false when it has none. */
bool bv_wl_item(out uint i)
{
    uint g = gl_GlobalInvocationID.x;
    i = bv_wl.base + g;
    return g < bv_wl.count;
}

/* Element i of binding B (0, 1 or 2) loaded into r, or stored from r. */
#define BV_WL_LOAD(B, r, i)                                                  \
    [[unroll]] for (int k_ = 0; k_ < BV_WL_VECS; k_++) {                     \
        BV_VEC v_ = B.v[(i) * BV_WL_VECS + k_];                              \
        [[unroll]] for (int l_ = 0; l_ < BV_VEC_LANES; l_++)                 \
            r[k_ * BV_VEC_LANES + l_] = v_[l_];                              \
    }
#define BV_WL_STORE(B, i, r)                                                 \
    [[unroll]] for (int k_ = 0; k_ < BV_WL_VECS; k_++) {                     \
        BV_VEC v_;                                                           \
        [[unroll]] for (int l_ = 0; l_ < BV_VEC_LANES; l_++)                 \
            v_[l_] = r[k_ * BV_VEC_LANES + l_];                              \
        B.v[(i) * BV_WL_VECS + k_] = v_;                                     \
    }

#endif
