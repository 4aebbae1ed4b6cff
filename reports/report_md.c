/* reports/report_md.c: the summaries people read first: summary.md (verdict, failures first
 * with their replay commands, then the table by field, op, variant and mode) and the same
 * summary for a terminal (`blsvk run`, `blsvk report show`). */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

/* A shell word: as it is when it is safe, else in single quotes. */
static void shell_word(char *buf, size_t n, const char *s)
{
    bool safe = *s != '\0';
    for (const char *p = s; *p && safe; p++)
        safe = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:@+,", *p) != NULL;
    if (safe) {
        snprintf(buf, n, "%s", s);
        return;
    }
    size_t k = 0;
    if (k + 1 < n)
        buf[k++] = '\'';
    for (const char *p = s; *p && k + 5 < n; p++) {
        if (*p == '\'') {
            memcpy(buf + k, "'\\''", 4);
            k += 4;
        } else {
            buf[k++] = *p;
        }
    }
    if (k + 1 < n)
        buf[k++] = '\'';
    buf[k < n ? k : n - 1] = '\0';
}

void bv_report_replay_command(const bv_report *rep, const bv_report_case *c, char *buf, size_t n)
{
    char in[2200], kd[2200];
    buf[0] = '\0';
    if (!c->replay[0])
        return;
    shell_word(in, sizeof in, c->replay);
    size_t k = (size_t)snprintf(buf, n, "blsvk eval --in %s --out replay-results.json --limbs %s --mode %s", in,
                                bv_limbs_name(c->limbs), bv_mode_name(c->mode));
    /* The same kernel and device as the run, or the replay proves nothing. */
    if (k < n && rep->run.kernel_dir[0]) {
        shell_word(kd, sizeof kd, rep->run.kernel_dir);
        k += (size_t)snprintf(buf + k, n - k, " --kernel-dir %s", kd);
    }
    if (k < n && strcmp(rep->run.memory, "host") == 0)
        k += (size_t)snprintf(buf + k, n - k, " --memory host");
    /* The binding and the module of the case, or the replay runs a different case. */
    if (k < n && (c->set == BV_SET_INPLACE || c->set == BV_SET_SAMEIN))
        k += (size_t)snprintf(buf + k, n - k, " --bind %s", bv_case_set_name(c->set));
    char recipe[32];
    bv_report_case_recipe(c, recipe, sizeof recipe);
    if (k < n && strcmp(recipe, BV_REPORT_SPIRV_OPT_NONE) != 0)
        k += (size_t)snprintf(buf + k, n - k, " --recipe %s", recipe);
    /* The poison recipe's pattern comes from the run's seed (the name is the kernels module's
     * BV_KERNEL_RECIPE_POISON, a layer above this one). */
    if (k < n && strcmp(recipe, "poison") == 0)
        k += (size_t)snprintf(buf + k, n - k, " --seed %llu", (unsigned long long)(rep->run.seed ? rep->run.seed : 1));
    if (k < n && rep->run.device.uuid_str[0])
        snprintf(buf + k, n - k, " --device %s", rep->run.device.uuid_str);
}

static size_t count_status(const bv_report *rep, bv_report_status s)
{
    size_t k = 0;
    for (size_t i = 0; i < rep->ncases; i++)
        k += rep->cases[i].status == s;
    return k;
}

static size_t count_new_failures(const bv_report *rep)
{
    size_t k = 0;
    for (size_t i = 0; i < rep->ncases; i++)
        k += bv_report_status_is_failure(rep->cases[i].status);
    return k;
}

static void totals_line(FILE *f, const bv_report_summary *s)
{
    fprintf(f, "%zu cases", s->cases);
    const char *sep = ": ";
    for (unsigned k = 0; k < BV_RESULT_COUNT; k++) {
        if (!s->totals[k])
            continue;
        fprintf(f, "%s%zu %s", sep, s->totals[k], bv_report_status_name((bv_report_status)k));
        sep = ", ";
    }
    if (s->missing)
        fprintf(f, "%s%zu missing", sep, s->missing);
}

static const char *set_verdict(const bv_report_set *set)
{
    bool fail = set->nconflicts > 0;
    for (size_t d = 0; d < set->ndev; d++)
        fail |= count_new_failures(set->dev[d]) > 0;
    return fail ? "fail" : bv_report_set_ok(set) ? "pass" : "incomplete";
}

static void upper(char *buf, size_t n, const char *s)
{
    size_t k = 0;
    for (; s[k] && k + 1 < n; k++)
        buf[k] = (char)(s[k] >= 'a' && s[k] <= 'z' ? s[k] - 32 : s[k]);
    buf[k] = '\0';
}

/* --- summary.md ---------------------------------------------------------------------- */

/* A message: on one line as it is; with line breaks, in a fenced block that keeps them (the
 * fence longer than any run of backticks inside). */
static void md_message(FILE *f, const char *s)
{
    if (!strchr(s, '\n')) {
        bv_report_md_cell(f, s);
        fputs("\n\n", f);
        return;
    }
    size_t run = 0, longest = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    size_t fence = longest < 3 ? 3 : longest + 1;
    for (size_t i = 0; i < fence; i++)
        fputc('`', f);
    fputs("text\n", f);
    /* The text as it is, line breaks kept; bytes that are not UTF-8 as U+FFFD (as in a cell). */
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    while (p < end) {
        size_t n = bv_utf8_len(p, (size_t)(end - p));
        if (n == 0 || (*p < 0x20 && *p != '\n' && *p != '\t')) {
            if (*p != '\r')
                fputs("\xef\xbf\xbd", f);
            p++;
            continue;
        }
        fwrite(p, 1, n, f);
        p += n;
    }
    if (end > (const unsigned char *)s && end[-1] != '\n')
        fputc('\n', f);
    for (size_t i = 0; i < fence; i++)
        fputc('`', f);
    fputs("\n\n", f);
}

static void md_mismatch(FILE *f, const bv_report_mismatch *m)
{
    fprintf(f, "- element %zu (`", m->index);
    bv_report_md_cell(f, m->name);
    fputs("`)", f);
    for (unsigned k = 0; k < m->ninputs; k++)
        fprintf(f, "%s %s = `%s`", k ? "," : ":", k ? "y" : "x", m->inputs[k]);
    fprintf(f, "\n  - expected `%s`\n  - got      `%s`\n  - limbs differing (32-bit, little-endian):", m->expected,
            m->got);
    for (unsigned k = 0; k < 32; k++)
        if (m->limb_diff & (1u << k))
            fprintf(f, " %u", k);
    fputc('\n', f);
    if (m->check[0])
        fprintf(f, "  - check failed: %s\n", m->check);
    if (m->expected_point[0])
        fprintf(f, "  - as affine points: expected `%s`, got `%s`\n", m->expected_point, m->got_point);
}

static void md_toolchain(FILE *f, const bv_report *rep)
{
    const bv_report_run *r = &rep->run;
    char fp[17], mfp[17];
    if (bv_report_fingerprint(rep, fp, NULL) != BV_OK)
        snprintf(fp, sizeof fp, "?");
    if (bv_report_modules_fingerprint(rep, mfp, NULL) != BV_OK)
        snprintf(mfp, sizeof mfp, "?");
    fprintf(f, "| toolchain | blsvk %s (%s), glslang %s, SPIRV-Tools %s, spirv-opt %s, Vulkan loader %s; "
               "fingerprint `%s` |\n",
            r->blsvk_version, r->git_revision, r->glslang_version, r->spirv_tools_version, r->spirv_opt,
            r->loader_version, fp);
    if (mfp[0])
        fprintf(f, "| modules | the SPIR-V that ran: fingerprint `%s` (results.json lists each module) |\n", mfp);
}

static void md_device(FILE *f, const bv_report_set *set, size_t d, int level)
{
    const bv_report *rep = set->dev[d];
    const bv_report_run *r = &rep->run;
    bv_report_summary s;
    char hashes[8] = "";
    memset(hashes, '#', (size_t)level < sizeof hashes ? (size_t)level : sizeof hashes - 1);
    bv_report_summarize(rep, &s);

    fputs("| | |\n| --- | --- |\n", f);
    fprintf(f, "| verdict | **%s**: %zu new failure%s, %zu missing |\n", s.verdict, s.new_failures,
            s.new_failures == 1 ? "" : "s", s.missing);
    fputs("| device | ", f);
    bv_report_md_cell(f, r->device.name);
    fprintf(f, " (%s), UUID %s |\n", r->device.device_type_name ? r->device.device_type_name : "?",
            r->device.uuid_str);
    fputs("| driver | ", f);
    bv_report_md_cell(f, r->device.driver_name);
    fprintf(f, " %s (", r->device.driver_version_str);
    bv_report_md_cell(f, r->device.driver_info);
    fprintf(f, "), Vulkan %s |\n", r->device.api_version_str);
    if (r->device.fma_f64[0])
        fprintf(f, "| double fma | %s (%u of %u probe cases gave the fused result%s)%s |\n", r->device.fma_f64,
                r->device.fma_f64_fused, r->device.fma_f64_cases,
                r->device.fma_f64_subnormal_flushed ? "; subnormal results flushed to zero" : "",
                r->device.shader_fma_khr ? ", VK_KHR_shader_fma offered" : "");
    md_toolchain(f, rep);
    char xover[160] = "";
    if (r->memory_crossover)
        snprintf(xover, sizeof xover, " (host-visible up to %llu bytes of arrays a case: %s)",
                 (unsigned long long)r->memory_crossover,
                 strcmp(r->memory_crossover_from, "measured") == 0 ? "measured on this device by blsvk bench"
                 : strcmp(r->memory_crossover_from, "option") == 0 ? "--memory-crossover"
                 : strcmp(r->memory_crossover_from, "unreadable") == 0
                     ? "the default: this device's recorded settings file could not be read"
                     : "the default");
    fprintf(f, "| run | %s, started %s%s%s, suite %s, memory %s%s, seed %llu, shard %u/%u", r->run_id, r->started,
            r->finished[0] ? ", finished " : "", r->finished, r->suite, r->memory, xover, (unsigned long long)r->seed,
            r->shard_index, r->shard_count);
    if (rep->nresumed)
        fprintf(f, ", resumed %zu time%s", rep->nresumed, rep->nresumed == 1 ? "" : "s");
    if (r->retry_failures)
        fprintf(f, ", failures retried up to %u times", r->retry_failures);
    if (r->jobs > 1)
        fprintf(f, ", %u cases at once (timings concurrent: each case shared the device)", r->jobs);
    fputs(" |\n", f);
    if (r->command_line[0]) {
        fputs("| command | `", f);
        bv_report_md_cell(f, r->command_line);
        fputs("` |\n", f);
    }
    const bv_report_baseline *lists[] = {rep->baseline, rep->skips, rep->flakes};
    static const char *const list_names[] = {"baseline", "skips", "flakes"};
    for (size_t l = 0; l < 3; l++) {
        if (!lists[l])
            continue;
        fprintf(f, "| %s | `", list_names[l]);
        bv_report_md_cell(f, lists[l]->path);
        fprintf(f, "` (%zu entries, sha256 %.12s) |\n", lists[l]->n, lists[l]->sha256);
    }
    if (rep->bounds.copy_bytes_per_s > 0 || rep->bounds.h2d_bytes_per_s > 0) {
        char a[32], b[32], c[32];
        rt_si(a, sizeof a, rep->bounds.copy_bytes_per_s > 0 ? rep->bounds.copy_bytes_per_s : NAN);
        rt_si(b, sizeof b, rep->bounds.h2d_bytes_per_s > 0 ? rep->bounds.h2d_bytes_per_s : NAN);
        rt_si(c, sizeof c, rep->bounds.d2h_bytes_per_s > 0 ? rep->bounds.d2h_bytes_per_s : NAN);
        fprintf(f, "| device bounds | copy %sB/s, host to device %sB/s, device to host %sB/s |\n", a, b, c);
    }
    fputs("| cases | ", f);
    totals_line(f, &s);
    fputs(" |\n\n", f);

    /* Failures first: what CI stopped for, each with what it takes to reproduce it; the cases
     * of one cause together, its message once. */
    if (s.new_failures) {
        rt_group *g = NULL;
        size_t ng = 0;
        if (rt_failure_groups(rep, &g, &ng, NULL) != BV_OK)
            ng = 0; /* out of memory: the header says how many, the table below where */
        fprintf(f, "%s New failures (%zu, %zu cause%s)\n\n", hashes, s.new_failures, ng, ng == 1 ? "" : "s");
        for (size_t k = 0; k < ng; k++) {
            const bv_report_case *c = &rep->cases[g[k].cases[0]];
            char replay[2400];
            if (g[k].n == 1) {
                fprintf(f, "%s# `%s`: %s\n\n", hashes, c->name, bv_report_status_name(c->status));
            } else {
                fprintf(f, "%s# %s in %zu cases\n\n", hashes, bv_report_status_name(c->status), g[k].n);
                for (size_t j = 0; j < g[k].n; j++)
                    fprintf(f, "- `%s`\n", rep->cases[g[k].cases[j]].name);
                fprintf(f, "\nThe first, `%s`:\n\n", c->name);
            }
            md_message(f, c->reason);
            for (unsigned m = 0; m < c->nfirst; m++)
                md_mismatch(f, &c->first[m]);
            if (c->nattempts > 1)
                fprintf(f, "- failed all %u attempts\n", c->nattempts);
            fputs("- kernel: `", f);
            bv_report_md_cell(f, c->kernel_source[0] ? c->kernel_source : "none");
            fprintf(f, "` sha256 `%.16s`\n", c->kernel_sha256[0] ? c->kernel_sha256 : "-");
            bv_report_replay_command(rep, c, replay, sizeof replay);
            if (replay[0])
                fprintf(f, "- replay:\n\n  ```sh\n  %s\n  ```\n", replay);
            fputc('\n', f);
        }
        rt_groups_free(g, ng);
    }
    if (s.totals[BV_RESULT_FLAKE]) {
        fprintf(f, "%s Flakes (%zu): failed, then passed when retried\n\n", hashes, s.totals[BV_RESULT_FLAKE]);
        fputs("| case | attempts | first failure |\n| --- | --- | --- |\n", f);
        for (size_t i = 0; i < rep->ncases; i++) {
            const bv_report_case *c = &rep->cases[i];
            if (c->status != BV_RESULT_FLAKE)
                continue;
            fprintf(f, "| `%s` | ", c->name);
            for (unsigned k = 0; k < c->nattempts; k++)
                fprintf(f, "%s%s", k ? ", " : "", bv_report_status_name(c->attempts[k].status));
            fputs(" | ", f);
            bv_report_md_cell(f, c->nattempts ? c->attempts[0].reason : c->reason);
            fputs(" |\n", f);
        }
        fputc('\n', f);
    }
    if (s.totals[BV_RESULT_KNOWN_FLAKE]) {
        fprintf(f, "%s Known flakes (%zu): listed in --flakes, failed every attempt this time\n\n", hashes,
                s.totals[BV_RESULT_KNOWN_FLAKE]);
        fputs("| case | attempts | reason |\n| --- | --- | --- |\n", f);
        for (size_t i = 0; i < rep->ncases; i++) {
            const bv_report_case *c = &rep->cases[i];
            if (c->status != BV_RESULT_KNOWN_FLAKE)
                continue;
            fprintf(f, "| `%s` | ", c->name);
            for (unsigned k = 0; k < c->nattempts; k++)
                fprintf(f, "%s%s", k ? ", " : "", bv_report_status_name(c->attempts[k].status));
            fputs(" | ", f);
            bv_report_md_cell(f, c->reason);
            fputs(" |\n", f);
        }
        fputc('\n', f);
    }
    if (s.totals[BV_RESULT_SKIP_LISTED]) {
        fprintf(f, "%s Skipped by --skips (%zu): never run\n\n", hashes, s.totals[BV_RESULT_SKIP_LISTED]);
        fputs("| case | reason |\n| --- | --- |\n", f);
        for (size_t i = 0; i < rep->ncases; i++) {
            const bv_report_case *c = &rep->cases[i];
            if (c->status != BV_RESULT_SKIP_LISTED)
                continue;
            fprintf(f, "| `%s` | ", c->name);
            bv_report_md_cell(f, c->reason);
            fputs(" |\n", f);
        }
        fputc('\n', f);
    }
    if (s.totals[BV_RESULT_EXPECTED_FAIL]) {
        fprintf(f, "%s Expected failures (%zu): listed in the baseline\n\n", hashes, s.totals[BV_RESULT_EXPECTED_FAIL]);
        fputs("| case | observed | baseline entry | why it is listed |\n| --- | --- | --- | --- |\n", f);
        for (size_t i = 0; i < rep->ncases; i++) {
            const bv_report_case *c = &rep->cases[i];
            if (c->status != BV_RESULT_EXPECTED_FAIL)
                continue;
            fprintf(f, "| `%s` | %s | `", c->name, bv_report_status_name(c->observed));
            bv_report_md_cell(f, c->baseline_pattern);
            fputs("` | ", f);
            bv_report_md_cell(f, c->baseline_reason);
            fputs(" |\n", f);
        }
        fputc('\n', f);
    }
    if (s.totals[BV_RESULT_UNEXPECTED_PASS]) {
        fprintf(f, "%s Unexpected passes (%zu): the baseline lists them, they pass: prune it\n\n", hashes,
                s.totals[BV_RESULT_UNEXPECTED_PASS]);
        fputs("| case | baseline entry | why it was listed |\n| --- | --- | --- |\n", f);
        for (size_t i = 0; i < rep->ncases; i++) {
            const bv_report_case *c = &rep->cases[i];
            if (c->status != BV_RESULT_UNEXPECTED_PASS)
                continue;
            fprintf(f, "| `%s` | `", c->name);
            bv_report_md_cell(f, c->baseline_pattern);
            fputs("` | ", f);
            bv_report_md_cell(f, c->baseline_reason);
            fputs(" |\n", f);
        }
        fputc('\n', f);
    }
    if (rep->baseline) {
        size_t unused = 0;
        for (size_t i = 0; i < rep->baseline->n; i++)
            unused += rep->baseline->entries[i].matched == 0;
        if (unused) {
            fprintf(f, "%s Baseline entries that matched no case (%zu)\n\n", hashes, unused);
            for (size_t i = 0; i < rep->baseline->n; i++)
                if (rep->baseline->entries[i].matched == 0) {
                    fprintf(f, "- line %u: `", rep->baseline->entries[i].line);
                    bv_report_md_cell(f, rep->baseline->entries[i].pattern);
                    fputs("`\n", f);
                }
            fputc('\n', f);
        }
    }
    if (s.missing) {
        fprintf(f, "%s Missing (%zu): planned, never finished\n\n", hashes, s.missing);
        for (size_t p = 0; p < rep->nplanned; p++)
            if (bv_report_is_missing(rep, p))
                fprintf(f, "- `%s`\n", rep->planned[p]);
        fputc('\n', f);
    }

    fprintf(f, "%s Results by field, op, variant and mode\n\n", hashes);
    fputs("| field | op | variant | mode | cases | passed | new failures | other | not supported | best elements/s |\n"
          "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
          f);
    /* One row per field, op, variant (limbs and spirv-opt recipe) and mode, in plan order. */
    bool *done = calloc(rep->ncases ? rep->ncases : 1, sizeof *done);
    for (size_t i = 0; done && i < rep->ncases; i++) {
        const bv_report_case *c = &rep->cases[i];
        char variant[32], recipe[16], rate[32];
        size_t counts[BV_RESULT_COUNT] = {0}, total = 0, nf = 0;
        double best = NAN;
        if (done[i])
            continue;
        bv_report_case_recipe(c, recipe, sizeof recipe);
        bool opt = strcmp(recipe, BV_REPORT_SPIRV_OPT_NONE) != 0;
        snprintf(variant, sizeof variant, "%s%s%s", bv_limbs_name(c->limbs), opt ? "+" : "", opt ? recipe : "");
        for (size_t j = i; j < rep->ncases; j++) {
            const bv_report_case *o = &rep->cases[j];
            char r2[16];
            bv_report_case_recipe(o, r2, sizeof r2);
            if (done[j] || o->family != c->family || o->op != c->op || o->limbs != c->limbs || o->mode != c->mode ||
                strcmp(r2, recipe))
                continue;
            done[j] = true;
            counts[o->status]++;
            total++;
            double orate = rt_case_rate(o);
            if (bv_report_status_is_pass(o->status) && isfinite(orate) && !(orate <= best))
                best = orate;
        }
        for (unsigned k = 0; k < BV_RESULT_COUNT; k++)
            nf += bv_report_status_is_failure((bv_report_status)k) ? counts[k] : 0;
        rt_si(rate, sizeof rate, best);
        fprintf(f, "| %s | %s | %s | %s | %zu | %zu | %s%zu%s | %zu | %zu | %s |\n", bv_ref_family_name(c->family),
                bv_ref_op_name(c->op), variant, bv_mode_name(c->mode), total,
                counts[BV_RESULT_PASS] + counts[BV_RESULT_UNEXPECTED_PASS], nf ? "**" : "", nf, nf ? "**" : "",
                counts[BV_RESULT_FLAKE] + counts[BV_RESULT_EXPECTED_FAIL] + counts[BV_RESULT_UNEXPECTED_PASS] +
                    counts[BV_RESULT_KNOWN_FLAKE] + counts[BV_RESULT_SKIP_LISTED],
                counts[BV_RESULT_NOT_SUPPORTED], rate);
    }
    free(done);
    fputc('\n', f);
}

bv_status bv_report_write_markdown(const char *path, const bv_report_set *set, bv_error *err)
{
    bv_atomic_file af;
    char up[16];
    bv_status st = bv_atomic_open(&af, path, err);
    if (st)
        return st;
    FILE *f = af.f;
    upper(up, sizeof up, set_verdict(set));
    if (!set->merged && set->ndev == 1) {
        fprintf(f, "# blsvk: %s on ", up);
        bv_report_md_cell(f, set->dev[0]->run.device.name);
        fputs("\n\n", f);
        md_device(f, set, 0, 2);
    } else {
        fprintf(f, "# blsvk: %s, %zu device%s merged from %zu run%s\n\n", up, set->ndev, set->ndev == 1 ? "" : "s",
                set->ninputs, set->ninputs == 1 ? "" : "s");
        fputs("| device | verdict | cases | new failures | missing | fingerprint |\n| --- | --- | ---: | ---: | ---: | --- |\n",
              f);
        for (size_t d = 0; d < set->ndev; d++) {
            bv_report_summary s;
            char label[800], fp[17];
            bv_report_summarize(set->dev[d], &s);
            rt_device_label(set->dev[d], label, sizeof label);
            if (bv_report_fingerprint(set->dev[d], fp, NULL) != BV_OK)
                snprintf(fp, sizeof fp, "?");
            fputs("| ", f);
            bv_report_md_cell(f, label);
            fprintf(f, " | %s | %zu | %zu | %zu | `%s` |\n", s.verdict, s.cases, s.new_failures, s.missing, fp);
        }
        fputc('\n', f);
        if (set->nconflicts) {
            fprintf(f, "## Conflicts (%zu): the same case with different verdicts\n\n", set->nconflicts);
            fputs("| device | case | verdicts | runs |\n| --- | --- | --- | --- |\n", f);
            for (size_t i = 0; i < set->nconflicts; i++) {
                const bv_report_conflict *c = &set->conflicts[i];
                fprintf(f, "| %zu | `%s` | %s / %s | ", c->device + 1, c->name, bv_report_status_name(c->a),
                        bv_report_status_name(c->b));
                bv_report_md_cell(f, c->source_a);
                fputs(" / ", f);
                bv_report_md_cell(f, c->source_b);
                fputs(" |\n", f);
            }
            fputc('\n', f);
        }
        if (set->nmissing_shards) {
            fprintf(f, "## Missing shards (%zu)\n\n", set->nmissing_shards);
            for (size_t i = 0; i < set->nmissing_shards; i++)
                fprintf(f, "- device %zu: shard %u/%u never ran\n", set->missing_shards[i].device + 1,
                        set->missing_shards[i].index, set->missing_shards[i].count);
            fputc('\n', f);
        }
        if (set->ndiffs) {
            fprintf(f, "## Toolchain differences (%zu)\n\n| what | values |\n| --- | --- |\n", set->ndiffs);
            for (size_t i = 0; i < set->ndiffs; i++) {
                fprintf(f, "| %s | ", set->diffs[i].what);
                bv_report_md_cell(f, set->diffs[i].values);
                fputs(" |\n", f);
            }
            fputc('\n', f);
        }
        fputs("Inputs:\n\n", f);
        for (size_t i = 0; i < set->ninputs; i++) {
            fprintf(f, "%zu. `", i + 1);
            bv_report_md_cell(f, set->inputs[i]);
            fputs("`\n", f);
        }
        fputc('\n', f);
        for (size_t d = 0; d < set->ndev; d++) {
            char label[800];
            rt_device_label(set->dev[d], label, sizeof label);
            fprintf(f, "## Device %zu: ", d + 1);
            bv_report_md_cell(f, label);
            fputs("\n\n", f);
            md_device(f, set, d, 3);
        }
    }
    st = bv_atomic_commit(&af, err);
    if (st)
        bv_error_prefix(err, "%s", path);
    return st;
}

/* --- the terminal ---------------------------------------------------------------------- */

static void text_device(FILE *f, const bv_report *rep, size_t max_listed)
{
    const bv_report_run *r = &rep->run;
    bv_report_summary s;
    char fp[17];
    bv_report_summarize(rep, &s);
    if (bv_report_fingerprint(rep, fp, NULL) != BV_OK)
        snprintf(fp, sizeof fp, "?");
    fprintf(f, "%s (%s, driver %s %s, Vulkan %s)\n", r->device.name,
            r->device.device_type_name ? r->device.device_type_name : "?", r->device.driver_name,
            r->device.driver_version_str, r->device.api_version_str);
    fprintf(f, "run %s, blsvk %s (%s), toolchain fingerprint %s", r->run_id, r->blsvk_version, r->git_revision, fp);
    if (r->shard_count > 1)
        fprintf(f, ", shard %u/%u", r->shard_index, r->shard_count);
    if (rep->nresumed)
        fprintf(f, ", resumed %zu time%s", rep->nresumed, rep->nresumed == 1 ? "" : "s");
    fputs("\n\n", f);
    /* The row labels' column: 14 wide, wider where a row's "<family>.<op>" is longer. */
    int label_w = 14;
    for (int fi = 0; fi < BV_FAMILY_COUNT; fi++)
        for (int op = 0; op < BV_OP_COUNT; op++) {
            bool any = false;
            for (int v = 0; v < RT_NVARIANTS && !any; v++) {
                rt_cell cell;
                rt_cell_count(rep, (bv_family)fi, (bv_op)op, v, &cell);
                any = cell.ran || cell.notsup;
            }
            int len = (int)(strlen(bv_ref_family_name((bv_family)fi)) + 1 + strlen(bv_ref_op_name((bv_op)op)));
            if (any && len > label_w)
                label_w = len;
        }
    fprintf(f, "%-*s", label_w, "");
    for (int v = 0; v < RT_NVARIANTS; v++) {
        char h[32];
        snprintf(h, sizeof h, "%s/%s", bv_limbs_name((bv_limbs)(v / BV_MODE_COUNT)),
                 bv_mode_name((bv_mode)(v % BV_MODE_COUNT)));
        fprintf(f, " %14s", h);
    }
    fputc('\n', f);
    for (int fi = 0; fi < BV_FAMILY_COUNT; fi++)
        for (int op = 0; op < BV_OP_COUNT; op++) {
            const char *fn = bv_ref_family_name((bv_family)fi), *on = bv_ref_op_name((bv_op)op);
            char cells[RT_NVARIANTS][32], row[32];
            bool any = false;
            for (int v = 0; v < RT_NVARIANTS; v++) {
                rt_cell cell;
                rt_cell_count(rep, (bv_family)fi, (bv_op)op, v, &cell);
                bv_report_status worst = rt_cell_worst(&cell);
                size_t nf = 0;
                for (unsigned k = 0; k < BV_RESULT_COUNT; k++)
                    nf += bv_report_status_is_failure((bv_report_status)k) ? cell.counts[k] : 0;
                if (cell.ran)
                    snprintf(cells[v], sizeof cells[v], "%s %zu/%zu",
                             nf                                 ? "FAIL"
                             : worst == BV_RESULT_FLAKE || worst == BV_RESULT_KNOWN_FLAKE ? "flaky"
                             : worst == BV_RESULT_EXPECTED_FAIL ? "xfail"
                                                                : "ok",
                             cell.ran - nf, cell.ran);
                else if (cell.notsup)
                    snprintf(cells[v], sizeof cells[v], "n/s");
                else
                    snprintf(cells[v], sizeof cells[v], "-");
                any |= cell.ran || cell.notsup;
            }
            if (!any)
                continue;
            snprintf(row, sizeof row, "%s.%s", fn, on);
            fprintf(f, "%-*s", label_w, row);
            for (int v = 0; v < RT_NVARIANTS; v++)
                fprintf(f, " %14s", cells[v]);
            fputc('\n', f);
        }
    fputc('\n', f);
    fprintf(f, "verdict: %s; ", s.verdict);
    totals_line(f, &s);
    fputc('\n', f);

    /* New failures by cause: the message once (its line breaks kept, indented), then its cases. */
    rt_group *g = NULL;
    size_t ng = 0, shown = 0;
    if (rt_failure_groups(rep, &g, &ng, NULL) != BV_OK)
        ng = 0;
    for (size_t k = 0; k < ng; k++) {
        const bv_report_case *c = &rep->cases[g[k].cases[0]];
        char replay[2400];
        if (shown >= max_listed) {
            fprintf(f, "  ... %zu more new failures (see summary.md)\n", s.new_failures - shown);
            break;
        }
        if (g[k].n == 1)
            fprintf(f, "  %s %s:", bv_report_status_name(c->status), c->name);
        else
            fprintf(f, "  %s in %zu cases (the first, %s):", bv_report_status_name(c->status), g[k].n, c->name);
        if (strchr(c->reason, '\n')) {
            fputc('\n', f);
            for (const char *p = c->reason; *p;) {
                size_t n = strcspn(p, "\n");
                fprintf(f, "      %.*s\n", (int)n, p);
                p += n + (p[n] == '\n');
            }
        } else {
            fprintf(f, " %s\n", c->reason);
        }
        if (c->nfirst) {
            const bv_report_mismatch *m = &c->first[0];
            fprintf(f, "    [%zu] %s\n      expected %s\n      got      %s\n", m->index, m->name, m->expected, m->got);
        }
        bv_report_replay_command(rep, c, replay, sizeof replay);
        if (replay[0])
            fprintf(f, "    replay: %s\n", replay);
        if (g[k].n > 1) {
            size_t j = 0;
            fputs("    cases:", f);
            for (; j < g[k].n && j < max_listed; j++)
                fprintf(f, " %s", rep->cases[g[k].cases[j]].name);
            if (j < g[k].n)
                fprintf(f, " ... and %zu more", g[k].n - j);
            fputc('\n', f);
        }
        shown += g[k].n;
    }
    rt_groups_free(g, ng);
    static const bv_report_status apart[] = {BV_RESULT_FLAKE, BV_RESULT_KNOWN_FLAKE, BV_RESULT_EXPECTED_FAIL,
                                             BV_RESULT_UNEXPECTED_PASS, BV_RESULT_SKIP_LISTED};
    for (size_t a = 0; a < sizeof apart / sizeof apart[0]; a++) {
        size_t n = count_status(rep, apart[a]), listed = 0;
        if (!n)
            continue;
        fprintf(f, "%s (%zu):\n",
                apart[a] == BV_RESULT_FLAKE           ? "flakes, failed then passed when retried"
                : apart[a] == BV_RESULT_KNOWN_FLAKE   ? "known flakes, listed in --flakes, failed every attempt"
                : apart[a] == BV_RESULT_EXPECTED_FAIL ? "expected failures, listed in the baseline"
                : apart[a] == BV_RESULT_SKIP_LISTED   ? "skipped, listed in --skips, never run"
                                                      : "unexpected passes, listed in the baseline: prune it",
                n);
        for (size_t i = 0; i < rep->ncases && listed < max_listed; i++) {
            const bv_report_case *c = &rep->cases[i];
            if (c->status != apart[a])
                continue;
            listed++;
            fprintf(f, "  %s", c->name);
            if (apart[a] == BV_RESULT_FLAKE) {
                fputs(": attempts", f);
                for (unsigned k = 0; k < c->nattempts; k++)
                    fprintf(f, " %s", bv_report_status_name(c->attempts[k].status));
            } else if (apart[a] == BV_RESULT_KNOWN_FLAKE || apart[a] == BV_RESULT_SKIP_LISTED) {
                fprintf(f, ": %s", c->reason);
            } else {
                fprintf(f, " (baseline '%s': %s)", c->baseline_pattern, c->baseline_reason);
            }
            fputc('\n', f);
        }
        if (listed < n)
            fprintf(f, "  ... %zu more\n", n - listed);
    }
    if (s.missing) {
        size_t listed = 0;
        fprintf(f, "missing, planned but never finished (%zu):\n", s.missing);
        for (size_t p = 0; p < rep->nplanned && listed < max_listed; p++)
            if (bv_report_is_missing(rep, p)) {
                fprintf(f, "  %s\n", rep->planned[p]);
                listed++;
            }
        if (listed < s.missing)
            fprintf(f, "  ... %zu more\n", s.missing - listed);
    }
}

bv_status bv_report_write_text(FILE *f, const bv_report_set *set, size_t max_listed, bv_error *err)
{
    for (size_t d = 0; d < set->ndev; d++) {
        if (set->merged || set->ndev > 1)
            fprintf(f, "%sdevice %zu of %zu: ", d ? "\n" : "", d + 1, set->ndev);
        text_device(f, set->dev[d], max_listed);
    }
    if (set->merged) {
        fprintf(f, "\nmerged %zu run%s: verdict %s, %zu conflict%s, %zu duplicate%s, %zu missing shard%s\n",
                set->ninputs, set->ninputs == 1 ? "" : "s", set_verdict(set), set->nconflicts,
                set->nconflicts == 1 ? "" : "s", set->duplicates, set->duplicates == 1 ? "" : "s",
                set->nmissing_shards, set->nmissing_shards == 1 ? "" : "s");
        for (size_t i = 0; i < set->nconflicts; i++) {
            const bv_report_conflict *c = &set->conflicts[i];
            fprintf(f, "  conflict on device %zu: %s was %s in %s and %s in %s\n", c->device + 1, c->name,
                    bv_report_status_name(c->a), c->source_a, bv_report_status_name(c->b), c->source_b);
        }
        for (size_t i = 0; i < set->nmissing_shards; i++)
            fprintf(f, "  device %zu: shard %u/%u never ran\n", set->missing_shards[i].device + 1,
                    set->missing_shards[i].index, set->missing_shards[i].count);
        for (size_t i = 0; i < set->ndiffs; i++)
            fprintf(f, "  toolchain differs: %s: %s\n", set->diffs[i].what, set->diffs[i].values);
    }
    if (fflush(f) != 0 || ferror(f))
        return bv_error_set(err, BV_ERR_IO, "cannot write the summary");
    return BV_OK;
}
