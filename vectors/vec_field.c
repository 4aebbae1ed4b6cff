/* vectors/vec_field.c: a field's constants as GMP integers, built once and shared by the
 * field's edge catalogue and special cases. */
#include "vec_field.h"

#include <pthread.h>

/* Built once inside ctx_once and read-only afterwards; GMP reads of a shared mpz need no
 * lock. Never cleared: they live as long as the process. */
static vec_field_ctx ctxs[BV_FAMILY_COUNT];
static pthread_once_t ctx_once = PTHREAD_ONCE_INIT;

static void ctx_init(vec_field_ctx *fc, bv_family f)
{
    fc->f = f;
    fc->c = bv_ref_constants_get(f);
    mpz_inits(fc->m, fc->R, fc->r_mod, fc->r2_mod, fc->rinv_mod, fc->minv, NULL);
    bv_ref_to_mpz(fc->m, f, fc->c->modulus);
    bv_ref_to_mpz(fc->r_mod, f, fc->c->r_mod);
    bv_ref_to_mpz(fc->r2_mod, f, fc->c->r2_mod);
    bv_ref_to_mpz(fc->rinv_mod, f, fc->c->rinv_mod);
    mpz_setbit(fc->R, fc->c->r_bits);
    mpz_invert(fc->minv, fc->m, fc->R);
    mpz_sub(fc->minv, fc->R, fc->minv);
}

/* Only the fields have one (Fp2 uses Fp's). */
static void ctx_init_all(void)
{
    ctx_init(&ctxs[BV_FAMILY_FP], BV_FAMILY_FP);
    ctx_init(&ctxs[BV_FAMILY_FR], BV_FAMILY_FR);
}

const vec_field_ctx *vec_field_ctx_get(bv_family f)
{
    pthread_once(&ctx_once, ctx_init_all);
    return f == BV_FAMILY_FP || f == BV_FAMILY_FR ? &ctxs[f] : NULL;
}

void vec_field_m_plus(mpz_t v, const vec_field_ctx *fc, long d)
{
    if (d >= 0)
        mpz_add_ui(v, fc->m, (unsigned long)d);
    else
        mpz_sub_ui(v, fc->m, (unsigned long)-d);
}
