/* reference/ref_msm.c: the multi-scalar multiplication over G1 that MSM kernels are checked
 * against: Pippenger's bucket method on ref_curve.c's affine points (each round of bucket
 * additions shares one inversion, Montgomery's trick), a naive sum of bv_ref_op scalar
 * multiplications for cross-checks, the generator-based check for sizes too large for a CPU
 * MSM (points a_i * G from a seed, the sum one scalar multiplication) and the named edge inputs.
 * Written from the definition and the textbook bucket method, not from any kernel. It calls
 * ref_curve.c, ref_family.c (bv_ref_op, bv_ref_ready) and ref_const.c. */
#include "ref_internal.h"

#include <stdlib.h>
#include <string.h>

#define FP_BYTES 48
#define PT_BYTES BV_REF_MSM_POINT_BYTES /* affine G1: x, y */
#define JAC_BYTES 144                   /* Jacobian G1: X, Y, Z */
#define SC_BYTES BV_REF_SCALAR_BYTES
#define SCALAR_BITS 256
#define MAX_WINDOW 20   /* bucket indices fit 32 bits with room for digit_at's shift */
#define KNOWN_CHUNK 1024 /* generated points added per batch */
/* The edge inputs' fixed seeds: the points' ("msm-edge") and the random scalars' stream. */
#define EDGE_POINT_SEED 0x6d736d2d65646765ull
#define EDGE_SCALAR_SEED 0x6d736d2d7363616cull

typedef bv_ref_apt apt;

/* ---- arguments ---------------------------------------------------------------------- */

static bv_status check_ready(const char *fn, bv_error *err)
{
    if (!bv_ref_ready())
        return bv_error_set(err, BV_ERR_ARG, "%s: bv_ref_init has not succeeded", fn);
    return BV_OK;
}

/* n points and n scalars: BV_ERR_OVERFLOW where their buffers (or the scratch of one apt a
 * point) do not fit size_t. */
static bv_status check_count(const char *fn, size_t n, bv_error *err)
{
    size_t bytes;
    if (bv_size_mul(n, PT_BYTES, &bytes) != BV_OK || bv_size_mul(n, sizeof(apt), &bytes) != BV_OK)
        return bv_error_set(err, BV_ERR_OVERFLOW, "%s: %zu points overflow size_t on this host",
                            fn, n);
    return BV_OK;
}

static bv_status check_args(const char *fn, const uint8_t *out, const uint8_t *points,
                            const uint8_t *scalars, size_t n, bv_error *err)
{
    bv_status st;
    if ((st = check_ready(fn, err)) != BV_OK)
        return st;
    if (!out)
        return bv_error_set(err, BV_ERR_ARG, "%s: NULL output", fn);
    if (n > 0 && (!points || !scalars))
        return bv_error_set(err, BV_ERR_ARG, "%s: NULL input", fn);
    if ((st = check_count(fn, n, err)) != BV_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *v = points + i * PT_BYTES;
        if (!bv_ref_curve_slot_canonical(BV_FAMILY_G1, BV_OP_MADD, BV_REF_Y, v))
            return bv_error_set(err, BV_ERR_VALUE,
                                "%s: point %zu is not canonical (a coordinate not below p)", fn, i);
        if (!bv_ref_curve_valid_input(BV_FAMILY_G1, BV_OP_MADD, BV_REF_Y, v))
            return bv_error_set(err, BV_ERR_VALUE, "%s: point %zu is not on the curve", fn, i);
    }
    return BV_OK;
}

static void load_fp_modulus(mpz_t p)
{
    bv_ref_to_mpz(p, BV_FAMILY_FP, bv_ref_const(BV_FAMILY_FP)->modulus);
}

static void load_order(mpz_t r)
{
    bv_ref_to_mpz(r, BV_FAMILY_FR, bv_ref_const(BV_FAMILY_FR)->modulus);
}

static void apt_swap(apt *a, apt *b)
{
    for (int i = 0; i < 2; i++) {
        mpz_swap(a->x.c[i], b->x.c[i]);
        mpz_swap(a->y.c[i], b->y.c[i]);
    }
    bool t = a->inf;
    a->inf = b->inf;
    b->inf = t;
}

/* An array of n identities (NULL when it cannot be had). */
static apt *apt_array(size_t n)
{
    apt *v = malloc((n ? n : 1) * sizeof *v);
    if (v)
        for (size_t i = 0; i < n; i++)
            bv_ref_apt_init(&v[i]);
    return v;
}

static void apt_array_free(apt *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        bv_ref_apt_clear(&v[i]);
    free(v);
}

/* ---- batched affine addition ---------------------------------------------------------
 * A batch of sums dst = a + b. The chord pairs (both finite, different x) share one inversion:
 * prefix products of their denominators xb - xa, one mpz_invert, and a backward pass that peels
 * each inverse off; the slope goes to ref_curve.c's bv_ref_apt_from_slope. Pairs with the
 * identity or equal x (a doubling or a + -a) go to bv_ref_apt_add one by one. G1 only (the
 * coordinates' c[1] is 0). Sums are written in push order, each after its pair is read: dst
 * may alias its own a (never b), and no pair may read an earlier pair's dst. */
typedef struct batch {
    size_t cap, len;
    apt **dst;
    const apt **a, **b;
    unsigned char *chord;
    mpz_t *inv; /* cap values: prefix products, then each chord pair's 1/(xb - xa) */
    mpz_t p, acc, t;
    bv_ref_fe lam;
    bool ready;
} batch;

static void batch_free(batch *bt)
{
    if (bt->inv)
        for (size_t i = 0; i < bt->cap; i++)
            mpz_clear(bt->inv[i]);
    free(bt->inv);
    free(bt->dst);
    free(bt->a);
    free(bt->b);
    free(bt->chord);
    if (bt->ready) {
        mpz_clears(bt->p, bt->acc, bt->t, bt->lam.c[0], bt->lam.c[1], NULL);
    }
    memset(bt, 0, sizeof *bt);
}

static bv_status batch_init(batch *bt, size_t cap, const char *fn, bv_error *err)
{
    memset(bt, 0, sizeof *bt);
    cap = cap ? cap : 1;
    bt->dst = malloc(cap * sizeof *bt->dst);
    bt->a = malloc(cap * sizeof *bt->a);
    bt->b = malloc(cap * sizeof *bt->b);
    bt->chord = malloc(cap);
    bt->inv = malloc(cap * sizeof *bt->inv);
    if (!bt->dst || !bt->a || !bt->b || !bt->chord || !bt->inv) {
        free(bt->inv);
        bt->inv = NULL;
        batch_free(bt);
        return bv_error_set(err, BV_ERR_NOMEM, "%s: no memory for a batch of %zu additions", fn,
                            cap);
    }
    bt->cap = cap;
    for (size_t i = 0; i < cap; i++)
        mpz_init(bt->inv[i]);
    mpz_inits(bt->p, bt->acc, bt->t, bt->lam.c[0], bt->lam.c[1], NULL);
    load_fp_modulus(bt->p);
    bt->ready = true;
    return BV_OK;
}

static void batch_push(batch *bt, apt *dst, const apt *a, const apt *b)
{
    bt->dst[bt->len] = dst;
    bt->a[bt->len] = a;
    bt->b[bt->len] = b;
    bt->len++;
}

static void batch_run(batch *bt)
{
    size_t m = bt->len;
    bool any = false;
    mpz_set_ui(bt->acc, 1);
    for (size_t i = 0; i < m; i++) {
        const apt *a = bt->a[i], *b = bt->b[i];
        bt->chord[i] = !a->inf && !b->inf && mpz_cmp(a->x.c[0], b->x.c[0]) != 0;
        if (bt->chord[i]) {
            mpz_sub(bt->t, b->x.c[0], a->x.c[0]);
            mpz_mul(bt->acc, bt->acc, bt->t);
            mpz_mod(bt->acc, bt->acc, bt->p);
            any = true;
        }
        mpz_set(bt->inv[i], bt->acc); /* the product of the chord denominators up to i */
    }
    if (any) {
        /* acc = 1 / (the product of all); peel off the last denominator at each step. */
        mpz_invert(bt->acc, bt->acc, bt->p);
        for (size_t i = m; i-- > 0;) {
            if (!bt->chord[i])
                continue;
            const apt *a = bt->a[i], *b = bt->b[i];
            mpz_sub(bt->t, b->x.c[0], a->x.c[0]);
            if (i > 0) {
                mpz_mul(bt->inv[i], bt->acc, bt->inv[i - 1]);
                mpz_mod(bt->inv[i], bt->inv[i], bt->p);
            } else {
                mpz_set(bt->inv[i], bt->acc);
            }
            mpz_mul(bt->acc, bt->acc, bt->t);
            mpz_mod(bt->acc, bt->acc, bt->p);
        }
    }
    mpz_set_ui(bt->lam.c[1], 0);
    for (size_t i = 0; i < m; i++) {
        const apt *a = bt->a[i], *b = bt->b[i];
        if (!bt->chord[i]) {
            bv_ref_apt_add(bt->dst[i], a, b);
            continue;
        }
        mpz_sub(bt->t, b->y.c[0], a->y.c[0]);
        mpz_mul(bt->t, bt->t, bt->inv[i]);
        mpz_mod(bt->lam.c[0], bt->t, bt->p);
        bv_ref_apt_from_slope(bt->dst[i], &bt->lam, a, &b->x);
    }
    bt->len = 0;
}

/* ---- Pippenger ---------------------------------------------------------------------- */

/* Bits [bit, bit + c) of a 32-byte little-endian scalar; bits past 255 read as 0. */
static uint32_t digit_at(const uint8_t *s, unsigned bit, unsigned c)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < 4 && bit / 8 + i < SC_BYTES; i++)
        v |= (uint32_t)s[bit / 8 + i] << (8 * i);
    return (v >> (bit % 8)) & ((1u << c) - 1);
}

/* The window width c minimising ceil(256/c) * (n + 6 * 2^c): each window adds every point into
 * a bucket (batched, about one unit each) and sums the 2^c buckets with two unbatched additions
 * each (an inversion apiece, about three units). */
static unsigned window_bits(size_t n)
{
    unsigned best = 1;
    double best_cost = 0;
    for (unsigned c = 1; c <= MAX_WINDOW; c++) {
        double cost = (double)((SCALAR_BITS + c - 1) / c) * ((double)n + 6.0 * (double)(1u << c));
        if (c == 1 || cost < best_cost) {
            best = c;
            best_cost = cost;
        }
    }
    return best;
}

typedef struct pip {
    size_t n;
    unsigned c;
    size_t nb;      /* 2^c buckets; bucket 0 is never used */
    const apt *pts; /* the n inputs */
    const uint8_t *scalars;
    apt *work;      /* n slots: each bucket's points, contiguous */
    size_t *cnt, *start;
    batch bt;
    apt s, t;       /* the running sums */
} pip;

/* out = sum_k k * B_k for window w, B_k the sum of the points whose digit in w is k. */
static void window_sum(pip *pp, apt *out, unsigned w)
{
    size_t nb = pp->nb;
    unsigned bit = w * pp->c;
    memset(pp->cnt, 0, nb * sizeof *pp->cnt);
    for (size_t i = 0; i < pp->n; i++)
        if (!pp->pts[i].inf)
            pp->cnt[digit_at(pp->scalars + i * SC_BYTES, bit, pp->c)]++;
    size_t at = 0;
    for (size_t k = 1; k < nb; k++) {
        pp->start[k] = at;
        at += pp->cnt[k];
    }
    /* Place each point; start[] is advanced while placing and restored after. */
    for (size_t i = 0; i < pp->n; i++) {
        uint32_t d;
        if (pp->pts[i].inf || (d = digit_at(pp->scalars + i * SC_BYTES, bit, pp->c)) == 0)
            continue;
        bv_ref_apt_set(&pp->work[pp->start[d]++], &pp->pts[i]);
    }
    for (size_t k = 1; k < nb; k++)
        pp->start[k] -= pp->cnt[k];

    /* Halve every bucket's list a round: slot j takes slots 2j + 2j+1, an odd last one moves
     * to slot m/2. Pair j writes slot j, which no later pair reads. */
    for (;;) {
        for (size_t k = 1; k < nb; k++) {
            apt *v = pp->work + pp->start[k];
            for (size_t j = 0; j < pp->cnt[k] / 2; j++)
                batch_push(&pp->bt, &v[j], &v[2 * j], &v[2 * j + 1]);
        }
        if (pp->bt.len == 0)
            break;
        batch_run(&pp->bt);
        for (size_t k = 1; k < nb; k++) {
            size_t m = pp->cnt[k];
            if (m < 2)
                continue;
            if (m % 2)
                apt_swap(&pp->work[pp->start[k] + m / 2], &pp->work[pp->start[k] + m - 1]);
            pp->cnt[k] = (m + 1) / 2;
        }
    }

    /* sum_k k * B_k = sum over k of (B_k + B_(k+1) + ... + B_(nb-1)). */
    bv_ref_apt_init(&pp->s);
    bv_ref_apt_init(&pp->t);
    for (size_t k = nb - 1; k >= 1; k--) {
        if (pp->cnt[k])
            bv_ref_apt_add(&pp->s, &pp->s, &pp->work[pp->start[k]]);
        bv_ref_apt_add(&pp->t, &pp->t, &pp->s);
    }
    bv_ref_apt_set(out, &pp->t);
    bv_ref_apt_clear(&pp->s);
    bv_ref_apt_clear(&pp->t);
}

bv_status bv_ref_msm_g1(uint8_t *out, const uint8_t *points, const uint8_t *scalars, size_t n,
                        bv_error *err)
{
    static const char fn[] = "bv_ref_msm_g1";
    pip pp = {0};
    apt *pts = NULL, acc, ws;
    size_t loaded = 0;
    bv_status st;

    if ((st = check_args(fn, out, points, scalars, n, err)) != BV_OK)
        return st;
    if (n == 0) {
        memset(out, 0, JAC_BYTES);
        return BV_OK;
    }
    pp.n = n;
    pp.c = window_bits(n);
    pp.nb = (size_t)1 << pp.c;
    pp.scalars = scalars;
    bv_ref_apt_init(&acc);
    bv_ref_apt_init(&ws);
    pts = malloc(n * sizeof *pts);
    pp.work = apt_array(n);
    pp.cnt = malloc(pp.nb * sizeof *pp.cnt);
    pp.start = malloc(pp.nb * sizeof *pp.start);
    if (!pts || !pp.work || !pp.cnt || !pp.start) {
        st = bv_error_set(err, BV_ERR_NOMEM, "%s: no memory for %zu points", fn, n);
        goto out;
    }
    if ((st = batch_init(&pp.bt, n / 2 + 1, fn, err)) != BV_OK)
        goto out;
    for (; loaded < n; loaded++)
        bv_ref_apt_load(BV_FAMILY_G1, &pts[loaded], points + loaded * PT_BYTES, true);
    pp.pts = pts;

    /* Horner over the windows, the most significant first: acc = 2^c * acc + window sum. */
    unsigned windows = (SCALAR_BITS + pp.c - 1) / pp.c;
    for (unsigned w = windows; w-- > 0;) {
        for (unsigned i = 0; w + 1 < windows && i < pp.c; i++)
            bv_ref_apt_dbl(&acc, &acc);
        window_sum(&pp, &ws, w);
        bv_ref_apt_add(&acc, &acc, &ws);
    }
    bv_ref_apt_store(BV_FAMILY_G1, out, &acc, false);
out:
    if (pts)
        for (size_t i = 0; i < loaded; i++)
            bv_ref_apt_clear(&pts[i]);
    free(pts);
    apt_array_free(pp.work, n);
    free(pp.cnt);
    free(pp.start);
    batch_free(&pp.bt);
    bv_ref_apt_clear(&acc);
    bv_ref_apt_clear(&ws);
    return st;
}

/* ---- the naive sum ------------------------------------------------------------------ */

bv_status bv_ref_msm_g1_naive(uint8_t *out, const uint8_t *points, const uint8_t *scalars,
                              size_t n, bv_error *err)
{
    static const char fn[] = "bv_ref_msm_g1_naive";
    static const uint8_t zero[PT_BYTES];
    uint8_t acc[JAC_BYTES] = {0}, jac[JAC_BYTES], prod[JAC_BYTES];
    bv_status st;
    if ((st = check_args(fn, out, points, scalars, n, err)) != BV_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *pt = points + i * PT_BYTES;
        memset(jac, 0, sizeof jac);
        if (memcmp(pt, zero, PT_BYTES) != 0) { /* (x, y, 1); the identity stays Z = 0 */
            memcpy(jac, pt, PT_BYTES);
            memcpy(jac + PT_BYTES, bv_ref_const(BV_FAMILY_FP)->r_mod, FP_BYTES);
        }
        bv_ref_op(BV_FAMILY_G1, BV_OP_SMUL, prod, jac, scalars + i * SC_BYTES);
        bv_ref_op(BV_FAMILY_G1, BV_OP_ADD, acc, acc, prod);
    }
    memcpy(out, acc, JAC_BYTES);
    return BV_OK;
}

/* ---- the generator-based check ------------------------------------------------------ */

/* Value t of a seed's stream: the 256-bit integer whose 64-bit words, least significant first,
 * are splitmix64 outputs 4t .. 4t+3 of the stream that starts at state seed (output j: z = seed
 * + (j + 1) * 0x9e3779b97f4a7c15, then splitmix64's finaliser), reduced mod r when r is given. */
static void draw(mpz_t out, uint64_t seed, uint64_t t, const mpz_t r)
{
    uint64_t w[4];
    for (unsigned i = 0; i < 4; i++) {
        w[i] = bv_splitmix64_mix(seed + (4 * t + i + 1) * BV_SPLITMIX64_GAMMA);
    }
    mpz_import(out, 4, -1, sizeof w[0], 0, 0, w);
    if (r)
        mpz_mod(out, out, r);
}

/* a_i = b_(i / m) + c_(i mod m) mod r, b_j = draw(2j), c_k = draw(2k + 1). */
typedef struct known {
    size_t n, m, rows;
    mpz_t r;
    mpz_t *b, *c;
} known;

static void known_free(known *kn)
{
    if (kn->b)
        for (size_t j = 0; j < kn->rows; j++)
            mpz_clear(kn->b[j]);
    if (kn->c)
        for (size_t k = 0; k < kn->m; k++)
            mpz_clear(kn->c[k]);
    free(kn->b);
    free(kn->c);
    mpz_clear(kn->r);
    memset(kn, 0, sizeof *kn);
}

/* n >= 1. */
static bv_status known_init(known *kn, size_t n, uint64_t seed, const char *fn, bv_error *err)
{
    unsigned lg = 0;
    while (lg < sizeof(size_t) * 8 - 1 && ((size_t)1 << lg) < n)
        lg++;
    memset(kn, 0, sizeof *kn);
    mpz_init(kn->r);
    load_order(kn->r);
    kn->n = n;
    kn->m = (size_t)1 << ((lg + 1) / 2);
    kn->rows = (n - 1) / kn->m + 1;
    kn->b = malloc(kn->rows * sizeof *kn->b);
    kn->c = malloc(kn->m * sizeof *kn->c);
    if (!kn->b || !kn->c) {
        free(kn->b);
        free(kn->c);
        kn->b = kn->c = NULL;
        known_free(kn);
        return bv_error_set(err, BV_ERR_NOMEM, "%s: no memory for %zu points", fn, n);
    }
    for (size_t j = 0; j < kn->rows; j++) {
        mpz_init(kn->b[j]);
        draw(kn->b[j], seed, 2 * (uint64_t)j, kn->r);
    }
    for (size_t k = 0; k < kn->m; k++) {
        mpz_init(kn->c[k]);
        draw(kn->c[k], seed, 2 * (uint64_t)k + 1, kn->r);
    }
    return BV_OK;
}

static void known_a(mpz_t out, const known *kn, size_t i)
{
    mpz_add(out, kn->b[i / kn->m], kn->c[i % kn->m]);
    if (mpz_cmp(out, kn->r) >= 0)
        mpz_sub(out, out, kn->r);
}

static void generator(apt *g)
{
    bv_ref_apt_load(BV_FAMILY_G1, g, bv_ref_curve_generator_bytes(BV_FAMILY_G1), false);
}

/* out = k * G in the Jacobian encoding (Z = 1). */
static void store_multiple_of_g(uint8_t *out, const mpz_t k)
{
    apt g, res;
    generator(&g);
    bv_ref_apt_init(&res);
    bv_ref_apt_smul(&res, &g, k);
    bv_ref_apt_store(BV_FAMILY_G1, out, &res, false);
    bv_ref_apt_clear(&g);
    bv_ref_apt_clear(&res);
}

bv_status bv_ref_msm_g1_known_points(uint8_t *points, size_t n, uint64_t seed, bv_error *err)
{
    static const char fn[] = "bv_ref_msm_g1_known_points";
    known kn = {0};
    batch bt = {0};
    apt g, *rows = NULL, *cols = NULL, *tmp = NULL;
    bv_status st;
    if ((st = check_ready(fn, err)) != BV_OK)
        return st;
    if (!points && n > 0)
        return bv_error_set(err, BV_ERR_ARG, "%s: NULL output", fn);
    if ((st = check_count(fn, n, err)) != BV_OK || n == 0)
        return st;
    if ((st = known_init(&kn, n, seed, fn, err)) != BV_OK)
        return st;
    generator(&g);
    rows = apt_array(kn.rows);
    cols = apt_array(kn.m);
    tmp = apt_array(KNOWN_CHUNK);
    if (!rows || !cols || !tmp) {
        st = bv_error_set(err, BV_ERR_NOMEM, "%s: no memory for %zu points", fn, n);
        goto out;
    }
    if ((st = batch_init(&bt, KNOWN_CHUNK, fn, err)) != BV_OK)
        goto out;
    for (size_t j = 0; j < kn.rows; j++)
        bv_ref_apt_smul(&rows[j], &g, kn.b[j]);
    for (size_t k = 0; k < kn.m; k++)
        bv_ref_apt_smul(&cols[k], &g, kn.c[k]);
    for (size_t i0 = 0; i0 < n; i0 += KNOWN_CHUNK) {
        size_t len = n - i0 < KNOWN_CHUNK ? n - i0 : KNOWN_CHUNK;
        for (size_t i = 0; i < len; i++)
            batch_push(&bt, &tmp[i], &rows[(i0 + i) / kn.m], &cols[(i0 + i) % kn.m]);
        batch_run(&bt);
        for (size_t i = 0; i < len; i++)
            bv_ref_apt_store(BV_FAMILY_G1, points + (i0 + i) * PT_BYTES, &tmp[i], true);
    }
out:
    apt_array_free(rows, kn.rows);
    apt_array_free(cols, kn.m);
    apt_array_free(tmp, KNOWN_CHUNK);
    batch_free(&bt);
    bv_ref_apt_clear(&g);
    known_free(&kn);
    return st;
}

bv_status bv_ref_msm_g1_known_expected(uint8_t *out, const uint8_t *scalars, size_t n,
                                       uint64_t seed, bv_error *err)
{
    static const char fn[] = "bv_ref_msm_g1_known_expected";
    known kn;
    mpz_t sum, a, s;
    bv_status st;
    if ((st = check_ready(fn, err)) != BV_OK)
        return st;
    if (!out || (n > 0 && !scalars))
        return bv_error_set(err, BV_ERR_ARG, "%s: NULL %s", fn, out ? "input" : "output");
    if ((st = check_count(fn, n, err)) != BV_OK)
        return st;
    if (n == 0) {
        memset(out, 0, JAC_BYTES);
        return BV_OK;
    }
    if ((st = known_init(&kn, n, seed, fn, err)) != BV_OK)
        return st;
    mpz_inits(sum, a, s, NULL);
    for (size_t i = 0; i < n; i++) {
        known_a(a, &kn, i);
        mpz_import(s, SC_BYTES, -1, 1, 0, 0, scalars + i * SC_BYTES);
        mpz_addmul(sum, s, a);
    }
    mpz_mod(sum, sum, kn.r);
    store_multiple_of_g(out, sum);
    mpz_clears(sum, a, s, NULL);
    known_free(&kn);
    return BV_OK;
}

bv_status bv_ref_msm_g1_known_scalar(uint8_t *out, size_t n, size_t i, uint64_t seed,
                                     bv_error *err)
{
    static const char fn[] = "bv_ref_msm_g1_known_scalar";
    known kn;
    mpz_t a;
    bv_status st;
    if ((st = check_ready(fn, err)) != BV_OK)
        return st;
    if (!out)
        return bv_error_set(err, BV_ERR_ARG, "%s: NULL output", fn);
    if (i >= n)
        return bv_error_set(err, BV_ERR_ARG, "%s: index %zu is not below n = %zu", fn, i, n);
    if ((st = known_init(&kn, n, seed, fn, err)) != BV_OK)
        return st;
    mpz_init(a);
    known_a(a, &kn, i);
    BV_IGNORE(bv_ref_from_mpz(out, BV_FAMILY_FR, a, NULL)); /* below r: fits */
    mpz_clear(a);
    known_free(&kn);
    return BV_OK;
}

/* ---- edge inputs -------------------------------------------------------------------- */

typedef enum edge_kind {
    EDGE_SCALARS_ZERO,
    EDGE_SCALARS_ONE,
    EDGE_SCALARS_R_MINUS_1,
    EDGE_SCALARS_R,
    EDGE_SCALARS_UNREDUCED,
    EDGE_SCALARS_MAX,
    EDGE_SCALARS_EQUAL,
    EDGE_BYTES_REPEATED,
    EDGE_POINTS_EQUAL,
    EDGE_POINTS_IDENTITY,
    EDGE_PAIRS_NEGATED,
    EDGE_COUNT
} edge_kind;

static const char *const edge_names[] = {
    [EDGE_SCALARS_ZERO] = "scalars_zero",
    [EDGE_SCALARS_ONE] = "scalars_one",
    [EDGE_SCALARS_R_MINUS_1] = "scalars_r-1",
    [EDGE_SCALARS_R] = "scalars_r",
    [EDGE_SCALARS_UNREDUCED] = "scalars_unreduced",
    [EDGE_SCALARS_MAX] = "scalars_max",
    [EDGE_SCALARS_EQUAL] = "scalars_equal",
    [EDGE_BYTES_REPEATED] = "bytes_repeated",
    [EDGE_POINTS_EQUAL] = "points_equal",
    [EDGE_POINTS_IDENTITY] = "points_identity",
    [EDGE_PAIRS_NEGATED] = "pairs_negated",
};
_Static_assert(sizeof edge_names / sizeof edge_names[0] == EDGE_COUNT,
               "edge_names must have one entry per edge_kind");

size_t bv_ref_msm_edge_count(void)
{
    return EDGE_COUNT;
}

const char *bv_ref_msm_edge_name(size_t which)
{
    return which < EDGE_COUNT ? edge_names[which] : NULL;
}

bv_status bv_ref_msm_edge(uint8_t *points, uint8_t *scalars, uint8_t *expected, size_t n,
                          size_t which, bv_error *err)
{
    static const char fn[] = "bv_ref_msm_edge";
    known kn;
    mpz_t sum, a, s, t;
    bv_status st;
    if ((st = check_ready(fn, err)) != BV_OK)
        return st;
    if (which >= EDGE_COUNT)
        return bv_error_set(err, BV_ERR_ARG, "%s: no edge input %zu (there are %d)", fn, which,
                            (int)EDGE_COUNT);
    if (n == 0)
        return bv_error_set(err, BV_ERR_ARG, "%s: n is 0", fn);
    if (!points || !scalars || !expected)
        return bv_error_set(err, BV_ERR_ARG, "%s: NULL output", fn);
    if ((st = check_count(fn, n, err)) != BV_OK)
        return st;
    if ((st = bv_ref_msm_g1_known_points(points, n, EDGE_POINT_SEED, err)) != BV_OK)
        return st;
    if ((st = known_init(&kn, n, EDGE_POINT_SEED, fn, err)) != BV_OK)
        return st;
    mpz_inits(sum, a, s, t, NULL);
    for (size_t i = 0; i < n; i++) {
        uint8_t *pt = points + i * PT_BYTES, *sc = scalars + i * SC_BYTES;
        known_a(a, &kn, i);
        draw(s, EDGE_SCALAR_SEED, i, kn.r); /* the random scalar */
        switch ((edge_kind)which) {
        case EDGE_SCALARS_ZERO:
            mpz_set_ui(s, 0);
            break;
        case EDGE_SCALARS_ONE:
            mpz_set_ui(s, 1);
            break;
        case EDGE_SCALARS_R_MINUS_1:
            mpz_sub_ui(s, kn.r, 1);
            break;
        case EDGE_SCALARS_R:
            mpz_set(s, kn.r);
            break;
        case EDGE_SCALARS_UNREDUCED:
            mpz_add(s, s, kn.r); /* below 2r < 2^256 */
            break;
        case EDGE_SCALARS_MAX:
            mpz_set_ui(s, 0);
            mpz_setbit(s, SCALAR_BITS);
            mpz_sub_ui(s, s, 1);
            break;
        case EDGE_SCALARS_EQUAL:
            draw(s, EDGE_SCALAR_SEED, 0, kn.r);
            break;
        case EDGE_BYTES_REPEATED: {
            unsigned byte = (unsigned)(mpz_get_ui(s) % 255) + 1;
            mpz_set_ui(s, 0);
            for (unsigned j = 0; j < SC_BYTES; j++) {
                mpz_mul_2exp(s, s, 8);
                mpz_add_ui(s, s, byte);
            }
            break;
        }
        case EDGE_POINTS_EQUAL:
            if (i > 0)
                memcpy(pt, points, PT_BYTES);
            known_a(a, &kn, 0);
            break;
        case EDGE_POINTS_IDENTITY:
            if (i % 2 == 0) {
                memset(pt, 0, PT_BYTES);
                mpz_set_ui(a, 0);
            }
            break;
        case EDGE_PAIRS_NEGATED:
            if (i % 2 == 1) { /* -P_(i-1): y -> p - y, and the scalar of i - 1 */
                memcpy(pt, pt - PT_BYTES, FP_BYTES);
                bv_ref_op(BV_FAMILY_FP, BV_OP_NEG, pt + FP_BYTES, pt - PT_BYTES + FP_BYTES, NULL);
                known_a(a, &kn, i - 1);
                mpz_sub(a, kn.r, a);
                draw(s, EDGE_SCALAR_SEED, i - 1, kn.r);
            } else if (i == n - 1) {
                mpz_set_ui(s, 0); /* odd n: the unpaired last point */
            }
            break;
        case EDGE_COUNT:
            break;
        }
        memset(sc, 0, SC_BYTES);
        mpz_export(sc, NULL, -1, 1, 0, 0, s);
        mpz_mul(t, s, a);
        mpz_add(sum, sum, t);
    }
    mpz_mod(sum, sum, kn.r);
    store_multiple_of_g(expected, sum);
    mpz_clears(sum, a, s, t, NULL);
    known_free(&kn);
    return BV_OK;
}
