/* kernels/src/fp2/mul.comp: out = x * y in Fp2 = Fp[u]/(u^2 + 1), each coordinate times R^-1
 * (the Montgomery product).
 * Built for each limb width with -D BV_FAMILY_FP2 -D BV_FIELD_FP and
 * -D BV_LIMBS_U32|BV_LIMBS_U64 into fp2.mul.<limbs>.spv. */
#version 450
#extension GL_GOOGLE_include_directive : require
#define BV_BINARY
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    if (!bv_element(i))
        return;
    bv_fp2 x, y, r;
    bv_fp2_load_x(x, i);
    bv_fp2_load_y(y, i);
    bv_fp2_mul(r, x, y);
    bv_fp2_store(i, r);
}
