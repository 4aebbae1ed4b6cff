/* suites/test_ref_ntt.c: tests of the Fr number-theoretic transform in reference/ (ref_ntt.c):
 * its constants against published values, the transform against an O(n^2) evaluation written
 * here from the definition (its own roots, from mpz_powm, not the reference's square chain),
 * round trips, known answers derived by hand, the edge inputs and the refusals. */
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

#define FR 32
#define NAIVE_MAX_LOG 8  /* n = 256: the O(n^2) check stays well under a second */
#define ROUND_MAX_LOG 12
#define SPOT_LOG 16

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

static mpz_t r, rmod; /* r and 2^256 mod r, set by group_setup from the literal, not the library */

static void to_z(mpz_t out, const uint8_t *x)
{
    mpz_import(out, FR, -1, 1, 0, 0, x);
}

static void from_z(uint8_t *out, const mpz_t z)
{
    size_t n = 0;
    assert_true(mpz_sgn(z) >= 0 && mpz_cmp(z, r) < 0);
    memset(out, 0, FR);
    mpz_export(out, &n, -1, 1, 0, 0, z);
}

static void from_hex(uint8_t *out, const char *hex)
{
    mpz_t z;
    assert_int_equal(mpz_init_set_str(z, hex, 16), 0);
    from_z(out, z);
    mpz_clear(z);
}

/* Four 64-bit limbs, least significant first, as C and Rust libraries print them. */
static void from_limbs(uint8_t *out, const uint64_t limbs[4])
{
    for (unsigned i = 0; i < 4; i++)
        for (unsigned j = 0; j < 8; j++)
            out[8 * i + j] = (uint8_t)(limbs[i] >> (8 * j));
}

/* A uniformly random word below r: 255 random bits, redrawn until below r. */
static void random_fr(uint8_t *x)
{
    mpz_t z;
    mpz_init(z);
    do {
        for (unsigned j = 0; j < FR; j += 8) {
            uint64_t w = rng_next();
            for (unsigned b = 0; b < 8; b++)
                x[j + b] = (uint8_t)(w >> (8 * b));
        }
        x[FR - 1] &= 0x7f;
        to_z(z, x);
    } while (mpz_cmp(z, r) >= 0);
    mpz_clear(z);
}

static uint8_t *alloc_elems(size_t n)
{
    uint8_t *p = malloc(n * FR);
    assert_non_null(p);
    return p;
}

static const char *variant_name(bv_ref_ntt_dir dir, bool coset)
{
    return dir == BV_REF_NTT_FORWARD ? (coset ? "coset forward" : "forward")
                                     : (coset ? "coset inverse" : "inverse");
}

/* Fails at the first element that differs, with both values in hex. */
static void expect_elems(const uint8_t *got, const uint8_t *want, size_t n, const char *what,
                         unsigned log_n)
{
    for (size_t i = 0; i < n; i++) {
        if (memcmp(got + i * FR, want + i * FR, FR) != 0) {
            char g[BV_REF_MAX_HEX], w[BV_REF_MAX_HEX];
            bv_ref_hex_format(BV_FAMILY_FR, got + i * FR, g);
            bv_ref_hex_format(BV_FAMILY_FR, want + i * FR, w);
            fail_msg("%s, n = 2^%u, element %zu: got %s, want %s", what, log_n, i, g, w);
        }
    }
}

static void ntt(uint8_t *out, const uint8_t *in, unsigned log_n, bv_ref_ntt_dir dir, bool coset)
{
    bv_error err;
    if (bv_ref_ntt(out, in, log_n, dir, coset, &err) != BV_OK)
        fail_msg("bv_ref_ntt 2^%u %s: %s", log_n, variant_name(dir, coset), err.msg);
}

/* The primitive n-th root as this file derives it: 7^((r-1)/n), its inverse for the inverse. */
static void test_root(mpz_t w, unsigned log_n, bv_ref_ntt_dir dir)
{
    mpz_t e, g;
    mpz_inits(e, g, NULL);
    mpz_sub_ui(e, r, 1);
    mpz_tdiv_q_2exp(e, e, log_n);
    mpz_set_ui(g, 7);
    mpz_powm(w, g, e, r);
    if (dir == BV_REF_NTT_INVERSE)
        mpz_invert(w, w, r);
    mpz_clears(e, g, NULL);
}

/* The polynomial with coefficients c[0..n) at the point z, by Horner's rule. */
static void horner(mpz_t acc, const uint8_t *c, size_t n, const mpz_t z)
{
    mpz_t ci;
    mpz_init(ci);
    mpz_set_ui(acc, 0);
    for (size_t i = n; i-- > 0;) {
        to_z(ci, c + i * FR);
        mpz_mul(acc, acc, z);
        mpz_add(acc, acc, ci);
        mpz_mod(acc, acc, r);
    }
    mpz_clear(ci);
}

/* Output j of a transform, from the definitions in bv_ref.h: forward evaluates the input as a
 * polynomial at w^j (at g*w^j for a coset); inverse evaluates at w^-j and scales by n^-1 (and
 * g^-j for a coset). O(n) per output. */
static void naive_at(mpz_t out, const uint8_t *in, unsigned log_n, bv_ref_ntt_dir dir, bool coset,
                     size_t j)
{
    size_t n = (size_t)1 << log_n;
    mpz_t w, z, s;
    mpz_inits(w, z, s, NULL);
    test_root(w, log_n, dir);
    mpz_powm_ui(z, w, (unsigned long)j, r);
    if (coset && dir == BV_REF_NTT_FORWARD) {
        mpz_mul_ui(z, z, 7);
        mpz_mod(z, z, r);
    }
    horner(out, in, n, z);
    if (dir == BV_REF_NTT_INVERSE) {
        mpz_set_ui(s, n);
        mpz_invert(s, s, r);
        mpz_mul(out, out, s);
        if (coset) {
            mpz_set_ui(z, 7);
            mpz_invert(z, z, r);
            mpz_powm_ui(z, z, (unsigned long)j, r);
            mpz_mul(out, out, z);
        }
        mpz_mod(out, out, r);
    }
    mpz_clears(w, z, s, NULL);
}

/* The whole transform, O(n^2). */
static void naive_dft(uint8_t *out, const uint8_t *in, unsigned log_n, bv_ref_ntt_dir dir,
                      bool coset)
{
    size_t n = (size_t)1 << log_n;
    mpz_t y;
    mpz_init(y);
    for (size_t j = 0; j < n; j++) {
        naive_at(y, in, log_n, dir, coset, j);
        from_z(out + j * FR, y);
    }
    mpz_clear(y);
}

static const bv_ref_ntt_dir dirs[] = {BV_REF_NTT_FORWARD, BV_REF_NTT_INVERSE};

/* The transform against the O(n^2) one, all four variants. */
static void check_against_naive(const uint8_t *in, unsigned log_n, const char *what)
{
    size_t n = (size_t)1 << log_n;
    uint8_t *got = alloc_elems(n), *want = alloc_elems(n);
    char label[128];
    for (int d = 0; d < 2; d++) {
        for (int c = 0; c < 2; c++) {
            ntt(got, in, log_n, dirs[d], c);
            naive_dft(want, in, log_n, dirs[d], c);
            snprintf(label, sizeof label, "%s, %s against the naive DFT", what,
                     variant_name(dirs[d], c));
            expect_elems(got, want, n, label, log_n);
        }
    }
    free(got);
    free(want);
}

static int group_setup(void **state)
{
    (void)state;
    if (test_ref_init())
        return -1;
    mpz_init_set_str(r, TEST_R_HEX, 16);
    mpz_init_set_ui(rmod, 1);
    mpz_mul_2exp(rmod, rmod, 256);
    mpz_mod(rmod, rmod, r);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    mpz_clears(r, rmod, NULL);
    return 0;
}

/* ---- constants ---------------------------------------------------------------------- */

/* The primitive 2^i-th roots 7^((r-1)/2^i), i = 0..31, normal form, limbs low first: c-kzg-4844
 * (ethereum/c-kzg-4844, src/c_kzg_4844.c at commit 002fc3fa, scale2_root_of_unity, "PRIMITIVE_ROOT
 * = 7"), transcribed limb by limb; python3's pow(7, (r-1)//2**i, r) gives the same 32 values. */
static const uint64_t ckzg_scale2_root_of_unity[32][4] = {
    {0x0000000000000001, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000},
    {0xffffffff00000000, 0x53bda402fffe5bfe, 0x3339d80809a1d805, 0x73eda753299d7d48},
    {0x0001000000000000, 0xec03000276030000, 0x8d51ccce760304d0, 0x0000000000000000},
    {0x7228fd3397743f7a, 0xb38b21c28713b700, 0x8c0625cd70d77ce2, 0x345766f603fa66e7},
    {0x53ea61d87742bcce, 0x17beb312f20b6f76, 0xdd1c0af834cec32c, 0x20b1ce9140267af9},
    {0x360c60997369df4e, 0xbf6e88fb4c38fb8a, 0xb4bcd40e22f55448, 0x50e0903a157988ba},
    {0x8140d032f0a9ee53, 0x2d967f4be2f95155, 0x14a1e27164d8fdbd, 0x45af6345ec055e4d},
    {0x5130c2c1660125be, 0x98d0caac87f5713c, 0xb7c68b4d7fdd60d0, 0x6898111413588742},
    {0x4935bd2f817f694b, 0x0a0865a899e8deff, 0x6b368121ac0cf4ad, 0x4f9b4098e2e9f12e},
    {0x4541b8ff2ee0434e, 0xd697168a3a6000fe, 0x39feec240d80689f, 0x095166525526a654},
    {0x3c28d666a5c2d854, 0xea437f9626fc085e, 0x8f4de02c0f776af3, 0x325db5c3debf77a1},
    {0x4a838b5d59cd79e5, 0x55ea6811be9c622d, 0x09f1ca610a08f166, 0x6d031f1b5c49c834},
    {0xe206da11a5d36306, 0x0ad1347b378fbf96, 0xfc3e8acfe0f8245f, 0x564c0a11a0f704f4},
    {0x6fdd00bfc78c8967, 0x146b58bc434906ac, 0x2ccddea2972e89ed, 0x485d512737b1da3d},
    {0x034d2ff22a5ad9e1, 0xae4622f6a9152435, 0xdc86b01c0d477fa6, 0x56624634b500a166},
    {0xfbd047e11279bb6e, 0xc8d5f51db3f32699, 0x483405417a0cbe39, 0x3291357ee558b50d},
    {0xd7118f85cd96b8ad, 0x67a665ae1fcadc91, 0x88f39a78f1aeb578, 0x2155379d12180caa},
    {0x08692405f3b70f10, 0xcd7f2bd6d0711b7d, 0x473a2eef772c33d6, 0x224262332d8acbf4},
    {0x6f421a7d8ef674fb, 0xbb97a3bf30ce40fd, 0x652f717ae1c34bb0, 0x2d3056a530794f01},
    {0x194e8c62ecb38d9d, 0xad8e16e84419c750, 0xdf625e80d0adef90, 0x520e587a724a6955},
    {0xfece7e0e39898d4b, 0x2f69e02d265e09d9, 0xa57a6e07cb98de4a, 0x03e1c54bcb947035},
    {0xcd3979122d3ea03a, 0x46b3105f04db5844, 0xc70d0874b0691d4e, 0x47c8b5817018af4f},
    {0xc6e7a6ffb08e3363, 0xe08fec7c86389bee, 0xf2d38f10fbb8d1bb, 0x0abe6a5e5abcaa32},
    {0x5616c57de0ec9eae, 0xc631ffb2585a72db, 0x5121af06a3b51e3c, 0x73560252aa0655b2},
    {0x92cf4deb77bd779c, 0x72cf6a8029b7d7bc, 0x6e0bcd91ee762730, 0x291cf6d68823e687},
    {0xce32ef844e11a51e, 0xc0ba12bb3da64ca5, 0x0454dc1edc61a1a3, 0x019fe632fd328739},
    {0x531a11a0d2d75182, 0x02c8118402867ddc, 0x116168bffbedc11d, 0x0a0a77a3b1980c0d},
    {0xe2d0a7869f0319ed, 0xb94f1101b1d7a628, 0xece8ea224f31d25d, 0x23397a9300f8f98b},
    {0xd7b688830a4f2089, 0x6558e9e3f6ac7b41, 0x99e276b571905a7d, 0x52dd465e2f094256},
    {0x474650359d8e211b, 0x84d37b826214abc6, 0x8da40c1ef2bb4598, 0x0c83ea7744bf1bee},
    {0x694341f608c9dd56, 0xed3a181fabb30adc, 0x1339a815da8b398f, 0x2c6d4e4511657e1e},
    {0x63e7cb4906ffc93f, 0xf070bb00e28a193d, 0xad1715b02e5713b5, 0x4b5371495990693f}};

/* zkcrypto bls12_381, src/scalar.rs (commit 0ff19585): ROOT_OF_UNITY and GENERATOR, both in
 * Montgomery form (x * 2^256 mod r). c-kzg-4844, src/eip7594/fft.c: RECOVERY_SHIFT_FACTOR (7, the
 * coset shift of its coset_fft) and INV_RECOVERY_SHIFT_FACTOR, in blst's limbs, which are
 * Montgomery form as well; its RECOVERY_SHIFT_FACTOR is zkcrypto's GENERATOR. */
static const uint64_t zkcrypto_root_of_unity_mont[4] = {
    0xb9b58d8c5f0e466a, 0x5b1b4c801819d7ec, 0x0af53ae352a31e64, 0x5bf3adda19e9b27b};
static const uint64_t zkcrypto_generator_mont[4] = {
    0x0000000efffffff1, 0x17e363d300189c0f, 0xff9c57876f8457b0, 0x351332208fc5a8c4};
static const uint64_t ckzg_inv_shift_mont[4] = {
    0xdb6db6dadb6db6dc, 0xe6b5824adb6cc6da, 0xf8b356e005810db9, 0x66d0f1e660ec4796};
/* The 2^32-th root in normal form: zkcrypto's ROOT_OF_UNITY times 2^-256 mod r (python3), the
 * hex other libraries print in normal form. */
static const char root_2_32_hex[] =
    "16a2a19edfe81f20d09b681922c813b4b63683508c2280b93829971f439f0d2b";

static void params(bv_ref_ntt_params *p, unsigned log_n, bool mont)
{
    bv_error err;
    if (bv_ref_ntt_params_get(p, log_n, mont, &err) != BV_OK)
        fail_msg("bv_ref_ntt_params_get(%u): %s", log_n, err.msg);
    assert_int_equal(p->log_n, log_n);
    assert_true(p->montgomery == mont);
}

static void constants_match_published(void **state)
{
    bv_ref_ntt_params p, pm;
    uint8_t want[FR];
    (void)state;
    assert_int_equal(BV_REF_FR_TWO_ADICITY, 32);
    assert_int_equal(BV_REF_FR_GENERATOR, 7);

    params(&p, 32, false);
    params(&pm, 32, true);
    from_hex(want, root_2_32_hex);
    expect_elems(p.root, want, 1, "2^32-th root, normal form", 32);
    from_limbs(want, zkcrypto_root_of_unity_mont);
    expect_elems(pm.root, want, 1, "2^32-th root, Montgomery form (zkcrypto)", 32);
    from_limbs(want, zkcrypto_generator_mont);
    expect_elems(pm.shift, want, 1, "coset shift, Montgomery form (zkcrypto, c-kzg)", 32);
    from_limbs(want, ckzg_inv_shift_mont);
    expect_elems(pm.shift_inv, want, 1, "inverse coset shift, Montgomery form (c-kzg)", 32);
    from_hex(want, "7");
    expect_elems(p.shift, want, 1, "coset shift, normal form", 32);

    for (unsigned k = 0; k < 32; k++) {
        params(&p, k, false);
        from_limbs(want, ckzg_scale2_root_of_unity[k]);
        expect_elems(p.root, want, 1, "2^k-th root against c-kzg-4844's table", k);
    }
}

/* Every root has order exactly 2^k, the chain squares down, inverses invert, and the
 * Montgomery forms are the normal forms times 2^256. */
static void constants_satisfy_definitions(void **state)
{
    mpz_t w, wi, prev, t, e, minus1, v, vm;
    (void)state;
    mpz_inits(w, wi, prev, t, e, minus1, v, vm, NULL);
    mpz_sub_ui(minus1, r, 1);
    for (unsigned k = 0; k <= 32; k++) {
        bv_ref_ntt_params p, pm;
        params(&p, k, false);
        params(&pm, k, true);
        to_z(w, p.root);
        to_z(wi, p.root_inv);

        mpz_set_ui(e, 1);
        mpz_mul_2exp(e, e, k);
        mpz_powm(t, w, e, r);
        assert_int_equal(mpz_cmp_ui(t, 1), 0);
        if (k > 0) {
            mpz_tdiv_q_2exp(e, e, 1);
            mpz_powm(t, w, e, r);
            if (mpz_cmp(t, minus1) != 0)
                fail_msg("w_%u^(2^%u) is not -1: the root's order is below 2^%u", k, k - 1, k);
        }
        test_root(t, k, BV_REF_NTT_FORWARD);
        assert_int_equal(mpz_cmp(t, w), 0);
        if (k > 0) {
            mpz_mul(t, w, w);
            mpz_mod(t, t, r);
            assert_int_equal(mpz_cmp(t, prev), 0); /* w_k^2 = w_(k-1) */
        }
        mpz_set(prev, w);
        mpz_mul(t, w, wi);
        mpz_mod(t, t, r);
        assert_int_equal(mpz_cmp_ui(t, 1), 0);

        to_z(t, p.size_inv);
        mpz_mul_2exp(t, t, k);
        mpz_mod(t, t, r);
        assert_int_equal(mpz_cmp_ui(t, 1), 0);
        to_z(t, p.shift);
        to_z(v, p.shift_inv);
        mpz_mul(t, t, v);
        mpz_mod(t, t, r);
        assert_int_equal(mpz_cmp_ui(t, 1), 0);

        const uint8_t *normal[] = {p.root, p.root_inv, p.shift, p.shift_inv, p.size_inv};
        const uint8_t *mont[] = {pm.root, pm.root_inv, pm.shift, pm.shift_inv, pm.size_inv};
        for (size_t i = 0; i < 5; i++) {
            to_z(v, normal[i]);
            to_z(vm, mont[i]);
            mpz_mul(v, v, rmod);
            mpz_mod(v, v, r);
            assert_int_equal(mpz_cmp(v, vm), 0);
        }
    }
    /* 7 is a quadratic non-residue, as a generator of Fr* must be. */
    mpz_set_ui(t, 7);
    mpz_tdiv_q_2exp(e, minus1, 1);
    mpz_powm(t, t, e, r);
    assert_int_equal(mpz_cmp(t, minus1), 0);
    mpz_clears(w, wi, prev, t, e, minus1, v, vm, NULL);
}

/* ---- the transform ------------------------------------------------------------------ */

/* n = 1 is the identity in every variant; n = 2 by hand: w_2 = -1, so forward (a, b) is
 * (a + b, a - b), inverse ((a + b)/2, (a - b)/2), coset forward evaluates a + bX at 7 and -7:
 * (a + 7b, a - 7b), coset inverse ((a + b)/2, (a - b)/14). */
static void known_answers_small(void **state)
{
    uint8_t x[2 * FR], y[2 * FR], want[2 * FR];
    mpz_t a, b, t, half, fourteenth;
    (void)state;
    mpz_inits(a, b, t, half, fourteenth, NULL);
    mpz_set_ui(half, 2);
    mpz_invert(half, half, r);
    mpz_set_ui(fourteenth, 14);
    mpz_invert(fourteenth, fourteenth, r);
    rng_seed(0x17);
    for (int rep = 0; rep < 20; rep++) {
        if (rep == 0) {
            mpz_sub_ui(t, r, 1);
            from_z(x, t);
            from_z(x + FR, t);
        } else {
            random_fr(x);
            random_fr(x + FR);
        }
        for (int d = 0; d < 2; d++) {
            for (int c = 0; c < 2; c++) {
                ntt(y, x, 0, dirs[d], c);
                expect_elems(y, x, 1, variant_name(dirs[d], c), 0);
            }
        }
        to_z(a, x);
        to_z(b, x + FR);
        for (int d = 0; d < 2; d++) {
            for (int c = 0; c < 2; c++) {
                mpz_t s, df;
                mpz_inits(s, df, NULL);
                mpz_set(t, b);
                if (c && dirs[d] == BV_REF_NTT_FORWARD)
                    mpz_mul_ui(t, t, 7);
                mpz_add(s, a, t);
                mpz_sub(df, a, t);
                if (dirs[d] == BV_REF_NTT_INVERSE) {
                    mpz_mul(s, s, half);
                    mpz_mul(df, df, c ? fourteenth : half);
                }
                mpz_mod(s, s, r);
                mpz_mod(df, df, r);
                from_z(want, s);
                from_z(want + FR, df);
                mpz_clears(s, df, NULL);
                ntt(y, x, 1, dirs[d], c);
                expect_elems(y, want, 2, variant_name(dirs[d], c), 1);
            }
        }
    }
    mpz_clears(a, b, t, half, fourteenth, NULL);
}

static void matches_naive_random(void **state)
{
    (void)state;
    rng_seed(0x4e54);
    for (unsigned log_n = 0; log_n <= NAIVE_MAX_LOG; log_n++) {
        size_t n = (size_t)1 << log_n;
        uint8_t *x = alloc_elems(n);
        for (int rep = 0; rep < (log_n < 6 ? 4 : 1); rep++) {
            for (size_t i = 0; i < n; i++)
                random_fr(x + i * FR);
            check_against_naive(x, log_n, "random");
        }
        free(x);
    }
}

static void edge(uint8_t *out, unsigned log_n, size_t which)
{
    bv_error err;
    if (bv_ref_ntt_edge(out, log_n, which, &err) != BV_OK)
        fail_msg("bv_ref_ntt_edge(%u, %zu): %s", log_n, which, err.msg);
}

static void matches_naive_edge(void **state)
{
    (void)state;
    for (unsigned log_n = 0; log_n <= NAIVE_MAX_LOG; log_n++) {
        size_t n = (size_t)1 << log_n;
        uint8_t *x = alloc_elems(n);
        for (size_t e = 0; e < bv_ref_ntt_edge_count(); e++) {
            edge(x, log_n, e);
            check_against_naive(x, log_n, bv_ref_ntt_edge_name(e));
        }
        free(x);
    }
}

/* inverse(forward(x)) = x and forward(inverse(x)) = x, plain and coset, out of place and in
 * place. */
static void round_trips(void **state)
{
    (void)state;
    rng_seed(0x7274);
    for (unsigned log_n = 0; log_n <= ROUND_MAX_LOG; log_n++) {
        size_t n = (size_t)1 << log_n;
        uint8_t *x = alloc_elems(n), *y = alloc_elems(n), *z = alloc_elems(n);
        for (size_t i = 0; i < n; i++)
            random_fr(x + i * FR);
        for (int c = 0; c < 2; c++) {
            for (int d = 0; d < 2; d++) {
                char label[96];
                snprintf(label, sizeof label, "%s then its inverse", variant_name(dirs[d], c));
                ntt(y, x, log_n, dirs[d], c);
                ntt(z, y, log_n, dirs[1 - d], c);
                expect_elems(z, x, n, label, log_n);
                /* in place: out == in */
                memcpy(z, x, n * FR);
                ntt(z, z, log_n, dirs[d], c);
                expect_elems(z, y, n, "in place", log_n);
                ntt(z, z, log_n, dirs[1 - d], c);
                expect_elems(z, x, n, label, log_n);
            }
        }
        free(x);
        free(y);
        free(z);
    }
}

/* At n = 2^16 the O(n^2) transform is too slow, so a few outputs are evaluated one at a time. */
static void large_spot_checks(void **state)
{
    const unsigned log_n = SPOT_LOG;
    size_t n = (size_t)1 << log_n;
    uint8_t *x = alloc_elems(n), *y = alloc_elems(n), want[FR];
    mpz_t v;
    (void)state;
    mpz_init(v);
    rng_seed(0x5b07);
    for (size_t i = 0; i < n; i++)
        random_fr(x + i * FR);
    for (int d = 0; d < 2; d++) {
        for (int c = 0; c < 2; c++) {
            size_t js[] = {0, 1, 2, n / 4, n / 2, n - 1, (size_t)(rng_next() % n)};
            ntt(y, x, log_n, dirs[d], c);
            for (size_t s = 0; s < sizeof js / sizeof js[0]; s++) {
                char label[96];
                naive_at(v, x, log_n, dirs[d], c, js[s]);
                from_z(want, v);
                snprintf(label, sizeof label, "%s, output %zu", variant_name(dirs[d], c), js[s]);
                expect_elems(y + js[s] * FR, want, 1, label, log_n);
            }
        }
    }
    mpz_clear(v);
    free(x);
    free(y);
}

/* ---- edge inputs -------------------------------------------------------------------- */

static void edge_catalogue(void **state)
{
    static const char *const names[] = {"zeros", "one_at_0", "one_at_1", "one_at_n-1", "ones",
                                        "root_powers", "alternating", "all_m-1", "all_mont(m-1)"};
    uint8_t x[8 * FR];
    mpz_t z;
    (void)state;
    mpz_init(z);
    assert_int_equal(bv_ref_ntt_edge_count(), sizeof names / sizeof names[0]);
    for (size_t e = 0; e < bv_ref_ntt_edge_count(); e++) {
        assert_string_equal(bv_ref_ntt_edge_name(e), names[e]);
        for (unsigned log_n = 0; log_n <= 3; log_n++) {
            edge(x, log_n, e);
            for (size_t i = 0; i < ((size_t)1 << log_n); i++) {
                to_z(z, x + i * FR);
                assert_true(mpz_cmp(z, r) < 0);
            }
        }
    }
    assert_null(bv_ref_ntt_edge_name(bv_ref_ntt_edge_count()));
    /* all_m-1 is the largest word, r - 1, everywhere */
    edge(x, 3, 7);
    mpz_sub_ui(z, r, 1);
    for (size_t i = 0; i < 8; i++) {
        mpz_t v;
        mpz_init(v);
        to_z(v, x + i * FR);
        assert_int_equal(mpz_cmp(v, z), 0);
        mpz_clear(v);
    }
    mpz_clear(z);
}

/* The forward transforms of the edge inputs, summed as geometric series by hand (sum_i w^(ik)
 * is n when n divides k, else 0), with "one" the Montgomery form R mod r. */
static void edge_known_answers(void **state)
{
    static const unsigned logs[] = {0, 1, 2, 5, 10};
    mpz_t one, t, w;
    (void)state;
    mpz_inits(one, t, w, NULL);
    mpz_set(one, rmod);
    for (size_t li = 0; li < sizeof logs / sizeof logs[0]; li++) {
        unsigned log_n = logs[li];
        size_t n = (size_t)1 << log_n;
        uint8_t *x = alloc_elems(n), *y = alloc_elems(n), *want = alloc_elems(n);
        bv_ref_ntt_params p;
        params(&p, log_n, false);
        to_z(w, p.root);

        /* spike(v, at): v * one at index `at`, zero elsewhere */
#define SPIKE(mult, at)                                                                    \
    do {                                                                                   \
        memset(want, 0, n * FR);                                                           \
        mpz_mul_ui(t, one, (unsigned long)(mult));                                         \
        mpz_mod(t, t, r);                                                                  \
        from_z(want + (at) * FR, t);                                                       \
    } while (0)

        edge(x, log_n, 0); /* zeros */
        ntt(y, x, log_n, BV_REF_NTT_FORWARD, false);
        memset(want, 0, n * FR);
        expect_elems(y, want, n, "zeros", log_n);

        edge(x, log_n, 1); /* one_at_0: every output one; inverse: every output one/n */
        ntt(y, x, log_n, BV_REF_NTT_FORWARD, false);
        for (size_t j = 0; j < n; j++)
            from_z(want + j * FR, one);
        expect_elems(y, want, n, "one_at_0", log_n);
        ntt(y, x, log_n, BV_REF_NTT_INVERSE, false);
        to_z(t, p.size_inv);
        mpz_mul(t, t, one);
        mpz_mod(t, t, r);
        for (size_t j = 0; j < n; j++)
            from_z(want + j * FR, t);
        expect_elems(y, want, n, "one_at_0 inverse", log_n);

        /* one_at_1: y[j] = w^j; one_at_n-1: y[j] = w^(-j) = w^(j(n-1)) */
        for (int e = 2; e <= 3; e++) {
            edge(x, log_n, (size_t)e);
            ntt(y, x, log_n, BV_REF_NTT_FORWARD, false);
            for (size_t j = 0; j < n; j++) {
                mpz_powm_ui(t, w, (unsigned long)(j * (e == 2 ? 1 % n : n - 1)), r);
                mpz_mul(t, t, one);
                mpz_mod(t, t, r);
                from_z(want + j * FR, t);
            }
            expect_elems(y, want, n, e == 2 ? "one_at_1" : "one_at_n-1", log_n);
        }

        edge(x, log_n, 4); /* ones: n at 0 */
        ntt(y, x, log_n, BV_REF_NTT_FORWARD, false);
        SPIKE(n, 0);
        expect_elems(y, want, n, "ones", log_n);

        edge(x, log_n, 5); /* root_powers: sum_i w^(i(j+1)), n at j = n-1 */
        ntt(y, x, log_n, BV_REF_NTT_FORWARD, false);
        SPIKE(n, n - 1);
        expect_elems(y, want, n, "root_powers", log_n);

        edge(x, log_n, 6); /* alternating: (-1)^i = w^(i n/2), n at n/2 (n = 1: just one) */
        ntt(y, x, log_n, BV_REF_NTT_FORWARD, false);
        SPIKE(n, n / 2);
        expect_elems(y, want, n, "alternating", log_n);

        edge(x, log_n, 7); /* all_m-1: n * (r - 1) = -n at 0 */
        ntt(y, x, log_n, BV_REF_NTT_FORWARD, false);
        memset(want, 0, n * FR);
        mpz_set_ui(t, n);
        mpz_sub(t, r, t);
        from_z(want, t);
        expect_elems(y, want, n, "all_m-1", log_n);

        edge(x, log_n, 8); /* all_mont(m-1): -n * one at 0 */
        ntt(y, x, log_n, BV_REF_NTT_FORWARD, false);
        memset(want, 0, n * FR);
        mpz_mul_ui(t, one, (unsigned long)n);
        mpz_sub(t, r, t);
        mpz_mod(t, t, r);
        from_z(want, t);
        expect_elems(y, want, n, "all_mont(m-1)", log_n);
#undef SPIKE
        free(x);
        free(y);
        free(want);
    }
    mpz_clears(one, t, w, NULL);
}

/* ---- refusals ----------------------------------------------------------------------- */

static void bad_arguments_refused(void **state)
{
    uint8_t x[4 * FR] = {0}, y[4 * FR], keep[4 * FR];
    bv_ref_ntt_params p;
    bv_error err;
    (void)state;

    assert_int_equal(bv_ref_ntt(y, x, 33, BV_REF_NTT_FORWARD, false, &err), BV_ERR_ARG);
    assert_non_null(strstr(err.msg, "two-adicity"));
    assert_non_null(strstr(err.msg, "33"));
    assert_int_equal(bv_ref_ntt(y, x, 40, BV_REF_NTT_INVERSE, true, &err), BV_ERR_ARG);
    assert_int_equal(bv_ref_ntt(y, x, 2, (bv_ref_ntt_dir)2, false, &err), BV_ERR_ARG);
    assert_non_null(strstr(err.msg, "direction"));
    assert_int_equal(bv_ref_ntt(NULL, x, 2, BV_REF_NTT_FORWARD, false, &err), BV_ERR_ARG);
    assert_non_null(strstr(err.msg, "NULL output"));
    assert_int_equal(bv_ref_ntt(y, NULL, 2, BV_REF_NTT_FORWARD, false, &err), BV_ERR_ARG);
    assert_non_null(strstr(err.msg, "NULL input"));

    /* A word equal to r at index 3: refused by index, the output untouched. */
    mpz_t t;
    mpz_init_set(t, r);
    size_t cnt = 0;
    mpz_export(x + 3 * FR, &cnt, -1, 1, 0, 0, t);
    mpz_clear(t);
    memset(y, 0xa5, sizeof y);
    memcpy(keep, y, sizeof y);
    assert_int_equal(bv_ref_ntt(y, x, 2, BV_REF_NTT_FORWARD, false, &err), BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, "element 3"));
    assert_memory_equal(y, keep, sizeof y);
    memset(x + 3 * FR, 0xff, FR); /* 2^256 - 1 */
    assert_int_equal(bv_ref_ntt(y, x, 2, BV_REF_NTT_INVERSE, true, &err), BV_ERR_VALUE);

    assert_int_equal(bv_ref_ntt_params_get(&p, 33, false, &err), BV_ERR_ARG);
    assert_non_null(strstr(err.msg, "two-adicity"));
    assert_int_equal(bv_ref_ntt_params_get(NULL, 3, false, &err), BV_ERR_ARG);
    assert_int_equal(bv_ref_ntt_edge(y, 2, bv_ref_ntt_edge_count(), &err), BV_ERR_ARG);
    assert_non_null(strstr(err.msg, "no edge input"));
    assert_int_equal(bv_ref_ntt_edge(y, 33, 0, &err), BV_ERR_ARG);
    assert_int_equal(bv_ref_ntt_edge(NULL, 2, 0, &err), BV_ERR_ARG);
}

/* The kernels' tables, each element derived here with mpz_powm from this file's own root and
 * shift, in Montgomery form (times 2^256 mod r). */
static void tables_match_definitions(void **state)
{
    (void)state;
    static const char *const names[] = {"twiddles", "twiddles_inv", "coset", "coset_inv_size", "size_inv"};
    static const unsigned sizes[] = {0, 1, 3, 5};
    mpz_t base, v, e, ninv;
    mpz_inits(base, v, e, ninv, NULL);
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        unsigned log_n = sizes[si];
        size_t n = (size_t)1 << log_n;
        mpz_set_ui(ninv, 1);
        mpz_mul_2exp(ninv, ninv, log_n);
        mpz_invert(ninv, ninv, r);
        for (size_t t = 0; t < sizeof names / sizeof names[0]; t++) {
            size_t len = 0, want_len = t < 2 ? n / 2 : t < 4 ? n : 1;
            bv_error err;
            assert_int_equal(bv_ref_ntt_table_len(names[t], log_n, &len, &err), BV_OK);
            assert_int_equal(len, want_len);
            uint8_t *got = calloc(len + 1, FR), want[FR];
            assert_non_null(got);
            if (bv_ref_ntt_table(got, names[t], log_n, &err))
                fail_msg("bv_ref_ntt_table %s 2^%u: %s", names[t], log_n, err.msg);
            if (t < 2) {
                test_root(base, log_n, t == 0 ? BV_REF_NTT_FORWARD : BV_REF_NTT_INVERSE);
            } else {
                mpz_set_ui(base, 7);
                if (t == 3)
                    mpz_invert(base, base, r);
            }
            for (size_t i = 0; i < len; i++) {
                mpz_set_ui(e, i);
                mpz_powm(v, base, e, r);
                if (t >= 3)
                    mpz_mul(v, v, ninv);
                if (t == 4)
                    mpz_set(v, ninv);
                mpz_mul(v, v, rmod);
                mpz_mod(v, v, r);
                from_z(want, v);
                if (memcmp(got + i * FR, want, FR) != 0)
                    fail_msg("table %s at 2^%u: element %zu differs", names[t], log_n, i);
            }
            free(got);
        }
    }
    mpz_clears(base, v, e, ninv, NULL);
    size_t len;
    bv_error err;
    assert_int_equal(bv_ref_ntt_table_len("twiddle", 3, &len, &err), BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, "no table 'twiddle'"));
    assert_int_equal(bv_ref_ntt_table_len("twiddles", 33, &len, &err), BV_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(constants_match_published),
        cmocka_unit_test(constants_satisfy_definitions),
        cmocka_unit_test(known_answers_small),
        cmocka_unit_test(matches_naive_random),
        cmocka_unit_test(matches_naive_edge),
        cmocka_unit_test(round_trips),
        cmocka_unit_test(large_spot_checks),
        cmocka_unit_test(edge_catalogue),
        cmocka_unit_test(edge_known_answers),
        cmocka_unit_test(bad_arguments_refused),
        cmocka_unit_test(tables_match_definitions),
    };
    return cmocka_run_group_tests_name("reference NTT", tests, group_setup, group_teardown);
}
