/* harness/cli_run.c: the verbs that touch a device: devices, list, run and eval. The run verb
 * also resumes interrupted runs, runs one shard of a case list, retries failures, applies a
 * baseline of known failures, and leaves every report file behind. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bv_json.h"
#include "bv_run.h"
#include "bv_version.h"
#include "cli.h"

#define MAX_FILTERS 64

/* Options shared by run, list and eval. */
typedef struct cli_opts {
    const char *device;
    const char *suite;
    const char *filters[MAX_FILTERS];
    size_t nfilters;
    const char *report_dir;
    const char *kernel_dir;
    const char *pipeline_cache;
    bool no_pipeline_cache;
    bv_memory memory;
    uint32_t timeout_ms;
    uint32_t workgroup_size;
    uint64_t seed;
    uint32_t reps, warmup;
    bool validate;
    bool quiet;
    bool json;
    /* eval */
    const char *in, *out;
    bool has_limbs;
    bv_limbs limbs;
    bv_mode mode;
    /* pipelined mode */
    uint64_t chunk_elems;
    uint32_t buffers;
    /* run: resume, shard, retries, baseline */
    const char *resume;
    uint32_t shard_index, shard_count; /* 1-based; 0/0: not sharded */
    uint32_t retry_failures;
    const char *baseline;
    bool bounds;
} cli_opts;

enum {
    OPT_DEVICE = 256, OPT_SUITE, OPT_FILTER, OPT_REPORT_DIR, OPT_KERNEL_DIR, OPT_MEMORY, OPT_TIMEOUT, OPT_SEED,
    OPT_REPS, OPT_WARMUP, OPT_VALIDATE, OPT_PCACHE, OPT_NO_PCACHE, OPT_WG, OPT_QUIET, OPT_JSON, OPT_IN, OPT_OUT,
    OPT_LIMBS, OPT_MODE, OPT_CHUNK, OPT_BUFFERS, OPT_RESUME, OPT_SHARD, OPT_RETRY, OPT_BASELINE, OPT_BOUNDS, OPT_HELP
};

/* "I/N" with 1 <= I <= N. */
static bool parse_shard(const char *s, uint32_t *index, uint32_t *count)
{
    unsigned long i, n;
    char *end;
    if (!s || *s < '0' || *s > '9')
        return false;
    errno = 0;
    i = strtoul(s, &end, 10);
    if (errno || *end != '/' || end[1] < '0' || end[1] > '9')
        return false;
    n = strtoul(end + 1, &end, 10);
    if (errno || *end || i < 1 || n < 1 || i > n || n > 100000)
        return false;
    *index = (uint32_t)i;
    *count = (uint32_t)n;
    return true;
}

/* Returns -1 on success, else the exit status to return. */
static int parse_opts(const char *verb, int argc, char **argv, const struct option *lo, cli_opts *o,
                      void (*help)(FILE *))
{
    int c;
    uint64_t v;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 'h':
        case OPT_HELP: help(stdout); return BV_EXIT_OK;
        case OPT_DEVICE: o->device = optarg; break;
        case OPT_SUITE: o->suite = optarg; break;
        case OPT_FILTER:
            /* Several patterns may come in one argument, separated by commas. */
            for (char *p = strtok(optarg, ","); p; p = strtok(NULL, ",")) {
                if (o->nfilters == MAX_FILTERS) {
                    fprintf(stderr, "blsvk %s: at most %d filters\n", verb, MAX_FILTERS);
                    return BV_EXIT_USAGE;
                }
                o->filters[o->nfilters++] = p;
            }
            break;
        case OPT_REPORT_DIR: o->report_dir = optarg; break;
        case OPT_KERNEL_DIR: o->kernel_dir = optarg; break;
        case OPT_PCACHE: o->pipeline_cache = optarg; break;
        case OPT_NO_PCACHE: o->no_pipeline_cache = true; break;
        case OPT_VALIDATE: o->validate = true; break;
        case OPT_QUIET: o->quiet = true; break;
        case OPT_JSON: o->json = true; break;
        case OPT_IN: o->in = optarg; break;
        case OPT_RESUME: o->resume = optarg; break;
        case OPT_BASELINE: o->baseline = optarg; break;
        case OPT_BOUNDS: o->bounds = true; break;
        case OPT_SHARD:
            if (!parse_shard(optarg, &o->shard_index, &o->shard_count)) {
                fprintf(stderr, "blsvk %s: --shard takes I/N with 1 <= I <= N, e.g. 2/4, not '%s'\n", verb, optarg);
                return BV_EXIT_USAGE;
            }
            break;
        case OPT_RETRY:
            if (!bv_cli_parse_u64(optarg, BV_REPORT_MAX_ATTEMPTS - 1, &v)) {
                fprintf(stderr, "blsvk %s: --retry-failures takes a whole number from 0 to %d, not '%s'\n", verb,
                        BV_REPORT_MAX_ATTEMPTS - 1, optarg);
                return BV_EXIT_USAGE;
            }
            o->retry_failures = (uint32_t)v;
            break;
        case OPT_OUT: o->out = optarg; break;
        case OPT_MEMORY:
            if (bv_memory_parse(optarg, &o->memory)) {
                fprintf(stderr, "blsvk %s: --memory takes device or host, not '%s'\n", verb, optarg);
                return BV_EXIT_USAGE;
            }
            break;
        case OPT_MODE:
            if (bv_mode_parse(optarg, &o->mode)) {
                fprintf(stderr, "blsvk %s: --mode takes oneshot, persistent or pipelined, not '%s'\n", verb, optarg);
                return BV_EXIT_USAGE;
            }
            break;
        case OPT_LIMBS:
            if (bv_limbs_parse(optarg, &o->limbs)) {
                fprintf(stderr, "blsvk %s: --limbs takes u32 or u64, not '%s'\n", verb, optarg);
                return BV_EXIT_USAGE;
            }
            o->has_limbs = true;
            break;
        case OPT_CHUNK:
            if (!bv_cli_parse_u64(optarg, BV_VEC_MAX_COUNT, &o->chunk_elems) || o->chunk_elems == 0) {
                fprintf(stderr, "blsvk %s: --chunk-elems takes a whole number from 1 to %zu, not '%s'\n", verb,
                        (size_t)BV_VEC_MAX_COUNT, optarg);
                return BV_EXIT_USAGE;
            }
            break;
        case OPT_BUFFERS:
            if (!bv_cli_parse_u64(optarg, 64, &v) || v < 1) {
                fprintf(stderr, "blsvk %s: --buffers takes a whole number from 1 to 64, not '%s'\n", verb, optarg);
                return BV_EXIT_USAGE;
            }
            o->buffers = (uint32_t)v;
            break;
        case OPT_TIMEOUT:
        case OPT_REPS:
        case OPT_WARMUP:
        case OPT_WG:
            if (!bv_cli_parse_u64(optarg, UINT32_MAX, &v) || ((c == OPT_TIMEOUT || c == OPT_REPS) && v == 0)) {
                fprintf(stderr, "blsvk %s: %s takes a positive whole number, not '%s'\n", verb, argv[optind - 1],
                        optarg);
                return BV_EXIT_USAGE;
            }
            if (c == OPT_TIMEOUT) o->timeout_ms = (uint32_t)v;
            if (c == OPT_REPS) o->reps = (uint32_t)v;
            if (c == OPT_WARMUP) o->warmup = (uint32_t)v;
            if (c == OPT_WG) o->workgroup_size = (uint32_t)v;
            break;
        case OPT_SEED:
            if (!bv_cli_parse_u64(optarg, UINT64_MAX, &o->seed)) {
                fprintf(stderr, "blsvk %s: --seed takes a whole number, not '%s'\n", verb, optarg);
                return BV_EXIT_USAGE;
            }
            break;
        case ':':
            fprintf(stderr, "blsvk %s: %s needs a value\n", verb, argv[optind - 1]);
            return BV_EXIT_USAGE;
        default:
            fprintf(stderr, "blsvk %s: unknown option '%s' (see blsvk %s --help)\n", verb, argv[optind - 1], verb);
            return BV_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "blsvk %s: unexpected argument '%s'\n", verb, argv[optind]);
        return BV_EXIT_USAGE;
    }
    return -1;
}

#define LO_COMMON                                                                                       \
    {"help", no_argument, NULL, OPT_HELP}, {"device", required_argument, NULL, OPT_DEVICE},             \
        {"kernel-dir", required_argument, NULL, OPT_KERNEL_DIR},                                        \
        {"memory", required_argument, NULL, OPT_MEMORY}, {"timeout-ms", required_argument, NULL, OPT_TIMEOUT}, \
        {"validate", no_argument, NULL, OPT_VALIDATE}, {"workgroup-size", required_argument, NULL, OPT_WG},  \
        {"pipeline-cache", required_argument, NULL, OPT_PCACHE},                                       \
        {"no-pipeline-cache", no_argument, NULL, OPT_NO_PCACHE},                                      \
        {"chunk-elems", required_argument, NULL, OPT_CHUNK}, {"buffers", required_argument, NULL, OPT_BUFFERS}

static const char *default_cache_dir(char *buf, size_t n)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(buf, n, "%s/blsvk", xdg);
    else if (home && *home)
        snprintf(buf, n, "%s/.cache/blsvk", home);
    else
        return NULL;
    return buf;
}

/* Instance, device selection and context: the common start of run and eval. Prints its
 * own errors and returns an exit status, or -1 when all is ready. */
static int open_device(const char *verb, const cli_opts *o, bv_vk_instance **inst, bv_vk_context **ctx)
{
    char cache[4096];
    bv_vk_context_opts co = {
        .timeout_ms = o->timeout_ms,
        .workgroup_size = o->workgroup_size,
        .pipeline_cache_dir = o->no_pipeline_cache ? NULL
                              : o->pipeline_cache ? o->pipeline_cache
                                                  : default_cache_dir(cache, sizeof cache),
    };
    return bv_cli_open_device(verb, o->device, o->validate, &co, inst, ctx);
}

/* --- devices ------------------------------------------------------------------------ */

static void devices_help(FILE *f)
{
    fprintf(f, "usage: blsvk devices [--json]\n\n"
               "Lists every Vulkan device with what blsvk records of it: index (for --device), name,\n"
               "type, API and driver versions, UUID, shaderInt64, timestamps and limits.\n");
}

int bv_cli_devices(int argc, char **argv)
{
    static const struct option lo[] = {{"help", no_argument, NULL, OPT_HELP},
                                       {"json", no_argument, NULL, OPT_JSON},
                                       {0, 0, 0, 0}};
    cli_opts o = {0};
    bv_vk_instance *inst = NULL;
    bv_error err;
    int rc = parse_opts("devices", argc, argv, lo, &o, devices_help);
    if (rc >= 0)
        return rc;
    bv_error_clear(&err);
    if (bv_vk_instance_create(NULL, &inst, &err)) {
        fprintf(stderr, "blsvk devices: %s\n", err.msg);
        return BV_EXIT_DEVICE;
    }
    uint32_t n = bv_vk_device_count(inst);
    if (n == 0) {
        fprintf(stderr, "blsvk devices: %s\n", bv_vk_no_device_hint());
        bv_vk_instance_destroy(inst);
        return BV_EXIT_DEVICE;
    }
    uint32_t def = 0;
    BV_IGNORE(bv_vk_device_select(inst, NULL, &def, NULL));
    if (o.json) {
        bv_json_writer *w = NULL;
        if (bv_json_writer_create(stdout, true, &w, &err) == BV_OK) {
            bv_json_arr_begin(w);
            for (uint32_t i = 0; i < n; i++) {
                const bv_device_info *d = bv_vk_device_info_at(inst, i);
                bv_json_obj_begin(w);
                bv_device_write_json(w, d);
                bv_json_key(w, "default"); bv_json_bool_write(w, i == def);
                bv_json_obj_end(w);
            }
            bv_json_arr_end(w);
            BV_IGNORE(bv_json_writer_finish(w, NULL));
        }
    } else {
        printf("Vulkan loader %s; %u device%s\n", bv_vk_loader_version(inst), n, n == 1 ? "" : "s");
        for (uint32_t i = 0; i < n; i++) {
            const bv_device_info *d = bv_vk_device_info_at(inst, i);
            uint64_t local = 0;
            for (uint32_t h = 0; h < d->heap_count; h++)
                if (d->heap_device_local[h])
                    local += d->heap_size[h];
            printf("\n[%u]%s %s (%s)\n", i, i == def ? " (default)" : "", d->name, d->device_type_name);
            printf("    uuid %s, vendor 0x%04x, device 0x%04x\n", d->uuid_str, d->vendor_id, d->device_id);
            printf("    Vulkan %s, driver %s %s (%s)\n", d->api_version_str, d->driver_name, d->driver_version_str,
                   d->driver_info);
            printf("    shaderInt64 %s, timeline semaphores %s, timestamps %u bits at %.3g ns/tick\n",
                   d->shader_int64 ? "yes" : "no (u64 variants NotSupported)", d->timeline_semaphore ? "yes" : "no",
                   d->timestamp_valid_bits, d->timestamp_period);
            printf("    workgroup size max %u (invocations %u), groups max %u, storage range %llu bytes\n",
                   d->max_workgroup_size[0], d->max_workgroup_invocations, d->max_workgroup_count[0],
                   (unsigned long long)d->max_storage_buffer_range);
            printf("    device-local memory %.1f GiB, compute queue family %u, transfer-only family %s\n",
                   (double)local / (1024.0 * 1024 * 1024), d->compute_queue_family,
                   d->transfer_queue_family >= 0 ? "yes" : "none");
        }
    }
    bv_vk_instance_destroy(inst);
    return BV_EXIT_OK;
}

/* --- case lists -------------------------------------------------------------------- */

/* The suite's cases, filtered; with a kernel dir only the variants it provides; one shard. */
static int build_cases(const char *verb, const cli_opts *o, const bv_kernel_set *user, bv_run_case **cases,
                       size_t *n)
{
    bv_error err;
    bv_error_clear(&err);
    if (bv_run_plan(o->suite, o->filters, o->nfilters, user, o->shard_index, o->shard_count, cases, n, &err)) {
        fprintf(stderr, "blsvk %s: --suite: %s\n", verb, err.msg);
        return BV_EXIT_USAGE;
    }
    return -1;
}

static int load_kernel_dir(const char *verb, const cli_opts *o, bv_kernel_set **user)
{
    bv_error err;
    *user = NULL;
    if (!o->kernel_dir)
        return -1;
    bv_error_clear(&err);
    if (bv_kernel_set_load(o->kernel_dir, user, &err)) {
        fprintf(stderr, "blsvk %s: --kernel-dir %s: %s\n", verb, o->kernel_dir, err.msg);
        return BV_EXIT_USAGE;
    }
    if (bv_kernel_set_count(*user) == 0) {
        fprintf(stderr, "blsvk %s: --kernel-dir %s: no <field>.<op>.<limbs>.spv or .comp files there\n", verb,
                o->kernel_dir);
        bv_kernel_set_destroy(*user);
        *user = NULL;
        return BV_EXIT_USAGE;
    }
    return -1;
}

static void list_help(FILE *f)
{
    fprintf(f, "usage: blsvk list [--suite quick|full] [--filter GLOB]... [--kernel-dir DIR] [--shard I/N]\n\n"
               "Prints the names of the cases a run would execute, one a line:\n"
               "  <field>.<op>.<limbs>.<mode>.<set>.<size>, e.g. fp.mul.u32.persistent.random.4099\n"
               "--filter takes globs (repeat it, or separate with commas); a pattern that starts with '-'\n"
               "excludes, e.g. --filter 'fp.*' --filter '-*.oneshot.*'.\n"
               "--shard I/N lists the cases `blsvk run --shard I/N` would run.\n");
}

int bv_cli_list(int argc, char **argv)
{
    static const struct option lo[] = {{"help", no_argument, NULL, OPT_HELP},
                                       {"suite", required_argument, NULL, OPT_SUITE},
                                       {"filter", required_argument, NULL, OPT_FILTER},
                                       {"kernel-dir", required_argument, NULL, OPT_KERNEL_DIR},
                                       {"shard", required_argument, NULL, OPT_SHARD},
                                       {0, 0, 0, 0}};
    cli_opts o = {.suite = "quick"};
    bv_run_case *cases = NULL;
    bv_kernel_set *user = NULL;
    size_t n = 0;
    bv_error err;
    int rc = parse_opts("list", argc, argv, lo, &o, list_help);
    if (rc >= 0)
        return rc;
    bv_error_clear(&err);
    if (bv_ref_init(&err)) {
        fprintf(stderr, "blsvk list: %s\n", err.msg);
        return BV_EXIT_FAIL;
    }
    rc = load_kernel_dir("list", &o, &user);
    if (rc < 0)
        rc = build_cases("list", &o, user, &cases, &n);
    if (rc < 0) {
        for (size_t i = 0; i < n; i++)
            printf("%s\n", cases[i].name);
        rc = BV_EXIT_OK;
    }
    free(cases);
    bv_kernel_set_destroy(user);
    return rc;
}

/* --- run --------------------------------------------------------------------------- */

static void run_help(FILE *f)
{
    fprintf(f,
            "usage: blsvk run [options]\n"
            "       blsvk run --resume RUN-DIR [--quiet]\n\n"
            "Runs a suite of cases on one device, checks every output element against the GMP\n"
            "reference, and writes results.jsonl (case by case, as it goes), then results.json,\n"
            "junit.xml, summary.md and report.html to <report-dir>/<device>/<run-id>/\n"
            "(docs/report-format.md).\n\n"
            "  --device SEL          index, UUID, or a unique substring of the name (blsvk devices);\n"
            "                        default: the first discrete GPU, else the first device\n"
            "  --suite quick|full    default quick\n"
            "  --filter GLOB         select cases by name; '-GLOB' excludes; repeatable\n"
            "  --shard I/N           run the I-th of N parts of the selected cases (1 <= I <= N), for\n"
            "                        N machines; `blsvk report merge` puts the parts back together\n"
            "  --report-dir DIR      default blsvk-reports\n"
            "  --kernel-dir DIR      run your own <field>.<op>.<limbs>.spv/.comp kernels instead\n"
            "  --baseline FILE       known failures: lines of '<case glob> <reason>'; a listed case\n"
            "                        that fails is expected-fail, one that passes unexpected-pass\n"
            "  --retry-failures N    run a failing case up to N more times (at most %d); one that then\n"
            "                        passes is a flake, reported apart with its attempts\n"
            "  --bounds              measure the device's copy and host-link bandwidth first (as\n"
            "                        blsvk bench does) and give every case's throughput as fractions\n"
            "                        of them; report.html draws the copy bound into its charts\n"
            "  --resume RUN-DIR      finish an interrupted run from its results.jsonl: the same\n"
            "                        options and device, skipping the cases it finished\n"
            "  --memory device|host  device-local buffers with staging (default) or host-visible\n"
            "  --timeout-ms N        longest wait for one submission (default 60000)\n"
            "  --seed S              seed of the random sets (default 1)\n"
            "  --reps N, --warmup N  timed repetitions per case (default 1) and untimed ones first (0)\n"
            "  --workgroup-size N    default 64 (within the device's limits)\n"
            "  --validate            enable the Khronos validation layer; any message fails the case\n"
            "  --pipeline-cache DIR  where the VkPipelineCache is kept (default ~/.cache/blsvk)\n"
            "  --no-pipeline-cache   do not read or write one\n"
            "  --chunk-elems N       pipelined mode: elements per chunk (default from the device, or\n"
            "                        the environment variable BLSVK_CHUNK_ELEMS)\n"
            "  --buffers N           pipelined mode: buffer sets in flight (default 2)\n"
            "  --quiet               no progress line or summary table\n\n"
            "exit status: 0 no new failure (NotSupported, expected-fail, unexpected-pass and flake\n"
            "are not failures), 1 a case failed, timed out or hit an error and the baseline does\n"
            "not list it, 2 bad usage, 3 no usable device or the device was lost for good.\n",
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
}

/* Progress on a terminal: the case in flight on one line; off one, each failure as it happens. */
typedef struct run_progress {
    bool tty, quiet;
} run_progress;

static void show_progress(void *user, const bv_run_progress *p)
{
    const run_progress *rp = user;
    if (!p->result) {
        if (rp->tty)
            fprintf(stderr, "\r\033[K[%zu/%zu] %s", p->done + 1, p->todo, p->c->name);
        return;
    }
    if (!rp->tty && !rp->quiet && p->result->status != BV_RESULT_PASS && p->result->status != BV_RESULT_NOT_SUPPORTED)
        fprintf(stderr, "%s %s: %s\n", bv_report_status_name(p->result->status), p->result->name, p->result->reason);
}

int bv_cli_run(int argc, char **argv)
{
    static const struct option lo[] = {LO_COMMON,
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
                                       {"bounds", no_argument, NULL, OPT_BOUNDS},
                                       {0, 0, 0, 0}};
    static const cli_opts defaults = {.suite = "quick", .report_dir = "blsvk-reports", .seed = 1};
    cli_opts o = defaults;
    bv_vk_instance *inst = NULL;
    bv_vk_context *ctx = NULL;
    bv_kernel_set *user = NULL, *hook = NULL;
    bv_run_case *cases = NULL;
    bv_run_session *session = NULL;
    bv_report *rep = NULL;
    char **rargv = NULL;
    size_t rargc = 0, n = 0;
    bv_error err;
    char dir[4096], slug[128];
    bool resuming, quiet;
    int rc = parse_opts("run", argc, argv, lo, &o, run_help);
    if (rc >= 0)
        return rc;
    bv_error_clear(&err);
    resuming = o.resume != NULL;
    quiet = o.quiet;
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
        rc = parse_opts("run", (int)rargc, rargv, lo, &o, run_help);
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
    rc = load_kernel_dir("run", &o, &user);
    if (rc < 0)
        rc = build_cases("run", &o, user, &cases, &n);
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
    rc = open_device("run", &o, &inst, &ctx);
    if (rc >= 0)
        goto out;
    rc = BV_EXIT_OK;

    if (!resuming) {
        if (bv_report_create(&rep, &err) || bv_report_set_argv(rep, argc, argv, &err)) {
            fprintf(stderr, "blsvk run: %s\n", err.msg);
            rc = BV_EXIT_FAIL;
            goto out;
        }
        bv_run_record_init(&rep->run, argc, argv, inst, ctx, cases, n);
        record_options(&rep->run, &o);
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
    run_progress rp = {.tty = isatty(STDERR_FILENO) && !o.quiet, .quiet = o.quiet};
    bv_run_session_opts so = {
        .run = {.memory = o.memory, .seed = o.seed, .reps = o.reps, .warmup = o.warmup,
                .chunk_elems = (size_t)o.chunk_elems, .buffers = o.buffers},
        .retry_failures = o.retry_failures,
        .baseline = o.baseline,
        .user = user,
        .first_attempt = hook,
        .progress = show_progress,
        .progress_user = &rp,
    };
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
    bv_report_summary sum;
    bv_report_set *set = NULL;
    bv_status wst = bv_run_session_finish(session, &sum, &set, &err);
    if (rc == BV_EXIT_OK && (sum.new_failures || sum.missing))
        rc = BV_EXIT_FAIL;
    if (bv_run_session_device_gone(session) && rc == BV_EXIT_FAIL)
        rc = BV_EXIT_DEVICE;
    if (!wst && !o.quiet) {
        printf("\n");
        wst = bv_report_write_text(stdout, set, 20, &err);
        printf("reports: %s/{results.json,junit.xml,summary.md,report.html}\n", dir);
    }
    bv_report_set_destroy(set);
    if (wst) {
        /* Said last, so that a run that cannot leave its reports does not pass for one that did. */
        fprintf(stderr, "blsvk run: %s\n", err.msg);
        if (rc == BV_EXIT_OK)
            rc = BV_EXIT_FAIL;
    }
out:
    bv_run_session_destroy(session);
    bv_report_destroy(rep);
    for (size_t i = 0; rargv && i < rargc; i++)
        free(rargv[i]);
    free(rargv);
    free(cases);
    bv_vk_context_destroy(ctx);
    bv_vk_instance_destroy(inst);
    bv_kernel_set_destroy(user);
    bv_kernel_set_destroy(hook);
    return rc;
}

/* --- eval -------------------------------------------------------------------------- */

static void eval_help(FILE *f)
{
    fprintf(f,
            "usage: blsvk eval --in VECTORS --out RESULTS [--device SEL] [--limbs u32|u64]\n"
            "                  [--mode oneshot|persistent|pipelined] [--memory device|host] [--kernel-dir DIR]\n"
            "                  [--chunk-elems N] [--buffers N]\n\n"
            "Runs one vector file (JSON or binary, see docs/vectors.md) through the kernel for its\n"
            "field and op and writes every case's inputs, expected value (from the reference), what\n"
            "the kernel returned, and pass/fail, as blsvk-eval/1 JSON. An expected value in the\n"
            "file that disagrees with the reference is an input error (exit 2).\n"
            "Defaults: --limbs u32, --mode persistent, --memory device.\n");
}

static bv_status write_eval(const char *path, const bv_device_info *d, const bv_vec_set *set, bv_limbs limbs,
                            bv_mode mode, const uint8_t *expected, const uint8_t *got, size_t *npass, size_t *nfail,
                            bv_error *err)
{
    bv_json_file jf;
    size_t eb = bv_ref_family_bytes(set->family);
    unsigned arity = bv_ref_op_arity(set->op);
    bv_status st = bv_json_file_open(&jf, path, true, err);
    if (st)
        return st;
    bv_json_writer *w = jf.w;
    *npass = *nfail = 0;
    bv_json_obj_begin(w);
    bv_json_key(w, "format"); bv_json_str(w, "blsvk-eval/1");
    bv_json_key(w, "device");
    bv_json_obj_begin(w);
    bv_device_write_json(w, d);
    bv_json_obj_end(w);
    bv_json_key(w, "field"); bv_json_str(w, bv_ref_family_name(set->family));
    bv_json_key(w, "op"); bv_json_str(w, bv_ref_op_name(set->op));
    bv_json_key(w, "limbs"); bv_json_str(w, bv_limbs_name(limbs));
    bv_json_key(w, "mode"); bv_json_str(w, bv_mode_name(mode));
    bv_json_key(w, "cases");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < set->count; i++) {
        char name[128], hex[BV_REF_MAX_HEX];
        bool ok = memcmp(expected + i * eb, got + i * eb, eb) == 0;
        *npass += ok;
        *nfail += !ok;
        bv_vec_name(set, i, name, sizeof name);
        bv_json_obj_begin(w);
        bv_json_key(w, "name"); bv_json_str(w, name);
        bv_json_key(w, "inputs");
        bv_json_arr_begin(w);
        bv_ref_hex_format(set->family, set->x + i * eb, hex);
        bv_json_str(w, hex);
        if (arity == 2) {
            bv_ref_hex_format(set->family, set->y + i * eb, hex);
            bv_json_str(w, hex);
        }
        bv_json_arr_end(w);
        bv_ref_hex_format(set->family, expected + i * eb, hex);
        bv_json_key(w, "expected"); bv_json_str(w, hex);
        bv_ref_hex_format(set->family, got + i * eb, hex);
        bv_json_key(w, "got"); bv_json_str(w, hex);
        bv_json_key(w, "status"); bv_json_str(w, ok ? "pass" : "fail");
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_key(w, "summary");
    bv_json_obj_begin(w);
    bv_json_key(w, "pass"); bv_json_u64(w, *npass);
    bv_json_key(w, "fail"); bv_json_u64(w, *nfail);
    bv_json_obj_end(w);
    bv_json_obj_end(w);
    return bv_json_file_close(&jf, BV_OK, err);
}

int bv_cli_eval(int argc, char **argv)
{
    static const struct option lo[] = {LO_COMMON,
                                       {"in", required_argument, NULL, OPT_IN},
                                       {"out", required_argument, NULL, OPT_OUT},
                                       {"limbs", required_argument, NULL, OPT_LIMBS},
                                       {"mode", required_argument, NULL, OPT_MODE},
                                       {0, 0, 0, 0}};
    cli_opts o = {.mode = BV_MODE_PERSISTENT};
    bv_vk_instance *inst = NULL;
    bv_vk_context *ctx = NULL;
    bv_kernel_set *user = NULL;
    bv_vec_set *set = NULL;
    uint8_t *expected = NULL, *got = NULL;
    bv_error err;
    int rc = parse_opts("eval", argc, argv, lo, &o, eval_help);
    if (rc >= 0)
        return rc;
    if (!o.in || !o.out) {
        fprintf(stderr, "blsvk eval: --in and --out are required (see blsvk eval --help)\n");
        return BV_EXIT_USAGE;
    }
    bv_error_clear(&err);
    if (bv_ref_init(&err)) {
        fprintf(stderr, "blsvk eval: %s\n", err.msg);
        return BV_EXIT_FAIL;
    }
    if (bv_vec_read(o.in, &set, &err)) {
        fprintf(stderr, "blsvk eval: %s\n", err.msg);
        rc = BV_EXIT_USAGE;
        goto out;
    }
    size_t eb = bv_ref_family_bytes(set->family), bytes;
    if (bv_size_mul(set->count, eb, &bytes) || !(expected = malloc(bytes + 1)) || !(got = malloc(bytes + 1))) {
        fprintf(stderr, "blsvk eval: %s: out of memory for %zu cases\n", o.in, set->count);
        rc = BV_EXIT_FAIL;
        goto out;
    }
    if (bv_ref_batch(set->family, set->op, expected, set->x, set->y, set->count, 0, &err)) {
        fprintf(stderr, "blsvk eval: %s\n", err.msg);
        rc = BV_EXIT_FAIL;
        goto out;
    }
    if (set->expected) {
        size_t bad = 0;
        for (size_t i = 0; i < set->count; i++) {
            if (set->has_expected && !set->has_expected[i])
                continue;
            if (memcmp(set->expected + i * eb, expected + i * eb, eb) == 0)
                continue;
            char name[128], a[BV_REF_MAX_HEX], b[BV_REF_MAX_HEX];
            bv_vec_name(set, i, name, sizeof name);
            bv_ref_hex_format(set->family, set->expected + i * eb, a);
            bv_ref_hex_format(set->family, expected + i * eb, b);
            if (bad++ < 5)
                fprintf(stderr, "blsvk eval: %s: case %zu (%s): expected %s in the file, the reference says %s\n",
                        o.in, i, name, a, b);
        }
        if (bad) {
            fprintf(stderr, "blsvk eval: %s: %zu expected value%s disagree with the reference; nothing run\n", o.in,
                    bad, bad == 1 ? "" : "s");
            rc = BV_EXIT_USAGE;
            goto out;
        }
    }
    rc = load_kernel_dir("eval", &o, &user);
    if (rc >= 0)
        goto out;
    bv_limbs limbs = o.has_limbs ? o.limbs : BV_LIMBS_U32;
    const bv_kernel *k = user ? bv_kernel_set_find(user, set->family, set->op, limbs)
                              : bv_kernel_builtin(set->family, set->op, limbs);
    if (!k) {
        fprintf(stderr, "blsvk eval: no %s.%s.%s kernel%s%s\n", bv_ref_family_name(set->family),
                bv_ref_op_name(set->op), bv_limbs_name(limbs), user ? " in " : "", user ? o.kernel_dir : "");
        rc = BV_EXIT_USAGE;
        goto out;
    }
    if (k->error) {
        fprintf(stderr, "blsvk eval: %s: %s\n", k->source, k->error);
        rc = BV_EXIT_FAIL;
        goto out;
    }
    rc = open_device("eval", &o, &inst, &ctx);
    if (rc >= 0)
        goto out;
    bv_vk_result res;
    bv_run_opts ro = {.memory = o.memory, .chunk_elems = (size_t)o.chunk_elems, .buffers = o.buffers};
    if (bv_run_vectors(ctx, k, set, o.mode, &ro, got, &res, &err)) {
        fprintf(stderr, "blsvk eval: %s\n", err.msg);
        rc = err.status == BV_ERR_UNSUPPORTED ? BV_EXIT_USAGE : BV_EXIT_DEVICE;
        goto out;
    }
    size_t npass, nfail;
    if (write_eval(o.out, bv_vk_context_device(ctx), set, limbs, o.mode, expected, got, &npass, &nfail, &err)) {
        fprintf(stderr, "blsvk eval: %s\n", err.msg);
        rc = BV_EXIT_FAIL;
        goto out;
    }
    if (!res.canary_ok) {
        fprintf(stderr, "blsvk eval: %s\n", res.canary_msg);
        nfail += 1;
    }
    printf("%s: %zu pass, %zu fail (%s on %s)\n", o.in, npass, nfail, k->name, bv_vk_context_device(ctx)->name);
    rc = nfail ? BV_EXIT_FAIL : BV_EXIT_OK;
out:
    free(expected);
    free(got);
    bv_vec_set_destroy(set);
    bv_vk_context_destroy(ctx);
    bv_vk_instance_destroy(inst);
    bv_kernel_set_destroy(user);
    return rc;
}
