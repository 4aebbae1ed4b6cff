/* harness/cli_bench.c: the bench verb: kernel throughput on device-resident data, chained
 * multiplications (compute-bound), round trips in persistent and one-shot mode, and pipelined
 * against sequential streaming, each checked against the reference and given as a fraction of
 * the copy and host-link bandwidth the same device shows in the same run. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bv_json.h"
#include "bv_run.h"
#include "bv_version.h"
#include "cli.h"

#define MAX_LIST 32

typedef struct bench_opts {
    const char *device;
    bool fields[BV_FAMILY_COUNT];
    bool ops[BV_OP_COUNT];
    bool limbs[BV_LIMBS_COUNT];
    bool resident, roundtrip, pipelined;
    size_t sizes[MAX_LIST], nsizes;
    size_t psizes[MAX_LIST], npsizes;
    size_t jobs[MAX_LIST], njobs;
    uint32_t reps, warmup, chain, buffers;
    size_t chunk;
    const char *out;
    uint32_t timeout_ms;
} bench_opts;

typedef struct entry {
    char kind[16];  /* resident, chain, roundtrip, stream */
    char name[128];
    char mode[16];
    size_t size, jobs;
    bv_stats ns;
    double per_s;   /* elements (or products) per second */
    double bytes_per_s;
    double bound_per_s; /* what the device's bound allows, same unit as per_s; 0: none */
    bool verified;
    char note[512];
} entry;

typedef struct bench {
    entry *e;
    size_t n, cap;
} bench;

static entry *add_entry(bench *b)
{
    if (b->n == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 64;
        entry *ne = realloc(b->e, nc * sizeof *ne);
        if (!ne)
            return NULL;
        b->e = ne;
        b->cap = nc;
    }
    entry *e = &b->e[b->n++];
    memset(e, 0, sizeof *e);
    return e;
}

static void help(FILE *f)
{
    fprintf(f,
            "usage: blsvk bench [options]\n\n"
            "Times kernels on one device and gives every figure also as a fraction of what the device\n"
            "itself does in the same run (shader copy bandwidth, host-link bandwidth). Every output is\n"
            "checked against the reference; a wrong result makes the exit status 1.\n\n"
            "  --device SEL        as for blsvk run\n"
            "  --fields LIST       fp,fr (default both)\n"
            "  --ops LIST          default add,sub,neg,dbl,mul,sqr\n"
            "  --limbs LIST        u32,u64 (default both)\n"
            "  --modes LIST        resident,roundtrip,pipelined (default all)\n"
            "  --sizes LIST        element counts for resident runs: 2^24, 4096, or a range 2^6..2^24\n"
            "                      (powers of 4 between); default 2^16,2^20,2^24 (2^10,2^14 on a CPU device)\n"
            "  --chain K           chained multiplications per thread for the compute-bound run (default 64, 0: none)\n"
            "  --stream-sizes LIST elements per job for pipelined runs (default 2^14,2^16,2^18,2^20)\n"
            "  --jobs LIST         jobs per pipelined run (default 1,2,4,8,16)\n"
            "  --chunk-elems N, --buffers N   pipelined geometry (defaults from the device, 2)\n"
            "  --reps N, --warmup N           timed and untimed repetitions (default 20, 3)\n"
            "  --out FILE          also write the figures as JSON (blsvk-bench/1)\n"
            "  --timeout-ms N      as for blsvk run\n");
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

static const char *field_name_i(int i) { return bv_ref_family_name((bv_family)i); }
static const char *op_name_i(int i) { return bv_ref_op_name((bv_op)i); }
static const char *limbs_name_i(int i) { return bv_limbs_name((bv_limbs)i); }

static void print_entry(const entry *e)
{
    char frac[32] = "";
    if (e->bound_per_s > 0)
        snprintf(frac, sizeof frac, "%.2f", e->per_s / e->bound_per_s);
    printf("%-9s %-22s %-10s %9zu %4zu %11.1f %11.1f %11.1f %10.4f %6s %s%s\n", e->kind, e->name, e->mode, e->size,
           e->jobs, e->ns.median / 1e3, e->ns.p10 / 1e3, e->ns.p90 / 1e3, e->per_s / 1e9, frac,
           e->verified ? "" : "WRONG ", e->note);
    fflush(stdout);
}

/* The family's product (the op its table tags PRODUCT): what bench chains, round-trips and
 * streams; BV_OP_COUNT when the family has none. */
static bv_op product_op(bv_family f)
{
    const bv_ref_family_info *fi = bv_ref_family(f);
    for (size_t i = 0; fi && i < fi->nops; i++)
        if (fi->ops[i].tags & BV_REF_TAG_PRODUCT)
            return fi->ops[i].op;
    return BV_OP_COUNT;
}

/* Checks count outputs against the reference; for a chain, `chain` products each. */
static bool verify(bv_family f, bv_op op, const uint8_t *x, const uint8_t *y, const uint8_t *got, size_t count,
                   uint32_t chain)
{
    size_t eb = bv_ref_family_bytes(f);
    if (chain) {
        size_t step = count > 1024 ? count / 1024 : 1;
        for (size_t i = 0; i < count; i += step) {
            uint8_t r[BV_REF_MAX_BYTES];
            memcpy(r, x + i * eb, eb);
            for (uint32_t k = 0; k < chain; k++)
                bv_ref_op(f, product_op(f), r, r, y + i * eb);
            if (memcmp(r, got + i * eb, eb) != 0)
                return false;
        }
        return true;
    }
    uint8_t *exp = malloc(count * eb);
    bv_error err;
    if (!exp || bv_ref_batch(f, op, exp, x, y, count, 0, &err) != BV_OK) {
        free(exp);
        return false;
    }
    bool ok = memcmp(exp, got, count * eb) == 0;
    free(exp);
    return ok;
}

static bool write_json(const char *path, const bv_device_info *d, const bv_vk_bounds *b, const bench *B,
                       int argc, char **argv)
{
    bv_json_file jf;
    bv_error err;
    if (bv_json_file_open(&jf, path, true, &err)) {
        fprintf(stderr, "blsvk bench: --out: %s\n", err.msg);
        return false;
    }
    bv_json_writer *w = jf.w;
    char cmd[2048];
    size_t k = (size_t)snprintf(cmd, sizeof cmd, "blsvk");
    for (int i = 0; i < argc && k < sizeof cmd; i++)
        k += (size_t)snprintf(cmd + k, sizeof cmd - k, " %s", argv[i]);
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    bv_json_obj_begin(w);
    bv_json_key(w, "format"); bv_json_str(w, "blsvk-bench/1");
    bv_json_key(w, "blsvk_version"); bv_json_str(w, BV_VERSION);
    bv_json_key(w, "git_revision"); bv_json_str(w, BV_GIT_REVISION);
    bv_json_key(w, "started"); bv_json_str(w, when);
    bv_json_key(w, "command_line"); bv_json_str(w, cmd);
    bv_json_key(w, "device");
    bv_json_obj_begin(w);
    bv_device_write_json(w, d);
    bv_json_obj_end(w);
    bv_json_key(w, "bounds");
    bv_json_obj_begin(w);
    bv_json_key(w, "bytes"); bv_json_u64(w, b->bytes);
    bv_json_key(w, "copy_bytes_per_s"); bv_json_num(w, b->shader_copy_Bps);
    bv_json_key(w, "engine_copy_bytes_per_s"); bv_json_num(w, b->engine_copy_Bps);
    bv_json_key(w, "h2d_bytes_per_s"); bv_json_num(w, b->h2d_Bps);
    bv_json_key(w, "d2h_bytes_per_s"); bv_json_num(w, b->d2h_Bps);
    bv_json_key(w, "duplex_h2d_bytes_per_s"); bv_json_num(w, b->duplex_h2d_Bps);
    bv_json_key(w, "duplex_d2h_bytes_per_s"); bv_json_num(w, b->duplex_d2h_Bps);
    bv_json_obj_end(w);
    bv_json_key(w, "entries");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < B->n; i++) {
        const entry *e = &B->e[i];
        bv_json_obj_begin(w);
        bv_json_key(w, "kind"); bv_json_str(w, e->kind);
        bv_json_key(w, "name"); bv_json_str(w, e->name);
        bv_json_key(w, "mode"); bv_json_str(w, e->mode);
        bv_json_key(w, "size"); bv_json_u64(w, e->size);
        bv_json_key(w, "jobs"); bv_json_u64(w, e->jobs);
        bv_json_key(w, "ns");
        bv_json_obj_begin(w);
        bv_json_key(w, "median"); bv_json_num(w, e->ns.median);
        bv_json_key(w, "p10"); bv_json_num(w, e->ns.p10);
        bv_json_key(w, "p90"); bv_json_num(w, e->ns.p90);
        bv_json_key(w, "min"); bv_json_num(w, e->ns.min);
        bv_json_key(w, "n"); bv_json_u64(w, e->ns.n);
        bv_json_obj_end(w);
        bv_json_key(w, "per_s"); bv_json_num(w, e->per_s);
        bv_json_key(w, "bytes_per_s"); bv_json_num(w, e->bytes_per_s);
        bv_json_key(w, "bound_per_s"); bv_json_num(w, e->bound_per_s > 0 ? e->bound_per_s : 0.0 / 0.0);
        bv_json_key(w, "fraction_of_bound");
        bv_json_num(w, e->bound_per_s > 0 ? e->per_s / e->bound_per_s : 0.0 / 0.0);
        bv_json_key(w, "verified"); bv_json_bool_write(w, e->verified);
        bv_json_key(w, "note"); bv_json_str(w, e->note);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_obj_end(w);
    if (bv_json_file_close(&jf, BV_OK, &err)) {
        fprintf(stderr, "blsvk bench: --out: %s\n", err.msg);
        return false;
    }
    return true;
}

enum { O_DEVICE = 256, O_FIELDS, O_OPS, O_LIMBS, O_MODES, O_SIZES, O_CHAIN, O_PSIZES, O_JOBS, O_CHUNK, O_BUFFERS,
       O_REPS, O_WARMUP, O_OUT, O_TIMEOUT, O_HELP };

static int parse(int argc, char **argv, bench_opts *o)
{
    static const struct option lo[] = {
        {"help", no_argument, NULL, O_HELP},         {"device", required_argument, NULL, O_DEVICE},
        {"fields", required_argument, NULL, O_FIELDS}, {"ops", required_argument, NULL, O_OPS},
        {"limbs", required_argument, NULL, O_LIMBS},   {"modes", required_argument, NULL, O_MODES},
        {"sizes", required_argument, NULL, O_SIZES},   {"chain", required_argument, NULL, O_CHAIN},
        {"stream-sizes", required_argument, NULL, O_PSIZES}, {"jobs", required_argument, NULL, O_JOBS},
        {"chunk-elems", required_argument, NULL, O_CHUNK}, {"buffers", required_argument, NULL, O_BUFFERS},
        {"reps", required_argument, NULL, O_REPS},     {"warmup", required_argument, NULL, O_WARMUP},
        {"out", required_argument, NULL, O_OUT},       {"timeout-ms", required_argument, NULL, O_TIMEOUT},
        {0, 0, 0, 0}};
    int c;
    size_t v;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
        switch (c) {
        case 'h':
        case O_HELP: help(stdout); return BV_EXIT_OK;
        case O_DEVICE: o->device = optarg; break;
        case O_OUT: o->out = optarg; break;
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
        case O_SIZES:
        case O_PSIZES:
        case O_JOBS: {
            size_t *arr = c == O_SIZES ? o->sizes : c == O_PSIZES ? o->psizes : o->jobs;
            size_t *n = c == O_SIZES ? &o->nsizes : c == O_PSIZES ? &o->npsizes : &o->njobs;
            if (!parse_sizes(optarg, arr, n)) {
                fprintf(stderr, "blsvk bench: %s takes counts like 4096, 2^20 or 2^6..2^24\n", argv[optind - 1]);
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
                fprintf(stderr, "blsvk bench: %s takes a whole number, not '%s'\n", argv[optind - 1], optarg);
                return BV_EXIT_USAGE;
            }
            if (strcmp(optarg, "0") == 0)
                v = 0;
            if (v > UINT32_MAX) {
                fprintf(stderr, "blsvk bench: %s is too large\n", argv[optind - 1]);
                return BV_EXIT_USAGE;
            }
            if (c == O_CHAIN) o->chain = (uint32_t)v;
            if (c == O_CHUNK) o->chunk = v;
            if (c == O_BUFFERS) o->buffers = (uint32_t)v;
            if (c == O_REPS) o->reps = (uint32_t)v;
            if (c == O_WARMUP) o->warmup = (uint32_t)v;
            if (c == O_TIMEOUT) o->timeout_ms = (uint32_t)v;
            break;
        case ':':
            fprintf(stderr, "blsvk bench: %s needs a value\n", argv[optind - 1]);
            return BV_EXIT_USAGE;
        default:
            fprintf(stderr, "blsvk bench: unknown option '%s' (see blsvk bench --help)\n", argv[optind - 1]);
            return BV_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "blsvk bench: unexpected argument '%s'\n", argv[optind]);
        return BV_EXIT_USAGE;
    }
    return -1;
}

int bv_cli_bench(int argc, char **argv)
{
    bench_opts o = {.reps = 20, .warmup = 3, .chain = 64, .resident = true, .roundtrip = true, .pipelined = true};
    for (int i = 0; i < BV_FAMILY_COUNT; i++)
        o.fields[i] = true;
    for (int i = 0; i < BV_LIMBS_COUNT; i++)
        o.limbs[i] = true;
    for (int i = 0; i <= BV_OP_SQR; i++)
        o.ops[i] = true;
    int rc = parse(argc, argv, &o);
    if (rc >= 0)
        return rc;

    bv_error err;
    bv_vk_instance *inst = NULL;
    bv_vk_context *ctx = NULL;
    bench B = {0};
    uint8_t *x = NULL, *y = NULL, *got = NULL;
    bv_vec_set *vx = NULL;
    bool wrong = false;
    bv_error_clear(&err);
    if (bv_ref_init(&err)) {
        fprintf(stderr, "blsvk bench: %s\n", err.msg);
        return BV_EXIT_FAIL;
    }
    bv_vk_context_opts co = {.timeout_ms = o.timeout_ms};
    rc = bv_cli_open_device("bench", o.device, false, &co, &inst, &ctx);
    if (rc >= 0)
        goto out;
    const bv_device_info *d = bv_vk_context_device(ctx);
    bool cpu = d->device_type == 4; /* VK_PHYSICAL_DEVICE_TYPE_CPU */
    if (!o.nsizes) {
        static const size_t gpu[] = {(size_t)1 << 16, (size_t)1 << 20, (size_t)1 << 24};
        static const size_t cpu_s[] = {(size_t)1 << 10, (size_t)1 << 14};
        const size_t *src = cpu ? cpu_s : gpu;
        o.nsizes = cpu ? 2 : 3;
        memcpy(o.sizes, src, o.nsizes * sizeof *src);
    }
    if (!o.npsizes) {
        static const size_t gpu[] = {(size_t)1 << 14, (size_t)1 << 16, (size_t)1 << 18, (size_t)1 << 20};
        o.npsizes = cpu ? 1 : 4;
        memcpy(o.psizes, gpu, o.npsizes * sizeof *gpu);
    }
    if (!o.njobs) {
        static const size_t j[] = {1, 2, 4, 8, 16};
        o.njobs = cpu ? 2 : 5;
        memcpy(o.jobs, j, o.njobs * sizeof *j);
    }
    size_t maxn = 0;
    for (size_t i = 0; i < o.nsizes; i++)
        if (o.sizes[i] > maxn)
            maxn = o.sizes[i];
    size_t maxp = 0, maxj = 0;
    for (size_t i = 0; i < o.npsizes; i++)
        if (o.psizes[i] > maxp)
            maxp = o.psizes[i];
    for (size_t i = 0; i < o.njobs; i++)
        if (o.jobs[i] > maxj)
            maxj = o.jobs[i];
    if (maxp > maxn)
        maxn = maxp;
    if (maxn < 65536)
        maxn = 65536;

    printf("blsvk bench on [%u] %s (%s, driver %s %s), workgroup %u\n", d->index, d->name, d->device_type_name,
           d->driver_name, d->driver_version_str, bv_vk_context_workgroup_size(ctx));
    bv_vk_bounds bounds;
    size_t bbytes = cpu ? (size_t)64 << 20 : (size_t)1 << 30;
    if (bv_vk_measure_bounds(ctx, bbytes, cpu ? 5 : 10, &bounds, &err)) {
        fprintf(stderr, "blsvk bench: measuring the device's bandwidth: %s\n", err.msg);
        rc = BV_EXIT_DEVICE;
        goto out;
    }
    printf("bounds (%zu MiB copies): shader copy %.1f GB/s, copy engine %.1f GB/s (read+written); "
           "host->device %.1f GB/s, device->host %.1f GB/s; both at once %.1f + %.1f GB/s\n\n",
           bounds.bytes >> 20, bounds.shader_copy_Bps / 1e9, bounds.engine_copy_Bps / 1e9, bounds.h2d_Bps / 1e9,
           bounds.d2h_Bps / 1e9, bounds.duplex_h2d_Bps / 1e9, bounds.duplex_d2h_Bps / 1e9);
    printf("%-9s %-22s %-10s %9s %4s %11s %11s %11s %10s %6s\n", "kind", "kernel", "mode", "size", "jobs",
           "median_us", "p10_us", "p90_us", "G/s", "bound");

    /* Inputs: one random set per field, large enough for every run; y follows x. */
    size_t eb_max = BV_REF_MAX_BYTES, bytes_max;
    if (bv_size_mul(maxn, eb_max, &bytes_max) || !(got = malloc(bytes_max))) {
        fprintf(stderr, "blsvk bench: out of memory for %zu elements\n", maxn);
        rc = BV_EXIT_FAIL;
        goto out;
    }
    int first_field = -1, first_limbs = -1;
    for (int f = 0; f < BV_FAMILY_COUNT && first_field < 0; f++)
        if (o.fields[f])
            first_field = f;
    for (int l = 0; l < BV_LIMBS_COUNT && first_limbs < 0; l++)
        if (o.limbs[l])
            first_limbs = l;
    for (int f = 0; f < BV_FAMILY_COUNT; f++) {
        if (!o.fields[f])
            continue;
        bv_op prod = product_op((bv_family)f);
        size_t eb = bv_ref_family_bytes((bv_family)f);
        bv_vec_set_destroy(vx);
        vx = NULL;
        if (bv_vec_random((bv_family)f, prod, 1, 0, maxn, &vx, &err)) {
            fprintf(stderr, "blsvk bench: %s\n", err.msg);
            rc = BV_EXIT_FAIL;
            goto out;
        }
        x = vx->x;
        y = vx->y;
        for (int l = 0; l < BV_LIMBS_COUNT; l++) {
            if (!o.limbs[l])
                continue;
            char why[512];
            if (!bv_vk_supports(d, l == BV_LIMBS_U64, BV_MODE_PERSISTENT, why, sizeof why)) {
                printf("(%s variants skipped: %s)\n", bv_limbs_name((bv_limbs)l), why);
                continue;
            }
            for (int op = 0; op < BV_OP_COUNT && o.resident; op++) {
                if (!o.ops[op])
                    continue;
                const bv_kernel *k = bv_kernel_builtin((bv_family)f, (bv_op)op, (bv_limbs)l);
                unsigned arity = bv_ref_op_arity((bv_op)op);
                for (size_t si = 0; si < o.nsizes; si++) {
                    size_t n = o.sizes[si];
                    entry *e = add_entry(&B);
                    if (!e)
                        goto oom;
                    snprintf(e->kind, sizeof e->kind, "resident");
                    snprintf(e->name, sizeof e->name, "%s", k->name);
                    snprintf(e->mode, sizeof e->mode, "resident");
                    e->size = n;
                    e->jobs = 1;
                    bv_vk_resident r = {.code = k->code, .code_size = k->code_size, .arity = arity,
                                        .elem_bytes = eb, .count = n, .x = x, .y = y, .out = got,
                                        .warmup = o.warmup, .reps = o.reps};
                    if (bv_vk_bench_resident(ctx, &r, &e->ns, &err)) {
                        B.n--;
                        printf("%-9s %-22s %9zu: %s\n", "resident", k->name, n, err.msg);
                        continue;
                    }
                    double bpe = (double)((arity + 1) * eb);
                    e->per_s = (double)n / (e->ns.median * 1e-9);
                    e->bytes_per_s = e->per_s * bpe;
                    e->bound_per_s = bounds.shader_copy_Bps / bpe;
                    e->verified = verify((bv_family)f, (bv_op)op, x, y, got, n, 0);
                    wrong |= !e->verified;
                    if (si == 0 && bv_vk_pipeline_stats(ctx, k->code, k->code_size, arity, e->note,
                                                        sizeof e->note, NULL) != BV_OK)
                        e->note[0] = '\0';
                    print_entry(e);
                }
            }
            if (o.resident && o.chain && prod < BV_OP_COUNT && o.ops[prod]) {
                uint32_t *code = NULL;
                size_t code_size = 0;
                size_t n = o.sizes[o.nsizes - 1];
                if (bv_kernel_tool_chain((bv_family)f, (bv_limbs)l, o.chain, &code, &code_size, &err)) {
                    fprintf(stderr, "blsvk bench: chain kernel: %s\n", err.msg);
                    rc = BV_EXIT_FAIL;
                    goto out;
                }
                entry *e = add_entry(&B);
                if (!e) {
                    free(code);
                    goto oom;
                }
                snprintf(e->kind, sizeof e->kind, "chain");
                snprintf(e->name, sizeof e->name, "%s.mul.%s x%u", bv_ref_family_name((bv_family)f),
                         bv_limbs_name((bv_limbs)l), o.chain);
                snprintf(e->mode, sizeof e->mode, "resident");
                e->size = n;
                e->jobs = 1;
                bv_vk_resident r = {.code = code, .code_size = code_size, .arity = 2, .elem_bytes = eb, .count = n,
                                    .x = x, .y = y, .out = got, .warmup = o.warmup, .reps = o.reps};
                bv_status st = bv_vk_bench_resident(ctx, &r, &e->ns, &err);
                free(code);
                if (st) {
                    B.n--;
                    printf("%-9s chain %9zu: %s\n", "chain", n, err.msg);
                } else {
                    e->per_s = (double)n * o.chain / (e->ns.median * 1e-9);
                    snprintf(e->note, sizeof e->note, "products/s");
                    e->verified = verify((bv_family)f, prod, x, y, got, n, o.chain);
                    wrong |= !e->verified;
                    print_entry(e);
                }
            }
            if (o.roundtrip && f == first_field && l == first_limbs) {
                entry *e = add_entry(&B);
                if (!e)
                    goto oom;
                if (bv_vk_measure_submit(ctx, o.reps, &e->ns, &err)) {
                    B.n--;
                    printf("submit floor: %s\n", err.msg);
                } else {
                    snprintf(e->kind, sizeof e->kind, "roundtrip");
                    snprintf(e->name, sizeof e->name, "empty submit");
                    snprintf(e->mode, sizeof e->mode, "-");
                    e->verified = true;
                    snprintf(e->note, sizeof e->note, "floor: submit + fence wait, nothing to do");
                    print_entry(e);
                }
            }
            if (o.roundtrip && prod < BV_OP_COUNT && o.ops[prod]) {
                /* Upload x and y, multiply, download, wait: what a caller waits for. */
                const bv_kernel *k = bv_kernel_builtin((bv_family)f, prod, (bv_limbs)l);
                static const size_t rs[] = {64, 65536};
                uint8_t *pin = NULL;
                /* The third pass keeps x, y and the output in pinned memory, as a prover that
                 * allocates through blsvk would: no host copies on the way. */
                if (bv_vk_pinned_alloc(ctx, 3 * rs[1] * eb, (void **)&pin, &err)) {
                    fprintf(stderr, "blsvk bench: %s\n", err.msg);
                    pin = NULL;
                } else {
                    memcpy(pin, x, rs[1] * eb);
                    memcpy(pin + rs[1] * eb, y, rs[1] * eb);
                }
                /* Modes: oneshot, persistent, persistent with pinned arrays, persistent with the
                 * kernel reading and writing host-visible memory (no copies at all). */
                for (int m = BV_MODE_ONESHOT; m <= BV_MODE_PERSISTENT + 2; m++)
                    for (size_t si = 0; si < 2; si++) {
                        bool pinned = m == BV_MODE_PERSISTENT + 1, hostmem = m == BV_MODE_PERSISTENT + 2;
                        if (pinned && !pin)
                            continue;
                        bv_vk_job job = {.code = k->code, .code_size = k->code_size, .arity = 2, .elem_bytes = eb,
                                         .count = rs[si], .x = pinned ? pin : x,
                                         .y = pinned ? pin + rs[1] * eb : y,
                                         .out = pinned ? pin + 2 * rs[1] * eb : got,
                                         .mode = m > BV_MODE_PERSISTENT ? BV_MODE_PERSISTENT : (bv_mode)m,
                                         .memory = hostmem ? BV_MEMORY_HOST : BV_MEMORY_DEVICE,
                                         .no_timestamps = m > BV_MODE_PERSISTENT,
                                         .warmup = o.warmup, .reps = o.reps};
                        bv_vk_result res;
                        entry *e = add_entry(&B);
                        if (!e)
                            goto oom;
                        if (bv_vk_run(ctx, &job, &res, &err)) {
                            B.n--;
                            printf("roundtrip %s: %s\n", k->name, err.msg);
                            continue;
                        }
                        snprintf(e->kind, sizeof e->kind, "roundtrip");
                        snprintf(e->name, sizeof e->name, "%s", k->name);
                        snprintf(e->mode, sizeof e->mode, "%s",
                                 pinned ? "pers+pin" : hostmem ? "pers+host" : bv_mode_name((bv_mode)m));
                        if (m > BV_MODE_PERSISTENT)
                            snprintf(e->note, sizeof e->note, "no GPU timestamps");
                        e->size = rs[si];
                        e->jobs = 1;
                        e->ns = res.wall_ns;
                        e->per_s = (double)rs[si] / (e->ns.median * 1e-9);
                        e->verified = verify((bv_family)f, prod, job.x, job.y, job.out, rs[si], 0) && res.canary_ok;
                        wrong |= !e->verified;
                        print_entry(e);
                    }
                bv_vk_pinned_free(ctx, pin);
            }
            if (o.pipelined && prod < BV_OP_COUNT && o.ops[prod]) {
                const bv_kernel *k = bv_kernel_builtin((bv_family)f, prod, (bv_limbs)l);
                /* The link bound of c = a op b: 2 elements up and 1 down per result, both
                 * directions at once where the device can (as measured), else one way each. */
                double up = bounds.duplex_h2d_Bps > 0 ? bounds.duplex_h2d_Bps : bounds.h2d_Bps;
                double down = bounds.duplex_d2h_Bps > 0 ? bounds.duplex_d2h_Bps : bounds.d2h_Bps;
                double bound = up / (2.0 * (double)eb);
                if (down / (double)eb < bound)
                    bound = down / (double)eb;
                for (size_t pi = 0; pi < o.npsizes; pi++)
                    for (size_t ji = 0; ji < o.njobs; ji++) {
                        size_t n = o.psizes[pi], nj = o.jobs[ji], per, total;
                        uint8_t *pin = NULL;
                        if (bv_size_mul(n, eb, &per) || bv_size_mul(per, 3 * nj, &total) ||
                            bv_vk_pinned_alloc(ctx, total, (void **)&pin, &err)) {
                            printf("pipelined %zu x %zu: cannot pin %zu x 3 x %zu bytes\n", nj, n, nj, per);
                            continue;
                        }
                        bv_vk_stream_job jobs[MAX_LIST];
                        for (size_t j = 0; j < nj; j++) {
                            jobs[j] = (bv_vk_stream_job){.x = pin + 3 * j * per, .y = pin + (3 * j + 1) * per,
                                                         .out = pin + (3 * j + 2) * per, .count = n};
                            memcpy(pin + 3 * j * per, x, per);
                            memcpy(pin + (3 * j + 1) * per, y, per);
                        }
                        for (int seq = 1; seq >= 0; seq--) {
                            bv_vk_stream s = {.code = k->code, .code_size = k->code_size, .arity = 2,
                                              .elem_bytes = eb, .jobs = jobs, .njobs = nj, .chunk_elems = o.chunk,
                                              .buffers = seq ? 1 : o.buffers, .warmup = o.warmup, .reps = o.reps};
                            bv_vk_stream_result sr;
                            entry *e = add_entry(&B);
                            if (!e) {
                                bv_vk_pinned_free(ctx, pin);
                                goto oom;
                            }
                            if (bv_vk_run_stream(ctx, &s, &sr, &err)) {
                                B.n--;
                                printf("pipelined %s: %s\n", k->name, err.msg);
                                continue;
                            }
                            snprintf(e->kind, sizeof e->kind, "stream");
                            snprintf(e->name, sizeof e->name, "%s", k->name);
                            snprintf(e->mode, sizeof e->mode, "%s", seq ? "sequential" : "pipelined");
                            e->size = n;
                            e->jobs = nj;
                            e->ns = sr.wall_ns;
                            e->per_s = (double)(n * nj) / (e->ns.median * 1e-9);
                            e->bytes_per_s = e->per_s * 3.0 * (double)eb;
                            e->bound_per_s = bound;
                            /* Overlap: the stages' summed busy time over the span they took together
                             * (1 = one stage at a time, up to 3 with all three overlapping). */
                            double overlap = sr.timed && sr.span_ns > 0
                                                 ? (sr.busy_ns[0] + sr.busy_ns[1] + sr.busy_ns[2]) / sr.span_ns
                                                 : 0;
                            snprintf(e->note, sizeof e->note, "chunk %zu, %u buf, %zu chunks, overlap %.2f%s%s",
                                     sr.chunk_elems, sr.buffers, sr.chunks, overlap,
                                     sr.transfer_queue ? ", transfer queues" : "", sr.pinned ? "" : ", copied");
                            e->verified = sr.canary_ok;
                            for (size_t j = 0; j < nj && e->verified; j++)
                                e->verified = verify((bv_family)f, prod, x, y, jobs[j].out, n, 0);
                            wrong |= !e->verified;
                            bv_vk_stream_result_free(&sr);
                            print_entry(e);
                        }
                        bv_vk_pinned_free(ctx, pin);
                    }
            }
        }
    }
    rc = wrong ? BV_EXIT_FAIL : BV_EXIT_OK;
    if (o.out && !write_json(o.out, d, &bounds, &B, argc, argv))
        rc = BV_EXIT_FAIL;
    if (wrong)
        fprintf(stderr, "blsvk bench: some kernels returned wrong results (marked WRONG)\n");
    goto out;
oom:
    fprintf(stderr, "blsvk bench: out of memory\n");
    rc = BV_EXIT_FAIL;
out:
    free(got);
    bv_vec_set_destroy(vx);
    free(B.e);
    bv_vk_context_destroy(ctx);
    bv_vk_instance_destroy(inst);
    return rc;
}
