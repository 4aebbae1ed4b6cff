/* reports/report_model.c: the result model: the report object (cases, plan, arguments), counts
 * and verdict, the SPIR-V modules that ran and the toolchain fingerprint. */
#define _GNU_SOURCE
#include "bv_report.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bv_sha256.h"
#include "report_internal.h"

void bv_report_device_slug(const bv_device_info *d, char *buf, size_t n)
{
    size_t k = 0;
    bool dash = false;
    for (const char *p = d->name; *p && k + 10 < n; p++) {
        if (isalnum((unsigned char)*p)) {
            if (dash && k)
                buf[k++] = '-';
            buf[k++] = (char)tolower((unsigned char)*p);
            dash = false;
        } else {
            dash = true;
        }
    }
    /* The UUID's first bytes tell two boards of the same model apart. */
    snprintf(buf + k, n - k, "%s%.8s", k ? "-" : "", d->uuid_str);
}

/* --- the report object ---------------------------------------------------------------- */

/* Case lookup by name: an open-addressing table of indices + 1 (0 = empty), so that merges of
 * large runs stay linear. */
typedef struct name_index {
    size_t *slot;
    size_t cap;
} name_index;

static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The index lives beside the public struct, keyed by its address, so that bv_report stays a
 * plain struct; it is rebuilt whenever the case array moved or grew. */
struct bv_report_private {
    bv_report pub;
    name_index idx;
    const bv_report_case *idx_base;
    size_t idx_n;
};

static struct bv_report_private *priv(const bv_report *rep)
{
    return (struct bv_report_private *)(void *)rep;
}

static bool index_rebuild(struct bv_report_private *p)
{
    size_t cap = 64;
    while (cap < 2 * p->pub.ncases + 1)
        cap *= 2;
    size_t *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return false;
    for (size_t i = 0; i < p->pub.ncases; i++) {
        size_t h = (size_t)name_hash(p->pub.cases[i].name) & (cap - 1);
        while (slot[h])
            h = (h + 1) & (cap - 1);
        slot[h] = i + 1;
    }
    free(p->idx.slot);
    p->idx.slot = slot;
    p->idx.cap = cap;
    p->idx_base = p->pub.cases;
    p->idx_n = p->pub.ncases;
    return true;
}

bv_report_case *bv_report_find_case(const bv_report *rep, const char *name)
{
    struct bv_report_private *p = priv(rep);
    if (!rep->ncases)
        return NULL;
    if ((p->idx_base != rep->cases || p->idx_n != rep->ncases) && !index_rebuild(p)) {
        for (size_t i = 0; i < rep->ncases; i++) /* out of memory: slow but right */
            if (strcmp(rep->cases[i].name, name) == 0)
                return &rep->cases[i];
        return NULL;
    }
    size_t h = (size_t)name_hash(name) & (p->idx.cap - 1);
    for (; p->idx.slot[h]; h = (h + 1) & (p->idx.cap - 1))
        if (strcmp(rep->cases[p->idx.slot[h] - 1].name, name) == 0)
            return &rep->cases[p->idx.slot[h] - 1];
    return NULL;
}

bv_status bv_report_create(bv_report **out, bv_error *err)
{
    struct bv_report_private *p = calloc(1, sizeof *p);
    *out = NULL;
    if (!p)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    p->pub.run.shard_index = p->pub.run.shard_count = 1;
    snprintf(p->pub.run.spirv_opt, sizeof p->pub.run.spirv_opt, "%s", BV_REPORT_SPIRV_OPT_NONE);
    *out = &p->pub;
    return BV_OK;
}

static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void bv_report_destroy(bv_report *rep)
{
    if (!rep)
        return;
    struct bv_report_private *p = priv(rep);
    free(rep->cases);
    free_strs(rep->planned, rep->nplanned);
    free_strs(rep->argv, rep->nargv);
    free_strs(rep->sources, rep->nsources);
    free(rep->resumed);
    free(rep->interrupted);
    bv_report_baseline_destroy(rep->baseline);
    bv_report_baseline_destroy(rep->skips);
    bv_report_baseline_destroy(rep->flakes);
    free_strs(rep->shard_plan, rep->nshard_plan);
    free(p->idx.slot);
    free(p);
}

bv_status bv_report_put_case(bv_report *rep, const bv_report_case *c, bv_error *err)
{
    bv_report_case *old = bv_report_find_case(rep, c->name);
    if (old) {
        if (old != c)
            *old = *c;
        return BV_OK;
    }
    bv_status st = bv_array_reserve(&rep->cases, &rep->cases_cap, rep->ncases + 1, sizeof *rep->cases, err);
    if (st)
        return st;
    rep->cases[rep->ncases++] = *c;
    return BV_OK;
}

static bv_status strs_copy(char ***dst, size_t *dn, const char *const *src, size_t n, bv_error *err)
{
    char **v = calloc(n ? n : 1, sizeof *v);
    if (!v)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (!(v[i] = strdup(src[i] ? src[i] : ""))) {
            free_strs(v, i);
            return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        }
    free_strs(*dst, *dn);
    *dst = v;
    *dn = n;
    return BV_OK;
}

bv_status bv_report_set_plan(bv_report *rep, const char *const *names, size_t n, bv_error *err)
{
    return strs_copy(&rep->planned, &rep->nplanned, names, n, err);
}

bv_status bv_report_set_shard_plan(bv_report *rep, const char *const *names, size_t n, bv_error *err)
{
    return strs_copy(&rep->shard_plan, &rep->nshard_plan, names, n, err);
}

bv_status bv_report_set_argv(bv_report *rep, int argc, char *const *argv, bv_error *err)
{
    return strs_copy(&rep->argv, &rep->nargv, (const char *const *)argv, argc > 0 ? (size_t)argc : 0, err);
}

bv_status bv_report_add_resumed(bv_report *rep, const char *started, bv_error *err)
{
    char(*nv)[32] = realloc(rep->resumed, (rep->nresumed + 1) * sizeof *nv);
    if (!nv)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    rep->resumed = nv;
    snprintf(nv[rep->nresumed++], sizeof nv[0], "%s", started);
    return BV_OK;
}

bv_status bv_report_add_source(bv_report *rep, const char *source, bv_error *err)
{
    for (size_t i = 0; i < rep->nsources; i++)
        if (strcmp(rep->sources[i], source) == 0)
            return BV_OK;
    char **nv = realloc(rep->sources, (rep->nsources + 1) * sizeof *nv);
    if (!nv)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    rep->sources = nv;
    if (!(nv[rep->nsources] = strdup(source)))
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    rep->nsources++;
    return BV_OK;
}

/* Sorting key: the case's position in the plan, or past its end for unplanned cases. */
typedef struct sort_item {
    size_t key;
    size_t i;
} sort_item;

static int sort_cmp(const void *a, const void *b, void *cases)
{
    const sort_item *x = a, *y = b;
    const bv_report_case *c = cases;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return strcmp(c[x->i].name, c[y->i].name);
}

void bv_report_sort(bv_report *rep)
{
    size_t n = rep->ncases;
    sort_item *it = malloc((n ? n : 1) * sizeof *it);
    bv_report_case *out = malloc((n ? n : 1) * sizeof *out);
    if (!it || !out) { /* out of memory: leave the order as it is */
        free(it);
        free(out);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        it[i].key = SIZE_MAX;
        it[i].i = i;
    }
    for (size_t k = 0; k < rep->nplanned; k++) {
        bv_report_case *c = bv_report_find_case(rep, rep->planned[k]);
        if (c && it[c - rep->cases].key == SIZE_MAX)
            it[c - rep->cases].key = k;
    }
    qsort_r(it, n, sizeof *it, sort_cmp, rep->cases);
    for (size_t i = 0; i < n; i++)
        out[i] = rep->cases[it[i].i];
    memcpy(rep->cases, out, n * sizeof *out);
    priv(rep)->idx_n = (size_t)-1; /* the index is stale */
    free(it);
    free(out);
}

bool bv_report_is_missing(const bv_report *rep, size_t k)
{
    return k < rep->nplanned && !bv_report_find_case(rep, rep->planned[k]);
}

void bv_report_summarize(const bv_report *rep, bv_report_summary *s)
{
    memset(s, 0, sizeof *s);
    bv_report_totals(rep->cases, rep->ncases, s->totals);
    s->cases = rep->ncases;
    for (size_t k = 0; k < rep->nplanned; k++)
        s->missing += bv_report_is_missing(rep, k);
    for (unsigned st = 0; st < BV_RESULT_COUNT; st++)
        if (bv_report_status_is_failure((bv_report_status)st))
            s->new_failures += s->totals[st];
    s->verdict = s->new_failures ? "fail" : s->missing || rep->missing_shards ? "incomplete" : "pass";
}

/* --- toolchain ------------------------------------------------------------------------ */

void bv_report_case_recipe(const bv_report_case *c, char *buf, size_t n)
{
    /* The third dot-separated part is <limbs>[+<recipe>]. */
    const char *p = c->name;
    for (int dots = 0; p && dots < 2; dots++)
        p = strchr(p, '.') ? strchr(p, '.') + 1 : NULL;
    const char *end = p ? strchr(p, '.') : NULL, *plus = p ? strchr(p, '+') : NULL;
    if (plus && end && plus < end)
        snprintf(buf, n, "%.*s", (int)(end - plus - 1), plus + 1);
    else
        snprintf(buf, n, "%s", BV_REPORT_SPIRV_OPT_NONE);
}

bv_status bv_report_modules(const bv_report *rep, bv_report_module **out, size_t *n, bv_error *err)
{
    bv_report_module *m = NULL;
    size_t k = 0, cap = 0;
    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < rep->ncases; i++) {
        const bv_report_case *c = &rep->cases[i];
        char kernel[48], recipe[16];
        if (!c->kernel_sha256[0])
            continue; /* never reached a kernel: nothing ran */
        bv_report_case_recipe(c, recipe, sizeof recipe);
        bool opt = strcmp(recipe, BV_REPORT_SPIRV_OPT_NONE) != 0;
        snprintf(kernel, sizeof kernel, "%s.%s.%s%s%s", bv_ref_family_name(c->family), bv_ref_op_name(c->op),
                 bv_limbs_name(c->limbs), opt ? "+" : "", opt ? recipe : "");
        size_t j = 0;
        while (j < k && !(strcmp(m[j].kernel, kernel) == 0 && strcmp(m[j].sha256, c->kernel_sha256) == 0 &&
                          strcmp(m[j].source, c->kernel_source) == 0))
            j++;
        if (j == k) {
            bv_status st = bv_array_reserve(&m, &cap, k + 1, sizeof *m, err);
            if (st) {
                free(m);
                return st;
            }
            memset(&m[k], 0, sizeof m[k]);
            snprintf(m[k].kernel, sizeof m[k].kernel, "%s", kernel);
            snprintf(m[k].recipe, sizeof m[k].recipe, "%s", recipe);
            snprintf(m[k].source, sizeof m[k].source, "%s", c->kernel_source);
            snprintf(m[k].sha256, sizeof m[k].sha256, "%s", c->kernel_sha256);
            k++;
        }
        m[j].cases++;
    }
    *out = m;
    *n = k;
    return BV_OK;
}

static int module_cmp(const void *a, const void *b)
{
    const bv_report_module *x = a, *y = b;
    int r = strcmp(x->kernel, y->kernel);
    return r ? r : strcmp(x->sha256, y->sha256);
}

/* The first 16 hex digits of the SHA-256 of b's text; frees it. */
static bv_status hash16(rt_buf *b, char out[17], bv_error *err)
{
    char hex[65];
    if (b->oom) {
        free(b->s);
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    }
    bv_sha256_hex(hex, b->s ? b->s : "", b->len);
    free(b->s);
    memcpy(out, hex, 16);
    out[16] = '\0';
    return BV_OK;
}

bv_status bv_report_fingerprint(const bv_report *rep, char out[17], bv_error *err)
{
    rt_buf b = {0};
    const bv_report_run *r = &rep->run;
    /* The software alone. What ran changes with --filter: the modules (hashed apart) and which
     * spirv-opt recipes the plan used (what each recipe does is blsvk's code: its revision says). */
    rt_buf_printf(&b, "blsvk=%s\ngit=%s\nglslang=%s\nspirv-tools=%s\nloader=%s\n", r->blsvk_version,
                  r->git_revision, r->glslang_version, r->spirv_tools_version, r->loader_version);
    rt_buf_printf(&b, "driver=%s %s (%s)\napi=%s\n", r->device.driver_name, r->device.driver_version_str,
                  r->device.driver_info, r->device.api_version_str);
    return hash16(&b, out, err);
}

bv_status bv_report_modules_fingerprint(const bv_report *rep, char out[17], bv_error *err)
{
    bv_report_module *m = NULL;
    size_t n = 0;
    rt_buf b = {0};
    bv_status st = bv_report_modules(rep, &m, &n, err);
    if (st)
        return st;
    out[0] = '\0';
    if (!n) {
        free(m);
        return BV_OK;
    }
    /* Sorted, so that the order cases ran in does not change it. */
    qsort(m, n, sizeof *m, module_cmp);
    for (size_t i = 0; i < n; i++)
        rt_buf_printf(&b, "module=%s %s\n", m[i].kernel, m[i].sha256);
    free(m);
    return hash16(&b, out, err);
}

void bv_report_case_fractions(const bv_report *rep, const bv_report_case *c, double *copy_fraction,
                              double *link_fraction)
{
    const bv_report_timing *t = &c->timing;
    const bv_report_bounds *b = &rep->bounds;
    *copy_fraction = *link_fraction = NAN;
    if (!t->valid)
        return;
    if (t->kernel_timed && t->kernel_bytes_per_s > 0 && b->copy_bytes_per_s > 0)
        *copy_fraction = t->kernel_bytes_per_s / b->copy_bytes_per_s;
    /* End to end, the inputs go up the link and the output comes down: the fraction is the
     * time those transfers alone would take over the time the case took. */
    if (t->wall_elems_per_s > 0 && b->h2d_bytes_per_s > 0 && b->d2h_bytes_per_s > 0 && bv_ref_op_arity(c->op)) {
        double arity = bv_ref_op_arity(c->op), elem = t->bytes_per_elem / (arity + 1);
        double link_s = arity * elem / b->h2d_bytes_per_s + elem / b->d2h_bytes_per_s;
        *link_fraction = link_s * t->wall_elems_per_s;
    }
}
