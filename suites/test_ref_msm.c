/* suites/test_ref_msm.c: tests of the G1 multi-scalar multiplication in reference/ (ref_msm.c):
 * Pippenger against the naive sum of bv_ref_op scalar multiplications, against the
 * generator-based expectation, known answers (r*G is the identity), the edge catalogue with
 * answers derived here from bv_ref_op, and the refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <gmp.h>

#include "bv_ref.h"
#include "test_ref_util.h"

#define PT BV_REF_MSM_POINT_BYTES /* 96: an affine input */
#define JAC 144
#define SC 32
#define FP 48

/* ---- helpers ------------------------------------------------------------------------ */

static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
    rng_state = seed ? seed : 1;
}

static uint64_t rng_next(void)
{
    /* xorshift64*: deterministic, so a failure reproduces */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static mpz_t r; /* the group order, from the literal */

static void random_scalar(uint8_t *s)
{
    for (unsigned j = 0; j < SC; j += 8) {
        uint64_t w = rng_next();
        memcpy(s + j, &w, 8);
    }
}

static void scalar_from_z(uint8_t *s, const mpz_t z)
{
    assert_true(mpz_sgn(z) >= 0 && mpz_sizeinbase(z, 2) <= 256);
    memset(s, 0, SC);
    mpz_export(s, NULL, -1, 1, 0, 0, z);
}

static void z_from_scalar(mpz_t z, const uint8_t *s)
{
    mpz_import(z, SC, -1, 1, 0, 0, s);
}

/* An affine input as a Jacobian point (x, y, 1); the identity as all zero. */
static void jac_of(uint8_t *jac, const uint8_t *pt)
{
    static const uint8_t zero[PT];
    memset(jac, 0, JAC);
    if (memcmp(pt, zero, PT) == 0)
        return;
    memcpy(jac, pt, PT);
    memcpy(jac + PT, bv_ref_constants_get(BV_FAMILY_FP)->r_mod, FP);
}

static bool is_identity(const uint8_t *jac)
{
    static const uint8_t zero[FP];
    return memcmp(jac + 2 * FP, zero, FP) == 0;
}

static void expect_same(const uint8_t *got, const uint8_t *want, const char *what, size_t n)
{
    if (!bv_ref_family(BV_FAMILY_G1)->equal(BV_OP_ADD, got, want)) {
        char g[BV_REF_DESCRIBE_BYTES], w[BV_REF_DESCRIBE_BYTES];
        bv_ref_describe(BV_FAMILY_G1, BV_OP_ADD, BV_REF_OUT, got, g, sizeof g);
        bv_ref_describe(BV_FAMILY_G1, BV_OP_ADD, BV_REF_OUT, want, w, sizeof w);
        fail_msg("%s, n = %zu: got %s, want %s", what, n, g, w);
    }
}

static void msm(uint8_t *out, const uint8_t *pts, const uint8_t *sc, size_t n)
{
    bv_error err;
    if (bv_ref_msm_g1(out, pts, sc, n, &err) != BV_OK)
        fail_msg("bv_ref_msm_g1: %s", err.msg);
}

static void msm_naive(uint8_t *out, const uint8_t *pts, const uint8_t *sc, size_t n)
{
    bv_error err;
    if (bv_ref_msm_g1_naive(out, pts, sc, n, &err) != BV_OK)
        fail_msg("bv_ref_msm_g1_naive: %s", err.msg);
}

static void known_points(uint8_t *pts, size_t n, uint64_t seed)
{
    bv_error err;
    if (bv_ref_msm_g1_known_points(pts, n, seed, &err) != BV_OK)
        fail_msg("bv_ref_msm_g1_known_points: %s", err.msg);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    assert_non_null(p);
    return p;
}

static int group_setup(void **state)
{
    (void)state;
    if (test_ref_init())
        return -1;
    mpz_init_set_str(r, TEST_R_HEX, 16);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    mpz_clear(r);
    return 0;
}

/* ---- known answers ------------------------------------------------------------------ */

static void known_answers(void **state)
{
    uint8_t g[PT], pts[2 * PT], sc[2 * SC], out[JAC], want[JAC], gj[JAC];
    mpz_t t;
    (void)state;
    assert_true(bv_ref_curve_generator(BV_FAMILY_G1, gj));
    memcpy(g, gj, PT); /* Z = 1: the first 96 bytes are the affine point */
    mpz_init(t);

    /* r * G = identity; so is (r-1)*G + 1*G, and (r+1)*G = G (scalars not reduced). */
    scalar_from_z(sc, r);
    msm(out, g, sc, 1);
    assert_true(is_identity(out));
    memcpy(pts, g, PT);
    memcpy(pts + PT, g, PT);
    mpz_sub_ui(t, r, 1);
    scalar_from_z(sc, t);
    mpz_set_ui(t, 1);
    scalar_from_z(sc + SC, t);
    msm(out, pts, sc, 2);
    assert_true(is_identity(out));
    mpz_add_ui(t, r, 1);
    scalar_from_z(sc, t);
    msm(out, g, sc, 1);
    expect_same(out, gj, "(r+1)*G", 1);

    /* 2^256 - 1 times G: the same as bv_ref_op's smul; n = 0 is the identity. */
    memset(sc, 0xff, SC);
    msm(out, g, sc, 1);
    bv_ref_op(BV_FAMILY_G1, BV_OP_SMUL, want, gj, sc);
    expect_same(out, want, "(2^256-1)*G", 1);
    memset(out, 0x5a, sizeof out);
    msm(out, NULL, NULL, 0);
    assert_true(is_identity(out));
    msm_naive(out, NULL, NULL, 0);
    assert_true(is_identity(out));
    mpz_clear(t);
}

/* ---- against the naive sum ---------------------------------------------------------- */

static void matches_naive_random(void **state)
{
    enum { MAX_N = 64 };
    uint8_t *pts = xmalloc(MAX_N * PT), *sc = xmalloc(MAX_N * SC);
    uint8_t got[JAC], want[JAC];
    mpz_t t;
    (void)state;
    mpz_init(t);
    rng_seed(0x6d736d31);
    for (size_t n = 1; n <= MAX_N; n++) {
        known_points(pts, n, rng_next());
        for (size_t i = 0; i < n; i++) {
            uint8_t *s = sc + i * SC;
            random_scalar(s); /* full 256 bits: mostly not reduced */
            switch (rng_next() % 8) {
            case 0: /* below r */
                z_from_scalar(t, s);
                mpz_mod(t, t, r);
                scalar_from_z(s, t);
                break;
            case 1:
                memset(s, 0, SC);
                break;
            case 2: /* an identity point */
                memset(pts + i * PT, 0, PT);
                break;
            case 3: /* a repeated point */
                if (i > 0)
                    memcpy(pts + i * PT, pts + (i - 1) * PT, PT);
                break;
            default:
                break;
            }
        }
        msm(got, pts, sc, n);
        msm_naive(want, pts, sc, n);
        expect_same(got, want, "pippenger vs naive (random)", n);
    }
    mpz_clear(t);
    free(pts);
    free(sc);
}

/* ---- the generator-based check ------------------------------------------------------ */

static void generator_based(void **state)
{
    const size_t n = 1024;
    const uint64_t seed = 0x1234abcd;
    uint8_t *pts = xmalloc(n * PT), *sc = xmalloc(n * SC);
    uint8_t got[JAC], want[JAC], a[SC], gj[JAC], jac[JAC], prod[JAC];
    bv_error err;
    (void)state;
    known_points(pts, n, seed);

    /* The points are what they say: a_i * G for a spread of i. */
    assert_true(bv_ref_curve_generator(BV_FAMILY_G1, gj));
    for (size_t i = 0; i < n; i += 97) {
        assert_int_equal(bv_ref_msm_g1_known_scalar(a, n, i, seed, &err), BV_OK);
        assert_true(bv_ref_is_canonical(BV_FAMILY_FR, a));
        bv_ref_op(BV_FAMILY_G1, BV_OP_SMUL, prod, gj, a);
        jac_of(jac, pts + i * PT);
        expect_same(jac, prod, "known point a_i * G", i);
    }
    /* Every point valid (the MSM's own check) and the MSM equal to the expectation. */
    rng_seed(0x6d736d32);
    for (size_t i = 0; i < n * SC; i += 8) {
        uint64_t w = rng_next();
        memcpy(sc + i, &w, 8);
    }
    msm(got, pts, sc, n);
    assert_int_equal(bv_ref_msm_g1_known_expected(want, sc, n, seed, &err), BV_OK);
    expect_same(got, want, "pippenger vs generator-based", n);
    /* Another seed gives other points and another answer. */
    assert_int_equal(bv_ref_msm_g1_known_expected(prod, sc, n, seed + 1, &err), BV_OK);
    assert_false(bv_ref_family(BV_FAMILY_G1)->equal(BV_OP_ADD, prod, want));
    /* Small sizes, all against the naive sum too (grids 1x1, 2x2, 4x2, ...). */
    for (size_t m = 1; m <= 40; m += 3) {
        known_points(pts, m, seed);
        msm(got, pts, sc, m);
        assert_int_equal(bv_ref_msm_g1_known_expected(want, sc, m, seed, &err), BV_OK);
        expect_same(got, want, "pippenger vs generator-based (small)", m);
        msm_naive(got, pts, sc, m);
        expect_same(got, want, "naive vs generator-based (small)", m);
    }
    free(pts);
    free(sc);
}

/* ---- the edge catalogue ------------------------------------------------------------- */

static void edge_catalogue(void **state)
{
    static const char *const names[] = {
        "scalars_zero",  "scalars_one",    "scalars_r-1",     "scalars_r",
        "scalars_unreduced", "scalars_max", "scalars_equal",  "bytes_repeated",
        "points_equal",  "points_identity", "pairs_negated",
    };
    static const size_t sizes[] = {1, 2, 3, 7, 64, 1000};
    (void)state;
    assert_int_equal(bv_ref_msm_edge_count(), sizeof names / sizeof names[0]);
    for (size_t e = 0; e < bv_ref_msm_edge_count(); e++)
        assert_string_equal(bv_ref_msm_edge_name(e), names[e]);
    assert_null(bv_ref_msm_edge_name(bv_ref_msm_edge_count()));

    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        size_t n = sizes[si];
        uint8_t *pts = xmalloc(n * PT), *sc = xmalloc(n * SC);
        uint8_t exp[JAC], got[JAC], hand[JAC], jac[JAC], prod[JAC];
        mpz_t t, sum;
        bv_error err;
        mpz_inits(t, sum, NULL);
        for (size_t e = 0; e < bv_ref_msm_edge_count(); e++) {
            char what[96];
            snprintf(what, sizeof what, "edge %s", names[e]);
            assert_int_equal(bv_ref_msm_edge(pts, sc, exp, n, e, &err), BV_OK);
            msm(got, pts, sc, n);
            expect_same(got, exp, what, n);
            if (n <= 64) {
                msm_naive(got, pts, sc, n);
                expect_same(got, exp, what, n);
            }
            /* Answers derived here from bv_ref_op alone. */
            uint8_t sum_pts[JAC] = {0};
            for (size_t i = 0; i < n; i++) {
                jac_of(jac, pts + i * PT);
                bv_ref_op(BV_FAMILY_G1, BV_OP_ADD, sum_pts, sum_pts, jac);
            }
            mpz_set_ui(sum, 0);
            for (size_t i = 0; i < n; i++) {
                z_from_scalar(t, sc + i * SC);
                mpz_add(sum, sum, t);
            }
            switch (e) {
            case 0:  /* scalars_zero */
            case 3:  /* scalars_r */
            case 10: /* pairs_negated */
                assert_true(is_identity(exp));
                break;
            case 1: /* scalars_one: the sum of the points */
                expect_same(exp, sum_pts, what, n);
                break;
            case 2: /* scalars_r-1: minus the sum */
                bv_ref_op(BV_FAMILY_G1, BV_OP_NEG, hand, sum_pts, NULL);
                expect_same(exp, hand, what, n);
                break;
            case 8: /* points_equal: (sum s_i) * P_0 */
                for (size_t i = 1; i < n; i++)
                    assert_memory_equal(pts + i * PT, pts, PT);
                mpz_mod(sum, sum, r);
                scalar_from_z(prod, sum);
                jac_of(jac, pts);
                bv_ref_op(BV_FAMILY_G1, BV_OP_SMUL, hand, jac, prod);
                expect_same(exp, hand, what, n);
                break;
            case 9: /* points_identity: every even index */
                for (size_t i = 0; i < n; i += 2) {
                    jac_of(jac, pts + i * PT);
                    assert_true(is_identity(jac));
                }
                break;
            default:
                break;
            }
            if (n == 1) { /* s * P */
                jac_of(jac, pts);
                bv_ref_op(BV_FAMILY_G1, BV_OP_SMUL, hand, jac, sc);
                expect_same(exp, hand, what, n);
            }
            if (e == 4) /* scalars_unreduced: each at least r */
                for (size_t i = 0; i < n; i++) {
                    z_from_scalar(t, sc + i * SC);
                    assert_true(mpz_cmp(t, r) >= 0);
                }
            if (e == 6 || e == 7) /* equal scalars; one repeated byte */
                for (size_t i = 0; i < n; i++) {
                    if (e == 6)
                        assert_memory_equal(sc + i * SC, sc, SC);
                    for (size_t j = 1; e == 7 && j < SC; j++)
                        assert_int_equal(sc[i * SC + j], sc[i * SC]);
                    assert_true(e == 6 || sc[i * SC] != 0);
                }
        }
        mpz_clears(t, sum, NULL);
        free(pts);
        free(sc);
    }
}

/* ---- refusals ----------------------------------------------------------------------- */

static void bad_arguments_refused(void **state)
{
    uint8_t pts[4 * PT], sc[4 * SC] = {0}, out[JAC], keep[JAC], a[SC];
    bv_error err;
    (void)state;
    known_points(pts, 4, 7);

    assert_int_equal(bv_ref_msm_g1(NULL, pts, sc, 4, &err), BV_ERR_ARG);
    assert_non_null(strstr(err.msg, "NULL output"));
    assert_int_equal(bv_ref_msm_g1(out, NULL, sc, 4, &err), BV_ERR_ARG);
    assert_non_null(strstr(err.msg, "NULL input"));
    assert_int_equal(bv_ref_msm_g1(out, pts, NULL, 4, &err), BV_ERR_ARG);
    assert_int_equal(bv_ref_msm_g1_naive(out, NULL, sc, 4, &err), BV_ERR_ARG);
    assert_int_equal(bv_ref_msm_g1(out, pts, sc, SIZE_MAX / 8, &err), BV_ERR_OVERFLOW);

    /* Point 2 off the curve (y + 1), then not canonical (x = 0xff..): refused by index, the
     * output untouched. */
    memset(out, 0xa5, sizeof out);
    memcpy(keep, out, sizeof out);
    pts[2 * PT + FP] ^= 1;
    assert_int_equal(bv_ref_msm_g1(out, pts, sc, 4, &err), BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, "point 2"));
    assert_non_null(strstr(err.msg, "not on the curve"));
    assert_int_equal(bv_ref_msm_g1_naive(out, pts, sc, 4, &err), BV_ERR_VALUE);
    assert_memory_equal(out, keep, sizeof out);
    memset(pts + 2 * PT, 0xff, FP);
    assert_int_equal(bv_ref_msm_g1(out, pts, sc, 4, &err), BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, "not canonical"));
    assert_memory_equal(out, keep, sizeof out);

    assert_int_equal(bv_ref_msm_g1_known_points(NULL, 4, 1, &err), BV_ERR_ARG);
    assert_int_equal(bv_ref_msm_g1_known_expected(NULL, sc, 4, 1, &err), BV_ERR_ARG);
    assert_int_equal(bv_ref_msm_g1_known_expected(out, NULL, 4, 1, &err), BV_ERR_ARG);
    assert_int_equal(bv_ref_msm_g1_known_scalar(a, 4, 4, 1, &err), BV_ERR_ARG);
    assert_non_null(strstr(err.msg, "not below n"));
    assert_int_equal(bv_ref_msm_edge(pts, sc, out, 4, bv_ref_msm_edge_count(), &err),
                     BV_ERR_ARG);
    assert_non_null(strstr(err.msg, "no edge input"));
    assert_int_equal(bv_ref_msm_edge(pts, sc, out, 0, 0, &err), BV_ERR_ARG);
    assert_int_equal(bv_ref_msm_edge(pts, NULL, out, 4, 0, &err), BV_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_answers),
        cmocka_unit_test(matches_naive_random),
        cmocka_unit_test(generator_based),
        cmocka_unit_test(edge_catalogue),
        cmocka_unit_test(bad_arguments_refused),
    };
    return cmocka_run_group_tests_name("reference MSM", tests, group_setup, group_teardown);
}
