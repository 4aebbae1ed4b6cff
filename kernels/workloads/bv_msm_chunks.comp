#version 450
/* kernels/workloads/bv_msm_chunks.comp: stage 3 of g1.msm (bv_msm.comp describes every stage and
 * the buffers), the bucket sums: chunk g % 2^p[4] of window g >> p[4] adds the points at kk
 * places of the window's sorted list, bucket by bucket, in XYZZ coordinates (8M + 2S a mixed
 * addition, one point carried through the loop), and writes each bucket it touches as a
 * Jacobian point: whole when the chunk holds all of it, else as the chunk's first partial (the
 * bucket an earlier chunk began) or second (the one a later chunk goes on with). */
#extension GL_GOOGLE_include_directive : require
#include "bv_msm.glsl"

void main()
{
    uint g = gl_GlobalInvocationID.x;
    if (g >= bv_wl.count)
        return;
    g += bv_wl.base;
    uint c = bv_wl.p[1], nw = bv_wl.p[2], n = 1u << bv_wl.p[3], logt = bv_wl.p[4];
    uint cb = c - 1u, nd = 1u << cb, nb = nw << cb, kk = n >> logt, firsts = 2u * nb + nw * n;
    uint w0 = (g >> logt) << cb, first = (g & ((1u << logt) - 1u)) * kk, list = 2u * nb + (g >> logt) * n;
    uint filled = bv_b2.w[nb + w0 + nd - 1u];
    if (first >= filled) {
        bv_b2.w[firsts + g] = 0xffffffffu; /* past the window's points: no bucket, for the tree */
        return;
    }
    uint steps = min(kk, filled - first);
    /* bd: the bucket of place first, the lowest whose end lies past it. */
    uint lo = 0u, hi = nd - 1u;
    while (lo < hi) {
        uint mid = (lo + hi) >> 1u;
        if (bv_b2.w[nb + w0 + mid] > first)
            hi = mid;
        else
            lo = mid + 1u;
    }
    uint bd = lo, bend = bv_b2.w[nb + w0 + bd];
    bv_b2.w[firsts + g] = bd;
    bv_xyzz acc;
    bv_xyzz_identity(acc);
    [[dont_unroll]] for (uint t = 0u; t <= steps; t++) {
        uint pos = first + t;
        if (pos == bend || t == steps) {
            /* Bucket bd ends here, or the chunk does (the last step only stores). */
            uint bstart = bend - bv_b2.w[w0 + bd];
            bool whole = bstart >= first && bend <= first + kk;
            bv_jac j;
            bv_xyzz_to_jac(j, acc);
            bv_msm_store_jac(whole ? w0 + bd : nb + 2u * g + (bstart < first ? 0u : 1u), j);
            bv_xyzz_identity(acc);
            if (t == steps)
                break;
            while (bend <= pos)
                bend = bv_b2.w[nb + w0 + ++bd];
        }
        bv_aff a;
        uint e = bv_b2.w[list + pos];
        bv_msm_load_aff(a, e & 0x7fffffffu);
        if (bv_aff_is_identity(a))
            continue;
        if ((e >> 31u) != 0u)
            bv_coord_neg(a.y, a.y); /* a negative digit: -P = (x, -y) */
        bv_xyzz_madd(acc, a);
    }
}
