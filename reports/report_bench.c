/* reports/report_bench.c: reads `blsvk bench`'s blsvk-bench/1 files, and the inputs of a
 * comparison: a run, a merged report or a bench file, told apart by what the path holds. */
#define _GNU_SOURCE
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bv_json.h"
#include "bv_report.h"

void bv_report_bench_destroy(bv_report_bench *b)
{
    if (!b)
        return;
    free(b->entries);
    free(b);
}

void bv_report_bench_entry_key(const bv_report_bench_entry *e, char *buf, size_t n)
{
    if (e->jobs > 1)
        snprintf(buf, n, "%s %s %s %zu x%zu", e->kind, e->name, e->mode, e->size, e->jobs);
    else
        snprintf(buf, n, "%s %s %s %zu", e->kind, e->name, e->mode, e->size);
}

static bv_status read_bench(const bv_json *doc, bv_report_bench *b, bv_error *err)
{
    const char *format = bv_json_string(bv_json_get(doc, "format"));
    if (!format || strcmp(format, BV_REPORT_BENCH_SCHEMA) != 0)
        return bv_error_set(err, BV_ERR_PARSE, "not a %s file (format %s)", BV_REPORT_BENCH_SCHEMA,
                            format ? format : "missing");
    bv_json_get_str(doc, "blsvk_version", b->blsvk_version, sizeof b->blsvk_version);
    bv_json_get_str(doc, "git_revision", b->git_revision, sizeof b->git_revision);
    bv_json_get_str(doc, "started", b->started, sizeof b->started);
    bv_json_get_str(doc, "command_line", b->command_line, sizeof b->command_line);
    const bv_json *dev = bv_json_get(doc, "device");
    if (bv_json_type_of(dev) != BV_JSON_OBJECT)
        return bv_error_set(err, BV_ERR_PARSE, "no device record");
    bv_device_read_json(dev, &b->device);
    const bv_json *es = bv_json_get(doc, "entries");
    if (bv_json_type_of(es) != BV_JSON_ARRAY)
        return bv_error_set(err, BV_ERR_PARSE, "no entries array");
    size_t n = bv_json_len(es);
    b->entries = calloc(n ? n : 1, sizeof *b->entries);
    if (!b->entries)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const bv_json *o = bv_json_at(es, i);
        bv_report_bench_entry *e = &b->entries[i];
        if (bv_json_type_of(o) != BV_JSON_OBJECT || !bv_json_string(bv_json_get(o, "kind")) ||
            !bv_json_string(bv_json_get(o, "name")) || bv_json_type_of(bv_json_get(o, "ns")) != BV_JSON_OBJECT)
            return bv_error_set(err, BV_ERR_PARSE, "entry %zu: no kind, name or ns", i + 1);
        bv_json_get_str(o, "kind", e->kind, sizeof e->kind);
        bv_json_get_str(o, "name", e->name, sizeof e->name);
        bv_json_get_str(o, "mode", e->mode, sizeof e->mode);
        e->size = (size_t)bv_json_get_u64(o, "size");
        e->jobs = (size_t)bv_json_get_u64(o, "jobs");
        bv_stats_read_json(bv_json_get(o, "ns"), &e->ns);
        e->per_s = bv_json_get_num(o, "per_s");
        e->bytes_per_s = bv_json_get_num(o, "bytes_per_s");
        e->bound_per_s = bv_json_get_num(o, "bound_per_s");
        e->verified = bv_json_bool(bv_json_get(o, "verified"));
        bv_json_get_str(o, "note", e->note, sizeof e->note);
        b->n++;
    }
    return BV_OK;
}

bv_status bv_report_bench_read(const char *path, bv_report_bench **out, bv_error *err)
{
    bv_json *doc = NULL;
    bv_report_bench *b = calloc(1, sizeof *b);
    *out = NULL;
    bv_status st = b ? bv_json_parse_file(path, &doc, err) : bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    if (!st) {
        st = read_bench(doc, b, err);
        if (st)
            bv_error_prefix(err, "%s", path);
    }
    bv_json_free(doc);
    if (st) {
        bv_report_bench_destroy(b);
        return st;
    }
    *out = b;
    return BV_OK;
}

void bv_report_compare_input_destroy(bv_report_compare_input *in)
{
    if (!in)
        return;
    bv_report_set_destroy(in->set);
    bv_report_bench_destroy(in->bench);
    free(in);
}

bv_status bv_report_compare_wrap(const char *label, bv_report_set *set, bv_report_bench *bench,
                                 bv_report_compare_input **out, bv_error *err)
{
    bv_report_compare_input *in = calloc(1, sizeof *in);
    *out = NULL;
    if (!in || (!set == !bench)) {
        bv_report_set_destroy(set);
        bv_report_bench_destroy(bench);
        free(in);
        return in ? bv_error_set(err, BV_ERR_ARG, "a comparison input is a report set or a bench, one of them")
                  : bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    }
    snprintf(in->path, sizeof in->path, "%s", label);
    in->set = set;
    in->bench = bench;
    *out = in;
    return BV_OK;
}

/* Whether a regular file is a bench file: its format member says so. Only the first bytes are
 * looked at, so that a large results.json is parsed once, by the report reader. */
static bool looks_like_bench(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char head[512];
    size_t n = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    head[n] = '\0';
    return strstr(head, "\"" BV_REPORT_BENCH_SCHEMA "\"") != NULL;
}

bv_status bv_report_compare_read(const char *path, bv_report_compare_input **out, bv_error *err)
{
    struct stat sb;
    bv_report_set *set = NULL;
    bv_report_bench *bench = NULL;
    bv_status st;
    *out = NULL;
    if (stat(path, &sb) != 0)
        return bv_error_set(err, BV_ERR_IO, "%s: no such file or directory", path);
    if (S_ISREG(sb.st_mode) && looks_like_bench(path)) {
        st = bv_report_bench_read(path, &bench, err);
    } else {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", path);
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        /* merged.json stands for its merge directory, which the set reader takes. */
        if (S_ISREG(sb.st_mode) && strcmp(base, "merged.json") == 0)
            snprintf(dir, sizeof dir, "%s", dirname(dir));
        st = bv_report_read_set(dir, &set, err);
    }
    if (st)
        return st;
    return bv_report_compare_wrap(path, set, bench, out, err);
}
