/* harness/cli/cli_bench_workload.c: bench's workload figures (--workloads): each workload's GPU
 * time a call at each size, random input, persistent pipelines, its output checked; an NTT's also
 * as a fraction of the shader copy bound, which its passes over the data allow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bv_kernels.h"
#include "bv_run.h"
#include "cli.h"
#include "cli_bench.h"

/* The batch of pipelined entries: random inputs, and the ring's buffer sets. */
#define BENCH_BATCH 8
#define BENCH_RING 3

/* Plan p's pipelined entry: BENCH_BATCH random inputs as one batch through a ring of BENCH_RING
 * buffer sets (after an untimed pass), beside the same batch one after another in the same call:
 * the entry's time is the ring's wall time an item, its note the ratio. False when an output was
 * wrong or the batch could not run. */
static bool bench_batch(bv_vk_context *ctx, const bv_workload *w, const bv_workload_plan *p, uint8_t *const *tables,
                        bv_limbs limbs, unsigned log_n, bench *B)
{
    bv_error err = {0};
    bv_run_wl_input *ins = NULL;
    bv_run_wl_outcome *outs = calloc(2 * BENCH_BATCH, sizeof *outs);
    bv_run_wl_outcome *const pass[2] = {outs, outs ? outs + BENCH_BATCH : NULL};
    bv_vk_result res[2];
    bool ok = outs != NULL, gone = false;
    ok = ok && !bv_run_wl_inputs_make(p->field, log_n, false, 1, BENCH_BATCH, &ins, &err) &&
         !bv_run_wl_batch_gain(ctx, w, p, tables, ins, BENCH_BATCH, BENCH_RING, true, pass, res, &gone, &err);
    for (size_t i = 0; ok && i < 2 * BENCH_BATCH; i++)
        if (outs[i].status != BV_RESULT_PASS) {
            ok = false;
            snprintf(err.msg, sizeof err.msg, "input %zu: %s", i % BENCH_BATCH, outs[i].reason);
        }
    entry *e = ok ? bv_bench_add_entry(B) : NULL;
    if (ok && !e)
        snprintf(err.msg, sizeof err.msg, "out of memory");
    if (!e) {
        fprintf(stderr, "blsvk bench: %s pipelined at 2^%u: %s\n", bv_kernel_workload_name(w), log_n,
                outs ? err.msg : "out of memory");
        ok = false;
        goto out;
    }
    double seq = res[0].wall_ns.median / BENCH_BATCH, ring = res[1].wall_ns.median / BENCH_BATCH;
    size_t n = (size_t)1 << log_n;
    snprintf(e->kind, sizeof e->kind, "workload");
    snprintf(e->name, sizeof e->name, "%s.%s", bv_kernel_workload_name(w), bv_limbs_name(limbs));
    snprintf(e->mode, sizeof e->mode, "pipelined");
    e->size = n;
    e->jobs = BENCH_BATCH;
    bv_stats_of(&ring, 1, &e->ns);
    e->per_s = ring > 0 ? (double)n / (ring * 1e-9) : 0;
    e->verified = true;
    snprintf(e->note, sizeof e->note,
             "wall time an item, %d inputs through %d buffer sets: %.2fx of the same batch one after another "
             "(%.1f us an item)",
             BENCH_BATCH, BENCH_RING, seq > 0 ? ring / seq : 0, seq / 1e3);
    bv_bench_print_entry(e);
out:
    bv_run_wl_inputs_free(ins, BENCH_BATCH);
    free(outs);
    return ok;
}

/* One workload at one limb width and size into a new entry; false when the output was wrong. */
static bool bench_one(bv_vk_context *ctx, const bench_opts *o, const bv_vk_bounds *bounds, bv_workload *w,
                      bv_limbs limbs, unsigned log_n, bench *B)
{
    bv_error err;
    bv_workload_plan p;
    bv_run_wl_input in = {0};
    uint8_t **tables = NULL;
    bool ok = true;
    char why[256] = "";
    if (bv_kernel_workload_plan(w, limbs, log_n, bv_vk_context_workgroup_size(ctx), &p, &err)) {
        printf("%-9s %s.%s at 2^%u: not planned: %s\n", "workload", bv_kernel_workload_name(w), bv_limbs_name(limbs),
               log_n, err.msg);
        return true;
    }
    if (!bv_vk_context_supports(ctx, p.needs, BV_MODE_PERSISTENT, why, sizeof why)) {
        printf("%-9s %s.%s: not supported: %s\n", "workload", bv_kernel_workload_name(w), bv_limbs_name(limbs), why);
        goto done;
    }
    if (bv_run_wl_input_init(p.field, log_n, &in, &err) || bv_run_wl_tables(&p, log_n, &tables, &err) ||
        bv_run_wl_input_make(false, 0, 1, &in, &err)) {
        fprintf(stderr, "blsvk bench: %s at 2^%u: %s\n", bv_kernel_workload_name(w), log_n, err.msg);
        ok = false;
        goto done;
    }
    bv_run_wl_opts timing = {.warmup = o->warmup, .reps = o->reps ? o->reps : 1, .warm_ms = bv_run_wl_warm_ms(ctx)};
    bv_run_wl_outcome out;
    bool gone = false;
    if (bv_run_wl_execute(ctx, w, &p, tables, &in, &timing, &out, &gone, &err)) {
        fprintf(stderr, "blsvk bench: %s at 2^%u: %s\n", bv_kernel_workload_name(w), log_n, err.msg);
        ok = false;
        goto done;
    }
    entry *e = bv_bench_add_entry(B);
    if (!e) {
        fprintf(stderr, "blsvk bench: out of memory\n");
        ok = false;
        goto done;
    }
    size_t n = (size_t)1 << log_n;
    snprintf(e->kind, sizeof e->kind, "workload");
    snprintf(e->name, sizeof e->name, "%s.%s", bv_kernel_workload_name(w), bv_limbs_name(limbs));
    snprintf(e->mode, sizeof e->mode, "persistent");
    e->size = n;
    e->jobs = 1;
    e->ns = out.res.kernel_timed ? out.res.kernel_ns : out.res.wall_ns;
    double sec = e->ns.median / 1e9;
    e->per_s = sec > 0 ? (double)n / sec : 0;
    if (p.field == BV_FAMILY_FR) {
        /* Each stage of an NTT reads and writes the n elements once (twiddles aside): the least
         * memory traffic it can have, so the copy bound over it is the most it can run at. */
        size_t passes = 0;
        for (size_t i = 0; i < p.nstages; i++)
            passes += p.stages[i].items > 0;
        double bytes = 2.0 * 32.0 * (double)n * (double)(passes ? passes : 1);
        e->bytes_per_s = sec > 0 ? bytes / sec : 0;
        e->bound_per_s = bounds->shader_copy_Bps * (double)n / bytes;
        snprintf(e->note, sizeof e->note, "%s%zu passes over the data, %u dispatches", out.res.kernel_timed ? "" : "wall time, ",
                 passes, out.res.dispatches);
    } else {
        snprintf(e->note, sizeof e->note, "%spoints a second; no bound (additions), %u dispatches",
                 out.res.kernel_timed ? "" : "wall time, ", out.res.dispatches);
    }
    e->verified = out.status == BV_RESULT_PASS;
    if (!e->verified)
        snprintf(e->note, sizeof e->note, "%s", out.reason);
    ok = e->verified;
    bv_bench_print_entry(e);
    if (ok)
        ok = bench_batch(ctx, w, &p, tables, limbs, log_n, B);
done:
    bv_run_wl_input_free(&in);
    bv_run_wl_tables_free(tables, p.nbuffers);
    bv_kernel_workload_plan_free(&p);
    return ok;
}

bool bv_bench_workloads(bv_vk_context *ctx, const bench_opts *o, const bv_vk_bounds *bounds, bench *B)
{
    bool ok = true;
    for (size_t i = 0; i < o->nworkloads; i++) {
        bv_workload *w = NULL;
        bv_error err;
        if (bv_kernel_workload_load(o->workloads[i], NULL, &w, &err)) {
            fprintf(stderr, "blsvk bench: %s\n", err.msg);
            ok = false;
            continue;
        }
        for (int l = 0; l < BV_LIMBS_COUNT; l++) {
            if (!o->limbs[l] || l == BV_LIMBS_F64)
                continue;
            for (size_t k = 0; k < o->nwsizes; k++) {
                unsigned log_n = 0;
                while (((size_t)1 << log_n) < o->wsizes[k])
                    log_n++;
                ok &= bench_one(ctx, o, bounds, w, (bv_limbs)l, log_n, B);
            }
        }
        bv_kernel_workload_destroy(w);
    }
    return ok;
}
