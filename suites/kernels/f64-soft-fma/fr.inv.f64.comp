/* suites/kernels/f64-soft-fma/fr.inv.f64.comp: inv through the f64 variant's products
 * (kernels/include/bv_f64.glsl) with their fma done exactly in software (bv_f64_soft_fma.glsl):
 * what runs that arithmetic on a device whose double fma is not fused, where the built-in f64
 * kernels are NotSupported (suites/test_f64.sh). For conformance only. */
#version 450
#extension GL_GOOGLE_include_directive : require
#define BV_F64_SOFT_FMA
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    if (!bv_element(i))
        return;
    BV_LIMB x[BV_N], r[BV_N];
    bv_load_x(x, i);
    bv_inv(r, x);
    bv_store(i, r);
}
