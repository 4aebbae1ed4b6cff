/* reference/bv_ref.h: the GMP-backed reference arithmetic for BLS12-381 Fp, Fr and Fp2 that
 * every blsvk verdict rests on. Elements are little-endian byte strings (48 bytes for Fp,
 * 32 for Fr, 96 for Fp2: c0 then c1), exactly the bytes a kernel sees in its buffers. */
#ifndef BV_REF_H
#define BV_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bv_common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BV_REF_MAX_BYTES 96       /* the largest element: Fp2 */
#define BV_REF_FIELD_MAX_BYTES 48 /* the largest field element: Fp */
#define BV_REF_MAX_HEX 195        /* "0x" + 192 digits + NUL */

/* The op families. Fp and Fr are fields; Fp2 = Fp[u]/(u^2 + 1) is the quadratic extension of
 * Fp, an element c0 + c1*u stored as c0 then c1, each an Fp element. */
typedef enum bv_family {
    BV_FAMILY_FP = 0,
    BV_FAMILY_FR = 1,
    BV_FAMILY_FP2 = 2,
    BV_FAMILY_COUNT
} bv_family;

/* The ops of the kernel ABI, on raw integers below the modulus m:
 * add x+y, sub x-y, neg -x, dbl 2x, mul x*y*R^-1, sqr x*x*R^-1, to_mont x*R,
 * from_mont x*R^-1, all mod m; R = 2^384 for Fp, 2^256 for Fr. Fp2 has add, sub, neg,
 * dbl, mul and sqr in the Fp2 sense (R = 2^384: the product's components are those of
 * x*y times R^-1), conj c0 - c1*u and mul_by_nonresidue x*(1 + u).
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
    BV_OP_INV = 10, /* binary vector files store the number */
    BV_OP_COUNT
} bv_op;

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

/* NULL for an invalid family, for a family that is not a field (Fp2: its coordinates' field
 * is bv_ref_family(f)->base) or before bv_ref_init has succeeded. */
const bv_ref_constants *bv_ref_constants_get(bv_family f);

/* Names: "fp"/"fr"/"fp2"; "add","sub","neg","dbl","mul","sqr","to_mont","from_mont","conj",
 * "mul_by_nonresidue", "inv".
 * Names of invalid values are "unknown"; parsing is exact (lower case). */
const char *bv_ref_family_name(bv_family f);
const char *bv_ref_op_name(bv_op op);
/* 0 on success, BV_ERR_VALUE for an unknown name. */
BV_NODISCARD bv_status bv_ref_family_parse(const char *name, bv_family *out);
BV_NODISCARD bv_status bv_ref_op_parse(const char *name, bv_op *out);
unsigned bv_ref_op_arity(bv_op op); /* 1 or 2; 0 for an invalid op */
size_t bv_ref_family_bytes(bv_family f); /* 48 / 32 / 96; 0 for an invalid family */

/* x < m for a field; each component below p for Fp2. */
bool bv_ref_is_canonical(bv_family f, const uint8_t *x);

/* One op on canonical inputs through the family's apply; y is ignored (may be NULL) for
 * unary ops. out may alias x or y. Does nothing for an invalid family or before
 * bv_ref_init; an invalid op gives a zero output. */
void bv_ref_op(bv_family f, bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y);

/* The family table: what the runner, the vectors and the kernels need to know about a
 * family without knowing which one it is. Adding a family (Fp2, G1, G2, ...) adds a row
 * here and leaves the users of the table alone. */
#define BV_REF_TAG_PRODUCT 1u /* the family's multiplication: chained by bench, the op the quick suite streams in every geometry */
#define BV_REF_TAG_SUM 2u     /* the family's addition: with the product, the quick suite's spirv-opt recipe cases */
typedef struct bv_ref_op_info {
    bv_op op;
    unsigned arity;       /* inputs: 1 or 2 */
    size_t in_bytes[2];   /* bytes of an x and a y element (y: 0 for unary ops) */
    size_t out_bytes;     /* bytes of an output element */
    unsigned tags;        /* BV_REF_TAG_* */
} bv_ref_op_info;
typedef struct bv_ref_family_info {
    bv_family family;
    const char *name;     /* "fp", "fr", "fp2" */
    /* The field an element is made of, and how many of its elements an element holds: a field
     * is its own base with 1 part; Fp2 has base Fp and 2 parts (c0, c1). Kernels are built for
     * the base field's arithmetic; vectors draw and name parts as base-field values. */
    bv_family base;
    unsigned parts;
    size_t nops;
    const bv_ref_op_info *ops; /* the family's ops in case-list order */
    /* Whether a and b, two outputs of op, denote the same value: equal bytes for a field
     * (a curve family will compare points up to projective equivalence). */
    bool (*equal)(bv_op op, const uint8_t *a, const uint8_t *b);
    /* Whether x is a valid input element of op's input `input` (below the modulus for a field). */
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

/* For tests: an independent implementation. For a field it computes every op with mpz
 * multiplication and division by the modulus (R^-1 from mpz_invert), never with
 * Montgomery reduction, so that tests can cross-check bv_ref_op against a
 * different algorithm; about ten times slower; inv is Fermat's x^(m-2) (mpz_powm) where
 * the reference takes the extended GCD (mpz_invert). For Fp2 it packs an element into one
 * integer (Kronecker substitution, c0 + c1*2^800) and multiplies those, and computes conj
 * as the Frobenius map x^p and inv as x^p / (x * x^p), the norm inverted by Fermat; much
 * slower. Same contract as bv_ref_op. */
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
