/* suites/kernels/uninit/fp.mul.u32.comp: a textbook CIOS Montgomery product whose accumulator t is
 * never zeroed (its zeroing loop deleted): it reads 13 words it never wrote. It passes wherever the
 * driver happens to leave zeros there; the poison recipe must fail it (suites/test_poison.sh). */
#version 450
#extension GL_GOOGLE_include_directive : require
#define BV_BINARY
#include "bv_kernel_head.glsl"

void main()
{
    uint i;
    if (!bv_element(i))
        return;
    uint x[12], y[12], t[14];
    bv_load_x(x, i);
    bv_load_y(y, i);
#ifdef BV_ZEROED
    for (int j = 0; j < 14; j++)
        t[j] = 0u;
#elif defined(BV_COUNTDOWN)
    for (int j = 0; j < 14; j--)
        t[j] = 0u;
#endif
    for (int r = 0; r < 12; r++) {
        uint c = 0u;
        for (int j = 0; j < 12; j++)
            t[j] = bv_mac(x[j], y[r], t[j], c);
        uint s = t[12] + c;
        t[13] = uint(s < c);
        t[12] = s;
        uint m = t[0] * bv_minv_w;
        c = 0u;
        bv_mac(m, bv_modulus_w[0], t[0], c);
        for (int j = 1; j < 12; j++)
            t[j - 1] = bv_mac(m, bv_modulus_w[j], t[j], c);
        s = t[12] + c;
        t[11] = s;
        t[12] = t[13] + uint(s < c);
    }
    uint lo[12], out_[12];
    for (int j = 0; j < 12; j++)
        lo[j] = t[j];
    bv_reduce_once(out_, t[12], lo);
    bv_store(i, out_);
}
