/* vectors/vec_curve_arith.c: the point arithmetic that makes G1 and G2 vectors: Jacobian
 * doubling and mixed addition (a = 0) in Montgomery form over the reference's Fp and Fp2 ops,
 * inversions (one at a time, and batched), and lifting an x-coordinate to a point. Inputs for
 * kernels, not verdicts: the reference (reference/ref_curve.c) checks every point made here in
 * test_vec, by other formulas. */
#include "vec_curve.h"

#include <pthread.h>
#include <string.h>

static vec_curve curves[2];
static pthread_once_t curves_once = PTHREAD_ONCE_INIT;

static void curves_init(void)
{
    const bv_ref_constants *fp = bv_ref_constants_get(BV_FAMILY_FP);
    uint8_t four[VEC_FP_BYTES] = {4};
    for (int i = 0; i < 2; i++) {
        vec_curve *k = &curves[i];
        k->f = i ? BV_FAMILY_G2 : BV_FAMILY_G1;
        k->field = i ? BV_FAMILY_FP2 : BV_FAMILY_FP;
        k->c = i ? 96 : 48;
        memcpy(k->one, fp->r_mod, VEC_FP_BYTES);
        bv_ref_op(BV_FAMILY_FP, BV_OP_TO_MONT, k->b, four, NULL);
        if (i)
            memcpy(k->b + VEC_FP_BYTES, k->b, VEC_FP_BYTES); /* 4 + 4u */
    }
}

const vec_curve *vec_curve_get(bv_family f)
{
    pthread_once(&curves_once, curves_init);
    return &curves[f == BV_FAMILY_G2];
}

void vec_fe_mul(const vec_curve *k, uint8_t *r, const uint8_t *a, const uint8_t *b)
{
    bv_ref_op(k->field, BV_OP_MUL, r, a, b);
}

void vec_fe_add(const vec_curve *k, uint8_t *r, const uint8_t *a, const uint8_t *b)
{
    bv_ref_op(k->field, BV_OP_ADD, r, a, b);
}

void vec_fe_sub(const vec_curve *k, uint8_t *r, const uint8_t *a, const uint8_t *b)
{
    bv_ref_op(k->field, BV_OP_SUB, r, a, b);
}

void vec_fe_neg(const vec_curve *k, uint8_t *r, const uint8_t *a)
{
    bv_ref_op(k->field, BV_OP_NEG, r, a, NULL);
}

bool vec_fe_is_zero(const vec_curve *k, const uint8_t *a)
{
    for (size_t i = 0; i < k->c; i++)
        if (a[i])
            return false;
    return true;
}

/* In Montgomery form a stands for a/R, whose inverse R/a is stored as R^2/a: the inverse of
 * the stored integer (an Fp2 one as conj/norm) times R^2. */
void vec_fe_inv(const vec_curve *k, uint8_t *r, const uint8_t *a)
{
    const vec_field_ctx *fc = vec_field_ctx_get(BV_FAMILY_FP);
    mpz_t a0, a1, n;
    mpz_inits(a0, a1, n, NULL);
    bv_ref_to_mpz(a0, BV_FAMILY_FP, a);
    if (k->c == 96)
        bv_ref_to_mpz(a1, BV_FAMILY_FP, a + VEC_FP_BYTES);
    mpz_mul(n, a0, a0);
    mpz_addmul(n, a1, a1);
    mpz_invert(n, n, fc->m);
    mpz_mul(n, n, fc->r2_mod);
    mpz_mul(a0, a0, n);
    mpz_mod(a0, a0, fc->m);
    mpz_mul(a1, a1, n);
    mpz_neg(a1, a1);
    mpz_mod(a1, a1, fc->m);
    BV_IGNORE(bv_ref_from_mpz(r, BV_FAMILY_FP, a0, NULL));
    if (k->c == 96)
        BV_IGNORE(bv_ref_from_mpz(r + VEC_FP_BYTES, BV_FAMILY_FP, a1, NULL));
    mpz_clears(a0, a1, n, NULL);
}

void vec_fe_batch_inv(const vec_curve *k, uint8_t *out, const uint8_t *in, size_t n,
                      size_t stride)
{
    uint8_t acc[VEC_COORD_MAX], t[VEC_COORD_MAX], inv[VEC_COORD_MAX];
    /* Prefix products in out (skipping zeros), one inversion, then back to front:
     * 1/in[i] = prefix[i-1] * inv(prefix[i]), inv(prefix[i-1]) = inv(prefix[i]) * in[i]. */
    memcpy(acc, curves[k->f == BV_FAMILY_G2].one, k->c);
    for (size_t i = 0; i < n; i++) {
        const uint8_t *v = in + i * stride;
        if (vec_fe_is_zero(k, v))
            continue;
        /* out[i] = the product before element i; the product goes on in acc. */
        uint8_t before[VEC_COORD_MAX];
        memcpy(before, acc, k->c);
        vec_fe_mul(k, acc, acc, v);
        memcpy(out + i * stride, before, k->c);
    }
    vec_fe_inv(k, inv, acc);
    for (size_t i = n; i-- > 0;) {
        const uint8_t *v = in + i * stride;
        uint8_t *o = out + i * stride;
        if (vec_fe_is_zero(k, v)) {
            if (o != v)
                memset(o, 0, k->c);
            continue;
        }
        memcpy(t, v, k->c);          /* in may be out */
        vec_fe_mul(k, o, o, inv);    /* prefix before i times 1/prefix through i */
        vec_fe_mul(k, inv, inv, t);
    }
}

bool vec_jac_is_inf(const vec_curve *k, const vec_jac *p)
{
    return vec_fe_is_zero(k, p->Z);
}

/* The identity as (1, 1, 0). */
void vec_jac_set_inf(const vec_curve *k, vec_jac *p)
{
    memcpy(p->X, k->one, k->c);
    memcpy(p->Y, k->one, k->c);
    memset(p->Z, 0, k->c);
}

void vec_jac_from_aff(const vec_curve *k, vec_jac *r, const vec_aff *a)
{
    if (a->inf) {
        vec_jac_set_inf(k, r);
        return;
    }
    memcpy(r->X, a->x, k->c);
    memcpy(r->Y, a->y, k->c);
    memcpy(r->Z, k->one, k->c);
}

/* dbl-2009-l (Lange's explicit-formulas database, a = 0): A = X^2, B = Y^2, C = B^2,
 * D = 2((X + B)^2 - A - C), E = 3A, F = E^2, X3 = F - 2D, Y3 = E(D - X3) - 8C, Z3 = 2YZ. */
void vec_jac_dbl(const vec_curve *k, vec_jac *r, const vec_jac *p)
{
    uint8_t A[VEC_COORD_MAX], B[VEC_COORD_MAX], C[VEC_COORD_MAX], D[VEC_COORD_MAX];
    uint8_t E[VEC_COORD_MAX], F[VEC_COORD_MAX], t[VEC_COORD_MAX];
    if (vec_jac_is_inf(k, p)) {
        vec_jac_set_inf(k, r);
        return;
    }
    vec_fe_mul(k, A, p->X, p->X);
    vec_fe_mul(k, B, p->Y, p->Y);
    vec_fe_mul(k, C, B, B);
    vec_fe_add(k, t, p->X, B);
    vec_fe_mul(k, t, t, t);
    vec_fe_sub(k, t, t, A);
    vec_fe_sub(k, t, t, C);
    vec_fe_add(k, D, t, t);
    vec_fe_add(k, E, A, A);
    vec_fe_add(k, E, E, A);
    vec_fe_mul(k, F, E, E);
    vec_fe_mul(k, t, p->Y, p->Z);
    vec_fe_add(k, r->Z, t, t);
    vec_fe_sub(k, r->X, F, D);
    vec_fe_sub(k, r->X, r->X, D);
    vec_fe_sub(k, t, D, r->X);
    vec_fe_mul(k, t, E, t);
    vec_fe_add(k, C, C, C); /* 2C, 4C, 8C */
    vec_fe_add(k, C, C, C);
    vec_fe_add(k, C, C, C);
    vec_fe_sub(k, r->Y, t, C);
}

/* madd-2007-bl: Z1Z1 = Z1^2, U2 = x2 Z1Z1, S2 = y2 Z1 Z1Z1, H = U2 - X1, HH = H^2, I = 4HH,
 * J = H I, rr = 2(S2 - Y1), V = X1 I, X3 = rr^2 - J - 2V, Y3 = rr(V - X3) - 2 Y1 J,
 * Z3 = (Z1 + H)^2 - Z1Z1 - HH; H = 0 is P = Q (doubling) or P = -Q (the identity). */
void vec_jac_madd(const vec_curve *k, vec_jac *r, const vec_jac *p, const vec_aff *q)
{
    uint8_t z1z1[VEC_COORD_MAX], u2[VEC_COORD_MAX], s2[VEC_COORD_MAX], h[VEC_COORD_MAX];
    uint8_t hh[VEC_COORD_MAX], i4[VEC_COORD_MAX], j[VEC_COORD_MAX], rr[VEC_COORD_MAX];
    uint8_t v[VEC_COORD_MAX], t[VEC_COORD_MAX];
    if (q->inf) {
        if (r != p)
            *r = *p;
        return;
    }
    if (vec_jac_is_inf(k, p)) {
        vec_jac_from_aff(k, r, q);
        return;
    }
    vec_fe_mul(k, z1z1, p->Z, p->Z);
    vec_fe_mul(k, u2, q->x, z1z1);
    vec_fe_mul(k, s2, q->y, p->Z);
    vec_fe_mul(k, s2, s2, z1z1);
    vec_fe_sub(k, h, u2, p->X);
    vec_fe_sub(k, rr, s2, p->Y);
    if (vec_fe_is_zero(k, h)) {
        if (vec_fe_is_zero(k, rr))
            vec_jac_dbl(k, r, p);
        else
            vec_jac_set_inf(k, r);
        return;
    }
    vec_fe_add(k, rr, rr, rr);
    vec_fe_mul(k, hh, h, h);
    vec_fe_add(k, i4, hh, hh);
    vec_fe_add(k, i4, i4, i4);
    vec_fe_mul(k, j, h, i4);
    vec_fe_mul(k, v, p->X, i4);
    /* Z3 first: it reads Z1, which r may alias. */
    vec_fe_add(k, t, p->Z, h);
    vec_fe_mul(k, t, t, t);
    vec_fe_sub(k, t, t, z1z1);
    vec_fe_sub(k, r->Z, t, hh);
    vec_fe_mul(k, t, p->Y, j); /* Y1 J, before Y1 is overwritten */
    vec_fe_add(k, t, t, t);
    vec_fe_mul(k, r->X, rr, rr);
    vec_fe_sub(k, r->X, r->X, j);
    vec_fe_sub(k, r->X, r->X, v);
    vec_fe_sub(k, r->X, r->X, v);
    vec_fe_sub(k, v, v, r->X);
    vec_fe_mul(k, v, rr, v);
    vec_fe_sub(k, r->Y, v, t);
}

void vec_jac_neg(const vec_curve *k, vec_jac *r, const vec_jac *p)
{
    if (r != p)
        *r = *p;
    vec_fe_neg(k, r->Y, p->Y);
}

void vec_jac_smul(const vec_curve *k, vec_jac *r, const vec_aff *a, const mpz_t e)
{
    vec_jac acc;
    vec_jac_set_inf(k, &acc);
    for (size_t i = mpz_sizeinbase(e, 2); i-- > 0;) {
        vec_jac_dbl(k, &acc, &acc);
        if (mpz_tstbit(e, i))
            vec_jac_madd(k, &acc, &acc, a);
    }
    *r = acc;
}

void vec_jac_to_aff(const vec_curve *k, vec_aff *r, const vec_jac *p)
{
    uint8_t zi[VEC_COORD_MAX], t[VEC_COORD_MAX];
    if (vec_jac_is_inf(k, p)) {
        memset(r, 0, sizeof *r);
        r->inf = true;
        return;
    }
    vec_fe_inv(k, zi, p->Z);
    vec_fe_mul(k, t, zi, zi);
    vec_fe_mul(k, r->x, p->X, t);
    vec_fe_mul(k, t, t, zi);
    vec_fe_mul(k, r->y, p->Y, t);
    r->inf = false;
}

void vec_jac_with_z(const vec_curve *k, vec_jac *r, const vec_aff *a, const uint8_t *z)
{
    uint8_t z2[VEC_COORD_MAX], z3[VEC_COORD_MAX];
    if (a->inf) {
        vec_jac_set_inf(k, r);
        return;
    }
    vec_fe_mul(k, z2, z, z);
    vec_fe_mul(k, z3, z2, z);
    vec_fe_mul(k, r->X, a->x, z2);
    vec_fe_mul(k, r->Y, a->y, z3);
    memcpy(r->Z, z, k->c);
}

void vec_jac_store(const vec_curve *k, uint8_t *out, const vec_jac *p)
{
    memcpy(out, p->X, k->c);
    memcpy(out + k->c, p->Y, k->c);
    memcpy(out + 2 * k->c, p->Z, k->c);
}

void vec_aff_store(const vec_curve *k, uint8_t *out, const vec_aff *a)
{
    if (a->inf) {
        memset(out, 0, 2 * k->c);
        return;
    }
    memcpy(out, a->x, k->c);
    memcpy(out + k->c, a->y, k->c);
}

/* sqrt of a square v mod p (p = 3 mod 4): v^((p+1)/4); false when v is not a square. */
static bool fp_sqrt(mpz_t r, const mpz_t v, const mpz_t m)
{
    mpz_t e;
    bool ok;
    mpz_init(e);
    mpz_add_ui(e, m, 1);
    mpz_fdiv_q_2exp(e, e, 2);
    mpz_powm(r, v, e, m);
    mpz_mul(e, r, r);
    mpz_mod(e, e, m);
    ok = mpz_cmp(e, v) == 0;
    mpz_clear(e);
    return ok;
}

/* sqrt in Fp2 of a0 + a1 u (normal form): with n = sqrt(a0^2 + a1^2), x0^2 = (a0 ± n)/2 and
 * x1 = a1 / (2 x0); a1 = 0 with a0 not a square gives x = sqrt(-a0) u. Any root: the caller
 * picks the sign. false when not a square. */
static bool fp2_sqrt(mpz_t r0, mpz_t r1, const mpz_t a0, const mpz_t a1, const mpz_t m)
{
    mpz_t n, t, half;
    bool ok = false;
    mpz_inits(n, t, half, NULL); /* fp_sqrt's root and value must be different mpz */
    mpz_add_ui(half, m, 1);
    mpz_fdiv_q_2exp(half, half, 1); /* 1/2 mod p */
    if (mpz_sgn(a1) == 0) {
        if (fp_sqrt(r0, a0, m)) {
            mpz_set_ui(r1, 0);
            ok = true;
        } else {
            mpz_neg(t, a0);
            mpz_mod(t, t, m);
            ok = fp_sqrt(r1, t, m);
            mpz_set_ui(r0, 0);
        }
        goto out;
    }
    mpz_mul(n, a0, a0);
    mpz_addmul(n, a1, a1);
    mpz_mod(t, n, m);
    if (!fp_sqrt(n, t, m))
        goto out;
    for (int s = 0; s < 2 && !ok; s++) {
        if (s)
            mpz_sub(t, a0, n);
        else
            mpz_add(t, a0, n);
        mpz_mul(t, t, half);
        mpz_mod(t, t, m);
        if (!fp_sqrt(r0, t, m) || mpz_sgn(r0) == 0)
            continue;
        mpz_add(t, r0, r0);
        mpz_invert(t, t, m);
        mpz_mul(r1, a1, t);
        mpz_mod(r1, r1, m);
        ok = true;
    }
out:
    mpz_clears(n, t, half, NULL);
    return ok;
}

bool vec_aff_lift(const vec_curve *k, vec_aff *r, const uint8_t *x, unsigned sign)
{
    const vec_field_ctx *fc = vec_field_ctx_get(BV_FAMILY_FP);
    uint8_t rhs[VEC_COORD_MAX], plain[VEC_COORD_MAX];
    mpz_t a0, a1, y0, y1;
    bool ok;
    /* rhs = x^3 + b, then out of Montgomery form (from_mont of each Fp word). */
    vec_fe_mul(k, rhs, x, x);
    vec_fe_mul(k, rhs, rhs, x);
    vec_fe_add(k, rhs, rhs, k->b);
    for (size_t off = 0; off < k->c; off += VEC_FP_BYTES)
        bv_ref_op(BV_FAMILY_FP, BV_OP_FROM_MONT, plain + off, rhs + off, NULL);
    mpz_inits(a0, a1, y0, y1, NULL);
    bv_ref_to_mpz(a0, BV_FAMILY_FP, plain);
    if (k->c == 96)
        bv_ref_to_mpz(a1, BV_FAMILY_FP, plain + VEC_FP_BYTES);
    ok = k->c == 96 ? fp2_sqrt(y0, y1, a0, a1, fc->m) : fp_sqrt(y0, a0, fc->m);
    if (ok) {
        /* sgn0: y0's parity, or y1's when y0 = 0. */
        unsigned s = mpz_sgn(y0) ? (unsigned)mpz_odd_p(y0) : (unsigned)mpz_odd_p(y1);
        if (s != (sign & 1)) {
            mpz_sub(y0, fc->m, y0);
            mpz_mod(y0, y0, fc->m);
            mpz_sub(y1, fc->m, y1);
            mpz_mod(y1, y1, fc->m);
        }
        BV_IGNORE(bv_ref_from_mpz(plain, BV_FAMILY_FP, y0, NULL));
        BV_IGNORE(bv_ref_from_mpz(plain + VEC_FP_BYTES, BV_FAMILY_FP, y1, NULL));
        memcpy(r->x, x, k->c);
        for (size_t off = 0; off < k->c; off += VEC_FP_BYTES)
            bv_ref_op(BV_FAMILY_FP, BV_OP_TO_MONT, r->y + off, plain + off, NULL);
        r->inf = false;
    }
    mpz_clears(a0, a1, y0, y1, NULL);
    return ok;
}

void vec_curve_generator(const vec_curve *k, vec_aff *g)
{
    uint8_t jac[3 * VEC_COORD_MAX];
    /* Cannot fail: bv_ref_init has succeeded and k is a curve. */
    BV_IGNORE(bv_ref_curve_generator(k->f, jac));
    memcpy(g->x, jac, k->c);
    memcpy(g->y, jac + k->c, k->c);
    g->inf = false;
}

void vec_curve_order(mpz_t r)
{
    bv_ref_to_mpz(r, BV_FAMILY_FR, bv_ref_constants_get(BV_FAMILY_FR)->modulus);
}
