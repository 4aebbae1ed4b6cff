/* kernels/src/curve/dbl.comp: out = 2P, Jacobian points.
 * Built for G1 and G2 and each limb width with -D BV_FAMILY_G1|BV_FAMILY_G2 -D BV_FIELD_FP and
 * -D BV_LIMBS_U32|BV_LIMBS_U64 into g1.dbl.<limbs>.spv and g2.dbl.<limbs>.spv. */
#version 450
#extension GL_GOOGLE_include_directive : require
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    if (!bv_element(i))
        return;
    bv_jac p, r;
    bv_jac_load_x(p, i);
    bv_jac_dbl(r, p);
    bv_jac_store(i, r);
}
