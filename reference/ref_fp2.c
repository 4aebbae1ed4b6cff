/* reference/ref_fp2.c: the Fp2 family, Fp[u]/(u^2 + 1), an element c0 + c1*u stored as c0 then
 * c1 (48 bytes each). The reference is mpz arithmetic on the pair (c0, c1) mod p, written from
 * the definition of the ring, with R^-1 mod p from Fp's derived constants; the independent path
 * for tests packs an element into one integer instead. Neither follows a kernel's formulas
 * (no Karatsuba, no lazy reduction). It calls only ref_const.c. */
#include "ref_internal.h"

#include <string.h>

#define FP_BYTES 48
/* The Kronecker substitution's slot: products of two coordinates below p < 2^381 and sums of
 * two of them stay below 2^763, so coefficients packed 2^800 apart never overlap. */
#define KRONECKER_BITS 800

typedef struct fp2_consts {
    mpz_t p, r, rinv; /* the reference: R and R^-1 mod p from Fp's checked constants */
    mpz_t slow_rinv; /* the independent path: R^-1 from mpz_invert of its own R */
    mpz_t slow_pm1;  /* p - 1 = -1 mod p */
} fp2_consts;

/* Filled once by bv_ref_fp2_setup inside bv_ref_init's pthread_once; read-only after. */
static fp2_consts k;

void bv_ref_fp2_setup(void)
{
    const bv_ref_constants *c = bv_ref_const(BV_FAMILY_FP);
    mpz_t R;
    mpz_inits(k.p, k.r, k.rinv, k.slow_rinv, k.slow_pm1, R, NULL);
    bv_ref_to_mpz(k.p, BV_FAMILY_FP, c->modulus);
    bv_ref_to_mpz(k.r, BV_FAMILY_FP, c->r_mod);
    bv_ref_to_mpz(k.rinv, BV_FAMILY_FP, c->rinv_mod);
    mpz_setbit(R, 8 * FP_BYTES);
    /* bv_ref_init has already checked that p is an odd prime, so R is invertible. */
    mpz_invert(k.slow_rinv, R, k.p);
    mpz_sub_ui(k.slow_pm1, k.p, 1);
    mpz_clear(R);
}

/* Fp2's ops with a second input (bv_ref_op_arity's, without calling up into ref_ops.c). */
static bool binary(bv_op op)
{
    return op == BV_OP_ADD || op == BV_OP_SUB || op == BV_OP_MUL;
}

/* The two coordinates of an element, and back (each below p: mpz_mod's results are). */
static void load_pair(mpz_t c0, mpz_t c1, const uint8_t *x)
{
    bv_ref_to_mpz(c0, BV_FAMILY_FP, x);
    bv_ref_to_mpz(c1, BV_FAMILY_FP, x + FP_BYTES);
}

static void store_pair(uint8_t *out, mpz_t c0, mpz_t c1, const mpz_t p)
{
    mpz_mod(c0, c0, p);
    mpz_mod(c1, c1, p);
    /* Cannot fail: both are below p, so they fit 48 bytes. */
    BV_IGNORE(bv_ref_from_mpz(out, BV_FAMILY_FP, c0, NULL));
    BV_IGNORE(bv_ref_from_mpz(out + FP_BYTES, BV_FAMILY_FP, c1, NULL));
}

void bv_ref_fp2_op(bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y)
{
    mpz_t a0, a1, b0, b1, r0, r1, t;
    mpz_inits(a0, a1, b0, b1, r0, r1, t, NULL);
    /* Everything is read before anything is written, so out may alias x or y. */
    load_pair(a0, a1, x);
    if (binary(op))
        load_pair(b0, b1, y);

    switch (op) {
    case BV_OP_ADD:
        mpz_add(r0, a0, b0);
        mpz_add(r1, a1, b1);
        break;
    case BV_OP_SUB:
        mpz_sub(r0, a0, b0);
        mpz_sub(r1, a1, b1);
        break;
    case BV_OP_NEG:
        mpz_neg(r0, a0);
        mpz_neg(r1, a1);
        break;
    case BV_OP_DBL:
        mpz_mul_2exp(r0, a0, 1);
        mpz_mul_2exp(r1, a1, 1);
        break;
    case BV_OP_SQR:
        mpz_set(b0, a0);
        mpz_set(b1, a1);
        /* fall through: x * x */
    case BV_OP_MUL:
        /* (a0 + a1 u)(b0 + b1 u) = (a0 b0 - a1 b1) + (a0 b1 + a1 b0) u, since u^2 = -1;
         * then each coordinate times R^-1 (the Montgomery product). */
        mpz_mul(r0, a0, b0);
        mpz_mul(t, a1, b1);
        mpz_sub(r0, r0, t);
        mpz_mul(r1, a0, b1);
        mpz_mul(t, a1, b0);
        mpz_add(r1, r1, t);
        mpz_mod(r0, r0, k.p);
        mpz_mod(r1, r1, k.p);
        mpz_mul(r0, r0, k.rinv);
        mpz_mul(r1, r1, k.rinv);
        break;
    case BV_OP_CONJ:
        mpz_set(r0, a0);
        mpz_neg(r1, a1);
        break;
    case BV_OP_MUL_BY_NONRESIDUE:
        /* (a0 + a1 u)(1 + u) = (a0 - a1) + (a0 + a1) u */
        mpz_sub(r0, a0, a1);
        mpz_add(r1, a0, a1);
        break;
    case BV_OP_INV:
        /* x = a R (each coordinate) stands for a: out of Montgomery form, then
         * a^-1 = (a0 - a1 u) / (a0^2 + a1^2), since (a0 + a1 u)(a0 - a1 u) = a0^2 + a1^2; the
         * norm is 0 only for a = 0 (-1 is not a square mod p), which maps to 0. Back in: a^-1 R. */
        mpz_mul(a0, a0, k.rinv);
        mpz_mul(a1, a1, k.rinv);
        mpz_mod(a0, a0, k.p);
        mpz_mod(a1, a1, k.p);
        mpz_mul(t, a0, a0);
        mpz_addmul(t, a1, a1);
        if (!mpz_invert(t, t, k.p))
            mpz_set_ui(t, 0);
        mpz_mul(t, t, k.r);
        mpz_mul(r0, a0, t);
        mpz_mul(r1, a1, t);
        mpz_neg(r1, r1);
        break;
    default:
        /* An op Fp2 lacks is a caller's bug; a zero output makes it visible in a diff. */
        mpz_set_ui(r0, 0);
        mpz_set_ui(r1, 0);
        break;
    }
    store_pair(out, r0, r1, k.p);
    mpz_clears(a0, a1, b0, b1, r0, r1, t, NULL);
}

/* ---- the independent path: Kronecker substitution ------------------------------------
 * An element a0 + a1 u is the integer A = a0 + a1 * 2^K (K = KRONECKER_BITS), the polynomial
 * a0 + a1 X at X = 2^K. Products and sums are taken of those integers, the coefficients read
 * back from the bits, and the polynomial reduced mod X^2 + 1 and its coefficients mod p in one
 * place (unpack). No coordinate formula is written out; subtraction, negation, doubling and
 * R^-1 are products by constants, and conj is the Frobenius map x^p. */

static void pack(mpz_t out, const mpz_t c0, const mpz_t c1)
{
    mpz_mul_2exp(out, c1, KRONECKER_BITS);
    mpz_add(out, out, c0);
}

/* Coefficients d0 + d1 X + d2 X^2 of a non-negative packed value, reduced with X^2 = -1 and
 * mod p. */
static void unpack(mpz_t c0, mpz_t c1, const mpz_t v)
{
    mpz_t d2;
    mpz_init(d2);
    mpz_fdiv_r_2exp(c0, v, KRONECKER_BITS);
    mpz_fdiv_q_2exp(c1, v, KRONECKER_BITS);
    mpz_fdiv_q_2exp(d2, c1, KRONECKER_BITS);
    mpz_fdiv_r_2exp(c1, c1, KRONECKER_BITS);
    mpz_sub(c0, c0, d2);
    mpz_mod(c0, c0, k.p);
    mpz_mod(c1, c1, k.p);
    mpz_clear(d2);
}

/* (r0, r1) = (a0, a1) * (b0, b1) mod (X^2 + 1, p), plain (no R^-1); inputs below p. */
static void kron_mul(mpz_t r0, mpz_t r1, const mpz_t a0, const mpz_t a1, const mpz_t b0,
                     const mpz_t b1)
{
    mpz_t A, B;
    mpz_inits(A, B, NULL);
    pack(A, a0, a1);
    pack(B, b0, b1);
    mpz_mul(A, A, B);
    unpack(r0, r1, A);
    mpz_clears(A, B, NULL);
}

static void kron_add(mpz_t r0, mpz_t r1, const mpz_t a0, const mpz_t a1, const mpz_t b0,
                     const mpz_t b1)
{
    mpz_t A, B;
    mpz_inits(A, B, NULL);
    pack(A, a0, a1);
    pack(B, b0, b1);
    mpz_add(A, A, B);
    unpack(r0, r1, A);
    mpz_clears(A, B, NULL);
}

/* x^e by square-and-multiply, most significant bit first. */
static void kron_pow(mpz_t r0, mpz_t r1, const mpz_t a0, const mpz_t a1, const mpz_t e)
{
    mpz_t t0, t1;
    mpz_inits(t0, t1, NULL);
    mpz_set_ui(r0, 1);
    mpz_set_ui(r1, 0);
    for (size_t i = mpz_sizeinbase(e, 2); i-- > 0;) {
        kron_mul(t0, t1, r0, r1, r0, r1);
        if (mpz_tstbit(e, i))
            kron_mul(r0, r1, t0, t1, a0, a1);
        else {
            mpz_set(r0, t0);
            mpz_set(r1, t1);
        }
    }
    mpz_clears(t0, t1, NULL);
}

void bv_ref_fp2_op_slow(bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y)
{
    mpz_t a0, a1, b0, b1, r0, r1, c0, c1, e, zero;
    mpz_inits(a0, a1, b0, b1, r0, r1, c0, c1, e, zero, NULL);
    load_pair(a0, a1, x);
    if (binary(op))
        load_pair(b0, b1, y);

    switch (op) {
    case BV_OP_ADD:
        kron_add(r0, r1, a0, a1, b0, b1);
        break;
    case BV_OP_SUB: /* x + (p - 1) y */
        kron_mul(c0, c1, b0, b1, k.slow_pm1, zero);
        kron_add(r0, r1, a0, a1, c0, c1);
        break;
    case BV_OP_NEG: /* (p - 1) x */
        kron_mul(r0, r1, a0, a1, k.slow_pm1, zero);
        break;
    case BV_OP_DBL: /* 2 x */
        mpz_set_ui(c0, 2);
        kron_mul(r0, r1, a0, a1, c0, zero);
        break;
    case BV_OP_SQR:
        mpz_set(b0, a0);
        mpz_set(b1, a1);
        /* fall through: x * x */
    case BV_OP_MUL: /* x * y, then times R^-1 (an Fp2 constant with c1 = 0) */
        kron_mul(c0, c1, a0, a1, b0, b1);
        kron_mul(r0, r1, c0, c1, k.slow_rinv, zero);
        break;
    case BV_OP_CONJ: /* the Frobenius map: x^p = c0 + c1 u^p = c0 - c1 u, as p = 3 mod 4 */
        mpz_add_ui(c0, k.slow_pm1, 1);
        kron_pow(r0, r1, a0, a1, c0);
        break;
    case BV_OP_MUL_BY_NONRESIDUE: /* x * (1 + u) */
        mpz_set_ui(c0, 1);
        mpz_set_ui(c1, 1);
        kron_mul(r0, r1, a0, a1, c0, c1);
        break;
    case BV_OP_INV:
        /* x^-1 = x^p / (x * x^p): the Frobenius image over the norm x^(p+1), which lies in Fp
         * and is inverted there by Fermat (N^(p-2); 0 stays 0). x is a R and the result a^-1 R,
         * that is x^-1 R^2: a product with the constant 2^768 mod p. */
        mpz_add_ui(e, k.slow_pm1, 1);
        kron_pow(b0, b1, a0, a1, e);
        kron_mul(c0, c1, a0, a1, b0, b1);
        mpz_sub_ui(e, k.slow_pm1, 1);
        mpz_powm(c0, c0, e, k.p);
        kron_mul(r0, r1, b0, b1, c0, zero);
        mpz_set_ui(c0, 0);
        mpz_setbit(c0, 2 * 8 * FP_BYTES);
        mpz_mod(c0, c0, k.p);
        kron_mul(r0, r1, r0, r1, c0, zero);
        break;
    default:
        mpz_set_ui(r0, 0);
        mpz_set_ui(r1, 0);
        break;
    }
    store_pair(out, r0, r1, k.p);
    mpz_clears(a0, a1, b0, b1, r0, r1, c0, c1, e, zero, NULL);
}
