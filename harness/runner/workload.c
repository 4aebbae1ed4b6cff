/* harness/runner/workload.c: one input of a workload through the device, its output checked
 * against the GMP reference: the inputs (named edges, seeded random ones), the reference's tables,
 * the executor's run and the check (an NTT's elements, an MSM's point). Shared by `blsvk workload`
 * and the workload cases of a run. */
#define _GNU_SOURCE
#include "run_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bv_sha256.h"

/* Seeded random Fr words below r: each a 256-bit draw from the splitmix64 stream with its top
 * bit cleared, drawn again while not below r (about 1 in 9). */
static void random_fr(uint8_t *out, size_t n, uint64_t seed, unsigned log_n)
{
    uint64_t state = seed ^ ((uint64_t)log_n << 56);
    for (size_t i = 0; i < n; i++) {
        uint8_t *e = out + 32 * i;
        do {
            for (int w = 0; w < 4; w++) {
                uint64_t v = bv_splitmix64(&state);
                for (int b = 0; b < 8; b++)
                    e[8 * w + b] = (uint8_t)(v >> (8 * b));
            }
            e[31] &= 0x7f;
        } while (!bv_ref_is_canonical(BV_FAMILY_FR, e));
    }
}

bv_status bv_run_wl_input_init(bv_family field, unsigned log_n, bv_run_wl_input *in, bv_error *err)
{
    memset(in, 0, sizeof *in);
    if (log_n > BV_REF_FR_TWO_ADICITY)
        return bv_error_set(err, BV_ERR_ARG, "2^%u elements: past 2^%u", log_n, BV_REF_FR_TWO_ADICITY);
    size_t n = (size_t)1 << log_n, eb = field == BV_FAMILY_G1 ? BV_REF_MSM_POINT_BYTES : 32, bytes;
    if (bv_size_mul(n, eb, &bytes))
        return bv_error_set(err, BV_ERR_OVERFLOW, "2^%u elements do not fit this host", log_n);
    in->field = field;
    in->log_n = log_n;
    in->input = malloc(bytes);
    in->scalars = field == BV_FAMILY_G1 ? malloc(n * 32) : NULL;
    if (!in->input || (field == BV_FAMILY_G1 && !in->scalars)) {
        bv_run_wl_input_free(in);
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory for 2^%u elements", log_n);
    }
    return BV_OK;
}

void bv_run_wl_input_free(bv_run_wl_input *in)
{
    if (!in)
        return;
    free(in->input);
    free(in->scalars);
    in->input = in->scalars = NULL;
}

size_t bv_run_wl_edge_count(bv_family field)
{
    return field == BV_FAMILY_G1 ? bv_ref_msm_edge_count() : bv_ref_ntt_edge_count();
}

const char *bv_run_wl_edge_name(bv_family field, size_t e)
{
    return field == BV_FAMILY_G1 ? bv_ref_msm_edge_name(e) : bv_ref_ntt_edge_name(e);
}

bv_status bv_run_wl_input_make(bool edge, size_t e, uint64_t seed, bv_run_wl_input *in, bv_error *err)
{
    size_t n = (size_t)1 << in->log_n;
    if (in->field == BV_FAMILY_G1) {
        if (edge)
            return bv_ref_msm_edge(in->input, in->scalars, in->expected, n, e, err);
        /* Points of known logarithms, so that the expected sum is one scalar multiplication at
         * any n; scalars below r from the seed's stream, as an NTT's random input. */
        random_fr(in->scalars, n, seed, in->log_n);
        bv_status st = bv_ref_msm_g1_known_points(in->input, n, seed, err);
        return st ? st : bv_ref_msm_g1_known_expected(in->expected, in->scalars, n, seed, err);
    }
    if (edge)
        return bv_ref_ntt_edge(in->input, in->log_n, e, err);
    random_fr(in->input, n, seed, in->log_n);
    return BV_OK;
}

bv_status bv_run_wl_tables(const bv_workload_plan *p, unsigned log_n, uint8_t ***tables, bv_error *err)
{
    bv_status st = BV_OK;
    size_t bytes;
    uint8_t **t = calloc(p->nbuffers, sizeof *t);
    if (!t)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    for (size_t b = 0; !st && b < p->nbuffers; b++) {
        if (!p->buffers[b].table[0])
            continue;
        if (bv_size_mul(p->buffers[b].elements, p->buffers[b].element_bytes, &bytes))
            st = bv_error_set(err, BV_ERR_OVERFLOW, "buffer %s does not fit", p->buffers[b].name);
        else if (!(t[b] = calloc(1, bytes ? bytes : 1)))
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        else
            st = bv_ref_ntt_table(t[b], p->buffers[b].table, log_n, err);
    }
    *tables = t;
    return st;
}

void bv_run_wl_tables_free(uint8_t **tables, size_t n)
{
    for (size_t b = 0; tables && b < n; b++)
        free(tables[b]);
    free(tables);
}

static void set_out(bv_run_wl_outcome *out, bv_report_status s, const char *reason)
{
    out->status = s;
    snprintf(out->reason, sizeof out->reason, "%s", reason);
}

/* An NTT's output against the reference's transform of the input, element by element. The
 * workload's name says which transform (intt, coset in it). */
static bv_status check_ntt(const bv_workload *w, const bv_run_wl_input *in, const uint8_t *got,
                           bv_run_wl_outcome *out, bv_error *err)
{
    size_t n = (size_t)1 << in->log_n;
    const char *name = bv_kernel_workload_name(w);
    uint8_t *want = malloc(n * 32);
    if (!want)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    bv_status st = bv_ref_ntt(want, in->input, in->log_n, strstr(name, "intt") ? BV_REF_NTT_INVERSE : BV_REF_NTT_FORWARD,
                              strstr(name, "coset") != NULL, err);
    if (st) {
        free(want);
        return st;
    }
    size_t wrong = 0, noncanon = 0, first = SIZE_MAX;
    for (size_t i = 0; i < n; i++)
        if (memcmp(got + 32 * i, want + 32 * i, 32) != 0) {
            wrong++;
            if (!bv_ref_is_canonical(BV_FAMILY_FR, got + 32 * i))
                noncanon++;
            if (first == SIZE_MAX)
                first = i;
        }
    if (wrong) {
        /* The first wrong element's words, as integers (most significant digit first). */
        char hw[65], hg[65], why[400];
        for (int k = 0; k < 32; k++) {
            snprintf(hw + 2 * k, 3, "%02x", want[32 * first + 31 - k]);
            snprintf(hg + 2 * k, 3, "%02x", got[32 * first + 31 - k]);
        }
        snprintf(why, sizeof why,
                 "%zu of %zu elements differ from the reference (%zu not canonical); first at index %zu: expected 0x%s, "
                 "got 0x%s",
                 wrong, n, noncanon, first, hw, hg);
        set_out(out, BV_RESULT_FAIL, why);
    }
    free(want);
    return BV_OK;
}

/* An MSM's one output point against the expected sum, as points (any Z): the verdict says
 * whether it is another point, off the curve or not canonical; both points' X, Y, Z follow. */
static void check_msm(const bv_run_wl_input *in, const uint8_t *got, bv_run_wl_outcome *out)
{
    bv_ref_verdict v = bv_ref_family(BV_FAMILY_G1)->compare(BV_OP_ADD, got, in->expected);
    if (v == BV_REF_SAME)
        return;
    char hg[3 * 97 + 8], hw[3 * 97 + 8], why[sizeof out->reason];
    size_t kg = 0, kw = 0;
    for (int part = 0; part < 3; part++) {
        for (int k = 47; k >= 0; k--) {
            kg += (size_t)snprintf(hg + kg, sizeof hg - kg, "%02x", got[48 * part + k]);
            kw += (size_t)snprintf(hw + kw, sizeof hw - kw, "%02x", in->expected[48 * part + k]);
        }
        if (part < 2) {
            kg += (size_t)snprintf(hg + kg, sizeof hg - kg, ",");
            kw += (size_t)snprintf(hw + kw, sizeof hw - kw, ",");
        }
    }
    snprintf(why, sizeof why, "the sum is %s: got X,Y,Z = 0x%s; expected 0x%s", bv_ref_verdict_name(v), hg, hw);
    set_out(out, BV_RESULT_FAIL, why);
}

uint32_t bv_run_wl_warm_ms(const bv_vk_context *ctx)
{
    return bv_vk_context_device(ctx)->device_type == BV_DEVICE_TYPE_CPU ? 0 : 200;
}

bool bv_run_wl_specializes(const bv_vk_context *ctx)
{
    /* $BLSVK_SPECIALIZE=1 (a test hook) specializes on a CPU device too, so that the path is
     * tested where there is no GPU. */
    const char *hook = getenv("BLSVK_SPECIALIZE");
    return bv_vk_context_device(ctx)->device_type != BV_DEVICE_TYPE_CPU || (hook && strcmp(hook, "1") == 0);
}

/* The device layer's description of plan p (its buffers, initial images from tables, and
 * stages): *bufs and *stages allocated here, for the caller to free, even on failure. */
static bv_status wl_job(const bv_vk_context *ctx, const bv_workload_plan *p, uint8_t *const *tables,
                        bv_vk_wl_buffer **bufs, bv_vk_wl_stage **stages, bv_error *err)
{
    *bufs = calloc(p->nbuffers, sizeof **bufs);
    *stages = calloc(p->nstages, sizeof **stages);
    if (!*bufs || !*stages)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    for (size_t b = 0; b < p->nbuffers; b++) {
        if (bv_size_mul(p->buffers[b].elements, p->buffers[b].element_bytes, &(*bufs)[b].bytes))
            return bv_error_set(err, BV_ERR_OVERFLOW, "buffer %s does not fit", p->buffers[b].name);
        (*bufs)[b].init = tables ? tables[b] : NULL;
    }
    for (size_t i = 0; i < p->nstages; i++) {
        bv_vk_wl_stage *g = &(*stages)[i];
        g->code = p->stages[i].code;
        g->code_size = p->stages[i].code_size;
        g->nbind = p->stages[i].nbind;
        memcpy(g->bind, p->stages[i].bind, sizeof g->bind);
        memcpy(g->push, p->stages[i].push, sizeof g->push);
        g->items = p->stages[i].items;
        g->shared_bytes = p->stages[i].shared_bytes;
        g->specialize = p->stages[i].specialize && bv_run_wl_specializes(ctx);
        g->spec = p->stages[i].spec;
    }
    return BV_OK;
}

/* out's verdict on got, the output of input in: the reference's check, then the guards. */
static bv_status wl_check_output(const bv_workload *w, const bv_workload_plan *p, const bv_run_wl_input *in,
                                 const uint8_t *got, bv_run_wl_outcome *out, bv_error *err)
{
    bv_status st = BV_OK;
    out->status = BV_RESULT_PASS;
    if (p->field == BV_FAMILY_G1)
        check_msm(in, got, out);
    else if ((st = check_ntt(w, in, got, out, err)))
        return st;
    /* Stray writes are a failure of their own, whatever the output says. */
    if (!out->res.canary_ok)
        set_out(out, BV_RESULT_FAIL, out->res.canary_msg);
    return st;
}

bv_status bv_run_wl_execute(bv_vk_context *ctx, const bv_workload *w, const bv_workload_plan *p, uint8_t *const *tables,
                            const bv_run_wl_input *in, const bv_run_wl_opts *timing, bv_run_wl_outcome *out,
                            bool *device_gone, bv_error *err)
{
    bv_status st;
    bv_vk_wl_buffer *bufs = NULL;
    bv_vk_wl_stage *stages = NULL;
    uint8_t *got = NULL;
    memset(out, 0, sizeof *out);
    *device_gone = false;
    if ((st = wl_job(ctx, p, tables, &bufs, &stages, err)))
        goto out;
    size_t out_bytes = bufs[p->output].bytes;
    if (!(got = malloc(out_bytes ? out_bytes : 1))) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto out;
    }
    bufs[p->input].init = in->input;
    if (p->scalars >= 0)
        bufs[p->scalars].init = in->scalars;
    bufs[p->output].out = got;
    bv_vk_workload job = {.buffers = bufs,
                          .nbuffers = p->nbuffers,
                          .stages = stages,
                          .nstages = p->nstages,
                          .warmup = timing ? timing->warmup : 0,
                          .reps = timing && timing->reps ? timing->reps : 1,
                          .warm_ms = timing ? timing->warm_ms : 0,
                          .stage_ns = timing ? timing->stage_ns : NULL,
                          .oneshot = timing && timing->oneshot};
    bv_error rerr;
    bv_error_clear(&rerr);
    /* The device first: an NTT's reference (30 s at 2^24) is not worth computing for a case the
     * device refuses. */
    bv_status rs = bv_vk_workload_run(ctx, &job, &out->res, &rerr);
    if (rs) {
        bv_run_device_failure(ctx, rs, rerr.msg, &out->status, out->reason, sizeof out->reason, device_gone);
        goto out;
    }
    st = wl_check_output(w, p, in, got, out, err);
out:
    free(bufs);
    free(stages);
    free(got);
    return st;
}

bv_status bv_run_wl_inputs_make(bv_family field, unsigned log_n, bool edge, uint64_t seed, size_t count,
                                bv_run_wl_input **ins, bv_error *err)
{
    bv_status st = BV_OK;
    if (!(*ins = calloc(count ? count : 1, sizeof **ins)))
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory for a batch of %zu inputs", count);
    for (size_t i = 0; i < count && !st; i++)
        if (!(st = bv_run_wl_input_init(field, log_n, &(*ins)[i], err)))
            st = bv_run_wl_input_make(edge, i, edge ? seed : seed + i, &(*ins)[i], err);
    return st;
}

void bv_run_wl_inputs_free(bv_run_wl_input *ins, size_t count)
{
    for (size_t i = 0; ins && i < count; i++)
        bv_run_wl_input_free(&ins[i]);
    free(ins);
}

bv_status bv_run_wl_batch_gain(bv_vk_context *ctx, const bv_workload *w, const bv_workload_plan *p,
                               uint8_t *const *tables, const bv_run_wl_input *ins, size_t count, unsigned ring,
                               bool warm, bv_run_wl_outcome *const outs[2], bv_vk_result res[2], bool *device_gone,
                               bv_error *err)
{
    bv_status st = BV_OK;
    memset(res, 0, 2 * sizeof *res);
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < count; i++) {
            outs[k][i].status = BV_RESULT_SKIPPED;
            snprintf(outs[k][i].reason, sizeof outs[k][i].reason, "not run: the device failed in the pass before");
        }
    /* pass -1: the untimed one */
    for (int pass = warm ? -1 : 0; pass < 2 && !st && !*device_gone; pass++) {
        int k = pass < 0 ? 0 : pass;
        st = bv_run_wl_batch(ctx, w, p, tables, ins, count, pass == 0 ? 1 : ring, outs[k], &res[k], device_gone, err);
        if (!st && outs[k][0].status != BV_RESULT_PASS && outs[k][0].status != BV_RESULT_FAIL)
            break;
    }
    return st;
}

bv_status bv_run_wl_batch(bv_vk_context *ctx, const bv_workload *w, const bv_workload_plan *p, uint8_t *const *tables,
                          const bv_run_wl_input *ins, size_t count, unsigned ring, bv_run_wl_outcome *outs,
                          bv_vk_result *res, bool *device_gone, bv_error *err)
{
    bv_status st;
    bv_vk_wl_buffer *bufs = NULL;
    bv_vk_wl_stage *stages = NULL;
    const uint8_t **images = NULL;
    uint8_t **dst = NULL, *got = NULL;
    size_t nb = p->nbuffers, items, out_bytes = 0;
    memset(res, 0, sizeof *res);
    for (size_t i = 0; i < count; i++)
        memset(&outs[i], 0, sizeof outs[i]);
    *device_gone = false;
    if ((st = wl_job(ctx, p, tables, &bufs, &stages, err)))
        goto out;
    out_bytes = bufs[p->output].bytes ? bufs[p->output].bytes : 1;
    if (bv_size_mul(count, nb, &items) || !(images = calloc(items ? items : 1, sizeof *images)) ||
        !(dst = calloc(items ? items : 1, sizeof *dst)) || !(got = calloc(count ? count : 1, out_bytes))) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory for a batch of %zu", count);
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        images[i * nb + p->input] = ins[i].input;
        if (p->scalars >= 0)
            images[i * nb + (size_t)p->scalars] = ins[i].scalars;
        dst[i * nb + p->output] = got + i * out_bytes;
    }
    bv_vk_workload job = {.buffers = bufs, .nbuffers = nb, .stages = stages, .nstages = p->nstages};
    bv_error rerr;
    bv_error_clear(&rerr);
    bv_status rs = bv_vk_workload_batch(ctx, &job, count, ring, images, dst, res, &rerr);
    if (rs) {
        /* The batch's failure is every item's (the context reset once). */
        bv_run_device_failure(ctx, rs, rerr.msg, &outs[0].status, outs[0].reason, sizeof outs[0].reason, device_gone);
        for (size_t i = 1; i < count; i++)
            outs[i] = outs[0];
        goto out;
    }
    for (size_t i = 0; i < count && !st; i++) {
        outs[i].res = *res;
        st = wl_check_output(w, p, &ins[i], got + i * out_bytes, &outs[i], err);
    }
out:
    free(bufs);
    free(stages);
    free(images);
    free(dst);
    free(got);
    return st;
}

/* SHA-256 of a plan's distinct modules, in the order its stages first use them: what a report
 * names as the case's module (a changed stage changes it). */
static bv_status plan_sha256(const bv_workload_plan *p, char out[65], bv_error *err)
{
    size_t total = 0, at = 0;
    for (size_t i = 0; i < p->nstages; i++)
        total += p->stages[i].code_size;
    uint8_t *buf = malloc(total ? total : 1);
    if (!buf)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < p->nstages; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = p->stages[j].code == p->stages[i].code;
        if (!seen) {
            memcpy(buf + at, p->stages[i].code, p->stages[i].code_size);
            at += p->stages[i].code_size;
        }
    }
    bv_sha256_hex(out, buf, at);
    free(buf);
    return BV_OK;
}

/* A pipelined case's batch: random inputs, and the ring's buffer sets. */
#define WL_BATCH 8
#define WL_RING 3

bv_status bv_run_wl_case(bv_vk_context *ctx, const bv_kernel *user, const bv_run_case *c, const bv_run_opts *opts,
                         bv_report_case *out, bool *device_gone, bv_error *err)
{
    bv_status st = BV_OK;
    bv_workload *w = NULL;
    bv_workload_plan p = {0};
    bv_run_wl_input *ins = NULL;
    bv_run_wl_outcome *o = NULL;
    size_t count = 0, made = 0;
    uint8_t **tables = NULL;
    bv_error e;
    char name[64], dir[sizeof user->source];
    bv_error_clear(&e);
    *device_gone = false;
    snprintf(name, sizeof name, "%s.%s", bv_ref_family_name(c->family), bv_ref_op_name(c->op));
    /* A user's workload is its manifest, <dir>/<name>.json, with the modules beside it. */
    if (user) {
        snprintf(dir, sizeof dir, "%s", user->source);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else
            snprintf(dir, sizeof dir, ".");
    }
    snprintf(out->kernel_source, sizeof out->kernel_source, "%s", user ? user->source : "built-in");
    unsigned log_n = 0;
    while (((size_t)1 << log_n) < c->size && log_n < BV_REF_FR_TWO_ADICITY)
        log_n++;
    if (bv_kernel_workload_load(name, user ? dir : NULL, &w, &e) ||
        bv_kernel_workload_plan(w, c->limbs, log_n, bv_vk_context_workgroup_size(ctx), &p, &e)) {
        out->status = e.status == BV_ERR_NOMEM         ? BV_RESULT_INTERNAL_ERROR
                      : e.status == BV_ERR_UNSUPPORTED ? BV_RESULT_NOT_SUPPORTED
                                                       : BV_RESULT_FAIL;
        snprintf(out->reason, sizeof out->reason, "workload rejected: %s", e.msg);
        goto done;
    }
    if ((st = plan_sha256(&p, out->kernel_sha256, err)))
        goto done;
    char why[512];
    if (!bv_vk_context_supports(ctx, p.needs, c->mode, why, sizeof why)) {
        out->status = BV_RESULT_NOT_SUPPORTED;
        snprintf(out->reason, sizeof out->reason, "%s", why);
        goto done;
    }
    if ((st = bv_run_wl_tables(&p, log_n, &tables, err)))
        goto done;
    /* The edge set is every named input at this n, the random set the seed's input (pipelined:
     * WL_BATCH inputs from the seed on). One after another (oneshot, persistent), each run and
     * checked, or as one batch through a ring of buffer sets (pipelined); the case fails with
     * the first input that fails (its name in the reason) and counts them. */
    bool edge = c->set == BV_SET_EDGE, batch = c->mode == BV_MODE_PIPELINED;
    uint64_t seed = opts->seed ? opts->seed : 1;
    count = edge ? bv_run_wl_edge_count(c->family) : batch ? WL_BATCH : 1;
    /* Inputs are made as they run one after another (one in memory at a time), all at once for
     * a batch. */
    made = batch ? count : 1;
    if (!(o = calloc(count, sizeof *o))) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (batch)
        st = bv_run_wl_inputs_make(c->family, log_n, edge, seed, count, &ins, err);
    else if (!(ins = calloc(1, sizeof *ins)))
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    else
        st = bv_run_wl_input_init(c->family, log_n, ins, err);
    if (st)
        goto done;
    bv_run_wl_opts timing = {.warmup = opts->warmup, .reps = opts->reps ? opts->reps : 1,
                             .oneshot = c->mode == BV_MODE_ONESHOT};
    bv_vk_result res = {0};
    size_t ran = 0;
    if (batch) {
        /* The batch once untimed first where the run warms up: pipelines made, clocks up. */
        for (uint32_t k = 0; k < (opts->warmup ? 1u : 0u) && !st && !*device_gone; k++)
            st = bv_run_wl_batch(ctx, w, &p, tables, ins, count, WL_RING, o, &res, device_gone, err);
        if (!st && !*device_gone)
            st = bv_run_wl_batch(ctx, w, &p, tables, ins, count, WL_RING, o, &res, device_gone, err);
        if (st)
            goto done;
        ran = count;
    } else {
        for (size_t i = 0; i < count; i++) {
            if ((st = bv_run_wl_input_make(edge, i, seed, &ins[0], err)))
                goto done;
            timing.stage_ns = NULL;
            /* The timed input (the last) is warmed up for; the others are only checked. */
            timing.warm_ms = i + 1 == count ? bv_run_wl_warm_ms(ctx) : 0;
            if ((st = bv_run_wl_execute(ctx, w, &p, tables, &ins[0], &timing, &o[i], device_gone, err)))
                goto done;
            ran = i + 1;
            res = o[i].res;
            if (o[i].status != BV_RESULT_PASS && o[i].status != BV_RESULT_FAIL)
                break; /* the device's answer, not the kernel's: no point in the next input */
        }
    }
    out->status = BV_RESULT_PASS;
    for (size_t i = 0; i < ran; i++) {
        if (o[i].status == BV_RESULT_PASS)
            continue;
        out->mismatches++;
        if (out->status == BV_RESULT_PASS) {
            char what[64] = "";
            if (edge)
                snprintf(what, sizeof what, "%s: ", bv_run_wl_edge_name(c->family, i));
            else if (batch)
                snprintf(what, sizeof what, "input %zu (seed %llu): ", i, (unsigned long long)(seed + i));
            out->status = o[i].status;
            snprintf(out->reason, sizeof out->reason, "%s%s", what, o[i].reason);
        }
    }
    if (out->status == BV_RESULT_FAIL && out->mismatches > 1) {
        char head[64];
        snprintf(head, sizeof head, "%zu of %zu inputs fail; ", out->mismatches, count);
        size_t hl = strlen(head), rl = strlen(out->reason);
        if (hl + rl >= sizeof out->reason)
            rl = sizeof out->reason - hl - 1;
        memmove(out->reason + hl, out->reason, rl);
        out->reason[hl + rl] = '\0';
        memcpy(out->reason, head, hl);
    }
    out->elements = ((size_t)1 << log_n) * count;
    out->dispatches = res.dispatches;
    /* One after another: the last input's timing (a random case's one input, or the last
     * edge's); a batch: each item's GPU time, and the batch's wall time an item. */
    if (res.wall_ns.median > 0) {
        bv_report_timing *t = &out->timing;
        t->valid = true;
        t->reps = batch ? (uint32_t)count : timing.reps;
        t->kernel_timed = res.kernel_timed;
        t->kernel_ns = res.kernel_ns;
        t->wall_ns = res.wall_ns;
        if (batch) {
            double k = (double)count;
            t->wall_ns.median /= k, t->wall_ns.p10 /= k, t->wall_ns.p90 /= k, t->wall_ns.min /= k;
            for (uint32_t j = 0; j < t->wall_ns.nsamples; j++)
                t->wall_ns.samples[j] /= k;
        }
        size_t n = (size_t)1 << log_n;
        if (res.kernel_timed && res.kernel_ns.median > 0)
            t->kernel_elems_per_s = (double)n / (res.kernel_ns.median * 1e-9);
        t->wall_elems_per_s = (double)n / (t->wall_ns.median * 1e-9);
    }
done:
    bv_run_wl_inputs_free(ins, made);
    free(o);
    bv_run_wl_tables_free(tables, p.nbuffers);
    bv_kernel_workload_plan_free(&p);
    bv_kernel_workload_destroy(w);
    return st;
}
