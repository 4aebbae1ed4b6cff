/* reports/report_compare.c: run B against run A (the reference): cases that newly fail, newly
 * pass, change status, appear or disappear; every timing as a ratio of medians with a
 * distribution-free interval, called a regression only outside the noise; and what else differs
 * (toolchain, driver, the modules whose SHA-256 changed). The writers are in
 * report_compare_out.c and report_compare_html.c. */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static const char *const verdict_names[] = {"slower", "unsure", "faster", "same", "too-few-reps", "no-samples"};
_Static_assert(sizeof verdict_names / sizeof verdict_names[0] == BV_TIMING_COUNT, "a name per timing verdict");

static const char *const change_names[] = {"new-failure", "status-changed", "new-pass", "appeared", "disappeared"};
_Static_assert(sizeof change_names / sizeof change_names[0] == BV_CHANGE_COUNT, "a name per change");

const char *bv_report_timing_verdict_name(bv_report_timing_verdict v)
{
    return (unsigned)v < BV_TIMING_COUNT ? verdict_names[v] : "?";
}

const char *bv_report_change_kind_name(bv_report_change_kind k)
{
    return (unsigned)k < BV_CHANGE_COUNT ? change_names[k] : "?";
}

void bv_report_compare_defaults(bv_report_compare_opts *o)
{
    *o = (bv_report_compare_opts){.max_slowdown = 0.10, .min_reps = 5, .confidence = 0.95};
}

/* --- the interval ----------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The largest k such that P(U <= k - 1) <= tail under the null hypothesis, for the Mann-Whitney
 * U of samples of m and n: the number of pairwise differences cut off each end of the sorted
 * list for the interval. U's distribution is the coefficients of the Gaussian binomial
 * [m+n choose m]_q = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i), built here factor by factor. */
static size_t rank_cut(uint32_t m, uint32_t n, double tail)
{
    size_t deg = (size_t)m * n;
    double *c = calloc(deg + 1, sizeof *c);
    if (!c)
        return 0;
    c[0] = 1;
    for (uint32_t i = 1; i <= m; i++) {
        for (size_t k = i; k <= deg; k++) /* divide by (1 - q^i): a running sum */
            c[k] += c[k - i];
        for (size_t k = deg; k >= (size_t)n + i; k--) /* times (1 - q^(n+i)) */
            c[k] -= c[k - n - i];
    }
    double total = 0;
    for (size_t k = 0; k <= deg; k++)
        total += c[k];
    size_t cut = 0;
    double cdf = 0;
    for (size_t k = 0; k <= deg / 2; k++) {
        cdf += c[k] / total;
        if (cdf > tail * (1 + 1e-12))
            break;
        cut = k + 1;
    }
    free(c);
    return cut;
}

void bv_report_compare_ratio(bv_report_ratio *out, const bv_stats *a, const bv_stats *b,
                             const bv_report_compare_opts *o)
{
    memset(out, 0, sizeof *out);
    out->lo = out->hi = NAN;
    out->ratio = a->median > 0 ? b->median / a->median : NAN;
    out->na = a->nsamples;
    out->nb = b->nsamples;
    if (!a->nsamples || !b->nsamples) {
        out->verdict = BV_TIMING_NO_SAMPLES;
        return;
    }
    uint32_t min_reps = o->min_reps < 2 ? 2 : o->min_reps;
    if (a->nsamples < min_reps || b->nsamples < min_reps || !(a->median > 0) || !(b->median > 0)) {
        out->verdict = BV_TIMING_FEW_REPS;
        return;
    }
    size_t na = a->nsamples, nb = b->nsamples, nd = na * nb;
    size_t cut = rank_cut(a->nsamples, b->nsamples, (1 - o->confidence) / 2);
    double *d = cut ? malloc(nd * sizeof *d) : NULL;
    bool ok = d != NULL;
    for (size_t i = 0; ok && i < na; i++)
        for (size_t j = 0; j < nb; j++) {
            ok &= a->samples[i] > 0 && b->samples[j] > 0;
            d[i * nb + j] = ok ? log(b->samples[j]) - log(a->samples[i]) : 0;
        }
    if (!ok) {
        free(d);
        out->verdict = BV_TIMING_FEW_REPS;
        return;
    }
    qsort(d, nd, sizeof *d, cmp_double);
    out->lo = exp(d[cut - 1]);
    out->hi = exp(d[nd - cut]);
    free(d);
    double up = 1 + o->max_slowdown, down = 1 / up;
    if (out->lo > up)
        out->verdict = BV_TIMING_SLOWER;
    else if (out->hi < down)
        out->verdict = BV_TIMING_FASTER;
    else if (out->ratio > up || out->ratio < down)
        out->verdict = BV_TIMING_UNSURE;
    else
        out->verdict = BV_TIMING_SAME;
}

/* --- the comparison --------------------------------------------------------------------- */

typedef struct cmp_build {
    bv_report_comparison *c;
    size_t changes_cap, timings_cap, env_cap, pairs_cap;
} cmp_build;

static bv_status add_env(cmp_build *bld, size_t pair, const char *what, const char *a, const char *b, bv_error *err)
{
    bv_report_comparison *c = bld->c;
    if (strcmp(a, b) == 0)
        return BV_OK;
    if (bv_array_reserve(&c->env, &bld->env_cap, c->nenv + 1, sizeof *c->env, err))
        return BV_ERR_NOMEM;
    bv_report_env_diff *e = &c->env[c->nenv++];
    e->pair = pair;
    snprintf(e->what, sizeof e->what, "%s", what);
    snprintf(e->a, sizeof e->a, "%s", a[0] ? a : "(none)");
    snprintf(e->b, sizeof e->b, "%s", b[0] ? b : "(none)");
    return BV_OK;
}

static bv_status add_change(cmp_build *bld, size_t pair, bv_report_change_kind kind, const bv_report_case *a,
                            const bv_report_case *b, bv_error *err)
{
    bv_report_comparison *c = bld->c;
    if (bv_array_reserve(&c->changes, &bld->changes_cap, c->nchanges + 1, sizeof *c->changes, err))
        return BV_ERR_NOMEM;
    bv_report_case_change *ch = &c->changes[c->nchanges++];
    memset(ch, 0, sizeof *ch);
    ch->pair = pair;
    ch->kind = kind;
    ch->a = a;
    ch->b = b;
    snprintf(ch->name, sizeof ch->name, "%s", a ? a->name : b->name);
    ch->regression = kind == BV_CHANGE_NEW_FAILURE || (kind == BV_CHANGE_APPEARED && bv_report_status_is_failure(b->status));
    c->counts[kind]++;
    c->new_failures += ch->regression;
    return BV_OK;
}

static bv_status add_timing(cmp_build *bld, size_t pair, const char *name, const char *group, const char *measure,
                            const bv_stats *a, const bv_stats *b, bool module_changed, bv_error *err)
{
    bv_report_comparison *c = bld->c;
    if (bv_array_reserve(&c->timings, &bld->timings_cap, c->ntimings + 1, sizeof *c->timings, err))
        return BV_ERR_NOMEM;
    bv_report_timing_change *t = &c->timings[c->ntimings++];
    memset(t, 0, sizeof *t);
    t->pair = pair;
    snprintf(t->name, sizeof t->name, "%s", name);
    snprintf(t->group, sizeof t->group, "%s", group);
    t->measure = measure;
    t->median_a = a->median;
    t->median_b = b->median;
    t->module_changed = module_changed;
    bv_report_compare_ratio(&t->r, a, b, &c->opts);
    t->regression = t->r.verdict == BV_TIMING_SLOWER;
    c->timing_counts[t->r.verdict]++;
    c->slowdowns += t->regression;
    return BV_OK;
}

/* The timing two records of one case are compared by: GPU time where both have it over more than
 * one repetition, else the host's end-to-end time. */
static bv_status compare_case_timing(cmp_build *bld, size_t pair, const bv_report_case *a, const bv_report_case *b,
                                     bv_error *err)
{
    if (!a->timing.valid || !b->timing.valid || !bv_report_status_is_pass(a->status) ||
        !bv_report_status_is_pass(b->status))
        return BV_OK;
    bool kernel = a->timing.kernel_timed && b->timing.kernel_timed && a->timing.kernel_ns.n > 1 &&
                  b->timing.kernel_ns.n > 1;
    char group[64];
    snprintf(group, sizeof group, "%s.%s", bv_ref_family_name(a->family), bv_ref_op_name(a->op));
    bool changed = a->kernel_sha256[0] && b->kernel_sha256[0] && strcmp(a->kernel_sha256, b->kernel_sha256) != 0;
    return add_timing(bld, pair, a->name, group, kernel ? "kernel" : "end-to-end",
                      kernel ? &a->timing.kernel_ns : &a->timing.wall_ns,
                      kernel ? &b->timing.kernel_ns : &b->timing.wall_ns, changed, err);
}

static bv_status compare_runs(cmp_build *bld, size_t pair, const bv_report *a, const bv_report *b, bv_error *err)
{
    bv_status st = BV_OK;
    for (size_t p = 0; !st && p < rt_ntoolchain_parts; p++) {
        char ba[1024], bb[1024];
        st = add_env(bld, pair, rt_toolchain_parts[p].what, rt_toolchain_parts[p].fn(a, ba, sizeof ba),
                     rt_toolchain_parts[p].fn(b, bb, sizeof bb), err);
    }
    bv_report_module *ma = NULL, *mb = NULL;
    size_t nma = 0, nmb = 0;
    if (!st)
        st = bv_report_modules(a, &ma, &nma, err);
    if (!st)
        st = bv_report_modules(b, &mb, &nmb, err);
    for (size_t i = 0; !st && i < nma; i++)
        for (size_t j = 0; !st && j < nmb; j++)
            if (strcmp(ma[i].kernel, mb[j].kernel) == 0 && strcmp(ma[i].source, mb[j].source) == 0 &&
                strcmp(ma[i].sha256, mb[j].sha256) != 0) {
                char what[64];
                snprintf(what, sizeof what, "module %s", ma[i].kernel);
                st = add_env(bld, pair, what, ma[i].sha256, mb[j].sha256, err);
            }
    /* The same kernel name from different sources (built-in against a --kernel-dir file). */
    for (size_t i = 0; !st && i < nma; i++)
        for (size_t j = 0; !st && j < nmb; j++)
            if (strcmp(ma[i].kernel, mb[j].kernel) == 0 && strcmp(ma[i].source, mb[j].source) != 0 &&
                strcmp(ma[i].sha256, mb[j].sha256) != 0) {
                char what[64], va[1100], vb[1100];
                snprintf(what, sizeof what, "module %s", ma[i].kernel);
                snprintf(va, sizeof va, "%s (%s)", ma[i].sha256, ma[i].source);
                snprintf(vb, sizeof vb, "%s (%s)", mb[j].sha256, mb[j].source);
                st = add_env(bld, pair, what, va, vb, err);
            }
    free(ma);
    free(mb);

    for (size_t i = 0; !st && i < a->ncases; i++) {
        const bv_report_case *ca = &a->cases[i], *cb = bv_report_find_case(b, ca->name);
        if (!cb) {
            st = add_change(bld, pair, BV_CHANGE_DISAPPEARED, ca, NULL, err);
            continue;
        }
        if (ca->status != cb->status) {
            bool fa = bv_report_status_is_failure(ca->status), fb = bv_report_status_is_failure(cb->status);
            st = add_change(bld, pair, !fa && fb ? BV_CHANGE_NEW_FAILURE : fa && !fb ? BV_CHANGE_NEW_PASS : BV_CHANGE_STATUS,
                            ca, cb, err);
        }
        if (!st)
            st = compare_case_timing(bld, pair, ca, cb, err);
    }
    for (size_t i = 0; !st && i < b->ncases; i++)
        if (!bv_report_find_case(a, b->cases[i].name))
            st = add_change(bld, pair, BV_CHANGE_APPEARED, NULL, &b->cases[i], err);
    return st;
}

static bv_status compare_benches(cmp_build *bld, const bv_report_bench *a, const bv_report_bench *b, bv_error *err)
{
    char da[512], db[512];
    bv_status st = add_env(bld, 0, "blsvk_version", a->blsvk_version, b->blsvk_version, err);
    if (!st) st = add_env(bld, 0, "git_revision", a->git_revision, b->git_revision, err);
    if (!st) st = add_env(bld, 0, "device", a->device.name, b->device.name, err);
    if (!st) st = add_env(bld, 0, "vulkan_api", a->device.api_version_str, b->device.api_version_str, err);
    snprintf(da, sizeof da, "%s %s", a->device.driver_name, a->device.driver_version_str);
    snprintf(db, sizeof db, "%s %s", b->device.driver_name, b->device.driver_version_str);
    if (!st) st = add_env(bld, 0, "driver", da, db, err);
    for (size_t i = 0; !st && i < a->n; i++) {
        char ka[200], kb[200], group[64];
        bv_report_bench_entry_key(&a->entries[i], ka, sizeof ka);
        const bv_report_bench_entry *eb = NULL;
        for (size_t j = 0; j < b->n && !eb; j++) {
            bv_report_bench_entry_key(&b->entries[j], kb, sizeof kb);
            if (strcmp(ka, kb) == 0)
                eb = &b->entries[j];
        }
        if (!eb)
            continue;
        snprintf(group, sizeof group, "%s %s", a->entries[i].kind, a->entries[i].name);
        st = add_timing(bld, 0, ka, group, "bench", &a->entries[i].ns, &eb->ns, false, err);
    }
    return st;
}

static bv_status add_pair(cmp_build *bld, const bv_report *a, const bv_report *b, bv_error *err)
{
    bv_report_comparison *c = bld->c;
    if (bv_array_reserve(&c->pairs, &bld->pairs_cap, c->npairs + 1, sizeof *c->pairs, err))
        return BV_ERR_NOMEM;
    bv_report_compare_pair *p = &c->pairs[c->npairs++];
    memset(p, 0, sizeof *p);
    p->a = a;
    p->b = b;
    rt_device_label(a, p->label_a, sizeof p->label_a);
    rt_device_label(b, p->label_b, sizeof p->label_b);
    return BV_OK;
}

static bv_status add_unpaired(bv_report_comparison *c, const char *side, const bv_report *r, bv_error *err)
{
    char label[800], line[820];
    rt_device_label(r, label, sizeof label);
    snprintf(line, sizeof line, "%s: %s", side, label);
    char **nu = realloc(c->unpaired, (c->nunpaired + 1) * sizeof *nu);
    if (!nu)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    c->unpaired = nu;
    if (!(nu[c->nunpaired] = strdup(line)))
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    c->nunpaired++;
    return BV_OK;
}

/* Devices by slug (name and UUID): a new driver on the same board pairs with the old one. One
 * device on each side pairs whatever it is. */
static bv_status pair_sets(cmp_build *bld, const bv_report_set *a, const bv_report_set *b, bv_error *err)
{
    bv_status st = BV_OK;
    if (a->ndev == 1 && b->ndev == 1)
        return add_pair(bld, a->dev[0], b->dev[0], err);
    bool *used = calloc(b->ndev ? b->ndev : 1, sizeof *used);
    if (!used)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !st && i < a->ndev; i++) {
        char sa[300], sb[300];
        bv_report_device_slug(&a->dev[i]->run.device, sa, sizeof sa);
        size_t j = 0;
        for (; j < b->ndev; j++) {
            bv_report_device_slug(&b->dev[j]->run.device, sb, sizeof sb);
            if (!used[j] && strcmp(sa, sb) == 0)
                break;
        }
        if (j < b->ndev) {
            used[j] = true;
            st = add_pair(bld, a->dev[i], b->dev[j], err);
        } else {
            st = add_unpaired(bld->c, "only in A", a->dev[i], err);
        }
    }
    for (size_t j = 0; !st && j < b->ndev; j++)
        if (!used[j])
            st = add_unpaired(bld->c, "only in B", b->dev[j], err);
    free(used);
    return st;
}

static int change_cmp(const void *x, const void *y)
{
    const bv_report_case_change *a = x, *b = y;
    if (a->regression != b->regression)
        return a->regression ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->pair != b->pair)
        return a->pair < b->pair ? -1 : 1;
    return strcmp(a->name, b->name);
}

static int timing_cmp(const void *x, const void *y)
{
    const bv_report_timing_change *a = x, *b = y;
    if (a->r.verdict != b->r.verdict)
        return a->r.verdict < b->r.verdict ? -1 : 1;
    double ra = isnan(a->r.ratio) ? 0 : a->r.ratio, rb = isnan(b->r.ratio) ? 0 : b->r.ratio;
    if (ra != rb)
        return ra > rb ? -1 : 1;
    return strcmp(a->name, b->name);
}

void bv_report_comparison_destroy(bv_report_comparison *c)
{
    if (!c)
        return;
    bv_report_compare_input_destroy(c->a);
    bv_report_compare_input_destroy(c->b);
    free(c->pairs);
    for (size_t i = 0; i < c->nunpaired; i++)
        free(c->unpaired[i]);
    free(c->unpaired);
    free(c->changes);
    free(c->timings);
    free(c->env);
    free(c);
}

bv_status bv_report_compare(bv_report_compare_input *a, bv_report_compare_input *b, const bv_report_compare_opts *o,
                            bv_report_comparison **out, bv_error *err)
{
    bv_status st;
    cmp_build bld = {0};
    *out = NULL;
    bld.c = calloc(1, sizeof *bld.c);
    if (!bld.c) {
        bv_report_compare_input_destroy(a);
        bv_report_compare_input_destroy(b);
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    }
    bv_report_comparison *c = bld.c;
    c->a = a;
    c->b = b;
    c->opts = *o;
    if (!(o->max_slowdown >= 0) || !(o->confidence > 0 && o->confidence < 1)) {
        st = bv_error_set(err, BV_ERR_ARG, "a slowdown threshold of at least 0 and a confidence between 0 and 1");
        goto fail;
    }
    if (!a->set != !b->set) {
        st = bv_error_set(err, BV_ERR_ARG, "%s is %s and %s is %s: compare runs with runs, bench files with bench files",
                          a->path, a->set ? "a run" : "a bench file", b->path, b->set ? "a run" : "a bench file");
        goto fail;
    }
    if (a->set) {
        st = pair_sets(&bld, a->set, b->set, err);
        for (size_t p = 0; !st && p < c->npairs; p++)
            st = compare_runs(&bld, p, c->pairs[p].a, c->pairs[p].b, err);
    } else {
        st = bv_array_reserve(&c->pairs, &bld.pairs_cap, 1, sizeof *c->pairs, err);
        if (!st) {
            c->npairs = 1;
            memset(c->pairs, 0, sizeof *c->pairs);
            snprintf(c->pairs[0].label_a, sizeof c->pairs[0].label_a, "%s (%s %s)", a->bench->device.name,
                     a->bench->device.driver_name, a->bench->device.driver_version_str);
            snprintf(c->pairs[0].label_b, sizeof c->pairs[0].label_b, "%s (%s %s)", b->bench->device.name,
                     b->bench->device.driver_name, b->bench->device.driver_version_str);
            st = compare_benches(&bld, a->bench, b->bench, err);
        }
    }
    if (st)
        goto fail;
    /* qsort may not be given NULL, even for no elements. */
    if (c->nchanges)
        qsort(c->changes, c->nchanges, sizeof *c->changes, change_cmp);
    if (c->ntimings)
        qsort(c->timings, c->ntimings, sizeof *c->timings, timing_cmp);
    c->regression = c->new_failures > 0 || c->slowdowns > 0;
    *out = c;
    return BV_OK;
fail:
    bv_report_comparison_destroy(c);
    return st;
}
