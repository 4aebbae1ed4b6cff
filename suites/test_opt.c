/* suites/test_opt.c: tests of the spirv-opt recipes (kernels/kernel_opt.cpp) and of their case
 * names: every built-in kernel goes through every recipe into a valid module, the kernel ABI
 * (bindings, workgroup size) survives, results are kept per process, and recipe case names
 * round-trip through bv_run_case_parse. That the recipes compute the same results is the job of
 * the <limbs>+<recipe> cases of the suites. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bv_run.h"

static int group_setup(void **state)
{
    bv_error err;
    (void)state;
    return bv_ref_init(&err) == BV_OK ? 0 : -1;
}

static size_t count_recipes(void)
{
    size_t n = 0;
    for (const char *const *r = bv_kernel_recipe_names(); *r; r++)
        n++;
    return n;
}

/* Whether the module still decorates a variable with DescriptorSet 0 / Binding b, and keeps
 * specialization constant 0 (SpecId 0): the parts of the ABI the harness binds. */
static bool has_decoration(const uint32_t *w, size_t words, uint32_t decoration, uint32_t value)
{
    for (size_t i = 5; i < words;) {
        uint32_t op = w[i] & 0xffff, len = w[i] >> 16;
        if (len == 0)
            break;
        if (op == 71 /* OpDecorate */ && len >= 4 && w[i + 2] == decoration && w[i + 3] == value)
            return true;
        i += len;
    }
    return false;
}

static void every_kernel_every_recipe(void **state)
{
    (void)state;
    assert_true(count_recipes() >= 5);
    for (int f = 0; f < BV_FAMILY_COUNT; f++)
        for (int op = 0; op < BV_OP_COUNT; op++)
            for (int l = 0; l < BV_LIMBS_COUNT; l++) {
                const bv_kernel *k = bv_kernel_builtin((bv_family)f, (bv_op)op, (bv_limbs)l);
                if (!k)
                    continue; /* an op the family lacks (fp.conj, fp2.to_mont) */
                if (bv_ref_family((bv_family)f)->points)
                    continue; /* no recipe cases for the curves (plan.c): spirv-opt -O runs for minutes */
                for (const char *const *r = bv_kernel_recipe_names(); *r; r++) {
                    uint32_t *code = NULL;
                    size_t size = 0;
                    bv_error err;
                    bv_status st = bv_kernel_optimize(k->code, k->code_size, *r, &code, &size, &err);
                    if (st != BV_OK)
                        fail_msg("%s through %s: %s", k->name, *r, err.msg);
                    assert_int_equal(bv_kernel_validate(code, size, &err), BV_OK);
                    for (uint32_t b = 0; b <= bv_ref_op_arity((bv_op)op); b++)
                        assert_true(has_decoration(code, size / 4, 33 /* Binding */, b));
                    assert_true(has_decoration(code, size / 4, 1 /* SpecId */, 0));
                    free(code);
                }
            }
}

/* The recipes change the module: otherwise their cases would test nothing new. */
static void recipes_change_the_module(void **state)
{
    (void)state;
    const bv_kernel *k = bv_kernel_builtin(BV_FAMILY_FP, BV_OP_MUL, BV_LIMBS_U32);
    for (const char *const *r = bv_kernel_recipe_names(); *r; r++) {
        uint32_t *code = NULL;
        size_t size = 0;
        bv_error err;
        assert_int_equal(bv_kernel_optimize(k->code, k->code_size, *r, &code, &size, &err), BV_OK);
        if (size == k->code_size && memcmp(code, k->code, size) == 0)
            fail_msg("recipe %s leaves fp.mul.u32 unchanged", *r);
        free(code);
    }
}

static void unknown_recipe(void **state)
{
    (void)state;
    const bv_kernel *k = bv_kernel_builtin(BV_FAMILY_FR, BV_OP_ADD, BV_LIMBS_U32), *out = NULL;
    uint32_t *code = NULL;
    size_t size = 0;
    bv_error err;
    assert_int_equal(bv_kernel_optimize(k->code, k->code_size, "O3", &code, &size, &err), BV_ERR_VALUE);
    assert_null(code);
    assert_non_null(strstr(err.msg, "O3"));
    assert_int_equal(bv_kernel_with_recipe(k, "nope", &out, &err), BV_ERR_VALUE);
    assert_null(bv_kernel_recipe_about("nope"));
    assert_non_null(bv_kernel_recipe_about("O"));
}

static void with_recipe_is_kept(void **state)
{
    (void)state;
    const bv_kernel *k = bv_kernel_builtin(BV_FAMILY_FR, BV_OP_MUL, BV_LIMBS_U64), *a = NULL, *b = NULL, *c = NULL;
    bv_error err;
    assert_int_equal(bv_kernel_with_recipe(k, "Os", &a, &err), BV_OK);
    assert_int_equal(bv_kernel_with_recipe(k, "Os", &b, &err), BV_OK);
    assert_ptr_equal(a, b);
    assert_string_equal(a->name, "fr.mul.u64+Os");
    assert_string_not_equal(a->sha256, k->sha256);
    assert_true(a->family == k->family && a->op == k->op && a->limbs == k->limbs && a->needs_int64);
    assert_int_equal(bv_kernel_with_recipe(k, "", &c, &err), BV_OK);
    assert_ptr_equal(c, k);
}

static void case_names(void **state)
{
    (void)state;
    bv_run_case c;
    bv_error err;
    assert_int_equal(bv_run_case_parse("fp.mul.u32+O.persistent.edge.all", &c, &err), BV_OK);
    assert_int_equal(c.family, BV_FAMILY_FP);
    assert_int_equal(c.op, BV_OP_MUL);
    assert_int_equal(c.limbs, BV_LIMBS_U32);
    assert_string_equal(c.recipe, "O");
    assert_int_equal(c.mode, BV_MODE_PERSISTENT);
    assert_int_equal(bv_run_case_parse("fr.add.u64.oneshot.edge.all", &c, &err), BV_OK);
    assert_string_equal(c.recipe, "");
    assert_int_equal(bv_run_case_parse("fp.mul.u32+O3.persistent.edge.all", &c, &err), BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, "O3"));

    /* Every suite case parses back to itself, recipe included. */
    for (const char *const *s = bv_run_suite_names(); *s; s++) {
        bv_run_case *cases = NULL;
        size_t n = 0, with_recipe = 0;
        assert_int_equal(bv_run_suite(*s, &cases, &n, &err), BV_OK);
        for (size_t i = 0; i < n; i++) {
            if (bv_run_case_parse(cases[i].name, &c, &err) != BV_OK)
                fail_msg("%s: %s", cases[i].name, err.msg);
            assert_string_equal(c.recipe, cases[i].recipe);
            assert_int_equal(c.limbs, cases[i].limbs);
            with_recipe += cases[i].recipe[0] != '\0';
        }
        /* The curve suite has none: spirv-opt -O runs for minutes on the curve kernels. */
        if (strcmp(*s, "curve") == 0)
            assert_int_equal(with_recipe, 0);
        else
            assert_true(with_recipe >= count_recipes() * 8);
        free(cases);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kernel_every_recipe),
        cmocka_unit_test(recipes_change_the_module),
        cmocka_unit_test(unknown_recipe),
        cmocka_unit_test(with_recipe_is_kept),
        cmocka_unit_test(case_names),
    };
    return cmocka_run_group_tests_name("recipes", tests, group_setup, NULL);
}
