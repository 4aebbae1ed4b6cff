/* suites/test_report.c: tests of reports/ without a device: status names, baselines and
 * retries, results.json against docs/schemas/results.schema.json and read back, the case log
 * cut by a crash and resumed, merges of shards (order, missing shards, conflicts), junit.xml
 * against docs/schemas/junit.xsd (xmllint), report.html kept self-contained, and the Markdown
 * cell escaper. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "bv_json.h"
#include "bv_report.h"
#include "json_schema.h"

static char tmpdir[256];

static int group_setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/blsvk-test-report-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    char cmd[512];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void tmp_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", tmpdir, name);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* The whole file, NUL-terminated. (Plain stdio: gcc's dangling-pointer analysis misreads a
 * buffer that comes back through an out-parameter once this is inlined.) */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    char *text = malloc((size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    return text;
}

/* A case as the runner would leave it. */
static void make_case(bv_report_case *c, const char *name, bv_report_status s)
{
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    char family[8], op[12], limbs[4], mode[12], set[16], plain[160];
    /* A recipe case's variant is its kernel's: parse the name without "+<recipe>". */
    const char *plus = strchr(name, '+');
    snprintf(plain, sizeof plain, "%.*s%s", plus ? (int)(plus - name) : (int)strlen(name), name,
             plus ? strchr(plus, '.') : "");
    if (sscanf(plain, "%7[^.].%11[^.].%3[^.].%11[^.].%15[^.]", family, op, limbs, mode, set) != 5 ||
        bv_ref_family_parse(family, &c->family) || bv_ref_op_parse(op, &c->op) || bv_limbs_parse(limbs, &c->limbs) ||
        bv_mode_parse(mode, &c->mode) || bv_case_set_parse(set, &c->set))
        fail_msg("bad test case name %s", name);
    c->status = s;
    c->elements = 4099;
    c->size = 4099;
    snprintf(c->kernel_source, sizeof c->kernel_source, "built-in");
    snprintf(c->kernel_sha256, sizeof c->kernel_sha256, "%064x", (unsigned)strlen(name));
    c->seconds = 0.25;
    if (s == BV_RESULT_FAIL) {
        snprintf(c->reason, sizeof c->reason, "2 of 4099 elements differ | <&> \"q\" \x01 \xff");
        c->mismatches = 2;
        c->nfirst = 1;
        bv_report_mismatch *m = &c->first[0];
        m->index = 7;
        snprintf(m->name, sizeof m->name, "random/7");
        m->ninputs = 2;
        snprintf(m->inputs[0], sizeof m->inputs[0], "0x%064d", 1);
        snprintf(m->inputs[1], sizeof m->inputs[1], "0x%064d", 2);
        snprintf(m->expected, sizeof m->expected, "0x%064d", 3);
        snprintf(m->got, sizeof m->got, "0x%056d%08d", 0, 4);
        m->limb_diff = 1u << 0;
        snprintf(c->replay, sizeof c->replay, "/tmp/replays/%s.json", name);
    } else if (s == BV_RESULT_NOT_SUPPORTED) {
        snprintf(c->reason, sizeof c->reason, "the u64 variant needs shaderInt64");
        c->kernel_sha256[0] = '\0';
    } else if (s == BV_RESULT_PASS) {
        c->timing.valid = true;
        c->timing.kernel_timed = true;
        c->timing.reps = 1;
        c->timing.kernel_ns = (bv_stats){.n = 1, .median = 1e5, .p10 = 1e5, .p90 = 1e5, .min = 1e5};
        c->timing.wall_ns = (bv_stats){.n = 1, .median = 1e6, .p10 = 1e6, .p90 = 1e6, .min = 1e6};
        c->timing.bytes_per_elem = 96;
        c->timing.kernel_elems_per_s = 4099 / 1e-4;
        c->timing.kernel_bytes_per_s = c->timing.kernel_elems_per_s * 96;
        c->timing.wall_elems_per_s = 4099 / 1e-3;
    }
}

static void make_run(bv_report_run *r, const char *uuid, uint32_t shard, uint32_t count)
{
    snprintf(r->run_id, sizeof r->run_id, "20260101T000000Z-%u", shard);
    snprintf(r->started, sizeof r->started, "2026-01-01T00:00:00Z");
    snprintf(r->finished, sizeof r->finished, "2026-01-01T00:01:00Z");
    snprintf(r->command_line, sizeof r->command_line, "blsvk run --shard %u/%u", shard, count);
    snprintf(r->host, sizeof r->host, "testhost");
    snprintf(r->blsvk_version, sizeof r->blsvk_version, "0.1.0");
    snprintf(r->git_revision, sizeof r->git_revision, "abcdef");
    snprintf(r->glslang_version, sizeof r->glslang_version, "12.0.0");
    snprintf(r->spirv_tools_version, sizeof r->spirv_tools_version, "v2023.1");
    snprintf(r->loader_version, sizeof r->loader_version, "1.3.239");
    snprintf(r->suite, sizeof r->suite, "quick");
    snprintf(r->memory, sizeof r->memory, "device");
    r->seed = 1;
    r->reps = 1;
    r->shard_index = shard;
    r->shard_count = count;
    bv_device_info *d = &r->device;
    snprintf(d->name, sizeof d->name, "Test GPU %s", uuid);
    d->device_type_name = "discrete-gpu";
    d->device_type = 2;
    snprintf(d->uuid_str, sizeof d->uuid_str, "%s", uuid);
    snprintf(d->api_version_str, sizeof d->api_version_str, "1.3.230");
    snprintf(d->driver_version_str, sizeof d->driver_version_str, "1.2.3");
    snprintf(d->driver_name, sizeof d->driver_name, "testdrv");
    snprintf(d->driver_info, sizeof d->driver_info, "Test driver");
    d->heap_count = 1;
    d->heap_size[0] = 1u << 30;
    d->heap_device_local[0] = true;
    d->transfer_queue_family = -1;
    d->timestamp_period = 1.0f;
}

static const char *const uuid_a = "00112233-4455-6677-8899-aabbccddeeff";
static const char *const uuid_b = "ffeeddcc-bbaa-9988-7766-554433221100";

static bv_json *load_schema(void)
{
    char path[1024];
    bv_json *s = NULL;
    bv_error err;
    const char *src = getenv("BLSVK_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/docs/schemas/results.schema.json", src ? src : ".");
    if (bv_json_parse_file(path, &s, &err))
        fail_msg("%s", err.msg);
    return s;
}

/* --- statuses, baselines, retries --------------------------------------------------------- */

static void status_names_round_trip(void **state)
{
    (void)state;
    for (unsigned s = 0; s < BV_RESULT_COUNT; s++) {
        bv_report_status back;
        const char *name = bv_report_status_name((bv_report_status)s);
        assert_int_equal(bv_report_status_parse(name, &back), BV_OK);
        assert_int_equal(back, s);
        for (unsigned t = 0; t < s; t++)
            assert_string_not_equal(name, bv_report_status_name((bv_report_status)t));
    }
    assert_string_equal(bv_report_status_name(BV_RESULT_EXPECTED_FAIL), "expected-fail");
    assert_string_equal(bv_report_status_name(BV_RESULT_UNEXPECTED_PASS), "unexpected-pass");
    assert_string_equal(bv_report_status_name(BV_RESULT_FLAKE), "flake");
    assert_string_equal(bv_report_status_name(BV_RESULT_COUNT), "?");
    bv_report_status x;
    assert_int_not_equal(bv_report_status_parse("passed", &x), BV_OK);
    assert_true(bv_report_status_is_failure(BV_RESULT_FAIL));
    assert_true(bv_report_status_is_failure(BV_RESULT_SKIPPED));
    assert_false(bv_report_status_is_failure(BV_RESULT_EXPECTED_FAIL));
    assert_false(bv_report_status_is_failure(BV_RESULT_FLAKE));
    assert_false(bv_report_status_is_failure(BV_RESULT_UNEXPECTED_PASS));
    assert_false(bv_report_status_is_failure(BV_RESULT_NOT_SUPPORTED));
    assert_true(bv_report_status_is_pass(BV_RESULT_FLAKE));
}

static void baseline_parses_and_matches(void **state)
{
    char path[512];
    bv_report_baseline *bl = NULL;
    bv_error err;
    (void)state;
    tmp_path(path, sizeof path, "baseline.txt");
    write_text(path, "# known failures of driver 1.2.3\n\n"
                     "fr.add.u32.*   carry bug, driver issue #42  \n"
                     "  *.inplace.*\taliasing\n"
                     "fr.*  never reached: the entry above wins\n");
    assert_int_equal(bv_report_baseline_load(path, &bl, &err), BV_OK);
    assert_int_equal(bl->n, 3);
    assert_string_equal(bl->entries[0].pattern, "fr.add.u32.*");
    assert_string_equal(bl->entries[0].reason, "carry bug, driver issue #42");
    assert_int_equal(bl->entries[0].line, 3);
    assert_int_equal(bl->entries[1].line, 4);
    assert_string_equal(bl->entries[1].reason, "aliasing");
    assert_int_equal(strlen(bl->sha256), 64);
    assert_ptr_equal(bv_report_baseline_match(bl, "fr.add.u32.persistent.random.1"), &bl->entries[0]);
    assert_ptr_equal(bv_report_baseline_match(bl, "fp.add.u32.persistent.inplace.1031"), &bl->entries[1]);
    assert_ptr_equal(bv_report_baseline_match(bl, "fr.mul.u64.oneshot.edge.all"), &bl->entries[2]);
    assert_null(bv_report_baseline_match(bl, "fp.mul.u64.oneshot.edge.all"));
    assert_null(bv_report_baseline_match(NULL, "fp.mul.u64.oneshot.edge.all"));
    bv_report_baseline_destroy(bl);

    /* A glob without a reason is refused, with the file and the line. */
    write_text(path, "# header\nfp.add.*  fine\nfp.mul.*\n");
    bv_error_clear(&err);
    assert_int_equal(bv_report_baseline_load(path, &bl, &err), BV_ERR_PARSE);
    assert_null(bl);
    assert_non_null(strstr(err.msg, "baseline.txt"));
    assert_non_null(strstr(err.msg, "line 3"));
    assert_int_not_equal(bv_report_baseline_load("/nonexistent/baseline", &bl, &err), BV_OK);
}

static void attempts_resolve_to_flake_and_baseline_statuses(void **state)
{
    bv_report_case *c = calloc(1, sizeof *c), *a = calloc(1, sizeof *a);
    bv_report_baseline_entry e = {.pattern = "fr.*", .reason = "known"};
    bv_error err;
    (void)state;
    assert_non_null(c);
    assert_non_null(a);

    /* Failed, then passed on the second retry: Flake, the first failure's diff kept. */
    make_case(a, "fr.add.u32.persistent.random.4099", BV_RESULT_FAIL);
    assert_int_equal(bv_report_case_add_attempt(c, a, &err), BV_OK);
    assert_true(bv_report_case_should_retry(c, 2));
    assert_false(bv_report_case_should_retry(c, 0));
    make_case(a, "fr.add.u32.persistent.random.4099", BV_RESULT_TIMEOUT);
    assert_int_equal(bv_report_case_add_attempt(c, a, &err), BV_OK);
    assert_true(bv_report_case_should_retry(c, 2));
    make_case(a, "fr.add.u32.persistent.random.4099", BV_RESULT_PASS);
    assert_int_equal(bv_report_case_add_attempt(c, a, &err), BV_OK);
    assert_false(bv_report_case_should_retry(c, 2));
    bv_report_case_resolve(c, NULL, NULL);
    assert_int_equal(c->status, BV_RESULT_FLAKE);
    assert_int_equal(c->observed, BV_RESULT_FAIL);
    assert_int_equal(c->nattempts, 3);
    assert_int_equal(c->attempts[1].status, BV_RESULT_TIMEOUT);
    assert_int_equal(c->mismatches, 2);
    assert_int_equal(c->nfirst, 1);
    assert_non_null(strstr(c->reason, "passed on attempt 3 of 3"));

    /* A flake the baseline lists stays a flake: it did pass. */
    bv_report_case_resolve(c, &e, NULL);
    assert_int_equal(c->status, BV_RESULT_FLAKE);
    assert_string_equal(c->baseline_pattern, "fr.*");

    /* Failed every time: the failure; with a baseline entry, ExpectedFail. */
    memset(c, 0, sizeof *c);
    make_case(a, "fr.add.u32.persistent.random.4099", BV_RESULT_FAIL);
    for (int k = 0; k < 3; k++)
        assert_int_equal(bv_report_case_add_attempt(c, a, &err), BV_OK);
    assert_false(bv_report_case_should_retry(c, 2));
    bv_report_case_resolve(c, NULL, NULL);
    assert_int_equal(c->status, BV_RESULT_FAIL);
    bv_report_case_resolve(c, &e, NULL);
    assert_int_equal(c->status, BV_RESULT_EXPECTED_FAIL);
    assert_int_equal(c->observed, BV_RESULT_FAIL);
    assert_string_equal(c->baseline_reason, "known");

    /* A first-time pass the baseline lists: UnexpectedPass. Not supported stays so. */
    memset(c, 0, sizeof *c);
    make_case(a, "fr.add.u32.persistent.random.4099", BV_RESULT_PASS);
    assert_int_equal(bv_report_case_add_attempt(c, a, &err), BV_OK);
    bv_report_case_resolve(c, &e, NULL);
    assert_int_equal(c->status, BV_RESULT_UNEXPECTED_PASS);
    memset(c, 0, sizeof *c);
    make_case(a, "fr.add.u64.persistent.random.4099", BV_RESULT_NOT_SUPPORTED);
    assert_int_equal(bv_report_case_add_attempt(c, a, &err), BV_OK);
    assert_false(bv_report_case_should_retry(c, 5));
    bv_report_case_resolve(c, &e, NULL);
    assert_int_equal(c->status, BV_RESULT_NOT_SUPPORTED);

    /* Skipped never ran: no retry. And no more attempts than the record holds. */
    memset(c, 0, sizeof *c);
    make_case(a, "fr.add.u32.persistent.random.4099", BV_RESULT_SKIPPED);
    assert_int_equal(bv_report_case_add_attempt(c, a, &err), BV_OK);
    assert_false(bv_report_case_should_retry(c, 5));
    memset(c, 0, sizeof *c);
    make_case(a, "fr.add.u32.persistent.random.4099", BV_RESULT_FAIL);
    for (int k = 0; k < BV_REPORT_MAX_ATTEMPTS; k++)
        assert_int_equal(bv_report_case_add_attempt(c, a, &err), BV_OK);
    assert_false(bv_report_case_should_retry(c, 100));
    assert_int_equal(bv_report_case_add_attempt(c, a, &err), BV_ERR_OVERFLOW);
    free(a);
    free(c);
}

/* --- results.json ---------------------------------------------------------------------- */

/* A report with one case of every status, bounds and a baseline. */
static bv_report *full_report(void)
{
    static const char *const names[] = {
        "fp.add.u32.persistent.random.4099", "fp.mul.u32.persistent.random.4099", "fp.mul.u64.persistent.random.4099",
        "fr.add.u32.oneshot.edge.all",       "fr.sub.u32.oneshot.edge.all",       "fr.neg.u32.oneshot.edge.all",
        "fr.dbl.u32.oneshot.edge.all",       "fr.sqr.u32.oneshot.edge.all",       "fr.to_mont.u32.oneshot.edge.all",
        "fr.from_mont.u32.oneshot.edge.all", "fp.sqr.u64.persistent.random.1",
        "fp.neg.u32.persistent.random.1",    "fp.dbl.u32.persistent.random.1",
        "fp.sqr.u32.persistent.random.1",
    };
    _Static_assert(sizeof names / sizeof names[0] == BV_RESULT_COUNT + 1, "a case of every status, and one missing");
    bv_report *rep = NULL;
    bv_report_case *c = calloc(1, sizeof *c);
    bv_error err;
    assert_non_null(c);
    assert_int_equal(bv_report_create(&rep, &err), BV_OK);
    make_run(&rep->run, uuid_a, 1, 1);
    char *argv[] = {"run", "--filter", "f*", "--baseline", "b.txt"};
    assert_int_equal(bv_report_set_argv(rep, 5, argv, &err), BV_OK);
    /* The last planned case never ran: missing. */
    assert_int_equal(bv_report_set_plan(rep, names, sizeof names / sizeof names[0], &err), BV_OK);
    rep->bounds.copy_bytes_per_s = 2e12;
    rep->bounds.h2d_bytes_per_s = 5e10;
    rep->bounds.d2h_bytes_per_s = 5e10;
    rep->baseline = calloc(1, sizeof *rep->baseline);
    rep->baseline->entries = calloc(1, sizeof *rep->baseline->entries);
    rep->baseline->n = 1;
    snprintf(rep->baseline->path, sizeof rep->baseline->path, "b.txt");
    snprintf(rep->baseline->sha256, sizeof rep->baseline->sha256, "%064d", 0);
    snprintf(rep->baseline->entries[0].pattern, sizeof rep->baseline->entries[0].pattern, "fr.*");
    snprintf(rep->baseline->entries[0].reason, sizeof rep->baseline->entries[0].reason, "known");
    rep->baseline->entries[0].line = 1;
    for (unsigned s = 0; s < BV_RESULT_COUNT; s++) {
        /* What the runner saw, then what retries and the baseline made of it. */
        bv_report_status raw = s == BV_RESULT_EXPECTED_FAIL || s == BV_RESULT_FLAKE || s == BV_RESULT_KNOWN_FLAKE
                                   ? BV_RESULT_FAIL
                               : s == BV_RESULT_UNEXPECTED_PASS                     ? BV_RESULT_PASS
                                                                                    : (bv_report_status)s;
        bv_report_case *a = calloc(1, sizeof *a);
        assert_non_null(a);
        make_case(a, names[s], raw);
        memset(c, 0, sizeof *c);
        assert_int_equal(bv_report_case_add_attempt(c, a, &err), BV_OK);
        if (s == BV_RESULT_FLAKE) {
            make_case(a, names[s], BV_RESULT_PASS);
            assert_int_equal(bv_report_case_add_attempt(c, a, &err), BV_OK);
        }
        free(a);
        c->status = (bv_report_status)s;
        if (s == BV_RESULT_EXPECTED_FAIL || s == BV_RESULT_UNEXPECTED_PASS) {
            snprintf(c->baseline_pattern, sizeof c->baseline_pattern, "fr.*");
            snprintf(c->baseline_reason, sizeof c->baseline_reason, "known");
        }
        assert_int_equal(bv_report_put_case(rep, c, &err), BV_OK);
    }
    rep->interrupted = calloc(1, sizeof *rep->interrupted);
    snprintf(rep->interrupted[0].name, sizeof rep->interrupted[0].name, "%s", names[BV_RESULT_COUNT]);
    rep->interrupted[0].starts = 1;
    rep->ninterrupted = 1;
    bv_report_count_baseline(rep);
    free(c);
    return rep;
}

static void results_json_validates_and_reads_back(void **state)
{
    char path[512], why[1024], fp1[17], fp2[17];
    bv_report *rep = full_report(), *back = NULL;
    bv_json *schema = load_schema(), *doc = NULL;
    bv_error err;
    (void)state;
    tmp_path(path, sizeof path, "results.json");
    assert_int_equal(bv_report_write_json(path, rep, &err), BV_OK);
    assert_int_equal(bv_json_parse_file(path, &doc, &err), BV_OK);
    if (!js_validate(schema, NULL, doc, why, sizeof why))
        fail_msg("results.json does not validate: %s", why);
    assert_string_equal(bv_json_string(bv_json_get(doc, "verdict")), "fail");
    const bv_json *totals = bv_json_get(doc, "totals");
    uint64_t v;
    assert_int_equal(bv_json_uint(bv_json_get(totals, "missing"), &v), BV_OK);
    assert_int_equal(v, 1);
    assert_int_equal(bv_json_uint(bv_json_get(totals, "new_failures"), &v), BV_OK);
    assert_int_equal(v, 6); /* fail, timeout, device-lost, internal-error, skipped, crash */
    /* The fractions of the device's bounds: 4099 elements in 100 us, 96 bytes each. */
    const bv_json *t = bv_json_get(bv_json_at(bv_json_get(doc, "cases"), 0), "timing");
    assert_true(fabs(bv_json_number(bv_json_get(t, "copy_fraction")) - 4099 / 1e-4 * 96 / 2e12) < 1e-12);
    assert_true(bv_json_number(bv_json_get(t, "host_link_fraction")) > 0);
    /* The validator is not a rubber stamp: a wrong status and an unknown member fail. */
    bv_json_free(doc);
    char *text = read_text(path), *p = strstr(text, "\"status\": \"timeout\"");
    assert_non_null(p);
    memcpy(p, "\"status\": \"tymeout\"", 19);
    assert_int_equal(bv_json_parse(text, strlen(text), &doc, &err), BV_OK);
    assert_false(js_validate(schema, NULL, doc, why, sizeof why));
    assert_non_null(strstr(why, "tymeout"));
    bv_json_free(doc);
    free(text);

    assert_int_equal(bv_report_read(path, &back, &err), BV_OK);
    assert_int_equal(back->ncases, rep->ncases);
    assert_int_equal(back->nplanned, rep->nplanned);
    assert_int_equal(back->nargv, 5);
    assert_string_equal(back->argv[4], "b.txt");
    for (size_t i = 0; i < rep->ncases; i++) {
        const bv_report_case *a = &rep->cases[i], *b = bv_report_find_case(back, a->name);
        assert_non_null(b);
        assert_int_equal(a->family, b->family);
        assert_int_equal(a->op, b->op);
        assert_int_equal(a->limbs, b->limbs);
        assert_int_equal(a->mode, b->mode);
        assert_int_equal(a->set, b->set);
        assert_int_equal(a->status, b->status);
        assert_int_equal(a->observed, b->observed);
        assert_string_equal(a->reason[0] == 0 ? "" : b->reason, a->reason[0] == 0 ? "" : b->reason);
        assert_int_equal(a->nattempts, b->nattempts);
        assert_int_equal(a->nfirst, b->nfirst);
        if (a->nfirst) {
            assert_string_equal(a->first[0].got, b->first[0].got);
            assert_int_equal(a->first[0].limb_diff, b->first[0].limb_diff);
            assert_int_equal(a->first[0].ninputs, b->first[0].ninputs);
        }
        assert_string_equal(a->baseline_pattern, b->baseline_pattern);
        assert_string_equal(a->kernel_sha256, b->kernel_sha256);
        assert_int_equal(a->timing.valid, b->timing.valid);
        assert_true(a->timing.kernel_ns.median == b->timing.kernel_ns.median);
    }
    assert_true(back->bounds.copy_bytes_per_s == 2e12);
    assert_non_null(back->baseline);
    assert_int_equal(back->baseline->entries[0].matched, 2);
    assert_int_equal(back->ninterrupted, 1);
    assert_string_equal(back->run.device.uuid_str, uuid_a);
    assert_int_equal(back->run.device.uuid[15], 0xff);
    /* Equal toolchains, equal fingerprints; a module changed (or fewer ran, as --filter does)
     * leaves the fingerprint as it is and changes the modules' own. */
    char mfp1[17], mfp2[17];
    assert_int_equal(bv_report_fingerprint(rep, fp1, &err), BV_OK);
    assert_int_equal(bv_report_fingerprint(back, fp2, &err), BV_OK);
    assert_string_equal(fp1, fp2);
    assert_int_equal(bv_report_modules_fingerprint(rep, mfp1, &err), BV_OK);
    assert_int_equal(bv_report_modules_fingerprint(back, mfp2, &err), BV_OK);
    assert_string_equal(mfp1, mfp2);
    assert_int_equal(strlen(mfp1), 16);
    back->cases[0].kernel_sha256[0] = 'f';
    assert_int_equal(bv_report_fingerprint(back, fp2, &err), BV_OK);
    assert_string_equal(fp1, fp2);
    assert_int_equal(bv_report_modules_fingerprint(back, mfp2, &err), BV_OK);
    assert_string_not_equal(mfp1, mfp2);
    back->ncases = 1;
    assert_int_equal(bv_report_fingerprint(back, fp2, &err), BV_OK);
    assert_string_equal(fp1, fp2);
    snprintf(back->run.device.driver_version_str, sizeof back->run.device.driver_version_str, "99.0");
    assert_int_equal(bv_report_fingerprint(back, fp2, &err), BV_OK);
    assert_string_not_equal(fp1, fp2);
    bv_report_destroy(back);
    bv_report_destroy(rep);
    bv_json_free(schema);
}

/* Names in the files, enums in memory: a name blsvk does not know, or none, is an error that
 * names the file, the case and the key; never a default. */
static void unknown_names_are_errors(void **state)
{
    char path[512], want[256];
    bv_report *rep = full_report(), *back = NULL;
    bv_report_case *c = calloc(1, sizeof *c);
    bv_report_log *log = NULL;
    bv_error err;
    (void)state;
    assert_non_null(c);
    bv_error_clear(&err);
    tmp_path(path, sizeof path, "unknown-op.json");
    assert_int_equal(bv_report_write_json(path, rep, &err), BV_OK);
    char *text = read_text(path), *p = strstr(text, "\"op\": \"");
    assert_non_null(p); /* the first "op" is the first case's */
    memcpy(p + 7, "foo", 3);
    write_text(path, text);
    assert_int_equal(bv_report_read(path, &back, &err), BV_ERR_PARSE);
    assert_null(back);
    assert_non_null(strstr(err.msg, path));
    snprintf(want, sizeof want, "case '%s': unknown op 'foo", rep->cases[0].name);
    if (!strstr(err.msg, want))
        fail_msg("'%s' does not say '%s'", err.msg, want);
    free(text);

    /* A case without a mode. */
    tmp_path(path, sizeof path, "no-mode.json");
    assert_int_equal(bv_report_write_json(path, rep, &err), BV_OK);
    text = read_text(path);
    p = strstr(text, "\"mode\": \"");
    assert_non_null(p);
    memcpy(p, "\"mood\"", 6);
    write_text(path, text);
    assert_int_equal(bv_report_read(path, &back, &err), BV_ERR_PARSE);
    snprintf(want, sizeof want, "case '%s': no mode", rep->cases[0].name);
    if (!strstr(err.msg, want))
        fail_msg("'%s' does not say '%s'", err.msg, want);
    free(text);

    /* The log: a set out of range is written as "?", and "?" does not read back as a set. */
    tmp_path(path, sizeof path, "unknown-set.jsonl");
    assert_int_equal(bv_report_log_open(path, rep, &log, &err), BV_OK);
    make_case(c, "fp.add.u32.persistent.random.1", BV_RESULT_PASS);
    c->set = BV_SET_COUNT;
    assert_int_equal(bv_report_log_result(log, c, &err), BV_OK);
    bv_report_log_close(log);
    assert_int_equal(bv_report_read(path, &back, &err), BV_ERR_PARSE);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "case 'fp.add.u32.persistent.random.1': unknown set '?'"));
    bv_report_destroy(rep);
    free(c);
}

/* --- the case log ------------------------------------------------------------------------ */

static void log_survives_a_cut_line_and_resumes(void **state)
{
    static const char *const plan[] = {"fp.add.u32.persistent.random.1", "fp.add.u32.persistent.random.4099",
                                       "fp.add.u32.persistent.edge.all"};
    char path[512], why[1024];
    bv_report *rep = NULL, *back = NULL;
    bv_report_case *c = calloc(1, sizeof *c);
    bv_report_log *log = NULL;
    bv_error err;
    (void)state;
    tmp_path(path, sizeof path, "results.jsonl");
    assert_int_equal(bv_report_create(&rep, &err), BV_OK);
    make_run(&rep->run, uuid_a, 1, 1);
    assert_int_equal(bv_report_set_plan(rep, plan, 3, &err), BV_OK);
    assert_int_equal(bv_report_log_open(path, rep, &log, &err), BV_OK);
    make_case(c, plan[0], BV_RESULT_PASS);
    assert_int_equal(bv_report_log_start(log, plan[0], 1, &err), BV_OK);
    assert_int_equal(bv_report_log_result(log, c, &err), BV_OK);
    assert_int_equal(bv_report_log_start(log, plan[1], 1, &err), BV_OK);
    bv_report_log_close(log);
    /* A process killed inside a write: half a result line, no newline. */
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    fputs("{\"event\":\"result\",\"result\":{\"name\":\"fp.add.u32.pers", f);
    fclose(f);

    assert_int_equal(bv_report_read(path, &back, &err), BV_OK);
    assert_int_equal(back->ncases, 1);
    assert_int_equal(back->nplanned, 3);
    assert_int_equal(back->ninterrupted, 1);
    assert_string_equal(back->interrupted[0].name, plan[1]);
    assert_false(bv_report_is_missing(back, 0));
    assert_true(bv_report_is_missing(back, 1));
    bv_report_destroy(back);

    /* Resume: the cut line goes, a resume line comes, the rest appends cleanly. */
    assert_int_equal(bv_report_log_reopen(path, "2026-01-01T01:00:00Z", &log, &err), BV_OK);
    for (int i = 1; i < 3; i++) {
        make_case(c, plan[i], i == 1 ? BV_RESULT_FAIL : BV_RESULT_PASS);
        assert_int_equal(bv_report_log_start(log, plan[i], 1, &err), BV_OK);
        assert_int_equal(bv_report_log_result(log, c, &err), BV_OK);
    }
    bv_report_log_close(log);
    char *text = read_text(path);
    assert_null(strstr(text, "fp.add.u32.pers\""));
    assert_null(strstr(text, "\"fp.add.u32.pers{"));
    free(text);
    assert_int_equal(bv_report_read(path, &back, &err), BV_OK);
    assert_int_equal(back->ncases, 3);
    assert_int_equal(back->ninterrupted, 0);
    assert_int_equal(back->nresumed, 1);
    assert_string_equal(back->resumed[0], "2026-01-01T01:00:00Z");
    assert_string_equal(back->cases[1].name, plan[1]); /* plan order */
    assert_int_equal(back->cases[1].status, BV_RESULT_FAIL);

    /* Every line of the log matches the schema's log_line. */
    bv_json *schema = load_schema();
    text = read_text(path);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        bv_json *j = NULL;
        assert_int_equal(bv_json_parse(line, strlen(line), &j, &err), BV_OK);
        if (!js_validate(schema, "#/$defs/log_line", j, why, sizeof why))
            fail_msg("log line does not validate: %s\n%s", why, line);
        bv_json_free(j);
    }
    free(text);
    bv_json_free(schema);
    bv_report_destroy(back);
    bv_report_destroy(rep);
    free(c);
}

/* --- merge ----------------------------------------------------------------------------- */

static const char *const merge_plan[] = {
    "fp.add.u32.persistent.random.1", "fp.add.u32.persistent.random.4099", "fp.add.u32.persistent.edge.all",
    "fp.mul.u32.persistent.random.1", "fp.mul.u32.persistent.random.4099",
};

/* Shard I of N as `blsvk run --shard` makes it: every N-th case from the I-th. */
static bv_report *shard(const char *uuid, uint32_t index, uint32_t count, bv_report_status fail_status)
{
    bv_report *rep = NULL;
    bv_report_case *c = calloc(1, sizeof *c);
    const char *names[8];
    size_t n = 0;
    bv_error err;
    assert_int_equal(bv_report_create(&rep, &err), BV_OK);
    make_run(&rep->run, uuid, index, count);
    for (size_t i = 0; i < 5; i++)
        if (i % count == index - 1)
            names[n++] = merge_plan[i];
    assert_int_equal(bv_report_set_plan(rep, names, n, &err), BV_OK);
    for (size_t i = 0; i < n; i++) {
        make_case(c, names[i], strstr(names[i], "4099") ? fail_status : BV_RESULT_PASS);
        assert_int_equal(bv_report_put_case(rep, c, &err), BV_OK);
    }
    free(c);
    return rep;
}

static void merge_interleaves_shards_and_finds_gaps(void **state)
{
    bv_report *in[4];
    bv_report_set *set = NULL;
    bv_error err;
    char path[512];
    (void)state;
    in[0] = shard(uuid_a, 2, 2, BV_RESULT_FAIL);
    in[1] = shard(uuid_a, 1, 2, BV_RESULT_FAIL);
    const char *src[] = {"shard2", "shard1"};
    assert_int_equal(bv_report_merge(in, src, 2, &set, &err), BV_OK);
    assert_int_equal(set->ndev, 1);
    assert_int_equal(set->nconflicts, 0);
    assert_int_equal(set->nmissing_shards, 0);
    const bv_report *m = set->dev[0];
    assert_int_equal(m->nplanned, 5);
    assert_int_equal(m->ncases, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(m->planned[i], merge_plan[i]); /* the unsharded order */
        assert_string_equal(m->cases[i].name, merge_plan[i]);
    }
    assert_int_equal(m->run.shard_count, 1);
    assert_int_equal(m->nsources, 2);
    assert_false(bv_report_set_ok(set)); /* two failures */
    tmp_path(path, sizeof path, "merged.json");
    assert_int_equal(bv_report_write_merged_json(path, set, &err), BV_OK);
    bv_report_set_destroy(set);

    /* Shard 1 of 3 alone: shards 2 and 3 are missing. A second device is its own column; the
     * same case twice with different verdicts is a conflict that keeps the failure. */
    in[0] = shard(uuid_a, 1, 3, BV_RESULT_PASS);
    in[1] = shard(uuid_b, 1, 1, BV_RESULT_PASS);
    in[2] = shard(uuid_b, 1, 1, BV_RESULT_TIMEOUT);
    in[3] = shard(uuid_b, 1, 1, BV_RESULT_TIMEOUT);
    in[3]->run.git_revision[0] = 'X';
    const char *src4[] = {"a", "b1", "b2", "b3"};
    assert_int_equal(bv_report_merge(in, src4, 4, &set, &err), BV_OK);
    assert_int_equal(set->ndev, 2);
    assert_int_equal(set->nmissing_shards, 2);
    assert_int_equal(set->missing_shards[0].index, 2);
    assert_int_equal(set->missing_shards[1].index, 3);
    assert_int_equal(set->nconflicts, 2); /* fp.add and fp.mul 4099: pass in b1, timeout in b2 */
    assert_string_equal(set->conflicts[0].source_a, "b1");
    assert_string_equal(set->conflicts[0].source_b, "b2");
    assert_int_equal(set->duplicates, 8); /* b2 repeats b1's 3 passes, b3 all of b2's 5 */
    assert_int_equal(bv_report_find_case(set->dev[1], "fp.add.u32.persistent.random.4099")->status,
                     BV_RESULT_TIMEOUT);
    bool rev_diff = false;
    for (size_t i = 0; i < set->ndiffs; i++)
        rev_diff |= strcmp(set->diffs[i].what, "git_revision") == 0 && strstr(set->diffs[i].values, "input 4");
    assert_true(rev_diff);
    assert_false(bv_report_set_ok(set));

    /* merged.json reads back into the same set. */
    char dir[512], slug[160];
    tmp_path(dir, sizeof dir, "merge-out");
    assert_int_equal(bv_mkdir_p(dir, &err), BV_OK);
    for (size_t d = 0; d < set->ndev; d++) {
        bv_report_device_slug(&set->dev[d]->run.device, slug, sizeof slug);
        snprintf(path, sizeof path, "%s/%s", dir, slug);
        assert_int_equal(bv_mkdir_p(path, &err), BV_OK);
        snprintf(path, sizeof path, "%s/%s/results.json", dir, slug);
        assert_int_equal(bv_report_write_json(path, set->dev[d], &err), BV_OK);
    }
    snprintf(path, sizeof path, "%s/merged.json", dir);
    assert_int_equal(bv_report_write_merged_json(path, set, &err), BV_OK);
    bv_report_set *back = NULL;
    assert_int_equal(bv_report_read_set(dir, &back, &err), BV_OK);
    assert_true(back->merged);
    assert_int_equal(back->ndev, 2);
    assert_int_equal(back->nconflicts, 2);
    assert_int_equal(back->nmissing_shards, 2);
    assert_int_equal(back->ninputs, 4);
    assert_int_equal(back->dev[1]->ncases, set->dev[1]->ncases);
    bv_report_set_destroy(back);
    bv_report_set_destroy(set);
}


/* --- the glob grammar, lists, groups, results.csv, baselines from runs ------------------ */

static void globs_select_recipe_cases(void **state)
{
    (void)state;
    /* A glob for a kernel takes its recipe cases; an exact name only itself. */
    assert_true(bv_report_glob_match("fr.add.u32.*", "fr.add.u32.persistent.edge.all"));
    assert_true(bv_report_glob_match("fr.add.u32.*", "fr.add.u32+O.persistent.edge.all"));
    assert_true(bv_report_glob_match("fr.add.u32.persistent.*", "fr.add.u32+Os.persistent.random.65536"));
    assert_true(bv_report_glob_match("fp.*.u32.*", "fp.mul.u32+O.persistent.edge.all"));
    assert_true(bv_report_glob_match("fr.add.u32+O.*", "fr.add.u32+O.persistent.edge.all"));
    assert_false(bv_report_glob_match("fr.add.u32+O.*", "fr.add.u32.persistent.edge.all"));
    assert_false(bv_report_glob_match("fr.add.u64.*", "fr.add.u32+O.persistent.edge.all"));
    assert_false(bv_report_glob_match("fr.add.u32.*", "fr.add.u32x.persistent.edge.all"));
    assert_true(bv_report_glob_match("fr.add.u32.persistent.edge.all", "fr.add.u32.persistent.edge.all"));
    assert_false(bv_report_glob_match("fr.add.u32.persistent.edge.all", "fr.add.u32+O.persistent.edge.all"));
    assert_true(bv_report_glob_match("*.edge.all", "fr.add.u32+O.persistent.edge.all"));
    assert_true(bv_report_glob_match("fr.add.u32.[op]*", "fr.add.u32+O.oneshot.edge.all"));
}

static void lists_take_reasons_after_a_hash(void **state)
{
    char path[512];
    bv_report_baseline *bl = NULL;
    bv_error err;
    (void)state;
    tmp_path(path, sizeof path, "list.txt");
    write_text(path, "# comment\n\nfr.add.u32.*  # the kernel never subtracts r\nfp.mul.* plain reason\n");
    assert_int_equal(bv_report_list_load(path, true, &bl, &err), BV_OK);
    assert_int_equal(bl->n, 2);
    assert_string_equal(bl->entries[0].reason, "the kernel never subtracts r");
    assert_int_equal(bl->entries[0].line, 3);
    assert_string_equal(bl->entries[1].reason, "plain reason");
    assert_ptr_equal(bv_report_baseline_match(bl, "fr.add.u32+O.persistent.edge.all"), &bl->entries[0]);
    bv_report_baseline_destroy(bl);
    /* A case list: names, with comments only. */
    assert_int_equal(bv_report_list_load(path, false, &bl, &err), BV_ERR_PARSE);
    assert_non_null(strstr(err.msg, "line 4"));
    assert_non_null(strstr(err.msg, path));
    write_text(path, "fr.add.u32.persistent.edge.all\nfr.mul.*   # all of fr.mul\n");
    assert_int_equal(bv_report_list_load(path, false, &bl, &err), BV_OK);
    assert_int_equal(bl->n, 2);
    bv_report_baseline_destroy(bl);
    /* A reason that is only a '#': no reason. */
    write_text(path, "fr.add.u32.*  #\n");
    assert_int_equal(bv_report_list_load(path, true, &bl, &err), BV_ERR_PARSE);
    assert_non_null(strstr(err.msg, "line 1"));
}

/* A broken kernel's cases: one cause; a different failure: another. */
static bv_report *broken_kernel_report(void)
{
    static const char *const names[] = {
        "fr.add.u32.oneshot.edge.all", "fr.add.u32.persistent.edge.all", "fr.add.u32.persistent.random.4099",
        "fr.add.u32+O.persistent.edge.all", "fp.mul.u32.persistent.random.1", "fp.add.u32.persistent.random.1",
    };
    bv_report *rep = NULL;
    bv_report_case *c = calloc(1, sizeof *c);
    bv_error err;
    assert_non_null(c);
    assert_int_equal(bv_report_create(&rep, &err), BV_OK);
    make_run(&rep->run, uuid_a, 1, 1);
    assert_int_equal(bv_report_set_plan(rep, names, 6, &err), BV_OK);
    for (size_t i = 0; i < 4; i++) {
        make_case(c, names[i], BV_RESULT_FAIL);
        c->nfirst = 0;
        snprintf(c->reason, sizeof c->reason,
                 "kernel rejected: /k/fr.add.u32.comp: %s: compile error\nERROR: 0:%zu: 'x' : undeclared\n", names[i],
                 12 + i);
        assert_int_equal(bv_report_put_case(rep, c, &err), BV_OK);
    }
    make_case(c, names[4], BV_RESULT_FAIL);
    assert_int_equal(bv_report_put_case(rep, c, &err), BV_OK);
    make_case(c, names[5], BV_RESULT_PASS);
    assert_int_equal(bv_report_put_case(rep, c, &err), BV_OK);
    free(c);
    return rep;
}

static void failures_group_by_cause(void **state)
{
    char path[512];
    bv_report_set *set = NULL;
    bv_error err;
    (void)state;
    assert_int_equal(bv_report_set_create(&set, &err), BV_OK);
    assert_int_equal(bv_report_set_add(set, broken_kernel_report(), &err), BV_OK);
    tmp_path(path, sizeof path, "groups.md");
    assert_int_equal(bv_report_write_markdown(path, set, &err), BV_OK);
    char *text = read_text(path);
    assert_non_null(strstr(text, "## New failures (5, 2 causes)"));
    assert_non_null(strstr(text, "### fail in 4 cases"));
    assert_non_null(strstr(text, "- `fr.add.u32+O.persistent.edge.all`"));
    /* The message once, its line breaks kept. */
    char *msg = strstr(text, "```text\nkernel rejected: /k/fr.add.u32.comp: fr.add.u32.oneshot.edge.all: compile error\n"
                             "ERROR: 0:12: 'x' : undeclared\n```");
    assert_non_null(msg);
    assert_null(strstr(strstr(msg, "undeclared"), "compile error"));
    free(text);
    tmp_path(path, sizeof path, "groups.html");
    assert_int_equal(bv_report_write_html(path, set, &err), BV_OK);
    text = read_text(path);
    assert_non_null(strstr(text, "New failures (5, 2 causes)"));
    assert_non_null(strstr(text, "4 cases:<br>"));
    assert_non_null(strstr(text, "compile error\nERROR: 0:12"));
    free(text);
    tmp_path(path, sizeof path, "groups.txt");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(bv_report_write_text(f, set, 20, &err), BV_OK);
    fclose(f);
    text = read_text(path);
    assert_non_null(strstr(text, "fail in 4 cases (the first, fr.add.u32.oneshot.edge.all):\n"
                                 "      kernel rejected:"));
    assert_non_null(strstr(text, "      ERROR: 0:12: 'x' : undeclared\n"));
    assert_non_null(strstr(text, "cases: fr.add.u32.oneshot.edge.all fr.add.u32.persistent.edge.all"));
    free(text);
    bv_report_set_destroy(set);
}

static void csv_and_baseline_from_a_run(void **state)
{
    char path[512];
    bv_report *rep = broken_kernel_report();
    bv_report_baseline *bl = NULL;
    bv_error err;
    (void)state;
    /* The sixth case never ran: Missing, as deqp-runner says it. */
    rep->ncases = 5;
    tmp_path(path, sizeof path, "results.csv");
    assert_int_equal(bv_report_write_csv(path, rep, &err), BV_OK);
    char *text = read_text(path);
    assert_non_null(strstr(text, "fr.add.u32.oneshot.edge.all,Fail,0.250000\n"));
    assert_non_null(strstr(text, "fp.add.u32.persistent.random.1,Missing,0.000000\n"));
    free(text);
    /* The baseline: the kernel that failed everywhere as one glob, the other failure by name;
     * read back, it lists every failure. */
    /* A reason cut where a blank falls: the line must still read back as written, so it may not
     * end in the blank the reader drops ("fail: " and 193 characters make the 200 kept). */
    for (size_t i = 0; i < rep->ncases; i++)
        if (strcmp(rep->cases[i].name, "fp.mul.u32.persistent.random.1") == 0) {
            char *r = rep->cases[i].reason;
            memset(r, 'x', 240);
            r[192] = ' ';
            r[193] = ' ';
            r[240] = '\0';
            memcpy(r, "2 of 4099 elements differ", 25);
        }
    tmp_path(path, sizeof path, "baseline.txt");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(bv_report_write_baseline(f, rep, "run-dir", &err), BV_OK);
    fclose(f);
    text = read_text(path);
    assert_non_null(strstr(text, "\nfr.add.u32.*  # all 4 cases fail: kernel rejected: "));
    assert_non_null(strstr(text, "\nfp.mul.u32.persistent.random.1  # fail: 2 of 4099 elements differ"));
    assert_null(strstr(text, " \n"));
    free(text);
    assert_int_equal(bv_report_baseline_load(path, &bl, &err), BV_OK);
    assert_int_equal(bl->n, 2);
    for (size_t i = 0; i < rep->ncases; i++)
        if (bv_report_status_is_failure(rep->cases[i].status))
            assert_non_null(bv_report_baseline_match(bl, rep->cases[i].name));
    bv_report_baseline_destroy(bl);
    bv_report_destroy(rep);
}

/* A shard missing from a merge: its cases named from the whole list a shard recorded, each a
 * JUnit error; the device's verdict incomplete. Without the list, the shard itself is one. */
static void merge_names_a_missing_shards_cases(void **state)
{
    bv_report *in[2];
    bv_report_set *set = NULL;
    bv_error err;
    char path[512];
    (void)state;
    for (int with_list = 1; with_list >= 0; with_list--) {
        in[0] = shard(uuid_a, 1, 2, BV_RESULT_PASS);
        if (with_list)
            assert_int_equal(bv_report_set_shard_plan(in[0], merge_plan, 5, &err), BV_OK);
        const char *src[] = {"shard1"};
        assert_int_equal(bv_report_merge(in, src, 1, &set, &err), BV_OK);
        assert_int_equal(set->nmissing_shards, 1);
        bv_report_summary s;
        bv_report_summarize(set->dev[0], &s);
        assert_string_equal(s.verdict, "incomplete");
        assert_int_equal(s.missing, with_list ? 2 : 0);
        assert_int_equal(set->missing_shards[0].cases, with_list ? 2 : 0);
        if (with_list) /* the unsharded order */
            for (size_t i = 0; i < 5; i++)
                assert_string_equal(set->dev[0]->planned[i], merge_plan[i]);
        tmp_path(path, sizeof path, "missing-shard.xml");
        assert_int_equal(bv_report_write_junit(path, set, &err), BV_OK);
        char *text = read_text(path);
        assert_non_null(strstr(text, "<property name=\"verdict\" value=\"incomplete\"/>"));
        if (with_list) {
            assert_non_null(strstr(text, "tests=\"5\" failures=\"0\" errors=\"2\""));
            assert_non_null(strstr(text, "<testcase name=\"fp.add.u32.persistent.random.4099\""));
            assert_non_null(strstr(text, "<testcase name=\"fp.mul.u32.persistent.random.1\""));
        } else {
            assert_non_null(strstr(text, "tests=\"4\" failures=\"0\" errors=\"1\""));
            assert_non_null(strstr(text, "<testcase name=\"shard 2/2\""));
        }
        free(text);
        tmp_path(path, sizeof path, "missing-shard.md");
        assert_int_equal(bv_report_write_markdown(path, set, &err), BV_OK);
        text = read_text(path);
        assert_non_null(strstr(text, " | incomplete | "));
        assert_null(strstr(text, " | pass | "));
        free(text);
        bv_report_set_destroy(set);
    }
}

/* --- junit.xml, report.html, summary.md ------------------------------------------------ */

static bv_report_set *full_set(void)
{
    bv_report_set *set = NULL;
    bv_error err;
    assert_int_equal(bv_report_set_create(&set, &err), BV_OK);
    assert_int_equal(bv_report_set_add(set, full_report(), &err), BV_OK);
    return set;
}

static void junit_validates_against_the_xsd(void **state)
{
    char path[512], cmd[2048];
    bv_report_set *set = full_set();
    bv_error err;
    (void)state;
    tmp_path(path, sizeof path, "junit.xml");
    assert_int_equal(bv_report_write_junit(path, set, &err), BV_OK);
    char *text = read_text(path);
    assert_non_null(strstr(text, "<failure type=\"fail\""));
    assert_non_null(strstr(text, "first mismatch at [7] random/7"));
    assert_non_null(strstr(text, "<skipped type=\"not-supported\""));
    assert_non_null(strstr(text, "<skipped type=\"expected-fail\""));
    assert_non_null(strstr(text, "<error type=\"timeout\""));
    assert_non_null(strstr(text, "<error type=\"device-lost\""));
    assert_non_null(strstr(text, "<error type=\"missing\""));
    assert_non_null(strstr(text, "<flakyFailure"));
    assert_non_null(strstr(text, "&lt;&amp;&gt; &quot;q&quot;"));
    assert_null(strstr(text, "\x01"));
    assert_non_null(strstr(text, "<skipped type=\"skip-listed\""));
    assert_non_null(strstr(text, "known flake, attempt 1: fail"));
    /* tests: 13 cases and 1 missing; failures: fail; errors: 5 + missing; skipped: n/s, xfail,
     * skip-listed; a known flake is none of them */
    assert_non_null(strstr(text, "tests=\"14\" failures=\"1\" errors=\"6\" skipped=\"3\""));
    free(text);
    if (system("command -v xmllint >/dev/null 2>&1") != 0) {
        skip(); /* libxml2-utils (cmake/bootstrap.sh installs it) */
        return;
    }
    const char *src = getenv("BLSVK_SOURCE_DIR");
    snprintf(cmd, sizeof cmd, "xmllint --noout --schema '%s/docs/schemas/junit.xsd' '%s' 2>/dev/null", src ? src : ".",
             path);
    assert_int_equal(system(cmd), 0);
    /* And the schema does reject what Jenkins rejects: a testsuite without its counts. */
    char bad[512];
    tmp_path(bad, sizeof bad, "bad-junit.xml");
    write_text(bad, "<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"x\" tests=\"1\"><testcase name=\"a\"/>"
                    "</testsuite></testsuites>\n");
    snprintf(cmd, sizeof cmd, "xmllint --noout --schema '%s/docs/schemas/junit.xsd' '%s' 2>/dev/null", src ? src : ".",
             bad);
    assert_int_not_equal(system(cmd), 0);
    bv_report_set_destroy(set);
}

static void html_is_self_contained(void **state)
{
    char path[512];
    bv_report_set *set = full_set();
    bv_error err;
    (void)state;
    tmp_path(path, sizeof path, "report.html");
    assert_int_equal(bv_report_write_html(path, set, &err), BV_OK);
    char *text = read_text(path);
    assert_non_null(strstr(text, "<span id=\"verdict\" class=\"badge\">FAIL</span>"));
    assert_non_null(strstr(text, "Content-Security-Policy"));
    assert_non_null(strstr(text, "<svg class=\"chart\""));
    assert_non_null(strstr(text, "class=\"bound\"")); /* the run has a copy bound */
    assert_non_null(strstr(text, "<mark>"));          /* the differing limb */
    assert_non_null(strstr(text, "&lt;&amp;&gt;"));
    /* Nothing to fetch: no src or href to another file, no URL but the SVG namespace. */
    assert_null(strstr(text, "src="));
    assert_null(strstr(text, "<link"));
    assert_null(strstr(text, "@import"));
    for (const char *p = strstr(text, "http"); p; p = strstr(p + 1, "http"))
        if (strncmp(p, "http://www.w3.org/2000/svg", 26) != 0 && strncmp(p, "http-equiv", 10) != 0)
            fail_msg("an address in report.html: %.60s", p);
    for (const char *p = strstr(text, "href=\""); p; p = strstr(p + 1, "href=\""))
        assert_int_equal(p[6], '#');
    free(text);

    /* Without bounds, no bound line, and the page says so. */
    set->dev[0]->bounds = (bv_report_bounds){0};
    assert_int_equal(bv_report_write_html(path, set, &err), BV_OK);
    text = read_text(path);
    assert_null(strstr(text, "class=\"bound\""));
    assert_non_null(strstr(text, "did not measure"));
    free(text);
    bv_report_set_destroy(set);
}

static void markdown_lists_failures_first(void **state)
{
    char path[512];
    bv_report_set *set = full_set();
    bv_error err;
    (void)state;
    tmp_path(path, sizeof path, "summary.md");
    assert_int_equal(bv_report_write_markdown(path, set, &err), BV_OK);
    char *text = read_text(path);
    char *fails = strstr(text, "## New failures (6, 6 causes)");
    char *table = strstr(text, "## Results by field, op, variant and mode");
    assert_non_null(fails);
    assert_non_null(table);
    assert_true(fails < table);
    assert_true(strstr(text, "## Flakes (1)") < table);
    assert_non_null(strstr(text, "## Expected failures (1)"));
    assert_non_null(strstr(text, "## Unexpected passes (1)"));
    assert_non_null(strstr(text, "## Known flakes (1)"));
    assert_non_null(strstr(text, "## Skipped by --skips (1)"));
    assert_non_null(strstr(text, "## Missing (1)"));
    assert_non_null(strstr(text, "blsvk eval --in /tmp/replays/fp.mul.u32.persistent.random.4099.json"));
    assert_non_null(strstr(text, "--device 00112233-4455-6677-8899-aabbccddeeff"));
    assert_non_null(strstr(text, "4099 elements differ \\| <&>"));
    /* The driver's stray byte becomes U+FFFD: the file stays UTF-8. */
    assert_non_null(strstr(text, "4099 elements differ \\| <&> \"q\" \x01 \xef\xbf\xbd"));
    assert_non_null(strstr(text, "| fp | add | u32 | persistent | 1 | 1 | 0 |"));
    free(text);
    bv_report_set_destroy(set);
}

/* What bv_report_md_cell makes of s, NUL-terminated. */
static char *md_cell(const char *s)
{
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    assert_non_null(f);
    bv_report_md_cell(f, s);
    assert_int_equal(fclose(f), 0);
    return out;
}

static void md_cell_keeps_the_table_whole(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain text", "plain text"},
        {"a|b||c", "a\\|b\\|\\|c"},              /* a pipe would end the cell */
        {"line 1\nline 2\r\nend", "line 1 line 2  end"}, /* a line break would end the row */
        {"`code` stays", "`code` stays"},         /* the caller's code spans */
        {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
        {"bad \xff byte", "bad \xef\xbf\xbd byte"},
        {"overlong \xc0\xaf", "overlong \xef\xbf\xbd\xef\xbf\xbd"},
        {"surrogate \xed\xa0\x80!", "surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!"},
        {"cut \xe2\x82", "cut \xef\xbf\xbd\xef\xbf\xbd"},
        {"", ""},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = md_cell(cases[i].in);
        assert_string_equal(got, cases[i].out);
        free(got);
    }
    char *got = md_cell(NULL);
    assert_string_equal(got, "");
    free(got);
}

/* --- comparisons ----------------------------------------------------------------------- */

/* n repetitions around `median`, spread +-spread (fraction) in a fixed zig-zag. */
static void make_samples(bv_stats *st, double median, double spread, uint32_t n)
{
    double v[BV_STATS_MAX_SAMPLES];
    for (uint32_t i = 0; i < n; i++)
        v[i] = median * (1 + spread * ((double)((i * 7) % n) / (n > 1 ? n - 1 : 1) * 2 - 1));
    bv_stats_of(v, n, st);
}

static void compare_ratio_calls_only_what_is_outside_the_noise(void **state)
{
    bv_report_compare_opts o;
    bv_stats a, b;
    bv_report_ratio r;
    (void)state;
    bv_report_compare_defaults(&o);
    assert_true(o.max_slowdown == 0.10 && o.min_reps == 5);
    make_samples(&a, 100e3, 0.05, 9);
    assert_int_equal(a.nsamples, 9);

    /* 2% slower with 5% noise: inside the thresholds, the interval holding the ratio. */
    make_samples(&b, 102e3, 0.05, 9);
    bv_report_compare_ratio(&r, &a, &b, &o);
    assert_int_equal(r.verdict, BV_TIMING_SAME);
    assert_true(fabs(r.ratio - 1.02) < 1e-9);
    assert_true(r.lo <= r.ratio && r.ratio <= r.hi && r.lo < 1.1);

    /* Twice as slow: the whole interval past 10%: a regression. */
    make_samples(&b, 200e3, 0.05, 9);
    bv_report_compare_ratio(&r, &a, &b, &o);
    assert_int_equal(r.verdict, BV_TIMING_SLOWER);
    assert_true(r.lo > 1.1 && r.hi < 2.5);
    /* Half the time: faster, never a regression. */
    make_samples(&b, 50e3, 0.05, 9);
    bv_report_compare_ratio(&r, &a, &b, &o);
    assert_int_equal(r.verdict, BV_TIMING_FASTER);

    /* 15% slower by the medians, but noise of +-60%: the interval reaches below 1.1, not called. */
    make_samples(&a, 100e3, 0.6, 9);
    make_samples(&b, 115e3, 0.6, 9);
    bv_report_compare_ratio(&r, &a, &b, &o);
    assert_int_equal(r.verdict, BV_TIMING_UNSURE);
    assert_true(r.lo < 1.1 && r.hi > 1.15);
    /* The same ratio is a regression under a threshold of 5% once the noise is small. */
    make_samples(&a, 100e3, 0.01, 9);
    make_samples(&b, 115e3, 0.01, 9);
    o.max_slowdown = 0.05;
    bv_report_compare_ratio(&r, &a, &b, &o);
    assert_int_equal(r.verdict, BV_TIMING_SLOWER);
    o.max_slowdown = 0.20;
    bv_report_compare_ratio(&r, &a, &b, &o);
    assert_int_equal(r.verdict, BV_TIMING_SAME);
    o.max_slowdown = 0.10;

    /* Too few repetitions to say: fewer than --min-reps, or too few for any 95% interval (3
     * against 3 can never reach it), however large the change. */
    make_samples(&a, 100e3, 0.01, 4);
    make_samples(&b, 1000e3, 0.01, 9);
    bv_report_compare_ratio(&r, &a, &b, &o);
    assert_int_equal(r.verdict, BV_TIMING_FEW_REPS);
    assert_true(isnan(r.lo));
    o.min_reps = 3;
    make_samples(&a, 100e3, 0.01, 3);
    make_samples(&b, 1000e3, 0.01, 3);
    bv_report_compare_ratio(&r, &a, &b, &o);
    assert_int_equal(r.verdict, BV_TIMING_FEW_REPS);
    /* 5 against 5 can: the two extreme differences on each side are cut. */
    make_samples(&a, 100e3, 0.01, 5);
    make_samples(&b, 1000e3, 0.01, 5);
    bv_report_compare_ratio(&r, &a, &b, &o);
    assert_int_equal(r.verdict, BV_TIMING_SLOWER);
    /* A record of an older blsvk: no samples, only the summary. */
    b.nsamples = 0;
    bv_report_compare_ratio(&r, &a, &b, &o);
    assert_int_equal(r.verdict, BV_TIMING_NO_SAMPLES);
    assert_true(fabs(r.ratio - 10) < 1e-6);
    assert_string_equal(bv_report_timing_verdict_name(BV_TIMING_FEW_REPS), "too-few-reps");
}

static void timed_case(bv_report_case *c, const char *name, double median)
{
    make_case(c, name, BV_RESULT_PASS);
    make_samples(&c->timing.kernel_ns, median, 0.02, 9);
    c->timing.reps = 9;
}

static bv_report_compare_input *compare_input(const char *label, bv_report *rep)
{
    bv_report_set *set = NULL;
    bv_report_compare_input *in = NULL;
    bv_error err;
    assert_int_equal(bv_report_set_create(&set, &err), BV_OK);
    assert_int_equal(bv_report_set_add(set, rep, &err), BV_OK);
    assert_int_equal(bv_report_compare_wrap(label, set, NULL, &in, &err), BV_OK);
    return in;
}

static void compare_finds_status_changes_and_slowdowns(void **state)
{
    static const char *const names[] = {
        "fr.add.u32.persistent.random.4099", "fr.sub.u32.persistent.random.4099", "fr.mul.u32.persistent.random.4099",
        "fr.neg.u32.persistent.random.4099", "fr.dbl.u32.persistent.random.4099", "fr.sqr.u32.persistent.random.4099",
        "fp.add.u32.persistent.random.4099", "fp.mul.u32.persistent.random.4099",
    };
    bv_report *a = NULL, *b = NULL;
    bv_report_case c;
    bv_error err;
    (void)state;
    assert_int_equal(bv_report_create(&a, &err), BV_OK);
    assert_int_equal(bv_report_create(&b, &err), BV_OK);
    make_run(&a->run, uuid_a, 1, 1);
    make_run(&b->run, uuid_a, 1, 1);
    snprintf(b->run.device.driver_version_str, sizeof b->run.device.driver_version_str, "1.2.4");
    /* A: add passes, sub passes, mul fails, neg passes (gone in B), dbl fails, sqr and fp.add pass. */
    timed_case(&c, names[0], 100e3);
    assert_int_equal(bv_report_put_case(a, &c, &err), BV_OK);
    timed_case(&c, names[1], 100e3);
    assert_int_equal(bv_report_put_case(a, &c, &err), BV_OK);
    make_case(&c, names[2], BV_RESULT_FAIL);
    assert_int_equal(bv_report_put_case(a, &c, &err), BV_OK);
    timed_case(&c, names[3], 100e3);
    assert_int_equal(bv_report_put_case(a, &c, &err), BV_OK);
    make_case(&c, names[4], BV_RESULT_FAIL);
    assert_int_equal(bv_report_put_case(a, &c, &err), BV_OK);
    timed_case(&c, names[5], 100e3);
    assert_int_equal(bv_report_put_case(a, &c, &err), BV_OK);
    timed_case(&c, names[6], 100e3);
    assert_int_equal(bv_report_put_case(a, &c, &err), BV_OK);
    /* B: add 3x slower with a new kernel, sub now fails, mul passes, dbl times out, sqr 3% slower,
     * fp.add not supported now, fp.mul new and failing. */
    timed_case(&c, names[0], 300e3);
    c.kernel_sha256[0] = 'f';
    assert_int_equal(bv_report_put_case(b, &c, &err), BV_OK);
    make_case(&c, names[1], BV_RESULT_FAIL);
    assert_int_equal(bv_report_put_case(b, &c, &err), BV_OK);
    timed_case(&c, names[2], 100e3);
    assert_int_equal(bv_report_put_case(b, &c, &err), BV_OK);
    make_case(&c, names[4], BV_RESULT_TIMEOUT);
    snprintf(c.reason, sizeof c.reason, "waited 300 ms");
    assert_int_equal(bv_report_put_case(b, &c, &err), BV_OK);
    timed_case(&c, names[5], 103e3);
    assert_int_equal(bv_report_put_case(b, &c, &err), BV_OK);
    make_case(&c, names[6], BV_RESULT_NOT_SUPPORTED);
    assert_int_equal(bv_report_put_case(b, &c, &err), BV_OK);
    make_case(&c, names[7], BV_RESULT_FAIL);
    assert_int_equal(bv_report_put_case(b, &c, &err), BV_OK);

    bv_report_compare_opts o;
    bv_report_compare_defaults(&o);
    bv_report_comparison *cmp = NULL;
    assert_int_equal(bv_report_compare(compare_input("A", a), compare_input("B", b), &o, &cmp, &err), BV_OK);
    assert_true(cmp->regression);
    assert_int_equal(cmp->counts[BV_CHANGE_NEW_FAILURE], 1);
    assert_int_equal(cmp->counts[BV_CHANGE_NEW_PASS], 1);
    assert_int_equal(cmp->counts[BV_CHANGE_STATUS], 2); /* fail -> timeout, pass -> not-supported */
    assert_int_equal(cmp->counts[BV_CHANGE_APPEARED], 1);
    assert_int_equal(cmp->counts[BV_CHANGE_DISAPPEARED], 1);
    assert_int_equal(cmp->new_failures, 2); /* sub, and fp.mul that appeared failing */
    /* Regressions first: the new failure, then the case that appeared failing. */
    assert_int_equal(cmp->changes[0].kind, BV_CHANGE_NEW_FAILURE);
    assert_string_equal(cmp->changes[0].name, names[1]);
    assert_int_equal(cmp->changes[0].a->status, BV_RESULT_PASS);
    assert_int_equal(cmp->changes[0].b->status, BV_RESULT_FAIL);
    assert_int_equal(cmp->changes[1].kind, BV_CHANGE_APPEARED);
    assert_null(cmp->changes[1].a);
    for (size_t i = 0; i < cmp->nchanges; i++)
        if (strcmp(cmp->changes[i].name, names[4]) == 0) {
            assert_int_equal(cmp->changes[i].kind, BV_CHANGE_STATUS);
            assert_false(cmp->changes[i].regression);
            assert_string_equal(cmp->changes[i].b->reason, "waited 300 ms");
        }
    /* Timings of cases that passed on both sides: add (slower, kernel changed), sqr (same). */
    assert_int_equal(cmp->ntimings, 2);
    assert_int_equal(cmp->slowdowns, 1);
    assert_string_equal(cmp->timings[0].name, names[0]);
    assert_int_equal(cmp->timings[0].r.verdict, BV_TIMING_SLOWER);
    assert_true(cmp->timings[0].module_changed);
    assert_string_equal(cmp->timings[0].group, "fr.add");
    assert_int_equal(cmp->timings[1].r.verdict, BV_TIMING_SAME);
    /* What else differs: the driver, and the module of fr.add.u32. */
    bool driver = false, module = false;
    for (size_t i = 0; i < cmp->nenv; i++) {
        driver |= strcmp(cmp->env[i].what, "driver") == 0 && strcmp(cmp->env[i].b, "testdrv 1.2.4") == 0;
        module |= strcmp(cmp->env[i].what, "module fr.add.u32") == 0;
    }
    assert_true(driver);
    assert_true(module);

    /* The writers: Markdown, self-contained HTML with the regression first, JSON that reads back. */
    char path[512];
    tmp_path(path, sizeof path, "compare.md");
    assert_int_equal(bv_report_compare_write_markdown(path, cmp, &err), BV_OK);
    char *text = read_text(path);
    assert_non_null(strstr(text, "| **new-failure** | `fr.sub.u32.persistent.random.4099` | pass |"));
    assert_non_null(strstr(text, "\\| <&>")); /* a reason's '|' kept inside its cell */
    free(text);
    tmp_path(path, sizeof path, "compare.html");
    assert_int_equal(bv_report_compare_write_html(path, cmp, &err), BV_OK);
    text = read_text(path);
    assert_non_null(strstr(text, "class=\"badge\">REGRESSION"));
    assert_true(strstr(text, "<h3>fr.add</h3>") < strstr(text, "<h3>fr.sqr</h3>"));
    assert_null(strstr(text, "src="));
    assert_non_null(strstr(text, "&lt;&amp;&gt;")); /* a reason escaped */
    free(text);
    tmp_path(path, sizeof path, "compare.json");
    assert_int_equal(bv_report_compare_write_json(path, cmp, &err), BV_OK);
    bv_json *doc = NULL;
    assert_int_equal(bv_json_parse_file(path, &doc, &err), BV_OK);
    assert_string_equal(bv_json_string(bv_json_get(doc, "format")), "blsvk-compare/1");
    assert_string_equal(bv_json_string(bv_json_get(doc, "verdict")), "regression");
    assert_int_equal(bv_json_len(bv_json_get(doc, "timings")), 2);
    bv_json_free(doc);
    FILE *devnull = fopen("/dev/null", "w");
    assert_non_null(devnull);
    assert_int_equal(bv_report_compare_write_text(devnull, cmp, 2, &err), BV_OK);
    fclose(devnull);
    bv_report_comparison_destroy(cmp);
}

static void compare_reads_samples_and_old_files(void **state)
{
    char path[512];
    bv_stats st, back;
    bv_error err;
    (void)state;
    /* A stats record keeps its first 64 repetitions in the order they ran. */
    double v[80];
    for (int i = 0; i < 80; i++)
        v[i] = 80 - i;
    bv_stats_of(v, 80, &st);
    assert_int_equal(st.n, 80);
    assert_int_equal(st.nsamples, BV_STATS_MAX_SAMPLES);
    assert_true(st.samples[0] == 80 && st.samples[63] == 17);
    tmp_path(path, sizeof path, "stats.json");
    FILE *f = fopen(path, "w");
    bv_json_writer *w = NULL;
    assert_non_null(f);
    assert_int_equal(bv_json_writer_create(f, false, &w, &err), BV_OK);
    bv_json_obj_begin(w);
    bv_stats_write_json(w, "ns", &st);
    bv_json_obj_end(w);
    assert_int_equal(bv_json_writer_finish(w, &err), BV_OK);
    fclose(f);
    bv_json *doc = NULL;
    assert_int_equal(bv_json_parse_file(path, &doc, &err), BV_OK);
    bv_stats_read_json(bv_json_get(doc, "ns"), &back);
    assert_int_equal(back.nsamples, 64);
    assert_memory_equal(back.samples, st.samples, sizeof st.samples);
    bv_json_free(doc);
    /* Without "samples" (an older blsvk): read as none. */
    static const char old[] = "{\"median\":5,\"p10\":4,\"p90\":6,\"min\":4,\"n\":9}";
    assert_int_equal(bv_json_parse(old, strlen(old), &doc, &err), BV_OK);
    bv_stats_read_json(doc, &back);
    assert_int_equal(back.n, 9);
    assert_int_equal(back.nsamples, 0);
    bv_json_free(doc);

    /* A bench file reads; one without entries is an error naming it. */
    tmp_path(path, sizeof path, "bench.json");
    write_text(path, "{\"format\":\"blsvk-bench/1\",\"git_revision\":\"abc\",\"device\":{\"name\":\"X\"},\"entries\":"
                     "[{\"kind\":\"resident\",\"name\":\"fr.mul.u32\",\"mode\":\"resident\",\"size\":1024,\"jobs\":1,"
                     "\"ns\":{\"median\":5,\"p10\":4,\"p90\":6,\"min\":4,\"n\":5,\"samples\":[5,4,6,5,5]},"
                     "\"verified\":true,\"note\":\"\"}]}\n");
    bv_report_compare_input *a = NULL, *b = NULL;
    assert_int_equal(bv_report_compare_read(path, &a, &err), BV_OK);
    assert_non_null(a->bench);
    assert_int_equal(a->bench->n, 1);
    assert_int_equal(a->bench->entries[0].ns.nsamples, 5);
    assert_int_equal(bv_report_compare_read(path, &b, &err), BV_OK);
    bv_report_compare_opts o;
    bv_report_compare_defaults(&o);
    bv_report_comparison *cmp = NULL;
    assert_int_equal(bv_report_compare(a, b, &o, &cmp, &err), BV_OK);
    assert_false(cmp->regression);
    assert_int_equal(cmp->ntimings, 1);
    assert_string_equal(cmp->timings[0].name, "resident fr.mul.u32 resident 1024");
    assert_int_equal(cmp->timings[0].r.verdict, BV_TIMING_SAME);
    bv_report_comparison_destroy(cmp);
    write_text(path, "{\"format\":\"blsvk-bench/1\",\"device\":{}}\n");
    assert_int_equal(bv_report_compare_read(path, &a, &err), BV_ERR_PARSE);
    assert_non_null(strstr(err.msg, "bench.json: no entries array"));
    tmp_path(path, sizeof path, "nowhere");
    assert_int_equal(bv_report_compare_read(path, &a, &err), BV_ERR_IO);
    assert_non_null(strstr(err.msg, "nowhere"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_names_round_trip),
        cmocka_unit_test(baseline_parses_and_matches),
        cmocka_unit_test(attempts_resolve_to_flake_and_baseline_statuses),
        cmocka_unit_test(results_json_validates_and_reads_back),
        cmocka_unit_test(unknown_names_are_errors),
        cmocka_unit_test(log_survives_a_cut_line_and_resumes),
        cmocka_unit_test(merge_interleaves_shards_and_finds_gaps),
        cmocka_unit_test(junit_validates_against_the_xsd),
        cmocka_unit_test(html_is_self_contained),
        cmocka_unit_test(markdown_lists_failures_first),
        cmocka_unit_test(md_cell_keeps_the_table_whole),
        cmocka_unit_test(globs_select_recipe_cases),
        cmocka_unit_test(lists_take_reasons_after_a_hash),
        cmocka_unit_test(failures_group_by_cause),
        cmocka_unit_test(csv_and_baseline_from_a_run),
        cmocka_unit_test(merge_names_a_missing_shards_cases),
        cmocka_unit_test(compare_ratio_calls_only_what_is_outside_the_noise),
        cmocka_unit_test(compare_finds_status_changes_and_slowdowns),
        cmocka_unit_test(compare_reads_samples_and_old_files),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
