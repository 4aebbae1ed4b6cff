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

/* The kernel a case runs: the user's when a --kernel-dir was given, else the built-in. */
static const bv_kernel *case_kernel(const bv_kernel_set *user, const bv_run_case *c)
{
    if (user)
        return bv_kernel_set_find(user, c->family, c->op, c->limbs);
    return bv_kernel_builtin(c->family, c->op, c->limbs);
}

/* Builds the suite's cases, filtered; with a kernel dir only the variants it provides. */
static int build_cases(const char *verb, const cli_opts *o, const bv_kernel_set *user, bv_run_case **cases,
                       size_t *n)
{
    bv_error err;
    bv_error_clear(&err);
    if (bv_run_suite(o->suite, cases, n, &err)) {
        fprintf(stderr, "blsvk %s: --suite: %s\n", verb, err.msg);
        return BV_EXIT_USAGE;
    }
    *n = bv_run_filter(*cases, *n, o->filters, o->nfilters);
    if (user) {
        size_t k = 0;
        for (size_t i = 0; i < *n; i++)
            if (case_kernel(user, &(*cases)[i]))
                (*cases)[k++] = (*cases)[i];
        *n = k;
    }
    /* Shard I of N takes every N-th case of the selected list, starting at the I-th: the
     * same list (suite, filters, kernel dir) splits the same way on every machine, the parts
     * are disjoint and cover it, and the heavy cases spread evenly since the suite cycles
     * through sizes. */
    if (o->shard_count > 1) {
        size_t k = 0;
        for (size_t i = 0; i < *n; i++)
            if (i % o->shard_count == o->shard_index - 1)
                (*cases)[k++] = (*cases)[i];
        *n = k;
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

static void utc_stamp(char *iso, size_t n_iso, char *compact, size_t n_compact)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(iso, n_iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (compact)
        strftime(compact, n_compact, "%Y%m%dT%H%M%SZ", &tm);
}

static void fill_run_record(bv_report_run *r, const cli_opts *o, int argc, char **argv, bv_vk_instance *inst,
                            bv_vk_context *ctx)
{
    char compact[32];
    memset(r, 0, sizeof *r);
    utc_stamp(r->started, sizeof r->started, compact, sizeof compact);
    snprintf(r->run_id, sizeof r->run_id, "%s-%ld", compact, (long)getpid());
    size_t k = snprintf(r->command_line, sizeof r->command_line, "blsvk");
    for (int i = 0; i < argc && k < sizeof r->command_line; i++)
        k += snprintf(r->command_line + k, sizeof r->command_line - k, " %s", argv[i]);
    if (gethostname(r->host, sizeof r->host) != 0)
        snprintf(r->host, sizeof r->host, "unknown");
    snprintf(r->blsvk_version, sizeof r->blsvk_version, "%s", BV_VERSION);
    snprintf(r->git_revision, sizeof r->git_revision, "%s", BV_GIT_REVISION);
    snprintf(r->glslang_version, sizeof r->glslang_version, "%s", bv_kernel_glslang_version());
    snprintf(r->spirv_tools_version, sizeof r->spirv_tools_version, "%s", bv_kernel_spirv_tools_version());
    /* Plain cases run glslang's modules as they are; recipe cases are listed by the caller. */
    snprintf(r->spirv_opt, sizeof r->spirv_opt, "%s", BV_REPORT_SPIRV_OPT_NONE);
    snprintf(r->loader_version, sizeof r->loader_version, "%s", bv_vk_loader_version(inst));
    snprintf(r->suite, sizeof r->suite, "%s", o->suite);
    snprintf(r->memory, sizeof r->memory, "%s", bv_memory_name(o->memory));
    snprintf(r->kernel_dir, sizeof r->kernel_dir, "%s", o->kernel_dir ? o->kernel_dir : "");
    r->seed = o->seed;
    r->reps = o->reps ? o->reps : 1;
    r->warmup = o->warmup;
    r->workgroup_size = bv_vk_context_workgroup_size(ctx);
    r->validation = o->validate;
    r->shard_index = o->shard_count ? o->shard_index : 1;
    r->shard_count = o->shard_count ? o->shard_count : 1;
    r->retry_failures = o->retry_failures;
    r->device = *bv_vk_context_device(ctx);
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

/* A case that never ran, with what the runner would have filled in from its name. */
static void unrun_case(bv_report_case *res, const bv_run_case *c, bv_report_status s, const char *reason)
{
    memset(res, 0, sizeof *res);
    snprintf(res->name, sizeof res->name, "%s", c->name);
    res->family = c->family;
    res->op = c->op;
    res->limbs = c->limbs;
    res->mode = c->mode;
    res->set = c->set;
    res->size = c->size;
    res->status = s;
    snprintf(res->reason, sizeof res->reason, "%s", reason);
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

/* Loads --baseline, printing its errors; -1 when ready. */
static int load_baseline(const cli_opts *o, bv_report *rep)
{
    bv_error err;
    bv_report_baseline *bl = NULL;
    if (!o->baseline)
        return -1;
    bv_error_clear(&err);
    if (bv_report_baseline_load(o->baseline, &bl, &err)) {
        fprintf(stderr, "blsvk run: --baseline: %s\n", err.msg);
        return BV_EXIT_USAGE;
    }
    if (rep->baseline && rep->baseline->sha256[0] && strcmp(rep->baseline->sha256, bl->sha256) != 0)
        fprintf(stderr, "blsvk run: note: %s changed since the run started; the cases still to run use the "
                        "file as it is now\n",
                o->baseline);
    bv_report_baseline_destroy(rep->baseline);
    rep->baseline = bl;
    snprintf(rep->run.baseline_path, sizeof rep->run.baseline_path, "%s", bl->path);
    snprintf(rep->run.baseline_sha256, sizeof rep->run.baseline_sha256, "%s", bl->sha256);
    return -1;
}

/* Writes results.json, junit.xml, summary.md and report.html. Takes the report (the set owns
 * it from here on); prints the terminal summary unless quiet. Returns a bv_status. */
static bv_status write_reports(const char *dir, bv_report *rep, bool quiet, bv_error *err)
{
    bv_report_set *set = NULL;
    char path[4096 + 64];
    bv_status st = bv_report_set_create(&set, err);
    if (st) {
        bv_report_destroy(rep);
        return st;
    }
    st = bv_report_set_add(set, rep, err);
    if (!st) {
        snprintf(path, sizeof path, "%s/results.json", dir);
        st = bv_report_write_json(path, rep, err);
    }
    if (!st) {
        snprintf(path, sizeof path, "%s/junit.xml", dir);
        st = bv_report_write_junit(path, set, err);
    }
    if (!st) {
        snprintf(path, sizeof path, "%s/summary.md", dir);
        st = bv_report_write_markdown(path, set, err);
    }
    if (!st) {
        snprintf(path, sizeof path, "%s/report.html", dir);
        st = bv_report_write_html(path, set, err);
    }
    if (!st && !quiet) {
        printf("\n");
        st = bv_report_write_text(stdout, set, 20, err);
        printf("reports: %s/{results.json,junit.xml,summary.md,report.html}\n", dir);
    }
    bv_report_set_destroy(set);
    return st;
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
    bv_report_case *res = NULL, *attempt = NULL;
    bv_report_log *log = NULL;
    bv_report *rep = NULL;
    char **rargv = NULL;
    size_t rargc = 0, n = 0, ran = 0;
    bv_error err;
    char dir[4096], path[4096 + 64], replay_dir[4096 + 64], slug[128];
    bool resuming, gone = false, quiet;
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
        fill_run_record(&rep->run, &o, argc, argv, inst, ctx);
        describe_recipes(rep->run.spirv_opt, sizeof rep->run.spirv_opt, cases, n);
        if (o.bounds) {
            /* The same measurement as blsvk bench's, sized for the device: before the log opens,
             * so that its run line (and a --resume) carries the bounds. */
            bv_vk_bounds b;
            bool cpu = rep->run.device.device_type == 4; /* VK_PHYSICAL_DEVICE_TYPE_CPU */
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
    } else {
        /* A run's parts must come from one blsvk and one driver, or its fingerprint would lie. */
        const bv_device_info *now = bv_vk_context_device(ctx);
        if (strcmp(now->driver_version_str, rep->run.device.driver_version_str) != 0 ||
            strcmp(now->api_version_str, rep->run.device.api_version_str) != 0 ||
            strcmp(BV_GIT_REVISION, rep->run.git_revision) != 0 || strcmp(BV_VERSION, rep->run.blsvk_version) != 0) {
            fprintf(stderr, "blsvk run: --resume: %s ran with blsvk %s (%s) on driver %s, Vulkan %s; this is blsvk "
                            "%s (%s) on driver %s, Vulkan %s: start a new run\n",
                    dir, rep->run.blsvk_version, rep->run.git_revision, rep->run.device.driver_version_str,
                    rep->run.device.api_version_str, BV_VERSION, BV_GIT_REVISION, now->driver_version_str,
                    now->api_version_str);
            rc = BV_EXIT_USAGE;
            goto out;
        }
        bool same = rep->nplanned == n;
        for (size_t i = 0; same && i < n; i++)
            same = strcmp(rep->planned[i], cases[i].name) == 0;
        if (!same) {
            fprintf(stderr, "blsvk run: --resume: the case list is not the one %s started with (%zu cases then, %zu "
                            "now): start a new run\n",
                    dir, rep->nplanned, n);
            rc = BV_EXIT_USAGE;
            goto out;
        }
    }
    rc = load_baseline(&o, rep);
    if (rc >= 0)
        goto out;
    rc = BV_EXIT_OK;
    snprintf(replay_dir, sizeof replay_dir, "%s/replays", dir);
    res = calloc(1, sizeof *res);
    attempt = calloc(1, sizeof *attempt);
    if (!res || !attempt) {
        fprintf(stderr, "blsvk run: out of memory\n");
        rc = BV_EXIT_FAIL;
        goto out;
    }
    if (!resuming) {
        const char **names = calloc(n, sizeof *names);
        if (!names) {
            fprintf(stderr, "blsvk run: out of memory\n");
            rc = BV_EXIT_FAIL;
            goto out;
        }
        for (size_t i = 0; i < n; i++)
            names[i] = cases[i].name;
        bv_status st = bv_report_set_plan(rep, names, n, &err);
        free(names);
        if (!st && bv_mkdir_p(dir, &err)) {
            fprintf(stderr, "blsvk run: --report-dir: %s\n", err.msg);
            rc = BV_EXIT_USAGE;
            goto out;
        }
        snprintf(path, sizeof path, "%s/results.jsonl", dir);
        if (st || bv_report_log_open(path, rep, &log, &err)) {
            fprintf(stderr, "blsvk run: %s\n", err.msg);
            rc = BV_EXIT_USAGE;
            goto out;
        }
    } else {
        char now[32];
        utc_stamp(now, sizeof now, NULL, 0);
        snprintf(path, sizeof path, "%s/results.jsonl", dir);
        if (bv_report_add_resumed(rep, now, &err) || bv_report_log_reopen(path, now, &log, &err)) {
            fprintf(stderr, "blsvk run: %s\n", err.msg);
            rc = BV_EXIT_FAIL;
            goto out;
        }
    }
    bool tty = isatty(STDERR_FILENO) && !o.quiet;
    size_t todo = 0;
    for (size_t i = 0; i < n; i++)
        todo += !bv_report_find_case(rep, cases[i].name);
    if (!o.quiet) {
        if (resuming)
            printf("blsvk run: resuming %s: %zu of %zu cases left on [%u] %s\n", dir, todo, n, rep->run.device.index,
                   rep->run.device.name);
        else
            printf("blsvk run: %zu cases on [%u] %s, results in %s\n", n, rep->run.device.index, rep->run.device.name,
                   dir);
    }
    fflush(stdout);
    bv_run_opts ro = {.memory = o.memory, .seed = o.seed, .reps = o.reps, .warmup = o.warmup,
                      .replay_dir = replay_dir, .chunk_elems = (size_t)o.chunk_elems, .buffers = o.buffers};
    char gone_reason[1024] = "";
    for (size_t i = 0; i < n; i++) {
        const bv_run_case *c = &cases[i];
        if (bv_report_find_case(rep, c->name))
            continue; /* finished before the run was interrupted */
        ran++;
        if (tty)
            fprintf(stderr, "\r\033[K[%zu/%zu] %s", ran, todo, c->name);
        memset(res, 0, sizeof *res);
        unsigned died = 0;
        for (size_t k = 0; k < rep->ninterrupted; k++)
            if (strcmp(rep->interrupted[k].name, c->name) == 0)
                died = rep->interrupted[k].starts;
        if (died >= 2) {
            /* blsvk died in this case twice: a third try would likely take the run down again. */
            char why[256];
            snprintf(why, sizeof why, "blsvk died while running this case %u times (crashed or killed); not run "
                                      "again (see results.jsonl)", died);
            unrun_case(res, c, BV_RESULT_INTERNAL_ERROR, why);
            BV_IGNORE(bv_report_case_add_attempt(res, res, NULL));
        }
        while (died < 2) {
            unsigned k = res->nattempts + 1;
            const bv_kernel *kernel = case_kernel(user, c);
            if (k == 1 && hook && bv_kernel_set_find(hook, c->family, c->op, c->limbs))
                kernel = bv_kernel_set_find(hook, c->family, c->op, c->limbs);
            if (bv_report_log_start(log, c->name, k, &err)) {
                fprintf(stderr, "%sblsvk run: %s\n", tty ? "\n" : "", err.msg);
                rc = BV_EXIT_FAIL;
                goto finish;
            }
            if (gone) {
                char why[1100];
                snprintf(why, sizeof why, "device unusable after an earlier case: %s", gone_reason);
                unrun_case(attempt, c, BV_RESULT_SKIPPED, why);
            } else if (bv_run_case_execute(ctx, inst, kernel, c, &ro, attempt, &gone, &err)) {
                attempt->status = BV_RESULT_INTERNAL_ERROR;
                snprintf(attempt->reason, sizeof attempt->reason, "%s", err.msg);
            }
            if (gone && !gone_reason[0])
                snprintf(gone_reason, sizeof gone_reason, "%s", attempt->reason);
            if (bv_report_case_add_attempt(res, attempt, &err)) {
                fprintf(stderr, "%sblsvk run: %s\n", tty ? "\n" : "", err.msg);
                rc = BV_EXIT_FAIL;
                goto finish;
            }
            if (gone || !bv_report_case_should_retry(res, o.retry_failures))
                break;
        }
        bv_report_case_resolve(res, bv_report_baseline_match(rep->baseline, c->name));
        if (bv_report_log_result(log, res, &err) || bv_report_put_case(rep, res, &err)) {
            fprintf(stderr, "%sblsvk run: %s\n", tty ? "\n" : "", err.msg);
            rc = BV_EXIT_FAIL;
            goto finish;
        }
        if (!tty && !o.quiet && res->status != BV_RESULT_PASS && res->status != BV_RESULT_NOT_SUPPORTED)
            fprintf(stderr, "%s %s: %s\n", bv_report_status_name(res->status), res->name, res->reason);
    }
finish:
    if (tty)
        fprintf(stderr, "\r\033[K");
    bv_report_sort(rep);
    bv_report_count_baseline(rep);
    utc_stamp(rep->run.finished, sizeof rep->run.finished, NULL, 0);
    bv_report_summary sum;
    bv_report_summarize(rep, &sum);
    if (rc == BV_EXIT_OK && (sum.new_failures || sum.missing))
        rc = BV_EXIT_FAIL;
    if (gone && rc == BV_EXIT_FAIL)
        rc = BV_EXIT_DEVICE;
    /* The set owns the report from here on. */
    bv_status wst = write_reports(dir, rep, o.quiet, &err);
    rep = NULL;
    if (wst) {
        fprintf(stderr, "blsvk run: %s\n", err.msg);
        if (rc == BV_EXIT_OK)
            rc = BV_EXIT_FAIL;
    }
out:
    bv_report_log_close(log);
    bv_report_destroy(rep);
    for (size_t i = 0; rargv && i < rargc; i++)
        free(rargv[i]);
    free(rargv);
    free(res);
    free(attempt);
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
