/* harness/cli/cli_opts.c: parsing the options run, list, eval and devices share, opening the
 * device they name, and the case list they select. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bv_json.h"
#include "bv_version.h"
#include "cli_opts.h"

/* The largest --workgroup-size taken: Vulkan devices allow at most 1024 invocations in one
 * dimension in practice; a device with a lower limit refuses the size when it is opened. */
#define MAX_WORKGROUP_SIZE 1024

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
int bv_cli_parse_opts(const char *verb, int argc, char **argv, const struct option *lo, cli_opts *o,
                      void (*help)(FILE *))
{
    int c;
    uint64_t v;
    const char *opt = "";
    uint64_t seen = 0; /* options given so far, by bit OPT_x - OPT_DEVICE */
    optind = 1;
    opterr = 0;
    while ((c = bv_cli_getopt(argc, argv, "+:h", lo, &opt)) != -1) {
        /* run takes several devices: each is run at once (bv_cli_run_devices). */
        bool many_devices = strcmp(verb, "run") == 0 && strncmp(opt, "--device", 8) == 0 && optarg;
        if (c == BV_CLI_OPT_TWICE && many_devices)
            c = OPT_DEVICE;
        /* One value an option: a second one is a mistake, not a quiet override (--filter
         * adds patterns instead). */
        if (c >= OPT_DEVICE && c < OPT_DEVICE + 64 && c != OPT_FILTER && !(c == OPT_DEVICE && many_devices)) {
            uint64_t bit = (uint64_t)1 << (c - OPT_DEVICE);
            if (seen & bit) {
                fprintf(stderr, "blsvk %s: %.*s given twice\n", verb, (int)strcspn(opt, "="), opt);
                return BV_EXIT_USAGE;
            }
            seen |= bit;
        }
        switch (c) {
        case 'h':
        case OPT_HELP: help(stdout); return BV_EXIT_OK;
        case OPT_DEVICE:
            if (o->ndevices == MAX_DEVICES) {
                fprintf(stderr, "blsvk %s: at most %d devices\n", verb, MAX_DEVICES);
                return BV_EXIT_USAGE;
            }
            if (!o->device)
                o->device = optarg;
            o->devices[o->ndevices++] = optarg;
            break;
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
        case OPT_VALIDATE: {
            if (!bv_cli_parse_validate(verb, argc, argv, &o->validate_gpu))
                return BV_EXIT_USAGE;
            o->validate = true;
            break;
        }
        case OPT_QUIET: o->quiet = true; break;
        case OPT_JSON: o->json = true; break;
        case OPT_PROBE: o->probe = true; break;
        case OPT_IN: o->in = optarg; break;
        case OPT_BIND:
            if (strcmp(optarg, "none") == 0)
                o->bind = BV_ALIAS_NONE;
            else if (strcmp(optarg, "inplace") == 0)
                o->bind = BV_ALIAS_OUT_X;
            else if (strcmp(optarg, "samein") == 0)
                o->bind = BV_ALIAS_X_Y;
            else {
                fprintf(stderr, "blsvk %s: --bind takes none, inplace or samein, not '%s'\n", verb, optarg);
                return BV_EXIT_USAGE;
            }
            break;
        case OPT_RECIPE:
            if (!bv_kernel_recipe_about(optarg)) {
                fprintf(stderr, "blsvk %s: --recipe: no recipe '%s'\n", verb, optarg);
                return BV_EXIT_USAGE;
            }
            o->recipe = optarg;
            break;
        case OPT_PASSES: {
            /* Read here so that a step nobody knows is a usage error naming it, before any work. */
            bv_kernel_passes *p = NULL;
            bv_error err;
            if (bv_kernel_passes_parse(optarg, &p, &err)) {
                fprintf(stderr, "blsvk %s: --passes: %s\n", verb, err.msg);
                return err.status == BV_ERR_NOMEM ? BV_EXIT_FAIL : BV_EXIT_USAGE;
            }
            bv_kernel_passes_destroy(p);
            o->passes = optarg;
            break;
        }
        case OPT_RESUME: o->resume = optarg; break;
        case OPT_BASELINE: o->baseline = optarg; break;
        case OPT_COMPARE_TO: o->compare_to = optarg; break;
        case OPT_MAX_SLOWDOWN:
            if (!bv_cli_parse_fraction(optarg, &o->max_slowdown)) {
                fprintf(stderr, "blsvk %s: --max-slowdown takes a percentage (5%%) or a fraction (0.05), not '%s'\n",
                        verb, optarg);
                return BV_EXIT_USAGE;
            }
            break;
        case OPT_CASELIST: o->caselist = optarg; break;
        case OPT_SKIPS: o->skips = optarg; break;
        case OPT_FLAKES: o->flakes = optarg; break;
        case OPT_BOUNDS: o->bounds = true; break;
        case OPT_ISOLATE: o->isolate = true; break;
        case OPT_NO_ISOLATE: o->no_isolate = true; break;
        case OPT_JOBS:
            if (!bv_cli_parse_u64(optarg, 64, &v) || v == 0) {
                fprintf(stderr, "blsvk %s: --jobs takes a whole number from 1 to 64, not '%s'\n", verb, optarg);
                return BV_EXIT_USAGE;
            }
            o->jobs = (uint32_t)v;
            break;
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
                fprintf(stderr, "blsvk %s: --memory takes device, host or auto, not '%s'\n", verb, optarg);
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
        case OPT_MEMORY_XOVER: {
            /* Bytes, or KiB and MiB with K or M: what `blsvk bench --roundtrip-sizes` printed. */
            char num[32];
            size_t len = strlen(optarg);
            uint64_t unit = 1;
            if (len > 1 && len < sizeof num && (optarg[len - 1] == 'K' || optarg[len - 1] == 'M')) {
                unit = optarg[len - 1] == 'K' ? 1024u : 1048576u;
                len--;
            }
            if (len == 0 || len >= sizeof num) {
                fprintf(stderr, "blsvk %s: --memory-crossover takes bytes (393216, 384K or 1M), not '%s'\n", verb,
                        optarg);
                return BV_EXIT_USAGE;
            }
            memcpy(num, optarg, len);
            num[len] = '\0';
            if (!bv_cli_parse_u64(num, ((uint64_t)1 << 40) / unit, &v) || v == 0) {
                fprintf(stderr, "blsvk %s: --memory-crossover takes bytes from 1 to 1T (393216, 384K or 1M), not '%s'\n",
                        verb, optarg);
                return BV_EXIT_USAGE;
            }
            o->memory_crossover = v * unit;
            break;
        }
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
            if (c == OPT_WG) {
                if (!bv_cli_parse_u64(optarg, MAX_WORKGROUP_SIZE, &v) || v == 0) {
                    fprintf(stderr, "blsvk %s: --workgroup-size takes a whole number from 1 to %d, not '%s'\n", verb,
                            MAX_WORKGROUP_SIZE, optarg);
                    return BV_EXIT_USAGE;
                }
            } else if (!bv_cli_parse_u64(optarg, UINT32_MAX, &v) || ((c == OPT_TIMEOUT || c == OPT_REPS) && v == 0)) {
                fprintf(stderr, "blsvk %s: %s takes a %s whole number, not '%s'\n", verb,
                        c == OPT_TIMEOUT ? "--timeout-ms" : c == OPT_REPS ? "--reps" : "--warmup",
                        c == OPT_WARMUP ? "non-negative" : "positive", optarg);
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
        default:
            return bv_cli_option_error(verb, c, opt);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "blsvk %s: unexpected argument '%s'\n", verb, argv[optind]);
        return BV_EXIT_USAGE;
    }
    if (o->recipe && o->passes) {
        fprintf(stderr, "blsvk %s: --recipe and --passes contradict each other (a recipe's name is a step of a pass "
                "list: --passes %s)\n", verb, o->recipe);
        return BV_EXIT_USAGE;
    }
    if (o->no_pipeline_cache && o->pipeline_cache) {
        fprintf(stderr, "blsvk %s: --pipeline-cache and --no-pipeline-cache contradict each other\n", verb);
        return BV_EXIT_USAGE;
    }
    if (o->no_isolate && (o->isolate || o->jobs > 1)) {
        fprintf(stderr, "blsvk %s: --no-isolate and %s contradict each other (cases at once run in workers)\n", verb,
                o->isolate ? "--isolate" : "--jobs");
        return BV_EXIT_USAGE;
    }
    if (o->pipeline_cache) {
        struct stat sb;
        if (stat(o->pipeline_cache, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
            fprintf(stderr, "blsvk %s: --pipeline-cache %s: not a directory (it names the folder the cache files go in)\n",
                    verb, o->pipeline_cache);
            return BV_EXIT_USAGE;
        }
    }
    /* The environment's chunk size is checked here, where a bad one is a usage error, rather
     * than ignored or found mid-run. */
    const char *env = getenv("BLSVK_CHUNK_ELEMS");
    if (env && (!bv_cli_parse_u64(env, BV_VEC_MAX_COUNT, &v) || v == 0)) {
        fprintf(stderr, "blsvk %s: BLSVK_CHUNK_ELEMS takes a whole number from 1 to %zu, not '%s'\n", verb,
                (size_t)BV_VEC_MAX_COUNT, env);
        return BV_EXIT_USAGE;
    }
    return -1;
}

const char *bv_cli_cache_dir(char *buf, size_t n)
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
int bv_cli_open_run_device(const char *verb, const cli_opts *o, bv_vk_instance **inst, bv_vk_context **ctx)
{
    char cache[4096], settings[4096];
    bv_vk_context_opts co = {
        .timeout_ms = o->timeout_ms,
        .workgroup_size = o->workgroup_size,
        .pipeline_cache_dir = o->no_pipeline_cache ? NULL
                              : o->pipeline_cache ? o->pipeline_cache
                                                  : bv_cli_cache_dir(cache, sizeof cache),
        .guard_word = bv_vk_guard_word(o->seed),
        .memory_crossover = o->memory_crossover,
        .settings_dir = bv_cli_cache_dir(settings, sizeof settings),
    };
    bv_vk_instance_opts io = {.validation = o->validate, .gpu_assisted = o->validate_gpu};
    return bv_cli_open_device(verb, o->device, &io, &co, inst, ctx);
}

/* --- case lists -------------------------------------------------------------------- */

/* The suite's cases, filtered and as --caselist lists them; with a kernel dir only the variants it
 * provides; one shard. */
int bv_cli_build_cases(const char *verb, const cli_opts *o, const bv_kernel_set *user, bv_run_case **cases,
                       size_t *n, bv_run_case **all, size_t *nall)
{
    bv_error err;
    bv_report_baseline *caselist = NULL;
    int rc = -1;
    bv_error_clear(&err);
    *cases = NULL;
    *n = 0;
    if (all) {
        *all = NULL;
        *nall = 0;
    }
    if (o->caselist && bv_report_list_load(o->caselist, false, &caselist, &err)) {
        fprintf(stderr, "blsvk %s: --caselist: %s\n", verb, err.msg);
        return err.status == BV_ERR_NOMEM ? BV_EXIT_FAIL : BV_EXIT_USAGE;
    }
    if (bv_run_plan_list(o->suite, o->filters, o->nfilters, caselist, user, cases, n, &err)) {
        /* The case list's errors start with its path; the others are the suite's. */
        bool list_err = caselist && strncmp(err.msg, caselist->path, strlen(caselist->path)) == 0;
        fprintf(stderr, "blsvk %s: %s%s\n", verb, list_err ? "--caselist " : "--suite: ", err.msg);
        rc = err.status == BV_ERR_NOMEM ? BV_EXIT_FAIL : BV_EXIT_USAGE;
        goto out;
    }
    if (all && o->shard_count > 1) {
        *all = malloc((*n ? *n : 1) * sizeof **all);
        if (!*all) {
            fprintf(stderr, "blsvk %s: out of memory\n", verb);
            rc = BV_EXIT_FAIL;
            goto out;
        }
        memcpy(*all, *cases, *n * sizeof **all);
        *nall = *n;
    }
    *n = bv_run_shard(*cases, *n, o->shard_index, o->shard_count);
out:
    bv_report_baseline_destroy(caselist);
    return rc;
}

int bv_cli_load_kernel_dir(const char *verb, const cli_opts *o, bv_kernel_set **user)
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

