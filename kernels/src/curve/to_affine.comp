/* kernels/src/curve/to_affine.comp: out = P as an affine point (x = X/Z^2, y = Y/Z^3; the identity
 * all zero), P a Jacobian point.
 * Built for G1 and G2 and each limb width with -D BV_FAMILY_G1|BV_FAMILY_G2 -D BV_FIELD_FP and
 * -D BV_LIMBS_U32|BV_LIMBS_U64 into g1.to_affine.<limbs>.spv and g2.to_affine.<limbs>.spv. */
#version 450
#extension GL_GOOGLE_include_directive : require
#define BV_OUT_PARTS BV_AFF_PARTS
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    if (!bv_element(i))
        return;
    bv_jac p;
    bv_aff r;
    bv_jac_load_x(p, i);
    bv_jac_to_aff(r, p);
    bv_aff_store(i, r);
}
