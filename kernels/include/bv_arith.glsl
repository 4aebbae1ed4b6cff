/* kernels/include/bv_arith.glsl: modular arithmetic on BV_N limbs of BV_LIMB_BITS bits modulo
 * the field's modulus, written once for both fields and both limb widths on top of the limb
 * primitives (bv_adc, bv_sbb, bv_mac). Inputs must be below the modulus; outputs always are.
 * Arrays are passed by value (GLSL copies in and out), so an output may be an input variable.
 * Each step is its own small function so that a variant (a tuned one, or a deliberately
 * broken one for mutation testing) can replace one step under a preprocessor switch. */
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

/* r = x * y * R^-1 mod m, R = 2^(BV_N * BV_LIMB_BITS): Montgomery multiplication, CIOS form
 * (Koc, Acar, Kaliski 1996). Each of the BV_N rounds adds x * y[i] to the accumulator t, then
 * adds q * m with q chosen so that the low limb becomes zero, and shifts t down one limb.
 * t stays below 2m (for x, y < m), so one conditional subtraction makes it canonical. The two
 * extra accumulator limbs make it correct for any odd modulus, not only those with spare
 * top bits. */
void bv_mont_mul(out BV_LIMB r[BV_N], BV_LIMB x[BV_N], BV_LIMB y[BV_N])
{
    BV_LIMB t[BV_N + 2];
    [[unroll]] for (int j = 0; j < BV_N + 2; j++)
        t[j] = BV_LIMB(0);

    [[unroll]] for (int i = 0; i < BV_N; i++) {
        BV_LIMB c = BV_LIMB(0);
        [[unroll]] for (int j = 0; j < BV_N; j++)
            t[j] = bv_mac(x[j], y[i], t[j], c);
        BV_LIMB k = BV_LIMB(0);
        t[BV_N] = bv_adc(t[BV_N], c, k);
        t[BV_N + 1] = k;

        BV_LIMB q = t[0] * bv_minv;
        c = BV_LIMB(0);
        /* Only the carry matters: q was chosen so that the low limb is zero. */
        bv_mac(q, bv_modulus[0], t[0], c);
        [[unroll]] for (int j = 1; j < BV_N; j++)
            t[j - 1] = bv_mac(q, bv_modulus[j], t[j], c);
        k = BV_LIMB(0);
        t[BV_N - 1] = bv_adc(t[BV_N], c, k);
        t[BV_N] = t[BV_N + 1] + k;
    }

    BV_LIMB low[BV_N];
    [[unroll]] for (int j = 0; j < BV_N; j++)
        low[j] = t[j];
    bv_reduce_once(r, t[BV_N], low);
}

/* r = x * x * R^-1 mod m. */
void bv_mont_sqr(out BV_LIMB r[BV_N], BV_LIMB x[BV_N])
{
    bv_mont_mul(r, x, x);
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

#endif
