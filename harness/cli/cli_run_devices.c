/* harness/cli/cli_run_devices.c: `blsvk run --device all` (or --device given more than once): one
 * run per device, all at once, each a `blsvk run --device UUID` process of its own with its own
 * run folder as usual, then one merged device-by-case report and one exit status. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bv_report.h"
#include "cli_opts.h"

typedef struct device_run {
    uint32_t index;
    char uuid[40], name[256], slug[128], log[4096 + 160];
    pid_t pid;
    int rc;
    double seconds;
} device_run;

/* The devices the selectors name, in order, each once ("all": every device). */
static int pick_devices(const cli_opts *o, device_run *runs, size_t *n)
{
    bv_vk_instance *inst = NULL;
    bv_error err;
    bv_vk_instance_opts io = {0};
    bv_error_clear(&err);
    *n = 0;
    if (bv_vk_instance_create(&io, &inst, &err)) {
        fprintf(stderr, "blsvk run: %s\n", err.msg);
        return BV_EXIT_DEVICE;
    }
    int rc = -1;
    uint32_t count = bv_vk_device_count(inst);
    for (size_t s = 0; s < o->ndevices && rc < 0; s++) {
        bool all = strcmp(o->devices[s], "all") == 0;
        if (all && o->ndevices > 1) {
            fprintf(stderr, "blsvk run: --device all takes every device: give it alone\n");
            rc = BV_EXIT_USAGE;
            break;
        }
        for (uint32_t i = 0; i < count && rc < 0; i++) {
            uint32_t idx = i;
            if (!all) {
                if (bv_vk_device_select(inst, o->devices[s], &idx, &err)) {
                    fprintf(stderr, "blsvk run: --device %s: %s\n", o->devices[s], err.msg);
                    rc = BV_EXIT_USAGE;
                    break;
                }
                i = count; /* one device for this selector */
            }
            for (size_t k = 0; k < *n; k++)
                if (runs[k].index == idx) {
                    fprintf(stderr, "blsvk run: --device %s names [%u] %s a second time\n", o->devices[s], idx,
                            runs[k].name);
                    rc = BV_EXIT_USAGE;
                }
            if (rc >= 0)
                break;
            if (*n == MAX_DEVICES) {
                fprintf(stderr, "blsvk run: at most %d devices at once\n", MAX_DEVICES);
                rc = BV_EXIT_USAGE;
                break;
            }
            const bv_device_info *d = bv_vk_device_info_at(inst, idx);
            device_run *r = &runs[(*n)++];
            memset(r, 0, sizeof *r);
            r->index = idx;
            snprintf(r->uuid, sizeof r->uuid, "%s", d->uuid_str);
            snprintf(r->name, sizeof r->name, "%s", d->name);
            bv_report_device_slug(d, r->slug, sizeof r->slug);
        }
    }
    if (rc < 0 && *n == 0) {
        fprintf(stderr, "blsvk run: no Vulkan device (install mesa-vulkan-drivers for lavapipe)\n");
        rc = BV_EXIT_DEVICE;
    }
    /* The instance goes before the children open their devices. */
    bv_vk_instance_destroy(inst);
    return rc;
}

/* argv of one device's run: this blsvk, "run", the given arguments without any --device, then
 * --device UUID. NULL when out of memory; the strings are argv's own but the first. */
static char **child_argv(const char *exe, int argc, char **argv, const char *uuid)
{
    char **v = calloc((size_t)argc + 5, sizeof *v);
    size_t k = 0;
    if (!v)
        return NULL;
    v[k++] = (char *)exe;
    v[k++] = "run";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--device") == 0) {
            i++; /* and its value */
            continue;
        }
        if (strncmp(argv[i], "--device=", 9) == 0)
            continue;
        v[k++] = argv[i];
    }
    v[k++] = "--device";
    v[k++] = (char *)uuid;
    return v;
}

static volatile sig_atomic_t forward_signal;
static void on_signal(int sig) { forward_signal = sig; }

static int run_merge(const char *exe, const cli_opts *o, device_run *runs, size_t n, const char *merged)
{
    char **v = calloc(n + 6, sizeof *v);
    char (*dirs)[4096 + 200] = calloc(n, sizeof *dirs);
    int rc = BV_EXIT_FAIL, k = 0, have = 0;
    if (!v || !dirs) {
        fprintf(stderr, "blsvk run: out of memory\n");
        goto out;
    }
    v[k++] = (char *)exe;
    v[k++] = "report";
    v[k++] = "merge";
    v[k++] = "--out";
    v[k++] = (char *)merged;
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        /* Each run leaves <report-dir>/<device>/latest pointing at its folder. */
        snprintf(dirs[i], sizeof dirs[i], "%s/%s/latest", o->report_dir, runs[i].slug);
        if (stat(dirs[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            v[k++] = dirs[i];
            have++;
        } else {
            fprintf(stderr, "blsvk run: [%u] %s left no run folder (%s)\n", runs[i].index, runs[i].name, dirs[i]);
        }
    }
    if (!have)
        goto out;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        execv(exe, v);
        _exit(127);
    }
    int wst = 0;
    while (pid > 0 && waitpid(pid, &wst, 0) < 0 && errno == EINTR) {
    }
    rc = pid > 0 && WIFEXITED(wst) ? WEXITSTATUS(wst) : BV_EXIT_FAIL;
out:
    free(v);
    free(dirs);
    return rc;
}

int bv_cli_run_devices(int argc, char **argv, const cli_opts *o)
{
    device_run runs[MAX_DEVICES];
    size_t n = 0;
    char exe[4096], merged[4096 + 64], stamp[32], iso[32];
    if (o->resume) {
        fprintf(stderr, "blsvk run: --resume takes one run folder: resume each device's run on its own\n");
        return BV_EXIT_USAGE;
    }
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) {
        fprintf(stderr, "blsvk run: cannot find this blsvk's own executable (/proc/self/exe)\n");
        return BV_EXIT_FAIL;
    }
    exe[len] = '\0';
    int rc = pick_devices(o, runs, &n);
    if (rc >= 0)
        return rc;
    bv_error err;
    bv_error_clear(&err);
    if (bv_mkdir_p(o->report_dir, &err)) {
        fprintf(stderr, "blsvk run: --report-dir: %s\n", err.msg);
        return BV_EXIT_USAGE;
    }
    bv_run_utc_stamp(iso, sizeof iso, stamp, sizeof stamp);
    snprintf(merged, sizeof merged, "%s/merged-%s-%ld", o->report_dir, stamp, (long)getpid());
    if (!o->quiet)
        printf("blsvk run: %zu device%s at once; each run's output in %s/<device>.log, the merged report in %s\n",
               n, n == 1 ? "" : "s", o->report_dir, merged);
    /* Ctrl-C reaches the children from the terminal; SIGTERM is passed on. Either way each child
     * stops as a run does and the merge below reports what they finished. */
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    uint64_t t0 = bv_time_ns();
    for (size_t i = 0; i < n; i++) {
        device_run *r = &runs[i];
        snprintf(r->log, sizeof r->log, "%s/%s.log", o->report_dir, r->slug);
        char **v = child_argv(exe, argc, argv, r->uuid);
        if (!v) {
            fprintf(stderr, "blsvk run: out of memory\n");
            r->pid = -1;
            r->rc = BV_EXIT_FAIL;
            continue;
        }
        fflush(NULL);
        r->pid = fork();
        if (r->pid == 0) {
            FILE *f = freopen(r->log, "w", stdout);
            if (!f || dup2(STDOUT_FILENO, STDERR_FILENO) < 0)
                _exit(127);
            execv(exe, v);
            _exit(127);
        }
        free(v);
        if (r->pid < 0) {
            fprintf(stderr, "blsvk run: fork: %s\n", strerror(errno));
            r->rc = BV_EXIT_FAIL;
        } else if (!o->quiet) {
            printf("  [%u] %s: started\n", r->index, r->name);
        }
    }
    fflush(stdout);
    size_t left = 0;
    for (size_t i = 0; i < n; i++)
        left += runs[i].pid > 0;
    bool forwarded = false;
    while (left) {
        int wst;
        pid_t p = waitpid(-1, &wst, 0);
        if (p < 0 && errno == EINTR) {
            if (forward_signal == SIGTERM && !forwarded) {
                for (size_t i = 0; i < n; i++)
                    if (runs[i].pid > 0)
                        kill(runs[i].pid, SIGTERM);
                forwarded = true;
            }
            continue;
        }
        if (p < 0)
            break;
        for (size_t i = 0; i < n; i++) {
            if (runs[i].pid != p)
                continue;
            runs[i].pid = 0;
            runs[i].rc = WIFEXITED(wst) ? WEXITSTATUS(wst) : 128 + (WIFSIGNALED(wst) ? WTERMSIG(wst) : 0);
            runs[i].seconds = (double)(bv_time_ns() - t0) * 1e-9;
            left--;
            if (!o->quiet)
                printf("  [%u] %s: exit %d after %.1f s (%s)\n", runs[i].index, runs[i].name, runs[i].rc,
                       runs[i].seconds, runs[i].log);
            fflush(stdout);
        }
    }
    if (!o->quiet)
        printf("blsvk run: every device done in %.1f s; merging\n", (double)(bv_time_ns() - t0) * 1e-9);
    int mrc = run_merge(exe, o, runs, n, merged);
    /* One status: a device error first, then any failure (the merge's verdict or a run's). */
    rc = BV_EXIT_OK;
    for (size_t i = 0; i < n; i++)
        if (runs[i].rc == BV_EXIT_DEVICE)
            rc = BV_EXIT_DEVICE;
    if (rc == BV_EXIT_OK && mrc != BV_EXIT_OK)
        rc = BV_EXIT_FAIL;
    for (size_t i = 0; i < n && rc == BV_EXIT_OK; i++)
        if (runs[i].rc != BV_EXIT_OK)
            rc = runs[i].rc;
    if (forward_signal)
        rc = 128 + (int)forward_signal;
    return rc;
}
