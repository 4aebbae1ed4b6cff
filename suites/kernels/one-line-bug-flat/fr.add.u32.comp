#version 450
// The one-line-bug Fr add (suites/kernels/one-line-bug) written without loops: the same `&&` that
// must be `||` in its final-subtraction test, every limb spelled out. A module with no loop gives
// spirv-reduce no loop to make endless, so every candidate finishes: the reduction for a GPU, where
// a hung candidate costs seconds (docs/PERFORMANCE.md, "reduce on the H100 again").
layout(local_size_x_id = 0) in;
layout(push_constant) uniform P { uint count; uint base; } pc;
layout(set = 0, binding = 0, std430) writeonly buffer O { uint v[]; } o;
layout(set = 0, binding = 1, std430) readonly buffer X { uint v[]; } x;
layout(set = 0, binding = 2, std430) readonly buffer Y { uint v[]; } y;

#define ADD(s, k)                                               \
    s = uaddCarry(x.v[i + k], y.v[i + k], c1);                  \
    s = uaddCarry(s, carry, c2);                                \
    carry = c1 + c2;
#define SUB(d, s, rk)                                           \
    d = usubBorrow(s, rk, b1);                                  \
    d = usubBorrow(d, borrow, b2);                              \
    borrow = b1 + b2;
#define STORE(k, d, s) o.v[i + k] = ge ? d : s;

void main()
{
    uint g = gl_GlobalInvocationID.x;
    if (g >= pc.count)
        return;
    uint i = (pc.base + g) * 8u;
    uint s0, s1, s2, s3, s4, s5, s6, s7, d0, d1, d2, d3, d4, d5, d6, d7;
    uint c1, c2, b1, b2, carry = 0u, borrow = 0u;
    ADD(s0, 0u) ADD(s1, 1u) ADD(s2, 2u) ADD(s3, 3u) ADD(s4, 4u) ADD(s5, 5u) ADD(s6, 6u) ADD(s7, 7u)
    SUB(d0, s0, 0x00000001u) SUB(d1, s1, 0xffffffffu) SUB(d2, s2, 0xfffe5bfeu) SUB(d3, s3, 0x53bda402u)
    SUB(d4, s4, 0x09a1d805u) SUB(d5, s5, 0x3339d808u) SUB(d6, s6, 0x299d7d48u) SUB(d7, s7, 0x73eda753u)
    bool ge = carry != 0u && borrow == 0u;
    STORE(0u, d0, s0) STORE(1u, d1, s1) STORE(2u, d2, s2) STORE(3u, d3, s3)
    STORE(4u, d4, s4) STORE(5u, d5, s5) STORE(6u, d6, s6) STORE(7u, d7, s7)
}
