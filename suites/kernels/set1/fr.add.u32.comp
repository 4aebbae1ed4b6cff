#version 450
// suites/kernels/set1/fr.add.u32.comp: valid SPIR-V that breaks the kernel ABI: its output is in
// descriptor set 1, not 0. Lavapipe segfaults making a pipeline from it; blsvk must refuse it with
// the set named before any driver sees it. (Its arithmetic is a plain copy: it never runs.)
layout(local_size_x_id = 0) in;
layout(push_constant) uniform P { uint count; uint base; } pc;
layout(set = 1, binding = 0, std430) writeonly buffer O { uint v[]; } o;
layout(set = 0, binding = 1, std430) readonly buffer X { uint v[]; } x;
layout(set = 0, binding = 2, std430) readonly buffer Y { uint v[]; } y;

void main()
{
    uint g = gl_GlobalInvocationID.x;
    if (g >= pc.count)
        return;
    uint e = pc.base + g;
    for (uint k = 0u; k < 8u; k++)
        o.v[e * 8u + k] = x.v[e * 8u + k] + y.v[e * 8u + k];
}
