/* harness/cli/cli_mutants_child.c: one mutant in a child process of its own, so that a mutant that
 * crashes the driver or hangs the device is still a kill, pinned on the case it was running. */
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

const char *const bv_mut_kill_kinds[] = {"fail", "timeout", "device-lost", "internal-error", "crash", "hang"};
_Static_assert(sizeof bv_mut_kill_kinds / sizeof bv_mut_kill_kinds[0] == KILL_KINDS, "one name per kill kind");
const char *const bv_mut_state_names[] = {"killed", "survived", "not-run", "error"};

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
    bool killed = false;
    for (size_t i = 0; i < n; i++) {
        bool gone = false;
        /* The poison cases come last (cli_mutants.c) and only for a mutant the plain ones left
         * alive: they find what plain cases cannot, and cost a pipeline each. */
        if (killed && strcmp(cases[i].recipe, BV_KERNEL_RECIPE_POISON) == 0)
            break;
        const bv_kernel *k = bv_kernel_set_find(set, cases[i].family, cases[i].op, cases[i].limbs);
        send_line(fd, "S\t%s", cases[i].name);
        if (bv_run_case_execute(ctx, inst, k, &cases[i], &ro, res, &gone, &err)) {
            res->status = BV_RESULT_INTERNAL_ERROR;
            snprintf(res->reason, sizeof res->reason, "%s", err.msg);
        }
        clean_field(res->reason);
        send_line(fd, "R\t%s\t%s\t%.250s", cases[i].name, bv_report_status_name(res->status), res->reason);
        killed = killed || is_kill(res->status);
        if ((o->first_kill && killed) || gone)
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
void bv_mut_run(const mut_opts *o, mutant *m, const bv_kernel_set *set, const bv_run_case *cases, size_t n,
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

