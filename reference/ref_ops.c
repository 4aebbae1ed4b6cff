/* reference/ref_ops.c: the kernel ABI's ops on GMP's mpn layer with Montgomery
 * reduction, an independent mpz implementation for tests, and the threaded batch. */
#include "ref_internal.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#define MAX_LIMBS 6

/* Batches smaller than this run on the calling thread: starting threads would cost
 * more than the work. Each started thread gets at least MIN_PER_THREAD elements. */
#define INLINE_BELOW 4096
#define MIN_PER_THREAD 2048
#define MAX_THREADS 256

typedef struct field_limbs {
    mp_size_t n;
    mp_limb_t minv; /* -m^-1 mod 2^64 */
    mp_limb_t m[MAX_LIMBS];
    mp_limb_t r2[MAX_LIMBS];
    unsigned r_bits;
    /* For the slow path only, so that it shares nothing with the fast path but m. */
    mpz_t slow_m, slow_rinv;
} field_limbs;

/* Filled once by bv_ref_ops_setup inside bv_ref_init's pthread_once; read-only after. */
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

void bv_ref_ops_setup(const bv_ref_constants constants[BV_FAMILY_COUNT])
{
    for (int f = 0; f < BV_FAMILY_COUNT; f++) {
        const bv_ref_constants *c = &constants[f];
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
        mpz_import(fl->slow_m, c->bytes, -1, 1, 0, 0, c->modulus);
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

void bv_ref_op(bv_family f, bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y)
{
    mp_limb_t a[MAX_LIMBS], b[MAX_LIMBS], r[MAX_LIMBS], t[2 * MAX_LIMBS];
    /* An invalid field would index past the table; there is no status to return, so the
     * output is left untouched (bv_ref_batch reports the error instead). */
    if (!bv_ref_field_valid(f))
        return;
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
        mpn_mul_n(t, a, fl->r2, n);
        redc(r, t, fl);
        break;
    case BV_OP_FROM_MONT:
        mpn_copyi(t, a, n);
        mpn_zero(t + n, n);
        redc(r, t, fl);
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
    size_t bytes = (size_t)fl->n * 8;
    mpz_t a, b, r;
    size_t written = 0;

    mpz_inits(a, b, r, NULL);
    mpz_import(a, bytes, -1, 1, 0, 0, x);
    if (bv_ref_op_arity(op) == 2)
        mpz_import(b, bytes, -1, 1, 0, 0, y);

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
    default:
        mpz_set_ui(r, 0);
        break;
    }
    mpz_mod(r, r, fl->slow_m); /* mpz_mod's result is never negative */

    memset(out, 0, bytes);
    mpz_export(out, &written, -1, 1, 0, 0, r);
    mpz_clears(a, b, r, NULL);
}

typedef struct batch_range {
    bv_family f;
    bv_op op;
    uint8_t *out;
    const uint8_t *x, *y;
    size_t count;
} batch_range;

static void run_range(const batch_range *br)
{
    size_t bytes = bv_ref_family_bytes(br->f);
    for (size_t i = 0; i < br->count; i++)
        bv_ref_op(br->f, br->op, br->out + i * bytes, br->x + i * bytes,
                  br->y ? br->y + i * bytes : NULL);
}

static void *range_thread(void *arg)
{
    run_range(arg);
    return NULL;
}

bv_status bv_ref_batch(bv_family f, bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y,
                       size_t count, unsigned threads, bv_error *err)
{
    pthread_t tids[MAX_THREADS];
    batch_range ranges[MAX_THREADS];
    size_t total;
    bv_status st = BV_OK;

    if (!bv_ref_field_valid(f) || !bv_ref_op_valid(op))
        return bv_error_set(err, BV_ERR_ARG, "bv_ref_batch: invalid field %d or op %d", (int)f,
                            (int)op);
    if (!bv_ref_ready())
        return bv_error_set(err, BV_ERR_ARG, "bv_ref_batch: bv_ref_init has not succeeded");
    if (count == 0)
        return BV_OK;
    if (!out || !x || (bv_ref_op_arity(op) == 2 && !y))
        return bv_error_set(err, BV_ERR_ARG, "bv_ref_batch: NULL %s for %s.%s",
                            !out ? "output" : !x ? "x" : "y", bv_ref_family_name(f),
                            bv_ref_op_name(op));
    if (bv_size_mul(count, bv_ref_family_bytes(f), &total) != BV_OK)
        return bv_error_set(err, BV_ERR_OVERFLOW, "bv_ref_batch: %zu elements overflow size_t",
                            count);
    if (bv_ref_op_arity(op) == 1)
        y = NULL;

    size_t nt = threads ? threads : bv_cpu_count();
    if (nt > count / MIN_PER_THREAD)
        nt = count / MIN_PER_THREAD;
    if (nt > MAX_THREADS)
        nt = MAX_THREADS;
    if (count < INLINE_BELOW || nt <= 1) {
        run_range(&(batch_range){f, op, out, x, y, count});
        return BV_OK;
    }

    /* Contiguous ranges, the first `rem` one element longer; range 0 runs here. */
    size_t bytes = bv_ref_family_bytes(f), base = count / nt, rem = count % nt, start = 0;
    for (size_t i = 0; i < nt; i++) {
        size_t len = base + (i < rem);
        ranges[i] = (batch_range){f, op, out + start * bytes, x + start * bytes,
                                  y ? y + start * bytes : NULL, len};
        start += len;
    }
    size_t started = 0;
    for (size_t i = 1; i < nt; i++, started++) {
        int rc = pthread_create(&tids[i], NULL, range_thread, &ranges[i]);
        if (rc != 0) {
            st = bv_error_set(err, rc == EAGAIN ? BV_ERR_NOMEM : BV_ERR_INTERNAL,
                              "bv_ref_batch: pthread_create for thread %zu of %zu failed "
                              "(error %d%s); the output is incomplete",
                              i + 1, nt, rc, rc == EAGAIN ? ", EAGAIN: out of threads or memory" : "");
            break;
        }
    }
    if (st == BV_OK)
        run_range(&ranges[0]);
    for (size_t i = 1; i <= started; i++)
        pthread_join(tids[i], NULL);
    return st;
}
