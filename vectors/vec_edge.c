/* vectors/vec_edge.c: the edge sets of the ops: each family's catalogue of named values
 * (built once), crossed with itself for binary ops, then the op's special cases; the family
 * table supplies the catalogue and the special cases. docs/vectors.md lists what they are. */
#include "vec_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Built once inside catalogue_once and read-only afterwards. */
static vec_catalogue catalogues[BV_FAMILY_COUNT];
static pthread_once_t catalogue_once = PTHREAD_ONCE_INIT;
static bv_error catalogue_err; /* status BV_OK unless building the catalogues found a bug */

static void build_catalogues(void)
{
    bv_error_clear(&catalogue_err);
    for (int f = 0; f < BV_FAMILY_COUNT; f++) {
        if (vec_family((bv_family)f)->catalogue((bv_family)f, &catalogues[f], &catalogue_err) !=
            BV_OK)
            return;
    }
}

bv_status bv_vec_edge_values(bv_family f, const bv_vec_edge_value **vals, size_t *n, bv_error *err)
{
    bv_status st;
    if ((unsigned)f >= BV_FAMILY_COUNT)
        return bv_error_set(err, BV_ERR_ARG, "bv_vec_edge_values: invalid field");
    if ((st = bv_ref_init(err)) != BV_OK)
        return st;
    pthread_once(&catalogue_once, build_catalogues);
    if (catalogue_err.status != BV_OK) {
        if (err)
            *err = catalogue_err;
        return catalogue_err.status;
    }
    *vals = catalogues[f].vals;
    *n = catalogues[f].n;
    return BV_OK;
}

static bv_status set_name(bv_vec_set *set, size_t i, const char *a, const char *b, bv_error *err)
{
    size_t n = strlen("edge/") + strlen(a) + (b ? 1 + strlen(b) : 0) + 1;
    set->names[i] = malloc(n);
    if (!set->names[i])
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory for edge case names");
    snprintf(set->names[i], n, b ? "edge/%s,%s" : "edge/%s", a, b ? b : "");
    return BV_OK;
}

bv_status bv_vec_edge(bv_family f, bv_op op, bv_vec_set **out, bv_error *err)
{
    bv_status st;
    const bv_vec_edge_value *vals = NULL;
    size_t nv = 0, count, bytes, xb, yb, at = 0;
    vec_specials *sl = NULL;
    vec_specials_fn specials;
    bv_vec_set *set = NULL;

    *out = NULL;
    if ((unsigned)op >= BV_OP_COUNT)
        return bv_error_set(err, BV_ERR_ARG, "bv_vec_edge: invalid op");
    if ((st = bv_vec_edge_values(f, &vals, &nv, err)) != BV_OK)
        return st;
    bytes = bv_ref_family_bytes(f);
    xb = bv_ref_slot_bytes(f, op, BV_REF_X);
    yb = bv_ref_slot_bytes(f, op, BV_REF_Y);
    if (!xb)
        return bv_error_set(err, BV_ERR_ARG, "bv_vec_edge: %s has no op %s", bv_ref_family_name(f),
                            bv_ref_op_name(op));
    /* The catalogue holds elements of the family: an op with another kind of input (a curve's
     * affine point or scalar) has special cases only. */
    if (xb != bytes || (yb && yb != bytes))
        nv = 0;
    sl = calloc(1, sizeof *sl);
    if (!sl) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory building edge cases");
        goto fail;
    }
    sl->f = f;
    sl->op = op;
    sl->cat = &catalogues[f];
    sl->err = err;
    /* bv_vec_edge_values has checked f, so the family has a row. */
    specials = vec_family(f)->specials[op];
    if (specials)
        specials(sl);
    if ((st = sl->st) != BV_OK)
        goto fail;

    count = bv_ref_op_arity(op) == 2 ? nv * nv : nv;
    if (bv_size_add(count, sl->n, &count) != BV_OK) {
        st = bv_error_set(err, BV_ERR_OVERFLOW, "edge set too large");
        goto fail;
    }
    if ((st = bv_vec_set_create(f, op, count, true, &set, err)) != BV_OK)
        goto fail;
    if (set->y) {
        for (size_t i = 0; i < nv; i++) {
            for (size_t j = 0; j < nv; j++, at++) {
                memcpy(set->x + at * bytes, vals[i].value, bytes);
                memcpy(set->y + at * bytes, vals[j].value, bytes);
                if ((st = set_name(set, at, vals[i].name, vals[j].name, err)) != BV_OK)
                    goto fail;
            }
        }
    } else {
        for (size_t i = 0; i < nv; i++, at++) {
            memcpy(set->x + at * bytes, vals[i].value, bytes);
            if ((st = set_name(set, at, vals[i].name, NULL, err)) != BV_OK)
                goto fail;
        }
    }
    for (size_t i = 0; i < sl->n; i++, at++) {
        memcpy(set->x + at * xb, sl->items[i].x, xb);
        if (set->y)
            memcpy(set->y + at * yb, sl->items[i].y, yb);
        if ((st = set_name(set, at, sl->items[i].name, NULL, err)) != BV_OK)
            goto fail;
    }
    snprintf(set->name_prefix, sizeof set->name_prefix, "edge/");
    free(sl);
    *out = set;
    return BV_OK;
fail:
    bv_vec_set_destroy(set);
    free(sl);
    return st;
}
