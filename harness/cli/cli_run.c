/* harness/cli/cli_run.c: `blsvk run`: options, a new or resumed run session, progress on the
 * terminal, the summary, the exit status. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bv_json.h"
#include "bv_version.h"
#include "cli_opts.h"

/* --- run --------------------------------------------------------------------------- */

static void run_help(FILE *f)
{
    fprintf(f,
            "usage: blsvk run [options]\n"
            "       blsvk run --resume RUN-DIR [--quiet]\n\n"
            "Runs a suite of cases on one device, checks every output element against the GMP\n"
            "reference, and writes results.jsonl (case by case, as it goes), then results.json,\n"
            "results.csv, junit.xml, summary.md and report.html to <report-dir>/<device>/<run-id>/,\n"
            "and points <report-dir>/<device>/latest at it (docs/report-format.md).\n\n"
            "  --device SEL          index, UUID, or a unique substring of the name (blsvk devices);\n"
            "                        default: the first discrete GPU, else the first device. Given\n"
            "                        more than once, or `all`: one run per device, all at once, each\n"
            "                        in its own folder (output in <report-dir>/<device>.log), then\n"
            "                        one merged report (<report-dir>/merged-<time>) and one status\n"
            "  --suite quick|full|curve  default quick (Fp, Fr, Fp2, the Fr NTTs, the G1 MSM in u64,\n"
            "                        G1 and G2 neg, G1 dbl and to_affine); curve: every G1 and G2\n"
            "                        op and the u32 MSM alone (lavapipe compiles most curve kernels\n"
            "                        for minutes); full: every family and workload, larger sizes\n"
            "  --filter GLOB         select cases by name; '-GLOB' excludes; repeatable. A glob for a\n"
            "                        kernel selects its spirv-opt recipe cases too (fr.add.u32.*)\n"
            "  --caselist FILE       run only the cases FILE lists: a case name or glob a line ('#'\n"
            "                        comments, blank lines); `blsvk list` output reads back\n"
            "  --shard I/N           run the I-th of N parts of the selected cases (1 <= I <= N), for\n"
            "                        N machines; `blsvk report merge` puts the parts back together\n"
            "  --report-dir DIR      default blsvk-reports\n"
            "  --kernel-dir DIR      run your own <field>.<op>.<limbs>.spv/.comp kernels instead\n"
            "  --baseline FILE       known failures: lines of '<case glob> <reason>'; a listed case\n"
            "                        that fails is expected-fail, one that passes unexpected-pass\n"
            "  --compare-to RUN-DIR  at the end, compare this run with RUN-DIR as `blsvk compare RUN-DIR\n"
            "                        THIS-RUN` does (--max-slowdown P, default 10%%); a regression (a new\n"
            "                        failure, a slowdown outside the noise) makes the exit status 1\n"
            "  --skips FILE          never run the cases FILE lists ('<glob> <reason>' lines, as a\n"
            "                        baseline): each is skip-listed with the file's reason\n"
            "  --flakes FILE         known flakes ('<glob> <reason>' lines): a listed case that fails\n"
            "                        is run again (at least once); passing then it is a flake, failing\n"
            "                        every attempt a known-flake; neither fails the run\n"
            "  --retry-failures N    run a failing case up to N more times (at most %d); one that then\n"
            "                        passes is a flake, reported apart with its attempts\n"
            "  --bounds              measure the device's copy and host-link bandwidth first (as\n"
            "                        blsvk bench does) and give every case's throughput as fractions\n"
            "                        of them; report.html draws the copy bound into its charts\n"
            "  --resume RUN-DIR      finish an interrupted run from its results.jsonl: the same\n"
            "                        options and device, skipping the cases it finished\n"
            "  --memory device|host|auto  device-local buffers with staging, host-visible ones the\n"
            "                        kernel reads and writes in place, or (auto, the default) host-visible\n"
            "                        for a case whose arrays take at most the crossover and device memory\n"
            "                        above: the faster way for each size on a discrete GPU (results.json\n"
            "                        says which each case took)\n"
            "  --memory-crossover B  auto's limit, in bytes (393216, 384K or 1M); default: what blsvk\n"
            "                        bench --roundtrip-sizes measured and recorded for this device and\n"
            "                        driver, else 384K\n"
            "  --timeout-ms N        longest wait for one submission (default 60000)\n"
            "  --seed S              seed of the random sets (default 1)\n"
            "  --reps N, --warmup N  timed repetitions per case (default 1) and untimed ones first (0)\n"
            "  --workgroup-size N    default 64 (within the device's limits)\n"
            "  --validate [sync|gpu] enable the Khronos validation layer; any message fails the case.\n"
            "                        sync (default): synchronization validation; gpu: GPU-assisted\n"
            "                        validation, bounds checks inside the kernels (slow)\n"
            "  --pipeline-cache DIR  where the VkPipelineCache is kept (default ~/.cache/blsvk)\n"
            "  --no-pipeline-cache   do not read or write one\n"
            "  --chunk-elems N       pipelined mode: elements per chunk (default from the device, or\n"
            "                        the environment variable BLSVK_CHUNK_ELEMS)\n"
            "  --buffers N           pipelined mode: buffer sets in flight (default 2)\n"
            "  --quiet               no progress line or summary table\n"
            "  --isolate             the default: the cases run in a worker process that owns the\n"
            "                        device: a driver crash makes its case `crash` and a worker that\n"
            "                        stops answering (2 x --timeout-ms + 10 s) is killed and its case\n"
            "                        is `timeout`; a fresh worker runs the next case\n"
            "  --no-isolate          run the cases in this process (a driver crash ends the run;\n"
            "                        --resume goes on from the case log)\n"
            "  --jobs N              N cases at once, each in a worker of its own on the device (1 to\n"
            "                        64, default 1); the reports mark the timings as concurrent\n\n"
            "Ctrl-C (SIGINT) or SIGTERM: the cases in flight finish, no new one starts, the reports are\n"
            "written with verdict incomplete and the command to resume; a second signal stops at once\n"
            "(the case log still resumes).\n\n"
            "exit status: 0 no new failure (not-supported, expected-fail, unexpected-pass, flake,\n"
            "known-flake and skip-listed are not failures), 1 a case failed, timed out or hit an\n"
            "error and the baseline does\n"
            "not list it, 2 bad usage or the reports could not be written (said last), 3 no usable\n"
            "device or the device was lost for good, 130 / 143 stopped by SIGINT / SIGTERM.\n",
            BV_REPORT_MAX_ATTEMPTS - 1);
}

/* --resume: the log's run record and finished cases, and a copy of the arguments its run was
 * started with, for the caller to parse. Returns -1 when ready. */
static int resume_prepare(const char *dir, bv_report **rep, char ***argv_copy, size_t *argc_copy)
{
    bv_error err;
    char path[4096 + 32];
    bv_error_clear(&err);
    snprintf(path, sizeof path, "%s/results.jsonl", dir);
    if (bv_report_read(path, rep, &err)) {
        fprintf(stderr, "blsvk run: --resume: %s\n", err.msg);
        return BV_EXIT_USAGE;
    }
    if ((*rep)->nargv < 1) {
        fprintf(stderr, "blsvk run: --resume: %s has no arguments of the run to resume\n", path);
        return BV_EXIT_USAGE;
    }
    /* getopt and the comma-splitting of --filter write into the strings: parse a copy, and
     * keep the report's arguments as they were. */
    *argc_copy = (*rep)->nargv;
    *argv_copy = calloc((*rep)->nargv + 1, sizeof **argv_copy);
    if (!*argv_copy) {
        fprintf(stderr, "blsvk run: out of memory\n");
        return BV_EXIT_FAIL;
    }
    for (size_t i = 0; i < (*rep)->nargv; i++)
        if (!((*argv_copy)[i] = strdup((*rep)->argv[i]))) {
            fprintf(stderr, "blsvk run: out of memory\n");
            return BV_EXIT_FAIL;
        }
    return -1;
}

/* The options of run (and of the worker it starts, which parses the same arguments). */
static const struct option run_options[] = {LO_COMMON,
                                   {"suite", required_argument, NULL, OPT_SUITE},
                                   {"filter", required_argument, NULL, OPT_FILTER},
                                   {"report-dir", required_argument, NULL, OPT_REPORT_DIR},
                                   {"seed", required_argument, NULL, OPT_SEED},
                                   {"reps", required_argument, NULL, OPT_REPS},
                                   {"warmup", required_argument, NULL, OPT_WARMUP},
                                   {"quiet", no_argument, NULL, OPT_QUIET},
                                   {"resume", required_argument, NULL, OPT_RESUME},
                                   {"shard", required_argument, NULL, OPT_SHARD},
                                   {"retry-failures", required_argument, NULL, OPT_RETRY},
                                   {"baseline", required_argument, NULL, OPT_BASELINE},
                                   {"compare-to", required_argument, NULL, OPT_COMPARE_TO},
                                   {"max-slowdown", required_argument, NULL, OPT_MAX_SLOWDOWN},
                                   {"bounds", no_argument, NULL, OPT_BOUNDS},
                                   {"isolate", no_argument, NULL, OPT_ISOLATE},
                                   {"no-isolate", no_argument, NULL, OPT_NO_ISOLATE},
                                   {"jobs", required_argument, NULL, OPT_JOBS},
                                   {"caselist", required_argument, NULL, OPT_CASELIST},
                                   {"skips", required_argument, NULL, OPT_SKIPS},
                                   {"flakes", required_argument, NULL, OPT_FLAKES},
                                   {0, 0, 0, 0}};

/* argv of a worker: this executable, "__worker", the replay folder, then the run's arguments after
 * the verb. NULL-terminated, every string malloc'ed; NULL when out of memory or the executable's
 * path is unknown. */
static char **worker_argv(const char *replay_dir, int argc, char **argv)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char **v = calloc((size_t)argc + 3, sizeof *v);
    if (!v)
        return NULL;
    v[0] = strdup(exe);
    v[1] = strdup("__worker");
    v[2] = strdup(replay_dir);
    bool ok = v[0] && v[1] && v[2];
    for (int i = 1; ok && i < argc; i++)
        ok = (v[i + 2] = strdup(argv[i])) != NULL;
    if (!ok) {
        for (int i = 0; i < argc + 2; i++)
            free(v[i]);
        free(v);
        return NULL;
    }
    return v;
}

int bv_cli_worker(int argc, char **argv)
{
    static const cli_opts defaults = {.suite = "quick", .report_dir = "blsvk-reports", .seed = 1,
                                      .memory = BV_MEMORY_AUTO};
    cli_opts o = defaults;
    bv_vk_instance *inst = NULL;
    bv_vk_context *ctx = NULL;
    bv_kernel_set *user = NULL, *hook = NULL;
    bv_error err;
    int rc;
    if (argc < 2) {
        fprintf(stderr, "blsvk __worker: the worker of blsvk run --isolate; not for people\n");
        return BV_EXIT_USAGE;
    }
    /* argv[1], the replay folder, stands where the verb stands for the parser. */
    rc = bv_cli_parse_opts("__worker", argc - 1, argv + 1, run_options, &o, run_help);
    if (rc >= 0)
        return rc;
    bv_error_clear(&err);
    if (bv_ref_init(&err)) {
        fprintf(stderr, "blsvk __worker: %s\n", err.msg);
        return BV_EXIT_FAIL;
    }
    rc = bv_cli_load_kernel_dir("__worker", &o, &user);
    const char *hook_dir = getenv("BLSVK_TEST_FIRST_ATTEMPT_KERNEL_DIR");
    if (rc < 0 && hook_dir && *hook_dir && bv_kernel_set_load(hook_dir, &hook, &err)) {
        fprintf(stderr, "blsvk __worker: BLSVK_TEST_FIRST_ATTEMPT_KERNEL_DIR: %s\n", err.msg);
        rc = BV_EXIT_USAGE;
    }
    if (rc < 0)
        rc = bv_cli_open_run_device("__worker", &o, &inst, &ctx);
    if (rc < 0) {
        bv_run_opts ro = {.memory = o.memory, .seed = o.seed, .reps = o.reps, .warmup = o.warmup,
                          .replay_dir = argv[1], .chunk_elems = (size_t)o.chunk_elems, .buffers = o.buffers};
        rc = BV_EXIT_OK;
        if (bv_run_worker_ready(STDOUT_FILENO, NULL, &err) ||
            bv_run_worker_serve(STDIN_FILENO, STDOUT_FILENO, inst, ctx, user, hook, &ro, &err)) {
            fprintf(stderr, "blsvk __worker: %s\n", err.msg);
            rc = BV_EXIT_FAIL;
        }
    }
    bv_vk_context_destroy(ctx);
    bv_vk_instance_destroy(inst);
    bv_kernel_set_destroy(user);
    bv_kernel_set_destroy(hook);
    return rc;
}

/* The run record's parts that the options give. */
static void record_options(bv_report_run *r, const cli_opts *o)
{
    snprintf(r->suite, sizeof r->suite, "%s", o->suite);
    snprintf(r->memory, sizeof r->memory, "%s", bv_memory_name(o->memory));
    snprintf(r->kernel_dir, sizeof r->kernel_dir, "%s", o->kernel_dir ? o->kernel_dir : "");
    r->seed = o->seed;
    r->reps = o->reps ? o->reps : 1;
    r->warmup = o->warmup;
    r->validation = o->validate;
    r->shard_index = o->shard_count ? o->shard_index : 1;
    r->shard_count = o->shard_count ? o->shard_count : 1;
    r->retry_failures = o->retry_failures;
    r->jobs = o->jobs ? o->jobs : 1;
}

/* The names of every shard's cases into the report; -1 when done. */
static int record_shard_plan(bv_report *rep, const bv_run_case *all, size_t nall)
{
    bv_error err;
    const char **names = calloc(nall, sizeof *names);
    if (!names) {
        fprintf(stderr, "blsvk run: out of memory\n");
        return BV_EXIT_FAIL;
    }
    for (size_t i = 0; i < nall; i++)
        names[i] = all[i].name;
    bv_status st = bv_report_set_shard_plan(rep, names, nall, &err);
    free(names);
    if (st) {
        fprintf(stderr, "blsvk run: %s\n", err.msg);
        return BV_EXIT_FAIL;
    }
    return -1;
}

/* Progress. On a terminal: one line with cases done, elapsed time, the time left and failures so
 * far, each failure printed once above it as it happens. Off one: each failure as it happens and
 * a status line every 10 s. */
typedef struct run_progress {
    bool tty, quiet;
    uint64_t t0, last_ns;
    size_t failures;
} run_progress;

/* "12 s", "3 min 05 s", "1 h 02 min". */
static void span_text(double s, char *buf, size_t n)
{
    unsigned long t = (unsigned long)(s + 0.5);
    if (t < 60)
        snprintf(buf, n, "%lu s", t);
    else if (t < 3600)
        snprintf(buf, n, "%lu min %02lu s", t / 60, t % 60);
    else
        snprintf(buf, n, "%lu h %02lu min", t / 3600, t / 60 % 60);
}

static void status_text(const run_progress *rp, const bv_run_progress *p, uint64_t now, char *buf, size_t n)
{
    char el[32], left[32];
    double elapsed = (double)(now - rp->t0) * 1e-9;
    span_text(elapsed, el, sizeof el);
    if (p->done > 0)
        span_text(elapsed / (double)p->done * (double)(p->todo - p->done), left, sizeof left);
    else
        snprintf(left, sizeof left, "?");
    snprintf(buf, n, "%zu/%zu cases, %zu failure%s, %s elapsed, about %s left", p->done, p->todo, rp->failures,
             rp->failures == 1 ? "" : "s", el, left);
}

static void show_progress(void *user, const bv_run_progress *p)
{
    run_progress *rp = user;
    uint64_t now = bv_time_ns();
    char st[160];
    if (p->result && bv_report_status_is_failure(p->result->status)) {
        rp->failures++;
        if (!rp->quiet)
            fprintf(stderr, "%s%s %s: %s\n", rp->tty ? "\r\033[K" : "", bv_report_status_name(p->result->status),
                    p->result->name, p->result->reason);
    }
    status_text(rp, p, now, st, sizeof st);
    if (rp->tty) {
        fprintf(stderr, "\r\033[K[%s] %s", st, p->result ? "" : p->c->name);
    } else if (!rp->quiet && now - rp->last_ns >= 10000000000ull) {
        fprintf(stderr, "blsvk run: %s\n", st);
        rp->last_ns = now;
    }
}

/* SIGINT and SIGTERM: the first asks the session to stop after the cases in flight; the second
 * takes the default action at once (the case log still resumes). */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    if (stop_signal) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    stop_signal = sig;
}

/* --compare-to: the run just written (dir) against o->compare_to, through the compare verb's code. */
static int compare_to(const cli_opts *o, const char *dir)
{
    bv_error err;
    bv_report_compare_input *a = NULL, *b = NULL;
    bv_cli_compare_opts co = {.max = 30, .quiet = o->quiet};
    bv_report_compare_defaults(&co.opts);
    if (o->max_slowdown > 0)
        co.opts.max_slowdown = o->max_slowdown;
    bv_error_clear(&err);
    if (bv_report_compare_read(o->compare_to, &a, &err) || bv_report_compare_read(dir, &b, &err)) {
        fprintf(stderr, "blsvk run: --compare-to: %s\n", err.msg);
        bv_report_compare_input_destroy(a);
        return BV_EXIT_USAGE;
    }
    printf("\ncompared with %s:\n", o->compare_to);
    return bv_cli_compare_finish("run", a, b, &co);
}

int bv_cli_run(int argc, char **argv)
{
    const struct option *lo = run_options;
    static const cli_opts defaults = {.suite = "quick", .report_dir = "blsvk-reports", .seed = 1,
                                      .memory = BV_MEMORY_AUTO};
    cli_opts o = defaults;
    bv_vk_instance *inst = NULL;
    bv_vk_context *ctx = NULL;
    bv_kernel_set *user = NULL, *hook = NULL;
    bv_run_case *cases = NULL, *all = NULL;
    bv_run_session *session = NULL;
    bv_report *rep = NULL;
    char **wargv = NULL;
    char **rargv = NULL;
    size_t rargc = 0, n = 0, nall = 0;
    bv_error err;
    char dir[4096], slug[128];
    bool resuming, quiet;
    /* Parsing writes into the strings (--filter's commas): several devices need them as given. */
    char **given = calloc((size_t)argc + 1, sizeof *given);
    for (int i = 0; given && i < argc; i++)
        if (!(given[i] = strdup(argv[i]))) {
            for (int j = 0; j < i; j++)
                free(given[j]);
            free(given);
            given = NULL;
        }
    if (!given) {
        fprintf(stderr, "blsvk run: out of memory\n");
        return BV_EXIT_FAIL;
    }
    int rc = bv_cli_parse_opts("run", argc, argv, lo, &o, run_help);
    if (rc < 0 && (o.ndevices > 1 || (o.device && strcmp(o.device, "all") == 0)))
        rc = bv_cli_run_devices(argc, given, &o);
    for (int i = 0; i < argc; i++)
        free(given[i]);
    free(given);
    if (rc >= 0)
        return rc;
    bv_error_clear(&err);
    resuming = o.resume != NULL;
    quiet = o.quiet;
    if (o.compare_to && access(o.compare_to, R_OK) != 0) {
        fprintf(stderr, "blsvk run: --compare-to %s: %s\n", o.compare_to, strerror(errno));
        return BV_EXIT_USAGE;
    }
    if (resuming) {
        /* Everything but --quiet comes from the run being resumed. */
        for (int i = 1; i < argc; i++)
            if (strncmp(argv[i], "--resume", 8) != 0 && strcmp(argv[i], "--quiet") != 0 &&
                (i == 1 || strcmp(argv[i - 1], "--resume") != 0)) {
                fprintf(stderr, "blsvk run: --resume takes no other option than --quiet (it reuses the run's own), "
                                "not '%s'\n",
                        argv[i]);
                return BV_EXIT_USAGE;
            }
        snprintf(dir, sizeof dir, "%s", o.resume);
        rc = resume_prepare(dir, &rep, &rargv, &rargc);
        if (rc >= 0)
            goto out;
        o = defaults;
        rc = bv_cli_parse_opts("run", (int)rargc, rargv, lo, &o, run_help);
        if (rc >= 0 || o.resume) {
            fprintf(stderr, "blsvk run: --resume: the logged arguments of %s do not parse\n", dir);
            rc = BV_EXIT_USAGE;
            goto out;
        }
        o.quiet = quiet;
        /* The same physical device, whatever its index is today. */
        o.device = rep->run.device.uuid_str;
    }
    if (bv_ref_init(&err)) {
        fprintf(stderr, "blsvk run: %s\n", err.msg);
        rc = BV_EXIT_FAIL;
        goto out;
    }
    rc = bv_cli_load_kernel_dir("run", &o, &user);
    if (rc < 0)
        rc = bv_cli_build_cases("run", &o, user, &cases, &n, &all, &nall);
    if (rc >= 0)
        goto out;
    if (n == 0) {
        fprintf(stderr, "blsvk run: no case matches the filters (see blsvk list)\n");
        rc = BV_EXIT_USAGE;
        goto out;
    }
    const char *hook_dir = getenv("BLSVK_TEST_FIRST_ATTEMPT_KERNEL_DIR");
    if (hook_dir && *hook_dir) {
        /* A test hook: first attempts run this directory's kernels where it has one, retries the
         * real ones, so that the flake path runs deterministically. Never set it outside tests. */
        if (bv_kernel_set_load(hook_dir, &hook, &err)) {
            fprintf(stderr, "blsvk run: BLSVK_TEST_FIRST_ATTEMPT_KERNEL_DIR: %s\n", err.msg);
            rc = BV_EXIT_USAGE;
            goto out;
        }
        fprintf(stderr, "blsvk run: test hook: first attempts use the kernels of %s\n", hook_dir);
    }
    rc = bv_cli_open_run_device("run", &o, &inst, &ctx);
    if (rc >= 0)
        goto out;
    rc = BV_EXIT_OK;

    if (!resuming) {
        if (bv_report_create(&rep, &err) || bv_report_set_argv(rep, argc, argv, &err)) {
            fprintf(stderr, "blsvk run: %s\n", err.msg);
            rc = BV_EXIT_FAIL;
            goto out;
        }
        /* Whether the device's double fma is fused, for the report's device record (a few
         * microseconds of GPU time; a device error here is reported, not fatal: the cases say
         * more about the device than the probe). */
        if (bv_vk_probe_fma(ctx, &err))
            fprintf(stderr, "blsvk run: warning: %s\n", err.msg);
        bv_run_record_init(&rep->run, argc, argv, inst, ctx, cases, n);
        record_options(&rep->run, &o);
        if (o.memory == BV_MEMORY_AUTO) {
            const char *from;
            rep->run.memory_crossover = bv_vk_context_memory_crossover(ctx, &from);
            snprintf(rep->run.memory_crossover_from, sizeof rep->run.memory_crossover_from, "%s", from);
        }
        /* A shard records the whole list its shards split, so that a merge missing a shard can
         * name the cases it never ran. */
        if (nall && (rc = record_shard_plan(rep, all, nall)) >= 0)
            goto out;
        rc = BV_EXIT_OK;
        if (o.bounds) {
            /* The same measurement as blsvk bench's, sized for the device: before the log opens,
             * so that its run line (and a --resume) carries the bounds. */
            bv_vk_bounds b;
            bool cpu = rep->run.device.device_type == BV_DEVICE_TYPE_CPU;
            if (!o.quiet)
                printf("blsvk run: measuring the device's copy and host-link bandwidth\n");
            if (bv_vk_measure_bounds(ctx, cpu ? (size_t)64 << 20 : (size_t)1 << 30, cpu ? 5 : 10, &b, &err)) {
                fprintf(stderr, "blsvk run: --bounds: %s\n", err.msg);
                rc = BV_EXIT_DEVICE;
                goto out;
            }
            rep->bounds = (bv_report_bounds){.copy_bytes_per_s = b.shader_copy_Bps,
                                             .engine_copy_bytes_per_s = b.engine_copy_Bps,
                                             .h2d_bytes_per_s = b.h2d_Bps,
                                             .d2h_bytes_per_s = b.d2h_Bps};
        }
        bv_report_device_slug(&rep->run.device, slug, sizeof slug);
        snprintf(dir, sizeof dir, "%s/%s/%s", o.report_dir, slug, rep->run.run_id);
    }
    run_progress rp = {.tty = isatty(STDERR_FILENO) && !o.quiet, .quiet = o.quiet, .t0 = bv_time_ns()};
    rp.last_ns = rp.t0;
    stop_signal = 0;
    struct sigaction sa = {.sa_handler = on_stop_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    bv_run_session_opts so = {
        .run = {.memory = o.memory, .seed = o.seed, .reps = o.reps, .warmup = o.warmup,
                .chunk_elems = (size_t)o.chunk_elems, .buffers = o.buffers},
        .retry_failures = o.retry_failures,
        .baseline = o.baseline,
        .skips = o.skips,
        .flakes = o.flakes,
        .user = user,
        .first_attempt = hook,
        .progress = show_progress,
        .progress_user = &rp,
        .jobs = o.jobs,
        .stop = &stop_signal,
    };
    bool isolate = !o.no_isolate;
    if (isolate) {
        /* The worker is this blsvk again, given the run's own arguments and where replays go. */
        char replay[4096 + 16];
        snprintf(replay, sizeof replay, "%s/replays", dir);
        wargv = worker_argv(replay, resuming ? (int)rargc : argc, resuming ? rargv : argv);
        if (!wargv) {
            fprintf(stderr, "blsvk run: cannot find this blsvk's own executable (/proc/self/exe) to start a worker; "
                            "--no-isolate runs the cases in this process\n");
            rc = BV_EXIT_FAIL;
            goto out;
        }
        uint32_t t = o.timeout_ms ? o.timeout_ms : 60000;
        so.worker_argv = wargv;
        so.worker_deadline_ms = t > (UINT32_MAX - 10000) / 2 ? UINT32_MAX : 2 * t + 10000;
        so.worker_open_ms = 60000;
    }
    bv_status st = bv_run_session_open(rep, resuming, dir, cases, n, bv_vk_context_device(ctx), &so, &session, &err);
    rep = NULL; /* the session owns it */
    if (st) {
        fprintf(stderr, "blsvk run: %s%s\n", resuming ? "--resume: " : "", err.msg);
        rc = st == BV_ERR_NOMEM ? BV_EXIT_FAIL : BV_EXIT_USAGE;
        goto out;
    }
    if (!o.quiet) {
        const bv_device_info *d = bv_vk_context_device(ctx);
        if (resuming)
            printf("blsvk run: resuming %s: %zu of %zu cases left on [%u] %s\n", dir, bv_run_session_todo(session), n,
                   d->index, d->name);
        else
            printf("blsvk run: %zu cases on [%u] %s, results in %s\n", n, d->index, d->name, dir);
    }
    fflush(stdout);
    if (bv_run_session_execute(session, inst, ctx, &err)) {
        fprintf(stderr, "%sblsvk run: %s\n", rp.tty ? "\n" : "", err.msg);
        rc = BV_EXIT_FAIL;
    }
    if (rp.tty)
        fprintf(stderr, "\r\033[K");
    bool stopped = bv_run_session_stopped(session);
    if (isolate && !o.quiet) {
        bv_run_worker_stats ws = bv_run_session_worker_stats(session);
        printf("isolation: %u worker%s started (%u fresh after a crash, timeout or lost device); the slowest took "
               "%.2f s to open the device%s",
               ws.started, ws.started == 1 ? "" : "s", ws.restarts, ws.slowest_open_s, ws.restarts ? "" : "\n");
        if (ws.restarts)
            printf(", the slowest fresh one %.2f s\n", ws.slowest_restart_s);
    }
    bv_report_summary sum;
    bv_report_set *set = NULL;
    bv_status wst = bv_run_session_finish(session, &sum, &set, &err);
    if (rc == BV_EXIT_OK && (sum.new_failures || sum.missing))
        rc = BV_EXIT_FAIL;
    if (bv_run_session_device_gone(session) && rc == BV_EXIT_FAIL)
        rc = BV_EXIT_DEVICE;
    if (stopped)
        rc = 128 + (int)stop_signal;
    if (!wst && !o.quiet) {
        printf("\n");
        wst = bv_report_write_text(stdout, set, 20, &err);
        printf("reports: %s/{results.json,results.csv,junit.xml,summary.md,report.html}\n", dir);
    }
    if (stopped)
        fprintf(stderr, "blsvk run: stopped by %s: %zu of %zu cases not run; go on with: blsvk run --resume %s\n",
                strsignal((int)stop_signal), sum.missing, n, dir);
    bv_report_set_destroy(set);
    if (!wst && o.compare_to) {
        int crc = compare_to(&o, dir);
        if (crc > rc && rc != BV_EXIT_DEVICE)
            rc = crc;
    }
    if (wst) {
        /* The verdict, then said last, so that a run that cannot leave its reports does not
         * pass for one that did: exit 2, the status of an I/O error. */
        printf("\nverdict: %s; %zu cases\n", sum.verdict, sum.cases);
        fflush(stdout);
        fprintf(stderr, "blsvk run: the reports in %s could not be written: %s\n", dir, err.msg);
        if (rc != BV_EXIT_DEVICE)
            rc = BV_EXIT_USAGE;
    }
out:
    bv_run_session_destroy(session);
    for (size_t i = 0; wargv && wargv[i]; i++)
        free(wargv[i]);
    free(wargv);
    bv_report_destroy(rep);
    for (size_t i = 0; rargv && i < rargc; i++)
        free(rargv[i]);
    free(rargv);
    free(cases);
    free(all);
    bv_vk_context_destroy(ctx);
    bv_vk_instance_destroy(inst);
    bv_kernel_set_destroy(user);
    bv_kernel_set_destroy(hook);
    return rc;
}

