/* vectors/vec_curve_random.c: the seeded generator of G1 and G2 inputs, exactly as
 * docs/vectors.md specifies it: points in blocks of VEC_CURVE_BLOCK cases, each block a chain
 * S + t*Q from a start point S (in the r-torsion subgroup in even blocks, outside it in odd
 * ones) by a subgroup step Q, every point under a random Z of its own; scalars of 256 random
 * bits, every fourth one below r. A block's chain is walked in Jacobian form and brought to
 * affine with one batched inversion, so a million G1 points take seconds. */
#include "vec_curve.h"

#include <stdlib.h>
#include <string.h>

#define VEC_CURVE_BLOCK 1024u
#define BLOCK_INPUT 0x80u /* the input id of a block's own stream: 0x80 | input */

typedef enum slot_kind { KIND_JACOBIAN, KIND_AFFINE, KIND_SCALAR } slot_kind;

static slot_kind kind_of(bv_family f, bv_op op, unsigned input)
{
    size_t bytes = bv_ref_slot_bytes(f, op, input);
    return bytes == bv_ref_family_bytes(f) ? KIND_JACOBIAN
           : bytes == BV_REF_SCALAR_BYTES  ? KIND_SCALAR : KIND_AFFINE;
}

/* A base-field element (Fp, or Fp2 as c0 then c1) drawn from the stream: its Montgomery form
 * is the drawn value. */
static void draw_coord(const vec_curve *k, uint64_t *state, uint8_t *out)
{
    for (size_t off = 0; off < k->c; off += VEC_FP_BYTES)
        vec_random_draw(state, BV_FAMILY_FP, out + off);
}

static void draw_scalar_below_r(uint64_t *state, mpz_t e)
{
    uint8_t b[32];
    vec_random_draw(state, BV_FAMILY_FR, b);
    bv_ref_to_mpz(e, BV_FAMILY_FR, b);
}

/* Block b's start S (Jacobian) and step Q (affine) for input `input` of stream (seed, f, op). */
static void block_points(const vec_curve *k, bv_op op, uint64_t seed, uint64_t b, unsigned input,
                         vec_jac *s, vec_aff *q)
{
    uint64_t state = vec_random_stream(k->f, op, seed, b, BLOCK_INPUT | input);
    vec_aff g, a;
    vec_jac t;
    mpz_t e, r;
    mpz_inits(e, r, NULL);
    vec_curve_generator(k, &g);
    vec_curve_order(r);
    draw_scalar_below_r(&state, e);
    vec_jac_smul(k, &t, &g, e);
    vec_jac_to_aff(k, q, &t);
    if (b % 2 == 0) {
        draw_scalar_below_r(&state, e);
        vec_jac_smul(k, s, &g, e);
    } else {
        /* A point outside the subgroup: x uniform, the sign of y from the next word; again
         * while x^3 + b is not a square or the point is in the subgroup (r*S = O). */
        for (;;) {
            uint8_t x[VEC_COORD_MAX];
            draw_coord(k, &state, x);
            unsigned sign = (unsigned)(vec_random_next(&state) & 1);
            if (!vec_aff_lift(k, &a, x, sign))
                continue;
            vec_jac_smul(k, &t, &a, r);
            if (!vec_jac_is_inf(k, &t))
                break;
        }
        vec_jac_from_aff(k, s, &a);
    }
    mpz_clears(e, r, NULL);
}

/* Case i's Z: a base-field element, drawn again while it is 0 or 1 (in Montgomery form). */
static void case_z(const vec_curve *k, bv_op op, uint64_t seed, uint64_t i, unsigned input,
                   uint8_t *z)
{
    uint64_t state = vec_random_stream(k->f, op, seed, i, input);
    do
        draw_coord(k, &state, z);
    while (vec_fe_is_zero(k, z) || memcmp(z, k->one, k->c) == 0);
}

static void scalar_element(bv_family f, bv_op op, uint64_t seed, uint64_t i, unsigned input,
                           uint8_t *out)
{
    uint64_t state = vec_random_stream(f, op, seed, i, input);
    if (i % 4 == 3) {
        vec_random_draw(&state, BV_FAMILY_FR, out);
        return;
    }
    for (unsigned w = 0; w < 4; w++) {
        uint64_t v = vec_random_next(&state);
        for (unsigned j = 0; j < 8; j++)
            out[8 * w + j] = (uint8_t)(v >> (8 * j));
    }
}

/* Cases [b*B + lo, b*B + hi) of block b into out (their slot's encoding). jac: room for
 * B points; zs, zi: room for B coordinates. */
static void block_range(const vec_curve *k, bv_op op, uint64_t seed, uint64_t b, unsigned input,
                        slot_kind kind, size_t lo, size_t hi, uint8_t *out, vec_jac *jac,
                        uint8_t *zs, uint8_t *zi)
{
    vec_jac p;
    vec_aff q, a;
    size_t n = hi - lo, bytes = (kind == KIND_AFFINE ? 2 : 3) * k->c;
    block_points(k, op, seed, b, input, &p, &q);
    for (size_t t = 0; t < hi; t++) {
        if (t >= lo)
            jac[t - lo] = p;
        if (t + 1 < hi)
            vec_jac_madd(k, &p, &p, &q);
    }
    for (size_t i = 0; i < n; i++)
        memcpy(zs + i * k->c, jac[i].Z, k->c);
    vec_fe_batch_inv(k, zi, zs, n, k->c);
    for (size_t i = 0; i < n; i++) {
        uint8_t t2[VEC_COORD_MAX], *z1 = zi + i * k->c;
        if (vec_jac_is_inf(k, &jac[i])) {
            a.inf = true;
        } else {
            vec_fe_mul(k, t2, z1, z1);
            vec_fe_mul(k, a.x, jac[i].X, t2);
            vec_fe_mul(k, t2, t2, z1);
            vec_fe_mul(k, a.y, jac[i].Y, t2);
            a.inf = false;
        }
        if (kind == KIND_AFFINE) {
            vec_aff_store(k, out + i * bytes, &a);
        } else {
            uint8_t z[VEC_COORD_MAX];
            vec_jac r;
            case_z(k, op, seed, b * VEC_CURVE_BLOCK + lo + i, input, z);
            vec_jac_with_z(k, &r, &a, z);
            vec_jac_store(k, out + i * bytes, &r);
        }
    }
}

bv_status vec_curve_random_range(bv_family f, bv_op op, uint64_t seed, uint64_t first,
                                 size_t count, unsigned input, uint8_t *out, bv_error *err)
{
    const vec_curve *k = vec_curve_get(f);
    slot_kind kind = kind_of(f, op, input);
    size_t bytes = bv_ref_slot_bytes(f, op, input);
    vec_jac *jac = NULL;
    uint8_t *zs = NULL, *zi = NULL;

    if (kind == KIND_SCALAR) {
        for (size_t i = 0; i < count; i++)
            scalar_element(f, op, seed, first + i, input, out + i * bytes);
        return BV_OK;
    }
    jac = malloc(VEC_CURVE_BLOCK * sizeof *jac);
    zs = malloc(VEC_CURVE_BLOCK * VEC_COORD_MAX);
    zi = malloc(VEC_CURVE_BLOCK * VEC_COORD_MAX);
    if (!jac || !zs || !zi) {
        free(jac);
        free(zs);
        free(zi);
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory for %s points", bv_ref_family_name(f));
    }
    for (uint64_t i = first, end = first + count; i < end;) {
        uint64_t b = i / VEC_CURVE_BLOCK, base = b * VEC_CURVE_BLOCK;
        uint64_t stop = end < base + VEC_CURVE_BLOCK ? end : base + VEC_CURVE_BLOCK;
        block_range(k, op, seed, b, input, kind, (size_t)(i - base), (size_t)(stop - base),
                    out + (i - first) * bytes, jac, zs, zi);
        i = stop;
    }
    free(jac);
    free(zs);
    free(zi);
    return BV_OK;
}

void vec_curve_random_element(bv_family f, bv_op op, uint64_t seed, uint64_t index,
                              unsigned input, uint8_t *out)
{
    /* Out of memory leaves out as it was: random_element has no status to return. */
    BV_IGNORE(vec_curve_random_range(f, op, seed, index, 1, input, out, NULL));
}
