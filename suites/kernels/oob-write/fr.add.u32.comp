/* suites/kernels/oob-write/fr.add.u32.comp: right sums, and one element written past the end of
 * the output by the last invocation: an off-by-one store that canaries catch after the fact and
 * `--validate gpu` names as it happens. */
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
    if (gl_GlobalInvocationID.x == bv_push.count - 1u)
        bv_store(i + 1u, r);
}
