/* vectors/vec_curve.c: the G1 and G2 families' edge cases (docs/vectors.md): a catalogue of
 * named Jacobian points (the identity under several X, Y; the generator, its negation and small
 * multiples; the generator under Z = -1, 2 and the raw words p - 1 and 1; seeded points in and
 * outside the subgroup; points whose x is a field edge value; for G1 the points (0, ±2) of
 * order 3), and the special cases of each op, each named "<claim>:<how>" where the claim is
 * the output: a catalogue name, O (the identity) or !O (not the identity). */
#include "vec_curve.h"

#include <stdlib.h>
#include <string.h>

/* ---- the catalogue -------------------------------------------------------------------- */

static void cat_add(vec_catalogue *cat, const vec_curve *k, const char *name, const vec_jac *p,
                    bv_status *st, bv_error *err)
{
    if (*st != BV_OK)
        return;
    if (cat->n == VEC_MAX_VALUES || strlen(name) >= VEC_VALUE_NAME_BYTES) {
        *st = bv_error_set(err, BV_ERR_INTERNAL, "edge catalogue %s: no room for '%s'",
                           bv_ref_family_name(k->f), name);
        return;
    }
    vec_jac_store(k, cat->vals[cat->n].value, p);
    snprintf(cat->names[cat->n], VEC_VALUE_NAME_BYTES, "%s", name);
    cat->vals[cat->n].name = cat->names[cat->n];
    cat->n++;
}

/* An Fp value (normal form) into a coordinate's Montgomery form, c1 = 0. */
static void coord_of(const vec_curve *k, uint8_t *out, const mpz_t v)
{
    uint8_t plain[VEC_FP_BYTES];
    memset(out, 0, k->c);
    BV_IGNORE(bv_ref_from_mpz(plain, BV_FAMILY_FP, v, NULL));
    bv_ref_op(BV_FAMILY_FP, BV_OP_TO_MONT, out, plain, NULL);
}

/* The seeded generator's point: case `index` of stream (seed 0, f, add), input 0. */
static void seeded(const vec_curve *k, uint64_t index, vec_jac *p)
{
    uint8_t b[3 * VEC_COORD_MAX];
    vec_curve_random_element(k->f, BV_OP_ADD, 0, index, 0, b);
    memcpy(p->X, b, k->c);
    memcpy(p->Y, b + k->c, k->c);
    memcpy(p->Z, b + 2 * k->c, k->c);
}

bv_status vec_curve_catalogue(bv_family f, vec_catalogue *cat, bv_error *err)
{
    const vec_curve *k = vec_curve_get(f);
    const vec_field_ctx *fc = vec_field_ctx_get(BV_FAMILY_FP);
    bv_status st = BV_OK;
    vec_aff g, a;
    vec_jac p, q;
    uint8_t z[VEC_COORD_MAX];
    mpz_t e;
    mpz_init(e);
    vec_curve_generator(k, &g);

    /* The identity: (1, 1, 0), all zero, the generator's X and Y, the raw words p - 1. */
    vec_jac_set_inf(k, &p);
    cat_add(cat, k, "O", &p, &st, err);
    memset(&p, 0, sizeof p);
    cat_add(cat, k, "O[0]", &p, &st, err);
    vec_jac_from_aff(k, &p, &g);
    memset(p.Z, 0, k->c);
    cat_add(cat, k, "O[G]", &p, &st, err);
    mpz_sub_ui(e, fc->m, 1);
    for (size_t off = 0; off < k->c; off += VEC_FP_BYTES) {
        BV_IGNORE(bv_ref_from_mpz(p.X + off, BV_FAMILY_FP, e, NULL));
        BV_IGNORE(bv_ref_from_mpz(p.Y + off, BV_FAMILY_FP, e, NULL));
    }
    cat_add(cat, k, "O[m-1]", &p, &st, err);

    /* The generator, its negation and representations. */
    vec_jac_from_aff(k, &p, &g);
    cat_add(cat, k, "G", &p, &st, err);
    vec_jac_neg(k, &q, &p);
    cat_add(cat, k, "-G", &q, &st, err);
    vec_fe_neg(k, z, k->one);
    vec_jac_with_z(k, &q, &g, z);
    cat_add(cat, k, "G[Z=-1]", &q, &st, err);
    vec_fe_add(k, z, k->one, k->one);
    vec_jac_with_z(k, &q, &g, z);
    cat_add(cat, k, "G[Z=2]", &q, &st, err);
    memset(z, 0, sizeof z);
    BV_IGNORE(bv_ref_from_mpz(z, BV_FAMILY_FP, e, NULL)); /* the stored word p - 1 */
    vec_jac_with_z(k, &q, &g, z);
    cat_add(cat, k, "G[Zw=m-1]", &q, &st, err);
    memset(z, 0, sizeof z);
    z[0] = 1; /* the stored word 1 */
    vec_jac_with_z(k, &q, &g, z);
    cat_add(cat, k, "G[Zw=1]", &q, &st, err);

    /* Small multiples, Z = 1. */
    for (unsigned m = 2; m <= 3; m++) {
        char name[8];
        mpz_set_ui(e, m);
        vec_jac_smul(k, &q, &g, e);
        vec_jac_to_aff(k, &a, &q);
        vec_jac_from_aff(k, &q, &a);
        snprintf(name, sizeof name, "%uG", m);
        cat_add(cat, k, name, &q, &st, err);
        if (m == 2) {
            vec_jac_neg(k, &q, &q);
            cat_add(cat, k, "-2G", &q, &st, err);
        }
    }

    /* Seeded points under random Z: P1, P2 in the subgroup (block 0), E1 outside (block 1). */
    seeded(k, 0, &q);
    cat_add(cat, k, "P1", &q, &st, err);
    seeded(k, 1, &q);
    cat_add(cat, k, "P2", &q, &st, err);
    seeded(k, 1024, &q);
    cat_add(cat, k, "E1", &q, &st, err);
    vec_jac_neg(k, &q, &q);
    cat_add(cat, k, "-E1", &q, &st, err);

    /* G1's points of order 3: x = 0 makes y^2 = 4 (G2's twist has none: 4(1 + u) is not a
     * square in Fp2). */
    if (f == BV_FAMILY_G1) {
        memset(z, 0, sizeof z);
        if (vec_aff_lift(k, &a, z, 0)) {
            vec_jac_from_aff(k, &q, &a);
            cat_add(cat, k, "T3", &q, &st, err);
            vec_jac_neg(k, &q, &q);
            cat_add(cat, k, "-T3", &q, &st, err);
        }
    }

    /* x on a field edge value (c1 = 0 for G2), where x^3 + b is a square; y even. */
    static const struct {
        const char *name;
        long d; /* x = d, or m + d when d < 0; 0 for the halves */
        int half;
    } xs[] = {{"x=1", 1, 0},    {"x=2", 2, 0},    {"x=3", 3, 0},       {"x=m-1", -1, 0},
              {"x=m-2", -2, 0}, {"x=m-3", -3, 0}, {"x=(m-1)/2", 0, -1}, {"x=(m+1)/2", 0, 1}};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        if (xs[i].half) {
            vec_field_m_plus(e, fc, xs[i].half);
            mpz_fdiv_q_2exp(e, e, 1);
        } else if (xs[i].d < 0) {
            vec_field_m_plus(e, fc, xs[i].d);
        } else {
            mpz_set_ui(e, (unsigned long)xs[i].d);
        }
        coord_of(k, z, e);
        if (vec_aff_lift(k, &a, z, 0)) {
            vec_jac_from_aff(k, &q, &a);
            cat_add(cat, k, xs[i].name, &q, &st, err);
        }
    }
    mpz_clear(e);
    return st;
}

/* ---- special cases -------------------------------------------------------------------- */

/* A catalogue point by name, or NULL (the builder's error set). */
static const uint8_t *cat_point(vec_specials *sl, const char *name)
{
    for (size_t i = 0; i < sl->cat->n; i++)
        if (strcmp(sl->cat->vals[i].name, name) == 0)
            return sl->cat->vals[i].value;
    if (sl->st == BV_OK)
        sl->st = bv_error_set(sl->err, BV_ERR_INTERNAL, "edge set %s: no catalogue point '%s'",
                              bv_ref_family_name(sl->f), name);
    return NULL;
}

/* Adds "<claim>:<how>" with x and y (y's bytes as the op's y takes them; NULL: unary). */
static void sp_add(vec_specials *sl, const char *claim, const char *how, const uint8_t *x,
                   const uint8_t *y)
{
    vec_special *s;
    size_t xb = bv_ref_slot_bytes(sl->f, sl->op, BV_REF_X);
    size_t yb = bv_ref_slot_bytes(sl->f, sl->op, BV_REF_Y);
    if (sl->st != BV_OK || !x || (yb && !y))
        return;
    if (sl->n == VEC_MAX_SPECIALS || strlen(claim) + strlen(how) + 2 > VEC_SPECIAL_NAME_BYTES) {
        sl->st = bv_error_set(sl->err, BV_ERR_INTERNAL, "edge set %s: cannot add '%s:%s'",
                              bv_ref_family_name(sl->f), claim, how);
        return;
    }
    s = &sl->items[sl->n++];
    memset(s, 0, sizeof *s);
    memcpy(s->x, x, xb);
    if (yb)
        memcpy(s->y, y, yb);
    snprintf(s->name, sizeof s->name, "%s:%s", claim, how);
}

/* A catalogue point's affine form (madd's y). */
static const uint8_t *aff_of(vec_specials *sl, const char *name, uint8_t *buf)
{
    const uint8_t *p = cat_point(sl, name);
    if (!p)
        return NULL;
    bv_ref_op(sl->f, BV_OP_TO_AFFINE, buf, p, NULL);
    return buf;
}

static void specials_add(vec_specials *sl)
{
    static const char *const cs[][4] = {
        /* claim, how, x, y */
        {"sum=2G", "G+G[Z=2]", "G", "G[Z=2]"},
        {"sum=2G", "G[Z=-1]+G[Zw=m-1]", "G[Z=-1]", "G[Zw=m-1]"},
        {"sum=O", "G+(-G)", "G", "-G"},
        {"sum=O", "2G+(-2G)", "2G", "-2G"},
        {"sum=G", "O[G]+G", "O[G]", "G"},
        {"sum=G", "G+O[G]", "G", "O[G]"},
        {"sum=O", "O+O[0]", "O", "O[0]"},
        {"sum=3G", "2G+G[Z=-1]", "2G", "G[Z=-1]"},
        {"sum=-G", "O[m-1]+(-G)", "O[m-1]", "-G"},
        {"sum=O", "E1+(-E1)", "E1", "-E1"},
        {"sum=!O", "E1+E1", "E1", "E1"},
    };
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++)
        sp_add(sl, cs[i][0], cs[i][1], cat_point(sl, cs[i][2]), cat_point(sl, cs[i][3]));
    if (sl->f == BV_FAMILY_G1) {
        sp_add(sl, "sum=-T3", "T3+T3", cat_point(sl, "T3"), cat_point(sl, "T3"));
        sp_add(sl, "sum=O", "T3+(-T3)", cat_point(sl, "T3"), cat_point(sl, "-T3"));
    }
}

static void specials_unary(vec_specials *sl, const char *const (*cs)[3], size_t n)
{
    for (size_t i = 0; i < n; i++)
        sp_add(sl, cs[i][0], cs[i][1], cat_point(sl, cs[i][2]), NULL);
}

static void specials_dbl(vec_specials *sl)
{
    static const char *const cs[][3] = {
        {"2P=O", "O[G]", "O[G]"}, {"2P=2G", "G[Z=-1]", "G[Z=-1]"}, {"2P=2G", "G[Zw=1]", "G[Zw=1]"}};
    static const char *const g1[][3] = {{"2P=-T3", "T3", "T3"}};
    specials_unary(sl, cs, sizeof cs / sizeof cs[0]);
    if (sl->f == BV_FAMILY_G1)
        specials_unary(sl, g1, 1);
}

static void specials_neg(vec_specials *sl)
{
    static const char *const cs[][3] = {
        {"neg=O", "O[G]", "O[G]"}, {"neg=O", "O[0]", "O[0]"}, {"neg=G", "-G", "-G"}};
    specials_unary(sl, cs, sizeof cs / sizeof cs[0]);
}

static void specials_to_affine(vec_specials *sl)
{
    static const char *const cs[][3] = {
        {"aff=O", "O[m-1]", "O[m-1]"}, {"aff=G", "G[Z=-1]", "G[Z=-1]"},
        {"aff=G", "G[Zw=m-1]", "G[Zw=m-1]"}, {"aff=G", "G[Zw=1]", "G[Zw=1]"}};
    specials_unary(sl, cs, sizeof cs / sizeof cs[0]);
}

/* madd: y affine ("a<name>"; a0 is the affine identity, all zero). */
static void specials_madd(vec_specials *sl)
{
    static const char *const cs[][4] = {
        {"sum=G", "O[G]+aG", "O[G]", "G"},
        {"sum=G", "G[Z=2]+a0", "G[Z=2]", NULL},
        {"sum=O", "O+a0", "O", NULL},
        {"sum=2G", "G[Z=2]+aG", "G[Z=2]", "G"},
        {"sum=2G", "G[Zw=m-1]+aG", "G[Zw=m-1]", "G"},
        {"sum=O", "G[Z=2]+a(-G)", "G[Z=2]", "-G"},
        {"sum=3G", "2G+aG", "2G", "G"},
        {"sum=O", "E1+a(-E1)", "E1", "-E1"},
        {"sum=!O", "E1+aE1", "E1", "E1"},
        {"sum=-G", "O[m-1]+a(-G)", "O[m-1]", "-G"},
    };
    static const char *const g1[][4] = {
        {"sum=O", "T3+a(-T3)", "T3", "-T3"},
        {"sum=-T3", "T3+aT3", "T3", "T3"},
    };
    uint8_t zero[BV_REF_MAX_BYTES] = {0}, buf[BV_REF_MAX_BYTES];
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++)
        sp_add(sl, cs[i][0], cs[i][1], cat_point(sl, cs[i][2]),
               cs[i][3] ? aff_of(sl, cs[i][3], buf) : zero);
    for (size_t i = 0; sl->f == BV_FAMILY_G1 && i < sizeof g1 / sizeof g1[0]; i++)
        sp_add(sl, g1[i][0], g1[i][1], cat_point(sl, g1[i][2]), aff_of(sl, g1[i][3], buf));
}

/* smul: scalars written as r + d, 2r + d, 2^e - 1 or a small number. */
static void scalar_of(uint8_t *out, const char *k)
{
    mpz_t v;
    mpz_init(v);
    if (strncmp(k, "2^", 2) == 0) {
        mpz_setbit(v, (mp_bitcnt_t)strtoul(k + 2, NULL, 10));
        mpz_sub_ui(v, v, 1);
    } else if (k[0] == 'r' || strncmp(k, "2r", 2) == 0) {
        vec_curve_order(v);
        if (k[0] == '2')
            mpz_mul_2exp(v, v, 1);
        const char *d = strpbrk(k, "+-");
        if (d && d[0] == '+')
            mpz_add_ui(v, v, strtoul(d + 1, NULL, 10));
        else if (d)
            mpz_sub_ui(v, v, strtoul(d + 1, NULL, 10));
    } else {
        mpz_set_ui(v, strtoul(k, NULL, 10));
    }
    memset(out, 0, BV_REF_SCALAR_BYTES);
    mpz_export(out, NULL, -1, 1, 0, 0, v);
    mpz_clear(v);
}

static void specials_smul(vec_specials *sl)
{
    static const char *const cs[][3] = {
        /* claim, point, scalar */
        {"kP=O", "G", "0"},          {"kP=G", "G", "1"},         {"kP=2G", "G", "2"},
        {"kP=3G", "G[Z=-1]", "3"},   {"kP=-G", "G", "r-1"},      {"kP=O", "G", "r"},
        {"kP=G", "G", "r+1"},        {"kP=G", "G", "2r+1"},      {"kP=!O", "G", "2^255-1"},
        {"kP=!O", "G", "2^256-1"},   {"kP=O", "O[G]", "2^256-1"}, {"kP=O", "O[m-1]", "1"},
        {"kP=E1", "E1", "1"},        {"kP=!O", "E1", "r"},       {"kP=-G", "G[Zw=m-1]", "r-1"},
    };
    /* T3 has order 3: 3, 2^256 - 1 (a multiple of 3) give O; 7 passes through O (after 11b)
     * and ends at T3; 2^255 - 1 = 1 mod 3. */
    static const char *const g1[][3] = {
        {"kP=O", "T3", "3"}, {"kP=T3", "T3", "7"}, {"kP=-T3", "T3", "2"},
        {"kP=O", "T3", "2^256-1"}, {"kP=T3", "T3", "2^255-1"},
    };
    char how[VEC_SPECIAL_NAME_BYTES];
    uint8_t k[BV_REF_SCALAR_BYTES];
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        scalar_of(k, cs[i][2]);
        snprintf(how, sizeof how, "k=%s;P=%s", cs[i][2], cs[i][1]);
        sp_add(sl, cs[i][0], how, cat_point(sl, cs[i][1]), k);
    }
    for (size_t i = 0; sl->f == BV_FAMILY_G1 && i < sizeof g1 / sizeof g1[0]; i++) {
        scalar_of(k, g1[i][2]);
        snprintf(how, sizeof how, "k=%s;P=%s", g1[i][2], g1[i][1]);
        sp_add(sl, g1[i][0], how, cat_point(sl, g1[i][1]), k);
    }
}

const vec_specials_fn vec_curve_specials[BV_OP_COUNT] = {
    [BV_OP_ADD] = specials_add,   [BV_OP_DBL] = specials_dbl,   [BV_OP_NEG] = specials_neg,
    [BV_OP_MADD] = specials_madd, [BV_OP_SMUL] = specials_smul,
    [BV_OP_TO_AFFINE] = specials_to_affine,
};
