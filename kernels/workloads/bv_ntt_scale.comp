#version 450
/* kernels/workloads/bv_ntt_scale.comp: binding 0 gets element i of binding 1 times element
 * i * p[0] of binding 2 (the Montgomery product): a table of factors (p[0] = 1: the coset's
 * powers of g) or one factor for all (p[0] = 0: the inverse's 1/n). Binding 0 may be binding 1's
 * buffer (in place). */
#extension GL_GOOGLE_include_directive : require
#include "bv_workload_head.glsl"

void main()
{
    uint i;
    if (!bv_wl_item(i))
        return;
    BV_LIMB x[BV_N], f[BV_N];
    BV_WL_LOAD(bv_b1, x, i)
    BV_WL_LOAD(bv_b2, f, i * bv_wl.p[0])
    bv_mont_mul(x, x, f);
    BV_WL_STORE(bv_b0, i, x)
}
