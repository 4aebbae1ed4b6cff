/* suites/kernels/read-past-input/fr.add.u32.comp: right sums, except that the last element's low
 * limb is the word just past the end of input x, which the kernel never owned. What it reads is
 * the guard the harness puts there, a word derived from the run's seed: the wrong value differs
 * from one seed to another (suites/test_poison.sh), as it would on a driver that leaves other
 * garbage there, instead of being a constant that a kernel could come to depend on. */
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
        r[0] = past[0];
    }
    bv_store(i, r);
}
