/* reports/report_json.c: results.json and the crash-safe results.jsonl case log. */
#define _GNU_SOURCE
#include "bv_report.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bv_json.h"

static const char *const status_names[] = {"pass",           "fail",           "not-supported", "timeout",
                                           "device-lost",    "internal-error", "skipped"};
_Static_assert(sizeof(status_names) / sizeof(status_names[0]) == BV_RESULT_COUNT, "one name per result status");

const char *bv_report_status_name(bv_report_status s)
{
    return (unsigned)s < BV_RESULT_COUNT ? status_names[s] : "?";
}

bv_status bv_report_status_parse(const char *name, bv_report_status *out)
{
    for (unsigned i = 0; i < BV_RESULT_COUNT; i++)
        if (name && strcmp(name, status_names[i]) == 0) {
            *out = (bv_report_status)i;
            return BV_OK;
        }
    return BV_ERR_VALUE;
}

void bv_report_totals(const bv_report_case *cases, size_t n, size_t totals[BV_RESULT_COUNT])
{
    memset(totals, 0, sizeof(size_t) * BV_RESULT_COUNT);
    for (size_t i = 0; i < n; i++)
        if ((unsigned)cases[i].status < BV_RESULT_COUNT)
            totals[cases[i].status]++;
}

void bv_report_device_slug(const bv_vk_device_info *d, char *buf, size_t n)
{
    size_t k = 0;
    bool dash = false;
    for (const char *p = d->name; *p && k + 10 < n; p++) {
        if (isalnum((unsigned char)*p)) {
            if (dash && k)
                buf[k++] = '-';
            buf[k++] = (char)tolower((unsigned char)*p);
            dash = false;
        } else {
            dash = true;
        }
    }
    /* The UUID's first bytes tell two boards of the same model apart. */
    snprintf(buf + k, n - k, "%s%.8s", k ? "-" : "", d->uuid_str);
}

static void write_device(bv_json_writer *w, const bv_vk_device_info *d)
{
    bv_json_obj_begin(w);
    bv_json_key(w, "index"); bv_json_u64(w, d->index);
    bv_json_key(w, "name"); bv_json_str(w, d->name);
    bv_json_key(w, "type"); bv_json_str(w, d->device_type_name);
    bv_json_key(w, "vendor_id"); bv_json_u64(w, d->vendor_id);
    bv_json_key(w, "device_id"); bv_json_u64(w, d->device_id);
    bv_json_key(w, "uuid"); bv_json_str(w, d->uuid_str);
    bv_json_key(w, "api_version"); bv_json_str(w, d->api_version_str);
    bv_json_key(w, "driver_version"); bv_json_str(w, d->driver_version_str);
    bv_json_key(w, "driver_version_raw"); bv_json_u64(w, d->driver_version);
    bv_json_key(w, "driver_name"); bv_json_str(w, d->driver_name);
    bv_json_key(w, "driver_info"); bv_json_str(w, d->driver_info);
    bv_json_key(w, "shader_int64"); bv_json_bool_write(w, d->shader_int64);
    bv_json_key(w, "timeline_semaphore"); bv_json_bool_write(w, d->timeline_semaphore);
    bv_json_key(w, "timestamp_period_ns"); bv_json_num(w, d->timestamp_period);
    bv_json_key(w, "timestamp_valid_bits"); bv_json_u64(w, d->timestamp_valid_bits);
    bv_json_key(w, "subgroup_size"); bv_json_u64(w, d->subgroup_size);
    bv_json_key(w, "max_workgroup_size");
    bv_json_arr_begin(w);
    for (int i = 0; i < 3; i++)
        bv_json_u64(w, d->max_workgroup_size[i]);
    bv_json_arr_end(w);
    bv_json_key(w, "max_workgroup_invocations"); bv_json_u64(w, d->max_workgroup_invocations);
    bv_json_key(w, "max_workgroup_count");
    bv_json_arr_begin(w);
    for (int i = 0; i < 3; i++)
        bv_json_u64(w, d->max_workgroup_count[i]);
    bv_json_arr_end(w);
    bv_json_key(w, "max_storage_buffer_range"); bv_json_u64(w, d->max_storage_buffer_range);
    bv_json_key(w, "min_storage_buffer_offset_alignment"); bv_json_u64(w, d->min_storage_buffer_offset_alignment);
    bv_json_key(w, "memory_heaps");
    bv_json_arr_begin(w);
    for (uint32_t i = 0; i < d->heap_count; i++) {
        bv_json_obj_begin(w);
        bv_json_key(w, "size"); bv_json_u64(w, d->heap_size[i]);
        bv_json_key(w, "device_local"); bv_json_bool_write(w, d->heap_device_local[i]);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_key(w, "compute_queue_family"); bv_json_u64(w, d->compute_queue_family);
    bv_json_key(w, "transfer_queue_family"); bv_json_int(w, d->transfer_queue_family);
    bv_json_obj_end(w);
}

static void write_stats(bv_json_writer *w, const char *key, const bv_vk_stats *s)
{
    bv_json_key(w, key);
    bv_json_obj_begin(w);
    bv_json_key(w, "median"); bv_json_num(w, s->median);
    bv_json_key(w, "p10"); bv_json_num(w, s->p10);
    bv_json_key(w, "p90"); bv_json_num(w, s->p90);
    bv_json_key(w, "min"); bv_json_num(w, s->min);
    bv_json_key(w, "n"); bv_json_u64(w, s->n);
    bv_json_obj_end(w);
}

static void write_case(bv_json_writer *w, const bv_report_case *c)
{
    bv_json_obj_begin(w);
    bv_json_key(w, "name"); bv_json_str(w, c->name);
    bv_json_key(w, "field"); bv_json_str(w, c->field);
    bv_json_key(w, "op"); bv_json_str(w, c->op);
    bv_json_key(w, "limbs"); bv_json_str(w, c->limbs);
    bv_json_key(w, "mode"); bv_json_str(w, c->mode);
    bv_json_key(w, "set"); bv_json_str(w, c->set);
    bv_json_key(w, "size"); bv_json_u64(w, c->size);
    bv_json_key(w, "status"); bv_json_str(w, bv_report_status_name(c->status));
    bv_json_key(w, "reason"); bv_json_str(w, c->reason);
    bv_json_key(w, "elements"); bv_json_u64(w, c->elements);
    bv_json_key(w, "mismatches"); bv_json_u64(w, c->mismatches);
    bv_json_key(w, "first_mismatches");
    bv_json_arr_begin(w);
    for (unsigned i = 0; i < c->nfirst; i++) {
        const bv_report_mismatch *m = &c->first[i];
        bv_json_obj_begin(w);
        bv_json_key(w, "index"); bv_json_u64(w, m->index);
        bv_json_key(w, "name"); bv_json_str(w, m->name);
        bv_json_key(w, "inputs");
        bv_json_arr_begin(w);
        for (unsigned k = 0; k < m->ninputs; k++)
            bv_json_str(w, m->inputs[k]);
        bv_json_arr_end(w);
        bv_json_key(w, "expected"); bv_json_str(w, m->expected);
        bv_json_key(w, "got"); bv_json_str(w, m->got);
        bv_json_key(w, "limbs_differing");
        bv_json_arr_begin(w);
        for (unsigned k = 0; k < 32; k++)
            if (m->limb_diff & (1u << k))
                bv_json_u64(w, k);
        bv_json_arr_end(w);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_key(w, "replay"); bv_json_str(w, c->replay[0] ? c->replay : NULL);
    bv_json_key(w, "kernel");
    bv_json_obj_begin(w);
    bv_json_key(w, "source"); bv_json_str(w, c->kernel_source);
    bv_json_key(w, "sha256"); bv_json_str(w, c->kernel_sha256[0] ? c->kernel_sha256 : NULL);
    bv_json_obj_end(w);
    bv_json_key(w, "dispatches"); bv_json_u64(w, c->dispatches);
    bv_json_key(w, "seconds"); bv_json_num(w, c->seconds);
    bv_json_key(w, "timing");
    if (!c->timing.valid) {
        bv_json_null(w);
    } else {
        const bv_report_timing *t = &c->timing;
        bv_json_obj_begin(w);
        bv_json_key(w, "reps"); bv_json_u64(w, t->reps);
        bv_json_key(w, "kernel_timed"); bv_json_bool_write(w, t->kernel_timed);
        if (t->kernel_timed)
            write_stats(w, "kernel_ns", &t->kernel_ns);
        write_stats(w, "end_to_end_ns", &t->wall_ns);
        bv_json_key(w, "bytes_per_element"); bv_json_num(w, t->bytes_per_elem);
        bv_json_key(w, "kernel_elements_per_s"); bv_json_num(w, t->kernel_timed ? t->kernel_elems_per_s : 0.0 / 0.0);
        bv_json_key(w, "kernel_bytes_per_s"); bv_json_num(w, t->kernel_timed ? t->kernel_bytes_per_s : 0.0 / 0.0);
        bv_json_key(w, "end_to_end_elements_per_s"); bv_json_num(w, t->wall_elems_per_s);
        bv_json_obj_end(w);
    }
    bv_json_obj_end(w);
}

static void write_run(bv_json_writer *w, const bv_report_run *r)
{
    bv_json_key(w, "run_id"); bv_json_str(w, r->run_id);
    bv_json_key(w, "started"); bv_json_str(w, r->started);
    bv_json_key(w, "command_line"); bv_json_str(w, r->command_line);
    bv_json_key(w, "host"); bv_json_str(w, r->host);
    bv_json_key(w, "suite"); bv_json_str(w, r->suite);
    bv_json_key(w, "memory"); bv_json_str(w, r->memory);
    bv_json_key(w, "workgroup_size"); bv_json_u64(w, r->workgroup_size);
    bv_json_key(w, "validation"); bv_json_bool_write(w, r->validation);
    bv_json_key(w, "toolchain");
    bv_json_obj_begin(w);
    bv_json_key(w, "blsvk_version"); bv_json_str(w, r->blsvk_version);
    bv_json_key(w, "git_revision"); bv_json_str(w, r->git_revision);
    bv_json_key(w, "glslang"); bv_json_str(w, r->glslang_version);
    bv_json_key(w, "spirv_tools"); bv_json_str(w, r->spirv_tools_version);
    bv_json_key(w, "vulkan_loader"); bv_json_str(w, r->loader_version);
    bv_json_obj_end(w);
    bv_json_key(w, "device");
    write_device(w, &r->device);
}

bv_status bv_report_write_json(const char *path, const bv_report_run *run, const bv_report_case *cases, size_t n,
                               bv_error *err)
{
    bv_status st;
    bv_atomic_file af;
    bv_json_writer *w = NULL;
    size_t totals[BV_RESULT_COUNT];
    st = bv_atomic_open(&af, path, err);
    if (st)
        return st;
    st = bv_json_writer_create(af.f, true, &w, err);
    if (st)
        goto fail;
    bv_json_obj_begin(w);
    bv_json_key(w, "format"); bv_json_str(w, BV_REPORT_SCHEMA);
    write_run(w, run);
    bv_json_key(w, "cases");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < n; i++)
        write_case(w, &cases[i]);
    bv_json_arr_end(w);
    bv_report_totals(cases, n, totals);
    bv_json_key(w, "totals");
    bv_json_obj_begin(w);
    bv_json_key(w, "cases"); bv_json_u64(w, n);
    for (unsigned s = 0; s < BV_RESULT_COUNT; s++) {
        bv_json_key(w, bv_report_status_name((bv_report_status)s));
        bv_json_u64(w, totals[s]);
    }
    bv_json_obj_end(w);
    bv_json_obj_end(w);
    st = bv_json_writer_finish(w, err);
    w = NULL;
    if (st)
        goto fail;
    return bv_atomic_commit(&af, err);
fail:
    if (w)
        BV_IGNORE(bv_json_writer_finish(w, NULL));
    bv_atomic_abort(&af);
    bv_error_prefix(err, "%s", path);
    return st;
}

struct bv_report_log {
    FILE *f;
    char path[4096];
};

static bv_status log_flush(bv_report_log *log, bv_error *err)
{
    /* fsync per line: a SIGKILL or power cut keeps every case that finished. */
    if (fflush(log->f) != 0 || fsync(fileno(log->f)) != 0)
        return bv_error_set(err, BV_ERR_IO, "%s: write failed: %s", log->path, strerror(errno));
    return BV_OK;
}

bv_status bv_report_log_open(const char *path, const bv_report_run *run, bv_report_log **out, bv_error *err)
{
    bv_status st;
    bv_json_writer *w = NULL;
    bv_report_log *log = calloc(1, sizeof *log);
    *out = NULL;
    if (!log)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    snprintf(log->path, sizeof log->path, "%s", path);
    log->f = fopen(path, "a");
    if (!log->f) {
        st = bv_error_set(err, BV_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
        goto fail;
    }
    st = bv_json_writer_create(log->f, false, &w, err);
    if (st)
        goto fail;
    bv_json_obj_begin(w);
    bv_json_key(w, "event"); bv_json_str(w, "run");
    bv_json_key(w, "format"); bv_json_str(w, BV_REPORT_SCHEMA);
    write_run(w, run);
    bv_json_obj_end(w);
    st = bv_json_writer_finish(w, err);
    if (st)
        goto fail;
    st = log_flush(log, err);
    if (st)
        goto fail;
    *out = log;
    return BV_OK;
fail:
    bv_report_log_close(log);
    return st;
}

bv_status bv_report_log_start(bv_report_log *log, const char *case_name, bv_error *err)
{
    bv_json_writer *w = NULL;
    bv_status st = bv_json_writer_create(log->f, false, &w, err);
    if (st)
        return st;
    bv_json_obj_begin(w);
    bv_json_key(w, "event"); bv_json_str(w, "start");
    bv_json_key(w, "case"); bv_json_str(w, case_name);
    bv_json_obj_end(w);
    st = bv_json_writer_finish(w, err);
    return st ? st : log_flush(log, err);
}

bv_status bv_report_log_result(bv_report_log *log, const bv_report_case *c, bv_error *err)
{
    bv_json_writer *w = NULL;
    bv_status st = bv_json_writer_create(log->f, false, &w, err);
    if (st)
        return st;
    bv_json_obj_begin(w);
    bv_json_key(w, "event"); bv_json_str(w, "result");
    bv_json_key(w, "result");
    write_case(w, c);
    bv_json_obj_end(w);
    st = bv_json_writer_finish(w, err);
    return st ? st : log_flush(log, err);
}

void bv_report_log_close(bv_report_log *log)
{
    if (!log)
        return;
    if (log->f)
        fclose(log->f);
    free(log);
}
