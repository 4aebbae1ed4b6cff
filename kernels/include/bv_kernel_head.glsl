/* kernels/include/bv_kernel_head.glsl: the kernel ABI in GLSL, the one place that declares it:
 * workgroup size, push constants, the storage buffers, and the loads and stores that move an
 * element in 16-byte units. Include it right after #version; define BV_BINARY first for an op
 * with two inputs. Pulls in bv_arith.glsl (with BV_FAMILY_FP2 bv_fp2.glsl, with BV_FAMILY_G1 or
 * BV_FAMILY_G2 bv_curve.glsl), so a kernel needs no other include.
 * A binding whose elements are not the family's element (a curve op's affine point or scalar)
 * is declared before the include: BV_X_PARTS, BV_Y_PARTS, BV_OUT_PARTS (the binding's element
 * in field elements of BV_N limbs, default BV_PARTS), or BV_Y_SCALAR (y holds 32-byte
 * scalars). */
#ifndef BV_KERNEL_HEAD_GLSL
#define BV_KERNEL_HEAD_GLSL

#if defined(BV_FAMILY_G1) || defined(BV_FAMILY_G2)
#include "bv_curve.glsl"
/* A curve family's element is a Jacobian point: X, Y, Z, each BV_COORD_PARTS Fp elements. */
#define BV_PARTS BV_JAC_PARTS
#elif defined(BV_FAMILY_FP2)
#include "bv_fp2.glsl"
/* An Fp2 element is two Fp elements, c0 then c1. */
#define BV_PARTS 2
#else
#include "bv_arith.glsl"
#define BV_PARTS 1
#endif
/* Limbs an element: BV_N for a field, 2 * BV_N for Fp2. */
#define BV_EN (BV_N * BV_PARTS)

/* Each binding's element, in Fp (or Fr) elements of BV_N limbs. */
#ifndef BV_X_PARTS
#define BV_X_PARTS BV_PARTS
#endif
#ifndef BV_Y_PARTS
#define BV_Y_PARTS BV_PARTS
#endif
#ifndef BV_OUT_PARTS
#define BV_OUT_PARTS BV_PARTS
#endif
#define BV_X_EN (BV_N * BV_X_PARTS)
#define BV_Y_EN (BV_N * BV_Y_PARTS)
#define BV_OUT_EN (BV_N * BV_OUT_PARTS)
/* A scalar: 256 bits, eight 32-bit words, two 16-byte vectors. */
#define BV_SCALAR_WORDS 8

/* Workgroup size from specialization constant 0: the harness picks it within the device's
 * limits. */
layout(local_size_x_id = 0) in;

/* Invocation g handles element base + g when g < count, so that the harness can split a
 * large input over several dispatches. */
layout(push_constant) uniform bv_push_block {
    uint count;
    uint base;
} bv_push;

/* Element i occupies BV_EN limbs from limb i * BV_EN, little-endian: the same bytes as the
 * ABI's uint / uint64_t arrays, declared as 16-byte vectors so that every load and store is
 * 16 bytes wide. No `restrict`: the output may be bound to an input's buffer. */
#define BV_VECS (BV_EN / BV_VEC_LANES)
#define BV_X_VECS (BV_X_EN / BV_VEC_LANES)
#ifdef BV_Y_SCALAR
#define BV_Y_VECS 2
#else
#define BV_Y_VECS (BV_Y_EN / BV_VEC_LANES)
#endif
#define BV_OUT_VECS (BV_OUT_EN / BV_VEC_LANES)

layout(set = 0, binding = 0, std430) writeonly buffer bv_out_block {
    BV_VEC v[];
} bv_out;

layout(set = 0, binding = 1, std430) readonly buffer bv_x_block {
    BV_VEC v[];
} bv_x;

#ifdef BV_BINARY
layout(set = 0, binding = 2, std430) readonly buffer bv_y_block {
    BV_VEC v[];
} bv_y;
#endif

/* Sets i to this invocation's element; false when the invocation has none. */
bool bv_element(out uint i)
{
    uint g = gl_GlobalInvocationID.x;
    i = bv_push.base + g;
    return g < bv_push.count;
}

void bv_load_x(out BV_LIMB r[BV_X_EN], uint i)
{
    [[unroll]] for (int k = 0; k < BV_X_VECS; k++) {
        BV_VEC v = bv_x.v[i * BV_X_VECS + k];
        [[unroll]] for (int l = 0; l < BV_VEC_LANES; l++)
            r[k * BV_VEC_LANES + l] = v[l];
    }
}

#if defined(BV_BINARY) && defined(BV_Y_SCALAR)
/* y's element i as a scalar: its eight 32-bit words, least significant first. */
void bv_load_y_scalar(out uint k[BV_SCALAR_WORDS], uint i)
{
    [[unroll]] for (int v = 0; v < BV_Y_VECS; v++) {
        BV_VEC e = bv_y.v[i * BV_Y_VECS + v];
        [[unroll]] for (int l = 0; l < BV_VEC_LANES; l++)
            [[unroll]] for (int w = 0; w < BV_WORDS_PER_LIMB; w++)
                k[(v * BV_VEC_LANES + l) * BV_WORDS_PER_LIMB + w] = bv_limb_word(e[l], w);
    }
}
#elif defined(BV_BINARY)
void bv_load_y(out BV_LIMB r[BV_Y_EN], uint i)
{
    [[unroll]] for (int k = 0; k < BV_Y_VECS; k++) {
        BV_VEC v = bv_y.v[i * BV_Y_VECS + k];
        [[unroll]] for (int l = 0; l < BV_VEC_LANES; l++)
            r[k * BV_VEC_LANES + l] = v[l];
    }
}
#endif

#ifdef BV_STAGED
#if BV_X_PARTS != BV_PARTS || BV_Y_PARTS != BV_PARTS || defined(BV_Y_SCALAR)
#error "staged loads take the family's elements in x and y"
#endif
/* Staged loads, for the memory-bound ops (define BV_STAGED before including this file): the
 * workgroup reads the 16-byte vectors of all its elements with neighbouring invocations on
 * neighbouring vectors (every load fully coalesced) into shared memory, then each invocation
 * takes its own element's vectors. bv_load_x reads vectors 48 (Fp), 32 (Fr) or 96 (Fp2) bytes apart
 * across a subgroup; staged, an Fp add on an H100 went from 0.82 to 1.0 of the shader-copy
 * bandwidth. Every invocation of the workgroup must call a staged load (it has a barrier), also
 * one without an element, and before any early return. */
shared BV_VEC bv_stage_x[gl_WorkGroupSize.x * BV_VECS];
#ifdef BV_BINARY
shared BV_VEC bv_stage_y[gl_WorkGroupSize.x * BV_VECS];
#endif

/* The number of 16-byte vectors that this workgroup's elements span; v0 = the first one. */
uint bv_stage_span(out uint v0)
{
    uint first = gl_WorkGroupID.x * gl_WorkGroupSize.x;
    uint n = first < bv_push.count ? min(bv_push.count - first, gl_WorkGroupSize.x) : 0u;
    v0 = (bv_push.base + first) * BV_VECS;
    return n * BV_VECS;
}

void bv_load_x_staged(out BV_LIMB r[BV_EN])
{
    uint l = gl_LocalInvocationID.x, v0;
    uint nv = bv_stage_span(v0);
    [[unroll]] for (int k = 0; k < BV_VECS; k++) {
        uint v = l + uint(k) * gl_WorkGroupSize.x;
        if (v < nv)
            bv_stage_x[v] = bv_x.v[v0 + v];
    }
    barrier();
    [[unroll]] for (int k = 0; k < BV_VECS; k++) {
        BV_VEC v = bv_stage_x[l * BV_VECS + k];
        [[unroll]] for (int c = 0; c < BV_VEC_LANES; c++)
            r[k * BV_VEC_LANES + c] = v[c];
    }
}

#ifdef BV_BINARY
void bv_load_xy_staged(out BV_LIMB x[BV_EN], out BV_LIMB y[BV_EN])
{
    uint l = gl_LocalInvocationID.x, v0;
    uint nv = bv_stage_span(v0);
    [[unroll]] for (int k = 0; k < BV_VECS; k++) {
        uint v = l + uint(k) * gl_WorkGroupSize.x;
        if (v < nv) {
            bv_stage_x[v] = bv_x.v[v0 + v];
            bv_stage_y[v] = bv_y.v[v0 + v];
        }
    }
    barrier();
    [[unroll]] for (int k = 0; k < BV_VECS; k++) {
        BV_VEC a = bv_stage_x[l * BV_VECS + k];
        BV_VEC b = bv_stage_y[l * BV_VECS + k];
        [[unroll]] for (int c = 0; c < BV_VEC_LANES; c++) {
            x[k * BV_VEC_LANES + c] = a[c];
            y[k * BV_VEC_LANES + c] = b[c];
        }
    }
}
#endif
#endif

/* Kernels call this only after loading all of the element's inputs (aliasing rule). */
void bv_store(uint i, BV_LIMB r[BV_OUT_EN])
{
    [[unroll]] for (int k = 0; k < BV_OUT_VECS; k++) {
        BV_VEC v;
        [[unroll]] for (int l = 0; l < BV_VEC_LANES; l++)
            v[l] = r[k * BV_VEC_LANES + l];
        bv_out.v[i * BV_OUT_VECS + k] = v;
    }
}

#ifdef BV_FAMILY_FP2
/* The same for Fp2 elements as bv_fp2 values. */
void bv_fp2_load_x(out bv_fp2 r, uint i)
{
    BV_LIMB e[BV_EN];
    bv_load_x(e, i);
    bv_fp2_from_limbs(r, e);
}

#ifdef BV_BINARY
void bv_fp2_load_y(out bv_fp2 r, uint i)
{
    BV_LIMB e[BV_EN];
    bv_load_y(e, i);
    bv_fp2_from_limbs(r, e);
}
#endif

#ifdef BV_STAGED
void bv_fp2_load_x_staged(out bv_fp2 r)
{
    BV_LIMB e[BV_EN];
    bv_load_x_staged(e);
    bv_fp2_from_limbs(r, e);
}

#ifdef BV_BINARY
void bv_fp2_load_xy_staged(out bv_fp2 x, out bv_fp2 y)
{
    BV_LIMB ex[BV_EN], ey[BV_EN];
    bv_load_xy_staged(ex, ey);
    bv_fp2_from_limbs(x, ex);
    bv_fp2_from_limbs(y, ey);
}
#endif
#endif

void bv_fp2_store(uint i, bv_fp2 r)
{
    BV_LIMB e[BV_EN];
    bv_fp2_to_limbs(e, r);
    bv_store(i, e);
}
#endif

#if defined(BV_FAMILY_G1) || defined(BV_FAMILY_G2)
/* The same for points: a Jacobian point where a binding holds BV_JAC_PARTS, an affine one where
 * it holds BV_AFF_PARTS. */
#if BV_X_PARTS == BV_JAC_PARTS
void bv_jac_load_x(out bv_jac p, uint i)
{
    BV_LIMB e[BV_X_EN];
    bv_load_x(e, i);
    bv_jac_from_limbs(p, e);
}
#endif

#if defined(BV_BINARY) && !defined(BV_Y_SCALAR) && BV_Y_PARTS == BV_JAC_PARTS
void bv_jac_load_y(out bv_jac p, uint i)
{
    BV_LIMB e[BV_Y_EN];
    bv_load_y(e, i);
    bv_jac_from_limbs(p, e);
}
#endif

#if defined(BV_BINARY) && !defined(BV_Y_SCALAR) && BV_Y_PARTS == BV_AFF_PARTS
void bv_aff_load_y(out bv_aff a, uint i)
{
    BV_LIMB e[BV_Y_EN];
    bv_load_y(e, i);
    bv_aff_from_limbs(a, e);
}
#endif

#if BV_OUT_PARTS == BV_JAC_PARTS
void bv_jac_store(uint i, bv_jac p)
{
    BV_LIMB e[BV_OUT_EN];
    bv_jac_to_limbs(e, p);
    bv_store(i, e);
}
#elif BV_OUT_PARTS == BV_AFF_PARTS
void bv_aff_store(uint i, bv_aff a)
{
    BV_LIMB e[BV_OUT_EN];
    bv_aff_to_limbs(e, a);
    bv_store(i, e);
}
#endif
#endif

#endif
