/* harness/cli/cli_mutants_report.c: the mutants' results as JSON and as the Markdown mutation table. */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bv_json.h"
#include "bv_report.h"
#include "bv_run.h"
#include "bv_version.h"
#include "cli.h"
#include "cli_mutants.h"

/* --- output ------------------------------------------------------------------------------ */

/* "130 of 168 cases (fail 128, timeout 2)" into buf. */
void bv_mut_kill_summary(const mutant *m, char *buf, size_t n)
{
    int l = snprintf(buf, n, "%zu of %zu cases", m->nkills, m->ncases);
    const char *sep = " (";
    for (size_t k = 0; k < KILL_KINDS && l > 0 && (size_t)l < n; k++) {
        if (!m->kind_counts[k])
            continue;
        l += snprintf(buf + l, n - (size_t)l, "%s%s %zu", sep, kill_kinds[k], m->kind_counts[k]);
        sep = ", ";
    }
    if (l > 0 && (size_t)l < n && m->nkills)
        l += snprintf(buf + l, n - (size_t)l, ")");
    sep = ": ";
    for (size_t i = 0; i < m->nsets && l > 0 && (size_t)l < n; i++) {
        l += snprintf(buf + l, n - (size_t)l, "%s%s %zu", sep, m->set_names[i], m->set_counts[i]);
        sep = ", ";
    }
}

/* Creates the folder a file goes in. */
static bv_status make_parent(const char *path, bv_error *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return BV_OK;
    *slash = '\0';
    return bv_mkdir_p(dir, err);
}

bv_status bv_mut_write_json(const char *path, const mut_opts *o, const mut_device *dev, const mutant *ms, size_t n,
                            size_t killed, size_t counted, double seconds, bv_error *err)
{
    bv_json_file jf;
    bv_status st = make_parent(path, err);
    if (!st)
        st = bv_json_file_open(&jf, path, true, err);
    if (st)
        return st;
    bv_json_writer *w = jf.w;
    bv_json_writer_inline_from(w, 4);
    bv_json_obj_begin(w);
    bv_json_key(w, "format"); bv_json_str(w, "blsvk-mutants-results/1");
    bv_json_key(w, "blsvk_version"); bv_json_str(w, BV_VERSION);
    bv_json_key(w, "git_revision"); bv_json_str(w, BV_GIT_REVISION);
    bv_json_key(w, "suite"); bv_json_str(w, o->suite);
    bv_json_key(w, "first_kill"); bv_json_bool_write(w, o->first_kill);
    bv_json_key(w, "recipes"); bv_json_bool_write(w, o->recipes);
    bv_json_key(w, "timeout_ms"); bv_json_u64(w, o->timeout_ms);
    bv_json_key(w, "device"); bv_json_str(w, dev->name);
    bv_json_key(w, "driver"); bv_json_str(w, dev->driver);
    bv_json_key(w, "mutants"); bv_json_u64(w, counted);
    bv_json_key(w, "killed"); bv_json_u64(w, killed);
    bv_json_key(w, "kill_rate");
    if (counted)
        bv_json_num(w, (double)killed / (double)counted);
    else
        bv_json_null(w);
    bv_json_key(w, "seconds"); bv_json_num(w, seconds);
    bv_json_key(w, "results");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < n; i++) {
        const mutant *m = &ms[i];
        if (!m->selected)
            continue;
        bv_json_obj_begin(w);
        bv_json_key(w, "name"); bv_json_str(w, m->name);
        bv_json_key(w, "bug"); bv_json_str(w, m->bug);
        bv_json_key(w, "ops"); bv_json_str(w, m->ops);
        bv_json_key(w, "fields"); bv_json_str(w, m->fields);
        bv_json_key(w, "limbs"); bv_json_str(w, m->limbs);
        bv_json_key(w, "state"); bv_json_str(w, state_names[m->state]);
        if (m->state == MUT_ERROR) {
            bv_json_key(w, "error"); bv_json_str(w, m->error);
        }
        bv_json_key(w, "cases"); bv_json_u64(w, m->ncases);
        bv_json_key(w, "kills"); bv_json_u64(w, m->nkills);
        bv_json_key(w, "seconds"); bv_json_num(w, m->seconds);
        bv_json_key(w, "killed_by");
        bv_json_arr_begin(w);
        for (size_t k = 0; k < m->nkills && k < MAX_KILLS_KEPT; k++) {
            bv_json_obj_begin(w);
            bv_json_key(w, "case"); bv_json_str(w, m->kills[k].name);
            bv_json_key(w, "status"); bv_json_str(w, m->kills[k].status);
            bv_json_key(w, "reason"); bv_json_str(w, m->kills[k].reason);
            bv_json_obj_end(w);
        }
        bv_json_arr_end(w);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_obj_end(w);
    return bv_json_file_close(&jf, BV_OK, err);
}

bv_status bv_mut_write_markdown(const char *path, const mut_opts *o, const mut_device *dev, const mutant *ms,
                                size_t n, size_t killed, size_t counted, bv_error *err)
{
    bv_atomic_file af;
    bv_status st = make_parent(path, err);
    if (!st)
        st = bv_atomic_open(&af, path, err);
    if (st)
        return st;
    FILE *f = af.f;
    fprintf(f, "Suite `%s`%s on %s (%s): %zu of %zu mutants killed (%.1f%%).\n\n", o->suite,
            o->first_kill ? " (stopping at the first kill)" : "", dev->name, dev->driver, killed, counted,
            counted ? 100.0 * (double)killed / (double)counted : 0.0);
    fprintf(f, "| mutant | the bug | breaks | killed by |\n| --- | --- | --- | --- |\n");
    for (size_t i = 0; i < n; i++) {
        const mutant *m = &ms[i];
        char sum[512];
        if (!m->selected)
            continue;
        fprintf(f, "| `%s` | ", m->name);
        bv_report_md_cell(f, m->bug);
        if (m->note[0]) {
            fputs(" (", f);
            bv_report_md_cell(f, m->note);
            fputs(")", f);
        }
        fprintf(f, " | %s; %s; %s | ", m->ops, m->fields, m->limbs);
        if (m->state == MUT_KILLED) {
            bv_mut_kill_summary(m, sum, sizeof sum);
            fprintf(f, "%s, e.g. `%s`", sum, m->kills[0].name);
            if (m->nkills > 1)
                fprintf(f, ", `%s`", m->kills[m->nkills < MAX_KILLS_KEPT ? m->nkills - 1 : MAX_KILLS_KEPT - 1].name);
        } else if (m->state == MUT_ERROR) {
            fputs("**error**: ", f);
            bv_report_md_cell(f, m->error);
        } else {
            fprintf(f, "**%s** (%zu cases)", state_names[m->state], m->ncases);
        }
        fputs(" |\n", f);
    }
    return bv_atomic_commit(&af, err);
}

