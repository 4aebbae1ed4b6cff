/* harness/cli/cli_bench.c: the bench verb: kernel throughput on device-resident data, chained
 * multiplications (compute-bound), round trips in persistent and one-shot mode, and pipelined
 * against sequential streaming, each checked against the reference and given as a fraction of
 * the copy and host-link bandwidth the same device shows in the same run. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bv_json.h"
#include "bv_run.h"
#include "bv_version.h"
#include "cli.h"
#include "cli_bench.h"
#include "cli_opts.h"

/* The family's product (the op its table tags PRODUCT): what bench chains, round-trips and
 * streams; BV_OP_COUNT when the family has none. */
static bv_op product_op(bv_family f)
{
    const bv_ref_family_info *fi = bv_ref_family(f);
    for (size_t i = 0; fi && i < fi->nops; i++)
        if (fi->ops[i].tags & BV_REF_TAG_PRODUCT)
            return fi->ops[i].op;
    return BV_OP_COUNT;
}

/* Checks count outputs against the reference, the family's way (the same point whatever its Z);
 * for a chain, `chain` products each. */
static bool verify(bv_family f, bv_op op, const uint8_t *x, const uint8_t *y, const uint8_t *got, size_t count,
                   uint32_t chain)
{
    size_t eb = bv_ref_family_bytes(f);
    if (chain) {
        size_t step = count > 1024 ? count / 1024 : 1;
        for (size_t i = 0; i < count; i += step) {
            uint8_t r[BV_REF_MAX_BYTES];
            memcpy(r, x + i * eb, eb);
            for (uint32_t k = 0; k < chain; k++)
                bv_ref_op(f, product_op(f), r, r, y + i * eb);
            if (memcmp(r, got + i * eb, eb) != 0)
                return false;
        }
        return true;
    }
    size_t ebo = bv_ref_slot_bytes(f, op, BV_REF_OUT);
    uint8_t *exp = malloc(count * ebo + 1);
    bv_error err;
    if (!exp || bv_ref_batch(f, op, exp, x, y, count, 0, &err) != BV_OK) {
        free(exp);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < count && ok; i++)
        ok = bv_ref_family(f)->compare(op, got + i * ebo, exp + i * ebo) == BV_REF_SAME;
    free(exp);
    return ok;
}

int bv_cli_bench(int argc, char **argv)
{
    bench_opts o = {.reps = 20, .warmup = 3, .chain = 64, .resident = true, .roundtrip = true, .pipelined = true,
                    .max_slowdown = 0.10};
    /* By default the fields and Fp2: a curve kernel compiles for minutes on a CPU device. */
    o.fields[BV_FAMILY_FP] = o.fields[BV_FAMILY_FR] = o.fields[BV_FAMILY_FP2] = true;
    for (int i = 0; i < BV_LIMBS_COUNT; i++)
        o.limbs[i] = true;
    for (int i = 0; i <= BV_OP_SQR; i++)
        o.ops[i] = true;
    int rc = bv_bench_parse(argc, argv, &o);
    if (rc >= 0)
        return rc;

    bv_error err;
    bv_vk_instance *inst = NULL;
    bv_vk_context *ctx = NULL;
    bench B = {0};
    uint8_t *x = NULL, *y = NULL, *got = NULL;
    bv_vec_set *vx = NULL, *vop = NULL; /* the product's inputs; another op's own */
    bool wrong = false;
    uint64_t xover = UINT64_MAX; /* the smallest crossover measured, in bytes */
    bv_error_clear(&err);
    if (bv_ref_init(&err)) {
        fprintf(stderr, "blsvk bench: %s\n", err.msg);
        return BV_EXIT_FAIL;
    }
    char settings[4096];
    bv_vk_context_opts co = {.timeout_ms = o.timeout_ms, .settings_dir = bv_cli_cache_dir(settings, sizeof settings)};
    bv_vk_instance_opts io = {.validation = o.validate, .gpu_assisted = o.validate_gpu};
    rc = bv_cli_open_device("bench", o.device, &io, &co, &inst, &ctx);
    if (rc >= 0)
        goto out;
    const bv_device_info *d = bv_vk_context_device(ctx);
    bool cpu = d->device_type == BV_DEVICE_TYPE_CPU;
    if (!o.nsizes) {
        static const size_t gpu[] = {(size_t)1 << 16, (size_t)1 << 20, (size_t)1 << 24};
        static const size_t cpu_s[] = {(size_t)1 << 10, (size_t)1 << 14};
        const size_t *src = cpu ? cpu_s : gpu;
        o.nsizes = cpu ? 2 : 3;
        memcpy(o.sizes, src, o.nsizes * sizeof *src);
    }
    if (!o.npsizes) {
        static const size_t gpu[] = {(size_t)1 << 14, (size_t)1 << 16, (size_t)1 << 18, (size_t)1 << 20};
        o.npsizes = cpu ? 1 : 4;
        memcpy(o.psizes, gpu, o.npsizes * sizeof *gpu);
    }
    if (!o.njobs) {
        static const size_t j[] = {1, 2, 4, 8, 16};
        o.njobs = cpu ? 2 : 5;
        memcpy(o.jobs, j, o.njobs * sizeof *j);
    }
    /* Only sizes someone chose are fine enough to record a crossover from (the default two
     * would put it at 64 elements on an H100, where it lies near 4096). */
    const bool measure_xover = o.nrsizes > 1;
    if (!o.nrsizes) {
        o.rsizes[0] = 64;
        o.rsizes[1] = 65536;
        o.nrsizes = 2;
    }
    size_t maxn = 0, maxr = 0;
    for (size_t i = 0; i < o.nrsizes; i++)
        if (o.rsizes[i] > maxr)
            maxr = o.rsizes[i];
    for (size_t i = 0; i < o.nsizes; i++)
        if (o.sizes[i] > maxn)
            maxn = o.sizes[i];
    size_t maxp = 0, maxj = 0;
    for (size_t i = 0; i < o.npsizes; i++)
        if (o.psizes[i] > maxp)
            maxp = o.psizes[i];
    for (size_t i = 0; i < o.njobs; i++)
        if (o.jobs[i] > maxj)
            maxj = o.jobs[i];
    if (maxp > maxn)
        maxn = maxp;
    if (maxr > maxn)
        maxn = maxr;
    if (maxn < 65536)
        maxn = 65536;

    printf("blsvk bench on [%u] %s (%s, driver %s %s), workgroup %u\n", d->index, d->name, d->device_type_name,
           d->driver_name, d->driver_version_str, bv_vk_context_workgroup_size(ctx));
    bv_vk_bounds bounds;
    size_t bbytes = cpu ? (size_t)64 << 20 : (size_t)1 << 30;
    if (bv_vk_measure_bounds(ctx, bbytes, cpu ? 5 : 10, &bounds, &err)) {
        fprintf(stderr, "blsvk bench: measuring the device's bandwidth: %s\n", err.msg);
        rc = BV_EXIT_DEVICE;
        goto out;
    }
    printf("bounds (%zu MiB copies): shader copy %.1f GB/s, copy engine %.1f GB/s (read+written); "
           "host->device %.1f GB/s, device->host %.1f GB/s; ",
           bounds.bytes >> 20, bounds.shader_copy_Bps / 1e9, bounds.engine_copy_Bps / 1e9, bounds.h2d_Bps / 1e9,
           bounds.d2h_Bps / 1e9);
    /* Both directions at once need a second transfer queue: where there is none, nothing was measured. */
    if (bounds.duplex_h2d_Bps > 0 && bounds.duplex_d2h_Bps > 0)
        printf("both at once %.1f + %.1f GB/s\n\n", bounds.duplex_h2d_Bps / 1e9, bounds.duplex_d2h_Bps / 1e9);
    else
        printf("both at once n/a (no second transfer queue)\n\n");
    printf("%-9s %-22s %-10s %9s %4s %11s %11s %11s %10s %6s\n", "kind", "kernel", "mode", "size", "jobs",
           "median_us", "p10_us", "p90_us", "G/s", "bound");

    /* Inputs: one random set per field, large enough for every run; y follows x. */
    size_t eb_max = BV_REF_MAX_BYTES, bytes_max;
    if (bv_size_mul(maxn, eb_max, &bytes_max) || !(got = malloc(bytes_max))) {
        fprintf(stderr, "blsvk bench: out of memory for %zu elements\n", maxn);
        rc = BV_EXIT_FAIL;
        goto out;
    }
    int first_field = -1, first_limbs = -1;
    for (int f = 0; f < BV_FAMILY_COUNT && first_field < 0; f++)
        if (o.fields[f])
            first_field = f;
    for (int l = 0; l < BV_LIMBS_COUNT && first_limbs < 0; l++)
        if (o.limbs[l])
            first_limbs = l;
    for (int f = 0; f < BV_FAMILY_COUNT; f++) {
        if (!o.fields[f])
            continue;
        bv_op prod = product_op((bv_family)f);
        size_t eb = bv_ref_family_bytes((bv_family)f);
        /* Chains, round trips and streams multiply x by y: a family whose product is not such a
         * product (a curve's dbl) is timed resident only. */
        const bv_ref_op_info *prodi = bv_ref_family_op((bv_family)f, prod);
        bool binary_product = prodi && prodi->arity == 2;
        bv_vec_set_destroy(vx);
        vx = NULL;
        if (bv_vec_random((bv_family)f, prod, 1, 0, maxn, &vx, &err)) {
            fprintf(stderr, "blsvk bench: %s\n", err.msg);
            rc = BV_EXIT_FAIL;
            goto out;
        }
        x = vx->x;
        y = vx->y;
        for (int l = 0; l < BV_LIMBS_COUNT; l++) {
            if (!o.limbs[l])
                continue;
            char why[1024];
            /* A limb width is what its product kernel needs (f64: doubles and a fused fma). */
            const bv_kernel *pk = bv_kernel_builtin((bv_family)f, prod, (bv_limbs)l);
            if (!pk)
                continue;
            if (!bv_vk_context_supports(ctx, pk->needs, BV_MODE_PERSISTENT, why, sizeof why)) {
                printf("(%s variants skipped: %s)\n", bv_limbs_name((bv_limbs)l), why);
                continue;
            }
            for (int op = 0; op < BV_OP_COUNT && o.resident; op++) {
                if (!o.ops[op])
                    continue;
                const bv_kernel *k = bv_kernel_builtin((bv_family)f, (bv_op)op, (bv_limbs)l);
                const bv_ref_op_info *oi = bv_ref_family_op((bv_family)f, (bv_op)op);
                if (!k || !oi)
                    continue;
                unsigned arity = oi->arity;
                /* An op whose inputs are not the product's (a point and an affine point or a
                 * scalar; two points where the product, dbl, takes one) gets inputs of its own. */
                const bv_ref_op_info *pi = bv_ref_family_op((bv_family)f, prod);
                const uint8_t *ox = x, *oy = y;
                if (!pi || oi->in_bytes[0] != pi->in_bytes[0] || oi->in_bytes[1] != pi->in_bytes[1]) {
                    bv_vec_set_destroy(vop);
                    vop = NULL;
                    if (bv_vec_random((bv_family)f, (bv_op)op, 1, 0, maxn, &vop, &err)) {
                        fprintf(stderr, "blsvk bench: %s\n", err.msg);
                        rc = BV_EXIT_FAIL;
                        goto out;
                    }
                    ox = vop->x;
                    oy = vop->y;
                }
                for (size_t si = 0; si < o.nsizes; si++) {
                    size_t n = o.sizes[si];
                    entry *e = bv_bench_add_entry(&B);
                    if (!e)
                        goto oom;
                    snprintf(e->kind, sizeof e->kind, "resident");
                    snprintf(e->name, sizeof e->name, "%s", k->name);
                    snprintf(e->mode, sizeof e->mode, "resident");
                    e->size = n;
                    e->jobs = 1;
                    bv_vk_resident r = {.code = k->code, .code_size = k->code_size, .arity = arity,
                                        .elem_bytes = eb, .out_bytes = oi->out_bytes, .x_bytes = oi->in_bytes[0],
                                        .y_bytes = oi->in_bytes[1], .count = n, .x = ox, .y = oy, .out = got,
                                        .warmup = o.warmup, .reps = o.reps};
                    if (bv_vk_bench_resident(ctx, &r, &e->ns, &err)) {
                        B.n--;
                        printf("%-9s %-22s %9zu: %s\n", "resident", k->name, n, err.msg);
                        continue;
                    }
                    double bpe = (double)(oi->out_bytes + oi->in_bytes[0] + (arity == 2 ? oi->in_bytes[1] : 0));
                    e->per_s = (double)n / (e->ns.median * 1e-9);
                    e->bytes_per_s = e->per_s * bpe;
                    e->bound_per_s = bounds.shader_copy_Bps / bpe;
                    e->verified = verify((bv_family)f, (bv_op)op, ox, oy, got, n, 0);
                    wrong |= !e->verified;
                    if (si == 0 && bv_vk_pipeline_stats(ctx, k->code, k->code_size, arity, NULL, e->note,
                                                        sizeof e->note, NULL) != BV_OK)
                        e->note[0] = '\0';
                    bv_bench_print_entry(e);
                }
            }
            if (o.resident && o.chain && binary_product && o.ops[prod]) {
                uint32_t *code = NULL;
                size_t code_size = 0;
                size_t n = o.sizes[o.nsizes - 1];
                if (bv_kernel_tool_chain((bv_family)f, (bv_limbs)l, o.chain, &code, &code_size, &err)) {
                    fprintf(stderr, "blsvk bench: chain kernel: %s\n", err.msg);
                    rc = BV_EXIT_FAIL;
                    goto out;
                }
                entry *e = bv_bench_add_entry(&B);
                if (!e) {
                    free(code);
                    goto oom;
                }
                snprintf(e->kind, sizeof e->kind, "chain");
                snprintf(e->name, sizeof e->name, "%s.mul.%s x%u", bv_ref_family_name((bv_family)f),
                         bv_limbs_name((bv_limbs)l), o.chain);
                snprintf(e->mode, sizeof e->mode, "resident");
                e->size = n;
                e->jobs = 1;
                bv_vk_resident r = {.code = code, .code_size = code_size, .arity = 2, .elem_bytes = eb, .count = n,
                                    .x = x, .y = y, .out = got, .warmup = o.warmup, .reps = o.reps};
                bv_status st = bv_vk_bench_resident(ctx, &r, &e->ns, &err);
                free(code);
                if (st) {
                    B.n--;
                    printf("%-9s chain %9zu: %s\n", "chain", n, err.msg);
                } else {
                    e->per_s = (double)n * o.chain / (e->ns.median * 1e-9);
                    snprintf(e->note, sizeof e->note, "products/s");
                    e->verified = verify((bv_family)f, prod, x, y, got, n, o.chain);
                    wrong |= !e->verified;
                    bv_bench_print_entry(e);
                }
            }
            /* The floor, waited for blsvk's way (the entry "empty submit") and, to see where a
             * slow one's time goes, spinning only and blocking only, each with the time inside
             * vkQueueSubmit alone. */
            for (int how = 0; o.roundtrip && f == first_field && l == first_limbs && how < BV_VK_WAIT_HOW_COUNT;
                 how++) {
                entry *e = bv_bench_add_entry(&B);
                bv_stats sub;
                if (!e)
                    goto oom;
                if (bv_vk_measure_submit_how(ctx, o.reps, (bv_vk_wait_how)how, &e->ns, &sub, &err)) {
                    B.n--;
                    printf("submit floor (%s): %s\n", bv_vk_wait_how_name((bv_vk_wait_how)how), err.msg);
                } else {
                    snprintf(e->kind, sizeof e->kind, "roundtrip");
                    snprintf(e->name, sizeof e->name, how == BV_VK_WAIT_HYBRID ? "empty submit" : "empty submit, %s",
                             bv_vk_wait_how_name((bv_vk_wait_how)how));
                    snprintf(e->mode, sizeof e->mode, "-");
                    e->verified = true;
                    snprintf(e->note, sizeof e->note, "floor (%s wait); vkQueueSubmit alone %.1f us",
                             bv_vk_wait_how_name((bv_vk_wait_how)how), sub.median / 1e3);
                    bv_bench_print_entry(e);
                }
            }
            if (o.roundtrip && binary_product && o.ops[prod]) {
                /* Upload x and y, multiply, download, wait: what a caller waits for. */
                const bv_kernel *k = bv_kernel_builtin((bv_family)f, prod, (bv_limbs)l);
                const size_t *rs = o.rsizes;
                uint8_t *pin = NULL;
                /* The third pass keeps x, y and the output in pinned memory, as a prover that
                 * allocates through blsvk would: no host copies on the way. */
                if (bv_vk_pinned_alloc(ctx, 3 * maxr * eb, (void **)&pin, &err)) {
                    fprintf(stderr, "blsvk bench: %s\n", err.msg);
                    pin = NULL;
                } else {
                    memcpy(pin, x, maxr * eb);
                    memcpy(pin + maxr * eb, y, maxr * eb);
                }
                /* Modes: oneshot, persistent, persistent with pinned arrays, persistent with the
                 * kernel reading and writing host-visible memory (no copies at all). */
                for (int m = BV_MODE_ONESHOT; m <= BV_MODE_PERSISTENT + 2; m++)
                    for (size_t si = 0; si < o.nrsizes; si++) {
                        bool pinned = m == BV_MODE_PERSISTENT + 1, hostmem = m == BV_MODE_PERSISTENT + 2;
                        if (pinned && !pin)
                            continue;
                        bv_vk_job job = {.code = k->code, .code_size = k->code_size, .arity = 2, .elem_bytes = eb,
                                         .count = rs[si], .x = pinned ? pin : x,
                                         .y = pinned ? pin + maxr * eb : y,
                                         .out = pinned ? pin + 2 * maxr * eb : got,
                                         .mode = m > BV_MODE_PERSISTENT ? BV_MODE_PERSISTENT : (bv_mode)m,
                                         .memory = hostmem ? BV_MEMORY_HOST : BV_MEMORY_DEVICE,
                                         .no_timestamps = m > BV_MODE_PERSISTENT,
                                         /* A round trip as a prover makes it: the results
                                          * come back, the inputs are not read again. */
                                         .no_input_check = true,
                                         .warmup = o.warmup, .reps = o.reps};
                        bv_vk_result res;
                        entry *e = bv_bench_add_entry(&B);
                        if (!e)
                            goto oom;
                        if (bv_vk_run(ctx, &job, &res, &err)) {
                            B.n--;
                            printf("roundtrip %s: %s\n", k->name, err.msg);
                            continue;
                        }
                        snprintf(e->kind, sizeof e->kind, "roundtrip");
                        snprintf(e->name, sizeof e->name, "%s", k->name);
                        snprintf(e->mode, sizeof e->mode, "%s",
                                 pinned ? "pers+pin" : hostmem ? "pers+host" : bv_mode_name((bv_mode)m));
                        if (m > BV_MODE_PERSISTENT)
                            snprintf(e->note, sizeof e->note, "no GPU timestamps");
                        e->size = rs[si];
                        e->jobs = 1;
                        e->ns = res.wall_ns;
                        e->per_s = (double)rs[si] / (e->ns.median * 1e-9);
                        e->verified = verify((bv_family)f, prod, job.x, job.y, job.out, rs[si], 0) && res.canary_ok;
                        wrong |= !e->verified;
                        bv_bench_print_entry(e);
                    }
                bv_vk_pinned_free(ctx, pin);
                /* --memory auto's limit on this device: up to which size the kernel on
                 * host-visible memory beat the persistent path (device memory and staging), as the
                 * bytes of the job's arrays (x, y and out). */
                if (measure_xover) {
                    size_t won = 0;
                    for (size_t si = 0; si < o.nrsizes; si++) {
                        const entry *h = NULL, *dv = NULL;
                        for (size_t i = 0; i < B.n; i++) {
                            const entry *e = &B.e[i];
                            if (strcmp(e->kind, "roundtrip") != 0 || strcmp(e->name, k->name) != 0 || e->size != rs[si])
                                continue;
                            if (strcmp(e->mode, "pers+host") == 0)
                                h = e;
                            else if (strcmp(e->mode, "persistent") == 0)
                                dv = e;
                        }
                        if (h && dv && h->ns.median < dv->ns.median && rs[si] > won)
                            won = rs[si];
                    }
                    /* Where device memory won at every size, nothing goes on host memory. */
                    uint64_t bytes = won ? (uint64_t)won * 3 * eb : 1;
                    if (won)
                        printf("memory crossover, %s: host-visible memory won up to %zu elements: --memory-crossover "
                               "%llu\n", k->name, won, (unsigned long long)bytes);
                    else
                        printf("memory crossover, %s: device memory won at every size: --memory device\n", k->name);
                    if (bytes < xover)
                        xover = bytes;
                }
            }
            if (o.pipelined && binary_product && o.ops[prod]) {
                const bv_kernel *k = bv_kernel_builtin((bv_family)f, prod, (bv_limbs)l);
                /* The link bound of c = a op b: 2 elements up and 1 down per result, both
                 * directions at once where the device can (as measured), else one way each. */
                double up = bounds.duplex_h2d_Bps > 0 ? bounds.duplex_h2d_Bps : bounds.h2d_Bps;
                double down = bounds.duplex_d2h_Bps > 0 ? bounds.duplex_d2h_Bps : bounds.d2h_Bps;
                double bound = up / (2.0 * (double)eb);
                if (down / (double)eb < bound)
                    bound = down / (double)eb;
                for (size_t pi = 0; pi < o.npsizes; pi++)
                    for (size_t ji = 0; ji < o.njobs; ji++) {
                        size_t n = o.psizes[pi], nj = o.jobs[ji], per, total;
                        uint8_t *pin = NULL;
                        if (bv_size_mul(n, eb, &per) || bv_size_mul(per, 3 * nj, &total) ||
                            bv_vk_pinned_alloc(ctx, total, (void **)&pin, &err)) {
                            printf("pipelined %zu x %zu: cannot pin %zu x 3 x %zu bytes\n", nj, n, nj, per);
                            continue;
                        }
                        bv_vk_stream_job jobs[MAX_LIST];
                        for (size_t j = 0; j < nj; j++) {
                            jobs[j] = (bv_vk_stream_job){.x = pin + 3 * j * per, .y = pin + (3 * j + 1) * per,
                                                         .out = pin + (3 * j + 2) * per, .count = n};
                            memcpy(pin + 3 * j * per, x, per);
                            memcpy(pin + (3 * j + 1) * per, y, per);
                        }
                        for (int seq = 1; seq >= 0; seq--) {
                            bv_vk_stream s = {.code = k->code, .code_size = k->code_size, .arity = 2,
                                              .elem_bytes = eb, .jobs = jobs, .njobs = nj, .chunk_elems = o.chunk,
                                              .buffers = seq ? 1 : o.buffers, .warmup = o.warmup, .reps = o.reps};
                            bv_vk_stream_result sr;
                            entry *e = bv_bench_add_entry(&B);
                            if (!e) {
                                bv_vk_pinned_free(ctx, pin);
                                goto oom;
                            }
                            if (bv_vk_run_stream(ctx, &s, &sr, &err)) {
                                B.n--;
                                printf("pipelined %s: %s\n", k->name, err.msg);
                                continue;
                            }
                            snprintf(e->kind, sizeof e->kind, "stream");
                            snprintf(e->name, sizeof e->name, "%s", k->name);
                            snprintf(e->mode, sizeof e->mode, "%s", seq ? "sequential" : "pipelined");
                            e->size = n;
                            e->jobs = nj;
                            e->ns = sr.wall_ns;
                            e->per_s = (double)(n * nj) / (e->ns.median * 1e-9);
                            e->bytes_per_s = e->per_s * 3.0 * (double)eb;
                            e->bound_per_s = bound;
                            /* Overlap: the stages' summed busy time over the span they took together
                             * (1 = one stage at a time, up to 3 with all three overlapping). */
                            double overlap = sr.timed && sr.span_ns > 0
                                                 ? (sr.busy_ns[0] + sr.busy_ns[1] + sr.busy_ns[2]) / sr.span_ns
                                                 : 0;
                            snprintf(e->note, sizeof e->note, "chunk %zu, %u buf, %zu chunks, overlap %.2f%s%s",
                                     sr.chunk_elems, sr.buffers, sr.chunks, overlap,
                                     sr.transfer_queue ? ", transfer queues" : "", sr.pinned ? "" : ", copied");
                            e->verified = sr.canary_ok;
                            for (size_t j = 0; j < nj && e->verified; j++)
                                e->verified = verify((bv_family)f, prod, x, y, jobs[j].out, n, 0);
                            wrong |= !e->verified;
                            bv_vk_stream_result_free(&sr);
                            bv_bench_print_entry(e);
                        }
                        bv_vk_pinned_free(ctx, pin);
                    }
            }
        }
    }
    if (o.nworkloads) {
        if (!o.nwsizes) {
            o.wsizes[0] = cpu ? (size_t)1 << 10 : (size_t)1 << 16;
            o.wsizes[1] = (size_t)1 << 20;
            o.nwsizes = cpu ? 1 : 2;
        }
        if (!bv_bench_workloads(ctx, &o, &bounds, &B))
            wrong = true;
    }
    rc = wrong ? BV_EXIT_FAIL : BV_EXIT_OK;
    /* The smallest of the kernels' crossovers, kept for this device and driver: run's --memory
     * auto takes it from there. Not from a run whose results were wrong. */
    if (xover != UINT64_MAX && !wrong) {
        const char *path;
        if (bv_vk_context_record_memory_crossover(ctx, xover, &path, &err))
            fprintf(stderr, "blsvk bench: the memory crossover was not recorded: %s\n", err.msg);
        else
            printf("memory crossover %llu bytes recorded for this device and driver in %s (run --memory auto "
                   "uses it)\n", (unsigned long long)xover, path);
    }
    if (o.out && !bv_bench_write_json(o.out, d, &bounds, &B, argc, argv))
        rc = BV_EXIT_FAIL;
    if (o.baseline) {
        printf("\n");
        int crc = bv_bench_compare_baseline(&o, d, &B);
        if (crc > rc)
            rc = crc;
    }
    if (wrong)
        fprintf(stderr, "blsvk bench: some kernels returned wrong results (marked WRONG)\n");
    if (o.validate && bv_cli_validation_summary("bench", inst, o.validate_gpu) != BV_EXIT_OK)
        rc = BV_EXIT_FAIL;
    goto out;
oom:
    fprintf(stderr, "blsvk bench: out of memory\n");
    rc = BV_EXIT_FAIL;
out:
    free(got);
    bv_vec_set_destroy(vx);
    bv_vec_set_destroy(vop);
    free(B.e);
    bv_vk_context_destroy(ctx);
    bv_vk_instance_destroy(inst);
    return rc;
}

