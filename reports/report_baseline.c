/* reports/report_baseline.c: known failures and retries: the baseline file (case-name globs
 * with a reason each), a case's attempts, and the final status they come to (Flake,
 * ExpectedFail, UnexpectedPass). */
#define _GNU_SOURCE
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "bv_report.h"
#include "bv_sha256.h"

void bv_report_baseline_destroy(bv_report_baseline *bl)
{
    if (!bl)
        return;
    free(bl->entries);
    free(bl);
}

/* Parses the text of a baseline; errors say "line N: ...". */
static bv_status parse_baseline(bv_report_baseline *bl, char *text, bv_error *err)
{
    size_t cap = 0;
    unsigned line = 0;
    /* strtok_r would merge empty lines and so miscount them: split by hand. */
    for (char *p = text; p && *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        char *s = p;
        p = nl ? nl + 1 : NULL;
        line++;
        size_t len = strlen(s);
        while (len && isspace((unsigned char)s[len - 1]))
            s[--len] = '\0';
        while (isspace((unsigned char)*s))
            s++;
        if (!*s || *s == '#')
            continue;
        char *pat = s;
        while (*s && !isspace((unsigned char)*s))
            s++;
        if (*s)
            *s++ = '\0';
        while (isspace((unsigned char)*s))
            s++;
        if (!*s)
            return bv_error_set(err, BV_ERR_PARSE, "line %u: '%s' has no reason (write '<glob> <why it fails>')", line,
                                pat);
        if (strlen(pat) >= sizeof bl->entries[0].pattern)
            return bv_error_set(err, BV_ERR_PARSE, "line %u: pattern longer than %zu characters", line,
                                sizeof bl->entries[0].pattern - 1);
        bv_status st = bv_array_reserve(&bl->entries, &cap, bl->n + 1, sizeof *bl->entries, err);
        if (st)
            return st;
        bv_report_baseline_entry *e = &bl->entries[bl->n++];
        memset(e, 0, sizeof *e);
        snprintf(e->pattern, sizeof e->pattern, "%s", pat);
        snprintf(e->reason, sizeof e->reason, "%s", s);
        e->line = line;
    }
    return BV_OK;
}

bv_status bv_report_baseline_load(const char *path, bv_report_baseline **out, bv_error *err)
{
    char *text = NULL;
    size_t len = 0;
    bv_report_baseline *bl = calloc(1, sizeof *bl);
    bv_status st;
    *out = NULL;
    if (!bl)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    st = bv_file_read_all(path, &text, &len, err);
    if (st)
        goto fail;
    if (strlen(text) != len) {
        st = bv_error_set(err, BV_ERR_PARSE, "%s: a NUL byte: not a baseline text file", path);
        goto fail;
    }
    snprintf(bl->path, sizeof bl->path, "%s", path);
    bv_sha256_hex(bl->sha256, text, len);
    st = parse_baseline(bl, text, err);
    if (st) {
        bv_error_prefix(err, "%s", path);
        goto fail;
    }
    free(text);
    *out = bl;
    return BV_OK;
fail:
    free(text);
    bv_report_baseline_destroy(bl);
    return st;
}

bv_report_baseline_entry *bv_report_baseline_match(const bv_report_baseline *bl, const char *name)
{
    for (size_t i = 0; bl && i < bl->n; i++)
        if (fnmatch(bl->entries[i].pattern, name, 0) == 0)
            return &bl->entries[i];
    return NULL;
}

bv_status bv_report_case_add_attempt(bv_report_case *c, const bv_report_case *attempt, bv_error *err)
{
    if (c->nattempts == 0 && c != attempt) {
        *c = *attempt;
        c->nattempts = 0;
    }
    if (c->nattempts == BV_REPORT_MAX_ATTEMPTS)
        return bv_error_set(err, BV_ERR_OVERFLOW, "%s: more than %d attempts", c->name, BV_REPORT_MAX_ATTEMPTS);
    bv_report_attempt *a = &c->attempts[c->nattempts++];
    memset(a, 0, sizeof *a);
    a->status = attempt->status;
    a->mismatches = attempt->mismatches;
    a->seconds = attempt->seconds;
    snprintf(a->reason, sizeof a->reason, "%.*s", (int)sizeof a->reason - 1, attempt->reason);
    if (c->nattempts == 1)
        c->observed = attempt->status;
    return BV_OK;
}

bool bv_report_case_should_retry(const bv_report_case *c, unsigned retries)
{
    if (c->nattempts == 0 || c->nattempts > retries || c->nattempts >= BV_REPORT_MAX_ATTEMPTS)
        return false;
    /* Skipped never ran, so running it again is no retry; everything else that failed may
     * have failed by chance. */
    bv_report_status s = c->attempts[c->nattempts - 1].status;
    return bv_report_status_is_failure(s) && s != BV_RESULT_SKIPPED;
}

void bv_report_case_resolve(bv_report_case *c, bv_report_baseline_entry *e)
{
    if (c->nattempts == 0)
        c->observed = c->status;
    bv_report_status first = c->nattempts ? c->attempts[0].status : c->status;
    unsigned passed_on = 0;
    for (unsigned k = 1; k < c->nattempts && !passed_on; k++)
        if (c->attempts[k].status == BV_RESULT_PASS)
            passed_on = k + 1;
    c->status = first;
    if (bv_report_status_is_failure(first) && passed_on) {
        char why[sizeof c->reason];
        snprintf(why, sizeof why, "passed on attempt %u of %u; first: %s", passed_on, c->nattempts, c->reason);
        snprintf(c->reason, sizeof c->reason, "%s", why);
        c->status = BV_RESULT_FLAKE;
    }
    c->baseline_pattern[0] = c->baseline_reason[0] = '\0';
    if (!e)
        return;
    snprintf(c->baseline_pattern, sizeof c->baseline_pattern, "%s", e->pattern);
    snprintf(c->baseline_reason, sizeof c->baseline_reason, "%s", e->reason);
    if (bv_report_status_is_failure(c->status))
        c->status = BV_RESULT_EXPECTED_FAIL;
    else if (c->status == BV_RESULT_PASS)
        c->status = BV_RESULT_UNEXPECTED_PASS;
}

void bv_report_count_baseline(bv_report *rep)
{
    bv_report_baseline *bl = rep->baseline;
    for (size_t i = 0; bl && i < bl->n; i++)
        bl->entries[i].matched = 0;
    /* By the entry each case recorded when it was resolved: after a --resume with an edited
     * baseline, that is what the statuses rest on. */
    for (size_t i = 0; bl && i < rep->ncases; i++)
        for (size_t k = 0; rep->cases[i].baseline_pattern[0] && k < bl->n; k++)
            if (strcmp(bl->entries[k].pattern, rep->cases[i].baseline_pattern) == 0) {
                bl->entries[k].matched++;
                break;
            }
}
