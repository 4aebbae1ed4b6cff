/* kernels/include/bv_fp2.glsl: Fp2 = Fp[u]/(u^2 + 1) on top of the Fp arithmetic of
 * bv_arith.glsl: an element c0 + c1*u as two arrays of BV_N limbs, the ABI's c0 then c1. Built
 * with BV_FIELD_FP (the coordinates' field) and BV_FAMILY_FP2, as the build and blsvk's run-time
 * compiler do for an fp2.<op>.<limbs> kernel. Inputs have both coordinates below p; outputs
 * always do. Multiplication is Montgomery's in each coordinate: the result is x*y with each
 * coordinate times R^-1. Each op is its own small function over the Fp steps, so that a variant
 * can replace one. */
#ifndef BV_FP2_GLSL
#define BV_FP2_GLSL

#include "bv_arith.glsl"

#if !defined(BV_FIELD_FP) || defined(BV_FIELD_FR)
#error "Fp2 is built over Fp: define BV_FIELD_FP"
#endif

struct bv_fp2 {
    BV_LIMB c0[BV_N];
    BV_LIMB c1[BV_N];
};

/* The element's BV_N * 2 limbs in ABI order (c0 then c1), and back. */
void bv_fp2_from_limbs(out bv_fp2 r, BV_LIMB e[2 * BV_N])
{
    [[unroll]] for (int i = 0; i < BV_N; i++) {
        r.c0[i] = e[i];
        r.c1[i] = e[BV_N + i];
    }
}

void bv_fp2_to_limbs(out BV_LIMB e[2 * BV_N], bv_fp2 x)
{
    [[unroll]] for (int i = 0; i < BV_N; i++) {
        e[i] = x.c0[i];
        e[BV_N + i] = x.c1[i];
    }
}

/* r = x + y, coordinate by coordinate. */
void bv_fp2_add(out bv_fp2 r, bv_fp2 x, bv_fp2 y)
{
    bv_add(r.c0, x.c0, y.c0);
    bv_add(r.c1, x.c1, y.c1);
}

/* r = x - y. */
void bv_fp2_sub(out bv_fp2 r, bv_fp2 x, bv_fp2 y)
{
    bv_sub(r.c0, x.c0, y.c0);
    bv_sub(r.c1, x.c1, y.c1);
}

/* r = -x (0 for x = 0). */
void bv_fp2_neg(out bv_fp2 r, bv_fp2 x)
{
    bv_neg(r.c0, x.c0);
    bv_neg(r.c1, x.c1);
}

/* r = 2x. */
void bv_fp2_dbl(out bv_fp2 r, bv_fp2 x)
{
    bv_dbl(r.c0, x.c0);
    bv_dbl(r.c1, x.c1);
}

/* r = conj(x) = c0 - c1*u. */
void bv_fp2_conj(out bv_fp2 r, bv_fp2 x)
{
    r.c0 = x.c0;
    bv_neg(r.c1, x.c1);
}

/* r = x * (1 + u) = (c0 - c1) + (c0 + c1)*u. */
void bv_fp2_mul_by_nonresidue(out bv_fp2 r, bv_fp2 x)
{
    bv_sub(r.c0, x.c0, x.c1);
    bv_add(r.c1, x.c0, x.c1);
}

/* r = x * y * R^-1 (each coordinate), Karatsuba's three Fp products:
 * c0 = x0 y0 - x1 y1, c1 = (x0 + x1)(y0 + y1) - x0 y0 - x1 y1. */
void bv_fp2_mul(out bv_fp2 r, bv_fp2 x, bv_fp2 y)
{
    BV_LIMB t0[BV_N], t1[BV_N], sx[BV_N], sy[BV_N], t2[BV_N];
    bv_mont_mul(t0, x.c0, y.c0);
    bv_mont_mul(t1, x.c1, y.c1);
    bv_add(sx, x.c0, x.c1);
    bv_add(sy, y.c0, y.c1);
    bv_mont_mul(t2, sx, sy);
    bv_sub(r.c0, t0, t1);
    bv_sub(t2, t2, t0);
    bv_sub(r.c1, t2, t1);
}

/* r = x^-1, 0 for x = 0, in Montgomery form as bv_inv's (x stands for a = x R^-1, each
 * coordinate; r = a^-1 R): conj(x) / (x0^2 + x1^2), as (x0 + x1 u)(x0 - x1 u) = x0^2 + x1^2, a
 * norm in Fp (0 only for x = 0: -1 is not a square mod p). One Fp inversion, four products. */
void bv_fp2_inv(out bv_fp2 r, bv_fp2 x)
{
    BV_LIMB n0[BV_N], n1[BV_N], n[BV_N], ninv[BV_N];
    bv_fp2 c;
    bv_mont_sqr(n0, x.c0);
    bv_mont_sqr(n1, x.c1);
    bv_add(n, n0, n1);
    bv_inv(ninv, n);
    bv_fp2_conj(c, x);
    bv_mont_mul(r.c0, c.c0, ninv);
    bv_mont_mul(r.c1, c.c1, ninv);
}

/* r = x * x * R^-1 (each coordinate), two Fp products:
 * c0 = (x0 + x1)(x0 - x1), c1 = 2 x0 x1. */
void bv_fp2_sqr(out bv_fp2 r, bv_fp2 x)
{
    BV_LIMB s[BV_N], d[BV_N], t[BV_N];
    bv_add(s, x.c0, x.c1);
    bv_sub(d, x.c0, x.c1);
    bv_mont_mul(r.c0, s, d);
    bv_mont_mul(t, x.c0, x.c1);
    bv_dbl(r.c1, t);
}

#endif
