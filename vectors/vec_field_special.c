/* vectors/vec_field_special.c: the special cases of a field op's edge set (docs/vectors.md):
 * inputs built from the catalogue or found by search so that each reduction boundary of
 * the op is hit (sums m-1, m, m+1; a borrow; products reducing to m-1, 1 and 0; final
 * subtractions of Montgomery reduction). */
#include "vec_field.h"

#include <string.h>

/* Where the searches for final-subtraction cases draw candidates: "edge" in ASCII. */
#define SEARCH_SEED 0x65646765ull
#define SEARCH_LIMIT 1000000u

/* The value Montgomery reduction reaches before its final conditional subtraction:
 * t = (x*y + q*m) / R with q = -x*y*m^-1 mod R; the subtraction runs when t >= m. */
static void redc_t(mpz_t t, const vec_field_ctx *fc, const mpz_t x, const mpz_t y)
{
    mpz_t xy, q;
    mpz_inits(xy, q, NULL);
    mpz_mul(xy, x, y);
    mpz_mul(q, xy, fc->minv);
    mpz_fdiv_r_2exp(q, q, fc->c->r_bits);
    mpz_mul(t, q, fc->m);
    mpz_add(t, t, xy);
    mpz_fdiv_q_2exp(t, t, fc->c->r_bits);
    mpz_clears(xy, q, NULL);
}

static void sp_fail(vec_specials *sl, const char *what, const char *name)
{
    if (sl->st == BV_OK)
        sl->st = bv_error_set(sl->err, BV_ERR_INTERNAL, "edge set %s: %s '%s'",
                              bv_ref_family_name(sl->f), what, name);
}

/* A catalogue value by name, into v. */
static bool cat_get(vec_specials *sl, mpz_t v, const char *name)
{
    for (size_t i = 0; i < sl->cat->n; i++) {
        if (strcmp(sl->cat->vals[i].name, name) == 0) {
            bv_ref_to_mpz(v, sl->f, sl->cat->vals[i].value);
            return true;
        }
    }
    sp_fail(sl, "no catalogue value", name);
    return false;
}

static void sp_add(vec_specials *sl, const char *name, const mpz_t x, const mpz_t y)
{
    const vec_field_ctx *fc = vec_field_ctx_get(sl->f);
    vec_special *s;
    if (sl->st != BV_OK)
        return;
    if (sl->n == VEC_MAX_SPECIALS || strlen(name) >= VEC_SPECIAL_NAME_BYTES) {
        sp_fail(sl, "no room for", name);
        return;
    }
    if (mpz_sgn(x) < 0 || mpz_cmp(x, fc->m) >= 0 ||
        (y && (mpz_sgn(y) < 0 || mpz_cmp(y, fc->m) >= 0))) {
        sp_fail(sl, "input not below m in", name);
        return;
    }
    s = &sl->items[sl->n];
    memset(s->y, 0, sizeof s->y);
    if ((sl->st = bv_ref_from_mpz(s->x, sl->f, x, sl->err)) != BV_OK ||
        (y && (sl->st = bv_ref_from_mpz(s->y, sl->f, y, sl->err)) != BV_OK))
        return;
    snprintf(s->name, sizeof s->name, "%s", name);
    sl->n++;
}

/* add: x + y as integers equal to m-1, m or m+1. */
static void specials_add(vec_specials *sl)
{
    static const char *const xs[] = {"1", "2", "(m-1)/2", "(m+1)/2", "m-1", "2^32-1", "2^64", "R_mod_m"};
    static const long sums[] = {-1, 0, 1};
    static const char *const sum_names[] = {"m-1", "m", "m+1"};
    const vec_field_ctx *fc = vec_field_ctx_get(sl->f);
    mpz_t x, y;
    char name[VEC_SPECIAL_NAME_BYTES];
    mpz_inits(x, y, NULL);
    for (size_t s = 0; s < 3; s++) {
        for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
            if (!cat_get(sl, x, xs[i]))
                break;
            vec_field_m_plus(y, fc, sums[s]);
            mpz_sub(y, y, x);
            if (mpz_sgn(y) < 0 || mpz_cmp(y, fc->m) >= 0)
                continue; /* no such y below m for this x */
            snprintf(name, sizeof name, "sum=%s:x=%s", sum_names[s], xs[i]);
            sp_add(sl, name, x, y);
        }
    }
    mpz_clears(x, y, NULL);
}

/* sub: x - y as integers equal to 0, -1 (borrow, wraps to m-1) or 1. */
static void specials_sub(vec_specials *sl)
{
    static const struct {
        long diff;
        const char *x;
    } cases[] = {
        {0, "m-1"}, {0, "(m+1)/2"}, {0, "2^32"}, {0, "R_mod_m"},
        {-1, "0"}, {-1, "1"}, {-1, "2^32-1"}, {-1, "2^64-1"}, {-1, "(m-1)/2"}, {-1, "m-2"},
        {1, "1"}, {1, "2^32"}, {1, "2^64"}, {1, "m-1"},
    };
    mpz_t x, y;
    char name[VEC_SPECIAL_NAME_BYTES];
    mpz_inits(x, y, NULL);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!cat_get(sl, x, cases[i].x))
            break;
        if (cases[i].diff >= 0)
            mpz_sub_ui(y, x, (unsigned long)cases[i].diff);
        else
            mpz_add_ui(y, x, (unsigned long)-cases[i].diff);
        snprintf(name, sizeof name, "diff=%ld:x=%s", cases[i].diff, cases[i].x);
        sp_add(sl, name, x, y);
    }
    mpz_clears(x, y, NULL);
}

/* Unary cases that are catalogue values under a name saying what the op gives. */
static void specials_named(vec_specials *sl, const char *const (*pairs)[2], size_t n)
{
    mpz_t x;
    char name[VEC_SPECIAL_NAME_BYTES];
    mpz_init(x);
    for (size_t i = 0; i < n; i++) {
        if (!cat_get(sl, x, pairs[i][1]))
            break;
        snprintf(name, sizeof name, "%s:x=%s", pairs[i][0], pairs[i][1]);
        sp_add(sl, name, x, NULL);
    }
    mpz_clear(x);
}

static void specials_dbl(vec_specials *sl)
{
    char top_claim[32], top_x[32];
    unsigned b = vec_field_ctx_get(sl->f)->c->bits;
    const char *const pairs[][2] = {
        {"2x=m-1", "(m-1)/2"}, {"2x=m+1", "(m+1)/2"}, {"2x=m-3", "(m-3)/2"},
        {"2x=m+3", "(m+3)/2"}, {"2x=2m-2", "m-1"},    {top_claim, top_x},
    };
    snprintf(top_claim, sizeof top_claim, "2x=2^%u", b);
    snprintf(top_x, sizeof top_x, "2^%u", b - 1);
    specials_named(sl, pairs, sizeof pairs / sizeof pairs[0]);
}

static void specials_neg(vec_specials *sl)
{
    static const char *const pairs[][2] = {{"neg=0", "0"}, {"neg=m-1", "1"}, {"neg=1", "m-1"}};
    specials_named(sl, pairs, sizeof pairs / sizeof pairs[0]);
}

static void specials_from_mont(vec_specials *sl)
{
    static const char *const pairs[][2] = {{"from_mont=1", "R_mod_m"}, {"from_mont=m-1", "mont(m-1)"}};
    specials_named(sl, pairs, sizeof pairs / sizeof pairs[0]);
}

/* Whether candidate x hits the case searched for; fills y, the second input (binary ops). */
typedef bool (*search_pred)(const vec_field_ctx *fc, const mpz_t x, mpz_t y);

/* Adds the first candidate of the search stream for which pred holds. */
static void sp_search(vec_specials *sl, const char *name, bv_op op, search_pred pred)
{
    const vec_field_ctx *fc = vec_field_ctx_get(sl->f);
    uint8_t cand[BV_REF_MAX_BYTES];
    mpz_t x, y;
    bool found = false;
    mpz_inits(x, y, NULL);
    for (uint64_t i = 0; i < SEARCH_LIMIT && !found; i++) {
        vec_field_random_element(sl->f, op, SEARCH_SEED, i, 0, cand);
        bv_ref_to_mpz(x, sl->f, cand);
        if (mpz_sgn(x) == 0)
            continue;
        found = pred(fc, x, y);
    }
    if (found)
        sp_add(sl, name, x, bv_ref_op_arity(op) == 2 ? y : NULL);
    else
        sp_fail(sl, "search found nothing for", name);
    mpz_clears(x, y, NULL);
}

/* Whether Montgomery reduction of x * y runs its final subtraction. */
static bool final_sub(const vec_field_ctx *fc, const mpz_t x, const mpz_t y)
{
    mpz_t t;
    bool hit;
    mpz_init(t);
    redc_t(t, fc, x, y);
    hit = mpz_cmp(t, fc->m) >= 0;
    mpz_clear(t);
    return hit;
}

/* y = R * x^-1: a product of 1, here one whose reduction value is m + 1. */
static bool pred_prod1_final_sub(const vec_field_ctx *fc, const mpz_t x, mpz_t y)
{
    mpz_invert(y, x, fc->m);
    mpz_mul(y, y, fc->r_mod);
    mpz_mod(y, y, fc->m);
    return final_sub(fc, x, y);
}

static bool pred_sqr_final_sub(const vec_field_ctx *fc, const mpz_t x, mpz_t y)
{
    mpz_set(y, x);
    return final_sub(fc, x, x);
}

static bool pred_to_mont_final_sub(const vec_field_ctx *fc, const mpz_t x, mpz_t y)
{
    mpz_set(y, fc->r2_mod);
    return final_sub(fc, x, fc->r2_mod);
}

static void specials_mul(vec_specials *sl)
{
    static const char *const xs_m1[] = {"1", "2", "m-1", "R_mod_m", "R^2_mod_m", "(m+1)/2", "2^32", "2^63"};
    static const char *const xs_1[] = {"1", "m-1", "R_mod_m", "2^64"};
    const vec_field_ctx *fc = vec_field_ctx_get(sl->f);
    mpz_t x, y, zero;
    char name[VEC_SPECIAL_NAME_BYTES];
    mpz_inits(x, y, zero, NULL);

    if (cat_get(sl, x, "m-1")) {
        sp_add(sl, "prod=0:x=0", zero, x);
        sp_add(sl, "prod=0:y=0", x, zero);
    }
    /* y = target * R * x^-1, so that x * y * R^-1 = target. */
    for (int which = 0; which < 2; which++) {
        const char *const *xs = which ? xs_1 : xs_m1;
        size_t n = which ? sizeof xs_1 / sizeof xs_1[0] : sizeof xs_m1 / sizeof xs_m1[0];
        for (size_t i = 0; i < n; i++) {
            if (!cat_get(sl, x, xs[i]))
                break;
            mpz_invert(y, x, fc->m);
            mpz_mul(y, y, fc->r_mod);
            if (!which)
                mpz_neg(y, y);
            mpz_mod(y, y, fc->m);
            snprintf(name, sizeof name, "prod=%s:x=%s", which ? "1" : "m-1", xs[i]);
            sp_add(sl, name, x, y);
        }
    }
    sp_search(sl, "prod=1:final-sub", BV_OP_MUL, pred_prod1_final_sub);
    mpz_clears(x, y, zero, NULL);
}

/* A square root mod the prime m (Tonelli-Shanks); false when a is not a square. */
static bool sqrt_mod(mpz_t root, const mpz_t a, const mpz_t m)
{
    mpz_t q, z, c, t, b;
    unsigned long s, i, mm;
    if (mpz_legendre(a, m) != 1)
        return false;
    mpz_inits(q, z, c, t, b, NULL);
    mpz_sub_ui(q, m, 1);
    s = mpz_scan1(q, 0);
    mpz_fdiv_q_2exp(q, q, s);
    mpz_set_ui(z, 2);
    while (mpz_legendre(z, m) != -1)
        mpz_add_ui(z, z, 1);
    mm = s;
    mpz_powm(c, z, q, m);
    mpz_powm(t, a, q, m);
    mpz_add_ui(b, q, 1);
    mpz_fdiv_q_2exp(b, b, 1);
    mpz_powm(root, a, b, m);
    while (mpz_cmp_ui(t, 1) != 0) {
        mpz_set(b, t);
        for (i = 0; i < mm && mpz_cmp_ui(b, 1) != 0; i++)
            mpz_powm_ui(b, b, 2, m);
        mpz_set(b, c);
        for (unsigned long k = 0; k + 1 < mm - i; k++)
            mpz_powm_ui(b, b, 2, m);
        mm = i;
        mpz_powm_ui(c, b, 2, m);
        mpz_mul(t, t, c);
        mpz_mod(t, t, m);
        mpz_mul(root, root, b);
        mpz_mod(root, root, m);
    }
    mpz_clears(q, z, c, t, b, NULL);
    return true;
}

static void specials_sqr(vec_specials *sl)
{
    const vec_field_ctx *fc = vec_field_ctx_get(sl->f);
    unsigned half = fc->c->r_bits / 2;
    mpz_t x, a;
    char name[VEC_SPECIAL_NAME_BYTES];
    mpz_inits(x, a, NULL);

    /* x^2 = R, so x * x * R^-1 = 1. */
    mpz_setbit(x, half);
    snprintf(name, sizeof name, "sqr=1:x=2^%u", half);
    sp_add(sl, name, x, NULL);
    mpz_sub(x, fc->m, x);
    snprintf(name, sizeof name, "sqr=1:x=m-2^%u", half);
    sp_add(sl, name, x, NULL);
    /* x^2 = -R; only where -R is a square (Fr, not Fp). */
    mpz_sub(a, fc->m, fc->r_mod);
    if (sqrt_mod(x, a, fc->m)) {
        mpz_sub(a, fc->m, x);
        if (mpz_cmp(a, x) < 0)
            mpz_swap(a, x);
        sp_add(sl, "sqr=m-1:x=sqrt(-R)", x, NULL);
        sp_add(sl, "sqr=m-1:x=m-sqrt(-R)", a, NULL);
    }
    sp_search(sl, "sqr:final-sub", BV_OP_SQR, pred_sqr_final_sub);
    mpz_clears(x, a, NULL);
}

static void specials_to_mont(vec_specials *sl)
{
    const vec_field_ctx *fc = vec_field_ctx_get(sl->f);
    mpz_t x;
    mpz_init(x);
    sp_add(sl, "to_mont=1:x=R^-1_mod_m", fc->rinv_mod, NULL);
    mpz_sub(x, fc->m, fc->rinv_mod);
    sp_add(sl, "to_mont=m-1:x=m-R^-1_mod_m", x, NULL);
    sp_search(sl, "to_mont:final-sub", BV_OP_TO_MONT, pred_to_mont_final_sub);
    mpz_clear(x);
}

/* inv: x = R^2 t^-1 mod m, whose inverse in Montgomery form, R^2 x^-1, is t: outputs at 1, 2,
 * m-1, m-2 and the limb boundaries; and inv(0) = 0. */
static void specials_inv(vec_specials *sl)
{
    const vec_field_ctx *fc = vec_field_ctx_get(sl->f);
    char top[32], name[VEC_SPECIAL_NAME_BYTES];
    const char *const targets[] = {"1", "2", "m-1", "m-2", "2^32", "2^64", top};
    mpz_t x, t;
    mpz_inits(x, t, NULL);
    snprintf(top, sizeof top, "2^%u", fc->c->bits - 1);
    sp_add(sl, "inv=0:x=0", x, NULL);
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        if (!cat_get(sl, t, targets[i]))
            break;
        mpz_invert(x, t, fc->m);
        mpz_mul(x, x, fc->r2_mod);
        mpz_mod(x, x, fc->m);
        snprintf(name, sizeof name, "inv=%s:x=R^2/(%s)", targets[i], targets[i]);
        sp_add(sl, name, x, NULL);
    }
    mpz_clears(x, t, NULL);
}

/* By op; every field op has special cases. */
const vec_specials_fn vec_field_specials[BV_OP_COUNT] = {
    [BV_OP_ADD] = specials_add,         [BV_OP_SUB] = specials_sub,
    [BV_OP_NEG] = specials_neg,         [BV_OP_DBL] = specials_dbl,
    [BV_OP_MUL] = specials_mul,         [BV_OP_SQR] = specials_sqr,
    [BV_OP_TO_MONT] = specials_to_mont, [BV_OP_FROM_MONT] = specials_from_mont,
    [BV_OP_INV] = specials_inv,
};
