/* harness/cli/cli_qualify_judge.c: the verdict of a `blsvk qualify` archive, derived from its files
 * alone (the run's results.json, the must-pass list, the waivers, the bench): written into a new
 * archive's verdict.json, and derived again by --verify to compare with an old one's. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_qualify.h"

/* --- JSON values as values ---------------------------------------------------------------- */

void bv_cli_qualify_json_copy(bv_json_writer *w, const bv_json *j)
{
    switch (bv_json_type_of(j)) {
    case BV_JSON_NULL: bv_json_null(w); break;
    case BV_JSON_BOOL: bv_json_bool_write(w, bv_json_bool(j)); break;
    case BV_JSON_NUMBER: bv_json_num(w, bv_json_number(j)); break;
    case BV_JSON_STRING: bv_json_strn(w, bv_json_string(j), bv_json_string_len(j)); break;
    case BV_JSON_ARRAY:
        bv_json_arr_begin(w);
        for (size_t i = 0; i < bv_json_len(j); i++)
            bv_cli_qualify_json_copy(w, bv_json_at(j, i));
        bv_json_arr_end(w);
        break;
    case BV_JSON_OBJECT:
        bv_json_obj_begin(w);
        for (size_t i = 0; i < bv_json_len(j); i++) {
            bv_json_key(w, bv_json_key_at(j, i));
            bv_cli_qualify_json_copy(w, bv_json_at(j, i));
        }
        bv_json_obj_end(w);
        break;
    }
}

/* Where a (what an archive says) first differs from b (what its files give), appended to path as
 * ".member" and "[index]" steps, with the two values there (NULL: absent). */
static void json_difference(const bv_json *a, const bv_json *b, char *path, size_t n, const bv_json **da,
                            const bv_json **db)
{
    size_t len = strlen(path);
    bv_json_type t = bv_json_type_of(a);
    *da = a;
    *db = b;
    if (!a || !b || t != bv_json_type_of(b))
        return;
    if (t == BV_JSON_OBJECT) {
        for (size_t i = 0; i < bv_json_len(b); i++) {
            const bv_json *x = bv_json_get(a, bv_json_key_at(b, i)), *y = bv_json_at(b, i);
            if (!bv_json_equal(x, y)) {
                snprintf(path + len, n - len, ".%s", bv_json_key_at(b, i));
                json_difference(x, y, path, n, da, db);
                return;
            }
        }
        for (size_t i = 0; i < bv_json_len(a); i++)
            if (!bv_json_get(b, bv_json_key_at(a, i))) {
                snprintf(path + len, n - len, ".%s", bv_json_key_at(a, i));
                *da = bv_json_at(a, i);
                *db = NULL;
                return;
            }
    } else if (t == BV_JSON_ARRAY && bv_json_len(a) == bv_json_len(b)) {
        for (size_t i = 0; i < bv_json_len(a); i++)
            if (!bv_json_equal(bv_json_at(a, i), bv_json_at(b, i))) {
                snprintf(path + len, n - len, "[%zu]", i);
                json_difference(bv_json_at(a, i), bv_json_at(b, i), path, n, da, db);
                return;
            }
    }
}

/* A value on one line, cut to fit a message ("absent" for none). */
static void json_brief(const bv_json *j, char *buf, size_t n)
{
    char *text = NULL;
    size_t len = 0;
    bv_json_writer *w = NULL;
    FILE *m = j ? open_memstream(&text, &len) : NULL;
    snprintf(buf, n, "%s", j ? "?" : "absent");
    if (!m)
        return;
    if (bv_json_writer_create(m, false, &w, NULL) == BV_OK) {
        bv_cli_qualify_json_copy(w, j);
        BV_IGNORE(bv_json_writer_finish(w, NULL));
    }
    fclose(m);
    if (text) {
        len = strcspn(text, "\n");
        snprintf(buf, n, "%.*s%s", (int)(len > 120 ? 117 : len), text, len > 120 ? "..." : "");
    }
    free(text);
}

/* --- the judgement ------------------------------------------------------------------------ */

void bv_cli_qualify_judgement_free(bv_cli_qualify_judgement *j)
{
    bv_report_destroy(j->rep);
    bv_json_free(j->results);
    bv_report_baseline_destroy(j->must);
    bv_report_baseline_destroy(j->waivers);
    bv_report_bench_destroy(j->bench);
    free(j->cases);
    free(j->missing_globs);
    memset(j, 0, sizeof *j);
}

static bv_status judge_case(bv_cli_qualify_judgement *j, const char *name, bv_error *err)
{
    bv_status st = bv_array_reserve(&j->cases, &j->cases_cap, j->ncases + 1, sizeof *j->cases, err);
    if (st)
        return st;
    bv_cli_qualify_case *c = &j->cases[j->ncases++];
    memset(c, 0, sizeof *c);
    c->name = name;
    c->rec = bv_report_find_case(j->rep, name);
    if (c->rec) {
        /* The run was given the waivers as its baseline: what the kernel did is the first
         * attempt's status, before expected-fail or unexpected-pass. */
        bv_report_status s = c->rec->status;
        c->status = s == BV_RESULT_EXPECTED_FAIL || s == BV_RESULT_UNEXPECTED_PASS ? c->rec->observed : s;
    }
    /* A case that never finished is not waivable: a waiver says why a case fails, and a run that
     * did not finish it says nothing about the case. */
    if (c->rec && c->status == BV_RESULT_PASS) {
        c->result = "pass";
        j->passed++;
    } else if (c->rec && (c->waiver = bv_report_baseline_match(j->waivers, name)) != NULL) {
        c->result = "waived";
        j->waived++;
    } else if (c->rec) {
        c->result = "fail";
        j->failed++;
    } else {
        c->result = "missing";
        j->missing++;
    }
    return BV_OK;
}

bv_status bv_cli_qualify_judge(const char *dir, const char *top, bv_cli_qualify_judgement *j, bv_error *err)
{
    char p[BV_QUAL_PATH];
    bv_status st;
    size_t *hits = NULL;
    memset(j, 0, sizeof *j);
    snprintf(j->top, sizeof j->top, "%s", top);
    snprintf(p, sizeof p, "%s/" BV_QUAL_RESULTS, dir);
    if ((st = bv_report_read(p, &j->rep, err)) || (st = bv_json_parse_file(p, &j->results, err)))
        return st;
    if ((st = bv_report_fingerprint(j->rep, j->fingerprint, err)))
        return st;
    snprintf(p, sizeof p, "%s/" BV_QUAL_MUST_PASS, dir);
    if ((st = bv_report_list_load(p, false, &j->must, err)))
        return st;
    if (j->must->n == 0)
        return bv_error_set(err, BV_ERR_VALUE, "%s: lists no case: nothing to judge by", p);
    snprintf(p, sizeof p, "%s/" BV_QUAL_BASELINE, dir);
    if (access(p, F_OK) == 0 && (st = bv_report_baseline_load(p, &j->waivers, err))) {
        bv_error_prefix(err, "the waivers");
        return st;
    }
    snprintf(p, sizeof p, "%s/" BV_QUAL_BENCH, dir);
    if (access(p, F_OK) == 0) {
        if ((st = bv_report_bench_read(p, &j->bench, err)))
            return st;
        for (size_t i = 0; i < j->bench->n; i++)
            j->bench_wrong += !j->bench->entries[i].verified;
    }
    /* One device: the bench's and the device listing's must be the run's, or the archive
     * qualifies a device its run never saw. Matched by UUID. */
    const char *uuid = j->rep->run.device.uuid_str;
    if (j->bench && j->bench->device.uuid_str[0] && strcmp(j->bench->device.uuid_str, uuid) != 0)
        snprintf(j->device_mismatch, sizeof j->device_mismatch, "bench.json is of %s (%s), the run of %s (%s)",
                 j->bench->device.name, j->bench->device.uuid_str, j->rep->run.device.name, uuid);
    snprintf(p, sizeof p, "%s/" BV_QUAL_DEVICES, dir);
    if (!j->device_mismatch[0] && access(p, F_OK) == 0) {
        bv_json *devs = NULL;
        if ((st = bv_json_parse_file(p, &devs, err)))
            return st;
        bool found = false;
        for (size_t i = 0; i < bv_json_len(devs) && !found; i++) {
            const char *u = bv_json_string(bv_json_get(bv_json_at(devs, i), "uuid"));
            found = u && strcmp(u, uuid) == 0;
        }
        bv_json_free(devs);
        if (!found)
            snprintf(j->device_mismatch, sizeof j->device_mismatch,
                     BV_QUAL_DEVICES " lists no device with the run's UUID %s (%s)", uuid, j->rep->run.device.name);
    }
    hits = calloc(j->must->n, sizeof *hits);
    if (!hits)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !st && i < j->rep->nplanned; i++) {
        bool named = false;
        for (size_t k = 0; k < j->must->n; k++)
            if (bv_report_glob_match(j->must->entries[k].pattern, j->rep->planned[i])) {
                hits[k]++;
                named = true;
            }
        if (named)
            st = judge_case(j, j->rep->planned[i], err);
    }
    for (size_t k = 0; !st && k < j->must->n; k++)
        if (!hits[k] && (st = bv_array_reserve(&j->missing_globs, &j->missing_cap, j->nmissing_globs + 1,
                                               sizeof *j->missing_globs, err)) == BV_OK)
            j->missing_globs[j->nmissing_globs++] = k;
    free(hits);
    j->pass = !st && j->ncases && !j->failed && !j->missing && !j->nmissing_globs && !j->device_mismatch[0];
    return st;
}

/* The --filter values the run was given, from its recorded arguments. */
static void write_filters(bv_json_writer *w, const bv_report *rep)
{
    bv_json_arr_begin(w);
    for (size_t i = 0; i < rep->nargv; i++) {
        if (strcmp(rep->argv[i], "--filter") == 0 && i + 1 < rep->nargv)
            bv_json_str(w, rep->argv[++i]);
        else if (strncmp(rep->argv[i], "--filter=", 9) == 0)
            bv_json_str(w, rep->argv[i] + 9);
    }
    bv_json_arr_end(w);
}

static bool run_is_partial(const bv_report *rep)
{
    for (size_t i = 0; i < rep->nargv; i++)
        if (strncmp(rep->argv[i], "--filter", 8) == 0)
            return true;
    return strcmp(rep->run.suite, "full") != 0 || rep->run.kernel_dir[0];
}

/* What --verify derives again and compares. */
void bv_cli_qualify_write_derived(bv_json_writer *w, const bv_cli_qualify_judgement *j)
{
    const bv_report *rep = j->rep;
    const bv_device_info *d = &rep->run.device;
    bv_report_summary s;
    bv_report_summarize(rep, &s);
    bv_json_key(w, "verdict"); bv_json_str(w, j->pass ? "pass" : "fail");
    bv_json_key(w, "archive"); bv_json_str(w, j->top);
    bv_json_key(w, "device");
    bv_json_obj_begin(w);
    bv_json_key(w, "name"); bv_json_str(w, d->name);
    bv_json_key(w, "uuid"); bv_json_str(w, d->uuid_str);
    bv_json_key(w, "driver_name"); bv_json_str(w, d->driver_name);
    bv_json_key(w, "driver_version"); bv_json_str(w, d->driver_version_str);
    bv_json_key(w, "api_version"); bv_json_str(w, d->api_version_str);
    bv_json_obj_end(w);
    bv_json_key(w, "fingerprint"); bv_json_str(w, j->fingerprint);
    bv_json_key(w, "run");
    bv_json_obj_begin(w);
    bv_json_key(w, "run_id"); bv_json_str(w, rep->run.run_id);
    bv_json_key(w, "suite"); bv_json_str(w, rep->run.suite);
    bv_json_key(w, "kernel_dir"); bv_json_str(w, rep->run.kernel_dir[0] ? rep->run.kernel_dir : NULL);
    bv_json_key(w, "filters"); write_filters(w, rep);
    bv_json_key(w, "partial"); bv_json_bool_write(w, run_is_partial(rep));
    bv_json_key(w, "bounds"); bv_json_bool_write(w, rep->bounds.copy_bytes_per_s > 0);
    bv_json_key(w, "verdict"); bv_json_str(w, s.verdict);
    bv_json_key(w, "planned"); bv_json_u64(w, rep->nplanned);
    bv_json_key(w, "cases"); bv_json_u64(w, s.cases);
    bv_json_key(w, "new_failures"); bv_json_u64(w, s.new_failures);
    bv_json_key(w, "missing"); bv_json_u64(w, s.missing);
    bv_json_obj_end(w);
    bv_json_key(w, "bench");
    if (j->bench) {
        bv_json_obj_begin(w);
        bv_json_key(w, "entries"); bv_json_u64(w, j->bench->n);
        bv_json_key(w, "wrong"); bv_json_u64(w, j->bench_wrong);
        bv_json_obj_end(w);
    } else {
        bv_json_null(w);
    }
    bv_json_key(w, "counts");
    bv_json_obj_begin(w);
    bv_json_key(w, "must_pass_globs"); bv_json_u64(w, j->must->n);
    bv_json_key(w, "cases"); bv_json_u64(w, j->ncases);
    bv_json_key(w, "passed"); bv_json_u64(w, j->passed);
    bv_json_key(w, "waived"); bv_json_u64(w, j->waived);
    bv_json_key(w, "failed"); bv_json_u64(w, j->failed);
    bv_json_key(w, "missing"); bv_json_u64(w, j->missing);
    bv_json_key(w, "missing_globs"); bv_json_u64(w, j->nmissing_globs);
    bv_json_obj_end(w);
    bv_json_writer_inline_from(w, 3);
    bv_json_key(w, "failed");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < j->ncases; i++)
        if (strcmp(j->cases[i].result, "fail") == 0) {
            bv_json_obj_begin(w);
            bv_json_key(w, "case"); bv_json_str(w, j->cases[i].name);
            bv_json_key(w, "status"); bv_json_str(w, bv_report_status_name(j->cases[i].status));
            bv_json_key(w, "reason"); bv_json_str(w, j->cases[i].rec->reason);
            bv_json_obj_end(w);
        }
    bv_json_arr_end(w);
    bv_json_key(w, "missing_cases");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < j->ncases; i++)
        if (strcmp(j->cases[i].result, "missing") == 0)
            bv_json_str(w, j->cases[i].name);
    bv_json_arr_end(w);
    bv_json_key(w, "missing_globs");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < j->nmissing_globs; i++) {
        const bv_report_baseline_entry *e = &j->must->entries[j->missing_globs[i]];
        bv_json_obj_begin(w);
        bv_json_key(w, "glob"); bv_json_str(w, e->pattern);
        bv_json_key(w, "line"); bv_json_u64(w, e->line);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_key(w, "waivers");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < j->ncases; i++)
        if (j->cases[i].waiver) {
            const bv_report_baseline_entry *e = j->cases[i].waiver;
            bv_json_obj_begin(w);
            bv_json_key(w, "case"); bv_json_str(w, j->cases[i].name);
            bv_json_key(w, "status"); bv_json_str(w, bv_report_status_name(j->cases[i].status));
            bv_json_key(w, "pattern"); bv_json_str(w, e->pattern);
            bv_json_key(w, "line"); bv_json_u64(w, e->line);
            bv_json_key(w, "reason"); bv_json_str(w, e->reason);
            bv_json_obj_end(w);
        }
    bv_json_arr_end(w);
    bv_json_key(w, "cases");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < j->ncases; i++) {
        const bv_cli_qualify_case *c = &j->cases[i];
        bv_json_obj_begin(w);
        bv_json_key(w, "case"); bv_json_str(w, c->name);
        bv_json_key(w, "status"); bv_json_str(w, c->rec ? bv_report_status_name(c->status) : "missing");
        bv_json_key(w, "result"); bv_json_str(w, c->result);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
}

/* Each line reads back as a baseline entry: the case, then its reason. */
void bv_cli_qualify_write_waivers(FILE *f, const bv_cli_qualify_judgement *j)
{
    fprintf(f, "# Waivers blsvk qualify applied: must-pass cases that did not pass, each waived by an entry of\n"
               "# " BV_QUAL_BASELINE " with its reason. A line: <case>  # <status>; " BV_QUAL_BASELINE
               " line <n> (<glob>): <reason>\n");
    if (!j->waived)
        fprintf(f, "# none\n");
    for (size_t i = 0; i < j->ncases; i++)
        if (j->cases[i].waiver)
            fprintf(f, "%s  # %s; " BV_QUAL_BASELINE " line %u (%s): %s\n", j->cases[i].name,
                    bv_report_status_name(j->cases[i].status), j->cases[i].waiver->line, j->cases[i].waiver->pattern,
                    j->cases[i].waiver->reason);
}

static void first_line(const char *s, char *buf, size_t n)
{
    size_t len = strcspn(s, "\n");
    snprintf(buf, n, "%.*s%s", (int)(len > 160 ? 157 : len), s, len > 160 ? "..." : "");
}

/* What was judged, what failed, what was waived, the verdict. */
void bv_cli_qualify_print(const bv_cli_qualify_judgement *j, size_t max)
{
    const bv_report *rep = j->rep;
    const bv_device_info *d = &rep->run.device;
    bv_report_summary s;
    char line[200];
    bv_report_summarize(rep, &s);
    printf("device: %s (%s), driver %s %s, Vulkan %s; toolchain %s\n", d->name, d->uuid_str, d->driver_name,
           d->driver_version_str, d->api_version_str, j->fingerprint);
    printf("run %s: suite %s, %zu cases, run verdict %s (%zu new failures)%s\n", rep->run.run_id, rep->run.suite,
           s.cases, s.verdict, s.new_failures, rep->bounds.copy_bytes_per_s > 0 ? "" : "; no bounds measured");
    if (run_is_partial(rep)) {
        bool filtered = false;
        for (size_t i = 0; i < rep->nargv; i++)
            filtered |= strncmp(rep->argv[i], "--filter", 8) == 0;
        printf("note: not the whole full suite (suite %s%s%s%s): the verdict covers only the cases that ran\n",
               rep->run.suite, filtered ? ", --filter" : "", rep->run.kernel_dir[0] ? ", --kernel-dir " : "",
               rep->run.kernel_dir);
    }
    if (j->bench)
        printf("bench: %zu figure%s%s\n", j->bench->n, j->bench->n == 1 ? "" : "s",
               j->bench_wrong ? "" : ", every output right");
    else
        printf("bench: none\n");
    if (j->bench_wrong)
        printf("  %zu bench figures came with WRONG outputs (bench.json; not part of the verdict)\n", j->bench_wrong);
    printf("must-pass: %zu globs name %zu cases: %zu passed, %zu waived, %zu failed, %zu missing; %zu globs name "
           "no case\n",
           j->must->n, j->ncases, j->passed, j->waived, j->failed, j->missing, j->nmissing_globs);
    size_t shown = 0;
    for (size_t i = 0; i < j->ncases; i++) {
        const bv_cli_qualify_case *c = &j->cases[i];
        if (strcmp(c->result, "pass") == 0 || strcmp(c->result, "waived") == 0)
            continue;
        if (max && shown++ == max) {
            printf("  ... (verdict.json lists them all)\n");
            break;
        }
        if (c->rec) {
            first_line(c->rec->reason, line, sizeof line);
            printf("  failed: %s: %s: %s\n", c->name, bv_report_status_name(c->status), line);
        } else {
            printf("  missing: %s: planned, never finished\n", c->name);
        }
    }
    for (size_t i = 0; i < j->nmissing_globs; i++) {
        const bv_report_baseline_entry *e = &j->must->entries[j->missing_globs[i]];
        printf("  missing: " BV_QUAL_MUST_PASS " line %u: '%s' names no case of the run\n", e->line, e->pattern);
    }
    for (size_t i = 0; i < j->ncases; i++)
        if (j->cases[i].waiver)
            printf("  waived: %s (%s): " BV_QUAL_BASELINE " line %u (%s): %s\n", j->cases[i].name,
                   bv_report_status_name(j->cases[i].status), j->cases[i].waiver->line, j->cases[i].waiver->pattern,
                   j->cases[i].waiver->reason);
    if (j->device_mismatch[0])
        printf("  not one device: %s\n", j->device_mismatch);
    printf("verdict: %s\n", j->pass ? "pass" : "fail");
}

/* --- checking an archive's own account against its files ---------------------------------- */

long bv_cli_qualify_check_derived(const char *dir, const bv_cli_qualify_judgement *j)
{
    char p[BV_QUAL_PATH], *text = NULL, *wtext = NULL, *archived_w = NULL;
    size_t len = 0, wlen = 0, alen = 0;
    bv_json *derived = NULL, *archived = NULL, *toolchain = NULL;
    bv_json_writer *w = NULL;
    bv_error err;
    long problems = 0;
    bv_error_clear(&err);
    FILE *m = open_memstream(&text, &len);
    if (!m || bv_json_writer_create(m, false, &w, &err)) {
        if (m)
            fclose(m);
        printf("  verdict.json: cannot be derived: out of memory\n");
        return 1;
    }
    bv_json_obj_begin(w);
    bv_cli_qualify_write_derived(w, j);
    bv_json_obj_end(w);
    BV_IGNORE(bv_json_writer_finish(w, NULL));
    fclose(m);
    snprintf(p, sizeof p, "%s/" BV_QUAL_VERDICT, dir);
    if (bv_json_parse(text, len, &derived, &err) || bv_json_parse_file(p, &archived, &err)) {
        printf("  verdict.json: %s\n", err.msg);
        problems++;
    } else {
        const char *fmt = bv_json_string(bv_json_get(archived, "format"));
        if (!fmt || strcmp(fmt, BV_QUAL_SCHEMA) != 0) {
            printf("  verdict.json: format is not \"" BV_QUAL_SCHEMA "\"\n");
            problems++;
        }
        for (size_t i = 0; i < bv_json_len(derived); i++) {
            const bv_json *a = bv_json_get(archived, bv_json_key_at(derived, i)), *d = bv_json_at(derived, i);
            char where[512], sa[160], sd[160];
            if (bv_json_equal(a, d))
                continue;
            snprintf(where, sizeof where, "%s", bv_json_key_at(derived, i));
            json_difference(a, d, where, sizeof where, &a, &d);
            json_brief(a, sa, sizeof sa);
            json_brief(d, sd, sizeof sd);
            printf("  verdict.json: %s says %s; the files give %s\n", where, sa, sd);
            problems++;
        }
    }
    m = open_memstream(&wtext, &wlen);
    if (m) {
        bv_cli_qualify_write_waivers(m, j);
        fclose(m);
    }
    snprintf(p, sizeof p, "%s/" BV_QUAL_WAIVERS, dir);
    if (bv_file_read_all(p, &archived_w, &alen, &err)) {
        printf("  waivers.txt: %s\n", err.msg);
        problems++;
    } else if (!wtext || alen != wlen || memcmp(archived_w, wtext, wlen) != 0) {
        printf("  waivers.txt: does not list the waivers the files give\n");
        problems++;
    }
    snprintf(p, sizeof p, "%s/" BV_QUAL_TOOLCHAIN, dir);
    if (bv_json_parse_file(p, &toolchain, &err)) {
        printf("  toolchain.json: %s\n", err.msg);
        problems++;
    } else if (!bv_json_equal(toolchain, bv_json_get(j->results, "toolchain"))) {
        printf("  toolchain.json: differs from the toolchain in " BV_QUAL_RESULTS "\n");
        problems++;
    }
    bv_json_free(derived);
    bv_json_free(archived);
    bv_json_free(toolchain);
    free(text);
    free(wtext);
    free(archived_w);
    return problems;
}
