/* harness/cli/cli_mutants_table.c: the table of mutants (mutants.json) and each mutant's kernels. */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bv_json.h"
#include "bv_run.h"
#include "bv_version.h"
#include "cli.h"
#include "cli_mutants.h"

/* --- the table ---------------------------------------------------------------------- */

/* Joins a JSON array of strings (or `def` when absent) with ", " into buf, and counts it. */
static bv_status join_names(const bv_json *m, const char *key, const char *def, char *buf, size_t n, size_t *count,
                            bv_error *err)
{
    const bv_json *a = bv_json_get(m, key);
    buf[0] = '\0';
    if (!a) {
        snprintf(buf, n, "%s", def);
        *count = 2;
        return BV_OK;
    }
    if (bv_json_type_of(a) != BV_JSON_ARRAY || bv_json_len(a) == 0)
        return bv_error_set(err, BV_ERR_PARSE, "'%s' must be a non-empty array of names", key);
    *count = bv_json_len(a);
    for (size_t i = 0; i < bv_json_len(a); i++) {
        const char *s = bv_json_string(bv_json_at(a, i));
        size_t l = strlen(buf);
        if (!s)
            return bv_error_set(err, BV_ERR_PARSE, "'%s' must be a non-empty array of names", key);
        snprintf(buf + l, n - l, "%s%s", i ? ", " : "", s);
    }
    return BV_OK;
}

static bv_status copy_string(const bv_json *m, const char *key, bool required, char *buf, size_t n, bv_error *err)
{
    const bv_json *v = bv_json_get(m, key);
    buf[0] = '\0';
    if (!v && !required)
        return BV_OK;
    if (!bv_json_string(v))
        return bv_error_set(err, BV_ERR_PARSE, "'%s' must be a string", key);
    if (strlen(bv_json_string(v)) >= n)
        return bv_error_set(err, BV_ERR_PARSE, "'%s' is longer than %zu bytes", key, n - 1);
    snprintf(buf, n, "%s", bv_json_string(v));
    return BV_OK;
}

/* Reads <dir>/mutants.json (the build's copy of suites/mutants/mutants.json). */
bv_status bv_mut_read_table(const char *dir, mutant **out, size_t *n, bv_error *err)
{
    char path[4096 + 16];
    bv_json *doc = NULL;
    mutant *ms = NULL;
    bv_status st;
    snprintf(path, sizeof path, "%s/mutants.json", dir);
    *out = NULL;
    *n = 0;
    st = bv_json_parse_file(path, &doc, err);
    if (st)
        return st;
    const char *format = bv_json_string(bv_json_get(doc, "format"));
    const bv_json *list = bv_json_get(doc, "mutants");
    if (!format || strcmp(format, "blsvk-mutants/1") != 0 || bv_json_type_of(list) != BV_JSON_ARRAY) {
        st = bv_error_set(err, BV_ERR_PARSE, "%s: not a blsvk-mutants/1 table", path);
        goto fail;
    }
    ms = calloc(bv_json_len(list) ? bv_json_len(list) : 1, sizeof *ms);
    if (!ms) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < bv_json_len(list); i++) {
        const bv_json *m = bv_json_at(list, i);
        mutant *mu = &ms[i];
        size_t nops, nfields, nlimbs;
        st = copy_string(m, "name", true, mu->name, sizeof mu->name, err);
        if (!st)
            st = copy_string(m, "bug", true, mu->bug, sizeof mu->bug, err);
        if (!st)
            st = copy_string(m, "note", false, mu->note, sizeof mu->note, err);
        if (!st)
            st = join_names(m, "ops", "", mu->ops, sizeof mu->ops, &nops, err);
        if (!st)
            st = join_names(m, "fields", "fp, fr", mu->fields, sizeof mu->fields, &nfields, err);
        if (!st)
            st = join_names(m, "limbs", "u32, u64", mu->limbs, sizeof mu->limbs, &nlimbs, err);
        if (st) {
            bv_error_prefix(err, "%s: mutant %zu", path, i + 1);
            goto fail;
        }
        mu->nkernels = nops * nfields * nlimbs;
    }
    *out = ms;
    *n = bv_json_len(list);
    bv_json_free(doc);
    return BV_OK;
fail:
    free(ms);
    bv_json_free(doc);
    return st;
}

/* The folder of the built mutants: --mutants-dir, $BLSVK_MUTANTS_DIR, else next to blsvk in
 * its build tree (<build>/harness/blsvk -> <build>/suites/mutants). */
const char *bv_mut_dir(const mut_opts *o, char *buf, size_t n)
{
    const char *env = getenv("BLSVK_MUTANTS_DIR");
    char exe[4096];
    if (o->mutants_dir)
        return o->mutants_dir;
    if (env && *env)
        return env;
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return "suites/mutants";
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    snprintf(buf, n, "%s/../suites/mutants", exe);
    return buf;
}

/* Loads a mutant's kernels and checks that they are what the table says: all there, all
 * valid, and none the same module as the built-in kernel (an edit that compiles to nothing
 * new would be a mutant that can never be killed). */
bv_status bv_mut_load(const char *dir, const mutant *m, bv_kernel_set **out, bv_error *err)
{
    char path[4096 + 80];
    bv_kernel_set *set = NULL;
    bv_status st;
    snprintf(path, sizeof path, "%s/%s", dir, m->name);
    *out = NULL;
    st = bv_kernel_set_load(path, &set, err);
    if (st)
        return st;
    if (bv_kernel_set_count(set) != m->nkernels) {
        st = bv_error_set(err, BV_ERR_VALUE, "%s holds %zu kernels, the table says %zu (%s on %s, %s): rebuild",
                          path, bv_kernel_set_count(set), m->nkernels, m->ops, m->fields, m->limbs);
        goto fail;
    }
    for (size_t i = 0; i < bv_kernel_set_count(set); i++) {
        const bv_kernel *k = bv_kernel_set_at(set, i);
        const bv_kernel *b = bv_kernel_builtin(k->family, k->op, k->limbs);
        if (k->error) {
            st = bv_error_set(err, BV_ERR_SHADER, "%s: %s", k->source, k->error);
            goto fail;
        }
        if (b && strcmp(b->sha256, k->sha256) == 0) {
            st = bv_error_set(err, BV_ERR_VALUE, "%s is the same module as the built-in %s: the edit changes nothing "
                              "that kernel compiles", k->source, b->name);
            goto fail;
        }
    }
    *out = set;
    return BV_OK;
fail:
    bv_kernel_set_destroy(set);
    return st;
}

