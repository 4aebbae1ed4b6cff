/* vectors/vec_json.c: JSON vector files ("blsvk-vectors/1"): a strict reader whose every
 * error names the file and the case, and an atomic writer, one case a line. */
#include "vec_internal.h"

#include <stdlib.h>
#include <string.h>

#include "bv_json.h"

#define FORMAT_TAG "blsvk-vectors/1"

/* "an array", "a string", ... for messages. */
static const char *a_type(const bv_json *j)
{
    switch (bv_json_type_of(j)) {
    case BV_JSON_BOOL: return "a boolean";
    case BV_JSON_NUMBER: return "a number";
    case BV_JSON_STRING: return "a string";
    case BV_JSON_ARRAY: return "an array";
    case BV_JSON_OBJECT: return "an object";
    default: return "null";
    }
}

static bool key_allowed(const char *key, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (strcmp(key, *allowed) == 0)
            return true;
    return false;
}

static char *dup_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* A top-level string member that must be present. */
static bv_status top_string(const char *path, const bv_json *root, const char *key,
                            const char **out, bv_error *err)
{
    const bv_json *v = bv_json_get(root, key);
    if (!v)
        return bv_error_set(err, BV_ERR_PARSE, "%s: no \"%s\" at the top level", path, key);
    if (!bv_json_string(v))
        return bv_error_set(err, BV_ERR_PARSE, "%s: \"%s\" is %s, not a string", path, key,
                            a_type(v));
    *out = bv_json_string(v);
    return BV_OK;
}

static bv_status optional_uint(const char *path, const bv_json *root, const char *key,
                               uint64_t *out, bv_error *err)
{
    const bv_json *v = bv_json_get(root, key);
    if (!v)
        return BV_OK;
    if (bv_json_uint(v, out) != BV_OK)
        return bv_error_set(err, BV_ERR_PARSE, "%s: \"%s\" is not an integer from 0 to 2^64-1",
                            path, key);
    return BV_OK;
}

/* One hex value of a case (slot which of the set's op), checked to be below the modulus and,
 * for an input, to be valid (a point on the curve). */
static bv_status case_value(const char *path, size_t i, const char *name, const char *what,
                            const bv_vec_set *set, unsigned which, const bv_json *v, uint8_t *out,
                            bv_error *err)
{
    bv_status st;
    if (!bv_json_string(v))
        return bv_error_set(err, BV_ERR_PARSE, "%s: case %zu (%.*s): %s is %s, not a hex string",
                            path, i, VEC_MSG_NAME, name, what, a_type(v));
    if ((st = bv_ref_hex_parse_slot(set->family, set->op, which, bv_json_string(v), true, out,
                                    err)) != BV_OK) {
        bv_error_prefix(err, "%s: case %zu (%.*s): %s", path, i, VEC_MSG_NAME, name, what);
        return st;
    }
    if (which != BV_REF_OUT && !bv_ref_family(set->family)->valid_input(set->op, which, out))
        return bv_error_set(err, BV_ERR_VALUE, "%s: case %zu (%.*s): %s is not a valid %s %s input "
                            "(a point must lie on the curve)",
                            path, i, VEC_MSG_NAME, name, what, bv_ref_family_name(set->family),
                            bv_ref_op_name(set->op));
    return BV_OK;
}

static bv_status read_case(const char *path, bv_vec_set *set, size_t i, const bv_json *c,
                           bv_error *err)
{
    static const char *const case_keys[] = {"name", "inputs", "expected", NULL};
    const size_t xb = bv_ref_slot_bytes(set->family, set->op, BV_REF_X);
    const size_t yb = bv_ref_slot_bytes(set->family, set->op, BV_REF_Y);
    const size_t ob = bv_ref_slot_bytes(set->family, set->op, BV_REF_OUT);
    const unsigned arity = bv_ref_op_arity(set->op);
    const bv_json *name_j, *inputs, *expected;
    char fallback[48];
    const char *name;
    bv_status st;

    if (bv_json_type_of(c) != BV_JSON_OBJECT)
        return bv_error_set(err, BV_ERR_PARSE, "%s: case %zu is %s, not an object", path, i,
                            a_type(c));
    name_j = bv_json_get(c, "name");
    snprintf(fallback, sizeof fallback, "case/%zu", i);
    name = fallback;
    if (name_j) {
        if (!bv_json_string(name_j))
            return bv_error_set(err, BV_ERR_PARSE, "%s: case %zu: \"name\" is %s, not a string",
                                path, i, a_type(name_j));
        name = bv_json_string(name_j);
    }
    for (size_t k = 0; k < bv_json_len(c); k++)
        if (!key_allowed(bv_json_key_at(c, k), case_keys))
            return bv_error_set(err, BV_ERR_PARSE,
                                "%s: case %zu (%.*s): unknown key \"%.*s\" (a case has name, inputs, expected)",
                                path, i, VEC_MSG_NAME, name, VEC_MSG_NAME, bv_json_key_at(c, k));
    inputs = bv_json_get(c, "inputs");
    if (!inputs)
        return bv_error_set(err, BV_ERR_PARSE, "%s: case %zu (%.*s): no \"inputs\"", path, i,
                            VEC_MSG_NAME, name);
    if (bv_json_type_of(inputs) != BV_JSON_ARRAY)
        return bv_error_set(err, BV_ERR_PARSE, "%s: case %zu (%.*s): \"inputs\" is %s, not an array",
                            path, i, VEC_MSG_NAME, name, a_type(inputs));
    if (bv_json_len(inputs) != arity)
        return bv_error_set(err, BV_ERR_PARSE, "%s: case %zu (%.*s): %zu input%s, but %s takes %u",
                            path, i, VEC_MSG_NAME, name, bv_json_len(inputs),
                            bv_json_len(inputs) == 1 ? "" : "s", bv_ref_op_name(set->op), arity);
    if ((st = case_value(path, i, name, "inputs[0]", set, BV_REF_X, bv_json_at(inputs, 0),
                         set->x + i * xb, err)) != BV_OK)
        return st;
    if (arity == 2 && (st = case_value(path, i, name, "inputs[1]", set, BV_REF_Y,
                                       bv_json_at(inputs, 1), set->y + i * yb, err)) != BV_OK)
        return st;
    expected = bv_json_get(c, "expected");
    if (expected) {
        if ((st = case_value(path, i, name, "expected", set, BV_REF_OUT, expected,
                             set->expected + i * ob, err)) != BV_OK)
            return st;
        if (set->has_expected)
            set->has_expected[i] = 1;
    }
    set->names[i] = dup_string(name);
    if (!set->names[i])
        return bv_error_set(err, BV_ERR_NOMEM, "%s: out of memory", path);
    return BV_OK;
}

bv_status vec_json_read(const char *path, const char *text, size_t len, bv_vec_set **out,
                        bv_error *err)
{
    static const char *const top_keys[] = {"format", "field", "op", "cases", "seed", "first", NULL};
    bv_status st;
    bv_json *root = NULL;
    bv_vec_set *set = NULL;
    const char *format, *field_name, *op_name;
    const bv_json *cases;
    bv_family f;
    bv_op op;
    uint64_t seed = 0, first = 0;
    size_t count, with_expected = 0;

    *out = NULL;
    if ((st = bv_json_parse(text, len, &root, err)) != BV_OK) {
        bv_error_prefix(err, "%s", bv_file_label(path, false));
        goto fail;
    }
    if (bv_json_type_of(root) != BV_JSON_OBJECT) {
        st = bv_error_set(err, BV_ERR_PARSE, "%s: the top level is %s, not an object", path,
                          a_type(root));
        goto fail;
    }
    for (size_t k = 0; k < bv_json_len(root); k++) {
        if (!key_allowed(bv_json_key_at(root, k), top_keys)) {
            st = bv_error_set(err, BV_ERR_PARSE,
                              "%s: unknown key \"%.*s\" at the top level (expected format, field, op, cases, seed, first)",
                              path, VEC_MSG_NAME, bv_json_key_at(root, k));
            goto fail;
        }
    }
    if ((st = top_string(path, root, "format", &format, err)) != BV_OK)
        goto fail;
    if (strcmp(format, FORMAT_TAG) != 0) {
        st = bv_error_set(err, BV_ERR_PARSE, "%s: unknown format \"%.*s\" (expected \"%s\")", path,
                          VEC_MSG_NAME, format, FORMAT_TAG);
        goto fail;
    }
    if ((st = top_string(path, root, "field", &field_name, err)) != BV_OK)
        goto fail;
    if (bv_ref_family_parse(field_name, &f) != BV_OK) {
        st = bv_error_set(err, BV_ERR_VALUE, "%s: unknown field \"%.*s\" (expected fp, fr, fp2, g1 or g2)", path,
                          VEC_MSG_NAME, field_name);
        goto fail;
    }
    if ((st = top_string(path, root, "op", &op_name, err)) != BV_OK)
        goto fail;
    if (bv_ref_op_parse(op_name, &op) != BV_OK) {
        st = bv_error_set(err, BV_ERR_VALUE,
                          "%s: unknown op \"%.*s\" (expected add, sub, neg, dbl, mul, sqr, to_mont, from_mont or "
                          "inv; for fp2 add, sub, neg, dbl, mul, sqr, conj, mul_by_nonresidue or inv; "
                          "for g1 and g2 add, dbl, madd, neg, smul or to_affine)",
                          path, VEC_MSG_NAME, op_name);
        goto fail;
    }
    if (!bv_ref_family_op(f, op)) {
        st = bv_error_set(err, BV_ERR_VALUE, "%s: %s has no op %s", path, bv_ref_family_name(f),
                          bv_ref_op_name(op));
        goto fail;
    }
    if ((st = optional_uint(path, root, "seed", &seed, err)) != BV_OK ||
        (st = optional_uint(path, root, "first", &first, err)) != BV_OK)
        goto fail;
    cases = bv_json_get(root, "cases");
    if (!cases) {
        st = bv_error_set(err, BV_ERR_PARSE, "%s: no \"cases\" at the top level", path);
        goto fail;
    }
    if (bv_json_type_of(cases) != BV_JSON_ARRAY) {
        st = bv_error_set(err, BV_ERR_PARSE, "%s: \"cases\" is %s, not an array", path,
                          a_type(cases));
        goto fail;
    }
    count = bv_json_len(cases);
    if (count > BV_VEC_MAX_COUNT) {
        st = bv_error_set(err, BV_ERR_PARSE, "%s: %zu cases, more than the limit of %zu", path,
                          count, BV_VEC_MAX_COUNT);
        goto fail;
    }
    if ((st = bv_vec_set_create(f, op, count, true, &set, err)) != BV_OK) {
        bv_error_prefix(err, "%s", path);
        goto fail;
    }
    for (size_t i = 0; i < count; i++)
        if (bv_json_get(bv_json_at(cases, i), "expected"))
            with_expected++;
    if (with_expected &&
        (st = bv_vec_set_alloc_expected(set, with_expected < count, err)) != BV_OK)
        goto fail;
    for (size_t i = 0; i < count; i++)
        if ((st = read_case(path, set, i, bv_json_at(cases, i), err)) != BV_OK)
            goto fail;
    set->seed = seed;
    set->first = first;
    snprintf(set->name_prefix, sizeof set->name_prefix, "case/");
    bv_json_free(root);
    *out = set;
    return BV_OK;
fail:
    bv_vec_set_destroy(set);
    bv_json_free(root);
    return st;
}

bv_status bv_vec_write_json(const char *path, const bv_vec_set *set, bv_error *err)
{
    const size_t xb = bv_ref_slot_bytes(set->family, set->op, BV_REF_X);
    const size_t yb = bv_ref_slot_bytes(set->family, set->op, BV_REF_Y);
    const size_t ob = bv_ref_slot_bytes(set->family, set->op, BV_REF_OUT);
    bv_atomic_file af;
    bv_json_writer *w = NULL;
    bv_status st;
    char hex[BV_REF_MAX_HEX], name[64];

    if ((st = bv_atomic_open(&af, path, err)) != BV_OK)
        return st;
    if ((st = bv_json_writer_create(af.f, true, &w, err)) != BV_OK)
        goto fail;
    /* One case a line: the top object is level 1, "cases" level 2, each case level 3. */
    bv_json_writer_inline_from(w, 3);
    bv_json_obj_begin(w);
    bv_json_key(w, "format");
    bv_json_str(w, FORMAT_TAG);
    bv_json_key(w, "field");
    bv_json_str(w, bv_ref_family_name(set->family));
    bv_json_key(w, "op");
    bv_json_str(w, bv_ref_op_name(set->op));
    if (bv_vec_set_is_random(set)) {
        bv_json_key(w, "seed");
        bv_json_u64(w, set->seed);
        bv_json_key(w, "first");
        bv_json_u64(w, set->first);
    }
    bv_json_key(w, "cases");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < set->count; i++) {
        bv_json_obj_begin(w);
        bv_json_key(w, "name");
        if (set->names && set->names[i]) {
            bv_json_str(w, set->names[i]);
        } else {
            bv_vec_name(set, i, name, sizeof name);
            bv_json_str(w, name);
        }
        bv_json_key(w, "inputs");
        bv_json_arr_begin(w);
        bv_ref_hex_format_slot(set->family, set->op, BV_REF_X, set->x + i * xb, hex);
        bv_json_str(w, hex);
        if (set->y) {
            bv_ref_hex_format_slot(set->family, set->op, BV_REF_Y, set->y + i * yb, hex);
            bv_json_str(w, hex);
        }
        bv_json_arr_end(w);
        if (bv_vec_has_expected(set, i)) {
            bv_json_key(w, "expected");
            bv_ref_hex_format_slot(set->family, set->op, BV_REF_OUT, set->expected + i * ob, hex);
            bv_json_str(w, hex);
        }
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_obj_end(w);
    /* finish frees the writer whatever it returns. */
    if ((st = bv_json_writer_finish(w, err)) != BV_OK) {
        bv_error_prefix(err, "%s", bv_file_label(path, true));
        goto fail;
    }
    return bv_atomic_commit(&af, err);
fail:
    bv_atomic_abort(&af);
    return st;
}
