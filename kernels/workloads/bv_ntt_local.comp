#version 450
/* kernels/workloads/bv_ntt_local.comp: the NTT's first p[1] = L radix-2 stages in workgroup shared
 * memory, in place on binding 0 (after the bit-reversal), twiddles from binding 1 as for
 * bv_ntt_butterfly (w^k, k < n/2; p[0] = log_n). A block is the 2^L consecutive elements that those
 * stages mix; a workgroup takes one block, one butterfly an invocation (count = n/2): L = min(log_n,
 * log2(workgroup size) + 1), so that a block is two elements an invocation, or the whole input
 * when it is smaller. One global read and write of each element instead of L: the stages with
 * short strides, where the global stages' reads are least coalesced, stay on chip. Assumes a
 * power-of-two workgroup size (the manifest's L says so; the harness's default is 64). */
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
    uint log_n = bv_wl.p[0], L = bv_wl.p[1];
    uint hb = 1u << (L - 1u);     /* butterflies a block */
    uint q = g & (hb - 1u);     /* this invocation's butterfly in its block */
    uint start = (g >> (L - 1u)) << L;
    if (has) {
        [[unroll]] for (int k = 0; k < BV_WL_VECS; k++) {
            bv_sh[q * BV_WL_VECS + k] = bv_b0.v[(start + q) * BV_WL_VECS + k];
            bv_sh[(q + hb) * BV_WL_VECS + k] = bv_b0.v[(start + q + hb) * BV_WL_VECS + k];
        }
    }
    barrier();
    for (uint s = 0u; s < L; s++) {
        if (has) {
            uint h = 1u << s;
            uint j = q & (h - 1u);
            uint i0 = ((q >> s) << (s + 1u)) + j;
            BV_LIMB u[BV_N], v[BV_N], w[BV_N], a[BV_N], b[BV_N];
            bv_sh_load(u, i0);
            bv_sh_load(v, i0 + h);
            BV_WL_LOAD(bv_b1, w, j << (log_n - s - 1u))
            bv_mont_mul(v, v, w);
            bv_add(a, u, v);
            bv_sub(b, u, v);
            bv_sh_store(i0, a);
            bv_sh_store(i0 + h, b);
        }
        barrier();
    }
    if (has) {
        [[unroll]] for (int k = 0; k < BV_WL_VECS; k++) {
            bv_b0.v[(start + q) * BV_WL_VECS + k] = bv_sh[q * BV_WL_VECS + k];
            bv_b0.v[(start + q + hb) * BV_WL_VECS + k] = bv_sh[(q + hb) * BV_WL_VECS + k];
        }
    }
}
