/* kernels/include/bv_limb32.glsl: the one-limb primitives on 32-bit limbs that all field
 * arithmetic is built from. Core GLSL only (umulExtended, comparisons): no device feature
 * needed. bv_limb64.glsl offers the same names on 64-bit limbs.
 * Carries come from comparisons (s < a after s = a + b), not from uaddCarry / usubBorrow: on an
 * H100 (driver 580) that is as fast or faster, and it lets bv_mac add t and c first (below). */
#ifndef BV_LIMB32_GLSL
#define BV_LIMB32_GLSL

#define BV_LIMB uint
#define BV_LIMB_BITS 32
/* The 16-byte unit that loads and stores move: four limbs. */
#define BV_VEC uvec4
#define BV_VEC_LANES 4
/* The Montgomery multiplication works on 32-bit words (bv_wmac); here a word is a limb. */
#define BV_WORDS_PER_LIMB 1

/* Returns a + b + carry and leaves the carry out (0 or 1) in carry; carry must be 0 or 1.
 * The two partial carries never both occur: a + b overflowing leaves at most 2^32 - 2. */
uint bv_adc(uint a, uint b, inout uint carry)
{
    uint s = a + b;
    uint c1 = uint(s < a);
    uint r = s + carry;
    carry = c1 | uint(r < s);
    return r;
}

/* Returns a - b - borrow and leaves the borrow out (0 or 1) in borrow; borrow must be 0 or 1. */
uint bv_sbb(uint a, uint b, inout uint borrow)
{
    uint d = a - b;
    uint b1 = uint(a < b);
    uint r = d - borrow;
    borrow = b1 | uint(d < borrow);
    return r;
}

/* Returns the low limb of a*b + t + c and leaves the high limb in c. Cannot overflow:
 * (2^32-1)^2 + 2*(2^32-1) = 2^64 - 1, so neither carry can overflow hi. t + c is formed
 * first, off the product's path (measured: about 3% faster than adding t, then c). */
uint bv_mac(uint a, uint b, uint t, inout uint c)
{
    uint hi, lo;
    umulExtended(a, b, hi, lo);
    uint s = t + c;
    hi += uint(s < t);
    lo += s;
    hi += uint(lo < s);
    c = hi;
    return lo;
}

/* The word primitives of the Montgomery multiplication and squaring (bv_arith.glsl), which
 * work on 32-bit words in both limb widths: here the word is the limb. */
uint bv_wmac(uint a, uint b, uint t, inout uint c)
{
    return bv_mac(a, b, t, c);
}

uint bv_wadc(uint a, uint b, inout uint carry)
{
    return bv_adc(a, b, carry);
}

/* Word k of a limb, and the limb made of words lo and hi (hi unused: one word a limb). */
uint bv_limb_word(uint x, int k)
{
    return x;
}

uint bv_limb_make(uint lo, uint hi)
{
    return lo;
}

#endif
