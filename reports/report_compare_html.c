/* reports/report_compare_html.c: a comparison of two runs as one self-contained page, in
 * report.html's style: the verdict, what else differs, the conformance changes (regressions
 * first), and per op the ratio B/A of every timing as a bar with its interval, the ops with
 * regressions first. No network and no external file (the same Content-Security-Policy). */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

#define H(f, s) rt_xml_text((f), (s))

static const char css[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}"
    "header{padding:18px 28px;color:#fff}header.pass{background:#1a7f37}header.fail{background:#b42318}"
    "header h1{margin:0 0 6px;font-size:22px}header p{margin:2px 0;opacity:.95}"
    ".badge{display:inline-block;padding:2px 10px;border-radius:4px;background:rgba(0,0,0,.25);margin-right:10px;"
    "letter-spacing:.05em}main{padding:8px 28px 40px;max-width:1500px}"
    "section{background:#fff;border:1px solid #d8dee4;border-radius:6px;padding:12px 18px;margin:14px 0}"
    "h2{font-size:18px;margin:4px 0 10px}h3{font-size:15px;margin:12px 0 6px}"
    "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #d8dee4;padding:3px 8px;text-align:left;"
    "vertical-align:top}th{background:#f0f2f4}td.num{text-align:right}code{font-family:ui-monospace,"
    "SFMono-Regular,Menlo,monospace;font-size:12px}"
    "td.pass{background:#dafbe1}td.fail,td.err{background:#ffd8d3;font-weight:600}td.ns{background:#f0f2f4}"
    "td.slower{background:#ffd8d3;font-weight:600}td.unsure{background:#fff1c2}td.faster{background:#dafbe1}"
    "td.few{background:#f0f2f4;color:#57606a}svg text{font-size:10px;fill:#444}"
    ".bars td{border:none;padding:1px 6px}.bars{margin-bottom:8px}";

/* A status cell coloured as report.html colours it (passes green, failures red). */
static void status_cell(FILE *f, const bv_report_case *c)
{
    const char *cls = !c ? "ns" : bv_report_status_is_failure(c->status) ? "fail"
                                  : bv_report_status_is_pass(c->status)  ? "pass"
                                                                         : "ns";
    fprintf(f, "<td class=\"%s\">%s</td>", cls, c ? bv_report_status_name(c->status) : "-");
}

static const char *verdict_class(bv_report_timing_verdict v)
{
    switch (v) {
    case BV_TIMING_SLOWER: return "slower";
    case BV_TIMING_UNSURE: return "unsure";
    case BV_TIMING_FASTER: return "faster";
    case BV_TIMING_SAME: return "";
    default: return "few";
    }
}

/* x of a ratio on a log scale from 1/4 (x 0) to 4 (x w), 1 in the middle; clamped. */
static double bar_x(double r, double w)
{
    double l = log2(r);
    if (!(l > -2))
        l = -2;
    if (l > 2)
        l = 2;
    return w / 2 + l * w / 4;
}

/* One timing's ratio as a bar from 1 to the ratio, its interval as a whisker, and the
 * thresholds as dashed lines. */
static void ratio_bar(FILE *f, const bv_report_comparison *c, const bv_report_timing_change *t)
{
    const double w = 320, h = 16;
    double up = 1 + c->opts.max_slowdown;
    const char *colour = t->r.verdict == BV_TIMING_SLOWER   ? "#b42318"
                         : t->r.verdict == BV_TIMING_FASTER ? "#1a7f37"
                         : t->r.verdict == BV_TIMING_UNSURE ? "#bf8700"
                                                            : "#8c959f";
    fprintf(f, "<svg width=\"%.0f\" height=\"%.0f\" role=\"img\">", w, h);
    fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%.0f\" stroke=\"#999\" stroke-dasharray=\"2,2\"/>",
            bar_x(up, w), bar_x(up, w), h);
    fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%.0f\" stroke=\"#999\" stroke-dasharray=\"2,2\"/>",
            bar_x(1 / up, w), bar_x(1 / up, w), h);
    if (!isnan(t->r.ratio)) {
        double x0 = bar_x(1, w), x1 = bar_x(t->r.ratio, w);
        fprintf(f, "<rect x=\"%.1f\" y=\"4\" width=\"%.1f\" height=\"8\" fill=\"%s\"/>", x0 < x1 ? x0 : x1,
                fabs(x1 - x0) < 1 ? 1 : fabs(x1 - x0), colour);
    }
    if (!isnan(t->r.lo))
        fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"8\" y2=\"8\" stroke=\"#1b1f24\" stroke-width=\"1.5\"/>"
                   "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"4\" y2=\"12\" stroke=\"#1b1f24\"/>"
                   "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"4\" y2=\"12\" stroke=\"#1b1f24\"/>",
                bar_x(t->r.lo, w), bar_x(t->r.hi, w), bar_x(t->r.lo, w), bar_x(t->r.lo, w), bar_x(t->r.hi, w),
                bar_x(t->r.hi, w));
    fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%.0f\" stroke=\"#1b1f24\"/></svg>", bar_x(1, w),
            bar_x(1, w), h);
}

static void ratio_text(FILE *f, const bv_report_timing_change *t)
{
    if (isnan(t->r.ratio))
        fputs("-", f);
    else
        fprintf(f, "%.3f", t->r.ratio);
    if (!isnan(t->r.lo))
        fprintf(f, " [%.3f, %.3f]", t->r.lo, t->r.hi);
}

static void env_section(FILE *f, const bv_report_comparison *c)
{
    fputs("<section><h2>What else differs</h2>\n", f);
    if (!c->nenv) {
        fputs("<p>Nothing: the same toolchain, driver and modules.</p></section>\n", f);
        return;
    }
    fputs("<table><thead><tr><th>what</th><th>A</th><th>B</th></tr></thead><tbody>\n", f);
    for (size_t i = 0; i < c->nenv; i++) {
        fputs("<tr><td>", f);
        H(f, c->env[i].what);
        fputs("</td><td><code>", f);
        H(f, c->env[i].a);
        fputs("</code></td><td><code>", f);
        H(f, c->env[i].b);
        fputs("</code></td></tr>\n", f);
    }
    fputs("</tbody></table>\n<p>A module whose SHA-256 changed ran different SPIR-V: a timing change in its cases "
          "may be the kernel's, not the driver's.</p></section>\n",
          f);
}

static void changes_section(FILE *f, const bv_report_comparison *c)
{
    fprintf(f, "<section><h2>Conformance</h2>\n<p>%zu new failures, %zu status changes, %zu new passes, %zu appeared, "
               "%zu disappeared.</p>\n",
            c->counts[BV_CHANGE_NEW_FAILURE], c->counts[BV_CHANGE_STATUS], c->counts[BV_CHANGE_NEW_PASS],
            c->counts[BV_CHANGE_APPEARED], c->counts[BV_CHANGE_DISAPPEARED]);
    if (c->nchanges) {
        fputs("<table><thead><tr><th>change</th><th>case</th><th>A</th><th>reason in A</th><th>B</th>"
              "<th>reason in B</th></tr></thead><tbody>\n",
              f);
        for (size_t i = 0; i < c->nchanges; i++) {
            const bv_report_case_change *ch = &c->changes[i];
            fprintf(f, "<tr><td%s>%s</td><td><code>", ch->regression ? " class=\"fail\"" : "",
                    bv_report_change_kind_name(ch->kind));
            H(f, ch->name);
            fputs("</code></td>", f);
            status_cell(f, ch->a);
            fputs("<td><pre style=\"margin:0;white-space:pre-wrap\">", f);
            H(f, ch->a ? ch->a->reason : "");
            fputs("</pre></td>", f);
            status_cell(f, ch->b);
            fputs("<td><pre style=\"margin:0;white-space:pre-wrap\">", f);
            H(f, ch->b ? ch->b->reason : "");
            fputs("</pre></td></tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
    }
    fputs("</section>\n", f);
}

/* Per op (group), every timing's ratio as a bar; groups in the order of their worst timing
 * (timings are sorted regressions first, so the first appearance is the worst). */
static void bars_section(FILE *f, const bv_report_comparison *c)
{
    fprintf(f, "<section><h2>Timing: B against A, per op</h2>\n<p>Each bar: the ratio B/A of the median times "
               "(right of the middle line: slower), on a log scale from 1/4 to 4; the whisker: its %.0f%% "
               "interval; dashed: the thresholds (%.3g%% either way). Regressions first.</p>\n",
            c->opts.confidence * 100, c->opts.max_slowdown * 100);
    rt_nameset seen = {0};
    for (size_t i = 0; i < c->ntimings; i++) {
        const bv_report_timing_change *g = &c->timings[i];
        if (!rt_nameset_add(&seen, g->group))
            continue;
        fputs("<h3>", f);
        H(f, g->group);
        fputs("</h3>\n<table class=\"bars\"><tbody>\n", f);
        for (size_t j = i; j < c->ntimings; j++) {
            const bv_report_timing_change *t = &c->timings[j];
            if (strcmp(t->group, g->group) != 0)
                continue;
            fputs("<tr><td><code>", f);
            H(f, t->name);
            fputs("</code></td><td>", f);
            ratio_bar(f, c, t);
            fprintf(f, "</td><td class=\"%s\">%s</td><td class=\"num\">", verdict_class(t->r.verdict),
                    bv_report_timing_verdict_name(t->r.verdict));
            ratio_text(f, t);
            fprintf(f, "</td><td class=\"num\">%.1f &rarr; %.1f us</td><td>%s%s</td></tr>\n", t->median_a / 1e3,
                    t->median_b / 1e3, t->measure, t->module_changed ? ", kernel changed" : "");
        }
        fputs("</tbody></table>\n", f);
    }
    rt_nameset_free(&seen);
    if (!c->ntimings)
        fputs("<p>No timing in common.</p>\n", f);
    fputs("</section>\n", f);
}

bv_status bv_report_compare_write_html(const char *path, const bv_report_comparison *c, bv_error *err)
{
    bv_atomic_file af;
    bv_status st = bv_atomic_open(&af, path, err);
    if (st)
        return st;
    FILE *f = af.f;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
          "img-src data:\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>blsvk compare: ",
          f);
    fputs(c->regression ? "regression" : "no regression", f);
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<header class=\"%s\">\n<h1><span id=\"verdict\" "
               "class=\"badge\">%s</span>blsvk compare</h1>\n",
            css, c->regression ? "fail" : "pass", c->regression ? "REGRESSION" : "NO REGRESSION");
    fprintf(f, "<p>%zu new failure%s, %zu slowdown%s past %.3g%% outside the noise</p>\n<p>A (reference): <code>",
            c->new_failures, c->new_failures == 1 ? "" : "s", c->slowdowns, c->slowdowns == 1 ? "" : "s",
            c->opts.max_slowdown * 100);
    H(f, c->a->path);
    fputs("</code> &#183; B: <code>", f);
    H(f, c->b->path);
    fputs("</code></p>\n", f);
    for (size_t p = 0; p < c->npairs; p++) {
        fputs("<p>", f);
        H(f, c->pairs[p].label_a);
        fputs(" &rarr; ", f);
        H(f, c->pairs[p].label_b);
        fputs("</p>\n", f);
    }
    for (size_t i = 0; i < c->nunpaired; i++) {
        fputs("<p>not compared: ", f);
        H(f, c->unpaired[i]);
        fputs("</p>\n", f);
    }
    fputs("</header>\n<main>\n", f);
    changes_section(f, c);
    bars_section(f, c);
    env_section(f, c);
    fputs("</main>\n</body>\n</html>\n", f);
    st = bv_atomic_commit(&af, err);
    if (st)
        bv_error_prefix(err, "%s", path);
    return st;
}
