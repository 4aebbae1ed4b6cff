/* reference/bv_ref.h: the GMP-backed reference arithmetic for BLS12-381 Fp, Fr, Fp2, G1 and G2
 * that every blsvk verdict rests on. Elements are little-endian byte strings (48 bytes for Fp,
 * 32 for Fr, 96 for Fp2: c0 then c1; points and scalars as below), exactly the bytes a kernel
 * sees in its buffers. */
#ifndef BV_REF_H
#define BV_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bv_common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BV_REF_MAX_BYTES 288      /* the largest element: a G2 point in Jacobian coordinates */
#define BV_REF_FIELD_MAX_BYTES 48 /* the largest field element: Fp */
#define BV_REF_MAX_HEX 579        /* "0x" + 576 digits + NUL */
#define BV_REF_SCALAR_BYTES 32    /* smul's scalar: a 256-bit little-endian integer */

/* The op families. Fp and Fr are fields; Fp2 = Fp[u]/(u^2 + 1) is the quadratic extension of
 * Fp, an element c0 + c1*u stored as c0 then c1, each an Fp element. G1 is the curve
 * y^2 = x^3 + 4 over Fp, G2 its twist y^2 = x^3 + 4(1 + u) over Fp2. Their elements are points:
 * - Jacobian (the element, and every op's output but to_affine's): X, Y, Z one after another,
 *   each a base-field element in Montgomery form (x = X/Z^2, y = Y/Z^3); any Z = 0 is the
 *   identity. G1 144 bytes, G2 288.
 * - affine (madd's y, to_affine's output): x then y in Montgomery form; all-zero bytes are the
 *   identity (no point of either curve has x = y = 0). G1 96 bytes, G2 192.
 * - scalar (smul's y): 32 bytes, a 256-bit little-endian plain integer, not reduced mod r. */
typedef enum bv_family {
    BV_FAMILY_FP = 0,
    BV_FAMILY_FR = 1,
    BV_FAMILY_FP2 = 2,
    BV_FAMILY_G1 = 3,
    BV_FAMILY_G2 = 4,
    BV_FAMILY_COUNT
} bv_family;

/* The ops of the kernel ABI, on raw integers below the modulus m:
 * add x+y, sub x-y, neg -x, dbl 2x, mul x*y*R^-1, sqr x*x*R^-1, to_mont x*R,
 * from_mont x*R^-1, all mod m; R = 2^384 for Fp, 2^256 for Fr. Fp2 has add, sub, neg,
 * dbl, mul and sqr in the Fp2 sense (R = 2^384: the product's components are those of
 * x*y times R^-1), conj c0 - c1*u and mul_by_nonresidue x*(1 + u). G1 and G2 have add P + Q,
 * dbl 2P, madd P + A (A affine), neg -P, smul k*P (k the scalar y) and to_affine.
 * inv (Fp, Fr, Fp2) is the inverse in Montgomery form: x stands for a = x*R^-1 and the output
 * is a^-1 * R = x^-1 * R^2 mod m (Fp2: R = 2^384 as a scalar), 0 for x = 0, so that
 * mul(x, inv(x)) = R mod m, the Montgomery form of 1. */
typedef enum bv_op {
    BV_OP_ADD = 0,
    BV_OP_SUB,
    BV_OP_NEG,
    BV_OP_DBL,
    BV_OP_MUL,
    BV_OP_SQR,
    BV_OP_TO_MONT,
    BV_OP_FROM_MONT,
    BV_OP_CONJ,
    BV_OP_MUL_BY_NONRESIDUE,
    BV_OP_INV = 10, /* binary vector files store the number: new ops go at the end */
    BV_OP_MADD,
    BV_OP_SMUL,
    BV_OP_TO_AFFINE,
    /* Workloads (docs/workload-abi.md): no family's elementwise op, no kernel of the elementwise
     * ABI; their cases run a workload manifest. Fr's forward and inverse NTT and their coset
     * forms; G1's multi-scalar multiplication. */
    BV_OP_NTT,
    BV_OP_INTT,
    BV_OP_NTT_COSET,
    BV_OP_INTT_COSET,
    BV_OP_MSM,
    BV_OP_COUNT
} bv_op;
/* Whether op is a workload (BV_OP_NTT .. BV_OP_MSM), and the family whose workload it is
 * (BV_FAMILY_FR or BV_FAMILY_G1; BV_FAMILY_COUNT for an elementwise op). */
bool bv_ref_op_is_workload(bv_op op);
bv_family bv_ref_workload_family(bv_op op);

/* Constants of one field, derived from the modulus with GMP at bv_ref_init() and
 * checked there against the published values. Byte arrays are little-endian and
 * use the first `bytes` bytes. */
typedef struct bv_ref_constants {
    bv_family family;
    unsigned bits;    /* 381 / 255 */
    unsigned bytes;   /* 48 / 32 */
    unsigned limbs32; /* 12 / 8 */
    unsigned limbs64; /* 6 / 4 */
    unsigned r_bits;  /* 384 / 256 */
    uint8_t modulus[BV_REF_FIELD_MAX_BYTES];
    uint8_t r_mod[BV_REF_FIELD_MAX_BYTES];    /* R mod m (the Montgomery form of 1) */
    uint8_t r2_mod[BV_REF_FIELD_MAX_BYTES];   /* R^2 mod m */
    uint8_t rinv_mod[BV_REF_FIELD_MAX_BYTES]; /* R^-1 mod m */
    uint32_t minv32;                    /* -m^-1 mod 2^32 */
    uint64_t minv64;                    /* -m^-1 mod 2^64 */
} bv_ref_constants;

/* Derives and checks the constants. Idempotent and thread-safe; every other
 * bv_ref_ function requires it to have succeeded once. */
BV_NODISCARD bv_status bv_ref_init(bv_error *err);

/* NULL for an invalid family, for a family that is not a field (Fp2, G1, G2: their
 * coordinates' field is bv_ref_family(f)->base) or before bv_ref_init has succeeded. */
const bv_ref_constants *bv_ref_constants_get(bv_family f);

/* Names: "fp"/"fr"/"fp2"/"g1"/"g2"; "add","sub","neg","dbl","mul","sqr","to_mont","from_mont",
 * "conj","mul_by_nonresidue","inv","madd","smul","to_affine"; the workloads "ntt", "intt",
 * "ntt_coset", "intt_coset", "msm".
 * Names of invalid values are "unknown"; parsing is exact (lower case). */
const char *bv_ref_family_name(bv_family f);
const char *bv_ref_op_name(bv_op op);
/* 0 on success, BV_ERR_VALUE for an unknown name. */
BV_NODISCARD bv_status bv_ref_family_parse(const char *name, bv_family *out);
BV_NODISCARD bv_status bv_ref_op_parse(const char *name, bv_op *out);
unsigned bv_ref_op_arity(bv_op op); /* 1 or 2; 0 for an invalid op */
size_t bv_ref_family_bytes(bv_family f); /* 48 / 32 / 96 / 144 / 288; 0 for an invalid family */

/* x < m for a field; each component below p for Fp2; each coordinate (X, Y, Z) below p for a
 * Jacobian point of G1 or G2. */
bool bv_ref_is_canonical(bv_family f, const uint8_t *x);

/* The buffers of one op: its inputs x and y and its output. An op's element sizes can differ
 * (G1's smul reads a 144-byte point and a 32-byte scalar); a field's are all the family's. */
typedef enum bv_ref_slot { BV_REF_X = 0, BV_REF_Y = 1, BV_REF_OUT = 2 } bv_ref_slot;
/* Bytes of an element of slot `which` of f's op; 0 when f has no such op, or for y of a
 * unary op. */
size_t bv_ref_slot_bytes(bv_family f, bv_op op, unsigned which);
/* Whether every coordinate of the slot's element is below its field's modulus (a scalar
 * always is): the check on a kernel's output words before their value is compared. */
bool bv_ref_slot_canonical(bv_family f, bv_op op, unsigned which, const uint8_t *v);

/* One op on canonical inputs through the family's apply; y is ignored (may be NULL) for
 * unary ops. out may alias x or y. Does nothing for an invalid family or before
 * bv_ref_init; an invalid op gives a zero output. */
void bv_ref_op(bv_family f, bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y);

/* The family table: what the runner, the vectors and the kernels need to know about a
 * family without knowing which one it is. Adding a family (Fp2, G1, G2, ...) adds a row
 * here and leaves the users of the table alone. */
#define BV_REF_TAG_PRODUCT 1u /* the family's multiplication: chained by bench, the op the quick suite streams in every geometry */
#define BV_REF_TAG_SUM 2u     /* the family's addition: with the product, the quick suite's spirv-opt recipe cases */

/* How an output compares with the reference's (bv_ref_family_info.compare). */
typedef enum bv_ref_verdict {
    BV_REF_SAME = 0,      /* the same value (a point: the same point, whatever its Z) */
    BV_REF_WRONG,         /* canonical (and on the curve) but another value */
    BV_REF_NOT_CANONICAL, /* a word or coordinate is not below its modulus */
    BV_REF_OFF_CURVE,     /* a point output that is not on the curve */
    BV_REF_VERDICT_COUNT
} bv_ref_verdict;
/* "same", "wrong value", "not canonical", "not on the curve"; "unknown" for invalid values. */
const char *bv_ref_verdict_name(bv_ref_verdict v);
typedef struct bv_ref_op_info {
    bv_op op;
    unsigned arity;       /* inputs: 1 or 2 */
    size_t in_bytes[2];   /* bytes of an x and a y element (y: 0 for unary ops) */
    size_t out_bytes;     /* bytes of an output element */
    unsigned tags;        /* BV_REF_TAG_* */
} bv_ref_op_info;
typedef struct bv_ref_family_info {
    bv_family family;
    const char *name;     /* "fp", "fr", "fp2", "g1", "g2" */
    /* The field an element is made of, and how many of its elements an element holds: a field
     * is its own base with 1 part; Fp2 has base Fp and 2 parts (c0, c1); a Jacobian point of G1
     * has base Fp and 3 parts (X, Y, Z), of G2 base Fp and 6 (X.c0, X.c1, Y.c0, ...). Kernels are
     * built for the base field's arithmetic; vectors draw and name parts as base-field values. */
    bv_family base;
    unsigned parts;
    /* Elements are curve points: a failure is shown with the affine points (bv_ref_describe). */
    bool points;
    size_t nops;
    const bv_ref_op_info *ops; /* the family's ops in case-list order */
    /* Whether a and b, two outputs of op, denote the same value: equal bytes for a field and
     * for an affine point; for a Jacobian point, both canonical and projectively equivalent
     * (X1*Z2^2 = X2*Z1^2 and Y1*Z2^3 = Y2*Z1^3; the identity iff Z = 0). */
    bool (*equal)(bv_op op, const uint8_t *a, const uint8_t *b);
    /* The verdict on a kernel's output `got` against the reference's `expected`: not canonical
     * when a word or coordinate is not below its modulus; for a point, not on the curve when
     * got is not the identity and fails the curve equation (Y^2 = X^3 + b*Z^6, y^2 = x^3 + b
     * affine); else same or wrong value as equal says. expected must be the reference's. */
    bv_ref_verdict (*compare)(bv_op op, const uint8_t *got, const uint8_t *expected);
    /* Whether x is a valid input element of op's input `input`: below the modulus for a field;
     * for a point, every coordinate below p and the point on the curve (the identity with any
     * canonical X, Y; the reference's result for a point off the curve would mean nothing);
     * any 32 bytes for a scalar. Points need not be in the r-torsion subgroup. */
    bool (*valid_input)(bv_op op, unsigned input, const uint8_t *x);
    /* The reference: out = op(x, y) on valid inputs; y ignored for unary ops; out may alias x or y. */
    void (*apply)(bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y);
} bv_ref_family_info;
/* NULL for an invalid family or before bv_ref_init. */
const bv_ref_family_info *bv_ref_family(bv_family f);
/* The family's entry for op, or NULL when the family has no such op. */
const bv_ref_op_info *bv_ref_family_op(bv_family f, bv_op op);

/* count ops through the family's apply, element i reading x + i*in_bytes[0] (and
 * y + i*in_bytes[1]) and writing out + i*out_bytes, spread over `threads` threads
 * (0: all cores). Inputs must be valid. BV_ERR_ARG for an op the family lacks. */
BV_NODISCARD bv_status bv_ref_batch(bv_family f, bv_op op, uint8_t *out, const uint8_t *x,
                                    const uint8_t *y, size_t count, unsigned threads,
                                    bv_error *err);

/* Hex text of an element's bytes read as one little-endian integer: "0x" + big-endian hex,
 * any case, leading zeros allowed (for Fp2 the 768-bit integer c1*2^384 + c0).
 * Parse fails with BV_ERR_PARSE (not hex) or BV_ERR_VALUE (does not fit the family's
 * bytes, or is not canonical when require_canonical); err->msg says which. */
BV_NODISCARD bv_status bv_ref_hex_parse(bv_family f, const char *text, bool require_canonical,
                                        uint8_t *out, bv_error *err);
/* Writes "0x" + 2*bytes lowercase digits; buf needs BV_REF_MAX_HEX bytes. */
void bv_ref_hex_format(bv_family f, const uint8_t *x, char *buf);
/* The same for slot `which` of f's op (its bytes from bv_ref_slot_bytes: a point is the integer
 * X + Y*2^384 + Z*2^768 for G1, a scalar its 256-bit value); require_canonical checks
 * bv_ref_slot_canonical and says which coordinate is out of range. BV_ERR_ARG for an op f lacks. */
BV_NODISCARD bv_status bv_ref_hex_parse_slot(bv_family f, bv_op op, unsigned which,
                                             const char *text, bool require_canonical,
                                             uint8_t *out, bv_error *err);
void bv_ref_hex_format_slot(bv_family f, bv_op op, unsigned which, const uint8_t *x, char *buf);

/* A human reading of slot `which`'s element for failure reports, in normal (not Montgomery)
 * form: for a point "identity" or "(x, y)" with its affine coordinates in hex (an Fp2
 * coordinate as "c0+c1*u"), followed by " [not canonical]" or " [not on the curve]" when so;
 * for a scalar or a field or Fp2 element its hex, as bv_ref_hex_format_slot writes it. Writes at
 * most len bytes, NUL-terminated (BV_REF_DESCRIBE_BYTES always suffices). */
#define BV_REF_DESCRIBE_BYTES 512
void bv_ref_describe(bv_family f, bv_op op, unsigned which, const uint8_t *v, char *buf,
                     size_t len);

/* The generator of G1 or G2 (published, checked at bv_ref_init to be on the curve and of order
 * r) as a Jacobian point with Z = 1 (Montgomery form R mod p); false for another family. */
bool bv_ref_curve_generator(bv_family f, uint8_t *out);

/* ---- The number-theoretic transform over Fr (ref_ntt.c; docs/workload-abi.md) -------------
 * Elements are Fr's 32-byte little-endian words, each below r, n = 2^log_n of them, in natural
 * order in and out. The transform is Fr-linear, so it reads and writes the words as field values
 * in whichever form they are: Montgomery forms in (x*R, as the kernels keep them) give the
 * Montgomery forms of the transform out, normal forms give normal forms, with the same bytes as
 * if the words were normal. The form matters only for the constants a kernel multiplies by,
 * which bv_ref_ntt_params_get gives in either form.
 * With w the primitive n-th root of unity (below) and g the coset shift:
 *   forward         y[j] = sum_i x[i] * w^(i*j)
 *   inverse         x[i] = n^-1 * sum_j y[j] * w^(-i*j)
 *   coset forward   y[j] = sum_i x[i] * (g * w^j)^i    (x[i] times g^i, then forward)
 *   coset inverse   x[i] = g^-i * n^-1 * sum_j y[j] * w^(-i*j)   (the coset forward's inverse)
 * The coset forward evaluates the polynomial with coefficients x on the coset g*H of the
 * subgroup H of n-th roots, as provers do. */
#define BV_REF_FR_TWO_ADICITY 32 /* 2^32 divides r - 1 and 2^33 does not: log_n <= 32 */
/* The generator of Fr* the ecosystem uses (zkcrypto bls12_381, c-kzg-4844; checked to be a
 * generator at bv_ref_init). The primitive 2^32-th root of unity is w_32 = 7^((r-1)/2^32)
 * = 0x16a2a19edfe81f20d09b681922c813b4b63683508c2280b93829971f439f0d2b (normal form), the
 * 2^k-th root w_k = w_32^(2^(32-k)), the square chain (w_1 = -1, w_0 = 1). 7 is the coset shift. */
#define BV_REF_FR_GENERATOR 7

typedef enum bv_ref_ntt_dir { BV_REF_NTT_FORWARD = 0, BV_REF_NTT_INVERSE = 1 } bv_ref_ntt_dir;

/* out = the transform of in, n = 2^log_n elements (log_n <= 32). O(n log n) on mpz arithmetic,
 * one thread; out may be in. BV_ERR_ARG for log_n > 32, a bad direction, a NULL buffer or
 * before bv_ref_init; BV_ERR_OVERFLOW where the buffers' sizes do not fit size_t; BV_ERR_VALUE
 * (naming the index) for an input word not below r; BV_ERR_NOMEM when its scratch (1.5 times
 * the buffer) cannot be had. On error out is untouched. */
BV_NODISCARD bv_status bv_ref_ntt(uint8_t *out, const uint8_t *in, unsigned log_n,
                                  bv_ref_ntt_dir dir, bool coset, bv_error *err);

/* The constants of the transform of size 2^log_n that a kernel or the harness builds twiddle
 * tables from, each a 32-byte Fr word, in Montgomery form (v * 2^256 mod r) when montgomery is
 * set, else in normal form. */
typedef struct bv_ref_ntt_params {
    unsigned log_n;
    bool montgomery;
    uint8_t root[32];      /* w_n, the primitive n-th root: w_32^(2^(32-log_n)) */
    uint8_t root_inv[32];  /* w_n^-1 */
    uint8_t shift[32];     /* g = 7, the coset shift */
    uint8_t shift_inv[32]; /* g^-1 */
    uint8_t size_inv[32];  /* n^-1, the inverse's scale */
} bv_ref_ntt_params;
/* BV_ERR_ARG for log_n > 32, a NULL out or before bv_ref_init. */
BV_NODISCARD bv_status bv_ref_ntt_params_get(bv_ref_ntt_params *out, unsigned log_n,
                                             bool montgomery, bv_error *err);

/* The named edge inputs of a transform (the vectors module names them "edge/<name>"), the same
 * names for every size; indices are taken mod n, so at n = 1 and 2 some entries coincide.
 * "one" is 1 in Montgomery form (R mod r), -1 likewise:
 *   zeros; one_at_0 (forward: every output one); one_at_1 (forward: y[j] = w^j, the twiddles);
 *   one_at_n-1 (forward: y[j] = w^-j); ones (forward: n*one at 0, zeros elsewhere);
 *   root_powers (x[i] = w^i in Montgomery form; forward: n*one at n-1); alternating (one, -one,
 *   ...; forward: n*one at n/2); all_m-1 (every word r - 1, the largest canonical word);
 *   all_mont(m-1) (every element -1).
 * Count and names are fixed; a name is NULL past the end. */
size_t bv_ref_ntt_edge_count(void);
const char *bv_ref_ntt_edge_name(size_t which);
/* Writes edge input `which` of size 2^log_n (n * 32 bytes) to out. Errors as bv_ref_ntt's, and
 * BV_ERR_ARG for which >= bv_ref_ntt_edge_count(). */
BV_NODISCARD bv_status bv_ref_ntt_edge(uint8_t *out, unsigned log_n, size_t which, bv_error *err);

/* The tables an NTT's kernels multiply by (docs/workload-abi.md), each element an Fr word in
 * Montgomery form, for the transform of size n = 2^log_n with root w and shift g:
 *   twiddles (n/2: w^k), twiddles_inv (n/2: w^-k), coset (n: g^i), coset_inv_size
 *   (n: g^-i / n), size_inv (1: 1/n).
 * bv_ref_ntt_table_len gives a table's element count (BV_ERR_VALUE naming the known tables for
 * another name); bv_ref_ntt_table writes it (len * 32 bytes). */
BV_NODISCARD bv_status bv_ref_ntt_table_len(const char *name, unsigned log_n, size_t *len, bv_error *err);
BV_NODISCARD bv_status bv_ref_ntt_table(uint8_t *out, const char *name, unsigned log_n, bv_error *err);

/* ---- Multi-scalar multiplication over G1 (ref_msm.c; docs/workload-abi.md) ----------------
 * out = sum_i s_i * P_i over n inputs. points: n affine G1 points in the madd y encoding (96
 * bytes each: x then y in Montgomery form, all zero for the identity), each canonical and on the
 * curve (not necessarily in the r-order subgroup); scalars: n 32-byte little-endian plain
 * integers, any 256-bit value, used as they stand (not reduced mod r, so the sum is exact for
 * any curve point; for subgroup points it equals the sum with every s_i mod r). out: one
 * Jacobian G1 point (144 bytes) with Z = 1 (R mod p), all zero for the identity. n = 0 gives the
 * identity (inputs may then be NULL). */
#define BV_REF_MSM_POINT_BYTES 96 /* an input point: affine G1 */

/* Pippenger's bucket method, the window width chosen from n; bucket sums in affine coordinates
 * with one batched inversion a round (ref_curve.c's chord formula). One thread; 2^16 points in
 * a few seconds (docs/PERFORMANCE.md). BV_ERR_ARG for a NULL buffer (n > 0) or before
 * bv_ref_init; BV_ERR_OVERFLOW where n's buffers do not fit size_t; BV_ERR_VALUE (naming the
 * index) for a point not canonical or not on the curve; BV_ERR_NOMEM. On error out is untouched. */
BV_NODISCARD bv_status bv_ref_msm_g1(uint8_t *out, const uint8_t *points, const uint8_t *scalars,
                                     size_t n, bv_error *err);
/* The same sum as n scalar multiplications and additions through bv_ref_op (g1 smul, add):
 * an independent path for cross-checks, about 1 ms a point (Pippenger: 0.05 ms at 2^16).
 * Same contract. */
BV_NODISCARD bv_status bv_ref_msm_g1_naive(uint8_t *out, const uint8_t *points,
                                           const uint8_t *scalars, size_t n, bv_error *err);

/* The generator-based check, for sizes where a CPU MSM is too slow: points P_i = a_i * G with
 * a_i known from a seed, so that the sum of s_i * P_i is (sum s_i * a_i mod r) * G, one scalar
 * multiplication. a_i = b_j + c_k mod r for i = j*m + k, m = 2^ceil(log2(n)/2), where b_j and c_k
 * are drawn from the seed (docs/workload-abi.md gives the stream), so that the points cost
 * about 2*sqrt(n) scalar multiplications and n batched additions. The a_i depend on n and seed.
 * bv_ref_msm_g1_known_points writes the n points (n * 96 bytes); _expected writes the Jacobian
 * sum for these points and the given scalars (Z = 1); _scalar writes a_i (32 bytes, below r,
 * normal form). Errors as bv_ref_msm_g1's, and BV_ERR_ARG for i >= n. */
BV_NODISCARD bv_status bv_ref_msm_g1_known_points(uint8_t *points, size_t n, uint64_t seed,
                                                  bv_error *err);
BV_NODISCARD bv_status bv_ref_msm_g1_known_expected(uint8_t *out, const uint8_t *scalars,
                                                    size_t n, uint64_t seed, bv_error *err);
BV_NODISCARD bv_status bv_ref_msm_g1_known_scalar(uint8_t *out, size_t n, size_t i,
                                                  uint64_t seed, bv_error *err);

/* The named edge inputs of an MSM of n points (n >= 1), with their expected sum computed the
 * generator-based way (points from bv_ref_msm_g1_known_points with a fixed seed, then changed
 * as the name says); "random" scalars are drawn below r from a fixed stream:
 *   scalars_zero (sum: identity); scalars_one (the sum of the points); scalars_r-1 (minus the
 *   sum of the points); scalars_r (r, not reduced: identity); scalars_unreduced (t_i + r for
 *   random t_i: the same sum as t_i); scalars_max (2^256 - 1: every window digit all ones);
 *   scalars_equal (one random scalar for all: every point in the same bucket of each window);
 *   bytes_repeated (each scalar one random nonzero byte repeated 32 times: equal digits in every
 *   window of a multiple of 8 bits); points_equal (every point P_0, random scalars: every
 *   bucket collides; sum (sum s_i) * P_0); points_identity (every even index the identity,
 *   random scalars); pairs_negated (P_2i+1 = -P_2i with equal random scalars, the last scalar 0
 *   when n is odd: identity).
 * Count and names are fixed; a name is NULL past the end. */
size_t bv_ref_msm_edge_count(void);
const char *bv_ref_msm_edge_name(size_t which);
/* Writes edge input `which`: n points (n * 96 bytes), n scalars (n * 32) and the expected
 * Jacobian sum (144 bytes, Z = 1). BV_ERR_ARG for n = 0, which >= bv_ref_msm_edge_count() or
 * a NULL buffer; otherwise errors as bv_ref_msm_g1's. */
BV_NODISCARD bv_status bv_ref_msm_edge(uint8_t *points, uint8_t *scalars, uint8_t *expected,
                                       size_t n, size_t which, bv_error *err);

/* For tests: an independent implementation. For a field it computes every op with mpz
 * multiplication and division by the modulus (R^-1 from mpz_invert), never with
 * Montgomery reduction, so that tests can cross-check bv_ref_op against a
 * different algorithm; about ten times slower; inv is Fermat's x^(m-2) (mpz_powm) where
 * the reference takes the extended GCD (mpz_invert). For Fp2 it packs an element into one
 * integer (Kronecker substitution, c0 + c1*2^800) and multiplies those, and computes conj
 * as the Frobenius map x^p; much slower. G1 and G2 have no second path (their reference is
 * checked against published points instead): it computes bv_ref_op. Same contract as bv_ref_op. */
void bv_ref_op_slow(bv_family f, bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y);

/* Conversions to and from GMP integers, declared only where <gmp.h> was included
 * first, so that users of this header need not see GMP. */
#ifdef __GNU_MP__
/* The element's bytes as one little-endian integer (Fp2: c1*2^384 + c0). */
void bv_ref_to_mpz(mpz_t out, bv_family f, const uint8_t *x);
/* BV_ERR_VALUE when x is negative or does not fit the family's bytes (x need not be
 * canonical). */
BV_NODISCARD bv_status bv_ref_from_mpz(uint8_t *out, bv_family f, const mpz_t x, bv_error *err);
#endif

#ifdef __cplusplus
}
#endif
#endif
