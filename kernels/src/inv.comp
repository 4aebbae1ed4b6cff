/* kernels/src/inv.comp: out = x^-1 * R^2 mod m (0 for x = 0), the inverse in Montgomery form:
 * x stands for a = x * R^-1 and out for a^-1. Fermat's x^(m-2) by 4-bit windows (bv_inv).
 * Built for each field and limb width with -D BV_FIELD_FP|BV_FIELD_FR and
 * -D BV_LIMBS_U32|BV_LIMBS_U64 into <field>.inv.<limbs>.spv. */
#version 450
#extension GL_GOOGLE_include_directive : require
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    if (!bv_element(i))
        return;
    BV_LIMB x[BV_N], r[BV_N];
    bv_load_x(x, i);
    bv_inv(r, x);
    bv_store(i, r);
}
