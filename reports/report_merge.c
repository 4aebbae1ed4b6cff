/* reports/report_merge.c: sets of device reports shown together, and the merge of runs and
 * shards into one report per device: the union of plans and cases, missing cases and shards,
 * cases run twice with different verdicts, toolchain parts that differ. merged.json is
 * written by report_merge_json.c. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

bv_status bv_report_set_create(bv_report_set **out, bv_error *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? BV_OK : bv_error_set(err, BV_ERR_NOMEM, "out of memory");
}

void bv_report_set_destroy(bv_report_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->ndev; i++)
        bv_report_destroy(set->dev[i]);
    for (size_t i = 0; i < set->ninputs; i++)
        free(set->inputs[i]);
    free(set->dev);
    free(set->inputs);
    free(set->conflicts);
    free(set->diffs);
    free(set->missing_shards);
    free(set);
}

bv_status bv_report_set_add(bv_report_set *set, bv_report *rep, bv_error *err)
{
    bv_report **nv = realloc(set->dev, (set->ndev + 1) * sizeof *nv);
    if (!nv) {
        bv_report_destroy(rep);
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    }
    set->dev = nv;
    set->dev[set->ndev++] = rep;
    return BV_OK;
}

bool bv_report_set_ok(const bv_report_set *set)
{
    if (set->nconflicts || set->nmissing_shards || set->ndev == 0)
        return false;
    for (size_t i = 0; i < set->ndev; i++) {
        bv_report_summary s;
        bv_report_summarize(set->dev[i], &s);
        if (strcmp(s.verdict, "pass") != 0)
            return false;
    }
    return true;
}

/* Runs of one device configuration merge; a new driver or API version is another column. */
static bool same_device(const bv_report *a, const bv_report *b)
{
    const bv_device_info *x = &a->run.device, *y = &b->run.device;
    return strcmp(x->uuid_str, y->uuid_str) == 0 && strcmp(x->name, y->name) == 0 &&
           strcmp(x->driver_name, y->driver_name) == 0 && strcmp(x->driver_version_str, y->driver_version_str) == 0 &&
           strcmp(x->api_version_str, y->api_version_str) == 0;
}

/* Where each planned name goes in the merged plan: the k-th case of shard I/N was case
 * k*N + I-1 of the whole list, so shards interleave back into the order of an unsharded run. */
typedef struct plan_item {
    const char *name;
    double key;
    size_t input;
} plan_item;

static int plan_cmp(const void *a, const void *b)
{
    const plan_item *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->input != y->input)
        return x->input < y->input ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* A merged device: its report and, per case, the input its record came from. */
typedef struct merge_dev {
    bv_report *rep;
    size_t *src; /* parallel to rep->cases */
    size_t src_cap;
    size_t first_input;
} merge_dev;

static bv_status note_source(merge_dev *d, size_t case_index, size_t input, bv_error *err)
{
    bv_status st = bv_array_reserve(&d->src, &d->src_cap, case_index + 1, sizeof *d->src, err);
    if (st)
        return st;
    d->src[case_index] = input;
    return BV_OK;
}

/* Which of two records of one case the merge keeps: the more alarming one. */
static int severity(bv_report_status s)
{
    return bv_report_status_is_failure(s)                          ? 4
           : s == BV_RESULT_FLAKE || s == BV_RESULT_KNOWN_FLAKE ? 3
           : s == BV_RESULT_EXPECTED_FAIL                       ? 2
                                                                : 1;
}

static bv_status add_conflict(bv_report_set *set, size_t dev, const char *name, bv_report_status a,
                              bv_report_status b, const char *sa, const char *sb, bv_error *err)
{
    bv_report_conflict *nv = realloc(set->conflicts, (set->nconflicts + 1) * sizeof *nv);
    if (!nv)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    set->conflicts = nv;
    bv_report_conflict *c = &nv[set->nconflicts++];
    memset(c, 0, sizeof *c);
    c->device = dev;
    snprintf(c->name, sizeof c->name, "%s", name);
    c->a = a;
    c->b = b;
    snprintf(c->source_a, sizeof c->source_a, "%s", sa);
    snprintf(c->source_b, sizeof c->source_b, "%s", sb);
    return BV_OK;
}

/* The toolchain parts two runs are told apart by (report_internal.h). */
static const char *p_blsvk(const bv_report *r, char *b, size_t n) { (void)b; (void)n; return r->run.blsvk_version; }
static const char *p_git(const bv_report *r, char *b, size_t n) { (void)b; (void)n; return r->run.git_revision; }
static const char *p_glslang(const bv_report *r, char *b, size_t n) { (void)b; (void)n; return r->run.glslang_version; }
static const char *p_spvtools(const bv_report *r, char *b, size_t n) { (void)b; (void)n; return r->run.spirv_tools_version; }
static const char *p_spvopt(const bv_report *r, char *b, size_t n) { (void)b; (void)n; return r->run.spirv_opt; }
static const char *p_loader(const bv_report *r, char *b, size_t n) { (void)b; (void)n; return r->run.loader_version; }
static const char *p_api(const bv_report *r, char *b, size_t n) { (void)b; (void)n; return r->run.device.api_version_str; }
static const char *p_driver(const bv_report *r, char *b, size_t n)
{
    snprintf(b, n, "%s %s", r->run.device.driver_name, r->run.device.driver_version_str);
    return b;
}

const rt_toolchain_part rt_toolchain_parts[] = {
    {"blsvk_version", p_blsvk}, {"git_revision", p_git},   {"glslang", p_glslang},    {"spirv_tools", p_spvtools},
    {"spirv_opt", p_spvopt},    {"vulkan_loader", p_loader}, {"vulkan_api", p_api}, {"driver", p_driver},
};
const size_t rt_ntoolchain_parts = sizeof rt_toolchain_parts / sizeof rt_toolchain_parts[0];

/* One toolchain part across the inputs: a diff when it takes more than one value. */
static bv_status diff_part(bv_report_set *set, const char *what, bv_report *const *in, size_t n, rt_part_fn fn,
                           bv_error *err)
{
    /* As long as the longest part (the recipe list), so that equal values compare equal. */
    char vals[8][1024];
    char runs[8][256];
    size_t nv = 0;
    for (size_t i = 0; i < n; i++) {
        char buf[1024];
        const char *v = fn(in[i], buf, sizeof buf);
        size_t k = 0;
        while (k < nv && strcmp(vals[k], v) != 0)
            k++;
        if (k == nv && nv < 8) {
            snprintf(vals[nv], sizeof vals[nv], "%s", v);
            runs[nv][0] = '\0';
            nv++;
        }
        if (k < nv) {
            size_t l = strlen(runs[k]);
            snprintf(runs[k] + l, sizeof runs[k] - l, "%s%zu", l ? ", " : "", i + 1);
        }
    }
    if (nv < 2)
        return BV_OK;
    bv_report_toolchain_diff *nd = realloc(set->diffs, (set->ndiffs + 1) * sizeof *nd);
    if (!nd)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    set->diffs = nd;
    bv_report_toolchain_diff *d = &nd[set->ndiffs++];
    snprintf(d->what, sizeof d->what, "%s", what);
    d->values[0] = '\0';
    for (size_t k = 0; k < nv; k++) {
        size_t l = strlen(d->values);
        snprintf(d->values + l, sizeof d->values - l, "%s%s (input%s %s)", k ? " | " : "", vals[k][0] ? vals[k] : "?",
                 strchr(runs[k], ',') ? "s" : "", runs[k]);
    }
    return BV_OK;
}

/* Modules: for each kernel that ran, the hashes each input ran it with. */
static bv_status diff_modules(bv_report_set *set, bv_report *const *in, size_t n, bv_error *err)
{
    bv_status st = BV_OK;
    bv_report_module **m = calloc(n ? n : 1, sizeof *m);
    size_t *nm = calloc(n ? n : 1, sizeof *nm);
    if (!m || !nm) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; !st && i < n; i++)
        st = bv_report_modules(in[i], &m[i], &nm[i], err);
    for (size_t i = 0; !st && i < n; i++)
        for (size_t a = 0; !st && a < nm[i]; a++) {
            const char *kernel = m[i][a].kernel;
            bool seen = false, differs = false;
            /* Report each kernel once: at its first appearance. */
            for (size_t j = 0; j < i && !seen; j++)
                for (size_t b = 0; b < nm[j] && !seen; b++)
                    seen = strcmp(m[j][b].kernel, kernel) == 0;
            for (size_t b = 0; b < a && !seen; b++)
                seen = strcmp(m[i][b].kernel, kernel) == 0;
            if (seen)
                continue;
            for (size_t j = 0; j < n; j++)
                for (size_t b = 0; b < nm[j]; b++)
                    differs |= strcmp(m[j][b].kernel, kernel) == 0 && strcmp(m[j][b].sha256, m[i][a].sha256) != 0;
            if (!differs)
                continue;
            bv_report_toolchain_diff *nd = realloc(set->diffs, (set->ndiffs + 1) * sizeof *nd);
            if (!nd) {
                st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
                break;
            }
            set->diffs = nd;
            bv_report_toolchain_diff *d = &nd[set->ndiffs++];
            snprintf(d->what, sizeof d->what, "module %s", kernel);
            d->values[0] = '\0';
            for (size_t j = 0; j < n; j++)
                for (size_t b = 0; b < nm[j]; b++)
                    if (strcmp(m[j][b].kernel, kernel) == 0) {
                        size_t l = strlen(d->values);
                        snprintf(d->values + l, sizeof d->values - l, "%s%.12s (input %zu)", l ? " | " : "",
                                 m[j][b].sha256, j + 1);
                    }
        }
out:
    for (size_t i = 0; m && i < n; i++)
        free(m[i]);
    free(m);
    free(nm);
    return st;
}

bv_status bv_report_merge(bv_report **in, const char *const *sources, size_t n, bv_report_set **out,
                          bv_error *err)
{
    bv_report_set *set = NULL;
    merge_dev *devs = calloc(n ? n : 1, sizeof *devs);
    size_t ndev = 0;
    plan_item *items = NULL;
    bv_status st = devs ? bv_report_set_create(&set, err) : bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    *out = NULL;
    if (st)
        goto fail;
    set->merged = true;
    set->inputs = calloc(n ? n : 1, sizeof *set->inputs);
    if (!set->inputs) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        if (!(set->inputs[i] = strdup(sources[i]))) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        set->ninputs++;
    }
    for (size_t p = 0; !st && p < rt_ntoolchain_parts; p++)
        st = diff_part(set, rt_toolchain_parts[p].what, in, n, rt_toolchain_parts[p].fn, err);
    if (!st) st = diff_modules(set, in, n, err);
    if (st)
        goto fail;

    for (size_t i = 0; i < n; i++) {
        size_t d = 0;
        while (d < ndev && !same_device(devs[d].rep, in[i]))
            d++;
        if (d == ndev) {
            st = bv_report_create(&devs[d].rep, err);
            if (st)
                goto fail;
            devs[d].rep->run = in[i]->run;
            devs[d].rep->bounds = in[i]->bounds;
            devs[d].first_input = i;
            ndev++;
        }
        merge_dev *md = &devs[d];
        bv_report *rep = md->rep;
        /* The later run's bounds, when it measured some: the same device, the newer figure. */
        if (in[i]->bounds.copy_bytes_per_s > 0 || in[i]->bounds.h2d_bytes_per_s > 0)
            rep->bounds = in[i]->bounds;
        st = bv_report_add_source(rep, sources[i], err);
        for (size_t k = 0; !st && k < in[i]->ncases; k++) {
            const bv_report_case *c = &in[i]->cases[k];
            bv_report_case *old = bv_report_find_case(rep, c->name);
            if (!old) {
                st = bv_report_put_case(rep, c, err);
                if (!st)
                    st = note_source(md, rep->ncases - 1, i, err);
                continue;
            }
            size_t oi = (size_t)(old - rep->cases);
            if (old->status == c->status) {
                set->duplicates++;
                *old = *c; /* the same verdict: the later record */
                md->src[oi] = i;
                continue;
            }
            st = add_conflict(set, d, c->name, old->status, c->status, sources[md->src[oi]], sources[i], err);
            if (!st && severity(c->status) > severity(old->status)) {
                *old = *c;
                md->src[oi] = i;
            }
        }
        /* Cases a crash interrupted stay interrupted unless another run finished them. */
        for (size_t k = 0; !st && k < in[i]->ninterrupted; k++) {
            bv_report_interrupted *nv = realloc(rep->interrupted, (rep->ninterrupted + 1) * sizeof *nv);
            if (!nv) {
                st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
                break;
            }
            rep->interrupted = nv;
            nv[rep->ninterrupted++] = in[i]->interrupted[k];
        }
        if (st)
            goto fail;
    }

    for (size_t d = 0; d < ndev; d++) {
        bv_report *rep = devs[d].rep;
        size_t total = 0, k = 0;
        uint32_t counts[64] = {0}; /* shard counts seen, and which indices of each */
        uint64_t seen[64] = {0};
        const bv_report *whole[64] = {0}; /* an input of each count that knows the whole list */
        size_t ncounts = 0;
        for (size_t i = 0; i < n; i++) {
            if (!same_device(rep, in[i]))
                continue;
            total += in[i]->nplanned;
            uint32_t N = in[i]->run.shard_count, I = in[i]->run.shard_index;
            if (N > 1 && N <= 64) {
                size_t c = 0;
                while (c < ncounts && counts[c] != N)
                    c++;
                if (c == ncounts && ncounts < 64)
                    counts[ncounts++] = N;
                if (c < ncounts) {
                    seen[c] |= 1ull << (I - 1);
                    if (!whole[c] && in[i]->nshard_plan)
                        whole[c] = in[i];
                }
            }
        }
        /* A missing shard's cases, where a shard that ran recorded the whole list: planned and
         * missing in the merge, so that every report names them (junit.xml as errors). */
        for (size_t c = 0; c < ncounts; c++)
            if (whole[c])
                total += whole[c]->nshard_plan;
        items = calloc(total ? total : 1, sizeof *items);
        if (!items) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < n; i++) {
            if (!same_device(rep, in[i]))
                continue;
            uint32_t N = in[i]->run.shard_count, I = in[i]->run.shard_index;
            for (size_t p = 0; p < in[i]->nplanned; p++, k++) {
                items[k].name = in[i]->planned[p];
                items[k].key = (double)p * N + (I - 1);
                items[k].input = i;
            }
        }
        for (size_t c = 0; c < ncounts; c++)
            for (uint32_t I = 1; I <= counts[c]; I++) {
                if (seen[c] & (1ull << (I - 1)))
                    continue;
                bv_report_missing_shard *nv =
                    realloc(set->missing_shards, (set->nmissing_shards + 1) * sizeof *nv);
                if (!nv) {
                    st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
                    goto fail;
                }
                set->missing_shards = nv;
                nv[set->nmissing_shards++] = (bv_report_missing_shard){.device = d, .index = I, .count = counts[c]};
                rep->missing_shards++;
                /* Case p of the whole list went to shard p % N + 1. */
                for (size_t p = I - 1; whole[c] && p < whole[c]->nshard_plan; p += counts[c], k++) {
                    items[k].name = whole[c]->shard_plan[p];
                    items[k].key = (double)p;
                    items[k].input = n;
                    nv[set->nmissing_shards - 1].cases++;
                }
            }
        total = k;
        qsort(items, total, sizeof *items, plan_cmp);
        /* Union, first occurrence wins. */
        const char **names = calloc(total ? total : 1, sizeof *names);
        rt_nameset ns = {0};
        size_t nn = 0;
        if (!names) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        for (size_t a = 0; a < total; a++)
            if (rt_nameset_add(&ns, items[a].name))
                names[nn++] = items[a].name;
        st = ns.oom ? bv_error_set(err, BV_ERR_NOMEM, "out of memory") : bv_report_set_plan(rep, names, nn, err);
        rt_nameset_free(&ns);
        free(names);
        free(items);
        items = NULL;
        if (st)
            goto fail;
        /* The merged report stands for the whole: no shard, no single run. */
        rep->run.shard_index = rep->run.shard_count = 1;
        if (rep->nsources > 1)
            snprintf(rep->run.run_id, sizeof rep->run.run_id, "merged");
        /* Cases a later run finished are no longer interrupted. */
        size_t w = 0;
        for (size_t a = 0; a < rep->ninterrupted; a++)
            if (!bv_report_find_case(rep, rep->interrupted[a].name))
                rep->interrupted[w++] = rep->interrupted[a];
        rep->ninterrupted = w;
        bv_report_sort(rep);
    }
    for (size_t d = 0; d < ndev; d++) {
        free(devs[d].src);
        st = bv_report_set_add(set, devs[d].rep, err);
        devs[d].rep = NULL;
        if (st)
            goto fail;
    }
    for (size_t i = 0; i < n; i++)
        bv_report_destroy(in[i]);
    free(devs);
    *out = set;
    return BV_OK;
fail:
    free(items);
    for (size_t d = 0; devs && d < ndev; d++) {
        bv_report_destroy(devs[d].rep);
        free(devs[d].src);
    }
    free(devs);
    for (size_t i = 0; i < n; i++)
        bv_report_destroy(in[i]);
    bv_report_set_destroy(set);
    return st;
}
