#version 450
/* kernels/workloads/bv_ntt_local.comp: K = p[1] consecutive radix-2 stages of the NTT, from stage
 * s0 = p[2], in workgroup shared memory, in place on binding 0 (after the bit-reversal); twiddles
 * from binding 1 as for bv_ntt_butterfly (w^k, k < n/2; p[0] = log_n). Stages s0 .. s0+K-1 mix
 * groups of 2^K elements 2^s0 apart: group G holds start + (e << s0), e < 2^K, where start =
 * ((G >> s0) << (s0 + K)) + (G mod 2^s0). A group is half as many invocations, one butterfly each
 * (count = n/2); a workgroup takes one group (K = log2(workgroup size) + 1) or several (smaller K).
 * One global read and write of each element for K stages instead of K: with s0 = 0 the groups are
 * consecutive blocks (the stages with short strides, whose global reads are least coalesced); the
 * later passes take the rest of the stages K at a time. Assumes a power-of-two workgroup size (the
 * manifest's K says so; the harness's default is 64). With p[3] = 1 the pass reads its elements
 * from binding 2 in bit-reversed order instead (the first pass: the input permutation fused, one
 * pass over the data saved); every pass binds three buffers, so that the layout is the same. */
#extension GL_GOOGLE_include_directive : require
#include "bv_workload_head.glsl"

shared BV_VEC bv_sh[gl_WorkGroupSize.x * 2u * BV_WL_VECS];

void bv_sh_load(out BV_LIMB r[BV_N], uint i)
{
    [[unroll]] for (int k = 0; k < BV_WL_VECS; k++) {
        BV_VEC v = bv_sh[i * BV_WL_VECS + k];
        [[unroll]] for (int l = 0; l < BV_VEC_LANES; l++)
            r[k * BV_VEC_LANES + l] = v[l];
    }
}

void bv_sh_store(uint i, BV_LIMB r[BV_N])
{
    [[unroll]] for (int k = 0; k < BV_WL_VECS; k++) {
        BV_VEC v;
        [[unroll]] for (int l = 0; l < BV_VEC_LANES; l++)
            v[l] = r[k * BV_VEC_LANES + l];
        bv_sh[i * BV_WL_VECS + k] = v;
    }
}

void main()
{
    /* Every invocation reaches every barrier: no early return. */
    uint g = bv_wl.base + gl_GlobalInvocationID.x;
    bool has = gl_GlobalInvocationID.x < bv_wl.count;
    uint log_n = bv_wl.p[0], K = bv_wl.p[1], s0 = bv_wl.p[2];
    uint hb = 1u << (K - 1u);  /* butterflies a group */
    uint q = g & (hb - 1u);    /* this invocation's butterfly in its group */
    uint G = g >> (K - 1u);
    uint low = G & ((1u << s0) - 1u);
    uint start = ((G >> s0) << (s0 + K)) + low;
    uint lb = (gl_LocalInvocationID.x >> (K - 1u)) << K; /* the group's place in shared memory */
    if (has && bv_wl.p[3] != 0u) {
        /* log_n >= 1 here: a pass has a butterfly. */
        uint r0 = bitfieldReverse(start + (q << s0)) >> (32u - log_n);
        uint r1 = bitfieldReverse(start + ((q + hb) << s0)) >> (32u - log_n);
        [[unroll]] for (int k = 0; k < BV_WL_VECS; k++) {
            bv_sh[(lb + q) * BV_WL_VECS + k] = bv_b2.v[r0 * BV_WL_VECS + k];
            bv_sh[(lb + q + hb) * BV_WL_VECS + k] = bv_b2.v[r1 * BV_WL_VECS + k];
        }
    } else if (has) {
        [[unroll]] for (int k = 0; k < BV_WL_VECS; k++) {
            bv_sh[(lb + q) * BV_WL_VECS + k] = bv_b0.v[(start + (q << s0)) * BV_WL_VECS + k];
            bv_sh[(lb + q + hb) * BV_WL_VECS + k] = bv_b0.v[(start + ((q + hb) << s0)) * BV_WL_VECS + k];
        }
    }
    barrier();
    for (uint t = 0u; t < K; t++) {
        if (has) {
            uint h = 1u << t;
            uint j = q & (h - 1u);
            uint i0 = ((q >> t) << (t + 1u)) + j;
            BV_LIMB u[BV_N], v[BV_N], w[BV_N], a[BV_N], b[BV_N];
            bv_sh_load(u, lb + i0);
            bv_sh_load(v, lb + i0 + h);
            /* Global stage s0 + t: the butterfly's offset in its block is (j << s0) + low. */
            BV_WL_LOAD(bv_b1, w, ((j << s0) + low) << (log_n - s0 - t - 1u))
            bv_mont_mul(v, v, w);
            bv_add(a, u, v);
            bv_sub(b, u, v);
            bv_sh_store(lb + i0, a);
            bv_sh_store(lb + i0 + h, b);
        }
        barrier();
    }
    if (has) {
        [[unroll]] for (int k = 0; k < BV_WL_VECS; k++) {
            bv_b0.v[(start + (q << s0)) * BV_WL_VECS + k] = bv_sh[(lb + q) * BV_WL_VECS + k];
            bv_b0.v[(start + ((q + hb) << s0)) * BV_WL_VECS + k] = bv_sh[(lb + q + hb) * BV_WL_VECS + k];
        }
    }
}
