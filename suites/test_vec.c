/* suites/test_vec.c: tests of vectors/: the generator pinned to known outputs, the edge
 * catalogue and the claims its special cases make, file round trips, and one test per kind
 * of malformed vector file. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <gmp.h>

#include "test_ref_util.h"
#include "bv_vec.h"

static char tmp_dir[] = "/tmp/test_vec_XXXXXX";

static int group_setup(void **state)
{
    (void)state;
    if (test_ref_init())
        return -1;
    return mkdtemp(tmp_dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return rmdir(tmp_dir);
}

/* A file name in the test's directory; the caller unlinks it. */
static void tmp_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", tmp_dir, name);
}

static void write_text(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void hex_of(bv_family f, const uint8_t *x, char *buf)
{
    bv_ref_hex_format(f, x, buf);
}

static void to_mpz(mpz_t out, bv_family f, const uint8_t *x)
{
    mpz_import(out, bv_ref_family_bytes(f), -1, 1, 0, 0, x);
}

static void modulus(mpz_t m, bv_family f)
{
    to_mpz(m, f, bv_ref_constants_get(f)->modulus);
}

/* ---------------------------------------------------------------- generator */

/* Expected values computed by an independent python3 implementation written from
 * docs/vectors.md (the same page's algorithm, not this library's code). */
static const struct {
    bv_family f;
    bv_op op;
    uint64_t seed, index;
    unsigned input;
    const char *hex;
} pinned[] = {
    {BV_FAMILY_FP, BV_OP_ADD, 1, 0, 0,
     "0x02f713734e5a95e2b0c0878f34da97c7514407e759e20f083e9f1fc1a28329017b339fe7082f31fbeca94cf041d905bc"},
    {BV_FAMILY_FP, BV_OP_ADD, 1, 0, 1,
     "0x0cfe93eab8064753176bdd5c0df1aaba660532973d523dc29de8963a0d349c682feb3ae19da73044036bd3f217257490"},
    {BV_FAMILY_FP, BV_OP_ADD, 1, 1, 0,
     "0x0959dc70b4608521da424682071352dcb65a0d68125a24573034e085ccbbff5bacde292b81efb795cf6fd8a5e6ad9896"},
    /* index 3 rejects its first candidate (>= p) and draws a second */
    {BV_FAMILY_FP, BV_OP_ADD, 1, 3, 0,
     "0x147f28786b564ed5f7c3d3ce389addbdaafe2c8fc2d1aa9a6cc190b12e386924d74e1e3fb2e75851000f9b9715c7e71c"},
    {BV_FAMILY_FP, BV_OP_MUL, 0xdeadbeef, 1000000, 1,
     "0x13f3344128266facd806ce56b3ba1b83c3646f2de65d515663ae36e606b950ce509e9c66c7100d55d0769f5bc461b828"},
    {BV_FAMILY_FR, BV_OP_SQR, 0, 0, 0, "0x41ead047e695c3e250407b7f5ecf523d2d1c69be8882aa6b78d27f2da51dbe9b"},
    {BV_FAMILY_FR, BV_OP_SUB, UINT64_MAX, 7, 1,
     "0x68d01fb6cd9157d4d9313b9c126a354dd4d19103be453b0d7a0d4b64ec15bdd1"},
    {BV_FAMILY_FR, BV_OP_FROM_MONT, 42, 123456789, 0,
     "0x5cb5683631d207a28a60c466e44771d7cc211b902fc870b74cf5f3abd1cf3575"},
    /* index 8 rejects its first candidate (>= r) */
    {BV_FAMILY_FR, BV_OP_MUL, 1, 8, 0, "0x295ae0649605256664d0b3e238de836d751d7ecc154aeb9d2af7f6e637076db9"},
};

static void generator_pinned_outputs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof pinned / sizeof pinned[0]; i++) {
        uint8_t v[BV_REF_MAX_BYTES];
        char hex[BV_REF_MAX_HEX];
        bv_vec_random_element(pinned[i].f, pinned[i].op, pinned[i].seed, pinned[i].index,
                              pinned[i].input, v);
        hex_of(pinned[i].f, v, hex);
        if (strcmp(hex, pinned[i].hex) != 0)
            fail_msg("pinned %zu: got %s, want %s", i, hex, pinned[i].hex);
    }
    /* The same through bv_vec_random, as a slice of the stream. */
    bv_vec_set *set = NULL;
    bv_error err;
    char hex[BV_REF_MAX_HEX], name[64];
    assert_int_equal(bv_vec_random(BV_FAMILY_FP, BV_OP_MUL, 0xdeadbeef, 999999, 2, &set, &err), BV_OK);
    hex_of(BV_FAMILY_FP, set->y + 48, hex);
    assert_string_equal(hex, pinned[4].hex);
    bv_vec_name(set, 1, name, sizeof name);
    assert_string_equal(name, "random/1000000");
    assert_true(bv_vec_set_is_random(set));
    assert_true(set->seed == 0xdeadbeef && set->first == 999999);
    bv_vec_set_destroy(set);
}

static void generator_deterministic_and_below_m(void **state)
{
    (void)state;
    for (int f = 0; f < BV_FAMILY_COUNT; f++) {
        if (!bv_ref_constants_get((bv_family)f))
            continue; /* fields only; fp2_generator covers Fp2 */
        bv_vec_set *a = NULL, *b = NULL, *slice = NULL, *other = NULL;
        bv_error err;
        size_t n = 20000, bytes = bv_ref_family_bytes((bv_family)f), high = 0;
        mpz_t v, half;
        assert_int_equal(bv_vec_random((bv_family)f, BV_OP_ADD, 5, 0, n, &a, &err), BV_OK);
        assert_int_equal(bv_vec_random((bv_family)f, BV_OP_ADD, 5, 0, n, &b, &err), BV_OK);
        assert_int_equal(bv_vec_random((bv_family)f, BV_OP_ADD, 5, 1234, 10, &slice, &err), BV_OK);
        assert_int_equal(bv_vec_random((bv_family)f, BV_OP_ADD, 6, 0, n, &other, &err), BV_OK);
        assert_memory_equal(a->x, b->x, n * bytes);
        assert_memory_equal(a->y, b->y, n * bytes);
        assert_memory_equal(a->x + 1234 * bytes, slice->x, 10 * bytes);
        assert_memory_equal(a->y + 1234 * bytes, slice->y, 10 * bytes);
        assert_memory_not_equal(a->x, other->x, bytes);
        assert_memory_not_equal(a->x, a->y, bytes);
        mpz_inits(v, half, NULL);
        modulus(half, (bv_family)f);
        mpz_fdiv_q_2exp(half, half, 1);
        for (size_t i = 0; i < n; i++) {
            assert_true(bv_ref_is_canonical((bv_family)f, a->x + i * bytes));
            assert_true(bv_ref_is_canonical((bv_family)f, a->y + i * bytes));
            to_mpz(v, (bv_family)f, a->x + i * bytes);
            if (mpz_cmp(v, half) > 0)
                high++;
        }
        /* Uniform below m: about half above m/2 (20000 draws: sigma is 0.35%). */
        assert_true(high > n * 48 / 100 && high < n * 52 / 100);
        mpz_clears(v, half, NULL);
        /* Unary ops have no y. */
        bv_vec_set_destroy(other);
        assert_int_equal(bv_vec_random((bv_family)f, BV_OP_NEG, 5, 0, 3, &other, &err), BV_OK);
        assert_null(other->y);
        bv_vec_set_destroy(a);
        bv_vec_set_destroy(b);
        bv_vec_set_destroy(slice);
        bv_vec_set_destroy(other);
    }
}

/* ---------------------------------------------------------------- edge catalogue */

static const bv_vec_edge_value *find_value(const bv_vec_edge_value *vals, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(vals[i].name, name) == 0)
            return &vals[i];
    return NULL;
}

static void edge_catalogue(void **state)
{
    (void)state;
    for (int fi = 0; fi < BV_FAMILY_COUNT; fi++) {
        bv_family f = (bv_family)fi;
        const bv_ref_constants *c = bv_ref_constants_get(f);
        if (!c)
            continue; /* fields only; fp2_edge_catalogue covers Fp2 */
        const bv_vec_edge_value *vals = NULL;
        size_t n = 0, bytes = c->bytes;
        bv_error err;
        char name[64];
        uint8_t t[BV_REF_MAX_BYTES], m1[BV_REF_MAX_BYTES];
        assert_int_equal(bv_vec_edge_values(f, &vals, &n, &err), BV_OK);
        assert_true(n >= 40);
        for (size_t i = 0; i < n; i++) {
            assert_true(bv_ref_is_canonical(f, vals[i].value));
            assert_null(strpbrk(vals[i].name, ",:"));
            for (size_t j = i + 1; j < n; j++)
                if (strcmp(vals[i].name, vals[j].name) == 0)
                    fail_msg("%s: name '%s' twice", bv_ref_family_name(f), vals[i].name);
        }
        static const char *const required[] = {
            "0", "1", "2", "m-1", "m-2", "(m-1)/2", "(m+1)/2", "R_mod_m", "R^2_mod_m", "mont(m-1)",
            "(top32(m)-1)|ones", "(top64(m)-1)|ones", "m-4", "m-8",
        };
        for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
            if (!find_value(vals, n, required[i]))
                fail_msg("%s: no '%s'", bv_ref_family_name(f), required[i]);
        /* Every 32-bit limb boundary below m, each side of it. */
        for (unsigned k = 32; k < c->bits; k += 32) {
            static const char *const suffix[] = {"-1", "", "+1"};
            for (int d = 0; d < 3; d++) {
                snprintf(name, sizeof name, "2^%u%s", k, suffix[d]);
                const bv_vec_edge_value *v = find_value(vals, n, name);
                if (!v)
                    fail_msg("%s: no '%s'", bv_ref_family_name(f), name);
                memset(t, 0, sizeof t);
                t[k / 8] = 1;
                if (d == 0)
                    memset(t, 0xff, k / 8), t[k / 8] = 0;
                if (d == 2)
                    t[0] = 1;
                assert_memory_equal(v->value, t, bytes);
            }
            snprintf(name, sizeof name, "m-2^%u", k);
            assert_non_null(find_value(vals, n, name));
        }
        /* All-ones limbs: at least one besides limb 0, each exactly one limb of ones. */
        size_t ones = 0;
        for (unsigned k = 32; k < c->bits; k += 32) {
            snprintf(name, sizeof name, "0xffffffff<<%u", k);
            const bv_vec_edge_value *v = find_value(vals, n, name);
            if (!v)
                continue;
            memset(t, 0, sizeof t);
            memset(t + k / 8, 0xff, 4);
            assert_memory_equal(v->value, t, bytes);
            ones++;
        }
        assert_true(ones >= c->limbs32 - 2);
        /* Values against the reference's constants and ops. */
        assert_memory_equal(find_value(vals, n, "R_mod_m")->value, c->r_mod, bytes);
        assert_memory_equal(find_value(vals, n, "R^2_mod_m")->value, c->r2_mod, bytes);
        memcpy(m1, find_value(vals, n, "m-1")->value, bytes);
        bv_ref_op(f, BV_OP_TO_MONT, t, m1, NULL);
        assert_memory_equal(find_value(vals, n, "mont(m-1)")->value, t, bytes);
        bv_ref_op(f, BV_OP_DBL, t, find_value(vals, n, "(m-1)/2")->value, NULL);
        assert_memory_equal(t, m1, bytes);
        bv_ref_op(f, BV_OP_ADD, t, find_value(vals, n, "(m+1)/2")->value,
                  find_value(vals, n, "(m-1)/2")->value);
        assert_true(memcmp(t, find_value(vals, n, "0")->value, bytes) == 0);
        bv_ref_op(f, BV_OP_NEG, t, find_value(vals, n, "m-2")->value, NULL);
        assert_memory_equal(t, find_value(vals, n, "2")->value, bytes);
        /* The same pointer on every call: built once. */
        const bv_vec_edge_value *again = NULL;
        size_t n2 = 0;
        assert_int_equal(bv_vec_edge_values(f, &again, &n2, &err), BV_OK);
        assert_ptr_equal(again, vals);
        assert_int_equal(n2, n);
    }
}

/* A claim's right-hand side: "m", "m-3", "m+1", "2m-2", "-1", "7", "2^381". */
static void eval_expr(mpz_t out, bv_family f, const char *s)
{
    mpz_t m;
    mpz_init(m);
    modulus(m, f);
    if (strcmp(s, "2m-2") == 0) {
        mpz_mul_2exp(out, m, 1);
        mpz_sub_ui(out, out, 2);
    } else if (s[0] == 'm') {
        mpz_set(out, m);
        if (s[1] == '-')
            mpz_sub_ui(out, out, strtoul(s + 2, NULL, 10));
        else if (s[1] == '+')
            mpz_add_ui(out, out, strtoul(s + 2, NULL, 10));
        else
            assert_int_equal(s[1], '\0');
    } else if (strncmp(s, "2^", 2) == 0) {
        mpz_set_ui(out, 0);
        mpz_setbit(out, strtoul(s + 2, NULL, 10));
    } else {
        char *end;
        long v = strtol(s, &end, 10);
        if (*end)
            fail_msg("cannot read claim value '%s'", s);
        mpz_set_si(out, v);
    }
    mpz_clear(m);
}

/* REDC's value before the final subtraction, derived here independently. */
static void redc_t(mpz_t t, bv_family f, const mpz_t x, const mpz_t y)
{
    const bv_ref_constants *c = bv_ref_constants_get(f);
    mpz_t m, R, minv, q;
    mpz_inits(m, R, minv, q, NULL);
    modulus(m, f);
    mpz_setbit(R, c->r_bits);
    assert_true(mpz_invert(minv, m, R));
    mpz_sub(minv, R, minv);
    mpz_mul(t, x, y);
    mpz_mul(q, t, minv);
    mpz_mod(q, q, R);
    mpz_addmul(t, q, m);
    assert_true(mpz_divisible_2exp_p(t, c->r_bits));
    mpz_fdiv_q_2exp(t, t, c->r_bits);
    mpz_clears(m, R, minv, q, NULL);
}

/* Checks what a special case's name says, e.g. "sum=m+1:x=2" or "prod=1:final-sub". */
static void check_claim(bv_family f, bv_op op, const char *name, const uint8_t *xb, const uint8_t *yb,
                        const bv_vec_edge_value *vals, size_t nv)
{
    char claim[96], *qual, *eq;
    uint8_t r[BV_REF_MAX_BYTES];
    mpz_t x, y, lhs, rhs, m, t;
    size_t bytes = bv_ref_family_bytes(f);

    snprintf(claim, sizeof claim, "%s", name);
    qual = strchr(claim, ':');
    assert_non_null(qual);
    *qual++ = '\0';
    eq = strchr(claim, '=');
    mpz_inits(x, y, lhs, rhs, m, t, NULL);
    modulus(m, f);
    to_mpz(x, f, xb);
    if (yb)
        to_mpz(y, f, yb);
    if (eq) {
        *eq = '\0';
        eval_expr(rhs, f, eq + 1);
    }
    const char *what = claim;
    bool final_sub = strcmp(qual, "final-sub") == 0;
    if (strcmp(what, "sum") == 0) {
        assert_int_equal(op, BV_OP_ADD);
        mpz_add(lhs, x, y);
    } else if (strcmp(what, "diff") == 0) {
        assert_int_equal(op, BV_OP_SUB);
        mpz_sub(lhs, x, y);
    } else if (strcmp(what, "2x") == 0) {
        assert_int_equal(op, BV_OP_DBL);
        mpz_mul_2exp(lhs, x, 1);
    } else {
        static const struct {
            const char *word;
            bv_op op;
        } ops[] = {{"neg", BV_OP_NEG}, {"prod", BV_OP_MUL}, {"sqr", BV_OP_SQR},
                   {"to_mont", BV_OP_TO_MONT}, {"from_mont", BV_OP_FROM_MONT},
                   {"inv", BV_OP_INV}};
        size_t k = 0;
        while (k < sizeof ops / sizeof ops[0] && strcmp(ops[k].word, what) != 0)
            k++;
        if (k == sizeof ops / sizeof ops[0])
            fail_msg("%s: unknown claim '%s'", name, what);
        assert_int_equal(op, ops[k].op);
        bv_ref_op(f, op, r, xb, yb);
        to_mpz(lhs, f, r);
        if (final_sub || (op == BV_OP_MUL && eq && mpz_cmp(rhs, m) < 0)) {
            mpz_t second;
            mpz_init(second);
            if (op == BV_OP_MUL)
                mpz_set(second, y);
            else if (op == BV_OP_SQR)
                mpz_set(second, x);
            else
                to_mpz(second, f, bv_ref_constants_get(f)->r2_mod);
            redc_t(t, f, x, second);
            mpz_clear(second);
            if (final_sub)
                assert_true(mpz_cmp(t, m) >= 0);
            /* A product of m-1 reaches REDC's largest value that needs no subtraction. */
            if (!final_sub && eq && mpz_cmp(rhs, m) < 0 && mpz_cmp_ui(rhs, 1) > 0)
                assert_true(mpz_cmp(t, rhs) == 0);
        }
    }
    if (eq && mpz_cmp(lhs, rhs) != 0)
        fail_msg("%s %s: the claim does not hold", bv_ref_family_name(f), name);
    if (!eq)
        assert_true(final_sub);
    /* "x=<value>" must name the catalogue value x really is, when it is one. */
    if (strncmp(qual, "x=", 2) == 0) {
        const bv_vec_edge_value *v = find_value(vals, nv, qual + 2);
        if (v)
            assert_memory_equal(v->value, xb, bytes);
    }
    mpz_clears(x, y, lhs, rhs, m, t, NULL);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void edge_sets(void **state)
{
    static const char *const must_have[BV_OP_COUNT][4] = {
        [BV_OP_ADD] = {"sum=m-1:", "sum=m:", "sum=m+1:"},
        [BV_OP_SUB] = {"diff=0:", "diff=-1:"},
        [BV_OP_NEG] = {"neg=0:"},
        [BV_OP_DBL] = {"2x=m-1:", "2x=m+1:"},
        [BV_OP_MUL] = {"prod=m-1:", "prod=0:", "prod=1:final-sub"},
        [BV_OP_SQR] = {"sqr=1:", "sqr:final-sub"},
        [BV_OP_TO_MONT] = {"to_mont=m-1:", "to_mont:final-sub"},
        [BV_OP_FROM_MONT] = {"from_mont=m-1:"},
        [BV_OP_INV] = {"inv=0:", "inv=1:", "inv=m-1:"},
    };
    (void)state;
    for (int fi = 0; fi < BV_FAMILY_COUNT; fi++) {
        bv_family f = (bv_family)fi;
        const bv_vec_edge_value *vals;
        size_t nv, bytes = bv_ref_family_bytes(f);
        bv_error err;
        if (!bv_ref_constants_get(f))
            continue; /* fields only; fp2_edge_sets covers Fp2 */
        assert_int_equal(bv_vec_edge_values(f, &vals, &nv, &err), BV_OK);
        const bv_ref_family_info *fam = bv_ref_family(f);
        for (size_t oi = 0; oi < fam->nops; oi++) {
            bv_op op = fam->ops[oi].op;
            bv_vec_set *set = NULL;
            size_t specials = 0, base = bv_ref_op_arity(op) == 2 ? nv * nv : nv;
            assert_int_equal(bv_vec_edge(f, op, &set, &err), BV_OK);
            assert_true(set->count > base);
            assert_non_null(set->names);
            assert_null(set->expected);
            char **sorted = malloc(set->count * sizeof *sorted);
            assert_non_null(sorted);
            for (size_t i = 0; i < set->count; i++) {
                const char *name = set->names[i];
                const uint8_t *x = set->x + i * bytes, *y = set->y ? set->y + i * bytes : NULL;
                sorted[i] = set->names[i];
                assert_true(bv_ref_is_canonical(f, x));
                if (y)
                    assert_true(bv_ref_is_canonical(f, y));
                assert_true(strncmp(name, "edge/", 5) == 0);
                name += 5;
                if (strchr(name, ':')) {
                    check_claim(f, op, name, x, y, vals, nv);
                    specials++;
                    continue;
                }
                /* Otherwise a catalogue value, or a pair of them, under their own names. */
                char buf[96];
                snprintf(buf, sizeof buf, "%s", name);
                char *comma = strchr(buf, ',');
                assert_true((comma != NULL) == (y != NULL));
                if (comma)
                    *comma = '\0';
                const bv_vec_edge_value *a = find_value(vals, nv, buf);
                if (!a)
                    fail_msg("%s %s: '%s' is not a catalogue value", bv_ref_family_name(f),
                             bv_ref_op_name(op), set->names[i]);
                assert_memory_equal(a->value, x, bytes);
                if (comma) {
                    const bv_vec_edge_value *b = find_value(vals, nv, comma + 1);
                    assert_non_null(b);
                    assert_memory_equal(b->value, y, bytes);
                }
            }
            assert_int_equal(base + specials, set->count);
            qsort(sorted, set->count, sizeof *sorted, cmp_str);
            for (size_t i = 1; i < set->count; i++)
                if (strcmp(sorted[i - 1], sorted[i]) == 0)
                    fail_msg("%s %s: name '%s' twice", bv_ref_family_name(f), bv_ref_op_name(op),
                             sorted[i]);
            for (int k = 0; k < 4 && must_have[op][k]; k++) {
                size_t len = strlen(must_have[op][k]), hits = 0;
                for (size_t i = 0; i < set->count; i++)
                    if (strncmp(set->names[i] + 5, must_have[op][k], len) == 0)
                        hits++;
                if (!hits)
                    fail_msg("%s %s: no '%s' case", bv_ref_family_name(f), bv_ref_op_name(op),
                             must_have[op][k]);
            }
            if (op == BV_OP_SQR && f == BV_FAMILY_FR) {
                size_t hits = 0;
                for (size_t i = 0; i < set->count; i++)
                    hits += strncmp(set->names[i], "edge/sqr=m-1:", 13) == 0;
                assert_int_equal(hits, 2);
            }
            free(sorted);
            bv_vec_set_destroy(set);
        }
    }
}

/* Every op of every family in reference/'s table gets edge and random cases that the
 * family's valid_input accepts, so a family added to both tables is covered here. */
static void cases_for_every_family_op(void **state)
{
    uint8_t guard[BV_REF_MAX_BYTES], before[BV_REF_MAX_BYTES];
    bv_error err;
    (void)state;
    for (int f = 0; f < BV_FAMILY_COUNT; f++) {
        const bv_ref_family_info *fam = bv_ref_family((bv_family)f);
        assert_non_null(fam);
        for (size_t k = 0; k < fam->nops; k++) {
            const bv_ref_op_info *e = &fam->ops[k];
            bv_vec_set *sets[2] = {NULL, NULL};
            assert_int_equal(bv_vec_edge((bv_family)f, e->op, &sets[0], &err), BV_OK);
            assert_int_equal(bv_vec_random((bv_family)f, e->op, 77, 0, 200, &sets[1], &err), BV_OK);
            for (int s = 0; s < 2; s++) {
                assert_true(sets[s]->count > 0);
                assert_int_equal(sets[s]->y != NULL, e->arity == 2);
                for (size_t i = 0; i < sets[s]->count; i++) {
                    if (!fam->valid_input(e->op, 0, sets[s]->x + i * e->in_bytes[0]) ||
                        (e->arity == 2 &&
                         !fam->valid_input(e->op, 1, sets[s]->y + i * e->in_bytes[1]))) {
                        char name[128];
                        bv_vec_name(sets[s], i, name, sizeof name);
                        fail_msg("%s.%s %s: not a valid input", fam->name,
                                 bv_ref_op_name(e->op), name);
                    }
                }
                bv_vec_set_destroy(sets[s]);
            }
        }
    }
    /* No family, no generator: the output is left as it was. */
    memset(guard, 0x5a, sizeof guard);
    memcpy(before, guard, sizeof guard);
    bv_vec_random_element(BV_FAMILY_COUNT, BV_OP_ADD, 1, 0, 0, guard);
    assert_memory_equal(guard, before, sizeof guard);
}

/* ---------------------------------------------------------------- Fp2 */

/* Fp2 elements from the generator, computed by the python3 implementation of docs/vectors.md
 * (element_fp2 there), not by this library. */
static const struct {
    bv_op op;
    uint64_t seed, index;
    unsigned input;
    const char *hex;
} pinned_fp2[] = {
{BV_OP_ADD, 1, 0, 0, "0x0d379cf3a060998b05a7543927dcac45779a7606a735b41d457c23709ca679f31d1615518b8c6d51f665ccf1dc42595704e9d63472550ce4bf6e02620d4643accbbcec7d9ead32b9a486d23fa419e8b403f355f883b96a44021ffdf8415ac2cf"},
    {BV_OP_MUL, 1, 0, 1, "0x0d8a607a243784dfe37a74aaaf52132103630d62e941fea0349152c451818c245bb44d42290ae727f6c1403cbb490331152a0e355dca51a815e2368834ab91955eb3c95e566cce589a007418ead0790067abb2f9fcef85932a580d1d87973f42"},
    {BV_OP_MUL_BY_NONRESIDUE, 0xdeadbeef, 1000000, 0, "0x1104a87cf7e1d4cbc634ff99e95faa4467158fea8c43125f4c7dfa2560e5992eb8d470652b1056b9b4945b3b7c830f3c14c4dfe6b65b90558ad18688020f9c81e9c10d2d9b4d7a85180955e59924f4746081d5d7372525f931ec43f199432e49"},
    {BV_OP_CONJ, 0x2a, 7, 0, "0x1066435e2d4a712e683a817d689108dfef17dda762ee689f4ca954ae74c285aa775101bd80927f744c938fef821d34220f13266392ff3acbf9b360b7a323780d1ca279101086026fbec6e07ae1a203da572e2b936af9538e6fdd32e5a75220bd"},
    {BV_OP_SQR, 0, 3, 0, "0x12c2c071f76635c87b62162eb1c9de5566203616315e8dae33d552d58657818d6fe2b7cb3016f12f7f427aba7e470579105ac56710fc570eaae5ea96766a77b71fa815560a76caee41eb7a91a5ff1638ec3c7f7718d1892156aa23ace43604fe"},
    /* index 19 rejects its first candidate for c1 (>= p) and draws a second */
    {BV_OP_MUL, 1, 19, 0, "0x094354699723c1a36492e1834c09fb305cb645051e0ed2db9f66be4d706251cc784cb0c064b837230976484e8f4b781615fbf8934a21bc5aa8a8fb4e3bc0088d562c8db03a6aa27eb73cba104b8e577967fca1a6ef213386ae4b832a079b12a7"},
};

static void fp2_generator(void **state)
{
    bv_vec_set *a = NULL, *b = NULL, *slice = NULL;
    bv_error err;
    size_t n = 5000;
    uint8_t v[BV_REF_MAX_BYTES];
    char hex[BV_REF_MAX_HEX];
    (void)state;
    for (size_t i = 0; i < sizeof pinned_fp2 / sizeof pinned_fp2[0]; i++) {
        bv_vec_random_element(BV_FAMILY_FP2, pinned_fp2[i].op, pinned_fp2[i].seed,
                              pinned_fp2[i].index, pinned_fp2[i].input, v);
        hex_of(BV_FAMILY_FP2, v, hex);
        if (strcmp(hex, pinned_fp2[i].hex) != 0)
            fail_msg("pinned fp2 %zu: got %s, want %s", i, hex, pinned_fp2[i].hex);
    }
    assert_int_equal(bv_vec_random(BV_FAMILY_FP2, BV_OP_MUL, 9, 0, n, &a, &err), BV_OK);
    assert_int_equal(bv_vec_random(BV_FAMILY_FP2, BV_OP_MUL, 9, 0, n, &b, &err), BV_OK);
    assert_int_equal(bv_vec_random(BV_FAMILY_FP2, BV_OP_MUL, 9, 777, 5, &slice, &err), BV_OK);
    assert_memory_equal(a->x, b->x, n * 96);
    assert_memory_equal(a->y, b->y, n * 96);
    assert_memory_equal(a->x + 777 * 96, slice->x, 5 * 96);
    assert_memory_equal(a->y + 777 * 96, slice->y, 5 * 96);
    for (size_t i = 0; i < n; i++) {
        assert_true(bv_ref_is_canonical(BV_FAMILY_FP2, a->x + i * 96));
        assert_true(bv_ref_is_canonical(BV_FAMILY_FP2, a->y + i * 96));
        /* c0 and c1 are drawn one after the other, not copied */
        assert_memory_not_equal(a->x + i * 96, a->x + i * 96 + 48, 48);
    }
    /* Not the Fp stream under another name: fp2's family id enters the state. */
    bv_vec_random_element(BV_FAMILY_FP, BV_OP_MUL, 9, 0, 0, v);
    assert_memory_not_equal(v, a->x, 48);
    bv_vec_set_destroy(a);
    bv_vec_set_destroy(b);
    bv_vec_set_destroy(slice);
}

/* An Fp2 name's coordinate names: "a", "u", "u*b", "a+u", "a+u*b", parentheses taken off. */
static void fp2_split(const char *s, char *c0, char *c1, size_t n)
{
    const char *plus = strstr(s, "+u");
    if (strcmp(s, "u") == 0) {
        snprintf(c0, n, "0");
        snprintf(c1, n, "1");
    } else if (strncmp(s, "u*", 2) == 0) {
        snprintf(c0, n, "0");
        snprintf(c1, n, "%s", s + 2);
    } else if (plus && (plus[2] == '\0' || plus[2] == '*')) {
        snprintf(c0, n, "%.*s", (int)(plus - s), s);
        snprintf(c1, n, "%s", plus[2] ? plus + 3 : "1");
    } else {
        snprintf(c0, n, "%s", s);
        snprintf(c1, n, "0");
    }
    char *cs[2] = {c0, c1};
    for (int k = 0; k < 2; k++) {
        size_t len = strlen(cs[k]);
        if (len >= 2 && cs[k][0] == '(' && cs[k][len - 1] == ')') {
            memmove(cs[k], cs[k] + 1, len - 2);
            cs[k][len - 2] = '\0';
        }
    }
}

/* A coordinate of a claim or name: an Fp catalogue value by name, else eval_expr's forms. */
static void fp2_coord(mpz_t out, const char *s, const bv_vec_edge_value *fpv, size_t nfp)
{
    const bv_vec_edge_value *v = find_value(fpv, nfp, s);
    if (v)
        to_mpz(out, BV_FAMILY_FP, v->value);
    else
        eval_expr(out, BV_FAMILY_FP, s);
}

static void fp2_edge_catalogue(void **state)
{
    const bv_vec_edge_value *vals, *fpv;
    size_t n, nfp;
    bv_error err;
    char c0[64], c1[64];
    mpz_t a, b, p;
    (void)state;
    assert_int_equal(bv_vec_edge_values(BV_FAMILY_FP2, &vals, &n, &err), BV_OK);
    assert_int_equal(bv_vec_edge_values(BV_FAMILY_FP, &fpv, &nfp, &err), BV_OK);
    assert_true(n >= 2 * nfp);
    mpz_inits(a, b, p, NULL);
    modulus(p, BV_FAMILY_FP);
    for (size_t i = 0; i < n; i++) {
        assert_true(bv_ref_is_canonical(BV_FAMILY_FP2, vals[i].value));
        assert_null(strpbrk(vals[i].name, ",:"));
        /* short enough that "edge/<a>,<b>" fits a report's 96-byte case name */
        assert_true(strlen(vals[i].name) <= 44);
        for (size_t j = i + 1; j < n; j++)
            if (strcmp(vals[i].name, vals[j].name) == 0)
                fail_msg("fp2: name '%s' twice", vals[i].name);
        /* The name says the value: each coordinate an Fp catalogue value or a number. */
        fp2_split(vals[i].name, c0, c1, sizeof c0);
        fp2_coord(a, c0, fpv, nfp);
        fp2_coord(b, c1, fpv, nfp);
        mpz_mod(a, a, p);
        mpz_mod(b, b, p);
        uint8_t want[96] = {0};
        mpz_export(want, NULL, -1, 1, 0, 0, a);
        mpz_export(want + 48, NULL, -1, 1, 0, 0, b);
        if (memcmp(want, vals[i].value, 96) != 0)
            fail_msg("fp2: '%s' is not the value its name says", vals[i].name);
    }
    static const char *const required[] = {
        "0", "1", "u", "1+u", "m-1", "u*(m-1)", "(m-1)+u*(m-1)", "1+u*(m-1)", "(m-1)+u",
        "R_mod_m", "u*R_mod_m", "R_mod_m+u*R_mod_m", "mont(m-1)",
    };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!find_value(vals, n, required[i]))
            fail_msg("fp2: no '%s'", required[i]);
    /* Every Fp edge value alone in each coordinate. */
    for (size_t i = 0; i < nfp; i++) {
        char name[96];
        snprintf(name, sizeof name, strpbrk(fpv[i].name, "+-*/|<") ? "u*(%s)" : "u*%s", fpv[i].name);
        if (strcmp(fpv[i].name, "0") == 0)
            continue;
        if (strcmp(fpv[i].name, "1") == 0)
            snprintf(name, sizeof name, "u");
        const bv_vec_edge_value *lo = find_value(vals, n, fpv[i].name), *hi = find_value(vals, n, name);
        if (!lo || !hi)
            fail_msg("fp2: Fp value '%s' is not alone in each coordinate", fpv[i].name);
    }
    mpz_clears(a, b, p, NULL);
}

/* Checks what an Fp2 special case's name says: "<what>[.c0|.c1]=<value>:<how>". sum, diff and
 * 2x are about the integers before reduction, coordinate by coordinate; the others about the
 * reference's output. */
static void fp2_check_claim(bv_op op, const char *name, const uint8_t *x, const uint8_t *y,
                            const bv_vec_edge_value *fpv, size_t nfp)
{
    static const struct {
        const char *word;
        bv_op op;
    } words[] = {{"sum", BV_OP_ADD},  {"diff", BV_OP_SUB}, {"2x", BV_OP_DBL},
                 {"neg", BV_OP_NEG},  {"prod", BV_OP_MUL}, {"sqr", BV_OP_SQR},
                 {"conj", BV_OP_CONJ}, {"nonres", BV_OP_MUL_BY_NONRESIDUE},
                 {"inv", BV_OP_INV}};
    char claim[128], c0[64], c1[64];
    mpz_t l[2], r[2], xa[2], ya[2];
    uint8_t out[96];
    snprintf(claim, sizeof claim, "%s", name);
    char *how = strchr(claim, ':'), *eq = strchr(claim, '=');
    assert_non_null(how);
    assert_non_null(eq);
    *how = '\0';
    *eq = '\0';
    int coord = -1;
    char *dot = strchr(claim, '.');
    if (dot) {
        assert_true(strcmp(dot, ".c0") == 0 || strcmp(dot, ".c1") == 0);
        coord = dot[2] - '0';
        *dot = '\0';
    }
    size_t w = 0;
    while (w < sizeof words / sizeof words[0] && strcmp(words[w].word, claim) != 0)
        w++;
    if (w == sizeof words / sizeof words[0])
        fail_msg("fp2 %s: unknown claim '%s'", name, claim);
    assert_int_equal(op, words[w].op);
    for (int k = 0; k < 2; k++) {
        mpz_inits(l[k], r[k], xa[k], ya[k], NULL);
        to_mpz(xa[k], BV_FAMILY_FP, x + 48 * k);
        if (y)
            to_mpz(ya[k], BV_FAMILY_FP, y + 48 * k);
    }
    if (coord >= 0) {
        fp2_coord(r[coord], eq + 1, fpv, nfp);
    } else {
        fp2_split(eq + 1, c0, c1, sizeof c0);
        fp2_coord(r[0], c0, fpv, nfp);
        fp2_coord(r[1], c1, fpv, nfp);
    }
    bv_ref_op(BV_FAMILY_FP2, op, out, x, y);
    for (int k = 0; k < 2; k++) {
        if (op == BV_OP_ADD)
            mpz_add(l[k], xa[k], ya[k]);
        else if (op == BV_OP_SUB)
            mpz_sub(l[k], xa[k], ya[k]);
        else if (op == BV_OP_DBL)
            mpz_mul_2exp(l[k], xa[k], 1);
        else
            to_mpz(l[k], BV_FAMILY_FP, out + 48 * k);
        if ((coord < 0 || coord == k) && mpz_cmp(l[k], r[k]) != 0)
            fail_msg("fp2 %s: the claim does not hold in c%d", name, k);
    }
    /* "x=<value>" names the catalogue value x is, when it is one. */
    const bv_vec_edge_value *v = NULL, *vals;
    size_t nv;
    bv_error err;
    assert_int_equal(bv_vec_edge_values(BV_FAMILY_FP2, &vals, &nv, &err), BV_OK);
    if (strncmp(how + 1, "x=", 2) == 0 && (v = find_value(vals, nv, how + 3)) != NULL)
        assert_memory_equal(v->value, x, 96);
    for (int k = 0; k < 2; k++)
        mpz_clears(l[k], r[k], xa[k], ya[k], NULL);
}

static void fp2_edge_sets(void **state)
{
    const bv_ref_family_info *fam = bv_ref_family(BV_FAMILY_FP2);
    const bv_vec_edge_value *vals, *fpv;
    size_t nv, nfp;
    bv_error err;
    (void)state;
    assert_int_equal(bv_vec_edge_values(BV_FAMILY_FP2, &vals, &nv, &err), BV_OK);
    assert_int_equal(bv_vec_edge_values(BV_FAMILY_FP, &fpv, &nfp, &err), BV_OK);
    for (size_t k = 0; k < fam->nops; k++) {
        bv_op op = fam->ops[k].op;
        bv_vec_set *set = NULL;
        size_t specials = 0, base = fam->ops[k].arity == 2 ? nv * nv : nv;
        assert_int_equal(bv_vec_edge(BV_FAMILY_FP2, op, &set, &err), BV_OK);
        assert_true(set->count > base);
        for (size_t i = base; i < set->count; i++) {
            const char *name = set->names[i];
            assert_true(strncmp(name, "edge/", 5) == 0);
            assert_true(strlen(name) < 96);
            assert_non_null(strchr(name, ':'));
            fp2_check_claim(op, name + 5, set->x + i * 96, set->y ? set->y + i * 96 : NULL, fpv, nfp);
            for (size_t j = base; j < i; j++)
                if (strcmp(set->names[j], name) == 0)
                    fail_msg("fp2 %s: name '%s' twice", bv_ref_op_name(op), name);
            specials++;
        }
        /* The crossed catalogue: pair (i, j) at i * nv + j, named after both. */
        if (fam->ops[k].arity == 2) {
            size_t i = nv / 3, j = nv - 2;
            char want[256];
            snprintf(want, sizeof want, "edge/%s,%s", vals[i].name, vals[j].name);
            assert_string_equal(set->names[i * nv + j], want);
            assert_memory_equal(set->x + (i * nv + j) * 96, vals[i].value, 96);
            assert_memory_equal(set->y + (i * nv + j) * 96, vals[j].value, 96);
        }
        assert_true(specials >= 5);
        bv_vec_set_destroy(set);
    }
}

/* ---------------------------------------------------------------- round trips */

static void fill_expected(bv_vec_set *set, bool partial)
{
    bv_error err;
    size_t bytes = bv_ref_family_bytes(set->family);
    assert_int_equal(bv_vec_set_alloc_expected(set, partial, &err), BV_OK);
    assert_int_equal(bv_ref_batch(set->family, set->op, set->expected, set->x, set->y, set->count, 1,
                                  &err),
                     BV_OK);
    if (partial)
        for (size_t i = 0; i < set->count; i++)
            set->has_expected[i] = (uint8_t)(i % 3 != 0);
    (void)bytes;
}

static void assert_sets_equal(const bv_vec_set *a, const bv_vec_set *b)
{
    size_t bytes = bv_ref_slot_bytes(a->family, a->op, BV_REF_OUT);
    char na[128], nb[128];
    assert_int_equal(a->family, b->family);
    assert_int_equal(a->op, b->op);
    assert_int_equal(a->count, b->count);
    assert_memory_equal(a->x, b->x, a->count * bv_ref_slot_bytes(a->family, a->op, BV_REF_X));
    assert_true((a->y == NULL) == (b->y == NULL));
    if (a->y)
        assert_memory_equal(a->y, b->y, a->count * bv_ref_slot_bytes(a->family, a->op, BV_REF_Y));
    for (size_t i = 0; i < a->count; i++) {
        assert_int_equal(bv_vec_has_expected(a, i), bv_vec_has_expected(b, i));
        if (bv_vec_has_expected(a, i))
            assert_memory_equal(a->expected + i * bytes, b->expected + i * bytes, bytes);
        bv_vec_name(a, i, na, sizeof na);
        bv_vec_name(b, i, nb, sizeof nb);
        assert_string_equal(na, nb);
    }
}

static void json_round_trip(void **state)
{
    char path[256];
    bv_vec_set *set = NULL, *back = NULL;
    bv_error err;
    (void)state;
    tmp_path(path, sizeof path, "edge.json");
    /* An edge set with expected values on some cases only. */
    assert_int_equal(bv_vec_edge(BV_FAMILY_FR, BV_OP_SUB, &set, &err), BV_OK);
    fill_expected(set, true);
    assert_int_equal(bv_vec_write_json(path, set, &err), BV_OK);
    assert_int_equal(bv_vec_read(path, &back, &err), BV_OK);
    assert_non_null(back->has_expected);
    assert_sets_equal(set, back);
    bv_vec_set_destroy(back);
    /* All cases with expected values: has_expected comes back NULL. */
    fill_expected(set, false);
    assert_int_equal(bv_vec_write_json(path, set, &err), BV_OK);
    assert_int_equal(bv_vec_read(path, &back, &err), BV_OK);
    assert_null(back->has_expected);
    assert_sets_equal(set, back);
    bv_vec_set_destroy(back);
    bv_vec_set_destroy(set);
    /* A random slice keeps its names, seed and first. */
    assert_int_equal(bv_vec_random(BV_FAMILY_FP, BV_OP_SQR, 99, 40, 25, &set, &err), BV_OK);
    assert_int_equal(bv_vec_write_json(path, set, &err), BV_OK);
    assert_int_equal(bv_vec_read(path, &back, &err), BV_OK);
    assert_null(back->expected);
    assert_sets_equal(set, back);
    assert_true(back->seed == 99 && back->first == 40);
    bv_vec_set_destroy(back);
    bv_vec_set_destroy(set);
    /* The written text: one case a line. */
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(bv_file_read_all(path, &text, &len, &err), BV_OK);
    assert_non_null(strstr(text, "\"format\": \"blsvk-vectors/1\""));
    assert_non_null(strstr(text, "\n    {\"name\": \"random/40\", \"inputs\": [\"0x"));
    free(text);
    unlink(path);
}

static void json_as_other_tools_write_it(void **state)
{
    static const char doc[] =
        "{\"cases\": [\n"
        "  {\"inputs\": [\"0X00000000000000000000000000000000000000000000000000000000000000000000000000000001\","
        " \"0xAbC\"], \"expected\": \"0xabd\", \"name\": \"mixed\"},\n"
        "  {\"inputs\": [\"0x0\", \"0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000000\"]}\n"
        " ], \"op\": \"add\", \"field\": \"fr\", \"format\": \"blsvk-vectors/1\"}";
    char path[256], name[64];
    bv_vec_set *set = NULL;
    bv_error err;
    (void)state;
    tmp_path(path, sizeof path, "other.json");
    write_text(path, doc, sizeof doc - 1);
    if (bv_vec_read(path, &set, &err) != BV_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(set->count, 2);
    assert_int_equal(set->family, BV_FAMILY_FR);
    assert_int_equal(set->op, BV_OP_ADD);
    assert_int_equal(set->x[0], 1);
    assert_int_equal(set->y[0], 0xbc);
    assert_int_equal(set->y[1], 0x0a);
    assert_true(bv_vec_has_expected(set, 0));
    assert_false(bv_vec_has_expected(set, 1));
    assert_int_equal(set->expected[0], 0xbd);
    bv_vec_name(set, 0, name, sizeof name);
    assert_string_equal(name, "mixed");
    bv_vec_name(set, 1, name, sizeof name);
    assert_string_equal(name, "case/1");
    bv_vec_set_destroy(set);
    unlink(path);
}

static void bin_round_trip(void **state)
{
    char path[256], name[64];
    bv_vec_set *set = NULL, *back = NULL;
    bv_error err;
    (void)state;
    tmp_path(path, sizeof path, "r.bin");
    for (int f = 0; f < BV_FAMILY_COUNT; f++) {
        for (int withexp = 0; withexp <= 1; withexp++) {
            /* A unary op without expected values, a binary one with (a curve's smul: the
             * scalars and points of different sizes). */
            bool curve = f == BV_FAMILY_G1 || f == BV_FAMILY_G2;
            bv_op unary = f == BV_FAMILY_FP2 ? BV_OP_CONJ : curve ? BV_OP_TO_AFFINE : BV_OP_TO_MONT;
            bv_op binary = curve ? BV_OP_MADD : BV_OP_MUL;
            assert_int_equal(bv_vec_random((bv_family)f, withexp ? binary : unary, 3, 10,
                                           curve ? 100 : 1000, &set, &err), BV_OK);
            if (withexp)
                fill_expected(set, false);
            assert_int_equal(bv_vec_write_bin(path, set, &err), BV_OK);
            assert_int_equal(bv_vec_read(path, &back, &err), BV_OK);
            assert_sets_equal(set, back);
            assert_true(back->seed == 3 && back->first == 10);
            bv_vec_set_destroy(back);
            bv_vec_set_destroy(set);
        }
    }
    /* An edge set keeps its values; names become case/<i>. */
    assert_int_equal(bv_vec_edge(BV_FAMILY_FP, BV_OP_DBL, &set, &err), BV_OK);
    assert_int_equal(bv_vec_write_bin(path, set, &err), BV_OK);
    assert_int_equal(bv_vec_read(path, &back, &err), BV_OK);
    assert_int_equal(back->count, set->count);
    assert_memory_equal(back->x, set->x, set->count * 48);
    bv_vec_name(back, 5, name, sizeof name);
    assert_string_equal(name, "case/5");
    bv_vec_set_destroy(back);
    /* Expected values on some cases only cannot be written in binary; the old file stays. */
    fill_expected(set, true);
    assert_int_equal(bv_vec_write_bin(path, set, &err), BV_ERR_ARG);
    assert_non_null(strstr(err.msg, "JSON"));
    assert_int_equal(bv_vec_read(path, &back, &err), BV_OK);
    bv_vec_set_destroy(back);
    bv_vec_set_destroy(set);
    /* An empty set. */
    assert_int_equal(bv_vec_set_create(BV_FAMILY_FR, BV_OP_ADD, 0, false, &set, &err), BV_OK);
    assert_int_equal(bv_vec_write_bin(path, set, &err), BV_OK);
    assert_int_equal(bv_vec_read(path, &back, &err), BV_OK);
    assert_int_equal(back->count, 0);
    bv_vec_set_destroy(back);
    bv_vec_set_destroy(set);
    unlink(path);
}

static void writes_are_atomic(void **state)
{
    char path[256], bad[300];
    bv_vec_set *set = NULL;
    bv_error err;
    (void)state;
    tmp_path(path, sizeof path, "no-such-dir");
    snprintf(bad, sizeof bad, "%s/x.json", path);
    assert_int_equal(bv_vec_random(BV_FAMILY_FR, BV_OP_ADD, 1, 0, 4, &set, &err), BV_OK);
    assert_int_equal(bv_vec_write_json(bad, set, &err), BV_ERR_IO);
    assert_non_null(strstr(err.msg, path));
    assert_int_equal(bv_vec_write_bin(bad, set, &err), BV_ERR_IO);
    /* No temporary file is left behind after a good write. */
    tmp_path(path, sizeof path, "a.json");
    assert_int_equal(bv_vec_write_json(path, set, &err), BV_OK);
    assert_int_equal(bv_vec_write_json(path, set, &err), BV_OK);
    snprintf(bad, sizeof bad, "%s.tmp.%ld", path, (long)getpid());
    assert_int_equal(access(bad, F_OK), -1);
    unlink(path);
    bv_vec_set_destroy(set);
}

/* ---------------------------------------------------------------- malformed files */

/* Reads a file with the given text and checks the status and message fragments. */
static void expect_bad_json(const char *file, const char *text, bv_status want, const char *frag1,
                            const char *frag2)
{
    char path[256];
    bv_vec_set *set = (bv_vec_set *)1;
    bv_error err;
    tmp_path(path, sizeof path, file);
    write_text(path, text, strlen(text));
    bv_error_clear(&err);
    bv_status st = bv_vec_read(path, &set, &err);
    if (st != want)
        fail_msg("%s: status %s, want %s (%s)", file, bv_status_name(st), bv_status_name(want), err.msg);
    assert_null(set);
    if (strncmp(err.msg, path, strlen(path)) != 0 || !strstr(err.msg, frag1) ||
        (frag2 && !strstr(err.msg, frag2)))
        fail_msg("%s: message '%s' lacks '%s' / '%s'", file, err.msg, frag1, frag2 ? frag2 : "");
    unlink(path);
}

#define HEAD(field, op) "{\"format\": \"blsvk-vectors/1\", \"field\": \"" field "\", \"op\": \"" op "\", "
#define ONE "\"0x1\""

static void bad_json_syntax(void **state)
{
    (void)state;
    expect_bad_json("syntax.json", "{\"format\": \"blsvk-vectors/1\",\n  \"field\": fp}", BV_ERR_PARSE,
                    "line 2, column 12", "invalid literal");
    expect_bad_json("top.json", "[1, 2]", BV_ERR_PARSE, "top level is an array", NULL);
    expect_bad_json("nocases.json", HEAD("fp", "add") "\"seed\": 1}", BV_ERR_PARSE, "no \"cases\"", NULL);
    expect_bad_json("seed.json", HEAD("fp", "neg") "\"seed\": -1, \"cases\": []}", BV_ERR_PARSE,
                    "\"seed\"", NULL);
    expect_bad_json("empty.json", "", BV_ERR_PARSE, "line 1, column 1", NULL);
}

static void bad_format_tag(void **state)
{
    (void)state;
    expect_bad_json("fmt.json", "{\"format\": \"blsvk-vectors/2\", \"field\": \"fp\", \"op\": \"add\", \"cases\": []}",
                    BV_ERR_PARSE, "unknown format \"blsvk-vectors/2\"", NULL);
    expect_bad_json("nofmt.json", "{\"field\": \"fp\", \"op\": \"add\", \"cases\": []}", BV_ERR_PARSE,
                    "no \"format\"", NULL);
    expect_bad_json("extra.json", HEAD("fp", "add") "\"cases\": [], \"comment\": 1}", BV_ERR_PARSE,
                    "unknown key \"comment\"", NULL);
}

static void bad_field_or_op(void **state)
{
    (void)state;
    expect_bad_json("field.json", HEAD("fq", "add") "\"cases\": []}", BV_ERR_VALUE,
                    "unknown field \"fq\"", NULL);
    expect_bad_json("op.json", HEAD("fp", "div") "\"cases\": []}", BV_ERR_VALUE, "unknown op \"div\"",
                    NULL);
    expect_bad_json("opnum.json", "{\"format\": \"blsvk-vectors/1\", \"field\": \"fp\", \"op\": 3, \"cases\": []}",
                    BV_ERR_PARSE, "\"op\" is a number", NULL);
}

static void bad_input_count(void **state)
{
    (void)state;
    expect_bad_json("few.json",
                    HEAD("fp", "add") "\"cases\": [{\"name\": \"a\", \"inputs\": [" ONE ", " ONE "]},"
                                      " {\"name\": \"two\", \"inputs\": [" ONE "]}]}",
                    BV_ERR_PARSE, "case 1 (two): 1 input, but add takes 2", NULL);
    expect_bad_json("many.json", HEAD("fr", "neg") "\"cases\": [{\"inputs\": [" ONE ", " ONE "]}]}",
                    BV_ERR_PARSE, "case 0 (case/0): 2 inputs, but neg takes 1", NULL);
    expect_bad_json("none.json", HEAD("fr", "neg") "\"cases\": [{\"name\": \"n\"}]}", BV_ERR_PARSE,
                    "case 0 (n): no \"inputs\"", NULL);
    expect_bad_json("key.json", HEAD("fr", "neg") "\"cases\": [{\"name\": \"k\", \"inputs\": [" ONE "], \"expect\": " ONE "}]}",
                    BV_ERR_PARSE, "case 0 (k): unknown key \"expect\"", NULL);
    expect_bad_json("caseobj.json", HEAD("fr", "neg") "\"cases\": [[" ONE "]]}", BV_ERR_PARSE,
                    "case 0 is an array", NULL);
}

static void bad_hex_value(void **state)
{
    (void)state;
    expect_bad_json("hex.json", HEAD("fp", "mul") "\"cases\": [{\"name\": \"h\", \"inputs\": [" ONE ", \"0x12zz\"]}]}",
                    BV_ERR_PARSE, "case 0 (h): inputs[1]", "not a hex digit");
    expect_bad_json("prefix.json", HEAD("fp", "sqr") "\"cases\": [{\"name\": \"p\", \"inputs\": [\"12\"]}]}",
                    BV_ERR_PARSE, "case 0 (p): inputs[0]", "0x");
    expect_bad_json("num.json", HEAD("fp", "sqr") "\"cases\": [{\"name\": \"n\", \"inputs\": [12]}]}",
                    BV_ERR_PARSE, "case 0 (n): inputs[0] is a number", NULL);
}

static void value_not_below_modulus(void **state)
{
    char doc[512], hex[BV_REF_MAX_HEX];
    (void)state;
    hex_of(BV_FAMILY_FR, bv_ref_constants_get(BV_FAMILY_FR)->modulus, hex);
    snprintf(doc, sizeof doc, HEAD("fr", "add") "\"cases\": [{\"name\": \"ok\", \"inputs\": [" ONE ", " ONE "]},"
             " {\"name\": \"big\", \"inputs\": [" ONE ", \"%s\"]}]}", hex);
    expect_bad_json("big.json", doc, BV_ERR_VALUE, "case 1 (big): inputs[1]", "not below the modulus");
    /* Fits the 48 bytes of Fp but not below p. */
    expect_bad_json("wide.json", HEAD("fp", "neg") "\"cases\": [{\"name\": \"w\", \"inputs\": [\"0x" "ffffffff" "ffffffff" "ffffffff" "ffffffff" "ffffffff" "ffffffff" "ffffffff" "ffffffff" "ffffffff" "ffffffff" "ffffffff" "ffffffff\"]}]}",
                    BV_ERR_VALUE, "case 0 (w): inputs[0]", "not below the modulus");
}

static void expected_not_canonical(void **state)
{
    char doc[512], hex[BV_REF_MAX_HEX];
    (void)state;
    hex_of(BV_FAMILY_FR, bv_ref_constants_get(BV_FAMILY_FR)->modulus, hex);
    snprintf(doc, sizeof doc, HEAD("fr", "neg") "\"cases\": [{\"name\": \"e\", \"inputs\": [" ONE "], \"expected\": \"%s\"}]}",
             hex);
    expect_bad_json("exp.json", doc, BV_ERR_VALUE, "case 0 (e): expected", "not below the modulus");
    expect_bad_json("exphex.json", HEAD("fr", "neg") "\"cases\": [{\"name\": \"e\", \"inputs\": [" ONE "], \"expected\": \"0x-1\"}]}",
                    BV_ERR_PARSE, "case 0 (e): expected", "not a hex digit");
}

/* A good binary file's bytes, for the tests to damage. */
static uint8_t *good_bin(const char *path, size_t *len)
{
    bv_vec_set *set = NULL;
    bv_error err;
    char *data = NULL;
    assert_int_equal(bv_vec_random(BV_FAMILY_FP, BV_OP_ADD, 8, 0, 10, &set, &err), BV_OK);
    fill_expected(set, false);
    assert_int_equal(bv_vec_write_bin(path, set, &err), BV_OK);
    bv_vec_set_destroy(set);
    assert_int_equal(bv_file_read_all(path, &data, len, &err), BV_OK);
    assert_int_equal(*len, 48 + 3 * 10 * 48 + 8);
    return (uint8_t *)data;
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void reseal(uint8_t *data, size_t len)
{
    put_u64(data + len - 8, bv_fnv1a64(BV_FNV_OFFSET, data, len - 8));
}

static void expect_bad_bin(const char *path, const uint8_t *data, size_t len, bv_status want,
                           const char *frag)
{
    bv_vec_set *set = (bv_vec_set *)1;
    bv_error err;
    write_text(path, (const char *)data, len);
    bv_error_clear(&err);
    bv_status st = bv_vec_read(path, &set, &err);
    if (st != want)
        fail_msg("status %s, want %s (%s)", bv_status_name(st), bv_status_name(want), err.msg);
    assert_null(set);
    if (strncmp(err.msg, path, strlen(path)) != 0 || !strstr(err.msg, frag))
        fail_msg("message '%s' lacks '%s'", err.msg, frag);
}

static void bin_truncated(void **state)
{
    char path[256];
    size_t len;
    (void)state;
    tmp_path(path, sizeof path, "trunc.bin");
    uint8_t *data = good_bin(path, &len);
    expect_bad_bin(path, data, len - 1, BV_ERR_PARSE, "truncated");
    expect_bad_bin(path, data, len - 8 - 48, BV_ERR_PARSE, "truncated");
    expect_bad_bin(path, data, 30, BV_ERR_PARSE, "truncated");
    /* Trailing bytes are as wrong as missing ones. */
    uint8_t *longer = malloc(len + 5);
    assert_non_null(longer);
    memcpy(longer, data, len);
    memset(longer + len, 0, 5);
    expect_bad_bin(path, longer, len + 5, BV_ERR_PARSE, "too long");
    free(longer);
    free(data);
    unlink(path);
}

static void bin_corrupted(void **state)
{
    char path[256];
    size_t len;
    (void)state;
    tmp_path(path, sizeof path, "corrupt.bin");
    uint8_t *data = good_bin(path, &len);
    data[48 + 100] ^= 0x04;
    expect_bad_bin(path, data, len, BV_ERR_PARSE, "checksum mismatch");
    data[48 + 100] ^= 0x04;
    data[len - 1] ^= 0x80;
    expect_bad_bin(path, data, len, BV_ERR_PARSE, "checksum mismatch");
    data[len - 1] ^= 0x80;
    /* Header fields that no writer produces. */
    data[8] = 2;
    reseal(data, len);
    expect_bad_bin(path, data, len, BV_ERR_PARSE, "version 2");
    data[8] = 1;
    data[12] = 7;
    reseal(data, len);
    expect_bad_bin(path, data, len, BV_ERR_VALUE, "unknown field id 7");
    data[12] = 0;
    data[13] = 250; /* far above the ops there are */
    reseal(data, len);
    expect_bad_bin(path, data, len, BV_ERR_VALUE, "unknown op id 250");
    data[13] = 8; /* conj: an op of fp2, not of fp */
    reseal(data, len);
    expect_bad_bin(path, data, len, BV_ERR_VALUE, "fp has no op conj");
    data[13] = 0;
    data[14] |= 0x10;
    reseal(data, len);
    expect_bad_bin(path, data, len, BV_ERR_PARSE, "unknown flags");
    data[14] &= (uint8_t)~0x10;
    /* A value not below m behind a correct checksum is still refused, naming the case. */
    memset(data + 48 + 3 * 48, 0xff, 48);
    reseal(data, len);
    expect_bad_bin(path, data, len, BV_ERR_VALUE, "case 3 (random/3): inputs[0] 0xffff");
    free(data);
    unlink(path);
}

static void bin_absurd_count(void **state)
{
    char path[256];
    size_t len;
    (void)state;
    tmp_path(path, sizeof path, "count.bin");
    uint8_t *data = good_bin(path, &len);
    /* Far beyond the limit: refused from the header alone, nothing allocated for it. */
    put_u64(data + 16, UINT64_MAX);
    expect_bad_bin(path, data, len, BV_ERR_PARSE, "absurd count 18446744073709551615");
    put_u64(data + 16, (uint64_t)BV_VEC_MAX_COUNT + 1);
    expect_bad_bin(path, data, len, BV_ERR_PARSE, "absurd count");
    /* Within the limit but not what the file holds. */
    put_u64(data + 16, BV_VEC_MAX_COUNT);
    expect_bad_bin(path, data, len, BV_ERR_PARSE, "truncated");
    put_u64(data + 16, 9);
    reseal(data, len);
    expect_bad_bin(path, data, len, BV_ERR_PARSE, "count of 9");
    free(data);
    unlink(path);
}

static void missing_file(void **state)
{
    char path[256];
    bv_vec_set *set = NULL;
    bv_error err;
    (void)state;
    tmp_path(path, sizeof path, "absent.json");
    assert_int_equal(bv_vec_read(path, &set, &err), BV_ERR_IO);
    assert_non_null(strstr(err.msg, path));
}

/* ---------------------------------------------------------------- G1 and G2 */

static bool all_zero(const uint8_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i])
            return false;
    return true;
}

/* Whether r*P is the identity, by the reference's smul (not the generator's arithmetic). */
static bool in_subgroup(bv_family f, const uint8_t *p)
{
    uint8_t k[32], out[BV_REF_MAX_BYTES];
    size_t c = bv_ref_family_bytes(f) / 3;
    memcpy(k, bv_ref_constants_get(BV_FAMILY_FR)->modulus, 32);
    bv_ref_op(f, BV_OP_SMUL, out, p, k);
    return all_zero(out + 2 * c, c);
}

/* Seeded points: reproducible, sliceable, one at a time the same, on the curve, in the
 * subgroup in even blocks of 1024 and outside it in odd ones, under a Z other than 0 and 1;
 * scalars: every fourth below r. */
static void curve_random_points(void **state)
{
    static const bv_family fs[] = {BV_FAMILY_G1, BV_FAMILY_G2};
    bv_error err;
    (void)state;
    for (size_t fi = 0; fi < 2; fi++) {
        bv_family f = fs[fi];
        const bv_ref_family_info *fam = bv_ref_family(f);
        size_t n = f == BV_FAMILY_G1 ? 2100 : 1100, bytes = bv_ref_family_bytes(f), c = bytes / 3;
        size_t ab = bv_ref_slot_bytes(f, BV_OP_MADD, BV_REF_Y);
        bv_vec_set *a = NULL, *b = NULL, *slice = NULL, *m = NULL, *s = NULL;
        uint8_t one[BV_REF_MAX_BYTES];
        assert_int_equal(bv_vec_random(f, BV_OP_ADD, 5, 0, n, &a, &err), BV_OK);
        assert_int_equal(bv_vec_random(f, BV_OP_ADD, 5, 0, n, &b, &err), BV_OK);
        assert_int_equal(bv_vec_random(f, BV_OP_ADD, 5, 1020, 10, &slice, &err), BV_OK);
        assert_memory_equal(a->x, b->x, n * bytes);
        assert_memory_equal(a->y, b->y, n * bytes);
        assert_memory_equal(a->x + 1020 * bytes, slice->x, 10 * bytes);
        assert_memory_equal(a->y + 1020 * bytes, slice->y, 10 * bytes);
        assert_memory_not_equal(a->x, a->y, bytes);
        for (size_t i = 0; i < n; i += 97) {
            bv_vec_random_element(f, BV_OP_ADD, 5, i, 1, one);
            assert_memory_equal(one, a->y + i * bytes, bytes);
        }
        for (size_t i = 0; i < n; i++) {
            const uint8_t *p = a->x + i * bytes;
            assert_true(fam->valid_input(BV_OP_ADD, 0, p));
            assert_true(fam->valid_input(BV_OP_ADD, 1, a->y + i * bytes));
            assert_false(all_zero(p + 2 * c, c));
            assert_memory_not_equal(p + 2 * c, bv_ref_constants_get(BV_FAMILY_FP)->r_mod, 48);
        }
        for (size_t i = 0; i < n; i += f == BV_FAMILY_G1 ? 131 : 367)
            if (in_subgroup(f, a->x + i * bytes) != ((i / 1024) % 2 == 0))
                fail_msg("%s random/%zu: %s the subgroup", fam->name, i,
                         (i / 1024) % 2 ? "in" : "outside");
        /* madd's y: the same stream's points in affine form. */
        assert_int_equal(bv_vec_random(f, BV_OP_MADD, 5, 0, 40, &m, &err), BV_OK);
        for (size_t i = 0; i < 40; i++) {
            assert_true(fam->valid_input(BV_OP_MADD, 1, m->y + i * ab));
            assert_false(all_zero(m->y + i * ab, ab));
        }
        /* smul's scalars: 256 random bits, below r when i % 4 == 3. */
        assert_int_equal(bv_vec_random(f, BV_OP_SMUL, 5, 0, 400, &s, &err), BV_OK);
        size_t high = 0;
        for (size_t i = 0; i < 400; i++) {
            const uint8_t *k = s->y + i * 32;
            if (i % 4 == 3)
                assert_true(bv_ref_is_canonical(BV_FAMILY_FR, k));
            else
                high += k[31] >= 0x80;
        }
        assert_true(high > 100 && high < 200);
        bv_vec_set_destroy(a);
        bv_vec_set_destroy(b);
        bv_vec_set_destroy(slice);
        bv_vec_set_destroy(m);
        bv_vec_set_destroy(s);
    }
}

/* Every special case's claim ("<op>=<catalogue name | O | !O>:<how>") holds by the reference,
 * and catalogue entries and pairs carry their points. */
static void curve_edge_sets(void **state)
{
    static const bv_family fs[] = {BV_FAMILY_G1, BV_FAMILY_G2};
    bv_error err;
    (void)state;
    for (size_t fi = 0; fi < 2; fi++) {
        bv_family f = fs[fi];
        const bv_ref_family_info *fam = bv_ref_family(f);
        const bv_vec_edge_value *vals;
        size_t nv, bytes = bv_ref_family_bytes(f);
        assert_int_equal(bv_vec_edge_values(f, &vals, &nv, &err), BV_OK);
        assert_true(nv >= 18);
        static const char *const required[] = {"O", "O[G]", "G", "-G", "G[Z=-1]", "G[Zw=m-1]", "2G", "E1"};
        for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
            assert_non_null(find_value(vals, nv, required[i]));
        if (f == BV_FAMILY_G1)
            assert_non_null(find_value(vals, nv, "T3"));
        for (size_t i = 0; i < nv; i++) {
            assert_true(fam->valid_input(BV_OP_ADD, 0, vals[i].value));
            assert_null(strpbrk(vals[i].name, ",:"));
        }
        assert_false(in_subgroup(f, find_value(vals, nv, "E1")->value));
        for (size_t k = 0; k < fam->nops; k++) {
            bv_op op = fam->ops[k].op;
            size_t xb = fam->ops[k].in_bytes[0], yb = fam->ops[k].in_bytes[1];
            size_t ob = fam->ops[k].out_bytes, specials = 0;
            bv_vec_set *set = NULL;
            uint8_t out[BV_REF_MAX_BYTES], want[BV_REF_MAX_BYTES];
            assert_int_equal(bv_vec_edge(f, op, &set, &err), BV_OK);
            for (size_t i = 0; i < set->count; i++) {
                const char *name = set->names[i] + 5;
                const uint8_t *x = set->x + i * xb, *y = set->y ? set->y + i * yb : NULL;
                assert_true(fam->valid_input(op, 0, x));
                if (y)
                    assert_true(fam->valid_input(op, 1, y));
                const char *colon = strchr(name, ':');
                if (!colon)
                    continue;
                specials++;
                char claim[64];
                const char *eq = strchr(name, '=');
                assert_true(eq && eq < colon);
                snprintf(claim, sizeof claim, "%.*s", (int)(colon - eq - 1), eq + 1);
                bv_ref_op(f, op, out, x, y);
                if (strcmp(claim, "O") == 0 || strcmp(claim, "!O") == 0) {
                    bool inf = op == BV_OP_TO_AFFINE ? all_zero(out, ob)
                                                     : all_zero(out + 2 * (bytes / 3), bytes / 3);
                    if (inf != (claim[0] == 'O'))
                        fail_msg("%s %s %s: the output is %sthe identity", fam->name,
                                 bv_ref_op_name(op), name, inf ? "" : "not ");
                    continue;
                }
                const bv_vec_edge_value *v = find_value(vals, nv, claim);
                if (!v)
                    fail_msg("%s %s %s: no catalogue point '%s'", fam->name, bv_ref_op_name(op),
                             name, claim);
                if (op == BV_OP_TO_AFFINE)
                    bv_ref_op(f, BV_OP_TO_AFFINE, want, v->value, NULL);
                else
                    memcpy(want, v->value, bytes);
                if (fam->compare(op, out, want) != BV_REF_SAME)
                    fail_msg("%s %s %s: the claim does not hold", fam->name, bv_ref_op_name(op), name);
            }
            assert_true(specials > 0);
            size_t base = xb == bytes && (!yb || yb == bytes) ? (yb ? nv * nv : nv) : 0;
            assert_int_equal(set->count, base + specials);
            bv_vec_set_destroy(set);
        }
    }
}

/* A JSON file refuses a point off the curve and a scalar too long, naming file, case and input. */
static void curve_files_refuse_bad_values(void **state)
{
    char path[256], doc[2048], hex[BV_REF_MAX_HEX], khex[BV_REF_MAX_HEX];
    uint8_t g[144], k[32] = {3};
    bv_vec_set *set = NULL;
    bv_error err;
    (void)state;
    tmp_path(path, sizeof path, "g1.json");
    assert_true(bv_ref_curve_generator(BV_FAMILY_G1, g));
    bv_ref_hex_format_slot(BV_FAMILY_G1, BV_OP_SMUL, BV_REF_Y, k, khex);
    bv_ref_hex_format(BV_FAMILY_G1, g, hex);
    snprintf(doc, sizeof doc, "{\"format\":\"blsvk-vectors/1\",\"field\":\"g1\",\"op\":\"smul\","
             "\"cases\":[{\"name\":\"a\",\"inputs\":[\"%s\",\"%s\"]}]}", hex, khex);
    write_text(path, doc, strlen(doc));
    assert_int_equal(bv_vec_read(path, &set, &err), BV_OK);
    assert_int_equal(set->count, 1);
    assert_memory_equal(set->y, k, 32);
    bv_vec_set_destroy(set);
    /* A scalar one hex digit too long. */
    snprintf(doc, sizeof doc, "{\"format\":\"blsvk-vectors/1\",\"field\":\"g1\",\"op\":\"smul\","
             "\"cases\":[{\"name\":\"a\",\"inputs\":[\"%s\",\"0x1%s\"]}]}", hex, khex + 2);
    write_text(path, doc, strlen(doc));
    assert_int_equal(bv_vec_read(path, &set, &err), BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "inputs[1]"));
    assert_non_null(strstr(err.msg, "g1 smul y"));
    /* The generator with Y + 1: off the curve. */
    g[48] ^= 1;
    bv_ref_hex_format(BV_FAMILY_G1, g, hex);
    snprintf(doc, sizeof doc, "{\"format\":\"blsvk-vectors/1\",\"field\":\"g1\",\"op\":\"dbl\","
             "\"cases\":[{\"name\":\"a\",\"inputs\":[\"%s\"]}]}", hex);
    write_text(path, doc, strlen(doc));
    assert_int_equal(bv_vec_read(path, &set, &err), BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, "on the curve"));
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(generator_pinned_outputs),
        cmocka_unit_test(generator_deterministic_and_below_m),
        cmocka_unit_test(edge_catalogue),
        cmocka_unit_test(edge_sets),
        cmocka_unit_test(cases_for_every_family_op),
        cmocka_unit_test(fp2_generator),
        cmocka_unit_test(fp2_edge_catalogue),
        cmocka_unit_test(fp2_edge_sets),
        cmocka_unit_test(json_round_trip),
        cmocka_unit_test(json_as_other_tools_write_it),
        cmocka_unit_test(bin_round_trip),
        cmocka_unit_test(writes_are_atomic),
        cmocka_unit_test(bad_json_syntax),
        cmocka_unit_test(bad_format_tag),
        cmocka_unit_test(bad_field_or_op),
        cmocka_unit_test(bad_input_count),
        cmocka_unit_test(bad_hex_value),
        cmocka_unit_test(value_not_below_modulus),
        cmocka_unit_test(expected_not_canonical),
        cmocka_unit_test(bin_truncated),
        cmocka_unit_test(bin_corrupted),
        cmocka_unit_test(bin_absurd_count),
        cmocka_unit_test(missing_file),
        cmocka_unit_test(curve_random_points),
        cmocka_unit_test(curve_edge_sets),
        cmocka_unit_test(curve_files_refuse_bad_values),
    };
    return cmocka_run_group_tests_name("vec", tests, group_setup, group_teardown);
}
