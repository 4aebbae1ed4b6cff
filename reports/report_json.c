/* reports/report_json.c: the writers of results.json and of the crash-safe results.jsonl case
 * log (docs/report-format.md describes both; docs/schemas/results.schema.json checks the
 * first). The readers are in report_read.c. */
#define _GNU_SOURCE
#include "bv_report.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bv_json.h"

/* rep gives the device's bounds for the fractions; NULL in the log, which leaves them out. */
static void write_case(bv_json_writer *w, const bv_report *rep, const bv_report_case *c)
{
    bv_json_obj_begin(w);
    bv_json_key(w, "name"); bv_json_str(w, c->name);
    bv_json_key(w, "field"); bv_json_str(w, bv_ref_family_name(c->family));
    bv_json_key(w, "op"); bv_json_str(w, bv_ref_op_name(c->op));
    bv_json_key(w, "limbs"); bv_json_str(w, bv_limbs_name(c->limbs));
    bv_json_key(w, "mode"); bv_json_str(w, bv_mode_name(c->mode));
    bv_json_key(w, "set"); bv_json_str(w, bv_case_set_name(c->set));
    bv_json_key(w, "size"); bv_json_u64(w, c->size);
    if (c->memory[0]) {
        bv_json_key(w, "memory"); bv_json_str(w, c->memory);
    }
    bv_json_key(w, "status"); bv_json_str(w, bv_report_status_name(c->status));
    bv_json_key(w, "observed"); bv_json_str(w, bv_report_status_name(c->nattempts ? c->observed : c->status));
    bv_json_key(w, "reason"); bv_json_str(w, c->reason);
    bv_json_key(w, "elements"); bv_json_u64(w, c->elements);
    bv_json_key(w, "mismatches"); bv_json_u64(w, c->mismatches);
    bv_json_key(w, "first_mismatches");
    bv_json_arr_begin(w);
    for (unsigned i = 0; i < c->nfirst && i < BV_REPORT_MAX_MISMATCHES; i++) {
        const bv_report_mismatch *m = &c->first[i];
        bv_json_obj_begin(w);
        bv_json_key(w, "index"); bv_json_u64(w, m->index);
        bv_json_key(w, "name"); bv_json_str(w, m->name);
        bv_json_key(w, "inputs");
        bv_json_arr_begin(w);
        for (unsigned k = 0; k < m->ninputs && k < 2; k++)
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
        if (m->check[0]) {
            bv_json_key(w, "check"); bv_json_str(w, m->check);
        }
        if (m->expected_point[0]) {
            bv_json_key(w, "expected_point"); bv_json_str(w, m->expected_point);
            bv_json_key(w, "got_point"); bv_json_str(w, m->got_point);
        }
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_key(w, "replay"); bv_json_str(w, c->replay[0] ? c->replay : NULL);
    bv_json_key(w, "kernel");
    bv_json_obj_begin(w);
    bv_json_key(w, "source"); bv_json_str(w, c->kernel_source[0] ? c->kernel_source : NULL);
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
            bv_stats_write_json(w, "kernel_ns", &t->kernel_ns);
        bv_stats_write_json(w, "end_to_end_ns", &t->wall_ns);
        bv_json_key(w, "bytes_per_element"); bv_json_num(w, t->bytes_per_elem);
        bv_json_key(w, "kernel_elements_per_s"); bv_json_num(w, t->kernel_timed ? t->kernel_elems_per_s : NAN);
        bv_json_key(w, "kernel_bytes_per_s"); bv_json_num(w, t->kernel_timed ? t->kernel_bytes_per_s : NAN);
        bv_json_key(w, "end_to_end_elements_per_s"); bv_json_num(w, t->wall_elems_per_s);
        if (rep) {
            double cf, lf;
            bv_report_case_fractions(rep, c, &cf, &lf);
            bv_json_key(w, "copy_fraction"); bv_json_num(w, cf);
            bv_json_key(w, "host_link_fraction"); bv_json_num(w, lf);
        }
        bv_json_obj_end(w);
    }
    bv_json_key(w, "attempts");
    bv_json_arr_begin(w);
    for (unsigned k = 0; k < c->nattempts && k < BV_REPORT_MAX_ATTEMPTS; k++) {
        const bv_report_attempt *a = &c->attempts[k];
        bv_json_obj_begin(w);
        bv_json_key(w, "status"); bv_json_str(w, bv_report_status_name(a->status));
        bv_json_key(w, "mismatches"); bv_json_u64(w, a->mismatches);
        bv_json_key(w, "seconds"); bv_json_num(w, a->seconds);
        bv_json_key(w, "reason"); bv_json_str(w, a->reason);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_key(w, "baseline");
    if (!c->baseline_pattern[0]) {
        bv_json_null(w);
    } else {
        bv_json_obj_begin(w);
        bv_json_key(w, "pattern"); bv_json_str(w, c->baseline_pattern);
        bv_json_key(w, "reason"); bv_json_str(w, c->baseline_reason);
        bv_json_obj_end(w);
    }
    bv_json_obj_end(w);
}

static void write_strs(bv_json_writer *w, const char *key, char *const *v, size_t n)
{
    bv_json_key(w, key);
    bv_json_arr_begin(w);
    for (size_t i = 0; i < n; i++)
        bv_json_str(w, v[i]);
    bv_json_arr_end(w);
}

static void write_toolchain(bv_json_writer *w, const bv_report *rep, const char *fingerprint,
                            const char *modules_fingerprint, const bv_report_module *mods, size_t nmods)
{
    const bv_report_run *r = &rep->run;
    char driver[640];
    snprintf(driver, sizeof driver, "%s %s (%s)", r->device.driver_name, r->device.driver_version_str,
             r->device.driver_info);
    bv_json_key(w, "toolchain");
    bv_json_obj_begin(w);
    if (fingerprint) {
        bv_json_key(w, "fingerprint"); bv_json_str(w, fingerprint);
    }
    bv_json_key(w, "blsvk_version"); bv_json_str(w, r->blsvk_version);
    bv_json_key(w, "git_revision"); bv_json_str(w, r->git_revision);
    bv_json_key(w, "glslang"); bv_json_str(w, r->glslang_version);
    bv_json_key(w, "spirv_tools"); bv_json_str(w, r->spirv_tools_version);
    bv_json_key(w, "spirv_opt"); bv_json_str(w, r->spirv_opt);
    bv_json_key(w, "vulkan_loader"); bv_json_str(w, r->loader_version);
    bv_json_key(w, "vulkan_api"); bv_json_str(w, r->device.api_version_str);
    bv_json_key(w, "driver"); bv_json_str(w, driver);
    /* results.json (the one that has a fingerprint) lists the modules even when none ran. */
    if (fingerprint) {
        bv_json_key(w, "modules_fingerprint");
        bv_json_str(w, modules_fingerprint && modules_fingerprint[0] ? modules_fingerprint : NULL);
        bv_json_key(w, "spirv_modules");
        bv_json_arr_begin(w);
        for (size_t i = 0; i < nmods; i++) {
            bv_json_obj_begin(w);
            bv_json_key(w, "kernel"); bv_json_str(w, mods[i].kernel);
            bv_json_key(w, "recipe"); bv_json_str(w, mods[i].recipe);
            bv_json_key(w, "source"); bv_json_str(w, mods[i].source);
            bv_json_key(w, "sha256"); bv_json_str(w, mods[i].sha256);
            bv_json_key(w, "cases"); bv_json_u64(w, mods[i].cases);
            bv_json_obj_end(w);
        }
        bv_json_arr_end(w);
    }
    bv_json_obj_end(w);
}

/* A list of globs (--baseline, --skips, --flakes): null when not given. */
static void write_list(bv_json_writer *w, const char *key, const bv_report_baseline *bl)
{
    bv_json_key(w, key);
    if (!bl) {
        bv_json_null(w);
        return;
    }
    bv_json_obj_begin(w);
    bv_json_key(w, "file"); bv_json_str(w, bl->path);
    bv_json_key(w, "sha256"); bv_json_str(w, bl->sha256);
    bv_json_key(w, "entries");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < bl->n; i++) {
        bv_json_obj_begin(w);
        bv_json_key(w, "pattern"); bv_json_str(w, bl->entries[i].pattern);
        bv_json_key(w, "reason"); bv_json_str(w, bl->entries[i].reason);
        bv_json_key(w, "line"); bv_json_u64(w, bl->entries[i].line);
        bv_json_key(w, "matched"); bv_json_u64(w, bl->entries[i].matched);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_obj_end(w);
}

/* The run record, the same in results.json and in the log's "run" line. */
static void write_run(bv_json_writer *w, const bv_report *rep)
{
    const bv_report_run *r = &rep->run;
    bv_json_key(w, "run_id"); bv_json_str(w, r->run_id);
    bv_json_key(w, "started"); bv_json_str(w, r->started);
    bv_json_key(w, "command_line"); bv_json_str(w, r->command_line);
    write_strs(w, "argv", rep->argv, rep->nargv);
    bv_json_key(w, "host"); bv_json_str(w, r->host);
    bv_json_key(w, "suite"); bv_json_str(w, r->suite);
    bv_json_key(w, "memory"); bv_json_str(w, r->memory);
    bv_json_key(w, "memory_crossover");
    if (r->memory_crossover)
        bv_json_u64(w, r->memory_crossover);
    else
        bv_json_null(w);
    bv_json_key(w, "memory_crossover_from");
    bv_json_str(w, r->memory_crossover && r->memory_crossover_from[0] ? r->memory_crossover_from : NULL);
    bv_json_key(w, "kernel_dir"); bv_json_str(w, r->kernel_dir[0] ? r->kernel_dir : NULL);
    bv_json_key(w, "seed"); bv_json_u64(w, r->seed);
    bv_json_key(w, "reps"); bv_json_u64(w, r->reps);
    bv_json_key(w, "warmup"); bv_json_u64(w, r->warmup);
    bv_json_key(w, "workgroup_size"); bv_json_u64(w, r->workgroup_size);
    bv_json_key(w, "validation"); bv_json_bool_write(w, r->validation);
    bv_json_key(w, "shard");
    bv_json_obj_begin(w);
    bv_json_key(w, "index"); bv_json_u64(w, r->shard_index);
    bv_json_key(w, "count"); bv_json_u64(w, r->shard_count);
    bv_json_obj_end(w);
    bv_json_key(w, "retry_failures"); bv_json_u64(w, r->retry_failures);
    bv_json_key(w, "jobs"); bv_json_u64(w, r->jobs ? r->jobs : 1);
    write_list(w, "baseline", rep->baseline);
    write_list(w, "skips", rep->skips);
    write_list(w, "flakes", rep->flakes);
    if (rep->nshard_plan)
        write_strs(w, "shard_plan", rep->shard_plan, rep->nshard_plan);
    bv_json_key(w, "bounds");
    const bv_report_bounds *b = &rep->bounds;
    if (!(b->copy_bytes_per_s > 0 || b->engine_copy_bytes_per_s > 0 || b->h2d_bytes_per_s > 0 ||
          b->d2h_bytes_per_s > 0)) {
        bv_json_null(w);
    } else {
        /* A bound that was not measured is null, not 0: nothing divides by it. */
        bv_json_obj_begin(w);
        bv_json_key(w, "copy_bytes_per_s"); bv_json_num(w, b->copy_bytes_per_s > 0 ? b->copy_bytes_per_s : NAN);
        bv_json_key(w, "engine_copy_bytes_per_s");
        bv_json_num(w, b->engine_copy_bytes_per_s > 0 ? b->engine_copy_bytes_per_s : NAN);
        bv_json_key(w, "h2d_bytes_per_s"); bv_json_num(w, b->h2d_bytes_per_s > 0 ? b->h2d_bytes_per_s : NAN);
        bv_json_key(w, "d2h_bytes_per_s"); bv_json_num(w, b->d2h_bytes_per_s > 0 ? b->d2h_bytes_per_s : NAN);
        bv_json_obj_end(w);
    }
    bv_json_key(w, "device");
    bv_json_obj_begin(w);
    bv_device_write_json(w, &r->device);
    bv_json_obj_end(w);
}

bv_status bv_report_write_json(const char *path, const bv_report *rep, bv_error *err)
{
    bv_status st;
    bv_json_file jf;
    bv_json_writer *w = NULL;
    bv_report_module *mods = NULL;
    size_t nmods = 0;
    char fp[17], mfp[17];
    bv_report_summary s;
    st = bv_report_modules(rep, &mods, &nmods, err);
    if (!st)
        st = bv_report_fingerprint(rep, fp, err);
    if (!st)
        st = bv_report_modules_fingerprint(rep, mfp, err);
    if (st) {
        free(mods);
        return st;
    }
    st = bv_json_file_open(&jf, path, true, err);
    if (st) {
        free(mods);
        return st;
    }
    w = jf.w;
    bv_report_summarize(rep, &s);
    bv_json_obj_begin(w);
    bv_json_key(w, "format"); bv_json_str(w, BV_REPORT_SCHEMA);
    bv_json_key(w, "verdict"); bv_json_str(w, s.verdict);
    write_run(w, rep);
    bv_json_key(w, "finished"); bv_json_str(w, rep->run.finished[0] ? rep->run.finished : NULL);
    bv_json_key(w, "resumed");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < rep->nresumed; i++)
        bv_json_str(w, rep->resumed[i]);
    bv_json_arr_end(w);
    if (rep->nsources)
        write_strs(w, "sources", rep->sources, rep->nsources);
    write_toolchain(w, rep, fp, mfp, mods, nmods);
    bv_json_key(w, "totals");
    bv_json_obj_begin(w);
    bv_json_key(w, "cases"); bv_json_u64(w, s.cases);
    bv_json_key(w, "planned"); bv_json_u64(w, rep->nplanned);
    bv_json_key(w, "missing"); bv_json_u64(w, s.missing);
    bv_json_key(w, "new_failures"); bv_json_u64(w, s.new_failures);
    for (unsigned k = 0; k < BV_RESULT_COUNT; k++) {
        bv_json_key(w, bv_report_status_name((bv_report_status)k));
        bv_json_u64(w, s.totals[k]);
    }
    bv_json_obj_end(w);
    write_strs(w, "planned", rep->planned, rep->nplanned);
    bv_json_key(w, "missing");
    bv_json_arr_begin(w);
    for (size_t k = 0; k < rep->nplanned; k++)
        if (bv_report_is_missing(rep, k))
            bv_json_str(w, rep->planned[k]);
    bv_json_arr_end(w);
    bv_json_key(w, "interrupted");
    bv_json_arr_begin(w);
    for (size_t k = 0; k < rep->ninterrupted; k++) {
        if (bv_report_find_case(rep, rep->interrupted[k].name))
            continue; /* died in once, finished on --resume */
        bv_json_obj_begin(w);
        bv_json_key(w, "name"); bv_json_str(w, rep->interrupted[k].name);
        bv_json_key(w, "starts"); bv_json_u64(w, rep->interrupted[k].starts);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_key(w, "cases");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < rep->ncases; i++)
        write_case(w, rep, &rep->cases[i]);
    bv_json_arr_end(w);
    bv_json_obj_end(w);
    st = bv_json_file_close(&jf, BV_OK, err);
    free(mods);
    if (st)
        bv_error_prefix(err, "%s", path);
    return st;
}

/* --- results.csv ----------------------------------------------------------------------- */

/* deqp-runner's names for blsvk's statuses: tools that read its results.csv read blsvk's.
 * results.json keeps blsvk's own (device-lost and crash are both Crash there). */
static const char *const csv_status[] = {
    "Pass",  "Fail",         "Skip",           "Timeout", "Crash", "Fail", "Missing", "ExpectedFail",
    "UnexpectedPass", "Flake", "Crash", "KnownFlake", "Skip",
};
_Static_assert(sizeof csv_status / sizeof csv_status[0] == BV_RESULT_COUNT, "a results.csv name per status");

static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

bv_status bv_report_write_csv(const char *path, const bv_report *rep, bv_error *err)
{
    bv_atomic_file af;
    bv_status st = bv_atomic_open(&af, path, err);
    if (st)
        return st;
    for (size_t i = 0; i < rep->ncases; i++) {
        const bv_report_case *c = &rep->cases[i];
        csv_field(af.f, c->name);
        fprintf(af.f, ",%s,%.6f\n", (unsigned)c->status < BV_RESULT_COUNT ? csv_status[c->status] : "Fail",
                isfinite(c->seconds) && c->seconds > 0 ? c->seconds : 0.0);
    }
    for (size_t k = 0; k < rep->nplanned; k++)
        if (bv_report_is_missing(rep, k)) {
            csv_field(af.f, rep->planned[k]);
            fputs(",Missing,0.000000\n", af.f);
        }
    st = bv_atomic_commit(&af, err);
    if (st)
        bv_error_prefix(err, "%s", path);
    return st;
}

/* --- the case log --------------------------------------------------------------------- */

struct bv_report_log {
    FILE *f;
    char path[4096];
};

static bv_status log_flush(bv_report_log *log, bv_error *err)
{
    /* fsync per line: a SIGKILL or power cut keeps every case that finished. */
    if (fflush(log->f) != 0 || ferror(log->f) || fsync(fileno(log->f)) != 0)
        return bv_error_set(err, BV_ERR_IO, "%s: write failed: %s", log->path, strerror(errno));
    return BV_OK;
}

static bv_status log_create(const char *path, const char *fmode, bv_report_log **out, bv_error *err)
{
    bv_report_log *log = calloc(1, sizeof *log);
    *out = NULL;
    if (!log)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    snprintf(log->path, sizeof log->path, "%s", path);
    log->f = fopen(path, fmode);
    if (!log->f) {
        bv_status st = bv_error_set(err, BV_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
        free(log);
        return st;
    }
    *out = log;
    return BV_OK;
}

/* Writes one line through a compact writer and makes it durable. */
typedef void (*line_fn)(bv_json_writer *w, const void *arg);

static bv_status log_line(bv_report_log *log, line_fn fn, const void *arg, bv_error *err)
{
    bv_json_writer *w = NULL;
    bv_status st = bv_json_writer_create(log->f, false, &w, err);
    if (st)
        return st;
    fn(w, arg);
    st = bv_json_writer_finish(w, err);
    if (st) {
        bv_error_prefix(err, "%s", log->path);
        return st;
    }
    return log_flush(log, err);
}

static void run_line(bv_json_writer *w, const void *arg)
{
    const bv_report *rep = arg;
    bv_json_obj_begin(w);
    bv_json_key(w, "event"); bv_json_str(w, "run");
    bv_json_key(w, "format"); bv_json_str(w, BV_REPORT_SCHEMA);
    write_run(w, rep);
    write_toolchain(w, rep, NULL, NULL, NULL, 0);
    write_strs(w, "planned", rep->planned, rep->nplanned);
    bv_json_obj_end(w);
}

bv_status bv_report_log_open(const char *path, const bv_report *rep, bv_report_log **out, bv_error *err)
{
    bv_report_log *log = NULL;
    /* A new run starts a new log: "w", so that a stale file of the same name cannot mix in. */
    bv_status st = log_create(path, "w", &log, err);
    if (st)
        return st;
    st = log_line(log, run_line, rep, err);
    if (st) {
        bv_report_log_close(log);
        return st;
    }
    *out = log;
    return BV_OK;
}

/* Cuts the file back to its last complete line: a process killed inside a write may leave
 * half a line, and appending after it would glue the next line onto it. */
static bv_status cut_torn_tail(const char *path, bv_error *err)
{
    bv_status st = BV_OK;
    int fd = open(path, O_RDWR);
    struct stat sb;
    char buf[4096];
    if (fd < 0)
        return bv_error_set(err, BV_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fd, &sb) != 0) {
        st = bv_error_set(err, BV_ERR_IO, "%s: %s", path, strerror(errno));
        goto out;
    }
    off_t end = sb.st_size;
    while (end > 0) {
        off_t from = end > (off_t)sizeof buf ? end - (off_t)sizeof buf : 0;
        ssize_t k = pread(fd, buf, (size_t)(end - from), from);
        if (k != end - from) {
            st = bv_error_set(err, BV_ERR_IO, "%s: read failed: %s", path, strerror(errno));
            goto out;
        }
        ssize_t i = k;
        while (i > 0 && buf[i - 1] != '\n')
            i--;
        if (i > 0) {
            end = from + i;
            break;
        }
        end = from;
    }
    if (end != sb.st_size && (ftruncate(fd, end) != 0 || fsync(fd) != 0))
        st = bv_error_set(err, BV_ERR_IO, "%s: cannot cut the half-written last line: %s", path, strerror(errno));
out:
    close(fd);
    return st;
}

static void resume_line(bv_json_writer *w, const void *arg)
{
    bv_json_obj_begin(w);
    bv_json_key(w, "event"); bv_json_str(w, "resume");
    bv_json_key(w, "started"); bv_json_str(w, arg);
    bv_json_key(w, "pid"); bv_json_u64(w, (uint64_t)getpid());
    bv_json_obj_end(w);
}

bv_status bv_report_log_reopen(const char *path, const char *resumed_at, bv_report_log **out, bv_error *err)
{
    bv_report_log *log = NULL;
    bv_status st = cut_torn_tail(path, err);
    if (!st)
        st = log_create(path, "a", &log, err);
    if (!st)
        st = log_line(log, resume_line, resumed_at, err);
    if (st) {
        bv_report_log_close(log);
        return st;
    }
    *out = log;
    return BV_OK;
}

typedef struct start_arg {
    const char *name;
    unsigned attempt;
} start_arg;

static void start_line(bv_json_writer *w, const void *arg)
{
    const start_arg *a = arg;
    bv_json_obj_begin(w);
    bv_json_key(w, "event"); bv_json_str(w, "start");
    bv_json_key(w, "case"); bv_json_str(w, a->name);
    bv_json_key(w, "attempt"); bv_json_u64(w, a->attempt);
    bv_json_obj_end(w);
}

bv_status bv_report_log_start(bv_report_log *log, const char *case_name, unsigned attempt, bv_error *err)
{
    start_arg a = {case_name, attempt};
    return log_line(log, start_line, &a, err);
}

static void result_line(bv_json_writer *w, const void *arg)
{
    bv_json_obj_begin(w);
    bv_json_key(w, "event"); bv_json_str(w, "result");
    bv_json_key(w, "result");
    write_case(w, NULL, arg);
    bv_json_obj_end(w);
}

bv_status bv_report_log_result(bv_report_log *log, const bv_report_case *c, bv_error *err)
{
    return log_line(log, result_line, c, err);
}

void bv_report_log_close(bv_report_log *log)
{
    if (!log)
        return;
    if (log->f)
        fclose(log->f);
    free(log);
}

void bv_report_case_write_json(bv_json_writer *w, const bv_report_case *c)
{
    write_case(w, NULL, c);
}
