/* vectors/vec_curve.h: what the G1 and G2 vector builders share: points in the kernel ABI's
 * encoding (coordinates in Montgomery form) and the arithmetic that makes them, done through
 * the reference's Fp and Fp2 ops (vec_curve_arith.c), the seeded generator
 * (vec_curve_random.c), and the rows of vectors/' family table (vec_curve.c). */
#ifndef BV_VEC_CURVE_H
#define BV_VEC_CURVE_H

#include "vec_field.h"

#define VEC_FP_BYTES 48
#define VEC_COORD_MAX 96 /* an Fp2 coordinate */

/* One curve: its coordinates' family (Fp or Fp2) and size, and constants in Montgomery form. */
typedef struct vec_curve {
    bv_family f;     /* G1 or G2 */
    bv_family field; /* Fp or Fp2 */
    size_t c;        /* bytes of a coordinate: 48 or 96 */
    uint8_t one[VEC_COORD_MAX];  /* 1 */
    uint8_t b[VEC_COORD_MAX];    /* the curve's b: 4 or 4(1 + u) */
} vec_curve;

/* A point: Jacobian X, Y, Z (Z all zero bytes for the identity), or affine x, y (inf set for
 * the identity), coordinates in Montgomery form as a kernel sees them. */
typedef struct vec_jac {
    uint8_t X[VEC_COORD_MAX], Y[VEC_COORD_MAX], Z[VEC_COORD_MAX];
} vec_jac;
typedef struct vec_aff {
    uint8_t x[VEC_COORD_MAX], y[VEC_COORD_MAX];
    bool inf;
} vec_aff;

/* The curve of G1 or G2 (built on first use; requires bv_ref_init). */
const vec_curve *vec_curve_get(bv_family f);

/* Coordinate arithmetic in Montgomery form through the reference's Fp / Fp2 ops. */
void vec_fe_mul(const vec_curve *k, uint8_t *r, const uint8_t *a, const uint8_t *b);
void vec_fe_add(const vec_curve *k, uint8_t *r, const uint8_t *a, const uint8_t *b);
void vec_fe_sub(const vec_curve *k, uint8_t *r, const uint8_t *a, const uint8_t *b);
void vec_fe_neg(const vec_curve *k, uint8_t *r, const uint8_t *a);
bool vec_fe_is_zero(const vec_curve *k, const uint8_t *a);
/* r = 1/a (a nonzero), Montgomery form in and out. */
void vec_fe_inv(const vec_curve *k, uint8_t *r, const uint8_t *a);
/* out[i] = 1/in[i] for the nonzero in[i] (zeros are left zero), one inversion for all:
 * Montgomery's trick. in and out hold n coordinates `stride` bytes apart; may be the same. */
void vec_fe_batch_inv(const vec_curve *k, uint8_t *out, const uint8_t *in, size_t n,
                      size_t stride);

/* Jacobian arithmetic, a = 0 (y^2 = x^3 + b): complete for every input (the identity, P = Q,
 * P = -Q). Results may alias inputs. */
bool vec_jac_is_inf(const vec_curve *k, const vec_jac *p);
void vec_jac_set_inf(const vec_curve *k, vec_jac *p);
void vec_jac_from_aff(const vec_curve *k, vec_jac *r, const vec_aff *a);
void vec_jac_dbl(const vec_curve *k, vec_jac *r, const vec_jac *p);
void vec_jac_madd(const vec_curve *k, vec_jac *r, const vec_jac *p, const vec_aff *q);
void vec_jac_neg(const vec_curve *k, vec_jac *r, const vec_jac *p);
/* e*a by double-and-add (e >= 0). */
void vec_jac_smul(const vec_curve *k, vec_jac *r, const vec_aff *a, const mpz_t e);
void vec_jac_to_aff(const vec_curve *k, vec_aff *r, const vec_jac *p);
/* The point's Jacobian form with Z = z (z nonzero): (x z^2, y z^3, z). */
void vec_jac_with_z(const vec_curve *k, vec_jac *r, const vec_aff *a, const uint8_t *z);
/* Encodings: Jacobian X|Y|Z (3c bytes), affine x|y (2c bytes, all zero for the identity). */
void vec_jac_store(const vec_curve *k, uint8_t *out, const vec_jac *p);
void vec_aff_store(const vec_curve *k, uint8_t *out, const vec_aff *a);

/* The point with x-coordinate x (Montgomery form) whose y has sgn0(y) = sign (the sign of
 * hash-to-curve: the parity of y, or of y's c1 when y's c0 is 0, in normal form); false when
 * x^3 + b is not a square. */
bool vec_aff_lift(const vec_curve *k, vec_aff *r, const uint8_t *x, unsigned sign);

/* The generator (affine) and the group order r. */
void vec_curve_generator(const vec_curve *k, vec_aff *g);
void vec_curve_order(mpz_t r);

/* The rows of vectors/' family table for G1 and G2. */
BV_NODISCARD bv_status vec_curve_catalogue(bv_family f, vec_catalogue *cat, bv_error *err);
extern const vec_specials_fn vec_curve_specials[BV_OP_COUNT];
void vec_curve_random_element(bv_family f, bv_op op, uint64_t seed, uint64_t index,
                              unsigned input, uint8_t *out);
BV_NODISCARD bv_status vec_curve_random_range(bv_family f, bv_op op, uint64_t seed,
                                              uint64_t first, size_t count, unsigned input,
                                              uint8_t *out, bv_error *err);

#endif
