/* reports/report_merge_json.c: merged.json, what a merge adds to its device reports: the
 * devices with their verdicts, the device-by-case matrix, missing cases and shards, conflicts
 * and toolchain differences. report_read.c reads it back. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "bv_json.h"
#include "report_internal.h"

bv_status bv_report_write_merged_json(const char *path, const bv_report_set *set, bv_error *err)
{
    bv_atomic_file af;
    bv_json_writer *w = NULL;
    /* The rows: every case any device ran or planned, in order of first appearance. */
    rt_nameset seen = {0};
    rt_nameset *planned = calloc(set->ndev ? set->ndev : 1, sizeof *planned);
    const char **rows = NULL;
    size_t nrows = 0, cap = 0;
    bv_status st = BV_OK;
    for (size_t d = 0; d < set->ndev; d++)
        cap += set->dev[d]->ncases + set->dev[d]->nplanned;
    rows = calloc(cap ? cap : 1, sizeof *rows);
    if (!rows || !planned) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t d = 0; d < set->ndev; d++) {
        const bv_report *rep = set->dev[d];
        for (size_t k = 0; k < rep->nplanned; k++) {
            rt_nameset_add(&planned[d], rep->planned[k]);
            if (rt_nameset_add(&seen, rep->planned[k]))
                rows[nrows++] = rep->planned[k];
        }
        for (size_t i = 0; i < rep->ncases; i++)
            if (rt_nameset_add(&seen, rep->cases[i].name))
                rows[nrows++] = rep->cases[i].name;
        if (seen.oom || planned[d].oom) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    st = bv_atomic_open(&af, path, err);
    if (st)
        goto out;
    st = bv_json_writer_create(af.f, true, &w, err);
    if (st) {
        bv_atomic_abort(&af);
        goto out;
    }
    /* The matrix's rows on one line each: a device-by-case table people can scan. */
    bv_json_writer_inline_from(w, 4);
    bv_json_obj_begin(w);
    bv_json_key(w, "format"); bv_json_str(w, BV_REPORT_MERGED_SCHEMA);
    bv_json_key(w, "verdict");
    bool any_fail = false;
    for (size_t d = 0; d < set->ndev; d++) {
        bv_report_summary s;
        bv_report_summarize(set->dev[d], &s);
        any_fail |= s.new_failures > 0;
    }
    bv_json_str(w, any_fail || set->nconflicts ? "fail" : bv_report_set_ok(set) ? "pass" : "incomplete");
    bv_json_key(w, "inputs");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < set->ninputs; i++)
        bv_json_str(w, set->inputs[i]);
    bv_json_arr_end(w);
    bv_json_key(w, "devices");
    bv_json_arr_begin(w);
    for (size_t d = 0; d < set->ndev; d++) {
        const bv_report *rep = set->dev[d];
        bv_report_summary s;
        char slug[160], label[800], fp[17], mfp[17], file[200];
        bv_report_summarize(rep, &s);
        bv_report_device_slug(&rep->run.device, slug, sizeof slug);
        rt_device_label(rep, label, sizeof label);
        if (bv_report_fingerprint(rep, fp, NULL) != BV_OK)
            snprintf(fp, sizeof fp, "?");
        if (bv_report_modules_fingerprint(rep, mfp, NULL) != BV_OK)
            snprintf(mfp, sizeof mfp, "?");
        snprintf(file, sizeof file, "%s/results.json", slug);
        bv_json_obj_begin(w);
        bv_json_key(w, "slug"); bv_json_str(w, slug);
        bv_json_key(w, "label"); bv_json_str(w, label);
        bv_json_key(w, "results"); bv_json_str(w, file);
        bv_json_key(w, "verdict"); bv_json_str(w, s.verdict);
        bv_json_key(w, "fingerprint"); bv_json_str(w, fp);
        bv_json_key(w, "modules_fingerprint"); bv_json_str(w, mfp[0] ? mfp : NULL);
        bv_json_key(w, "cases"); bv_json_u64(w, s.cases);
        bv_json_key(w, "missing"); bv_json_u64(w, s.missing);
        bv_json_key(w, "new_failures"); bv_json_u64(w, s.new_failures);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_key(w, "matrix");
    bv_json_obj_begin(w);
    bv_json_key(w, "columns");
    bv_json_arr_begin(w);
    for (size_t d = 0; d < set->ndev; d++) {
        char slug[160];
        bv_report_device_slug(&set->dev[d]->run.device, slug, sizeof slug);
        bv_json_str(w, slug);
    }
    bv_json_arr_end(w);
    bv_json_key(w, "rows");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < nrows; i++) {
        bv_json_arr_begin(w);
        bv_json_str(w, rows[i]);
        for (size_t d = 0; d < set->ndev; d++) {
            const bv_report_case *c = bv_report_find_case(set->dev[d], rows[i]);
            bv_json_str(w, c ? bv_report_status_name(c->status) : rt_nameset_has(&planned[d], rows[i]) ? "missing" : NULL);
        }
        bv_json_arr_end(w);
    }
    bv_json_arr_end(w);
    bv_json_obj_end(w);
    bv_json_key(w, "missing");
    bv_json_arr_begin(w);
    for (size_t d = 0; d < set->ndev; d++)
        for (size_t k = 0; k < set->dev[d]->nplanned; k++)
            if (bv_report_is_missing(set->dev[d], k)) {
                bv_json_obj_begin(w);
                bv_json_key(w, "device"); bv_json_u64(w, d);
                bv_json_key(w, "case"); bv_json_str(w, set->dev[d]->planned[k]);
                bv_json_obj_end(w);
            }
    bv_json_arr_end(w);
    bv_json_key(w, "missing_shards");
    bv_json_arr_begin(w);
    for (size_t k = 0; k < set->nmissing_shards; k++) {
        bv_json_obj_begin(w);
        bv_json_key(w, "device"); bv_json_u64(w, set->missing_shards[k].device);
        bv_json_key(w, "index"); bv_json_u64(w, set->missing_shards[k].index);
        bv_json_key(w, "count"); bv_json_u64(w, set->missing_shards[k].count);
        bv_json_key(w, "cases"); bv_json_u64(w, set->missing_shards[k].cases);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_key(w, "conflicts");
    bv_json_arr_begin(w);
    for (size_t k = 0; k < set->nconflicts; k++) {
        const bv_report_conflict *c = &set->conflicts[k];
        bv_json_obj_begin(w);
        bv_json_key(w, "device"); bv_json_u64(w, c->device);
        bv_json_key(w, "case"); bv_json_str(w, c->name);
        bv_json_key(w, "statuses");
        bv_json_arr_begin(w);
        bv_json_str(w, bv_report_status_name(c->a));
        bv_json_str(w, bv_report_status_name(c->b));
        bv_json_arr_end(w);
        bv_json_key(w, "sources");
        bv_json_arr_begin(w);
        bv_json_str(w, c->source_a);
        bv_json_str(w, c->source_b);
        bv_json_arr_end(w);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_key(w, "duplicates"); bv_json_u64(w, set->duplicates);
    bv_json_key(w, "toolchain_differences");
    bv_json_arr_begin(w);
    for (size_t k = 0; k < set->ndiffs; k++) {
        bv_json_obj_begin(w);
        bv_json_key(w, "what"); bv_json_str(w, set->diffs[k].what);
        bv_json_key(w, "values"); bv_json_str(w, set->diffs[k].values);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_obj_end(w);
    st = bv_json_writer_finish(w, err);
    if (st) {
        bv_atomic_abort(&af);
        goto out;
    }
    st = bv_atomic_commit(&af, err);
out:
    rt_nameset_free(&seen);
    for (size_t d = 0; planned && d < set->ndev; d++)
        rt_nameset_free(&planned[d]);
    free(planned);
    free(rows);
    if (st)
        bv_error_prefix(err, "%s", path);
    return st;
}
