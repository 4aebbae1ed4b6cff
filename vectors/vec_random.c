/* vectors/vec_random.c: random sets, slices of a seeded stream; the family table picks the
 * generator (docs/vectors.md specifies each bit for bit). */
#include "vec_internal.h"

void bv_vec_random_element(bv_family f, bv_op op, uint64_t seed, uint64_t index, unsigned input,
                           uint8_t *out)
{
    const vec_family_info *fam = vec_family(f);
    /* No status to return: an invalid family leaves out untouched. */
    if (fam)
        fam->random_element(f, op, seed, index, input, out);
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
    /* bv_vec_set_create has checked f, so the family has a row. */
    const vec_family_info *fam = vec_family(f);
    uint8_t *arrays[2] = {set->x, set->y};
    for (unsigned in = 0; in < 2 && arrays[in]; in++) {
        size_t bytes = bv_ref_slot_bytes(f, op, in);
        if (fam->random_range) {
            if ((st = fam->random_range(f, op, seed, first, count, in, arrays[in], err)) != BV_OK) {
                bv_vec_set_destroy(set);
                return st;
            }
            continue;
        }
        for (size_t i = 0; i < count; i++)
            fam->random_element(f, op, seed, first + i, in, arrays[in] + i * bytes);
    }
    snprintf(set->name_prefix, sizeof set->name_prefix, "random/");
    set->seed = seed;
    set->first = first;
    *out = set;
    return BV_OK;
}
