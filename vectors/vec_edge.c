/* vectors/vec_edge.c: the named edge-case catalogue of each field and the edge sets of the ops
 * (catalogue values, their pairs, and special cases built to hit each reduction boundary).
 * docs/vectors.md lists what is here and why. */
#include "bv_vec.h"

#include <gmp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VALUES 128
#define VALUE_NAME_BYTES 40
#define MAX_SPECIALS 64
#define SPECIAL_NAME_BYTES 96
/* Where the searches for final-subtraction cases draw candidates: "edge" in ASCII. */
#define SEARCH_SEED 0x65646765ull
#define SEARCH_LIMIT 1000000u

typedef struct catalogue {
    bv_vec_edge_value vals[MAX_VALUES];
    char names[MAX_VALUES][VALUE_NAME_BYTES];
    size_t n;
} catalogue;

static catalogue catalogues[BV_FAMILY_COUNT];
static pthread_once_t catalogue_once = PTHREAD_ONCE_INIT;
static bv_error catalogue_err; /* status BV_OK unless building the catalogues found a bug */

/* One field's constants as GMP integers. */
typedef struct field_ctx {
    bv_family f;
    const bv_ref_constants *c;
    mpz_t m, R, r_mod, r2_mod, rinv_mod, minv; /* minv = -m^-1 mod R */
} field_ctx;

static void import_le(mpz_t out, const uint8_t *x, size_t bytes)
{
    mpz_import(out, bytes, -1, 1, 0, 0, x);
}

/* Caller guarantees 0 <= x < m, so x fits the element. */
static void export_le(uint8_t *out, size_t bytes, const mpz_t x)
{
    memset(out, 0, bytes);
    mpz_export(out, NULL, -1, 1, 0, 0, x);
}

static void field_ctx_init(field_ctx *fc, bv_family f)
{
    fc->f = f;
    fc->c = bv_ref_constants_get(f);
    mpz_inits(fc->m, fc->R, fc->r_mod, fc->r2_mod, fc->rinv_mod, fc->minv, NULL);
    import_le(fc->m, fc->c->modulus, fc->c->bytes);
    import_le(fc->r_mod, fc->c->r_mod, fc->c->bytes);
    import_le(fc->r2_mod, fc->c->r2_mod, fc->c->bytes);
    import_le(fc->rinv_mod, fc->c->rinv_mod, fc->c->bytes);
    mpz_setbit(fc->R, fc->c->r_bits);
    mpz_invert(fc->minv, fc->m, fc->R);
    mpz_sub(fc->minv, fc->R, fc->minv);
}

static void field_ctx_clear(field_ctx *fc)
{
    mpz_clears(fc->m, fc->R, fc->r_mod, fc->r2_mod, fc->rinv_mod, fc->minv, NULL);
}

/* The value Montgomery reduction reaches before its final conditional subtraction:
 * t = (x*y + q*m) / R with q = -x*y*m^-1 mod R; the subtraction runs when t >= m. */
static void redc_t(mpz_t t, const field_ctx *fc, const mpz_t x, const mpz_t y)
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

/* ---------------------------------------------------------------- catalogue */

static void cat_add(catalogue *cat, const field_ctx *fc, const char *name, const mpz_t v)
{
    if (catalogue_err.status != BV_OK)
        return;
    if (cat->n == MAX_VALUES || strlen(name) >= VALUE_NAME_BYTES || strpbrk(name, ",:")) {
        bv_error_set(&catalogue_err, BV_ERR_INTERNAL, "edge catalogue %s: no room for '%s'",
                     bv_ref_family_name(fc->f), name);
        return;
    }
    if (mpz_sgn(v) < 0 || mpz_cmp(v, fc->m) >= 0) {
        bv_error_set(&catalogue_err, BV_ERR_INTERNAL, "edge catalogue %s: '%s' is not below m",
                     bv_ref_family_name(fc->f), name);
        return;
    }
    for (size_t i = 0; i < cat->n; i++) {
        if (strcmp(cat->names[i], name) == 0) {
            bv_error_set(&catalogue_err, BV_ERR_INTERNAL, "edge catalogue %s: '%s' twice",
                         bv_ref_family_name(fc->f), name);
            return;
        }
    }
    snprintf(cat->names[cat->n], VALUE_NAME_BYTES, "%s", name);
    cat->vals[cat->n].name = cat->names[cat->n];
    export_le(cat->vals[cat->n].value, fc->c->bytes, v);
    cat->n++;
}

/* v = m + d (d may be negative). */
static void m_plus(mpz_t v, const field_ctx *fc, long d)
{
    if (d >= 0)
        mpz_add_ui(v, fc->m, (unsigned long)d);
    else
        mpz_sub_ui(v, fc->m, (unsigned long)-d);
}

static void build_catalogue(bv_family f)
{
    catalogue *cat = &catalogues[f];
    field_ctx fc;
    mpz_t v, t;
    char name[VALUE_NAME_BYTES];
    unsigned b;

    field_ctx_init(&fc, f);
    mpz_inits(v, t, NULL);
    b = fc.c->bits;

    for (unsigned long k = 0; k <= 3; k++) {
        mpz_set_ui(v, k);
        snprintf(name, sizeof name, "%lu", k);
        cat_add(cat, &fc, name, v);
    }
    for (long d = 1; d <= 3; d++) {
        m_plus(v, &fc, -d);
        snprintf(name, sizeof name, "m-%ld", d);
        cat_add(cat, &fc, name, v);
    }
    static const long halves[] = {-1, 1, -3, 3};
    for (size_t i = 0; i < sizeof halves / sizeof halves[0]; i++) {
        m_plus(v, &fc, halves[i]);
        mpz_fdiv_q_2exp(v, v, 1);
        snprintf(name, sizeof name, "(m%+ld)/2", halves[i]);
        cat_add(cat, &fc, name, v);
    }
    cat_add(cat, &fc, "R_mod_m", fc.r_mod);
    cat_add(cat, &fc, "R^2_mod_m", fc.r2_mod);
    cat_add(cat, &fc, "R^-1_mod_m", fc.rinv_mod);
    mpz_sub(v, fc.m, fc.r_mod);
    cat_add(cat, &fc, "mont(m-1)", v);
    mpz_mul_2exp(v, fc.r_mod, 1);
    mpz_mod(v, v, fc.m);
    cat_add(cat, &fc, "mont(2)", v);

    /* Every 32-bit limb boundary (so every 64-bit one too), then the field's top bit. */
    for (unsigned k = 32; k < b; k += 32) {
        for (int d = -1; d <= 1; d++) {
            mpz_set_ui(v, 0);
            mpz_setbit(v, k);
            if (d < 0)
                mpz_sub_ui(v, v, 1);
            else
                mpz_add_ui(v, v, (unsigned long)d);
            snprintf(name, sizeof name, d ? "2^%u%+d" : "2^%u", k, d);
            cat_add(cat, &fc, name, v);
        }
    }
    mpz_set_ui(v, 0);
    mpz_setbit(v, 31);
    cat_add(cat, &fc, "2^31", v);
    mpz_set_ui(v, 0);
    mpz_setbit(v, 63);
    cat_add(cat, &fc, "2^63", v);
    for (int d = -1; d <= 1; d++) {
        mpz_set_ui(v, 0);
        mpz_setbit(v, b - 1);
        if (d < 0)
            mpz_sub_ui(v, v, 1);
        else
            mpz_add_ui(v, v, (unsigned long)d);
        snprintf(name, sizeof name, d ? "2^%u%+d" : "2^%u", b - 1, d);
        cat_add(cat, &fc, name, v);
    }

    /* One all-ones limb; limb 0 is 2^32-1, already above. */
    for (unsigned k = 32;; k += 32) {
        mpz_set_ui(v, 0xffffffffu);
        mpz_mul_2exp(v, v, k);
        if (mpz_cmp(v, fc.m) >= 0)
            break;
        snprintf(name, sizeof name, "0xffffffff<<%u", k);
        cat_add(cat, &fc, name, v);
    }
    /* A small value alone in limb 1 of either limb width: a special-case path keyed on one
     * limb's value (a small-multiplier shortcut, a zero-limb skip) is wrong for values that
     * random inputs never produce; the mutant load-x-limb1-value-7 stands for such bugs. */
    mpz_set_ui(v, 7);
    mpz_mul_2exp(v, v, 32);
    cat_add(cat, &fc, "7*2^32", v);
    mpz_set_ui(v, 7);
    mpz_mul_2exp(v, v, 64);
    cat_add(cat, &fc, "7*2^64", v);
    /* Every limb all ones but the top, which is m's top limb minus one. */
    static const unsigned limb_bits[] = {32, 64};
    for (size_t i = 0; i < 2; i++) {
        unsigned low = fc.c->bytes * 8 - limb_bits[i];
        mpz_fdiv_q_2exp(t, fc.m, low);
        mpz_sub_ui(t, t, 1);
        mpz_mul_2exp(v, t, low);
        mpz_set_ui(t, 0);
        mpz_setbit(t, low);
        mpz_sub_ui(t, t, 1);
        mpz_ior(v, v, t);
        snprintf(name, sizeof name, "(top%u(m)-1)|ones", limb_bits[i]);
        cat_add(cat, &fc, name, v);
    }
    mpz_set_ui(v, 0);
    for (unsigned k = 0; k < b; k += 2)
        mpz_setbit(v, k);
    cat_add(cat, &fc, "0x5555...", v);
    mpz_set_ui(v, 0);
    for (unsigned k = 1; k < b - 1; k += 2)
        mpz_setbit(v, k);
    cat_add(cat, &fc, "0xaaaa...", v);

    /* m minus small powers of two: borrows that run through many limbs. */
    unsigned pows[32], np = 0;
    pows[np++] = 2;
    pows[np++] = 3;
    pows[np++] = 31;
    pows[np++] = 63;
    for (unsigned k = 32; k < b; k += 32)
        pows[np++] = k;
    pows[np++] = b - 1;
    for (unsigned i = 0; i < np; i++) {
        mpz_set_ui(t, 0);
        mpz_setbit(t, pows[i]);
        mpz_sub(v, fc.m, t);
        if (pows[i] < 4)
            snprintf(name, sizeof name, "m-%u", 1u << pows[i]);
        else
            snprintf(name, sizeof name, "m-2^%u", pows[i]);
        cat_add(cat, &fc, name, v);
    }

    mpz_clears(v, t, NULL);
    field_ctx_clear(&fc);
}

static void build_catalogues(void)
{
    bv_error_clear(&catalogue_err);
    for (int f = 0; f < BV_FAMILY_COUNT; f++)
        build_catalogue((bv_family)f);
}

bv_status bv_vec_edge_values(bv_family f, const bv_vec_edge_value **vals, size_t *n, bv_error *err)
{
    bv_status st;
    if ((unsigned)f >= BV_FAMILY_COUNT)
        return bv_error_set(err, BV_ERR_ARG, "bv_vec_edge_values: invalid field");
    if ((st = bv_ref_init(err)) != BV_OK)
        return st;
    pthread_once(&catalogue_once, build_catalogues);
    if (catalogue_err.status != BV_OK) {
        if (err)
            *err = catalogue_err;
        return catalogue_err.status;
    }
    *vals = catalogues[f].vals;
    *n = catalogues[f].n;
    return BV_OK;
}

/* ---------------------------------------------------------------- special cases */

typedef struct special {
    char name[SPECIAL_NAME_BYTES];
    uint8_t x[BV_REF_MAX_BYTES], y[BV_REF_MAX_BYTES];
} special;

typedef struct special_list {
    const field_ctx *fc;
    const catalogue *cat;
    special items[MAX_SPECIALS];
    size_t n;
    bv_error *err;
    bv_status st;
} special_list;

static void sp_fail(special_list *sl, const char *what, const char *name)
{
    if (sl->st == BV_OK)
        sl->st = bv_error_set(sl->err, BV_ERR_INTERNAL, "edge set %s: %s '%s'",
                              bv_ref_family_name(sl->fc->f), what, name);
}

/* A catalogue value by name, into v. */
static bool cat_get(special_list *sl, mpz_t v, const char *name)
{
    for (size_t i = 0; i < sl->cat->n; i++) {
        if (strcmp(sl->cat->vals[i].name, name) == 0) {
            import_le(v, sl->cat->vals[i].value, sl->fc->c->bytes);
            return true;
        }
    }
    sp_fail(sl, "no catalogue value", name);
    return false;
}

static void sp_add(special_list *sl, const char *name, const mpz_t x, const mpz_t y)
{
    special *s;
    if (sl->st != BV_OK)
        return;
    if (sl->n == MAX_SPECIALS || strlen(name) >= SPECIAL_NAME_BYTES) {
        sp_fail(sl, "no room for", name);
        return;
    }
    if (mpz_sgn(x) < 0 || mpz_cmp(x, sl->fc->m) >= 0 ||
        (y && (mpz_sgn(y) < 0 || mpz_cmp(y, sl->fc->m) >= 0))) {
        sp_fail(sl, "input not below m in", name);
        return;
    }
    s = &sl->items[sl->n++];
    snprintf(s->name, sizeof s->name, "%s", name);
    export_le(s->x, sl->fc->c->bytes, x);
    memset(s->y, 0, sizeof s->y);
    if (y)
        export_le(s->y, sl->fc->c->bytes, y);
}

/* add: x + y as integers equal to m-1, m or m+1. */
static void specials_add(special_list *sl)
{
    static const char *const xs[] = {"1", "2", "(m-1)/2", "(m+1)/2", "m-1", "2^32-1", "2^64", "R_mod_m"};
    static const long sums[] = {-1, 0, 1};
    static const char *const sum_names[] = {"m-1", "m", "m+1"};
    mpz_t x, y;
    char name[SPECIAL_NAME_BYTES];
    mpz_inits(x, y, NULL);
    for (size_t s = 0; s < 3; s++) {
        for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
            if (!cat_get(sl, x, xs[i]))
                break;
            m_plus(y, sl->fc, sums[s]);
            mpz_sub(y, y, x);
            if (mpz_sgn(y) < 0 || mpz_cmp(y, sl->fc->m) >= 0)
                continue; /* no such y below m for this x */
            snprintf(name, sizeof name, "sum=%s:x=%s", sum_names[s], xs[i]);
            sp_add(sl, name, x, y);
        }
    }
    mpz_clears(x, y, NULL);
}

/* sub: x - y as integers equal to 0, -1 (borrow, wraps to m-1) or 1. */
static void specials_sub(special_list *sl)
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
    char name[SPECIAL_NAME_BYTES];
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
static void specials_named(special_list *sl, const char *const (*pairs)[2], size_t n)
{
    mpz_t x;
    char name[SPECIAL_NAME_BYTES];
    mpz_init(x);
    for (size_t i = 0; i < n; i++) {
        if (!cat_get(sl, x, pairs[i][1]))
            break;
        snprintf(name, sizeof name, "%s:x=%s", pairs[i][0], pairs[i][1]);
        sp_add(sl, name, x, NULL);
    }
    mpz_clear(x);
}

static void specials_dbl(special_list *sl)
{
    char top_claim[32], top_x[32];
    unsigned b = sl->fc->c->bits;
    const char *const pairs[][2] = {
        {"2x=m-1", "(m-1)/2"}, {"2x=m+1", "(m+1)/2"}, {"2x=m-3", "(m-3)/2"},
        {"2x=m+3", "(m+3)/2"}, {"2x=2m-2", "m-1"},    {top_claim, top_x},
    };
    snprintf(top_claim, sizeof top_claim, "2x=2^%u", b);
    snprintf(top_x, sizeof top_x, "2^%u", b - 1);
    specials_named(sl, pairs, sizeof pairs / sizeof pairs[0]);
}

static void specials_neg(special_list *sl)
{
    static const char *const pairs[][2] = {{"neg=0", "0"}, {"neg=m-1", "1"}, {"neg=1", "m-1"}};
    specials_named(sl, pairs, sizeof pairs / sizeof pairs[0]);
}

static void specials_from_mont(special_list *sl)
{
    static const char *const pairs[][2] = {{"from_mont=1", "R_mod_m"}, {"from_mont=m-1", "mont(m-1)"}};
    specials_named(sl, pairs, sizeof pairs / sizeof pairs[0]);
}

/* The first candidate of the search stream for which pick() holds; y is filled by make_y. */
typedef bool (*search_pred)(const field_ctx *fc, const mpz_t x, mpz_t y);

static void sp_search(special_list *sl, const char *name, bv_op op, search_pred pred)
{
    uint8_t cand[BV_REF_MAX_BYTES];
    mpz_t x, y;
    bool found = false;
    mpz_inits(x, y, NULL);
    for (uint64_t i = 0; i < SEARCH_LIMIT && !found; i++) {
        bv_vec_random_element(sl->fc->f, op, SEARCH_SEED, i, 0, cand);
        import_le(x, cand, sl->fc->c->bytes);
        if (mpz_sgn(x) == 0)
            continue;
        found = pred(sl->fc, x, y);
    }
    if (found)
        sp_add(sl, name, x, bv_ref_op_arity(op) == 2 ? y : NULL);
    else
        sp_fail(sl, "search found nothing for", name);
    mpz_clears(x, y, NULL);
}

/* y = R * x^-1: a product of 1, here one whose reduction value is m + 1. */
static bool pred_prod1_final_sub(const field_ctx *fc, const mpz_t x, mpz_t y)
{
    mpz_t t;
    bool hit;
    mpz_init(t);
    mpz_invert(y, x, fc->m);
    mpz_mul(y, y, fc->r_mod);
    mpz_mod(y, y, fc->m);
    redc_t(t, fc, x, y);
    hit = mpz_cmp(t, fc->m) >= 0;
    mpz_clear(t);
    return hit;
}

static bool pred_sqr_final_sub(const field_ctx *fc, const mpz_t x, mpz_t y)
{
    mpz_t t;
    bool hit;
    mpz_init(t);
    redc_t(t, fc, x, x);
    hit = mpz_cmp(t, fc->m) >= 0;
    mpz_set(y, x);
    mpz_clear(t);
    return hit;
}

static bool pred_to_mont_final_sub(const field_ctx *fc, const mpz_t x, mpz_t y)
{
    mpz_t t;
    bool hit;
    mpz_init(t);
    redc_t(t, fc, x, fc->r2_mod);
    hit = mpz_cmp(t, fc->m) >= 0;
    mpz_set(y, fc->r2_mod);
    mpz_clear(t);
    return hit;
}

static void specials_mul(special_list *sl)
{
    static const char *const xs_m1[] = {"1", "2", "m-1", "R_mod_m", "R^2_mod_m", "(m+1)/2", "2^32", "2^63"};
    static const char *const xs_1[] = {"1", "m-1", "R_mod_m", "2^64"};
    const field_ctx *fc = sl->fc;
    mpz_t x, y, zero;
    char name[SPECIAL_NAME_BYTES];
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

static void specials_sqr(special_list *sl)
{
    const field_ctx *fc = sl->fc;
    unsigned half = fc->c->r_bits / 2;
    mpz_t x, a;
    char name[SPECIAL_NAME_BYTES];
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

static void specials_to_mont(special_list *sl)
{
    const field_ctx *fc = sl->fc;
    mpz_t x;
    mpz_init(x);
    sp_add(sl, "to_mont=1:x=R^-1_mod_m", fc->rinv_mod, NULL);
    mpz_sub(x, fc->m, fc->rinv_mod);
    sp_add(sl, "to_mont=m-1:x=m-R^-1_mod_m", x, NULL);
    sp_search(sl, "to_mont:final-sub", BV_OP_TO_MONT, pred_to_mont_final_sub);
    mpz_clear(x);
}

static bv_status set_name(bv_vec_set *set, size_t i, const char *a, const char *b, bv_error *err)
{
    size_t n = strlen("edge/") + strlen(a) + (b ? 1 + strlen(b) : 0) + 1;
    set->names[i] = malloc(n);
    if (!set->names[i])
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory for edge case names");
    snprintf(set->names[i], n, b ? "edge/%s,%s" : "edge/%s", a, b ? b : "");
    return BV_OK;
}

bv_status bv_vec_edge(bv_family f, bv_op op, bv_vec_set **out, bv_error *err)
{
    bv_status st;
    const bv_vec_edge_value *vals = NULL;
    size_t nv = 0, count, bytes, at = 0;
    special_list *sl = NULL;
    bv_vec_set *set = NULL;
    field_ctx fc;
    bool have_fc = false;

    *out = NULL;
    if ((unsigned)op >= BV_OP_COUNT)
        return bv_error_set(err, BV_ERR_ARG, "bv_vec_edge: invalid op");
    if ((st = bv_vec_edge_values(f, &vals, &nv, err)) != BV_OK)
        return st;
    bytes = bv_ref_family_bytes(f);
    field_ctx_init(&fc, f);
    have_fc = true;
    sl = calloc(1, sizeof *sl);
    if (!sl) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory building edge cases");
        goto fail;
    }
    sl->fc = &fc;
    sl->cat = &catalogues[f];
    sl->err = err;
    switch (op) {
    case BV_OP_ADD: specials_add(sl); break;
    case BV_OP_SUB: specials_sub(sl); break;
    case BV_OP_NEG: specials_neg(sl); break;
    case BV_OP_DBL: specials_dbl(sl); break;
    case BV_OP_MUL: specials_mul(sl); break;
    case BV_OP_SQR: specials_sqr(sl); break;
    case BV_OP_TO_MONT: specials_to_mont(sl); break;
    case BV_OP_FROM_MONT: specials_from_mont(sl); break;
    default: break;
    }
    if ((st = sl->st) != BV_OK)
        goto fail;

    count = bv_ref_op_arity(op) == 2 ? nv * nv : nv;
    if (bv_size_add(count, sl->n, &count) != BV_OK) {
        st = bv_error_set(err, BV_ERR_OVERFLOW, "edge set too large");
        goto fail;
    }
    if ((st = bv_vec_set_create(f, op, count, true, &set, err)) != BV_OK)
        goto fail;
    if (set->y) {
        for (size_t i = 0; i < nv; i++) {
            for (size_t j = 0; j < nv; j++, at++) {
                memcpy(set->x + at * bytes, vals[i].value, bytes);
                memcpy(set->y + at * bytes, vals[j].value, bytes);
                if ((st = set_name(set, at, vals[i].name, vals[j].name, err)) != BV_OK)
                    goto fail;
            }
        }
    } else {
        for (size_t i = 0; i < nv; i++, at++) {
            memcpy(set->x + at * bytes, vals[i].value, bytes);
            if ((st = set_name(set, at, vals[i].name, NULL, err)) != BV_OK)
                goto fail;
        }
    }
    for (size_t i = 0; i < sl->n; i++, at++) {
        memcpy(set->x + at * bytes, sl->items[i].x, bytes);
        if (set->y)
            memcpy(set->y + at * bytes, sl->items[i].y, bytes);
        if ((st = set_name(set, at, sl->items[i].name, NULL, err)) != BV_OK)
            goto fail;
    }
    snprintf(set->name_prefix, sizeof set->name_prefix, "edge/");
    free(sl);
    field_ctx_clear(&fc);
    *out = set;
    return BV_OK;
fail:
    bv_vec_set_destroy(set);
    free(sl);
    if (have_fc)
        field_ctx_clear(&fc);
    return st;
}
