/* reference/ref_curve.c: the G1 and G2 families: BLS12-381's curve y^2 = x^3 + 4 over Fp and
 * its twist y^2 = x^3 + 4(1 + u) over Fp2. The reference is affine arithmetic on mpz values
 * out of Montgomery form, written from the group law (the chord and tangent with one inversion
 * each, Fp2 as pairs), and scalar multiplication by double-and-add on affine points; it shares
 * no formula with a kernel's Jacobian code. Also the comparison of points up to projective
 * equivalence, the curve check and the readable form of a point for failure reports. It calls
 * only ref_const.c. */
#include "ref_internal.h"

#include <stdio.h>
#include <string.h>

#define FP_BYTES 48

/* The generators, from the IETF draft draft-irtf-cfrg-pairing-friendly-curves (section 4.2.1,
 * BLS12_381) and zkcrypto bls12_381 (src/notes/design.rs, the same values in decimal): affine
 * coordinates in normal form, an Fp2 coordinate as c0 then c1. bv_ref_init checks each is on
 * its curve and that r times it is the identity. */
static const char *const g1_gen_hex[2][2] = {
    {"17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb", NULL},
    {"08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1", NULL},
};
static const char *const g2_gen_hex[2][2] = {
    {"024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8",
     "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"},
    {"0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801",
     "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be"},
};

/* ---- Fp and Fp2 values as mpz pairs ---------------------------------------------------
 * An element of the curve's field: c[0] for G1 (c[1] stays 0), c[0] + c[1]*u for G2. Every
 * function leaves its result reduced mod p; results may alias inputs. */
typedef bv_ref_fe fe; /* ref_internal.h: ref_msm.c shares the type */

typedef struct curve {
    bv_family f;
    unsigned deg;  /* 1 for G1 (Fp), 2 for G2 (Fp2) */
    size_t coord;  /* bytes of a coordinate: 48 or 96 */
    fe b;          /* 4, or 4(1 + u) */
} curve;

/* Filled once by bv_ref_curve_setup inside bv_ref_init's pthread_once; read-only after. */
static mpz_t p, rinv, rmod, order; /* p, R^-1 and R mod p (R = 2^384), the group order r */
static curve curves[2];
static uint8_t generators[2][2 * 3 * FP_BYTES];

static const curve *curve_of(bv_family f)
{
    return &curves[f == BV_FAMILY_G2];
}

static void fe_init(fe *a)
{
    mpz_inits(a->c[0], a->c[1], NULL);
}

static void fe_clear(fe *a)
{
    mpz_clears(a->c[0], a->c[1], NULL);
}

static void fe_set(fe *r, const fe *a)
{
    mpz_set(r->c[0], a->c[0]);
    mpz_set(r->c[1], a->c[1]);
}

static bool fe_is_zero(const fe *a)
{
    return mpz_sgn(a->c[0]) == 0 && mpz_sgn(a->c[1]) == 0;
}

static bool fe_eq(const fe *a, const fe *b)
{
    return mpz_cmp(a->c[0], b->c[0]) == 0 && mpz_cmp(a->c[1], b->c[1]) == 0;
}

static void fe_add(fe *r, const fe *a, const fe *b)
{
    for (int i = 0; i < 2; i++) {
        mpz_add(r->c[i], a->c[i], b->c[i]);
        mpz_mod(r->c[i], r->c[i], p);
    }
}

static void fe_sub(fe *r, const fe *a, const fe *b)
{
    for (int i = 0; i < 2; i++) {
        mpz_sub(r->c[i], a->c[i], b->c[i]);
        mpz_mod(r->c[i], r->c[i], p);
    }
}

static void fe_neg(fe *r, const fe *a)
{
    for (int i = 0; i < 2; i++) {
        mpz_neg(r->c[i], a->c[i]);
        mpz_mod(r->c[i], r->c[i], p);
    }
}

/* (a0 + a1 u)(b0 + b1 u) = (a0 b0 - a1 b1) + (a0 b1 + a1 b0) u, as u^2 = -1. */
static void fe_mul(fe *r, const fe *a, const fe *b)
{
    mpz_t t0, t1;
    mpz_inits(t0, t1, NULL);
    mpz_mul(t0, a->c[0], b->c[0]);
    mpz_submul(t0, a->c[1], b->c[1]);
    mpz_mul(t1, a->c[0], b->c[1]);
    mpz_addmul(t1, a->c[1], b->c[0]);
    mpz_mod(r->c[0], t0, p);
    mpz_mod(r->c[1], t1, p);
    mpz_clears(t0, t1, NULL);
}

/* 1/a = conj(a) / (a0^2 + a1^2); a != 0 (the norm of a nonzero element is nonzero, since -1
 * is not a square mod p). */
static void fe_inv(fe *r, const fe *a)
{
    mpz_t n, t;
    mpz_inits(n, t, NULL);
    mpz_mul(n, a->c[0], a->c[0]);
    mpz_addmul(n, a->c[1], a->c[1]);
    mpz_mod(n, n, p);
    mpz_invert(n, n, p);
    mpz_mul(t, a->c[0], n);
    mpz_mod(r->c[0], t, p);
    mpz_mul(t, a->c[1], n);
    mpz_neg(t, t);
    mpz_mod(r->c[1], t, p);
    mpz_clears(n, t, NULL);
}

/* A coordinate's bytes: one Fp element (G1) or c0 then c1 (G2). mont: the bytes are in
 * Montgomery form, so the value is their integer times R^-1. */
static void fe_load(const curve *c, fe *r, const uint8_t *x, bool mont)
{
    mpz_set_ui(r->c[1], 0);
    for (unsigned i = 0; i < c->deg; i++) {
        bv_ref_to_mpz(r->c[i], BV_FAMILY_FP, x + i * FP_BYTES);
        if (mont) {
            mpz_mul(r->c[i], r->c[i], rinv);
            mpz_mod(r->c[i], r->c[i], p);
        }
    }
}

/* The Montgomery form of a reduced value. */
static void fe_store(const curve *c, uint8_t *out, const fe *a)
{
    mpz_t t;
    mpz_init(t);
    for (unsigned i = 0; i < c->deg; i++) {
        mpz_mul(t, a->c[i], rmod);
        mpz_mod(t, t, p);
        /* Cannot fail: below p, it fits 48 bytes. */
        BV_IGNORE(bv_ref_from_mpz(out + i * FP_BYTES, BV_FAMILY_FP, t, NULL));
    }
    mpz_clear(t);
}

/* ---- affine points ------------------------------------------------------------------- */

typedef bv_ref_apt apt; /* ref_internal.h: x, y and inf (the identity; x and y are then 0) */

static void apt_init(apt *a)
{
    fe_init(&a->x);
    fe_init(&a->y);
    a->inf = true;
}

static void apt_clear(apt *a)
{
    fe_clear(&a->x);
    fe_clear(&a->y);
}

static void apt_set(apt *r, const apt *a)
{
    fe_set(&r->x, &a->x);
    fe_set(&r->y, &a->y);
    r->inf = a->inf;
}

static void apt_set_inf(apt *r)
{
    for (int i = 0; i < 2; i++) {
        mpz_set_ui(r->x.c[i], 0);
        mpz_set_ui(r->y.c[i], 0);
    }
    r->inf = true;
}

/* y^2 = x^3 + b */
static bool apt_on_curve(const curve *c, const apt *a)
{
    fe l, r;
    bool ok;
    if (a->inf)
        return true;
    fe_init(&l);
    fe_init(&r);
    fe_mul(&l, &a->y, &a->y);
    fe_mul(&r, &a->x, &a->x);
    fe_mul(&r, &r, &a->x);
    fe_add(&r, &r, &c->b);
    ok = fe_eq(&l, &r);
    fe_clear(&l);
    fe_clear(&r);
    return ok;
}

/* The tangent at a: lambda = 3x^2 / 2y; the identity when a is or y = 0 (a point of order 2). */
/* The third point on the line of slope lam through a and the point with x-coordinate xb,
 * reflected: x3 = lam^2 - xa - xb, y3 = lam (xa - x3) - ya. r may alias a. */
static void apt_from_slope(apt *r, const fe *lam, const apt *a, const fe *xb)
{
    fe x3, t;
    fe_init(&x3);
    fe_init(&t);
    fe_mul(&x3, lam, lam);
    fe_sub(&x3, &x3, &a->x);
    fe_sub(&x3, &x3, xb);
    fe_sub(&t, &a->x, &x3);
    fe_mul(&t, lam, &t);
    fe_sub(&r->y, &t, &a->y);
    fe_set(&r->x, &x3);
    r->inf = false;
    fe_clear(&x3);
    fe_clear(&t);
}

static void apt_dbl(apt *r, const apt *a)
{
    fe lam, t;
    if (a->inf || fe_is_zero(&a->y)) {
        apt_set_inf(r);
        return;
    }
    fe_init(&lam);
    fe_init(&t);
    fe_mul(&lam, &a->x, &a->x);
    fe_add(&t, &lam, &lam);
    fe_add(&lam, &t, &lam);
    fe_add(&t, &a->y, &a->y);
    fe_inv(&t, &t);
    fe_mul(&lam, &lam, &t);
    apt_from_slope(r, &lam, a, &a->x);
    fe_clear(&lam);
    fe_clear(&t);
}

/* The chord through a and b: lambda = (yb - ya) / (xb - xa); equal x means b = a (the tangent)
 * or b = -a (the identity). */
static void apt_add(apt *r, const apt *a, const apt *b)
{
    fe lam, t;
    if (a->inf) {
        apt_set(r, b);
        return;
    }
    if (b->inf) {
        apt_set(r, a);
        return;
    }
    if (fe_eq(&a->x, &b->x)) {
        if (fe_eq(&a->y, &b->y))
            apt_dbl(r, a);
        else
            apt_set_inf(r);
        return;
    }
    fe_init(&lam);
    fe_init(&t);
    fe_sub(&t, &b->x, &a->x);
    fe_inv(&t, &t);
    fe_sub(&lam, &b->y, &a->y);
    fe_mul(&lam, &lam, &t);
    /* b's x is read before r (which may alias b) is written. */
    fe_set(&t, &b->x);
    apt_from_slope(r, &lam, a, &t);
    fe_clear(&lam);
    fe_clear(&t);
}

/* k*a by double-and-add, the most significant bit first; k >= 0. */
static void apt_smul(apt *r, const apt *a, const mpz_t k)
{
    apt acc;
    apt_init(&acc);
    for (size_t i = mpz_sizeinbase(k, 2); i-- > 0;) {
        apt_dbl(&acc, &acc);
        if (mpz_tstbit(k, i))
            apt_add(&acc, &acc, a);
    }
    apt_set(r, &acc);
    apt_clear(&acc);
}

/* ---- the encodings: Jacobian, affine, scalar ---------------------------------------- */

typedef enum slot_kind { KIND_JACOBIAN, KIND_AFFINE, KIND_SCALAR } slot_kind;

static slot_kind kind_of(bv_op op, unsigned which)
{
    if (which == BV_REF_OUT)
        return op == BV_OP_TO_AFFINE ? KIND_AFFINE : KIND_JACOBIAN;
    if (which == BV_REF_Y)
        return op == BV_OP_MADD ? KIND_AFFINE : op == BV_OP_SMUL ? KIND_SCALAR : KIND_JACOBIAN;
    return KIND_JACOBIAN;
}

/* Jacobian (X, Y, Z), normal form, out of Montgomery form. */
typedef struct jpt {
    fe X, Y, Z;
} jpt;

static void jpt_load(const curve *c, jpt *j, const uint8_t *v)
{
    fe_init(&j->X);
    fe_init(&j->Y);
    fe_init(&j->Z);
    fe_load(c, &j->X, v, true);
    fe_load(c, &j->Y, v + c->coord, true);
    fe_load(c, &j->Z, v + 2 * c->coord, true);
}

static void jpt_clear(jpt *j)
{
    fe_clear(&j->X);
    fe_clear(&j->Y);
    fe_clear(&j->Z);
}

/* Y^2 = X^3 + b Z^6, the curve in Jacobian form: no inversion, so that a point with any Z is
 * checked as it stands. The identity (Z = 0) passes. */
static bool jpt_on_curve(const curve *c, const jpt *j)
{
    fe l, r, z;
    bool ok;
    if (fe_is_zero(&j->Z))
        return true;
    fe_init(&l);
    fe_init(&r);
    fe_init(&z);
    fe_mul(&l, &j->Y, &j->Y);
    fe_mul(&z, &j->Z, &j->Z);
    fe_mul(&r, &z, &j->Z);
    fe_mul(&z, &r, &r);     /* Z^6 */
    fe_mul(&z, &z, &c->b);  /* b Z^6 */
    fe_mul(&r, &j->X, &j->X);
    fe_mul(&r, &r, &j->X);
    fe_add(&r, &r, &z);
    ok = fe_eq(&l, &r);
    fe_clear(&l);
    fe_clear(&r);
    fe_clear(&z);
    return ok;
}

/* X1 Z2^2 = X2 Z1^2 and Y1 Z2^3 = Y2 Z1^3; the identity only equals the identity. */
static bool jpt_equivalent(const jpt *a, const jpt *b)
{
    fe za, zb, l, r;
    bool az = fe_is_zero(&a->Z), bz = fe_is_zero(&b->Z), ok;
    if (az || bz)
        return az && bz;
    fe_init(&za);
    fe_init(&zb);
    fe_init(&l);
    fe_init(&r);
    fe_mul(&za, &a->Z, &a->Z);
    fe_mul(&zb, &b->Z, &b->Z);
    fe_mul(&l, &a->X, &zb);
    fe_mul(&r, &b->X, &za);
    ok = fe_eq(&l, &r);
    if (ok) {
        fe_mul(&za, &za, &a->Z);
        fe_mul(&zb, &zb, &b->Z);
        fe_mul(&l, &a->Y, &zb);
        fe_mul(&r, &b->Y, &za);
        ok = fe_eq(&l, &r);
    }
    fe_clear(&za);
    fe_clear(&zb);
    fe_clear(&l);
    fe_clear(&r);
    return ok;
}

/* A point's bytes (Jacobian or affine) as an affine point (initialised here). */
static void load_point(const curve *c, slot_kind kind, apt *a, const uint8_t *v)
{
    apt_init(a);
    if (kind == KIND_AFFINE) {
        static const uint8_t zero[2 * 2 * FP_BYTES];
        if (memcmp(v, zero, 2 * c->coord) == 0)
            return;
        fe_load(c, &a->x, v, true);
        fe_load(c, &a->y, v + c->coord, true);
        a->inf = false;
        return;
    }
    jpt j;
    fe zi, t;
    jpt_load(c, &j, v);
    if (!fe_is_zero(&j.Z)) {
        fe_init(&zi);
        fe_init(&t);
        fe_inv(&zi, &j.Z);
        fe_mul(&t, &zi, &zi);
        fe_mul(&a->x, &j.X, &t);
        fe_mul(&t, &t, &zi);
        fe_mul(&a->y, &j.Y, &t);
        a->inf = false;
        fe_clear(&zi);
        fe_clear(&t);
    }
    jpt_clear(&j);
}

/* The canonical encoding of an affine point: Jacobian (x, y, 1) in Montgomery form, or all
 * zero for the identity; affine (x, y), or all zero for the identity. */
static void store_point(const curve *c, slot_kind kind, uint8_t *out, const apt *a)
{
    size_t n = (kind == KIND_AFFINE ? 2 : 3) * c->coord;
    memset(out, 0, n);
    if (a->inf)
        return;
    fe_store(c, out, &a->x);
    fe_store(c, out + c->coord, &a->y);
    if (kind == KIND_JACOBIAN)
        BV_IGNORE(bv_ref_from_mpz(out + 2 * c->coord, BV_FAMILY_FP, rmod, NULL)); /* Z = 1 */
}

/* ---- the family's entry points ---------------------------------------------------- */

void bv_ref_curve_op(bv_family f, bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y)
{
    const curve *c = curve_of(f);
    apt a, b;
    mpz_t k;
    /* Everything is read before anything is written, so out may alias x or y. */
    load_point(c, KIND_JACOBIAN, &a, x);
    apt_init(&b);
    mpz_init(k);
    switch (op) {
    case BV_OP_ADD:
    case BV_OP_MADD:
        apt_clear(&b);
        load_point(c, kind_of(op, BV_REF_Y), &b, y);
        apt_add(&a, &a, &b);
        break;
    case BV_OP_DBL:
        apt_dbl(&a, &a);
        break;
    case BV_OP_NEG:
        fe_neg(&a.y, &a.y);
        break;
    case BV_OP_SMUL:
        mpz_import(k, BV_REF_SCALAR_BYTES, -1, 1, 0, 0, y);
        apt_smul(&a, &a, k);
        break;
    case BV_OP_TO_AFFINE:
        break;
    default:
        /* An op the curve lacks is a caller's bug; the identity's zeros make it visible. */
        apt_set_inf(&a);
        break;
    }
    store_point(c, kind_of(op, BV_REF_OUT), out, &a);
    mpz_clear(k);
    apt_clear(&a);
    apt_clear(&b);
}

bool bv_ref_curve_slot_canonical(bv_family f, bv_op op, unsigned which, const uint8_t *v)
{
    const curve *c = curve_of(f);
    slot_kind kind = kind_of(op, which);
    if (kind == KIND_SCALAR)
        return true;
    size_t n = (kind == KIND_AFFINE ? 2 : 3) * c->coord;
    for (size_t off = 0; off < n; off += FP_BYTES)
        if (!bv_ref_is_canonical(BV_FAMILY_FP, v + off))
            return false;
    return true;
}

/* Whether a canonical point's bytes are on the curve (the identity is). */
static bool on_curve(const curve *c, slot_kind kind, const uint8_t *v)
{
    bool ok;
    if (kind == KIND_AFFINE) {
        apt a;
        load_point(c, kind, &a, v);
        ok = apt_on_curve(c, &a);
        apt_clear(&a);
    } else {
        jpt j;
        jpt_load(c, &j, v);
        ok = jpt_on_curve(c, &j);
        jpt_clear(&j);
    }
    return ok;
}

/* Same value: equal bytes for affine points (their encoding is unique), projective
 * equivalence for Jacobian ones. Both canonical. */
static bool same_point(const curve *c, slot_kind kind, const uint8_t *a, const uint8_t *b)
{
    jpt ja, jb;
    bool ok;
    if (kind == KIND_AFFINE)
        return memcmp(a, b, 2 * c->coord) == 0;
    jpt_load(c, &ja, a);
    jpt_load(c, &jb, b);
    ok = jpt_equivalent(&ja, &jb);
    jpt_clear(&ja);
    jpt_clear(&jb);
    return ok;
}

bool bv_ref_curve_equal(bv_family f, bv_op op, const uint8_t *a, const uint8_t *b)
{
    const curve *c = curve_of(f);
    slot_kind kind = kind_of(op, BV_REF_OUT);
    return bv_ref_curve_slot_canonical(f, op, BV_REF_OUT, a) &&
           bv_ref_curve_slot_canonical(f, op, BV_REF_OUT, b) && same_point(c, kind, a, b);
}

bv_ref_verdict bv_ref_curve_compare(bv_family f, bv_op op, const uint8_t *got,
                                    const uint8_t *expected)
{
    const curve *c = curve_of(f);
    slot_kind kind = kind_of(op, BV_REF_OUT);
    if (!bv_ref_curve_slot_canonical(f, op, BV_REF_OUT, got))
        return BV_REF_NOT_CANONICAL;
    if (!on_curve(c, kind, got))
        return BV_REF_OFF_CURVE;
    return same_point(c, kind, got, expected) ? BV_REF_SAME : BV_REF_WRONG;
}

bool bv_ref_curve_valid_input(bv_family f, bv_op op, unsigned input, const uint8_t *x)
{
    slot_kind kind = kind_of(op, input);
    if (kind == KIND_SCALAR)
        return true;
    return bv_ref_curve_slot_canonical(f, op, input, x) && on_curve(curve_of(f), kind, x);
}

/* "0x..." for G1, "0x...+0x...*u" for G2. */
static int fe_print(char *buf, size_t len, const curve *c, const fe *a)
{
    if (c->deg == 1)
        return gmp_snprintf(buf, len, "0x%Zx", a->c[0]);
    return gmp_snprintf(buf, len, "0x%Zx+0x%Zx*u", a->c[0], a->c[1]);
}

void bv_ref_curve_describe(bv_family f, bv_op op, unsigned which, const uint8_t *v, char *buf,
                           size_t len)
{
    const curve *c = curve_of(f);
    slot_kind kind = kind_of(op, which);
    size_t at = 0;
    apt a;
    int n;
    if (len == 0)
        return;
    buf[0] = '\0';
    if (kind == KIND_SCALAR) {
        mpz_t k;
        mpz_init(k);
        mpz_import(k, BV_REF_SCALAR_BYTES, -1, 1, 0, 0, v);
        gmp_snprintf(buf, len, "0x%Zx", k);
        mpz_clear(k);
        return;
    }
    bool canonical = bv_ref_curve_slot_canonical(f, op, which, v);
    bool curve_ok = canonical && on_curve(c, kind, v);
    /* A coordinate not below p is read mod p, so that something readable is still shown. */
    load_point(c, kind, &a, v);
    if (a.inf) {
        n = snprintf(buf, len, "identity");
    } else {
        n = snprintf(buf, len, "(");
        at = n > 0 && (size_t)n < len ? (size_t)n : len - 1;
        n = fe_print(buf + at, len - at, c, &a.x);
        at += n > 0 && (size_t)n < len - at ? (size_t)n : len - at - 1;
        n = snprintf(buf + at, len - at, ", ");
        at += n > 0 && (size_t)n < len - at ? (size_t)n : len - at - 1;
        n = fe_print(buf + at, len - at, c, &a.y);
        at += n > 0 && (size_t)n < len - at ? (size_t)n : len - at - 1;
        n = snprintf(buf + at, len - at, ")");
    }
    at = strlen(buf);
    if (!canonical || !curve_ok)
        snprintf(buf + at, len - at, " [%s]",
                 !canonical ? "not canonical" : "not on the curve");
    apt_clear(&a);
}

const uint8_t *bv_ref_curve_generator_bytes(bv_family f)
{
    return generators[f == BV_FAMILY_G2];
}

/* The published generator of c as an affine point (initialised here). */
static void published_generator(const curve *c, apt *g)
{
    const char *const(*hex)[2] = c->deg == 1 ? g1_gen_hex : g2_gen_hex;
    apt_init(g);
    for (unsigned i = 0; i < c->deg; i++) {
        mpz_set_str(g->x.c[i], hex[0][i], 16);
        mpz_set_str(g->y.c[i], hex[1][i], 16);
    }
    g->inf = false;
}

bv_status bv_ref_curve_setup(bv_error *err)
{
    const bv_ref_constants *fp = bv_ref_const(BV_FAMILY_FP), *fr = bv_ref_const(BV_FAMILY_FR);
    bv_status st = BV_OK;
    mpz_inits(p, rinv, rmod, order, NULL);
    bv_ref_to_mpz(p, BV_FAMILY_FP, fp->modulus);
    bv_ref_to_mpz(rinv, BV_FAMILY_FP, fp->rinv_mod);
    bv_ref_to_mpz(rmod, BV_FAMILY_FP, fp->r_mod);
    bv_ref_to_mpz(order, BV_FAMILY_FR, fr->modulus);
    for (int i = 0; i < 2 && st == BV_OK; i++) {
        curve *c = &curves[i];
        apt g, t;
        c->f = i ? BV_FAMILY_G2 : BV_FAMILY_G1;
        c->deg = i ? 2 : 1;
        c->coord = c->deg * FP_BYTES;
        fe_init(&c->b);
        mpz_set_ui(c->b.c[0], 4);
        mpz_set_ui(c->b.c[1], i ? 4 : 0);
        published_generator(c, &g);
        apt_init(&t);
        apt_smul(&t, &g, order);
        if (!apt_on_curve(c, &g) || !t.inf)
            st = bv_error_set(err, BV_ERR_INTERNAL,
                              "bv_ref_init: the published %s generator is %s",
                              i ? "g2" : "g1", !apt_on_curve(c, &g) ? "not on the curve"
                                                                    : "not of order r");
        store_point(c, KIND_JACOBIAN, generators[i], &g);
        apt_clear(&g);
        apt_clear(&t);
    }
    return st;
}

/* ---- the affine arithmetic that ref_msm.c builds on (ref_internal.h) --------------------- */

void bv_ref_apt_init(bv_ref_apt *a)
{
    apt_init(a);
}

void bv_ref_apt_clear(bv_ref_apt *a)
{
    apt_clear(a);
}

void bv_ref_apt_set(bv_ref_apt *r, const bv_ref_apt *a)
{
    apt_set(r, a);
}

void bv_ref_apt_add(bv_ref_apt *r, const bv_ref_apt *a, const bv_ref_apt *b)
{
    apt_add(r, a, b);
}

void bv_ref_apt_dbl(bv_ref_apt *r, const bv_ref_apt *a)
{
    apt_dbl(r, a);
}

void bv_ref_apt_from_slope(bv_ref_apt *r, const bv_ref_fe *lam, const bv_ref_apt *a,
                           const bv_ref_fe *xb)
{
    apt_from_slope(r, lam, a, xb);
}

void bv_ref_apt_smul(bv_ref_apt *r, const bv_ref_apt *a, const mpz_t k)
{
    apt_smul(r, a, k);
}

void bv_ref_apt_load(bv_family f, bv_ref_apt *a, const uint8_t *v, bool affine)
{
    load_point(curve_of(f), affine ? KIND_AFFINE : KIND_JACOBIAN, a, v);
}

void bv_ref_apt_store(bv_family f, uint8_t *out, const bv_ref_apt *a, bool affine)
{
    store_point(curve_of(f), affine ? KIND_AFFINE : KIND_JACOBIAN, out, a);
}
