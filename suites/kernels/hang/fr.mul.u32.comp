/* suites/kernels/hang/fr.mul.u32.comp: a kernel that does not finish: after the product it
 * squares the result until an exit test that can never pass (count is never 0 in a dispatch,
 * though no compiler can know it). On a GPU it runs until the harness gives up on it;
 * lavapipe ends every shader loop after 65535 iterations, so there it runs a few seconds. */
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
    bv_mont_mul(r, x, y);
    for (;;) {
        bv_mont_sqr(r, r);
        if (r[0] == 0xffffffffu && bv_push.count == 0u)
            break;
    }
    bv_store(i, r);
}
