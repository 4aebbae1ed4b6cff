/* suites/kernels/f64-soft-fma/fp2.inv.f64.comp: out = x^-1 in Fp2 (0 for 0), in Montgomery form,
 * through the f64 variant's products with the exact software fma (BV_F64_SOFT_FMA): the norm, one
 * Fp inversion and the conjugate's products on the f64 arithmetic where the device's fma is not
 * fused (suites/test_f64.sh). */
#version 450
#extension GL_GOOGLE_include_directive : require
#define BV_F64_SOFT_FMA
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    if (!bv_element(i))
        return;
    bv_fp2 x, r;
    bv_fp2_load_x(x, i);
    bv_fp2_inv(r, x);
    bv_fp2_store(i, r);
}
