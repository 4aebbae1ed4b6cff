/* suites/kernels/writes-input/fr.add.u32.comp: right sums, and input x used as scratch: each
 * invocation also stores its sum over its own x element (binding 1 declared a second time,
 * writable). The outputs are right; only reading x back after the dispatch shows it. */
#version 450
#extension GL_GOOGLE_include_directive : require
#define BV_BINARY
#include "bv_kernel_head.glsl"

layout(set = 0, binding = 1, std430) buffer bv_x_scratch {
    uint w[];
} bv_xs;

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
    [[unroll]] for (int k = 0; k < BV_N; k++)
        bv_xs.w[i * BV_N + k] = r[k];
}
