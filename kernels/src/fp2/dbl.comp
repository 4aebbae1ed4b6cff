/* kernels/src/fp2/dbl.comp: out = 2x in Fp2 = Fp[u]/(u^2 + 1).
 * Built for each limb width with -D BV_FAMILY_FP2 -D BV_FIELD_FP and
 * -D BV_LIMBS_U32|BV_LIMBS_U64 into fp2.dbl.<limbs>.spv. */
#version 450
#extension GL_GOOGLE_include_directive : require
#define BV_STAGED
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    bool live = bv_element(i);
    bv_fp2 x, r;
    /* Staged (coalesced) loads: every invocation takes part, so the bounds test comes after. */
    bv_fp2_load_x_staged(x);
    if (!live)
        return;
    bv_fp2_dbl(r, x);
    bv_fp2_store(i, r);
}
