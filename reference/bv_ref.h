/* reference/bv_ref.h: the GMP-backed reference arithmetic for BLS12-381 Fp and Fr that
 * every blsvk verdict rests on. Elements are little-endian byte strings (48 bytes for
 * Fp, 32 for Fr), exactly the bytes a kernel sees in its buffers. */
#ifndef BV_REF_H
#define BV_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bv_common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BV_REF_MAX_BYTES 48
#define BV_REF_MAX_HEX 99 /* "0x" + 96 digits + NUL */

typedef enum bv_family { BV_FAMILY_FP = 0, BV_FAMILY_FR = 1, BV_FAMILY_COUNT } bv_family;

/* The ops of the kernel ABI, on raw integers below the modulus m:
 * add x+y, sub x-y, neg -x, dbl 2x, mul x*y*R^-1, sqr x*x*R^-1, to_mont x*R,
 * from_mont x*R^-1, all mod m; R = 2^384 for Fp, 2^256 for Fr. */
typedef enum bv_op {
    BV_OP_ADD = 0,
    BV_OP_SUB,
    BV_OP_NEG,
    BV_OP_DBL,
    BV_OP_MUL,
    BV_OP_SQR,
    BV_OP_TO_MONT,
    BV_OP_FROM_MONT,
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
    uint8_t modulus[BV_REF_MAX_BYTES];
    uint8_t r_mod[BV_REF_MAX_BYTES];    /* R mod m (the Montgomery form of 1) */
    uint8_t r2_mod[BV_REF_MAX_BYTES];   /* R^2 mod m */
    uint8_t rinv_mod[BV_REF_MAX_BYTES]; /* R^-1 mod m */
    uint32_t minv32;                    /* -m^-1 mod 2^32 */
    uint64_t minv64;                    /* -m^-1 mod 2^64 */
} bv_ref_constants;

/* Derives and checks the constants. Idempotent and thread-safe; every other
 * bv_ref_ function requires it to have succeeded once. */
BV_NODISCARD bv_status bv_ref_init(bv_error *err);

/* NULL for an invalid field or before bv_ref_init has succeeded. */
const bv_ref_constants *bv_ref_constants_get(bv_family f);

/* Names: "fp"/"fr"; "add","sub","neg","dbl","mul","sqr","to_mont","from_mont".
 * Names of invalid values are "unknown"; parsing is exact (lower case). */
const char *bv_ref_family_name(bv_family f);
const char *bv_ref_op_name(bv_op op);
/* 0 on success, BV_ERR_VALUE for an unknown name. */
BV_NODISCARD bv_status bv_ref_family_parse(const char *name, bv_family *out);
BV_NODISCARD bv_status bv_ref_op_parse(const char *name, bv_op *out);
unsigned bv_ref_op_arity(bv_op op); /* 1 or 2; 0 for an invalid op */
size_t bv_ref_family_bytes(bv_family f); /* 48 / 32; 0 for an invalid field */

/* x < m ? */
bool bv_ref_is_canonical(bv_family f, const uint8_t *x);

/* One op on canonical inputs; y is ignored (may be NULL) for unary ops.
 * out may alias x or y. */
void bv_ref_op(bv_family f, bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y);

/* count ops, element i reading x + i*bytes (and y + i*bytes), spread over
 * `threads` threads (0: all cores). Inputs must be canonical. */
BV_NODISCARD bv_status bv_ref_batch(bv_family f, bv_op op, uint8_t *out, const uint8_t *x,
                                    const uint8_t *y, size_t count, unsigned threads,
                                    bv_error *err);

/* Hex text of an integer: "0x" + big-endian hex, any case, leading zeros allowed.
 * Parse fails with BV_ERR_PARSE (not hex) or BV_ERR_VALUE (does not fit the field's
 * bytes, or is not below the modulus when require_canonical); err->msg says which. */
BV_NODISCARD bv_status bv_ref_hex_parse(bv_family f, const char *text, bool require_canonical,
                                        uint8_t *out, bv_error *err);
/* Writes "0x" + 2*bytes lowercase digits; buf needs BV_REF_MAX_HEX bytes. */
void bv_ref_hex_format(bv_family f, const uint8_t *x, char *buf);

/* For tests: an independent implementation. It computes every op with mpz
 * multiplication and division by the modulus (R^-1 from mpz_invert), never with
 * Montgomery reduction, so that tests can cross-check bv_ref_op against a
 * different algorithm. Same contract as bv_ref_op; about ten times slower. */
void bv_ref_op_slow(bv_family f, bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y);

/* Conversions to and from GMP integers, declared only where <gmp.h> was included
 * first, so that users of this header need not see GMP. */
#ifdef __GNU_MP__
void bv_ref_to_mpz(mpz_t out, bv_family f, const uint8_t *x);
/* BV_ERR_VALUE when x is negative or does not fit the field's bytes (x need not be
 * below the modulus). */
BV_NODISCARD bv_status bv_ref_from_mpz(uint8_t *out, bv_family f, const mpz_t x, bv_error *err);
#endif

#ifdef __cplusplus
}
#endif
#endif
