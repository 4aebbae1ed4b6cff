/* kernels/kernel_workload.c: workload manifests (docs/workload-abi.md): a JSON file naming the
 * buffers and the sequence of stages of a multi-dispatch workload (the Fr NTT), read from the
 * built-in ones or a --kernel-dir, and turned into a plan for one size and limb width: buffer
 * sizes, compiled modules, bindings, push constants and item counts. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bv_json.h"
#include "kernels_internal.h"

enum { WL_MAX_BUFFERS = 16, WL_MAX_STAGES = 16, WL_NAME = 48, WL_EXPR = 96 };

typedef struct wl_buffer_spec {
    char name[WL_NAME];
    char elements[WL_EXPR];
    char element_bytes[WL_EXPR]; /* empty: the field's element */
    char table[WL_NAME]; /* empty: not a table */
} wl_buffer_spec;

typedef struct wl_stage_spec {
    char module[WL_NAME];
    char name[WL_NAME]; /* what timings call it; empty: the module's name */
    unsigned nbind;
    unsigned bind[3];
    unsigned npush;
    char push[BV_WORKLOAD_PUSH_WORDS - 2][WL_EXPR];
    char items[WL_EXPR];
    char repeat[WL_EXPR]; /* empty: once */
    char shared[WL_EXPR]; /* workgroup shared memory in bytes; empty: none */
    char specialize[WL_EXPR]; /* specialization constant 1 of the stage's pipeline; empty: none */
} wl_stage_spec;

/* A compiled module, kept for the workload's life: every size uses the same modules. */
typedef struct wl_module {
    char module[WL_NAME];
    bv_limbs limbs;
    uint32_t *code;
    size_t size;
} wl_module;

struct bv_workload {
    char name[WL_NAME];
    char about[512];
    char source[512]; /* "built-in" or the manifest's path */
    char dir[512];    /* the manifest's folder; empty for a built-in */
    bv_family field;
    wl_buffer_spec buffers[WL_MAX_BUFFERS];
    size_t nbuffers;
    wl_stage_spec stages[WL_MAX_STAGES];
    size_t nstages;
    unsigned input, output;
    int scalars; /* g1: the MSM's scalars; -1 for fr */
    char var_names[BV_WORKLOAD_MAX_VARS][WL_NAME];
    char var_exprs[BV_WORKLOAD_MAX_VARS][WL_EXPR];
    size_t nvars;
    wl_module *modules;
    size_t nmodules, cap_modules;
};

static const char *const builtin_names[] = {"fr.ntt", "fr.intt", "fr.ntt_coset", "fr.intt_coset", "g1.msm", NULL};

const char *const *bv_kernel_workload_builtin_names(void)
{
    return builtin_names;
}

/* ---- expressions: unsigned integers, n, log_n, s, wg, log_wg, + - * / << >>, min(a, b),
 * max(a, b) and parentheses -------------------------------------------------------------- */

typedef struct expr_ctx {
    const char *p;
    const bv_workload_vars *v;
    bool bad;
    char why[96];
} expr_ctx;

static void expr_fail(expr_ctx *e, const char *why)
{
    if (!e->bad) {
        e->bad = true;
        snprintf(e->why, sizeof e->why, "%s", why);
    }
}

static void skip_space(expr_ctx *e)
{
    while (*e->p == ' ' || *e->p == '\t')
        e->p++;
}

static uint64_t expr_shift(expr_ctx *e);

static uint64_t expr_atom(expr_ctx *e)
{
    skip_space(e);
    if (*e->p == '(') {
        e->p++;
        uint64_t v = expr_shift(e);
        skip_space(e);
        if (*e->p != ')')
            expr_fail(e, "a '(' without its ')'");
        else
            e->p++;
        return v;
    }
    if (isdigit((unsigned char)*e->p)) {
        uint64_t v = 0;
        while (isdigit((unsigned char)*e->p)) {
            unsigned d = (unsigned)(*e->p++ - '0');
            if (v > (UINT64_MAX - d) / 10)
                expr_fail(e, "a number too large");
            v = v * 10 + d;
        }
        return v;
    }
    bool is_min = strncmp(e->p, "min", 3) == 0, is_max = strncmp(e->p, "max", 3) == 0;
    if ((is_min || is_max) && (e->p[3] == '(' || e->p[3] == ' ')) {
        const char *fn = is_min ? "min" : "max";
        char why[64];
        e->p += 3;
        skip_space(e);
        if (*e->p != '(') {
            snprintf(why, sizeof why, "%s without '('", fn);
            expr_fail(e, why);
            return 0;
        }
        e->p++;
        uint64_t a = expr_shift(e);
        skip_space(e);
        if (*e->p != ',') {
            snprintf(why, sizeof why, "%s takes two arguments", fn);
            expr_fail(e, why);
            return 0;
        }
        e->p++;
        uint64_t b = expr_shift(e);
        skip_space(e);
        if (*e->p != ')') {
            snprintf(why, sizeof why, "a '%s(' without its ')'", fn);
            expr_fail(e, why);
        } else {
            e->p++;
        }
        return is_min ? (a < b ? a : b) : (a > b ? a : b);
    }
    const char *names[5 + BV_WORKLOAD_MAX_VARS] = {"log_n", "log_wg", "n", "s", "wg"};
    uint64_t vals[5 + BV_WORKLOAD_MAX_VARS] = {e->v->log_n, e->v->log_wg, e->v->n, e->v->s, e->v->wg};
    size_t nn = 5;
    for (size_t i = 0; i < e->v->nuser && i < BV_WORKLOAD_MAX_VARS; i++, nn++) {
        names[nn] = e->v->user_names[i];
        vals[nn] = e->v->user_values[i];
    }
    for (size_t i = 0; i < nn; i++) {
        size_t l = strlen(names[i]);
        if (strncmp(e->p, names[i], l) == 0 && !isalnum((unsigned char)e->p[l]) && e->p[l] != '_') {
            e->p += l;
            return vals[i];
        }
    }
    expr_fail(e, "expected a number, n, log_n, s, wg, log_wg, a var, min(, max( or '('");
    return 0;
}

static uint64_t expr_product(expr_ctx *e)
{
    uint64_t v = expr_atom(e);
    for (;;) {
        skip_space(e);
        char c = *e->p;
        if (c != '*' && c != '/')
            return v;
        e->p++;
        uint64_t w = expr_atom(e);
        if (c == '*') {
            if (w && v > UINT64_MAX / w)
                expr_fail(e, "a product overflows 64 bits");
            v *= w;
        } else if (w == 0) {
            expr_fail(e, "a division by zero");
        } else {
            v /= w;
        }
    }
}

static uint64_t expr_sum(expr_ctx *e)
{
    uint64_t v = expr_product(e);
    for (;;) {
        skip_space(e);
        char c = *e->p;
        if (c != '+' && !(c == '-'))
            return v;
        e->p++;
        uint64_t w = expr_product(e);
        if (c == '+') {
            if (v > UINT64_MAX - w)
                expr_fail(e, "a sum overflows 64 bits");
            v += w;
        } else if (w > v) {
            expr_fail(e, "a difference below zero");
        } else {
            v -= w;
        }
    }
}

static uint64_t expr_shift(expr_ctx *e)
{
    uint64_t v = expr_sum(e);
    for (;;) {
        skip_space(e);
        if ((e->p[0] != '<' && e->p[0] != '>') || e->p[1] != e->p[0])
            return v;
        char c = e->p[0];
        e->p += 2;
        uint64_t w = expr_sum(e);
        if (w >= 64)
            expr_fail(e, "a shift by 64 or more");
        else if (c == '<' && (v << w) >> w != v)
            expr_fail(e, "a left shift overflows 64 bits");
        else
            v = c == '<' ? v << w : v >> w;
    }
}

bv_status bv_kernel_workload_eval(const char *text, const bv_workload_vars *vars, uint64_t *out, bv_error *err)
{
    expr_ctx e = {.p = text, .v = vars};
    uint64_t v = expr_shift(&e);
    skip_space(&e);
    if (!e.bad && *e.p)
        expr_fail(&e, "unexpected text");
    if (e.bad)
        return bv_error_set(err, BV_ERR_VALUE, "'%s': %s (at '%s')", text, e.why, e.p);
    *out = v;
    return BV_OK;
}

/* ---- the manifest --------------------------------------------------------------------- */

/* A string member into buf: BV_ERR_VALUE naming the member when it is missing (and required),
 * not a string, empty or too long. */
static bv_status get_str(const bv_json *obj, const char *key, bool required, char *buf, size_t n, const char *where,
                         bv_error *err)
{
    const bv_json *v = bv_json_get(obj, key);
    buf[0] = '\0';
    if (!v) {
        if (required)
            return bv_error_set(err, BV_ERR_VALUE, "%s: no \"%s\"", where, key);
        return BV_OK;
    }
    const char *s = bv_json_string(v);
    if (!s)
        return bv_error_set(err, BV_ERR_VALUE, "%s.%s: a %s, not a string", where, key,
                            bv_json_type_name(bv_json_type_of(v)));
    if (!*s || strlen(s) >= n)
        return bv_error_set(err, BV_ERR_VALUE, "%s.%s: %s", where, key, *s ? "too long" : "empty");
    memcpy(buf, s, strlen(s) + 1);
    return BV_OK;
}

static int buffer_index(const bv_workload *w, const char *name)
{
    for (size_t i = 0; i < w->nbuffers; i++)
        if (strcmp(w->buffers[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* An expression checked once at a mid size (2^20, workgroup 64), so that a typo is named when the
 * manifest is read; the plan evaluates it again at each size. */
/* The manifest's vars at the given values of the built-in names, in order (each may name the
 * ones before it). */
static bv_status eval_user_vars(const bv_workload *w, bv_workload_vars *vars, bv_error *err)
{
    vars->nuser = 0;
    for (size_t i = 0; i < w->nvars; i++) {
        uint64_t v;
        bv_status st = bv_kernel_workload_eval(w->var_exprs[i], vars, &v, err);
        if (st) {
            bv_error_prefix(err, "vars.%s", w->var_names[i]);
            return st;
        }
        vars->user_names[i] = w->var_names[i];
        vars->user_values[i] = v;
        vars->nuser = i + 1;
    }
    return BV_OK;
}

/* An expression checked at sample values (n = 2^20, wg = 64) when the manifest is read, so that
 * a typo is named before any size is planned. */
static bv_status check_expr(const bv_workload *w, const char *text, const char *where, bv_error *err)
{
    uint64_t v;
    bv_workload_vars vars = {.n = 1u << 20, .log_n = 20, .wg = 64, .log_wg = 6};
    bv_status st = eval_user_vars(w, &vars, err);
    if (!st && (st = bv_kernel_workload_eval(text, &vars, &v, err)))
        bv_error_prefix(err, "%s", where);
    return st;
}

/* A member that must be an array of 1 to max entries. */
static bv_status check_list(const bv_json *arr, const char *key, size_t max, bv_error *err)
{
    if (bv_json_type_of(arr) != BV_JSON_ARRAY || bv_json_len(arr) == 0)
        return bv_error_set(err, BV_ERR_VALUE, "%s: not a non-empty array", key);
    if (bv_json_len(arr) > max)
        return bv_error_set(err, BV_ERR_VALUE, "%s: %zu, more than %zu", key, bv_json_len(arr), max);
    return BV_OK;
}

static bv_status parse_buffers(bv_workload *w, const bv_json *arr, bv_error *err)
{
    bv_status st = check_list(arr, "buffers", WL_MAX_BUFFERS, err);
    if (st)
        return st;
    for (size_t i = 0; i < bv_json_len(arr); i++) {
        const bv_json *b = bv_json_at(arr, i);
        wl_buffer_spec *s = &w->buffers[i];
        char where[48];
        snprintf(where, sizeof where, "buffers[%zu]", i);
        if (bv_json_type_of(b) != BV_JSON_OBJECT)
            return bv_error_set(err, BV_ERR_VALUE, "%s: not an object", where);
        if ((st = get_str(b, "name", true, s->name, sizeof s->name, where, err)) ||
            (st = get_str(b, "elements", true, s->elements, sizeof s->elements, where, err)) ||
            (st = get_str(b, "table", false, s->table, sizeof s->table, where, err)) ||
            (st = get_str(b, "element_bytes", false, s->element_bytes, sizeof s->element_bytes, where, err)))
            return st;
        if (buffer_index(w, s->name) >= 0)
            return bv_error_set(err, BV_ERR_VALUE, "%s.name: '%s' twice", where, s->name);
        char ew[64];
        snprintf(ew, sizeof ew, "%s.elements", where);
        if ((st = check_expr(w, s->elements, ew, err)))
            return st;
        snprintf(ew, sizeof ew, "%s.element_bytes", where);
        if (s->element_bytes[0] && (st = check_expr(w, s->element_bytes, ew, err)))
            return st;
        if (s->table[0]) {
            size_t len;
            if ((st = bv_ref_ntt_table_len(s->table, 3, &len, err))) {
                bv_error_prefix(err, "%s.table", where);
                return st;
            }
        }
        w->nbuffers++;
    }
    return BV_OK;
}

/* A module's or a stage's name: letters, digits, '_' and '-' (it becomes part of a file name or
 * of a timing's label). */
static bv_status check_word(const char *text, const char *where, const char *member, bv_error *err)
{
    for (const char *c = text; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-')
            return bv_error_set(err, BV_ERR_VALUE, "%s.%s: '%s' is not letters, digits, '_' and '-'", where, member,
                                text);
    return BV_OK;
}

static bv_status parse_stages(bv_workload *w, const bv_json *arr, bv_error *err)
{
    bv_status st = check_list(arr, "stages", WL_MAX_STAGES, err);
    if (st)
        return st;
    for (size_t i = 0; i < bv_json_len(arr); i++) {
        const bv_json *g = bv_json_at(arr, i);
        wl_stage_spec *s = &w->stages[i];
        char where[48], ew[80];
        snprintf(where, sizeof where, "stages[%zu]", i);
        if (bv_json_type_of(g) != BV_JSON_OBJECT)
            return bv_error_set(err, BV_ERR_VALUE, "%s: not an object", where);
        if ((st = get_str(g, "module", true, s->module, sizeof s->module, where, err)) ||
            (st = get_str(g, "name", false, s->name, sizeof s->name, where, err)) ||
            (st = get_str(g, "items", true, s->items, sizeof s->items, where, err)) ||
            (st = get_str(g, "repeat", false, s->repeat, sizeof s->repeat, where, err)) ||
            (st = get_str(g, "shared", false, s->shared, sizeof s->shared, where, err)) ||
            (st = get_str(g, "specialize", false, s->specialize, sizeof s->specialize, where, err)))
            return st;
        if ((st = check_word(s->module, where, "module", err)) || (st = check_word(s->name, where, "name", err)))
            return st;
        snprintf(ew, sizeof ew, "%s.items", where);
        if ((st = check_expr(w, s->items, ew, err)))
            return st;
        snprintf(ew, sizeof ew, "%s.repeat", where);
        if (s->repeat[0] && (st = check_expr(w, s->repeat, ew, err)))
            return st;
        snprintf(ew, sizeof ew, "%s.shared", where);
        if (s->shared[0] && (st = check_expr(w, s->shared, ew, err)))
            return st;
        snprintf(ew, sizeof ew, "%s.specialize", where);
        if (s->specialize[0] && (st = check_expr(w, s->specialize, ew, err)))
            return st;
        const bv_json *bind = bv_json_get(g, "bind");
        if (bv_json_type_of(bind) != BV_JSON_ARRAY || bv_json_len(bind) < 1 || bv_json_len(bind) > 3)
            return bv_error_set(err, BV_ERR_VALUE, "%s.bind: not an array of 1 to 3 buffer names", where);
        s->nbind = (unsigned)bv_json_len(bind);
        for (unsigned b = 0; b < s->nbind; b++) {
            const char *name = bv_json_string(bv_json_at(bind, b));
            int k = name ? buffer_index(w, name) : -1;
            if (k < 0)
                return bv_error_set(err, BV_ERR_VALUE, "%s.bind[%u]: %s%s%s", where, b,
                                    name ? "no buffer '" : "not a string", name ? name : "", name ? "'" : "");
            s->bind[b] = (unsigned)k;
        }
        const bv_json *push = bv_json_get(g, "push");
        if (push && (bv_json_type_of(push) != BV_JSON_ARRAY || bv_json_len(push) > BV_WORKLOAD_PUSH_WORDS - 2))
            return bv_error_set(err, BV_ERR_VALUE, "%s.push: not an array of at most %d expressions", where,
                                BV_WORKLOAD_PUSH_WORDS - 2);
        s->npush = push ? (unsigned)bv_json_len(push) : 0;
        for (unsigned p = 0; p < s->npush; p++) {
            const char *e = bv_json_string(bv_json_at(push, p));
            snprintf(ew, sizeof ew, "%s.push[%u]", where, p);
            if (!e || !*e || strlen(e) >= sizeof s->push[p])
                return bv_error_set(err, BV_ERR_VALUE, "%s: not a short expression string", ew);
            memcpy(s->push[p], e, strlen(e) + 1);
            if ((st = check_expr(w, s->push[p], ew, err)))
                return st;
        }
        w->nstages++;
    }
    return BV_OK;
}

/* "vars": an object of names and expressions, in order; a name is letters, digits and '_', not
 * a built-in one, and not defined twice. */
static bv_status parse_vars(bv_workload *w, const bv_json *obj, bv_error *err)
{
    static const char *const builtin[] = {"n", "log_n", "s", "wg", "log_wg", "min", "max"};
    if (!obj)
        return BV_OK;
    if (bv_json_type_of(obj) != BV_JSON_OBJECT || bv_json_len(obj) > BV_WORKLOAD_MAX_VARS)
        return bv_error_set(err, BV_ERR_VALUE, "vars: not an object of at most %d names and expressions",
                            BV_WORKLOAD_MAX_VARS);
    for (size_t i = 0; i < bv_json_len(obj); i++) {
        const char *name = bv_json_key_at(obj, i), *e = bv_json_string(bv_json_at(obj, i));
        bool ok = name && *name && strlen(name) < WL_NAME && !isdigit((unsigned char)name[0]);
        for (const char *c = name; ok && *c; c++)
            ok = isalnum((unsigned char)*c) || *c == '_';
        for (size_t b = 0; ok && b < sizeof builtin / sizeof *builtin; b++)
            ok = strcmp(name, builtin[b]) != 0;
        for (size_t k = 0; ok && k < i; k++)
            ok = strcmp(name, w->var_names[k]) != 0;
        if (!ok)
            return bv_error_set(err, BV_ERR_VALUE, "vars: '%s' is not a name of its own (letters, digits and '_', not "
                                "n, log_n, s, wg, log_wg, min or max, once)", name ? name : "");
        if (!e || !*e || strlen(e) >= WL_EXPR)
            return bv_error_set(err, BV_ERR_VALUE, "vars.%s: not an expression of 1 to %d characters", name,
                                WL_EXPR - 1);
        snprintf(w->var_names[i], sizeof w->var_names[i], "%s", name);
        snprintf(w->var_exprs[i], sizeof w->var_exprs[i], "%s", e);
        w->nvars = i + 1;
        bv_workload_vars vars = {.n = 1u << 20, .log_n = 20, .wg = 64, .log_wg = 6};
        bv_status st = eval_user_vars(w, &vars, err);
        if (st)
            return st;
    }
    return BV_OK;
}

static bv_status parse_manifest(bv_workload *w, const char *text, size_t len, bv_error *err)
{
    bv_json *j = NULL;
    bv_status st = bv_json_parse(text, len, &j, err);
    char field[16], input[WL_NAME], output[WL_NAME], format[32], scalars[WL_NAME];
    if (st)
        return st;
    if (bv_json_type_of(j) != BV_JSON_OBJECT) {
        st = bv_error_set(err, BV_ERR_VALUE, "not a JSON object");
        goto out;
    }
    if ((st = get_str(j, "format", true, format, sizeof format, "manifest", err)))
        goto out;
    if (strcmp(format, "blsvk-workload/1") != 0) {
        st = bv_error_set(err, BV_ERR_VALUE, "format: '%s', not blsvk-workload/1", format);
        goto out;
    }
    if ((st = get_str(j, "workload", true, w->name, sizeof w->name, "manifest", err)) ||
        (st = get_str(j, "about", false, w->about, sizeof w->about, "manifest", err)) ||
        (st = get_str(j, "field", true, field, sizeof field, "manifest", err)) ||
        (st = get_str(j, "input", true, input, sizeof input, "manifest", err)) ||
        (st = get_str(j, "output", true, output, sizeof output, "manifest", err)) ||
        (st = get_str(j, "scalars", false, scalars, sizeof scalars, "manifest", err)))
        goto out;
    if (strcmp(field, "fr") == 0) {
        w->field = BV_FAMILY_FR;
    } else if (strcmp(field, "g1") == 0) {
        w->field = BV_FAMILY_G1;
    } else {
        st = bv_error_set(err, BV_ERR_VALUE, "field: '%s', not fr (an NTT) or g1 (an MSM)", field);
        goto out;
    }
    if ((w->field == BV_FAMILY_G1) != (scalars[0] != '\0')) {
        st = bv_error_set(err, BV_ERR_VALUE, "scalars: %s", scalars[0] ? "only a g1 workload (an MSM) has scalars"
                                                                      : "a g1 workload (an MSM) names its scalars' buffer");
        goto out;
    }
    if ((st = parse_vars(w, bv_json_get(j, "vars"), err)) || (st = parse_buffers(w, bv_json_get(j, "buffers"), err)) ||
        (st = parse_stages(w, bv_json_get(j, "stages"), err)))
        goto out;
    w->scalars = -1;
    if (scalars[0] && (w->scalars = buffer_index(w, scalars)) < 0) {
        st = bv_error_set(err, BV_ERR_VALUE, "scalars: no buffer '%s'", scalars);
        goto out;
    }
    int in = buffer_index(w, input), o = buffer_index(w, output);
    if (in < 0 || o < 0) {
        st = bv_error_set(err, BV_ERR_VALUE, "%s: no buffer '%s'", in < 0 ? "input" : "output", in < 0 ? input : output);
        goto out;
    }
    if (w->buffers[in].table[0] || w->buffers[o].table[0]) {
        st = bv_error_set(err, BV_ERR_VALUE, "%s: '%s' is a table", w->buffers[in].table[0] ? "input" : "output",
                          w->buffers[in].table[0] ? input : output);
        goto out;
    }
    w->input = (unsigned)in;
    w->output = (unsigned)o;
out:
    bv_json_free(j);
    return st;
}

bv_status bv_kernel_workload_load(const char *name, const char *dir, bv_workload **out, bv_error *err)
{
    bv_status st;
    char *text = NULL;
    size_t len = 0;
    *out = NULL;
    if (!name || !*name || strlen(name) >= WL_NAME || strchr(name, '/'))
        return bv_error_set(err, BV_ERR_ARG, "'%s' is not a workload name", name ? name : "(null)");
    bv_workload *w = calloc(1, sizeof *w);
    if (!w)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    if (dir) {
        if (snprintf(w->source, sizeof w->source, "%s/%s.json", dir, name) >= (int)sizeof w->source ||
            snprintf(w->dir, sizeof w->dir, "%s", dir) >= (int)sizeof w->dir) {
            st = bv_error_set(err, BV_ERR_ARG, "%s: the folder's name is too long", dir);
            goto fail;
        }
        if ((st = bv_file_read_all(w->source, &text, &len, err)))
            goto fail;
    } else {
        char file[WL_NAME + 8];
        snprintf(file, sizeof file, "%s.json", name);
        const bv_kernel_include *m = bv_kernel_include_find(file);
        if (!m) {
            st = bv_error_set(err, BV_ERR_VALUE, "no built-in workload '%s' (fr.ntt, fr.intt, fr.ntt_coset, fr.intt_coset, g1.msm)",
                              name);
            goto fail;
        }
        snprintf(w->source, sizeof w->source, "built-in");
        if (!(text = malloc(m->len + 1))) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        memcpy(text, m->text, m->len + 1);
        len = m->len;
    }
    if ((st = parse_manifest(w, text, len, err))) {
        bv_error_prefix(err, "%s", dir ? w->source : name);
        goto fail;
    }
    if (strcmp(w->name, name) != 0) {
        st = bv_error_set(err, BV_ERR_VALUE, "%s: workload: '%s', not the file's name '%s'", w->source, w->name, name);
        goto fail;
    }
    free(text);
    *out = w;
    return BV_OK;
fail:
    free(text);
    bv_kernel_workload_destroy(w);
    return st;
}

void bv_kernel_workload_destroy(bv_workload *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->nmodules; i++)
        free(w->modules[i].code);
    free(w->modules);
    free(w);
}

bool bv_kernel_workload_uses(const bv_workload *w, const char *module)
{
    for (size_t i = 0; i < w->nstages; i++)
        if (strcmp(w->stages[i].module, module) == 0)
            return true;
    return false;
}

const char *bv_kernel_workload_name(const bv_workload *w)
{
    return w->name;
}

const char *bv_kernel_workload_about(const bv_workload *w)
{
    return w->about;
}

const char *bv_kernel_workload_source(const bv_workload *w)
{
    return w->source;
}

/* ---- modules -------------------------------------------------------------------------- */

static const char *limbs_upper(bv_limbs l)
{
    return l == BV_LIMBS_U32 ? "U32" : l == BV_LIMBS_U64 ? "U64" : "F64";
}

/* GLSL source with the field's and limbs' defines after its #version line, compiled and
 * validated. path (NULL for a built-in) resolves the source's relative includes. */
static bv_status compile_with_defines(const char *text, size_t len, const char *path, bv_family field, bv_limbs l,
                                      uint32_t **code, size_t *size, bv_error *err)
{
    char defines[96];
    snprintf(defines, sizeof defines, "%s\n#define BV_LIMBS_%s\n",
             field == BV_FAMILY_G1 ? "#define BV_FIELD_FP\n#define BV_FAMILY_G1" : "#define BV_FIELD_FR", limbs_upper(l));
    const char *eol = memchr(text, '\n', len);
    size_t head = eol ? (size_t)(eol - text) + 1 : len, dl = strlen(defines), n;
    if (bv_size_add(len, dl + 1, &n))
        return bv_error_set(err, BV_ERR_OVERFLOW, "a module source too large");
    char *src = malloc(n);
    if (!src)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    memcpy(src, text, head);
    memcpy(src + head, defines, dl);
    memcpy(src + head + dl, text + head, len - head);
    src[len + dl] = '\0';
    bv_status st = bv_kernel_compile_glsl(src, path, code, size, err);
    free(src);
    if (!st && (st = bv_kernel_validate(*code, *size, err)) != BV_OK) {
        free(*code);
        *code = NULL;
    }
    return st;
}

/* The module's SPIR-V for limbs l: a built-in workload's from its embedded source; a folder's
 * from <module>.<limbs>.spv, else <module>.comp compiled with the defines. */
static bv_status get_module(bv_workload *w, const char *module, bv_limbs l, const wl_module **out, bv_error *err)
{
    bv_status st;
    for (size_t i = 0; i < w->nmodules; i++)
        if (w->modules[i].limbs == l && strcmp(w->modules[i].module, module) == 0) {
            *out = &w->modules[i];
            return BV_OK;
        }
    if ((st = bv_array_reserve(&w->modules, &w->cap_modules, w->nmodules + 1, sizeof *w->modules, err)))
        return st;
    wl_module *m = &w->modules[w->nmodules];
    memset(m, 0, sizeof *m);
    snprintf(m->module, sizeof m->module, "%s", module);
    m->limbs = l;
    char path[1200];
    if (!w->dir[0]) {
        char file[WL_NAME + 8];
        snprintf(file, sizeof file, "%s.comp", module);
        const bv_kernel_include *src = bv_kernel_include_find(file);
        if (!src)
            return bv_error_set(err, BV_ERR_INTERNAL, "%s: no built-in module %s", w->name, file);
        st = compile_with_defines(src->text, src->len, NULL, w->field, l, &m->code, &m->size, err);
        if (st)
            bv_error_prefix(err, "%s (%s)", file, bv_limbs_name(l));
    } else {
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s.%s.spv", w->dir, module, bv_limbs_name(l));
        if (stat(path, &sb) == 0) {
            char *bytes = NULL;
            size_t len = 0;
            st = bv_file_read_all(path, &bytes, &len, err);
            if (!st && (len == 0 || len % 4))
                st = bv_error_set(err, BV_ERR_VALUE, "%zu bytes, not a positive multiple of 4", len);
            if (!st)
                st = bv_kernel_validate((const uint32_t *)(const void *)bytes, len, err);
            if (st) {
                free(bytes);
            } else {
                m->code = (uint32_t *)(void *)bytes;
                m->size = len;
            }
        } else {
            snprintf(path, sizeof path, "%s/%s.comp", w->dir, module);
            char *text = NULL;
            size_t len = 0;
            st = bv_file_read_all(path, &text, &len, err);
            if (!st)
                st = compile_with_defines(text, len, path, w->field, l, &m->code, &m->size, err);
            free(text);
        }
        if (st)
            bv_error_prefix(err, "%s", path);
    }
    if (st)
        return st;
    w->nmodules++;
    *out = m;
    return BV_OK;
}

/* ---- plans ---------------------------------------------------------------------------- */

void bv_kernel_workload_plan_free(bv_workload_plan *p)
{
    if (!p)
        return;
    free(p->buffers);
    free(p->stages);
    memset(p, 0, sizeof *p);
}

bv_status bv_kernel_workload_plan(bv_workload *w, bv_limbs limbs, unsigned log_n, uint32_t wg, bv_workload_plan *p,
                                  bv_error *err)
{
    bv_status st = BV_OK;
    uint64_t n = (uint64_t)1 << log_n, v;
    char where[64];
    memset(p, 0, sizeof *p);
    bv_workload_vars vars = {.n = n, .log_n = log_n, .wg = wg};
    while (vars.log_wg < 31 && (2ull << vars.log_wg) <= wg)
        vars.log_wg++;
    if (wg == 0 || (wg & (wg - 1)) != 0)
        return bv_error_set(err, BV_ERR_UNSUPPORTED, "%s: a workgroup size of %u, not a power of two", w->name, wg);
    if (log_n > BV_REF_FR_TWO_ADICITY)
        return bv_error_set(err, BV_ERR_ARG, "%s: log_n %u is above Fr's two-adicity, %u", w->name, log_n,
                            BV_REF_FR_TWO_ADICITY);
    if ((st = eval_user_vars(w, &vars, err))) {
        snprintf(where, sizeof where, "vars");
        goto fail;
    }
    p->field = w->field;
    p->scalars = w->scalars;
    p->input = w->input;
    p->output = w->output;
    p->buffers = calloc(w->nbuffers, sizeof *p->buffers);
    if (!p->buffers)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    p->nbuffers = w->nbuffers;
    for (size_t b = 0; b < w->nbuffers; b++) {
        bv_workload_buffer *pb = &p->buffers[b];
        snprintf(pb->name, sizeof pb->name, "%s", w->buffers[b].name);
        snprintf(pb->table, sizeof pb->table, "%s", w->buffers[b].table);
        snprintf(where, sizeof where, "buffers[%zu].elements", b);
        if ((st = bv_kernel_workload_eval(w->buffers[b].elements, &vars, &v, err)))
            goto fail;
        if ((uint64_t)(size_t)v != v) {
            st = bv_error_set(err, BV_ERR_OVERFLOW, "%llu elements do not fit this host", (unsigned long long)v);
            goto fail;
        }
        pb->elements = (size_t)v;
        pb->element_bytes = bv_ref_family_bytes(w->field);
        snprintf(where, sizeof where, "buffers[%zu].element_bytes", b);
        if (w->buffers[b].element_bytes[0] &&
            (st = bv_kernel_workload_eval(w->buffers[b].element_bytes, &vars, &v, err)))
            goto fail;
        if (w->buffers[b].element_bytes[0]) {
            if (v == 0 || v % 4 || v > 4096) {
                st = bv_error_set(err, BV_ERR_VALUE, "%llu bytes, not a multiple of 4 from 4 to 4096",
                                  (unsigned long long)v);
                goto fail;
            }
            pb->element_bytes = (size_t)v;
        }
        snprintf(where, sizeof where, "buffers[%zu].elements", b);
        if (pb->elements > SIZE_MAX / pb->element_bytes) {
            st = bv_error_set(err, BV_ERR_OVERFLOW, "%zu elements of %zu bytes do not fit this host", pb->elements,
                              pb->element_bytes);
            goto fail;
        }
        if (pb->table[0]) {
            size_t len;
            if ((st = bv_ref_ntt_table_len(pb->table, log_n, &len, err)))
                goto fail;
            if (len > pb->elements) {
                st = bv_error_set(err, BV_ERR_VALUE, "table '%s' has %zu elements at n = %llu, the buffer %zu",
                                  pb->table, len, (unsigned long long)n, pb->elements);
                goto fail;
            }
        }
    }
    /* What the harness reads and writes: an NTT's n elements in and out; an MSM's n affine points
     * and n scalars in, one Jacobian point out. */
    struct {
        const char *what;
        int b;
        size_t elements, bytes;
    } io[] = {{"input", (int)p->input, (size_t)n, w->field == BV_FAMILY_G1 ? (size_t)BV_REF_MSM_POINT_BYTES : 32},
              {"output", (int)p->output, w->field == BV_FAMILY_G1 ? 1 : (size_t)n, bv_ref_family_bytes(w->field)},
              {"scalars", p->scalars, (size_t)n, 32}};
    for (size_t k = 0; k < sizeof io / sizeof *io; k++) {
        if (io[k].b < 0)
            continue;
        const bv_workload_buffer *pb = &p->buffers[io[k].b];
        if (pb->elements != io[k].elements || pb->element_bytes != io[k].bytes) {
            snprintf(where, sizeof where, "%s", io[k].what);
            st = bv_error_set(err, BV_ERR_VALUE, "'%s' has %zu elements of %zu bytes, not %zu of %zu", pb->name,
                              pb->elements, pb->element_bytes, io[k].elements, io[k].bytes);
            goto fail;
        }
    }
    /* Stages, repeats unrolled. */
    size_t cap = 0;
    for (size_t i = 0; i < w->nstages; i++) {
        const wl_stage_spec *g = &w->stages[i];
        uint64_t reps = 1;
        snprintf(where, sizeof where, "stages[%zu].repeat", i);
        if (g->repeat[0] && (st = bv_kernel_workload_eval(g->repeat, &vars, &reps, err)))
            goto fail;
        if (reps > 64) {
            st = bv_error_set(err, BV_ERR_VALUE, "%llu repetitions, more than 64", (unsigned long long)reps);
            goto fail;
        }
        const wl_module *m = NULL;
        if (reps && (st = get_module(w, g->module, limbs, &m, err))) {
            snprintf(where, sizeof where, "stages[%zu].module", i);
            goto fail;
        }
        for (uint64_t s = 0; s < reps; s++) {
            vars.s = s;
            if ((st = bv_array_reserve(&p->stages, &cap, p->nstages + 1, sizeof *p->stages, err)))
                goto fail;
            bv_workload_stage *ps = &p->stages[p->nstages];
            memset(ps, 0, sizeof *ps);
            snprintf(ps->module, sizeof ps->module, "%s", g->module);
            /* A repeated stage's name carries its s, so that each repetition's time is told apart. */
            if (reps > 1)
                snprintf(ps->name, sizeof ps->name, "%.40s.%llu", g->name[0] ? g->name : g->module,
                         (unsigned long long)s);
            else
                snprintf(ps->name, sizeof ps->name, "%s", g->name[0] ? g->name : g->module);
            ps->code = m->code;
            ps->code_size = m->size;
            ps->needs = bv_kernel_spirv_needs(m->code, m->size);
            ps->nbind = g->nbind;
            memcpy(ps->bind, g->bind, sizeof ps->bind);
            snprintf(where, sizeof where, "stages[%zu].items", i);
            if ((st = bv_kernel_workload_eval(g->items, &vars, &ps->items, err)))
                goto fail;
            snprintf(where, sizeof where, "stages[%zu].shared", i);
            if (g->shared[0] && (st = bv_kernel_workload_eval(g->shared, &vars, &ps->shared_bytes, err)))
                goto fail;
            snprintf(where, sizeof where, "stages[%zu].specialize", i);
            if (g->specialize[0] && (st = bv_kernel_workload_eval(g->specialize, &vars, &v, err)))
                goto fail;
            if (g->specialize[0] && v > UINT32_MAX) {
                st = bv_error_set(err, BV_ERR_VALUE, "%llu does not fit a 32-bit word", (unsigned long long)v);
                goto fail;
            }
            ps->specialize = g->specialize[0] != '\0';
            ps->spec = ps->specialize ? (uint32_t)v : 0;
            for (unsigned k = 0; k < g->npush; k++) {
                snprintf(where, sizeof where, "stages[%zu].push[%u]", i, k);
                if ((st = bv_kernel_workload_eval(g->push[k], &vars, &v, err)))
                    goto fail;
                if (v > UINT32_MAX) {
                    st = bv_error_set(err, BV_ERR_VALUE, "%llu does not fit a 32-bit word", (unsigned long long)v);
                    goto fail;
                }
                ps->push[2 + k] = (uint32_t)v;
            }
            if (ps->items > UINT32_MAX) {
                snprintf(where, sizeof where, "stages[%zu].items", i);
                st = bv_error_set(err, BV_ERR_VALUE, "%llu items, past the 32-bit base and count",
                                  (unsigned long long)ps->items);
                goto fail;
            }
            p->needs |= ps->needs;
            p->nstages++;
        }
    }
    return BV_OK;
fail:
    bv_error_prefix(err, "%s at log_n %u: %s", w->name, log_n, where);
    bv_kernel_workload_plan_free(p);
    return st;
}
