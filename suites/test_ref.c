/* suites/test_ref.c: tests of reference/ (constants, every op, batch, names, hex).
 * Known answers come from outside the code under test: published constants, python3's
 * integers, algebraic identities, GMP's mpz computed here, and the independent slow path. */
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

#define RANDOM_COUNT 10000
#define MAX_BOUNDARY 64

static const bv_family fields[] = {BV_FAMILY_FP, BV_FAMILY_FR};

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

/* A uniformly random canonical element: random bits up to the modulus's length,
 * redrawn until below it. */
static void random_element(bv_family f, uint8_t *x)
{
    const bv_ref_constants *c = bv_ref_constants_get(f);
    uint8_t top_mask = (uint8_t)(0xffu >> (8 * c->bytes - c->bits));
    do {
        for (unsigned j = 0; j < c->bytes; j += 8) {
            uint64_t w = rng_next();
            for (unsigned k = 0; k < 8; k++)
                x[j + k] = (uint8_t)(w >> (8 * k));
        }
        x[c->bytes - 1] &= top_mask;
    } while (!bv_ref_is_canonical(f, x));
}

static void random_fp2(uint8_t *x);

/* Hex literal to little-endian bytes through mpz, not through the parser under test. */
static void from_hex(bv_family f, uint8_t *out, const char *hex)
{
    mpz_t z;
    size_t n = 0, bytes = bv_ref_family_bytes(f);
    assert_int_equal(mpz_init_set_str(z, hex + 2, 16), 0);
    assert_true(mpz_sizeinbase(z, 2) <= 8 * bytes);
    memset(out, 0, bytes);
    mpz_export(out, &n, -1, 1, 0, 0, z);
    mpz_clear(z);
}

static void to_z(mpz_t out, bv_family f, const uint8_t *x)
{
    mpz_import(out, bv_ref_family_bytes(f), -1, 1, 0, 0, x);
}

static void from_z(bv_family f, uint8_t *out, const mpz_t z)
{
    size_t n = 0, bytes = bv_ref_family_bytes(f);
    assert_true(mpz_sgn(z) >= 0 && mpz_sizeinbase(z, 2) <= 8 * bytes);
    memset(out, 0, bytes);
    mpz_export(out, &n, -1, 1, 0, 0, z);
}

/* Fails with both values in hex, so that a mismatch can be replayed by hand. */
static void expect_equal(bv_family f, const uint8_t *got, const uint8_t *want, const char *what)
{
    size_t bytes = bv_ref_family_bytes(f);
    if (memcmp(got, want, bytes) != 0) {
        char g[BV_REF_MAX_HEX], w[BV_REF_MAX_HEX];
        bv_ref_hex_format(f, got, g);
        bv_ref_hex_format(f, want, w);
        fail_msg("%s %s: got %s, want %s", bv_ref_family_name(f), what, g, w);
    }
}

static void op(bv_family f, bv_op o, uint8_t *out, const uint8_t *x, const uint8_t *y)
{
    bv_ref_op(f, o, out, x, y);
    /* By the output's own size: a curve op's output may be shorter than the family's element. */
    if (bv_ref_slot_bytes(f, o, BV_REF_OUT) ? !bv_ref_slot_canonical(f, o, BV_REF_OUT, out)
                                            : !bv_ref_is_canonical(f, out))
        fail_msg("%s.%s: output not below the modulus", bv_ref_family_name(f), bv_ref_op_name(o));
}

/* Values at the edges of the field and of the limb boundaries, all below m. */
static size_t boundary_values(bv_family f, uint8_t out[][BV_REF_MAX_BYTES])
{
    const bv_ref_constants *c = bv_ref_constants_get(f);
    mpz_t m, v;
    size_t n = 0;
    mpz_inits(m, v, NULL);
    to_z(m, f, c->modulus);

#define ADD_IF_BELOW()                                                                        \
    do {                                                                                      \
        if (mpz_sgn(v) >= 0 && mpz_cmp(v, m) < 0 && n < MAX_BOUNDARY)                         \
            from_z(f, out[n++], v);                                                           \
    } while (0)

    for (unsigned k = 0; k <= 3; k++) { /* 0..3 and m-1..m-3 */
        mpz_set_ui(v, k);
        ADD_IF_BELOW();
        if (k > 0) {
            mpz_sub_ui(v, m, k);
            ADD_IF_BELOW();
        }
    }
    mpz_sub_ui(v, m, 1); /* (m-1)/2 and (m+1)/2 */
    mpz_fdiv_q_2exp(v, v, 1);
    ADD_IF_BELOW();
    mpz_add_ui(v, v, 1);
    ADD_IF_BELOW();
    to_z(v, f, c->r_mod);
    ADD_IF_BELOW();
    mpz_sub(v, m, v); /* -R mod m, the Montgomery form of -1 */
    ADD_IF_BELOW();
    to_z(v, f, c->r2_mod);
    ADD_IF_BELOW();
    to_z(v, f, c->rinv_mod);
    ADD_IF_BELOW();
    for (unsigned b = 32; b < c->bits; b += 32) { /* 2^b - 1, 2^b, 2^b + 1 at every limb edge */
        mpz_set_ui(v, 0);
        mpz_setbit(v, b);
        mpz_sub_ui(v, v, 1);
        ADD_IF_BELOW();
        mpz_add_ui(v, v, 1);
        ADD_IF_BELOW();
        mpz_add_ui(v, v, 1);
        ADD_IF_BELOW();
    }
    mpz_set_ui(v, 0);
    mpz_setbit(v, c->bits - 1);
    ADD_IF_BELOW();
#undef ADD_IF_BELOW
    mpz_clears(m, v, NULL);
    return n;
}

static int group_setup(void **state)
{
    (void)state;
    return test_ref_init();
}

/* ---- constants ---------------------------------------------------------------------- */

/* Published values, typed in here again so that a slip in ref_const.c's table cannot
 * hide itself: R and R^2 mod p from blst (src/consts.h ONE_MONT_P, BLS12_381_RR) and
 * zkcrypto bls12_381 src/fp.rs; R and R^2 mod r from zkcrypto src/scalar.rs; INV values
 * from both. Each was re-checked with python3, e.g. pow(2, 768, p). */
static void constants_match_published(void **state)
{
    uint8_t want[BV_REF_MAX_BYTES];
    const bv_ref_constants *p = bv_ref_constants_get(BV_FAMILY_FP);
    const bv_ref_constants *r = bv_ref_constants_get(BV_FAMILY_FR);
    (void)state;
    assert_non_null(p);
    assert_non_null(r);

    assert_int_equal(p->family, BV_FAMILY_FP);
    assert_int_equal(p->bits, 381);
    assert_int_equal(p->bytes, 48);
    assert_int_equal(p->limbs32, 12);
    assert_int_equal(p->limbs64, 6);
    assert_int_equal(p->r_bits, 384);
    from_hex(BV_FAMILY_FP, want,
             "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9"
             "feffffffffaaab");
    expect_equal(BV_FAMILY_FP, p->modulus, want, "modulus");
    from_hex(BV_FAMILY_FP, want,
             "0x15f65ec3fa80e4935c071a97a256ec6d77ce5853705257455f48985753c758baebf4000bc40c0002"
             "760900000002fffd");
    expect_equal(BV_FAMILY_FP, p->r_mod, want, "R mod p");
    from_hex(BV_FAMILY_FP, want,
             "0x11988fe592cae3aa9a793e85b519952d67eb88a9939d83c08de5476c4c95b6d50a76e6a609d104f1"
             "f4df1f341c341746");
    expect_equal(BV_FAMILY_FP, p->r2_mod, want, "R^2 mod p");
    assert_true(p->minv64 == 0x89f3fffcfffcfffdull);
    assert_true(p->minv32 == 0xfffcfffdu);

    assert_int_equal(r->family, BV_FAMILY_FR);
    assert_int_equal(r->bits, 255);
    assert_int_equal(r->bytes, 32);
    assert_int_equal(r->limbs32, 8);
    assert_int_equal(r->limbs64, 4);
    assert_int_equal(r->r_bits, 256);
    from_hex(BV_FAMILY_FR, want,
             "0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001");
    expect_equal(BV_FAMILY_FR, r->modulus, want, "modulus");
    from_hex(BV_FAMILY_FR, want,
             "0x1824b159acc5056f998c4fefecbc4ff55884b7fa0003480200000001fffffffe");
    expect_equal(BV_FAMILY_FR, r->r_mod, want, "R mod r");
    from_hex(BV_FAMILY_FR, want,
             "0x0748d9d99f59ff1105d314967254398f2b6cedcb87925c23c999e990f3f29c6d");
    expect_equal(BV_FAMILY_FR, r->r2_mod, want, "R^2 mod r");
    assert_true(r->minv64 == 0xfffffffeffffffffull);
    assert_true(r->minv32 == 0xffffffffu);

    assert_null(bv_ref_constants_get((bv_family)BV_FAMILY_COUNT));
}

/* The constants' defining equations, checked with mpz and plain C arithmetic. */
static void constants_satisfy_definitions(void **state)
{
    mpz_t m, t, u;
    (void)state;
    mpz_inits(m, t, u, NULL);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        bv_family f = fields[i];
        const bv_ref_constants *c = bv_ref_constants_get(f);
        to_z(m, f, c->modulus);
        assert_int_equal(mpz_sizeinbase(m, 2), c->bits);
        assert_true(mpz_probab_prime_p(m, 25) > 0);

        mpz_set_ui(t, 0); /* R mod m */
        mpz_setbit(t, c->r_bits);
        mpz_mod(t, t, m);
        to_z(u, f, c->r_mod);
        assert_int_equal(mpz_cmp(t, u), 0);
        mpz_mul(t, t, t); /* R^2 mod m */
        mpz_mod(t, t, m);
        to_z(u, f, c->r2_mod);
        assert_int_equal(mpz_cmp(t, u), 0);
        to_z(t, f, c->r_mod); /* R * R^-1 = 1 mod m */
        to_z(u, f, c->rinv_mod);
        mpz_mul(t, t, u);
        mpz_mod(t, t, m);
        assert_int_equal(mpz_cmp_ui(t, 1), 0);
        assert_true(mpz_cmp(u, m) < 0);

        uint64_t m0 = 0;
        for (int b = 7; b >= 0; b--)
            m0 = (m0 << 8) | c->modulus[b];
        assert_true((uint64_t)(m0 * c->minv64) == UINT64_MAX);
        assert_true((uint32_t)(m0 * c->minv32) == UINT32_MAX);
    }
    mpz_clears(m, t, u, NULL);
}

static void init_is_idempotent(void **state)
{
    bv_error err;
    (void)state;
    const bv_ref_constants *before = bv_ref_constants_get(BV_FAMILY_FP);
    assert_int_equal(bv_ref_init(&err), BV_OK);
    assert_int_equal(bv_ref_init(NULL), BV_OK);
    assert_ptr_equal(bv_ref_constants_get(BV_FAMILY_FP), before);
}

/* ---- names -------------------------------------------------------------------------- */

static void names_round_trip(void **state)
{
    static const char *const op_names[] = {"add", "sub", "neg",     "dbl",
                                           "mul", "sqr", "to_mont", "from_mont",
                                           "conj", "mul_by_nonresidue", "inv", "madd", "smul",
                                           "to_affine", "ntt", "intt", "ntt_coset", "intt_coset", "msm"};
    static const unsigned arity[] = {2, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 2};
    _Static_assert(sizeof arity / sizeof arity[0] == BV_OP_COUNT, "one arity per op");
    bv_family f;
    bv_op o;
    (void)state;

    assert_string_equal(bv_ref_family_name(BV_FAMILY_FP), "fp");
    assert_string_equal(bv_ref_family_name(BV_FAMILY_FR), "fr");
    assert_string_equal(bv_ref_family_name(BV_FAMILY_FP2), "fp2");
    assert_string_equal(bv_ref_family_name(BV_FAMILY_G1), "g1");
    assert_string_equal(bv_ref_family_name(BV_FAMILY_G2), "g2");
    assert_string_equal(bv_ref_family_name((bv_family)7), "unknown");
    assert_int_equal(bv_ref_family_parse("fp2", &f), BV_OK);
    assert_int_equal(f, BV_FAMILY_FP2);
    assert_int_equal(bv_ref_family_parse("fp", &f), BV_OK);
    assert_int_equal(f, BV_FAMILY_FP);
    assert_int_equal(bv_ref_family_parse("fr", &f), BV_OK);
    assert_int_equal(f, BV_FAMILY_FR);
    assert_int_equal(bv_ref_family_parse("fq", &f), BV_ERR_VALUE);
    assert_int_equal(bv_ref_family_parse("", &f), BV_ERR_VALUE);
    assert_int_equal(bv_ref_family_parse("fp ", &f), BV_ERR_VALUE);
    assert_int_equal(bv_ref_family_parse(NULL, &f), BV_ERR_ARG);
    assert_int_equal(bv_ref_family_bytes(BV_FAMILY_FP), 48);
    assert_int_equal(bv_ref_family_bytes(BV_FAMILY_FR), 32);
    assert_int_equal(bv_ref_family_bytes(BV_FAMILY_FP2), 96);
    assert_int_equal(bv_ref_family_bytes(BV_FAMILY_G1), 144);
    assert_int_equal(bv_ref_family_bytes(BV_FAMILY_G2), 288);
    assert_int_equal(bv_ref_family_bytes(BV_FAMILY_COUNT), 0);

    for (int i = 0; i < BV_OP_COUNT; i++) {
        assert_string_equal(bv_ref_op_name((bv_op)i), op_names[i]);
        assert_int_equal(bv_ref_op_parse(op_names[i], &o), BV_OK);
        assert_int_equal(o, i);
        assert_int_equal(bv_ref_op_arity((bv_op)i), arity[i]);
    }
    /* The workloads: no family's elementwise op, each the workload of one family. */
    for (int i = 0; i < BV_OP_COUNT; i++) {
        bool wl = i >= BV_OP_NTT;
        assert_int_equal(bv_ref_op_is_workload((bv_op)i), wl);
        assert_int_equal(bv_ref_workload_family((bv_op)i),
                         !wl ? BV_FAMILY_COUNT : i == BV_OP_MSM ? BV_FAMILY_G1 : BV_FAMILY_FR);
        for (int fam = 0; wl && fam < BV_FAMILY_COUNT; fam++)
            assert_null(bv_ref_family_op((bv_family)fam, (bv_op)i));
    }
    assert_string_equal(bv_ref_op_name(BV_OP_COUNT), "unknown");
    assert_int_equal(bv_ref_op_arity(BV_OP_COUNT), 0);
    assert_int_equal(bv_ref_op_parse("div", &o), BV_ERR_VALUE);
    assert_int_equal(bv_ref_op_parse("MUL", &o), BV_ERR_VALUE);
    assert_int_equal(bv_ref_op_parse(NULL, &o), BV_ERR_ARG);
}

/* ---- family table ------------------------------------------------------------------- */

/* Every entry agrees with the op-level facts and the sizes fixed by the kernel ABI. */
static void family_table_describes_ops(void **state)
{
    static const bv_op field_ops[] = {BV_OP_ADD, BV_OP_SUB,     BV_OP_NEG,       BV_OP_DBL,
                                      BV_OP_MUL, BV_OP_SQR,     BV_OP_TO_MONT,   BV_OP_FROM_MONT,
                                      BV_OP_INV};
    (void)state;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        bv_family f = fields[i];
        const bv_ref_family_info *fam = bv_ref_family(f);
        size_t bytes = bv_ref_constants_get(f)->bytes;
        unsigned products = 0, sums = 0;
        assert_non_null(fam);
        assert_int_equal(fam->family, f);
        assert_string_equal(fam->name, bv_ref_family_name(f));
        assert_int_equal(bytes, bv_ref_family_bytes(f));
        /* A field lists the ops add to from_mont, in the enum's order (the case-list order),
         * then inv, and is its own base. */
        assert_int_equal(fam->nops, sizeof field_ops / sizeof field_ops[0]);
        assert_int_equal(fam->base, f);
        assert_int_equal(fam->parts, 1);
        for (size_t k = 0; k < fam->nops; k++) {
            const bv_ref_op_info *e = &fam->ops[k];
            bv_op parsed;
            assert_int_equal(e->op, field_ops[k]);
            assert_int_equal(bv_ref_op_parse(bv_ref_op_name(e->op), &parsed), BV_OK);
            assert_int_equal(parsed, e->op);
            assert_int_equal(e->arity, bv_ref_op_arity(e->op));
            assert_int_equal(e->in_bytes[0], bytes);
            assert_int_equal(e->in_bytes[1], e->arity == 2 ? bytes : 0);
            assert_int_equal(e->out_bytes, bytes);
            assert_ptr_equal(bv_ref_family_op(f, e->op), e);
            if (e->tags & BV_REF_TAG_PRODUCT) {
                products++;
                assert_int_equal(e->op, BV_OP_MUL);
            }
            if (e->tags & BV_REF_TAG_SUM) {
                sums++;
                assert_int_equal(e->op, BV_OP_ADD);
            }
            assert_int_equal(e->tags & ~(BV_REF_TAG_PRODUCT | BV_REF_TAG_SUM), 0);
        }
        assert_int_equal(products, 1);
        assert_int_equal(sums, 1);
        assert_null(bv_ref_family_op(f, BV_OP_COUNT));
        assert_null(bv_ref_family_op(f, BV_OP_CONJ));
    }
    /* Fp2: two Fp elements, its own ops with conj and mul_by_nonresidue, no constants. */
    const bv_ref_family_info *fam = bv_ref_family(BV_FAMILY_FP2);
    static const bv_op fp2_ops[] = {BV_OP_ADD, BV_OP_SUB, BV_OP_NEG,  BV_OP_DBL,
                                    BV_OP_MUL, BV_OP_SQR, BV_OP_CONJ, BV_OP_MUL_BY_NONRESIDUE,
                                    BV_OP_INV};
    assert_non_null(fam);
    assert_string_equal(fam->name, "fp2");
    assert_int_equal(fam->base, BV_FAMILY_FP);
    assert_int_equal(fam->parts, 2);
    assert_null(bv_ref_constants_get(BV_FAMILY_FP2));
    assert_int_equal(fam->nops, sizeof fp2_ops / sizeof fp2_ops[0]);
    for (size_t k = 0; k < fam->nops; k++) {
        const bv_ref_op_info *e = &fam->ops[k];
        assert_int_equal(e->op, fp2_ops[k]);
        assert_int_equal(e->arity, bv_ref_op_arity(e->op));
        assert_int_equal(e->in_bytes[0], 96);
        assert_int_equal(e->in_bytes[1], e->arity == 2 ? 96 : 0);
        assert_int_equal(e->out_bytes, 96);
        assert_int_equal(e->tags, e->op == BV_OP_MUL ? BV_REF_TAG_PRODUCT
                                  : e->op == BV_OP_ADD ? BV_REF_TAG_SUM : 0);
    }
    assert_null(bv_ref_family_op(BV_FAMILY_FP2, BV_OP_TO_MONT));
    assert_null(bv_ref_family(BV_FAMILY_COUNT));
    assert_null(bv_ref_family((bv_family)-1));
    assert_null(bv_ref_family_op(BV_FAMILY_COUNT, BV_OP_ADD));
}

/* equal tells outputs apart by any one byte; valid_input stops exactly at the modulus. */
static void family_equal_and_valid_input(void **state)
{
    uint8_t a[BV_REF_MAX_BYTES], b[BV_REF_MAX_BYTES], m1[BV_REF_MAX_BYTES];
    mpz_t z;
    (void)state;
    rng_seed(0xe9a1);
    mpz_init(z);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        bv_family f = fields[i];
        const bv_ref_family_info *fam = bv_ref_family(f);
        const bv_ref_constants *c = bv_ref_constants_get(f);
        to_z(z, f, c->modulus);
        mpz_sub_ui(z, z, 1);
        from_z(f, m1, z);
        for (size_t k = 0; k < fam->nops; k++) {
            const bv_ref_op_info *e = &fam->ops[k];
            random_element(f, a);
            memcpy(b, a, e->out_bytes);
            assert_true(fam->equal(e->op, a, b));
            for (size_t j = 0; j < e->out_bytes; j++) {
                b[j] ^= 0x01;
                if (fam->equal(e->op, a, b))
                    fail_msg("%s.%s: equal accepts outputs that differ in byte %zu", fam->name,
                             bv_ref_op_name(e->op), j);
                b[j] ^= 0x01;
            }
            for (unsigned in = 0; in < e->arity; in++) {
                if (fam->valid_input(e->op, in, c->modulus))
                    fail_msg("%s.%s: input %u accepts the modulus", fam->name,
                             bv_ref_op_name(e->op), in);
                if (!fam->valid_input(e->op, in, m1))
                    fail_msg("%s.%s: input %u rejects the modulus - 1", fam->name,
                             bv_ref_op_name(e->op), in);
                assert_true(fam->valid_input(e->op, in, a));
            }
        }
    }
    mpz_clear(z);
}

/* ---- hex ---------------------------------------------------------------------------- */

static void hex_parse_accepts(void **state)
{
    uint8_t x[BV_REF_MAX_BYTES], want[BV_REF_MAX_BYTES];
    char text[512];
    bv_error err;
    (void)state;

    memset(want, 0, sizeof want);
    assert_int_equal(bv_ref_hex_parse(BV_FAMILY_FP, "0x0", true, x, &err), BV_OK);
    expect_equal(BV_FAMILY_FP, x, want, "0x0");
    want[0] = 0xef;
    want[1] = 0xcd;
    want[2] = 0xab;
    assert_int_equal(bv_ref_hex_parse(BV_FAMILY_FR, "0XaBcDeF", true, x, &err), BV_OK);
    expect_equal(BV_FAMILY_FR, x, want, "mixed case");

    /* any number of leading zeros, well past the field's width */
    strcpy(text, "0x");
    memset(text + 2, '0', 300);
    strcpy(text + 302, "abcdef");
    assert_int_equal(bv_ref_hex_parse(BV_FAMILY_FR, text, true, x, &err), BV_OK);
    expect_equal(BV_FAMILY_FR, x, want, "300 leading zeros");

    /* m - 1 is canonical; m and 2^384 - 1 fit the bytes and pass when canonical is not
     * required (non-canonical inputs for negative tests) */
    const char *pm1 = "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfff"
                      "eb153ffffb9feffffffffaaaa";
    assert_int_equal(bv_ref_hex_parse(BV_FAMILY_FP, pm1, true, x, &err), BV_OK);
    from_hex(BV_FAMILY_FP, want, pm1);
    expect_equal(BV_FAMILY_FP, x, want, "p - 1");
    const char *p = "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffe"
                    "b153ffffb9feffffffffaaab";
    assert_int_equal(bv_ref_hex_parse(BV_FAMILY_FP, p, false, x, &err), BV_OK);
    expect_equal(BV_FAMILY_FP, x, bv_ref_constants_get(BV_FAMILY_FP)->modulus, "p");
    strcpy(text, "0x");
    memset(text + 2, 'F', 96);
    text[98] = '\0';
    assert_int_equal(bv_ref_hex_parse(BV_FAMILY_FP, text, false, x, &err), BV_OK);
    memset(want, 0xff, sizeof want);
    expect_equal(BV_FAMILY_FP, x, want, "2^384 - 1");
}

static void expect_reject(bv_family f, const char *text, bool canonical, bv_status status,
                          const char *msg_part)
{
    uint8_t x[BV_REF_MAX_BYTES], before[BV_REF_MAX_BYTES];
    bv_error err;
    memset(x, 0x5a, sizeof x);
    memcpy(before, x, sizeof x);
    bv_error_clear(&err);
    bv_status st = bv_ref_hex_parse(f, text, canonical, x, &err);
    if (st != status)
        fail_msg("parse of \"%s\": status %s, want %s (%s)", text, bv_status_name(st),
                 bv_status_name(status), err.msg);
    assert_int_equal(err.status, status);
    if (!strstr(err.msg, msg_part))
        fail_msg("parse of \"%s\": message \"%s\" lacks \"%s\"", text, err.msg, msg_part);
    assert_memory_equal(x, before, sizeof x); /* a failed parse leaves the output alone */
}

static void hex_parse_rejects(void **state)
{
    char text[512];
    (void)state;

    expect_reject(BV_FAMILY_FP, "", true, BV_ERR_PARSE, "does not start with \"0x\"");
    expect_reject(BV_FAMILY_FP, "12", true, BV_ERR_PARSE, "does not start with \"0x\"");
    expect_reject(BV_FAMILY_FP, "x12", true, BV_ERR_PARSE, "does not start with \"0x\"");
    expect_reject(BV_FAMILY_FP, "0y12", true, BV_ERR_PARSE, "does not start with \"0x\"");
    expect_reject(BV_FAMILY_FP, " 0x12", true, BV_ERR_PARSE, "does not start with \"0x\"");
    expect_reject(BV_FAMILY_FP, "0x", true, BV_ERR_PARSE, "no hex digits");
    expect_reject(BV_FAMILY_FR, "0X", false, BV_ERR_PARSE, "no hex digits");
    expect_reject(BV_FAMILY_FP, "0x123g", true, BV_ERR_PARSE, "not a hex digit 'g' at position 5");
    expect_reject(BV_FAMILY_FP, "0x0x12", true, BV_ERR_PARSE, "not a hex digit 'x' at position 3");
    expect_reject(BV_FAMILY_FP, "0x12 ", true, BV_ERR_PARSE, "not a hex digit ' ' at position 4");
    expect_reject(BV_FAMILY_FP, "0x-1", true, BV_ERR_PARSE, "not a hex digit '-' at position 2");
    expect_reject(BV_FAMILY_FR, "0x1\n", true, BV_ERR_PARSE, "(byte 0x0a) at position 3");

    /* too wide for the bytes: 2^384 for fp (385 bits), 2^256 for fr, with leading zeros
     * not counted */
    strcpy(text, "0x0001");
    memset(text + 6, '0', 96);
    text[102] = '\0';
    expect_reject(BV_FAMILY_FP, text, false, BV_ERR_VALUE,
                  "value has 385 bits, more than the 384 that fp's 48 bytes hold");
    strcpy(text, "0x1");
    memset(text + 3, '0', 64);
    text[67] = '\0';
    expect_reject(BV_FAMILY_FR, text, false, BV_ERR_VALUE,
                  "value has 257 bits, more than the 256 that fr's 32 bytes hold");

    /* fits the bytes but not below the modulus */
    const char *p = "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffe"
                    "b153ffffb9feffffffffaaab";
    expect_reject(BV_FAMILY_FP, p, true, BV_ERR_VALUE, "value is not below the modulus of fp");
    expect_reject(BV_FAMILY_FR, "0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000002",
                  true, BV_ERR_VALUE, "value is not below the modulus of fr");
    strcpy(text, "0x4"); /* 4 * 16^95 = 2^382: 383 bits */
    memset(text + 3, '0', 95);
    text[98] = '\0';
    expect_reject(BV_FAMILY_FP, text, true, BV_ERR_VALUE,
                  "value has 383 bits, more than fp's 381, so it is not below the modulus");

    uint8_t x[BV_REF_MAX_BYTES];
    bv_error err;
    assert_int_equal(bv_ref_hex_parse(BV_FAMILY_FP, NULL, true, x, &err), BV_ERR_ARG);
    assert_int_equal(bv_ref_hex_parse((bv_family)5, "0x1", true, x, &err), BV_ERR_ARG);
}

static void hex_round_trips(void **state)
{
    uint8_t x[BV_REF_MAX_BYTES], back[BV_REF_MAX_BYTES];
    char text[BV_REF_MAX_HEX];
    bv_error err;
    (void)state;
    rng_seed(0x4e58);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        bv_family f = fields[i];
        size_t bytes = bv_ref_family_bytes(f);
        for (int k = 0; k < 1000; k++) {
            random_element(f, x);
            bv_ref_hex_format(f, x, text);
            assert_int_equal(strlen(text), 2 + 2 * bytes);
            assert_true(text[0] == '0' && text[1] == 'x');
            for (size_t j = 2; text[j]; j++)
                assert_true((text[j] >= '0' && text[j] <= '9') || (text[j] >= 'a' && text[j] <= 'f'));
            assert_int_equal(bv_ref_hex_parse(f, text, true, back, &err), BV_OK);
            expect_equal(f, back, x, "hex round trip");
        }
    }
    memset(x, 0, sizeof x);
    x[0] = 1;
    bv_ref_hex_format(BV_FAMILY_FR, x, text);
    assert_string_equal(text, "0x0000000000000000000000000000000000000000000000000000000000000001");
}

static void mpz_conversions(void **state)
{
    uint8_t x[BV_REF_MAX_BYTES], back[BV_REF_MAX_BYTES];
    mpz_t z;
    bv_error err;
    (void)state;
    mpz_init(z);
    rng_seed(77);
    random_element(BV_FAMILY_FP, x);
    bv_ref_to_mpz(z, BV_FAMILY_FP, x);
    assert_int_equal(bv_ref_from_mpz(back, BV_FAMILY_FP, z, &err), BV_OK);
    expect_equal(BV_FAMILY_FP, back, x, "mpz round trip");
    mpz_set_si(z, -1);
    assert_int_equal(bv_ref_from_mpz(back, BV_FAMILY_FP, z, &err), BV_ERR_VALUE);
    mpz_set_ui(z, 0);
    mpz_setbit(z, 256);
    assert_int_equal(bv_ref_from_mpz(back, BV_FAMILY_FR, z, &err), BV_ERR_VALUE);
    assert_int_equal(bv_ref_from_mpz(back, BV_FAMILY_FP, z, &err), BV_OK);
    mpz_clear(z);
}

/* ---- ops ---------------------------------------------------------------------------- */

/* Products worked out with python3's integers, e.g. for fp:
 *   p = 0x1a01...aaab; ip = pow(2**384, -1, p)
 *   hex(gx * gy * ip % p), hex(gy * gy * ip % p), hex(gx * 2**384 % p), hex(gy * ip % p),
 *   hex((p-1) * (p-2) * ip % p), hex(pow(gx, -1, p) * 2**768 % p)
 * with gx, gy the coordinates of the standard G1 generator; for fr likewise with
 * ir = pow(2**256, -1, r) and a, b from random.seed(20261125); random.randrange(r). */
typedef struct known {
    bv_family f;
    bv_op op;
    const char *x, *y, *want;
} known;

#define FP_GX "0x17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"
#define FP_GY "0x08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1"
#define FP_PM1 "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaaa"
#define FP_PM2 "0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaa9"
#define FR_A "0x06eb5196c059f534d7bfc82d73d9c8699fddb5fef12177094c1d5c6a1f99f50d"
#define FR_B "0x6e8e42724fa930d7c1ace0d9a2729d41d9f0b7c0e6f6dabf9c86269bdefda9aa"
#define FR_RM1 "0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000"

static const known knowns[] = {
    {BV_FAMILY_FP, BV_OP_MUL, FP_GX, FP_GY,
     "0x0cf1bca5086335bb5f2c0f157e929acb2658537825b1fffab5a577f388f4c0e442f4a29908a09720297f82d514e9b271"},
    {BV_FAMILY_FP, BV_OP_SQR, FP_GY, NULL,
     "0x0d5b73e8b040b146874ac200f0807bd674a8d38724ac4e3eb770df22b306b4b0f1fd5a5881da6490db785685f3d8d84a"},
    {BV_FAMILY_FP, BV_OP_TO_MONT, FP_GX, NULL,
     "0x120177419e0bfb75edce6ecc21dbf440f0ae6acdf3d0e747154f95c7143ba1c17817fc679976fff55cb38790fd530c16"},
    {BV_FAMILY_FP, BV_OP_FROM_MONT, FP_GY, NULL,
     "0x0f4471af8e34e4ab618ce6d05410c27469cc1f5622e1132b841b0df017413b945fe25b7697ee39181803863025e578c5"},
    {BV_FAMILY_FP, BV_OP_MUL, FP_PM1, FP_PM2,
     "0x0ffc7c19987633398fa120983552fa3ecab80aa3bdcc0913014c80513279e56ce11624eaffddf5f82fa804b27016e595"},
    {BV_FAMILY_FR, BV_OP_MUL, FR_A, FR_B,
     "0x69abb0c75c1ab6c0e8b91351aebd2bad6e64e91597f7a1da08cf899298c39ccb"},
    {BV_FAMILY_FR, BV_OP_SQR, FR_A, NULL,
     "0x2ca3f58fb51ecfef7f5a04071da99b21ab96b678636a8eea7c7df9a869b6a575"},
    {BV_FAMILY_FR, BV_OP_TO_MONT, FR_B, NULL,
     "0x251a969eefaf9537f9168bd425bc441743e28a65a5e6fe85cbc62460bb67fac1"},
    {BV_FAMILY_FR, BV_OP_FROM_MONT, FR_A, NULL,
     "0x1cbd731bca592490574a915eea64832e8160766cd7db1a10801ce1a4bea67521"},
    {BV_FAMILY_FR, BV_OP_MUL, FR_RM1, "0x07",
     "0x25a5a0a00336ad2c48577b47e701a31ff76cbe1cbaf5a564743c80180ac7be42"},
    {BV_FAMILY_FP, BV_OP_INV, FP_GX, NULL,
     "0x173e8d41f076d7e77bbef11ee2e67a40b2876d0c1c8e5e7f86e5716d0a0b2d741138d0429f4c75237caf421aac811830"},
    {BV_FAMILY_FR, BV_OP_INV, FR_A, NULL,
     "0x535b7ab3f3d1f0b6159a8314a56c50d0a30efed6cc4770202079bd816a3245e6"},
};

static void known_answers(void **state)
{
    uint8_t x[BV_REF_MAX_BYTES], y[BV_REF_MAX_BYTES], want[BV_REF_MAX_BYTES];
    uint8_t got[BV_REF_MAX_BYTES];
    (void)state;
    for (size_t i = 0; i < sizeof knowns / sizeof knowns[0]; i++) {
        const known *k = &knowns[i];
        from_hex(k->f, x, k->x);
        if (k->y)
            from_hex(k->f, y, k->y);
        from_hex(k->f, want, k->want);
        op(k->f, k->op, got, x, k->y ? y : NULL);
        expect_equal(k->f, got, want, bv_ref_op_name(k->op));
        bv_ref_op_slow(k->f, k->op, got, x, k->y ? y : NULL);
        expect_equal(k->f, got, want, "slow path");
    }
}

/* Identities that hold for every x, y, checked on RANDOM_COUNT seeded pairs, with the
 * plain-integer results computed here with mpz. */
static void identities_hold(void **state)
{
    uint8_t x[BV_REF_MAX_BYTES], y[BV_REF_MAX_BYTES], a[BV_REF_MAX_BYTES], b[BV_REF_MAX_BYTES];
    uint8_t c[BV_REF_MAX_BYTES], d[BV_REF_MAX_BYTES], zero[BV_REF_MAX_BYTES] = {0};
    uint8_t one[BV_REF_MAX_BYTES] = {1};
    mpz_t m, zx, zy, zr;
    (void)state;
    mpz_inits(m, zx, zy, zr, NULL);
    rng_seed(20261125);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        bv_family f = fields[i];
        const bv_ref_constants *k = bv_ref_constants_get(f);
        to_z(m, f, k->modulus);
        for (int n = 0; n < RANDOM_COUNT; n++) {
            random_element(f, x);
            random_element(f, y);
            to_z(zx, f, x);
            to_z(zy, f, y);

            /* mul(to_mont x, to_mont y) = to_mont(x*y mod m) */
            op(f, BV_OP_TO_MONT, a, x, NULL);
            op(f, BV_OP_TO_MONT, b, y, NULL);
            op(f, BV_OP_MUL, c, a, b);
            mpz_mul(zr, zx, zy);
            mpz_mod(zr, zr, m);
            from_z(f, d, zr);
            op(f, BV_OP_TO_MONT, d, d, NULL);
            expect_equal(f, c, d, "mul(to_mont x, to_mont y) vs to_mont(x*y)");
            /* to_mont x = x * 2^r_bits mod m */
            mpz_mul_2exp(zr, zx, k->r_bits);
            mpz_mod(zr, zr, m);
            from_z(f, d, zr);
            expect_equal(f, a, d, "to_mont vs x*R mod m");
            /* from_mont(to_mont x) = x and back */
            op(f, BV_OP_FROM_MONT, c, a, NULL);
            expect_equal(f, c, x, "from_mont(to_mont x)");
            op(f, BV_OP_FROM_MONT, c, x, NULL);
            op(f, BV_OP_TO_MONT, c, c, NULL);
            expect_equal(f, c, x, "to_mont(from_mont x)");
            /* mul by R mod m is the identity, by 1 is from_mont, by R^2 is to_mont */
            op(f, BV_OP_MUL, c, x, k->r_mod);
            expect_equal(f, c, x, "mul(x, R)");
            op(f, BV_OP_MUL, c, x, one);
            op(f, BV_OP_FROM_MONT, d, x, NULL);
            expect_equal(f, c, d, "mul(x, 1) vs from_mont");
            op(f, BV_OP_MUL, c, x, k->r2_mod);
            expect_equal(f, c, a, "mul(x, R^2) vs to_mont");
            /* commutativity, sqr = mul(x, x) */
            op(f, BV_OP_MUL, c, x, y);
            op(f, BV_OP_MUL, d, y, x);
            expect_equal(f, c, d, "mul commutes");
            op(f, BV_OP_SQR, c, x, NULL);
            op(f, BV_OP_MUL, d, x, x);
            expect_equal(f, c, d, "sqr vs mul(x, x)");

            /* add against mpz, sub(add(x, y), y) = x, commutativity */
            op(f, BV_OP_ADD, a, x, y);
            mpz_add(zr, zx, zy);
            mpz_mod(zr, zr, m);
            from_z(f, d, zr);
            expect_equal(f, a, d, "add vs (x+y) mod m");
            op(f, BV_OP_ADD, c, y, x);
            expect_equal(f, a, c, "add commutes");
            op(f, BV_OP_SUB, c, a, y);
            expect_equal(f, c, x, "sub(add(x, y), y)");
            /* sub against mpz and as add(x, neg y) */
            op(f, BV_OP_SUB, a, x, y);
            mpz_sub(zr, zx, zy);
            mpz_mod(zr, zr, m);
            from_z(f, d, zr);
            expect_equal(f, a, d, "sub vs (x-y) mod m");
            op(f, BV_OP_NEG, c, y, NULL);
            op(f, BV_OP_ADD, c, x, c);
            expect_equal(f, a, c, "sub vs add(x, neg y)");
            /* neg(neg x) = x, x + neg x = 0 */
            op(f, BV_OP_NEG, a, x, NULL);
            op(f, BV_OP_NEG, c, a, NULL);
            expect_equal(f, c, x, "neg(neg x)");
            op(f, BV_OP_ADD, c, x, a);
            expect_equal(f, c, zero, "x + neg x");
            /* dbl x = add(x, x) */
            op(f, BV_OP_DBL, a, x, NULL);
            op(f, BV_OP_ADD, c, x, x);
            expect_equal(f, a, c, "dbl vs add(x, x)");
        }
        /* neg 0 = 0, not m */
        op(f, BV_OP_NEG, c, zero, NULL);
        expect_equal(f, c, zero, "neg 0");
    }
    mpz_clears(m, zx, zy, zr, NULL);
}

/* inv in Montgomery form against answers worked out by hand: x = a R stands for a, the output
 * is a^-1 R. inv(mont 1) = mont 1, inv(mont 2) = mont((m+1)/2) (the half of 1: 2 (m+1)/2 =
 * m + 1 = 1), inv(mont -1) = mont -1, inv(0) = 0; the raw integer 1 stands for R^-1, so its
 * inverse is R, R^2 mod m in Montgomery form. Then mul(x, inv x) = mont 1 and inv(inv x) = x on
 * random x, and the slow path on each. */
static void inv_known_answers(void **state)
{
    static const char *const halves[] = {
        /* (p+1)/2 and (r+1)/2, halved by hand from the moduli's last digits (...aaab + 1 and
         * ...0001 + 1) */
        "0x0d0088f51cbff34d258dd3db21a5d66bb23ba5c279c2895fb39869507b587b120f55ffff58a9ffffdcff7fffffffd556",
        "0x39f6d3a994cebea4199cec0404d0ec02a9ded2017fff2dff7fffffff80000001"};
    uint8_t x[BV_REF_MAX_BYTES], a[BV_REF_MAX_BYTES], b[BV_REF_MAX_BYTES],
        want[BV_REF_MAX_BYTES], zero[BV_REF_MAX_BYTES] = {0}, one[BV_REF_MAX_BYTES] = {1};
    mpz_t m, z;
    (void)state;
    mpz_inits(m, z, NULL);
    rng_seed(0x1e5e);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        bv_family f = fields[i];
        const bv_ref_constants *k = bv_ref_constants_get(f);
        to_z(m, f, k->modulus);
        /* inv(mont 1) = mont 1, inv(0) = 0, inv(1) = R^2 */
        op(f, BV_OP_INV, a, k->r_mod, NULL);
        expect_equal(f, a, k->r_mod, "inv(mont 1)");
        op(f, BV_OP_INV, a, zero, NULL);
        expect_equal(f, a, zero, "inv 0");
        op(f, BV_OP_INV, a, one, NULL);
        expect_equal(f, a, k->r2_mod, "inv(1) = R^2");
        /* inv(mont 2) = mont((m+1)/2) */
        mpz_set_ui(z, 2);
        from_z(f, x, z);
        op(f, BV_OP_TO_MONT, x, x, NULL);
        from_hex(f, want, halves[i]);
        op(f, BV_OP_TO_MONT, want, want, NULL);
        op(f, BV_OP_INV, a, x, NULL);
        expect_equal(f, a, want, "inv(mont 2) = mont((m+1)/2)");
        /* inv(mont -1) = mont -1 */
        mpz_sub(z, m, z);
        mpz_add_ui(z, z, 1);
        from_z(f, x, z);
        op(f, BV_OP_TO_MONT, x, x, NULL);
        op(f, BV_OP_INV, a, x, NULL);
        expect_equal(f, a, x, "inv(mont -1)");
        for (int n = 0; n < 1000; n++) {
            random_element(f, x);
            op(f, BV_OP_INV, a, x, NULL);
            op(f, BV_OP_MUL, b, x, a);
            expect_equal(f, b, k->r_mod, "mul(x, inv x) = mont 1");
            op(f, BV_OP_INV, b, a, NULL);
            expect_equal(f, b, x, "inv(inv x)");
            bv_ref_op_slow(f, BV_OP_INV, b, x, NULL);
            expect_equal(f, b, a, "inv, slow path");
        }
        bv_ref_op_slow(f, BV_OP_INV, a, zero, NULL);
        expect_equal(f, a, zero, "inv 0, slow path");
    }
    mpz_clears(m, z, NULL);
}

/* bv_ref_op and the family table's apply for every op the table lists. */
static void fast_matches_slow_random(void **state)
{
    uint8_t x[BV_REF_MAX_BYTES], y[BV_REF_MAX_BYTES];
    uint8_t fast[BV_REF_MAX_BYTES], slow[BV_REF_MAX_BYTES];
    (void)state;
    rng_seed(0xfa57);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        bv_family f = fields[i];
        const bv_ref_family_info *fam = bv_ref_family(f);
        assert_non_null(fam);
        for (int n = 0; n < RANDOM_COUNT; n++) {
            random_element(f, x);
            random_element(f, y);
            for (int o = 0; o < BV_OP_COUNT; o++) {
                op(f, (bv_op)o, fast, x, y);
                bv_ref_op_slow(f, (bv_op)o, slow, x, y);
                expect_equal(f, fast, slow, bv_ref_op_name((bv_op)o));
            }
            for (size_t k = 0; k < fam->nops; k++) {
                memset(fast, 0xa5, sizeof fast);
                fam->apply(fam->ops[k].op, fast, x, y);
                bv_ref_op_slow(f, fam->ops[k].op, slow, x, y);
                expect_equal(f, fast, slow, "the family's apply");
            }
        }
    }
}

static void fast_matches_slow_boundary(void **state)
{
    uint8_t vals[MAX_BOUNDARY][BV_REF_MAX_BYTES];
    uint8_t fast[BV_REF_MAX_BYTES], slow[BV_REF_MAX_BYTES];
    (void)state;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        bv_family f = fields[i];
        size_t n = boundary_values(f, vals);
        assert_true(n >= 20);
        for (size_t a = 0; a < n; a++) {
            for (size_t b = 0; b < n; b++) {
                for (int o = 0; o < BV_OP_COUNT; o++) {
                    if (bv_ref_op_arity((bv_op)o) == 1 && b > 0)
                        continue;
                    op(f, (bv_op)o, fast, vals[a], vals[b]);
                    bv_ref_op_slow(f, (bv_op)o, slow, vals[a], vals[b]);
                    if (memcmp(fast, slow, bv_ref_family_bytes(f)) != 0) {
                        char ha[BV_REF_MAX_HEX], hb[BV_REF_MAX_HEX];
                        bv_ref_hex_format(f, vals[a], ha);
                        bv_ref_hex_format(f, vals[b], hb);
                        fail_msg("%s.%s(%s, %s): fast and slow paths differ",
                                 bv_ref_family_name(f), bv_ref_op_name((bv_op)o), ha, hb);
                    }
                }
            }
        }
    }
}

/* out may be the same buffer as x, y or both. */
static void ops_allow_aliasing(void **state)
{
    uint8_t x[BV_REF_MAX_BYTES], y[BV_REF_MAX_BYTES], want[BV_REF_MAX_BYTES];
    uint8_t buf[BV_REF_MAX_BYTES], buf2[BV_REF_MAX_BYTES];
    (void)state;
    rng_seed(0xa11a5);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        bv_family f = fields[i];
        size_t bytes = bv_ref_family_bytes(f);
        for (int n = 0; n < 100; n++) {
            random_element(f, x);
            random_element(f, y);
            for (int o = 0; o < BV_OP_COUNT; o++) {
                bv_op oo = (bv_op)o;
                op(f, oo, want, x, y);
                memcpy(buf, x, bytes);
                op(f, oo, buf, buf, y);
                expect_equal(f, buf, want, "out == x");
                if (bv_ref_op_arity(oo) == 2) {
                    memcpy(buf, y, bytes);
                    op(f, oo, buf, x, buf);
                    expect_equal(f, buf, want, "out == y");
                    op(f, oo, want, x, x);
                    memcpy(buf, x, bytes);
                    op(f, oo, buf, buf, buf);
                    expect_equal(f, buf, want, "out == x == y");
                }
                memcpy(buf2, x, bytes);
                bv_ref_op_slow(f, oo, buf2, buf2, y);
                op(f, oo, want, x, y);
                expect_equal(f, buf2, want, "slow path, out == x");
            }
        }
    }
}

/* ---- batch -------------------------------------------------------------------------- */

static void batch_case(bv_family f, bv_op o, size_t count, const unsigned *threads, size_t nthreads)
{
    size_t bytes = bv_ref_family_bytes(f);
    uint8_t *x = malloc(count * bytes), *y = malloc(count * bytes);
    uint8_t *want = malloc(count * bytes), *got = malloc(count * bytes);
    bv_error err;
    assert_non_null(x);
    assert_non_null(y);
    assert_non_null(want);
    assert_non_null(got);
    for (size_t i = 0; i < count; i++) {
        random_element(f, x + i * bytes);
        random_element(f, y + i * bytes);
        bv_ref_op(f, o, want + i * bytes, x + i * bytes, y + i * bytes);
    }
    for (size_t t = 0; t < nthreads; t++) {
        memset(got, 0xa5, count * bytes);
        bv_status st = bv_ref_batch(f, o, got, x, y, count, threads[t], &err);
        if (st != BV_OK)
            fail_msg("bv_ref_batch: %s", err.msg);
        if (memcmp(got, want, count * bytes) != 0)
            fail_msg("%s.%s batch of %zu on %u threads differs from bv_ref_op",
                     bv_ref_family_name(f), bv_ref_op_name(o), count, threads[t]);
    }
    /* in place: out == x */
    memcpy(got, x, count * bytes);
    assert_int_equal(bv_ref_batch(f, o, got, got, y, count, 0, &err), BV_OK);
    assert_memory_equal(got, want, count * bytes);
    free(x);
    free(y);
    free(want);
    free(got);
}

static void batch_matches_op(void **state)
{
    static const unsigned many[] = {0, 1, 2, 3, 8};
    static const unsigned few[] = {0, 3};
    (void)state;
    rng_seed(0xba7c);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        bv_family f = fields[i];
        const bv_ref_family_info *fam = bv_ref_family(f);
        for (size_t k = 0; k < fam->nops; k++) {
            batch_case(f, fam->ops[k].op, 1, many, 5);
            batch_case(f, fam->ops[k].op, 4097, many, 5);
        }
        batch_case(f, BV_OP_MUL, 100003, many, 5);
        batch_case(f, BV_OP_SUB, 100003, few, 2);
        batch_case(f, BV_OP_FROM_MONT, 100003, few, 2);
    }
    /* Fp2 through random_element's 96 bytes would not be canonical: build its inputs here. */
    {
        size_t count = 5003;
        uint8_t *x = malloc(count * 96), *y = malloc(count * 96), *want = malloc(count * 96),
                *got = malloc(count * 96);
        bv_error err;
        assert_true(x && y && want && got);
        for (size_t i = 0; i < count; i++) {
            random_fp2(x + i * 96);
            random_fp2(y + i * 96);
            bv_ref_op(BV_FAMILY_FP2, BV_OP_MUL, want + i * 96, x + i * 96, y + i * 96);
        }
        for (size_t t = 0; t < 5; t++) {
            memset(got, 0xa5, count * 96);
            assert_int_equal(bv_ref_batch(BV_FAMILY_FP2, BV_OP_MUL, got, x, y, count, many[t], &err), BV_OK);
            assert_memory_equal(got, want, count * 96);
        }
        free(x);
        free(y);
        free(want);
        free(got);
    }
}

/* ---- Fp2 ---------------------------------------------------------------------------- */

static void random_fp2(uint8_t *x)
{
    random_element(BV_FAMILY_FP, x);
    random_element(BV_FAMILY_FP, x + 48);
}

/* c0 + c1 u from two Fp integers (below p). */
static void fp2_from_z(uint8_t *out, const mpz_t c0, const mpz_t c1)
{
    from_z(BV_FAMILY_FP, out, c0);
    from_z(BV_FAMILY_FP, out + 48, c1);
}

static void fp2_op(bv_op o, uint8_t *out, const uint8_t *x, const uint8_t *y)
{
    bv_ref_op(BV_FAMILY_FP2, o, out, x, y);
    if (!bv_ref_is_canonical(BV_FAMILY_FP2, out))
        fail_msg("fp2.%s: output not canonical", bv_ref_op_name(o));
}

/* Answers worked out by hand in plain arithmetic, then put in Montgomery form (times R mod p
 * in each coordinate): (1 + u)^2 = 2u, u * u = -1, (1 + u)(1 - u) = 2, conj(1 + 2u) = 1 - 2u,
 * (1 + 2u)(1 + u) = -1 + 3u; and the plain forms through mul_by_nonresidue. */
static void fp2_known_answers(void **state)
{
    const bv_ref_constants *c = bv_ref_constants_get(BV_FAMILY_FP);
    uint8_t x[BV_REF_MAX_BYTES], y[BV_REF_MAX_BYTES], got[BV_REF_MAX_BYTES],
        want[BV_REF_MAX_BYTES];
    mpz_t p, R, a, b, zero;
    (void)state;
    mpz_inits(p, R, a, b, zero, NULL);
    to_z(p, BV_FAMILY_FP, c->modulus);
    to_z(R, BV_FAMILY_FP, c->r_mod);
    /* mont(v) = v * R mod p */
#define MONT(out, v)                                                                           \
    do {                                                                                       \
        mpz_set_si(out, v);                                                                    \
        mpz_mul(out, out, R);                                                                  \
        mpz_mod(out, out, p);                                                                  \
    } while (0)

    /* (1 + u)^2 = 2u: sqr, and mul of x by itself */
    MONT(a, 1);
    fp2_from_z(x, a, a);
    MONT(b, 2);
    fp2_from_z(want, zero, b);
    fp2_op(BV_OP_SQR, got, x, NULL);
    expect_equal(BV_FAMILY_FP2, got, want, "mont (1+u)^2 = mont 2u");
    fp2_op(BV_OP_MUL, got, x, x);
    expect_equal(BV_FAMILY_FP2, got, want, "mont (1+u)(1+u) = mont 2u");
    /* u * u = -1 */
    MONT(a, 1);
    fp2_from_z(x, zero, a);
    MONT(b, -1);
    fp2_from_z(want, b, zero);
    fp2_op(BV_OP_MUL, got, x, x);
    expect_equal(BV_FAMILY_FP2, got, want, "mont u * u = mont -1");
    fp2_op(BV_OP_SQR, got, x, NULL);
    expect_equal(BV_FAMILY_FP2, got, want, "mont u^2 = mont -1");
    /* (1 + u)(1 - u) = 2 */
    MONT(a, 1);
    MONT(b, -1);
    fp2_from_z(x, a, a);
    fp2_from_z(y, a, b);
    MONT(a, 2);
    fp2_from_z(want, a, zero);
    fp2_op(BV_OP_MUL, got, x, y);
    expect_equal(BV_FAMILY_FP2, got, want, "mont (1+u)(1-u) = mont 2");
    /* plain: conj(1 + 2u) = 1 - 2u = 1 + (p-2)u; (1 + 2u)(1 + u) = -1 + 3u; 0 maps to 0 */
    mpz_set_ui(a, 1);
    mpz_set_ui(b, 2);
    fp2_from_z(x, a, b);
    mpz_sub_ui(b, p, 2);
    fp2_from_z(want, a, b);
    fp2_op(BV_OP_CONJ, got, x, NULL);
    expect_equal(BV_FAMILY_FP2, got, want, "conj(1+2u)");
    mpz_sub_ui(a, p, 1);
    mpz_set_ui(b, 3);
    fp2_from_z(want, a, b);
    fp2_op(BV_OP_MUL_BY_NONRESIDUE, got, x, NULL);
    expect_equal(BV_FAMILY_FP2, got, want, "(1+2u)(1+u)");
    memset(x, 0, sizeof x);
    static const bv_op unary[] = {BV_OP_NEG, BV_OP_DBL, BV_OP_SQR, BV_OP_CONJ,
                                  BV_OP_MUL_BY_NONRESIDUE};
    for (size_t i = 0; i < sizeof unary / sizeof unary[0]; i++) {
        memset(got, 0xa5, sizeof got);
        fp2_op(unary[i], got, x, NULL);
        expect_equal(BV_FAMILY_FP2, got, x, "an op of 0");
    }
#undef MONT
    mpz_clears(p, R, a, b, zero, NULL);
}

/* The reference against the Kronecker-substitution path, on random elements and on pairs of
 * Fp boundary values, for every Fp2 op; out may alias an input. */
static void fp2_fast_matches_slow(void **state)
{
    const bv_ref_family_info *fam = bv_ref_family(BV_FAMILY_FP2);
    uint8_t vals[MAX_BOUNDARY][BV_REF_MAX_BYTES], el[MAX_BOUNDARY][BV_REF_MAX_BYTES];
    uint8_t x[BV_REF_MAX_BYTES], y[BV_REF_MAX_BYTES], fast[BV_REF_MAX_BYTES],
        slow[BV_REF_MAX_BYTES], buf[BV_REF_MAX_BYTES];
    (void)state;
    rng_seed(0xf2f2);
    for (int n = 0; n < 300; n++) {
        random_fp2(x);
        random_fp2(y);
        for (size_t k = 0; k < fam->nops; k++) {
            bv_op o = fam->ops[k].op;
            fp2_op(o, fast, x, y);
            bv_ref_op_slow(BV_FAMILY_FP2, o, slow, x, y);
            expect_equal(BV_FAMILY_FP2, fast, slow, bv_ref_op_name(o));
            memcpy(buf, x, sizeof buf);
            fp2_op(o, buf, buf, y);
            expect_equal(BV_FAMILY_FP2, buf, fast, "out == x");
        }
    }
    /* Elements whose coordinates are boundary values: (v_i, v_j) for j = i and j = i + 5. */
    size_t nb = boundary_values(BV_FAMILY_FP, vals), ne = 0;
    for (size_t i = 0; i < nb && ne + 1 < MAX_BOUNDARY; i += 2) {
        memcpy(el[ne], vals[i], 48);
        memcpy(el[ne] + 48, vals[i], 48);
        ne++;
        memcpy(el[ne], vals[i], 48);
        memcpy(el[ne] + 48, vals[(i + 5) % nb], 48);
        ne++;
    }
    for (size_t a = 0; a < ne; a++)
        for (size_t b = 0; b < ne; b++)
            for (size_t k = 0; k < fam->nops; k++) {
                bv_op o = fam->ops[k].op;
                if (fam->ops[k].arity == 1 && b > 0)
                    continue;
                /* conj's and inv's slow paths (x^p) are slow: the random elements cover them. */
                if ((o == BV_OP_CONJ || o == BV_OP_INV) && a % 8)
                    continue;
                fp2_op(o, fast, el[a], el[b]);
                bv_ref_op_slow(BV_FAMILY_FP2, o, slow, el[a], el[b]);
                if (memcmp(fast, slow, 96) != 0) {
                    char ha[BV_REF_MAX_HEX], hb[BV_REF_MAX_HEX];
                    bv_ref_hex_format(BV_FAMILY_FP2, el[a], ha);
                    bv_ref_hex_format(BV_FAMILY_FP2, el[b], hb);
                    fail_msg("fp2.%s(%s, %s): fast and slow paths differ", bv_ref_op_name(o), ha,
                             hb);
                }
            }
}

/* Fp2 inverses worked out by hand, in Montgomery form (times R mod p in each coordinate):
 * 1/1 = 1, 1/u = -u (u * -u = -u^2 = 1), 1/(1 + u) = (1 - u)/2 ((1 + u)(1 - u) = 2), 1/2 = (p+1)/2,
 * 1/(2u) = -u (p+1)/2; 0 maps to 0, and so do (0, 0) written either way. Then x * inv(x) = 1 and
 * inv(inv x) = x on random x, also with one coordinate 0. */
static void fp2_inv_known_answers(void **state)
{
    const bv_ref_constants *c = bv_ref_constants_get(BV_FAMILY_FP);
    uint8_t x[BV_REF_MAX_BYTES], got[BV_REF_MAX_BYTES], back[BV_REF_MAX_BYTES],
        want[BV_REF_MAX_BYTES], one[BV_REF_MAX_BYTES] = {0};
    mpz_t p, R, a, b, h;
    (void)state;
    mpz_inits(p, R, a, b, h, NULL);
    to_z(p, BV_FAMILY_FP, c->modulus);
    to_z(R, BV_FAMILY_FP, c->r_mod);
    /* h = (p+1)/2, by hand: p ends in ...aaab */
    assert_int_equal(mpz_set_str(h, "0d0088f51cbff34d258dd3db21a5d66bb23ba5c279c2895fb39869507b587b120f55ffff58a9ffffdcff7fffffffd556", 16), 0);
#define MONT(out, v)                                                                           \
    do {                                                                                       \
        mpz_mul(out, v, R);                                                                    \
        mpz_mod(out, out, p);                                                                  \
    } while (0)
    static const struct {
        int x0, x1;    /* the input: x0 + x1 u, small integers */
        int w0, w1;    /* the inverse: w0 h + w1 h u where |w| = 2, else w0 + w1 u */
        const char *what;
    } cases[] = {
        {1, 0, 1, 0, "1/1 = 1"},
        {0, 1, 0, -1, "1/u = -u"},
        {0, -1, 0, 1, "1/-u = u"},
        {-1, 0, -1, 0, "1/-1 = -1"},
        {1, 1, 2, -2, "1/(1+u) = (1-u)/2"},
        {1, -1, 2, 2, "1/(1-u) = (1+u)/2"},
        {2, 0, 2, 0, "1/2 = (p+1)/2"},
        {0, 2, 0, -2, "1/(2u) = -u (p+1)/2"},
        {0, 0, 0, 0, "1/0 = 0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mpz_set_si(a, cases[i].x0);
        MONT(a, a);
        mpz_set_si(b, cases[i].x1);
        MONT(b, b);
        fp2_from_z(x, a, b);
        int w[2] = {cases[i].w0, cases[i].w1};
        mpz_t *out[2] = {&a, &b};
        for (int k = 0; k < 2; k++) {
            if (w[k] == 2 || w[k] == -2)
                mpz_mul_si(*out[k], h, w[k] / 2);
            else
                mpz_set_si(*out[k], w[k]);
            MONT(*out[k], *out[k]);
        }
        fp2_from_z(want, a, b);
        fp2_op(BV_OP_INV, got, x, NULL);
        expect_equal(BV_FAMILY_FP2, got, want, cases[i].what);
        bv_ref_op_slow(BV_FAMILY_FP2, BV_OP_INV, got, x, NULL);
        expect_equal(BV_FAMILY_FP2, got, want, "slow path");
    }
#undef MONT
    /* x * inv(x) = mont 1 = (R, 0), inv(inv x) = x; also on (a, 0) and (0, b) */
    memcpy(one, c->r_mod, 48);
    rng_seed(0x1f2);
    for (int n = 0; n < 300; n++) {
        random_fp2(x);
        if (n % 3 == 1)
            memset(x + 48, 0, 48);
        else if (n % 3 == 2)
            memset(x, 0, 48);
        fp2_op(BV_OP_INV, got, x, NULL);
        fp2_op(BV_OP_MUL, back, x, got);
        expect_equal(BV_FAMILY_FP2, back, one, "x * inv(x) = 1");
        fp2_op(BV_OP_INV, back, got, NULL);
        expect_equal(BV_FAMILY_FP2, back, x, "inv(inv x)");
    }
    mpz_clears(p, R, a, b, h, NULL);
}

/* Hex text of an element is c1*2^384 + c0; canonical means each coordinate below p. */
static void fp2_hex_and_canonical(void **state)
{
    const bv_ref_constants *c = bv_ref_constants_get(BV_FAMILY_FP);
    uint8_t x[BV_REF_MAX_BYTES], back[BV_REF_MAX_BYTES];
    char text[BV_REF_MAX_HEX], bad[BV_REF_MAX_HEX + 8];
    bv_error err;
    (void)state;
    rng_seed(0x2e58);
    for (int k = 0; k < 200; k++) {
        random_fp2(x);
        bv_ref_hex_format(BV_FAMILY_FP2, x, text);
        assert_int_equal(strlen(text), 2 + 192);
        assert_int_equal(bv_ref_hex_parse(BV_FAMILY_FP2, text, true, back, &err), BV_OK);
        expect_equal(BV_FAMILY_FP2, back, x, "fp2 hex round trip");
    }
    /* 1 + 2u is 0x2 followed by 96 digits of c0 = 1 */
    memset(x, 0, sizeof x);
    x[0] = 1;
    x[48] = 2;
    bv_ref_hex_format(BV_FAMILY_FP2, x, text);
    assert_true(text[2 + 95] == '2' && text[2 + 191] == '1');
    /* c0 = p or c1 = p is not canonical, and says which */
    memcpy(x, c->modulus, 48);
    assert_false(bv_ref_is_canonical(BV_FAMILY_FP2, x));
    bv_ref_hex_format(BV_FAMILY_FP2, x, bad);
    assert_int_equal(bv_ref_hex_parse(BV_FAMILY_FP2, bad, true, back, &err), BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, "c0"));
    assert_int_equal(bv_ref_hex_parse(BV_FAMILY_FP2, bad, false, back, &err), BV_OK);
    memset(x, 0, 48);
    memcpy(x + 48, c->modulus, 48);
    assert_false(bv_ref_is_canonical(BV_FAMILY_FP2, x));
    bv_ref_hex_format(BV_FAMILY_FP2, x, bad);
    assert_int_equal(bv_ref_hex_parse(BV_FAMILY_FP2, bad, true, back, &err), BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, "c1"));
    x[48] -= 1;
    assert_true(bv_ref_is_canonical(BV_FAMILY_FP2, x));
    assert_true(bv_ref_family(BV_FAMILY_FP2)->valid_input(BV_OP_MUL, 1, x));
    /* 769 bits do not fit */
    memset(bad, '0', sizeof bad);
    bad[0] = '0';
    bad[1] = 'x';
    bad[2] = '1';
    bad[2 + 193] = '\0';
    assert_int_equal(bv_ref_hex_parse(BV_FAMILY_FP2, bad, false, back, &err), BV_ERR_VALUE);
}

static void batch_rejects_bad_arguments(void **state)
{
    uint8_t x[2 * 48] = {0}, out[2 * 48];
    bv_error err;
    (void)state;
    assert_int_equal(bv_ref_batch(BV_FAMILY_FP, BV_OP_ADD, out, x, NULL, 2, 1, &err), BV_ERR_ARG);
    assert_non_null(strstr(err.msg, "NULL y"));
    assert_int_equal(bv_ref_batch(BV_FAMILY_FP, BV_OP_COUNT, out, x, x, 2, 1, &err), BV_ERR_ARG);
    assert_int_equal(bv_ref_batch((bv_family)9, BV_OP_ADD, out, x, x, 2, 1, &err), BV_ERR_ARG);
    assert_int_equal(bv_ref_batch(BV_FAMILY_FP, BV_OP_ADD, NULL, x, x, 2, 1, &err), BV_ERR_ARG);
    assert_int_equal(bv_ref_batch(BV_FAMILY_FP, BV_OP_ADD, NULL, NULL, NULL, 0, 1, &err), BV_OK);
    assert_int_equal(bv_ref_batch(BV_FAMILY_FR, BV_OP_NEG, out, x, NULL, 2, 1, &err), BV_OK);
    assert_int_equal(bv_ref_batch(BV_FAMILY_FR, BV_OP_MUL, out, x, x, SIZE_MAX / 8, 1, &err),
                     BV_ERR_OVERFLOW);
}

/* ---- G1 and G2 ---------------------------------------------------------------------- */

/* Published points, affine, normal form; an Fp2 coordinate as c0 then c1 (c1 NULL for G1).
 * - The generators: draft-irtf-cfrg-pairing-friendly-curves section 4.2.1 (BLS12_381), the
 *   same values as zkcrypto bls12_381's src/notes/design.rs.
 * - 2G and 3G of G1: EIP-2537's G1ADD test vectors (add_G1_bls.json: g1 + g1 = 2*g1 and
 *   2*g1 + 3*g1 = 5*g1), also in evmone's test/unittests/bls_test.cpp (g1_mul by 2).
 * - G2 + P = Q: EIP-2537's G2ADD test vector bls_g2add_g2+p2 (add_G2_bls.json), as in evmone's
 *   bls_test.cpp TEST(bls, g2_add). */
typedef struct pub_point {
    const char *x[2], *y[2];
} pub_point;

static const pub_point g1_gen = {
    {"17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb", NULL},
    {"08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1", NULL}};
static const pub_point g1_2g = {
    {"0572cbea904d67468808c8eb50a9450c9721db309128012543902d0ac358a62ae28f75bb8f1c7c42c39a8c5529bf0f4e", NULL},
    {"166a9d8cabc673a322fda673779d8e3822ba3ecb8670e461f73bb9021d5fd76a4c56d9d4cd16bd1bba86881979749d28", NULL}};
static const pub_point g1_3g = {
    {"09ece308f9d1f0131765212deca99697b112d61f9be9a5f1f3780a51335b3ff981747a0b2ca2179b96d2c0c9024e5224", NULL},
    {"032b80d3a6f5b09f8a84623389c5f80ca69a0cddabc3097f9d9c27310fd43be6e745256c634af45ca3473b0590ae30d1", NULL}};
static const pub_point g2_gen = {
    {"024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8",
     "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"},
    {"0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801",
     "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be"}};
static const pub_point g2_p = {
    {"103121a2ceaae586d240843a398967325f8eb5a93e8fea99b62b9f88d8556c80dd726a4b30e84a36eeabaf3592937f27",
     "086b990f3da2aeac0a36143b7d7c824428215140db1bb859338764cb58458f081d92664f9053b50b3fbd2e4723121b68"},
    {"0f9e7ba9a86a8f7624aa2b42dcc8772e1af4ae115685e60abc2c9b90242167acef3d0be4050bf935eed7c3b6fc7ba77e",
     "0d22c3652d0dc6f0fc9316e14268477c2049ef772e852108d269d9c38dba1d4802e8dae479818184c08f9a569d878451"}};
static const pub_point g2_gen_plus_p = {
    {"0b54a8a7b08bd6827ed9a797de216b8c9057b3a9ca93e2f88e7f04f19accc42da90d883632b9ca4dc38d013f71ede4db",
     "077eba4eecf0bd764dce8ed5f45040dd8f3b3427cb35230509482c14651713282946306247866dfe39a8e33016fcbe52"},
    {"14e60a76a29ef85cbd69f251b9f29147b67cfe3ed2823d3f9776b3a0efd2731941d47436dc6d2b58d9e65f8438bad073",
     "1586c3c910d95754fef7a732df78e279c3d37431c6a2b77e67a00c7c130a8fcd4d19f159cbeb997a178108fffffcbd20"}};

static const bv_family curve_families[] = {BV_FAMILY_G1, BV_FAMILY_G2};

/* Words of one coordinate (48 for G1, 96 for G2). */
static size_t coord_bytes(bv_family f)
{
    return f == BV_FAMILY_G1 ? 48 : 96;
}

/* The Montgomery form of a published coordinate, through Fp's to_mont. */
static void pub_coord(uint8_t *out, const char *const hex[2], bv_family f)
{
    for (size_t k = 0; k * 48 < coord_bytes(f); k++) {
        uint8_t plain[48];
        char text[128];
        snprintf(text, sizeof text, "0x%s", hex[k]);
        from_hex(BV_FAMILY_FP, plain, text);
        op(BV_FAMILY_FP, BV_OP_TO_MONT, out + 48 * k, plain, NULL);
    }
}

/* A published point as Jacobian bytes with Z = 1 (R mod p). */
static void pub_jacobian(uint8_t *out, const pub_point *pt, bv_family f)
{
    size_t c = coord_bytes(f);
    memset(out, 0, 3 * c);
    pub_coord(out, pt->x, f);
    pub_coord(out + c, pt->y, f);
    memcpy(out + 2 * c, bv_ref_constants_get(BV_FAMILY_FP)->r_mod, 48);
}

static void pub_affine(uint8_t *out, const pub_point *pt, bv_family f)
{
    pub_coord(out, pt->x, f);
    pub_coord(out + coord_bytes(f), pt->y, f);
}

/* A coordinate product in Montgomery form, through the Fp or Fp2 reference's mul. */
static void coord_mul(bv_family f, uint8_t *out, const uint8_t *a, const uint8_t *b)
{
    op(f == BV_FAMILY_G1 ? BV_FAMILY_FP : BV_FAMILY_FP2, BV_OP_MUL, out, a, b);
}

/* The same point with Z multiplied by a random nonzero l: (X l^2, Y l^3, Z l). */
static void rescale(bv_family f, uint8_t *pt)
{
    size_t c = coord_bytes(f);
    uint8_t l[96] = {0}, l2[96], l3[96];
    do {
        random_element(BV_FAMILY_FP, l);
        if (c == 96)
            random_element(BV_FAMILY_FP, l + 48);
    } while (l[0] == 0);
    coord_mul(f, l2, l, l);
    coord_mul(f, l3, l2, l);
    coord_mul(f, pt, pt, l2);
    coord_mul(f, pt + c, pt + c, l3);
    coord_mul(f, pt + 2 * c, pt + 2 * c, l);
}

/* The group order r as smul's 32-byte scalar, plus d (d small, r + d < 2^256). */
static void scalar_r_plus(uint8_t *k, long d)
{
    mpz_t z;
    mpz_init(z);
    to_z(z, BV_FAMILY_FR, bv_ref_constants_get(BV_FAMILY_FR)->modulus);
    if (d >= 0)
        mpz_add_ui(z, z, (unsigned long)d);
    else
        mpz_sub_ui(z, z, (unsigned long)-d);
    from_z(BV_FAMILY_FR, k, z);
    mpz_clear(z);
}

static void scalar_small(uint8_t *k, unsigned v)
{
    memset(k, 0, 32);
    k[0] = (uint8_t)v;
}

static void expect_same_point(bv_family f, bv_op o, const uint8_t *got, const uint8_t *want,
                              const char *what)
{
    const bv_ref_family_info *fam = bv_ref_family(f);
    bv_ref_verdict v = fam->compare(o, got, want);
    if (v != BV_REF_SAME || !fam->equal(o, got, want)) {
        char g[BV_REF_DESCRIBE_BYTES], w[BV_REF_DESCRIBE_BYTES];
        bv_ref_describe(f, o, BV_REF_OUT, got, g, sizeof g);
        bv_ref_describe(f, o, BV_REF_OUT, want, w, sizeof w);
        fail_msg("%s %s: %s: got %s, want %s", bv_ref_family_name(f), what,
                 bv_ref_verdict_name(v), g, w);
    }
}

static bool is_zero(const uint8_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (v[i])
            return false;
    return true;
}

/* The generators, and multiples of them computed elsewhere, through every op that reaches
 * them. */
static void curve_known_answers(void **state)
{
    uint8_t g[288], g2[288], want[288], got[288], k[32], aff[192], q[288];
    (void)state;
    rng_seed(0xc0ffee);
    for (size_t i = 0; i < 2; i++) {
        bv_family f = curve_families[i];
        pub_jacobian(want, f == BV_FAMILY_G1 ? &g1_gen : &g2_gen, f);
        assert_true(bv_ref_curve_generator(f, g));
        assert_memory_equal(g, want, bv_ref_family_bytes(f));
        /* to_affine of the generator under another Z gives its published coordinates. */
        memcpy(q, g, sizeof q);
        rescale(f, q);
        op(f, BV_OP_TO_AFFINE, aff, q, NULL);
        pub_affine(want, f == BV_FAMILY_G1 ? &g1_gen : &g2_gen, f);
        assert_memory_equal(aff, want, 2 * coord_bytes(f));
    }
    assert_false(bv_ref_curve_generator(BV_FAMILY_FP, g));

    /* G1: 2G by dbl, add and smul; 3G by add and smul. */
    assert_true(bv_ref_curve_generator(BV_FAMILY_G1, g));
    pub_jacobian(want, &g1_2g, BV_FAMILY_G1);
    op(BV_FAMILY_G1, BV_OP_DBL, got, g, NULL);
    expect_same_point(BV_FAMILY_G1, BV_OP_DBL, got, want, "dbl(G)");
    op(BV_FAMILY_G1, BV_OP_ADD, got, g, g);
    expect_same_point(BV_FAMILY_G1, BV_OP_ADD, got, want, "G+G");
    scalar_small(k, 2);
    op(BV_FAMILY_G1, BV_OP_SMUL, got, g, k);
    expect_same_point(BV_FAMILY_G1, BV_OP_SMUL, got, want, "2*G");
    memcpy(g2, want, sizeof g2);
    rescale(BV_FAMILY_G1, g2);
    pub_jacobian(want, &g1_3g, BV_FAMILY_G1);
    op(BV_FAMILY_G1, BV_OP_ADD, got, g2, g);
    expect_same_point(BV_FAMILY_G1, BV_OP_ADD, got, want, "2G+G");
    scalar_small(k, 3);
    op(BV_FAMILY_G1, BV_OP_SMUL, got, g, k);
    expect_same_point(BV_FAMILY_G1, BV_OP_SMUL, got, want, "3*G");
    pub_affine(aff, &g1_gen, BV_FAMILY_G1);
    op(BV_FAMILY_G1, BV_OP_MADD, got, g2, aff);
    expect_same_point(BV_FAMILY_G1, BV_OP_MADD, got, want, "2G+affine G");

    /* G2: G + P = Q, by add and by madd. */
    assert_true(bv_ref_curve_generator(BV_FAMILY_G2, g));
    pub_jacobian(q, &g2_p, BV_FAMILY_G2);
    rescale(BV_FAMILY_G2, q);
    pub_jacobian(want, &g2_gen_plus_p, BV_FAMILY_G2);
    op(BV_FAMILY_G2, BV_OP_ADD, got, g, q);
    expect_same_point(BV_FAMILY_G2, BV_OP_ADD, got, want, "G+P");
    pub_affine(aff, &g2_p, BV_FAMILY_G2);
    op(BV_FAMILY_G2, BV_OP_MADD, got, g, aff);
    expect_same_point(BV_FAMILY_G2, BV_OP_MADD, got, want, "G+affine P");
}

/* The group order and the group law: r*G = O, (r+1)*G = G, (r-1)*G = -G, P + (-P) = O,
 * add(P, P) = dbl(P), madd agrees with add, k*P = P + ... through smul's linearity. */
static void curve_group_laws(void **state)
{
    uint8_t g[288], p[288], q[288], np[288], got[288], want[288], k[32], aff[192];
    (void)state;
    rng_seed(0x6e0);
    for (size_t i = 0; i < 2; i++) {
        bv_family f = curve_families[i];
        size_t bytes = bv_ref_family_bytes(f), c = coord_bytes(f);
        assert_true(bv_ref_curve_generator(f, g));
        scalar_r_plus(k, 0);
        op(f, BV_OP_SMUL, got, g, k);
        assert_true(is_zero(got + 2 * c, c)); /* Z = 0: the identity */
        scalar_r_plus(k, 1);
        op(f, BV_OP_SMUL, got, g, k);
        expect_same_point(f, BV_OP_SMUL, got, g, "(r+1)*G");
        scalar_r_plus(k, -1);
        op(f, BV_OP_SMUL, got, g, k);
        op(f, BV_OP_NEG, want, g, NULL);
        expect_same_point(f, BV_OP_SMUL, got, want, "(r-1)*G");
        for (int t = 0; t < 4; t++) {
            /* Random points k*G under random Z. */
            random_element(BV_FAMILY_FR, k);
            op(f, BV_OP_SMUL, p, g, k);
            rescale(f, p);
            random_element(BV_FAMILY_FR, k);
            op(f, BV_OP_SMUL, q, g, k);
            rescale(f, q);
            assert_true(bv_ref_family(f)->valid_input(BV_OP_ADD, 0, p));
            op(f, BV_OP_NEG, np, p, NULL);
            op(f, BV_OP_ADD, got, p, np);
            assert_true(is_zero(got, bytes));
            op(f, BV_OP_ADD, got, p, p);
            op(f, BV_OP_DBL, want, p, NULL);
            expect_same_point(f, BV_OP_ADD, got, want, "P+P vs dbl(P)");
            op(f, BV_OP_ADD, want, p, q);
            op(f, BV_OP_TO_AFFINE, aff, q, NULL);
            op(f, BV_OP_MADD, got, p, aff);
            expect_same_point(f, BV_OP_MADD, got, want, "madd vs add");
            op(f, BV_OP_ADD, got, q, p);
            expect_same_point(f, BV_OP_ADD, got, want, "P+Q vs Q+P");
            /* 3P = P + 2P; identity on either side. */
            scalar_small(k, 3);
            op(f, BV_OP_SMUL, got, p, k);
            op(f, BV_OP_DBL, q, p, NULL);
            op(f, BV_OP_ADD, want, q, p);
            expect_same_point(f, BV_OP_SMUL, got, want, "3P");
            memset(q, 0x11, bytes);
            memset(q + 2 * c, 0, c); /* the identity with arbitrary X, Y */
            op(f, BV_OP_ADD, got, q, p);
            expect_same_point(f, BV_OP_ADD, got, p, "O+P");
            op(f, BV_OP_ADD, got, p, q);
            expect_same_point(f, BV_OP_ADD, got, p, "P+O");
            memset(aff, 0, sizeof aff);
            op(f, BV_OP_MADD, got, p, aff);
            expect_same_point(f, BV_OP_MADD, got, p, "P+affine O");
            scalar_small(k, 0);
            op(f, BV_OP_SMUL, got, p, k);
            assert_true(is_zero(got, bytes));
            /* Aliasing: out over x. */
            memcpy(got, p, bytes);
            op(f, BV_OP_DBL, got, got, NULL);
            op(f, BV_OP_DBL, want, p, NULL);
            assert_memory_equal(got, want, bytes);
        }
    }
}

/* compare's verdicts, equal, valid_input and describe on points that are wrong in each way. */
static void curve_compare_verdicts(void **state)
{
    uint8_t g[288], p[288], bad[288], aff[192], mod1[48];
    char text[BV_REF_DESCRIBE_BYTES];
    const uint8_t *m = bv_ref_constants_get(BV_FAMILY_FP)->modulus;
    (void)state;
    rng_seed(0x7e4d);
    /* Fp's R mod p + 1: adds one (in normal form, R^-1) to a coordinate. */
    memcpy(mod1, bv_ref_constants_get(BV_FAMILY_FP)->r_mod, 48);
    for (size_t i = 0; i < 2; i++) {
        bv_family f = curve_families[i];
        const bv_ref_family_info *fam = bv_ref_family(f);
        size_t bytes = bv_ref_family_bytes(f), c = coord_bytes(f);
        assert_true(bv_ref_curve_generator(f, g));
        memcpy(p, g, bytes);
        rescale(f, p);
        /* The same point under another Z. */
        assert_int_equal(fam->compare(BV_OP_ADD, p, g), BV_REF_SAME);
        assert_true(fam->equal(BV_OP_ADD, p, g));
        /* Another point on the curve. */
        op(f, BV_OP_DBL, bad, g, NULL);
        assert_int_equal(fam->compare(BV_OP_ADD, bad, g), BV_REF_WRONG);
        op(f, BV_OP_NEG, bad, p, NULL);
        assert_int_equal(fam->compare(BV_OP_NEG, bad, g), BV_REF_WRONG);
        assert_false(fam->equal(BV_OP_NEG, bad, g));
        /* The identity is not the generator, nor the other way round. */
        memset(bad, 0, bytes);
        assert_int_equal(fam->compare(BV_OP_ADD, bad, g), BV_REF_WRONG);
        assert_int_equal(fam->compare(BV_OP_ADD, g, bad), BV_REF_WRONG);
        memset(bad, 0x11, 2 * c); /* the identity with X, Y canonical but arbitrary */
        memset(p, 0, bytes);
        assert_int_equal(fam->compare(BV_OP_ADD, bad, p), BV_REF_SAME); /* any O is O */
        /* Off the curve: Y one more. */
        memcpy(bad, g, bytes);
        op(BV_FAMILY_FP, BV_OP_ADD, bad + c, bad + c, mod1);
        assert_int_equal(fam->compare(BV_OP_ADD, bad, g), BV_REF_OFF_CURVE);
        assert_false(fam->valid_input(BV_OP_ADD, 0, bad));
        bv_ref_describe(f, BV_OP_ADD, BV_REF_OUT, bad, text, sizeof text);
        assert_non_null(strstr(text, "[not on the curve]"));
        /* Not canonical: Z's low word replaced by p (then X too), whatever else. */
        memcpy(bad, g, bytes);
        memcpy(bad + 2 * c, m, 48);
        assert_int_equal(fam->compare(BV_OP_ADD, bad, g), BV_REF_NOT_CANONICAL);
        assert_false(fam->equal(BV_OP_ADD, bad, g));
        assert_false(fam->valid_input(BV_OP_ADD, 1, bad));
        bv_ref_describe(f, BV_OP_ADD, BV_REF_OUT, bad, text, sizeof text);
        assert_non_null(strstr(text, "[not canonical]"));
        /* Affine outputs compare by bytes, the identity all zero. */
        op(f, BV_OP_TO_AFFINE, aff, g, NULL);
        assert_int_equal(fam->compare(BV_OP_TO_AFFINE, aff, aff), BV_REF_SAME);
        memcpy(bad, aff, 2 * c);
        op(BV_FAMILY_FP, BV_OP_ADD, bad, bad, mod1);
        assert_int_equal(fam->compare(BV_OP_TO_AFFINE, bad, aff), BV_REF_OFF_CURVE);
        memset(bad, 0, 2 * c);
        assert_int_equal(fam->compare(BV_OP_TO_AFFINE, bad, aff), BV_REF_WRONG);
        assert_true(fam->valid_input(BV_OP_MADD, 1, bad));
        memcpy(bad, m, 48);
        assert_int_equal(fam->compare(BV_OP_TO_AFFINE, bad, aff), BV_REF_NOT_CANONICAL);
        assert_false(fam->valid_input(BV_OP_MADD, 1, bad));
        /* Inputs: the identity with any canonical X and Y; any scalar. */
        memset(bad, 0x13, 2 * c);
        memset(bad + 2 * c, 0, c);
        assert_true(fam->valid_input(BV_OP_DBL, 0, bad));
        memset(bad, 0xff, 32);
        assert_true(fam->valid_input(BV_OP_SMUL, 1, bad));
        /* Sizes by slot. */
        assert_int_equal(bv_ref_slot_bytes(f, BV_OP_SMUL, BV_REF_Y), 32);
        assert_int_equal(bv_ref_slot_bytes(f, BV_OP_MADD, BV_REF_Y), 2 * c);
        assert_int_equal(bv_ref_slot_bytes(f, BV_OP_TO_AFFINE, BV_REF_OUT), 2 * c);
        assert_int_equal(bv_ref_slot_bytes(f, BV_OP_NEG, BV_REF_Y), 0);
        assert_int_equal(bv_ref_slot_bytes(f, BV_OP_MUL, BV_REF_X), 0);
    }
    /* describe: the generator's affine coordinates in normal form. */
    assert_true(bv_ref_curve_generator(BV_FAMILY_G1, g));
    bv_ref_describe(BV_FAMILY_G1, BV_OP_ADD, BV_REF_X, g, text, sizeof text);
    assert_string_equal(text, "(0x17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb, "
                              "0x8b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1)");
    memset(g, 0, sizeof g);
    bv_ref_describe(BV_FAMILY_G2, BV_OP_TO_AFFINE, BV_REF_OUT, g, text, sizeof text);
    assert_string_equal(text, "identity");
    bv_ref_describe(BV_FAMILY_G2, BV_OP_ADD, BV_REF_X, g, text, 10);
    assert_int_equal(strlen(text), 8);
    /* Fields and Fp2: not canonical at the modulus, else by bytes. */
    for (int f = BV_FAMILY_FP; f <= BV_FAMILY_FP2; f++) {
        const bv_ref_family_info *fam = bv_ref_family((bv_family)f);
        uint8_t a[96] = {0}, b[96] = {0};
        a[0] = 1;
        assert_int_equal(fam->compare(BV_OP_ADD, a, a), BV_REF_SAME);
        assert_int_equal(fam->compare(BV_OP_ADD, a, b), BV_REF_WRONG);
        memcpy(b + (f == BV_FAMILY_FP2 ? 48 : 0),
               bv_ref_constants_get(f == BV_FAMILY_FR ? BV_FAMILY_FR : BV_FAMILY_FP)->modulus,
               f == BV_FAMILY_FR ? 32 : 48);
        assert_int_equal(fam->compare(BV_OP_ADD, b, a), BV_REF_NOT_CANONICAL);
    }
    assert_string_equal(bv_ref_verdict_name(BV_REF_SAME), "same");
    assert_string_equal(bv_ref_verdict_name(BV_REF_WRONG), "wrong value");
    assert_string_equal(bv_ref_verdict_name(BV_REF_NOT_CANONICAL), "not canonical");
    assert_string_equal(bv_ref_verdict_name(BV_REF_OFF_CURVE), "not on the curve");
    assert_string_equal(bv_ref_verdict_name(BV_REF_VERDICT_COUNT), "unknown");
}

/* Hex by slot: a scalar, an affine point, a Jacobian point; sizes and canonical checks. */
static void curve_hex_slots(void **state)
{
    uint8_t k[32], back[288], g[288];
    char text[BV_REF_MAX_HEX], big[BV_REF_MAX_HEX + 8];
    bv_error err;
    (void)state;
    memset(k, 0xff, sizeof k);
    bv_ref_hex_format_slot(BV_FAMILY_G1, BV_OP_SMUL, BV_REF_Y, k, text);
    assert_int_equal(strlen(text), 2 + 64);
    assert_int_equal(bv_ref_hex_parse_slot(BV_FAMILY_G1, BV_OP_SMUL, BV_REF_Y, text, true, back, &err), BV_OK);
    assert_memory_equal(back, k, 32);
    snprintf(big, sizeof big, "0x1%s", text + 2);
    assert_int_equal(bv_ref_hex_parse_slot(BV_FAMILY_G1, BV_OP_SMUL, BV_REF_Y, big, true, back, &err),
                     BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, "g1 smul y"));
    assert_true(bv_ref_curve_generator(BV_FAMILY_G2, g));
    bv_ref_hex_format_slot(BV_FAMILY_G2, BV_OP_ADD, BV_REF_X, g, text);
    assert_int_equal(strlen(text), 2 + 576);
    assert_int_equal(bv_ref_hex_parse_slot(BV_FAMILY_G2, BV_OP_ADD, BV_REF_X, text, true, back, &err), BV_OK);
    assert_memory_equal(back, g, 288);
    op(BV_FAMILY_G2, BV_OP_TO_AFFINE, g, g, NULL);
    bv_ref_hex_format_slot(BV_FAMILY_G2, BV_OP_MADD, BV_REF_Y, g, text);
    assert_int_equal(strlen(text), 2 + 384);
    assert_int_equal(bv_ref_hex_parse_slot(BV_FAMILY_G2, BV_OP_MADD, BV_REF_Y, text, true, back, &err), BV_OK);
    assert_memory_equal(back, g, 192);
    /* y.c1 (the top 48 bytes) set to p. */
    memcpy(g + 144, bv_ref_constants_get(BV_FAMILY_FP)->modulus, 48);
    bv_ref_hex_format_slot(BV_FAMILY_G2, BV_OP_TO_AFFINE, BV_REF_OUT, g, text);
    assert_int_equal(bv_ref_hex_parse_slot(BV_FAMILY_G2, BV_OP_TO_AFFINE, BV_REF_OUT, text, true, back, &err),
                     BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, "y.c1"));
    assert_int_equal(bv_ref_hex_parse_slot(BV_FAMILY_G2, BV_OP_TO_AFFINE, BV_REF_OUT, text, false, back, &err),
                     BV_OK);
    /* A Jacobian G1 point with Z = p. */
    memset(g, 0, 144);
    memcpy(g + 96, bv_ref_constants_get(BV_FAMILY_FP)->modulus, 48);
    bv_ref_hex_format(BV_FAMILY_G1, g, text);
    assert_int_equal(bv_ref_hex_parse(BV_FAMILY_G1, text, true, back, &err), BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, "Z of g1"));
    assert_int_equal(bv_ref_hex_parse_slot(BV_FAMILY_G1, BV_OP_NEG, BV_REF_Y, text, true, back, &err),
                     BV_ERR_ARG);
}

/* bv_ref_batch with per-op element sizes: smul reads 32-byte scalars beside 144-byte points. */
static void curve_batch(void **state)
{
    enum { N = 4500 };
    uint8_t *pts = malloc(N * 144), *ks = malloc(N * 32), *out = malloc(N * 144);
    uint8_t *aff = malloc(N * 96), one[144], g[144];
    bv_error err;
    static const unsigned threads[] = {1, 3};
    (void)state;
    assert_true(pts && ks && out && aff);
    rng_seed(0xba7c);
    assert_true(bv_ref_curve_generator(BV_FAMILY_G1, g));
    for (size_t i = 0; i < N; i++) {
        memcpy(pts + i * 144, g, 144);
        scalar_small(ks + i * 32, (unsigned)(i % 7));
    }
    for (size_t t = 0; t < 2; t++) {
        assert_int_equal(bv_ref_batch(BV_FAMILY_G1, BV_OP_SMUL, out, pts, ks, N, threads[t], &err), BV_OK);
        assert_int_equal(bv_ref_batch(BV_FAMILY_G1, BV_OP_TO_AFFINE, aff, out, NULL, N, threads[t], &err), BV_OK);
        for (size_t i = 0; i < N; i++) {
            op(BV_FAMILY_G1, BV_OP_SMUL, one, pts + i * 144, ks + i * 32);
            assert_memory_equal(out + i * 144, one, 144);
            op(BV_FAMILY_G1, BV_OP_TO_AFFINE, one, one, NULL);
            assert_memory_equal(aff + i * 96, one, 96);
        }
    }
    free(pts);
    free(ks);
    free(out);
    free(aff);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(constants_match_published),
        cmocka_unit_test(constants_satisfy_definitions),
        cmocka_unit_test(init_is_idempotent),
        cmocka_unit_test(names_round_trip),
        cmocka_unit_test(family_table_describes_ops),
        cmocka_unit_test(family_equal_and_valid_input),
        cmocka_unit_test(hex_parse_accepts),
        cmocka_unit_test(hex_parse_rejects),
        cmocka_unit_test(hex_round_trips),
        cmocka_unit_test(mpz_conversions),
        cmocka_unit_test(known_answers),
        cmocka_unit_test(identities_hold),
        cmocka_unit_test(inv_known_answers),
        cmocka_unit_test(fast_matches_slow_random),
        cmocka_unit_test(fast_matches_slow_boundary),
        cmocka_unit_test(ops_allow_aliasing),
        cmocka_unit_test(batch_matches_op),
        cmocka_unit_test(batch_rejects_bad_arguments),
        cmocka_unit_test(fp2_known_answers),
        cmocka_unit_test(fp2_inv_known_answers),
        cmocka_unit_test(fp2_fast_matches_slow),
        cmocka_unit_test(fp2_hex_and_canonical),
        cmocka_unit_test(curve_known_answers),
        cmocka_unit_test(curve_group_laws),
        cmocka_unit_test(curve_compare_verdicts),
        cmocka_unit_test(curve_hex_slots),
        cmocka_unit_test(curve_batch),
    };
    return cmocka_run_group_tests_name("reference", tests, group_setup, NULL);
}
