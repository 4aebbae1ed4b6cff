/* kernels/src/fp2/inv.comp: out = x^-1 in Fp2 = Fp[u]/(u^2 + 1) (0 for x = 0), in Montgomery
 * form: x stands for a = x * R^-1 (each coordinate) and out for a^-1. The norm, one Fp
 * inversion and a product with the conjugate (bv_fp2_inv).
 * Built for each limb width with -D BV_FAMILY_FP2 -D BV_FIELD_FP and
 * -D BV_LIMBS_U32|BV_LIMBS_U64 into fp2.inv.<limbs>.spv. */
#version 450
#extension GL_GOOGLE_include_directive : require
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    if (!bv_element(i))
        return;
    bv_fp2 x, r;
    bv_fp2_load_x(x, i);
    bv_fp2_inv(r, x);
    bv_fp2_store(i, r);
}
