#version 450
/* kernels/workloads/bv_ntt_butterfly.comp: one radix-2 stage of the iterative NTT, in place on
 * binding 0, twiddles from binding 1 (w^k, k < n/2, for the transform's root w, Montgomery form).
 * Stage s (blocks of 2h elements, h = 2^s = 2^p[0]) takes one butterfly an invocation (count =
 * n/2): t's block starts at 2h * (t >> s), its pair is (i0 = start + j, i1 = i0 + h) with
 * j = t mod h, and its twiddle is w^(j * n / 2h), index j << p[1] with p[1] = log_n - s - 1. */
#extension GL_GOOGLE_include_directive : require
#include "bv_workload_head.glsl"

void main()
{
    uint t;
    if (!bv_wl_item(t))
        return;
    uint s = bv_wl.p[0];
    uint h = 1u << s;
    uint j = t & (h - 1u);
    uint i0 = ((t >> s) << (s + 1u)) + j;
    uint i1 = i0 + h;
    BV_LIMB u[BV_N], v[BV_N], w[BV_N], a[BV_N], b[BV_N];
    BV_WL_LOAD(bv_b0, u, i0)
    BV_WL_LOAD(bv_b0, v, i1)
    BV_WL_LOAD(bv_b1, w, j << bv_wl.p[1])
    bv_mont_mul(v, v, w);
    bv_add(a, u, v);
    bv_sub(b, u, v);
    BV_WL_STORE(bv_b0, i0, a)
    BV_WL_STORE(bv_b0, i1, b)
}
