#version 450
/* kernels/workloads/bv_msm.comp: every stage of the built-in G1 multi-scalar multiplication
 * (g1.msm.json), Pippenger's bucket method with signed windows of c bits, in one module so that
 * the point addition is compiled once (a CPU driver spends most of a minute on each copy of it),
 * but for the bucket sums (stage 3, bv_msm_chunks.comp: most of the time, and a loop of its own
 * keeps fewer values live than this module's shared one).
 * Push words: p[0] the stage, p[1] = c, p[2] = windows (ceil(256 / c)), p[3] = log_n, p[4] =
 * log2 of the chunks a window (each chunk kk = n >> p[4] places of its sorted list), p[5] the
 * tree's level (stage 4) or the points an invocation sums (stage 7). Buffers are plain 32-bit
 * words; "index" holds counts[windows << (c-1)], cursors[windows << (c-1)], per window the point
 * indices sorted by bucket, each with its digit's sign in the top bit (windows * n), and each
 * chunk's first bucket, all zero before the first stage; "acc" holds the buckets (windows <<
 * (c-1): bucket b of a window holds the points whose digit is +-(b + 1)) and then two partial
 * sums a chunk.
 *   0 count    item w*n + i: signed digit d of scalar i in window w; d != 0 counts one in
 *              bucket (w, |d| - 1)
 *              [index, scalars]
 *   1 offsets  item w: each bucket's first place in window w's sorted list, as its cursor (after
 *              the scatter, the cursor is the bucket's end)  [index]
 *   2 scatter  item w*n + i: i into the next place of its bucket (atomics: any order in a bucket)
 *              [index, scalars]
 *   3 chunks   item (w, j): the points at places j*kk .. j*kk+kk-1 of window w's sorted list,
 *              summed bucket by bucket (XYZZ mixed additions; the affine point's y negated
 *              for a negative digit; bv_msm_chunks.comp); a bucket inside the chunk is written as it is, the one it starts in the middle of
 *              and the one it stops in the middle of as the chunk's two partials. Every chunk has
 *              the same number of points, however the digits fall  [acc, points, index]
 *   4 tree     run p[4] times, level s: the chunks' first partials summed pairwise within a
 *              bucket, so that a bucket over many chunks merges in few steps  [acc, acc, index]
 *   5 merge    item (w << (c-1)) + b: bucket (w, b) from the partials of the chunks it spans;
 *              the identity when empty  [acc, acc, index]
 *   6 segments item (w, s): window w's buckets s*16 .. s*16+15 (fewer for small c) as one point,
 *              sum of (b + 1) * B(w, b), by running sums and one multiplication by the first digit
 *              [segments, acc]
 *   7 sums     item g: the sum of points g*p[5] .. g*p[5]+p[5]-1, run twice: groups of a window's
 *              segments, then each window's groups, T_w  [group sums, segments], [window sums,
 *              group sums]
 *   8 combine  one item: out = sum of 2^(c w) T_w by Horner's rule (c doublings a window)
 *              [out, window sums]
 * Stages 4 to 8 run one loop with one call site of the addition (bv_jac_add_general) and one
 * of the doubling (dbl-2009-l, which also serves
 * an addition of a point to itself), so that a CPU driver compiles each once; the bucket sums
 * and the window reduction run over many invocations, not one a bucket or a window. Points are
 * the ABI's: affine inputs (x, y; all zero for the identity) and Jacobian outputs, coordinates
 * in Montgomery form. */
#extension GL_GOOGLE_include_directive : require
#include "bv_msm.glsl"

/* The stage, where the harness specializes the pipeline (the manifest's "specialize": on a GPU),
 * so that the driver compiles that stage's branches alone and keeps one stage's values live;
 * else 0xffffffff and the stage comes from p[0] (a CPU driver compiles the module once). */
layout(constant_id = 1) const uint BV_MSM_STAGE = 0xffffffffu;

/* Digit w (c bits from bit w c) of scalar i (eight words at binding 1); bits past 255 are 0. */
uint bv_msm_digit(uint i, uint w, uint c)
{
    uint pos = w * c, word = pos >> 5u, sh = pos & 31u;
    if (word >= 8u)
        return 0u; /* the window that only takes the carry, where c divides 256 */
    uint v = bv_b1.w[8u * i + word] >> sh;
    if (sh + c > 32u && word + 1u < 8u)
        v |= bv_b1.w[8u * i + word + 1u] << (32u - sh);
    return v & ((1u << c) - 1u);
}

/* Signed digit w of scalar i, in [-(2^(c-1) - 1), 2^(c-1)]: from the lowest window up, a digit
 * past 2^(c-1) takes 2^c off and carries one into the next window (ceil(257 / c) windows: the
 * last one's carry is always 0). Half the buckets of unsigned digits: a digit's bucket is its
 * magnitude less one, and a negative digit adds the point's negation. */
int bv_msm_sdigit(uint i, uint w, uint c)
{
    uint carry = 0u;
    int d = 0;
    [[dont_unroll]] for (uint k = 0u; k <= w; k++) {
        uint v = bv_msm_digit(i, k, c) + carry;
        carry = v > (1u << (c - 1u)) ? 1u : 0u;
        d = int(v) - int(carry << c);
    }
    return d;
}

/* Stages 3 to 8: one loop, one addition or doubling a step. */
void bv_msm_sums(uint stage, uint g, uint c, uint nw, uint n, uint nb, uint logt, uint per)
{
    uint cb = c - 1u; /* bits of a bucket's index in its window: 2^(c-1) buckets, digit = index + 1 */
    uint nd = 1u << cb, ls = min(16u, nd), ns = nd / ls, kk = n >> logt, firsts = 2u * nb + nw * n;
    uint steps = 0u, first = 0u, list = 0u, base = 0u, w0 = 0u, place = g;
    bool store = true; /* acc to place after the loop */
    bv_jac acc, run, part;
    bv_jac_identity(acc);
    bv_jac_identity(run);
    bv_jac_identity(part);
    if (stage == 4u) {
        /* Level per of a pairwise tree over the chunks' first partials: chunk t (a multiple of
         * 2^(per+1)) adds in chunk t + 2^per's when both begin in one bucket. After every level,
         * a chunk t with j trailing zero bits in its window holds the sum of the first partials
         * of chunks t .. t + 2^j - 1 that begin in its bucket. */
        uint t = g << (per + 1u), u = t + (1u << per);
        store = false;
        if (bv_b2.w[firsts + t] == bv_b2.w[firsts + u] && bv_b2.w[firsts + t] != 0xffffffffu) {
            bv_msm_load_jac(acc, nb + 2u * t);
            first = u;
            steps = 1u;
            store = true;
            place = nb + 2u * t;
        }
    } else if (stage == 5u) {
        /* Bucket g: nothing (the identity) when empty; written whole by its chunk when one
         * chunk holds it; else the second partial (the bucket it ends with) of the first chunk
         * t0 it spans, and the first partials of chunks t0 + 1 .. t1 from the tree, a block
         * at a time (at most 2 log2 of the chunks: a bucket of any size merges in few steps). */
        uint cnt = bv_b2.w[g], end = bv_b2.w[nb + g];
        if (cnt != 0u) {
            uint t0 = (end - cnt) / kk, t1 = (end - 1u) / kk;
            first = ((g >> cb) << logt) + t0;
            store = t1 != t0;
            if (store) {
                steps = 1u;
                for (uint k = t0 + 1u; k <= t1; k += 1u << findLSB(k))
                    steps++;
                list = t0 + 1u;
            }
        }
    } else if (stage == 6u) {
        /* Segment g % ns of window g / ns: its ls buckets from bucket base up (digits base + 1
         * up). Running sums from the top give acc = sum (b - base) B_b and run = sum B_b; then
         * (base + 1) run by doubling and adding (c steps of each), added to acc. */
        base = (g % ns) * ls;
        w0 = (g / ns) << cb;
        steps = 2u * ls + 2u * c + 1u;
    } else if (stage == 7u) {
        steps = per; /* points g * per .. g * per + per - 1 summed */
    } else {
        bv_msm_load_jac(acc, nw - 1u);
        steps = (nw - 1u) * (c + 1u);
        place = 0u;
    }
    [[dont_unroll]] for (uint t = 0u; t < steps; t++) {
        bv_jac x = acc, y;
        bool dbl = false;
        uint to = 0u; /* 0: acc, 1: run, 2: part */
        if (stage == 4u) {
            bv_msm_load_jac(y, nb + 2u * first);
        } else if (stage == 5u) {
            if (t == 0u) {
                bv_msm_load_jac(y, nb + 2u * first + 1u);
            } else {
                bv_msm_load_jac(y, nb + 2u * (first - (first & ((1u << logt) - 1u)) + list));
                list += 1u << findLSB(list);
            }
        } else if (stage == 6u) {
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
                else if ((((base + 1u) >> bit) & 1u) != 0u)
                    y = run;
                else
                    continue;
            } else {
                y = part;
            }
        } else if (stage == 7u) {
            bv_msm_load_jac(y, g * per + t);
        } else {
            if (t % (c + 1u) < c)
                dbl = true;
            else
                bv_msm_load_jac(y, nw - 2u - t / (c + 1u));
        }
        /* One call site each of the addition and the doubling, so that a CPU driver compiles
         * each once; the doubling also serves an addition of a point to itself. */
        bv_jac s;
        bool same = false;
        if (!dbl)
            bv_jac_add_general(s, same, x, y, false);
        if (dbl || same)
            bv_jac_dbl(s, x);
        if (!dbl) {
            bv_jac_select(s, bv_jac_is_identity(y), x, s);
            bv_jac_select(s, bv_jac_is_identity(x), y, s);
        }
        if (to == 1u)
            run = s;
        else if (to == 2u)
            part = s;
        else
            acc = s;
    }
    if (store)
        bv_msm_store_jac(place, acc);
}

void main()
{
    uint g = gl_GlobalInvocationID.x;
    if (g >= bv_wl.count)
        return;
    g += bv_wl.base;
    uint stage = BV_MSM_STAGE != 0xffffffffu ? BV_MSM_STAGE : bv_wl.p[0], c = bv_wl.p[1], nw = bv_wl.p[2], n = 1u << bv_wl.p[3], nb = nw << (c - 1u);
    if (stage == 0u || stage == 2u) {
        uint w = g / n, i = g % n;
        int d = bv_msm_sdigit(i, w, c);
        if (d == 0)
            return;
        uint k = (w << (c - 1u)) + uint(abs(d)) - 1u;
        if (stage == 0u)
            atomicAdd(bv_b0.w[k], 1u);
        else /* the index with the digit's sign in its top bit (n <= 2^31) */
            bv_b0.w[2u * nb + w * n + atomicAdd(bv_b0.w[nb + k], 1u)] = i | (d < 0 ? 0x80000000u : 0u);
    } else if (stage == 1u) {
        uint run = 0u;
        [[dont_unroll]] for (uint d = 0u; d < (1u << (c - 1u)); d++) {
            uint k = (g << (c - 1u)) + d, cnt = bv_b0.w[k];
            bv_b0.w[nb + k] = run;
            run += cnt;
        }
    } else {
        bv_msm_sums(stage, g, c, nw, n, nb, bv_wl.p[4], bv_wl.p[5]);
    }
}
