/* kernels/src/dbl.comp: out = 2x mod m.
 * Built for each field and limb width with -D BV_FIELD_FP|BV_FIELD_FR and
 * -D BV_LIMBS_U32|BV_LIMBS_U64 into <field>.dbl.<limbs>.spv. */
#version 450
#extension GL_GOOGLE_include_directive : require
#define BV_STAGED
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    bool live = bv_element(i);
    BV_LIMB x[BV_N], r[BV_N];
    /* Staged (coalesced) loads: every invocation takes part, so the bounds test comes after. */
    bv_load_x_staged(x);
    if (!live)
        return;
    bv_dbl(r, x);
    bv_store(i, r);
}
