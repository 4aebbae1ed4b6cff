/* kernels/src/curve/add.comp: out = P + Q, Jacobian points, for every P and Q (P = Q, P = -Q, either the
 * identity).
 * Built for G1 and G2 and each limb width with -D BV_FAMILY_G1|BV_FAMILY_G2 -D BV_FIELD_FP and
 * -D BV_LIMBS_U32|BV_LIMBS_U64 into g1.add.<limbs>.spv and g2.add.<limbs>.spv. */
#version 450
#extension GL_GOOGLE_include_directive : require
#define BV_BINARY
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    if (!bv_element(i))
        return;
    bv_jac p, q, r;
    bv_jac_load_x(p, i);
    bv_jac_load_y(q, i);
    bv_jac_add(r, p, q);
    bv_jac_store(i, r);
}
