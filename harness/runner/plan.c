/* harness/runner/plan.c: what a run contains: the suites' case lists, case names (made and
 * parsed back), filters, the kernel each case runs and shards of a list. */
#define _GNU_SOURCE
#include "bv_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const char *const suite_names[] = {"quick", "full", "curve", NULL};
const char *const *bv_run_suite_names(void) { return suite_names; }

typedef struct case_list {
    bv_run_case *v;
    size_t n, cap;
} case_list;

bool bv_run_set_applies(const bv_ref_op_info *info, bv_case_set set)
{
    if (!info)
        return false;
    if (set == BV_SET_INPLACE)
        return info->arity == 2 && info->out_bytes == info->in_bytes[0];
    if (set == BV_SET_SAMEIN)
        return info->arity == 2 && info->in_bytes[0] == info->in_bytes[1];
    return true;
}

static bv_status push_case_recipe(case_list *l, bv_family f, bv_op op, bv_limbs limbs, const char *recipe,
                                  bv_mode mode, bv_case_set set, size_t size, bv_error *err)
{
    bv_status st = bv_array_reserve(&l->v, &l->cap, l->n + 1, sizeof *l->v, err);
    if (st)
        return st;
    bv_run_case *c = &l->v[l->n++];
    memset(c, 0, sizeof *c);
    c->family = f;
    c->op = op;
    c->limbs = limbs;
    c->mode = mode;
    c->set = set;
    c->size = size;
    char sz[32];
    if (size)
        snprintf(sz, sizeof sz, "%zu", size);
    else
        snprintf(sz, sizeof sz, "all");
    snprintf(c->recipe, sizeof c->recipe, "%s", recipe ? recipe : "");
    snprintf(c->name, sizeof c->name, "%s.%s.%s%s%s.%s.%s.%s", bv_ref_family_name(f), bv_ref_op_name(op),
             bv_limbs_name(limbs), c->recipe[0] ? "+" : "", c->recipe, bv_mode_name(mode), bv_case_set_name(set),
             sz);
    return BV_OK;
}

static bv_status push_case(case_list *l, bv_family f, bv_op op, bv_limbs limbs, bv_mode mode, bv_case_set set,
                           size_t size, bv_error *err)
{
    return push_case_recipe(l, f, op, limbs, NULL, mode, set, size, err);
}

/* Sizes are chosen to cross workgroup boundaries (64 by default): 1, a prime, sizes either
 * side of a multiple, and in the full suite sizes large enough to split dispatches. */
/* The point ops whose modules a CPU device compiles in seconds (docs/PERFORMANCE.md, "Curve
 * kernels on lavapipe"): negations, and G1's doubling and conversion to affine. The quick suite
 * runs them beside the field ops; G1's additions and scalar multiplications, and G2's products,
 * take lavapipe a minute to twenty a module and stay in the curve and full suites. */
static bool quick_point_op(int f, bv_op op)
{
    return op == BV_OP_NEG || (f == BV_FAMILY_G1 && (op == BV_OP_DBL || op == BV_OP_TO_AFFINE));
}

/* Whether a suite plans op of family f: the full suite every one, the quick suite the fields,
 * Fp2 and the quick point ops, the curve suite every point op. */
static bool in_suite(int f, bv_op op, bool full, bool curve)
{
    if (full)
        return true;
    if (!bv_ref_family(f)->points)
        return !curve;
    return curve || quick_point_op(f, op);
}

static bv_status plan_workloads(case_list *l, bool full, bool curve, bv_error *err)
{
    static const size_t ntt_edge_quick[] = {1, 16}, ntt_random_quick[] = {2, 1024};
    static const size_t ntt_edge_full[] = {1, 2, 16, 1024}, ntt_random_full[] = {2, 1024, 65536, 1048576};
    static const size_t msm_edge_quick[] = {64}, msm_random_quick[] = {64};
    static const size_t msm_edge_full[] = {1, 64, 1024}, msm_random_full[] = {64, 65536, 1048576};
    bv_status st = BV_OK;
    for (int op = BV_OP_NTT; op < BV_OP_COUNT && !st; op++) {
        bool msm = op == BV_OP_MSM;
        bv_family f = bv_ref_workload_family((bv_op)op);
        for (int lb = BV_LIMBS_U32; lb <= BV_LIMBS_U64 && !st; lb++) {
            if (!full && (msm ? curve == (lb == BV_LIMBS_U64) : curve))
                continue;
            const size_t *es = msm ? (full ? msm_edge_full : msm_edge_quick) : full ? ntt_edge_full : ntt_edge_quick;
            const size_t *rs = msm ? (full ? msm_random_full : msm_random_quick) : full ? ntt_random_full : ntt_random_quick;
            size_t ne = msm ? (full ? 3 : 1) : full ? 4 : 2, nr = msm ? (full ? 3 : 1) : full ? 4 : 2;
            for (size_t i = 0; i < ne && !st; i++)
                st = push_case(l, f, (bv_op)op, (bv_limbs)lb, BV_MODE_PERSISTENT, BV_SET_EDGE, es[i], err);
            for (size_t i = 0; i < nr && !st; i++)
                st = push_case(l, f, (bv_op)op, (bv_limbs)lb, BV_MODE_PERSISTENT, BV_SET_RANDOM, rs[i], err);
            /* One-shot makes the pipelines for every input: one random input, and for the MSM
             * (a minute's compile a pipeline on a CPU device) only in the full suite. */
            if (!st && (full || !msm))
                st = push_case(l, f, (bv_op)op, (bv_limbs)lb, BV_MODE_ONESHOT, BV_SET_RANDOM, rs[0], err);
            /* Pipelined: a batch of random inputs through a ring of buffer sets, at the largest
             * quick size (the MSM only in the full suite, at 2^16 points). */
            if (!st && (full || !msm))
                st = push_case(l, f, (bv_op)op, (bv_limbs)lb, BV_MODE_PIPELINED, BV_SET_RANDOM,
                               msm ? 65536 : full ? 65536 : 1024, err);
        }
    }
    /* The forward transform at 2^24 (its reference takes half a minute). */
    for (int lb = BV_LIMBS_U32; lb <= BV_LIMBS_U64 && full && !st; lb++)
        st = push_case(l, BV_FAMILY_FR, BV_OP_NTT, (bv_limbs)lb, BV_MODE_PERSISTENT, BV_SET_RANDOM, (size_t)1 << 24,
                       err);
    return st;
}

bv_status bv_run_suite(const char *suite, bv_run_case **cases, size_t *n, bv_error *err)
{
    static const size_t quick_random[] = {1, 4099};
    static const size_t full_random[] = {1, 63, 64, 65, 4099, 65536, 1048577};
    bool full;
    case_list l = {0};
    bv_status st = BV_OK;
    *cases = NULL;
    *n = 0;
    if ((st = bv_ref_init(err)) != BV_OK)
        return st;
    /* Most of the curve families' (points') modules compile for minutes on a CPU device
     * (lavapipe): the quick suite takes the few that do not (quick_point_op) and leaves the rest
     * to the curve suite (the quick suite's plan for every point op) and the full suite; no suite
     * puts them through the spirv-opt recipes (spirv-opt -O runs for minutes and out of memory on
     * them). */
    bool curve = false;
    if (!suite || strcmp(suite, "quick") == 0)
        full = false;
    else if (strcmp(suite, "full") == 0)
        full = true;
    else if (strcmp(suite, "curve") == 0)
        full = false, curve = true;
    else
        return bv_error_set(err, BV_ERR_VALUE, "unknown suite '%s' (suites: quick, full, curve)", suite);
    const size_t *rs = full ? full_random : quick_random;
    size_t nrs = full ? sizeof full_random / sizeof full_random[0] : sizeof quick_random / sizeof quick_random[0];
    size_t alias_size = full ? 65536 : 1031;
    /* Families and their ops come from the reference's table: a new family is planned with no
     * change here. */
    for (int f = 0; f < BV_FAMILY_COUNT; f++)
        for (size_t oi = 0; oi < bv_ref_family(f)->nops; oi++)
            for (int lb = 0; lb < BV_LIMBS_COUNT; lb++)
                for (int m = BV_MODE_ONESHOT; m <= BV_MODE_PERSISTENT; m++) {
                    const bv_ref_op_info *info = &bv_ref_family(f)->ops[oi];
                    bv_op op = info->op;
                    bool persistent = m == BV_MODE_PERSISTENT;
                    /* A limb width only where it has a kernel: f64 for the ops with products. */
                    if (!in_suite(f, op, full, curve) || !bv_kernel_builtin((bv_family)f, op, (bv_limbs)lb))
                        continue;
                    st = push_case(&l, f, op, lb, m, BV_SET_EDGE, 0, err);
                    /* One-shot rebuilds its pipeline every call: the quick suite keeps it to the edge set. */
                    for (size_t i = 0; !st && i < nrs && (persistent || full); i++)
                        st = push_case(&l, f, op, lb, m, BV_SET_RANDOM, rs[i], err);
                    /* Aliased bindings where the op allows them: out over x needs elements of one
                     * size (a point, not a point and a scalar), and so does x = y. */
                    if (!st && persistent && bv_run_set_applies(info, BV_SET_INPLACE))
                        st = push_case(&l, f, op, lb, m, BV_SET_INPLACE, alias_size, err);
                    if (!st && persistent && bv_run_set_applies(info, BV_SET_SAMEIN))
                        st = push_case(&l, f, op, lb, m, BV_SET_SAMEIN, alias_size, err);
                    if (!st && persistent)
                        st = push_case(&l, f, op, lb, m, BV_SET_SPLIT, alias_size, err);
                    /* The same kernel through each spirv-opt recipe: a driver compiler bug shows
                     * up as one recipe disagreeing with the others. Optimising costs up to half a
                     * second a module: the quick suite takes add and mul only. */
                    bool recipes = persistent && !bv_ref_family(f)->points &&
                                   (full || (info->tags & (BV_REF_TAG_SUM | BV_REF_TAG_PRODUCT)));
                    for (const char *const *r = bv_kernel_recipe_names(); !st && recipes && *r; r++) {
                        if (strcmp(*r, BV_KERNEL_RECIPE_POISON) == 0)
                            continue;
                        st = push_case_recipe(&l, f, op, lb, *r, m, BV_SET_EDGE, 0, err);
                        if (!st && full)
                            st = push_case_recipe(&l, f, op, lb, *r, m, BV_SET_RANDOM, 65536, err);
                    }
                    /* Every op's edge set with its uninitialised variables poisoned (a word
                     * rewrite, no optimiser: cheap for the curve kernels too); the full suite
                     * every set. */
                    if (!st && persistent)
                        st = push_case_recipe(&l, f, op, lb, BV_KERNEL_RECIPE_POISON, m, BV_SET_EDGE, 0, err);
                    for (size_t i = 0; !st && persistent && full && i < nrs; i++)
                        st = push_case_recipe(&l, f, op, lb, BV_KERNEL_RECIPE_POISON, m, BV_SET_RANDOM, rs[i], err);
                    if (st)
                        goto fail;
                }
    /* Workloads (docs/workload-abi.md), persistent: every named edge input at a size, as one
     * case, and seeded random inputs; one random input one-shot too (pipelines made for the call). The
     * NTTs are cheap anywhere; the MSM's module takes a CPU device about a minute to compile a
     * limb width, so the quick suite runs its u64 form and the curve suite its u32 one. */
    if ((st = plan_workloads(&l, full, curve, err)))
        goto fail;
    /* Pipelined mode: the edge set streamed in small chunks, several unequal jobs, and the
     * corner geometries on one op of each field. */
    for (int f = 0; f < BV_FAMILY_COUNT; f++)
        for (size_t oi = 0; oi < bv_ref_family(f)->nops; oi++)
            for (int lb = 0; lb < BV_LIMBS_COUNT; lb++) {
                const bv_ref_op_info *info = &bv_ref_family(f)->ops[oi];
                bv_op op = info->op;
                if (!in_suite(f, op, full, curve) || !bv_kernel_builtin((bv_family)f, op, (bv_limbs)lb))
                    continue;
                st = push_case(&l, f, op, lb, BV_MODE_PIPELINED, BV_SET_EDGE, 0, err);
                if (!st)
                    st = push_case(&l, f, op, lb, BV_MODE_PIPELINED, BV_SET_MULTI, full ? 300007 : 5003, err);
                if (!st && full)
                    st = push_case(&l, f, op, lb, BV_MODE_PIPELINED, BV_SET_RANDOM, 1048577, err);
                if (!st && ((info->tags & BV_REF_TAG_PRODUCT) || full)) {
                    st = push_case(&l, f, op, lb, BV_MODE_PIPELINED, BV_SET_CHUNK1, 37, err);
                    if (!st)
                        st = push_case(&l, f, op, lb, BV_MODE_PIPELINED, BV_SET_MANYBUF, 100, err);
                }
                if (st)
                    goto fail;
            }
    *cases = l.v;
    *n = l.n;
    return BV_OK;
fail:
    free(l.v);
    return st;
}

bool bv_run_filter_match(const char *const *patterns, size_t n, const char *name)
{
    bool any_include = false, included = false;
    for (size_t i = 0; i < n; i++) {
        const char *p = patterns[i];
        if (p[0] == '-') {
            if (bv_report_glob_match(p + 1, name))
                return false;
        } else {
            any_include = true;
            if (bv_report_glob_match(p, name))
                included = true;
        }
    }
    return !any_include || included;
}

size_t bv_run_filter(bv_run_case *cases, size_t n, const char *const *patterns, size_t npatterns)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (bv_run_filter_match(patterns, npatterns, cases[i].name))
            cases[k++] = cases[i];
    return k;
}

bv_status bv_run_case_parse(const char *name, bv_run_case *out, bv_error *err)
{
    char buf[160], *parts[6], *save = NULL;
    int k = 0;
    if (strlen(name) >= sizeof buf)
        return bv_error_set(err, BV_ERR_VALUE, "case name too long: '%s'", name);
    snprintf(buf, sizeof buf, "%s", name);
    for (char *t = strtok_r(buf, ".", &save); t && k < 7; t = strtok_r(NULL, ".", &save))
        if (k < 6)
            parts[k++] = t;
        else
            k++;
    if (k != 6)
        return bv_error_set(err, BV_ERR_VALUE,
                            "case name '%s' is not <field>.<op>.<limbs>.<mode>.<set>.<size>", name);
    memset(out, 0, sizeof *out);
    char *plus = strchr(parts[2], '+');
    if (plus) {
        *plus++ = '\0';
        if (!bv_kernel_recipe_about(plus) || strlen(plus) >= sizeof out->recipe)
            return bv_error_set(err, BV_ERR_VALUE, "case name '%s': unknown spirv-opt recipe '%s'", name, plus);
        snprintf(out->recipe, sizeof out->recipe, "%s", plus);
    }
    if (bv_ref_family_parse(parts[0], &out->family) || bv_ref_op_parse(parts[1], &out->op) ||
        bv_limbs_parse(parts[2], &out->limbs) || bv_mode_parse(parts[3], &out->mode))
        return bv_error_set(err, BV_ERR_VALUE, "case name '%s': unknown field, op, limbs or mode", name);
    if (bv_case_set_parse(parts[4], &out->set))
        return bv_error_set(err, BV_ERR_VALUE, "case name '%s': unknown set '%s'", name, parts[4]);
    if (strcmp(parts[5], "all") == 0) {
        out->size = 0;
    } else {
        char *end;
        unsigned long long v = strtoull(parts[5], &end, 10);
        if (*end || v == 0 || v > BV_VEC_MAX_COUNT)
            return bv_error_set(err, BV_ERR_VALUE, "case name '%s': bad size '%s'", name, parts[5]);
        out->size = (size_t)v;
    }
    if (bv_ref_op_is_workload(out->op)) {
        /* A workload's size is its n, a power of two, for the edge inputs as for a random one. */
        if (out->family != bv_ref_workload_family(out->op) || (out->set != BV_SET_EDGE && out->set != BV_SET_RANDOM) ||
            out->recipe[0] || out->size == 0 || (out->size & (out->size - 1)) != 0)
            return bv_error_set(err, BV_ERR_VALUE,
                                "case name '%s': a workload is %s.%s, in oneshot, persistent or pipelined mode, with "
                                "the edge or random set at a size that is a power of two",
                                name, bv_ref_family_name(bv_ref_workload_family(out->op)), parts[1]);
        snprintf(out->name, sizeof out->name, "%s", name);
        return BV_OK;
    }
    if ((out->set == BV_SET_EDGE) != (out->size == 0))
        return bv_error_set(err, BV_ERR_VALUE, "case name '%s': the edge set takes size 'all', the others a count",
                            name);
    if ((out->set == BV_SET_INPLACE || out->set == BV_SET_SAMEIN) &&
        (!bv_run_set_applies(bv_ref_family_op(out->family, out->op), out->set) || out->mode == BV_MODE_PIPELINED))
        return bv_error_set(err, BV_ERR_VALUE,
                            "case name '%s': %s applies to binary ops whose aliased arrays have elements of one size, "
                            "in oneshot and persistent mode",
                            name, parts[4]);
    if (out->set == BV_SET_SPLIT && out->mode == BV_MODE_PIPELINED)
        return bv_error_set(err, BV_ERR_VALUE, "case name '%s': split applies to oneshot and persistent mode", name);
    if (out->set >= BV_SET_MULTI && out->mode != BV_MODE_PIPELINED)
        return bv_error_set(err, BV_ERR_VALUE, "case name '%s': %s applies to pipelined mode only", name, parts[4]);
    snprintf(out->name, sizeof out->name, "%s", name);
    return BV_OK;
}


const bv_kernel *bv_run_case_kernel(const bv_kernel_set *user, const bv_run_case *c)
{
    if (user)
        return bv_kernel_set_find(user, c->family, c->op, c->limbs);
    return bv_kernel_builtin(c->family, c->op, c->limbs);
}

size_t bv_run_shard(bv_run_case *cases, size_t n, uint32_t shard_index, uint32_t shard_count)
{
    /* The parts are disjoint and cover the list, and the heavy cases spread evenly since the
     * suite cycles through sizes. */
    if (shard_count <= 1)
        return n;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (i % shard_count == shard_index - 1)
            cases[k++] = cases[i];
    return k;
}

bv_status bv_run_plan_list(const char *suite, const char *const *filters, size_t nfilters,
                           const bv_report_baseline *caselist, const bv_kernel_set *user, bv_run_case **cases,
                           size_t *n, bv_error *err)
{
    bv_status st = bv_run_suite(suite, cases, n, err);
    if (st)
        return st;
    /* Every line of a case list must name a case of the suite: a typo, or a list of another
     * suite's cases, would otherwise run less than the list says, in silence. */
    for (size_t e = 0; caselist && e < caselist->n; e++) {
        size_t i = 0;
        while (i < *n && !bv_report_glob_match(caselist->entries[e].pattern, (*cases)[i].name))
            i++;
        if (i == *n) {
            st = bv_error_set(err, BV_ERR_VALUE, "%s: line %u: '%s' matches no case of the %s suite (see blsvk list)",
                              caselist->path, caselist->entries[e].line, caselist->entries[e].pattern,
                              suite ? suite : "quick");
            free(*cases);
            *cases = NULL;
            *n = 0;
            return st;
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        const bv_run_case *c = &(*cases)[i];
        if (!bv_run_filter_match(filters, nfilters, c->name))
            continue;
        if (caselist && !bv_report_baseline_match(caselist, c->name))
            continue;
        if (user && !bv_run_case_kernel(user, c))
            continue;
        (*cases)[k++] = *c;
    }
    *n = k;
    return BV_OK;
}

bv_status bv_run_plan(const char *suite, const char *const *filters, size_t nfilters, const bv_kernel_set *user,
                      uint32_t shard_index, uint32_t shard_count, bv_run_case **cases, size_t *n, bv_error *err)
{
    bv_status st = bv_run_plan_list(suite, filters, nfilters, NULL, user, cases, n, err);
    if (!st)
        *n = bv_run_shard(*cases, *n, shard_index, shard_count);
    return st;
}
