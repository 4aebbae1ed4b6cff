/* suites/kernels/f64-soft-fma/fp2.mul.f64.comp: out = x * y in Fp2, each coordinate times R^-1, through
 * the f64 variant's products with the exact software fma (BV_F64_SOFT_FMA): Fp2 on the f64
 * arithmetic where the device's fma is not fused (suites/test_f64.sh). */
#version 450
#extension GL_GOOGLE_include_directive : require
#define BV_BINARY
#define BV_F64_SOFT_FMA
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    if (!bv_element(i))
        return;
    bv_fp2 x, y, r;
    bv_fp2_load_x(x, i);
    bv_fp2_load_y(y, i);
    bv_fp2_mul(r, x, y);
    bv_fp2_store(i, r);
}
