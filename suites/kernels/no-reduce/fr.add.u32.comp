#version 450
// Wrong on purpose: x + y mod 2^256, never reduced mod r.
layout(local_size_x_id = 0) in;
layout(push_constant) uniform P { uint count; uint base; } pc;
layout(set = 0, binding = 0, std430) writeonly buffer O { uint v[]; } o;
layout(set = 0, binding = 1, std430) readonly buffer X { uint v[]; } x;
layout(set = 0, binding = 2, std430) readonly buffer Y { uint v[]; } y;

void main()
{
    uint g = gl_GlobalInvocationID.x;
    if (g >= pc.count)
        return;
    uint i = (pc.base + g) * 8u;
    uint a[8], b[8];
    for (int k = 0; k < 8; k++) {
        a[k] = x.v[i + k];
        b[k] = y.v[i + k];
    }
    uint carry = 0u;
    for (int k = 0; k < 8; k++) {
        uint c1, c2;
        uint s = uaddCarry(a[k], b[k], c1);
        s = uaddCarry(s, carry, c2);
        carry = c1 + c2;
        o.v[i + k] = s;
    }
}
