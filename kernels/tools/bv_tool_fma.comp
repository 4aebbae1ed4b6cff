#version 450
// kernels/tools/bv_tool_fma.comp: the double-precision fma probe. Each invocation computes
// fma(a, b, c) for one triple, so that the host can tell a fused, correctly rounded fma (what
// the f64 variant's exact products need) from a multiply and an add rounded apart, which GLSL
// allows (GLSL.std.450 Fma need not be fused). The kernel ABI's bindings: out the results, x the
// (a, b) pairs, y the addends c, push constants count and base.
layout(local_size_x_id = 0) in;
layout(push_constant) uniform P { uint count; uint base; } pc;
layout(set = 0, binding = 0, std430) writeonly buffer O { double v[]; } o;
layout(set = 0, binding = 1, std430) readonly buffer X { dvec2 v[]; } x;
layout(set = 0, binding = 2, std430) readonly buffer Y { double v[]; } y;

void main()
{
    uint g = gl_GlobalInvocationID.x;
    if (g >= pc.count)
        return;
    uint i = pc.base + g;
    dvec2 ab = x.v[i];
    // precise: no contraction or reassociation around the one operation under test.
    precise double r = fma(ab.x, ab.y, y.v[i]);
    o.v[i] = r;
}
