/* reports/report_internal.h: helpers shared by the report writers and readers of reports/
 * (not part of the module's interface). */
#ifndef BV_REPORT_INTERNAL_H
#define BV_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "bv_report.h"

/* A growable string; printf into it and check oom once at the end. */
typedef struct rt_buf {
    char *s;
    size_t len, cap;
    bool oom;
} rt_buf;

void rt_buf_printf(rt_buf *b, const char *fmt, ...) BV_PRINTF(2, 3);

/* Text escaped for XML and HTML (one set of rules serves both): & < > " ' as entities,
 * control characters other than tab and newline, and bytes that are not well-formed UTF-8,
 * as U+FFFD, so that any driver message still makes a well-formed document. Markdown's
 * escaper, bv_report_md_cell, is public (bv_report.h). */
void rt_xml_text(FILE *f, const char *s);

/* A value with an SI prefix and 3 significant digits: "1.23 G", "456 k", "7.00 ". */
void rt_si(char *buf, size_t n, double v);

/* The variants a result matrix has columns for: limbs x mode, column limbs * BV_MODE_COUNT + mode. */
enum { RT_NVARIANTS = BV_LIMBS_COUNT * BV_MODE_COUNT };
/* The column of a case, or -1 for a limb width or mode out of range. */
int rt_variant(const bv_report_case *c);

/* One cell of a result matrix: what the cases of one field, op and variant came to. */
typedef struct rt_cell {
    size_t ran, passed, notsup, counts[BV_RESULT_COUNT];
} rt_cell;
/* Counts the cases of field.op in the given variant column. */
void rt_cell_count(const bv_report *rep, bv_family family, bv_op op, int variant, rt_cell *cell);
/* The worst status in a cell, for its colour: a new failure, then flake, expected-fail,
 * unexpected-pass, pass, not-supported; BV_RESULT_COUNT for an empty cell. */
bv_report_status rt_cell_worst(const rt_cell *cell);

/* The best throughput a case showed: kernel elements/s when GPU-timed, else end to end. */
double rt_case_rate(const bv_report_case *c);

/* A set of names (borrowed, not copied): plan unions and device-by-case matrices. */
typedef struct rt_nameset {
    const char **slot;
    size_t cap, n;
    bool oom;
} rt_nameset;
/* True when the name was not there yet. On out of memory sets oom and returns false. */
bool rt_nameset_add(rt_nameset *s, const char *name);
bool rt_nameset_has(const rt_nameset *s, const char *name);
void rt_nameset_free(rt_nameset *s);

/* New failures with one cause: the same status and the same reason once what is particular to
 * a case is taken out (its name, its kernel's name, numbers). cases: indices into rep->cases, in
 * plan order; groups in the order of their first case. */
typedef struct rt_group {
    bv_report_status status;
    size_t *cases;
    size_t n;
} rt_group;
BV_NODISCARD bv_status rt_failure_groups(const bv_report *rep, rt_group **out, size_t *n, bv_error *err);
void rt_groups_free(rt_group *g, size_t n);

/* report.html's section of charts for device d (report_html_chart.c). */
void rt_html_charts(FILE *f, const bv_report *rep, size_t d);

/* The toolchain parts that tell two runs apart, in the order reports list them: blsvk_version,
 * git_revision, glslang, spirv_tools, spirv_opt, vulkan_loader, vulkan_api, driver. fn returns
 * the part's value (in buf when it has to be made). */
typedef const char *(*rt_part_fn)(const bv_report *rep, char *buf, size_t n);
typedef struct rt_toolchain_part {
    const char *what;
    rt_part_fn fn;
} rt_toolchain_part;
extern const rt_toolchain_part rt_toolchain_parts[];
extern const size_t rt_ntoolchain_parts;

/* A device's label: "name (driver version)". */
void rt_device_label(const bv_report *rep, char *buf, size_t n);

#endif
