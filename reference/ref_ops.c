/* reference/ref_ops.c: the kernel ABI's ops: their names and arities, the field
 * arithmetic on GMP's mpn layer with Montgomery reduction, and an independent mpz
 * implementation for tests. It calls only ref_const.c. */
#include "ref_internal.h"

#include <string.h>

#define MAX_LIMBS 6

static const char *const op_names[] = {
    [BV_OP_ADD] = "add", [BV_OP_SUB] = "sub", [BV_OP_NEG] = "neg",
    [BV_OP_DBL] = "dbl", [BV_OP_MUL] = "mul", [BV_OP_SQR] = "sqr",
    [BV_OP_TO_MONT] = "to_mont", [BV_OP_FROM_MONT] = "from_mont",
    [BV_OP_CONJ] = "conj", [BV_OP_MUL_BY_NONRESIDUE] = "mul_by_nonresidue",
    [BV_OP_INV] = "inv", [BV_OP_MADD] = "madd", [BV_OP_SMUL] = "smul", [BV_OP_TO_AFFINE] = "to_affine",
    [BV_OP_NTT] = "ntt", [BV_OP_INTT] = "intt", [BV_OP_NTT_COSET] = "ntt_coset", [BV_OP_INTT_COSET] = "intt_coset",
    [BV_OP_MSM] = "msm",
};
_Static_assert(sizeof op_names / sizeof op_names[0] == BV_OP_COUNT,
               "op_names must have one entry per bv_op");

static const unsigned op_arity[] = {
    [BV_OP_ADD] = 2, [BV_OP_SUB] = 2, [BV_OP_NEG] = 1,     [BV_OP_DBL] = 1,
    [BV_OP_MUL] = 2, [BV_OP_SQR] = 1, [BV_OP_TO_MONT] = 1, [BV_OP_FROM_MONT] = 1,
    [BV_OP_CONJ] = 1, [BV_OP_MUL_BY_NONRESIDUE] = 1, [BV_OP_INV] = 1, [BV_OP_MADD] = 2, [BV_OP_SMUL] = 2,
    [BV_OP_TO_AFFINE] = 1,
    [BV_OP_NTT] = 1, [BV_OP_INTT] = 1, [BV_OP_NTT_COSET] = 1, [BV_OP_INTT_COSET] = 1, [BV_OP_MSM] = 2,
};
_Static_assert(sizeof op_arity / sizeof op_arity[0] == BV_OP_COUNT,
               "op_arity must have one entry per bv_op");

typedef struct field_limbs {
    mp_size_t n;
    mp_limb_t minv; /* -m^-1 mod 2^64 */
    mp_limb_t m[MAX_LIMBS];
    mp_limb_t r2[MAX_LIMBS];
    unsigned r_bits;
    /* For the slow path only, so that it shares nothing with the fast path but m. */
    mpz_t slow_m, slow_rinv;
} field_limbs;

/* Filled once by bv_ref_ops_setup inside bv_ref_init's pthread_once; read-only after.
 * Only the fields' entries are used. */
static field_limbs limbs[BV_FAMILY_COUNT];

static inline void load(mp_limb_t *out, const uint8_t *x, mp_size_t n)
{
    for (mp_size_t i = 0; i < n; i++, x += 8)
        out[i] = (mp_limb_t)x[0] | (mp_limb_t)x[1] << 8 | (mp_limb_t)x[2] << 16 |
                 (mp_limb_t)x[3] << 24 | (mp_limb_t)x[4] << 32 | (mp_limb_t)x[5] << 40 |
                 (mp_limb_t)x[6] << 48 | (mp_limb_t)x[7] << 56;
}

static inline void store(uint8_t *out, const mp_limb_t *a, mp_size_t n)
{
    for (mp_size_t i = 0; i < n; i++, out += 8)
        for (int j = 0; j < 8; j++)
            out[j] = (uint8_t)(a[i] >> (8 * j));
}

const char *bv_ref_op_name(bv_op op)
{
    return bv_ref_op_valid(op) ? op_names[op] : "unknown";
}

bv_status bv_ref_op_parse(const char *name, bv_op *out)
{
    if (!name || !out)
        return BV_ERR_ARG;
    for (int op = 0; op < BV_OP_COUNT; op++) {
        if (strcmp(name, op_names[op]) == 0) {
            *out = (bv_op)op;
            return BV_OK;
        }
    }
    return BV_ERR_VALUE;
}

bool bv_ref_op_is_workload(bv_op op)
{
    return op >= BV_OP_NTT && op < BV_OP_COUNT;
}

bv_family bv_ref_workload_family(bv_op op)
{
    return !bv_ref_op_is_workload(op) ? BV_FAMILY_COUNT : op == BV_OP_MSM ? BV_FAMILY_G1 : BV_FAMILY_FR;
}

unsigned bv_ref_op_arity(bv_op op)
{
    return bv_ref_op_valid(op) ? op_arity[op] : 0;
}

void bv_ref_ops_setup(void)
{
    for (int f = 0; f < BV_FAMILY_COUNT; f++) {
        if (!bv_ref_is_field((bv_family)f))
            continue;
        const bv_ref_constants *c = bv_ref_const((bv_family)f);
        field_limbs *fl = &limbs[f];
        fl->n = (mp_size_t)c->limbs64;
        fl->minv = c->minv64;
        fl->r_bits = c->r_bits;
        load(fl->m, c->modulus, fl->n);
        load(fl->r2, c->r2_mod, fl->n);

        mpz_t R;
        mpz_init(R);
        mpz_setbit(R, c->r_bits);
        mpz_init(fl->slow_m);
        mpz_init(fl->slow_rinv);
        bv_ref_to_mpz(fl->slow_m, (bv_family)f, c->modulus);
        /* bv_ref_init has already checked m is an odd prime, so R is invertible. */
        mpz_invert(fl->slow_rinv, R, fl->slow_m);
        mpz_clear(R);
    }
}

/* Subtracts m once when a value in [0, 2m) is not below it; carry is the bit above
 * the top limb. */
static inline void reduce_once(mp_limb_t *r, mp_limb_t carry, const field_limbs *fl)
{
    if (carry || mpn_cmp(r, fl->m, fl->n) >= 0)
        mpn_sub_n(r, r, fl->m, fl->n);
}

/* r = t * R^-1 mod m for t < m*R held in 2n limbs (t is overwritten). Each step adds
 * q*m to clear one low limb; the carry out of that step belongs n limbs higher and is
 * parked in the limb just cleared, then all are added at once (as GMP's redc_1 does),
 * so no step propagates a carry through the whole upper half. The result is below 2m. */
static inline void redc(mp_limb_t *r, mp_limb_t *t, const field_limbs *fl)
{
    mp_size_t n = fl->n;
    for (mp_size_t i = 0; i < n; i++)
        t[i] = mpn_addmul_1(t + i, fl->m, n, t[i] * fl->minv);
    reduce_once(r, mpn_add_n(r, t + n, t, n), fl);
}

/* r = a * R^-1 mod m (out of Montgomery form); r may alias a. */
static inline void from_mont(mp_limb_t *r, const mp_limb_t *a, const field_limbs *fl)
{
    mp_limb_t t[2 * MAX_LIMBS];
    mpn_copyi(t, a, fl->n);
    mpn_zero(t + fl->n, fl->n);
    redc(r, t, fl);
}

/* r = a * R mod m (into Montgomery form: the Montgomery product with R^2); r may alias a. */
static inline void to_mont(mp_limb_t *r, const mp_limb_t *a, const field_limbs *fl)
{
    mp_limb_t t[2 * MAX_LIMBS];
    mpn_mul_n(t, a, fl->r2, fl->n);
    redc(r, t, fl);
}

/* r = a^-1 mod m through GMP's extended GCD (mpz_invert), 0 for a = 0; r may alias a. */
static void invert(mp_limb_t *r, const mp_limb_t *a, const field_limbs *fl)
{
    mpz_t av, mv, rv;
    mpz_init(rv);
    /* m is prime, so only a = 0 has no inverse. */
    if (!mpz_invert(rv, mpz_roinit_n(av, a, fl->n), mpz_roinit_n(mv, fl->m, fl->n)))
        mpz_set_ui(rv, 0);
    mpn_zero(r, fl->n);
    mpn_copyi(r, mpz_limbs_read(rv), (mp_size_t)mpz_size(rv));
    mpz_clear(rv);
}

void bv_ref_field_op(bv_family f, bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y)
{
    mp_limb_t a[MAX_LIMBS], b[MAX_LIMBS], r[MAX_LIMBS], t[2 * MAX_LIMBS];
    const field_limbs *fl = &limbs[f];
    mp_size_t n = fl->n;

    /* Everything is read into limbs before anything is written, so out may alias. */
    load(a, x, n);
    if (op == BV_OP_ADD || op == BV_OP_SUB || op == BV_OP_MUL)
        load(b, y, n);

    switch (op) {
    case BV_OP_ADD:
        reduce_once(r, mpn_add_n(r, a, b, n), fl);
        break;
    case BV_OP_SUB:
        if (mpn_sub_n(r, a, b, n))
            mpn_add_n(r, r, fl->m, n);
        break;
    case BV_OP_NEG:
        if (mpn_zero_p(a, n))
            mpn_zero(r, n);
        else
            mpn_sub_n(r, fl->m, a, n);
        break;
    case BV_OP_DBL:
        reduce_once(r, mpn_lshift(r, a, n, 1), fl);
        break;
    case BV_OP_MUL:
        mpn_mul_n(t, a, b, n);
        redc(r, t, fl);
        break;
    case BV_OP_SQR:
        mpn_sqr(t, a, n);
        redc(r, t, fl);
        break;
    case BV_OP_TO_MONT:
        to_mont(r, a, fl);
        break;
    case BV_OP_FROM_MONT:
        from_mont(r, a, fl);
        break;
    case BV_OP_INV:
        /* x = a R stands for a: out of Montgomery form, a inverted, back in: a^-1 R. */
        from_mont(r, a, fl);
        invert(r, r, fl);
        to_mont(r, r, fl);
        break;
    default:
        /* An invalid op is a caller's bug; a zero output makes it visible in a diff. */
        mpn_zero(r, n);
        break;
    }
    store(out, r, n);
}

void bv_ref_op_slow(bv_family f, bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y)
{
    const field_limbs *fl = &limbs[f];
    mpz_t a, b, r;

    if (f == BV_FAMILY_FP2) {
        bv_ref_fp2_op_slow(op, out, x, y);
        return;
    }
    if (f == BV_FAMILY_G1 || f == BV_FAMILY_G2) {
        bv_ref_curve_op(f, op, out, x, y);
        return;
    }
    if (!bv_ref_is_field(f))
        return;

    mpz_inits(a, b, r, NULL);
    bv_ref_to_mpz(a, f, x);
    if (bv_ref_op_arity(op) == 2)
        bv_ref_to_mpz(b, f, y);

    switch (op) {
    case BV_OP_ADD:
        mpz_add(r, a, b);
        break;
    case BV_OP_SUB:
        mpz_sub(r, a, b);
        break;
    case BV_OP_NEG:
        mpz_neg(r, a);
        break;
    case BV_OP_DBL:
        mpz_mul_2exp(r, a, 1);
        break;
    case BV_OP_MUL:
        mpz_mul(r, a, b);
        mpz_mod(r, r, fl->slow_m);
        mpz_mul(r, r, fl->slow_rinv);
        break;
    case BV_OP_SQR:
        mpz_mul(r, a, a);
        mpz_mod(r, r, fl->slow_m);
        mpz_mul(r, r, fl->slow_rinv);
        break;
    case BV_OP_TO_MONT:
        /* a shift by R, not a product with R^2 mod m as the fast path does */
        mpz_mul_2exp(r, a, fl->r_bits);
        break;
    case BV_OP_FROM_MONT:
        mpz_mul(r, a, fl->slow_rinv);
        break;
    case BV_OP_INV:
        /* Fermat: a^(m-2) = a^-1 for a != 0 and 0 for a = 0; the Montgomery conversions
         * fold into one factor, (x R^-1)^-1 R = x^-1 R^2, taken as a shift by 2 log2(R). */
        mpz_sub_ui(b, fl->slow_m, 2);
        mpz_powm(r, a, b, fl->slow_m);
        mpz_mul_2exp(r, r, 2 * fl->r_bits);
        break;
    default:
        mpz_set_ui(r, 0);
        break;
    }
    mpz_mod(r, r, fl->slow_m);
    /* Cannot fail: mpz_mod's result is never negative and is below m, so it fits. */
    BV_IGNORE(bv_ref_from_mpz(out, f, r, NULL));
    mpz_clears(a, b, r, NULL);
}
