/* kernels/include/bv_coord.glsl: the field of a curve's coordinates under one set of names, so
 * that the point formulas of bv_curve.glsl are written once for G1 and G2: bv_coord is an Fp
 * element with BV_FAMILY_G1 and an Fp2 element (bv_fp2) with BV_FAMILY_G2, and bv_coord_<op>
 * is that field's op (bv_arith.glsl's or bv_fp2.glsl's, output first). Coordinates are in
 * Montgomery form; inputs below p, outputs canonical, as the field ops'. Built with
 * BV_FIELD_FP. */
#ifndef BV_COORD_GLSL
#define BV_COORD_GLSL

#if defined(BV_FAMILY_G1) == defined(BV_FAMILY_G2)
#error "define exactly one of BV_FAMILY_G1, BV_FAMILY_G2"
#endif

#include "bv_arith.glsl"

/* R mod p: 1 in Montgomery form. */
#if BV_LIMB_BITS == 32
const BV_LIMB bv_coord_one_limbs[BV_N] = BV_LIMB[BV_N](BV_FP_U32_R);
#else
const BV_LIMB bv_coord_one_limbs[BV_N] = BV_LIMB[BV_N](BV_FP_U64_R);
#endif

#ifdef BV_FAMILY_G2
#include "bv_fp2.glsl"

/* A coordinate is two Fp elements, c0 then c1. */
#define BV_COORD_PARTS 2
#define bv_coord bv_fp2
#define bv_coord_add bv_fp2_add
#define bv_coord_sub bv_fp2_sub
#define bv_coord_neg bv_fp2_neg
#define bv_coord_dbl bv_fp2_dbl
#define bv_coord_mul bv_fp2_mul
#define bv_coord_sqr bv_fp2_sqr
#define bv_coord_inv bv_fp2_inv

/* True when x = 0. */
bool bv_coord_is_zero(bv_coord x)
{
    BV_LIMB any = BV_LIMB(0);
    [[unroll]] for (int i = 0; i < BV_N; i++)
        any |= x.c0[i] | x.c1[i];
    return any == BV_LIMB(0);
}

/* r = cond ? a : b. */
void bv_coord_select(out bv_coord r, bool cond, bv_coord a, bv_coord b)
{
    bv_select(r.c0, cond, a.c0, b.c0);
    bv_select(r.c1, cond, a.c1, b.c1);
}

/* r = 1 (R mod p in c0) or 0. */
void bv_coord_set(out bv_coord r, bool one)
{
    [[unroll]] for (int i = 0; i < BV_N; i++) {
        r.c0[i] = one ? bv_coord_one_limbs[i] : BV_LIMB(0);
        r.c1[i] = BV_LIMB(0);
    }
}

#else
/* A coordinate is one Fp element, wrapped in a struct so that it is passed and selected as
 * Fp2's is. */
#define BV_COORD_PARTS 1
struct bv_coord {
    BV_LIMB c0[BV_N];
};

void bv_coord_add(out bv_coord r, bv_coord x, bv_coord y)
{
    bv_add(r.c0, x.c0, y.c0);
}

void bv_coord_sub(out bv_coord r, bv_coord x, bv_coord y)
{
    bv_sub(r.c0, x.c0, y.c0);
}

void bv_coord_neg(out bv_coord r, bv_coord x)
{
    bv_neg(r.c0, x.c0);
}

void bv_coord_dbl(out bv_coord r, bv_coord x)
{
    bv_dbl(r.c0, x.c0);
}

void bv_coord_mul(out bv_coord r, bv_coord x, bv_coord y)
{
    bv_mont_mul(r.c0, x.c0, y.c0);
}

void bv_coord_sqr(out bv_coord r, bv_coord x)
{
    bv_mont_sqr(r.c0, x.c0);
}

void bv_coord_inv(out bv_coord r, bv_coord x)
{
    bv_inv(r.c0, x.c0);
}

bool bv_coord_is_zero(bv_coord x)
{
    BV_LIMB any = BV_LIMB(0);
    [[unroll]] for (int i = 0; i < BV_N; i++)
        any |= x.c0[i];
    return any == BV_LIMB(0);
}

void bv_coord_select(out bv_coord r, bool cond, bv_coord a, bv_coord b)
{
    bv_select(r.c0, cond, a.c0, b.c0);
}

void bv_coord_set(out bv_coord r, bool one)
{
    [[unroll]] for (int i = 0; i < BV_N; i++)
        r.c0[i] = one ? bv_coord_one_limbs[i] : BV_LIMB(0);
}
#endif

/* Limbs a coordinate: BV_N (G1) or 2 * BV_N (G2). */
#define BV_COORD_EN (BV_N * BV_COORD_PARTS)

/* Coordinate k of the limbs e (an encoded point: coordinate k at limbs k * BV_COORD_EN, each
 * c0 then c1), and back. Macros, since e's length differs between Jacobian and affine points. */
#if BV_COORD_PARTS == 2
#define BV_COORD_FROM_LIMBS(r, e, k)                                                          \
    [[unroll]] for (int i_ = 0; i_ < BV_N; i_++) {                                            \
        r.c0[i_] = e[(k) * BV_COORD_EN + i_];                                                  \
        r.c1[i_] = e[(k) * BV_COORD_EN + BV_N + i_];                                           \
    }
#define BV_COORD_TO_LIMBS(e, k, r)                                                            \
    [[unroll]] for (int i_ = 0; i_ < BV_N; i_++) {                                            \
        e[(k) * BV_COORD_EN + i_] = r.c0[i_];                                                  \
        e[(k) * BV_COORD_EN + BV_N + i_] = r.c1[i_];                                           \
    }
#else
#define BV_COORD_FROM_LIMBS(r, e, k)                                                          \
    [[unroll]] for (int i_ = 0; i_ < BV_N; i_++)                                              \
        r.c0[i_] = e[(k) * BV_COORD_EN + i_];
#define BV_COORD_TO_LIMBS(e, k, r)                                                            \
    [[unroll]] for (int i_ = 0; i_ < BV_N; i_++)                                              \
        e[(k) * BV_COORD_EN + i_] = r.c0[i_];
#endif

#endif
