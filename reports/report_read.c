/* reports/report_read.c: reads a run back from results.json or from its results.jsonl case
 * log, for --resume, `blsvk report show` and `blsvk report merge`. Lenient about fields a
 * writer may leave out (older or killed runs), strict about what a verdict rests on. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bv_json.h"
#include "bv_report.h"

static bv_status read_status(const bv_json *o, const char *key, bv_report_status *s, bv_error *err)
{
    const char *name = bv_json_string(bv_json_get(o, key));
    if (bv_report_status_parse(name, s) != BV_OK)
        return bv_error_set(err, BV_ERR_PARSE, "%s '%s' is not a status blsvk knows", key, name ? name : "(none)");
    return BV_OK;
}

/* The names a case is filed under, as enums: a name blsvk does not know, or none, is an error
 * that names the case and the key, never a silent default. */
static bv_status read_variant(const bv_json *o, bv_report_case *c, bv_error *err)
{
    static const char *const keys[] = {"field", "op", "limbs", "mode", "set"};
    for (unsigned k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const char *name = bv_json_string(bv_json_get(o, keys[k]));
        bv_status st = k == 0   ? bv_ref_family_parse(name, &c->family)
                       : k == 1 ? bv_ref_op_parse(name, &c->op)
                       : k == 2 ? bv_limbs_parse(name, &c->limbs)
                       : k == 3 ? bv_mode_parse(name, &c->mode)
                                : bv_case_set_parse(name, &c->set);
        if (st && name)
            return bv_error_set(err, BV_ERR_PARSE, "case '%s': unknown %s '%s'", c->name, keys[k], name);
        if (st)
            return bv_error_set(err, BV_ERR_PARSE, "case '%s': no %s", c->name, keys[k]);
    }
    return BV_OK;
}

static bv_status read_case(const bv_json *o, bv_report_case *c, bv_error *err)
{
    bv_status st;
    memset(c, 0, sizeof *c);
    if (bv_json_type_of(o) != BV_JSON_OBJECT || !bv_json_string(bv_json_get(o, "name")))
        return bv_error_set(err, BV_ERR_PARSE, "a case without a name");
    bv_json_get_str(o, "name", c->name, sizeof c->name);
    st = read_variant(o, c, err);
    if (st)
        return st;
    c->size = (size_t)bv_json_get_u64(o, "size");
    c->elements = (size_t)bv_json_get_u64(o, "elements");
    /* Optional (newer files): where the arrays were, device or host; anything else is "not
     * recorded". */
    const char *mem = bv_json_string(bv_json_get(o, "memory"));
    if (mem && (strcmp(mem, "device") == 0 || strcmp(mem, "host") == 0))
        snprintf(c->memory, sizeof c->memory, "%s", mem);
    st = read_status(o, "status", &c->status, err);
    if (!st && bv_json_get(o, "observed"))
        st = read_status(o, "observed", &c->observed, err);
    if (st) {
        bv_error_prefix(err, "case %s", c->name);
        return st;
    }
    bv_json_get_str(o, "reason", c->reason, sizeof c->reason);
    c->mismatches = (size_t)bv_json_get_u64(o, "mismatches");
    const bv_json *fm = bv_json_get(o, "first_mismatches");
    for (size_t i = 0; i < bv_json_len(fm) && c->nfirst < BV_REPORT_MAX_MISMATCHES; i++) {
        const bv_json *m = bv_json_at(fm, i);
        bv_report_mismatch *r = &c->first[c->nfirst++];
        r->index = (size_t)bv_json_get_u64(m, "index");
        bv_json_get_str(m, "name", r->name, sizeof r->name);
        const bv_json *in = bv_json_get(m, "inputs");
        for (size_t k = 0; k < bv_json_len(in) && k < 2; k++) {
            const char *s = bv_json_string(bv_json_at(in, k));
            snprintf(r->inputs[k], sizeof r->inputs[k], "%s", s ? s : "");
            r->ninputs = (unsigned)k + 1;
        }
        bv_json_get_str(m, "expected", r->expected, sizeof r->expected);
        bv_json_get_str(m, "got", r->got, sizeof r->got);
        bv_json_get_str(m, "check", r->check, sizeof r->check);
        bv_json_get_str(m, "expected_point", r->expected_point, sizeof r->expected_point);
        bv_json_get_str(m, "got_point", r->got_point, sizeof r->got_point);
        const bv_json *ld = bv_json_get(m, "limbs_differing");
        for (size_t k = 0; k < bv_json_len(ld); k++) {
            uint64_t l;
            if (bv_json_uint(bv_json_at(ld, k), &l) == BV_OK && l < 32)
                r->limb_diff |= 1u << l;
        }
    }
    bv_json_get_str(o, "replay", c->replay, sizeof c->replay);
    const bv_json *k = bv_json_get(o, "kernel");
    bv_json_get_str(k, "source", c->kernel_source, sizeof c->kernel_source);
    bv_json_get_str(k, "sha256", c->kernel_sha256, sizeof c->kernel_sha256);
    c->dispatches = (uint32_t)bv_json_get_u64(o, "dispatches");
    c->seconds = bv_json_get_num(o, "seconds");
    const bv_json *t = bv_json_get(o, "timing");
    if (bv_json_type_of(t) == BV_JSON_OBJECT) {
        bv_report_timing *tm = &c->timing;
        tm->valid = true;
        tm->reps = (uint32_t)bv_json_get_u64(t, "reps");
        tm->kernel_timed = bv_json_bool(bv_json_get(t, "kernel_timed"));
        if (tm->kernel_timed)
            bv_stats_read_json(bv_json_get(t, "kernel_ns"), &tm->kernel_ns);
        bv_stats_read_json(bv_json_get(t, "end_to_end_ns"), &tm->wall_ns);
        tm->bytes_per_elem = bv_json_get_num(t, "bytes_per_element");
        tm->kernel_elems_per_s = bv_json_get_num(t, "kernel_elements_per_s");
        tm->kernel_bytes_per_s = bv_json_get_num(t, "kernel_bytes_per_s");
        tm->wall_elems_per_s = bv_json_get_num(t, "end_to_end_elements_per_s");
    }
    const bv_json *at = bv_json_get(o, "attempts");
    for (size_t i = 0; i < bv_json_len(at) && c->nattempts < BV_REPORT_MAX_ATTEMPTS; i++) {
        const bv_json *a = bv_json_at(at, i);
        bv_report_attempt *r = &c->attempts[c->nattempts];
        st = read_status(a, "status", &r->status, err);
        if (st) {
            bv_error_prefix(err, "case %s: attempt %zu", c->name, i + 1);
            return st;
        }
        r->mismatches = (size_t)bv_json_get_u64(a, "mismatches");
        r->seconds = bv_json_get_num(a, "seconds");
        bv_json_get_str(a, "reason", r->reason, sizeof r->reason);
        c->nattempts++;
    }
    if (!bv_json_get(o, "observed"))
        c->observed = c->nattempts ? c->attempts[0].status : c->status;
    const bv_json *bl = bv_json_get(o, "baseline");
    bv_json_get_str(bl, "pattern", c->baseline_pattern, sizeof c->baseline_pattern);
    bv_json_get_str(bl, "reason", c->baseline_reason, sizeof c->baseline_reason);
    return BV_OK;
}

/* A list of globs (--baseline, --skips, --flakes) as results.json records it; null: none. */
static bv_status read_list(const bv_json *bl, bv_report_baseline **out, bv_error *err)
{
    if (bv_json_type_of(bl) != BV_JSON_OBJECT)
        return BV_OK;
    bv_report_baseline *nb = calloc(1, sizeof *nb);
    const bv_json *en = bv_json_get(bl, "entries");
    if (nb)
        nb->entries = calloc(bv_json_len(en) ? bv_json_len(en) : 1, sizeof *nb->entries);
    if (!nb || !nb->entries) {
        bv_report_baseline_destroy(nb);
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    }
    bv_json_get_str(bl, "file", nb->path, sizeof nb->path);
    bv_json_get_str(bl, "sha256", nb->sha256, sizeof nb->sha256);
    for (size_t i = 0; i < bv_json_len(en); i++) {
        const bv_json *e = bv_json_at(en, i);
        bv_json_get_str(e, "pattern", nb->entries[i].pattern, sizeof nb->entries[i].pattern);
        bv_json_get_str(e, "reason", nb->entries[i].reason, sizeof nb->entries[i].reason);
        nb->entries[i].line = (unsigned)bv_json_get_u64(e, "line");
        nb->entries[i].matched = (size_t)bv_json_get_u64(e, "matched");
    }
    nb->n = bv_json_len(en);
    bv_report_baseline_destroy(*out);
    *out = nb;
    return BV_OK;
}

enum { STRS_ARGV, STRS_PLANNED, STRS_SHARD_PLAN };

static bv_status read_strs(bv_report *rep, const bv_json *arr, int which, bv_error *err)
{
    static const char *const what[] = {"argv", "planned", "shard_plan"};
    size_t n = bv_json_len(arr);
    const char **v = calloc(n ? n : 1, sizeof *v);
    bv_status st;
    if (!v)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        v[i] = bv_json_string(bv_json_at(arr, i));
        if (!v[i]) {
            free(v);
            return bv_error_set(err, BV_ERR_PARSE, "%s: element %zu is not a string", what[which], i);
        }
    }
    st = which == STRS_ARGV      ? bv_report_set_argv(rep, (int)n, (char *const *)v, err)
         : which == STRS_PLANNED ? bv_report_set_plan(rep, v, n, err)
                                 : bv_report_set_shard_plan(rep, v, n, err);
    free(v);
    return st;
}

/* The run record: the same members in results.json and in the log's "run" line. */
static bv_status read_run(bv_report *rep, const bv_json *o, bv_error *err)
{
    bv_report_run *r = &rep->run;
    bv_status st;
    const char *fmt = bv_json_string(bv_json_get(o, "format"));
    if (!fmt || strcmp(fmt, BV_REPORT_SCHEMA) != 0)
        return bv_error_set(err, BV_ERR_PARSE, "format '%s' is not %s", fmt ? fmt : "(none)", BV_REPORT_SCHEMA);
    bv_json_get_str(o, "run_id", r->run_id, sizeof r->run_id);
    bv_json_get_str(o, "started", r->started, sizeof r->started);
    bv_json_get_str(o, "finished", r->finished, sizeof r->finished);
    bv_json_get_str(o, "command_line", r->command_line, sizeof r->command_line);
    bv_json_get_str(o, "host", r->host, sizeof r->host);
    bv_json_get_str(o, "suite", r->suite, sizeof r->suite);
    bv_json_get_str(o, "memory", r->memory, sizeof r->memory);
    r->memory_crossover = bv_json_get_u64(o, "memory_crossover");
    bv_json_get_str(o, "memory_crossover_from", r->memory_crossover_from, sizeof r->memory_crossover_from);
    bv_json_get_str(o, "kernel_dir", r->kernel_dir, sizeof r->kernel_dir);
    r->seed = bv_json_get_u64(o, "seed");
    r->reps = (uint32_t)bv_json_get_u64(o, "reps");
    r->warmup = (uint32_t)bv_json_get_u64(o, "warmup");
    r->workgroup_size = (uint32_t)bv_json_get_u64(o, "workgroup_size");
    r->validation = bv_json_bool(bv_json_get(o, "validation"));
    const bv_json *sh = bv_json_get(o, "shard");
    r->shard_index = sh ? (uint32_t)bv_json_get_u64(sh, "index") : 1;
    r->shard_count = sh ? (uint32_t)bv_json_get_u64(sh, "count") : 1;
    if (r->shard_count == 0 || r->shard_index == 0 || r->shard_index > r->shard_count)
        r->shard_index = r->shard_count = 1;
    r->retry_failures = (uint32_t)bv_json_get_u64(o, "retry_failures");
    r->jobs = (uint32_t)bv_json_get_u64(o, "jobs");
    const bv_json *tc = bv_json_get(o, "toolchain");
    bv_json_get_str(tc, "blsvk_version", r->blsvk_version, sizeof r->blsvk_version);
    bv_json_get_str(tc, "git_revision", r->git_revision, sizeof r->git_revision);
    bv_json_get_str(tc, "glslang", r->glslang_version, sizeof r->glslang_version);
    bv_json_get_str(tc, "spirv_tools", r->spirv_tools_version, sizeof r->spirv_tools_version);
    bv_json_get_str(tc, "spirv_opt", r->spirv_opt, sizeof r->spirv_opt);
    bv_json_get_str(tc, "vulkan_loader", r->loader_version, sizeof r->loader_version);
    bv_device_read_json(bv_json_get(o, "device"), &r->device);
    const bv_json *b = bv_json_get(o, "bounds");
    rep->bounds.copy_bytes_per_s = bv_json_get_num(b, "copy_bytes_per_s");
    rep->bounds.engine_copy_bytes_per_s = bv_json_get_num(b, "engine_copy_bytes_per_s");
    rep->bounds.h2d_bytes_per_s = bv_json_get_num(b, "h2d_bytes_per_s");
    rep->bounds.d2h_bytes_per_s = bv_json_get_num(b, "d2h_bytes_per_s");
    st = read_list(bv_json_get(o, "baseline"), &rep->baseline, err);
    if (!st)
        st = read_list(bv_json_get(o, "skips"), &rep->skips, err);
    if (!st)
        st = read_list(bv_json_get(o, "flakes"), &rep->flakes, err);
    if (st)
        return st;
    if (rep->baseline) {
        snprintf(r->baseline_path, sizeof r->baseline_path, "%s", rep->baseline->path);
        snprintf(r->baseline_sha256, sizeof r->baseline_sha256, "%s", rep->baseline->sha256);
    }
    if (bv_json_get(o, "shard_plan") && (st = read_strs(rep, bv_json_get(o, "shard_plan"), STRS_SHARD_PLAN, err)))
        return st;
    st = read_strs(rep, bv_json_get(o, "argv"), STRS_ARGV, err);
    if (!st)
        st = read_strs(rep, bv_json_get(o, "planned"), STRS_PLANNED, err);
    return st;
}

static bv_status read_results_json(const char *path, bv_report *rep, bv_error *err)
{
    bv_json *doc = NULL;
    bv_status st = bv_json_parse_file(path, &doc, err);
    if (st)
        return st;
    st = read_run(rep, doc, err);
    const bv_json *res = bv_json_get(doc, "resumed");
    for (size_t i = 0; !st && i < bv_json_len(res); i++) {
        const char *s = bv_json_string(bv_json_at(res, i));
        st = bv_report_add_resumed(rep, s ? s : "", err);
    }
    const bv_json *src = bv_json_get(doc, "sources");
    for (size_t i = 0; !st && i < bv_json_len(src); i++) {
        const char *s = bv_json_string(bv_json_at(src, i));
        if (s)
            st = bv_report_add_source(rep, s, err);
    }
    const bv_json *intr = bv_json_get(doc, "interrupted");
    if (!st && bv_json_len(intr)) {
        rep->interrupted = calloc(bv_json_len(intr), sizeof *rep->interrupted);
        if (!rep->interrupted)
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        for (size_t i = 0; !st && i < bv_json_len(intr); i++) {
            bv_json_get_str(bv_json_at(intr, i), "name", rep->interrupted[i].name, sizeof rep->interrupted[i].name);
            rep->interrupted[i].starts = (unsigned)bv_json_get_u64(bv_json_at(intr, i), "starts");
            rep->ninterrupted++;
        }
    }
    const bv_json *cases = bv_json_get(doc, "cases");
    if (!st && bv_json_type_of(cases) != BV_JSON_ARRAY)
        st = bv_error_set(err, BV_ERR_PARSE, "no \"cases\" array");
    for (size_t i = 0; !st && i < bv_json_len(cases); i++) {
        bv_report_case *c = malloc(sizeof *c);
        if (!c) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            break;
        }
        st = read_case(bv_json_at(cases, i), c, err);
        if (!st)
            st = bv_report_put_case(rep, c, err);
        else
            bv_error_prefix(err, "cases[%zu]", i);
        free(c);
    }
    bv_json_free(doc);
    if (st)
        bv_error_prefix(err, "%s", path);
    return st;
}

/* Starts and results per case name, to find the cases a crash interrupted. */
typedef struct start_count {
    char *name;
    unsigned starts, results;
} start_count;

typedef struct start_map {
    start_count *v;
    size_t n, cap;
} start_map;

static start_count *start_map_get(start_map *m, const char *name)
{
    /* Runs log cases in order, so the last entry is almost always the one asked for. */
    for (size_t i = m->n; i-- > 0;)
        if (strcmp(m->v[i].name, name) == 0)
            return &m->v[i];
    if (bv_array_reserve(&m->v, &m->cap, m->n + 1, sizeof *m->v, NULL))
        return NULL;
    start_count *s = &m->v[m->n];
    memset(s, 0, sizeof *s);
    if (!(s->name = strdup(name)))
        return NULL;
    m->n++;
    return s;
}

static bv_status read_log(const char *path, bv_report *rep, bv_error *err)
{
    char *text = NULL;
    size_t len = 0;
    start_map sm = {0};
    bv_report_case *c = malloc(sizeof *c);
    bool have_run = false;
    unsigned lineno = 0;
    bv_status st = c ? bv_file_read_all(path, &text, &len, err) : bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    for (char *p = text; !st && p && p < text + len;) {
        char *nl = memchr(p, '\n', (size_t)(text + len - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
        bv_json *j = NULL;
        bv_error perr;
        lineno++;
        char *line = p;
        p = nl ? nl + 1 : NULL;
        if (n == 0)
            continue;
        if (bv_json_parse(line, n, &j, &perr) != BV_OK) {
            /* A last line without its newline was cut by a crash: what it held never finished. */
            if (!nl)
                break;
            st = bv_error_set(err, BV_ERR_PARSE, "line %u: %s", lineno, perr.msg);
            break;
        }
        const char *ev = bv_json_string(bv_json_get(j, "event"));
        if (!ev) {
            st = bv_error_set(err, BV_ERR_PARSE, "line %u: no \"event\"", lineno);
        } else if (strcmp(ev, "run") == 0) {
            if (have_run)
                st = bv_error_set(err, BV_ERR_PARSE, "line %u: a second \"run\" line", lineno);
            else
                st = read_run(rep, j, err);
            have_run = true;
        } else if (!have_run) {
            st = bv_error_set(err, BV_ERR_PARSE, "line %u: \"%s\" before the \"run\" line", lineno, ev);
        } else if (strcmp(ev, "resume") == 0) {
            const char *s = bv_json_string(bv_json_get(j, "started"));
            st = bv_report_add_resumed(rep, s ? s : "", err);
        } else if (strcmp(ev, "start") == 0) {
            const char *name = bv_json_string(bv_json_get(j, "case"));
            uint64_t attempt = bv_json_get_u64(j, "attempt");
            start_count *sc = name ? start_map_get(&sm, name) : NULL;
            if (!sc)
                st = bv_error_set(err, name ? BV_ERR_NOMEM : BV_ERR_PARSE, "line %u: %s", lineno,
                                  name ? "out of memory" : "a start without a case");
            else if (attempt <= 1) /* retries log their own starts; a case counts once */
                sc->starts++;
        } else if (strcmp(ev, "result") == 0) {
            st = read_case(bv_json_get(j, "result"), c, err);
            if (!st)
                st = bv_report_put_case(rep, c, err);
            start_count *sc = st ? NULL : start_map_get(&sm, c->name);
            if (!st && !sc)
                st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            if (sc)
                sc->results++;
            if (st)
                bv_error_prefix(err, "line %u", lineno);
        } /* other events: a newer blsvk's; skipped */
        bv_json_free(j);
    }
    if (!st && !have_run)
        st = bv_error_set(err, BV_ERR_PARSE, "no \"run\" line: not a blsvk case log");
    size_t nint = 0;
    /* Interrupted: started, never finished; the starts say how often blsvk died in it. */
    for (size_t i = 0; !st && i < sm.n; i++)
        nint += sm.v[i].starts > 0 && sm.v[i].results == 0;
    if (!st && nint) {
        rep->interrupted = calloc(nint, sizeof *rep->interrupted);
        if (!rep->interrupted)
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        for (size_t i = 0; !st && i < sm.n; i++)
            if (sm.v[i].starts > 0 && sm.v[i].results == 0) {
                bv_report_interrupted *r = &rep->interrupted[rep->ninterrupted++];
                snprintf(r->name, sizeof r->name, "%s", sm.v[i].name);
                r->starts = sm.v[i].starts;
            }
    }
    for (size_t i = 0; i < sm.n; i++)
        free(sm.v[i].name);
    free(sm.v);
    free(text);
    free(c);
    if (st)
        bv_error_prefix(err, "%s", path);
    return st;
}

static bool is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

bv_status bv_report_read(const char *path, bv_report **out, bv_error *err)
{
    struct stat sb;
    char file[4096 + 32];
    bv_report *rep = NULL;
    bool log;
    bv_status st;
    *out = NULL;
    if (stat(path, &sb) != 0)
        return bv_error_set(err, BV_ERR_IO, "%s: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode)) {
        snprintf(file, sizeof file, "%s/results.json", path);
        log = !is_file(file);
        if (log)
            snprintf(file, sizeof file, "%s/results.jsonl", path);
        if (!is_file(file))
            return bv_error_set(err, BV_ERR_IO, "%s: no results.json or results.jsonl: not a blsvk run directory",
                                path);
    } else {
        snprintf(file, sizeof file, "%s", path);
        size_t l = strlen(file);
        log = l > 6 && strcmp(file + l - 6, ".jsonl") == 0;
    }
    st = bv_report_create(&rep, err);
    if (st)
        return st;
    st = log ? read_log(file, rep, err) : read_results_json(file, rep, err);
    if (st) {
        bv_report_destroy(rep);
        return st;
    }
    bv_report_sort(rep);
    *out = rep;
    return BV_OK;
}

/* merged.json's parts that are not in the device reports. */
static bv_status read_merged(const char *dir, bv_report_set *set, bv_error *err)
{
    char path[4096 + 64];
    bv_json *doc = NULL;
    bv_status st;
    snprintf(path, sizeof path, "%s/merged.json", dir);
    st = bv_json_parse_file(path, &doc, err);
    if (st)
        return st;
    const char *fmt = bv_json_string(bv_json_get(doc, "format"));
    if (!fmt || strcmp(fmt, BV_REPORT_MERGED_SCHEMA) != 0) {
        st = bv_error_set(err, BV_ERR_PARSE, "%s: format '%s' is not %s", path, fmt ? fmt : "(none)",
                          BV_REPORT_MERGED_SCHEMA);
        goto out;
    }
    set->merged = true;
    const bv_json *in = bv_json_get(doc, "inputs");
    set->inputs = calloc(bv_json_len(in) ? bv_json_len(in) : 1, sizeof *set->inputs);
    const bv_json *cf = bv_json_get(doc, "conflicts");
    set->conflicts = calloc(bv_json_len(cf) ? bv_json_len(cf) : 1, sizeof *set->conflicts);
    const bv_json *ms = bv_json_get(doc, "missing_shards");
    set->missing_shards = calloc(bv_json_len(ms) ? bv_json_len(ms) : 1, sizeof *set->missing_shards);
    const bv_json *td = bv_json_get(doc, "toolchain_differences");
    set->diffs = calloc(bv_json_len(td) ? bv_json_len(td) : 1, sizeof *set->diffs);
    if (!set->inputs || !set->conflicts || !set->missing_shards || !set->diffs) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < bv_json_len(in); i++) {
        const char *s = bv_json_string(bv_json_at(in, i));
        if (!(set->inputs[set->ninputs] = strdup(s ? s : ""))) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto out;
        }
        set->ninputs++;
    }
    for (size_t i = 0; i < bv_json_len(cf); i++) {
        const bv_json *c = bv_json_at(cf, i);
        bv_report_conflict *r = &set->conflicts[set->nconflicts++];
        r->device = (size_t)bv_json_get_u64(c, "device");
        bv_json_get_str(c, "case", r->name, sizeof r->name);
        if (bv_report_status_parse(bv_json_string(bv_json_at(bv_json_get(c, "statuses"), 0)), &r->a) ||
            bv_report_status_parse(bv_json_string(bv_json_at(bv_json_get(c, "statuses"), 1)), &r->b)) {
            st = bv_error_set(err, BV_ERR_PARSE, "%s: conflict %zu: unknown status", path, i);
            goto out;
        }
        const char *sa = bv_json_string(bv_json_at(bv_json_get(c, "sources"), 0));
        const char *sb = bv_json_string(bv_json_at(bv_json_get(c, "sources"), 1));
        snprintf(r->source_a, sizeof r->source_a, "%s", sa ? sa : "");
        snprintf(r->source_b, sizeof r->source_b, "%s", sb ? sb : "");
    }
    for (size_t i = 0; i < bv_json_len(ms); i++) {
        const bv_json *m = bv_json_at(ms, i);
        set->missing_shards[set->nmissing_shards++] = (bv_report_missing_shard){
            .device = (size_t)bv_json_get_u64(m, "device"),
            .index = (uint32_t)bv_json_get_u64(m, "index"),
            .count = (uint32_t)bv_json_get_u64(m, "count"),
            .cases = (size_t)bv_json_get_u64(m, "cases"),
        };
    }
    for (size_t i = 0; i < bv_json_len(td); i++) {
        bv_report_toolchain_diff *d = &set->diffs[set->ndiffs++];
        bv_json_get_str(bv_json_at(td, i), "what", d->what, sizeof d->what);
        bv_json_get_str(bv_json_at(td, i), "values", d->values, sizeof d->values);
    }
    set->duplicates = (size_t)bv_json_get_u64(doc, "duplicates");
    const bv_json *devs = bv_json_get(doc, "devices");
    for (size_t i = 0; i < bv_json_len(devs); i++) {
        const char *rel = bv_json_string(bv_json_get(bv_json_at(devs, i), "results"));
        bv_report *rep = NULL;
        if (!rel || strstr(rel, "..")) {
            st = bv_error_set(err, BV_ERR_PARSE, "%s: device %zu: no results file inside the directory", path, i);
            goto out;
        }
        snprintf(path, sizeof path, "%s/%s", dir, rel);
        st = bv_report_read(path, &rep, err);
        if (!st)
            st = bv_report_set_add(set, rep, err);
        if (st)
            goto out;
    }
    /* A device's verdict counts its missing shards, which merged.json keeps. */
    for (size_t i = 0; i < set->nmissing_shards; i++)
        if (set->missing_shards[i].device < set->ndev)
            set->dev[set->missing_shards[i].device]->missing_shards++;
out:
    bv_json_free(doc);
    return st;
}

bv_status bv_report_read_set(const char *path, bv_report_set **out, bv_error *err)
{
    char merged[4096 + 32];
    struct stat sb;
    bv_report_set *set = NULL;
    bv_report *rep = NULL;
    bv_status st = bv_report_set_create(&set, err);
    *out = NULL;
    if (st)
        return st;
    snprintf(merged, sizeof merged, "%s/merged.json", path);
    if (stat(merged, &sb) == 0 && S_ISREG(sb.st_mode)) {
        st = read_merged(path, set, err);
    } else {
        st = bv_report_read(path, &rep, err);
        if (!st)
            st = bv_report_set_add(set, rep, err);
    }
    if (st) {
        bv_report_set_destroy(set);
        return st;
    }
    *out = set;
    return BV_OK;
}

bv_status bv_report_case_read_json(const bv_json *o, bv_report_case *c, bv_error *err)
{
    return read_case(o, c, err);
}
