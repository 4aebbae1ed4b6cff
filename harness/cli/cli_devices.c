/* harness/cli/cli_devices.c: `blsvk devices`: what Vulkan devices there are and what blsvk records of them. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bv_json.h"
#include "bv_version.h"
#include "cli_opts.h"

/* --- devices ------------------------------------------------------------------------ */

static void devices_help(FILE *f)
{
    fprintf(f, "usage: blsvk devices [--json] [--probe]\n\n"
               "Lists every Vulkan device with what blsvk records of it: index (for --device), name,\n"
               "type, API and driver versions, UUID, shaderInt64, shaderFloat64, timestamps and limits.\n"
               "  --probe   also open each device and run the double-precision fma probe: whether\n"
               "            fma(a, b, c) is fused and correctly rounded (what the f64 kernels need),\n"
               "            multiplied and added with two roundings, or neither (every run does this\n"
               "            for its device and records it; docs/RELIABILITY.md, \"The fma probe\")\n");
}

int bv_cli_devices(int argc, char **argv)
{
    static const struct option lo[] = {{"help", no_argument, NULL, OPT_HELP},
                                       {"json", no_argument, NULL, OPT_JSON},
                                       {"probe", no_argument, NULL, OPT_PROBE},
                                       {0, 0, 0, 0}};
    cli_opts o = {0};
    bv_vk_instance *inst = NULL;
    bv_error err;
    int rc = bv_cli_parse_opts("devices", argc, argv, lo, &o, devices_help);
    if (rc >= 0)
        return rc;
    bv_error_clear(&err);
    if (bv_vk_instance_create(NULL, &inst, &err)) {
        fprintf(stderr, "blsvk devices: %s\n", err.msg);
        return BV_EXIT_DEVICE;
    }
    uint32_t n = bv_vk_device_count(inst);
    if (n == 0) {
        fprintf(stderr, "blsvk devices: %s\n", bv_vk_no_device_hint());
        bv_vk_instance_destroy(inst);
        return BV_EXIT_DEVICE;
    }
    uint32_t def = 0;
    BV_IGNORE(bv_vk_device_select(inst, NULL, &def, NULL));
    /* With --probe, each device's record after its probe (a context of its own). */
    bv_device_info *probed = calloc(n, sizeof *probed);
    if (!probed) {
        fprintf(stderr, "blsvk devices: out of memory\n");
        bv_vk_instance_destroy(inst);
        return BV_EXIT_FAIL;
    }
    int rc_probe = BV_EXIT_OK;
    for (uint32_t i = 0; i < n; i++) {
        probed[i] = *bv_vk_device_info_at(inst, i);
        bv_vk_context *ctx = NULL;
        if (!o.probe)
            continue;
        if (bv_vk_context_create(inst, i, NULL, &ctx, &err) || bv_vk_probe_fma(ctx, &err)) {
            fprintf(stderr, "blsvk devices: [%u] %s: %s\n", i, probed[i].name, err.msg);
            rc_probe = BV_EXIT_DEVICE;
        } else {
            probed[i] = *bv_vk_context_device(ctx);
        }
        bv_vk_context_destroy(ctx);
    }
    if (o.json) {
        bv_json_writer *w = NULL;
        if (bv_json_writer_create(stdout, true, &w, &err) == BV_OK) {
            bv_json_arr_begin(w);
            for (uint32_t i = 0; i < n; i++) {
                const bv_device_info *d = &probed[i];
                bv_json_obj_begin(w);
                bv_device_write_json(w, d);
                bv_json_key(w, "default"); bv_json_bool_write(w, i == def);
                bv_json_obj_end(w);
            }
            bv_json_arr_end(w);
            BV_IGNORE(bv_json_writer_finish(w, NULL));
        }
    } else {
        printf("Vulkan loader %s; %u device%s\n", bv_vk_loader_version(inst), n, n == 1 ? "" : "s");
        for (uint32_t i = 0; i < n; i++) {
            const bv_device_info *d = &probed[i];
            uint64_t local = 0;
            for (uint32_t h = 0; h < d->heap_count; h++)
                if (d->heap_device_local[h])
                    local += d->heap_size[h];
            printf("\n[%u]%s %s (%s)\n", i, i == def ? " (default)" : "", d->name, d->device_type_name);
            printf("    uuid %s, vendor 0x%04x, device 0x%04x\n", d->uuid_str, d->vendor_id, d->device_id);
            printf("    Vulkan %s, driver %s %s (%s)\n", d->api_version_str, d->driver_name, d->driver_version_str,
                   d->driver_info);
            printf("    shaderInt64 %s, timeline semaphores %s, timestamps %u bits at %.3g ns/tick\n",
                   d->shader_int64 ? "yes" : "no (u64 variants NotSupported)", d->timeline_semaphore ? "yes" : "no",
                   d->timestamp_valid_bits, d->timestamp_period);
            printf("    workgroup size max %u (invocations %u), groups max %u, storage range %llu bytes\n",
                   d->max_workgroup_size[0], d->max_workgroup_invocations, d->max_workgroup_count[0],
                   (unsigned long long)d->max_storage_buffer_range);
            printf("    device-local memory %.1f GiB, compute queue family %u, transfer-only family %s\n",
                   (double)local / (1024.0 * 1024 * 1024), d->compute_queue_family,
                   d->transfer_queue_family >= 0 ? "yes" : "none");
            printf("    shaderFloat64 %s, VK_KHR_shader_fma %s, fp64 float controls: RTE %s, denormals %s\n",
                   d->shader_float64 ? "yes" : "no", d->shader_fma_khr ? "yes" : "no", d->fp64_rte ? "yes" : "no",
                   d->fp64_denorm_preserve ? "preservable" : d->fp64_denorm_flush ? "flushable" : "as the driver likes");
            if (d->fma_f64[0])
                printf("    double fma: %s (%u of %u probe cases fused%s)\n", d->fma_f64, d->fma_f64_fused,
                       d->fma_f64_cases, d->fma_f64_subnormal_flushed ? "; subnormal results flushed" : "");
        }
    }
    free(probed);
    bv_vk_instance_destroy(inst);
    return rc_probe;
}

