/* kernels/include/bv_arith.glsl: modular arithmetic on BV_N limbs of BV_LIMB_BITS bits modulo
 * the field's modulus, written once for both fields and both limb widths on top of the limb
 * primitives (bv_adc, bv_sbb on limbs; bv_wmac, bv_wadc on the 32-bit words that the Montgomery
 * multiplication works on). Inputs must be below the modulus; outputs always are.
 * Arrays are passed by value (GLSL copies in and out), so an output may be an input variable;
 * the driver's compiler inlines every call and keeps the arrays in registers (checked on an
 * H100: no local memory, and the same speed as SPIR-V optimized by spirv-opt -O).
 * Each step is its own small function so that a variant (a tuned one, or a deliberately
 * broken one for mutation testing) can replace one step. */
#ifndef BV_ARITH_GLSL
#define BV_ARITH_GLSL

#include "bv_field.glsl"

/* r = cond ? a : b, limb by limb, without a branch. */
void bv_select(out BV_LIMB r[BV_N], bool cond, BV_LIMB a[BV_N], BV_LIMB b[BV_N])
{
    [[unroll]] for (int i = 0; i < BV_N; i++)
        r[i] = cond ? a[i] : b[i];
}

/* r = (hi * 2^(BV_N * BV_LIMB_BITS) + t) reduced once: t - m when that is not negative, else
 * t. Canonical whenever the value is below 2m; hi is 0 or 1. */
void bv_reduce_once(out BV_LIMB r[BV_N], BV_LIMB hi, BV_LIMB t[BV_N])
{
    BV_LIMB d[BV_N];
    BV_LIMB borrow = BV_LIMB(0);
    [[unroll]] for (int i = 0; i < BV_N; i++)
        d[i] = bv_sbb(t[i], bv_modulus[i], borrow);
    /* The subtraction's borrow out of the low limbs is covered by hi exactly when the value
     * is at least m. */
    bv_select(r, hi >= borrow, d, t);
}

/* r = x + y mod m. */
void bv_add(out BV_LIMB r[BV_N], BV_LIMB x[BV_N], BV_LIMB y[BV_N])
{
    BV_LIMB s[BV_N];
    BV_LIMB carry = BV_LIMB(0);
    [[unroll]] for (int i = 0; i < BV_N; i++)
        s[i] = bv_adc(x[i], y[i], carry);
    bv_reduce_once(r, carry, s);
}

/* r = x - y mod m: the difference, plus m when it went negative (m masked by the borrow, so
 * that there is no branch). */
void bv_sub(out BV_LIMB r[BV_N], BV_LIMB x[BV_N], BV_LIMB y[BV_N])
{
    BV_LIMB d[BV_N];
    BV_LIMB borrow = BV_LIMB(0);
    [[unroll]] for (int i = 0; i < BV_N; i++)
        d[i] = bv_sbb(x[i], y[i], borrow);
    BV_LIMB mask = BV_LIMB(0) - borrow;
    BV_LIMB carry = BV_LIMB(0);
    [[unroll]] for (int i = 0; i < BV_N; i++)
        r[i] = bv_adc(d[i], bv_modulus[i] & mask, carry);
}

/* r = -x mod m: m - x, except 0 for x = 0 (m itself is not canonical), by masking m to 0. */
void bv_neg(out BV_LIMB r[BV_N], BV_LIMB x[BV_N])
{
    BV_LIMB any = BV_LIMB(0);
    [[unroll]] for (int i = 0; i < BV_N; i++)
        any |= x[i];
    BV_LIMB mask = any != BV_LIMB(0) ? ~BV_LIMB(0) : BV_LIMB(0);
    BV_LIMB borrow = BV_LIMB(0);
    [[unroll]] for (int i = 0; i < BV_N; i++)
        r[i] = bv_sbb(bv_modulus[i] & mask, x[i], borrow);
}

/* r = 2x mod m. */
void bv_dbl(out BV_LIMB r[BV_N], BV_LIMB x[BV_N])
{
    bv_add(r, x, x);
}

/* The Montgomery multiplication and squaring work on BV_W 32-bit words in both limb widths (in
 * a u64 build, the two halves of each limb): the GPU's fastest product is 32x32->64 bits.
 * w = the words of x, least significant first. */
void bv_to_words(out uint w[BV_W], BV_LIMB x[BV_N])
{
    [[unroll]] for (int i = 0; i < BV_N; i++)
        [[unroll]] for (int k = 0; k < BV_WORDS_PER_LIMB; k++)
            w[i * BV_WORDS_PER_LIMB + k] = bv_limb_word(x[i], k);
}

/* x = the limbs made of the words w. */
void bv_from_words(out BV_LIMB x[BV_N], uint w[BV_W])
{
    [[unroll]] for (int i = 0; i < BV_N; i++)
        x[i] = bv_limb_make(w[i * BV_WORDS_PER_LIMB], w[i * BV_WORDS_PER_LIMB + BV_WORDS_PER_LIMB - 1]);
}

/* One round of the Montgomery multiplication, CIOS form (Koc, Acar, Kaliski 1996) with both
 * inner loops fused ("no-carry" CIOS): t = (t + x * yi + q * m) / 2^32, with q chosen so that the
 * division is exact. The x*yi products carry through a, the q*m products through c. This needs
 * the modulus' top word below 2^31 - 1, which both BLS12-381 moduli have (0x1a0111ea,
 * 0x73eda753): t then never needs words beyond BV_W, and c + a cannot overflow. */
void bv_mont_row(inout uint t[BV_W], uint x[BV_W], uint yi)
{
    uint a = 0u;
    t[0] = bv_wmac(x[0], yi, t[0], a);
    uint q = t[0] * bv_minv_w;
    uint c = 0u;
    /* Only the carry matters: q was chosen so that the low word is zero. */
    bv_wmac(q, bv_modulus_w[0], t[0], c);
    [[unroll]] for (int j = 1; j < BV_W; j++) {
        t[j] = bv_wmac(x[j], yi, t[j], a);
        t[j - 1] = bv_wmac(q, bv_modulus_w[j], t[j], c);
    }
    t[BV_W - 1] = c + a;
}

/* t = x * y * 2^-(32 BV_W) mod m, below 2m (for x, y < m), on words: BV_W rounds. */
void bv_mont_mul_words(out uint t[BV_W], uint x[BV_W], uint y[BV_W])
{
    [[unroll]] for (int j = 0; j < BV_W; j++)
        t[j] = 0u;
    [[unroll]] for (int i = 0; i < BV_W; i++)
        bv_mont_row(t, x, y[i]);
}

/* r = the words t (below 2m) as canonical limbs: one conditional subtraction of m. */
void bv_mont_finish(out BV_LIMB r[BV_N], uint t[BV_W])
{
    BV_LIMB l[BV_N];
    bv_from_words(l, t);
    bv_reduce_once(r, BV_LIMB(0), l);
}

#ifdef BV_LIMBS_F64
/* The f64 variant: its products on double-precision FMAs. */
#include "bv_f64.glsl"
#endif

/* r = x * y * R^-1 mod m, R = 2^(BV_N * BV_LIMB_BITS) = 2^(32 BV_W): Montgomery multiplication. */
void bv_mont_mul(out BV_LIMB r[BV_N], BV_LIMB x[BV_N], BV_LIMB y[BV_N])
{
#ifdef BV_LIMBS_F64
    bv_f64_mont_mul(r, x, y);
#else
    uint xw[BV_W], yw[BV_W], tw[BV_W];
    bv_to_words(xw, x);
    bv_to_words(yw, y);
    bv_mont_mul_words(tw, xw, yw);
    bv_mont_finish(r, tw);
#endif
}

/* p = x^2 on 2 BV_W words: the products above the diagonal once, doubled, plus the squares on
 * the diagonal; (BV_W^2 + BV_W) / 2 products instead of BV_W^2. */
void bv_sqr_words(out uint p[2 * BV_W], uint x[BV_W])
{
    [[unroll]] for (int k = 0; k < 2 * BV_W; k++)
        p[k] = 0u;
    [[unroll]] for (int i = 0; i < BV_W - 1; i++) {
        uint c = 0u;
        /* j from i + 1: written with a test so that every loop has constant bounds. */
        [[unroll]] for (int j = 1; j < BV_W; j++)
            if (j > i)
                p[i + j] = bv_wmac(x[i], x[j], p[i + j], c);
        p[i + BV_W] = c;
    }
    uint top = 0u;
    [[unroll]] for (int k = 0; k < 2 * BV_W; k++) {
        uint v = p[k];
        p[k] = (v << 1) | top;
        top = v >> 31;
    }
    uint k = 0u;
    [[unroll]] for (int i = 0; i < BV_W; i++) {
        uint c = k;
        p[2 * i] = bv_wmac(x[i], x[i], p[2 * i], c);
        k = 0u;
        p[2 * i + 1] = bv_wadc(p[2 * i + 1], c, k);
    }
}

/* t = p * 2^-(32 BV_W) mod m, below 2m, for p below m^2: Montgomery reduction of 2 BV_W words
 * (SOS form), the carry out of each round's top word kept in k for the next. */
void bv_mont_redc_words(out uint t[BV_W], uint p[2 * BV_W])
{
    uint k = 0u;
    [[unroll]] for (int i = 0; i < BV_W; i++) {
        uint q = p[i] * bv_minv_w;
        uint c = 0u;
        bv_wmac(q, bv_modulus_w[0], p[i], c);
        [[unroll]] for (int j = 1; j < BV_W; j++)
            p[i + j] = bv_wmac(q, bv_modulus_w[j], p[i + j], c);
        p[i + BV_W] = bv_wadc(p[i + BV_W], c, k);
    }
    [[unroll]] for (int j = 0; j < BV_W; j++)
        t[j] = p[BV_W + j];
}

/* r = x * x * R^-1 mod m: a dedicated squaring (about 20% fewer products than bv_mont_mul). */
void bv_mont_sqr(out BV_LIMB r[BV_N], BV_LIMB x[BV_N])
{
#ifdef BV_LIMBS_F64
    bv_f64_mont_sqr(r, x);
#else
    uint xw[BV_W], pw[2 * BV_W], tw[BV_W];
    bv_to_words(xw, x);
    bv_sqr_words(pw, xw);
    bv_mont_redc_words(tw, pw);
    bv_mont_finish(r, tw);
#endif
}

/* r = x * R mod m: the Montgomery product with R^2. */
void bv_to_mont(out BV_LIMB r[BV_N], BV_LIMB x[BV_N])
{
    bv_mont_mul(r, x, bv_r2);
}

/* r = x * R^-1 mod m: the Montgomery product with 1. */
void bv_from_mont(out BV_LIMB r[BV_N], BV_LIMB x[BV_N])
{
    BV_LIMB one[BV_N];
    [[unroll]] for (int j = 0; j < BV_N; j++)
        one[j] = BV_LIMB(0);
    one[0] = BV_LIMB(1);
    bv_mont_mul(r, x, one);
}

/* bv_inv's fixed window: 4 bits (a window never straddles a limb, 32 and 64 being multiples of
 * 4), BV_INV_WINDOWS of them over the BV_BITS bits of m - 2, the top one not zero. */
#define BV_INV_WINDOW 4
#define BV_INV_WINDOWS ((BV_BITS + BV_INV_WINDOW - 1) / BV_INV_WINDOW)

/* Window j of the exponent m - 2: its bits 4j to 4j + 3. */
uint bv_inv_window(int j)
{
    int bit = j * BV_INV_WINDOW;
    return uint((bv_inv_exp[bit / BV_LIMB_BITS] >> (bit % BV_LIMB_BITS)) & BV_LIMB(15));
}

/* r = x^-1 * R^2 mod m, 0 for x = 0: the Montgomery form of the inverse (x stands for
 * a = x R^-1, r = a^-1 R). Fermat's x^(m-2), which is x^-1 for x != 0 and 0 for 0, by
 * Montgomery products, each of which brings an R^-1: the power reached is
 * x^(m-2) R^(1-(m-2)) = x^-1 R^2, as R^(m-1) = 1. Fixed windows from the top: a table of the
 * powers x^1 .. x^15, then for each window four squarings and a product with the window's power
 * (none for a zero window). Neither the window loop nor its four squarings are unrolled
 * (unrolled, the squarings make lavapipe's compile of an Fp kernel twice as long): about BV_BITS
 * squarings and BV_BITS / 4 products, the longest loop of any kernel. */
void bv_inv(out BV_LIMB r[BV_N], BV_LIMB x[BV_N])
{
    BV_LIMB t[16][BV_N]; /* t[k] = x^k R^(1-k); t[0] is never used */
    t[1] = x;
    for (int k = 2; k < 16; k++)
        bv_mont_mul(t[k], t[k - 1], x);
    r = t[bv_inv_window(BV_INV_WINDOWS - 1)];
    for (int j = BV_INV_WINDOWS - 2; j >= 0; j--) {
        for (int s = 0; s < BV_INV_WINDOW; s++)
            bv_mont_sqr(r, r);
        uint w = bv_inv_window(j);
        if (w != 0u)
            bv_mont_mul(r, r, t[w]);
    }
}

#endif
