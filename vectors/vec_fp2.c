/* vectors/vec_fp2.c: the Fp2 family's vectors (docs/vectors.md): the edge catalogue, built
 * from Fp's (every Fp edge value in each coordinate, with 0 and with another edge value beside
 * it, and the elements that matter to Fp2's own arithmetic: 1, u, 1 + u, -1, their Montgomery
 * forms), the special cases of each op, and the seeded generator (c0 then c1 drawn as Fp
 * elements from one stream). */
#include "vec_field.h"

#include <stdlib.h>
#include <string.h>

#define FP_BYTES 48

/* ---- names ---------------------------------------------------------------------------
 * c0 + c1*u is named "<c0>" when c1 = 0, "u*<c1>" when c0 = 0 ("u" for c1 = 1), and
 * "<c0>+u*<c1>" otherwise ("<c0>+u" for c1 = 1), where a coordinate's Fp name is put in
 * parentheses unless it is a single term ("1", "R_mod_m", "2^64"). */

static void wrap(char *out, size_t n, const char *c)
{
    snprintf(out, n, strpbrk(c, "+-*/|<") ? "(%s)" : "%s", c);
}

static void fp2_name(char *out, size_t n, const char *c0, const char *c1)
{
    char a[VEC_SPECIAL_NAME_BYTES], b[VEC_SPECIAL_NAME_BYTES];
    wrap(a, sizeof a, c0);
    wrap(b, sizeof b, c1);
    if (strcmp(c1, "0") == 0)
        snprintf(out, n, "%s", c0);
    else if (strcmp(c0, "0") == 0)
        snprintf(out, n, strcmp(c1, "1") == 0 ? "u" : "u*%s", b);
    else if (strcmp(c1, "1") == 0)
        snprintf(out, n, "%s+u", a);
    else
        snprintf(out, n, "%s+u*%s", a, b);
}

/* ---- the catalogue -------------------------------------------------------------------- */

typedef struct builder {
    vec_catalogue *cat;
    const vec_catalogue *fp; /* Fp's catalogue, for coordinates by name */
    bv_error *err;
    bv_status st;
} builder;

static const uint8_t *fp_value(const vec_catalogue *fp, const char *name)
{
    for (size_t i = 0; i < fp->n; i++)
        if (strcmp(fp->vals[i].name, name) == 0)
            return fp->vals[i].value;
    return NULL;
}

/* Adds c0 + c1*u, both Fp catalogue values by name; an element already there is skipped. */
static void cat_add(builder *bd, const char *c0, const char *c1)
{
    vec_catalogue *cat = bd->cat;
    char name[2 * VEC_VALUE_NAME_BYTES];
    if (bd->st != BV_OK)
        return;
    const uint8_t *v0 = fp_value(bd->fp, c0), *v1 = fp_value(bd->fp, c1);
    fp2_name(name, sizeof name, c0, c1);
    if (!v0 || !v1 || cat->n == VEC_MAX_VALUES || strlen(name) >= VEC_VALUE_NAME_BYTES) {
        bd->st = bv_error_set(bd->err, BV_ERR_INTERNAL, "edge catalogue fp2: no room for '%s'%s",
                              name, !v0 || !v1 ? " (no such Fp value)" : "");
        return;
    }
    for (size_t i = 0; i < cat->n; i++)
        if (strcmp(cat->names[i], name) == 0)
            return;
    memcpy(cat->vals[cat->n].value, v0, FP_BYTES);
    memcpy(cat->vals[cat->n].value + FP_BYTES, v1, FP_BYTES);
    snprintf(cat->names[cat->n], VEC_VALUE_NAME_BYTES, "%s", name);
    cat->vals[cat->n].name = cat->names[cat->n];
    cat->n++;
}

bv_status vec_fp2_catalogue(bv_family f, vec_catalogue *cat, bv_error *err)
{
    /* The structure of Fp2 itself: 0, 1, u, 1 + u, -1, -u, 1 - u, their Montgomery forms,
     * and coordinates that sum to p (so that a0 + a1, used by Karatsuba, wraps). */
    static const char *const structural[][2] = {
        {"0", "0"},           {"1", "0"},
        {"0", "1"},           {"1", "1"},
        {"m-1", "0"},         {"0", "m-1"},
        {"m-1", "m-1"},       {"1", "m-1"},
        {"m-1", "1"},         {"R_mod_m", "0"},
        {"0", "R_mod_m"},     {"R_mod_m", "R_mod_m"},
        {"mont(m-1)", "0"},   {"0", "mont(m-1)"},
        {"mont(m-1)", "mont(m-1)"}, {"R_mod_m", "mont(m-1)"},
        {"(m-1)/2", "(m+1)/2"}, {"(m+1)/2", "(m-1)/2"},
        {"(m+1)/2", "(m+1)/2"}, {"(m-1)/2", "(m-1)/2"},
        {"2", "m-2"},         {"m-2", "2"},
    };
    vec_catalogue *fp = calloc(1, sizeof *fp);
    builder bd = {cat, fp, err, BV_OK};
    (void)f;
    if (!fp)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory building the fp2 catalogue");
    if ((bd.st = vec_field_catalogue(BV_FAMILY_FP, fp, err)) != BV_OK)
        goto out;
    for (size_t i = 0; i < sizeof structural / sizeof structural[0]; i++)
        cat_add(&bd, structural[i][0], structural[i][1]);
    /* Every Fp edge value alone in c0, alone in c1, and beside another one: value i with
     * value i + n/2 (mod n), so that each sits in each coordinate next to a different kind of
     * value (small with large, limb boundary with bit pattern). */
    for (size_t i = 0; i < fp->n; i++)
        cat_add(&bd, fp->vals[i].name, "0");
    for (size_t i = 0; i < fp->n; i++)
        cat_add(&bd, "0", fp->vals[i].name);
    for (size_t i = 0; i < fp->n; i++)
        cat_add(&bd, fp->vals[i].name, fp->vals[(i + fp->n / 2) % fp->n].name);
out:
    free(fp);
    return bd.st;
}

/* ---- special cases -------------------------------------------------------------------- */

/* The Fp context; c0 and c1 of an element as mpz. */
static const vec_field_ctx *fpc(void)
{
    return vec_field_ctx_get(BV_FAMILY_FP);
}

/* An Fp catalogue value by name; the Fp2 catalogue holds every one as c0 with c1 = 0. */
static bool fp_get(vec_specials *sl, mpz_t v, const char *name)
{
    for (size_t i = 0; i < sl->cat->n; i++) {
        if (strcmp(sl->cat->vals[i].name, name) == 0) {
            bv_ref_to_mpz(v, BV_FAMILY_FP, sl->cat->vals[i].value);
            return true;
        }
    }
    if (sl->st == BV_OK)
        sl->st = bv_error_set(sl->err, BV_ERR_INTERNAL, "edge set fp2: no catalogue value '%s'",
                              name);
    return false;
}

static bool below_p(const mpz_t v)
{
    return mpz_sgn(v) >= 0 && mpz_cmp(v, fpc()->m) < 0;
}

/* Adds x = x0 + x1 u (and y = y0 + y1 u for binary ops; y0 NULL for unary) under `name`. */
static void sp_add(vec_specials *sl, const char *name, const mpz_t x0, const mpz_t x1,
                   const mpz_t y0, const mpz_t y1)
{
    vec_special *s;
    if (sl->st != BV_OK)
        return;
    if (sl->n == VEC_MAX_SPECIALS || strlen(name) >= VEC_SPECIAL_NAME_BYTES ||
        !below_p(x0) || !below_p(x1) || (y0 && (!below_p(y0) || !below_p(y1)))) {
        sl->st = bv_error_set(sl->err, BV_ERR_INTERNAL, "edge set fp2: cannot add '%s'", name);
        return;
    }
    s = &sl->items[sl->n];
    memset(s->y, 0, sizeof s->y);
    BV_IGNORE(bv_ref_from_mpz(s->x, BV_FAMILY_FP, x0, NULL));
    BV_IGNORE(bv_ref_from_mpz(s->x + FP_BYTES, BV_FAMILY_FP, x1, NULL));
    if (y0) {
        BV_IGNORE(bv_ref_from_mpz(s->y, BV_FAMILY_FP, y0, NULL));
        BV_IGNORE(bv_ref_from_mpz(s->y + FP_BYTES, BV_FAMILY_FP, y1, NULL));
    }
    snprintf(s->name, sizeof s->name, "%s", name);
    sl->n++;
}

/* "<claim>=<fp2 name of (r0, r1)>:x=<fp2 name of (x0, x1)>" */
static void claim_name(char *out, size_t n, const char *claim, const char *r0, const char *r1,
                       const char *x0, const char *x1)
{
    char r[VEC_SPECIAL_NAME_BYTES], x[VEC_SPECIAL_NAME_BYTES];
    fp2_name(r, sizeof r, r0, r1);
    fp2_name(x, sizeof x, x0, x1);
    snprintf(out, n, "%s=%s:x=%s", claim, r, x);
}

/* add: x + y as integers, coordinate by coordinate, equal to m-1, m or m+1 each. */
static void specials_add(vec_specials *sl)
{
    static const char *const sums[] = {"m-1", "m", "m+1"};
    static const long d[] = {-1, 0, 1};
    static const char *const xs[][2] = {{"(m+1)/2", "(m-1)/2"}, {"m-1", "1"}};
    mpz_t x0, x1, y0, y1;
    char name[VEC_SPECIAL_NAME_BYTES];
    mpz_inits(x0, x1, y0, y1, NULL);
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < 3; i++)
            for (size_t j = 0; j < 3; j++) {
                if (!fp_get(sl, x0, xs[k][0]) || !fp_get(sl, x1, xs[k][1]))
                    goto out;
                vec_field_m_plus(y0, fpc(), d[i]);
                mpz_sub(y0, y0, x0);
                vec_field_m_plus(y1, fpc(), d[j]);
                mpz_sub(y1, y1, x1);
                if (!below_p(y0) || !below_p(y1))
                    continue;
                claim_name(name, sizeof name, "sum", sums[i], sums[j], xs[k][0], xs[k][1]);
                sp_add(sl, name, x0, x1, y0, y1);
            }
out:
    mpz_clears(x0, x1, y0, y1, NULL);
}

/* sub: x - y as integers, coordinate by coordinate, equal to 0, -1 (a borrow) or 1 each. */
static void specials_sub(vec_specials *sl)
{
    static const char *const diffs[] = {"0", "-1", "1"};
    static const long d[] = {0, -1, 1};
    static const char *const xs[][2] = {{"(m+1)/2", "(m-1)/2"}, {"1", "m-2"}};
    mpz_t x0, x1, y0, y1;
    char name[VEC_SPECIAL_NAME_BYTES];
    mpz_inits(x0, x1, y0, y1, NULL);
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < 3; i++)
            for (size_t j = 0; j < 3; j++) {
                if (!fp_get(sl, x0, xs[k][0]) || !fp_get(sl, x1, xs[k][1]))
                    goto out;
                /* y = x - d */
                mpz_set_si(y0, -d[i]);
                mpz_add(y0, y0, x0);
                mpz_set_si(y1, -d[j]);
                mpz_add(y1, y1, x1);
                if (!below_p(y0) || !below_p(y1))
                    continue;
                claim_name(name, sizeof name, "diff", diffs[i], diffs[j], xs[k][0], xs[k][1]);
                sp_add(sl, name, x0, x1, y0, y1);
            }
out:
    mpz_clears(x0, x1, y0, y1, NULL);
}

/* Unary cases whose input is a catalogue element (c0, c1 by Fp name) under a claim about the
 * output (r0, r1 as claim expressions). */
typedef struct unary_case {
    const char *r0, *r1, *x0, *x1;
} unary_case;

static void specials_unary(vec_specials *sl, const char *claim, const unary_case *cs, size_t n)
{
    mpz_t x0, x1;
    char name[VEC_SPECIAL_NAME_BYTES];
    mpz_inits(x0, x1, NULL);
    for (size_t i = 0; i < n; i++) {
        if (!fp_get(sl, x0, cs[i].x0) || !fp_get(sl, x1, cs[i].x1))
            break;
        claim_name(name, sizeof name, claim, cs[i].r0, cs[i].r1, cs[i].x0, cs[i].x1);
        sp_add(sl, name, x0, x1, NULL, NULL);
    }
    mpz_clears(x0, x1, NULL);
}

static void specials_neg(vec_specials *sl)
{
    static const unary_case cs[] = {
        {"0", "0", "0", "0"},     {"m-1", "0", "1", "0"},     {"0", "m-1", "0", "1"},
        {"1", "1", "m-1", "m-1"}, {"m-1", "1", "1", "m-1"},   {"1", "m-1", "m-1", "1"},
    };
    specials_unary(sl, "neg", cs, sizeof cs / sizeof cs[0]);
}

/* dbl: 2x as integers, coordinate by coordinate, on each side of m and 2^381. */
static void specials_dbl(vec_specials *sl)
{
    static const char *const halves[][2] = {
        {"m-1", "(m-1)/2"}, {"m+1", "(m+1)/2"}, {"2m-2", "m-1"}, {"2^381", "2^380"}};
    unary_case cs[16];
    size_t n = 0;
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 4; j++)
            cs[n++] = (unary_case){halves[i][0], halves[j][0], halves[i][1], halves[j][1]};
    specials_unary(sl, "2x", cs, n);
}

static void specials_conj(vec_specials *sl)
{
    static const unary_case cs[] = {
        {"0", "0", "0", "0"},     {"1", "m-1", "1", "1"},     {"0", "1", "0", "m-1"},
        {"m-1", "1", "m-1", "m-1"}, {"R_mod_m", "mont(m-1)", "R_mod_m", "R_mod_m"},
    };
    specials_unary(sl, "conj", cs, sizeof cs / sizeof cs[0]);
}

/* mul_by_nonresidue: (x0 - x1) + (x0 + x1) u, with the difference borrowing or not and the
 * sum wrapping at m or not. */
static void specials_nonres(vec_specials *sl)
{
    static const unary_case cs[] = {
        {"0", "2", "1", "1"},         {"m-1", "1", "0", "1"},
        {"1", "0", "(m+1)/2", "(m-1)/2"}, {"m-1", "0", "(m-1)/2", "(m+1)/2"},
        {"0", "m-2", "m-1", "m-1"},   {"1", "1", "1", "0"},
        {"2", "0", "1", "m-1"},
    };
    specials_unary(sl, "nonres", cs, sizeof cs / sizeof cs[0]);
}

/* inv: x = a R stands for a and the output is a^-1 R: the Montgomery forms of 1, u, -1, -u
 * (inverses 1, -u, -1, u), the raw 1 and u (a = R^-1, R^-1 u: outputs R^2 and -R^2 u, not
 * reduced by R) and R^2, R^2 u (outputs 1 and -u), and 0. */
static void specials_inv(vec_specials *sl)
{
    static const unary_case cs[] = {
        {"R_mod_m", "0", "R_mod_m", "0"},       {"0", "mont(m-1)", "0", "R_mod_m"},
        {"mont(m-1)", "0", "mont(m-1)", "0"},   {"0", "R_mod_m", "0", "mont(m-1)"},
        {"R^2_mod_m", "0", "1", "0"},           {"1", "0", "R^2_mod_m", "0"},
        {"0", "m-1", "0", "R^2_mod_m"},         {"0", "0", "0", "0"},
    };
    specials_unary(sl, "inv", cs, sizeof cs / sizeof cs[0]);
}

/* r = x^-1 in Fp2: conj(x) / (x0^2 + x1^2); x != 0. */
static void fp2_inv(mpz_t r0, mpz_t r1, const mpz_t x0, const mpz_t x1)
{
    const mpz_t *m = &fpc()->m;
    mpz_t n, t;
    mpz_inits(n, t, NULL);
    mpz_mul(n, x0, x0);
    mpz_mul(t, x1, x1);
    mpz_add(n, n, t);
    mpz_invert(n, n, *m);
    mpz_mul(r0, x0, n);
    mpz_mod(r0, r0, *m);
    mpz_neg(r1, x1);
    mpz_mul(r1, r1, n);
    mpz_mod(r1, r1, *m);
    mpz_clears(n, t, NULL);
}

/* r = a * b in Fp2, plain (no R^-1), reduced. */
static void fp2_mul_plain(mpz_t r0, mpz_t r1, const mpz_t a0, const mpz_t a1, const mpz_t b0,
                          const mpz_t b1)
{
    mpz_t t0, t1;
    mpz_inits(t0, t1, NULL);
    mpz_mul(t0, a0, b0);
    mpz_submul(t0, a1, b1);
    mpz_mul(t1, a0, b1);
    mpz_addmul(t1, a1, b0);
    mpz_mod(r0, t0, fpc()->m);
    mpz_mod(r1, t1, fpc()->m);
    mpz_clears(t0, t1, NULL);
}

/* mul: products of 0; y = target * R * x^-1 so that x * y * R^-1 = target (1, -1, u, -u,
 * -1 - u); and pairs whose cross terms cancel: x = a + a u, y = b + b u gives
 * a b - a b = 0 in c0 exactly, y = b + (m - b) u gives a (m - b) + a b = a m in c1. */
static void specials_mul(vec_specials *sl)
{
    static const char *const targets[][2] = {
        {"1", "0"}, {"m-1", "0"}, {"0", "1"}, {"0", "m-1"}, {"m-1", "m-1"}};
    static const char *const xs[][2] = {
        {"1", "1"}, {"0", "1"}, {"m-1", "m-1"}, {"R_mod_m", "R_mod_m"}, {"2^64", "m-2^64"}};
    static const char *const cancel[][2] = {
        {"m-1", "m-1"}, {"(m+1)/2", "m-1"}, {"2^64", "R_mod_m"}, {"m-2^32", "2^380"}};
    mpz_t x0, x1, y0, y1, t0, t1, zero;
    char name[VEC_SPECIAL_NAME_BYTES], xn[VEC_SPECIAL_NAME_BYTES], tn[VEC_SPECIAL_NAME_BYTES];
    mpz_inits(x0, x1, y0, y1, t0, t1, zero, NULL);

    if (fp_get(sl, x0, "m-1")) {
        sp_add(sl, "prod=0:x=0", zero, zero, x0, x0);
        sp_add(sl, "prod=0:y=0", x0, x0, zero, zero);
    }
    for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++)
        for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
            if (!fp_get(sl, x0, xs[i][0]) || !fp_get(sl, x1, xs[i][1]) ||
                !fp_get(sl, t0, targets[t][0]) || !fp_get(sl, t1, targets[t][1]))
                goto out;
            /* y = target * R * x^-1, R * target being target's plain product with R mod m. */
            mpz_mul(t0, t0, fpc()->r_mod);
            mpz_mul(t1, t1, fpc()->r_mod);
            mpz_mod(t0, t0, fpc()->m);
            mpz_mod(t1, t1, fpc()->m);
            fp2_inv(y0, y1, x0, x1);
            fp2_mul_plain(y0, y1, y0, y1, t0, t1);
            fp2_name(tn, sizeof tn, targets[t][0], targets[t][1]);
            fp2_name(xn, sizeof xn, xs[i][0], xs[i][1]);
            snprintf(name, sizeof name, "prod=%s:x=%s", tn, xn);
            sp_add(sl, name, x0, x1, y0, y1);
        }
    for (size_t i = 0; i < sizeof cancel / sizeof cancel[0]; i++) {
        if (!fp_get(sl, x0, cancel[i][0]) || !fp_get(sl, y0, cancel[i][1]))
            goto out;
        fp2_name(xn, sizeof xn, cancel[i][0], cancel[i][0]);
        snprintf(name, sizeof name, "prod.c0=0:x=%s", xn);
        sp_add(sl, name, x0, x0, y0, y0);
        mpz_sub(y1, fpc()->m, y0);
        snprintf(name, sizeof name, "prod.c1=0:x=%s", xn);
        sp_add(sl, name, x0, x0, y0, y1);
    }
out:
    mpz_clears(x0, x1, y0, y1, t0, t1, zero, NULL);
}

/* sqr: x^2 = R gives 1 (x = ±2^192), x^2 = -R gives m-1 (x = ±2^192 u, as -1 = u^2), and
 * coordinates whose squares cancel in c0 = x0^2 - x1^2: x1 = x0 exactly, or x1 = m - x0
 * (then x0 + x1 = m, which a kernel computing (x0 + x1)(x0 - x1) must reduce). */
static void specials_sqr(vec_specials *sl)
{
    static const unary_case cs[] = {
        {"1", "0", "2^192", "0"},  {"1", "0", "m-2^192", "0"},
        {"m-1", "0", "0", "2^192"}, {"m-1", "0", "0", "m-2^192"},
        {"0", "0", "0", "0"},
    };
    static const char *const cancel[][2] = {
        {"m-1", "1"}, {"(m+1)/2", "(m-1)/2"}, {"2^64", "m-2^64"}, {"R_mod_m", "mont(m-1)"},
        {"m-1", "m-1"}, {"2^380", "2^380"}};
    mpz_t x0, x1;
    char name[VEC_SPECIAL_NAME_BYTES], xn[VEC_SPECIAL_NAME_BYTES];
    specials_unary(sl, "sqr", cs, sizeof cs / sizeof cs[0]);
    mpz_inits(x0, x1, NULL);
    for (size_t i = 0; i < sizeof cancel / sizeof cancel[0]; i++) {
        if (!fp_get(sl, x0, cancel[i][0]) || !fp_get(sl, x1, cancel[i][1]))
            break;
        fp2_name(xn, sizeof xn, cancel[i][0], cancel[i][1]);
        snprintf(name, sizeof name, "sqr.c0=0:x=%s", xn);
        sp_add(sl, name, x0, x1, NULL, NULL);
    }
    mpz_clears(x0, x1, NULL);
}

const vec_specials_fn vec_fp2_specials[BV_OP_COUNT] = {
    [BV_OP_ADD] = specials_add,   [BV_OP_SUB] = specials_sub,   [BV_OP_NEG] = specials_neg,
    [BV_OP_DBL] = specials_dbl,   [BV_OP_MUL] = specials_mul,   [BV_OP_SQR] = specials_sqr,
    [BV_OP_CONJ] = specials_conj, [BV_OP_MUL_BY_NONRESIDUE] = specials_nonres,
    [BV_OP_INV] = specials_inv,
};

/* ---- the generator -------------------------------------------------------------------- */

void vec_fp2_random_element(bv_family f, bv_op op, uint64_t seed, uint64_t index,
                            unsigned input, uint8_t *out)
{
    uint64_t state = vec_random_stream(f, op, seed, index, input);
    vec_random_draw(&state, BV_FAMILY_FP, out);
    vec_random_draw(&state, BV_FAMILY_FP, out + FP_BYTES);
}
