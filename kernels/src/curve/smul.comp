/* kernels/src/curve/smul.comp: out = k P, P a Jacobian point, k a 256-bit little-endian integer (not
 * reduced mod r).
 * Built for G1 and G2 and each limb width with -D BV_FAMILY_G1|BV_FAMILY_G2 -D BV_FIELD_FP and
 * -D BV_LIMBS_U32|BV_LIMBS_U64 into g1.smul.<limbs>.spv and g2.smul.<limbs>.spv. */
#version 450
#extension GL_GOOGLE_include_directive : require
#define BV_BINARY
#define BV_Y_SCALAR
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    if (!bv_element(i))
        return;
    bv_jac p, r;
    uint k[BV_SCALAR_WORDS];
    bv_jac_load_x(p, i);
    bv_load_y_scalar(k, i);
    bv_jac_smul(r, p, k);
    bv_jac_store(i, r);
}
