/* harness/runner/session.c: the run session: a run folder's plan, its crash-safe case log,
 * resume, retries, the died-twice rule, the baseline and the reports, with progress through a
 * callback and no printing, so that any entry point (the run verb, a worker, a test) drives it. */
#define _GNU_SOURCE
#include "bv_run.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "bv_version.h"

struct bv_run_session {
    bv_report *rep;
    bv_report_log *log;
    const bv_run_case *cases;
    size_t n, todo;
    char dir[4096];
    char replay_dir[4096 + 16];
    bv_run_session_opts o;
    bool gone;
    char gone_reason[1024];
    /* One lane a case runs in at a time: --jobs N runs N lanes, each with its own worker. */
    struct lane {
        bv_report_case *res, *attempt; /* a case record is ~40 KB: kept off the stack */
        bv_run_worker *worker;         /* isolation: the lane's worker, or NULL until needed */
        size_t bnext, bend;            /* the lane's batch: plan indices [bnext, bend) */
    } *lanes;
    unsigned nlanes;
    /* With several lanes, their threads share the log, the report, the plan cursor and the
     * device state under this lock (the threads only talk to worker processes: no driver is
     * shared between threads). */
    pthread_mutex_t mu;
    size_t next, done;
    bool stopped;                  /* *o.stop was seen: no new case starts */
    bv_status lane_st;             /* the first lane error */
    bv_error lane_err;
    bv_run_worker_stats wstats;
    int lock_fd;                   /* holds the run folder's lock; -1 when none */
};

typedef struct lane lane;

static void sess_lock(bv_run_session *s)
{
    if (s->nlanes > 1)
        pthread_mutex_lock(&s->mu);
}

static void sess_unlock(bv_run_session *s)
{
    if (s->nlanes > 1)
        pthread_mutex_unlock(&s->mu);
}

void bv_run_utc_stamp(char *iso, size_t n_iso, char *compact, size_t n_compact)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(iso, n_iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (compact)
        strftime(compact, n_compact, "%Y%m%dT%H%M%SZ", &tm);
}

/* The spirv-opt recipes of the plan, for the toolchain record: "none" for plain cases, then
 * each recipe with what it does, in the order the plan first uses them. */
static void describe_recipes(char *buf, size_t n, const bv_run_case *cases, size_t ncases)
{
    const char *seen[32];
    size_t nseen = 0, k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < ncases && nseen < 32 && k < n; i++) {
        const char *r = cases[i].recipe;
        size_t j = 0;
        while (j < nseen && strcmp(seen[j], r) != 0)
            j++;
        if (j < nseen)
            continue;
        seen[nseen++] = r;
        if (r[0])
            k += (size_t)snprintf(buf + k, n - k, "%s%s = %s", k ? "; " : "", r,
                                  bv_kernel_recipe_about(r) ? bv_kernel_recipe_about(r) : "?");
        else
            k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? "; " : "", BV_REPORT_SPIRV_OPT_NONE);
    }
}

void bv_run_record_init(bv_report_run *r, int argc, char *const *argv, const bv_vk_instance *inst,
                        const bv_vk_context *ctx, const bv_run_case *cases, size_t ncases)
{
    char compact[32];
    memset(r, 0, sizeof *r);
    bv_run_utc_stamp(r->started, sizeof r->started, compact, sizeof compact);
    snprintf(r->run_id, sizeof r->run_id, "%s-%ld", compact, (long)getpid());
    size_t k = (size_t)snprintf(r->command_line, sizeof r->command_line, "blsvk");
    for (int i = 0; i < argc && k < sizeof r->command_line; i++)
        k += (size_t)snprintf(r->command_line + k, sizeof r->command_line - k, " %s", argv[i]);
    if (gethostname(r->host, sizeof r->host) != 0)
        snprintf(r->host, sizeof r->host, "unknown");
    snprintf(r->blsvk_version, sizeof r->blsvk_version, "%s", BV_VERSION);
    snprintf(r->git_revision, sizeof r->git_revision, "%s", BV_GIT_REVISION);
    snprintf(r->glslang_version, sizeof r->glslang_version, "%s", bv_kernel_glslang_version());
    snprintf(r->spirv_tools_version, sizeof r->spirv_tools_version, "%s", bv_kernel_spirv_tools_version());
    describe_recipes(r->spirv_opt, sizeof r->spirv_opt, cases, ncases);
    snprintf(r->loader_version, sizeof r->loader_version, "%s", bv_vk_loader_version(inst));
    r->workgroup_size = bv_vk_context_workgroup_size(ctx);
    r->reps = 1;
    r->shard_index = r->shard_count = 1;
    r->device = *bv_vk_context_device(ctx);
}

/* A case that never ran, with what the runner would have filled in from its name. */
static void unrun_case(bv_report_case *res, const bv_run_case *c, bv_report_status s, const char *reason)
{
    bv_run_case_record(res, c);
    res->status = s;
    snprintf(res->reason, sizeof res->reason, "%s", reason);
}

/* --baseline, --skips and --flakes, as the files are now (a resumed run uses them so for the cases
 * still to run). */
static bv_status load_lists(bv_run_session *s, bv_error *err)
{
    const char *paths[] = {s->o.baseline, s->o.skips, s->o.flakes};
    static const char *const opts[] = {"--baseline", "--skips", "--flakes"};
    bv_report_baseline **slots[] = {&s->rep->baseline, &s->rep->skips, &s->rep->flakes};
    bv_report *rep = s->rep;
    for (size_t i = 0; i < 3; i++) {
        bv_report_baseline *bl = NULL;
        if (!paths[i])
            continue;
        bv_status st = bv_report_baseline_load(paths[i], &bl, err);
        if (st) {
            bv_error_prefix(err, "%s", opts[i]);
            return st;
        }
        bv_report_baseline_destroy(*slots[i]);
        *slots[i] = bl;
    }
    if (rep->baseline) {
        snprintf(rep->run.baseline_path, sizeof rep->run.baseline_path, "%s", rep->baseline->path);
        snprintf(rep->run.baseline_sha256, sizeof rep->run.baseline_sha256, "%s", rep->baseline->sha256);
    }
    return BV_OK;
}

/* Points <dir>/../latest at dir (a relative link, replaced by a rename so that it is never
 * absent): the newest run of the device, for people and scripts. */
static bv_status point_latest(const char *dir, bv_error *err)
{
    char parent[4096], tmp[4096 + 64], link[4096 + 16];
    const char *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : dir;
    snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - dir) : 1, slash ? dir : ".");
    if (!*base)
        return bv_error_set(err, BV_ERR_VALUE, "%s: a run folder's name may not end in '/'", dir);
    snprintf(tmp, sizeof tmp, "%s/.latest.%ld", parent[0] ? parent : "/", (long)getpid());
    snprintf(link, sizeof link, "%s/latest", parent[0] ? parent : "/");
    unlink(tmp);
    if (symlink(base, tmp) != 0 || rename(tmp, link) != 0) {
        bv_status st = bv_error_set(err, BV_ERR_IO, "%s: cannot point it at %s: %s", link, base, strerror(errno));
        unlink(tmp);
        return st;
    }
    return BV_OK;
}

/* A resumed run's parts must come from one blsvk and one driver, or its fingerprint would lie;
 * and its plan must be the one it started with. */
static bv_status check_resumable(const bv_report *rep, const char *dir, const bv_run_case *cases, size_t n,
                                 const bv_device_info *now, bv_error *err)
{
    if (strcmp(now->driver_version_str, rep->run.device.driver_version_str) != 0 ||
        strcmp(now->api_version_str, rep->run.device.api_version_str) != 0 ||
        strcmp(BV_GIT_REVISION, rep->run.git_revision) != 0 || strcmp(BV_VERSION, rep->run.blsvk_version) != 0)
        return bv_error_set(err, BV_ERR_VALUE,
                            "%s ran with blsvk %s (%s) on driver %s, Vulkan %s; this is blsvk %s (%s) on driver "
                            "%s, Vulkan %s: start a new run",
                            dir, rep->run.blsvk_version, rep->run.git_revision, rep->run.device.driver_version_str,
                            rep->run.device.api_version_str, BV_VERSION, BV_GIT_REVISION, now->driver_version_str,
                            now->api_version_str);
    bool same = rep->nplanned == n;
    for (size_t i = 0; same && i < n; i++)
        same = strcmp(rep->planned[i], cases[i].name) == 0;
    if (!same)
        return bv_error_set(err, BV_ERR_VALUE,
                            "the case list is not the one %s started with (%zu cases then, %zu now): start a new run",
                            dir, rep->nplanned, n);
    /* A result for a case the run never planned is not blsvk's: a hand-edited or mixed-up log. */
    for (size_t i = 0; i < rep->ncases; i++) {
        size_t k = 0;
        while (k < n && strcmp(cases[k].name, rep->cases[i].name) != 0)
            k++;
        if (k == n)
            return bv_error_set(err, BV_ERR_VALUE,
                                "%s/results.jsonl: a result for '%.200s', which the run never planned (%zu results for %zu "
                                "planned cases): the log is not this run's; start a new run",
                                dir, rep->cases[i].name, rep->ncases, n);
    }
    return BV_OK;
}

/* Takes the run folder's lock (an flock on <dir>/.lock, released when the process ends), so
 * that two blsvk processes never append to one run's log. */
static bv_status lock_run_dir(bv_run_session *s, const char *dir, bv_error *err)
{
    char path[4096 + 16];
    snprintf(path, sizeof path, "%s/.lock", dir);
    s->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (s->lock_fd < 0)
        return bv_error_set(err, BV_ERR_IO, "%s: cannot create the run folder's lock: %s", path, strerror(errno));
    if (flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            return bv_error_set(err, BV_ERR_VALUE,
                                "%s is in use by another blsvk (its lock %s is held): wait for it to end", dir, path);
        return bv_error_set(err, BV_ERR_IO, "%s: cannot lock: %s", path, strerror(errno));
    }
    return BV_OK;
}

bv_status bv_run_session_open(bv_report *rep, bool resuming, const char *dir, const bv_run_case *cases, size_t n,
                              const bv_device_info *device, const bv_run_session_opts *o, bv_run_session **out,
                              bv_error *err)
{
    bv_status st;
    char path[4096 + 32];
    bv_run_session *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s) {
        bv_report_destroy(rep);
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    }
    s->lock_fd = -1;
    s->rep = rep;
    s->cases = cases;
    s->n = n;
    s->o = *o;
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    snprintf(s->replay_dir, sizeof s->replay_dir, "%s/replays", dir);
    s->o.run.replay_dir = s->replay_dir;
    pthread_mutex_init(&s->mu, NULL);
    s->nlanes = o->jobs > 1 ? o->jobs : 1;
    if (s->nlanes > 64 || (s->nlanes > 1 && !o->worker_argv)) {
        st = bv_error_set(err, BV_ERR_ARG, "%u jobs at once: at most 64, each in an isolated worker", s->nlanes);
        goto fail;
    }
    s->lanes = calloc(s->nlanes, sizeof *s->lanes);
    if (!s->lanes) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (unsigned i = 0; i < s->nlanes; i++) {
        s->lanes[i].res = calloc(1, sizeof *s->lanes[i].res);
        s->lanes[i].attempt = calloc(1, sizeof *s->lanes[i].attempt);
        if (!s->lanes[i].res || !s->lanes[i].attempt) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto fail;
        }
    }
    if (resuming && (st = lock_run_dir(s, dir, err)) != BV_OK)
        goto fail;
    if (resuming && (st = check_resumable(rep, dir, cases, n, device, err)) != BV_OK)
        goto fail;
    if ((st = load_lists(s, err)) != BV_OK)
        goto fail;
    snprintf(path, sizeof path, "%s/results.jsonl", dir);
    if (!resuming) {
        const char **names = calloc(n ? n : 1, sizeof *names);
        if (!names) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < n; i++)
            names[i] = cases[i].name;
        st = bv_report_set_plan(rep, names, n, err);
        free(names);
        if (!st && (st = bv_mkdir_p(dir, err)) != BV_OK)
            bv_error_prefix(err, "--report-dir");
        if (!st)
            st = lock_run_dir(s, dir, err);
        if (!st)
            st = point_latest(dir, err);
        if (!st)
            st = bv_report_log_open(path, rep, &s->log, err);
    } else {
        char now[32];
        bv_run_utc_stamp(now, sizeof now, NULL, 0);
        st = bv_report_add_resumed(rep, now, err);
        if (!st)
            st = bv_report_log_reopen(path, now, &s->log, err);
    }
    if (st)
        goto fail;
    for (size_t i = 0; i < n; i++)
        s->todo += !bv_report_find_case(rep, cases[i].name);
    *out = s;
    return BV_OK;
fail:
    bv_run_session_destroy(s);
    return st;
}

size_t bv_run_session_todo(const bv_run_session *s) { return s->todo; }
bv_run_worker_stats bv_run_session_worker_stats(const bv_run_session *s) { return s->wstats; }
bool bv_run_session_device_gone(const bv_run_session *s) { return s->gone; }

/* Times blsvk died in this case in earlier attempts of the run (crashed or killed). */
static unsigned died_in(const bv_report *rep, const char *name)
{
    for (size_t k = 0; k < rep->ninterrupted; k++)
        if (strcmp(rep->interrupted[k].name, name) == 0)
            return rep->interrupted[k].starts;
    return 0;
}

/* One attempt in the lane's worker (started fresh when there is none): a worker that died or was
 * killed is dropped, and so is one whose device is gone, so that the next case gets a fresh device.
 * Only a worker that cannot open the device gives the device up. */
static bv_status run_in_worker(bv_run_session *s, lane *ln, const bv_run_case *c, unsigned attempt, bv_error *err)
{
    bv_error werr;
    bool gone = false, lost = false;
    bv_status st;
    bv_error_clear(&werr);
    if (!ln->worker) {
        uint64_t t0 = bv_time_ns();
        st = bv_run_worker_start(s->o.worker_argv, &ln->worker, &werr);
        if (!st)
            st = bv_run_worker_wait_ready(ln->worker, s->o.worker_open_ms ? s->o.worker_open_ms : 60000, &werr);
        double took = (double)(bv_time_ns() - t0) * 1e-9;
        sess_lock(s);
        s->wstats.started++;
        bool fresh = s->wstats.started > s->nlanes;
        s->wstats.restarts += fresh;
        if (took > s->wstats.slowest_open_s)
            s->wstats.slowest_open_s = took;
        if (fresh && took > s->wstats.slowest_restart_s)
            s->wstats.slowest_restart_s = took;
        if (st) {
            s->gone = true;
            snprintf(s->gone_reason, sizeof s->gone_reason, "%s", werr.msg);
        }
        sess_unlock(s);
        if (st) {
            bv_run_worker_stop(ln->worker);
            ln->worker = NULL;
            unrun_case(ln->attempt, c, BV_RESULT_SKIPPED, werr.msg);
            return BV_OK;
        }
    }
    st = bv_run_worker_case(ln->worker, c, attempt, s->o.worker_deadline_ms ? s->o.worker_deadline_ms : 130000,
                            ln->attempt, &gone, &lost, err);
    if (st)
        return st;
    if (ln->attempt->status == BV_RESULT_CRASH) {
        const char *kd = s->rep->run.kernel_dir;
        size_t l = strlen(ln->attempt->reason);
        snprintf(ln->attempt->reason + l, sizeof ln->attempt->reason - l, "; replay: blsvk run%s%s --filter '%s'",
                 kd[0] ? " --kernel-dir " : "", kd, c->name);
    }
    if (lost || gone) {
        bv_run_worker_stop(ln->worker);
        ln->worker = NULL;
    }
    return BV_OK;
}

/* Every attempt of one case, logged before it runs, with up to `retries` retries of a failure;
 * the result in ln->res. */
static bv_status run_attempts(bv_run_session *s, lane *ln, bv_vk_instance *inst, bv_vk_context *ctx,
                              const bv_run_case *c, unsigned retries, bv_error *err)
{
    bv_report_case *res = ln->res, *attempt = ln->attempt;
    sess_lock(s);
    unsigned died = died_in(s->rep, c->name);
    sess_unlock(s);
    bv_status st;
    memset(res, 0, sizeof *res);
    if (died >= 2) {
        /* A third try would likely take the run down again. */
        char why[256];
        snprintf(why, sizeof why, "blsvk died while running this case %u times (crashed or killed); not run "
                                  "again (see results.jsonl)", died);
        unrun_case(res, c, BV_RESULT_INTERNAL_ERROR, why);
        BV_IGNORE(bv_report_case_add_attempt(res, res, NULL));
        return BV_OK;
    }
    for (;;) {
        unsigned k = res->nattempts + 1;
        const bv_kernel *kernel = bv_run_case_kernel(s->o.user, c);
        if (k == 1 && s->o.first_attempt && bv_kernel_set_find(s->o.first_attempt, c->family, c->op, c->limbs))
            kernel = bv_kernel_set_find(s->o.first_attempt, c->family, c->op, c->limbs);
        sess_lock(s);
        st = bv_report_log_start(s->log, c->name, k, err);
        bool gone = s->gone;
        char why[1100];
        snprintf(why, sizeof why, "device unusable after an earlier case: %s", s->gone_reason);
        sess_unlock(s);
        if (st)
            return st;
        if (gone) {
            unrun_case(attempt, c, BV_RESULT_SKIPPED, why);
        } else if (s->o.worker_argv) {
            if ((st = run_in_worker(s, ln, c, k, err)) != BV_OK)
                return st;
        } else {
            bv_error cerr;
            bv_error_clear(&cerr);
            if (bv_run_case_execute(ctx, inst, kernel, c, &s->o.run, attempt, &s->gone, &cerr)) {
                attempt->status = BV_RESULT_INTERNAL_ERROR;
                snprintf(attempt->reason, sizeof attempt->reason, "%s", cerr.msg);
            }
            if (s->gone && !s->gone_reason[0])
                snprintf(s->gone_reason, sizeof s->gone_reason, "%s", attempt->reason);
        }
        if ((st = bv_report_case_add_attempt(res, attempt, err)) != BV_OK)
            return st;
        sess_lock(s);
        gone = s->gone;
        sess_unlock(s);
        if (gone || !bv_report_case_should_retry(res, retries))
            return BV_OK;
    }
}

/* The lane's next planned case without a result, or NULL when there is none or a stop was asked
 * for. Called with the lock held. */
static bool same_kernel(const bv_run_case *a, const bv_run_case *b)
{
    return a->family == b->family && a->op == b->op && a->limbs == b->limbs;
}

static const bv_run_case *next_case(bv_run_session *s, lane *ln)
{
    if (s->o.stop && *s->o.stop)
        s->stopped = true;
    while (!s->stopped && s->lane_st == BV_OK) {
        if (ln->bnext == ln->bend) {
            /* A new batch: the plan's next run of cases of one kernel, so that each lane's
             * worker compiles a module once rather than every lane compiling every module. */
            if (s->next >= s->n)
                return NULL;
            ln->bnext = s->next;
            ln->bend = s->next + 1;
            while (ln->bend < s->n && same_kernel(&s->cases[ln->bend], &s->cases[ln->bnext]))
                ln->bend++;
            s->next = ln->bend;
        }
        const bv_run_case *c = &s->cases[ln->bnext++];
        if (!bv_report_find_case(s->rep, c->name))
            return c; /* else finished before the run was interrupted */
    }
    return NULL;
}

/* A lane: takes cases off the plan until none is left, runs each and records its result. */
static bv_status lane_run(bv_run_session *s, lane *ln, bv_vk_instance *inst, bv_vk_context *ctx, bv_error *err)
{
    bv_status st = BV_OK;
    for (;;) {
        sess_lock(s);
        const bv_run_case *c = next_case(s, ln);
        if (c && s->o.progress)
            s->o.progress(s->o.progress_user, &(bv_run_progress){.done = s->done, .todo = s->todo, .c = c});
        sess_unlock(s);
        if (!c)
            return BV_OK;
        const bv_report_baseline_entry *skip = bv_report_baseline_match(s->rep->skips, c->name);
        const bv_report_baseline_entry *flake = bv_report_baseline_match(s->rep->flakes, c->name);
        if (skip) {
            /* Never run, not even logged as started: the list says why. */
            char why[sizeof ln->res->reason];
            snprintf(why, sizeof why, "listed in --skips %s line %u: %s", s->rep->skips->path, skip->line,
                     skip->reason);
            unrun_case(ln->res, c, BV_RESULT_SKIP_LISTED, why);
        } else {
            /* A known flake gets one retry even without --retry-failures: deqp-runner's rerun. */
            unsigned retries = s->o.retry_failures ? s->o.retry_failures : flake ? 1 : 0;
            if ((st = run_attempts(s, ln, inst, ctx, c, retries, err)) != BV_OK)
                return st;
            bv_report_case_resolve(ln->res, bv_report_baseline_match(s->rep->baseline, c->name), flake);
        }
        sess_lock(s);
        if ((st = bv_report_log_result(s->log, ln->res, err)) == BV_OK)
            st = bv_report_put_case(s->rep, ln->res, err);
        if (!st) {
            s->done++;
            if (s->o.progress)
                s->o.progress(s->o.progress_user,
                              &(bv_run_progress){.done = s->done, .todo = s->todo, .c = c, .result = ln->res});
        }
        sess_unlock(s);
        if (st)
            return st;
    }
}

typedef struct lane_thread {
    bv_run_session *s;
    lane *ln;
} lane_thread;

static void *lane_main(void *arg)
{
    lane_thread *t = arg;
    bv_error err;
    bv_error_clear(&err);
    bv_status st = lane_run(t->s, t->ln, NULL, NULL, &err);
    if (st) {
        sess_lock(t->s);
        if (!t->s->lane_st) {
            t->s->lane_st = st;
            t->s->lane_err = err;
        }
        sess_unlock(t->s);
    }
    return NULL;
}

bv_status bv_run_session_execute(bv_run_session *s, bv_vk_instance *inst, bv_vk_context *ctx, bv_error *err)
{
    if (s->nlanes == 1)
        return lane_run(s, &s->lanes[0], inst, ctx, err);
    pthread_t tid[64];
    lane_thread lt[64];
    unsigned started = 0;
    for (unsigned i = 0; i < s->nlanes && i < 64; i++) {
        lt[i] = (lane_thread){.s = s, .ln = &s->lanes[i]};
        if (pthread_create(&tid[i], NULL, lane_main, &lt[i]) != 0)
            break;
        started++;
    }
    if (started == 0)
        return bv_error_set(err, BV_ERR_NOMEM, "cannot start a thread for a lane: %s", strerror(errno));
    for (unsigned i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    if (s->lane_st)
        *err = s->lane_err;
    return s->lane_st;
}

bool bv_run_session_stopped(const bv_run_session *s) { return s->stopped; }

bv_status bv_run_session_finish(bv_run_session *s, bv_report_summary *summary, bv_report_set **set_out,
                                bv_error *err)
{
    bv_report_set *set = NULL;
    bv_report *rep = s->rep;
    char path[4096 + 64];
    bv_status st;
    if (set_out)
        *set_out = NULL;
    bv_report_log_close(s->log);
    s->log = NULL;
    for (unsigned i = 0; i < s->nlanes; i++) {
        bv_run_worker_stop(s->lanes[i].worker);
        s->lanes[i].worker = NULL;
    }
    bv_report_sort(rep);
    bv_report_count_baseline(rep);
    bv_run_utc_stamp(rep->run.finished, sizeof rep->run.finished, NULL, 0);
    bv_report_summarize(rep, summary);
    /* The set owns the report from here on. */
    s->rep = NULL;
    if ((st = bv_report_set_create(&set, err)) != BV_OK) {
        bv_report_destroy(rep);
        return st;
    }
    st = bv_report_set_add(set, rep, err);
    if (!st) {
        snprintf(path, sizeof path, "%s/results.json", s->dir);
        st = bv_report_write_json(path, rep, err);
    }
    if (!st) {
        snprintf(path, sizeof path, "%s/results.csv", s->dir);
        st = bv_report_write_csv(path, rep, err);
    }
    if (!st) {
        snprintf(path, sizeof path, "%s/junit.xml", s->dir);
        st = bv_report_write_junit(path, set, err);
    }
    if (!st) {
        snprintf(path, sizeof path, "%s/summary.md", s->dir);
        st = bv_report_write_markdown(path, set, err);
    }
    if (!st) {
        snprintf(path, sizeof path, "%s/report.html", s->dir);
        st = bv_report_write_html(path, set, err);
    }
    if (!st && set_out)
        *set_out = set;
    else
        bv_report_set_destroy(set);
    return st;
}

void bv_run_session_destroy(bv_run_session *s)
{
    if (!s)
        return;
    for (unsigned i = 0; s->lanes && i < s->nlanes; i++) {
        bv_run_worker_stop(s->lanes[i].worker);
        free(s->lanes[i].res);
        free(s->lanes[i].attempt);
    }
    free(s->lanes);
    bv_report_log_close(s->log);
    bv_report_destroy(s->rep);
    if (s->lock_fd >= 0)
        close(s->lock_fd);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
