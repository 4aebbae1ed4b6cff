/* harness/run.c: suites, filters and the execution of one case: inputs, reference
 * results, the kernel on the device, and a verdict from comparing every element. */
#define _GNU_SOURCE
#include "bv_run.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const char *const suite_names[] = {"quick", "full", NULL};
const char *const *bv_run_suite_names(void) { return suite_names; }

typedef struct case_list {
    bv_run_case *v;
    size_t n, cap;
} case_list;

static bv_status push_case_recipe(case_list *l, bv_family f, bv_op op, bv_limbs limbs, const char *recipe,
                                  bv_mode mode, bv_case_set set, size_t size, bv_error *err)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 256;
        bv_run_case *nv = realloc(l->v, ncap * sizeof *nv);
        if (!nv)
            return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        l->v = nv;
        l->cap = ncap;
    }
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
bv_status bv_run_suite(const char *suite, bv_run_case **cases, size_t *n, bv_error *err)
{
    static const size_t quick_random[] = {1, 4099};
    static const size_t full_random[] = {1, 63, 64, 65, 4099, 65536, 1048577};
    bool full;
    case_list l = {0};
    bv_status st = BV_OK;
    *cases = NULL;
    *n = 0;
    if (!suite || strcmp(suite, "quick") == 0)
        full = false;
    else if (strcmp(suite, "full") == 0)
        full = true;
    else
        return bv_error_set(err, BV_ERR_VALUE, "unknown suite '%s' (suites: quick, full)", suite);
    const size_t *rs = full ? full_random : quick_random;
    size_t nrs = full ? sizeof full_random / sizeof full_random[0] : sizeof quick_random / sizeof quick_random[0];
    size_t alias_size = full ? 65536 : 1031;
    for (int f = 0; f < BV_FAMILY_COUNT; f++)
        for (int op = 0; op < BV_OP_COUNT; op++)
            for (int lb = 0; lb < BV_LIMBS_COUNT; lb++)
                for (int m = BV_MODE_ONESHOT; m <= BV_MODE_PERSISTENT; m++) {
                    bool persistent = m == BV_MODE_PERSISTENT;
                    st = push_case(&l, f, op, lb, m, BV_SET_EDGE, 0, err);
                    /* One-shot rebuilds its pipeline every call: the quick suite keeps it to the edge set. */
                    for (size_t i = 0; !st && i < nrs && (persistent || full); i++)
                        st = push_case(&l, f, op, lb, m, BV_SET_RANDOM, rs[i], err);
                    if (!st && persistent && bv_ref_op_arity(op) == 2) {
                        st = push_case(&l, f, op, lb, m, BV_SET_INPLACE, alias_size, err);
                        if (!st)
                            st = push_case(&l, f, op, lb, m, BV_SET_SAMEIN, alias_size, err);
                    }
                    if (!st && persistent)
                        st = push_case(&l, f, op, lb, m, BV_SET_SPLIT, alias_size, err);
                    /* The same kernel through each spirv-opt recipe: a driver compiler bug shows
                     * up as one recipe disagreeing with the others. Optimising costs up to half a
                     * second a module: the quick suite takes add and mul only. */
                    bool recipes = persistent && (full || op == BV_OP_ADD || op == BV_OP_MUL);
                    for (const char *const *r = bv_kernel_recipe_names(); !st && recipes && *r; r++) {
                        st = push_case_recipe(&l, f, op, lb, *r, m, BV_SET_EDGE, 0, err);
                        if (!st && full)
                            st = push_case_recipe(&l, f, op, lb, *r, m, BV_SET_RANDOM, 65536, err);
                    }
                    if (st)
                        goto fail;
                }
    /* Pipelined mode: the edge set streamed in small chunks, several unequal jobs, and the
     * corner geometries on one op of each field. */
    for (int f = 0; f < BV_FAMILY_COUNT; f++)
        for (int op = 0; op < BV_OP_COUNT; op++)
            for (int lb = 0; lb < BV_LIMBS_COUNT; lb++) {
                st = push_case(&l, f, op, lb, BV_MODE_PIPELINED, BV_SET_EDGE, 0, err);
                if (!st)
                    st = push_case(&l, f, op, lb, BV_MODE_PIPELINED, BV_SET_MULTI, full ? 300007 : 5003, err);
                if (!st && full)
                    st = push_case(&l, f, op, lb, BV_MODE_PIPELINED, BV_SET_RANDOM, 1048577, err);
                if (!st && (op == BV_OP_MUL || full)) {
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
            if (fnmatch(p + 1, name, 0) == 0)
                return false;
        } else {
            any_include = true;
            if (fnmatch(p, name, 0) == 0)
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
    if ((out->set == BV_SET_EDGE) != (out->size == 0))
        return bv_error_set(err, BV_ERR_VALUE, "case name '%s': the edge set takes size 'all', the others a count",
                            name);
    if ((out->set == BV_SET_INPLACE || out->set == BV_SET_SAMEIN) &&
        (bv_ref_op_arity(out->op) != 2 || out->mode == BV_MODE_PIPELINED))
        return bv_error_set(err, BV_ERR_VALUE, "case name '%s': %s applies to binary ops in oneshot and persistent mode",
                            name, parts[4]);
    if (out->set == BV_SET_SPLIT && out->mode == BV_MODE_PIPELINED)
        return bv_error_set(err, BV_ERR_VALUE, "case name '%s': split applies to oneshot and persistent mode", name);
    if (out->set >= BV_SET_MULTI && out->mode != BV_MODE_PIPELINED)
        return bv_error_set(err, BV_ERR_VALUE, "case name '%s': %s applies to pipelined mode only", name, parts[4]);
    snprintf(out->name, sizeof out->name, "%s", name);
    return BV_OK;
}

/* Pipelined geometry of a case: how its elements are cut into jobs, chunks and buffer sets.
 * Explicit options win over the set's own choices. */
typedef struct stream_shape {
    size_t njobs;
    size_t sizes[8];
    size_t chunk;
    uint32_t buffers;
} stream_shape;

static void shape_for(bv_case_set set, size_t count, const bv_run_opts *o, stream_shape *sh)
{
    memset(sh, 0, sizeof *sh);
    sh->njobs = 1;
    sh->sizes[0] = count;
    switch (set) {
    case BV_SET_EDGE:
        sh->chunk = 97;
        sh->buffers = 3;
        break;
    case BV_SET_MULTI: {
        /* Five jobs in the ratio 1:3:2:5:rest, none a multiple of the chunk (a prime). */
        static const size_t parts[] = {1, 3, 2, 5};
        size_t used = 0;
        sh->njobs = 0;
        for (size_t i = 0; i < 4 && used < count; i++) {
            size_t n = count * parts[i] / 16;
            if (n == 0)
                n = 1;
            if (n > count - used)
                n = count - used;
            sh->sizes[sh->njobs++] = n;
            used += n;
        }
        if (used < count)
            sh->sizes[sh->njobs++] = count - used;
        sh->chunk = count >= 100000 ? 65521 : 997;
        break;
    }
    case BV_SET_CHUNK1:
        sh->chunk = 1;
        sh->buffers = 3;
        break;
    case BV_SET_MANYBUF:
        sh->buffers = 8;
        sh->chunk = count / 3 + 1;
        break;
    default:
        break;
    }
    if (o && o->chunk_elems)
        sh->chunk = o->chunk_elems;
    if (o && o->buffers)
        sh->buffers = o->buffers;
}

/* Streams a set through the kernel with its inputs and outputs in pinned memory. */
static bv_status run_stream(bv_vk_context *ctx, const bv_kernel *kernel, bv_family f, bv_op op, const uint8_t *x,
                            const uint8_t *y, uint8_t *got, size_t count, const stream_shape *sh, uint32_t warmup,
                            uint32_t reps, bv_vk_result *res, bv_error *err)
{
    bv_status st;
    size_t eb = bv_ref_family_bytes(f), bytes, total;
    unsigned arity = bv_ref_op_arity(op);
    uint8_t *pin = NULL;
    bv_vk_stream_job jobs[8];
    bv_vk_stream_result sr;
    memset(res, 0, sizeof *res);
    if (bv_size_mul(count, eb, &bytes) || bv_size_mul(bytes, arity + 1, &total))
        return bv_error_set(err, BV_ERR_OVERFLOW, "too many elements: %zu", count);
    st = bv_vk_pinned_alloc(ctx, total, (void **)&pin, err);
    if (st)
        return st;
    memcpy(pin, x, bytes);
    if (arity == 2)
        memcpy(pin + bytes, y, bytes);
    uint8_t *pout = pin + arity * bytes;
    size_t first = 0;
    for (size_t j = 0; j < sh->njobs; j++) {
        jobs[j] = (bv_vk_stream_job){.x = pin + first * eb,
                                     .y = arity == 2 ? pin + bytes + first * eb : NULL,
                                     .out = pout + first * eb,
                                     .count = sh->sizes[j]};
        first += sh->sizes[j];
    }
    bv_vk_stream s = {.code = kernel->code,
                      .code_size = kernel->code_size,
                      .arity = arity,
                      .elem_bytes = eb,
                      .jobs = jobs,
                      .njobs = sh->njobs,
                      .chunk_elems = sh->chunk,
                      .buffers = sh->buffers,
                      .warmup = warmup,
                      .reps = reps};
    st = bv_vk_run_stream(ctx, &s, &sr, err);
    if (!st) {
        memcpy(got, pout, bytes);
        res->wall_ns = sr.wall_ns;
        res->dispatches = (uint32_t)sr.chunks;
        res->windows = (uint32_t)sr.chunks;
        res->canary_ok = sr.canary_ok;
        snprintf(res->canary_msg, sizeof res->canary_msg, "%s", sr.canary_msg);
        if (sr.timed) {
            /* The kernel time of a stream is the compute queue's busy time. */
            res->kernel_timed = true;
            res->kernel_ns.n = 1;
            res->kernel_ns.median = res->kernel_ns.p10 = res->kernel_ns.p90 = res->kernel_ns.min = sr.busy_ns[1];
        }
        bv_vk_stream_result_free(&sr);
    }
    bv_vk_pinned_free(ctx, pin);
    return st;
}

bv_status bv_run_vectors(bv_vk_context *ctx, const bv_kernel *kernel, const bv_vec_set *set, bv_mode mode,
                         const bv_run_opts *opts, uint8_t *got, bv_vk_result *res, bv_error *err)
{
    bv_memory memory = opts ? opts->memory : BV_MEMORY_DEVICE;
    if (mode == BV_MODE_PIPELINED && !kernel->error) {
        stream_shape sh;
        shape_for(BV_SET_RANDOM, set->count, opts, &sh);
        return run_stream(ctx, kernel, set->family, set->op, set->x, set->y, got, set->count, &sh, 0, 1, res, err);
    }
    bv_vk_job job = {
        .code = kernel->code,
        .code_size = kernel->code_size,
        .arity = bv_ref_op_arity(set->op),
        .elem_bytes = bv_ref_family_bytes(set->family),
        .count = set->count,
        .x = set->x,
        .y = set->y,
        .out = got,
        .alias = BV_ALIAS_NONE,
        .mode = mode,
        .memory = memory,
        .reps = 1,
    };
    if (kernel->error)
        return bv_error_set(err, BV_ERR_SHADER, "%s: %s", kernel->source, kernel->error);
    if (kernel->needs_int64 && !bv_vk_context_device(ctx)->shader_int64)
        return bv_error_set(err, BV_ERR_UNSUPPORTED, "%s needs shaderInt64, which %s lacks", kernel->name,
                            bv_vk_context_device(ctx)->name);
    return bv_vk_run(ctx, &job, res, err);
}

static uint32_t limb_diff(const uint8_t *a, const uint8_t *b, size_t bytes)
{
    uint32_t mask = 0;
    for (size_t l = 0; l < bytes / 4; l++)
        if (memcmp(a + 4 * l, b + 4 * l, 4) != 0)
            mask |= 1u << l;
    return mask;
}

/* A small vector file holding the failing elements, so that `blsvk eval` replays them. */
static bv_status write_replay(const bv_run_case *c, const bv_vec_set *in, const uint8_t *expected,
                              const uint8_t *got, const char *dir, char *path_out, size_t path_n, bv_error *err)
{
    enum { MAX_REPLAY = 64 };
    size_t eb = bv_ref_family_bytes(in->family), k = 0, nbad = 0;
    bv_vec_set *r = NULL;
    bv_status st;
    for (size_t i = 0; i < in->count; i++)
        if (memcmp(expected + i * eb, got + i * eb, eb) != 0)
            nbad++;
    if (nbad > MAX_REPLAY)
        nbad = MAX_REPLAY;
    st = bv_vec_set_create(in->family, in->op, nbad, true, &r, err);
    if (st)
        return st;
    r->expected = malloc(nbad ? nbad * eb : 1);
    if (!r->expected) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < in->count && k < nbad; i++) {
        if (memcmp(expected + i * eb, got + i * eb, eb) == 0)
            continue;
        char nm[128];
        bv_vec_name(in, i, nm, sizeof nm);
        r->names[k] = strdup(nm);
        if (!r->names[k]) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        memcpy(r->x + k * eb, in->x + i * eb, eb);
        if (r->y)
            memcpy(r->y + k * eb, (c->set == BV_SET_SAMEIN ? in->x : in->y) + i * eb, eb);
        memcpy(r->expected + k * eb, expected + i * eb, eb);
        k++;
    }
    st = bv_mkdir_p(dir, err);
    if (st)
        goto fail;
    snprintf(path_out, path_n, "%s/%s.json", dir, c->name);
    st = bv_vec_write_json(path_out, r, err);
    if (st)
        goto fail;
    bv_vec_set_destroy(r);
    return BV_OK;
fail:
    path_out[0] = '\0';
    bv_vec_set_destroy(r);
    return st;
}

static void set_result(bv_report_case *out, bv_report_status s, const char *reason)
{
    out->status = s;
    snprintf(out->reason, sizeof out->reason, "%s", reason ? reason : "");
}

bv_status bv_run_case_execute(bv_vk_context *ctx, bv_vk_instance *inst, const bv_kernel *kernel,
                              const bv_run_case *c, const bv_run_opts *opts, bv_report_case *out, bool *device_gone,
                              bv_error *err)
{
    bv_status st = BV_OK;
    bv_vec_set *set = NULL;
    uint8_t *expected = NULL, *got = NULL;
    bv_error kerr;
    uint64_t t0 = bv_time_ns();
    size_t eb = bv_ref_family_bytes(c->family);
    unsigned arity = bv_ref_op_arity(c->op);
    const bv_device_info *dev = bv_vk_context_device(ctx);

    memset(out, 0, sizeof *out);
    *device_gone = false;
    snprintf(out->name, sizeof out->name, "%s", c->name);
    out->family = c->family;
    out->op = c->op;
    out->limbs = c->limbs;
    out->mode = c->mode;
    out->set = c->set;
    out->size = c->size;

    if (!kernel) {
        set_result(out, BV_RESULT_NOT_SUPPORTED, "no kernel for this variant");
        goto done;
    }
    snprintf(out->kernel_source, sizeof out->kernel_source, "%s", kernel->source);
    snprintf(out->kernel_sha256, sizeof out->kernel_sha256, "%s", kernel->sha256);
    if (kernel->error) {
        char why[1024];
        snprintf(why, sizeof why, "kernel rejected: %s", kernel->error);
        set_result(out, BV_RESULT_FAIL, why);
        goto done;
    }
    if (c->recipe[0]) {
        /* The recipe's module is the one under test; a recipe that cannot optimise or that
         * produces an invalid module fails the case, not the run. */
        const bv_kernel *opt;
        if (bv_kernel_with_recipe(kernel, c->recipe, &opt, &kerr) != BV_OK) {
            char why[1100];
            snprintf(why, sizeof why, "kernel rejected: %s", kerr.msg);
            set_result(out, kerr.status == BV_ERR_NOMEM ? BV_RESULT_INTERNAL_ERROR : BV_RESULT_FAIL, why);
            goto done;
        }
        kernel = opt;
        snprintf(out->kernel_source, sizeof out->kernel_source, "%s", kernel->source);
        snprintf(out->kernel_sha256, sizeof out->kernel_sha256, "%s", kernel->sha256);
    }
    if (kernel->needs_int64 && !dev->shader_int64) {
        set_result(out, BV_RESULT_NOT_SUPPORTED, "the u64 variant needs shaderInt64, which this device lacks");
        goto done;
    }
    if (c->mode == BV_MODE_PIPELINED && !dev->timeline_semaphore) {
        set_result(out, BV_RESULT_NOT_SUPPORTED, "pipelined mode needs timeline semaphores (Vulkan 1.2)");
        goto done;
    }

    uint64_t seed = opts->seed ? opts->seed : 1;
    if (c->set == BV_SET_EDGE)
        st = bv_vec_edge(c->family, c->op, &set, err);
    else
        st = bv_vec_random(c->family, c->op, seed, 0, c->size, &set, err);
    if (st)
        goto fail;
    out->elements = set->count;
    size_t bytes;
    if (bv_size_mul(set->count, eb, &bytes)) {
        st = bv_error_set(err, BV_ERR_OVERFLOW, "%s: too many elements", c->name);
        goto fail;
    }
    expected = malloc(bytes ? bytes : 1);
    got = malloc(bytes ? bytes : 1);
    if (!expected || !got) {
        st = bv_error_set(err, BV_ERR_NOMEM, "%s: out of memory for %zu elements", c->name, set->count);
        goto fail;
    }
    const uint8_t *y = c->set == BV_SET_SAMEIN ? set->x : set->y;
    st = bv_ref_batch(c->family, c->op, expected, set->x, arity == 2 ? y : NULL, set->count, opts->threads, err);
    if (st)
        goto fail;

    bv_vk_job job = {
        .code = kernel->code,
        .code_size = kernel->code_size,
        .arity = arity,
        .elem_bytes = eb,
        .count = set->count,
        .x = set->x,
        .y = set->y,
        .out = got,
        .alias = c->set == BV_SET_INPLACE ? BV_ALIAS_OUT_X : c->set == BV_SET_SAMEIN ? BV_ALIAS_X_Y : BV_ALIAS_NONE,
        .mode = c->mode,
        .memory = opts->memory,
        .warmup = opts->warmup,
        .reps = opts->reps ? opts->reps : 1,
        .max_groups = c->set == BV_SET_SPLIT ? 1 : 0,
    };
    bv_vk_result res;
    bv_error_clear(&kerr);
    bv_status kst;
    if (c->mode == BV_MODE_PIPELINED) {
        stream_shape sh;
        shape_for(c->set, set->count, opts, &sh);
        kst = run_stream(ctx, kernel, c->family, c->op, set->x, set->y, got, set->count, &sh, job.warmup, job.reps,
                         &res, &kerr);
    } else {
        kst = bv_vk_run(ctx, &job, &res, &kerr);
    }
    if (kst) {
        bv_report_status rs = kst == BV_ERR_TIMEOUT       ? BV_RESULT_TIMEOUT
                              : kst == BV_ERR_DEVICE_LOST ? BV_RESULT_DEVICE_LOST
                              : kst == BV_ERR_UNSUPPORTED ? BV_RESULT_NOT_SUPPORTED
                                                          : BV_RESULT_INTERNAL_ERROR;
        set_result(out, rs, kerr.msg);
        if (rs == BV_RESULT_TIMEOUT || rs == BV_RESULT_DEVICE_LOST) {
            bv_error rerr;
            if (bv_vk_context_reset(ctx, &rerr) != BV_OK) {
                *device_gone = true;
                size_t l = strlen(out->reason);
                snprintf(out->reason + l, sizeof out->reason - l, "; %s", rerr.msg);
            }
        }
        goto done;
    }
    out->dispatches = res.dispatches;

    /* Every element is compared; the first few mismatches are kept with their limbs. */
    for (size_t i = 0; i < set->count; i++) {
        if (memcmp(expected + i * eb, got + i * eb, eb) == 0)
            continue;
        if (out->nfirst < BV_REPORT_MAX_MISMATCHES) {
            bv_report_mismatch *m = &out->first[out->nfirst++];
            m->index = i;
            bv_vec_name(set, i, m->name, sizeof m->name);
            m->ninputs = arity;
            bv_ref_hex_format(c->family, set->x + i * eb, m->inputs[0]);
            if (arity == 2)
                bv_ref_hex_format(c->family, y + i * eb, m->inputs[1]);
            bv_ref_hex_format(c->family, expected + i * eb, m->expected);
            bv_ref_hex_format(c->family, got + i * eb, m->got);
            m->limb_diff = limb_diff(expected + i * eb, got + i * eb, eb);
        }
        out->mismatches++;
    }
    if (out->mismatches) {
        char why[256];
        snprintf(why, sizeof why, "%zu of %zu elements differ from the reference (first at index %zu)",
                 out->mismatches, set->count, out->first[0].index);
        set_result(out, BV_RESULT_FAIL, why);
        if (opts->replay_dir) {
            st = write_replay(c, set, expected, got, opts->replay_dir, out->replay, sizeof out->replay, err);
            if (st)
                goto fail;
        }
    } else if (!res.canary_ok) {
        set_result(out, BV_RESULT_FAIL, res.canary_msg);
    } else {
        set_result(out, BV_RESULT_PASS, NULL);
    }

    bv_report_timing *t = &out->timing;
    t->valid = true;
    t->reps = job.reps;
    t->kernel_timed = res.kernel_timed;
    t->kernel_ns = res.kernel_ns;
    t->wall_ns = res.wall_ns;
    t->bytes_per_elem = (double)((arity + 1) * eb);
    if (res.kernel_timed && res.kernel_ns.median > 0) {
        t->kernel_elems_per_s = (double)set->count / (res.kernel_ns.median * 1e-9);
        t->kernel_bytes_per_s = t->kernel_elems_per_s * t->bytes_per_elem;
    }
    if (res.wall_ns.median > 0)
        t->wall_elems_per_s = (double)set->count / (res.wall_ns.median * 1e-9);

done:
    if (inst) {
        char msgs[1024];
        size_t nmsg = bv_vk_take_validation_messages(inst, msgs, sizeof msgs);
        if (nmsg && out->status == BV_RESULT_PASS) {
            char why[1024];
            snprintf(why, sizeof why, "%zu validation message%s: %s", nmsg, nmsg == 1 ? "" : "s", msgs);
            set_result(out, BV_RESULT_FAIL, why);
        }
    }
    out->seconds = (double)(bv_time_ns() - t0) * 1e-9;
    bv_vec_set_destroy(set);
    free(expected);
    free(got);
    return BV_OK;
fail:
    bv_vec_set_destroy(set);
    free(expected);
    free(got);
    bv_error_prefix(err, "%s", c->name);
    return st;
}
