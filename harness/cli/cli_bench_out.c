/* harness/cli/cli_bench_out.c: the bench verb's table of figures, on the terminal and as JSON. */
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

entry *bv_bench_add_entry(bench *b)
{
    if (bv_array_reserve(&b->e, &b->cap, b->n + 1, sizeof *b->e, NULL))
        return NULL;
    entry *e = &b->e[b->n++];
    memset(e, 0, sizeof *e);
    return e;
}

void bv_bench_print_entry(const entry *e)
{
    char frac[32] = "";
    if (e->bound_per_s > 0)
        snprintf(frac, sizeof frac, "%.2f", e->per_s / e->bound_per_s);
    printf("%-9s %-22s %-10s %9zu %4zu %11.1f %11.1f %11.1f %10.4f %6s %s%s\n", e->kind, e->name, e->mode, e->size,
           e->jobs, e->ns.median / 1e3, e->ns.p10 / 1e3, e->ns.p90 / 1e3, e->per_s / 1e9, frac,
           e->verified ? "" : "WRONG ", e->note);
    fflush(stdout);
}

bool bv_bench_write_json(const char *path, const bv_device_info *d, const bv_vk_bounds *b, const bench *B,
                       int argc, char **argv)
{
    bv_json_file jf;
    bv_error err;
    if (bv_json_file_open(&jf, path, true, &err)) {
        fprintf(stderr, "blsvk bench: --out: %s\n", err.msg);
        return false;
    }
    bv_json_writer *w = jf.w;
    char cmd[2048];
    size_t k = (size_t)snprintf(cmd, sizeof cmd, "blsvk");
    for (int i = 0; i < argc && k < sizeof cmd; i++)
        k += (size_t)snprintf(cmd + k, sizeof cmd - k, " %s", argv[i]);
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    bv_json_obj_begin(w);
    bv_json_key(w, "format"); bv_json_str(w, "blsvk-bench/1");
    bv_json_key(w, "blsvk_version"); bv_json_str(w, BV_VERSION);
    bv_json_key(w, "git_revision"); bv_json_str(w, BV_GIT_REVISION);
    bv_json_key(w, "started"); bv_json_str(w, when);
    bv_json_key(w, "command_line"); bv_json_str(w, cmd);
    bv_json_key(w, "device");
    bv_json_obj_begin(w);
    bv_device_write_json(w, d);
    bv_json_obj_end(w);
    bv_json_key(w, "bounds");
    bv_json_obj_begin(w);
    bv_json_key(w, "bytes"); bv_json_u64(w, b->bytes);
    bv_json_key(w, "copy_bytes_per_s"); bv_json_num(w, b->shader_copy_Bps);
    bv_json_key(w, "engine_copy_bytes_per_s"); bv_json_num(w, b->engine_copy_Bps);
    bv_json_key(w, "h2d_bytes_per_s"); bv_json_num(w, b->h2d_Bps);
    bv_json_key(w, "d2h_bytes_per_s"); bv_json_num(w, b->d2h_Bps);
    bv_json_key(w, "duplex_h2d_bytes_per_s"); bv_json_num(w, b->duplex_h2d_Bps);
    bv_json_key(w, "duplex_d2h_bytes_per_s"); bv_json_num(w, b->duplex_d2h_Bps);
    bv_json_obj_end(w);
    bv_json_key(w, "entries");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < B->n; i++) {
        const entry *e = &B->e[i];
        bv_json_obj_begin(w);
        bv_json_key(w, "kind"); bv_json_str(w, e->kind);
        bv_json_key(w, "name"); bv_json_str(w, e->name);
        bv_json_key(w, "mode"); bv_json_str(w, e->mode);
        bv_json_key(w, "size"); bv_json_u64(w, e->size);
        bv_json_key(w, "jobs"); bv_json_u64(w, e->jobs);
        bv_stats_write_json(w, "ns", &e->ns);
        bv_json_key(w, "per_s"); bv_json_num(w, e->per_s);
        bv_json_key(w, "bytes_per_s"); bv_json_num(w, e->bytes_per_s);
        bv_json_key(w, "bound_per_s"); bv_json_num(w, e->bound_per_s > 0 ? e->bound_per_s : 0.0 / 0.0);
        bv_json_key(w, "fraction_of_bound");
        bv_json_num(w, e->bound_per_s > 0 ? e->per_s / e->bound_per_s : 0.0 / 0.0);
        bv_json_key(w, "verified"); bv_json_bool_write(w, e->verified);
        bv_json_key(w, "note"); bv_json_str(w, e->note);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_obj_end(w);
    if (bv_json_file_close(&jf, BV_OK, &err)) {
        fprintf(stderr, "blsvk bench: --out: %s\n", err.msg);
        return false;
    }
    return true;
}

int bv_bench_compare_baseline(const bench_opts *o, const bv_device_info *d, const bench *B)
{
    bv_error err;
    bv_report_compare_input *a = NULL, *b = NULL;
    bv_cli_compare_opts co = {.max = 30};
    bv_report_compare_defaults(&co.opts);
    co.opts.max_slowdown = o->max_slowdown;
    bv_error_clear(&err);
    if (bv_report_compare_read(o->baseline, &a, &err)) {
        fprintf(stderr, "blsvk bench: --baseline: %s\n", err.msg);
        return BV_EXIT_USAGE;
    }
    /* This run's figures as a bench record; the comparison owns it. */
    bv_report_bench *now = calloc(1, sizeof *now);
    if (now && B->n && !(now->entries = malloc(B->n * sizeof *now->entries))) {
        free(now);
        now = NULL;
    }
    if (!now) {
        bv_report_compare_input_destroy(a);
        fprintf(stderr, "blsvk bench: out of memory\n");
        return BV_EXIT_FAIL;
    }
    snprintf(now->blsvk_version, sizeof now->blsvk_version, "%s", BV_VERSION);
    snprintf(now->git_revision, sizeof now->git_revision, "%s", BV_GIT_REVISION);
    now->device = *d;
    if (B->n)
        memcpy(now->entries, B->e, B->n * sizeof *B->e);
    now->n = B->n;
    if (bv_report_compare_wrap(o->out ? o->out : "this run", NULL, now, &b, &err)) {
        bv_report_compare_input_destroy(a);
        fprintf(stderr, "blsvk bench: %s\n", err.msg);
        return BV_EXIT_FAIL;
    }
    return bv_cli_compare_finish("bench", a, b, &co);
}
