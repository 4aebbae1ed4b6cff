/* reports/report_html_chart.c: the charts of report.html: inline SVG, throughput against size
 * per op and mode, a line per field and limb width, with the device's copy bound when the run
 * measured it. */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

/* The series of a chart: field and limb width, one colour each. */
enum { NSERIES = BV_FAMILY_COUNT * BV_LIMBS_COUNT };
static const char *const series_color[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
                                           "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173"};
_Static_assert(sizeof series_color / sizeof series_color[0] == NSERIES, "one colour per series");

static int series_of(const bv_report_case *c)
{
    if ((unsigned)c->family >= BV_FAMILY_COUNT || (unsigned)c->limbs >= BV_LIMBS_COUNT)
        return -1;
    return (int)c->family * BV_LIMBS_COUNT + (int)c->limbs;
}

typedef struct chart_point {
    double x, y;
    int series;
    bool line;  /* part of the size sweep (random sets), joined by a line */
    bool timed; /* GPU-timed kernel rate; else end to end */
    const char *name;
} chart_point;

static int point_cmp(const void *a, const void *b)
{
    const chart_point *p = a, *q = b;
    if (p->series != q->series)
        return p->series - q->series;
    return p->x < q->x ? -1 : p->x > q->x ? 1 : 0;
}

enum { CW = 340, CH = 230, ML = 58, MR = 12, MT = 12, MB = 36 };

static double lx(double v, double lo, double hi)
{
    return ML + (log10(v) - lo) / (hi - lo) * (CW - ML - MR);
}

static double ly(double v, double lo, double hi)
{
    return CH - MB - (log10(v) - lo) / (hi - lo) * (CH - MT - MB);
}

static void tick_label(char *buf, size_t n, int e)
{
    static const char *const p[] = {"", "k", "M", "G", "T", "P", "E"};
    if (e < 0 || e >= 21)
        snprintf(buf, n, "1e%d", e);
    else
        snprintf(buf, n, "%.0f%s", pow(10, e % 3), p[e / 3]);
}

/* One chart: throughput against elements for one op and mode, a line per field and limb
 * width, and the copy bound of each field as a dashed line. Returns false when it has no point. */
static bool chart(FILE *f, const bv_report *rep, bv_op op, bv_mode mode, chart_point *pts)
{
    size_t n = 0;
    for (size_t i = 0; i < rep->ncases; i++) {
        const bv_report_case *c = &rep->cases[i];
        double rate = rt_case_rate(c);
        int s = series_of(c);
        if (c->op != op || c->mode != mode || s < 0 || !bv_report_status_is_pass(c->status) ||
            !isfinite(rate) || rate <= 0 || c->elements == 0)
            continue;
        char recipe[16];
        bv_report_case_recipe(c, recipe, sizeof recipe);
        /* The line is the plain kernels' size sweep; recipe variants are dots beside it. */
        pts[n++] = (chart_point){.x = (double)c->elements, .y = rate, .series = s,
                                 .line = c->set == BV_SET_RANDOM && strcmp(recipe, BV_REPORT_SPIRV_OPT_NONE) == 0,
                                 .timed = c->timing.kernel_timed, .name = c->name};
    }
    if (!n)
        return false;
    qsort(pts, n, sizeof *pts, point_cmp);
    /* The copy bound in elements/s: bytes/s over the bytes one element reads and writes. */
    double bound[BV_FAMILY_COUNT];
    for (int k = 0; k < BV_FAMILY_COUNT; k++)
        bound[k] = NAN;
    if (rep->bounds.copy_bytes_per_s > 0 && bv_ref_op_arity(op)) {
        double arity = bv_ref_op_arity(op);
        for (int k = 0; k < BV_FAMILY_COUNT; k++)
            bound[k] = rep->bounds.copy_bytes_per_s / ((arity + 1) * (double)bv_ref_family_bytes((bv_family)k));
    }
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    bool fields[BV_FAMILY_COUNT] = {false};
    for (size_t i = 0; i < n; i++) {
        x0 = fmin(x0, pts[i].x);
        x1 = fmax(x1, pts[i].x);
        y0 = fmin(y0, pts[i].y);
        y1 = fmax(y1, pts[i].y);
        fields[pts[i].series / BV_LIMBS_COUNT] = true;
    }
    for (int k = 0; k < BV_FAMILY_COUNT; k++)
        if (fields[k] && isfinite(bound[k])) {
            y0 = fmin(y0, bound[k]);
            y1 = fmax(y1, bound[k]);
        }
    double xlo = floor(log10(x0)), xhi = ceil(log10(x1)), ylo = floor(log10(y0)), yhi = ceil(log10(y1));
    if (xhi <= xlo)
        xhi = xlo + 1;
    if (yhi <= ylo)
        yhi = ylo + 1;

    fprintf(f, "<figure><svg class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
               "aria-label=\"%s %s throughput against size\" xmlns=\"http://www.w3.org/2000/svg\">\n",
            CW, CH, CW, CH, bv_ref_op_name(op), bv_mode_name(mode));
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fbfcfd\" stroke=\"#d0d7de\"/>\n", ML, MT,
            CW - ML - MR, CH - MT - MB);
    for (int e = (int)xlo; e <= (int)xhi; e++) {
        char t[16];
        double x = ML + (e - xlo) / (xhi - xlo) * (CW - ML - MR);
        tick_label(t, sizeof t, e);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e6e9ec\"/>"
                   "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                x, MT, x, CH - MB, x, CH - MB + 13, t);
    }
    for (int e = (int)ylo; e <= (int)yhi; e++) {
        char t[16];
        double y = CH - MB - (e - ylo) / (yhi - ylo) * (CH - MT - MB);
        tick_label(t, sizeof t, e);
        fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e6e9ec\"/>"
                   "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s/s</text>\n",
                ML, y, CW - MR, y, ML - 4, y + 3, t);
    }
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">elements</text>\n", (ML + CW - MR) / 2, CH - 6);
    for (int k = 0; k < BV_FAMILY_COUNT; k++) {
        if (!fields[k] || !isfinite(bound[k]))
            continue;
        double y = ly(bound[k], ylo, yhi);
        /* The fields' bounds sit close on a log scale: Fr's label at the left end, the others
         * (Fp and Fp2, a factor 2 apart) at the right. */
        fprintf(f, "<line class=\"bound\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#57606a\" "
                   "stroke-dasharray=\"5 3\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"%s\">%s copy bound</text>\n",
                ML, y, CW - MR, y, k == BV_FAMILY_FR ? ML + 3 : CW - MR - 3, y - 3,
                k == BV_FAMILY_FR ? "start" : "end",
                bv_ref_family_name((bv_family)k));
    }
    for (int s = 0; s < NSERIES; s++) {
        size_t np = 0;
        for (size_t i = 0; i < n; i++)
            np += pts[i].series == s && pts[i].line;
        if (np < 2)
            continue;
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" points=\"", series_color[s]);
        for (size_t i = 0; i < n; i++)
            if (pts[i].series == s && pts[i].line)
                fprintf(f, "%.1f,%.1f ", lx(pts[i].x, xlo, xhi), ly(pts[i].y, ylo, yhi));
        fputs("\"/>\n", f);
    }
    for (size_t i = 0; i < n; i++) {
        char rate[32];
        rt_si(rate, sizeof rate, pts[i].y);
        /* Filled: GPU-timed kernel rate; hollow: end to end (no timestamps). */
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.2\" fill=\"%s\" stroke=\"%s\"><title>",
                lx(pts[i].x, xlo, xhi), ly(pts[i].y, ylo, yhi), pts[i].timed ? series_color[pts[i].series] : "#fff",
                series_color[pts[i].series]);
        rt_xml_text(f, pts[i].name);
        fprintf(f, ": %selements/s%s</title></circle>\n", rate, pts[i].timed ? "" : " end to end");
    }
    fprintf(f, "</svg><figcaption>%s &#183; %s</figcaption></figure>\n", bv_ref_op_name(op), bv_mode_name(mode));
    return true;
}

void rt_html_charts(FILE *f, const bv_report *rep, size_t d)
{
    chart_point *pts = malloc((rep->ncases ? rep->ncases : 1) * sizeof *pts);
    size_t drawn = 0;
    if (!pts)
        return;
    fprintf(f, "<section class=\"charts-section\" id=\"charts-%zu\"><h2>Throughput against size</h2>\n", d);
    fputs("<p class=\"legend\">", f);
    for (int s = 0; s < NSERIES; s++)
        fprintf(f, "<span><i style=\"background:%s\"></i>%s.%s</span>", series_color[s],
                bv_ref_family_name((bv_family)(s / BV_LIMBS_COUNT)), bv_limbs_name((bv_limbs)(s % BV_LIMBS_COUNT)));
    fputs("<span>lines: the random-input size sweep; dots: every passing case (filled: GPU timestamps, hollow: end "
          "to end)</span>",
          f);
    if (rep->bounds.copy_bytes_per_s > 0) {
        char b[32];
        rt_si(b, sizeof b, rep->bounds.copy_bytes_per_s);
        fprintf(f, "<span><i style=\"background:#57606a\"></i>dashed: the device's copy bound (%sB/s read + "
                   "written, over the bytes an element moves)</span>",
                b);
    } else {
        fputs("<span>no copy bound: this run did not measure the device's copy bandwidth</span>", f);
    }
    fputs("</p>\n<div class=\"charts\">\n", f);
    for (int op = 0; op < BV_OP_COUNT; op++)
        for (int m = 0; m < BV_MODE_COUNT; m++)
            drawn += chart(f, rep, (bv_op)op, (bv_mode)m, pts);
    if (!drawn)
        fputs("<p>No timed case passed: nothing to draw.</p>\n", f);
    fputs("</div></section>\n", f);
    free(pts);
}

