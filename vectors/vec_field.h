/* vectors/vec_field.h: the Fp, Fr and Fp2 families' builders behind vectors/' family table,
 * and the GMP view of a field's constants that they share. */
#ifndef BV_VEC_FIELD_H
#define BV_VEC_FIELD_H

/* Before bv_ref.h (through vec_internal.h), so that it declares bv_ref_to_mpz/from_mpz. */
#include <gmp.h>

#include "vec_internal.h"

/* A field's constants as GMP integers, for its catalogue and special cases. */
typedef struct vec_field_ctx {
    bv_family f;
    const bv_ref_constants *c;
    mpz_t m, R, r_mod, r2_mod, rinv_mod, minv; /* minv = -m^-1 mod R */
} vec_field_ctx;

/* The field's context, built on first use and read-only after (vec_field.c). Requires
 * bv_ref_init to have succeeded. */
const vec_field_ctx *vec_field_ctx_get(bv_family f);

/* v = m + d (d may be negative) (vec_field.c). */
void vec_field_m_plus(mpz_t v, const vec_field_ctx *fc, long d);

/* The rows of vec_family_info for a field: its catalogue (vec_field_catalogue.c), its
 * special cases by op (vec_field_special.c) and docs/vectors.md's generator, uniform
 * below m (vec_field_random.c). */
BV_NODISCARD bv_status vec_field_catalogue(bv_family f, vec_catalogue *cat, bv_error *err);
extern const vec_specials_fn vec_field_specials[BV_OP_COUNT];
void vec_field_random_element(bv_family f, bv_op op, uint64_t seed, uint64_t index,
                              unsigned input, uint8_t *out);

/* The generator's parts (vec_field_random.c): the SplitMix64 state of input `input` of case
 * `index` of stream (seed, f, op), f any family; and one uniform element of `field` drawn
 * from that state by rejection, the state moved past the words it used. */
uint64_t vec_random_stream(bv_family f, bv_op op, uint64_t seed, uint64_t index, unsigned input);
void vec_random_draw(uint64_t *state, bv_family field, uint8_t *out);
/* One raw word of the stream (SplitMix64's step). */
uint64_t vec_random_next(uint64_t *state);

/* The Fp2 family's rows (vec_fp2.c): its catalogue, special cases and generator (c0 then c1,
 * each drawn as an Fp element from one stream). */
BV_NODISCARD bv_status vec_fp2_catalogue(bv_family f, vec_catalogue *cat, bv_error *err);
extern const vec_specials_fn vec_fp2_specials[BV_OP_COUNT];
void vec_fp2_random_element(bv_family f, bv_op op, uint64_t seed, uint64_t index,
                            unsigned input, uint8_t *out);

#endif
