/* harness/vk/vk_execute.c: the one entry that runs a job in whichever mode it names, and the one
 * decision of what a device cannot run. Sits above vk_exec.c and vk_stream.c. */
#define _GNU_SOURCE
#include "bv_kernels.h"
#include "vk_internal.h"

#include <stdio.h>
#include <string.h>

bool bv_vk_supports(const bv_device_info *d, unsigned needs, bv_mode mode, char *why, size_t n)
{
    if ((needs & BV_KERNEL_NEEDS_INT64) && !d->shader_int64) {
        snprintf(why, n, "the kernel needs shaderInt64 (64-bit integers), which %s lacks", d->name);
        return false;
    }
    if ((needs & (BV_KERNEL_NEEDS_FLOAT64 | BV_KERNEL_NEEDS_FUSED_FMA64)) && !d->shader_float64) {
        snprintf(why, n, "the kernel needs shaderFloat64 (doubles), which %s lacks", d->name);
        return false;
    }
    if ((needs & BV_KERNEL_NEEDS_FUSED_FMA64) && strcmp(d->fma_f64, "fused") != 0) {
        snprintf(why, n,
                 "the kernel's products need a fused double fma, and the fma of %s is %s (blsvk's fma probe: %u of %u "
                 "cases fused)",
                 d->name, d->fma_f64[0] ? d->fma_f64 : "untested (the probe did not run)", d->fma_f64_fused,
                 d->fma_f64_cases);
        return false;
    }
    if (mode == BV_MODE_PIPELINED && !d->timeline_semaphore) {
        snprintf(why, n, "pipelined mode needs timeline semaphores (Vulkan 1.2), which %s lacks", d->name);
        return false;
    }
    return true;
}

/* Streams a job with its inputs and outputs in pinned memory. */
static bv_status execute_stream(bv_vk_context *ctx, const bv_vk_job *job, bv_vk_result *res, bv_error *err)
{
    bv_status st;
    size_t ebo = job->out_bytes ? job->out_bytes : job->elem_bytes;
    size_t ebx = job->x_bytes ? job->x_bytes : job->elem_bytes;
    size_t eby = job->arity == 2 ? (job->y_bytes ? job->y_bytes : job->elem_bytes) : 0;
    size_t xb, yb, ob, total, first = 0;
    unsigned arity = job->arity;
    uint8_t *pin = NULL;
    bv_vk_stream_job jobs[8];
    size_t njobs = job->njobs ? job->njobs : 1;
    bv_vk_stream_result sr;
    if (njobs > 8)
        return bv_error_set(err, BV_ERR_ARG, "a pipelined job is cut into at most 8 jobs, not %zu", njobs);
    if (job->alias != BV_ALIAS_NONE)
        return bv_error_set(err, BV_ERR_ARG, "pipelined mode binds out, x and y to buffers of their own");
    if (bv_size_mul(job->count, ebx, &xb) || bv_size_mul(job->count, eby, &yb) ||
        bv_size_mul(job->count, ebo, &ob) || bv_size_add(xb, yb, &total) || bv_size_add(total, ob, &total))
        return bv_error_set(err, BV_ERR_OVERFLOW, "too many elements: %zu", job->count);
    st = bv_vk_pinned_alloc(ctx, total, (void **)&pin, err);
    if (st)
        return st;
    memcpy(pin, job->x, xb);
    if (arity == 2)
        memcpy(pin + xb, job->y, yb);
    uint8_t *pout = pin + xb + yb;
    for (size_t j = 0; j < njobs; j++) {
        size_t n = job->njobs ? job->job_sizes[j] : job->count;
        if (n > job->count - first) {
            st = bv_error_set(err, BV_ERR_ARG, "pipelined job sizes add up to more than the job's %zu elements",
                              job->count);
            goto out;
        }
        jobs[j] = (bv_vk_stream_job){.x = pin + first * ebx,
                                     .y = arity == 2 ? pin + xb + first * eby : NULL,
                                     .out = pout + first * ebo,
                                     .count = n};
        first += n;
    }
    bv_vk_stream s = {.code = job->code,
                      .code_size = job->code_size,
                      .arity = arity,
                      .elem_bytes = job->elem_bytes,
                      .out_bytes = ebo,
                      .x_bytes = ebx,
                      .y_bytes = eby,
                      .jobs = jobs,
                      .njobs = njobs,
                      .chunk_elems = job->chunk_elems,
                      .buffers = job->buffers,
                      .warmup = job->warmup,
                      .reps = job->reps};
    st = bv_vk_run_stream(ctx, &s, &sr, err);
    if (!st) {
        memcpy(job->out, pout, ob);
        res->wall_ns = sr.wall_ns;
        res->dispatches = (uint32_t)sr.chunks;
        res->windows = (uint32_t)sr.chunks;
        res->canary_ok = sr.canary_ok;
        snprintf(res->canary_msg, sizeof res->canary_msg, "%s", sr.canary_msg);
        if (sr.timed) {
            res->kernel_timed = true;
            res->kernel_ns.n = 1;
            res->kernel_ns.median = res->kernel_ns.p10 = res->kernel_ns.p90 = res->kernel_ns.min = sr.busy_ns[1];
        }
        bv_vk_stream_result_free(&sr);
    }
out:
    bv_vk_pinned_free(ctx, pin);
    return st;
}

bool bv_vk_context_supports(bv_vk_context *ctx, unsigned needs, bv_mode mode, char *why, size_t n)
{
    /* The probe runs once per context, when a kernel first needs its answer. */
    if ((needs & BV_KERNEL_NEEDS_FUSED_FMA64) && ctx->info.shader_float64 && !ctx->info.fma_f64[0]) {
        bv_error err;
        if (bv_vk_probe_fma(ctx, &err) != BV_OK) {
            snprintf(why, n, "the kernel's products need a fused double fma, and the fma probe failed: %s", err.msg);
            return false;
        }
    }
    return bv_vk_supports(&ctx->info, needs, mode, why, n);
}

bv_status bv_vk_execute(bv_vk_context *ctx, const bv_vk_job *job, unsigned needs, bv_vk_result *res, bv_error *err)
{
    char why[1024];
    memset(res, 0, sizeof *res);
    if (!bv_vk_context_supports(ctx, needs, job->mode, why, sizeof why))
        return bv_error_set(err, BV_ERR_UNSUPPORTED, "%s", why);
    if (job->mode == BV_MODE_PIPELINED)
        return execute_stream(ctx, job, res, err);
    return bv_vk_run(ctx, job, res, err);
}
