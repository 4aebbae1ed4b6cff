/* reports/report_baseline.c: lists of case-name globs and what they decide: the glob grammar
 * of case names, the list files (--baseline, --skips, --flakes, --caselist), a case's attempts
 * and the final status they come to (Flake, KnownFlake, ExpectedFail, UnexpectedPass), and a
 * baseline written from a run's failures. */
#define _GNU_SOURCE
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "bv_report.h"
#include "bv_sha256.h"

bool bv_report_glob_match(const char *glob, const char *name)
{
    /* An exact name (no wildcard, no escape) selects that case only: a string compare, which
     * also keeps a case list of thousands of names fast. */
    if (!strpbrk(glob, "*?[\\"))
        return strcmp(glob, name) == 0;
    if (fnmatch(glob, name, 0) == 0)
        return true;
    /* A recipe case, <kernel>+<recipe>.<rest>, is also matched as the plain case of its kernel,
     * so that a glob written for a kernel (fr.add.u32.*) selects its recipe cases too. */
    const char *p = name;
    for (int dots = 0; p && dots < 2; dots++)
        p = strchr(p, '.') ? strchr(p, '.') + 1 : NULL;
    const char *end = p ? strchr(p, '.') : NULL, *plus = p ? strchr(p, '+') : NULL;
    if (!plus || !end || plus > end)
        return false;
    char plain[256];
    if (snprintf(plain, sizeof plain, "%.*s%s", (int)(plus - name), name, end) >= (int)sizeof plain)
        return false;
    return fnmatch(glob, plain, 0) == 0;
}

void bv_report_baseline_destroy(bv_report_baseline *bl)
{
    if (!bl)
        return;
    free(bl->entries);
    free(bl);
}

/* Parses the text of a list; errors say "line N: ...". A line is a glob, then (after white
 * space, and an optional '#') its reason; with reasons forbidden (a case list) only a '#'
 * comment may follow the glob. */
static bv_status parse_list(bv_report_baseline *bl, char *text, bool reasons, bv_error *err)
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
        bool comment = *s == '#';
        if (comment)
            for (s++; isspace((unsigned char)*s); s++)
                ;
        if (reasons && !*s)
            return bv_error_set(err, BV_ERR_PARSE,
                                "line %u: '%s' has no reason (write '<glob> <why>' or '<glob>  # <why>')", line, pat);
        if (!reasons && *s && !comment)
            return bv_error_set(err, BV_ERR_PARSE,
                                "line %u: one case name or glob a line, not '%s %s' (a comment starts with '#')", line,
                                pat, s);
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

bv_status bv_report_list_load(const char *path, bool reasons, bv_report_baseline **out, bv_error *err)
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
        st = bv_error_set(err, BV_ERR_PARSE, "%s: a NUL byte: not a text file", path);
        goto fail;
    }
    snprintf(bl->path, sizeof bl->path, "%s", path);
    bv_sha256_hex(bl->sha256, text, len);
    st = parse_list(bl, text, reasons, err);
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

bv_status bv_report_baseline_load(const char *path, bv_report_baseline **out, bv_error *err)
{
    return bv_report_list_load(path, true, out, err);
}

bv_report_baseline_entry *bv_report_baseline_match(const bv_report_baseline *bl, const char *name)
{
    for (size_t i = 0; bl && i < bl->n; i++)
        if (bv_report_glob_match(bl->entries[i].pattern, name))
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

void bv_report_case_resolve(bv_report_case *c, bv_report_baseline_entry *e, const bv_report_baseline_entry *flake)
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
    } else if (flake && bv_report_status_is_failure(first) && first != BV_RESULT_SKIPPED) {
        /* A known flake that failed every attempt: said, never a failure of the run. Before the
         * baseline: the flakes list says more about the case than "known to fail". */
        char why[sizeof c->reason];
        snprintf(why, sizeof why, "known flake (line %u: %s); failed %u attempt%s; first: %s: %s", flake->line,
                 flake->reason, c->nattempts ? c->nattempts : 1, c->nattempts > 1 ? "s" : "",
                 bv_report_status_name(first), c->reason);
        snprintf(c->reason, sizeof c->reason, "%s", why);
        c->status = BV_RESULT_KNOWN_FLAKE;
    }
    c->baseline_pattern[0] = c->baseline_reason[0] = '\0';
    if (!e || c->status == BV_RESULT_KNOWN_FLAKE)
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
    /* --skips and --flakes: the cases each entry lists (the first that matches, as the runner
     * took them). */
    bv_report_baseline *lists[] = {rep->skips, rep->flakes};
    for (size_t l = 0; l < 2; l++) {
        for (size_t i = 0; lists[l] && i < lists[l]->n; i++)
            lists[l]->entries[i].matched = 0;
        for (size_t i = 0; lists[l] && i < rep->ncases; i++) {
            bv_report_baseline_entry *e = bv_report_baseline_match(lists[l], rep->cases[i].name);
            if (e)
                e->matched++;
        }
    }
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

/* --- a baseline from a run ----------------------------------------------------------------- */

/* A case's kernel, "<field>.<op>.<limbs>": the glob <kernel>.* selects all its cases, those of
 * every spirv-opt recipe too. */
static void kernel_of(const bv_report_case *c, char *buf, size_t n)
{
    snprintf(buf, n, "%s.%s.%s", bv_ref_family_name(c->family), bv_ref_op_name(c->op), bv_limbs_name(c->limbs));
}

/* What a baseline line says of a failure: its status and the first line of its reason, short
 * enough for the entry's reason field. */
static void entry_reason(char *buf, size_t n, const char *prefix, const bv_report_case *c)
{
    bv_report_status s = c->status == BV_RESULT_EXPECTED_FAIL ? c->observed : c->status;
    size_t k = (size_t)snprintf(buf, n, "%s%s: ", prefix, bv_report_status_name(s));
    for (const char *r = c->reason; *r && *r != '\n' && k + 1 < n && k < 200; r++)
        buf[k++] = *r == '\r' || *r == '\t' ? ' ' : *r;
    /* The list reader drops trailing blanks, so a cut that ends on one would not read back equal. */
    while (k > 0 && buf[k - 1] == ' ')
        k--;
    buf[k < n ? k : n - 1] = '\0';
}

/* Whether the run has a case of this kernel that is neither a failure to list nor unrun. */
static bool kernel_all_failed(const bv_report *rep, const char *kernel, size_t *count)
{
    char k[64];
    *count = 0;
    for (size_t i = 0; i < rep->ncases; i++) {
        const bv_report_case *c = &rep->cases[i];
        kernel_of(c, k, sizeof k);
        if (strcmp(k, kernel) != 0)
            continue;
        if (!(bv_report_status_is_failure(c->status) && c->status != BV_RESULT_SKIPPED) ||
            c->baseline_pattern[0])
            return false;
        (*count)++;
    }
    return true;
}

static bool listed_before(const bv_report *rep, size_t upto, const char *pattern)
{
    for (size_t i = 0; i < upto; i++)
        if (strcmp(rep->cases[i].baseline_pattern, pattern) == 0)
            return true;
    return false;
}

bv_status bv_report_write_baseline(FILE *f, const bv_report *rep, const char *source, bv_error *err)
{
    const bv_report_run *r = &rep->run;
    char kernel[64], reason[300];
    size_t entries = 0;
    fprintf(f, "# Known failures of %s, driver %s %s (Vulkan %s), from the run %s (%s).\n", r->device.name,
            r->device.driver_name, r->device.driver_version_str, r->device.api_version_str, r->run_id, source);
    fputs("# One case-name glob and the reason a line; blsvk run --baseline FILE makes the listed cases\n"
          "# expected-fail (docs/report-format.md, Baselines). Edit the reasons: say why each fails.\n",
          f);
    for (size_t i = 0; i < rep->ncases; i++) {
        const bv_report_case *c = &rep->cases[i];
        size_t count;
        /* An entry of the baseline the run had, that still fails: kept as it was written. */
        if (c->status == BV_RESULT_EXPECTED_FAIL && c->baseline_pattern[0]) {
            if (!listed_before(rep, i, c->baseline_pattern)) {
                fprintf(f, "%s  # %s\n", c->baseline_pattern, c->baseline_reason);
                entries++;
            }
            continue;
        }
        /* Skipped never ran: nothing is known of it. */
        if (!bv_report_status_is_failure(c->status) || c->status == BV_RESULT_SKIPPED)
            continue;
        kernel_of(c, kernel, sizeof kernel);
        if (kernel_all_failed(rep, kernel, &count) && count > 1) {
            /* A kernel that failed in every case it ran is one entry; written at its first case. */
            bool first = true;
            for (size_t j = 0; j < i && first; j++) {
                char kj[64];
                kernel_of(&rep->cases[j], kj, sizeof kj);
                first = strcmp(kj, kernel) != 0;
            }
            if (first) {
                char prefix[64];
                snprintf(prefix, sizeof prefix, "all %zu cases ", count);
                entry_reason(reason, sizeof reason, prefix, c);
                fprintf(f, "%s.*  # %s\n", kernel, reason);
                entries++;
            }
            continue;
        }
        entry_reason(reason, sizeof reason, "", c);
        fprintf(f, "%s  # %s\n", c->name, reason);
        entries++;
    }
    if (!entries)
        fputs("# (the run had no failures)\n", f);
    if (fflush(f) != 0 || ferror(f))
        return bv_error_set(err, BV_ERR_IO, "cannot write the baseline");
    return BV_OK;
}
