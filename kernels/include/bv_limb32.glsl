/* kernels/include/bv_limb32.glsl: the one-limb primitives on 32-bit limbs that all field
 * arithmetic is built from. Core GLSL only (uaddCarry, usubBorrow, umulExtended): no device
 * feature needed. bv_limb64.glsl offers the same names on 64-bit limbs. */
#ifndef BV_LIMB32_GLSL
#define BV_LIMB32_GLSL

#define BV_LIMB uint
#define BV_LIMB_BITS 32
/* The 16-byte unit that loads and stores move: four limbs. */
#define BV_VEC uvec4
#define BV_VEC_LANES 4

/* Returns a + b + carry and leaves the carry out (0 or 1) in carry; carry must be 0 or 1.
 * The two partial carries never both occur: a + b overflowing leaves at most 2^32 - 2. */
uint bv_adc(uint a, uint b, inout uint carry)
{
    uint c1, c2;
    uint s = uaddCarry(a, b, c1);
    s = uaddCarry(s, carry, c2);
    carry = c1 + c2;
    return s;
}

/* Returns a - b - borrow and leaves the borrow out (0 or 1) in borrow; borrow must be 0 or 1. */
uint bv_sbb(uint a, uint b, inout uint borrow)
{
    uint b1, b2;
    uint d = usubBorrow(a, b, b1);
    d = usubBorrow(d, borrow, b2);
    borrow = b1 + b2;
    return d;
}

/* Returns the low limb of a*b + t + c and leaves the high limb in c. Cannot overflow:
 * (2^32-1)^2 + 2*(2^32-1) = 2^64 - 1. Every product of the Montgomery multiplication goes
 * through here, so that it can be switched to a 64-bit accumulator (uint64_t(a) * b + t + c,
 * which needs shaderInt64) in this one place. */
uint bv_mac(uint a, uint b, uint t, inout uint c)
{
    uint hi, lo, k1, k2;
    umulExtended(a, b, hi, lo);
    lo = uaddCarry(lo, t, k1);
    lo = uaddCarry(lo, c, k2);
    c = hi + k1 + k2;
    return lo;
}

#endif
