/* kernels/include/bv_f64_soft_fma.glsl: fma(a, b, c) for integer-valued doubles,
 * computed exactly in integers and rounded once (to nearest, ties to even): a fused fma in
 * software, the test instrument that runs bv_f64.glsl on a device whose double fma is not fused.
 * Lavapipe's is not (Mesa's llvmpipe lowers every 64-bit ffma to a multiply and an add), and
 * blsvk reports a kernel that calls fma on doubles NotSupported there.
 * Domain: a and b integers in [0, 2^53), c an integer below 2^107 in magnitude: what
 * bv_f64.glsl passes (digits, doubled digits, q, the split's addends), with room for a broken
 * variant of it. Anything else (a fraction, a negative factor, an infinity, a NaN, a value out
 * of range) gives a NaN, so that a caller outside the domain fails loudly instead of being
 * emulated wrongly. Written without branches (selects only): a few dozen integer instructions
 * a call, which keeps lavapipe's compile of an Fp kernel (256 calls) short. For conformance,
 * never for timing. */
#ifndef BV_F64_SOFT_FMA_GLSL
#define BV_F64_SOFT_FMA_GLSL

#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require

/* The index of the most significant set bit of x, -1 for 0. */
int bv_soft_msb64(uint64_t x)
{
    uint top = uint(x >> 32);
    return top != 0u ? 32 + findMSB(top) : findMSB(uint(x));
}

/* fma(a, b, c), exact and rounded once, for the domain in the header comment (else NaN). */
double bv_f64_soft_fma(double a, double b, double c)
{
    const double two52 = 4503599627370496.0lf;
    const double two53 = 9007199254740992.0lf;
    /* c = ch 2^52 + cl with cl in [0, 2^52): scaling by 2^-52 and floor are exact, so is
     * ch 2^52, and c - ch 2^52 is an integer below 2^52 (a fraction for a c that is not an
     * integer). ldexp, not ch * 2^52: spirv-opt -O (SPIRV-Tools 2023.1) drops NoContraction
     * from the copies of an unrolled loop and then contracts a multiply and a subtraction into
     * a GLSL.std.450 Fma, and a kernel with one needs the fused fma this file stands in for. */
    double ch = floor(ldexp(c, -52));
    precise double cl = c - ldexp(ch, 52);
    bool ok = a >= 0.0lf && a < two53 && a == floor(a) && b >= 0.0lf && b < two53 &&
              b == floor(b) && abs(ch) < two53 * 4.0lf && cl == floor(cl);
    uint64_t ia = ok ? uint64_t(a) : 0ul, ib = ok ? uint64_t(b) : 0ul;
    int64_t ich = ok ? int64_t(ch) : 0l;
    uint64_t icl = ok ? uint64_t(cl) : 0ul;

    /* a * b: 128 bits from 32-bit pieces (as bv_mac in bv_limb64.glsl). */
    const uint64_t low32 = 0xfffffffful;
    uint64_t a0 = ia & low32, a1 = ia >> 32, b0 = ib & low32, b1 = ib >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (p01 & low32) + (p10 & low32);
    uint64_t plo = (mid << 32) | (p00 & low32);
    uint64_t phi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);

    /* v = a b + c in two's complement: c is ch 2^52 + cl, ch sign-extended into the high word. */
    uint64_t clo = (uint64_t(ich) << 52) | icl;
    uint64_t chi = uint64_t(ich >> 12);
    uint64_t vlo = plo + clo;
    uint64_t vhi = phi + chi + uint64_t(vlo < plo);

    /* |v| (below 2^108) and its sign. */
    bool negative = (vhi >> 63) != 0ul;
    uint64_t nlo = ~vlo + 1ul;
    uint64_t nhi = ~vhi + uint64_t(nlo == 0ul);
    uint64_t lo = negative ? nlo : vlo, hi = negative ? nhi : vhi;

    /* Up to 53 bits: exact. Else keep the top 53 bits (drop sh of them, 1 <= sh <= 55, all
     * from the low word) and round on the dropped ones. */
    int n = hi != 0ul ? 64 + bv_soft_msb64(hi) : bv_soft_msb64(lo);
    int sh = max(n - 52, 1);
    uint64_t mant = (lo >> sh) | (hi << (64 - sh));
    uint64_t rem = lo & ((1ul << sh) - 1ul), tie = 1ul << (sh - 1);
    mant += (rem > tie || (rem == tie && (mant & 1ul) != 0ul)) ? 1ul : 0ul;
    /* mant 2^sh with mant in [2^52, 2^53] is the double with exponent field 1075 + sh and
     * fraction mant - 2^52; mant = 2^53 carries into the exponent, again the right double. */
    double big = uint64BitsToDouble((uint64_t(sh + 1075) << 52) + (mant - (1ul << 52)));
    double r = n <= 52 ? double(lo) : big;
    r = negative ? -r : r;
    return ok ? r : uint64BitsToDouble(0x7ff8000000000000ul);
}

#endif
