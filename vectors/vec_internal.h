/* vectors/vec_internal.h: what the vector module's files share and its users need not see.
 * Its files call downward only. Files: vec_read.c > vec_json.c, vec_bin.c > vec_set.c.
 * Generated cases: vec_edge.c, vec_random.c > vec_family.c (the family table) > each
 * family's builders (vec_curve.c > vec_curve_random.c > vec_curve_arith.c; vec_curve.c,
 * vec_fp2.c > vec_field_catalogue.c, vec_field_special.c > vec_field_random.c, vec_field.c),
 * and vec_edge.c, vec_random.c > vec_set.c. */
#ifndef BV_VEC_INTERNAL_H
#define BV_VEC_INTERNAL_H

#include <stdio.h>

#include "bv_vec.h"

/* Case names in messages are cut to this many characters. */
#define VEC_MSG_NAME 80

/* Reads a JSON vector file already in memory (vec_json.c). */
BV_NODISCARD bv_status vec_json_read(const char *path, const char *text, size_t len,
                                     bv_vec_set **out, bv_error *err);
/* Reads a binary vector file from f, whose 8-byte magic has been read already (vec_bin.c).
 * regular: f is a regular file whose size fstat gives (checked against the header before
 * anything is allocated); else a stream, read to its end. */
BV_NODISCARD bv_status vec_bin_read(const char *path, FILE *f, bool regular, bv_vec_set **out, bv_error *err);

/* ---- the generated cases: one family table, each family's builders behind it */

#define VEC_MAX_VALUES 320
#define VEC_VALUE_NAME_BYTES 48
#define VEC_MAX_SPECIALS 64
#define VEC_SPECIAL_NAME_BYTES 96

/* A family's named edge values, built once per process. */
typedef struct vec_catalogue {
    bv_vec_edge_value vals[VEC_MAX_VALUES];
    char names[VEC_MAX_VALUES][VEC_VALUE_NAME_BYTES];
    size_t n;
} vec_catalogue;

/* One special case of an op's edge set: its name ("<claim>:<how>") and inputs. */
typedef struct vec_special {
    char name[VEC_SPECIAL_NAME_BYTES];
    uint8_t x[BV_REF_MAX_BYTES], y[BV_REF_MAX_BYTES]; /* y zero for unary ops */
} vec_special;

/* The special cases of one edge set as a builder adds them. A builder stops at the first
 * error: st keeps it (and err its message) and later additions do nothing. */
typedef struct vec_specials {
    bv_family f;
    bv_op op;
    const vec_catalogue *cat; /* the family's catalogue, for values by name */
    vec_special items[VEC_MAX_SPECIALS];
    size_t n;
    bv_error *err;
    bv_status st;
} vec_specials;

/* Adds one op's special cases to sl. */
typedef void (*vec_specials_fn)(vec_specials *sl);

/* What vectors/ knows of a family: the builders that bv_vec_edge_values, bv_vec_edge and
 * bv_vec_random dispatch to. A new family adds a row in vec_family.c. */
typedef struct vec_family_info {
    /* Fills cat (zeroed) with the family's named edge values (for a field at least 40), each
     * a valid input, names unique and free of ',' and ':'. */
    BV_NODISCARD bv_status (*catalogue)(bv_family f, vec_catalogue *cat, bv_error *err);
    /* BV_OP_COUNT builders, by op; NULL where an op has no special cases. */
    const vec_specials_fn *specials;
    /* docs/vectors.md's generator: input `input` of case `index` of stream (seed, f, op). */
    void (*random_element)(bv_family f, bv_op op, uint64_t seed, uint64_t index, unsigned input,
                           uint8_t *out);
    /* Optional: input `input` of cases [first, first + count) at once, count elements of
     * bv_ref_slot_bytes(f, op, input) bytes; the same values as random_element gives one by one,
     * for a family whose elements are cheaper made together (a curve's chains of points). */
    BV_NODISCARD bv_status (*random_range)(bv_family f, bv_op op, uint64_t seed, uint64_t first,
                                           size_t count, unsigned input, uint8_t *out,
                                           bv_error *err);
} vec_family_info;

/* The family's row, or NULL for an invalid family (vec_family.c). */
const vec_family_info *vec_family(bv_family f);

#endif
