/* suites/kernels/oob-read/fr.add.u32.comp: right sums, but the last invocation also reads the
 * element past the end of input x. Its output does not depend on what it read (the test below
 * cannot pass for a real count), so only `--validate gpu` can name the access. */
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
    if (gl_GlobalInvocationID.x == bv_push.count - 1u) {
        BV_LIMB past[BV_N];
        bv_load_x(past, i + 1u);
        if (bv_push.count == 0xffffffffu && past[0] == 0x5eedu)
            r[0] ^= 1u;
    }
    bv_store(i, r);
}
