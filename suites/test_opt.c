/* suites/test_opt.c: tests of the spirv-opt recipes (kernels/kernel_opt.cpp) and of their case
 * names: every built-in kernel goes through every recipe into a valid module, the kernel ABI
 * (bindings, workgroup size) survives, results are kept per process, and recipe case names
 * round-trip through bv_run_case_parse; pass lists spell each recipe out pass by pass into the
 * recipe's own module, run any first n steps, and name a step they do not know. That the recipes
 * compute the same results is the job of the <limbs>+<recipe> cases of the suites. */
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
    assert_true(a->family == k->family && a->op == k->op && a->limbs == k->limbs && (a->needs & BV_KERNEL_NEEDS_INT64));
    assert_int_equal(bv_kernel_with_recipe(k, "", 7, &c, &err), BV_OK);
    assert_ptr_equal(c, k);
}

/* A recipe spelled out pass by pass gives the recipe's own module, byte for byte: -O and -Os are
 * SPIRV-Tools' lists, read back through its pass names, so a SPIRV-Tools whose names no longer map
 * to its flags fails here rather than bisecting a list that is not the recipe. */
static void recipe_lists_give_the_recipe(void **state)
{
    (void)state;
    /* Loops, calls and local arrays (most passes change something), and 64-bit limbs; not the Fp2
     * inverse, which -O takes half a minute over. */
    const bv_kernel *kernels[] = {bv_kernel_builtin(BV_FAMILY_FP, BV_OP_MUL, BV_LIMBS_U32),
                                  bv_kernel_builtin(BV_FAMILY_FR, BV_OP_ADD, BV_LIMBS_U64)};
    for (const char *const *r = bv_kernel_recipe_names(); *r; r++) {
        bv_kernel_passes *p = NULL;
        bv_error err;
        if (bv_kernel_passes_parse(*r, &p, &err) != BV_OK)
            fail_msg("recipe %s: %s", *r, err.msg);
        size_t n = bv_kernel_passes_count(p);
        /* -O and -Os are lists of dozens of passes, each a step of its own. */
        if (strcmp(*r, "O") == 0 || strcmp(*r, "Os") == 0)
            assert_true(n >= 20);
        for (size_t i = 0; i < n; i++) {
            const char *step = bv_kernel_passes_step(p, i);
            assert_non_null(step);
            assert_true(step[0] != '-' && !strchr(step, ','));
        }
        assert_null(bv_kernel_passes_step(p, n));
        for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; i++) {
            const bv_kernel *k = kernels[i];
            uint32_t *want = NULL, *got = NULL;
            size_t nwant = 0, ngot = 0;
            assert_int_equal(bv_kernel_optimize(k->code, k->code_size, *r, 7, &want, &nwant, &err), BV_OK);
            if (bv_kernel_run_passes(k->code, k->code_size, p, n, 7, &got, &ngot, &err) != BV_OK)
                fail_msg("%s through recipe %s's %zu passes: %s", k->name, *r, n, err.msg);
            if (nwant != ngot || memcmp(want, got, nwant) != 0)
                fail_msg("%s: recipe %s and its %zu passes (%s) give different modules", k->name, *r, n,
                         bv_kernel_passes_text(p));
            free(want);
            free(got);
        }
        bv_kernel_passes_destroy(p);
    }
}

/* A list reads recipes, poison and flags with or without "--", commas or spaces between; its text
 * reads back to the same list; a step it does not know is named. */
static void pass_lists_parse(void **state)
{
    (void)state;
    bv_kernel_passes *p = NULL, *q = NULL;
    bv_error err;
    assert_int_equal(bv_kernel_passes_parse(" inline, poison\n--ccp  scalar-replacement=0,,", &p, &err), BV_OK);
    assert_int_equal(bv_kernel_passes_count(p), 4);
    assert_string_equal(bv_kernel_passes_step(p, 0), "inline-entry-points-exhaustive");
    assert_string_equal(bv_kernel_passes_step(p, 1), "poison");
    assert_string_equal(bv_kernel_passes_step(p, 2), "ccp");
    assert_string_equal(bv_kernel_passes_step(p, 3), "scalar-replacement=0");
    assert_string_equal(bv_kernel_passes_text(p), "inline-entry-points-exhaustive,poison,ccp,scalar-replacement=0");
    assert_int_equal(bv_kernel_passes_parse(bv_kernel_passes_text(p), &q, &err), BV_OK);
    assert_string_equal(bv_kernel_passes_text(q), bv_kernel_passes_text(p));
    bv_kernel_passes_destroy(q);
    /* -O is recipe O; a flag keeps its value (its pass is named loop-unroll). */
    assert_int_equal(bv_kernel_passes_parse("-O", &q, &err), BV_OK);
    bv_kernel_passes *o = NULL;
    assert_int_equal(bv_kernel_passes_parse("O", &o, &err), BV_OK);
    assert_string_equal(bv_kernel_passes_text(q), bv_kernel_passes_text(o));
    bv_kernel_passes_destroy(q);
    bv_kernel_passes_destroy(o);
    assert_int_equal(bv_kernel_passes_parse("--loop-unroll-partial=3", &q, &err), BV_OK);
    assert_string_equal(bv_kernel_passes_text(q), "loop-unroll-partial=3");
    bv_kernel_passes_destroy(q);

    const char *bad[] = {"ssa,bogus-pass,ccp", "O3", "-Obogus", "--", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        q = NULL;
        assert_int_equal(bv_kernel_passes_parse(bad[i], &q, &err), BV_ERR_VALUE);
        assert_null(q);
    }
    assert_int_equal(bv_kernel_passes_parse("ssa,bogus-pass,ccp", &q, &err), BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, "'bogus-pass'"));
    assert_int_equal(bv_kernel_passes_parse(" , ", &q, &err), BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, "empty"));
    bv_kernel_passes_destroy(p);
}

/* The first n steps: none is the module itself, each prefix is valid, a prefix that ends with
 * poison is the poisoned prefix before it; the kernel through a prefix is kept like a recipe's. */
static void pass_list_prefixes(void **state)
{
    (void)state;
    const bv_kernel *k = bv_kernel_builtin(BV_FAMILY_FP, BV_OP_MUL, BV_LIMBS_U32), *a = NULL, *b = NULL, *c = NULL;
    bv_kernel_passes *p = NULL;
    bv_error err;
    assert_int_equal(bv_kernel_passes_parse("inline,poison,ssa,ccp", &p, &err), BV_OK);
    uint32_t *m0 = NULL, *m1 = NULL, *m2 = NULL, *poisoned = NULL;
    size_t n0, n1, n2, np;
    assert_int_equal(bv_kernel_run_passes(k->code, k->code_size, p, 0, 5, &m0, &n0, &err), BV_OK);
    assert_true(n0 == k->code_size && memcmp(m0, k->code, n0) == 0);
    assert_int_equal(bv_kernel_run_passes(k->code, k->code_size, p, 1, 5, &m1, &n1, &err), BV_OK);
    assert_int_equal(bv_kernel_run_passes(k->code, k->code_size, p, 2, 5, &m2, &n2, &err), BV_OK);
    assert_int_equal(bv_kernel_poison(m1, n1, 5, &poisoned, &np, &err), BV_OK);
    assert_true(np == n2 && memcmp(poisoned, m2, n2) == 0);
    for (size_t n = 3; n <= bv_kernel_passes_count(p); n++) {
        uint32_t *m = NULL;
        size_t len;
        assert_int_equal(bv_kernel_run_passes(k->code, k->code_size, p, n, 5, &m, &len, &err), BV_OK);
        free(m);
    }
    uint32_t *none = NULL;
    size_t nn;
    assert_int_equal(bv_kernel_run_passes(k->code, k->code_size, p, 5, 5, &none, &nn, &err), BV_ERR_ARG);
    assert_null(none);

    assert_int_equal(bv_kernel_with_passes(k, p, 2, 5, &a, &err), BV_OK);
    assert_int_equal(bv_kernel_with_passes(k, p, 2, 5, &b, &err), BV_OK);
    assert_ptr_equal(a, b);
    assert_string_equal(a->name, "fp.mul.u32+passes");
    assert_true(a->code_size == n2 && memcmp(a->code, m2, n2) == 0);
    assert_int_equal(bv_kernel_with_passes(k, p, 2, 6, &c, &err), BV_OK); /* another seed, another pattern */
    assert_ptr_not_equal(a, c);
    assert_int_equal(bv_kernel_with_passes(k, p, 0, 5, &c, &err), BV_OK);
    assert_ptr_equal(c, k);
    free(m0);
    free(m1);
    free(m2);
    free(poisoned);
    bv_kernel_passes_destroy(p);
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
        cmocka_unit_test(recipe_lists_give_the_recipe),
        cmocka_unit_test(pass_lists_parse),
        cmocka_unit_test(pass_list_prefixes),
        cmocka_unit_test(case_names),
    };
    return cmocka_run_group_tests_name("recipes", tests, group_setup, NULL);
}
