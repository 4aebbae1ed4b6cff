#version 450
// Wrong on purpose under aliasing: the reduction pass reads x and y again after the output
// limbs were written, so with the output bound to x's buffer it adds to the partial sum.
layout(local_size_x_id = 0) in;
layout(push_constant) uniform P { uint count; uint base; } pc;
layout(set = 0, binding = 0, std430) buffer O { uint v[]; } o;
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
    uint carry = 0u;
    for (int k = 0; k < 8; k++) {
        uint c1, c2;
        uint s = uaddCarry(x.v[i + k], y.v[i + k], c1);
        s = uaddCarry(s, carry, c2);
        carry = c1 + c2;
        o.v[i + k] = s;
    }
    bool ge = carry != 0u;
    if (!ge) {
        ge = true;
        for (int k = 7; k >= 0; k--) {
            uint s = o.v[i + k];
            if (s != R[k]) {
                ge = s > R[k];
                break;
            }
        }
    }
    if (ge) {
        uint c = 0u, b = 0u;
        for (int k = 0; k < 8; k++) {
            uint c1, c2, b1, b2;
            uint s = uaddCarry(x.v[i + k], y.v[i + k], c1);
            s = uaddCarry(s, c, c2);
            c = c1 + c2;
            uint d = usubBorrow(s, R[k], b1);
            d = usubBorrow(d, b, b2);
            b = b1 + b2;
            o.v[i + k] = d;
        }
    }
}
