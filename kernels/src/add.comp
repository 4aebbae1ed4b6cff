/* kernels/src/add.comp: out = x + y mod m.
 * Built for each field and limb width with -D BV_FIELD_FP|BV_FIELD_FR and
 * -D BV_LIMBS_U32|BV_LIMBS_U64 into <field>.add.<limbs>.spv. */
#version 450
#extension GL_GOOGLE_include_directive : require
#define BV_BINARY
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    if (!bv_element(i))
        return;
    BV_LIMB x[BV_N], y[BV_N], r[BV_N];
    bv_load_x(x, i);
    bv_load_y(y, i);
    bv_add(r, x, y);
    bv_store(i, r);
}
