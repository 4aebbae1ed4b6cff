/* vectors/vec_field_catalogue.c: a field's catalogue of named edge values (docs/vectors.md
 * lists them and why each is there): small values, values near m, R, the limb boundaries,
 * bit patterns and borrows through many limbs. */
#include "vec_field.h"

#include <string.h>

/* A catalogue as it is built; the first error stops it (st, and err's message). */
typedef struct builder {
    vec_catalogue *cat;
    const vec_field_ctx *fc;
    bv_error *err;
    bv_status st;
} builder;

static void cat_add(builder *bd, const char *name, const mpz_t v)
{
    vec_catalogue *cat = bd->cat;
    const char *field = bv_ref_family_name(bd->fc->f);
    if (bd->st != BV_OK)
        return;
    if (cat->n == VEC_MAX_VALUES || strlen(name) >= VEC_VALUE_NAME_BYTES || strpbrk(name, ",:")) {
        bd->st = bv_error_set(bd->err, BV_ERR_INTERNAL, "edge catalogue %s: no room for '%s'",
                              field, name);
        return;
    }
    if (mpz_sgn(v) < 0 || mpz_cmp(v, bd->fc->m) >= 0) {
        bd->st = bv_error_set(bd->err, BV_ERR_INTERNAL, "edge catalogue %s: '%s' is not below m",
                              field, name);
        return;
    }
    for (size_t i = 0; i < cat->n; i++) {
        if (strcmp(cat->names[i], name) == 0) {
            bd->st = bv_error_set(bd->err, BV_ERR_INTERNAL, "edge catalogue %s: '%s' twice",
                                  field, name);
            return;
        }
    }
    if ((bd->st = bv_ref_from_mpz(cat->vals[cat->n].value, bd->fc->f, v, bd->err)) != BV_OK)
        return;
    snprintf(cat->names[cat->n], VEC_VALUE_NAME_BYTES, "%s", name);
    cat->vals[cat->n].name = cat->names[cat->n];
    cat->n++;
}

bv_status vec_field_catalogue(bv_family f, vec_catalogue *cat, bv_error *err)
{
    const vec_field_ctx *fc = vec_field_ctx_get(f);
    builder bd = {cat, fc, err, BV_OK};
    mpz_t v, t;
    char name[VEC_VALUE_NAME_BYTES];
    unsigned b = fc->c->bits;

    mpz_inits(v, t, NULL);

    for (unsigned long k = 0; k <= 3; k++) {
        mpz_set_ui(v, k);
        snprintf(name, sizeof name, "%lu", k);
        cat_add(&bd, name, v);
    }
    for (long d = 1; d <= 3; d++) {
        vec_field_m_plus(v, fc, -d);
        snprintf(name, sizeof name, "m-%ld", d);
        cat_add(&bd, name, v);
    }
    static const long halves[] = {-1, 1, -3, 3};
    for (size_t i = 0; i < sizeof halves / sizeof halves[0]; i++) {
        vec_field_m_plus(v, fc, halves[i]);
        mpz_fdiv_q_2exp(v, v, 1);
        snprintf(name, sizeof name, "(m%+ld)/2", halves[i]);
        cat_add(&bd, name, v);
    }
    cat_add(&bd, "R_mod_m", fc->r_mod);
    cat_add(&bd, "R^2_mod_m", fc->r2_mod);
    cat_add(&bd, "R^-1_mod_m", fc->rinv_mod);
    mpz_sub(v, fc->m, fc->r_mod);
    cat_add(&bd, "mont(m-1)", v);
    mpz_mul_2exp(v, fc->r_mod, 1);
    mpz_mod(v, v, fc->m);
    cat_add(&bd, "mont(2)", v);

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
            cat_add(&bd, name, v);
        }
    }
    mpz_set_ui(v, 0);
    mpz_setbit(v, 31);
    cat_add(&bd, "2^31", v);
    mpz_set_ui(v, 0);
    mpz_setbit(v, 63);
    cat_add(&bd, "2^63", v);
    for (int d = -1; d <= 1; d++) {
        mpz_set_ui(v, 0);
        mpz_setbit(v, b - 1);
        if (d < 0)
            mpz_sub_ui(v, v, 1);
        else
            mpz_add_ui(v, v, (unsigned long)d);
        snprintf(name, sizeof name, d ? "2^%u%+d" : "2^%u", b - 1, d);
        cat_add(&bd, name, v);
    }

    /* One all-ones limb; limb 0 is 2^32-1, already above. */
    for (unsigned k = 32;; k += 32) {
        mpz_set_ui(v, 0xffffffffu);
        mpz_mul_2exp(v, v, k);
        if (mpz_cmp(v, fc->m) >= 0)
            break;
        snprintf(name, sizeof name, "0xffffffff<<%u", k);
        cat_add(&bd, name, v);
    }
    /* A small value alone in limb 1 of either limb width: a special-case path keyed on one
     * limb's value (a small-multiplier shortcut, a zero-limb skip) is wrong for values that
     * random inputs never produce; the mutant load-x-limb1-value-7 stands for such bugs. */
    mpz_set_ui(v, 7);
    mpz_mul_2exp(v, v, 32);
    cat_add(&bd, "7*2^32", v);
    mpz_set_ui(v, 7);
    mpz_mul_2exp(v, v, 64);
    cat_add(&bd, "7*2^64", v);
    /* Every limb all ones but the top, which is m's top limb minus one. */
    static const unsigned limb_bits[] = {32, 64};
    for (size_t i = 0; i < 2; i++) {
        unsigned low = fc->c->bytes * 8 - limb_bits[i];
        mpz_fdiv_q_2exp(t, fc->m, low);
        mpz_sub_ui(t, t, 1);
        mpz_mul_2exp(v, t, low);
        mpz_set_ui(t, 0);
        mpz_setbit(t, low);
        mpz_sub_ui(t, t, 1);
        mpz_ior(v, v, t);
        snprintf(name, sizeof name, "(top%u(m)-1)|ones", limb_bits[i]);
        cat_add(&bd, name, v);
    }
    mpz_set_ui(v, 0);
    for (unsigned k = 0; k < b; k += 2)
        mpz_setbit(v, k);
    cat_add(&bd, "0x5555...", v);
    mpz_set_ui(v, 0);
    for (unsigned k = 1; k < b - 1; k += 2)
        mpz_setbit(v, k);
    cat_add(&bd, "0xaaaa...", v);

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
        mpz_sub(v, fc->m, t);
        if (pows[i] < 4)
            snprintf(name, sizeof name, "m-%u", 1u << pows[i]);
        else
            snprintf(name, sizeof name, "m-2^%u", pows[i]);
        cat_add(&bd, name, v);
    }

    mpz_clears(v, t, NULL);
    return bd.st;
}
