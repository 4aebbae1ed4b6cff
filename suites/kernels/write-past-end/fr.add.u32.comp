/* suites/kernels/write-past-end/fr.add.u32.comp: right values, and one stray write: the
 * invocation just past the last element stores a zero element there (the bounds test is
 * g <= count). Only the guard words after the output can catch it. */
#version 450
#extension GL_GOOGLE_include_directive : require
#define BV_BINARY
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    bool live = bv_element(i);
    BV_LIMB x[BV_N], y[BV_N], r[BV_N];
    if (!live) {
        if (gl_GlobalInvocationID.x == bv_push.count) {
            [[unroll]] for (int k = 0; k < BV_N; k++)
                r[k] = BV_LIMB(0);
            bv_store(i, r);
        }
        return;
    }
    bv_load_x(x, i);
    bv_load_y(y, i);
    bv_add(r, x, y);
    bv_store(i, r);
}
