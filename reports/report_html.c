/* reports/report_html.c: report.html, one self-contained page a driver engineer can open
 * anywhere: verdict, device, result matrix, charts of throughput against size (drawn by
 * report_html_chart.c), failures with their limb-level diffs. No network and no external
 * file: a Content-Security-Policy forbids both, so that a page that tried would show it in the
 * browser's console. */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

#define H(f, s) rt_xml_text((f), (s))

static const char *const status_class[] = {
    "pass", "fail", "ns", "err", "err", "err", "err", "xfail", "xpass", "flake", "err", "flake", "ns",
};
_Static_assert(sizeof status_class / sizeof status_class[0] == BV_RESULT_COUNT, "a class per status");

static const char css[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}"
    "header{padding:18px 28px;color:#fff}header.pass{background:#1a7f37}header.fail{background:#b42318}"
    "header.incomplete{background:#9a6700}header h1{margin:0 0 6px;font-size:22px}header p{margin:2px 0;opacity:.95}"
    ".badge{display:inline-block;padding:2px 10px;border-radius:4px;background:rgba(0,0,0,.25);margin-right:10px;"
    "letter-spacing:.05em}main{padding:8px 28px 40px;max-width:1500px}"
    "section{background:#fff;border:1px solid #d8dee4;border-radius:6px;padding:12px 18px;margin:14px 0}"
    "h2{font-size:18px;margin:4px 0 10px}h3{font-size:15px;margin:12px 0 6px}"
    "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #d8dee4;padding:3px 8px;text-align:left;"
    "vertical-align:top}th{background:#f0f2f4}td.num{text-align:right}code,.hex{font-family:ui-monospace,"
    "SFMono-Regular,Menlo,monospace;font-size:12px}.hex span,.hex mark{white-space:nowrap}"
    "mark{background:#ffd8d3;color:#8a1c12;border-radius:2px}"
    "pre.reason{margin:0;white-space:pre-wrap;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}"
    "td.pass{background:#dafbe1}td.fail,td.err{background:#ffd8d3;font-weight:600}td.flake{background:#fff1c2}"
    "td.xfail{background:#e8e1f5}td.xpass{background:#d6e9ff}td.ns{background:#f0f2f4;color:#57606a}"
    "td.missing{background:#fff1c2;font-style:italic}"
    ".chips span{display:inline-block;margin:2px 6px 2px 0;padding:2px 8px;border-radius:10px;background:#eaeef2}"
    ".chips span.bad{background:#ffd8d3}.charts{display:flex;flex-wrap:wrap;gap:10px}"
    ".charts figure{margin:0;border:1px solid #e1e4e8;border-radius:4px;background:#fff}"
    ".charts figcaption{font-size:12px;padding:2px 8px;color:#57606a}svg text{font-size:10px;fill:#444}"
    ".legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:18px;height:3px;"
    "vertical-align:middle;margin-right:4px}details>summary{cursor:pointer;font-weight:600}"
    ".failure{border-left:4px solid #b42318;padding:4px 12px;margin:10px 0}"
    "input[type=search]{padding:4px 8px;width:320px;margin:6px 0}";

static void status_cell(FILE *f, bv_report_status s, const char *text)
{
    fprintf(f, "<td class=\"%s\">", (unsigned)s < BV_RESULT_COUNT ? status_class[s] : "");
    H(f, text);
    fputs("</td>", f);
}

/* A field element's hex, grouped in 32-bit limbs (most significant first), the limbs that
 * differ marked: limb k of the little-endian layout is group G-1-k from the left. */
static void hex_limbs(FILE *f, const char *hex, uint32_t diff)
{
    const char *d = strncmp(hex, "0x", 2) == 0 ? hex + 2 : hex;
    size_t len = strlen(d);
    if (len % 8 != 0) {
        H(f, hex);
        return;
    }
    size_t groups = len / 8;
    fputs("<span class=\"hex\">0x ", f);
    for (size_t g = 0; g < groups; g++) {
        unsigned limb = (unsigned)(groups - 1 - g);
        bool bad = limb < 32 && (diff & (1u << limb));
        char part[9];
        memcpy(part, d + 8 * g, 8);
        part[8] = '\0';
        /* One unbreakable run per limb; lines break only between limbs. */
        fprintf(f, "%s<%s>%s</%s>", g ? " " : "", bad ? "mark" : "span", part, bad ? "mark" : "span");
    }
    fputs("</span>", f);
}

/* --- sections ------------------------------------------------------------------------------ */

static void matrix(FILE *f, const bv_report *rep)
{
    fputs("<table class=\"matrix\"><thead><tr><th>field.op</th>", f);
    for (int v = 0; v < RT_NVARIANTS; v++)
        fprintf(f, "<th>%s<br>%s</th>", bv_limbs_name((bv_limbs)(v / BV_MODE_COUNT)),
                bv_mode_name((bv_mode)(v % BV_MODE_COUNT)));
    fputs("</tr></thead><tbody>\n", f);
    for (int fi = 0; fi < BV_FAMILY_COUNT; fi++)
        for (int op = 0; op < BV_OP_COUNT; op++) {
            const char *fn = bv_ref_family_name((bv_family)fi), *on = bv_ref_op_name((bv_op)op);
            rt_cell cells[RT_NVARIANTS];
            bool any = false;
            for (int v = 0; v < RT_NVARIANTS; v++) {
                rt_cell_count(rep, (bv_family)fi, (bv_op)op, v, &cells[v]);
                any |= cells[v].ran || cells[v].notsup;
            }
            if (!any)
                continue;
            fprintf(f, "<tr><th>%s.%s</th>", fn, on);
            for (int v = 0; v < RT_NVARIANTS; v++) {
                char t[64];
                bv_report_status w = rt_cell_worst(&cells[v]);
                if (cells[v].ran)
                    snprintf(t, sizeof t, "%zu/%zu", cells[v].passed, cells[v].ran);
                else
                    snprintf(t, sizeof t, "%s", cells[v].notsup ? "n/s" : "");
                if (w == BV_RESULT_COUNT)
                    fputs("<td></td>", f);
                else
                    status_cell(f, w, t);
            }
            fputs("</tr>\n", f);
        }
    fputs("</tbody></table>\n<p>Each cell: cases that gave right answers (passes, flakes, unexpected passes, and "
          "expected failures) out of those that ran; colour: the worst status in it; n/s: not supported.</p>\n",
          f);
}

static void failure(FILE *f, const bv_report *rep, const bv_report_case *c)
{
    char replay[2400];
    fprintf(f, "<div class=\"failure\" id=\"fail-");
    H(f, c->name);
    fprintf(f, "\"><h3><code>");
    H(f, c->name);
    fprintf(f, "</code>: %s</h3>\n<p>", bv_report_status_name(c->status));
    H(f, c->reason);
    fputs("</p>\n", f);
    if (c->nfirst) {
        fputs("<table><thead><tr><th>element</th><th>inputs</th><th>expected / got (32-bit limbs, differing ones "
              "marked)</th></tr></thead><tbody>\n",
              f);
        for (unsigned i = 0; i < c->nfirst; i++) {
            const bv_report_mismatch *m = &c->first[i];
            fprintf(f, "<tr><td>%zu<br><code>", m->index);
            H(f, m->name);
            fputs("</code></td><td>", f);
            for (unsigned k = 0; k < m->ninputs; k++) {
                fprintf(f, "%s%s = ", k ? "<br>" : "", k ? "y" : "x");
                hex_limbs(f, m->inputs[k], 0);
            }
            fputs("</td><td>", f);
            hex_limbs(f, m->expected, m->limb_diff);
            fputs("<br>", f);
            hex_limbs(f, m->got, m->limb_diff);
            if (m->check[0]) {
                fputs("<br>check failed: ", f);
                H(f, m->check);
            }
            if (m->expected_point[0]) {
                fputs("<br>affine: expected <code>", f);
                H(f, m->expected_point);
                fputs("</code>, got <code>", f);
                H(f, m->got_point);
                fputs("</code>", f);
            }
            fputs("</td></tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
        if (c->mismatches > c->nfirst)
            fprintf(f, "<p>... and %zu more mismatching elements.</p>\n", c->mismatches - c->nfirst);
    }
    if (c->nattempts > 1) {
        fputs("<p>Attempts:", f);
        for (unsigned k = 0; k < c->nattempts; k++)
            fprintf(f, " %s", bv_report_status_name(c->attempts[k].status));
        fputs("</p>\n", f);
    }
    fputs("<p>Kernel <code>", f);
    H(f, c->kernel_source[0] ? c->kernel_source : "none");
    fprintf(f, "</code>, SPIR-V sha256 <code>%s</code></p>\n", c->kernel_sha256[0] ? c->kernel_sha256 : "-");
    bv_report_replay_command(rep, c, replay, sizeof replay);
    if (replay[0]) {
        fputs("<p>Replay: <code>", f);
        H(f, replay);
        fputs("</code></p>\n", f);
    }
    fputs("</div>\n", f);
}

static void listing(FILE *f, const bv_report *rep, bv_report_status s, const char *title, const char *what)
{
    size_t n = 0;
    for (size_t i = 0; i < rep->ncases; i++)
        n += rep->cases[i].status == s;
    if (!n)
        return;
    fprintf(f, "<section><h2>%s (%zu)</h2><p>%s</p><table><thead><tr><th>case</th><th>%s</th><th>why</th></tr>"
               "</thead><tbody>\n",
            title, n, what,
            s == BV_RESULT_FLAKE || s == BV_RESULT_KNOWN_FLAKE ? "attempts"
            : s == BV_RESULT_SKIP_LISTED                        ? "status"
                                                                : "baseline entry");
    for (size_t i = 0; i < rep->ncases; i++) {
        const bv_report_case *c = &rep->cases[i];
        if (c->status != s)
            continue;
        fputs("<tr><td><code>", f);
        H(f, c->name);
        fputs("</code></td><td>", f);
        if (s == BV_RESULT_FLAKE || s == BV_RESULT_KNOWN_FLAKE) {
            for (unsigned k = 0; k < c->nattempts; k++)
                fprintf(f, "%s%s", k ? ", " : "", bv_report_status_name(c->attempts[k].status));
            fputs("</td><td>", f);
            H(f, s == BV_RESULT_FLAKE && c->nattempts ? c->attempts[0].reason : c->reason);
        } else if (s == BV_RESULT_SKIP_LISTED) {
            fputs("not run</td><td>", f);
            H(f, c->reason);
        } else {
            fputs("<code>", f);
            H(f, c->baseline_pattern);
            fputs("</code></td><td>", f);
            H(f, c->baseline_reason);
            if (s == BV_RESULT_EXPECTED_FAIL) {
                fprintf(f, " (observed %s: ", bv_report_status_name(c->observed));
                H(f, c->reason);
                fputs(")", f);
            }
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></section>\n", f);
}

static void toolchain(FILE *f, const bv_report *rep)
{
    const bv_report_run *r = &rep->run;
    char fp[17], mfp[17], drv[800];
    bv_report_module *m = NULL;
    size_t nm = 0;
    if (bv_report_fingerprint(rep, fp, NULL) != BV_OK)
        snprintf(fp, sizeof fp, "?");
    if (bv_report_modules_fingerprint(rep, mfp, NULL) != BV_OK)
        snprintf(mfp, sizeof mfp, "?");
    snprintf(drv, sizeof drv, "%s %s (%s)", r->device.driver_name, r->device.driver_version_str, r->device.driver_info);
    const char *rows[][2] = {
        {"fingerprint", fp},
        {"blsvk", r->blsvk_version},
        {"git revision", r->git_revision},
        {"glslang", r->glslang_version},
        {"SPIRV-Tools", r->spirv_tools_version},
        {"spirv-opt recipe", r->spirv_opt},
        {"Vulkan loader", r->loader_version},
        {"Vulkan API (device)", r->device.api_version_str},
        {"driver", drv},
        {"modules that ran (fingerprint)", mfp[0] ? mfp : "none"},
    };
    fputs("<section><h2>Toolchain</h2><table><tbody>\n", f);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        fprintf(f, "<tr><th>%s</th><td><code>", rows[i][0]);
        H(f, rows[i][1]);
        fputs("</code></td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    if (bv_report_modules(rep, &m, &nm, NULL) == BV_OK && nm) {
        fprintf(f, "<details><summary>SPIR-V modules that ran (%zu)</summary><table><thead><tr><th>kernel</th>"
                   "<th>spirv-opt recipe</th><th>source</th><th>sha256</th><th>cases</th></tr></thead><tbody>\n",
                nm);
        for (size_t i = 0; i < nm; i++) {
            fprintf(f, "<tr><td>%s</td><td><code>", m[i].kernel);
            H(f, m[i].recipe);
            fputs("</code></td><td><code>", f);
            H(f, m[i].source);
            fprintf(f, "</code></td><td><code>%s</code></td><td class=\"num\">%zu</td></tr>\n", m[i].sha256,
                    m[i].cases);
        }
        fputs("</tbody></table></details>\n", f);
    }
    free(m);
    fputs("</section>\n", f);
}

static void all_cases(FILE *f, const bv_report *rep, size_t d)
{
    fprintf(f, "<section><details><summary>All %zu cases</summary>\n<input type=\"search\" class=\"case-filter\" "
               "data-table=\"cases-%zu\" placeholder=\"filter by name or status\" aria-label=\"filter cases\">\n"
               "<table id=\"cases-%zu\"><thead><tr><th>case</th><th>status</th><th>elements</th><th>kernel "
               "median</th><th>elements/s</th><th>copy fraction</th><th>reason</th></tr></thead><tbody>\n",
            rep->ncases, d, d);
    for (size_t i = 0; i < rep->ncases; i++) {
        const bv_report_case *c = &rep->cases[i];
        char rate[32], med[32], frac[32];
        double cf, lf;
        bv_report_case_fractions(rep, c, &cf, &lf);
        rt_si(rate, sizeof rate, rt_case_rate(c));
        if (c->timing.valid && c->timing.kernel_timed)
            snprintf(med, sizeof med, "%.1f us", c->timing.kernel_ns.median / 1e3);
        else
            snprintf(med, sizeof med, "-");
        if (isfinite(cf))
            snprintf(frac, sizeof frac, "%.2f", cf);
        else
            snprintf(frac, sizeof frac, "-");
        fputs("<tr><td><code>", f);
        H(f, c->name);
        fputs("</code></td>", f);
        status_cell(f, c->status, bv_report_status_name(c->status));
        fprintf(f, "<td class=\"num\">%zu</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td "
                   "class=\"num\">%s</td><td>",
                c->elements, med, rate, frac);
        H(f, c->reason);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></details></section>\n", f);
}

static void device_sections(FILE *f, const bv_report_set *set, size_t d)
{
    const bv_report *rep = set->dev[d];
    bv_report_summary s;
    bv_report_summarize(rep, &s);
    fprintf(f, "<section id=\"totals-%zu\" class=\"chips\"><h2>Cases</h2>", d);
    fprintf(f, "<span>%zu cases</span>", s.cases);
    for (unsigned k = 0; k < BV_RESULT_COUNT; k++)
        if (s.totals[k])
            fprintf(f, "<span class=\"%s\">%zu %s</span>", bv_report_status_is_failure((bv_report_status)k) ? "bad" : "",
                    s.totals[k], bv_report_status_name((bv_report_status)k));
    if (s.missing)
        fprintf(f, "<span class=\"bad\">%zu missing</span>", s.missing);
    fputs("</section>\n", f);
    if (s.new_failures) {
        /* One row per cause: its message once, line breaks kept, and every case it failed. */
        rt_group *g = NULL;
        size_t ng = 0;
        if (rt_failure_groups(rep, &g, &ng, NULL) != BV_OK)
            ng = 0;
        fprintf(f, "<section id=\"failures-%zu\"><h2>New failures (%zu, %zu cause%s)</h2><table><thead><tr>"
                   "<th>cases</th><th>status</th><th>reason</th></tr></thead><tbody>\n",
                d, s.new_failures, ng, ng == 1 ? "" : "s");
        for (size_t k = 0; k < ng; k++) {
            const bv_report_case *c = &rep->cases[g[k].cases[0]];
            fputs("<tr class=\"cause\"><td>", f);
            if (g[k].n > 1)
                fprintf(f, "%zu cases:<br>", g[k].n);
            for (size_t j = 0; j < g[k].n; j++) {
                const char *name = rep->cases[g[k].cases[j]].name;
                fputs(j ? "<br><a href=\"#fail-" : "<a href=\"#fail-", f);
                H(f, name);
                fputs("\"><code>", f);
                H(f, name);
                fputs("</code></a>", f);
            }
            fputs("</td>", f);
            status_cell(f, c->status, bv_report_status_name(c->status));
            fputs("<td><pre class=\"reason\">", f);
            H(f, c->reason);
            fputs("</pre></td></tr>\n", f);
        }
        rt_groups_free(g, ng);
        fputs("</tbody></table><p>Their diffs and replay commands are below the charts.</p></section>\n", f);
    }
    listing(f, rep, BV_RESULT_FLAKE, "Flakes", "Failed, then passed when retried: never counted as a plain pass.");
    listing(f, rep, BV_RESULT_KNOWN_FLAKE, "Known flakes",
            "Listed in --flakes and failed every attempt this time: not a failure of the run.");
    listing(f, rep, BV_RESULT_EXPECTED_FAIL, "Expected failures", "Failures the baseline lists.");
    listing(f, rep, BV_RESULT_SKIP_LISTED, "Skipped by --skips", "Listed in --skips: never run.");
    listing(f, rep, BV_RESULT_UNEXPECTED_PASS, "Unexpected passes",
            "The baseline lists these as failing, and they pass: prune the baseline.");
    if (s.missing) {
        fprintf(f, "<section><h2>Missing (%zu)</h2><p>Planned, never finished.</p><ul>\n", s.missing);
        for (size_t p = 0; p < rep->nplanned; p++)
            if (bv_report_is_missing(rep, p)) {
                fputs("<li><code>", f);
                H(f, rep->planned[p]);
                fputs("</code></li>\n", f);
            }
        fputs("</ul></section>\n", f);
    }
    fprintf(f, "<section id=\"matrix-%zu\"><h2>Result matrix</h2>\n", d);
    matrix(f, rep);
    fputs("</section>\n", f);
    rt_html_charts(f, rep, d);
    if (s.new_failures) {
        fprintf(f, "<section id=\"diffs-%zu\"><h2>Failures with their diffs</h2>\n", d);
        for (size_t i = 0; i < rep->ncases; i++)
            if (bv_report_status_is_failure(rep->cases[i].status))
                failure(f, rep, &rep->cases[i]);
        fputs("</section>\n", f);
    }
    /* Flakes and expected failures keep their diffs too: they are what a driver engineer opens. */
    size_t other = s.totals[BV_RESULT_FLAKE] + s.totals[BV_RESULT_KNOWN_FLAKE] + s.totals[BV_RESULT_EXPECTED_FAIL];
    if (other) {
        fprintf(f, "<section><details><summary>Diffs of flakes and expected failures (%zu)</summary>\n", other);
        for (size_t i = 0; i < rep->ncases; i++)
            if (rep->cases[i].status == BV_RESULT_FLAKE || rep->cases[i].status == BV_RESULT_KNOWN_FLAKE ||
                rep->cases[i].status == BV_RESULT_EXPECTED_FAIL)
                failure(f, rep, &rep->cases[i]);
        fputs("</details></section>\n", f);
    }
    toolchain(f, rep);
    all_cases(f, rep, d);
}

static const char script[] =
    "(function(){\n"
    "  var inputs = document.querySelectorAll('input.case-filter');\n"
    "  Array.prototype.forEach.call(inputs, function (q) {\n"
    "    var rows = document.querySelectorAll('#' + q.getAttribute('data-table') + ' tbody tr');\n"
    "    q.addEventListener('input', function () {\n"
    "      var v = q.value.toLowerCase();\n"
    "      Array.prototype.forEach.call(rows, function (r) {\n"
    "        r.hidden = v !== '' && r.textContent.toLowerCase().indexOf(v) < 0;\n"
    "      });\n"
    "    });\n"
    "  });\n"
    "  /* Tests read this to know the script ran to its end without an error. */\n"
    "  document.documentElement.setAttribute('data-ready', 'yes');\n"
    "})();\n";

static void merged_sections(FILE *f, const bv_report_set *set)
{
    fputs("<section id=\"devices\"><h2>Devices</h2><table><thead><tr><th>#</th><th>device</th><th>verdict</th>"
          "<th>cases</th><th>new failures</th><th>missing</th><th>fingerprint</th></tr></thead><tbody>\n",
          f);
    for (size_t d = 0; d < set->ndev; d++) {
        bv_report_summary s;
        char label[800], fp[17];
        bv_report_summarize(set->dev[d], &s);
        rt_device_label(set->dev[d], label, sizeof label);
        if (bv_report_fingerprint(set->dev[d], fp, NULL) != BV_OK)
            snprintf(fp, sizeof fp, "?");
        fprintf(f, "<tr><td>%zu</td><td><a href=\"#device-%zu\">", d + 1, d);
        H(f, label);
        fputs("</a></td>", f);
        status_cell(f, strcmp(s.verdict, "pass") == 0 ? BV_RESULT_PASS : BV_RESULT_FAIL, s.verdict);
        fprintf(f, "<td class=\"num\">%zu</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td><td><code>%s</code>"
                   "</td></tr>\n",
                s.cases, s.new_failures, s.missing, fp);
    }
    fputs("</tbody></table></section>\n", f);
    if (set->nconflicts || set->nmissing_shards) {
        fputs("<section id=\"conflicts\"><h2>Conflicts and missing shards</h2><ul>\n", f);
        for (size_t i = 0; i < set->nconflicts; i++) {
            const bv_report_conflict *c = &set->conflicts[i];
            fprintf(f, "<li>device %zu: <code>", c->device + 1);
            H(f, c->name);
            fprintf(f, "</code> was %s in <code>", bv_report_status_name(c->a));
            H(f, c->source_a);
            fprintf(f, "</code> and %s in <code>", bv_report_status_name(c->b));
            H(f, c->source_b);
            fputs("</code></li>\n", f);
        }
        for (size_t i = 0; i < set->nmissing_shards; i++)
            fprintf(f, "<li>device %zu: shard %u/%u never ran</li>\n", set->missing_shards[i].device + 1,
                    set->missing_shards[i].index, set->missing_shards[i].count);
        fputs("</ul></section>\n", f);
    }
    if (set->ndiffs) {
        fputs("<section id=\"toolchain-diffs\"><h2>Toolchain differences</h2><p>Why these runs may disagree:</p>"
              "<table><thead><tr><th>what</th><th>values (input numbers)</th></tr></thead><tbody>\n",
              f);
        for (size_t i = 0; i < set->ndiffs; i++) {
            fputs("<tr><th>", f);
            H(f, set->diffs[i].what);
            fputs("</th><td><code>", f);
            H(f, set->diffs[i].values);
            fputs("</code></td></tr>\n", f);
        }
        fputs("</tbody></table></section>\n", f);
    }
    /* The device-by-case matrix: rows that are not a pass everywhere first, all rows folded. */
    rt_nameset seen = {0};
    fputs("<section id=\"device-matrix\"><h2>Device-by-case matrix</h2>\n", f);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0)
            fputs("<h3>Cases that are not a pass on every device</h3>", f);
        else
            fputs("<details><summary>Every case</summary>", f);
        fputs("<table><thead><tr><th>case</th>", f);
        for (size_t d = 0; d < set->ndev; d++)
            fprintf(f, "<th>%zu</th>", d + 1);
        fputs("</tr></thead><tbody>\n", f);
        rt_nameset_free(&seen);
        for (size_t d0 = 0; d0 < set->ndev; d0++) {
            const bv_report *r0 = set->dev[d0];
            for (size_t k = 0; k < r0->nplanned + r0->ncases; k++) {
                const char *name = k < r0->nplanned ? r0->planned[k] : r0->cases[k - r0->nplanned].name;
                if (!rt_nameset_add(&seen, name))
                    continue;
                bool all_pass = true;
                for (size_t d = 0; d < set->ndev; d++) {
                    const bv_report_case *c = bv_report_find_case(set->dev[d], name);
                    all_pass &= c && (c->status == BV_RESULT_PASS || c->status == BV_RESULT_NOT_SUPPORTED);
                }
                if (pass == 0 && all_pass)
                    continue;
                fputs("<tr><td><code>", f);
                H(f, name);
                fputs("</code></td>", f);
                for (size_t d = 0; d < set->ndev; d++) {
                    const bv_report_case *c = bv_report_find_case(set->dev[d], name);
                    if (c)
                        status_cell(f, c->status, bv_report_status_name(c->status));
                    else
                        fputs("<td class=\"missing\">-</td>", f);
                }
                fputs("</tr>\n", f);
            }
        }
        fputs("</tbody></table>", f);
        if (pass == 1)
            fputs("</details>", f);
    }
    rt_nameset_free(&seen);
    fputs("</section>\n", f);
}

bv_status bv_report_write_html(const char *path, const bv_report_set *set, bv_error *err)
{
    bv_atomic_file af;
    bool fail = set->nconflicts > 0;
    for (size_t d = 0; d < set->ndev; d++) {
        bv_report_summary s;
        bv_report_summarize(set->dev[d], &s);
        fail |= s.new_failures > 0;
    }
    const char *verdict = fail ? "fail" : bv_report_set_ok(set) ? "pass" : "incomplete";
    bool single = !set->merged && set->ndev == 1;
    char title[1024];
    if (single)
        snprintf(title, sizeof title, "%s", set->dev[0]->run.device.name);
    else
        snprintf(title, sizeof title, "%zu device%s, %zu run%s merged", set->ndev, set->ndev == 1 ? "" : "s",
                 set->ninputs, set->ninputs == 1 ? "" : "s");
    bv_status st = bv_atomic_open(&af, path, err);
    if (st)
        return st;
    FILE *f = af.f;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
          "script-src 'unsafe-inline'; img-src data:\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>blsvk: ",
          f);
    fprintf(f, "%s, ", verdict);
    H(f, title);
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<header class=\"%s\">\n<h1><span id=\"verdict\" "
               "class=\"badge\">%s</span>",
            css, verdict, fail ? "FAIL" : strcmp(verdict, "pass") == 0 ? "PASS" : "INCOMPLETE");
    H(f, title);
    fputs("</h1>\n", f);
    if (single) {
        const bv_report *rep = set->dev[0];
        const bv_report_run *r = &rep->run;
        bv_report_summary s;
        char fp[17];
        bv_report_summarize(rep, &s);
        if (bv_report_fingerprint(rep, fp, NULL) != BV_OK)
            snprintf(fp, sizeof fp, "?");
        fprintf(f, "<p>%s, %zu new failure%s, %zu missing &#183; ", s.verdict, s.new_failures,
                s.new_failures == 1 ? "" : "s", s.missing);
        H(f, r->device.device_type_name ? r->device.device_type_name : "");
        fputs(", driver ", f);
        H(f, r->device.driver_name);
        fputc(' ', f);
        H(f, r->device.driver_version_str);
        fputs(" (", f);
        H(f, r->device.driver_info);
        fputs("), Vulkan ", f);
        H(f, r->device.api_version_str);
        fputs(", UUID ", f);
        H(f, r->device.uuid_str);
        fputs("</p>\n<p>run ", f);
        H(f, r->run_id);
        fputs(", started ", f);
        H(f, r->started);
        fprintf(f, ", suite %s, shard %u/%u", r->suite, r->shard_index, r->shard_count);
        if (rep->nresumed)
            fprintf(f, ", resumed %zu time%s", rep->nresumed, rep->nresumed == 1 ? "" : "s");
        if (r->jobs > 1)
            fprintf(f, ", <strong>%u cases at once: timings concurrent</strong>", r->jobs);
        fprintf(f, " &#183; toolchain fingerprint <code>%s</code></p>\n<p><code>", fp);
        H(f, r->command_line);
        fputs("</code></p>\n", f);
    } else {
        fprintf(f, "<p>%zu conflict%s, %zu missing shard%s, %zu toolchain difference%s</p>\n", set->nconflicts,
                set->nconflicts == 1 ? "" : "s", set->nmissing_shards, set->nmissing_shards == 1 ? "" : "s",
                set->ndiffs, set->ndiffs == 1 ? "" : "s");
    }
    fputs("</header>\n<main>\n", f);
    if (!single)
        merged_sections(f, set);
    for (size_t d = 0; d < set->ndev; d++) {
        if (!single) {
            char label[800];
            rt_device_label(set->dev[d], label, sizeof label);
            fprintf(f, "<h2 id=\"device-%zu\" class=\"device\">Device %zu: ", d, d + 1);
            H(f, label);
            fputs("</h2>\n", f);
        }
        device_sections(f, set, d);
    }
    fprintf(f, "</main>\n<script>\n%s</script>\n</body>\n</html>\n", script);
    st = bv_atomic_commit(&af, err);
    if (st)
        bv_error_prefix(err, "%s", path);
    return st;
}
