/* harness/runner/case.c: one case from its name to its verdict: vectors, the reference, the
 * kernel run in the case's mode, every element compared, and a replay file for failures. */
#define _GNU_SOURCE
#include "run_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Pipelined geometry of a case: how its elements are cut into jobs, chunks and buffer sets.
 * Explicit options win over the set's own choices. */
static void shape_for(bv_case_set set, size_t count, const bv_run_opts *o, bv_vk_job *job)
{
    job->njobs = 0;
    job->chunk_elems = 0;
    job->buffers = 0;
    switch (set) {
    case BV_SET_EDGE:
        job->chunk_elems = 97;
        job->buffers = 3;
        break;
    case BV_SET_MULTI: {
        /* Five jobs in the ratio 1:3:2:5:rest, none a multiple of the chunk (a prime). */
        static const size_t parts[] = {1, 3, 2, 5};
        size_t used = 0;
        for (size_t i = 0; i < 4 && used < count; i++) {
            size_t n = count * parts[i] / 16;
            if (n == 0)
                n = 1;
            if (n > count - used)
                n = count - used;
            job->job_sizes[job->njobs++] = n;
            used += n;
        }
        if (used < count)
            job->job_sizes[job->njobs++] = count - used;
        job->chunk_elems = count >= 100000 ? 65521 : 997;
        break;
    }
    case BV_SET_CHUNK1:
        job->chunk_elems = 1;
        job->buffers = 3;
        break;
    case BV_SET_MANYBUF:
        job->buffers = 8;
        job->chunk_elems = count / 3 + 1;
        break;
    default:
        break;
    }
    if (o && o->chunk_elems)
        job->chunk_elems = o->chunk_elems;
    if (o && o->buffers)
        job->buffers = o->buffers;
}

/* A poisoned case that failed: the same job through the plain module says whether the poison
 * made the difference. If the plain module is right, the kernel reads values it never wrote:
 * the reason says so; otherwise it says the kernel is wrong without poison too. */
static void poison_verdict(bv_vk_context *ctx, const bv_vk_job *poisoned, const bv_kernel *plain,
                           const bv_ref_family_info *fam, bv_op op, const uint8_t *expected, size_t ebo,
                           size_t count, size_t bytes, char *why, size_t n)
{
    char was[512];
    snprintf(was, sizeof was, "%s", why);
    uint8_t *got = malloc(bytes ? bytes : 1); /* count * ebo, checked by the caller */
    bv_vk_job job = *poisoned;
    bv_vk_result res;
    bv_error err;
    job.code = plain->code;
    job.code_size = plain->code_size;
    job.out = got;
    job.reps = 1;
    job.warmup = 0;
    if (!got || bv_vk_execute(ctx, &job, plain->needs, &res, &err) != BV_OK) {
        snprintf(why, n, "%s (the plain module could not be run to compare: %s)", was,
                 got ? err.msg : "out of memory");
        free(got);
        return;
    }
    size_t plain_bad = 0;
    for (size_t i = 0; i < count; i++)
        plain_bad += fam->compare(op, got + i * ebo, expected + i * ebo) != BV_REF_SAME;
    free(got);
    if (plain_bad == 0)
        snprintf(why, n, "reads undefined values: right plain, wrong with its uninitialised variables poisoned: %s",
                 was);
    else
        snprintf(why, n, "%s (wrong without poison too: %zu elements)", was, plain_bad);
}

bv_status bv_run_vectors(bv_vk_context *ctx, const bv_kernel *kernel, const bv_vec_set *set, bv_mode mode,
                         const bv_run_opts *opts, uint8_t *got, bv_vk_result *res, bv_error *err)
{
    const bv_ref_op_info *info = bv_ref_family_op(set->family, set->op);
    if (!info)
        return bv_error_set(err, BV_ERR_ARG, "%s has no op %s", bv_ref_family_name(set->family),
                            bv_ref_op_name(set->op));
    bv_vk_job job = {
        .code = kernel->code,
        .code_size = kernel->code_size,
        .arity = info->arity,
        .out_bytes = info->out_bytes,
        .x_bytes = info->in_bytes[0],
        .y_bytes = info->in_bytes[1],
        .count = set->count,
        .x = set->x,
        .y = set->y,
        .out = got,
        .alias = opts ? opts->alias : BV_ALIAS_NONE,
        .mode = mode,
        .memory = opts ? opts->memory : BV_MEMORY_DEVICE,
        .reps = 1,
    };
    if (kernel->error)
        return bv_error_set(err, BV_ERR_SHADER, "%s: %s", kernel->source, kernel->error);
    if (mode == BV_MODE_PIPELINED)
        shape_for(BV_SET_RANDOM, set->count, opts, &job);
    return bv_vk_execute(ctx, &job, kernel->needs, res, err);
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
    const bv_ref_family_info *fam = bv_ref_family(in->family);
    const bv_ref_op_info *info = bv_ref_family_op(in->family, in->op);
    size_t ebo = info->out_bytes, ebx = info->in_bytes[0], eby = info->in_bytes[1], k = 0, nbad = 0;
    bv_vec_set *r = NULL;
    bv_status st;
    for (size_t i = 0; i < in->count; i++)
        if (fam->compare(c->op, got + i * ebo, expected + i * ebo) != BV_REF_SAME)
            nbad++;
    if (nbad > MAX_REPLAY)
        nbad = MAX_REPLAY;
    st = bv_vec_set_create(in->family, in->op, nbad, true, &r, err);
    if (st)
        return st;
    r->expected = malloc(nbad ? nbad * ebo : 1);
    if (!r->expected) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < in->count && k < nbad; i++) {
        if (fam->compare(c->op, got + i * ebo, expected + i * ebo) == BV_REF_SAME)
            continue;
        char nm[128];
        bv_vec_name(in, i, nm, sizeof nm);
        r->names[k] = strdup(nm);
        if (!r->names[k]) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        memcpy(r->x + k * ebx, in->x + i * ebx, ebx);
        if (r->y)
            memcpy(r->y + k * eby, (c->set == BV_SET_SAMEIN ? in->x : in->y) + i * eby, eby);
        memcpy(r->expected + k * ebo, expected + i * ebo, ebo);
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

void bv_run_case_record(bv_report_case *out, const bv_run_case *c)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", c->name);
    out->family = c->family;
    out->op = c->op;
    out->limbs = c->limbs;
    out->mode = c->mode;
    out->set = c->set;
    out->size = c->size;
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
    /* Results are compared the family's way: bytes for a field, point equivalence for a curve. */
    const bv_ref_family_info *fam = bv_ref_family(c->family);
    const bv_ref_op_info *info = bv_ref_family_op(c->family, c->op);
    /* NULL for a workload op (its own path below). */
    size_t ebo = info ? info->out_bytes : 0, ebx = info ? info->in_bytes[0] : 0, eby = info ? info->in_bytes[1] : 0;
    unsigned arity = info ? info->arity : 0;

    *device_gone = false;
    bv_run_case_record(out, c);
    if (bv_ref_op_is_workload(c->op)) {
        /* kernel: the user's manifest, or NULL for the built-in workload. */
        if ((st = bv_run_wl_case(ctx, kernel, c, opts, out, device_gone, err)))
            goto fail;
        goto done;
    }

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
    const bv_kernel *plain = kernel;
    if (c->recipe[0]) {
        /* The recipe's module is the one under test; a recipe that cannot optimise or that
         * produces an invalid module fails the case, not the run. */
        const bv_kernel *opt;
        if (bv_kernel_with_recipe(kernel, c->recipe, opts->seed ? opts->seed : 1, &opt, &kerr) != BV_OK) {
            char why[1100];
            snprintf(why, sizeof why, "kernel rejected: %s", kerr.msg);
            set_result(out, kerr.status == BV_ERR_NOMEM ? BV_RESULT_INTERNAL_ERROR : BV_RESULT_FAIL, why);
            goto done;
        }
        kernel = opt;
        snprintf(out->kernel_source, sizeof out->kernel_source, "%s", kernel->source);
        snprintf(out->kernel_sha256, sizeof out->kernel_sha256, "%s", kernel->sha256);
    }
    char unsupported[1024];
    if (!bv_vk_context_supports(ctx, kernel->needs, c->mode, unsupported, sizeof unsupported)) {
        set_result(out, BV_RESULT_NOT_SUPPORTED, unsupported);
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
    if (bv_size_mul(set->count, ebo, &bytes)) {
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
        .out_bytes = ebo,
        .x_bytes = ebx,
        .y_bytes = eby,
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
    if (c->mode == BV_MODE_PIPELINED)
        shape_for(c->set, set->count, opts, &job);
    kst = bv_vk_execute(ctx, &job, kernel->needs, &res, &kerr);
    if (kst) {
        bv_run_device_failure(ctx, kst, kerr.msg, &out->status, out->reason, sizeof out->reason, device_gone);
        goto done;
    }
    out->dispatches = res.dispatches;
    if (c->mode != BV_MODE_PIPELINED)
        snprintf(out->memory, sizeof out->memory, "%s", bv_memory_name(res.memory));

    /* Every element is compared the family's way (bytes for a field, the same point whatever its Z
     * for a curve, with canonical words and on the curve); the first few mismatches are kept with
     * their limbs, the check that failed and, for points, the affine points. */
    size_t verdicts[BV_REF_VERDICT_COUNT] = {0};
    for (size_t i = 0; i < set->count; i++) {
        bv_ref_verdict v = fam->compare(c->op, got + i * ebo, expected + i * ebo);
        if (v == BV_REF_SAME)
            continue;
        verdicts[v]++;
        if (out->nfirst < BV_REPORT_MAX_MISMATCHES) {
            bv_report_mismatch *m = &out->first[out->nfirst++];
            m->index = i;
            bv_vec_name(set, i, m->name, sizeof m->name);
            m->ninputs = arity;
            bv_ref_hex_format_slot(c->family, c->op, BV_REF_X, set->x + i * ebx, m->inputs[0]);
            if (arity == 2)
                bv_ref_hex_format_slot(c->family, c->op, BV_REF_Y, y + i * eby, m->inputs[1]);
            bv_ref_hex_format_slot(c->family, c->op, BV_REF_OUT, expected + i * ebo, m->expected);
            bv_ref_hex_format_slot(c->family, c->op, BV_REF_OUT, got + i * ebo, m->got);
            m->limb_diff = limb_diff(expected + i * ebo, got + i * ebo, ebo);
            snprintf(m->check, sizeof m->check, "%s", bv_ref_verdict_name(v));
            if (fam->points) {
                bv_ref_describe(c->family, c->op, BV_REF_OUT, expected + i * ebo, m->expected_point,
                                sizeof m->expected_point);
                bv_ref_describe(c->family, c->op, BV_REF_OUT, got + i * ebo, m->got_point, sizeof m->got_point);
            }
        }
        out->mismatches++;
    }
    if (out->mismatches) {
        char why[512], checks[256] = "";
        size_t k = 0;
        for (int v = BV_REF_WRONG; v < BV_REF_VERDICT_COUNT; v++)
            if (verdicts[v])
                k += (size_t)snprintf(checks + k, sizeof checks - k, "%s%zu %s", k ? ", " : "", verdicts[v],
                                      bv_ref_verdict_name((bv_ref_verdict)v));
        snprintf(why, sizeof why, "%zu of %zu elements differ from the reference (%s; first at index %zu)",
                 out->mismatches, set->count, checks, out->first[0].index);
        if (strcmp(c->recipe, BV_KERNEL_RECIPE_POISON) == 0)
            poison_verdict(ctx, &job, plain, fam, c->op, expected, ebo, set->count, bytes, why, sizeof why);
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
    t->bytes_per_elem = (double)(ebo + ebx + (arity == 2 ? eby : 0));
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
