#version 450
// A hand-written Fr add with one wrong line (the `&&` of `ge`, which must be `||`): the final
// subtraction of r is taken only when the sum also carried out of 256 bits, which x + y < 2r never
// does, so every sum in [r, 2r) is stored unreduced. The planted bug blsvk reduce is shown on.
layout(local_size_x_id = 0) in;
layout(push_constant) uniform P { uint count; uint base; } pc;
layout(set = 0, binding = 0, std430) writeonly buffer O { uint v[]; } o;
layout(set = 0, binding = 1, std430) readonly buffer X { uint v[]; } x;
layout(set = 0, binding = 2, std430) readonly buffer Y { uint v[]; } y;
const uint R[8] = uint[8](0x00000001u, 0xffffffffu, 0xfffe5bfeu, 0x53bda402u,
                          0x09a1d805u, 0x3339d808u, 0x299d7d48u, 0x73eda753u);

void main()
{
    uint g = gl_GlobalInvocationID.x;
    if (g >= pc.count)
        return;
    uint i = (pc.base + g) * 8u;
    uint s[8], d[8], carry = 0u, borrow = 0u;
    for (int k = 0; k < 8; k++) {
        uint c1, c2;
        s[k] = uaddCarry(x.v[i + k], y.v[i + k], c1);
        s[k] = uaddCarry(s[k], carry, c2);
        carry = c1 + c2;
    }
    for (int k = 0; k < 8; k++) {
        uint b1, b2;
        d[k] = usubBorrow(s[k], R[k], b1);
        d[k] = usubBorrow(d[k], borrow, b2);
        borrow = b1 + b2;
    }
    bool ge = carry != 0u && borrow == 0u;
    for (int k = 0; k < 8; k++)
        o.v[i + k] = ge ? d[k] : s[k];
}
