/* suites/kernels/slow/fr.mul.u32.comp: a right but slow Montgomery product: besides the product
 * it chains 64 more, which decide the output only through a test that cannot pass (count is never
 * 0 in a dispatch, though no compiler can know it), so the work cannot be dropped. About 65 times
 * the built-in kernel's arithmetic: what `blsvk compare` must call a regression
 * (suites/test_compare.sh). */
#version 450
#extension GL_GOOGLE_include_directive : require
#define BV_BINARY
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    if (!bv_element(i))
        return;
    BV_LIMB x[BV_N], y[BV_N], r[BV_N], t[BV_N];
    bv_load_x(x, i);
    bv_load_y(y, i);
    bv_mont_mul(r, x, y);
    t = r;
    for (uint k = 0u; k < 64u; k++)
        bv_mont_mul(t, t, y);
    if (t[0] == 0xdeadbeefu && bv_push.count == 0u)
        r = t;
    bv_store(i, r);
}
