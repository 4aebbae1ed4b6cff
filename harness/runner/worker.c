/* harness/runner/worker.c: cases run in a worker process that owns the Vulkan device, so that a
 * driver that crashes or hangs takes the worker down, not the run. The worker reads "<attempt>
 * <case>" lines and answers each with one JSON line (the case record, as the case log writes
 * it); the parent side starts it, feeds it one case at a time and watches it with a deadline. */
#define _GNU_SOURCE
#include "bv_run.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define STDERR_KEEP 2048u
#define LINE_MAX_BYTES ((size_t)1 << 20)

/* --- the worker's side ------------------------------------------------------------------- */

/* One JSON line to the parent: {"ready":true} / {"ready":false,"error":...} or a result. */
static bv_status send_line(FILE *out, const bv_report_case *c, bool gone, const char *ready_error, bool ready,
                           bv_error *err)
{
    bv_json_writer *w = NULL;
    bv_status st = bv_json_writer_create(out, false, &w, err);
    if (st)
        return st;
    bv_json_obj_begin(w);
    if (c) {
        bv_json_key(w, "result");
        bv_report_case_write_json(w, c);
        bv_json_key(w, "gone"); bv_json_bool_write(w, gone);
    } else {
        bv_json_key(w, "ready"); bv_json_bool_write(w, ready);
        if (ready_error) {
            bv_json_key(w, "error"); bv_json_str(w, ready_error);
        }
    }
    bv_json_obj_end(w);
    st = bv_json_writer_finish(w, err);
    if (!st && fflush(out) != 0)
        st = bv_error_set(err, BV_ERR_IO, "worker: writing to the parent: %s", strerror(errno));
    return st;
}

bv_status bv_run_worker_ready(int out_fd, const char *error, bv_error *err)
{
    FILE *out = fdopen(dup(out_fd), "w");
    if (!out)
        return bv_error_set(err, BV_ERR_IO, "worker: %s", strerror(errno));
    bv_status st = send_line(out, NULL, false, error, error == NULL, err);
    fclose(out);
    return st;
}

/* Test hooks: a case whose name matches $BLSVK_TEST_CRASH_CASE dies on SIGSEGV in the worker, one
 * that matches $BLSVK_TEST_HANG_CASE never returns (a driver call that blocks for good), so that
 * the parent's recovery is tested on any device. Never set them outside tests. */
static void test_hooks(const char *name)
{
    const char *crash = getenv("BLSVK_TEST_CRASH_CASE"), *hang = getenv("BLSVK_TEST_HANG_CASE");
    if (crash && *crash && fnmatch(crash, name, 0) == 0) {
        /* The default action, as a driver's stray pointer would get it (a sanitizer's handler
         * would turn the signal into an ordinary exit). */
        signal(SIGSEGV, SIG_DFL);
        raise(SIGSEGV);
    }
    if (hang && *hang && fnmatch(hang, name, 0) == 0)
        for (;;)
            pause();
}

bv_status bv_run_worker_serve(int in_fd, int out_fd, bv_vk_instance *inst, bv_vk_context *ctx,
                              const bv_kernel_set *user, const bv_kernel_set *first_attempt, const bv_run_opts *opts,
                              bv_error *err)
{
    bv_status st = BV_OK;
    FILE *in = fdopen(dup(in_fd), "r"), *out = fdopen(dup(out_fd), "w");
    char line[512];
    bv_report_case *res = calloc(1, sizeof *res);
    if (!in || !out || !res) {
        st = bv_error_set(err, BV_ERR_NOMEM, "worker: out of memory");
        goto out;
    }
    while (fgets(line, sizeof line, in)) {
        unsigned attempt = 0;
        char name[200];
        bv_run_case c;
        bool gone = false;
        bv_error cerr;
        if (sscanf(line, "%u %199s", &attempt, name) != 2 || bv_run_case_parse(name, &c, &cerr)) {
            st = bv_error_set(err, BV_ERR_INTERNAL, "worker: a request it cannot read: %.200s", line);
            goto out;
        }
        test_hooks(c.name);
        const bv_kernel *kernel = bv_run_case_kernel(user, &c);
        if (attempt == 1 && first_attempt && bv_kernel_set_find(first_attempt, c.family, c.op, c.limbs))
            kernel = bv_kernel_set_find(first_attempt, c.family, c.op, c.limbs);
        bv_error_clear(&cerr);
        if (bv_run_case_execute(ctx, inst, kernel, &c, opts, res, &gone, &cerr)) {
            res->status = BV_RESULT_INTERNAL_ERROR;
            snprintf(res->reason, sizeof res->reason, "%s", cerr.msg);
        }
        if ((st = send_line(out, res, gone, NULL, false, err)) != BV_OK)
            goto out;
    }
out:
    if (in)
        fclose(in);
    if (out)
        fclose(out);
    free(res);
    return st;
}

/* --- the parent's side ------------------------------------------------------------------- */

struct bv_run_worker {
    pid_t pid;
    int to, from, errfd; /* its stdin, stdout and stderr */
    char *buf;           /* what it wrote to stdout and the parent has not consumed */
    size_t len, cap;
    char tail[STDERR_KEEP]; /* the last bytes it wrote to stderr */
    size_t tail_len;
};

static void keep_stderr(bv_run_worker *w, const char *p, size_t n)
{
    if (n >= STDERR_KEEP) {
        memcpy(w->tail, p + n - STDERR_KEEP, STDERR_KEEP);
        w->tail_len = STDERR_KEEP;
        return;
    }
    if (w->tail_len + n > STDERR_KEEP) {
        size_t drop = w->tail_len + n - STDERR_KEEP;
        memmove(w->tail, w->tail + drop, w->tail_len - drop);
        w->tail_len -= drop;
    }
    memcpy(w->tail + w->tail_len, p, n);
    w->tail_len += n;
}

bv_status bv_run_worker_start(char *const *argv, bv_run_worker **out, bv_error *err)
{
    int in[2] = {-1, -1}, o[2] = {-1, -1}, e[2] = {-1, -1};
    bv_run_worker *w = calloc(1, sizeof *w);
    *out = NULL;
    if (!w)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    w->pid = -1;
    w->to = w->from = w->errfd = -1;
    if (pipe2(in, O_CLOEXEC) || pipe2(o, O_CLOEXEC) || pipe2(e, O_CLOEXEC)) {
        bv_status st = bv_error_set(err, BV_ERR_IO, "worker: pipe: %s", strerror(errno));
        for (int i = 0; i < 2; i++) {
            if (in[i] >= 0) close(in[i]);
            if (o[i] >= 0) close(o[i]);
            if (e[i] >= 0) close(e[i]);
        }
        free(w);
        return st;
    }
    fflush(NULL);
    w->pid = fork();
    if (w->pid == 0) {
        /* The child: its stdin, stdout and stderr are the pipes; the parent's terminal signals
         * (Ctrl-C) are the parent's business. */
        setpgid(0, 0);
        if (dup2(in[0], 0) < 0 || dup2(o[1], 1) < 0 || dup2(e[1], 2) < 0)
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    close(in[0]);
    close(o[1]);
    close(e[1]);
    w->to = in[1];
    w->from = o[0];
    w->errfd = e[0];
    if (w->pid < 0) {
        bv_status st = bv_error_set(err, BV_ERR_IO, "worker: fork: %s", strerror(errno));
        bv_run_worker_stop(w);
        return st;
    }
    /* A worker that dies must not take the parent down with SIGPIPE on the next request. */
    signal(SIGPIPE, SIG_IGN);
    *out = w;
    return BV_OK;
}

/* Reads until a whole line is there (*line points into w->buf, NUL-terminated, to be consumed by
 * the caller), the worker closes its stdout (*eof) or the deadline passes (*late). */
static bv_status read_line(bv_run_worker *w, uint64_t deadline_ns, char **line, bool *eof, bool *late,
                           bv_error *err)
{
    *line = NULL;
    *eof = *late = false;
    for (;;) {
        char *nl = w->len ? memchr(w->buf, '\n', w->len) : NULL;
        if (nl) {
            *nl = '\0';
            *line = w->buf;
            return BV_OK;
        }
        uint64_t now = bv_time_ns();
        if (now >= deadline_ns) {
            *late = true;
            return BV_OK;
        }
        struct pollfd p[2] = {{.fd = w->from, .events = POLLIN}, {.fd = w->errfd, .events = POLLIN}};
        int left_ms = (int)((deadline_ns - now) / 1000000u) + 1;
        int r = poll(p, w->errfd >= 0 ? 2 : 1, left_ms);
        if (r < 0 && errno != EINTR)
            return bv_error_set(err, BV_ERR_IO, "worker: poll: %s", strerror(errno));
        if (r <= 0)
            continue;
        char chunk[4096];
        if (w->errfd >= 0 && (p[1].revents & (POLLIN | POLLHUP))) {
            ssize_t n = read(w->errfd, chunk, sizeof chunk);
            if (n > 0)
                keep_stderr(w, chunk, (size_t)n);
            else if (n == 0) {
                close(w->errfd);
                w->errfd = -1;
            }
        }
        if (p[0].revents & (POLLIN | POLLHUP)) {
            ssize_t n = read(w->from, chunk, sizeof chunk);
            if (n == 0) {
                *eof = true;
                return BV_OK;
            }
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return bv_error_set(err, BV_ERR_IO, "worker: read: %s", strerror(errno));
            }
            if (w->len + (size_t)n + 1 > LINE_MAX_BYTES)
                return bv_error_set(err, BV_ERR_OVERFLOW, "worker: a reply longer than %zu bytes", LINE_MAX_BYTES);
            if (bv_array_reserve(&w->buf, &w->cap, w->len + (size_t)n + 1, 1, err))
                return BV_ERR_NOMEM;
            memcpy(w->buf + w->len, chunk, (size_t)n);
            w->len += (size_t)n;
        }
    }
}

/* Drops the line read_line returned. */
static void consume_line(bv_run_worker *w, const char *line)
{
    size_t used = strlen(line) + 1;
    memmove(w->buf, w->buf + used, w->len - used);
    w->len -= used;
}

/* The last lines the worker wrote to stderr, on one line each joined by " | ". */
static void stderr_tail(const bv_run_worker *w, char *buf, size_t n)
{
    size_t k = 0, start = 0;
    int lines = 0;
    for (size_t i = w->tail_len; i > 0 && lines < 6; i--)
        if (w->tail[i - 1] == '\n' && i != w->tail_len)
            lines++, start = i;
    if (lines < 6)
        start = 0;
    for (size_t i = start; i < w->tail_len && k + 4 < n; i++) {
        char ch = w->tail[i];
        if (ch == '\n') {
            if (i + 1 < w->tail_len)
                k += (size_t)snprintf(buf + k, n - k, " | ");
        } else {
            buf[k++] = (unsigned char)ch < 0x20 ? ' ' : ch;
        }
    }
    buf[k < n ? k : n - 1] = '\0';
}

/* Kills the worker (SIGTERM, then SIGKILL after a short grace) and reaps it; *status its wait status. */
static void end_worker(bv_run_worker *w, bool kill_it, int *status)
{
    int wst = 0;
    if (w->pid <= 0)
        return;
    if (kill_it)
        kill(w->pid, SIGTERM);
    for (int i = 0; i < 100; i++) {
        pid_t r = waitpid(w->pid, &wst, WNOHANG);
        if (r == w->pid || (r < 0 && errno != EINTR))
            goto reaped;
        if (i == 20)
            kill(w->pid, SIGKILL);
        usleep(10000);
    }
    kill(w->pid, SIGKILL);
    while (waitpid(w->pid, &wst, 0) < 0 && errno == EINTR) {
    }
reaped:
    if (status)
        *status = wst;
    w->pid = -1;
}

bv_status bv_run_worker_wait_ready(bv_run_worker *w, uint32_t timeout_ms, bv_error *err)
{
    char *line;
    bool eof, late;
    bv_json *j = NULL;
    bv_status st = read_line(w, bv_time_ns() + (uint64_t)timeout_ms * 1000000u, &line, &eof, &late, err);
    if (st)
        return st;
    if (late || eof) {
        char tail[1024];
        end_worker(w, true, NULL);
        stderr_tail(w, tail, sizeof tail);
        return bv_error_set(err, BV_ERR_NO_DEVICE, "a worker %s%s%s",
                            late ? "did not open the device in time" : "died before it opened the device",
                            tail[0] ? ": " : "", tail);
    }
    st = bv_json_parse(line, strlen(line), &j, err);
    if (!st && !bv_json_bool(bv_json_get(j, "ready"))) {
        const char *why = bv_json_string(bv_json_get(j, "error"));
        st = bv_error_set(err, BV_ERR_NO_DEVICE, "the worker could not open the device: %s", why ? why : "?");
    }
    consume_line(w, line);
    bv_json_free(j);
    return st;
}

bv_status bv_run_worker_case(bv_run_worker *w, const bv_run_case *c, unsigned attempt, uint32_t deadline_ms,
                             bv_report_case *out, bool *device_gone, bool *lost, bv_error *err)
{
    char req[256], *line;
    bool eof, late;
    bv_json *j = NULL;
    bv_status st;
    *device_gone = *lost = false;
    int n = snprintf(req, sizeof req, "%u %s\n", attempt, c->name);
    if (write(w->to, req, (size_t)n) != n) {
        /* It died between cases: the case in flight is this one. */
        eof = true;
        late = false;
    } else {
        st = read_line(w, bv_time_ns() + (uint64_t)deadline_ms * 1000000u, &line, &eof, &late, err);
        if (st)
            return st;
    }
    if (eof || late) {
        int wst = 0;
        char tail[1100], why[1024];
        end_worker(w, late, &wst);
        stderr_tail(w, tail, sizeof tail);
        bv_run_case_record(out, c);
        if (late) {
            out->status = BV_RESULT_TIMEOUT;
            snprintf(why, sizeof why, "no result within %u ms: the worker was killed and a fresh one goes on", deadline_ms);
        } else if (WIFSIGNALED(wst)) {
            out->status = BV_RESULT_CRASH;
            snprintf(why, sizeof why, "the worker died on signal %d (%s)", WTERMSIG(wst), strsignal(WTERMSIG(wst)));
        } else {
            out->status = BV_RESULT_CRASH;
            snprintf(why, sizeof why, "the worker exited with status %d in the middle of the case",
                     WIFEXITED(wst) ? WEXITSTATUS(wst) : -1);
        }
        snprintf(out->reason, sizeof out->reason, "%s%s%s", why, tail[0] ? "; its last words: " : "", tail);
        *lost = true;
        return BV_OK;
    }
    st = bv_json_parse(line, strlen(line), &j, err);
    if (!st)
        st = bv_report_case_read_json(bv_json_get(j, "result"), out, err);
    if (!st)
        *device_gone = bv_json_bool(bv_json_get(j, "gone"));
    if (st)
        bv_error_prefix(err, "a worker's reply");
    consume_line(w, line);
    bv_json_free(j);
    return st;
}

void bv_run_worker_stop(bv_run_worker *w)
{
    if (!w)
        return;
    if (w->to >= 0)
        close(w->to); /* end of input: the worker returns */
    w->to = -1;
    if (w->pid > 0) {
        int wst;
        bool done = false;
        for (int i = 0; i < 200 && !done; i++) {
            pid_t r = waitpid(w->pid, &wst, WNOHANG);
            done = r == w->pid || (r < 0 && errno != EINTR);
            if (!done)
                usleep(10000);
        }
        if (done)
            w->pid = -1;
        else
            end_worker(w, true, NULL);
    }
    if (w->from >= 0)
        close(w->from);
    if (w->errfd >= 0)
        close(w->errfd);
    free(w->buf);
    free(w);
}
