/* common/status.c: status names, error records, checked size arithmetic and small
 * platform helpers used by every module. */
#define _GNU_SOURCE
#include "bv_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const status_names[] = {
    "ok",          "out-of-memory", "bad-argument", "io-error",   "parse-error",
    "bad-value",   "overflow",      "vulkan-error", "unsupported", "timeout",
    "device-lost", "shader-error",  "no-device",    "internal-error",
};
_Static_assert(sizeof(status_names) / sizeof(status_names[0]) == (size_t)(-BV_STATUS_MIN) + 1,
               "status_names must have one entry per bv_status");

const char *bv_status_name(bv_status s)
{
    if (s > 0 || s < BV_STATUS_MIN)
        return "unknown-status";
    return status_names[-s];
}

bv_status bv_error_set(bv_error *err, bv_status s, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->status = s;
        err->vk_call = NULL;
        err->vk_result = 0;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return s;
}

void bv_error_prefix(bv_error *err, const char *fmt, ...)
{
    char prefix[512], old[sizeof err->msg];
    va_list ap;
    if (!err)
        return;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    /* Truncation is acceptable: the message stays a valid, shorter string. */
    size_t n = strlen(prefix);
    if (n > sizeof err->msg - 3)
        n = sizeof err->msg - 3;
    memcpy(err->msg, prefix, n);
    memcpy(err->msg + n, ": ", 2);
    size_t rest = sizeof err->msg - n - 3;
    size_t m = strnlen(old, rest);
    memcpy(err->msg + n + 2, old, m);
    err->msg[n + 2 + m] = '\0';
}

void bv_error_clear(bv_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

bv_status bv_size_mul(size_t a, size_t b, size_t *out)
{
    if (b != 0 && a > SIZE_MAX / b)
        return BV_ERR_OVERFLOW;
    *out = a * b;
    return BV_OK;
}

bv_status bv_size_add(size_t a, size_t b, size_t *out)
{
    if (a > SIZE_MAX - b)
        return BV_ERR_OVERFLOW;
    *out = a + b;
    return BV_OK;
}

unsigned bv_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1u : (unsigned)n;
}

uint64_t bv_time_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

bv_status bv_array_reserve(void *arrayp, size_t *cap, size_t need, size_t elem, bv_error *err)
{
    void *old, *grown;
    size_t ncap = *cap ? *cap : 16, bytes;
    if (need <= *cap)
        return BV_OK;
    while (ncap < need)
        if (bv_size_mul(ncap, 2, &ncap))
            return bv_error_set(err, BV_ERR_OVERFLOW, "an array of %zu elements is too large", need);
    if (bv_size_mul(ncap, elem, &bytes))
        return bv_error_set(err, BV_ERR_OVERFLOW, "an array of %zu elements is too large", need);
    memcpy(&old, arrayp, sizeof old);
    grown = realloc(old, bytes);
    if (!grown)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory for %zu elements", need);
    memcpy(arrayp, &grown, sizeof grown);
    *cap = ncap;
    return BV_OK;
}

uint64_t bv_splitmix64_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t bv_splitmix64(uint64_t *state)
{
    return bv_splitmix64_mix(*state += BV_SPLITMIX64_GAMMA);
}

uint64_t bv_fnv1a64(uint64_t h, const void *data, size_t n)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}
