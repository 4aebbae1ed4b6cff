/* harness/cli/cli_qualify.c: `blsvk qualify`: the suite and the bench on one device, judged against
 * the must-pass list, in one archive with a SHA-256 manifest; and `--verify ARCHIVE`, which checks
 * such an archive and derives its verdict again from the files in it. The archive's files and the
 * verdict are cli_qualify_archive.c's and cli_qualify_judge.c's. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bv_json.h"
#include "bv_version.h"
#include "cli_opts.h"
#include "cli_qualify.h"

/* suites/must-pass.txt, embedded at build time (harness/cli/CMakeLists.txt) so that the command
 * finds it wherever it is installed. */
extern const unsigned char bv_cli_must_pass[];
extern const size_t bv_cli_must_pass_len;

#define MAX_BENCH_ARGS 64

static void help(FILE *f)
{
    fprintf(f,
            "usage: blsvk qualify [options]\n"
            "       blsvk qualify --verify ARCHIVE [--quiet]\n"
            "       blsvk qualify --show-must-pass\n\n"
            "Qualifies one device: runs the suite (every mode and variant, with the device's bounds,\n"
            "as `blsvk run --bounds`) and the bench, judges the run against the must-pass list and\n"
            "writes one archive, blsvk-qualify-<device>-<date>.tar.gz: the run's reports, bench.json,\n"
            "devices.json, toolchain.json, must-pass.txt, the waivers, verdict.json (blsvk-qualify/1)\n"
            "and MANIFEST.sha256 (docs/report-format.md). The verdict is pass only when every case a\n"
            "must-pass glob names passed (or a baseline waived it with a reason), and every glob named\n"
            "at least one case of the run.\n\n"
            "  --device SEL          as for blsvk run (default: the first discrete GPU, else the first device)\n"
            "  --suite quick|full|curve  default full\n"
            "  --filter GLOB         passed on to blsvk run (repeatable); a must-pass glob that then\n"
            "                        matches no case counts as missing, and fails the verdict\n"
            "  --kernel-dir DIR      qualify your own kernels (passed on to blsvk run)\n"
            "  --must-pass FILE      the list to judge by: a case name or glob a line, '#' comments\n"
            "                        (default: the built-in list, suites/must-pass.txt; see\n"
            "                        --show-must-pass)\n"
            "  --baseline FILE       waivers: '<glob> <reason>' lines, as for blsvk run --baseline; a\n"
            "                        must-pass case that fails is waived only by an entry with a reason\n"
            "                        (a line without one is refused). Every waiver is listed in the archive\n"
            "  --out DIR             where the archive goes (default: the current folder); an archive\n"
            "                        already there is never overwritten\n"
            "  --no-bench            leave the bench out\n"
            "  --bench-options ARGS  options for blsvk bench, split at white space (e.g. '--reps 50')\n"
            "  --quiet               no progress from the run, no bench table: the verdict and archive\n"
            "  --verify ARCHIVE      check an archive: every file against MANIFEST.sha256 (a changed,\n"
            "                        missing or extra file is named), then the verdict derived again\n"
            "                        from its reports, must-pass list and waivers against verdict.json\n"
            "  --show-must-pass      print the built-in must-pass list\n\n"
            "The archive is written with the system's tar (GNU tar and gzip, as Debian has them).\n"
            "exit status: 0 verdict pass, 1 verdict fail, 2 bad usage or input (an archive already\n"
            "there, a waiver without a reason), 3 no usable device or the device was lost for good.\n"
            "--verify: 0 the archive checks out and its verdict is pass, 1 it checks out and its\n"
            "verdict is fail, 2 it does not check out (a file changed, missing or extra, verdict.json\n"
            "or toolchain.json disagreeing with the files, a path outside the archive's folder, a link)\n"
            "or cannot be read.\n");
}

typedef struct qopts {
    const char *device, *suite, *kernel_dir, *must_pass, *baseline, *out, *bench_options, *verify;
    const char *filters[MAX_FILTERS];
    size_t nfilters;
    bool no_bench, quiet, show_must_pass;
} qopts;

enum { Q_HELP = 256, Q_DEVICE, Q_SUITE, Q_FILTER, Q_KERNEL_DIR, Q_MUST_PASS, Q_BASELINE, Q_OUT, Q_NO_BENCH,
       Q_BENCH_OPTIONS, Q_QUIET, Q_VERIFY, Q_SHOW };

/* --- child processes ---------------------------------------------------------------------- */

/* SIGINT from the terminal reaches the child too (a run then stops as it does); SIGTERM is sent
 * to this process alone, so it is passed on. Either way qualify stops once the child has. */
static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t child_pid;

static void on_stop_signal(int sig)
{
    if (!stop_signal)
        stop_signal = sig;
    if (sig == SIGTERM && child_pid > 0)
        kill((pid_t)child_pid, SIGTERM);
}

/* Runs this blsvk's own verb (argv[0] its path) to its end, standard output to out_path when
 * given; -1 when it could not start (said). */
static int run_child(char *const argv[], const char *out_path)
{
    pid_t pid;
    int rc = bv_cli_qualify_spawn(argv, false, out_path, -1, &pid);
    if (rc) {
        fprintf(stderr, "blsvk qualify: cannot start %s: %s\n", argv[0], strerror(rc));
        return -1;
    }
    child_pid = pid;
    rc = bv_cli_qualify_wait(pid);
    child_pid = 0;
    return rc;
}

/* --- --verify ----------------------------------------------------------------------------- */

static int qualify_verify(const char *archive, bool quiet)
{
    char tmp[BV_QUAL_PATH], top[256], dir[BV_QUAL_PATH];
    const char *tdir = getenv("TMPDIR");
    struct stat sb;
    bv_error err;
    bv_cli_qualify_judgement j;
    size_t listed = 0;
    int rc;
    memset(&j, 0, sizeof j);
    bv_error_clear(&err);
    if (stat(archive, &sb) != 0) {
        fprintf(stderr, "blsvk qualify: --verify %s: %s\n", archive, strerror(errno));
        return BV_EXIT_USAGE;
    }
    if (!S_ISREG(sb.st_mode)) {
        fprintf(stderr, "blsvk qualify: --verify %s: not a file\n", archive);
        return BV_EXIT_USAGE;
    }
    /* The folder is removed after a chdir back: its path must not depend on the working folder. */
    snprintf(tmp, sizeof tmp, "%s/blsvk-verify-XXXXXX", tdir && tdir[0] == '/' && strlen(tdir) < 2048 ? tdir : "/tmp");
    if (!mkdtemp(tmp)) {
        fprintf(stderr, "blsvk qualify: --verify: a temporary folder (%s): %s\n", tmp, strerror(errno));
        return BV_EXIT_USAGE;
    }
    int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cwd < 0) {
        fprintf(stderr, "blsvk qualify: --verify: the working folder: %s\n", strerror(errno));
        bv_cli_qualify_rm_tree(tmp);
        return BV_EXIT_USAGE;
    }
    printf("blsvk qualify --verify %s\n", archive);
    if (bv_ref_init(&err) || bv_cli_qualify_unpack(archive, tmp, top, sizeof top, &err)) {
        printf("  %s\n", err.msg);
        printf("NOT VERIFIED: the archive cannot be unpacked safely\n");
        rc = BV_EXIT_USAGE;
        goto out;
    }
    /* Inside the temporary folder, messages name the archive's own paths (blsvk-qualify-.../...). */
    if (chdir(tmp) != 0) {
        fprintf(stderr, "blsvk qualify: --verify: %s: %s\n", tmp, strerror(errno));
        rc = BV_EXIT_USAGE;
        goto out;
    }
    snprintf(dir, sizeof dir, "%s", top);
    long problems = bv_cli_qualify_check_manifest(dir, &listed);
    if (problems < 0) {
        printf("NOT VERIFIED: the archive has no readable manifest\n");
        rc = BV_EXIT_USAGE;
        goto out;
    }
    printf("manifest: %zu files listed%s\n", listed, problems ? "" : ", every one present and unchanged");
    if (bv_cli_qualify_judge(dir, top, &j, &err)) {
        printf("  the files give no verdict: %s\n", err.msg);
        printf("NOT VERIFIED: %ld difference%s from the manifest, and no verdict from the files\n", problems,
               problems == 1 ? "" : "s");
        rc = BV_EXIT_USAGE;
        goto out;
    }
    long disagreements = bv_cli_qualify_check_derived(dir, &j);
    if (!disagreements)
        printf("verdict.json, waivers.txt, toolchain.json: what the files give\n");
    if (!quiet || problems || disagreements || !j.pass)
        bv_cli_qualify_print(&j, quiet ? 10 : 30);
    if (problems || disagreements) {
        printf("NOT VERIFIED: %ld difference%s from the manifest, %ld between verdict.json (or waivers.txt, "
               "toolchain.json) and the files; the files alone give verdict %s\n",
               problems, problems == 1 ? "" : "s", disagreements, j.pass ? "pass" : "fail");
        rc = BV_EXIT_USAGE;
    } else {
        printf("verified: the archive checks out; verdict %s\n", j.pass ? "pass" : "fail");
        rc = j.pass ? BV_EXIT_OK : BV_EXIT_FAIL;
    }
out:
    bv_cli_qualify_judgement_free(&j);
    if (cwd >= 0 && fchdir(cwd) != 0)
        fprintf(stderr, "blsvk qualify: --verify: back to the working folder: %s\n", strerror(errno));
    bv_cli_qualify_rm_tree(tmp);
    if (cwd >= 0)
        close(cwd);
    return rc;
}

/* --- making an archive -------------------------------------------------------------------- */

/* The device the children will run on: its UUID (so that each selects the same one) and the
 * archive's name for it. */
static int pick_device(const qopts *o, char uuid[40], char *slug, size_t nslug, char *label, size_t nlabel)
{
    bv_vk_instance *inst = NULL;
    bv_error err;
    uint32_t index;
    int rc = -1;
    bv_error_clear(&err);
    if (bv_vk_instance_create(NULL, &inst, &err)) {
        fprintf(stderr, "blsvk qualify: %s\n", err.msg);
        return BV_EXIT_DEVICE;
    }
    if (bv_vk_device_count(inst) == 0) {
        fprintf(stderr, "blsvk qualify: %s\n", bv_vk_no_device_hint());
        rc = BV_EXIT_DEVICE;
    } else if (bv_vk_device_select(inst, o->device, &index, &err)) {
        fprintf(stderr, "blsvk qualify: --device %s: %s\n", o->device ? o->device : "", err.msg);
        rc = err.status == BV_ERR_NO_DEVICE ? BV_EXIT_DEVICE : BV_EXIT_USAGE;
    } else {
        const bv_device_info *d = bv_vk_device_info_at(inst, index);
        snprintf(uuid, 40, "%s", d->uuid_str);
        bv_report_device_slug(d, slug, nslug);
        snprintf(label, nlabel, "[%u] %s", index, d->name);
    }
    bv_vk_instance_destroy(inst);
    return rc;
}

/* Checks the suite, filters and kernel dir as the run will take them, and says which must-pass
 * globs name no case of it (they will count as missing). -1 when the run can go ahead. */
static int preview_plan(const qopts *o, const bv_report_baseline *must, size_t *ncases)
{
    char *copies[MAX_FILTERS] = {0};
    const char *filters[MAX_FILTERS];
    size_t nf = 0, n = 0;
    bv_run_case *cases = NULL;
    bv_kernel_set *user = NULL;
    bv_error err;
    int rc = -1;
    bv_error_clear(&err);
    /* --filter takes several patterns separated by commas, as run does. */
    for (size_t i = 0; i < o->nfilters && rc < 0; i++) {
        if (!(copies[i] = strdup(o->filters[i]))) {
            fprintf(stderr, "blsvk qualify: out of memory\n");
            rc = BV_EXIT_FAIL;
        }
        char *save = NULL;
        for (char *t = copies[i] ? strtok_r(copies[i], ",", &save) : NULL; t && rc < 0;
             t = strtok_r(NULL, ",", &save)) {
            if (nf == MAX_FILTERS) {
                fprintf(stderr, "blsvk qualify: at most %d filters\n", MAX_FILTERS);
                rc = BV_EXIT_USAGE;
            } else {
                filters[nf++] = t;
            }
        }
    }
    if (rc < 0 && bv_ref_init(&err)) {
        fprintf(stderr, "blsvk qualify: %s\n", err.msg);
        rc = BV_EXIT_FAIL;
    }
    if (rc < 0 && o->kernel_dir && bv_kernel_set_load(o->kernel_dir, &user, &err)) {
        fprintf(stderr, "blsvk qualify: --kernel-dir %s: %s\n", o->kernel_dir, err.msg);
        rc = BV_EXIT_USAGE;
    }
    if (rc < 0 && bv_run_plan_list(o->suite, filters, nf, NULL, user, &cases, &n, &err)) {
        fprintf(stderr, "blsvk qualify: --suite: %s\n", err.msg);
        rc = BV_EXIT_USAGE;
    }
    if (rc < 0 && n == 0) {
        fprintf(stderr, "blsvk qualify: no case matches the filters (see blsvk list)\n");
        rc = BV_EXIT_USAGE;
    }
    for (size_t k = 0; rc < 0 && k < must->n; k++) {
        size_t i = 0;
        while (i < n && !bv_report_glob_match(must->entries[k].pattern, cases[i].name))
            i++;
        if (i == n)
            fprintf(stderr, "blsvk qualify: warning: must-pass line %u: '%s' names no case of this run: it will "
                            "count as missing, and the verdict will be fail\n",
                    must->entries[k].line, must->entries[k].pattern);
    }
    *ncases = n;
    free(cases);
    bv_kernel_set_destroy(user);
    for (size_t i = 0; i < MAX_FILTERS; i++)
        free(copies[i]);
    return rc;
}

/* Copies a list the run is judged against into the archive's folder, byte for byte. */
static bv_status copy_list(const char *from, const char *to, bv_error *err)
{
    char *data = NULL;
    size_t len = 0;
    bv_status st = bv_file_read_all(from, &data, &len, err);
    if (!st)
        st = bv_cli_qualify_write_file(to, data, len, err);
    free(data);
    return st;
}

/* toolchain.json: the run's toolchain record as results.json has it. */
static bv_status write_toolchain(const char *top, bv_error *err)
{
    char p[BV_QUAL_PATH];
    bv_json *res = NULL;
    bv_json_file jf;
    snprintf(p, sizeof p, "%s/" BV_QUAL_RESULTS, top);
    bv_status st = bv_json_parse_file(p, &res, err);
    if (!st && bv_json_type_of(bv_json_get(res, "toolchain")) != BV_JSON_OBJECT)
        st = bv_error_set(err, BV_ERR_PARSE, "%s: no toolchain record", p);
    snprintf(p, sizeof p, "%s/" BV_QUAL_TOOLCHAIN, top);
    if (!st && !(st = bv_json_file_open(&jf, p, true, err))) {
        bv_cli_qualify_json_copy(jf.w, bv_json_get(res, "toolchain"));
        st = bv_json_file_close(&jf, BV_OK, err);
    }
    bv_json_free(res);
    return st;
}

/* verdict.json (what only the maker knows, then what the files give) and waivers.txt. */
static bv_status write_verdict(const char *top, const bv_cli_qualify_judgement *j, const char *must_source, int argc,
                               char **argv, bv_error *err)
{
    char p[BV_QUAL_PATH], cmd[2048], iso[32];
    bv_json_file jf;
    size_t k = (size_t)snprintf(cmd, sizeof cmd, "blsvk");
    /* As a shell would take it back: an argument with a space or a glob quoted. */
    for (int i = 0; i < argc && k < sizeof cmd; i++) {
        bool plain = argv[i][0] && strspn(argv[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                                                    "_-./:=,+@%") == strlen(argv[i]);
        k += (size_t)snprintf(cmd + k, sizeof cmd - k, plain ? " %s" : " '%s'", argv[i]);
    }
    bv_run_utc_stamp(iso, sizeof iso, NULL, 0);
    snprintf(p, sizeof p, "%s/" BV_QUAL_VERDICT, top);
    bv_status st = bv_json_file_open(&jf, p, true, err);
    if (st)
        return st;
    bv_json_writer *w = jf.w;
    bv_json_obj_begin(w);
    bv_json_key(w, "format"); bv_json_str(w, BV_QUAL_SCHEMA);
    bv_json_key(w, "created"); bv_json_str(w, iso);
    bv_json_key(w, "command_line"); bv_json_str(w, cmd);
    bv_json_key(w, "blsvk_version"); bv_json_str(w, BV_VERSION);
    bv_json_key(w, "git_revision"); bv_json_str(w, BV_GIT_REVISION);
    bv_json_key(w, "must_pass_source"); bv_json_str(w, must_source);
    bv_cli_qualify_write_derived(w, j);
    bv_json_obj_end(w);
    st = bv_json_file_close(&jf, BV_OK, err);
    if (st)
        return st;
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    bv_cli_qualify_write_waivers(m, j);
    fclose(m);
    snprintf(p, sizeof p, "%s/" BV_QUAL_WAIVERS, top);
    st = bv_cli_qualify_write_file(p, text, len, err);
    free(text);
    return st;
}

/* The archive, written beside the work folder's contents, then linked into place: link() fails
 * on an existing file, so an archive is never overwritten, even by a qualification that finished
 * at the same moment. */
static int write_archive(const char *work, const char *name, const char *final)
{
    char tmp[BV_QUAL_PATH];
    snprintf(tmp, sizeof tmp, "%s/%s.tar.gz", work, name);
    int rc = bv_cli_qualify_pack(work, name, tmp);
    if (rc != 0) {
        if (rc > 0)
            fprintf(stderr, "blsvk qualify: tar failed (exit status %d)\n", rc);
        return BV_EXIT_FAIL;
    }
    if (link(tmp, final) != 0) {
        int e = errno;
        if (e == EEXIST) {
            fprintf(stderr, "blsvk qualify: %s appeared meanwhile: not overwritten\n", final);
            return BV_EXIT_USAGE;
        }
        /* A file system without hard links: the check before the run has to do. */
        struct stat sb;
        if (lstat(final, &sb) == 0 || rename(tmp, final) != 0) {
            fprintf(stderr, "blsvk qualify: %s: %s\n", final, lstat(final, &sb) == 0 ? "exists" : strerror(e));
            return BV_EXIT_USAGE;
        }
    }
    return -1;
}

/* The bench's argv: this blsvk, its options, --bench-options split at white space. */
static int bench_argv(const qopts *o, char *exe, const char *uuid, const char *out, char *buf, char **v)
{
    size_t k = 0;
    v[k++] = exe;
    v[k++] = "bench";
    v[k++] = "--device";
    v[k++] = (char *)uuid;
    v[k++] = "--out";
    v[k++] = (char *)out;
    if (o->bench_options) {
        snprintf(buf, 4096, "%s", o->bench_options);
        char *save = NULL;
        for (char *t = strtok_r(buf, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save)) {
            if (k == MAX_BENCH_ARGS) {
                fprintf(stderr, "blsvk qualify: --bench-options: at most %d words\n", MAX_BENCH_ARGS - 6);
                return BV_EXIT_USAGE;
            }
            v[k++] = t;
        }
    }
    v[k] = NULL;
    return -1;
}

/* The run's argv: this blsvk, run, the suite on the device with bounds, into report_dir. */
static void run_argv(const qopts *o, char *exe, const char *uuid, const char *report_dir, char **v)
{
    size_t k = 0;
    v[k++] = exe;
    v[k++] = "run";
    v[k++] = "--suite";
    v[k++] = (char *)o->suite;
    v[k++] = "--device";
    v[k++] = (char *)uuid;
    v[k++] = "--bounds";
    v[k++] = "--report-dir";
    v[k++] = (char *)report_dir;
    for (size_t i = 0; i < o->nfilters; i++) {
        v[k++] = "--filter";
        v[k++] = (char *)o->filters[i];
    }
    if (o->kernel_dir) {
        v[k++] = "--kernel-dir";
        v[k++] = (char *)o->kernel_dir;
    }
    if (o->baseline) {
        v[k++] = "--baseline";
        v[k++] = (char *)o->baseline;
    }
    if (o->quiet)
        v[k++] = "--quiet";
    v[k] = NULL;
}

/* A child's exit status after a stop signal or a failure: the status qualify returns, or -1 to
 * go on. */
static int child_outcome(const char *what, int rc, bool results_written)
{
    if (stop_signal || rc >= 128) {
        fprintf(stderr, "blsvk qualify: stopped during the %s: nothing archived, and the work folder (the run's "
                        "too) removed\n",
                what);
        return stop_signal ? 128 + (int)stop_signal : rc;
    }
    if (rc < 0)
        return BV_EXIT_FAIL;
    if (rc == BV_EXIT_USAGE || !results_written) {
        fprintf(stderr, "blsvk qualify: the %s failed (exit status %d): nothing archived\n", what, rc);
        return rc ? rc : BV_EXIT_FAIL;
    }
    return -1;
}

/* One qualification on its way: where things are, what it judges by. */
typedef struct qualify_job {
    const qopts *o;
    char exe[4096];
    char uuid[40], slug[128], label[300];
    char name[256];                 /* blsvk-qualify-<slug>-<date>: the archive's folder */
    char final[BV_QUAL_PATH];       /* <out>/<name>.tar.gz */
    char work[BV_QUAL_PATH];        /* <out>/.blsvk-qualify-XXXXXX, removed at the end */
    char top[BV_QUAL_PATH];         /* <work>/<name> */
    char must_path[BV_QUAL_PATH];   /* the list judged by: --must-pass, or the built-in one's copy */
    bv_report_baseline *must;
    size_t ncases;
    int run_rc;
} qualify_job;

/* Everything that can be refused before the device works: the lists, the plan, the device, an
 * archive already there; then the work folder with the lists copied in. -1 when ready. */
static int prepare(qualify_job *q)
{
    const qopts *o = q->o;
    bv_report_baseline *waivers = NULL;
    bv_error err;
    struct stat sb;
    char iso[32], p[BV_QUAL_PATH];
    int rc = -1;
    bv_error_clear(&err);
    ssize_t len = readlink("/proc/self/exe", q->exe, sizeof q->exe - 1);
    if (len <= 0) {
        fprintf(stderr, "blsvk qualify: cannot find this blsvk's own executable (/proc/self/exe)\n");
        return BV_EXIT_FAIL;
    }
    q->exe[len] = '\0';
    if (stat(o->out, &sb) != 0 || !S_ISDIR(sb.st_mode) || access(o->out, W_OK | X_OK) != 0) {
        fprintf(stderr, "blsvk qualify: --out %s: %s\n", o->out,
                stat(o->out, &sb) != 0 ? strerror(errno) : "not a folder this user may write in");
        return BV_EXIT_USAGE;
    }
    if (o->baseline && bv_report_baseline_load(o->baseline, &waivers, &err)) {
        fprintf(stderr, "blsvk qualify: --baseline: %s; a waiver counts only with its reason\n", err.msg);
        return BV_EXIT_USAGE;
    }
    bv_report_baseline_destroy(waivers);
    /* The work folder is made in --out, so that the archive is linked into place on one file
     * system; the built-in list is read from the copy made there. */
    snprintf(q->work, sizeof q->work, "%s/.blsvk-qualify-XXXXXX", o->out);
    if (!mkdtemp(q->work)) {
        fprintf(stderr, "blsvk qualify: --out %s: a work folder: %s\n", o->out, strerror(errno));
        q->work[0] = '\0';
        return BV_EXIT_USAGE;
    }
    snprintf(q->must_path, sizeof q->must_path, "%s", o->must_pass ? o->must_pass : "");
    if (!o->must_pass) {
        snprintf(q->must_path, sizeof q->must_path, "%s/" BV_QUAL_MUST_PASS, q->work);
        if (bv_cli_qualify_write_file(q->must_path, bv_cli_must_pass, bv_cli_must_pass_len, &err)) {
            fprintf(stderr, "blsvk qualify: %s\n", err.msg);
            return BV_EXIT_FAIL;
        }
    }
    if (bv_report_list_load(q->must_path, false, &q->must, &err)) {
        fprintf(stderr, "blsvk qualify: %s: %s\n", o->must_pass ? "--must-pass" : "the built-in must-pass list",
                err.msg);
        return o->must_pass ? BV_EXIT_USAGE : BV_EXIT_FAIL;
    }
    if (q->must->n == 0) {
        fprintf(stderr, "blsvk qualify: --must-pass %s lists no case: nothing to judge by\n", q->must_path);
        return BV_EXIT_USAGE;
    }
    if ((rc = preview_plan(o, q->must, &q->ncases)) >= 0 ||
        (rc = pick_device(o, q->uuid, q->slug, sizeof q->slug, q->label, sizeof q->label)) >= 0)
        return rc;
    bv_run_utc_stamp(iso, sizeof iso, NULL, 0);
    snprintf(q->name, sizeof q->name, BV_QUAL_TOP_PREFIX "%s-%.10s", q->slug, iso);
    snprintf(q->final, sizeof q->final, "%s/%s.tar.gz", o->out, q->name);
    if (lstat(q->final, &sb) == 0) {
        fprintf(stderr, "blsvk qualify: %s exists: not overwritten (move it away, or give another --out)\n",
                q->final);
        return BV_EXIT_USAGE;
    }
    snprintf(q->top, sizeof q->top, "%s/%s", q->work, q->name);
    if (mkdir(q->top, 0755) != 0) {
        fprintf(stderr, "blsvk qualify: %s: %s\n", q->top, strerror(errno));
        return BV_EXIT_FAIL;
    }
    snprintf(p, sizeof p, "%s/" BV_QUAL_MUST_PASS, q->top);
    if (copy_list(q->must_path, p, &err)) {
        fprintf(stderr, "blsvk qualify: %s\n", err.msg);
        return BV_EXIT_FAIL;
    }
    snprintf(p, sizeof p, "%s/" BV_QUAL_BASELINE, q->top);
    if (o->baseline && copy_list(o->baseline, p, &err)) {
        fprintf(stderr, "blsvk qualify: --baseline: %s\n", err.msg);
        return BV_EXIT_USAGE;
    }
    return -1;
}

/* The children, in order: devices --json, run (its folder becomes reports/), bench. -1 when
 * every file is in place. */
static int gather(qualify_job *q)
{
    const qopts *o = q->o;
    char p[BV_QUAL_PATH], p2[BV_QUAL_PATH], link_to[256], benchbuf[4096];
    char *cargv[2 * MAX_FILTERS + 24], *bargv[MAX_BENCH_ARGS + 1];
    char *dargv[] = {q->exe, "devices", "--json", NULL};
    int rc;
    snprintf(p, sizeof p, "%s/" BV_QUAL_DEVICES, q->top);
    rc = run_child(dargv, p);
    if ((rc = child_outcome("device listing", rc, rc == 0)) >= 0)
        return rc;

    if (!o->quiet)
        printf("blsvk qualify: the run (its folder, named below, becomes " BV_QUAL_REPORTS "/ in the archive)\n");
    snprintf(p, sizeof p, "%s/runs", q->work);
    run_argv(o, q->exe, q->uuid, p, cargv);
    q->run_rc = run_child(cargv, NULL);
    /* The run points <report-dir>/<device>/latest at its folder. */
    snprintf(p, sizeof p, "%s/runs/%s/latest/results.json", q->work, q->slug);
    if ((rc = child_outcome("run", q->run_rc, access(p, R_OK) == 0)) >= 0)
        return rc;
    snprintf(p, sizeof p, "%s/runs/%s/latest", q->work, q->slug);
    ssize_t ln = readlink(p, link_to, sizeof link_to - 1);
    if (ln > 0) {
        link_to[ln] = '\0';
        snprintf(p, sizeof p, "%s/runs/%s/%s", q->work, q->slug, link_to);
    }
    snprintf(p2, sizeof p2, "%s/" BV_QUAL_REPORTS, q->top);
    if (ln <= 0 || strchr(link_to, '/') || rename(p, p2) != 0) {
        fprintf(stderr, "blsvk qualify: the run's folder (%s): %s\n", p, ln > 0 ? strerror(errno) : "no latest link");
        return BV_EXIT_FAIL;
    }
    /* The run's lock file says nothing about the run. */
    snprintf(p, sizeof p, "%s/.lock", p2);
    unlink(p);

    if (o->no_bench)
        return -1;
    snprintf(p, sizeof p, "%s/" BV_QUAL_BENCH, q->top);
    if ((rc = bench_argv(o, q->exe, q->uuid, p, benchbuf, bargv)) >= 0)
        return rc;
    if (!o->quiet)
        printf("\nblsvk qualify: the bench\n");
    rc = run_child(bargv, o->quiet ? "/dev/null" : NULL);
    /* Exit 1 is a wrong output, which bench.json records; anything else left no figures. */
    return child_outcome("bench (--no-bench leaves it out)", rc, (rc == 0 || rc == 1) && access(p, R_OK) == 0);
}

/* toolchain.json, the verdict from the files, verdict.json and waivers.txt, the manifest, the
 * archive. -1 when the archive is in place. */
static int seal(qualify_job *q, bv_cli_qualify_judgement *j, int argc, char **argv)
{
    bv_error err;
    bv_error_clear(&err);
    if (write_toolchain(q->top, &err) || bv_cli_qualify_judge(q->top, q->name, j, &err) ||
        write_verdict(q->top, j, q->o->must_pass ? q->o->must_pass : "built-in", argc, argv, &err) ||
        bv_cli_qualify_write_manifest(q->top, &err)) {
        fprintf(stderr, "blsvk qualify: %s\n", err.msg);
        return BV_EXIT_FAIL;
    }
    return write_archive(q->work, q->name, q->final);
}

static int qualify_create(const qopts *o, int argc, char **argv)
{
    static qualify_job q; /* large; one a process */
    bv_cli_qualify_judgement j;
    memset(&q, 0, sizeof q);
    memset(&j, 0, sizeof j);
    q.o = o;
    int rc = prepare(&q);
    if (rc < 0) {
        printf("blsvk qualify: %s, suite %s (%zu cases), %zu must-pass globs (%s)%s; archive %s\n", q.label,
               o->suite, q.ncases, q.must->n, o->must_pass ? o->must_pass : "built-in",
               o->no_bench ? ", no bench" : "", q.final);
        struct sigaction sa = {.sa_handler = on_stop_signal};
        sigemptyset(&sa.sa_mask);
        stop_signal = 0;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        rc = gather(&q);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
    }
    if (rc < 0)
        rc = seal(&q, &j, argc, argv);
    if (rc < 0) {
        printf("\n");
        bv_cli_qualify_print(&j, o->quiet ? 10 : 30);
        printf("archive: %s\n", q.final);
        rc = q.run_rc == BV_EXIT_DEVICE ? BV_EXIT_DEVICE : j.pass ? BV_EXIT_OK : BV_EXIT_FAIL;
    }
    bv_cli_qualify_judgement_free(&j);
    bv_report_baseline_destroy(q.must);
    bv_cli_qualify_rm_tree(q.work);
    return rc;
}

/* --- the verb ---------------------------------------------------------------------------- */

static int parse(int argc, char **argv, qopts *o)
{
    static const struct option lo[] = {
        {"help", no_argument, NULL, Q_HELP},
        {"device", required_argument, NULL, Q_DEVICE},
        {"suite", required_argument, NULL, Q_SUITE},
        {"filter", required_argument, NULL, Q_FILTER},
        {"kernel-dir", required_argument, NULL, Q_KERNEL_DIR},
        {"must-pass", required_argument, NULL, Q_MUST_PASS},
        {"baseline", required_argument, NULL, Q_BASELINE},
        {"out", required_argument, NULL, Q_OUT},
        {"no-bench", no_argument, NULL, Q_NO_BENCH},
        {"bench-options", required_argument, NULL, Q_BENCH_OPTIONS},
        {"quiet", no_argument, NULL, Q_QUIET},
        {"verify", required_argument, NULL, Q_VERIFY},
        {"show-must-pass", no_argument, NULL, Q_SHOW},
        {0, 0, 0, 0}};
    const char *opt = "";
    int c;
    bool others = false;
    optind = 1;
    opterr = 0;
    while ((c = bv_cli_getopt(argc, argv, ":h", lo, &opt)) != -1) {
        others |= c != Q_VERIFY && c != Q_QUIET;
        switch (c) {
        case 'h':
        case Q_HELP: help(stdout); return BV_EXIT_OK;
        case Q_DEVICE: o->device = optarg; break;
        case Q_SUITE: o->suite = optarg; break;
        case Q_FILTER:
            if (o->nfilters == MAX_FILTERS) {
                fprintf(stderr, "blsvk qualify: at most %d --filter\n", MAX_FILTERS);
                return BV_EXIT_USAGE;
            }
            o->filters[o->nfilters++] = optarg;
            break;
        case Q_KERNEL_DIR: o->kernel_dir = optarg; break;
        case Q_MUST_PASS: o->must_pass = optarg; break;
        case Q_BASELINE: o->baseline = optarg; break;
        case Q_OUT: o->out = optarg; break;
        case Q_NO_BENCH: o->no_bench = true; break;
        case Q_BENCH_OPTIONS: o->bench_options = optarg; break;
        case Q_QUIET: o->quiet = true; break;
        case Q_VERIFY: o->verify = optarg; break;
        case Q_SHOW: o->show_must_pass = true; break;
        default: return bv_cli_option_error("qualify", c, opt);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "blsvk qualify: unexpected argument '%s' (see blsvk qualify --help)\n", argv[optind]);
        return BV_EXIT_USAGE;
    }
    if (o->verify && others) {
        fprintf(stderr, "blsvk qualify: --verify takes no other option than --quiet\n");
        return BV_EXIT_USAGE;
    }
    const char *const *suites = bv_run_suite_names();
    size_t i = 0;
    while (suites[i] && strcmp(suites[i], o->suite) != 0)
        i++;
    if (!suites[i]) {
        fprintf(stderr, "blsvk qualify: --suite takes");
        for (i = 0; suites[i]; i++)
            fprintf(stderr, "%s%s", i ? ", " : " ", suites[i]);
        fprintf(stderr, ", not '%s'\n", o->suite);
        return BV_EXIT_USAGE;
    }
    const char *paths[] = {o->out, o->must_pass, o->baseline, o->kernel_dir, o->verify, o->bench_options};
    for (i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (paths[i] && strlen(paths[i]) >= 2048) {
            fprintf(stderr, "blsvk qualify: '%.40s...' is longer than 2047 bytes\n", paths[i]);
            return BV_EXIT_USAGE;
        }
    if (o->no_bench && o->bench_options) {
        fprintf(stderr, "blsvk qualify: --bench-options with --no-bench: which one?\n");
        return BV_EXIT_USAGE;
    }
    return -1;
}

int bv_cli_qualify(int argc, char **argv)
{
    qopts o = {.suite = "full", .out = "."};
    int rc = parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    if (o.show_must_pass) {
        fwrite(bv_cli_must_pass, 1, bv_cli_must_pass_len, stdout);
        return BV_EXIT_OK;
    }
    if (o.verify)
        return qualify_verify(o.verify, o.quiet);
    return qualify_create(&o, argc, argv);
}
