/* suites/test_harness.c: tests of harness/: dispatch planning at odd sizes and limits,
 * device selection, pipeline-cache reload, splitting on a real device, aliasing, canaries
 * and case naming. Device tests run on whatever Vulkan device is present (lavapipe in CI)
 * and are skipped, with the reason, where there is none. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <unistd.h>
#include <cmocka.h>

#include "bv_run.h"

typedef struct fixture {
    bv_vk_instance *inst;
    uint32_t index;
    bool have_device;
} fixture;

static int group_setup(void **state)
{
    static fixture fx;
    bv_error err;
    if (bv_ref_init(&err) != BV_OK)
        return -1;
    if (bv_vk_instance_create(NULL, &fx.inst, &err) != BV_OK)
        return -1;
    fx.have_device = bv_vk_device_count(fx.inst) > 0 && bv_vk_device_select(fx.inst, NULL, &fx.index, &err) == BV_OK;
    *state = &fx;
    return 0;
}

static int group_teardown(void **state)
{
    fixture *fx = *state;
    bv_vk_instance_destroy(fx->inst);
    return 0;
}

#define NEED_DEVICE(fx)                                                            \
    do {                                                                           \
        if (!(fx)->have_device) {                                                  \
            fprintf(stderr, "skipped: no Vulkan device (install mesa-vulkan-drivers)\n"); \
            skip();                                                                \
        }                                                                          \
    } while (0)

/* Every element is covered exactly once, windows are aligned and within range in every
 * binding, and no dispatch exceeds the group limit. */
static void check_plan_sizes(size_t count, const size_t *ebs, unsigned nb, uint32_t wg, uint32_t max_groups,
                             uint64_t max_range, uint64_t align)
{
    bv_vk_dispatch *d = NULL;
    size_t n = 0, next = 0;
    bv_error err;
    assert_int_equal(bv_vk_plan(count, ebs, nb, wg, max_groups, max_range, align, &d, &n, &err), BV_OK);
    for (size_t i = 0; i < n; i++) {
        size_t first = d[i].window_first + d[i].base;
        assert_int_equal(first, next);
        assert_true(d[i].count > 0);
        assert_true(d[i].groups <= max_groups);
        assert_true((uint64_t)d[i].groups * wg >= d[i].count);
        assert_true((uint64_t)(d[i].groups - 1) * wg < d[i].count);
        for (unsigned b = 0; b < nb; b++) {
            assert_int_equal((d[i].window_first * ebs[b]) % align, 0);
            assert_true((uint64_t)d[i].window_count * ebs[b] <= max_range);
        }
        assert_true(d[i].base + d[i].count <= d[i].window_count);
        next = first + d[i].count;
    }
    assert_int_equal(next, count);
    free(d);
}

static void check_plan(size_t count, size_t eb, uint32_t wg, uint32_t max_groups, uint64_t max_range, uint64_t align)
{
    check_plan_sizes(count, &eb, 1, wg, max_groups, max_range, align);
}

static void plan_covers_odd_sizes_and_limits(void **state)
{
    static const size_t counts[] = {1, 2, 63, 64, 65, 4099, 100003, 1u << 20};
    (void)state;
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        check_plan(counts[i], 48, 64, 65535, 1u << 27, 16);
        check_plan(counts[i], 32, 64, 65535, 1u << 27, 16);
        check_plan(counts[i], 48, 64, 3, 1u << 27, 16);       /* many dispatches */
        check_plan(counts[i], 48, 32, 7, 48 * 1000, 256);     /* many windows, alignment 256 */
        check_plan(counts[i], 32, 1, 1, 32 * 5, 64);          /* one element a dispatch */
        /* A point out and in, and a scalar or an affine point as y: each binding aligned. */
        static const size_t smul[] = {144, 144, 32}, madd[] = {288, 288, 192};
        check_plan_sizes(counts[i], smul, 3, 64, 7, 144 * 1000, 256);
        check_plan_sizes(counts[i], madd, 3, 32, 5, 288 * 777, 64);
    }
}

static void plan_refuses_impossible_limits(void **state)
{
    bv_vk_dispatch *d = NULL;
    size_t n = 0;
    bv_error err;
    (void)state;
    /* A window must start on a 256-byte boundary but can hold only 2 elements of 48 bytes. */
    static const size_t e48 = 48, e0 = 0, e32 = 32, e32_48[] = {32, 48};
    assert_int_equal(bv_vk_plan(10, &e48, 1, 64, 100, 96, 256, &d, &n, &err), BV_ERR_UNSUPPORTED);
    assert_null(d);
    assert_int_equal(bv_vk_plan(10, &e0, 1, 64, 100, 96, 256, &d, &n, &err), BV_ERR_ARG);
    assert_int_equal(bv_vk_plan(10, &e48, 0, 64, 100, 96, 256, &d, &n, &err), BV_ERR_ARG);
    /* On a 256-byte alignment, 32-byte windows start every 8 elements and fit 700 bytes; with a
     * 48-byte binding beside them every 16, and 16 of its elements do not. */
    assert_int_equal(bv_vk_plan(10, &e32, 1, 64, 100, 700, 256, &d, &n, &err), BV_OK);
    free(d);
    d = NULL;
    assert_int_equal(bv_vk_plan(10, e32_48, 2, 64, 100, 700, 256, &d, &n, &err), BV_ERR_UNSUPPORTED);
    assert_int_equal(bv_vk_plan(0, &e48, 1, 64, 100, 1u << 20, 16, &d, &n, &err), BV_OK);
    assert_int_equal(n, 0);
}

static void device_selection(void **state)
{
    fixture *fx = *state;
    bv_error err;
    uint32_t idx = 99;
    char uuid_nodash[40];
    NEED_DEVICE(fx);
    const bv_device_info *d = bv_vk_device_info_at(fx->inst, 0);
    assert_int_equal(bv_vk_device_select(fx->inst, "0", &idx, &err), BV_OK);
    assert_int_equal(idx, 0);
    assert_int_equal(bv_vk_device_select(fx->inst, "4000000000", &idx, &err), BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, "out of range"));
    assert_int_equal(bv_vk_device_select(fx->inst, d->uuid_str, &idx, &err), BV_OK);
    assert_int_equal(idx, 0);
    size_t k = 0;
    for (const char *p = d->uuid_str; *p; p++)
        if (*p != '-')
            uuid_nodash[k++] = *p;
    uuid_nodash[k] = '\0';
    assert_int_equal(bv_vk_device_select(fx->inst, uuid_nodash, &idx, &err), BV_OK);
    assert_int_equal(bv_vk_device_select(fx->inst, "00000000-0000-0000-0000-000000000bad", &idx, &err), BV_ERR_VALUE);
    assert_int_equal(bv_vk_device_select(fx->inst, "no-such-device-name", &idx, &err), BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, "no-such-device-name"));
    /* A name substring in another case selects the device when it is unique. */
    char sub[8] = {0};
    for (int i = 0; i < 4 && d->name[i]; i++)
        sub[i] = (char)(d->name[i] ^ ((d->name[i] >= 'a' && d->name[i] <= 'z') ? 0x20 : 0));
    if (bv_vk_device_count(fx->inst) == 1) {
        assert_int_equal(bv_vk_device_select(fx->inst, sub, &idx, &err), BV_OK);
        assert_int_equal(idx, 0);
    }
}

static bv_vk_context *make_ctx(fixture *fx, const bv_vk_context_opts *o)
{
    bv_vk_context *ctx = NULL;
    bv_error err;
    if (bv_vk_context_create(fx->inst, fx->index, o, &ctx, &err) != BV_OK)
        fail_msg("context: %s", err.msg);
    return ctx;
}

/* Runs fp.mul (u32) over n random elements and compares with the reference. */
static void run_and_check(bv_vk_context *ctx, bv_family f, bv_op op, size_t n, bv_alias alias, bv_mode mode,
                          bv_memory mem, bv_vk_result *res)
{
    bv_vec_set *set = NULL;
    bv_error err;
    size_t eb = bv_ref_family_bytes(f);
    const bv_kernel *k = bv_kernel_builtin(f, op, BV_LIMBS_U32);
    assert_non_null(k);
    assert_int_equal(bv_vec_random(f, op, 7, 0, n, &set, &err), BV_OK);
    uint8_t *exp = malloc(n * eb), *got = malloc(n * eb);
    assert_non_null(exp);
    assert_non_null(got);
    const uint8_t *y = alias == BV_ALIAS_X_Y ? set->x : set->y;
    assert_int_equal(bv_ref_batch(f, op, exp, set->x, bv_ref_op_arity(op) == 2 ? y : NULL, n, 0, &err), BV_OK);
    bv_vk_job job = {.code = k->code, .code_size = k->code_size, .arity = bv_ref_op_arity(op), .elem_bytes = eb,
                     .count = n, .x = set->x, .y = set->y, .out = got, .alias = alias, .mode = mode,
                     .memory = mem, .reps = 1};
    if (bv_vk_run(ctx, &job, res, &err) != BV_OK)
        fail_msg("bv_vk_run: %s", err.msg);
    assert_true(res->canary_ok);
    assert_memory_equal(exp, got, n * eb);
    free(exp);
    free(got);
    bv_vec_set_destroy(set);
}

/* --memory auto: host-visible up to the crossover (the arrays' bytes), device memory above, the
 * same outputs either way, and the result says which. */
static void memory_auto_by_size(void **state)
{
    fixture *fx = *state;
    bv_vk_result res;
    NEED_DEVICE(fx);
    /* Fr mul: 3 x 32 bytes an element, so 1 KiB holds 10 and not 11. */
    bv_vk_context_opts o = {.memory_crossover = 1024};
    bv_vk_context *ctx = make_ctx(fx, &o);
    run_and_check(ctx, BV_FAMILY_FR, BV_OP_MUL, 10, BV_ALIAS_NONE, BV_MODE_PERSISTENT, BV_MEMORY_AUTO, &res);
    assert_int_equal(res.memory, BV_MEMORY_HOST);
    run_and_check(ctx, BV_FAMILY_FR, BV_OP_MUL, 11, BV_ALIAS_NONE, BV_MODE_PERSISTENT, BV_MEMORY_AUTO, &res);
    assert_int_equal(res.memory, BV_MEMORY_DEVICE);
    /* Unary: 2 x 48 bytes an Fp element. */
    run_and_check(ctx, BV_FAMILY_FP, BV_OP_NEG, 10, BV_ALIAS_NONE, BV_MODE_ONESHOT, BV_MEMORY_AUTO, &res);
    assert_int_equal(res.memory, BV_MEMORY_HOST);
    run_and_check(ctx, BV_FAMILY_FP, BV_OP_NEG, 11, BV_ALIAS_NONE, BV_MODE_ONESHOT, BV_MEMORY_AUTO, &res);
    assert_int_equal(res.memory, BV_MEMORY_DEVICE);
    /* Given outright, the memory is taken as given whatever the size. */
    run_and_check(ctx, BV_FAMILY_FR, BV_OP_MUL, 10, BV_ALIAS_NONE, BV_MODE_PERSISTENT, BV_MEMORY_DEVICE, &res);
    assert_int_equal(res.memory, BV_MEMORY_DEVICE);
    run_and_check(ctx, BV_FAMILY_FR, BV_OP_MUL, 11, BV_ALIAS_NONE, BV_MODE_PERSISTENT, BV_MEMORY_HOST, &res);
    assert_int_equal(res.memory, BV_MEMORY_HOST);
    bv_vk_context_destroy(ctx);
    /* The default crossover: 384 KiB, 4096 Fr products. */
    ctx = make_ctx(fx, NULL);
    run_and_check(ctx, BV_FAMILY_FR, BV_OP_MUL, 4096, BV_ALIAS_NONE, BV_MODE_PERSISTENT, BV_MEMORY_AUTO, &res);
    assert_int_equal(res.memory, BV_MEMORY_HOST);
    run_and_check(ctx, BV_FAMILY_FR, BV_OP_MUL, 4097, BV_ALIAS_NONE, BV_MODE_PERSISTENT, BV_MEMORY_AUTO, &res);
    assert_int_equal(res.memory, BV_MEMORY_DEVICE);
    bv_vk_context_destroy(ctx);
}

static void splitting_on_device(void **state)
{
    fixture *fx = *state;
    bv_vk_result res;
    NEED_DEVICE(fx);
    /* Limits shrunk so that 5000 elements need several windows and several dispatches. */
    bv_vk_context_opts o = {.limit_max_groups = 5, .limit_max_range = 48 * 1024};
    bv_vk_context *ctx = make_ctx(fx, &o);
    run_and_check(ctx, BV_FAMILY_FP, BV_OP_MUL, 5000, BV_ALIAS_NONE, BV_MODE_PERSISTENT, BV_MEMORY_DEVICE, &res);
    assert_true(res.windows > 1);
    assert_true(res.dispatches > res.windows);
    run_and_check(ctx, BV_FAMILY_FR, BV_OP_ADD, 5000, BV_ALIAS_OUT_X, BV_MODE_ONESHOT, BV_MEMORY_HOST, &res);
    assert_true(res.windows > 1);
    bv_vk_context_destroy(ctx);
}

/* A workload (bv_vk_workload_run) with the group limit shrunk: the NTT's stages each take several
 * dispatches told apart by base, and the output is still the reference's transform. */
static void workload_split_dispatches(void **state)
{
    fixture *fx = *state;
    bv_vk_result res;
    bv_error err;
    NEED_DEVICE(fx);
    bv_vk_context_opts o = {.limit_max_groups = 2};
    bv_vk_context *ctx = make_ctx(fx, &o);
    bv_workload *w = NULL;
    bv_workload_plan p;
    unsigned log_n = 10;
    size_t n = (size_t)1 << log_n;
    assert_int_equal(bv_kernel_workload_load("fr.ntt", NULL, &w, &err), BV_OK);
    if (bv_kernel_workload_plan(w, BV_LIMBS_U32, log_n, bv_vk_context_workgroup_size(ctx), &p, &err))
        fail_msg("plan: %s", err.msg);
    uint8_t *in = calloc(n, 32), *got = calloc(n, 32), *want = calloc(n, 32), *tw = calloc(n / 2, 32);
    assert_true(in && got && want && tw);
    for (size_t i = 0; i < n; i++) /* small canonical values: element i is i + 1 */
        in[32 * i] = (uint8_t)(i + 1), in[32 * i + 1] = (uint8_t)((i + 1) >> 8);
    assert_int_equal(bv_ref_ntt_table(tw, "twiddles", log_n, &err), BV_OK);
    assert_int_equal(bv_ref_ntt(want, in, log_n, BV_REF_NTT_FORWARD, false, &err), BV_OK);
    bv_vk_wl_buffer bufs[3] = {{.bytes = n * 32, .init = in}, {.bytes = n * 32, .out = got},
                               {.bytes = n / 2 * 32, .init = tw}};
    bv_vk_wl_stage st[16];
    assert_true(p.nstages <= 16 && p.nbuffers == 3 && p.input == 0 && p.output == 1);
    for (size_t i = 0; i < p.nstages; i++) {
        st[i] = (bv_vk_wl_stage){.code = p.stages[i].code, .code_size = p.stages[i].code_size,
                                 .nbind = p.stages[i].nbind, .items = p.stages[i].items};
        memcpy(st[i].bind, p.stages[i].bind, sizeof st[i].bind);
        memcpy(st[i].push, p.stages[i].push, sizeof st[i].push);
    }
    bv_vk_workload job = {.buffers = bufs, .nbuffers = 3, .stages = st, .nstages = p.nstages, .reps = 2};
    if (bv_vk_workload_run(ctx, &job, &res, &err))
        fail_msg("bv_vk_workload_run: %s", err.msg);
    assert_true(res.canary_ok);
    /* Each dispatch takes at most 2 groups: a stage of k items takes ceil(k / (2 wg)). */
    uint32_t per = 2 * bv_vk_context_workgroup_size(ctx), calls = 0;
    for (size_t i = 0; i < p.nstages; i++)
        calls += (uint32_t)((p.stages[i].items + per - 1) / per);
    assert_int_equal(res.dispatches, calls);
    assert_true(res.dispatches > p.nstages);
    assert_memory_equal(want, got, n * 32);
    free(in);
    free(got);
    free(want);
    free(tw);
    bv_kernel_workload_plan_free(&p);
    bv_kernel_workload_destroy(w);
    bv_vk_context_destroy(ctx);
}

static void aliasing_and_memory_kinds(void **state)
{
    fixture *fx = *state;
    bv_vk_result res;
    NEED_DEVICE(fx);
    bv_vk_context *ctx = make_ctx(fx, NULL);
    for (int m = 0; m < BV_MEMORY_COUNT; m++)
        for (int a = BV_ALIAS_NONE; a <= BV_ALIAS_X_Y; a++) {
            run_and_check(ctx, BV_FAMILY_FP, BV_OP_SUB, 777, (bv_alias)a, BV_MODE_PERSISTENT, (bv_memory)m, &res);
            run_and_check(ctx, BV_FAMILY_FR, BV_OP_MUL, 1, (bv_alias)a, BV_MODE_ONESHOT, (bv_memory)m, &res);
        }
    /* Persistent mode built each pipeline once and reused it after. */
    uint32_t created, reused;
    bv_vk_context_pipeline_stats(ctx, &created, &reused);
    assert_true(reused >= 4);
    bv_vk_context_destroy(ctx);
}

/* A persistent job that repeats the previous one's geometry resubmits its recorded command
 * buffer: new inputs must still give new, right outputs, pinned or not. */
static void persistent_resubmit_sees_new_inputs(void **state)
{
    fixture *fx = *state;
    bv_vk_result res;
    bv_error err;
    NEED_DEVICE(fx);
    bv_vk_context *ctx = make_ctx(fx, NULL);
    const bv_kernel *k = bv_kernel_builtin(BV_FAMILY_FR, BV_OP_MUL, BV_LIMBS_U32);
    size_t n = 300, eb = 32;
    uint8_t *pin = NULL;
    assert_int_equal(bv_vk_pinned_alloc(ctx, 3 * n * eb, (void **)&pin, &err), BV_OK);
    for (int pinned = 0; pinned < 2; pinned++)
        for (uint64_t seed = 1; seed <= 3; seed++) {
            bv_vec_set *set = NULL;
            uint8_t exp[300 * 32], got[300 * 32];
            assert_int_equal(bv_vec_random(BV_FAMILY_FR, BV_OP_MUL, seed, 0, n, &set, &err), BV_OK);
            assert_int_equal(bv_ref_batch(BV_FAMILY_FR, BV_OP_MUL, exp, set->x, set->y, n, 1, &err), BV_OK);
            if (pinned) {
                memcpy(pin, set->x, n * eb);
                memcpy(pin + n * eb, set->y, n * eb);
            }
            bv_vk_job job = {.code = k->code, .code_size = k->code_size, .arity = 2, .elem_bytes = eb, .count = n,
                             .x = pinned ? pin : set->x, .y = pinned ? pin + n * eb : set->y,
                             .out = pinned ? pin + 2 * n * eb : got, .mode = BV_MODE_PERSISTENT, .reps = 2};
            if (bv_vk_run(ctx, &job, &res, &err) != BV_OK)
                fail_msg("bv_vk_run: %s", err.msg);
            assert_memory_equal(exp, job.out, n * eb);
            bv_vec_set_destroy(set);
        }
    bv_vk_pinned_free(ctx, pin);
    bv_vk_context_destroy(ctx);
}

static void pipeline_cache_reload(void **state)
{
    fixture *fx = *state;
    bv_vk_result res;
    char dir[] = "/tmp/blsvk-pcache-XXXXXX";
    NEED_DEVICE(fx);
    assert_non_null(mkdtemp(dir));
    bv_vk_context_opts o = {.pipeline_cache_dir = dir};
    bv_vk_context *ctx = make_ctx(fx, &o);
    assert_false(bv_vk_context_cache_loaded(ctx));
    run_and_check(ctx, BV_FAMILY_FP, BV_OP_MUL, 100, BV_ALIAS_NONE, BV_MODE_PERSISTENT, BV_MEMORY_DEVICE, &res);
    char path[4096];
    snprintf(path, sizeof path, "%s", bv_vk_context_cache_path(ctx));
    bv_vk_context_destroy(ctx); /* saves the cache */
    assert_int_equal(access(path, R_OK), 0);
    ctx = make_ctx(fx, &o);
    assert_true(bv_vk_context_cache_loaded(ctx));
    run_and_check(ctx, BV_FAMILY_FP, BV_OP_MUL, 100, BV_ALIAS_NONE, BV_MODE_PERSISTENT, BV_MEMORY_DEVICE, &res);
    bv_vk_context_destroy(ctx);
    /* A corrupted cache file is ignored, not fatal. */
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("not a pipeline cache", f);
    fclose(f);
    ctx = make_ctx(fx, &o);
    assert_false(bv_vk_context_cache_loaded(ctx));
    bv_vk_context_destroy(ctx);
    unlink(path);
    rmdir(dir);
}

/* The fma probe's triples: the named ones' fused and unrounded-apart answers, derived by hand,
 * are what the C library's fma and a volatile multiply-then-add give (so the table means what its
 * comments say, and the host side of the probe is right); the verdict follows the answers. */
static void fma_probe_cases_and_verdicts(void **state)
{
    (void)state;
    double abc[64][3], got[64];
    bool sub[64];
    size_t n = bv_vk_fma_cases(abc, sub, 64);
    assert_true(n >= 40);
    /* (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104; rounded apart the product is 1: 0. */
    assert_true(fma(abc[0][0], abc[0][1], abc[0][2]) == -ldexp(1, -104));
    volatile double p0 = abc[0][0] * abc[0][1];
    assert_true(p0 + abc[0][2] == 0);
    /* (2^27 + 1)(2^26 + 1) - (2^53 + 2^27 + 2^26) = 1. */
    assert_true(fma(abc[2][0], abc[2][1], abc[2][2]) == 1);
    /* 2^1024 - DBL_MAX = 2^971, where the product alone overflows. */
    assert_true(fma(abc[5][0], abc[5][1], abc[5][2]) == ldexp(1, 971));
    volatile double p5 = abc[5][0] * abc[5][1];
    assert_true(isinf(p5 + abc[5][2]));
    assert_true(fma(abc[6][0], abc[6][1], abc[6][2]) == ldexp(1, -1060) && sub[6]);
    /* The random triples: the fused answer is the exact low part of a 104-bit product, an
     * integer below 2^52 in magnitude. */
    for (size_t i = 8; i < n; i++) {
        double r = fma(abc[i][0], abc[i][1], abc[i][2]);
        assert_true(r == floor(r) && fabs(r) < ldexp(1, 52));
    }
    bv_device_info d;
    for (size_t i = 0; i < n; i++)
        got[i] = fma(abc[i][0], abc[i][1], abc[i][2]);
    bv_vk_fma_judge((const double(*)[3])abc, sub, got, n, &d);
    assert_string_equal(d.fma_f64, "fused");
    assert_int_equal(d.fma_f64_fused, n);
    assert_false(d.fma_f64_subnormal_flushed);
    got[6] = 0; /* a subnormal flushed: said, and no reason to call the fma unfused */
    bv_vk_fma_judge((const double(*)[3])abc, sub, got, n, &d);
    assert_string_equal(d.fma_f64, "fused");
    assert_true(d.fma_f64_subnormal_flushed);
    for (size_t i = 0; i < n; i++) {
        volatile double p = abc[i][0] * abc[i][1];
        got[i] = p + abc[i][2];
    }
    bv_vk_fma_judge((const double(*)[3])abc, sub, got, n, &d);
    assert_string_equal(d.fma_f64, "not fused");
    got[9] = 0.5; /* neither answer: both are integers here */
    bv_vk_fma_judge((const double(*)[3])abc, sub, got, n, &d);
    assert_string_equal(d.fma_f64, "inexact");
}

/* On the device: a verdict, from every triple; a device with doubles rounds its fma one way or the
 * other, never to a third answer. */
static void fma_probe_on_device(void **state)
{
    fixture *fx = *state;
    bv_error err;
    NEED_DEVICE(fx);
    bv_vk_context *ctx = make_ctx(fx, NULL);
    assert_int_equal(bv_vk_probe_fma(ctx, &err), BV_OK);
    const bv_device_info *d = bv_vk_context_device(ctx);
    if (d->shader_float64) {
        assert_true(strcmp(d->fma_f64, "fused") == 0 || strcmp(d->fma_f64, "not fused") == 0);
        assert_true(d->fma_f64_cases >= 40);
    } else {
        assert_string_equal(d->fma_f64, "not supported");
    }
    bv_vk_context_destroy(ctx);
}

/* The queue-family rules of the transfer path, on any device: uploads and downloads planned as on a
 * transfer-only family, every command checked against what its family can record. A transfer
 * family has no vkCmdResetQueryPool (graphics or compute only): a stream that recorded one there
 * fails here, as the validation layer would fail it on a GPU with such a family. */
static void transfer_only_family_rules(void **state)
{
    fixture *fx = *state;
    bv_error err;
    NEED_DEVICE(fx);
    bv_vk_context_opts o = {.simulate_transfer_only = true, .check_commands = true};
    bv_vk_context *ctx = make_ctx(fx, &o);
    const bv_device_info *d = bv_vk_context_device(ctx);
    if (!d->timeline_semaphore) {
        bv_vk_context_destroy(ctx);
        fprintf(stderr, "skipped: %s has no timeline semaphores (pipelined mode)\n", d->name);
        skip();
    }
    size_t n = 3001, eb = bv_ref_family_bytes(BV_FAMILY_FR);
    bv_vec_set *set = NULL;
    assert_int_equal(bv_vec_random(BV_FAMILY_FR, BV_OP_MUL, 3, 0, n, &set, &err), BV_OK);
    uint8_t *exp = malloc(n * eb), *got = malloc(n * eb);
    assert_non_null(exp);
    assert_non_null(got);
    assert_int_equal(bv_ref_batch(BV_FAMILY_FR, BV_OP_MUL, exp, set->x, set->y, n, 0, &err), BV_OK);
    const bv_kernel *k = bv_kernel_builtin(BV_FAMILY_FR, BV_OP_MUL, BV_LIMBS_U32);
    bv_vk_job job = {.code = k->code, .code_size = k->code_size, .arity = 2, .elem_bytes = eb, .count = n,
                     .x = set->x, .y = set->y, .out = got, .mode = BV_MODE_PIPELINED, .reps = 3,
                     .chunk_elems = 500, .buffers = 2};
    bv_vk_result res;
    if (bv_vk_execute(ctx, &job, false, &res, &err) != BV_OK)
        fail_msg("pipelined on a (simulated) transfer-only family: %s", err.msg);
    assert_memory_equal(exp, got, n * eb);
    /* Timing stays on where the device can reset queries from the host. */
    if (d->host_query_reset && d->timestamp_valid_bits)
        assert_true(res.kernel_timed);
    /* bench's bounds time uploads and downloads on the same roles. */
    bv_vk_bounds b;
    if (bv_vk_measure_bounds(ctx, (size_t)1 << 20, 2, &b, &err) != BV_OK)
        fail_msg("bounds on a (simulated) transfer-only family: %s", err.msg);
    assert_true(b.h2d_Bps > 0 && b.d2h_Bps > 0);
    free(exp);
    free(got);
    bv_vec_set_destroy(set);
    bv_vk_context_destroy(ctx);
}

static void case_names_round_trip(void **state)
{
    bv_run_case *cases = NULL, parsed;
    size_t n = 0;
    bv_error err;
    (void)state;
    for (const char *const *s = bv_run_suite_names(); *s; s++) {
        assert_int_equal(bv_run_suite(*s, &cases, &n, &err), BV_OK);
        assert_true(n > 100);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(bv_run_case_parse(cases[i].name, &parsed, &err), BV_OK);
            assert_int_equal(parsed.family, cases[i].family);
            assert_int_equal(parsed.op, cases[i].op);
            assert_int_equal(parsed.limbs, cases[i].limbs);
            assert_int_equal(parsed.mode, cases[i].mode);
            assert_int_equal(parsed.set, cases[i].set);
            assert_int_equal(parsed.size, cases[i].size);
            for (size_t j = 0; j < i; j++)
                assert_string_not_equal(cases[i].name, cases[j].name);
        }
        free(cases);
    }
    assert_int_equal(bv_run_case_parse("fp.mul.u32.persistent.edge.12", &parsed, &err), BV_ERR_VALUE);
    assert_int_equal(bv_run_case_parse("fp.neg.u32.persistent.inplace.12", &parsed, &err), BV_ERR_VALUE);
    assert_int_equal(bv_run_case_parse("fq.mul.u32.persistent.random.12", &parsed, &err), BV_ERR_VALUE);
    assert_int_equal(bv_run_case_parse("fp.mul.u32.persistent.random", &parsed, &err), BV_ERR_VALUE);
}

static void filters_include_and_exclude(void **state)
{
    const char *inc[] = {"fp.*", "-*.oneshot.*"};
    const char *only_ex[] = {"-fr.*"};
    (void)state;
    assert_true(bv_run_filter_match(inc, 2, "fp.add.u32.persistent.edge.all"));
    assert_false(bv_run_filter_match(inc, 2, "fp.add.u32.oneshot.edge.all"));
    assert_false(bv_run_filter_match(inc, 2, "fr.add.u32.persistent.edge.all"));
    assert_true(bv_run_filter_match(only_ex, 1, "fp.add.u32.persistent.edge.all"));
    assert_false(bv_run_filter_match(only_ex, 1, "fr.add.u32.persistent.edge.all"));
    assert_true(bv_run_filter_match(NULL, 0, "anything"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plan_covers_odd_sizes_and_limits),
        cmocka_unit_test(plan_refuses_impossible_limits),
        cmocka_unit_test(case_names_round_trip),
        cmocka_unit_test(filters_include_and_exclude),
        cmocka_unit_test(device_selection),
        cmocka_unit_test(splitting_on_device),
        cmocka_unit_test(memory_auto_by_size),
        cmocka_unit_test(aliasing_and_memory_kinds),
        cmocka_unit_test(persistent_resubmit_sees_new_inputs),
        cmocka_unit_test(pipeline_cache_reload),
        cmocka_unit_test(transfer_only_family_rules),
        cmocka_unit_test(fma_probe_cases_and_verdicts),
        cmocka_unit_test(fma_probe_on_device),
        cmocka_unit_test(workload_split_dispatches),
    };
    return cmocka_run_group_tests_name("harness", tests, group_setup, group_teardown);
}
