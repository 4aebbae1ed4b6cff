/* reference/ref_ntt.c: the number-theoretic transform over Fr that NTT kernels are checked
 * against: Fr's roots of unity and coset shift (derived with GMP at bv_ref_init and checked there
 * against a published value), a plain iterative radix-2 transform on mpz arithmetic, and the
 * named edge inputs. Written from the definition of the DFT, not from any kernel's layout; the
 * tests hold it against an O(n^2) evaluation of the polynomial. It calls only ref_const.c. */
#include "ref_internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define FR_BYTES 32
#define FR_LIMBS 4

/* r - 1 = 2^32 * t with t odd, factored into primes (multiplicities 1 unless said). A generator
 * of Fr* is a g with g^((r-1)/q) != 1 for every prime q dividing r - 1; bv_ref_init checks that
 * the factors multiply to r - 1, that each is prime and that g = 7 passes, so that 7's status as
 * a generator (which the ecosystem asserts in prose: zkcrypto bls12_381 src/scalar.rs
 * "GENERATOR = 7 mod q is a generator of the q - 1 order multiplicative subgroup", c-kzg-4844
 * src/c_kzg_4844.c PRIMITIVE_ROOT = 7) is checked here, not trusted. Factored with
 * python3 (trial division of r - 1 by the listed primes leaves 1). */
static const struct {
    const char *q;
    unsigned mult;
} r_minus_1_factors[] = {
    {"2", BV_REF_FR_TWO_ADICITY}, {"3", 1},       {"11", 1},      {"19", 1},
    {"10177", 1},                 {"125527", 1},  {"859267", 1},  {"906349", 2},
    {"2508409", 1},               {"2529403", 1}, {"52437899", 1}, {"254760293", 2},
};

/* The primitive 2^32-th root of unity 7^((r-1)/2^32) in normal (canonical) form. Published by
 * zkcrypto bls12_381, src/scalar.rs, as ROOT_OF_UNITY in Montgomery form: 64-bit limbs
 * 0xb9b58d8c5f0e466a, 0x5b1b4c801819d7ec, 0x0af53ae352a31e64, 0x5bf3adda19e9b27b (low first),
 * the integer w*2^256 mod r; this is that value times 2^-256 mod r (python3:
 * x * pow(2**256, -1, r) % r). The tests check the Montgomery form too, and c-kzg-4844's
 * table of 2^k-th roots (src/c_kzg_4844.c, scale2_root_of_unity, normal form). */
static const char root_2_32_hex[] =
    "16a2a19edfe81f20d09b681922c813b4b63683508c2280b93829971f439f0d2b";

/* Filled once by bv_ref_ntt_setup inside bv_ref_init's pthread_once; read-only after. */
static struct {
    mpz_t r, rmod;           /* r, and R mod r (R = 2^256): the Montgomery form of 1 */
    mpz_t g, g_inv;          /* the coset shift 7 and its inverse */
    mpz_t root[BV_REF_FR_TWO_ADICITY + 1];     /* root[k]: primitive 2^k-th root, normal form */
    mpz_t root_inv[BV_REF_FR_TWO_ADICITY + 1]; /* its inverse */
    mp_limb_t r_limbs[FR_LIMBS];
} k;
static bool ntt_ready;

/* ---- setup -------------------------------------------------------------------------- */

static bv_status check_generator(const mpz_t r, unsigned g, bv_error *err)
{
    mpz_t rm1, prod, q, e, t;
    bv_status st = BV_OK;
    mpz_inits(rm1, prod, q, e, t, NULL);
    mpz_sub_ui(rm1, r, 1);
    mpz_set_ui(prod, 1);
    for (size_t i = 0; i < sizeof r_minus_1_factors / sizeof r_minus_1_factors[0]; i++) {
        mpz_set_str(q, r_minus_1_factors[i].q, 10);
        mpz_pow_ui(t, q, r_minus_1_factors[i].mult);
        mpz_mul(prod, prod, t);
        if (mpz_probab_prime_p(q, 30) == 0) {
            st = bv_error_set(err, BV_ERR_INTERNAL, "bv_ref_init: factor %s of r - 1 is not prime",
                              r_minus_1_factors[i].q);
            goto out;
        }
        mpz_divexact(e, rm1, q);
        mpz_set_ui(t, g);
        mpz_powm(t, t, e, r);
        if (mpz_cmp_ui(t, 1) == 0) {
            st = bv_error_set(err, BV_ERR_INTERNAL,
                              "bv_ref_init: %u is not a generator of Fr* (%u^((r-1)/%s) = 1)", g,
                              g, r_minus_1_factors[i].q);
            goto out;
        }
    }
    if (mpz_cmp(prod, rm1) != 0)
        st = bv_error_set(err, BV_ERR_INTERNAL,
                          "bv_ref_init: the listed factors of r - 1 do not multiply to r - 1");
out:
    mpz_clears(rm1, prod, q, e, t, NULL);
    return st;
}

bv_status bv_ref_ntt_setup(bv_error *err)
{
    const bv_ref_constants *c = bv_ref_const(BV_FAMILY_FR);
    const unsigned s = BV_REF_FR_TWO_ADICITY;
    mpz_t t, pub;
    bv_status st = BV_OK;

    mpz_inits(k.r, k.rmod, k.g, k.g_inv, t, pub, NULL);
    for (unsigned i = 0; i <= s; i++)
        mpz_inits(k.root[i], k.root_inv[i], NULL);
    bv_ref_to_mpz(k.r, BV_FAMILY_FR, c->modulus);
    bv_ref_to_mpz(k.rmod, BV_FAMILY_FR, c->r_mod);
    mpn_zero(k.r_limbs, FR_LIMBS);
    mpn_copyi(k.r_limbs, mpz_limbs_read(k.r), (mp_size_t)mpz_size(k.r));

    /* The two-adicity is a fact about r that the size limit rests on: 2^32 divides r - 1 and
     * 2^33 does not. */
    mpz_sub_ui(t, k.r, 1);
    if (mpz_scan1(t, 0) != s) {
        st = bv_error_set(err, BV_ERR_INTERNAL, "bv_ref_init: r - 1 has two-adicity %lu, not %u",
                          (unsigned long)mpz_scan1(t, 0), s);
        goto out;
    }
    if ((st = check_generator(k.r, BV_REF_FR_GENERATOR, err)) != BV_OK)
        goto out;
    mpz_set_ui(k.g, BV_REF_FR_GENERATOR);
    mpz_invert(k.g_inv, k.g, k.r);

    /* w = g^((r-1)/2^32): g generates Fr*, so w has order exactly 2^32. */
    mpz_tdiv_q_2exp(t, t, s);
    mpz_powm(k.root[s], k.g, t, k.r);
    mpz_set_str(pub, root_2_32_hex, 16);
    if (mpz_cmp(k.root[s], pub) != 0) {
        char got[BV_REF_MAX_HEX];
        mpz_get_str(got, 16, k.root[s]);
        st = bv_error_set(err, BV_ERR_INTERNAL,
                          "bv_ref_init: fr 2^32-th root of unity derived as 0x%s, but the "
                          "published value is 0x%s",
                          got, root_2_32_hex);
        goto out;
    }
    /* The 2^k-th roots are the square chain, so that w_k^2 = w_(k-1) exactly as a radix-2
     * transform consumes them; the chain must end on 1 with -1 just before it. */
    for (unsigned i = s; i > 0; i--) {
        mpz_mul(k.root[i - 1], k.root[i], k.root[i]);
        mpz_mod(k.root[i - 1], k.root[i - 1], k.r);
    }
    mpz_sub_ui(t, k.r, 1);
    if (mpz_cmp_ui(k.root[0], 1) != 0 || mpz_cmp(k.root[1], t) != 0) {
        st = bv_error_set(err, BV_ERR_INTERNAL,
                          "bv_ref_init: the 2^32-th root of unity does not have order 2^32");
        goto out;
    }
    for (unsigned i = 0; i <= s; i++)
        mpz_invert(k.root_inv[i], k.root[i], k.r);
    ntt_ready = true;
out:
    mpz_clears(t, pub, NULL);
    return st;
}

/* ---- arguments ---------------------------------------------------------------------- */

/* n = 2^log_n elements of 32 bytes: BV_ERR_ARG past the two-adicity, BV_ERR_OVERFLOW where n or
 * the buffer's bytes do not fit size_t (a 32-bit host at log_n >= 27). */
static bv_status check_size(const char *fn, unsigned log_n, size_t *n, size_t *bytes,
                            bv_error *err)
{
    if (log_n > BV_REF_FR_TWO_ADICITY)
        return bv_error_set(err, BV_ERR_ARG,
                            "%s: log_n %u is above %u, the two-adicity of Fr: there is no "
                            "primitive 2^%u-th root of unity",
                            fn, log_n, BV_REF_FR_TWO_ADICITY, log_n);
    if (log_n >= sizeof(size_t) * CHAR_BIT ||
        bv_size_mul((size_t)1 << log_n, FR_BYTES, bytes) != BV_OK)
        return bv_error_set(err, BV_ERR_OVERFLOW,
                            "%s: 2^%u elements of %u bytes overflow size_t on this host", fn,
                            log_n, FR_BYTES);
    *n = (size_t)1 << log_n;
    return BV_OK;
}

static bv_status check_ready(const char *fn, bv_error *err)
{
    if (!ntt_ready)
        return bv_error_set(err, BV_ERR_ARG, "%s: bv_ref_init has not succeeded", fn);
    return BV_OK;
}

/* ---- element access ------------------------------------------------------------------
 * The transform works on an array of 4-limb values, one per element; mpz_roinit_n reads them
 * in place and put() writes an mpz result back, so the hot loop allocates nothing. */

static void load_limbs(mp_limb_t *out, const uint8_t *x)
{
    for (unsigned i = 0; i < FR_LIMBS; i++, x += 8) {
        mp_limb_t w = 0;
        for (int j = 7; j >= 0; j--)
            w = w << 8 | x[j];
        out[i] = w;
    }
}

static void store_limbs(uint8_t *out, const mp_limb_t *a)
{
    for (unsigned i = 0; i < FR_LIMBS; i++, out += 8)
        for (unsigned j = 0; j < 8; j++)
            out[j] = (uint8_t)(a[i] >> (8 * j));
}

/* z must be in [0, r). */
static void put(mp_limb_t *dst, const mpz_t z)
{
    size_t used = mpz_size(z);
    mpn_copyi(dst, mpz_limbs_read(z), (mp_size_t)used);
    if (used < FR_LIMBS)
        mpn_zero(dst + used, (mp_size_t)(FR_LIMBS - used));
}

static mpz_srcptr view(mpz_t tmp, const mp_limb_t *a)
{
    return mpz_roinit_n(tmp, a, FR_LIMBS);
}

/* The element as bytes in normal form or in Montgomery form (v * R mod r). */
static void export_value(uint8_t *out, const mpz_t v, bool montgomery)
{
    mpz_t t;
    mpz_init(t);
    if (montgomery) {
        mpz_mul(t, v, k.rmod);
        mpz_mod(t, t, k.r);
    } else {
        mpz_mod(t, v, k.r);
    }
    /* Cannot fail: t is below r. */
    BV_IGNORE(bv_ref_from_mpz(out, BV_FAMILY_FR, t, NULL));
    mpz_clear(t);
}

/* ---- the transform ------------------------------------------------------------------ */

static size_t bit_reverse(size_t i, unsigned bits)
{
    size_t rev = 0;
    for (unsigned b = 0; b < bits; b++, i >>= 1)
        rev = rev << 1 | (i & 1);
    return rev;
}

bv_status bv_ref_ntt(uint8_t *out, const uint8_t *in, unsigned log_n, bv_ref_ntt_dir dir,
                     bool coset, bv_error *err)
{
    static const char fn[] = "bv_ref_ntt";
    size_t n = 0, bytes = 0;
    mp_limb_t *a = NULL, *tw = NULL;
    mpz_t p, step, t, sum, diff, u, v, w;
    bv_status st;

    if ((st = check_ready(fn, err)) != BV_OK)
        return st;
    if (dir != BV_REF_NTT_FORWARD && dir != BV_REF_NTT_INVERSE)
        return bv_error_set(err, BV_ERR_ARG, "%s: direction %d is neither forward nor inverse",
                            fn, (int)dir);
    if ((st = check_size(fn, log_n, &n, &bytes, err)) != BV_OK)
        return st;
    if (!out || !in)
        return bv_error_set(err, BV_ERR_ARG, "%s: NULL %s", fn, !out ? "output" : "input");
    for (size_t i = 0; i < n; i++) {
        mp_limb_t x[FR_LIMBS];
        load_limbs(x, in + i * FR_BYTES);
        if (mpn_cmp(x, k.r_limbs, FR_LIMBS) >= 0)
            return bv_error_set(err, BV_ERR_VALUE,
                                "%s: input element %zu of %zu is not below r (inputs must be "
                                "canonical)",
                                fn, i, n);
    }

    /* bytes of limbs = bytes of elements, checked above; the twiddles are half as many. */
    a = malloc(bytes);
    tw = malloc(n > 1 ? bytes / 2 : FR_BYTES);
    if (!a || !tw) {
        free(a);
        free(tw);
        return bv_error_set(err, BV_ERR_NOMEM,
                            "%s: out of memory for 2^%u elements (%zu bytes, and half as many "
                            "again for the twiddles)",
                            fn, log_n, bytes);
    }
    mpz_inits(p, step, t, sum, diff, NULL);

    /* The input in bit-reversed order, so that the in-place stages below leave the output in
     * natural order. A coset forward transform evaluates on g*H: coefficient i times g^i first. */
    mpz_set_ui(p, 1);
    for (size_t i = 0; i < n; i++) {
        mp_limb_t *dst = a + bit_reverse(i, log_n) * FR_LIMBS;
        load_limbs(dst, in + i * FR_BYTES);
        if (coset && dir == BV_REF_NTT_FORWARD) {
            mpz_mul(t, view(u, dst), p);
            mpz_mod(t, t, k.r);
            put(dst, t);
            mpz_mul(p, p, k.g);
            mpz_mod(p, p, k.r);
        }
    }

    /* Twiddles w^j for j < n/2, w the primitive n-th root (its inverse for the inverse). */
    mpz_srcptr root = dir == BV_REF_NTT_FORWARD ? k.root[log_n] : k.root_inv[log_n];
    mpz_set_ui(p, 1);
    for (size_t j = 0; j < n / 2; j++) {
        put(tw + j * FR_LIMBS, p);
        mpz_mul(p, p, root);
        mpz_mod(p, p, k.r);
    }

    /* Radix-2 decimation in time: each stage joins pairs of transforms of length half into
     * one of length len, whose twiddle w_len^j is w_n^(j*n/len). */
    for (size_t len = 2; len <= n; len *= 2) {
        size_t half = len / 2, stride = n / len;
        for (size_t start = 0; start < n; start += len) {
            for (size_t j = 0; j < half; j++) {
                mp_limb_t *x = a + (start + j) * FR_LIMBS, *y = x + half * FR_LIMBS;
                mpz_mul(t, view(v, y), view(w, tw + j * stride * FR_LIMBS));
                mpz_mod(t, t, k.r);
                mpz_add(sum, view(u, x), t);
                if (mpz_cmp(sum, k.r) >= 0)
                    mpz_sub(sum, sum, k.r);
                mpz_sub(diff, view(u, x), t);
                if (mpz_sgn(diff) < 0)
                    mpz_add(diff, diff, k.r);
                /* Both are computed before either is written: u is a view of x. */
                put(x, sum);
                put(y, diff);
            }
        }
    }

    /* The inverse divides by n and, for a coset, undoes the shift: output i times g^-i. */
    if (dir == BV_REF_NTT_INVERSE) {
        mpz_set_ui(step, 1);
        mpz_mul_2exp(step, step, log_n);
        mpz_invert(p, step, k.r); /* p = n^-1, then n^-1 * g^-i */
    }
    for (size_t i = 0; i < n; i++) {
        mp_limb_t *x = a + i * FR_LIMBS;
        if (dir == BV_REF_NTT_INVERSE) {
            mpz_mul(t, view(u, x), p);
            mpz_mod(t, t, k.r);
            put(x, t);
            if (coset) {
                mpz_mul(p, p, k.g_inv);
                mpz_mod(p, p, k.r);
            }
        }
        store_limbs(out + i * FR_BYTES, x);
    }

    mpz_clears(p, step, t, sum, diff, NULL);
    free(a);
    free(tw);
    return BV_OK;
}

bv_status bv_ref_ntt_params_get(bv_ref_ntt_params *out, unsigned log_n, bool montgomery,
                                bv_error *err)
{
    static const char fn[] = "bv_ref_ntt_params_get";
    size_t n = 0, bytes = 0;
    mpz_t ninv;
    bv_status st;

    if ((st = check_ready(fn, err)) != BV_OK)
        return st;
    if (!out)
        return bv_error_set(err, BV_ERR_ARG, "%s: NULL output", fn);
    /* Only the two-adicity limits the constants; the buffer-size check is the transform's. */
    if (log_n > BV_REF_FR_TWO_ADICITY && (st = check_size(fn, log_n, &n, &bytes, err)) != BV_OK)
        return st;
    memset(out, 0, sizeof *out);
    out->log_n = log_n;
    out->montgomery = montgomery;
    export_value(out->root, k.root[log_n], montgomery);
    export_value(out->root_inv, k.root_inv[log_n], montgomery);
    export_value(out->shift, k.g, montgomery);
    export_value(out->shift_inv, k.g_inv, montgomery);
    mpz_init_set_ui(ninv, 1);
    mpz_mul_2exp(ninv, ninv, log_n);
    mpz_invert(ninv, ninv, k.r);
    export_value(out->size_inv, ninv, montgomery);
    mpz_clear(ninv);
    return BV_OK;
}

/* ---- edge inputs -------------------------------------------------------------------- */

/* "one" is the Montgomery form of 1 (R mod r), the one a Montgomery kernel sees; the transform
 * is linear, so an edge input's expected output is the same whichever form it is read in. */
typedef enum edge_kind {
    EDGE_ZEROS,
    EDGE_ONE_AT_0,
    EDGE_ONE_AT_1,
    EDGE_ONE_AT_LAST,
    EDGE_ONES,
    EDGE_ROOT_POWERS,
    EDGE_ALTERNATING,
    EDGE_ALL_M_MINUS_1,
    EDGE_ALL_MONT_MINUS_1,
    EDGE_COUNT
} edge_kind;

static const char *const edge_names[] = {
    [EDGE_ZEROS] = "zeros",
    [EDGE_ONE_AT_0] = "one_at_0",
    [EDGE_ONE_AT_1] = "one_at_1",
    [EDGE_ONE_AT_LAST] = "one_at_n-1",
    [EDGE_ONES] = "ones",
    [EDGE_ROOT_POWERS] = "root_powers",
    [EDGE_ALTERNATING] = "alternating",
    [EDGE_ALL_M_MINUS_1] = "all_m-1",
    [EDGE_ALL_MONT_MINUS_1] = "all_mont(m-1)",
};
_Static_assert(sizeof edge_names / sizeof edge_names[0] == EDGE_COUNT,
               "edge_names must have one entry per edge_kind");

size_t bv_ref_ntt_edge_count(void)
{
    return EDGE_COUNT;
}

const char *bv_ref_ntt_edge_name(size_t which)
{
    return which < EDGE_COUNT ? edge_names[which] : NULL;
}

bv_status bv_ref_ntt_edge(uint8_t *out, unsigned log_n, size_t which, bv_error *err)
{
    static const char fn[] = "bv_ref_ntt_edge";
    size_t n = 0, bytes = 0;
    uint8_t one[FR_BYTES], minus_one[FR_BYTES], m_minus_1[FR_BYTES];
    mpz_t t;
    bv_status st;

    if ((st = check_ready(fn, err)) != BV_OK)
        return st;
    if (which >= EDGE_COUNT)
        return bv_error_set(err, BV_ERR_ARG, "%s: no edge input %zu (there are %d)", fn, which,
                            (int)EDGE_COUNT);
    if ((st = check_size(fn, log_n, &n, &bytes, err)) != BV_OK)
        return st;
    if (!out)
        return bv_error_set(err, BV_ERR_ARG, "%s: NULL output", fn);

    mpz_init(t);
    export_value(one, k.root[0], true);
    mpz_sub_ui(t, k.r, 1);
    export_value(minus_one, t, true);
    export_value(m_minus_1, t, false);
    memset(out, 0, bytes);
    switch ((edge_kind)which) {
    case EDGE_ZEROS:
        break;
    case EDGE_ONE_AT_0:
    case EDGE_ONE_AT_1:
    case EDGE_ONE_AT_LAST: {
        /* Indices are taken mod n, so n = 1 has its one at 0 and n = 2 at 1 for both others. */
        size_t at = which == EDGE_ONE_AT_0 ? 0 : which == EDGE_ONE_AT_1 ? 1 % n : n - 1;
        memcpy(out + at * FR_BYTES, one, FR_BYTES);
        break;
    }
    case EDGE_ONES:
    case EDGE_ALL_M_MINUS_1:
    case EDGE_ALL_MONT_MINUS_1: {
        const uint8_t *v = which == EDGE_ONES ? one : which == EDGE_ALL_M_MINUS_1 ? m_minus_1
                                                                                  : minus_one;
        for (size_t i = 0; i < n; i++)
            memcpy(out + i * FR_BYTES, v, FR_BYTES);
        break;
    }
    case EDGE_ROOT_POWERS:
    case EDGE_ALTERNATING: {
        /* w_n^i, or (-1)^i = w_2^i; n = 1 has only w^0 = 1. */
        mpz_srcptr base = which == EDGE_ROOT_POWERS ? k.root[log_n] : k.root[log_n ? 1 : 0];
        mpz_set_ui(t, 1);
        for (size_t i = 0; i < n; i++) {
            export_value(out + i * FR_BYTES, t, true);
            mpz_mul(t, t, base);
            mpz_mod(t, t, k.r);
        }
        break;
    }
    case EDGE_COUNT:
        break;
    }
    mpz_clear(t);
    return BV_OK;
}

/* ---- tables a kernel multiplies by ---------------------------------------------------- */

static const struct {
    const char *name;
    int len; /* 0: n / 2 (none at n = 1), 1: n, 2: one element */
    bool inverse, coset;
} tables[] = {
    {"twiddles", 0, false, false},
    {"twiddles_inv", 0, true, false},
    {"coset", 1, false, true},
    {"coset_inv_size", 1, true, true},
    {"size_inv", 2, true, false},
};

bv_status bv_ref_ntt_table_len(const char *name, unsigned log_n, size_t *len, bv_error *err)
{
    static const char fn[] = "bv_ref_ntt_table_len";
    size_t n = 0, bytes = 0;
    bv_status st;
    if ((st = check_size(fn, log_n, &n, &bytes, err)) != BV_OK)
        return st;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        if (name && strcmp(name, tables[i].name) == 0) {
            *len = tables[i].len == 0 ? n / 2 : tables[i].len == 1 ? n : 1;
            return BV_OK;
        }
    return bv_error_set(err, BV_ERR_VALUE,
                        "%s: no table '%s' (twiddles, twiddles_inv, coset, coset_inv_size, size_inv)", fn,
                        name ? name : "(null)");
}

bv_status bv_ref_ntt_table(uint8_t *out, const char *name, unsigned log_n, bv_error *err)
{
    static const char fn[] = "bv_ref_ntt_table";
    size_t len = 0, i, t;
    bv_status st;
    mpz_t v, step;

    if ((st = check_ready(fn, err)) != BV_OK || (st = bv_ref_ntt_table_len(name, log_n, &len, err)) != BV_OK)
        return st;
    for (t = 0; strcmp(name, tables[t].name) != 0; t++)
        ;
    if (!out)
        return bv_error_set(err, BV_ERR_ARG, "%s: NULL output", fn);
    /* Powers step^0, step^1, ... of the table's element, times 1/n where it says so; each
     * exported in Montgomery form, the form the kernels multiply by. */
    mpz_init_set_ui(v, 1);
    if (tables[t].len != 0 && tables[t].inverse) { /* the inverse's tables of n or 1 carry 1/n */
        mpz_mul_2exp(v, v, log_n);
        mpz_invert(v, v, k.r);
    }
    mpz_init(step);
    if (tables[t].coset)
        mpz_set(step, tables[t].inverse ? k.g_inv : k.g);
    else
        mpz_set(step, tables[t].inverse ? k.root_inv[log_n] : k.root[log_n]);
    for (i = 0; i < len; i++) {
        export_value(out + i * FR_BYTES, v, true);
        mpz_mul(v, v, step);
        mpz_mod(v, v, k.r);
    }
    mpz_clear(v);
    mpz_clear(step);
    return BV_OK;
}
