/* reports/report_junit.c: junit.xml, the file CI servers read: one testsuite per device, one
 * testcase per case. It validates against docs/schemas/junit.xsd, which follows the element
 * and attribute model of the schema Jenkins checks JUnit reports against (see its README). */
#define _GNU_SOURCE
#include <math.h>
#include <string.h>

#include "report_internal.h"

/* JUnit times are plain decimals (no exponent, never negative): the schema's pattern. */
static void put_time(FILE *f, const char *attr, double s)
{
    fprintf(f, " %s=\"%.6f\"", attr, isfinite(s) && s > 0 ? s : 0.0);
}

static void put_attr(FILE *f, const char *attr, const char *v)
{
    fprintf(f, " %s=\"", attr);
    rt_xml_text(f, v);
    fputc('"', f);
}

static void put_property(FILE *f, const char *name, const char *value)
{
    fputs("      <property", f);
    put_attr(f, "name", name);
    put_attr(f, "value", value);
    fputs("/>\n", f);
}

/* The first mismatch, in one line, for the failure's message attribute. */
static void first_mismatch(const bv_report_case *c, char *buf, size_t n)
{
    if (!c->nfirst) {
        snprintf(buf, n, "%s", c->reason);
        return;
    }
    const bv_report_mismatch *m = &c->first[0];
    snprintf(buf, n, "%s; first mismatch at [%zu] %s: expected %s, got %s", c->reason, m->index, m->name, m->expected,
             m->got);
}

/* Every kept mismatch and the replay command, as the failure's text. */
static void failure_body(FILE *f, const bv_report *rep, const bv_report_case *c)
{
    char replay[2048];
    rt_xml_text(f, c->reason);
    fputc('\n', f);
    for (unsigned i = 0; i < c->nfirst; i++) {
        const bv_report_mismatch *m = &c->first[i];
        fprintf(f, "[%zu] ", m->index);
        rt_xml_text(f, m->name);
        for (unsigned k = 0; k < m->ninputs; k++) {
            fprintf(f, "\n  %s = ", k ? "y" : "x");
            rt_xml_text(f, m->inputs[k]);
        }
        fputs("\n  expected ", f);
        rt_xml_text(f, m->expected);
        fputs("\n  got      ", f);
        rt_xml_text(f, m->got);
        fputs("\n  limbs differing:", f);
        for (unsigned k = 0; k < 32; k++)
            if (m->limb_diff & (1u << k))
                fprintf(f, " %u", k);
        fputc('\n', f);
        if (m->check[0]) {
            fputs("  check failed: ", f);
            rt_xml_text(f, m->check);
            fputc('\n', f);
        }
        if (m->expected_point[0]) {
            fputs("  affine: expected ", f);
            rt_xml_text(f, m->expected_point);
            fputs(", got ", f);
            rt_xml_text(f, m->got_point);
            fputc('\n', f);
        }
    }
    bv_report_replay_command(rep, c, replay, sizeof replay);
    if (replay[0]) {
        fputs("replay: ", f);
        rt_xml_text(f, replay);
        fputc('\n', f);
    }
}

static bool is_interrupted(const bv_report *rep, const char *name, unsigned *starts)
{
    for (size_t i = 0; i < rep->ninterrupted; i++)
        if (strcmp(rep->interrupted[i].name, name) == 0) {
            *starts = rep->interrupted[i].starts;
            return true;
        }
    return false;
}

/* classname: the device and the variant, so that CI groups cases the way people read them. */
static void classname(char *buf, size_t n, const char *slug, const char *family, const char *op,
                      const char *limbs, const char *mode)
{
    snprintf(buf, n, "blsvk.%s.%s.%s.%s.%s", slug, family, op, limbs, mode);
}

static void write_case(FILE *f, const bv_report *rep, const bv_report_case *c, const char *slug)
{
    char cls[400], msg[2048];
    fputs("    <testcase", f);
    put_attr(f, "name", c->name);
    classname(cls, sizeof cls, slug, bv_ref_family_name(c->family), bv_ref_op_name(c->op), bv_limbs_name(c->limbs),
              bv_mode_name(c->mode));
    put_attr(f, "classname", cls);
    put_time(f, "time", c->seconds);
    fputs(">\n", f);
    switch (c->status) {
    case BV_RESULT_PASS:
        break;
    case BV_RESULT_FAIL:
        first_mismatch(c, msg, sizeof msg);
        fputs("      <failure type=\"fail\"", f);
        put_attr(f, "message", msg);
        fputs(">", f);
        failure_body(f, rep, c);
        fputs("</failure>\n", f);
        break;
    case BV_RESULT_TIMEOUT:
    case BV_RESULT_DEVICE_LOST:
    case BV_RESULT_INTERNAL_ERROR:
    case BV_RESULT_SKIPPED: /* never ran because the device was gone: CI must not read it as fine */
    case BV_RESULT_CRASH:
        fputs("      <error", f);
        put_attr(f, "type", bv_report_status_name(c->status));
        put_attr(f, "message", c->reason);
        fputs("/>\n", f);
        break;
    case BV_RESULT_NOT_SUPPORTED:
        fputs("      <skipped type=\"not-supported\"", f);
        put_attr(f, "message", c->reason);
        fputs("/>\n", f);
        break;
    case BV_RESULT_SKIP_LISTED:
        fputs("      <skipped type=\"skip-listed\"", f);
        put_attr(f, "message", c->reason);
        fputs("/>\n", f);
        break;
    case BV_RESULT_KNOWN_FLAKE:
        /* Listed as flaky and failed this time: not a failure of the run, so no <failure>; each
         * failed attempt as Surefire's flakyFailure, as for a flake that passed on a rerun. */
        for (unsigned k = 0; k < (c->nattempts ? c->nattempts : 1); k++) {
            const bv_report_attempt *a = c->nattempts ? &c->attempts[k] : NULL;
            snprintf(msg, sizeof msg, "known flake, attempt %u: %s: %s", k + 1,
                     bv_report_status_name(a ? a->status : c->observed), a ? a->reason : c->reason);
            fputs("      <flakyFailure", f);
            put_attr(f, "type", bv_report_status_name(a ? a->status : c->observed));
            put_attr(f, "message", msg);
            fputs("/>\n", f);
        }
        break;
    case BV_RESULT_EXPECTED_FAIL:
        snprintf(msg, sizeof msg, "expected failure (baseline '%s': %s); observed %s: %s", c->baseline_pattern,
                 c->baseline_reason, bv_report_status_name(c->observed), c->reason);
        fputs("      <skipped type=\"expected-fail\"", f);
        put_attr(f, "message", msg);
        fputs("/>\n", f);
        break;
    case BV_RESULT_FLAKE:
        /* Surefire's way of saying "passed on a rerun": one flakyFailure per failed attempt. */
        for (unsigned k = 0; k < c->nattempts; k++) {
            const bv_report_attempt *a = &c->attempts[k];
            if (a->status == BV_RESULT_PASS)
                continue;
            snprintf(msg, sizeof msg, "attempt %u of %u: %s: %s", k + 1, c->nattempts, bv_report_status_name(a->status),
                     a->reason);
            fputs("      <flakyFailure", f);
            put_attr(f, "type", bv_report_status_name(a->status));
            put_attr(f, "message", msg);
            fputs("/>\n", f);
        }
        break;
    case BV_RESULT_UNEXPECTED_PASS:
        snprintf(msg, sizeof msg, "unexpected pass: the baseline lists this case ('%s': %s); remove the entry",
                 c->baseline_pattern, c->baseline_reason);
        fputs("      <system-out>", f);
        rt_xml_text(f, msg);
        fputs("</system-out>\n", f);
        break;
    default:
        break;
    }
    if (c->nattempts > 1) {
        fputs("      <system-out>", f);
        for (unsigned k = 0; k < c->nattempts; k++) {
            snprintf(msg, sizeof msg, "attempt %u: %s (%zu mismatches, %.3f s) %s\n", k + 1,
                     bv_report_status_name(c->attempts[k].status), c->attempts[k].mismatches, c->attempts[k].seconds,
                     c->attempts[k].reason);
            rt_xml_text(f, msg);
        }
        fputs("</system-out>\n", f);
    }
    fputs("    </testcase>\n", f);
}

typedef struct junit_counts {
    size_t tests, failures, errors, skipped;
    double seconds;
} junit_counts;

static void count(const bv_report_set *set, size_t d, junit_counts *k)
{
    const bv_report *rep = set->dev[d];
    memset(k, 0, sizeof *k);
    for (size_t i = 0; i < rep->ncases; i++) {
        bv_report_status s = rep->cases[i].status;
        k->tests++;
        k->seconds += isfinite(rep->cases[i].seconds) && rep->cases[i].seconds > 0 ? rep->cases[i].seconds : 0;
        k->failures += s == BV_RESULT_FAIL;
        k->errors += bv_report_status_is_failure(s) && s != BV_RESULT_FAIL;
        k->skipped += s == BV_RESULT_NOT_SUPPORTED || s == BV_RESULT_EXPECTED_FAIL || s == BV_RESULT_SKIP_LISTED;
    }
    for (size_t p = 0; p < rep->nplanned; p++)
        if (bv_report_is_missing(rep, p)) {
            k->tests++;
            k->errors++;
        }
    for (size_t i = 0; i < set->nmissing_shards; i++)
        if (set->missing_shards[i].device == d && !set->missing_shards[i].cases) {
            k->tests++;
            k->errors++;
        }
}

static void write_suite(FILE *f, const bv_report_set *set, size_t d)
{
    const bv_report *rep = set->dev[d];
    const bv_report_run *r = &rep->run;
    char slug[160], fp[17], buf[1200];
    junit_counts k;
    bv_report_summary s;
    bv_report_device_slug(&r->device, slug, sizeof slug);
    count(set, d, &k);
    bv_report_summarize(rep, &s);
    if (bv_report_fingerprint(rep, fp, NULL) != BV_OK)
        snprintf(fp, sizeof fp, "?");
    fputs("  <testsuite", f);
    snprintf(buf, sizeof buf, "blsvk %s", r->device.name);
    put_attr(f, "name", buf);
    fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\"", k.tests, k.failures, k.errors,
            k.skipped);
    put_time(f, "time", k.seconds);
    put_attr(f, "timestamp", r->started);
    put_attr(f, "hostname", r->host);
    put_attr(f, "id", slug);
    put_attr(f, "package", "blsvk");
    fputs(">\n    <properties>\n", f);
    put_property(f, "verdict", s.verdict);
    put_property(f, "device", r->device.name);
    put_property(f, "device_type", r->device.device_type_name ? r->device.device_type_name : "");
    put_property(f, "device_uuid", r->device.uuid_str);
    snprintf(buf, sizeof buf, "%s %s (%s)", r->device.driver_name, r->device.driver_version_str, r->device.driver_info);
    put_property(f, "driver", buf);
    put_property(f, "vulkan_api", r->device.api_version_str);
    put_property(f, "vulkan_loader", r->loader_version);
    put_property(f, "blsvk_version", r->blsvk_version);
    put_property(f, "git_revision", r->git_revision);
    put_property(f, "glslang", r->glslang_version);
    put_property(f, "spirv_tools", r->spirv_tools_version);
    put_property(f, "spirv_opt", r->spirv_opt);
    put_property(f, "toolchain_fingerprint", fp);
    put_property(f, "run_id", r->run_id);
    put_property(f, "command_line", r->command_line);
    snprintf(buf, sizeof buf, "%u/%u", r->shard_index, r->shard_count);
    put_property(f, "shard", buf);
    fputs("    </properties>\n", f);
    for (size_t i = 0; i < rep->ncases; i++)
        write_case(f, rep, &rep->cases[i], slug);
    for (size_t p = 0; p < rep->nplanned; p++) {
        if (!bv_report_is_missing(rep, p))
            continue;
        unsigned starts = 0;
        const char *name = rep->planned[p];
        char cls[400], family[8] = "", op[12] = "", limbs[4] = "", mode[12] = "";
        /* The class from the name's parts, so that a missing case groups with its variant. */
        if (sscanf(name, "%3[^.].%11[^.].%3[^.].%11[^.]", family, op, limbs, mode) != 4)
            snprintf(family, sizeof family, "?");
        classname(cls, sizeof cls, slug, family, op, limbs, mode);
        if (is_interrupted(rep, name, &starts))
            snprintf(buf, sizeof buf, "never finished: blsvk died while running it (%u time%s); see results.jsonl",
                     starts, starts == 1 ? "" : "s");
        else
            snprintf(buf, sizeof buf, "planned but never run (the run was interrupted, or a shard is missing)");
        fputs("    <testcase", f);
        put_attr(f, "name", name);
        put_attr(f, "classname", cls);
        fputs(" time=\"0\">\n      <error type=\"missing\"", f);
        put_attr(f, "message", buf);
        fputs("/>\n    </testcase>\n", f);
    }
    /* A missing shard whose cases no input named (its shards were run by an older blsvk): one
     * error for the whole shard, so that a CI reading only JUnit does not see green. */
    for (size_t i = 0; i < set->nmissing_shards; i++) {
        const bv_report_missing_shard *m = &set->missing_shards[i];
        if (m->device != d || m->cases)
            continue;
        snprintf(buf, sizeof buf, "shard %u/%u", m->index, m->count);
        fputs("    <testcase", f);
        put_attr(f, "name", buf);
        snprintf(buf, sizeof buf, "blsvk.%s.shards", slug);
        put_attr(f, "classname", buf);
        snprintf(buf, sizeof buf, "shard %u/%u never ran; its cases are not known here (no input recorded the "
                                  "whole list): every one of them is missing", m->index, m->count);
        fputs(" time=\"0\">\n      <error type=\"missing\"", f);
        put_attr(f, "message", buf);
        fputs("/>\n    </testcase>\n", f);
    }
    /* What concerns the device as a whole: conflicts between merged runs. */
    bool any = false;
    for (size_t i = 0; i < set->nconflicts; i++) {
        const bv_report_conflict *c = &set->conflicts[i];
        if (c->device != d)
            continue;
        if (!any)
            fputs("    <system-err>", f);
        any = true;
        snprintf(buf, sizeof buf, "conflict: %s was %s in %s and %s in %s\n", c->name, bv_report_status_name(c->a),
                 c->source_a, bv_report_status_name(c->b), c->source_b);
        rt_xml_text(f, buf);
    }
    if (any)
        fputs("</system-err>\n", f);
    fputs("  </testsuite>\n", f);
}

bv_status bv_report_write_junit(const char *path, const bv_report_set *set, bv_error *err)
{
    bv_atomic_file af;
    junit_counts all = {0};
    bv_status st = bv_atomic_open(&af, path, err);
    if (st)
        return st;
    for (size_t d = 0; d < set->ndev; d++) {
        junit_counts k;
        count(set, d, &k);
        all.tests += k.tests;
        all.failures += k.failures;
        all.errors += k.errors;
        all.seconds += k.seconds;
    }
    FILE *f = af.f;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    fprintf(f, "<testsuites name=\"blsvk\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\"", all.tests, all.failures,
            all.errors);
    put_time(f, "time", all.seconds);
    fputs(">\n", f);
    for (size_t d = 0; d < set->ndev; d++)
        write_suite(f, set, d);
    fputs("</testsuites>\n", f);
    st = bv_atomic_commit(&af, err);
    if (st)
        bv_error_prefix(err, "%s", path);
    return st;
}

bv_status bv_report_write_junit_items(const char *path, const char *suite, const char *device,
                                      const bv_report_item *items, size_t n, bv_error *err)
{
    bv_atomic_file af;
    size_t failures = 0, errors = 0, skipped = 0;
    double seconds = 0;
    bv_status st = bv_atomic_open(&af, path, err);
    if (st)
        return st;
    for (size_t i = 0; i < n; i++) {
        failures += strcmp(items[i].status, "fail") == 0;
        errors += strcmp(items[i].status, "error") == 0;
        skipped += strcmp(items[i].status, "not-supported") == 0;
        seconds += isfinite(items[i].seconds) && items[i].seconds > 0 ? items[i].seconds : 0;
    }
    FILE *f = af.f;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    fprintf(f, "<testsuites name=\"blsvk\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\"", n, failures, errors);
    put_time(f, "time", seconds);
    fputs(">\n  <testsuite", f);
    put_attr(f, "name", suite);
    fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\"", n, failures, errors, skipped);
    put_time(f, "time", seconds);
    fputs(">\n    <properties>\n", f);
    put_property(f, "device", device);
    fputs("    </properties>\n", f);
    for (size_t i = 0; i < n; i++) {
        const bv_report_item *it = &items[i];
        fputs("    <testcase", f);
        put_attr(f, "name", it->name);
        put_attr(f, "classname", it->classname);
        put_time(f, "time", it->seconds);
        if (strcmp(it->status, "pass") == 0) {
            fputs("/>\n", f);
            continue;
        }
        const char *tag = strcmp(it->status, "fail") == 0    ? "failure"
                          : strcmp(it->status, "error") == 0 ? "error"
                                                             : "skipped";
        fprintf(f, ">\n      <%s", tag);
        put_attr(f, "type", it->status);
        put_attr(f, "message", it->reason ? it->reason : "");
        if (strcmp(tag, "failure") != 0) {
            fputs("/>\n", f);
        } else {
            fputs(">", f);
            rt_xml_text(f, it->reason ? it->reason : "");
            fprintf(f, "</%s>\n", tag);
        }
        fputs("    </testcase>\n", f);
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
    st = bv_atomic_commit(&af, err);
    if (st)
        bv_error_prefix(err, "%s", path);
    return st;
}
