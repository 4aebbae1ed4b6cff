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
                for (const char *const *r = bv_kernel_recipe_names(); *r; r++) {
                    /* The curves have no spirv-opt recipe cases (plan.c: -O runs for minutes on
                     * them), only the poison one. */
                    if (bv_ref_family((bv_family)f)->points && strcmp(*r, BV_KERNEL_RECIPE_POISON) != 0)
                        continue;
                    uint32_t *code = NULL;
                    size_t size = 0;
                    bv_error err;
                    bv_status st = bv_kernel_optimize(k->code, k->code_size, *r, 7, &code, &size, &err);
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
        assert_int_equal(bv_kernel_optimize(k->code, k->code_size, *r, 7, &code, &size, &err), BV_OK);
        if (size == k->code_size && memcmp(code, k->code, size) == 0)
            fail_msg("recipe %s leaves fp.mul.u32 unchanged", *r);
        free(code);
    }
}

/* Whether a module has an OpVariable in Function (7) or Private (6) storage without an
 * initializer. */
static bool has_uninitialised_variable(const uint32_t *w, size_t n)
{
    for (size_t i = 5; i < n; i += w[i] >> 16) {
        if ((w[i] >> 16) == 0)
            return false;
        if ((w[i] & 0xffff) == 59 && (w[i] >> 16) == 4 && (w[i + 3] == 6 || w[i + 3] == 7))
            return true;
    }
    return false;
}

/* Every variable a kernel could read before writing gets an initializer, from the seed: the
 * built-in module has such variables (so the check can fail), the poisoned one none; one seed
 * gives one module, another seed another. */
static void poison_initialises_every_variable(void **state)
{
    (void)state;
    const bv_kernel *k = bv_kernel_builtin(BV_FAMILY_FP2, BV_OP_INV, BV_LIMBS_U64);
    assert_non_null(k);
    assert_true(has_uninitialised_variable(k->code, k->code_size / 4));
    uint32_t *a = NULL, *b = NULL, *c = NULL;
    size_t na, nb, nc;
    bv_error err;
    assert_int_equal(bv_kernel_poison(k->code, k->code_size, 1, &a, &na, &err), BV_OK);
    assert_false(has_uninitialised_variable(a, na / 4));
    assert_int_equal(bv_kernel_validate(a, na, &err), BV_OK);
    assert_int_equal(bv_kernel_poison(k->code, k->code_size, 1, &b, &nb, &err), BV_OK);
    assert_int_equal(bv_kernel_poison(k->code, k->code_size, 2, &c, &nc, &err), BV_OK);
    assert_true(na == nb && memcmp(a, b, na) == 0);
    assert_true(na != nc || memcmp(a, c, na) != 0);
    free(a);
    free(b);
    free(c);
}

/* How many instructions with opcode op the module has; with sc, only OpVariables of that storage
 * class. */
static size_t count_op(const uint32_t *w, size_t n, uint32_t op, int sc)
{
    size_t c = 0;
    for (size_t i = 5; i < n && (w[i] >> 16); i += w[i] >> 16)
        c += (w[i] & 0xffff) == op && (sc < 0 || ((w[i] >> 16) >= 4 && w[i + 3] == (uint32_t)sc));
    return c;
}

/* Workgroup variables cannot have initializers: a staged kernel's shared arrays are written with
 * the pattern at the entry point (a loop each: their length is a specialization constant), before
 * one more barrier, and the module stays valid; a kernel
 * without shared memory gets no barrier. */
static void poison_fills_workgroup_variables(void **state)
{
    (void)state;
    const bv_kernel *staged = bv_kernel_builtin(BV_FAMILY_FP, BV_OP_ADD, BV_LIMBS_U32);
    const bv_kernel *plain = bv_kernel_builtin(BV_FAMILY_FP, BV_OP_MUL, BV_LIMBS_U32);
    assert_non_null(staged);
    assert_non_null(plain);
    size_t sw = staged->code_size / 4;
    assert_true(count_op(staged->code, sw, 59, 4) >= 1);
    uint32_t *a = NULL, *b = NULL;
    size_t na, nb;
    bv_error err;
    assert_int_equal(bv_kernel_poison(staged->code, staged->code_size, 3, &a, &na, &err), BV_OK);
    assert_int_equal(bv_kernel_validate(a, na, &err), BV_OK);
    /* The fill: a store (through a loop: the arrays are sized by the workgroup size) per array. */
    assert_int_equal(count_op(a, na / 4, 62, -1), count_op(staged->code, sw, 62, -1) + count_op(staged->code, sw, 59, 4));
    assert_int_equal(count_op(a, na / 4, 246, -1), count_op(staged->code, sw, 246, -1) + count_op(staged->code, sw, 59, 4));
    assert_int_equal(count_op(a, na / 4, 224, -1), count_op(staged->code, sw, 224, -1) + 1);
    assert_int_equal(bv_kernel_poison(plain->code, plain->code_size, 3, &b, &nb, &err), BV_OK);
    assert_int_equal(count_op(b, nb / 4, 224, -1), count_op(plain->code, plain->code_size / 4, 224, -1));
    free(a);
    free(b);
}

/* A module cut short or with a broken instruction is refused with a message, never read past. */
static void poison_refuses_a_broken_module(void **state)
{
    (void)state;
    const bv_kernel *k = bv_kernel_builtin(BV_FAMILY_FR, BV_OP_ADD, BV_LIMBS_U32);
    uint32_t *out = NULL;
    size_t n;
    bv_error err;
    assert_int_equal(bv_kernel_poison(k->code, 16, 1, &out, &n, &err), BV_ERR_SHADER);
    uint32_t *cut = malloc(k->code_size);
    assert_non_null(cut);
    memcpy(cut, k->code, k->code_size);
    cut[5] = (0xffffu << 16) | (cut[5] & 0xffff); /* the first instruction claims 65535 words */
    assert_int_equal(bv_kernel_poison(cut, k->code_size, 1, &out, &n, &err), BV_ERR_SHADER);
    assert_non_null(strstr(err.msg, "runs past the module"));
    assert_null(out);
    free(cut);
}

static void unknown_recipe(void **state)
{
    (void)state;
    const bv_kernel *k = bv_kernel_builtin(BV_FAMILY_FR, BV_OP_ADD, BV_LIMBS_U32), *out = NULL;
    uint32_t *code = NULL;
    size_t size = 0;
    bv_error err;
    assert_int_equal(bv_kernel_optimize(k->code, k->code_size, "O3", 7, &code, &size, &err), BV_ERR_VALUE);
    assert_null(code);
    assert_non_null(strstr(err.msg, "O3"));
    assert_int_equal(bv_kernel_with_recipe(k, "nope", 7, &out, &err), BV_ERR_VALUE);
    assert_null(bv_kernel_recipe_about("nope"));
    assert_non_null(bv_kernel_recipe_about("O"));
}

static void with_recipe_is_kept(void **state)
{
    (void)state;
    const bv_kernel *k = bv_kernel_builtin(BV_FAMILY_FR, BV_OP_MUL, BV_LIMBS_U64), *a = NULL, *b = NULL, *c = NULL;
    bv_error err;
    assert_int_equal(bv_kernel_with_recipe(k, "Os", 7, &a, &err), BV_OK);
    assert_int_equal(bv_kernel_with_recipe(k, "Os", 7, &b, &err), BV_OK);
    assert_ptr_equal(a, b);
    assert_string_equal(a->name, "fr.mul.u64+Os");
    assert_string_not_equal(a->sha256, k->sha256);
    assert_true(a->family == k->family && a->op == k->op && a->limbs == k->limbs && a->needs_int64);
    assert_int_equal(bv_kernel_with_recipe(k, "", 7, &c, &err), BV_OK);
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
        size_t n = 0, with_recipe = 0, poisoned = 0;
        assert_int_equal(bv_run_suite(*s, &cases, &n, &err), BV_OK);
        for (size_t i = 0; i < n; i++) {
            if (bv_run_case_parse(cases[i].name, &c, &err) != BV_OK)
                fail_msg("%s: %s", cases[i].name, err.msg);
            assert_string_equal(c.recipe, cases[i].recipe);
            assert_int_equal(c.limbs, cases[i].limbs);
            with_recipe += cases[i].recipe[0] != '\0';
            poisoned += strcmp(cases[i].recipe, BV_KERNEL_RECIPE_POISON) == 0;
        }
        /* The curve suite has the poison recipe alone: spirv-opt -O runs for minutes on the curve
         * kernels, the poison rewrite for milliseconds. */
        assert_true(poisoned > 0);
        if (strcmp(*s, "curve") == 0)
            assert_int_equal(with_recipe, poisoned);
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
        cmocka_unit_test(poison_initialises_every_variable),
        cmocka_unit_test(poison_refuses_a_broken_module),
        cmocka_unit_test(poison_fills_workgroup_variables),
        cmocka_unit_test(unknown_recipe),
        cmocka_unit_test(with_recipe_is_kept),
        cmocka_unit_test(case_names),
    };
    return cmocka_run_group_tests_name("recipes", tests, group_setup, NULL);
}
