/* suites/test_resources.c: jobs too large for the device's memory are refused up front with a
 * message that gives the sizes and the way out (pipelined mode), instead of failing inside the
 * driver or being killed by the host; the context stays usable for the next job. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bv_run.h"

typedef struct fixture {
    bv_vk_instance *inst;
    bv_vk_context *ctx;
} fixture;

static int group_setup(void **state)
{
    static fixture fx;
    bv_error err;
    *state = &fx;
    if (bv_ref_init(&err) != BV_OK || bv_vk_instance_create(NULL, &fx.inst, &err) != BV_OK)
        return 0; /* the tests skip */
    if (bv_vk_device_count(fx.inst) == 0)
        return 0;
    uint32_t index;
    if (bv_vk_device_select(fx.inst, NULL, &index, &err) == BV_OK)
        BV_IGNORE(bv_vk_context_create(fx.inst, index, NULL, &fx.ctx, &err));
    return 0;
}

static int group_teardown(void **state)
{
    fixture *fx = *state;
    bv_vk_context_destroy(fx->ctx);
    bv_vk_instance_destroy(fx->inst);
    return 0;
}

/* The largest memory heap of the device, in bytes. */
static uint64_t largest_heap(const bv_device_info *d)
{
    uint64_t best = 0;
    for (uint32_t h = 0; h < d->heap_count; h++)
        if (d->heap_size[h] > best)
            best = d->heap_size[h];
    return best;
}

/* A binary-op job of count Fp elements whose arrays are never read: the job must be refused
 * before anything touches them. */
static bv_status run_big(fixture *fx, size_t count, bv_mode mode, bv_memory memory, bv_error *err)
{
    static uint8_t dummy[48];
    const bv_kernel *k = bv_kernel_builtin(BV_FAMILY_FP, BV_OP_ADD, BV_LIMBS_U32);
    bv_vk_job job = {.code = k->code,
                     .code_size = k->code_size,
                     .arity = 2,
                     .elem_bytes = 48,
                     .count = count,
                     .x = dummy,
                     .y = dummy,
                     .out = dummy,
                     .mode = mode,
                     .memory = memory,
                     .reps = 1};
    bv_vk_result res;
    return bv_vk_run(fx->ctx, &job, &res, err);
}

static void too_large_is_refused(void **state)
{
    fixture *fx = *state;
    if (!fx->ctx)
        skip();
    uint64_t heap = largest_heap(bv_vk_context_device(fx->ctx));
    assert_true(heap > 0);
    /* Three arrays (x, y, out) of a third of the largest heap each, plus staging: cannot fit. */
    size_t count = (size_t)(heap / 3 / 48 + 1);
    for (int m = BV_MODE_ONESHOT; m <= BV_MODE_PERSISTENT; m++)
        for (int mem = 0; mem < BV_MEMORY_COUNT; mem++) {
            bv_error err;
            bv_error_clear(&err);
            assert_int_equal(run_big(fx, count, (bv_mode)m, (bv_memory)mem, &err), BV_ERR_UNSUPPORTED);
            assert_non_null(strstr(err.msg, "MiB"));
            assert_non_null(strstr(err.msg, "pipelined mode"));
        }
}

/* After a refusal the context runs the next job as usual. */
static void context_still_usable(void **state)
{
    fixture *fx = *state;
    if (!fx->ctx)
        skip();
    bv_error err;
    bv_vec_set *set = NULL;
    assert_int_equal(bv_vec_random(BV_FAMILY_FR, BV_OP_MUL, 3, 0, 100, &set, &err), BV_OK);
    uint8_t got[100 * 32], want[100 * 32];
    assert_int_equal(bv_ref_batch(BV_FAMILY_FR, BV_OP_MUL, want, set->x, set->y, 100, 1, &err), BV_OK);
    bv_run_opts ro = {.seed = 1, .reps = 1};
    bv_vk_result res;
    const bv_kernel *k = bv_kernel_builtin(BV_FAMILY_FR, BV_OP_MUL, BV_LIMBS_U32);
    assert_int_equal(bv_run_vectors(fx->ctx, k, set, BV_MODE_PERSISTENT, &ro, got, &res, &err), BV_OK);
    assert_memory_equal(got, want, sizeof got);
    bv_vec_set_destroy(set);
}

/* An element count whose byte size overflows is refused too, not wrapped around. */
static void overflowing_count(void **state)
{
    fixture *fx = *state;
    if (!fx->ctx)
        skip();
    bv_error err;
    bv_status st = run_big(fx, SIZE_MAX / 16, BV_MODE_PERSISTENT, BV_MEMORY_DEVICE, &err);
    assert_true(st == BV_ERR_OVERFLOW || st == BV_ERR_UNSUPPORTED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(too_large_is_refused),
        cmocka_unit_test(context_still_usable),
        cmocka_unit_test(overflowing_count),
    };
    return cmocka_run_group_tests_name("resources", tests, group_setup, group_teardown);
}
