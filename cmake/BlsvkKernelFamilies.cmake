# cmake/BlsvkKernelFamilies.cmake: what the build knows of each kernel family, shared by the
# built-in kernels (kernels/CMakeLists.txt) and the mutants (BlsvkMutants.cmake): its ops, the
# folder of its sources under kernels/ (src/<op>.comp for the fields, src/fp2/<op>.comp for
# Fp2, src/curve/<op>.comp for both G1 and G2, told apart by their defines) and the defines its variants are built with: the same as kernel_compile.c gives a user's
# <family>.<op>.<limbs>.comp.
include_guard(DIRECTORY)

set(BV_KERNEL_FAMILIES fp fr fp2 g1 g2)
set(BV_KERNEL_OPS_fp add sub neg dbl mul sqr to_mont from_mont inv)
set(BV_KERNEL_OPS_fr ${BV_KERNEL_OPS_fp})
set(BV_KERNEL_OPS_fp2 add sub neg dbl mul sqr conj mul_by_nonresidue inv)
set(BV_KERNEL_OPS_g1 add dbl madd neg smul to_affine)
set(BV_KERNEL_OPS_g2 ${BV_KERNEL_OPS_g1})
set(BV_KERNEL_SRC_fp src)
set(BV_KERNEL_SRC_fr src)
set(BV_KERNEL_SRC_fp2 src/fp2)
set(BV_KERNEL_SRC_g1 src/curve)
set(BV_KERNEL_SRC_g2 src/curve)
set(BV_KERNEL_DEFINES_fp BV_FIELD_FP)
set(BV_KERNEL_DEFINES_fr BV_FIELD_FR)
set(BV_KERNEL_DEFINES_fp2 BV_FAMILY_FP2 BV_FIELD_FP)
set(BV_KERNEL_DEFINES_g1 BV_FAMILY_G1 BV_FIELD_FP)
set(BV_KERNEL_DEFINES_g2 BV_FAMILY_G2 BV_FIELD_FP)
set(BV_KERNEL_LIMBS u32 u64 f64)
# The f64 variant (products on double-precision FMAs, bv_f64.glsl) exists for the ops made of
# products: the other ops would be the u64 kernels again.
set(BV_KERNEL_F64_OPS_fp mul sqr to_mont from_mont inv)
set(BV_KERNEL_F64_OPS_fr ${BV_KERNEL_F64_OPS_fp})
# Fp2's product, square and inverse are three, two and four Fp products and an Fp inversion
# (bv_fp2.glsl over bv_arith.glsl's).
set(BV_KERNEL_F64_OPS_fp2 mul sqr inv)
