/* vectors/vec_field_random.c: the seeded generator of field elements, exactly as
 * docs/vectors.md specifies it, so that any platform can rebuild the same random cases
 * from (seed, field, op, index); its stream and draw are shared with the Fp2 generator. */
#include "vec_field.h"

#define DOMAIN_TAG 0x626c73766b766563ull /* "blsvkvec" read as a big-endian integer */

uint64_t vec_random_next(uint64_t *state)
{
    return bv_splitmix64(state);
}

uint64_t vec_random_stream(bv_family f, bv_op op, uint64_t seed, uint64_t index, unsigned input)
{
    uint64_t s = bv_splitmix64_mix(seed ^ DOMAIN_TAG);
    s = bv_splitmix64_mix(s ^ ((uint64_t)f << 16 | (uint64_t)op << 8 | input));
    return bv_splitmix64_mix(s ^ index);
}

void vec_random_draw(uint64_t *state, bv_family field, uint8_t *out)
{
    const bv_ref_constants *c = bv_ref_constants_get(field);
    unsigned words = c->bytes / 8, top_bits = c->bits - 64 * (words - 1);
    uint64_t top_mask = top_bits >= 64 ? ~0ull : (1ull << top_bits) - 1;

    /* Masking to the modulus' bit length, then rejecting values >= m, keeps every value
     * below m equally likely. */
    for (;;) {
        for (unsigned w = 0; w < words; w++) {
            uint64_t v = bv_splitmix64(state);
            if (w == words - 1)
                v &= top_mask;
            for (unsigned b = 0; b < 8; b++)
                out[8 * w + b] = (uint8_t)(v >> (8 * b));
        }
        if (bv_ref_is_canonical(field, out))
            return;
    }
}

void vec_field_random_element(bv_family f, bv_op op, uint64_t seed, uint64_t index,
                              unsigned input, uint8_t *out)
{
    uint64_t state = vec_random_stream(f, op, seed, index, input);
    vec_random_draw(&state, f, out);
}
