#version 450
/* kernels/workloads/bv_msm.comp: every stage of the built-in G1 multi-scalar multiplication
 * (g1.msm.json), Pippenger's bucket method with unsigned windows of c bits, in one module so that
 * the point addition is compiled once (a CPU driver spends most of a minute on each copy of it).
 * Push words: p[0] the stage, p[1] = c, p[2] = windows (ceil(256 / c)), p[3] = log_n. Buffers are
 * plain 32-bit words; "index" holds counts[windows << c], cursors[windows << c] and, per window,
 * the point indices sorted by digit (windows * n), all zero before the first stage.
 *   0 count    item w*n + i: digit d of scalar i in window w; d != 0 counts one in (w, d)
 *              [index, scalars]
 *   1 offsets  item w: each digit's first place in window w's sorted list, as its cursor
 *              [index]
 *   2 scatter  item w*n + i: i into the next place of (w, d) (atomics: any order in a bucket)
 *              [index, scalars]
 *   3 buckets  item (w << c) + d: the sum of the points of bucket (w, d); the identity for d = 0
 *              [buckets, points, index]
 *   4 segments item (w, s): window w's buckets s*16 .. s*16+15 (fewer for small c) as one point,
 *              sum of d * B(w, d), by running sums and one multiplication by the first digit
 *              [segments, buckets]
 *   5 windows  item w: T_w = the sum of the window's segments  [window sums, segments]
 *   6 combine  one item: out = sum of 2^(c w) T_w by Horner's rule (c doublings a window)
 *              [out, window sums]
 * Stages 3 to 6 run one loop with one call of bv_jac_add (doublings too: it doubles when both
 * operands are one point), so that a CPU driver compiles it once; the window reduction runs over
 * many invocations (its segments), not one a window. Points are the ABI's: affine
 * inputs (x, y; all zero for the identity) and Jacobian outputs, coordinates in Montgomery form. */
#extension GL_GOOGLE_include_directive : require
#include "bv_curve.glsl"

layout(local_size_x_id = 0) in;

layout(push_constant) uniform bv_wl_push_block {
    uint count;
    uint base;
    uint p[6];
} bv_wl;

layout(set = 0, binding = 0, std430) buffer bv_msm_b0 { uint w[]; } bv_b0;
layout(set = 0, binding = 1, std430) buffer bv_msm_b1 { uint w[]; } bv_b1;
layout(set = 0, binding = 2, std430) buffer bv_msm_b2 { uint w[]; } bv_b2;

#define BV_MSM_WPL (BV_LIMB_BITS / 32)              /* 32-bit words a limb */
#define BV_MSM_JAC_WORDS (BV_N * BV_JAC_PARTS * BV_MSM_WPL)
#define BV_MSM_AFF_WORDS (BV_N * BV_AFF_PARTS * BV_MSM_WPL)

#if BV_LIMB_BITS == 32
#define BV_MSM_LIMB(B, at) B.w[at]
#define BV_MSM_PUT(B, at, v) B.w[at] = (v);
#else
#define BV_MSM_LIMB(B, at) (uint64_t(B.w[at]) | (uint64_t(B.w[(at) + 1u]) << 32))
#define BV_MSM_PUT(B, at, v) B.w[at] = uint(v); B.w[(at) + 1u] = uint((v) >> 32);
#endif

void bv_msm_load_aff(out bv_aff a, uint i)
{
    BV_LIMB e[BV_N * BV_AFF_PARTS];
    [[unroll]] for (uint k = 0u; k < uint(BV_N * BV_AFF_PARTS); k++)
        e[k] = BV_MSM_LIMB(bv_b1, uint(BV_MSM_AFF_WORDS) * i + k * uint(BV_MSM_WPL));
    bv_aff_from_limbs(a, e);
}

void bv_msm_load_jac(out bv_jac p, uint i)
{
    BV_LIMB e[BV_N * BV_JAC_PARTS];
    [[unroll]] for (uint k = 0u; k < uint(BV_N * BV_JAC_PARTS); k++)
        e[k] = BV_MSM_LIMB(bv_b1, uint(BV_MSM_JAC_WORDS) * i + k * uint(BV_MSM_WPL));
    bv_jac_from_limbs(p, e);
}

void bv_msm_store_jac(uint i, bv_jac p)
{
    BV_LIMB e[BV_N * BV_JAC_PARTS];
    bv_jac_to_limbs(e, p);
    [[unroll]] for (uint k = 0u; k < uint(BV_N * BV_JAC_PARTS); k++) {
        BV_MSM_PUT(bv_b0, uint(BV_MSM_JAC_WORDS) * i + k * uint(BV_MSM_WPL), e[k])
    }
}

/* Digit w (c bits from bit w c) of scalar i (eight words at binding 1); bits past 255 are 0. */
uint bv_msm_digit(uint i, uint w, uint c)
{
    uint pos = w * c, word = pos >> 5u, sh = pos & 31u;
    uint v = bv_b1.w[8u * i + word] >> sh;
    if (sh + c > 32u && word + 1u < 8u)
        v |= bv_b1.w[8u * i + word + 1u] << (32u - sh);
    return v & ((1u << c) - 1u);
}

/* Stages 3 to 6: one loop, one addition or doubling a step. */
void bv_msm_sums(uint stage, uint g, uint c, uint nw, uint n, uint nb)
{
    uint nd = 1u << c, ls = min(16u, nd), ns = nd / ls;
    uint steps = 0u, first = 0u, list = 0u, base = 0u;
    bv_jac acc, run, part;
    bv_jac_identity(acc);
    bv_jac_identity(run);
    bv_jac_identity(part);
    if (stage == 3u) {
        uint cnt = bv_b2.w[g];
        first = bv_b2.w[nb + g] - cnt; /* the cursor ends past the bucket's last index */
        list = 2u * nb + (g >> c) * n;
        steps = (g & (nd - 1u)) == 0u ? 0u : cnt;
    } else if (stage == 4u) {
        /* Segment g % ns of window g / ns: its ls buckets from digit base up. Running sums from
         * the top give acc = sum (d - base) B_d and run = sum B_d; then base * run by doubling
         * and adding (c steps of each), added to acc. */
        base = (g % ns) * ls;
        steps = 2u * ls + 2u * c + 1u;
    } else if (stage == 5u) {
        steps = ns; /* the window's segments summed */
    } else {
        bv_msm_load_jac(acc, nw - 1u);
        steps = (nw - 1u) * (c + 1u);
    }
    [[dont_unroll]] for (uint t = 0u; t < steps; t++) {
        bv_jac x = acc, y;
        bool dbl = false;
        uint to = 0u; /* 0: acc, 1: run, 2: part */
        if (stage == 3u) {
            bv_aff a;
            bv_msm_load_aff(a, bv_b2.w[list + first + t]);
            if (bv_aff_is_identity(a))
                continue;
            bv_jac_from_aff(y, a);
        } else if (stage == 4u) {
            uint w0 = (g / ns) << c;
            if (t < 2u * ls) {
                uint d = base + ls - 1u - t / 2u;
                if ((t & 1u) == 0u) {
                    x = run;
                    bv_msm_load_jac(y, w0 + d);
                    to = 1u;
                } else if (d == base) {
                    continue; /* (d - base) = 0: the lowest bucket adds nothing to acc */
                } else {
                    y = run;
                }
            } else if (t < 2u * ls + 2u * c) {
                uint k = t - 2u * ls, bit = c - 1u - k / 2u;
                x = part;
                to = 2u;
                if ((k & 1u) == 0u)
                    dbl = true;
                else if (((base >> bit) & 1u) != 0u)
                    y = run;
                else
                    continue;
            } else {
                y = part;
            }
        } else if (stage == 5u) {
            bv_msm_load_jac(y, g * ns + t);
        } else {
            if (t % (c + 1u) < c)
                dbl = true;
            else
                bv_msm_load_jac(y, nw - 2u - t / (c + 1u));
        }
        /* A doubling is an addition of the point to itself (bv_jac_add doubles then): one
         * call site, so that a CPU driver compiles the addition once and no separate doubling. */
        if (dbl)
            y = x;
        bv_jac s;
        bv_jac_add(s, x, y);
        if (to == 1u)
            run = s;
        else if (to == 2u)
            part = s;
        else
            acc = s;
    }
    bv_msm_store_jac(stage == 6u ? 0u : g, acc);
}

void main()
{
    uint g = gl_GlobalInvocationID.x;
    if (g >= bv_wl.count)
        return;
    g += bv_wl.base;
    uint stage = bv_wl.p[0], c = bv_wl.p[1], nw = bv_wl.p[2], n = 1u << bv_wl.p[3], nb = nw << c;
    if (stage == 0u || stage == 2u) {
        uint w = g / n, i = g % n, d = bv_msm_digit(i, w, c);
        if (d == 0u)
            return;
        uint k = (w << c) + d;
        if (stage == 0u)
            atomicAdd(bv_b0.w[k], 1u);
        else
            bv_b0.w[2u * nb + w * n + atomicAdd(bv_b0.w[nb + k], 1u)] = i;
    } else if (stage == 1u) {
        uint run = 0u;
        [[dont_unroll]] for (uint d = 0u; d < (1u << c); d++) {
            uint k = (g << c) + d, cnt = bv_b0.w[k];
            bv_b0.w[nb + k] = run;
            run += cnt;
        }
    } else {
        bv_msm_sums(stage, g, c, nw, n, nb);
    }
}
