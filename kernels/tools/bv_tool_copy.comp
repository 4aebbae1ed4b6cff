#version 450
// kernels/tools/bv_tool_copy.comp: the roofline every kernel is measured against: a shader copy
// of uvec4s in a grid-stride loop that keeps four 16-byte loads in flight a thread (one 48-byte
// element a thread leaves too few bytes in flight to reach the memory bound).
layout(local_size_x_id = 0) in;
layout(push_constant) uniform P { uint count; uint base; } pc;
layout(set = 0, binding = 0, std430) writeonly buffer D { uvec4 v[]; } d;
layout(set = 0, binding = 1, std430) readonly buffer S { uvec4 v[]; } s;

void main()
{
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    uint i = gl_GlobalInvocationID.x;
    for (; i + 3u * stride < pc.count; i += 4u * stride) {
        uvec4 a = s.v[i], b = s.v[i + stride], c = s.v[i + 2u * stride], e = s.v[i + 3u * stride];
        d.v[i] = a;
        d.v[i + stride] = b;
        d.v[i + 2u * stride] = c;
        d.v[i + 3u * stride] = e;
    }
    for (; i < pc.count; i += stride)
        d.v[i] = s.v[i];
}
