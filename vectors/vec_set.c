/* vectors/vec_set.c: the bv_vec_set container: allocation with checked sizes, case names,
 * and which cases carry an expected value. */
#include "bv_vec.h"

#include <stdlib.h>
#include <string.h>

#define RANDOM_PREFIX "random/"

/* calloc that never returns NULL for a zero size, so an empty set still has arrays. */
static void *zalloc(size_t n)
{
    return calloc(n ? n : 1, 1);
}

bv_status bv_vec_set_create(bv_family f, bv_op op, size_t count, bool with_names, bv_vec_set **out,
                            bv_error *err)
{
    bv_status st = BV_OK;
    bv_vec_set *set = NULL;
    size_t bytes, ybytes = 0;

    *out = NULL;
    if ((unsigned)f >= BV_FAMILY_COUNT || (unsigned)op >= BV_OP_COUNT)
        return bv_error_set(err, BV_ERR_ARG, "bv_vec_set_create: invalid field or op");
    if ((st = bv_ref_init(err)) != BV_OK)
        return st;
    if (!bv_ref_family_op(f, op))
        return bv_error_set(err, BV_ERR_ARG, "bv_vec_set_create: %s has no op %s",
                            bv_ref_family_name(f), bv_ref_op_name(op));
    if (count > BV_VEC_MAX_COUNT)
        return bv_error_set(err, BV_ERR_OVERFLOW, "%zu cases is more than the limit of %zu", count,
                            BV_VEC_MAX_COUNT);
    if (bv_size_mul(count, bv_ref_slot_bytes(f, op, BV_REF_X), &bytes) != BV_OK ||
        bv_size_mul(count, bv_ref_slot_bytes(f, op, BV_REF_Y), &ybytes) != BV_OK)
        return bv_error_set(err, BV_ERR_OVERFLOW, "%zu cases do not fit in memory", count);
    set = calloc(1, sizeof *set);
    if (!set)
        goto nomem;
    set->family = f;
    set->op = op;
    set->count = count;
    set->x = zalloc(bytes);
    if (!set->x)
        goto nomem;
    if (bv_ref_op_arity(op) == 2) {
        set->y = zalloc(ybytes);
        if (!set->y)
            goto nomem;
    }
    if (with_names) {
        size_t nbytes;
        if (bv_size_mul(count, sizeof(char *), &nbytes) != BV_OK)
            goto nomem;
        set->names = zalloc(nbytes);
        if (!set->names)
            goto nomem;
    }
    *out = set;
    return BV_OK;
nomem:
    st = bv_error_set(err, BV_ERR_NOMEM, "out of memory for %zu %s %s cases", count,
                      bv_ref_family_name(f), bv_ref_op_name(op));
    bv_vec_set_destroy(set);
    return st;
}

void bv_vec_set_destroy(bv_vec_set *set)
{
    if (!set)
        return;
    if (set->names) {
        for (size_t i = 0; i < set->count; i++)
            free(set->names[i]);
        free(set->names);
    }
    free(set->x);
    free(set->y);
    free(set->expected);
    free(set->has_expected);
    free(set);
}

void bv_vec_name(const bv_vec_set *set, size_t i, char *buf, size_t n)
{
    if (n == 0)
        return;
    if (set->names && set->names[i])
        snprintf(buf, n, "%s", set->names[i]);
    else
        snprintf(buf, n, "%s%llu", set->name_prefix, (unsigned long long)(set->first + i));
}

bool bv_vec_set_is_random(const bv_vec_set *set)
{
    return !set->names && strcmp(set->name_prefix, RANDOM_PREFIX) == 0;
}

bv_status bv_vec_set_alloc_expected(bv_vec_set *set, bool partial, bv_error *err)
{
    size_t bytes;
    uint8_t *e = NULL, *h = NULL;
    if (bv_size_mul(set->count, bv_ref_slot_bytes(set->family, set->op, BV_REF_OUT), &bytes) != BV_OK)
        return bv_error_set(err, BV_ERR_OVERFLOW, "%zu cases do not fit in memory", set->count);
    e = zalloc(bytes);
    if (partial)
        h = zalloc(set->count);
    if (!e || (partial && !h)) {
        free(e);
        free(h);
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory for %zu expected values", set->count);
    }
    free(set->expected);
    free(set->has_expected);
    set->expected = e;
    set->has_expected = h;
    return BV_OK;
}

bool bv_vec_has_expected(const bv_vec_set *set, size_t i)
{
    if (!set->expected)
        return false;
    return !set->has_expected || set->has_expected[i];
}

