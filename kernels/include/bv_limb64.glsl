/* kernels/include/bv_limb64.glsl: the one-limb primitives on 64-bit limbs, the same names as
 * bv_limb32.glsl. Needs shaderInt64. GLSL has no 64-bit uaddCarry or umulExtended, so carries
 * come from comparisons and bv_mac's 128-bit product from four 32x32-bit products. The
 * Montgomery multiplication does not use bv_mac: it works on the 32-bit halves of the limbs
 * (bv_wmac), where one 32x32->64-bit multiply-add with a 64-bit accumulator is what the GPU does
 * best (on an H100, 1.7x faster than products of 64-bit limbs). */
#ifndef BV_LIMB64_GLSL
#define BV_LIMB64_GLSL

#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

#define BV_LIMB uint64_t
#define BV_LIMB_BITS 64
/* The 16-byte unit that loads and stores move: two limbs. */
#define BV_VEC u64vec2
#define BV_VEC_LANES 2
/* The Montgomery multiplication works on 32-bit words (bv_wmac): two a limb. */
#define BV_WORDS_PER_LIMB 2

/* Returns a + b + carry and leaves the carry out (0 or 1) in carry; carry must be 0 or 1. */
uint64_t bv_adc(uint64_t a, uint64_t b, inout uint64_t carry)
{
    uint64_t s = a + b;
    uint64_t c1 = uint64_t(s < a);
    uint64_t r = s + carry;
    carry = c1 + uint64_t(r < s);
    return r;
}

/* Returns a - b - borrow and leaves the borrow out (0 or 1) in borrow; borrow must be 0 or 1. */
uint64_t bv_sbb(uint64_t a, uint64_t b, inout uint64_t borrow)
{
    uint64_t d = a - b;
    uint64_t b1 = uint64_t(a < b);
    uint64_t r = d - borrow;
    borrow = b1 + uint64_t(d < borrow);
    return r;
}

/* Returns the low limb of a*b + t + c and leaves the high limb in c (cannot overflow, as in
 * bv_limb32.glsl). */
uint64_t bv_mac(uint64_t a, uint64_t b, uint64_t t, inout uint64_t c)
{
    const uint64_t low32 = 0xffffffffUL;
    uint64_t a0 = a & low32, a1 = a >> 32;
    uint64_t b0 = b & low32, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    /* Below 3 * 2^32: the middle column cannot overflow. */
    uint64_t mid = (p00 >> 32) + (p01 & low32) + (p10 & low32);
    uint64_t lo = (mid << 32) | (p00 & low32);
    uint64_t hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    lo += t;
    hi += uint64_t(lo < t);
    lo += c;
    hi += uint64_t(lo < c);
    c = hi;
    return lo;
}

/* Returns the low word of a*b + t + c on 32-bit words and leaves the high word in c. Cannot
 * overflow: (2^32-1)^2 + 2*(2^32-1) = 2^64 - 1. t + c is formed first and the product added to
 * it (one multiply-add with a 64-bit addend); measured faster than a*b + t + c in that order. */
uint bv_wmac(uint a, uint b, uint t, inout uint c)
{
    uint64_t p = uint64_t(a) * b + (uint64_t(t) + c);
    c = uint(p >> 32);
    return uint(p);
}

/* Returns a + b + carry on 32-bit words and leaves the carry out (0 or 1) in carry. */
uint bv_wadc(uint a, uint b, inout uint carry)
{
    uint64_t s = uint64_t(a) + b + carry;
    carry = uint(s >> 32);
    return uint(s);
}

/* Word k (0: low, 1: high) of a limb, and the limb made of words lo and hi. */
uint bv_limb_word(uint64_t x, int k)
{
    return unpackUint2x32(x)[k];
}

uint64_t bv_limb_make(uint lo, uint hi)
{
    return packUint2x32(uvec2(lo, hi));
}

#endif
