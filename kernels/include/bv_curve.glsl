/* kernels/include/bv_curve.glsl: point arithmetic on y^2 = x^3 + b (a = 0) over the coordinate
 * field of bv_coord.glsl, written once for G1 (BV_FAMILY_G1: Fp, b = 4) and G2 (BV_FAMILY_G2:
 * Fp2, the twist, b = 4(1 + u)). The formulas never use b: the Jacobian a = 0 formulas of the
 * Explicit-Formulas Database (dbl-2009-l, add-2007-bl, madd-2007-bl; XYZZ madd-2008-s and
 * dbl-2008-s-1 for sums of affine points), with the cases they do
 * not cover handled here: either operand the identity (by selects), P = Q (the doubling, in a
 * branch: it is rare, and a select would pay for a doubling on every addition) and P = -Q
 * (the formulas give Z = 0 by themselves).
 * A Jacobian point (X, Y, Z) is (X/Z^2, Y/Z^3), any Z = 0 the identity; an affine point (x, y)
 * has x = y = 0 for the identity. Coordinates in Montgomery form, canonical in and out. */
#ifndef BV_CURVE_GLSL
#define BV_CURVE_GLSL

#include "bv_coord.glsl"

struct bv_jac {
    bv_coord x;
    bv_coord y;
    bv_coord z;
};

struct bv_aff {
    bv_coord x;
    bv_coord y;
};

/* A point's encoding in Fp elements: a Jacobian point three coordinates, an affine one two. */
#define BV_JAC_PARTS (3 * BV_COORD_PARTS)
#define BV_AFF_PARTS (2 * BV_COORD_PARTS)

/* The ABI's limbs of a point (X, Y, Z or x, y one after another, each c0 then c1), and back. */
void bv_jac_from_limbs(out bv_jac p, BV_LIMB e[BV_N * BV_JAC_PARTS])
{
    BV_COORD_FROM_LIMBS(p.x, e, 0)
    BV_COORD_FROM_LIMBS(p.y, e, 1)
    BV_COORD_FROM_LIMBS(p.z, e, 2)
}

void bv_jac_to_limbs(out BV_LIMB e[BV_N * BV_JAC_PARTS], bv_jac p)
{
    BV_COORD_TO_LIMBS(e, 0, p.x)
    BV_COORD_TO_LIMBS(e, 1, p.y)
    BV_COORD_TO_LIMBS(e, 2, p.z)
}

void bv_aff_from_limbs(out bv_aff a, BV_LIMB e[BV_N * BV_AFF_PARTS])
{
    BV_COORD_FROM_LIMBS(a.x, e, 0)
    BV_COORD_FROM_LIMBS(a.y, e, 1)
}

void bv_aff_to_limbs(out BV_LIMB e[BV_N * BV_AFF_PARTS], bv_aff a)
{
    BV_COORD_TO_LIMBS(e, 0, a.x)
    BV_COORD_TO_LIMBS(e, 1, a.y)
}

bool bv_jac_is_identity(bv_jac p)
{
    return bv_coord_is_zero(p.z);
}

bool bv_aff_is_identity(bv_aff a)
{
    return bv_coord_is_zero(a.x) && bv_coord_is_zero(a.y);
}

/* r = cond ? a : b. */
void bv_jac_select(out bv_jac r, bool cond, bv_jac a, bv_jac b)
{
    bv_coord_select(r.x, cond, a.x, b.x);
    bv_coord_select(r.y, cond, a.y, b.y);
    bv_coord_select(r.z, cond, a.z, b.z);
}

/* r = the identity, (1, 1, 0). */
void bv_jac_identity(out bv_jac r)
{
    bv_coord_set(r.x, true);
    bv_coord_set(r.y, true);
    bv_coord_set(r.z, false);
}

/* r = a as a Jacobian point with Z = 1; the affine identity (0, 0) becomes (0, 0, 1), which is
 * not the identity: callers select it away. */
void bv_jac_from_aff(out bv_jac r, bv_aff a)
{
    r.x = a.x;
    r.y = a.y;
    bv_coord_set(r.z, true);
}

/* r = -p = (X, -Y, Z). */
void bv_jac_neg(out bv_jac r, bv_jac p)
{
    r.x = p.x;
    bv_coord_neg(r.y, p.y);
    r.z = p.z;
}

/* r = 2p, dbl-2009-l (2M + 5S): A = X^2, B = Y^2, C = B^2, D = 2((X + B)^2 - A - C), E = 3A,
 * X3 = E^2 - 2D, Y3 = E(D - X3) - 8C, Z3 = 2YZ. The identity gives Z3 = 0; there is no point
 * of order 2 (Y = 0) on either curve. */
void bv_jac_dbl(out bv_jac r, bv_jac p)
{
    bv_coord a, b, c, d, e, t;
    bv_coord_sqr(a, p.x);
    bv_coord_sqr(b, p.y);
    bv_coord_sqr(c, b);
    bv_coord_add(t, p.x, b);
    bv_coord_sqr(t, t);
    bv_coord_sub(t, t, a);
    bv_coord_sub(t, t, c);
    bv_coord_dbl(d, t);
    bv_coord_dbl(e, a);
    bv_coord_add(e, e, a);
    bv_coord_mul(t, p.y, p.z);
    bv_coord_dbl(r.z, t);
    bv_coord_sqr(t, e);
    bv_coord_sub(t, t, d);
    bv_coord_sub(r.x, t, d);
    bv_coord_sub(t, d, r.x);
    bv_coord_mul(t, e, t);
    bv_coord_dbl(c, c);
    bv_coord_dbl(c, c);
    bv_coord_dbl(c, c);
    bv_coord_sub(r.y, t, c);
}

/* The tail shared by add and madd: with H = U2 - U1, rr = 2(S2 - S1), I = 4H^2 (so that
 * J = H I and V = U1 I): X3 = rr^2 - J - 2V, Y3 = rr(V - X3) - 2 S1 J. */
void bv_jac_add_xy(out bv_coord x3, out bv_coord y3, bv_coord h, bv_coord rr, bv_coord i,
                   bv_coord u1, bv_coord s1)
{
    bv_coord j, v, t;
    bv_coord_mul(j, h, i);
    bv_coord_mul(v, u1, i);
    bv_coord_sqr(t, rr);
    bv_coord_sub(t, t, j);
    bv_coord_sub(t, t, v);
    bv_coord_sub(x3, t, v);
    bv_coord_sub(t, v, x3);
    bv_coord_mul(t, rr, t);
    bv_coord_mul(j, s1, j);
    bv_coord_dbl(j, j);
    bv_coord_sub(y3, t, j);
}

/* r = p + q for distinct, non-identity p and q, add-2007-bl (11M + 5S): U1 = X1 Z2^2,
 * U2 = X2 Z1^2, S1 = Y1 Z2^3, S2 = Y2 Z1^3, H = U2 - U1, rr = 2(S2 - S1), I = (2H)^2,
 * Z3 = ((Z1 + Z2)^2 - Z1^2 - Z2^2) H. Sets same when p = q (H = 0 and S2 = S1), where the
 * result is not 2p; for p = -q (H = 0, S2 != S1) Z3 = 0, the identity. With q_one the caller
 * says that q's Z is one (an affine point, bv_jac_from_aff): the four products by Z2 are skipped
 * (7M + 5S), a mixed addition with this one function's products, which a CPU driver compiles once. */
void bv_jac_add_general(out bv_jac r, out bool same, bv_jac p, bv_jac q, bool q_one)
{
    bv_coord z1z1, z2z2, u1, u2, s1, s2, h, rr, i;
    bv_coord_sqr(z1z1, p.z);
    z2z2 = q.z;
    u1 = p.x;
    s1 = p.y;
    if (!q_one) {
        bv_coord_sqr(z2z2, q.z);
        bv_coord_mul(u1, p.x, z2z2);
        bv_coord_mul(s1, p.y, q.z);
        bv_coord_mul(s1, s1, z2z2);
    }
    bv_coord_mul(u2, q.x, z1z1);
    bv_coord_mul(s2, q.y, p.z);
    bv_coord_mul(s2, s2, z1z1);
    bv_coord_sub(h, u2, u1);
    bv_coord_sub(rr, s2, s1);
    same = bv_coord_is_zero(h) && bv_coord_is_zero(rr);
    bv_coord_dbl(rr, rr);
    bv_coord_dbl(i, h);
    bv_coord_sqr(i, i);
    bv_jac_add_xy(r.x, r.y, h, rr, i, u1, s1);
    bv_coord_add(r.z, p.z, q.z);
    bv_coord_sqr(r.z, r.z);
    bv_coord_sub(r.z, r.z, z1z1);
    bv_coord_sub(r.z, r.z, z2z2);
    bv_coord_mul(r.z, r.z, h);
}

/* r = p + q for every p and q: the identity on either side, p = q and p = -q included. */
void bv_jac_add(out bv_jac r, bv_jac p, bv_jac q)
{
    bool same;
    bv_jac s;
    bv_jac_add_general(s, same, p, q, false);
    if (same)
        bv_jac_dbl(s, p);
    bv_jac_select(s, bv_jac_is_identity(q), p, s);
    bv_jac_select(r, bv_jac_is_identity(p), q, s);
}

/* r = p + a for every Jacobian p and affine a, madd-2007-bl (7M + 4S), add-2007-bl with
 * Z2 = 1: U2 = x Z1^2, S2 = y Z1^3, H = U2 - X1, rr = 2(S2 - Y1), I = 4H^2,
 * Z3 = (Z1 + H)^2 - Z1^2 - H^2. p = a doubles, p = -a gives Z3 = 0, the affine identity gives
 * p and the identity p gives a with Z = 1. */
void bv_jac_madd(out bv_jac r, bv_jac p, bv_aff a)
{
    bv_coord z1z1, u2, s2, h, hh, rr, i;
    bv_jac s, l;
    bv_coord_sqr(z1z1, p.z);
    bv_coord_mul(u2, a.x, z1z1);
    bv_coord_mul(s2, a.y, p.z);
    bv_coord_mul(s2, s2, z1z1);
    bv_coord_sub(h, u2, p.x);
    bv_coord_sub(rr, s2, p.y);
    bool same = bv_coord_is_zero(h) && bv_coord_is_zero(rr);
    bv_coord_dbl(rr, rr);
    bv_coord_sqr(hh, h);
    bv_coord_dbl(i, hh);
    bv_coord_dbl(i, i);
    bv_jac_add_xy(s.x, s.y, h, rr, i, p.x, p.y);
    bv_coord_add(s.z, p.z, h);
    bv_coord_sqr(s.z, s.z);
    bv_coord_sub(s.z, s.z, z1z1);
    bv_coord_sub(s.z, s.z, hh);
    if (same)
        bv_jac_dbl(s, p);
    bv_jac_from_aff(l, a);
    bv_jac_select(s, bv_jac_is_identity(p), l, s);
    bv_jac_select(r, bv_aff_is_identity(a), p, s);
}

/* XYZZ coordinates (x = X/ZZ, y = Y/ZZZ, with ZZ^3 = ZZZ^2: ZZ = z^2 and ZZZ = z^3 for some z;
 * the identity ZZ = ZZZ = 0), for sums of many affine points: the mixed addition costs 8M + 2S
 * and keeps four coordinates live where a Jacobian one keeps three and more temporaries. */
struct bv_xyzz {
    bv_coord x;
    bv_coord y;
    bv_coord zz;
    bv_coord zzz;
};

/* r = the identity, (1, 1, 0, 0). */
void bv_xyzz_identity(out bv_xyzz r)
{
    bv_coord_set(r.x, true);
    bv_coord_set(r.y, true);
    bv_coord_set(r.zz, false);
    bv_coord_set(r.zzz, false);
}

/* r = a with ZZ = ZZZ = 1, for a that is not the affine identity. */
void bv_xyzz_from_aff(out bv_xyzz r, bv_aff a)
{
    r.x = a.x;
    r.y = a.y;
    bv_coord_set(r.zz, true);
    bv_coord_set(r.zzz, true);
}

/* p += a for every XYZZ p and every affine a but the identity (callers skip it): madd-2008-s,
 * U2 = x ZZ1, S2 = y ZZZ1, P = U2 - X1, R = S2 - Y1, PP = P^2, PPP = P PP, Q = X1 PP,
 * X3 = R^2 - PPP - 2Q, Y3 = R(Q - X3) - Y1 PPP, ZZ3 = ZZ1 PP, ZZZ3 = ZZZ1 PPP. p = a (P = R = 0)
 * is the doubling dbl-2008-s-1 through the same products, with P = 2 Y1, R = 3 X1^2 and no PPP
 * in X3; p = -a gives PP = 0, the identity, by itself; the identity p (ZZ = 0) gives a. */
void bv_xyzz_madd(inout bv_xyzz p, bv_aff a)
{
    if (bv_coord_is_zero(p.zz)) {
        bv_xyzz_from_aff(p, a);
        return;
    }
    bv_coord pp, ppp, q, r, t;
    bv_coord_mul(t, a.x, p.zz);
    bv_coord_sub(pp, t, p.x);
    bv_coord_mul(t, a.y, p.zzz);
    bv_coord_sub(r, t, p.y);
    bool dbl = bv_coord_is_zero(pp) && bv_coord_is_zero(r);
    if (dbl) {
        bv_coord_dbl(pp, p.y);
        bv_coord_sqr(r, p.x);
        bv_coord_dbl(t, r);
        bv_coord_add(r, r, t);
    }
    bv_coord_sqr(t, pp);
    bv_coord_mul(ppp, pp, t);
    bv_coord_mul(q, p.x, t);
    bv_coord_mul(p.zz, p.zz, t);
    bv_coord_mul(p.zzz, p.zzz, ppp);
    bv_coord_sqr(t, r);
    if (!dbl)
        bv_coord_sub(t, t, ppp);
    bv_coord_sub(t, t, q);
    bv_coord_sub(p.x, t, q);
    bv_coord_sub(q, q, p.x);
    bv_coord_mul(q, r, q);
    bv_coord_mul(t, p.y, ppp);
    bv_coord_sub(p.y, q, t);
}

/* r = p in Jacobian coordinates: Z = ZZZ (= z^3), X = X ZZ^2, Y = Y ZZZ^2, so that X/Z^2 = X/ZZ
 * and Y/Z^3 = Y/ZZZ by ZZ^3 = ZZZ^2. The identity gives Z = 0. */
void bv_xyzz_to_jac(out bv_jac r, bv_xyzz p)
{
    bv_coord t;
    bv_coord_sqr(t, p.zz);
    bv_coord_mul(r.x, p.x, t);
    bv_coord_sqr(t, p.zzz);
    bv_coord_mul(r.y, p.y, t);
    r.z = p.zzz;
}

/* r = k p, k a 256-bit integer (eight 32-bit words, least significant first; any value, 0 and
 * k >= r included): double-and-add from bit 255 down. */
void bv_jac_smul(out bv_jac r, bv_jac p, uint k[8])
{
    bv_jac acc;
    bv_jac_identity(acc);
    [[dont_unroll]] for (int b = 255; b >= 0; b--) {
        bv_jac_dbl(acc, acc);
        if (((k[b >> 5] >> (b & 31)) & 1u) != 0u)
            bv_jac_add(acc, acc, p);
    }
    r = acc;
}

/* r = p in affine coordinates: x = X/Z^2, y = Y/Z^3, by one inversion. The identity (Z = 0)
 * gives (0, 0) by itself: the inversion maps 0 to 0. */
void bv_jac_to_aff(out bv_aff r, bv_jac p)
{
    bv_coord zi, zi2, zi3;
    bv_coord_inv(zi, p.z);
    bv_coord_sqr(zi2, zi);
    bv_coord_mul(zi3, zi2, zi);
    bv_coord_mul(r.x, p.x, zi2);
    bv_coord_mul(r.y, p.y, zi3);
}

#endif
