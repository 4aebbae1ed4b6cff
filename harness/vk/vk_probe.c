/* harness/vk/vk_probe.c: the double-precision fma probe. The f64 variant's exact word products
 * need an fma that is fused and correctly rounded, which GLSL's fma (GLSL.std.450 Fma) does not
 * promise: a driver may multiply and add with two roundings. Triples where the two answers differ
 * (products wider than 53 bits, c = -round(a*b) leaving the exact low part, signs, both ends of
 * the exponent range, an intermediate that overflows) run through kernels/tools/bv_tool_fma.comp
 * and are compared bit for bit with the C library's fma, which C requires to round once. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bv_kernels.h"
#include "vk_internal.h"

enum { RANDOM_CASES = 48, NAMED_CASES = 8 };

typedef struct fma_case {
    double a, b, c;
    bool subnormal; /* the fused result is subnormal: tells flushing apart from fusing */
} fma_case;

/* The product and the sum rounded apart: volatile, so that this compiler cannot fuse them. */
static double unfused(double a, double b, double c)
{
    volatile double p = a * b;
    return p + c;
}

static uint64_t bits_of(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

size_t bv_vk_fma_cases(double (*abc)[3], bool *subnormal, size_t cap)
{
    const double e52 = ldexp(1, -52), e30 = ldexp(1, -30);
    const fma_case named[NAMED_CASES] = {
        /* (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104: below an ulp of 1, lost when rounded apart. */
        {1 + e52, 1 - e52, -1, false},
        {-(1 + e52), 1 - e52, 1, false},
        /* (2^27 + 1)(2^26 + 1) = 2^53 + 2^27 + 2^26 + 1: 54 bits; c takes away all but the 1. */
        {ldexp(1, 27) + 1, ldexp(1, 26) + 1, -(ldexp(1, 53) + ldexp(1, 27) + ldexp(1, 26)), false},
        /* Near the top of the range: -2^919, and near the bottom of the normals: -2^-1004. */
        {ldexp(1 + e52, 1000), ldexp(1 - e52, 23), -ldexp(1, 1023), false},
        {ldexp(1 + e52, -500), ldexp(1 - e52, -400), -ldexp(1, -900), false},
        /* a*b = 2^1024 overflows; fused, a*b - DBL_MAX = 2^971 is finite. */
        {ldexp(1, 512), ldexp(1, 512), -DBL_MAX, false},
        /* A subnormal result: (1 + 2^-30)^2 2^-1000 - (1 + 2^-29) 2^-1000 = 2^-1060. */
        {1 + e30, ldexp(1 + e30, -1000), -ldexp(1 + 2 * e30, -1000), true},
        /* 2^-1022 (1 + 2^-52) - 2^-1022 = 2^-1074, exact either way: only flushing loses it. */
        {1 + e52, ldexp(1, -1022), -ldexp(1, -1022), true},
    };
    size_t n = 0;
    for (size_t i = 0; i < NAMED_CASES && n < cap; i++, n++) {
        abc[n][0] = named[i].a;
        abc[n][1] = named[i].b;
        abc[n][2] = named[i].c;
        subnormal[n] = named[i].subnormal;
    }
    /* What the f64 products do: a, b integers below 2^52, c = -round(a*b); the fused result is
     * the exact low part a*b - round(a*b). A fixed seed: every device gets the same triples. */
    uint64_t s = 0x6a09e667f3bcc908ull;
    for (size_t i = 0; i < RANDOM_CASES && n < cap; i++, n++) {
        double a = (double)((bv_splitmix64(&s) >> 12) | (1ull << 51));
        double b = (double)((bv_splitmix64(&s) >> 12) | (1ull << 51));
        abc[n][0] = i % 2 ? -a : a;
        abc[n][1] = b;
        abc[n][2] = -unfused(abc[n][0], b, 0);
        subnormal[n] = false;
    }
    return n;
}

void bv_vk_fma_judge(const double (*abc)[3], const bool *subnormal, const double *got, size_t n, bv_device_info *d)
{
    uint32_t fused = 0, apart = 0, other = 0;
    bool flushed = false;
    for (size_t i = 0; i < n; i++) {
        double f = fma(abc[i][0], abc[i][1], abc[i][2]), u = unfused(abc[i][0], abc[i][1], abc[i][2]);
        uint64_t g = bits_of(got[i]);
        if (g == bits_of(f)) {
            fused++;
            continue;
        }
        if (subnormal[i] && got[i] == 0) {
            /* Flushed to zero: a statement about denormals, not about fusing. */
            flushed = true;
            continue;
        }
        if (g == bits_of(u))
            apart++;
        else
            other++;
    }
    d->fma_f64_cases = (uint32_t)n;
    d->fma_f64_fused = fused;
    d->fma_f64_subnormal_flushed = flushed;
    snprintf(d->fma_f64, sizeof d->fma_f64, "%s", other ? "inexact" : apart ? "not fused" : "fused");
}

bv_status bv_vk_probe_fma(bv_vk_context *ctx, bv_error *err)
{
    enum { CAP = NAMED_CASES + RANDOM_CASES };
    bv_device_info *d = &ctx->info;
    double abc[CAP][3], ab[CAP][2], c[CAP], got[CAP];
    bool subnormal[CAP];
    uint32_t *code = NULL;
    size_t size = 0;
    bv_status st;
    d->fma_f64[0] = '\0';
    if (!d->shader_float64) {
        snprintf(d->fma_f64, sizeof d->fma_f64, "not supported");
        return BV_OK;
    }
    size_t n = bv_vk_fma_cases(abc, subnormal, CAP);
    for (size_t i = 0; i < n; i++) {
        ab[i][0] = abc[i][0];
        ab[i][1] = abc[i][1];
        c[i] = abc[i][2];
    }
    if ((st = bv_kernel_tool_fma(&code, &size, err)) != BV_OK)
        return st;
    bv_vk_job job = {.code = code, .code_size = size, .arity = 2, .elem_bytes = sizeof(double),
                     .x_bytes = 2 * sizeof(double), .count = n, .x = (const uint8_t *)ab, .y = (const uint8_t *)c,
                     .out = (uint8_t *)got, .mode = BV_MODE_ONESHOT, .memory = BV_MEMORY_DEVICE, .no_timestamps = true};
    bv_vk_result res;
    st = bv_vk_run(ctx, &job, &res, err);
    free(code);
    if (st) {
        bv_error_prefix(err, "the fma probe");
        return st;
    }
    if (!res.canary_ok)
        return bv_error_set(err, BV_ERR_INTERNAL, "the fma probe: %s", res.canary_msg);
    bv_vk_fma_judge((const double(*)[3])abc, subnormal, got, n, d);
    return BV_OK;
}
