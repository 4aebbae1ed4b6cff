/* harness/cli/cli_bench_opts.c: the bench verb's --help and options. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bv_json.h"
#include "bv_kernels.h"
#include "bv_run.h"
#include "bv_version.h"
#include "cli.h"
#include "cli_bench.h"

static void help(FILE *f)
{
    fprintf(f,
            "usage: blsvk bench [options]\n\n"
            "Times kernels on one device and gives every figure also as a fraction of what the device\n"
            "itself does in the same run (shader copy bandwidth, host-link bandwidth). Every output is\n"
            "checked against the reference; a wrong result makes the exit status 1.\n\n"
            "  --device SEL        as for blsvk run\n"
            "  --fields LIST       fp,fr,fp2,g1,g2 (default fp,fr,fp2)\n"
            "  --ops LIST          default add,sub,neg,dbl,mul,sqr; any op of the families (inv,\n"
            "                      conj, madd, smul, to_affine, ...); a family without one skips it\n"
            "  --limbs LIST        u32,u64,f64 (default all; f64 where a kernel has it)\n"
            "  --modes LIST        resident,roundtrip,pipelined (default all)\n"
            "  --sizes LIST        element counts for resident runs: 2^24, 4096, or a range 2^6..2^24\n"
            "                      (powers of 4 between); default 2^16,2^20,2^24 (2^10,2^14 on a CPU device)\n"
            "  --chain K           chained multiplications per thread for the compute-bound run (default 64, 0: none)\n"
            "  --stream-sizes LIST elements per job for pipelined runs (default 2^14,2^16,2^18,2^20)\n"
            "  --roundtrip-sizes LIST  elements per round trip (default 64,2^16); given with several,\n"
            "                      where kernel-on-host-memory stops beating copies is the crossover,\n"
            "                      recorded for the device and driver: run --memory auto takes it\n"
            "  --jobs LIST         jobs per pipelined run (default 1,2,4,8,16)\n"
            "  --chunk-elems N, --buffers N   pipelined geometry (defaults from the device, 2)\n"
            "  --reps N, --warmup N           timed and untimed repetitions (default 20, 3)\n"
            "  --workloads LIST    also time these built-in workloads (fr.ntt, fr.intt, fr.ntt_coset,\n"
            "                      fr.intt_coset, g1.msm, or all): GPU time a call, random input,\n"
            "                      checked; an NTT also as a fraction of the copy bound over its passes\n"
            "  --workload-sizes LIST  n for them, powers of two (default 2^16,2^20; 2^10 on a CPU device)\n"
            "  --out FILE          also write the figures as JSON (blsvk-bench/1)\n"
            "  --baseline FILE     then compare the figures with an earlier --out FILE, as `blsvk compare\n"
            "                      FILE NEW` does: exit 1 on a slowdown past --max-slowdown outside the noise\n"
            "  --max-slowdown P    for --baseline: 5%% or 0.05 (default 10%%)\n"
            "  --timeout-ms N      as for blsvk run\n"
            "  --validate [sync|gpu]  the Khronos validation layer, as for blsvk run; any message it\n"
            "                      reports makes the exit status 1\n");
}

static bool parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    if (strncmp(s, "2^", 2) == 0) {
        unsigned long e = strtoul(s + 2, &end, 10);
        if (errno || *end || e > 40)
            return false;
        *out = (size_t)1 << e;
        return true;
    }
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v == 0 || v > ((size_t)1 << 40))
        return false;
    *out = (size_t)v;
    return true;
}

static bool parse_sizes(char *arg, size_t *out, size_t *n)
{
    *n = 0;
    for (char *t = strtok(arg, ","); t; t = strtok(NULL, ",")) {
        char *dots = strstr(t, "..");
        size_t a, b;
        if (dots) {
            *dots = '\0';
            if (!parse_size(t, &a) || !parse_size(dots + 2, &b) || a > b)
                return false;
            for (size_t v = a; v <= b && *n < MAX_LIST; v *= 4)
                out[(*n)++] = v;
        } else {
            if (!parse_size(t, &a) || *n == MAX_LIST)
                return false;
            out[(*n)++] = a;
        }
    }
    return *n > 0;
}

static bool parse_names(char *arg, const char *what, bool *flags, int count, const char *(*name)(int))
{
    memset(flags, 0, (size_t)count * sizeof *flags);
    for (char *t = strtok(arg, ","); t; t = strtok(NULL, ",")) {
        int i;
        for (i = 0; i < count; i++)
            if (strcmp(t, name(i)) == 0)
                break;
        if (i == count) {
            fprintf(stderr, "blsvk bench: unknown %s '%s'\n", what, t);
            return false;
        }
        flags[i] = true;
    }
    return true;
}

/* --workloads: built-in workload names, or all of them. */
static bool parse_workloads(char *arg, bench_opts *o)
{
    const char *const *names = bv_kernel_workload_builtin_names();
    o->nworkloads = 0;
    for (char *t = strtok(arg, ","); t; t = strtok(NULL, ",")) {
        size_t i;
        for (i = 0; names[i]; i++)
            if (strcmp(t, "all") == 0 || strcmp(t, names[i]) == 0) {
                bool dup = false;
                for (size_t k = 0; k < o->nworkloads && !dup; k++)
                    dup = strcmp(o->workloads[k], names[i]) == 0;
                if (!dup && o->nworkloads < sizeof o->workloads / sizeof *o->workloads)
                    o->workloads[o->nworkloads++] = names[i];
                if (strcmp(t, "all") != 0)
                    break;
            }
        if (strcmp(t, "all") != 0 && !names[i]) {
            fprintf(stderr, "blsvk bench: unknown workload '%s' (", t);
            for (i = 0; names[i]; i++)
                fprintf(stderr, "%s%s", i ? ", " : "", names[i]);
            fprintf(stderr, " or all)\n");
            return false;
        }
    }
    return o->nworkloads > 0;
}

static const char *field_name_i(int i) { return bv_ref_family_name((bv_family)i); }
static const char *op_name_i(int i) { return bv_ref_op_name((bv_op)i); }
static const char *limbs_name_i(int i) { return bv_limbs_name((bv_limbs)i); }

enum { O_DEVICE = 256, O_FIELDS, O_OPS, O_LIMBS, O_MODES, O_SIZES, O_CHAIN, O_PSIZES, O_JOBS, O_CHUNK, O_BUFFERS,
       O_REPS, O_WARMUP, O_OUT, O_TIMEOUT, O_VALIDATE, O_HELP, O_BASELINE, O_SLOWDOWN, O_RSIZES, O_WORKLOADS,
       O_WSIZES };

int bv_bench_parse(int argc, char **argv, bench_opts *o)
{
    static const struct option lo[] = {
        {"help", no_argument, NULL, O_HELP},         {"device", required_argument, NULL, O_DEVICE},
        {"fields", required_argument, NULL, O_FIELDS}, {"ops", required_argument, NULL, O_OPS},
        {"limbs", required_argument, NULL, O_LIMBS},   {"modes", required_argument, NULL, O_MODES},
        {"sizes", required_argument, NULL, O_SIZES},   {"chain", required_argument, NULL, O_CHAIN},
        {"stream-sizes", required_argument, NULL, O_PSIZES}, {"jobs", required_argument, NULL, O_JOBS},
        {"roundtrip-sizes", required_argument, NULL, O_RSIZES},
        {"chunk-elems", required_argument, NULL, O_CHUNK}, {"buffers", required_argument, NULL, O_BUFFERS},
        {"reps", required_argument, NULL, O_REPS},     {"warmup", required_argument, NULL, O_WARMUP},
        {"out", required_argument, NULL, O_OUT},       {"timeout-ms", required_argument, NULL, O_TIMEOUT},
        {"validate", optional_argument, NULL, O_VALIDATE},
        {"baseline", required_argument, NULL, O_BASELINE}, {"max-slowdown", required_argument, NULL, O_SLOWDOWN},
        {"workloads", required_argument, NULL, O_WORKLOADS}, {"workload-sizes", required_argument, NULL, O_WSIZES},
        {0, 0, 0, 0}};
    int c;
    const char *opt = "";
    size_t v;
    optind = 1;
    opterr = 0;
    while ((c = bv_cli_getopt(argc, argv, ":h", lo, &opt)) != -1) {
        switch (c) {
        case 'h':
        case O_HELP: help(stdout); return BV_EXIT_OK;
        case O_DEVICE: o->device = optarg; break;
        case O_OUT: o->out = optarg; break;
        case O_BASELINE: o->baseline = optarg; break;
        case O_SLOWDOWN:
            if (!bv_cli_parse_fraction(optarg, &o->max_slowdown)) {
                fprintf(stderr, "blsvk bench: --max-slowdown takes a percentage (5%%) or a fraction (0.05), not '%s'\n",
                        optarg);
                return BV_EXIT_USAGE;
            }
            break;
        case O_FIELDS:
            if (!parse_names(optarg, "field", o->fields, BV_FAMILY_COUNT, field_name_i))
                return BV_EXIT_USAGE;
            break;
        case O_OPS:
            if (!parse_names(optarg, "op", o->ops, BV_OP_COUNT, op_name_i))
                return BV_EXIT_USAGE;
            break;
        case O_LIMBS:
            if (!parse_names(optarg, "limb width", o->limbs, BV_LIMBS_COUNT, limbs_name_i))
                return BV_EXIT_USAGE;
            break;
        case O_MODES:
            o->resident = o->roundtrip = o->pipelined = false;
            for (char *t = strtok(optarg, ","); t; t = strtok(NULL, ",")) {
                if (strcmp(t, "resident") == 0) o->resident = true;
                else if (strcmp(t, "roundtrip") == 0) o->roundtrip = true;
                else if (strcmp(t, "pipelined") == 0) o->pipelined = true;
                else {
                    fprintf(stderr, "blsvk bench: unknown mode '%s' (resident, roundtrip, pipelined)\n", t);
                    return BV_EXIT_USAGE;
                }
            }
            break;
        case O_WORKLOADS:
            if (!parse_workloads(optarg, o))
                return BV_EXIT_USAGE;
            break;
        case O_WSIZES:
            if (!parse_sizes(optarg, o->wsizes, &o->nwsizes)) {
                fprintf(stderr, "blsvk bench: %s takes counts like 4096, 2^20 or 2^6..2^24\n", opt);
                return BV_EXIT_USAGE;
            }
            for (size_t i = 0; i < o->nwsizes; i++)
                if (o->wsizes[i] & (o->wsizes[i] - 1)) {
                    fprintf(stderr, "blsvk bench: %s: %zu is not a power of two\n", opt, o->wsizes[i]);
                    return BV_EXIT_USAGE;
                }
            break;
        case O_SIZES:
        case O_PSIZES:
        case O_RSIZES:
        case O_JOBS: {
            size_t *arr = c == O_SIZES ? o->sizes : c == O_PSIZES ? o->psizes : c == O_RSIZES ? o->rsizes : o->jobs;
            size_t *n = c == O_SIZES ? &o->nsizes : c == O_PSIZES ? &o->npsizes : c == O_RSIZES ? &o->nrsizes : &o->njobs;
            if (!parse_sizes(optarg, arr, n)) {
                fprintf(stderr, "blsvk bench: %s takes counts like 4096, 2^20 or 2^6..2^24\n", opt);
                return BV_EXIT_USAGE;
            }
            break;
        }
        case O_CHAIN:
        case O_CHUNK:
        case O_BUFFERS:
        case O_REPS:
        case O_WARMUP:
        case O_TIMEOUT:
            if (!parse_size(optarg, &v) && !(strcmp(optarg, "0") == 0 && (c == O_CHAIN || c == O_WARMUP))) {
                fprintf(stderr, "blsvk bench: %s takes a whole number, not '%s'\n", opt, optarg);
                return BV_EXIT_USAGE;
            }
            if (strcmp(optarg, "0") == 0)
                v = 0;
            if (v > UINT32_MAX) {
                fprintf(stderr, "blsvk bench: %s is too large\n", opt);
                return BV_EXIT_USAGE;
            }
            if (c == O_CHAIN) o->chain = (uint32_t)v;
            if (c == O_CHUNK) o->chunk = v;
            if (c == O_BUFFERS) o->buffers = (uint32_t)v;
            if (c == O_REPS) o->reps = (uint32_t)v;
            if (c == O_WARMUP) o->warmup = (uint32_t)v;
            if (c == O_TIMEOUT) o->timeout_ms = (uint32_t)v;
            break;
        case O_VALIDATE: {
            if (!bv_cli_parse_validate("bench", argc, argv, &o->validate_gpu))
                return BV_EXIT_USAGE;
            o->validate = true;
            break;
        }
        default:
            return bv_cli_option_error("bench", c, opt);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "blsvk bench: unexpected argument '%s'\n", argv[optind]);
        return BV_EXIT_USAGE;
    }
    return -1;
}

