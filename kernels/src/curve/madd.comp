/* kernels/src/curve/madd.comp: out = P + A, P a Jacobian point, A an affine one (x = y = 0 for the
 * identity); the output Jacobian.
 * Built for G1 and G2 and each limb width with -D BV_FAMILY_G1|BV_FAMILY_G2 -D BV_FIELD_FP and
 * -D BV_LIMBS_U32|BV_LIMBS_U64 into g1.madd.<limbs>.spv and g2.madd.<limbs>.spv. */
#version 450
#extension GL_GOOGLE_include_directive : require
#define BV_BINARY
#define BV_Y_PARTS BV_AFF_PARTS
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    if (!bv_element(i))
        return;
    bv_jac p, r;
    bv_aff a;
    bv_jac_load_x(p, i);
    bv_aff_load_y(a, i);
    bv_jac_madd(r, p, a);
    bv_jac_store(i, r);
}
