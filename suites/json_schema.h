/* suites/json_schema.h: a small JSON Schema (draft 2020-12) validator for the tests: enough of
 * the standard for docs/schemas/results.schema.json, and loud about the rest: a keyword it does
 * not know is an error, so a schema can never pass by using something it ignores.
 * Supported: $ref (to "#" or "#/$defs/<name>"), type, enum, const, properties, required,
 * additionalProperties, items, minItems, maxItems, minLength, minimum, maximum, pattern (POSIX
 * extended regular expressions: keep patterns to what they and ECMA-262 read alike), anyOf;
 * $schema, $id, $defs, title and description are annotations. Header-only (static functions)
 * so that test programs and the schema_check tool share it. */
#ifndef BV_JSON_SCHEMA_H
#define BV_JSON_SCHEMA_H

#include <math.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bv_json.h"

typedef struct js_ctx {
    const bv_json *root; /* the schema document, for $ref */
    char err[1024];      /* the first problem: "<path>: <what>" */
    unsigned depth;
} js_ctx;

static bool js_check(js_ctx *cx, const bv_json *schema, const bv_json *v, const char *path);

static bool js_fail(js_ctx *cx, const char *path, const char *what, const char *detail)
{
    if (!cx->err[0])
        snprintf(cx->err, sizeof cx->err, "%s: %s%s%s", path[0] ? path : "/", what, detail ? " " : "",
                 detail ? detail : "");
    return false;
}

static bool js_type_is(const char *t, const bv_json *v)
{
    bv_json_type vt = bv_json_type_of(v);
    if (strcmp(t, "integer") == 0)
        return vt == BV_JSON_NUMBER && bv_json_number(v) == floor(bv_json_number(v));
    if (strcmp(t, "boolean") == 0)
        return vt == BV_JSON_BOOL;
    return strcmp(t, bv_json_type_name(vt)) == 0;
}

static const bv_json *js_resolve(js_ctx *cx, const char *ref)
{
    if (strcmp(ref, "#") == 0)
        return cx->root;
    if (strncmp(ref, "#/$defs/", 8) == 0)
        return bv_json_get(bv_json_get(cx->root, "$defs"), ref + 8);
    return NULL;
}

static bool js_check(js_ctx *cx, const bv_json *schema, const bv_json *v, const char *path)
{
    char sub[512];
    if (bv_json_type_of(schema) == BV_JSON_BOOL)
        return bv_json_bool(schema) ? true : js_fail(cx, path, "not allowed here", NULL);
    if (bv_json_type_of(schema) != BV_JSON_OBJECT)
        return js_fail(cx, path, "schema is not an object", NULL);
    if (++cx->depth > 64) {
        cx->depth--;
        return js_fail(cx, path, "$ref nesting too deep", NULL);
    }
    bool ok = true;
    for (size_t k = 0; k < bv_json_len(schema) && ok; k++) {
        const char *kw = bv_json_key_at(schema, k);
        const bv_json *a = bv_json_at(schema, k);
        bv_json_type vt = bv_json_type_of(v);
        if (!strcmp(kw, "$schema") || !strcmp(kw, "$id") || !strcmp(kw, "$defs") || !strcmp(kw, "title") ||
            !strcmp(kw, "description")) {
            continue;
        } else if (!strcmp(kw, "$ref")) {
            const bv_json *target = js_resolve(cx, bv_json_string(a) ? bv_json_string(a) : "");
            ok = target ? js_check(cx, target, v, path) : js_fail(cx, path, "unresolvable $ref", bv_json_string(a));
        } else if (!strcmp(kw, "type")) {
            bool any = false;
            if (bv_json_type_of(a) == BV_JSON_STRING)
                any = js_type_is(bv_json_string(a), v);
            for (size_t i = 0; bv_json_type_of(a) == BV_JSON_ARRAY && i < bv_json_len(a) && !any; i++)
                any = js_type_is(bv_json_string(bv_json_at(a, i)) ? bv_json_string(bv_json_at(a, i)) : "", v);
            ok = any || js_fail(cx, path, "wrong type:", bv_json_type_name(vt));
        } else if (!strcmp(kw, "enum")) {
            bool any = false;
            for (size_t i = 0; i < bv_json_len(a) && !any; i++)
                any = bv_json_equal(bv_json_at(a, i), v);
            ok = any || js_fail(cx, path, "not one of the enum's values",
                                vt == BV_JSON_STRING ? bv_json_string(v) : NULL);
        } else if (!strcmp(kw, "const")) {
            ok = bv_json_equal(a, v) || js_fail(cx, path, "not the const value", NULL);
        } else if (!strcmp(kw, "properties")) {
            for (size_t i = 0; vt == BV_JSON_OBJECT && i < bv_json_len(a) && ok; i++) {
                const bv_json *m = bv_json_get(v, bv_json_key_at(a, i));
                snprintf(sub, sizeof sub, "%s/%s", path, bv_json_key_at(a, i));
                if (m)
                    ok = js_check(cx, bv_json_at(a, i), m, sub);
            }
        } else if (!strcmp(kw, "required")) {
            for (size_t i = 0; vt == BV_JSON_OBJECT && i < bv_json_len(a) && ok; i++)
                if (!bv_json_get(v, bv_json_string(bv_json_at(a, i))))
                    ok = js_fail(cx, path, "missing required member", bv_json_string(bv_json_at(a, i)));
        } else if (!strcmp(kw, "additionalProperties")) {
            const bv_json *props = bv_json_get(schema, "properties");
            for (size_t i = 0; vt == BV_JSON_OBJECT && i < bv_json_len(v) && ok; i++) {
                if (bv_json_get(props, bv_json_key_at(v, i)))
                    continue;
                snprintf(sub, sizeof sub, "%s/%s", path, bv_json_key_at(v, i));
                if (bv_json_type_of(a) == BV_JSON_BOOL && !bv_json_bool(a))
                    ok = js_fail(cx, sub, "member not in the schema", NULL);
                else
                    ok = js_check(cx, a, bv_json_at(v, i), sub);
            }
        } else if (!strcmp(kw, "items")) {
            for (size_t i = 0; vt == BV_JSON_ARRAY && i < bv_json_len(v) && ok; i++) {
                snprintf(sub, sizeof sub, "%s/%zu", path, i);
                ok = js_check(cx, a, bv_json_at(v, i), sub);
            }
        } else if (!strcmp(kw, "minItems") || !strcmp(kw, "maxItems")) {
            double lim = bv_json_number(a), n = (double)bv_json_len(v);
            if (vt == BV_JSON_ARRAY && (kw[1] == 'i' ? n < lim : n > lim))
                ok = js_fail(cx, path, kw[1] == 'i' ? "too few items" : "too many items", NULL);
        } else if (!strcmp(kw, "minLength")) {
            if (vt == BV_JSON_STRING && (double)bv_json_string_len(v) < bv_json_number(a))
                ok = js_fail(cx, path, "string too short", NULL);
        } else if (!strcmp(kw, "minimum") || !strcmp(kw, "maximum")) {
            double lim = bv_json_number(a), x = bv_json_number(v);
            if (vt == BV_JSON_NUMBER && (kw[1] == 'i' ? x < lim : x > lim))
                ok = js_fail(cx, path, kw[1] == 'i' ? "below the minimum" : "above the maximum", NULL);
        } else if (!strcmp(kw, "pattern")) {
            regex_t re;
            if (regcomp(&re, bv_json_string(a) ? bv_json_string(a) : "", REG_EXTENDED | REG_NOSUB) != 0) {
                ok = js_fail(cx, path, "pattern does not compile:", bv_json_string(a));
            } else {
                if (vt == BV_JSON_STRING && regexec(&re, bv_json_string(v), 0, NULL, 0) != 0)
                    ok = js_fail(cx, path, "does not match the pattern:", bv_json_string(v));
                regfree(&re);
            }
        } else if (!strcmp(kw, "anyOf")) {
            bool any = false;
            for (size_t i = 0; i < bv_json_len(a) && !any; i++) {
                js_ctx trial = {.root = cx->root, .depth = cx->depth};
                any = js_check(&trial, bv_json_at(a, i), v, path);
            }
            ok = any || js_fail(cx, path, "matches none of anyOf's schemas", NULL);
        } else {
            ok = js_fail(cx, path, "schema keyword this validator does not support:", kw);
        }
    }
    cx->depth--;
    return ok;
}

/* Validates v against the schema document (or one of its $defs, when ref is "#/$defs/x"). */
static bool js_validate(const bv_json *schema_doc, const char *ref, const bv_json *v, char *err, size_t n)
{
    js_ctx cx = {.root = schema_doc};
    const bv_json *s = ref ? js_resolve(&cx, ref) : schema_doc;
    bool ok = s ? js_check(&cx, s, v, "") : js_fail(&cx, "", "unresolvable $ref", ref);
    snprintf(err, n, "%s", cx.err);
    return ok;
}

#endif
