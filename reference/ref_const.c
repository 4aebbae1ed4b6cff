/* reference/ref_const.c: the bottom of the reference module: the two BLS12-381 moduli,
 * the families' names and sizes, the Montgomery constants derived from them with GMP and checked
 * against published values, and conversions between elements and GMP integers. It calls
 * no other file of the module. */
#include "ref_internal.h"

#include <string.h>

/* The one place the moduli are written; everything else is derived from these. */
static const char *const modulus_hex[BV_FAMILY_COUNT] = {
    [BV_FAMILY_FP] = "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf"
                    "6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab",
    [BV_FAMILY_FR] = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001",
};

/* Sizes are fixed by the kernel ABI, so they are known before bv_ref_init. */
static const unsigned field_bytes[] = {[BV_FAMILY_FP] = 48, [BV_FAMILY_FR] = 32, [BV_FAMILY_FP2] = 96,
                                       [BV_FAMILY_G1] = 144, [BV_FAMILY_G2] = 288};
_Static_assert(sizeof field_bytes / sizeof field_bytes[0] == BV_FAMILY_COUNT,
               "field_bytes must have one entry per bv_family");

/* What the derivation must reproduce, from sources other than this file's GMP code,
 * each re-checked with python3's integers (pow(2, 384, p) and so on) before pinning:
 * - Fp R mod p: blst src/consts.h ONE_MONT_P and zkcrypto bls12_381 src/fp.rs R;
 *   R^2 mod p and INV: zkcrypto bls12_381 src/fp.rs R2 and INV (blst's p0 is the same).
 * - Fr R mod r, R^2 mod r and INV: zkcrypto bls12_381 src/scalar.rs R, R2 and INV
 *   (blst's r0 is the same INV).
 * - R^-1 mod m is not published there; it is python3's pow(2**384, -1, p) and
 *   pow(2**256, -1, r). minv32 is the low half of INV (-m^-1 mod 2^32 is
 *   -m^-1 mod 2^64 reduced), pinned separately so that its derivation is checked too. */
typedef struct published {
    unsigned bits;
    const char *r_mod, *r2_mod, *rinv_mod;
    uint64_t minv64;
    uint32_t minv32;
} published;

static const published published_values[BV_FAMILY_COUNT] = {
    [BV_FAMILY_FP] = {
        .bits = 381,
        .r_mod = "15f65ec3fa80e4935c071a97a256ec6d77ce5853705257455f48985753c758ba"
                 "ebf4000bc40c0002760900000002fffd",
        .r2_mod = "11988fe592cae3aa9a793e85b519952d67eb88a9939d83c08de5476c4c95b6d5"
                  "0a76e6a609d104f1f4df1f341c341746",
        .rinv_mod = "14fec701e8fb0ce9ed5e64273c4f538b1797ab1458a88de9343ea97914956dc8"
                    "7fe11274d898fafbf4d38259380b4820",
        .minv64 = 0x89f3fffcfffcfffdull,
        .minv32 = 0xfffcfffdu,
    },
    [BV_FAMILY_FR] = {
        .bits = 255,
        .r_mod = "1824b159acc5056f998c4fefecbc4ff55884b7fa0003480200000001fffffffe",
        .r2_mod = "0748d9d99f59ff1105d314967254398f2b6cedcb87925c23c999e990f3f29c6d",
        .rinv_mod = "1bbe869330009d577204078a4f77266aab6fca8f09dc705f13f75b69fe75c040",
        .minv64 = 0xfffffffeffffffffull,
        .minv32 = 0xffffffffu,
    },
};

static const char *const field_names[] = {
    [BV_FAMILY_FP] = "fp", [BV_FAMILY_FR] = "fr", [BV_FAMILY_FP2] = "fp2", [BV_FAMILY_G1] = "g1",
    [BV_FAMILY_G2] = "g2"};
_Static_assert(sizeof field_names / sizeof field_names[0] == BV_FAMILY_COUNT,
               "field_names must have one entry per bv_family");

/* Written once by bv_ref_const_derive inside bv_ref_init's pthread_once; read-only
 * afterwards, so readers need no lock. Only the fields' entries are filled. */
static bv_ref_constants constants[BV_FAMILY_COUNT];

/* Exports z (0 <= z < 2^(8*bytes)) as little-endian bytes, zero-padded. */
static void export_le(uint8_t *out, unsigned bytes, const mpz_t z)
{
    size_t n = 0;
    memset(out, 0, bytes);
    mpz_export(out, &n, -1, 1, 0, 0, z);
}

/* Compares a derived value with its published hex; a mismatch becomes init's error. */
static bv_status check_published(bv_family f, const char *what, const mpz_t derived,
                                 const char *published_hex, bv_error *err)
{
    mpz_t pub;
    bv_status st = BV_OK;
    mpz_init_set_str(pub, published_hex, 16);
    if (mpz_cmp(derived, pub) != 0) {
        char got[BV_REF_MAX_HEX + 8];
        mpz_get_str(got, 16, derived);
        st = bv_error_set(err, BV_ERR_INTERNAL,
                          "bv_ref_init: %s %s derived as 0x%s, but the published value is 0x%s",
                          field_names[f], what, got, published_hex);
    }
    mpz_clear(pub);
    return st;
}

static bv_status derive_field(bv_family f, bv_error *err)
{
    const published *pv = &published_values[f];
    bv_ref_constants *c = &constants[f];
    mpz_t m, R, t, pow2;
    bv_status st = BV_OK;

    mpz_inits(m, R, t, pow2, NULL);
    memset(c, 0, sizeof *c);
    c->family = f;
    c->bytes = field_bytes[f];
    c->limbs32 = c->bytes / 4;
    c->limbs64 = c->bytes / 8;
    c->r_bits = 8 * c->bytes;

    if (mpz_set_str(m, modulus_hex[f], 16) != 0) {
        st = bv_error_set(err, BV_ERR_INTERNAL, "bv_ref_init: %s modulus is not valid hex",
                          field_names[f]);
        goto out;
    }
    c->bits = (unsigned)mpz_sizeinbase(m, 2);
    if (c->bits != pv->bits) {
        st = bv_error_set(err, BV_ERR_INTERNAL,
                          "bv_ref_init: %s modulus has %u bits, expected %u", field_names[f],
                          c->bits, pv->bits);
        goto out;
    }
    /* Montgomery reduction needs an odd modulus; a prime also rules out a typo that
     * happens to keep the bit length. */
    if (mpz_even_p(m) || mpz_probab_prime_p(m, 30) == 0) {
        st = bv_error_set(err, BV_ERR_INTERNAL, "bv_ref_init: %s modulus is not an odd prime",
                          field_names[f]);
        goto out;
    }
    export_le(c->modulus, c->bytes, m);

    mpz_setbit(R, c->r_bits);
    mpz_mod(t, R, m);
    if ((st = check_published(f, "R mod m", t, pv->r_mod, err)) != BV_OK)
        goto out;
    export_le(c->r_mod, c->bytes, t);

    mpz_mul(t, R, R);
    mpz_mod(t, t, m);
    if ((st = check_published(f, "R^2 mod m", t, pv->r2_mod, err)) != BV_OK)
        goto out;
    export_le(c->r2_mod, c->bytes, t);

    if (mpz_invert(t, R, m) == 0) {
        st = bv_error_set(err, BV_ERR_INTERNAL, "bv_ref_init: R is not invertible mod %s",
                          field_names[f]);
        goto out;
    }
    if ((st = check_published(f, "R^-1 mod m", t, pv->rinv_mod, err)) != BV_OK)
        goto out;
    export_le(c->rinv_mod, c->bytes, t);

    /* -m^-1 mod 2^64 and mod 2^32; each is checked below by plain C multiplication,
     * which does not trust mpz_invert. */
    mpz_set_ui(pow2, 0);
    mpz_setbit(pow2, 64);
    mpz_invert(t, m, pow2);
    mpz_sub(t, pow2, t);
    c->minv64 = (uint64_t)mpz_getlimbn(t, 0);
    mpz_set_ui(pow2, 0);
    mpz_setbit(pow2, 32);
    mpz_invert(t, m, pow2);
    mpz_sub(t, pow2, t);
    c->minv32 = (uint32_t)mpz_get_ui(t);

    uint64_t m0 = 0;
    for (int i = 7; i >= 0; i--)
        m0 = (m0 << 8) | c->modulus[i];
    if ((uint64_t)(m0 * c->minv64) != UINT64_MAX || (uint32_t)(m0 * c->minv32) != UINT32_MAX) {
        st = bv_error_set(err, BV_ERR_INTERNAL,
                          "bv_ref_init: %s -m^-1 is wrong: m0 * minv64 = 0x%016llx, "
                          "m0 * minv32 = 0x%08lx, both should be all ones",
                          field_names[f], (unsigned long long)(m0 * c->minv64),
                          (unsigned long)(uint32_t)(m0 * c->minv32));
        goto out;
    }
    if (c->minv64 != pv->minv64 || c->minv32 != pv->minv32) {
        st = bv_error_set(err, BV_ERR_INTERNAL,
                          "bv_ref_init: %s -m^-1 derived as 0x%016llx / 0x%08lx, but the "
                          "published values are 0x%016llx / 0x%08lx",
                          field_names[f], (unsigned long long)c->minv64,
                          (unsigned long)c->minv32, (unsigned long long)pv->minv64,
                          (unsigned long)pv->minv32);
        goto out;
    }

out:
    mpz_clears(m, R, t, pow2, NULL);
    return st;
}

bv_status bv_ref_const_derive(bv_error *err)
{
    bv_status st = BV_OK;
    for (int f = 0; f < BV_FAMILY_COUNT && st == BV_OK; f++)
        if (bv_ref_is_field((bv_family)f))
            st = derive_field((bv_family)f, err);
    return st;
}

const bv_ref_constants *bv_ref_const(bv_family f)
{
    return &constants[f];
}

const char *bv_ref_family_name(bv_family f)
{
    return bv_ref_field_valid(f) ? field_names[f] : "unknown";
}

bv_status bv_ref_family_parse(const char *name, bv_family *out)
{
    if (!name || !out)
        return BV_ERR_ARG;
    for (int f = 0; f < BV_FAMILY_COUNT; f++) {
        if (strcmp(name, field_names[f]) == 0) {
            *out = (bv_family)f;
            return BV_OK;
        }
    }
    return BV_ERR_VALUE;
}

size_t bv_ref_family_bytes(bv_family f)
{
    return bv_ref_field_valid(f) ? field_bytes[f] : 0;
}

bool bv_ref_is_canonical(bv_family f, const uint8_t *x)
{
    if (f == BV_FAMILY_FP2 || f == BV_FAMILY_G1 || f == BV_FAMILY_G2) {
        /* Made of Fp elements: every one below p. */
        for (unsigned off = 0; off < field_bytes[f]; off += 48)
            if (!bv_ref_is_canonical(BV_FAMILY_FP, x + off))
                return false;
        return true;
    }
    if (!bv_ref_is_field(f))
        return false;
    const bv_ref_constants *c = &constants[f];
    for (unsigned i = c->bytes; i-- > 0;) {
        if (x[i] != c->modulus[i])
            return x[i] < c->modulus[i];
    }
    return false; /* x == m */
}

void bv_ref_to_mpz(mpz_t out, bv_family f, const uint8_t *x)
{
    if (!bv_ref_field_valid(f)) {
        mpz_set_ui(out, 0);
        return;
    }
    mpz_import(out, field_bytes[f], -1, 1, 0, 0, x);
}

bv_status bv_ref_from_mpz(uint8_t *out, bv_family f, const mpz_t x, bv_error *err)
{
    if (!bv_ref_field_valid(f))
        return bv_error_set(err, BV_ERR_ARG, "bv_ref_from_mpz: invalid field");
    if (mpz_sgn(x) < 0)
        return bv_error_set(err, BV_ERR_VALUE, "bv_ref_from_mpz: negative value");
    if (mpz_sizeinbase(x, 2) > 8u * field_bytes[f])
        return bv_error_set(err, BV_ERR_VALUE,
                            "bv_ref_from_mpz: value has %zu bits, more than %s's %u bytes hold",
                            mpz_sizeinbase(x, 2), field_names[f], field_bytes[f]);
    export_le(out, field_bytes[f], x);
    return BV_OK;
}
