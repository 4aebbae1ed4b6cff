/* reports/report_compare_out.c: a comparison of two runs on the terminal, in Markdown and as
 * blsvk-compare/1 JSON (docs/report-format.md); the HTML page is report_compare_html.c. */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bv_json.h"
#include "report_internal.h"

#define BV_REPORT_COMPARE_SCHEMA "blsvk-compare/1"

/* The first line of a reason, at most n - 1 bytes ("" for none). */
static void first_line(char *buf, size_t n, const char *s)
{
    size_t k = s ? strcspn(s, "\r\n") : 0;
    if (k >= n)
        k = n - 1;
    memcpy(buf, s ? s : "", k);
    buf[k] = '\0';
}

static const char *status_of(const bv_report_case *c)
{
    return c ? bv_report_status_name(c->status) : "-";
}

/* The reason a change is about: B's when B has one, else A's. */
static const char *change_reason(const bv_report_case_change *ch)
{
    if (ch->b && ch->b->reason[0])
        return ch->b->reason;
    return ch->a ? ch->a->reason : "";
}

static void fmt_ratio(char *buf, size_t n, double v)
{
    if (isnan(v))
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.3f", v);
}

static void fmt_interval(char *buf, size_t n, const bv_report_ratio *r)
{
    if (isnan(r->lo))
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "[%.3f, %.3f]", r->lo, r->hi);
}

static void fmt_us(char *buf, size_t n, double ns)
{
    snprintf(buf, n, "%.1f", ns / 1e3);
}

/* What a timing row says beyond its numbers. */
static void timing_note(char *buf, size_t n, const bv_report_comparison *c, const bv_report_timing_change *t)
{
    switch (t->r.verdict) {
    case BV_TIMING_FEW_REPS:
        snprintf(buf, n, "too few repetitions (%u and %u; --min-reps %u)", t->r.na, t->r.nb, c->opts.min_reps);
        break;
    case BV_TIMING_NO_SAMPLES:
        snprintf(buf, n, "no per-repetition times on %s (an older blsvk's report)", t->r.na ? "B" : "A");
        break;
    case BV_TIMING_UNSURE:
        snprintf(buf, n, "past the threshold, within the noise");
        break;
    default:
        buf[0] = '\0';
    }
    if (t->module_changed) {
        size_t l = strlen(buf);
        snprintf(buf + l, n - l, "%skernel changed", l ? "; " : "");
    }
}

static const char *verdict_line(const bv_report_comparison *c, char *buf, size_t n)
{
    if (c->regression)
        snprintf(buf, n, "REGRESSION: %zu new failure%s, %zu slowdown%s past %.3g%% outside the noise",
                 c->new_failures, c->new_failures == 1 ? "" : "s", c->slowdowns, c->slowdowns == 1 ? "" : "s",
                 c->opts.max_slowdown * 100);
    else
        snprintf(buf, n, "no regression (no new failure, no slowdown past %.3g%% outside the noise)",
                 c->opts.max_slowdown * 100);
    return buf;
}

static void timing_counts_line(char *buf, size_t n, const bv_report_comparison *c)
{
    snprintf(buf, n, "%zu compared: %zu slower, %zu unsure, %zu faster, %zu same, %zu too few repetitions, %zu without samples",
             c->ntimings, c->timing_counts[BV_TIMING_SLOWER], c->timing_counts[BV_TIMING_UNSURE],
             c->timing_counts[BV_TIMING_FASTER], c->timing_counts[BV_TIMING_SAME],
             c->timing_counts[BV_TIMING_FEW_REPS], c->timing_counts[BV_TIMING_NO_SAMPLES]);
}

/* --- terminal --------------------------------------------------------------------------- */

bv_status bv_report_compare_write_text(FILE *f, const bv_report_comparison *c, size_t max_listed, bv_error *err)
{
    char line[512];
    fprintf(f, "A (reference): %s\nB:             %s\n", c->a->path, c->b->path);
    for (size_t p = 0; p < c->npairs; p++)
        fprintf(f, "device%s: %s | %s\n", c->npairs > 1 ? "" : "", c->pairs[p].label_a, c->pairs[p].label_b);
    for (size_t i = 0; i < c->nunpaired; i++)
        fprintf(f, "device %s (not compared)\n", c->unpaired[i]);
    fprintf(f, "verdict: %s\n", verdict_line(c, line, sizeof line));

    if (c->nenv) {
        fprintf(f, "\nwhat else differs:\n");
        for (size_t i = 0; i < c->nenv; i++)
            fprintf(f, "  %-24s %s  ->  %s\n", c->env[i].what, c->env[i].a, c->env[i].b);
    }

    fprintf(f, "\nconformance: %zu new failure%s, %zu status change%s, %zu new pass%s, %zu appeared, %zu disappeared\n",
            c->counts[BV_CHANGE_NEW_FAILURE], c->counts[BV_CHANGE_NEW_FAILURE] == 1 ? "" : "s",
            c->counts[BV_CHANGE_STATUS], c->counts[BV_CHANGE_STATUS] == 1 ? "" : "s", c->counts[BV_CHANGE_NEW_PASS],
            c->counts[BV_CHANGE_NEW_PASS] == 1 ? "" : "es", c->counts[BV_CHANGE_APPEARED],
            c->counts[BV_CHANGE_DISAPPEARED]);
    size_t listed = 0;
    if (c->nchanges)
        fprintf(f, "  %-14s %-44s %-15s %-15s %s\n", "change", "case", "A", "B", "reason");
    for (size_t i = 0; i < c->nchanges; i++) {
        const bv_report_case_change *ch = &c->changes[i];
        if (max_listed && listed == max_listed) {
            fprintf(f, "  ... and %zu more (--markdown, --html or --json list all)\n", c->nchanges - listed);
            break;
        }
        char reason[160];
        first_line(reason, sizeof reason, change_reason(ch));
        fprintf(f, "  %-14s %-44s %-15s %-15s %s\n", bv_report_change_kind_name(ch->kind), ch->name, status_of(ch->a),
                status_of(ch->b), reason);
        listed++;
    }

    timing_counts_line(line, sizeof line, c);
    fprintf(f, "\ntiming (ratio B/A of medians, %.0f%% interval): %s\n", c->opts.confidence * 100, line);
    size_t shown = 0;
    for (size_t i = 0; i < c->ntimings; i++)
        shown += c->timings[i].r.verdict != BV_TIMING_SAME;
    if (shown)
        fprintf(f, "  %-12s %7s %-18s %11s %11s %-10s %-44s %s\n", "verdict", "ratio", "interval", "A_median_us",
                "B_median_us", "measure", "case", "note");
    listed = 0;
    for (size_t i = 0; i < c->ntimings; i++) {
        const bv_report_timing_change *t = &c->timings[i];
        if (t->r.verdict == BV_TIMING_SAME)
            continue;
        if (max_listed && listed == max_listed) {
            fprintf(f, "  ... and %zu more (--markdown, --html or --json list all)\n", shown - listed);
            break;
        }
        char ratio[32], iv[48], ua[32], ub[32], note[160];
        fmt_ratio(ratio, sizeof ratio, t->r.ratio);
        fmt_interval(iv, sizeof iv, &t->r);
        fmt_us(ua, sizeof ua, t->median_a);
        fmt_us(ub, sizeof ub, t->median_b);
        timing_note(note, sizeof note, c, t);
        fprintf(f, "  %-12s %7s %-18s %11s %11s %-10s %-44s %s\n", bv_report_timing_verdict_name(t->r.verdict), ratio,
                iv, ua, ub, t->measure, t->name, note);
        listed++;
    }
    if (c->timing_counts[BV_TIMING_SAME])
        fprintf(f, "  (%zu within the thresholds not listed)\n", c->timing_counts[BV_TIMING_SAME]);
    if (ferror(f))
        return bv_error_set(err, BV_ERR_IO, "writing the comparison failed");
    return BV_OK;
}

/* --- Markdown --------------------------------------------------------------------------- */

static void md_code(FILE *f, const char *s)
{
    fputc('`', f);
    bv_report_md_cell(f, s);
    fputc('`', f);
}

bv_status bv_report_compare_write_markdown(const char *path, const bv_report_comparison *c, bv_error *err)
{
    bv_atomic_file af;
    char line[512];
    bv_status st = bv_atomic_open(&af, path, err);
    if (st)
        return st;
    FILE *f = af.f;
    fprintf(f, "# blsvk compare: %s\n\n| | |\n| --- | --- |\n| verdict | %s |\n| A (reference) | ",
            c->regression ? "regression" : "no regression", verdict_line(c, line, sizeof line));
    md_code(f, c->a->path);
    fputs(" |\n| B | ", f);
    md_code(f, c->b->path);
    fputs(" |\n", f);
    for (size_t p = 0; p < c->npairs; p++) {
        fputs("| device | ", f);
        bv_report_md_cell(f, c->pairs[p].label_a);
        fputs(" &rarr; ", f);
        bv_report_md_cell(f, c->pairs[p].label_b);
        fputs(" |\n", f);
    }
    for (size_t i = 0; i < c->nunpaired; i++) {
        fputs("| not compared | ", f);
        bv_report_md_cell(f, c->unpaired[i]);
        fputs(" |\n", f);
    }
    fprintf(f, "| thresholds | slowdown %.3g%%, at least %u repetitions, %.0f%% intervals |\n\n",
            c->opts.max_slowdown * 100, c->opts.min_reps, c->opts.confidence * 100);

    fputs("## What else differs\n\n", f);
    if (!c->nenv)
        fputs("Nothing: the same toolchain, driver and modules.\n\n", f);
    else {
        fputs("| what | A | B |\n| --- | --- | --- |\n", f);
        for (size_t i = 0; i < c->nenv; i++) {
            fputs("| ", f);
            bv_report_md_cell(f, c->env[i].what);
            fputs(" | ", f);
            md_code(f, c->env[i].a);
            fputs(" | ", f);
            md_code(f, c->env[i].b);
            fputs(" |\n", f);
        }
        fputc('\n', f);
    }

    fprintf(f, "## Conformance\n\n%zu new failures, %zu status changes, %zu new passes, %zu appeared, %zu disappeared.\n\n",
            c->counts[BV_CHANGE_NEW_FAILURE], c->counts[BV_CHANGE_STATUS], c->counts[BV_CHANGE_NEW_PASS],
            c->counts[BV_CHANGE_APPEARED], c->counts[BV_CHANGE_DISAPPEARED]);
    if (c->nchanges) {
        fputs("| change | case | A | reason in A | B | reason in B |\n| --- | --- | --- | --- | --- | --- |\n", f);
        for (size_t i = 0; i < c->nchanges; i++) {
            const bv_report_case_change *ch = &c->changes[i];
            fprintf(f, "| %s%s%s | ", ch->regression ? "**" : "", bv_report_change_kind_name(ch->kind),
                    ch->regression ? "**" : "");
            md_code(f, ch->name);
            fprintf(f, " | %s | ", status_of(ch->a));
            bv_report_md_cell(f, ch->a ? ch->a->reason : "");
            fprintf(f, " | %s | ", status_of(ch->b));
            bv_report_md_cell(f, ch->b ? ch->b->reason : "");
            fputs(" |\n", f);
        }
        fputc('\n', f);
    }

    timing_counts_line(line, sizeof line, c);
    fprintf(f, "## Timing\n\nRatio B/A of the medians, with a %.0f%% interval (Hodges-Lehmann, from the "
               "repetitions of both runs); a slowdown is a regression only when the whole interval is past "
               "%.3g%%. %s.\n\n",
            c->opts.confidence * 100, c->opts.max_slowdown * 100, line);
    if (c->ntimings) {
        fputs("| verdict | ratio | interval | A median (us) | B median (us) | measure | case | note |\n"
              "| --- | ---: | --- | ---: | ---: | --- | --- | --- |\n",
              f);
        for (size_t i = 0; i < c->ntimings; i++) {
            const bv_report_timing_change *t = &c->timings[i];
            char ratio[32], iv[48], ua[32], ub[32], note[160];
            fmt_ratio(ratio, sizeof ratio, t->r.ratio);
            fmt_interval(iv, sizeof iv, &t->r);
            fmt_us(ua, sizeof ua, t->median_a);
            fmt_us(ub, sizeof ub, t->median_b);
            timing_note(note, sizeof note, c, t);
            fprintf(f, "| %s%s%s | %s | %s | %s | %s | %s | ", t->regression ? "**" : "",
                    bv_report_timing_verdict_name(t->r.verdict), t->regression ? "**" : "", ratio, iv, ua, ub,
                    t->measure);
            md_code(f, t->name);
            fputs(" | ", f);
            bv_report_md_cell(f, note);
            fputs(" |\n", f);
        }
    }
    st = bv_atomic_commit(&af, err);
    if (st)
        bv_error_prefix(err, "%s", path);
    return st;
}

/* --- JSON ------------------------------------------------------------------------------- */

static void json_side(bv_json_writer *w, const char *key, const bv_report_case *c)
{
    bv_json_key(w, key);
    if (!c) {
        bv_json_null(w);
        return;
    }
    bv_json_obj_begin(w);
    bv_json_key(w, "status"); bv_json_str(w, bv_report_status_name(c->status));
    bv_json_key(w, "reason"); bv_json_str(w, c->reason);
    bv_json_key(w, "kernel_sha256"); bv_json_str(w, c->kernel_sha256);
    bv_json_obj_end(w);
}

bv_status bv_report_compare_write_json(const char *path, const bv_report_comparison *c, bv_error *err)
{
    bv_json_file jf;
    bv_status st = bv_json_file_open(&jf, path, true, err);
    if (st)
        return st;
    bv_json_writer *w = jf.w;
    bv_json_writer_inline_from(w, 3);
    bv_json_obj_begin(w);
    bv_json_key(w, "format"); bv_json_str(w, BV_REPORT_COMPARE_SCHEMA);
    bv_json_key(w, "verdict"); bv_json_str(w, c->regression ? "regression" : "ok");
    bv_json_key(w, "a"); bv_json_str(w, c->a->path);
    bv_json_key(w, "b"); bv_json_str(w, c->b->path);
    bv_json_key(w, "max_slowdown"); bv_json_num(w, c->opts.max_slowdown);
    bv_json_key(w, "min_reps"); bv_json_u64(w, c->opts.min_reps);
    bv_json_key(w, "confidence"); bv_json_num(w, c->opts.confidence);
    bv_json_key(w, "new_failures"); bv_json_u64(w, c->new_failures);
    bv_json_key(w, "slowdowns"); bv_json_u64(w, c->slowdowns);
    bv_json_key(w, "devices");
    bv_json_arr_begin(w);
    for (size_t p = 0; p < c->npairs; p++) {
        bv_json_obj_begin(w);
        bv_json_key(w, "a"); bv_json_str(w, c->pairs[p].label_a);
        bv_json_key(w, "b"); bv_json_str(w, c->pairs[p].label_b);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_key(w, "unpaired");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < c->nunpaired; i++)
        bv_json_str(w, c->unpaired[i]);
    bv_json_arr_end(w);
    bv_json_key(w, "differences");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < c->nenv; i++) {
        bv_json_obj_begin(w);
        bv_json_key(w, "device"); bv_json_u64(w, c->env[i].pair);
        bv_json_key(w, "what"); bv_json_str(w, c->env[i].what);
        bv_json_key(w, "a"); bv_json_str(w, c->env[i].a);
        bv_json_key(w, "b"); bv_json_str(w, c->env[i].b);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_key(w, "counts");
    bv_json_obj_begin(w);
    for (int k = 0; k < BV_CHANGE_COUNT; k++) {
        bv_json_key(w, bv_report_change_kind_name((bv_report_change_kind)k));
        bv_json_u64(w, c->counts[k]);
    }
    for (int k = 0; k < BV_TIMING_COUNT; k++) {
        bv_json_key(w, bv_report_timing_verdict_name((bv_report_timing_verdict)k));
        bv_json_u64(w, c->timing_counts[k]);
    }
    bv_json_obj_end(w);
    bv_json_key(w, "changes");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < c->nchanges; i++) {
        const bv_report_case_change *ch = &c->changes[i];
        bv_json_obj_begin(w);
        bv_json_key(w, "device"); bv_json_u64(w, ch->pair);
        bv_json_key(w, "case"); bv_json_str(w, ch->name);
        bv_json_key(w, "change"); bv_json_str(w, bv_report_change_kind_name(ch->kind));
        bv_json_key(w, "regression"); bv_json_bool_write(w, ch->regression);
        json_side(w, "a", ch->a);
        json_side(w, "b", ch->b);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_key(w, "timings");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < c->ntimings; i++) {
        const bv_report_timing_change *t = &c->timings[i];
        bv_json_obj_begin(w);
        bv_json_key(w, "device"); bv_json_u64(w, t->pair);
        bv_json_key(w, "name"); bv_json_str(w, t->name);
        bv_json_key(w, "group"); bv_json_str(w, t->group);
        bv_json_key(w, "measure"); bv_json_str(w, t->measure);
        bv_json_key(w, "median_a_ns"); bv_json_num(w, t->median_a);
        bv_json_key(w, "median_b_ns"); bv_json_num(w, t->median_b);
        bv_json_key(w, "ratio"); bv_json_num(w, t->r.ratio);
        bv_json_key(w, "lo"); bv_json_num(w, t->r.lo);
        bv_json_key(w, "hi"); bv_json_num(w, t->r.hi);
        bv_json_key(w, "n_a"); bv_json_u64(w, t->r.na);
        bv_json_key(w, "n_b"); bv_json_u64(w, t->r.nb);
        bv_json_key(w, "verdict"); bv_json_str(w, bv_report_timing_verdict_name(t->r.verdict));
        bv_json_key(w, "kernel_changed"); bv_json_bool_write(w, t->module_changed);
        bv_json_key(w, "regression"); bv_json_bool_write(w, t->regression);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_obj_end(w);
    return bv_json_file_close(&jf, BV_OK, err);
}
