/* reference/ref_internal.h: what the reference module's files share and its users
 * must not see. Its files call downward only: ref_hex.c and ref_batch.c, then
 * ref_family.c (the table and bv_ref_init), then ref_msm.c, then ref_ops.c, then ref_fp2.c,
 * ref_curve.c and ref_ntt.c, then ref_const.c. */
#ifndef BV_REF_INTERNAL_H
#define BV_REF_INTERNAL_H

#include <gmp.h>

#include "bv_ref.h"

/* The fast path and the constant derivation read GMP limbs as uint64_t words. */
#if GMP_LIMB_BITS != 64 || GMP_NAIL_BITS != 0
#error "blsvk's reference needs a GMP built with 64-bit limbs and no nails (GMP_LIMB_BITS == 64)"
#endif
_Static_assert(sizeof(mp_limb_t) == sizeof(uint64_t), "mp_limb_t must be 64 bits");

/* Derives every family's constants and checks them against the published values
 * (ref_const.c). Called once, by bv_ref_init inside its pthread_once. */
BV_NODISCARD bv_status bv_ref_const_derive(bv_error *err);

/* The constants of a valid family, whether or not they are derived yet (ref_const.c);
 * bv_ref_constants_get is the checked form. */
const bv_ref_constants *bv_ref_const(bv_family f);

/* Builds, from the derived constants, the limb form that the fast ops use (ref_ops.c).
 * Called by bv_ref_init after bv_ref_const_derive succeeds, inside its pthread_once,
 * so every thread that sees bv_ref_init succeed sees the tables. */
void bv_ref_ops_setup(void);

/* The field arithmetic behind the Fp and Fr family entries (ref_ops.c): bv_ref_op's
 * contract for a valid field; an invalid op gives a zero output. */
void bv_ref_field_op(bv_family f, bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y);

/* Readies the Fp2 arithmetic from Fp's derived constants (ref_fp2.c); called by bv_ref_init
 * after bv_ref_ops_setup, inside its pthread_once. */
void bv_ref_fp2_setup(void);

/* The Fp2 family's reference (ref_fp2.c): mpz arithmetic on the pair (c0, c1) mod p;
 * bv_ref_op's contract; an op Fp2 lacks gives a zero output. */
void bv_ref_fp2_op(bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y);

/* The independent Fp2 path behind bv_ref_op_slow (ref_fp2.c). */
void bv_ref_fp2_op_slow(bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y);

/* The G1 and G2 families (ref_curve.c). Setup reads Fp's and Fr's derived constants and checks
 * the published generators (on the curve, of order r); called by bv_ref_init after
 * bv_ref_fp2_setup, inside its pthread_once. The rest implement the family table's entries and
 * bv_ref_slot_canonical / bv_ref_describe / bv_ref_curve_generator for f = G1 or G2. */
BV_NODISCARD bv_status bv_ref_curve_setup(bv_error *err);
void bv_ref_curve_op(bv_family f, bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y);
bool bv_ref_curve_equal(bv_family f, bv_op op, const uint8_t *a, const uint8_t *b);
bv_ref_verdict bv_ref_curve_compare(bv_family f, bv_op op, const uint8_t *got,
                                    const uint8_t *expected);
bool bv_ref_curve_valid_input(bv_family f, bv_op op, unsigned input, const uint8_t *x);
bool bv_ref_curve_slot_canonical(bv_family f, bv_op op, unsigned which, const uint8_t *v);
void bv_ref_curve_describe(bv_family f, bv_op op, unsigned which, const uint8_t *v, char *buf,
                           size_t len);
const uint8_t *bv_ref_curve_generator_bytes(bv_family f);

/* The curves' affine arithmetic (ref_curve.c), shared so that ref_msm.c's multi-scalar
 * multiplication adds points with the same chord-and-tangent code as the G1 ops. A field value
 * is an mpz pair in normal form, reduced mod p (c[1] = 0 on G1, c0 + c1*u on G2); a point is
 * affine, inf set (and x = y = 0) for the identity. Results may alias inputs. */
typedef struct bv_ref_fe {
    mpz_t c[2];
} bv_ref_fe;
typedef struct bv_ref_apt {
    bv_ref_fe x, y;
    bool inf;
} bv_ref_apt;
void bv_ref_apt_init(bv_ref_apt *a); /* the identity */
void bv_ref_apt_clear(bv_ref_apt *a);
void bv_ref_apt_set(bv_ref_apt *r, const bv_ref_apt *a);
void bv_ref_apt_add(bv_ref_apt *r, const bv_ref_apt *a, const bv_ref_apt *b); /* any a, b */
void bv_ref_apt_dbl(bv_ref_apt *r, const bv_ref_apt *a);
/* The third point on the line of slope lam through a (not the identity) and the curve point
 * with x-coordinate xb, reflected: a + b when lam is the chord's slope. r may alias a. */
void bv_ref_apt_from_slope(bv_ref_apt *r, const bv_ref_fe *lam, const bv_ref_apt *a,
                           const bv_ref_fe *xb);
void bv_ref_apt_smul(bv_ref_apt *r, const bv_ref_apt *a, const mpz_t k); /* k >= 0 */
/* A point's bytes (Montgomery form; affine: the madd y encoding, else Jacobian) as an affine
 * point: initialises a (clear it with bv_ref_apt_clear). */
void bv_ref_apt_load(bv_family f, bv_ref_apt *a, const uint8_t *v, bool affine);
/* The canonical encoding: affine (x, y) or Jacobian (x, y, 1) in Montgomery form, all zero
 * for the identity. */
void bv_ref_apt_store(bv_family f, uint8_t *out, const bv_ref_apt *a, bool affine);

/* Derives Fr's roots of unity and coset shift for the NTT (ref_ntt.c) from Fr's constants and
 * checks them (7 generates Fr*, the 2^32-th root is the published one and has order 2^32);
 * called by bv_ref_init after bv_ref_curve_setup, inside its pthread_once. */
BV_NODISCARD bv_status bv_ref_ntt_setup(bv_error *err);

static inline bool bv_ref_is_curve(bv_family f)
{
    return f == BV_FAMILY_G1 || f == BV_FAMILY_G2;
}

/* Whether bv_ref_init has succeeded (ref_family.c). */
bool bv_ref_ready(void);

static inline bool bv_ref_field_valid(bv_family f)
{
    return (unsigned)f < BV_FAMILY_COUNT;
}

/* The families that are prime fields, with constants of their own: Fp and Fr. */
static inline bool bv_ref_is_field(bv_family f)
{
    return f == BV_FAMILY_FP || f == BV_FAMILY_FR;
}

static inline bool bv_ref_op_valid(bv_op op)
{
    return (unsigned)op < BV_OP_COUNT;
}

#endif
