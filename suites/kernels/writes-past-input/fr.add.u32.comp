/* suites/kernels/writes-past-input/fr.add.u32.comp: right sums, and one stray write into input
 * y: the invocation just past the last element stores a zero limb one element past y's end
 * (a bounds test of g <= count on a writable y). Only the guard words after y catch it. */
#version 450
#extension GL_GOOGLE_include_directive : require
#define BV_BINARY
#include "bv_kernel_head.glsl"

layout(set = 0, binding = 2, std430) buffer bv_y_scratch {
    uint w[];
} bv_ys;

void main()
{
    uint i;
    bool live = bv_element(i);
    if (!live) {
        if (gl_GlobalInvocationID.x == bv_push.count)
            bv_ys.w[i * BV_N] = 0u;
        return;
    }
    BV_LIMB x[BV_N], y[BV_N], r[BV_N];
    bv_load_x(x, i);
    bv_load_y(y, i);
    bv_add(r, x, y);
    bv_store(i, r);
}
