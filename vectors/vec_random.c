/* vectors/vec_random.c: the seeded generator, exactly as docs/vectors.md specifies it, so
 * that any platform can rebuild the same random cases from (seed, field, op, index). */
#include "bv_vec.h"

#include <string.h>

#define SPLITMIX_GAMMA 0x9e3779b97f4a7c15ull
#define DOMAIN_TAG 0x626c73766b766563ull /* "blsvkvec" read as a big-endian integer */

/* SplitMix64's output function (Steele, Lea, Flood 2014). */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t next(uint64_t *state)
{
    *state += SPLITMIX_GAMMA;
    return mix64(*state);
}

static int cmp_le(const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = n; i-- > 0;)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

void bv_vec_random_element(bv_family f, bv_op op, uint64_t seed, uint64_t index, unsigned input,
                           uint8_t *out)
{
    const bv_ref_constants *c = bv_ref_constants_get(f);
    unsigned words = c->bytes / 8, top_bits = c->bits - 64 * (words - 1);
    uint64_t top_mask = top_bits >= 64 ? ~0ull : (1ull << top_bits) - 1;
    uint64_t s = mix64(seed ^ DOMAIN_TAG);
    s = mix64(s ^ ((uint64_t)f << 16 | (uint64_t)op << 8 | input));
    uint64_t state = mix64(s ^ index);

    /* Masking to the modulus' bit length, then rejecting values >= m, keeps every value
     * below m equally likely. */
    for (;;) {
        for (unsigned w = 0; w < words; w++) {
            uint64_t v = next(&state);
            if (w == words - 1)
                v &= top_mask;
            for (unsigned b = 0; b < 8; b++)
                out[8 * w + b] = (uint8_t)(v >> (8 * b));
        }
        if (cmp_le(out, c->modulus, c->bytes) < 0)
            return;
    }
}

bv_status bv_vec_random(bv_family f, bv_op op, uint64_t seed, size_t first, size_t count,
                        bv_vec_set **out, bv_error *err)
{
    bv_status st;
    bv_vec_set *set = NULL;
    size_t end;

    *out = NULL;
    if ((st = bv_ref_init(err)) != BV_OK)
        return st;
    if (bv_size_add(first, count, &end) != BV_OK)
        return bv_error_set(err, BV_ERR_OVERFLOW, "random cases %zu + %zu overflow", first, count);
    if ((st = bv_vec_set_create(f, op, count, false, &set, err)) != BV_OK)
        return st;
    size_t bytes = bv_ref_family_bytes(f);
    for (size_t i = 0; i < count; i++) {
        bv_vec_random_element(f, op, seed, first + i, 0, set->x + i * bytes);
        if (set->y)
            bv_vec_random_element(f, op, seed, first + i, 1, set->y + i * bytes);
    }
    snprintf(set->name_prefix, sizeof set->name_prefix, "random/");
    set->seed = seed;
    set->first = first;
    *out = set;
    return BV_OK;
}
