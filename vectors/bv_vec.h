/* vectors/bv_vec.h: the inputs blsvk feeds to kernels: seeded random vectors that any
 * platform reproduces bit for bit, the named edge-case catalogue, and vector files
 * (JSON "blsvk-vectors/1" and the binary form). */
#ifndef BV_VEC_H
#define BV_VEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bv_common.h"
#include "bv_ref.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest element count a vector file may declare; larger counts are refused as absurd. */
#define BV_VEC_MAX_COUNT ((size_t)1 << 28)
/* Largest JSON vector file read (a binary file's size follows from its header's count). */
#define BV_VEC_MAX_JSON_BYTES ((size_t)4 << 30)

/* A list of cases for one (field, op). Element i of x, y and expected lives at
 * [i*bytes, (i+1)*bytes) with bytes = bv_ref_slot_bytes(field, op, BV_REF_X / BV_REF_Y /
 * BV_REF_OUT): the family's element size for a field, but a curve op's inputs and output can
 * differ (g1 smul: 144-byte points, 32-byte scalars). */
typedef struct bv_vec_set {
    bv_family family;
    bv_op op;
    size_t count;
    uint8_t *x;
    uint8_t *y;            /* NULL for unary ops */
    uint8_t *expected;     /* NULL when no case has one */
    uint8_t *has_expected; /* per case 0/1 when only some cases have one; NULL when all do */
    char **names;          /* count names (owned), or NULL: then case i is "<name_prefix><i>" */
    char name_prefix[32];  /* e.g. "random/" */
    uint64_t seed;         /* the seed of a random set, else 0 */
    /* Addition: a random set's stream index of case 0, so that a slice of a stream keeps
     * its cases' names ("random/<first + i>"); 0 for other sets. */
    uint64_t first;
} bv_vec_set;

/* An empty set with zeroed arrays (y allocated only for binary ops; names only when
 * with_names). */
BV_NODISCARD bv_status bv_vec_set_create(bv_family f, bv_op op, size_t count, bool with_names,
                                         bv_vec_set **out, bv_error *err);
void bv_vec_set_destroy(bv_vec_set *set);

/* Case i's name into buf. */
void bv_vec_name(const bv_vec_set *set, size_t i, char *buf, size_t n);

/* Random cases [first, first+count) of the stream (seed, field, op); see docs/vectors.md
 * for the specified algorithm. Uniform below the modulus for a field; for G1 and G2, points on
 * the curve under a random Z (cases in blocks of 1024: even blocks in the r-torsion subgroup,
 * odd blocks outside it) and random 256-bit scalars. */
BV_NODISCARD bv_status bv_vec_random(bv_family f, bv_op op, uint64_t seed, size_t first,
                                     size_t count, bv_vec_set **out, bv_error *err);

/* One named edge value. */
typedef struct bv_vec_edge_value {
    const char *name; /* e.g. "m-1", "2^32-1" */
    uint8_t value[BV_REF_MAX_BYTES];
} bv_vec_edge_value;

/* The catalogue of named edge values of a family (for a field at least 40, all below m; for G1
 * and G2 named Jacobian points on the curve), unique names. */
BV_NODISCARD bv_status bv_vec_edge_values(bv_family f, const bv_vec_edge_value **vals, size_t *n,
                                          bv_error *err);

/* The edge set of an op: each catalogue value for unary ops; for binary ops the catalogue
 * crossed with itself plus the named special pairs (sums m-1, m, m+1; differences 0 and -1;
 * products reducing to m-1 and 0, ...). An op whose inputs are not all elements of the
 * family (a curve's madd and smul) gets its special cases only. Names are "edge/<a>" or
 * "edge/<a>,<b>", and "edge/<claim>:<how>" for special cases. */
BV_NODISCARD bv_status bv_vec_edge(bv_family f, bv_op op, bv_vec_set **out, bv_error *err);

/* Reads a vector file, JSON or binary (told apart by content, the file read once). path may be
 * a pipe or FIFO, or "-" for standard input; a device or directory is refused. Every error
 * names the file, the case and what is wrong. */
BV_NODISCARD bv_status bv_vec_read(const char *path, bv_vec_set **out, bv_error *err);
/* Writes atomically (a temporary file, then rename), so an existing file is never half-overwritten. */
BV_NODISCARD bv_status bv_vec_write_json(const char *path, const bv_vec_set *set, bv_error *err);
BV_NODISCARD bv_status bv_vec_write_bin(const char *path, const bv_vec_set *set, bv_error *err);

/* ---- Additions to the interface above. */

/* Whether names == NULL and name_prefix is "random/": a slice of a seeded stream. */
bool bv_vec_set_is_random(const bv_vec_set *set);

/* Allocates set->expected (zeroed) and, when partial, set->has_expected (all 0), replacing
 * any there were. */
BV_NODISCARD bv_status bv_vec_set_alloc_expected(bv_vec_set *set, bool partial, bv_error *err);

/* Whether case i has an expected value. */
bool bv_vec_has_expected(const bv_vec_set *set, size_t i);

/* One element of the specified generator (docs/vectors.md): input `input` (0 = x, 1 = y)
 * of case `index` of the stream (seed, field, op), bv_ref_slot_bytes(f, op, input) bytes.
 * Requires bv_ref_init. For G1 and G2 it builds the case's block of points: to make many,
 * bv_vec_random is far faster. */
void bv_vec_random_element(bv_family f, bv_op op, uint64_t seed, uint64_t index, unsigned input,
                           uint8_t *out);

/* The binary form (docs/vectors.md): a header, the x, y and expected arrays one after
 * another, then the FNV-1a 64 of everything before it. */
#define BV_VEC_BIN_MAGIC "BLSVKVEC"
#define BV_VEC_BIN_VERSION 1u
#define BV_VEC_BIN_HEADER_BYTES 48u
#define BV_VEC_BIN_FLAG_EXPECTED 1u /* an expected value for every case */
#define BV_VEC_BIN_FLAG_RANDOM 2u   /* cases are "random/<first + i>" of stream seed */
/* The checksum is common's bv_fnv1a64 from BV_FNV_OFFSET. */

#ifdef __cplusplus
}
#endif
#endif
