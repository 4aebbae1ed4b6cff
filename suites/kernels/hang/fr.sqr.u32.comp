/* suites/kernels/hang/fr.sqr.u32.comp: a correct kernel beside the hanging one, so that a run
 * over this folder shows the cases after a timeout still running and passing. */
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
    bv_mont_sqr(r, x);
    bv_store(i, r);
}
