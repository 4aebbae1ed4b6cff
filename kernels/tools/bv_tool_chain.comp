#version 450
// kernels/tools/bv_tool_chain.comp: compute-bound Montgomery products: each thread multiplies
// its x by its y BV_CHAIN times, so that memory traffic is negligible beside the arithmetic.
// Compiled with BV_FIELD_*, BV_LIMBS_* and BV_CHAIN defined (bv_kernel_tool_chain); with
// BV_FAMILY_FP2 as well, the products are Fp2's.
#extension GL_GOOGLE_include_directive : require
#define BV_BINARY
#ifndef BV_CHAIN
#define BV_CHAIN 64
#endif
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    if (!bv_element(i))
        return;
#ifdef BV_FAMILY_FP2
    bv_fp2 x, y;
    bv_fp2_load_x(x, i);
    bv_fp2_load_y(y, i);
    for (int k = 0; k < BV_CHAIN; k++)
        bv_fp2_mul(x, x, y);
    bv_fp2_store(i, x);
#else
    BV_LIMB x[BV_N], y[BV_N];
    bv_load_x(x, i);
    bv_load_y(y, i);
    for (int k = 0; k < BV_CHAIN; k++)
        bv_mont_mul(x, x, y);
    bv_store(i, x);
#endif
}
