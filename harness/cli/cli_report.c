/* harness/cli_report.c: the report verb: `blsvk report show` prints the summary of a run (or of
 * a merge) that already exists; `blsvk report merge` combines runs and shards, from one device
 * or many, into one report with a device-by-case matrix, missing cases and conflicts. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bv_report.h"
#include "cli.h"

static void report_help(FILE *f)
{
    fprintf(f, "usage: blsvk report show DIR [--max N]\n"
               "       blsvk report merge DIR... --out DIR [--quiet]\n"
               "       blsvk report baseline RUN-DIR [--out FILE]\n\n"
               "show   prints the summary of a run directory (<report-dir>/<device>/<run-id>/, from its\n"
               "       results.json, or from results.jsonl when the run was killed) or of a merge output.\n"
               "       --max N lists at most N cases of each kind (default 20).\n"
               "merge  reads every run below each DIR (a run directory, or any directory above runs,\n"
               "       such as a --report-dir) and writes to --out: <device>/results.json per device,\n"
               "       merged.json (the device-by-case matrix, missing cases and shards, conflicts),\n"
               "       junit.xml, summary.md and report.html. Shards of one run interleave back into\n"
               "       the order of the unsharded run; a case run twice with different verdicts is a\n"
               "       conflict. A missing shard's cases (which each shard records) are missing cases.\n"
               "baseline  writes a baseline of a run's failures (to --out FILE, else to stdout): one\n"
               "       '<glob>  # <status>: <reason>' a line, a kernel that failed in every case as one\n"
               "       <field>.<op>.<limbs>.* line, the run's own baseline entries that still failed as\n"
               "       they were. `blsvk run --baseline FILE` reads it back: the first run on a new driver\n"
               "       becomes its list of known failures.\n\n"
               "exit status: 0 the run or merge passes (no new failure, nothing missing, no conflict),\n"
               "1 it does not, 2 bad usage or unreadable input.\n");
}

/* --- finding runs ----------------------------------------------------------------------- */

typedef struct run_list {
    char **v;
    size_t n, cap;
} run_list;

static bool push_run(run_list *l, const char *dir)
{
    if (bv_array_reserve(&l->v, &l->cap, l->n + 1, sizeof *l->v, NULL))
        return false;
    return (l->v[l->n] = strdup(dir)) != NULL && ++l->n;
}

static bool has_file(const char *dir, const char *name)
{
    char path[PATH_MAX + 64];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A run directory holds results.json or results.jsonl; below others, look deeper (sorted, so
 * that merges are the same on every machine), but never into the merge's own output. */
static bool find_runs(const char *dir, const char *skip, run_list *out, unsigned depth)
{
    char real[PATH_MAX];
    if (skip && realpath(dir, real) && strcmp(real, skip) == 0)
        return true;
    if (has_file(dir, "results.json") || has_file(dir, "results.jsonl"))
        return push_run(out, dir);
    if (depth > 8)
        return true;
    DIR *d = opendir(dir);
    if (!d)
        return true;
    run_list subs = {0};
    bool ok = true;
    struct dirent *e;
    while ((e = readdir(d)) && ok) {
        char path[PATH_MAX];
        struct stat sb;
        if (e->d_name[0] == '.')
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path)
            continue;
        /* Not through links: a device folder's "latest" names a run that is there anyway. */
        if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            ok = push_run(&subs, path);
    }
    closedir(d);
    if (ok && subs.n)
        qsort(subs.v, subs.n, sizeof *subs.v, name_cmp);
    for (size_t i = 0; ok && i < subs.n; i++)
        ok = find_runs(subs.v[i], skip, out, depth + 1);
    for (size_t i = 0; i < subs.n; i++)
        free(subs.v[i]);
    free(subs.v);
    return ok;
}

/* The absolute, symlink-free form of path, which need not exist yet: its longest existing
 * prefix through realpath, the rest as written. False when even that cannot be had. */
static bool resolve_path(const char *path, char *out, size_t n)
{
    char head[PATH_MAX], real[PATH_MAX];
    if (snprintf(head, sizeof head, "%s", path) >= (int)sizeof head)
        return false;
    size_t len = strlen(head);
    for (;;) {
        if (realpath(len ? head : ".", real)) {
            const char *rest = path + len;
            while (*rest == '/')
                rest++;
            return snprintf(out, n, "%s%s%s", real, *rest && strcmp(real, "/") ? "/" : "", rest) < (int)n;
        }
        char *slash = strrchr(head, '/');
        if (!slash)
            len = 0;
        else
            len = (size_t)(slash - head);
        head[len] = '\0';
        if (len == 0 && path[0] == '/')
            return false;
        if (len == 0 && !slash) {
            if (!realpath(".", real))
                return false;
            return snprintf(out, n, "%s/%s", real, path) < (int)n;
        }
    }
}

/* Whether a is b or inside it. */
static bool path_within(const char *a, const char *b)
{
    size_t n = strlen(b);
    return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/' || (n == 1 && b[0] == '/'));
}

/* --- show ------------------------------------------------------------------------------ */

static int report_show(int argc, char **argv)
{
    static const struct option lo[] = {{"help", no_argument, NULL, 'h'}, {"max", required_argument, NULL, 'm'},
                                       {0, 0, 0, 0}};
    size_t max = 20;
    int c;
    const char *opt = "";
    bv_error err;
    bv_report_set *set = NULL;
    optind = 1;
    opterr = 0;
    while ((c = bv_cli_getopt(argc, argv, ":h", lo, &opt)) != -1) {
        if (c == 'h') {
            report_help(stdout);
            return BV_EXIT_OK;
        }
        uint64_t v;
        if (c == 'm' && bv_cli_parse_u64(optarg, SIZE_MAX, &v)) {
            max = (size_t)v;
            continue;
        }
        if (c == 'm') {
            fprintf(stderr, "blsvk report show: --max takes a whole number, not '%s'\n", optarg);
            return BV_EXIT_USAGE;
        }
        return bv_cli_option_error("report show", c, opt);
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "blsvk report show: give one run or merge directory (see blsvk report --help)\n");
        return BV_EXIT_USAGE;
    }
    bv_error_clear(&err);
    if (bv_report_read_set(argv[optind], &set, &err)) {
        fprintf(stderr, "blsvk report show: %s\n", err.msg);
        return BV_EXIT_USAGE;
    }
    int rc = bv_report_set_ok(set) ? BV_EXIT_OK : BV_EXIT_FAIL;
    if (bv_report_write_text(stdout, set, max, &err)) {
        fprintf(stderr, "blsvk report show: %s\n", err.msg);
        rc = BV_EXIT_FAIL;
    }
    bv_report_set_destroy(set);
    return rc;
}

/* --- merge ----------------------------------------------------------------------------- */

static int report_merge(int argc, char **argv)
{
    static const struct option lo[] = {{"help", no_argument, NULL, 'h'}, {"out", required_argument, NULL, 'o'},
                                       {"quiet", no_argument, NULL, 'q'}, {0, 0, 0, 0}};
    const char *outdir = NULL;
    bool quiet = false;
    int c, rc = BV_EXIT_OK;
    const char *opt = "";
    run_list runs = {0};
    bv_report **in = NULL;
    bv_report_set *set = NULL;
    bv_error err;
    char skip[PATH_MAX], path[PATH_MAX + 256];
    optind = 1;
    opterr = 0;
    while ((c = bv_cli_getopt(argc, argv, ":h", lo, &opt)) != -1) {
        switch (c) {
        case 'h': report_help(stdout); return BV_EXIT_OK;
        case 'o': outdir = optarg; break;
        case 'q': quiet = true; break;
        default:
            return bv_cli_option_error("report merge", c, opt);
        }
    }
    if (!outdir || optind >= argc) {
        fprintf(stderr, "blsvk report merge: give the runs to merge and --out DIR (see blsvk report --help)\n");
        return BV_EXIT_USAGE;
    }
    bv_error_clear(&err);
    /* The output may not lie inside an input (its run would be skipped, and hidden from later
     * merges) nor hold one (a later merge of it would take the merge for a run). */
    char out_real[PATH_MAX], in_real[PATH_MAX];
    if (!resolve_path(outdir, out_real, sizeof out_real)) {
        fprintf(stderr, "blsvk report merge: --out %s: cannot resolve the path\n", outdir);
        return BV_EXIT_USAGE;
    }
    for (int i = optind; i < argc; i++) {
        if (!realpath(argv[i], in_real))
            continue; /* reported below */
        if (path_within(out_real, in_real) || path_within(in_real, out_real)) {
            fprintf(stderr, "blsvk report merge: --out %s %s the input %s: write the merge somewhere else\n", outdir,
                    path_within(out_real, in_real) ? (strcmp(out_real, in_real) ? "is inside" : "is") : "holds",
                    argv[i]);
            return BV_EXIT_USAGE;
        }
    }
    if (bv_mkdir_p(outdir, &err)) {
        fprintf(stderr, "blsvk report merge: --out: %s\n", err.msg);
        return BV_EXIT_USAGE;
    }
    if (!realpath(outdir, skip))
        skip[0] = '\0';
    for (int i = optind; i < argc; i++) {
        struct stat sb;
        size_t before = runs.n;
        if (stat(argv[i], &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            fprintf(stderr, "blsvk report merge: %s: not a directory\n", argv[i]);
            rc = BV_EXIT_USAGE;
            goto out;
        }
        if (!find_runs(argv[i], skip[0] ? skip : NULL, &runs, 0)) {
            fprintf(stderr, "blsvk report merge: out of memory\n");
            rc = BV_EXIT_FAIL;
            goto out;
        }
        if (runs.n == before) {
            fprintf(stderr, "blsvk report merge: %s: no blsvk run (results.json or results.jsonl) below it\n",
                    argv[i]);
            rc = BV_EXIT_USAGE;
            goto out;
        }
    }
    in = calloc(runs.n, sizeof *in);
    if (!in) {
        fprintf(stderr, "blsvk report merge: out of memory\n");
        rc = BV_EXIT_FAIL;
        goto out;
    }
    for (size_t i = 0; i < runs.n; i++)
        if (bv_report_read(runs.v[i], &in[i], &err)) {
            fprintf(stderr, "blsvk report merge: %s\n", err.msg);
            rc = BV_EXIT_USAGE;
            goto out;
        }
    /* The merge takes the inputs, also when it fails. */
    bv_status st = bv_report_merge(in, (const char *const *)runs.v, runs.n, &set, &err);
    free(in);
    in = NULL;
    for (size_t d = 0; !st && d < set->ndev; d++) {
        char slug[160];
        bv_report_device_slug(&set->dev[d]->run.device, slug, sizeof slug);
        snprintf(path, sizeof path, "%s/%s", outdir, slug);
        st = bv_mkdir_p(path, &err);
        snprintf(path, sizeof path, "%s/%s/results.json", outdir, slug);
        if (!st)
            st = bv_report_write_json(path, set->dev[d], &err);
        snprintf(path, sizeof path, "%s/%s/results.csv", outdir, slug);
        if (!st)
            st = bv_report_write_csv(path, set->dev[d], &err);
    }
    snprintf(path, sizeof path, "%s/merged.json", outdir);
    if (!st)
        st = bv_report_write_merged_json(path, set, &err);
    snprintf(path, sizeof path, "%s/junit.xml", outdir);
    if (!st)
        st = bv_report_write_junit(path, set, &err);
    snprintf(path, sizeof path, "%s/summary.md", outdir);
    if (!st)
        st = bv_report_write_markdown(path, set, &err);
    snprintf(path, sizeof path, "%s/report.html", outdir);
    if (!st)
        st = bv_report_write_html(path, set, &err);
    if (!st && !quiet) {
        st = bv_report_write_text(stdout, set, 20, &err);
        printf("reports: %s/{merged.json,junit.xml,summary.md,report.html}, <device>/{results.json,results.csv}\n",
               outdir);
    }
    if (st) {
        fprintf(stderr, "blsvk report merge: %s\n", err.msg);
        rc = BV_EXIT_FAIL;
        goto out;
    }
    rc = bv_report_set_ok(set) ? BV_EXIT_OK : BV_EXIT_FAIL;
out:
    for (size_t i = 0; in && i < runs.n; i++)
        bv_report_destroy(in[i]);
    free(in);
    bv_report_set_destroy(set);
    for (size_t i = 0; i < runs.n; i++)
        free(runs.v[i]);
    free(runs.v);
    return rc;
}

/* --- baseline ------------------------------------------------------------------------------ */

static int report_baseline(int argc, char **argv)
{
    static const struct option lo[] = {{"help", no_argument, NULL, 'h'}, {"out", required_argument, NULL, 'o'},
                                       {0, 0, 0, 0}};
    const char *out = NULL, *opt = "";
    int c;
    bv_error err;
    bv_report *rep = NULL;
    optind = 1;
    opterr = 0;
    while ((c = bv_cli_getopt(argc, argv, ":h", lo, &opt)) != -1) {
        if (c == 'h') {
            report_help(stdout);
            return BV_EXIT_OK;
        }
        if (c == 'o') {
            out = optarg;
            continue;
        }
        fprintf(stderr, "blsvk report baseline: %s '%s' (see blsvk report --help)\n",
                c == ':' ? "no value for" : "bad option", opt);
        return BV_EXIT_USAGE;
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "blsvk report baseline: give one run directory (see blsvk report --help)\n");
        return BV_EXIT_USAGE;
    }
    bv_error_clear(&err);
    if (bv_report_read(argv[optind], &rep, &err)) {
        fprintf(stderr, "blsvk report baseline: %s\n", err.msg);
        return BV_EXIT_USAGE;
    }
    int rc = BV_EXIT_OK;
    if (!out) {
        if (bv_report_write_baseline(stdout, rep, argv[optind], &err)) {
            fprintf(stderr, "blsvk report baseline: %s\n", err.msg);
            rc = BV_EXIT_FAIL;
        }
    } else {
        /* Written under a temporary name and renamed: a half-written list never replaces one. */
        bv_atomic_file af;
        bv_status st = bv_atomic_open(&af, out, &err);
        if (!st && (st = bv_report_write_baseline(af.f, rep, argv[optind], &err)) != BV_OK)
            bv_atomic_abort(&af);
        else if (!st)
            st = bv_atomic_commit(&af, &err);
        if (st) {
            fprintf(stderr, "blsvk report baseline: --out %s: %s\n", out, err.msg);
            rc = BV_EXIT_USAGE;
        }
    }
    bv_report_destroy(rep);
    return rc;
}

int bv_cli_report(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        report_help(argc < 2 ? stderr : stdout);
        return argc < 2 ? BV_EXIT_USAGE : BV_EXIT_OK;
    }
    if (strcmp(argv[1], "show") == 0)
        return report_show(argc - 1, argv + 1);
    if (strcmp(argv[1], "merge") == 0)
        return report_merge(argc - 1, argv + 1);
    if (strcmp(argv[1], "baseline") == 0)
        return report_baseline(argc - 1, argv + 1);
    fprintf(stderr, "blsvk report: unknown action '%s' (show, merge or baseline; see blsvk report --help)\n",
            argv[1]);
    return BV_EXIT_USAGE;
}
