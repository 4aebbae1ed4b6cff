/* kernels/workloads/bv_msm.glsl: what the stage modules of g1.msm share (bv_msm.comp says what
 * the stages do): the stage ABI over plain 32-bit words, and loads and stores of points. */
#ifndef BV_MSM_GLSL
#define BV_MSM_GLSL

#include "bv_curve.glsl"

layout(local_size_x_id = 0) in;

layout(push_constant) uniform bv_wl_push_block {
    uint count;
    uint base;
    uint p[6];
} bv_wl;

layout(set = 0, binding = 0, std430) buffer bv_msm_b0 { uint w[]; } bv_b0;
layout(set = 0, binding = 1, std430) buffer bv_msm_b1 { uint w[]; } bv_b1;
layout(set = 0, binding = 2, std430) buffer bv_msm_b2 { uint w[]; } bv_b2;

#define BV_MSM_WPL (BV_LIMB_BITS / 32)              /* 32-bit words a limb */
#define BV_MSM_JAC_WORDS (BV_N * BV_JAC_PARTS * BV_MSM_WPL)
#define BV_MSM_AFF_WORDS (BV_N * BV_AFF_PARTS * BV_MSM_WPL)

#if BV_LIMB_BITS == 32
#define BV_MSM_LIMB(B, at) B.w[at]
#define BV_MSM_PUT(B, at, v) B.w[at] = (v);
#else
#define BV_MSM_LIMB(B, at) (uint64_t(B.w[at]) | (uint64_t(B.w[(at) + 1u]) << 32))
#define BV_MSM_PUT(B, at, v) B.w[at] = uint(v); B.w[(at) + 1u] = uint((v) >> 32);
#endif

void bv_msm_load_aff(out bv_aff a, uint i)
{
    BV_LIMB e[BV_N * BV_AFF_PARTS];
    [[unroll]] for (uint k = 0u; k < uint(BV_N * BV_AFF_PARTS); k++)
        e[k] = BV_MSM_LIMB(bv_b1, uint(BV_MSM_AFF_WORDS) * i + k * uint(BV_MSM_WPL));
    bv_aff_from_limbs(a, e);
}

void bv_msm_load_jac(out bv_jac p, uint i)
{
    BV_LIMB e[BV_N * BV_JAC_PARTS];
    [[unroll]] for (uint k = 0u; k < uint(BV_N * BV_JAC_PARTS); k++)
        e[k] = BV_MSM_LIMB(bv_b1, uint(BV_MSM_JAC_WORDS) * i + k * uint(BV_MSM_WPL));
    bv_jac_from_limbs(p, e);
}

void bv_msm_store_jac(uint i, bv_jac p)
{
    BV_LIMB e[BV_N * BV_JAC_PARTS];
    bv_jac_to_limbs(e, p);
    [[unroll]] for (uint k = 0u; k < uint(BV_N * BV_JAC_PARTS); k++) {
        BV_MSM_PUT(bv_b0, uint(BV_MSM_JAC_WORDS) * i + k * uint(BV_MSM_WPL), e[k])
    }
}

#endif
