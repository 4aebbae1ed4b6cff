/* reference/ref_internal.h: what the reference module's files share and its users
 * must not see. */
#ifndef BV_REF_INTERNAL_H
#define BV_REF_INTERNAL_H

#include <gmp.h>

#include "bv_ref.h"

/* The fast path and the constant derivation read GMP limbs as uint64_t words. */
#if GMP_LIMB_BITS != 64 || GMP_NAIL_BITS != 0
#error "blsvk's reference needs a GMP built with 64-bit limbs and no nails (GMP_LIMB_BITS == 64)"
#endif
_Static_assert(sizeof(mp_limb_t) == sizeof(uint64_t), "mp_limb_t must be 64 bits");

/* Builds, from the constants, the limb form that the fast ops use (ref_ops.c). Called
 * by bv_ref_init once the constants are derived and checked, inside its
 * pthread_once, so every thread that sees bv_ref_init succeed sees the tables. */
void bv_ref_ops_setup(const bv_ref_constants constants[BV_FAMILY_COUNT]);

/* Whether bv_ref_init has succeeded (ref_field.c). */
bool bv_ref_ready(void);

static inline bool bv_ref_field_valid(bv_family f)
{
    return (unsigned)f < BV_FAMILY_COUNT;
}

static inline bool bv_ref_op_valid(bv_op op)
{
    return (unsigned)op < BV_OP_COUNT;
}

#endif
