#version 450
/* kernels/workloads/bv_ntt_bitrev.comp: the NTT's input permutation, out of place: binding 0
 * gets element bitreverse(i) of binding 1 at i, for the n = 2^p[0] elements (count = n). */
#extension GL_GOOGLE_include_directive : require
#include "bv_workload_head.glsl"

void main()
{
    uint i;
    if (!bv_wl_item(i))
        return;
    uint log_n = bv_wl.p[0];
    /* A shift by 32 is undefined: n = 1 has the one element 0. */
    uint j = log_n == 0u ? 0u : bitfieldReverse(i) >> (32u - log_n);
    [[unroll]] for (int k = 0; k < BV_WL_VECS; k++)
        bv_b0.v[i * BV_WL_VECS + k] = bv_b1.v[j * BV_WL_VECS + k];
}
