/* kernels/src/fp2/sub.comp: out = x - y in Fp2 = Fp[u]/(u^2 + 1).
 * Built for each limb width with -D BV_FAMILY_FP2 -D BV_FIELD_FP and
 * -D BV_LIMBS_U32|BV_LIMBS_U64 into fp2.sub.<limbs>.spv. */
#version 450
#extension GL_GOOGLE_include_directive : require
#define BV_BINARY
#define BV_STAGED
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    bool live = bv_element(i);
    bv_fp2 x, y, r;
    /* Staged (coalesced) loads: every invocation takes part, so the bounds test comes after. */
    bv_fp2_load_xy_staged(x, y);
    if (!live)
        return;
    bv_fp2_sub(r, x, y);
    bv_fp2_store(i, r);
}
