/* kernels/include/bv_field.glsl: picks the field and limb width a kernel is built for and
 * exposes that field's constants under generic names (BV_N limbs, BV_BITS, bv_modulus, bv_r2,
 * bv_inv_exp, bv_minv)
 * for bv_arith.glsl. Define one of BV_FIELD_FP / BV_FIELD_FR and one of BV_LIMBS_U32 /
 * BV_LIMBS_U64 / BV_LIMBS_F64 first (the build passes them with -D; blsvk's run-time compiler defines them
 * from a <field>.<op>.<limbs>.comp file name). */
#ifndef BV_FIELD_GLSL
#define BV_FIELD_GLSL

/* [[unroll]] on every limb loop: the loops have constant trip counts, and unrolled they keep
 * the limb arrays in registers instead of indexable (local) memory. */
#extension GL_EXT_control_flow_attributes : require

#include "bv_constants.glsl"

/* f64 keeps the u64 layout (limbs of 64 bits in memory and between the ops); only its products
 * differ (bv_arith.glsl, bv_f64.glsl). */
#if defined(BV_LIMBS_U32) && !defined(BV_LIMBS_U64) && !defined(BV_LIMBS_F64)
#include "bv_limb32.glsl"
#elif defined(BV_LIMBS_U64) && !defined(BV_LIMBS_U32) && !defined(BV_LIMBS_F64)
#include "bv_limb64.glsl"
#elif defined(BV_LIMBS_F64) && !defined(BV_LIMBS_U32) && !defined(BV_LIMBS_U64)
#include "bv_limb64.glsl"
#else
#error "define exactly one of BV_LIMBS_U32, BV_LIMBS_U64, BV_LIMBS_F64"
#endif

#if defined(BV_FIELD_FP) && !defined(BV_FIELD_FR)
#define BV_BITS BV_FP_BITS
#if BV_LIMB_BITS == 32
#define BV_N BV_FP_U32_LIMBS
#define BV_MODULUS_LIMBS BV_FP_U32_MODULUS
#define BV_R2_LIMBS BV_FP_U32_R2
#define BV_INV_EXP_LIMBS BV_FP_U32_INV_EXP
#define BV_MINV BV_FP_U32_MINV
#else
#define BV_N BV_FP_U64_LIMBS
#define BV_MODULUS_LIMBS BV_FP_U64_MODULUS
#define BV_R2_LIMBS BV_FP_U64_R2
#define BV_INV_EXP_LIMBS BV_FP_U64_INV_EXP
#define BV_MINV BV_FP_U64_MINV
#endif
#elif defined(BV_FIELD_FR) && !defined(BV_FIELD_FP)
#define BV_BITS BV_FR_BITS
#if BV_LIMB_BITS == 32
#define BV_N BV_FR_U32_LIMBS
#define BV_MODULUS_LIMBS BV_FR_U32_MODULUS
#define BV_R2_LIMBS BV_FR_U32_R2
#define BV_INV_EXP_LIMBS BV_FR_U32_INV_EXP
#define BV_MINV BV_FR_U32_MINV
#else
#define BV_N BV_FR_U64_LIMBS
#define BV_MODULUS_LIMBS BV_FR_U64_MODULUS
#define BV_R2_LIMBS BV_FR_U64_R2
#define BV_INV_EXP_LIMBS BV_FR_U64_INV_EXP
#define BV_MINV BV_FR_U64_MINV
#endif
#else
#error "define exactly one of BV_FIELD_FP, BV_FIELD_FR"
#endif

/* The modulus m (BV_BITS bits), R^2 mod m (to_mont multiplies by it), m - 2 (bv_inv's
 * exponent) and -m^-1 mod 2^BV_LIMB_BITS, limbs least significant first. */
const BV_LIMB bv_modulus[BV_N] = BV_LIMB[BV_N](BV_MODULUS_LIMBS);
const BV_LIMB bv_r2[BV_N] = BV_LIMB[BV_N](BV_R2_LIMBS);
const BV_LIMB bv_inv_exp[BV_N] = BV_LIMB[BV_N](BV_INV_EXP_LIMBS);
const BV_LIMB bv_minv = BV_MINV;

/* The modulus and -m^-1 mod 2^32 on the 32-bit words that the Montgomery multiplication works
 * on in both limb widths (bv_arith.glsl): BV_W words an element. */
#define BV_W (BV_N * BV_WORDS_PER_LIMB)
#if defined(BV_FIELD_FP)
const uint bv_modulus_w[BV_W] = uint[BV_W](BV_FP_U32_MODULUS);
const uint bv_minv_w = BV_FP_U32_MINV;
#else
const uint bv_modulus_w[BV_W] = uint[BV_W](BV_FR_U32_MODULUS);
const uint bv_minv_w = BV_FR_U32_MINV;
#endif

#endif
