/* suites/bench_ref.c: how fast the CPU reference is, so that a user knows how long the
 * reference side of a large run takes. Prints Montgomery products per second on one
 * core (bv_ref_op) and bv_ref_batch throughput over all cores, each the median of
 * several timed repetitions after a warm-up, and the time of one forward Fr NTT
 * (bv_ref_ntt, one thread) at 2^16 and 2^20 elements; with `msm` (not run by default: it takes
 * about a minute), one G1 MSM (bv_ref_msm_g1, one thread) at 2^12 and 2^16 points and the
 * generator-based check's point generation at 2^16 and 2^20.
 * Usage: bench_ref [repetitions] [ops|ntt|msm]   (default: ops and ntt) */
#include "bv_ref.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SET 1024            /* inputs per op loop: small enough to stay in L1 */
#define BATCH (1u << 20)    /* elements per bv_ref_batch call */
#define REP_NS 300000000ull /* aim for about 0.3 s a repetition */
#define MAX_REPS 51

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t next_u64(void)
{
    /* xorshift64*: fixed seed, so every run times the same inputs */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

/* Fills n canonical elements: random bytes, top byte masked to the modulus's bit
 * length, redrawn until below the modulus. */
static void fill_random(bv_family f, uint8_t *buf, size_t n)
{
    const bv_ref_constants *c = bv_ref_constants_get(f);
    uint8_t top_mask = (uint8_t)(0xffu >> (8 * c->bytes - c->bits));
    for (size_t i = 0; i < n; i++) {
        uint8_t *x = buf + i * c->bytes;
        do {
            for (unsigned j = 0; j < c->bytes; j += 8) {
                uint64_t w = next_u64();
                memcpy(x + j, &w, 8);
            }
            x[c->bytes - 1] &= top_mask;
        } while (!bv_ref_is_canonical(f, x));
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One pass: SET independent products out[i] = x[i]*y[i]*R^-1. */
static void mul_pass(bv_family f, uint8_t *out, const uint8_t *x, const uint8_t *y)
{
    size_t bytes = bv_ref_family_bytes(f);
    for (size_t i = 0; i < SET; i++)
        bv_ref_op(f, BV_OP_MUL, out + i * bytes, x + i * bytes, y + i * bytes);
}

/* Products per second on this thread, median over reps, with p10/p90 in lo/hi. */
static double bench_op(bv_family f, int reps, double *lo, double *hi)
{
    size_t bytes = bv_ref_family_bytes(f);
    uint8_t *x = malloc(SET * bytes), *y = malloc(SET * bytes), *out = malloc(SET * bytes);
    double rate[MAX_REPS];
    if (!x || !y || !out) {
        fprintf(stderr, "bench_ref: out of memory\n");
        exit(1);
    }
    fill_random(f, x, SET);
    fill_random(f, y, SET);

    /* Warm-up, which also sizes a repetition to about REP_NS. */
    uint64_t passes = 1, t0, dt;
    for (;;) {
        t0 = bv_time_ns();
        for (uint64_t p = 0; p < passes; p++)
            mul_pass(f, out, x, y);
        dt = bv_time_ns() - t0;
        if (dt >= REP_NS / 4)
            break;
        passes *= 2;
    }
    passes = passes * REP_NS / (dt ? dt : 1) + 1;

    for (int r = 0; r < reps; r++) {
        t0 = bv_time_ns();
        for (uint64_t p = 0; p < passes; p++)
            mul_pass(f, out, x, y);
        dt = bv_time_ns() - t0;
        rate[r] = (double)(passes * SET) / ((double)dt * 1e-9);
    }
    qsort(rate, (size_t)reps, sizeof *rate, cmp_double);
    *lo = rate[reps / 10];
    *hi = rate[reps - 1 - reps / 10];
    double med = median(rate, reps);
    free(x);
    free(y);
    free(out);
    return med;
}

/* bv_ref_batch elements per second for mul with the given thread count (0: all). */
static double bench_batch(bv_family f, unsigned threads, int reps)
{
    size_t bytes = bv_ref_family_bytes(f);
    uint8_t *x = malloc(BATCH * bytes), *y = malloc(BATCH * bytes), *out = malloc(BATCH * bytes);
    double rate[MAX_REPS];
    bv_error err;
    if (!x || !y || !out) {
        fprintf(stderr, "bench_ref: out of memory\n");
        exit(1);
    }
    fill_random(f, x, BATCH);
    fill_random(f, y, BATCH);
    for (int r = -1; r < reps; r++) { /* r == -1 is the warm-up */
        uint64_t t0 = bv_time_ns();
        if (bv_ref_batch(f, BV_OP_MUL, out, x, y, BATCH, threads, &err) != BV_OK) {
            fprintf(stderr, "bench_ref: %s\n", err.msg);
            exit(1);
        }
        uint64_t dt = bv_time_ns() - t0;
        if (r >= 0)
            rate[r] = (double)BATCH / ((double)dt * 1e-9);
    }
    free(x);
    free(y);
    free(out);
    return median(rate, reps);
}

/* Seconds for one forward NTT of 2^log_n random elements: median of reps calls after one
 * warm-up call, with the fastest and slowest in lo and hi. */
static double bench_ntt(unsigned log_n, int reps, double *lo, double *hi)
{
    size_t n = (size_t)1 << log_n;
    uint8_t *x = malloc(n * 32), *y = malloc(n * 32);
    double secs[MAX_REPS];
    bv_error err;
    if (!x || !y) {
        fprintf(stderr, "bench_ref: out of memory\n");
        exit(1);
    }
    fill_random(BV_FAMILY_FR, x, n);
    for (int r = -1; r < reps; r++) { /* r == -1 is the warm-up */
        uint64_t t0 = bv_time_ns();
        if (bv_ref_ntt(y, x, log_n, BV_REF_NTT_FORWARD, false, &err) != BV_OK) {
            fprintf(stderr, "bench_ref: %s\n", err.msg);
            exit(1);
        }
        uint64_t dt = bv_time_ns() - t0;
        if (r >= 0)
            secs[r] = (double)dt * 1e-9;
    }
    free(x);
    free(y);
    qsort(secs, (size_t)reps, sizeof *secs, cmp_double);
    *lo = secs[0];
    *hi = secs[reps - 1];
    return median(secs, reps);
}

static double secs_since(uint64_t t0)
{
    return (double)(bv_time_ns() - t0) * 1e-9;
}

/* One bv_ref_msm_g1 of 2^log_n generated points and random 256-bit scalars: seconds, median of
 * reps calls (no warm-up: a call takes seconds); the generation's seconds in gen_s. */
static double bench_msm(unsigned log_n, int reps, double *gen_s, double *lo, double *hi)
{
    size_t n = (size_t)1 << log_n;
    uint8_t *pts = malloc(n * BV_REF_MSM_POINT_BYTES), *sc = malloc(n * 32), out[144];
    double secs[MAX_REPS];
    bv_error err;
    if (!pts || !sc) {
        fprintf(stderr, "bench_ref: out of memory\n");
        exit(1);
    }
    uint64_t t0 = bv_time_ns();
    if (bv_ref_msm_g1_known_points(pts, n, 1, &err) != BV_OK) {
        fprintf(stderr, "bench_ref: %s\n", err.msg);
        exit(1);
    }
    *gen_s = secs_since(t0);
    for (size_t i = 0; i < n * 32; i += 8) {
        uint64_t w = next_u64();
        memcpy(sc + i, &w, 8);
    }
    for (int r = 0; r < reps; r++) {
        t0 = bv_time_ns();
        if (bv_ref_msm_g1(out, pts, sc, n, &err) != BV_OK) {
            fprintf(stderr, "bench_ref: %s\n", err.msg);
            exit(1);
        }
        secs[r] = secs_since(t0);
    }
    free(pts);
    free(sc);
    qsort(secs, (size_t)reps, sizeof *secs, cmp_double);
    *lo = secs[0];
    *hi = secs[reps - 1];
    return median(secs, reps);
}

/* The generator-based check at 2^log_n: seconds for the points, and for the expected sum. */
static void bench_known(unsigned log_n, double *pts_s, double *exp_s)
{
    size_t n = (size_t)1 << log_n;
    uint8_t *pts = malloc(n * BV_REF_MSM_POINT_BYTES), *sc = malloc(n * 32), out[144];
    bv_error err;
    if (!pts || !sc) {
        fprintf(stderr, "bench_ref: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n * 32; i += 8) {
        uint64_t w = next_u64();
        memcpy(sc + i, &w, 8);
    }
    uint64_t t0 = bv_time_ns();
    if (bv_ref_msm_g1_known_points(pts, n, 2, &err) != BV_OK) {
        fprintf(stderr, "bench_ref: %s\n", err.msg);
        exit(1);
    }
    *pts_s = secs_since(t0);
    t0 = bv_time_ns();
    if (bv_ref_msm_g1_known_expected(out, sc, n, 2, &err) != BV_OK) {
        fprintf(stderr, "bench_ref: %s\n", err.msg);
        exit(1);
    }
    *exp_s = secs_since(t0);
    free(pts);
    free(sc);
}

static void run_msm(int reps)
{
    static const unsigned logs[] = {12, 16};
    printf("bv_ref_msm_g1, generated points, random 256-bit scalars, one thread, median\n");
    for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++) {
        int nr = logs[i] >= 16 && reps > 3 ? 3 : reps;
        double gen, lo, hi, med = bench_msm(logs[i], nr, &gen, &lo, &hi);
        printf("  g1 MSM 2^%u: %8.3f s (min %.3f, max %.3f, %d calls; %.1f k points/s)\n",
               logs[i], med, lo, hi, nr, (double)((size_t)1 << logs[i]) / med / 1e3);
    }
    static const unsigned known_logs[] = {16, 20};
    printf("bv_ref_msm_g1_known_points / _expected (the generator-based check), one call\n");
    for (size_t i = 0; i < sizeof known_logs / sizeof known_logs[0]; i++) {
        double pts_s, exp_s;
        bench_known(known_logs[i], &pts_s, &exp_s);
        printf("  2^%u points: %.3f s; expected sum: %.3f s\n", known_logs[i], pts_s, exp_s);
    }
}

int main(int argc, char **argv)
{
    int reps = 9;
    bool ops = true, ntt = true, msm = false;
    bv_error err;
    if (argc > 1) {
        reps = atoi(argv[1]);
        if (reps < 1 || reps > MAX_REPS || argc > 3 ||
            (argc == 3 && strcmp(argv[2], "ops") != 0 && strcmp(argv[2], "ntt") != 0 &&
             strcmp(argv[2], "msm") != 0)) {
            fprintf(stderr, "usage: bench_ref [repetitions, 1..%d] [ops|ntt|msm]\n", MAX_REPS);
            return 2;
        }
        if (argc == 3) {
            ops = strcmp(argv[2], "ops") == 0;
            ntt = strcmp(argv[2], "ntt") == 0;
            msm = strcmp(argv[2], "msm") == 0;
        }
    }
    if (bv_ref_init(&err) != BV_OK) {
        fprintf(stderr, "bench_ref: %s\n", err.msg);
        return 1;
    }
    if (msm)
        run_msm(reps);
    if (ntt) {
        /* 2^20 takes seconds a call, so it gets at most 3 repetitions. */
        static const unsigned logs[] = {16, 20};
        printf("bv_ref_ntt forward (not coset), random inputs, one thread, median after one "
               "warm-up call\n");
        for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++) {
            int nr = logs[i] >= 20 && reps > 3 ? 3 : reps;
            double lo, hi, med = bench_ntt(logs[i], nr, &lo, &hi);
            printf("  fr NTT 2^%u: %8.3f s (min %.3f, max %.3f, %d calls; %.2f M butterflies/s)\n",
                   logs[i], med, lo, hi, nr,
                   (double)((size_t)1 << logs[i]) / 2 * logs[i] / med / 1e6);
        }
    }
    if (!ops)
        return 0;
    printf("bv_ref Montgomery products (mul), median of %d repetitions of ~0.3 s after warm-up\n",
           reps);
    for (int f = 0; f < BV_FAMILY_COUNT; f++) {
        double lo, hi, med = bench_op((bv_family)f, reps, &lo, &hi);
        printf("  %s bv_ref_op, one core:   %6.2f M mul/s (p10 %.2f, p90 %.2f)\n",
               bv_ref_family_name((bv_family)f), med / 1e6, lo / 1e6, hi / 1e6);
    }
    unsigned cores = bv_cpu_count();
    for (int f = 0; f < BV_FAMILY_COUNT; f++) {
        double one = bench_batch((bv_family)f, 1, reps);
        double all = bench_batch((bv_family)f, 0, reps);
        printf("  %s bv_ref_batch, %u elements: 1 thread %6.2f M/s, %u threads %6.2f M/s "
               "(x%.2f)\n",
               bv_ref_family_name((bv_family)f), BATCH, one / 1e6, cores, all / 1e6, all / one);
    }
    return 0;
}
