/* harness/cli/cli_reduce.c: blsvk reduce. A vector file that a kernel fails on a device (a case's
 * replay file) is handed to spirv-reduce with blsvk itself as the interestingness test
 * (reduce --check): a smaller module is kept only when it still passes validation and the kernel
 * ABI and fails the same way: its first wrong element the same, wrong in the same way (--keep
 * first, the default), or exactly the same elements each in the same way (--keep all). What comes out is a folder a driver
 * team can act on: the module before and after, both disassembled, and a README. With --bisect it
 * does not reduce: it runs longer and longer prefixes of a recipe's pass list (or --passes) to find
 * the first pass whose output fails, and writes the module before and after that pass. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli_opts.h"

static void reduce_help(FILE *f)
{
    fprintf(f,
            "usage: blsvk reduce --in VECTORS --out DIR [--kernel-dir DIR] [--limbs u32|u64|f64]\n"
            "                    [--mode oneshot|persistent|pipelined] [--bind none|inplace|samein]\n"
            "                    [--recipe R | --passes LIST] [--differential | --bisect [--scan]] [--seed S]\n"
            "                    [--device SEL] [--step-limit N]\n\n"
            "Shrinks the module of a failing case to a small one that fails the same way. VECTORS and\n"
            "the options are those of the case's replay command (blsvk eval, in the run's reports):\n"
            "the kernel for the file's field and op (--kernel-dir's, else the built-in one, through\n"
            "--recipe if given) is run once; the elements it gets wrong, and how (wrong value, not\n"
            "canonical, not on the curve), are its signature. spirv-reduce (Debian: spirv-tools) then\n"
            "removes and simplifies instructions, keeping a step only when the smaller module is valid,\n"
            "keeps the kernel ABI and has the same signature on the same device.\n"
            "DIR (new, or empty) gets original.spv and reduced.spv with their disassembly (.spvasm),\n"
            "kernel/<field>.<op>.<limbs>.spv (the reduced module, for --kernel-dir), the vector file,\n"
            "signature.txt, reduce.log and README.md (what fails, the sizes, how to replay).\n"
            "  --step-limit N   at most N reduction steps (spirv-reduce's default: 2500)\n"
            "  --keep first|all what a smaller module must keep: its first wrong element, wrong the\n"
            "                   same way (the same check fails, with the same value), with the elements\n"
            "                   before it right and no stray writes (first, the default: the smallest\n"
            "                   modules), or every wrong element as it was (all)\n"
            "  --differential   with --recipe or --passes: reduce its input instead, keeping it right\n"
            "                   plain (as the reference says) and different through the recipe on some\n"
            "                   element: for a case that fails only with a recipe (an optimiser or driver\n"
            "                   bug, or a kernel that reads what it never wrote, with --recipe poison)\n"
            "  --passes LIST    a pass list instead of a recipe (as blsvk eval takes it: recipe names,\n"
            "                   poison and spirv-opt flags, separated by commas or spaces)\n"
            "  --bisect         with --recipe or --passes: do not reduce; find the first pass whose output\n"
            "                   fails. The kernel must be right plain and wrong through the whole list;\n"
            "                   prefixes of the list are run in a binary search (a few runs for any list),\n"
            "                   and the answer, 'first failing pass: #k NAME (of N)', is a boundary where\n"
            "                   the first k-1 steps leave it right and the first k do not, both run. DIR gets\n"
            "                   before.spv and after.spv (.spvasm), kernel/ (the module before the pass),\n"
            "                   the vectors, bisect.txt and README.md\n"
            "  --scan           with --bisect: run every prefix in order instead, for the first failing\n"
            "                   pass itself where a later pass hides a failure (one run a step)\n"
            "Exit status: 0 reduced (or nothing could be removed; bisected), 1 spirv-reduce failed, 2 bad\n"
            "usage or input (a kernel that passes on this device: nothing to reduce; with --bisect, one\n"
            "that fails plain or passes through the whole list: nothing to bisect), 3 a device error.\n");
}

/* --- the signature: which elements fail, and how ------------------------------------------------ */

/* Runs code on the set and writes its signature ("<index> <verdict> <value>" a failing element,
 * the value its bytes in hex, one a line) to sig (malloc'ed, "" when every element passes). Returns a BV_EXIT_* status, -1 on success. */
static int signature_of(const char *verb, const cli_opts *o, bv_vk_context *ctx, const bv_vec_set *set,
                        const bv_kernel *k, const uint8_t *expected, uint8_t *got, char **sig, size_t *nfail)
{
    bv_vk_result res;
    bv_error err;
    bv_run_opts ro = {.memory = o->memory, .chunk_elems = (size_t)o->chunk_elems, .buffers = o->buffers,
                      .alias = o->bind};
    *sig = NULL;
    *nfail = 0;
    bv_error_clear(&err);
    if (bv_run_vectors(ctx, k, set, o->mode, &ro, got, &res, &err)) {
        fprintf(stderr, "blsvk %s: %s\n", verb, err.msg);
        return err.status == BV_ERR_UNSUPPORTED ? BV_EXIT_USAGE : BV_EXIT_DEVICE;
    }
    size_t eb = bv_ref_slot_bytes(set->family, set->op, BV_REF_OUT), cap = 1, n = 0;
    char *s = malloc(cap);
    if (!s) {
        fprintf(stderr, "blsvk %s: out of memory\n", verb);
        return BV_EXIT_FAIL;
    }
    s[0] = '\0';
    for (size_t i = 0; i < set->count; i++) {
        bv_ref_verdict v = bv_ref_family(set->family)->compare(set->op, got + i * eb, expected + i * eb);
        if (v == BV_REF_SAME)
            continue;
        /* The wrong value itself, little-endian hex: a step that makes the element wrong in another
         * way (garbage instead of the original's unreduced sum) is another failure. */
        char line[64 + 2 * BV_REF_MAX_BYTES];
        int len = snprintf(line, sizeof line, "%zu %s ", i, bv_ref_verdict_name(v));
        for (size_t b = 0; b < eb && (size_t)len + 3 < sizeof line; b++)
            len += snprintf(line + len, sizeof line - (size_t)len, "%02x", got[i * eb + b]);
        line[len++] = '\n';
        line[len] = '\0';
        if (n + (size_t)len + 1 > cap) {
            while (n + (size_t)len + 1 > cap)
                cap *= 2;
            char *t = realloc(s, cap);
            if (!t) {
                free(s);
                fprintf(stderr, "blsvk %s: out of memory\n", verb);
                return BV_EXIT_FAIL;
            }
            s = t;
        }
        memcpy(s + n, line, (size_t)len + 1);
        n += (size_t)len;
        (*nfail)++;
    }
    /* Stray writes are part of the signature: a step that drops the bounds test and writes past
     * the output is a different failure. */
    if (!res.canary_ok) {
        const char *g = "guard words damaged\n";
        char *t = realloc(s, n + strlen(g) + 1);
        if (!t) {
            free(s);
            fprintf(stderr, "blsvk %s: out of memory\n", verb);
            return BV_EXIT_FAIL;
        }
        s = t;
        memcpy(s + n, g, strlen(g) + 1);
    }
    *sig = s;
    return -1;
}

/* Whether signature got fails as want does: every line (all), or the first wrong element and how,
 * with the guard words damaged in both or in neither (a step that starts writing past its output
 * is another bug). */
static bool same_failure(const char *want, const char *got, bool all)
{
    if (all)
        return strcmp(want, got) == 0;
    size_t wl = strcspn(want, "\n"), gl = strcspn(got, "\n");
    bool wg = strstr(want, "guard words damaged") != NULL, gg = strstr(got, "guard words damaged") != NULL;
    return wl == gl && strncmp(want, got, wl) == 0 && wg == gg && want[0] != '\0';
}

/* --- files ---------------------------------------------------------------------------------------- */

static int write_file(const char *verb, const char *path, const void *data, size_t n)
{
    bv_atomic_file af;
    bv_error err;
    if (bv_atomic_open(&af, path, &err) || fwrite(data, 1, n, af.f) != n || bv_atomic_commit(&af, &err)) {
        fprintf(stderr, "blsvk %s: %s: cannot write it\n", verb, path);
        return BV_EXIT_USAGE;
    }
    return -1;
}

/* Instructions in a module (words walked; 0 for a broken one). */
static size_t count_instructions(const uint32_t *w, size_t words)
{
    size_t n = 0;
    for (size_t i = 5; i < words; n++) {
        size_t len = w[i] >> 16;
        if (len == 0 || i + len > words)
            return 0;
        i += len;
    }
    return n;
}

/* Removes spirv-reduce's temp_NNNN.spv files (every candidate it kept along the way, thousands
 * in a long reduction) from its working folder: the README, the reduced module and the log say
 * everything a reader needs. */
static void remove_candidates(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 9 && strncmp(e->d_name, "temp_", 5) == 0 && strcmp(e->d_name + n - 4, ".spv") == 0) {
            char path[PATH_MAX];
            if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < sizeof path)
                (void)unlink(path);
        }
    }
    closedir(d);
}

/* Starts argv (argv[0] looked up in PATH) in folder dir (NULL: here) with stdout and stderr to
 * log (or the terminal when NULL; appended to with append); its pid, or -1 when fork failed (a
 * child that cannot exec exits 127). */
static pid_t spawn_start(char *const argv[], const char *dir, const char *log, bool append)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    if (dir && chdir(dir) != 0)
        _exit(127);
    if (log) {
        int fd = open(log, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0644);
        if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
            _exit(127);
        close(fd);
    }
    execvp(argv[0], argv);
    _exit(127);
}

static int exit_status(int st)
{
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* spawn_start, then its exit status (127 when it could not start). */
static int spawn(char *const argv[], const char *dir, const char *log)
{
    pid_t pid = spawn_start(argv, dir, log, false);
    if (pid < 0)
        return 127;
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    return exit_status(st);
}

/* Single-quoted for sh. */
static void shq(char *out, size_t n, const char *s)
{
    size_t k = 0;
    if (n < 3) {
        if (n)
            out[0] = '\0';
        return;
    }
    out[k++] = '\'';
    for (; *s && k + 6 < n; s++) {
        if (*s == '\'') {
            memcpy(out + k, "'\\''", 4);
            k += 4;
        } else {
            out[k++] = *s;
        }
    }
    out[k++] = '\'';
    out[k] = '\0';
}

/* The folder must be new or empty: reduce never writes over earlier results. */
static int prepare_out(const char *verb, const char *dir)
{
    bv_error err;
    struct stat sb;
    if (stat(dir, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode)) {
            fprintf(stderr, "blsvk %s: --out %s: exists and is not a folder\n", verb, dir);
            return BV_EXIT_USAGE;
        }
        /* An empty folder is removed and made again; rmdir refuses one with anything in it. */
        if (rmdir(dir) != 0 && errno != ENOENT) {
            fprintf(stderr, "blsvk %s: --out %s: not empty (reduce writes into a new or empty folder only)\n",
                    verb, dir);
            return BV_EXIT_USAGE;
        }
    }
    if (bv_mkdir_p(dir, &err)) {
        fprintf(stderr, "blsvk %s: --out %s: %s\n", verb, dir, err.msg);
        return BV_EXIT_USAGE;
    }
    return -1;
}

/* --- bisect: the first pass whose output fails ------------------------------------------------------ */

/* What the kernel gave through the first n steps of the list. */
typedef struct probe {
    size_t n;                /* steps run (0: the plain kernel) */
    bool fails;              /* wrong elements, damaged guards, or no module a driver may see */
    size_t nfail;            /* wrong elements */
    bool guards;             /* guard words damaged */
    char why[640];           /* when there was no module: the optimizer's or validator's message */
    double seconds;          /* the passes, the pipeline and the run */
    const bv_kernel *kernel; /* the module that ran (kept by the kernels module), NULL when none */
} probe;

typedef struct bisection {
    const cli_opts *o;
    bv_vk_context *ctx;
    const cli_eval_input *in;
    const bv_kernel *plain;
    bv_kernel_passes *passes;
    size_t nsteps;
    probe *probes; /* in the order they ran, room for every prefix: pointers into it stay valid */
    size_t nprobes;
} bisection;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void probe_verdict(const probe *p, size_t count, char *out, size_t n)
{
    if (!p->fails)
        snprintf(out, n, "pass");
    else if (!p->kernel)
        snprintf(out, n, "fail: no module (%s)", p->why);
    else if (p->nfail)
        snprintf(out, n, "fail: %zu of %zu elements wrong%s", p->nfail, count, p->guards ? ", guard words damaged" : "");
    else
        snprintf(out, n, "fail: guard words damaged");
}

/* The prefix of n steps, run once (a second ask gives the first answer). Returns a BV_EXIT_* status,
 * -1 when *out is set. */
static int run_prefix(bisection *b, size_t n, const probe **out)
{
    for (size_t i = 0; i < b->nprobes; i++)
        if (b->probes[i].n == n) {
            *out = &b->probes[i];
            return -1;
        }
    probe *p = &b->probes[b->nprobes++];
    memset(p, 0, sizeof *p);
    p->n = n;
    double t0 = now_seconds();
    bv_error err;
    bv_error_clear(&err);
    const bv_kernel *k;
    if (bv_kernel_with_passes(b->plain, b->passes, n, b->o->seed, &k, &err)) {
        if (err.status == BV_ERR_NOMEM) {
            fprintf(stderr, "blsvk reduce: %s\n", err.msg);
            return BV_EXIT_FAIL;
        }
        /* A pass that leaves no valid module is where the list fails too: the kernel never ran. */
        p->fails = true;
        snprintf(p->why, sizeof p->why, "%s", err.msg);
    } else {
        char *sig;
        size_t nfail;
        int rc = signature_of("reduce", b->o, b->ctx, b->in->set, k, b->in->expected, b->in->got, &sig, &nfail);
        if (rc >= 0)
            return rc;
        p->kernel = k;
        p->nfail = nfail;
        p->guards = strstr(sig, "guard words damaged") != NULL;
        p->fails = sig[0] != '\0';
        free(sig);
    }
    p->seconds = now_seconds() - t0;
    char v[800];
    probe_verdict(p, b->in->set->count, v, sizeof v);
    if (n == 0)
        printf("  prefix %3zu/%zu  plain: %s (%.2f s)\n", n, b->nsteps, v, p->seconds);
    else
        printf("  prefix %3zu/%zu  after #%zu %s: %s (%.2f s)\n", n, b->nsteps, n,
               bv_kernel_passes_step(b->passes, n - 1), v, p->seconds);
    fflush(stdout);
    *out = p;
    return -1;
}

/* The module of a probe that ran (the plain kernel's for 0 steps). */
static void probe_module(const bisection *b, const probe *p, const uint32_t **code, size_t *size)
{
    const bv_kernel *k = p->n == 0 ? b->plain : p->kernel;
    *code = k ? k->code : NULL;
    *size = k ? k->code_size : 0;
}

/* Disassembles spv into asm next to it; a missing spirv-dis costs the .spvasm only. */
static void disassemble(const char *spv, const char *asmpath)
{
    char *dargv[] = {"spirv-dis", (char *)spv, "-o", (char *)asmpath, NULL};
    if (spawn(dargv, NULL, NULL) != 0)
        fprintf(stderr, "blsvk reduce: spirv-dis could not disassemble %s\n", spv);
}

/* Appends printf output to a growing string; false when out of memory (the string is then freed). */
static bool append(char **s, const char *fmt, ...) BV_PRINTF(2, 3);
static bool append(char **s, const char *fmt, ...)
{
    char *more;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&more, fmt, ap);
    va_end(ap);
    if (n < 0) {
        free(*s);
        *s = NULL;
        return false;
    }
    size_t had = *s ? strlen(*s) : 0;
    char *t = realloc(*s, had + (size_t)n + 1);
    if (!t) {
        free(more);
        free(*s);
        *s = NULL;
        return false;
    }
    memcpy(t + had, more, (size_t)n + 1);
    free(more);
    *s = t;
    return true;
}

/* reduce --bisect: the kernel plain must pass and through the whole list fail; prefixes of the list
 * find a step whose output fails while the one before passes. Binary search by default: it
 * assumes that a failure, once there, stays, which a later pass may break (one that deletes the
 * code reading an undefined value, say), so what it finds is a boundary where the verdict turns,
 * not always the first; --scan runs every prefix. Returns the exit status. */
static int bisect(const cli_opts *o, bool scan, bv_vk_context *ctx, const cli_eval_input *in, const bv_kernel *plain,
                  const char *kname)
{
    bisection b = {.o = o, .ctx = ctx, .in = in, .plain = plain};
    const char *list = o->passes ? o->passes : o->recipe;
    const bv_device_info *dev = bv_vk_context_device(ctx);
    char what[160], abs_out[PATH_MAX], path[PATH_MAX + 64], asmpath[PATH_MAX + 64], v[800];
    char *txt = NULL, *readme = NULL, *prefix = NULL, *prefix_q = NULL;
    uint32_t *alone_code = NULL;
    bv_kernel_passes *alone = NULL;
    bv_error err;
    int rc;
    bv_error_clear(&err);
    if (bv_kernel_passes_parse(list, &b.passes, &err)) {
        fprintf(stderr, "blsvk reduce: --bisect: %s\n", err.msg);
        return BV_EXIT_USAGE;
    }
    b.nsteps = bv_kernel_passes_count(b.passes);
    if (o->recipe)
        snprintf(what, sizeof what, "recipe %s", o->recipe);
    else
        snprintf(what, sizeof what, "the pass list");
    if (!(b.probes = calloc(b.nsteps + 1, sizeof *b.probes))) {
        fprintf(stderr, "blsvk reduce: out of memory\n");
        rc = BV_EXIT_FAIL;
        goto out;
    }
    double t0 = now_seconds();
    printf("bisecting %s through the %zu steps of %s on %s (%s)\n", plain->name, b.nsteps, what, dev->name,
           scan ? "every prefix in order" : "binary search");
    const probe *first, *last;
    if ((rc = run_prefix(&b, 0, &first)) >= 0)
        goto out;
    if (first->fails) {
        probe_verdict(first, in->set->count, v, sizeof v);
        fprintf(stderr, "blsvk reduce: %s fails plain on %s (%s): the list is not what breaks it, nothing to bisect "
                "(reduce it without --recipe or --passes)\n", plain->name, o->in, v);
        rc = BV_EXIT_USAGE;
        goto out;
    }
    if ((rc = run_prefix(&b, b.nsteps, &last)) >= 0)
        goto out;
    /* The boundary: prefix lo passes, prefix hi fails, both run. */
    size_t lo = 0, hi = 0;
    if (scan) {
        for (size_t n = 1; n < b.nsteps && !hi; n++) {
            const probe *p;
            if ((rc = run_prefix(&b, n, &p)) >= 0)
                goto out;
            if (p->fails)
                hi = n;
        }
        if (!hi && last->fails)
            hi = b.nsteps;
        /* The rest of the list, for every place the verdict turns (bisect.txt). */
        for (size_t n = hi + 1; hi && n < b.nsteps; n++) {
            const probe *p;
            if ((rc = run_prefix(&b, n, &p)) >= 0)
                goto out;
        }
        if (!hi) {
            fprintf(stderr, "blsvk reduce: %s passes plain and through every prefix of the %zu steps of %s on %s: "
                    "nothing to bisect\n", plain->name, b.nsteps, what, dev->name);
            rc = BV_EXIT_USAGE;
            goto out;
        }
        lo = hi - 1;
    } else {
        if (!last->fails) {
            fprintf(stderr, "blsvk reduce: %s passes plain and through all %zu steps of %s on %s: nothing to bisect "
                    "(a step may break it and a later one hide it: --scan runs every prefix)\n", plain->name,
                    b.nsteps, what, dev->name);
            rc = BV_EXIT_USAGE;
            goto out;
        }
        hi = b.nsteps;
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            const probe *p;
            if ((rc = run_prefix(&b, mid, &p)) >= 0)
                goto out;
            if (p->fails)
                hi = mid;
            else
                lo = mid;
        }
    }
    double total = now_seconds() - t0;
    const probe *before, *after;
    if ((rc = run_prefix(&b, lo, &before)) >= 0 || (rc = run_prefix(&b, hi, &after)) >= 0)
        goto out;
    const char *step = bv_kernel_passes_step(b.passes, hi - 1);
    printf("first failing pass: #%zu %s (of %zu)%s\n", hi, step, b.nsteps,
           last->fails ? "" : "; the whole list passes: a later step hides the failure");

    /* --- the folder ----------------------------------------------------------------------- */
    if (!realpath(o->out, abs_out)) {
        fprintf(stderr, "blsvk reduce: --out %s: cannot find it\n", o->out);
        rc = BV_EXIT_FAIL;
        goto out;
    }
    const char *vext = strstr(o->in, ".bin") ? ".bin" : ".json";
    char *vec = NULL;
    size_t vlen = 0;
    if (bv_file_read_all(o->in, &vec, &vlen, &err)) {
        fprintf(stderr, "blsvk reduce: %s\n", err.msg);
        rc = BV_EXIT_USAGE;
        goto out;
    }
    snprintf(path, sizeof path, "%s/vectors%s", abs_out, vext);
    rc = write_file("reduce", path, vec, vlen);
    free(vec);
    if (rc >= 0)
        goto out;
    const uint32_t *bcode, *acode;
    size_t bsize, asize;
    probe_module(&b, before, &bcode, &bsize);
    probe_module(&b, after, &acode, &asize);
    for (int which = 0; which < 2; which++) {
        const char *name = which ? "after" : "before";
        if (!(which ? acode : bcode))
            continue; /* no module after the step: bisect.txt and the README say why */
        snprintf(path, sizeof path, "%s/%s.spv", abs_out, name);
        snprintf(asmpath, sizeof asmpath, "%s/%s.spvasm", abs_out, name);
        if ((rc = write_file("reduce", path, which ? acode : bcode, which ? asize : bsize)) >= 0)
            goto out;
        disassemble(path, asmpath);
    }
    snprintf(path, sizeof path, "%s/kernel", abs_out);
    if (bv_mkdir_p(path, &err)) {
        fprintf(stderr, "blsvk reduce: %s\n", err.msg);
        rc = BV_EXIT_USAGE;
        goto out;
    }
    snprintf(path, sizeof path, "%s/kernel/%s.spv", abs_out, kname);
    if ((rc = write_file("reduce", path, bcode, bsize)) >= 0)
        goto out;
    rc = -1;
    /* Whether the step alone on before.spv makes after.spv: then kernel/ and --passes STEP replay it.
     * Usually so; an optimizer run of several passes may differ from their runs one by one. */
    bool exact = false;
    size_t alone_size = 0;
    if (acode && bv_kernel_passes_parse(step, &alone, &err) == BV_OK &&
        bv_kernel_run_passes(bcode, bsize, alone, 1, o->seed, &alone_code, &alone_size, &err) == BV_OK)
        exact = alone_size == asize && memcmp(alone_code, acode, asize) == 0;

    /* bisect.txt: for tools and people; docs/report-format.md has its lines. */
    char opts[160];
    snprintf(opts, sizeof opts, "--limbs %s --mode %s%s --seed %llu", bv_limbs_name(in->limbs), bv_mode_name(o->mode),
             o->bind == BV_ALIAS_OUT_X ? " --bind inplace" : o->bind == BV_ALIAS_X_Y ? " --bind samein" : "",
             (unsigned long long)o->seed);
    bool ok = append(&txt, "kernel: %s (%s)\ndevice: %s (%s %s)\nvectors: vectors%s (%zu elements)\noptions: %s\n"
                     "list: %s\npasses: %s\nsteps: %zu\nsearch: %s\n",
                     plain->name, plain->source, dev->name, dev->driver_name, dev->driver_info, vext, in->set->count,
                     opts, what, bv_kernel_passes_text(b.passes), b.nsteps, scan ? "scan" : "binary");
    for (size_t i = 0; ok && i < b.nprobes; i++) {
        probe_verdict(&b.probes[i], in->set->count, v, sizeof v);
        ok = append(&txt, "prefix %zu %s %.3f s: %s\n", b.probes[i].n, b.probes[i].fails ? "fail" : "pass",
                    b.probes[i].seconds, v);
    }
    /* A scan sees every turn of the verdict: a failure that a later step hides shows here. */
    char turns[512] = "";
    if (scan) {
        size_t tl = 0;
        for (size_t n = 1; n <= b.nsteps && tl + 40 < sizeof turns; n++) {
            const probe *p, *q;
            if ((rc = run_prefix(&b, n, &p)) >= 0 || (rc = run_prefix(&b, n - 1, &q)) >= 0)
                goto out;
            if (p->fails != q->fails)
                tl += (size_t)snprintf(turns + tl, sizeof turns - tl, "%s#%zu %s", tl ? ", " : "", n,
                                       p->fails ? "fails" : "passes again");
        }
        ok = ok && append(&txt, "turns: %s\n", turns);
    }
    ok = ok && append(&txt, "first failing pass: #%zu %s (of %zu)\n", hi, step, b.nsteps);
    snprintf(path, sizeof path, "%s/bisect.txt", abs_out);
    if (!ok) {
        fprintf(stderr, "blsvk reduce: out of memory\n");
        rc = BV_EXIT_FAIL;
        goto out;
    }
    if ((rc = write_file("reduce", path, txt, strlen(txt))) >= 0)
        goto out;

    probe_verdict(after, in->set->count, v, sizeof v);
    /* The replay through the list: its first hi steps, quoted for sh (flags may carry values). */
    for (size_t i = 0; i < hi && (ok = append(&prefix, "%s%s", i ? "," : "", bv_kernel_passes_step(b.passes, i)));
         i++) {
    }
    if (!ok || !(prefix_q = malloc(strlen(prefix) * 4 + 3))) {
        fprintf(stderr, "blsvk reduce: out of memory\n");
        rc = BV_EXIT_FAIL;
        goto out;
    }
    shq(prefix_q, strlen(prefix) * 4 + 3, prefix);
    char lo_txt[64] = "plain", before_txt[64] = "the plain module";
    if (lo) {
        snprintf(lo_txt, sizeof lo_txt, "after step #%zu", lo);
        snprintf(before_txt, sizeof before_txt, "the module after step #%zu", lo);
    }
    char kdir_q[PATH_MAX + 16] = "", kdir_abs[PATH_MAX];
    if (o->kernel_dir && realpath(o->kernel_dir, kdir_abs)) {
        char q[PATH_MAX + 16];
        shq(q, sizeof q, kdir_abs);
        snprintf(kdir_q, sizeof kdir_q, " --kernel-dir %s", q);
    }
    ok = append(&readme,
                "# %s: the first failing pass of %s\n\n"
                "On %s (%s %s), `%s` (%s) gets every element of `vectors%s` right plain and %s\n"
                "the %zu steps of %s (%s)%s. Prefixes of the list, run %s (%zu runs,\n"
                "%.1f s), put the turn here: it is right %s, and after step #%zu it is not (%s).\n\n"
                "    first failing pass: #%zu %s (of %zu)\n\n"
                "- `before.spv`, `before.spvasm`: %s, right on this device (also `kernel/%s.spv`,\n"
                "  for --kernel-dir)\n",
                kname, what, dev->name, dev->driver_name, dev->driver_info, kname, plain->source, vext,
                last->fails ? "fails through" : "after all", b.nsteps, what, opts, last->fails ? "" : ", but not part-way",
                scan ? "in order" : "in a binary search", b.nprobes, total, lo_txt, hi, v, hi, step, b.nsteps, before_txt,
                kname);
    if (acode)
        ok = ok && append(&readme, "- `after.spv`, `after.spvasm`: the module after step #%zu, %s\n", hi,
                          after->nfail ? "wrong on this device" : "damaging the guard words on this device");
    else
        ok = ok && append(&readme, "- no `after.spv`: step #%zu leaves no module a driver may see:\n  %s\n", hi,
                          after->why);
    ok = ok && append(&readme,
                      "- `bisect.txt`: the list, every prefix that ran and its verdict\n"
                      "- `vectors%s`: the inputs; the expected values come from blsvk's GMP reference\n\n",
                      vext);
    if (exact)
        ok = ok && append(&readme,
                          "Step #%zu alone turns `before.spv` into `after.spv`, byte for byte. Replay both:\n\n"
                          "    blsvk eval --in vectors%s --out before.json --kernel-dir kernel %s\n"
                          "    blsvk eval --in vectors%s --out after.json --kernel-dir kernel %s --passes %s\n\n"
                          "and shrink the module before the pass, keeping it right plain and different through\n"
                          "the pass:\n\n"
                          "    blsvk reduce --in vectors%s --kernel-dir kernel %s --passes %s --differential --out reduced\n\n",
                          hi, vext, opts, vext, opts, step, vext, opts, step);
    else if (acode)
        ok = ok && append(&readme,
                          "Step #%zu run alone on `before.spv` does not give `after.spv` byte for byte (an\n"
                          "optimizer run of several passes can differ from their runs one by one), so replay\n"
                          "through the list:\n\n",
                          hi);
    else
        ok = ok && append(&readme, "Replay through the list (blsvk refuses what it makes, with the message above):\n\n");
    if (!exact)
        ok = ok && append(&readme,
                          "    blsvk eval --in vectors%s --out before.json --kernel-dir kernel %s\n"
                          "    blsvk eval --in vectors%s --out after.json%s %s --passes %s\n\n",
                          vext, opts, vext, kdir_q, opts, prefix_q);
    if (acode)
        ok = ok && append(&readme,
                          "Either the pass changes what the module computes (a bug in the pass, or undefined behaviour\n"
                          "in the kernel that the pass exposes, as poison does with memory read before it is written),\n"
                          "or the driver compiles its output wrongly: the two modules on another driver tell which.\n");
    if (!scan)
        ok = ok && append(&readme,
                          "\nA binary search assumes that a failure, once a step brings it, stays; a later step can\n"
                          "hide it again (by deleting the code that reads an undefined value, say), and then an earlier\n"
                          "turn may exist. Step #%zu is a turn, both sides run; `--scan` runs every prefix and names\n"
                          "the first (%zu runs).\n",
                          hi, b.nsteps + 1);
    else if (strchr(turns, ','))
        ok = ok && append(&readme, "\nThe verdict turns more than once along the list: %s.\n", turns);
    snprintf(path, sizeof path, "%s/README.md", abs_out);
    if (!ok) {
        fprintf(stderr, "blsvk reduce: out of memory\n");
        rc = BV_EXIT_FAIL;
        goto out;
    }
    if ((rc = write_file("reduce", path, readme, strlen(readme))) >= 0)
        goto out;
    printf("%s: %zu runs, %.1f s; %s\n", kname, b.nprobes, total, path);
    rc = BV_EXIT_OK;
out:
    free(txt);
    free(readme);
    free(prefix);
    free(prefix_q);
    free(alone_code);
    bv_kernel_passes_destroy(alone);
    bv_kernel_passes_destroy(b.passes);
    free(b.probes);
    return rc;
}

/* --- one candidate, and a server that keeps the device open between candidates ---------------- */

/* What makes a candidate interesting; the same for every candidate of one reduction. */
typedef struct checker {
    const cli_opts *o;
    const cli_eval_input *in;
    const char *kname; /* <family>.<op>.<limbs>: the candidate's file name in a kernel folder */
    const char *want;  /* the original's signature */
    bool differential, keep_all;
} checker;

/* The signature of k on in's vectors: against the reference, or with differential against k's own
 * output plain (k must be right plain; k through the recipe is what is signed). plain_out is the
 * caller's to free. Returns -1, or an exit status with the reason printed unless quiet. */
static int run_signature(const cli_opts *o, bv_vk_context *ctx, const cli_eval_input *in, const bv_kernel *k,
                         bool differential, bool quiet, uint8_t **plain_out, char **sig, size_t *nfail)
{
    const bv_vec_set *set = in->set;
    if (!differential)
        return signature_of("reduce", o, ctx, set, k, in->expected, in->got, sig, nfail);
    const bv_kernel *kr = NULL;
    bv_vk_result pres;
    bv_run_opts ro = {.memory = o->memory, .chunk_elems = (size_t)o->chunk_elems, .buffers = o->buffers,
                      .alias = o->bind};
    bv_error err;
    bv_error_clear(&err);
    /* What went wrong decides the exit status: a module the recipe cannot take is the input's
     * fault (2), a device that fails the plain run is the device's (3). */
    const char *why = NULL;
    int fail_rc = BV_EXIT_USAGE;
    size_t eb = bv_ref_slot_bytes(set->family, set->op, BV_REF_OUT);
    if (k->error) {
        why = k->error;
    } else if (bv_cli_kernel_through(o, k, &kr, &err)) {
        why = err.msg;
        fail_rc = err.status == BV_ERR_NOMEM ? BV_EXIT_FAIL : BV_EXIT_USAGE;
    } else if (kr->error) {
        why = kr->error;
    } else if (!*plain_out && !(*plain_out = malloc(eb * set->count + 1))) {
        why = "out of memory";
        fail_rc = BV_EXIT_FAIL;
    } else if (bv_run_vectors(ctx, k, set, o->mode, &ro, *plain_out, &pres, &err)) {
        why = err.msg;
        fail_rc = err.status == BV_ERR_UNSUPPORTED ? BV_EXIT_USAGE : BV_EXIT_DEVICE;
    }
    if (why) {
        if (!quiet)
            fprintf(stderr, "blsvk reduce: --differential: %s\n", why);
        return fail_rc;
    }
    /* The plain module must stay right: else the reducer shrinks it to one that writes nothing,
     * whose output differs between any two runs. */
    size_t wrong = 0;
    for (size_t i = 0; i < set->count; i++)
        wrong += bv_ref_family(set->family)->compare(set->op, *plain_out + i * eb, in->expected + i * eb) !=
                 BV_REF_SAME;
    if (wrong) {
        if (!quiet)
            fprintf(stderr, "blsvk reduce: --differential: %s is wrong plain on %zu elements of %s; it needs a "
                    "module that is right plain and wrong through its recipe\n", k->name, wrong, o->in);
        return BV_EXIT_USAGE;
    }
    return signature_of("reduce", o, ctx, set, kr, *plain_out, in->got, sig, nfail);
}

/* Whether the module in file candidate fails as the original did: loaded as a --kernel-dir module
 * is (validated, ABI-checked), run and signed. BV_EXIT_OK when it does (interesting), BV_EXIT_FAIL
 * when not, BV_EXIT_DEVICE when the device failed under it (its context is then suspect). */
static int check_candidate(const checker *c, bv_vk_context *ctx, const char *candidate)
{
    char tmpdir[] = "/tmp/blsvk-reduce-XXXXXX", path[PATH_MAX];
    bv_kernel_set *cand = NULL;
    const bv_kernel *k;
    char *code = NULL, *sig = NULL;
    uint8_t *plain_out = NULL;
    size_t len = 0, nfail = 0;
    bv_error err;
    int rc = BV_EXIT_FAIL;
    if (!mkdtemp(tmpdir))
        return BV_EXIT_FAIL;
    snprintf(path, sizeof path, "%s/%s.spv", tmpdir, c->kname);
    bv_error_clear(&err);
    if (bv_file_read_all(candidate, &code, &len, &err) || write_file("reduce", path, code, len) >= 0)
        goto out;
    if (bv_kernel_set_load(tmpdir, &cand, &err) ||
        !(k = bv_kernel_set_find(cand, c->in->set->family, c->in->set->op, c->in->limbs)) || k->error)
        goto out;
    rc = run_signature(c->o, ctx, c->in, k, c->differential, true, &plain_out, &sig, &nfail);
    if (rc >= 0) {
        rc = rc == BV_EXIT_DEVICE ? BV_EXIT_DEVICE : BV_EXIT_FAIL;
        goto out;
    }
    /* Differential: any difference will do, so the module can shrink to what makes one. */
    rc = c->differential ? (nfail ? BV_EXIT_OK : BV_EXIT_FAIL)
                         : same_failure(c->want, sig, c->keep_all) ? BV_EXIT_OK : BV_EXIT_FAIL;
out:
    free(code);
    free(sig);
    free(plain_out);
    bv_kernel_set_destroy(cand);
    unlink(path);
    rmdir(tmpdir);
    return rc;
}

/* A server's context is dropped and made again after this many candidates: every candidate is a
 * new module, and the persistent mode keeps each one's pipeline for the context's life. */
#define SERVE_PER_CONTEXT 200

/* reduce --serve SOCK: answers candidates on a Unix socket (a path a line in, '0' interesting or
 * '1' not out) with one device kept open, so that a check costs the module's compile and run and
 * not a process and a device each: on NVIDIA's driver most of the time of a reduction. Returns after
 * a device error or SERVE_PER_CONTEXT candidates (the parent starts another server), or when the
 * socket cannot be made. */
static int serve(const checker *c, bv_vk_context *ctx, const char *sock)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(sock) >= sizeof a.sun_path)
        return BV_EXIT_USAGE;
    memcpy(a.sun_path, sock, strlen(sock) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return BV_EXIT_FAIL;
    /* The path is in the parent's private folder: a file there is an earlier server's. */
    (void)unlink(sock);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 4) != 0) {
        close(fd);
        return BV_EXIT_FAIL;
    }
    int rc = BV_EXIT_OK;
    for (unsigned served = 0; served < SERVE_PER_CONTEXT;) {
        int cfd = accept(fd, NULL, NULL);
        if (cfd < 0) {
            if (errno == EINTR)
                continue;
            rc = BV_EXIT_FAIL;
            break;
        }
        char path[PATH_MAX];
        size_t n = 0;
        ssize_t r;
        while (n + 1 < sizeof path && (r = read(cfd, path + n, sizeof path - 1 - n)) > 0) {
            n += (size_t)r;
            if (memchr(path, '\n', n))
                break;
        }
        path[n] = '\0';
        path[strcspn(path, "\n")] = '\0';
        int v = path[0] ? check_candidate(c, ctx, path) : BV_EXIT_FAIL;
        char ans = v == BV_EXIT_OK ? '0' : '1';
        (void)!write(cfd, &ans, 1);
        close(cfd);
        served++;
        if (v == BV_EXIT_DEVICE) {
            rc = BV_EXIT_DEVICE;
            break;
        }
    }
    close(fd);
    (void)unlink(sock);
    return rc;
}

/* reduce --ask SOCK --candidate FILE: the interestingness test's client. 0 interesting, 1 not (also
 * when the server died on this candidate: a module that kills the driver is another failure), 2
 * when no server answers (the test then checks the candidate itself). */
static int ask(const char *sock, const char *candidate, uint32_t timeout_ms)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    char path[PATH_MAX];
    if (strlen(sock) >= sizeof a.sun_path || !realpath(candidate, path))
        return 2;
    memcpy(a.sun_path, sock, strlen(sock) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 2;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return 2;
    }
    /* A module that hangs the server's compile is not interesting either: the longest wait is the
     * run's own timeout and two minutes for the compile. */
    uint64_t ms = (uint64_t)(timeout_ms ? timeout_ms : 60000) + 120000;
    struct timeval tv = {.tv_sec = (time_t)(ms / 1000), .tv_usec = (suseconds_t)(ms % 1000) * 1000};
    (void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    size_t len = strlen(path);
    path[len++] = '\n';
    char ans = '1';
    if (write(fd, path, len) != (ssize_t)len || read(fd, &ans, 1) != 1)
        ans = '1';
    close(fd);
    return ans == '0' ? 0 : 1;
}

/* --- the verb -------------------------------------------------------------------------------------- */

int bv_cli_reduce(int argc, char **argv)
{
    static const struct option lo[] = {LO_EVAL, {0, 0, 0, 0}};
    const char *check = NULL, *candidate = NULL, *step_limit = NULL, *keep = NULL, *serve_sock = NULL,
               *ask_sock = NULL;
    /* --check SIG and --candidate FILE (the interestingness test), --serve SOCK and --ask SOCK (its
     * server and client) and --step-limit are this verb's own: taken out before the shared parser
     * sees the rest. */
    char **rest = malloc(((size_t)argc + 1) * sizeof *rest);
    if (!rest)
        return BV_EXIT_FAIL;
    int nrest = 0;
    bool differential = false, bisecting = false, scan = false;
    for (int i = 0; i < argc; i++) {
        bool *flag = i == 0                                  ? NULL
                     : strcmp(argv[i], "--differential") == 0 ? &differential
                     : strcmp(argv[i], "--bisect") == 0       ? &bisecting
                     : strcmp(argv[i], "--scan") == 0         ? &scan
                                                              : NULL;
        if (flag) {
            *flag = true;
            continue;
        }
        const char **slot = strcmp(argv[i], "--check") == 0       ? &check
                            : strcmp(argv[i], "--candidate") == 0 ? &candidate
                            : strcmp(argv[i], "--step-limit") == 0 ? &step_limit
                            : strcmp(argv[i], "--keep") == 0       ? &keep
                            : strcmp(argv[i], "--serve") == 0      ? &serve_sock
                            : strcmp(argv[i], "--ask") == 0        ? &ask_sock
                                                                   : NULL;
        if (slot && i > 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "blsvk reduce: %s needs a value\n", argv[i]);
                free(rest);
                return BV_EXIT_USAGE;
            }
            *slot = argv[++i];
            continue;
        }
        rest[nrest++] = argv[i];
    }
    rest[nrest] = NULL;
    cli_opts o = {.mode = BV_MODE_PERSISTENT, .seed = 1, .memory = BV_MEMORY_AUTO};
    bv_vk_instance *inst = NULL;
    bv_vk_context *ctx = NULL;
    cli_eval_input in = {0};
    char *sig = NULL, *want = NULL, *readme = NULL, *script = NULL, *q_check_args = NULL;
    uint8_t *plain_out = NULL; /* --differential: the plain module's output */
    char tmpdir[] = "/tmp/blsvk-reduce-XXXXXX", sock[PATH_MAX] = "";
    bool made_tmp = false;
    bv_error err;
    const bool checking = check != NULL, asking = ask_sock != NULL;
    if (keep && strcmp(keep, "first") != 0 && strcmp(keep, "all") != 0) {
        fprintf(stderr, "blsvk reduce: --keep '%s': say first (the first wrong element, wrong the same way) or all "
                        "(every wrong element)\n", keep);
        free(rest);
        return BV_EXIT_USAGE;
    }
    const bool keep_all = keep && strcmp(keep, "all") == 0;
    int rc = bv_cli_parse_opts("reduce", nrest, rest, lo, &o, reduce_help);
    if (rc >= 0)
        goto out;
    uint64_t steps = 0;
    if (step_limit && (!bv_cli_parse_u64(step_limit, 1000000, &steps) || steps == 0)) {
        fprintf(stderr, "blsvk reduce: --step-limit takes a whole number from 1 to 1000000, not '%s'\n", step_limit);
        rc = BV_EXIT_USAGE;
        goto out;
    }
    if (differential && !o.recipe && !o.passes) {
        fprintf(stderr, "blsvk reduce: --differential compares the module with itself through --recipe (or --passes): "
                "give one\n");
        rc = BV_EXIT_USAGE;
        goto out;
    }
    if (bisecting && !o.recipe && !o.passes) {
        fprintf(stderr, "blsvk reduce: --bisect looks for the first failing pass of --recipe or --passes: give one\n");
        rc = BV_EXIT_USAGE;
        goto out;
    }
    if (keep && (differential || bisecting)) {
        fprintf(stderr, "blsvk reduce: --keep is for a kernel that fails plain: --%s keeps what it says\n",
                differential ? "differential" : "bisect");
        rc = BV_EXIT_USAGE;
        goto out;
    }
    if (scan && !bisecting) {
        fprintf(stderr, "blsvk reduce: --scan is a way to --bisect: give both\n");
        rc = BV_EXIT_USAGE;
        goto out;
    }
    /* Bisecting only bisects: the folder it writes tells how to reduce the module before the pass. */
    if (bisecting && (differential || checking || step_limit)) {
        fprintf(stderr, "blsvk reduce: --bisect does not reduce: it takes no %s\n",
                differential ? "--differential" : checking ? "--check" : "--step-limit");
        rc = BV_EXIT_USAGE;
        goto out;
    }
    if ((serve_sock && !checking) || (asking && (checking || !candidate))) {
        fprintf(stderr, "blsvk reduce: --serve SOCK goes with --check, --ask SOCK with --candidate alone (the "
                "interestingness test's server and client)\n");
        rc = BV_EXIT_USAGE;
        goto out;
    }
    if (asking) {
        rc = ask(ask_sock, candidate, o.timeout_ms);
        goto out;
    }
    if (!o.in || (!checking && !o.out) || (checking && !candidate && !serve_sock)) {
        fprintf(stderr, "blsvk reduce: --in and --out are required (see blsvk reduce --help)\n");
        rc = BV_EXIT_USAGE;
        goto out;
    }
    bv_error_clear(&err);
    /* In a check, a bad input is just not interesting (exit 1); spirv-reduce's log has why. */
    if ((rc = bv_cli_eval_input("reduce", &o, &in)) >= 0) {
        if (checking)
            rc = BV_EXIT_FAIL;
        goto out;
    }
    const bv_vec_set *set = in.set;
    bv_limbs limbs = in.limbs;
    char kname[64];
    snprintf(kname, sizeof kname, "%s.%s.%s", bv_ref_family_name(set->family), bv_ref_op_name(set->op),
             bv_limbs_name(limbs));
    const bv_kernel *k = NULL;
    if (!checking) {
        /* Differential: the module reduced is the recipe's input, the plain one. */
        cli_opts ko = o;
        if (differential || bisecting) {
            ko.recipe = NULL;
            ko.passes = NULL;
        }
        if ((rc = bv_cli_eval_kernel("reduce", &ko, &in)) >= 0)
            goto out;
        k = in.kernel;
        if (k->error) {
            fprintf(stderr, "blsvk reduce: %s: %s (a module the driver never sees has nothing to reduce)\n",
                    k->source, k->error);
            rc = BV_EXIT_USAGE;
            goto out;
        }
        if ((rc = prepare_out("reduce", o.out)) >= 0)
            goto out;
    }
    rc = bv_cli_open_run_device("reduce", &o, &inst, &ctx);
    if (rc >= 0) {
        if (checking)
            rc = BV_EXIT_FAIL;
        goto out;
    }
    if (bisecting) {
        rc = bisect(&o, scan, ctx, &in, k, kname);
        goto out;
    }
    if (checking) {
        size_t wlen;
        if (bv_file_read_all(check, &want, &wlen, &err)) {
            rc = BV_EXIT_FAIL;
            goto out;
        }
        checker c = {.o = &o, .in = &in, .kname = kname, .want = want, .differential = differential,
                     .keep_all = keep_all};
        if (serve_sock) {
            rc = serve(&c, ctx, serve_sock);
            goto out;
        }
        rc = check_candidate(&c, ctx, candidate);
        if (rc == BV_EXIT_DEVICE)
            rc = BV_EXIT_FAIL;
        goto out;
    }
    size_t nfail;
    const double t_sig = now_seconds();
    rc = run_signature(&o, ctx, &in, k, differential, false, &plain_out, &sig, &nfail);
    if (rc >= 0)
        goto out;
    /* A candidate that runs far longer than the original (a loop whose exit a step removed) is not
     * the same failure: without --timeout-ms each check waits 20 times the original's run and
     * half a second, from 1 to 60 s. On a GPU a hung candidate costs its wait and the driver's
     * recovery, so this decides how long a reduction takes there. */
    uint32_t check_ms = o.timeout_ms;
    if (!check_ms) {
        double ms = 20.0 * (now_seconds() - t_sig) * 1e3 + 500.0;
        check_ms = ms < 1000.0 ? 1000u : ms > 60000.0 ? 60000u : (uint32_t)ms;
    }
    if (nfail == 0) {
        if (differential)
            fprintf(stderr, "blsvk reduce: %s gives the same output plain and through %s%s on %s: nothing to "
                    "reduce\n", k->name, o.recipe ? "recipe " : "the pass list", o.recipe ? o.recipe : "",
                    bv_vk_context_device(ctx)->name);
        else
            fprintf(stderr, "blsvk reduce: %s passes every element of %s on %s: nothing to reduce\n", k->name,
                    o.in, bv_vk_context_device(ctx)->name);
        rc = BV_EXIT_USAGE;
        goto out;
    }
    /* The device no longer needed here: each check opens its own. */
    bv_vk_context_destroy(ctx);
    bv_vk_instance_destroy(inst);
    ctx = NULL;
    inst = NULL;

    char p_orig[PATH_MAX], p_red[PATH_MAX], p_sig[PATH_MAX], p_test[PATH_MAX], p_log[PATH_MAX], p_vec[PATH_MAX];
    char p_kdir[PATH_MAX], p_kmod[PATH_MAX], p_readme[PATH_MAX], exe[PATH_MAX], abs_out[PATH_MAX];
    ssize_t el = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (el <= 0 || !realpath(o.out, abs_out)) {
        fprintf(stderr, "blsvk reduce: cannot find this blsvk's own executable or the --out folder\n");
        rc = BV_EXIT_FAIL;
        goto out;
    }
    exe[el] = '\0';
    snprintf(p_orig, sizeof p_orig, "%s/original.spv", abs_out);
    snprintf(p_red, sizeof p_red, "%s/reduced.spv", abs_out);
    snprintf(p_sig, sizeof p_sig, "%s/signature.txt", abs_out);
    snprintf(p_test, sizeof p_test, "%s/interesting.sh", abs_out);
    snprintf(p_log, sizeof p_log, "%s/reduce.log", abs_out);
    snprintf(p_vec, sizeof p_vec, "%s/vectors%s", abs_out, strstr(o.in, ".bin") ? ".bin" : ".json");
    snprintf(p_kdir, sizeof p_kdir, "%s/kernel", abs_out);
    snprintf(p_kmod, sizeof p_kmod, "%s/kernel/%s.spv", abs_out, kname);
    snprintf(p_readme, sizeof p_readme, "%s/README.md", abs_out);
    char *vec = NULL;
    size_t vlen = 0;
    if (bv_file_read_all(o.in, &vec, &vlen, &err)) {
        fprintf(stderr, "blsvk reduce: %s\n", err.msg);
        rc = BV_EXIT_USAGE;
        goto out;
    }
    rc = write_file("reduce", p_vec, vec, vlen);
    free(vec);
    if (rc >= 0 || (rc = write_file("reduce", p_orig, k->code, k->code_size)) >= 0 ||
        (rc = write_file("reduce", p_sig, sig, strlen(sig))) >= 0)
        goto out;
    /* The test spirv-reduce runs: this blsvk, the same vectors, variant and device; the candidate
     * is asked of a server that keeps the device open, and checked by a process of its own where
     * none answers (a reader rerunning the script by hand). No pipeline cache on disk: every
     * candidate is a new module, and a cache file that grows with each would be read and written
     * again by each. */
    if (!mkdtemp(tmpdir)) {
        fprintf(stderr, "blsvk reduce: cannot make a folder in /tmp\n");
        rc = BV_EXIT_FAIL;
        goto out;
    }
    made_tmp = true;
    snprintf(sock, sizeof sock, "%s/serve.sock", tmpdir);
    char timeout_s[24], seed_s[24];
    snprintf(timeout_s, sizeof timeout_s, "%u", check_ms);
    snprintf(seed_s, sizeof seed_s, "%llu", (unsigned long long)o.seed);
    const char *cargs[40];
    int nc = 0;
    cargs[nc++] = exe;
    cargs[nc++] = "reduce";
    cargs[nc++] = "--check";
    cargs[nc++] = p_sig;
    cargs[nc++] = "--in";
    cargs[nc++] = p_vec;
    cargs[nc++] = "--limbs";
    cargs[nc++] = bv_limbs_name(limbs);
    cargs[nc++] = "--mode";
    cargs[nc++] = bv_mode_name(o.mode);
    cargs[nc++] = "--bind";
    cargs[nc++] = o.bind == BV_ALIAS_OUT_X ? "inplace" : o.bind == BV_ALIAS_X_Y ? "samein" : "none";
    cargs[nc++] = "--timeout-ms";
    cargs[nc++] = timeout_s;
    cargs[nc++] = "--no-pipeline-cache";
    /* The memory the original ran on, so that each check runs the same way. */
    char xover_s[24];
    snprintf(xover_s, sizeof xover_s, "%llu", (unsigned long long)o.memory_crossover);
    cargs[nc++] = "--memory";
    cargs[nc++] = bv_memory_name(o.memory);
    if (o.memory_crossover) {
        cargs[nc++] = "--memory-crossover";
        cargs[nc++] = xover_s;
    }
    if (o.device) {
        cargs[nc++] = "--device";
        cargs[nc++] = o.device;
    }
    if (differential) {
        cargs[nc++] = "--differential";
        cargs[nc++] = o.passes ? "--passes" : "--recipe";
        cargs[nc++] = o.passes ? o.passes : o.recipe;
        cargs[nc++] = "--seed";
        cargs[nc++] = seed_s;
    } else {
        cargs[nc++] = "--keep";
        cargs[nc++] = keep_all ? "all" : "first";
    }
    const int ncheck = nc;
    /* The check's words, each quoted for sh: the longest is a pass list. */
    size_t qlen = 1;
    for (int i = 0; i < ncheck; i++)
        qlen += strlen(cargs[i]) * 4 + 3;
    if (!(q_check_args = malloc(qlen))) {
        rc = BV_EXIT_FAIL;
        goto out;
    }
    q_check_args[0] = '\0';
    for (int i = 0; i < ncheck; i++) {
        size_t at = strlen(q_check_args);
        if (i)
            q_check_args[at++] = ' ';
        shq(q_check_args + at, qlen - at, cargs[i]);
    }
    char q_sock[PATH_MAX + 16];
    shq(q_sock, sizeof q_sock, sock);
    char q_exe[PATH_MAX + 16];
    shq(q_exe, sizeof q_exe, exe);
    int sl = asprintf(&script,
                      "#!/bin/sh\n"
                      "# spirv-reduce's interestingness test (blsvk reduce): exit 0 when the candidate module\n"
                      "# is valid, keeps the kernel ABI and %s.\n"
                      "# Asked of the reduction's server while it runs (exit 2: none answers), else checked here.\n"
                      "%s reduce --ask %s --candidate \"$1\" --timeout-ms %s 2>/dev/null\n"
                      "r=$?\n"
                      "[ $r -le 1 ] && exit $r\n"
                      "exec %s --candidate \"$1\"\n",
                      differential ? "gives another output through the recipe than plain"
                      : keep_all   ? "fails the same elements the same way"
                                   : "fails its first wrong element the same way",
                      q_exe, q_sock, timeout_s, q_check_args);
    if (sl < 0) {
        script = NULL;
        rc = BV_EXIT_FAIL;
        goto out;
    }
    if ((rc = write_file("reduce", p_test, script, (size_t)sl)) >= 0)
        goto out;
    rc = -1;
    if (chmod(p_test, 0755) != 0) {
        fprintf(stderr, "blsvk reduce: %s: cannot make it executable\n", p_test);
        rc = BV_EXIT_FAIL;
        goto out;
    }
    char steps_arg[40];
    snprintf(steps_arg, sizeof steps_arg, "--step-limit=%llu", (unsigned long long)(steps ? steps : 2500));
    char *rargv[] = {"spirv-reduce", steps_arg, p_orig, "-o", p_red, "--", p_test, NULL};
    cargs[nc++] = "--serve";
    cargs[nc++] = sock;
    cargs[nc] = NULL;
    printf("reducing %s (%zu of %zu elements wrong on this device), log in %s\n", k->name, nfail, set->count, p_log);
    /* In the output folder: spirv-reduce leaves its temp_NNNN.spv files in its working folder. The
     * server is started again whenever it stops (a device error, or its share of candidates) until
     * spirv-reduce is done; a server that cannot start at all leaves every check to its own process. */
    pid_t server = spawn_start((char *const *)cargs, NULL, "/dev/null", false);
    pid_t reducer = spawn_start(rargv, abs_out, p_log, false);
    int rr = 127, starts = 1;
    while (reducer > 0) {
        int st = 0;
        pid_t w = waitpid(-1, &st, 0);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            break;
        if (w == reducer) {
            rr = exit_status(st);
            break;
        }
        /* Started again after its share of candidates (0), a device error (3) or a crash (a
         * signal: a candidate that kills the driver); not when it cannot run at all (no device,
         * no socket: 1, 2, 127), which leaves every check to its own process. */
        int ss = exit_status(st);
        if (w == server)
            server = (ss == BV_EXIT_OK || ss == BV_EXIT_DEVICE || ss >= 128) && starts++ < 10000
                         ? spawn_start((char *const *)cargs, NULL, "/dev/null", false)
                         : -1;
    }
    if (server > 0) {
        kill(server, SIGTERM);
        while (waitpid(server, NULL, 0) < 0 && errno == EINTR) {
        }
    }
    remove_candidates(abs_out);
    if (rr == 127) {
        fprintf(stderr, "blsvk reduce: cannot run spirv-reduce (Debian: apt-get install spirv-tools)\n");
        rc = BV_EXIT_FAIL;
        goto out;
    }
    char *red = NULL;
    size_t rlen = 0;
    if (rr != 0 || bv_file_read_all(p_red, &red, &rlen, &err)) {
        fprintf(stderr, "blsvk reduce: spirv-reduce failed (exit %d): see %s\n", rr, p_log);
        rc = BV_EXIT_FAIL;
        goto out;
    }
    bv_error kerr;
    if (bv_mkdir_p(p_kdir, &kerr) || (rc = write_file("reduce", p_kmod, red, rlen)) >= 0) {
        free(red);
        rc = BV_EXIT_USAGE;
        goto out;
    }
    size_t before = count_instructions(k->code, k->code_size / 4);
    size_t after = count_instructions((const uint32_t *)(const void *)red, rlen / 4);
    free(red);
    for (int which = 0; which < 2; which++) {
        char asmpath[PATH_MAX];
        snprintf(asmpath, sizeof asmpath, "%s/%s.spvasm", abs_out, which ? "reduced" : "original");
        char *dargv[] = {"spirv-dis", which ? p_red : p_orig, "-o", asmpath, NULL};
        if (spawn(dargv, NULL, NULL) != 0)
            fprintf(stderr, "blsvk reduce: spirv-dis could not disassemble %s\n", which ? p_red : p_orig);
    }
    const bv_device_info *dev = NULL;
    char devname[256] = "the device";
    if (bv_cli_open_run_device("reduce", &o, &inst, &ctx) < 0 && (dev = bv_vk_context_device(ctx)) != NULL)
        snprintf(devname, sizeof devname, "%s (%s %s)", dev->name, dev->driver_name, dev->driver_info);
    if (asprintf(&readme,
                 "# %s, reduced\n\n"
                 "On %s, `%s` (%s) gets %zu of the %zu elements of `vectors` %s (mode %s, binding %s).\n"
                 "spirv-reduce shrank the module from %zu to %zu instructions (%.0f %%) while keeping it\n"
                 "valid SPIR-V with the blsvk kernel ABI and %s\n"
                 "(`signature.txt`: element index and check a line, for the original).\n\n"
                 "- `original.spv`, `original.spvasm`: the module as the driver first saw it\n"
                 "- `reduced.spv`, `reduced.spvasm`: the reduced module (also `kernel/%s.spv`)\n"
                 "- `vectors%s`: the inputs; the expected values come from blsvk's GMP reference\n"
                 "- `interesting.sh`: the test each reduction step passed; `reduce.log`: spirv-reduce's log\n\n"
                 "Replay the reduced module:\n\n"
                 "    blsvk eval --in vectors%s --out results.json --kernel-dir kernel --limbs %s --mode %s%s\n\n"
                 "Every element that fails is checked against an independent reference; a correct driver\n"
                 "gives the expected value for each, whatever the module's instructions compute.\n",
                 kname, devname, kname, k->source, nfail, set->count,
                 differential ? "different through its recipe than plain" : "wrong", bv_mode_name(o.mode),
                 o.bind == BV_ALIAS_OUT_X ? "in place" : o.bind == BV_ALIAS_X_Y ? "x = y" : "separate buffers",
                 before, after, before ? 100.0 * (double)after / (double)before : 0.0,
                 differential ? "keeping it right plain (every element as the reference says) while some\n"
                                "element comes out different through the recipe: the module is the recipe's\n"
                                "input, and what is left is what the recipe (or the driver on one of the two\n"
                                "modules) gets wrong."
                              : keep_all ? "keeping exactly the same wrong elements, each wrong in the same way, and\n"
                                           "leaving the guard words around the buffers as they were."
                                         : "keeping its first wrong element wrong in the same way (the elements before\n"
                                           "it right), and the guard words around the buffers as they were; the other\n"
                                           "elements may now fail too (--keep all keeps every one as it was).",
                 kname,
                 strstr(o.in, ".bin") ? ".bin" : ".json", strstr(o.in, ".bin") ? ".bin" : ".json",
                 bv_limbs_name(limbs), bv_mode_name(o.mode),
                 o.bind == BV_ALIAS_OUT_X ? " --bind inplace" : o.bind == BV_ALIAS_X_Y ? " --bind samein" : "") < 0) {
        readme = NULL;
        rc = BV_EXIT_FAIL;
        goto out;
    }
    if ((rc = write_file("reduce", p_readme, readme, strlen(readme))) >= 0)
        goto out;
    printf("%s: %zu -> %zu instructions (%.0f %%), %s; %s\n", kname, before, after,
           before ? 100.0 * (double)after / (double)before : 0.0,
           differential ? "different through the recipe"
           : keep_all   ? "the same wrong elements"
                        : "the same first wrong element",
           p_readme);
    rc = BV_EXIT_OK;
out:
    if (made_tmp) {
        if (sock[0])
            (void)unlink(sock);
        rmdir(tmpdir);
    }
    free(rest);
    free(sig);
    free(want);
    free(readme);
    free(script);
    free(q_check_args);
    free(plain_out);
    bv_cli_eval_input_free(&in);
    bv_vk_context_destroy(ctx);
    bv_vk_instance_destroy(inst);
    return rc;
}
