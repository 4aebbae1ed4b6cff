/* harness/cli_mutants.c: the mutants verb. Runs a suite against every deliberately broken kernel
 * of suites/mutants (built into <build>/suites/mutants/<mutant>/, one --kernel-dir each) and
 * reports, per mutant, which cases killed it, and the kill rate: how sensitive the suite is.
 * Each mutant runs in a child process of its own, so that a mutant that crashes the driver or
 * hangs the device is still a kill, recorded against the case it was running, and the next
 * mutant starts on a fresh device. */
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

#define MAX_FILTERS 64
#define MAX_KILLS_KEPT 64
/* Mutant runs wait less than ordinary runs: every quick case ends in well under a second on
 * lavapipe, and a looping mutant should not hold the check up for a minute a case. */
#define DEFAULT_TIMEOUT_MS 2000u

typedef struct mut_opts {
    const char *suite;
    const char *mutants_dir;
    const char *device;
    const char *filters[MAX_FILTERS]; /* mutant names */
    size_t nfilters;
    const char *case_filters[MAX_FILTERS];
    size_t ncase_filters;
    const char *json_path, *markdown_path;
    uint32_t timeout_ms;
    bool first_kill;
    bool recipes;
    bool list_only;
    bool quiet;
} mut_opts;

/* How a case kills a mutant: a report status, or what happened to the mutant's process. */
static const char *const kill_kinds[] = {"fail", "timeout", "device-lost", "internal-error", "crash", "hang"};
#define KILL_KINDS (sizeof kill_kinds / sizeof kill_kinds[0])

/* A case that killed a mutant. */
typedef struct mut_kill {
    char name[160];
    char status[24]; /* a report status name, or "crash" / "hang" */
    char reason[256];
} mut_kill;

typedef enum mut_state { MUT_KILLED = 0, MUT_SURVIVED, MUT_NOT_RUN, MUT_ERROR } mut_state;
static const char *const state_names[] = {"killed", "survived", "not-run", "error"};

typedef struct mutant {
    bool selected; /* by --filter */
    bool device_error; /* the child could not open the device */
    char name[64];
    char bug[512];
    char note[512];
    char ops[128], fields[16], limbs[16]; /* comma-separated, for people */
    size_t nkernels;                      /* modules the table says it has */
    /* Results. */
    mut_state state;
    char error[1024];
    size_t ncases, nkills, npass, nunsupported;
    size_t kind_counts[KILL_KINDS];
    /* Killing cases by set (the fifth part of a case name): which inputs find the bug. */
    char set_names[12][16];
    size_t set_counts[12], nsets;
    mut_kill kills[MAX_KILLS_KEPT]; /* the first MAX_KILLS_KEPT of nkills */
    double seconds;
} mutant;

typedef struct mut_device {
    char name[256];
    char driver[256];
} mut_device;

enum { OPT_SUITE = 256, OPT_DIR, OPT_DEVICE, OPT_FILTER, OPT_CASE_FILTER, OPT_JSON, OPT_MD, OPT_TIMEOUT,
       OPT_FIRST_KILL, OPT_RECIPES, OPT_LIST, OPT_QUIET, OPT_HELP };

static void mutants_help(FILE *f)
{
    fprintf(f,
            "usage: blsvk mutants [--suite quick|full] [--mutants-dir DIR] [--filter GLOB]...\n"
            "                     [--case-filter GLOB]... [--device SEL] [--timeout-ms N] [--first-kill]\n"
            "                     [--recipes] [--json FILE] [--markdown FILE] [--list] [--quiet]\n\n"
            "Runs the suite's cases against every mutant, a deliberately broken variant of the built-in\n"
            "kernels (suites/mutants/mutants.json, built into <build>/suites/mutants), and reports which\n"
            "cases killed each one. A case kills a mutant when it fails, times out, loses the device, or\n"
            "crashes or hangs the mutant's process; each mutant runs in a process of its own.\n\n"
            "  --mutants-dir DIR   the built mutants (default $BLSVK_MUTANTS_DIR, else\n"
            "                      <blsvk's folder>/../suites/mutants, right for a build tree)\n"
            "  --filter GLOB       mutants by name; '-GLOB' excludes; repeatable\n"
            "  --case-filter GLOB  cases by name, as blsvk run --filter\n"
            "  --timeout-ms N      longest wait for one submission (default %u)\n"
            "  --first-kill        stop each mutant at its first killing case (faster; fewer details)\n"
            "  --recipes           also run the spirv-opt recipe cases (<limbs>+<recipe>): they re-run\n"
            "                      the edge set through a differently optimised module, to find driver\n"
            "                      compiler bugs, not kernel bugs, and cost an optimiser run a kernel\n"
            "  --json FILE         write the results (blsvk-mutants-results/1)\n"
            "  --markdown FILE     write the mutation table (as in docs/RELIABILITY.md)\n"
            "  --list              list the mutants and what they break; run nothing\n\n"
            "Exit status: 0 every mutant killed, 1 a mutant survived, 2 bad usage or a mutant that is\n"
            "missing, stale or the same as the built-in kernel, 3 no usable device.\n",
            DEFAULT_TIMEOUT_MS);
}

static bool parse_u32(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-')
        return false;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v == 0 || v > UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* Returns -1 to go on, else the exit status. */
static int parse_opts(int argc, char **argv, mut_opts *o)
{
    static const struct option lo[] = {{"help", no_argument, NULL, OPT_HELP},
                                       {"suite", required_argument, NULL, OPT_SUITE},
                                       {"mutants-dir", required_argument, NULL, OPT_DIR},
                                       {"device", required_argument, NULL, OPT_DEVICE},
                                       {"filter", required_argument, NULL, OPT_FILTER},
                                       {"case-filter", required_argument, NULL, OPT_CASE_FILTER},
                                       {"json", required_argument, NULL, OPT_JSON},
                                       {"markdown", required_argument, NULL, OPT_MD},
                                       {"timeout-ms", required_argument, NULL, OPT_TIMEOUT},
                                       {"first-kill", no_argument, NULL, OPT_FIRST_KILL},
                                       {"recipes", no_argument, NULL, OPT_RECIPES},
                                       {"list", no_argument, NULL, OPT_LIST},
                                       {"quiet", no_argument, NULL, OPT_QUIET},
                                       {0, 0, 0, 0}};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 'h':
        case OPT_HELP: mutants_help(stdout); return BV_EXIT_OK;
        case OPT_SUITE: o->suite = optarg; break;
        case OPT_DIR: o->mutants_dir = optarg; break;
        case OPT_DEVICE: o->device = optarg; break;
        case OPT_JSON: o->json_path = optarg; break;
        case OPT_MD: o->markdown_path = optarg; break;
        case OPT_FIRST_KILL: o->first_kill = true; break;
        case OPT_RECIPES: o->recipes = true; break;
        case OPT_LIST: o->list_only = true; break;
        case OPT_QUIET: o->quiet = true; break;
        case OPT_FILTER:
        case OPT_CASE_FILTER: {
            const char **list = c == OPT_FILTER ? o->filters : o->case_filters;
            size_t *n = c == OPT_FILTER ? &o->nfilters : &o->ncase_filters;
            for (char *p = strtok(optarg, ","); p; p = strtok(NULL, ",")) {
                if (*n == MAX_FILTERS) {
                    fprintf(stderr, "blsvk mutants: at most %d filters\n", MAX_FILTERS);
                    return BV_EXIT_USAGE;
                }
                list[(*n)++] = p;
            }
            break;
        }
        case OPT_TIMEOUT:
            if (!parse_u32(optarg, &o->timeout_ms)) {
                fprintf(stderr, "blsvk mutants: --timeout-ms takes a positive whole number, not '%s'\n", optarg);
                return BV_EXIT_USAGE;
            }
            break;
        case ':':
            fprintf(stderr, "blsvk mutants: %s needs a value\n", argv[optind - 1]);
            return BV_EXIT_USAGE;
        default:
            fprintf(stderr, "blsvk mutants: unknown option '%s' (see blsvk mutants --help)\n", argv[optind - 1]);
            return BV_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "blsvk mutants: unexpected argument '%s'\n", argv[optind]);
        return BV_EXIT_USAGE;
    }
    return -1;
}

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
static bv_status read_table(const char *dir, mutant **out, size_t *n, bv_error *err)
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
static const char *mutants_dir(const mut_opts *o, char *buf, size_t n)
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
static bv_status load_mutant(const char *dir, const mutant *m, bv_kernel_set **out, bv_error *err)
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

/* --- one mutant, in a child process ------------------------------------------------------ */

/* Lines the child writes to the parent, one record each, tab-separated:
 *   D <device name> <driver info>   once the device is open
 *   S <case>                        before a case runs (so a crash is pinned on it)
 *   R <case> <status> <reason>      after it
 *   X <message>                     the child could not start (no device, ...)
 *   E                               done */

static void clean_field(char *s)
{
    for (; *s; s++)
        if (*s == '\t' || *s == '\n' || *s == '\r')
            *s = ' ';
}

static void send_line(int fd, const char *fmt, ...) BV_PRINTF(2, 3);
static void send_line(int fd, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (len < 0)
        return;
    if ((size_t)len > sizeof buf - 2)
        len = (int)sizeof buf - 2;
    buf[len++] = '\n';
    for (int off = 0; off < len;) {
        ssize_t w = write(fd, buf + off, (size_t)(len - off));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += (int)w;
    }
}

static bool is_kill(bv_report_status s)
{
    return s == BV_RESULT_FAIL || s == BV_RESULT_TIMEOUT || s == BV_RESULT_DEVICE_LOST ||
           s == BV_RESULT_INTERNAL_ERROR;
}

static int child_main(const mut_opts *o, const bv_kernel_set *set, const bv_run_case *cases, size_t n, int fd)
{
    bv_vk_instance *inst = NULL;
    bv_vk_context *ctx = NULL;
    bv_report_case *res = calloc(1, sizeof *res);
    bv_error err;
    uint32_t index;
    int rc = BV_EXIT_OK;
    bv_error_clear(&err);
    if (!res) {
        send_line(fd, "X\tout of memory");
        return BV_EXIT_FAIL;
    }
    if (bv_vk_instance_create(NULL, &inst, &err)) {
        clean_field(err.msg);
        send_line(fd, "X\t%s", err.msg);
        rc = BV_EXIT_DEVICE;
        goto out;
    }
    if (bv_vk_device_count(inst) == 0 || bv_vk_device_select(inst, o->device, &index, &err)) {
        if (bv_vk_device_count(inst) == 0)
            snprintf(err.msg, sizeof err.msg, "%s", bv_vk_no_device_hint());
        clean_field(err.msg);
        send_line(fd, "X\t%s", err.msg);
        rc = BV_EXIT_DEVICE;
        goto out;
    }
    /* No on-disk pipeline cache: mutants must not fill the user's cache with broken pipelines. */
    bv_vk_context_opts co = {.timeout_ms = o->timeout_ms};
    if (bv_vk_context_create(inst, index, &co, &ctx, &err)) {
        clean_field(err.msg);
        send_line(fd, "X\t%s", err.msg);
        rc = BV_EXIT_DEVICE;
        goto out;
    }
    const bv_device_info *d = bv_vk_context_device(ctx);
    char name[256], driver[256];
    snprintf(name, sizeof name, "%s", d->name);
    snprintf(driver, sizeof driver, "%s %s", d->driver_name, d->driver_info);
    clean_field(name);
    clean_field(driver);
    send_line(fd, "D\t%s\t%s", name, driver);
    bv_run_opts ro = {.seed = 1, .reps = 1};
    for (size_t i = 0; i < n; i++) {
        bool gone = false;
        const bv_kernel *k = bv_kernel_set_find(set, cases[i].family, cases[i].op, cases[i].limbs);
        send_line(fd, "S\t%s", cases[i].name);
        if (bv_run_case_execute(ctx, inst, k, &cases[i], &ro, res, &gone, &err)) {
            res->status = BV_RESULT_INTERNAL_ERROR;
            snprintf(res->reason, sizeof res->reason, "%s", err.msg);
        }
        clean_field(res->reason);
        send_line(fd, "R\t%s\t%s\t%.250s", cases[i].name, bv_report_status_name(res->status), res->reason);
        if ((o->first_kill && is_kill(res->status)) || gone)
            break;
    }
    send_line(fd, "E");
out:
    bv_vk_context_destroy(ctx);
    bv_vk_instance_destroy(inst);
    free(res);
    return rc;
}

static void add_kill(mutant *m, const char *name, const char *status, const char *reason)
{
    for (size_t k = 0; k < KILL_KINDS; k++)
        if (strcmp(status, kill_kinds[k]) == 0)
            m->kind_counts[k]++;
    bv_run_case c;
    if (bv_run_case_parse(name, &c, NULL) == BV_OK) {
        const char *set = bv_case_set_name(c.set);
        size_t i;
        for (i = 0; i < m->nsets && strcmp(m->set_names[i], set) != 0; i++)
            ;
        if (i == m->nsets && i < sizeof m->set_counts / sizeof m->set_counts[0]) {
            snprintf(m->set_names[i], sizeof m->set_names[i], "%s", set);
            m->set_counts[i] = 0;
            m->nsets++;
        }
        if (i < m->nsets)
            m->set_counts[i]++;
    }
    if (m->nkills < MAX_KILLS_KEPT) {
        mut_kill *k = &m->kills[m->nkills];
        snprintf(k->name, sizeof k->name, "%s", name);
        snprintf(k->status, sizeof k->status, "%s", status);
        snprintf(k->reason, sizeof k->reason, "%s", reason);
    }
    m->nkills++;
}

/* Handles one line from the child; returns false on the end marker. */
static bool take_line(mutant *m, char *line, char *current, size_t current_n, mut_device *dev)
{
    char *f[4] = {NULL, NULL, NULL, NULL};
    int nf = 0;
    for (char *p = line; nf < 4;) {
        f[nf++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    switch (f[0][0]) {
    case 'D':
        if (nf >= 3 && !dev->name[0]) {
            snprintf(dev->name, sizeof dev->name, "%s", f[1]);
            snprintf(dev->driver, sizeof dev->driver, "%s", f[2]);
        }
        break;
    case 'S':
        if (nf >= 2)
            snprintf(current, current_n, "%s", f[1]);
        break;
    case 'R': {
        bv_report_status s;
        current[0] = '\0';
        if (nf < 3 || bv_report_status_parse(f[2], &s))
            break;
        m->ncases++;
        if (s == BV_RESULT_PASS)
            m->npass++;
        else if (s == BV_RESULT_NOT_SUPPORTED)
            m->nunsupported++;
        else if (is_kill(s))
            add_kill(m, f[1], f[2], nf >= 4 ? f[3] : "");
        break;
    }
    case 'X':
        m->state = MUT_ERROR;
        snprintf(m->error, sizeof m->error, "%s", nf >= 2 ? f[1] : "the mutant's process could not start");
        break;
    case 'E':
        return false;
    default:
        break;
    }
    return true;
}

/* Runs the cases against one mutant in a child process and fills m's results. A watchdog
 * kills the child when a case gives no sign of life for longer than any timeout and device
 * reset can take. */
static void run_mutant(const mut_opts *o, mutant *m, const bv_kernel_set *set, const bv_run_case *cases, size_t n,
                       mut_device *dev)
{
    int fds[2];
    char buf[8192], current[160] = "";
    size_t have = 0;
    bool ended = false, killed_by_watchdog = false;
    int status = 0;
    uint64_t t0 = bv_time_ns();
    int watchdog_ms = (int)(o->timeout_ms > 100000u ? 400000u : 2u * o->timeout_ms + 60000u);

    if (pipe(fds) != 0) {
        m->state = MUT_ERROR;
        snprintf(m->error, sizeof m->error, "pipe: %s", strerror(errno));
        return;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        m->state = MUT_ERROR;
        snprintf(m->error, sizeof m->error, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        _exit(child_main(o, set, cases, n, fds[1]));
    }
    close(fds[1]);
    while (!ended) {
        struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
        int pr = poll(&pfd, 1, watchdog_ms);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0) {
            kill(pid, SIGKILL);
            killed_by_watchdog = true;
            break;
        }
        ssize_t r = read(fds[0], buf + have, sizeof buf - 1 - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        have += (size_t)r;
        buf[have] = '\0';
        char *line = buf, *nl;
        while (!ended && (nl = strchr(line, '\n'))) {
            *nl = '\0';
            ended = !take_line(m, line, current, sizeof current, dev);
            line = nl + 1;
        }
        have -= (size_t)(line - buf);
        memmove(buf, line, have);
        if (have == sizeof buf - 1) /* a line longer than the buffer: drop it */
            have = 0;
    }
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    m->seconds = (double)(bv_time_ns() - t0) * 1e-9;
    if (m->state == MUT_ERROR) {
        m->device_error = WIFEXITED(status) && WEXITSTATUS(status) == BV_EXIT_DEVICE;
        return;
    }
    if (current[0]) {
        /* The child died or hung inside a case: that case found the bug. */
        char why[256];
        if (killed_by_watchdog)
            snprintf(why, sizeof why, "no sign of life for %d s: the mutant's process was killed", watchdog_ms / 1000);
        else if (WIFSIGNALED(status))
            snprintf(why, sizeof why, "the mutant's process died of signal %d (%s)", WTERMSIG(status),
                     strsignal(WTERMSIG(status)));
        else
            snprintf(why, sizeof why, "the mutant's process ended with status %d", WEXITSTATUS(status));
        m->ncases++;
        add_kill(m, current, killed_by_watchdog ? "hang" : "crash", why);
    } else if (!ended) {
        m->state = MUT_ERROR;
        snprintf(m->error, sizeof m->error, "the mutant's process ended before its cases did (%s %d)",
                 WIFSIGNALED(status) ? "signal" : "status", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
        return;
    }
    if (m->nkills)
        m->state = MUT_KILLED;
    else if (m->npass)
        m->state = MUT_SURVIVED;
    else
        m->state = MUT_NOT_RUN; /* every case NotSupported on this device */
}

/* --- output ------------------------------------------------------------------------------ */

/* "130 of 168 cases (fail 128, timeout 2)" into buf. */
static void kill_summary(const mutant *m, char *buf, size_t n)
{
    int l = snprintf(buf, n, "%zu of %zu cases", m->nkills, m->ncases);
    const char *sep = " (";
    for (size_t k = 0; k < KILL_KINDS && l > 0 && (size_t)l < n; k++) {
        if (!m->kind_counts[k])
            continue;
        l += snprintf(buf + l, n - (size_t)l, "%s%s %zu", sep, kill_kinds[k], m->kind_counts[k]);
        sep = ", ";
    }
    if (l > 0 && (size_t)l < n && m->nkills)
        l += snprintf(buf + l, n - (size_t)l, ")");
    sep = ": ";
    for (size_t i = 0; i < m->nsets && l > 0 && (size_t)l < n; i++) {
        l += snprintf(buf + l, n - (size_t)l, "%s%s %zu", sep, m->set_names[i], m->set_counts[i]);
        sep = ", ";
    }
}

/* Creates the folder a file goes in. */
static bv_status make_parent(const char *path, bv_error *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return BV_OK;
    *slash = '\0';
    return bv_mkdir_p(dir, err);
}

static bv_status write_json(const char *path, const mut_opts *o, const mut_device *dev, const mutant *ms, size_t n,
                            size_t killed, size_t counted, double seconds, bv_error *err)
{
    bv_json_file jf;
    bv_status st = make_parent(path, err);
    if (!st)
        st = bv_json_file_open(&jf, path, true, err);
    if (st)
        return st;
    bv_json_writer *w = jf.w;
    bv_json_writer_inline_from(w, 4);
    bv_json_obj_begin(w);
    bv_json_key(w, "format"); bv_json_str(w, "blsvk-mutants-results/1");
    bv_json_key(w, "blsvk_version"); bv_json_str(w, BV_VERSION);
    bv_json_key(w, "git_revision"); bv_json_str(w, BV_GIT_REVISION);
    bv_json_key(w, "suite"); bv_json_str(w, o->suite);
    bv_json_key(w, "first_kill"); bv_json_bool_write(w, o->first_kill);
    bv_json_key(w, "recipes"); bv_json_bool_write(w, o->recipes);
    bv_json_key(w, "timeout_ms"); bv_json_u64(w, o->timeout_ms);
    bv_json_key(w, "device"); bv_json_str(w, dev->name);
    bv_json_key(w, "driver"); bv_json_str(w, dev->driver);
    bv_json_key(w, "mutants"); bv_json_u64(w, counted);
    bv_json_key(w, "killed"); bv_json_u64(w, killed);
    bv_json_key(w, "kill_rate");
    if (counted)
        bv_json_num(w, (double)killed / (double)counted);
    else
        bv_json_null(w);
    bv_json_key(w, "seconds"); bv_json_num(w, seconds);
    bv_json_key(w, "results");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < n; i++) {
        const mutant *m = &ms[i];
        if (!m->selected)
            continue;
        bv_json_obj_begin(w);
        bv_json_key(w, "name"); bv_json_str(w, m->name);
        bv_json_key(w, "bug"); bv_json_str(w, m->bug);
        bv_json_key(w, "ops"); bv_json_str(w, m->ops);
        bv_json_key(w, "fields"); bv_json_str(w, m->fields);
        bv_json_key(w, "limbs"); bv_json_str(w, m->limbs);
        bv_json_key(w, "state"); bv_json_str(w, state_names[m->state]);
        if (m->state == MUT_ERROR) {
            bv_json_key(w, "error"); bv_json_str(w, m->error);
        }
        bv_json_key(w, "cases"); bv_json_u64(w, m->ncases);
        bv_json_key(w, "kills"); bv_json_u64(w, m->nkills);
        bv_json_key(w, "seconds"); bv_json_num(w, m->seconds);
        bv_json_key(w, "killed_by");
        bv_json_arr_begin(w);
        for (size_t k = 0; k < m->nkills && k < MAX_KILLS_KEPT; k++) {
            bv_json_obj_begin(w);
            bv_json_key(w, "case"); bv_json_str(w, m->kills[k].name);
            bv_json_key(w, "status"); bv_json_str(w, m->kills[k].status);
            bv_json_key(w, "reason"); bv_json_str(w, m->kills[k].reason);
            bv_json_obj_end(w);
        }
        bv_json_arr_end(w);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_obj_end(w);
    return bv_json_file_close(&jf, BV_OK, err);
}

/* Markdown cells must not hold '|'. */
static void md_cell(FILE *f, const char *s)
{
    for (; *s; s++)
        fputs(*s == '|' ? "\\|" : (char[2]){*s, 0}, f);
}

static bv_status write_markdown(const char *path, const mut_opts *o, const mut_device *dev, const mutant *ms,
                                size_t n, size_t killed, size_t counted, bv_error *err)
{
    bv_atomic_file af;
    bv_status st = make_parent(path, err);
    if (!st)
        st = bv_atomic_open(&af, path, err);
    if (st)
        return st;
    FILE *f = af.f;
    fprintf(f, "Suite `%s`%s on %s (%s): %zu of %zu mutants killed (%.1f%%).\n\n", o->suite,
            o->first_kill ? " (stopping at the first kill)" : "", dev->name, dev->driver, killed, counted,
            counted ? 100.0 * (double)killed / (double)counted : 0.0);
    fprintf(f, "| mutant | the bug | breaks | killed by |\n| --- | --- | --- | --- |\n");
    for (size_t i = 0; i < n; i++) {
        const mutant *m = &ms[i];
        char sum[512];
        if (!m->selected)
            continue;
        fprintf(f, "| `%s` | ", m->name);
        md_cell(f, m->bug);
        if (m->note[0]) {
            fputs(" (", f);
            md_cell(f, m->note);
            fputs(")", f);
        }
        fprintf(f, " | %s; %s; %s | ", m->ops, m->fields, m->limbs);
        if (m->state == MUT_KILLED) {
            kill_summary(m, sum, sizeof sum);
            fprintf(f, "%s, e.g. `%s`", sum, m->kills[0].name);
            if (m->nkills > 1)
                fprintf(f, ", `%s`", m->kills[m->nkills < MAX_KILLS_KEPT ? m->nkills - 1 : MAX_KILLS_KEPT - 1].name);
        } else if (m->state == MUT_ERROR) {
            fputs("**error**: ", f);
            md_cell(f, m->error);
        } else {
            fprintf(f, "**%s** (%zu cases)", state_names[m->state], m->ncases);
        }
        fputs(" |\n", f);
    }
    return bv_atomic_commit(&af, err);
}

/* --- the verb ---------------------------------------------------------------------------- */

int bv_cli_mutants(int argc, char **argv)
{
    mut_opts o = {.suite = "quick", .timeout_ms = DEFAULT_TIMEOUT_MS};
    mutant *ms = NULL;
    bv_run_case *all = NULL, *cases = NULL;
    size_t nms = 0, nall = 0;
    bv_error err;
    char dirbuf[4096 + 32];
    mut_device dev = {"", ""};
    int rc = parse_opts(argc, argv, &o);
    if (rc >= 0)
        return rc;
    bv_error_clear(&err);
    if (bv_ref_init(&err)) {
        fprintf(stderr, "blsvk mutants: %s\n", err.msg);
        return BV_EXIT_FAIL;
    }
    const char *dir = mutants_dir(&o, dirbuf, sizeof dirbuf);
    if (read_table(dir, &ms, &nms, &err)) {
        fprintf(stderr, "blsvk mutants: %s\n(build the mutants with cmake -DBLSVK_BUILD_MUTANTS=ON, or point "
                        "--mutants-dir at them)\n", err.msg);
        return BV_EXIT_USAGE;
    }
    if (bv_run_suite(o.suite, &all, &nall, &err)) {
        fprintf(stderr, "blsvk mutants: --suite: %s\n", err.msg);
        rc = BV_EXIT_USAGE;
        goto out;
    }
    nall = bv_run_filter(all, nall, o.case_filters, o.ncase_filters);
    if (!o.recipes) {
        size_t k = 0;
        for (size_t i = 0; i < nall; i++)
            if (!all[i].recipe[0])
                all[k++] = all[i];
        nall = k;
    }
    cases = calloc(nall ? nall : 1, sizeof *cases);
    if (!cases) {
        fprintf(stderr, "blsvk mutants: out of memory\n");
        rc = BV_EXIT_FAIL;
        goto out;
    }

    size_t selected = 0, killed = 0, survived = 0, not_run = 0, errors = 0;
    uint64_t t0 = bv_time_ns();
    for (size_t i = 0; i < nms; i++) {
        mutant *m = &ms[i];
        if (!bv_run_filter_match(o.filters, o.nfilters, m->name))
            continue;
        m->selected = true;
        selected++;
        if (o.list_only) {
            printf("%-32s %s; %s; %s\n    %s\n", m->name, m->ops, m->fields, m->limbs, m->bug);
            continue;
        }
        bv_kernel_set *set = NULL;
        if (load_mutant(dir, m, &set, &err)) {
            m->state = MUT_ERROR;
            snprintf(m->error, sizeof m->error, "%s", err.msg);
        } else {
            size_t n = 0;
            for (size_t c = 0; c < nall; c++)
                if (bv_kernel_set_find(set, all[c].family, all[c].op, all[c].limbs))
                    cases[n++] = all[c];
            if (n == 0) {
                m->state = MUT_ERROR;
                snprintf(m->error, sizeof m->error, "no case of the suite runs its kernels");
            } else {
                run_mutant(&o, m, set, cases, n, &dev);
            }
            bv_kernel_set_destroy(set);
        }
        char sum[512] = "";
        switch (m->state) {
        case MUT_KILLED: killed++; kill_summary(m, sum, sizeof sum); break;
        case MUT_SURVIVED: survived++; snprintf(sum, sizeof sum, "0 of %zu cases", m->ncases); break;
        case MUT_NOT_RUN: not_run++; snprintf(sum, sizeof sum, "every case not supported here"); break;
        case MUT_ERROR: errors++; snprintf(sum, sizeof sum, "%.250s", m->error); break;
        }
        if (!o.quiet || m->state != MUT_KILLED) {
            printf("%-8s %-32s %s (%.1f s)\n", m->state == MUT_SURVIVED ? "SURVIVED" : state_names[m->state], m->name,
                   sum, m->seconds);
            if (m->state == MUT_KILLED && !o.quiet)
                printf("         first killed by %s (%s)\n", m->kills[0].name, m->kills[0].status);
            if (m->state == MUT_SURVIVED)
                printf("         %s\n", m->bug);
            fflush(stdout);
        }
        /* A device that cannot be opened fails every mutant the same way: stop at the first. */
        if (m->device_error) {
            fprintf(stderr, "blsvk mutants: %s\n", m->error);
            rc = BV_EXIT_DEVICE;
            goto out;
        }
    }
    if (o.list_only) {
        printf("%zu mutants\n", selected);
        rc = BV_EXIT_OK;
        goto out;
    }
    if (selected == 0) {
        fprintf(stderr, "blsvk mutants: no mutant matches the filters (see blsvk mutants --list)\n");
        rc = BV_EXIT_USAGE;
        goto out;
    }
    double seconds = (double)(bv_time_ns() - t0) * 1e-9;
    size_t counted = killed + survived;
    printf("%zu mutants on %s: %zu killed, %zu survived, %zu not run, %zu errors; kill rate %.1f%% (%zu of %zu), "
           "%.1f s\n",
           selected, dev.name[0] ? dev.name : "(no device)", killed, survived, not_run, errors,
           counted ? 100.0 * (double)killed / (double)counted : 0.0, killed, counted, seconds);
    if (o.json_path && write_json(o.json_path, &o, &dev, ms, nms, killed, counted, seconds, &err)) {
        fprintf(stderr, "blsvk mutants: %s\n", err.msg);
        errors++;
    }
    if (o.markdown_path && write_markdown(o.markdown_path, &o, &dev, ms, nms, killed, counted, &err)) {
        fprintf(stderr, "blsvk mutants: %s\n", err.msg);
        errors++;
    }
    rc = errors ? BV_EXIT_USAGE : survived ? BV_EXIT_FAIL : BV_EXIT_OK;
out:
    free(ms);
    free(all);
    free(cases);
    return rc;
}
