#version 450
// Wrong now and then, on purpose: a data race between workgroups. The first invocation of
// each workgroup looks at the first output element of the next workgroup; if that workgroup
// has already written it (the driver ran it earlier, on another thread or core), this
// invocation writes its input x instead of x + y mod r. Whether that happens depends on how
// the driver schedules workgroups at that moment: the same case, run twice, can pass once and
// fail once. (On lavapipe with two threads it fails about three runs in four at 4099 elements,
// at the element where one thread's share of the workgroups ends.) The kernel uses only the
// ABI's bindings 0-2 and push constants.
layout(local_size_x_id = 0) in;
layout(push_constant) uniform P { uint count; uint base; } pc;
layout(set = 0, binding = 0, std430) buffer O { uint v[]; } o;
layout(set = 0, binding = 1, std430) readonly buffer X { uint v[]; } x;
layout(set = 0, binding = 2, std430) readonly buffer Y { uint v[]; } y;

// r, the order of the scalar field, in 32-bit limbs, least significant first.
const uint R[8] = uint[8](0x00000001u, 0xffffffffu, 0xfffe5bfeu, 0x53bda402u,
                          0x09a1d805u, 0x3339d808u, 0x299d7d48u, 0x73eda753u);

// s = x[e] + y[e] mod r (inputs below r).
void add_mod(uint e, out uint s[8])
{
    uint carry = 0u;
    for (int k = 0; k < 8; k++) {
        uint c1, c2;
        uint t = uaddCarry(x.v[e * 8u + k], y.v[e * 8u + k], c1);
        s[k] = uaddCarry(t, carry, c2);
        carry = c1 + c2;
    }
    uint d[8];
    uint borrow = 0u;
    for (int k = 0; k < 8; k++) {
        uint b1, b2;
        uint t = usubBorrow(s[k], R[k], b1);
        d[k] = usubBorrow(t, borrow, b2);
        borrow = b1 + b2;
    }
    if (carry != 0u || borrow == 0u)
        for (int k = 0; k < 8; k++)
            s[k] = d[k];
}

void main()
{
    uint g = gl_GlobalInvocationID.x;
    if (g >= pc.count)
        return;
    uint e = pc.base + g;
    uint s[8];
    add_mod(e, s);
    bool ahead = false;
    if (gl_LocalInvocationID.x == 0u && g + gl_WorkGroupSize.x < pc.count) {
        uint n = e + gl_WorkGroupSize.x, t[8];
        add_mod(n, t);
        ahead = true;
        for (int k = 0; k < 8; k++)
            ahead = ahead && o.v[n * 8u + k] == t[k];
    }
    for (int k = 0; k < 8; k++)
        o.v[e * 8u + k] = ahead ? x.v[e * 8u + k] : s[k];
}
