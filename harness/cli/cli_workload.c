/* harness/cli/cli_workload.c: `blsvk workload`: runs multi-dispatch workloads (the Fr NTT and its
 * inverse and coset forms, the G1 MSM; docs/workload-abi.md) on a device over edge and seeded
 * random inputs, each output checked against the GMP reference's. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bv_json.h"
#include "bv_kernels.h"
#include "bv_ref.h"
#include "bv_run.h"
#include "cli.h"

enum { MAX_LIST = 40 };

static void workload_help(FILE *f)
{
    fprintf(f,
            "usage: blsvk workload [--workload NAME[,NAME...]] [--kernel-dir DIR] [--limbs u32,u64]\n"
            "                      [--log-n LIST] [--set edge,random] [--seed N] [--device SEL]\n"
            "                      [--reps N] [--warmup N] [--timeout-ms N] [--workgroup-size N]\n"
            "                      [--validate [sync|gpu]] [--batch K [--ring R]]\n"
            "                      [--json FILE] [--junit FILE] [--quiet] [--stages]\n\n"
            "Runs workloads, fixed sequences of dispatches over named buffers (docs/workload-abi.md),\n"
            "on one device: the built-in Fr NTTs (fr.ntt, fr.intt, fr.ntt_coset, fr.intt_coset) and\n"
            "G1 MSM (g1.msm), all by default, or DIR/<NAME>.json with its modules beside it. Every\n"
            "output is compared with the GMP reference's: an NTT's element by element, an MSM's sum as\n"
            "a point (any Z; off the curve and not canonical said apart). An MSM's random inputs are\n"
            "points of known logarithms (docs/workload-abi.md), so that any size is checked at once.\n\n"
            "  --limbs LIST      u32, u64 (default both; u64 needs shaderInt64)\n"
            "  --log-n LIST      sizes as log2 n: 0..32, a list or a range 0-10 (default 0-10 on a CPU\n"
            "                    device, 0-10,16 on a GPU: the reference takes 1.5 s a 2^20 input)\n"
            "  --set LIST        edge (the reference's named inputs) and random (default both)\n"
            "  --seed N          the random inputs' seed (default 1): the same on every platform\n"
            "  --reps N, --warmup N   timed and untimed submissions (default 3, 1; on a GPU the\n"
            "                    untimed ones go on for 200 ms, so that it is timed at its working clock)\n"
            "  --timeout-ms N    longest wait for one submission (default 60000)\n"
            "  --workgroup-size N  invocations a workgroup, a power of two up to 1024 and the\n"
            "                    device's limit (default: the device's, as for blsvk run)\n"
            "  --validate [sync|gpu]  the Khronos validation layer, as for blsvk run; any message it\n"
            "                    reports makes the exit status 1\n"
            "  --json FILE       also write the cases (blsvk-workload-results/1); '-' for stdout\n"
            "  --junit FILE      also write junit.xml (one testsuite, a testcase a case) for CI servers\n"
            "  --quiet           only failures and the summary line\n"
            "  --stages          also each stage's GPU time (median), under its case (JSON: stages_us),\n"
            "                    and what the driver reports of each stage module (registers, spills)\n"
            "  --batch K         instead of the sets: K random inputs (seeds N to N+K-1) at each size as\n"
            "                    one batch, twice: one after another (ring1), then pipelined through a\n"
            "                    ring of R buffer sets (ringR: the host writes and checks one set while\n"
            "                    the device runs the others); every output checked; wall time an item\n"
            "  --ring R          buffer sets of the pipelined batch, 2 to 16 (default 3); with --warmup\n"
            "                    (not 0) the batch runs once untimed first\n\n"
            "Exit status: 0 every case passed (or was not supported), 1 a case failed, 2 bad usage or\n"
            "a bad manifest, 3 no usable device.\n");
}

/* Items of a comma-separated list into out (at most MAX_LIST). */
static int split_list(char *s, char **out)
{
    int n = 0;
    for (char *tok = strtok(s, ","); tok && n < MAX_LIST; tok = strtok(NULL, ","))
        out[n++] = tok;
    return n;
}

/* "0-10,16,20" into a mask of sizes 0..32. */
static bool parse_sizes(const char *arg, uint64_t *mask)
{
    char buf[256];
    char *items[MAX_LIST];
    if (strlen(arg) >= sizeof buf)
        return false;
    strcpy(buf, arg);
    int n = split_list(buf, items);
    *mask = 0;
    for (int i = 0; i < n; i++) {
        uint64_t a, b;
        char *dash = strchr(items[i], '-');
        if (dash)
            *dash = '\0';
        if (!bv_cli_parse_u64(items[i], BV_REF_FR_TWO_ADICITY, &a) ||
            !bv_cli_parse_u64(dash ? dash + 1 : items[i], BV_REF_FR_TWO_ADICITY, &b) || b < a)
            return false;
        for (uint64_t k = a; k <= b; k++)
            *mask |= 1ull << k;
    }
    return n > 0;
}

typedef struct wl_case {
    char name[128];
    const char *status; /* "pass", "fail", "not-supported", "error" */
    char reason[400];
    double kernel_us, wall_us;
    uint32_t dispatches;
    char stages[1024]; /* each stage's name and median GPU time, "" where not timed */
} wl_case;

typedef struct wl_run {
    bv_vk_context *ctx;
    uint32_t reps, warmup, warm_ms;
    uint64_t seed;
    bool quiet, show_stages;
    wl_case *cases;
    size_t ncases, cap;
    size_t fails;
} wl_run;

/* --stages: what the driver says of each distinct stage module (registers, spills, where it
 * reports them through VK_KHR_pipeline_executable_properties), once a workload and limb width:
 * a stage's time means little without knowing whether it spills. */
static void show_module_stats(bv_vk_context *ctx, const bv_workload_plan *p, bv_limbs limbs)
{
    bool spec_on = bv_run_wl_specializes(ctx);
    for (size_t i = 0; i < p->nstages; i++) {
        const bv_workload_stage *g = &p->stages[i];
        bool spec = spec_on && g->specialize, seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = p->stages[j].code == g->code && (spec_on && p->stages[j].specialize) == spec &&
                   (!spec || p->stages[j].spec == g->spec);
        if (seen)
            continue;
        char buf[768], what[96];
        bv_error e = {0};
        if (spec)
            snprintf(what, sizeof what, "%s.%s (%s, specialized %u)", g->module, bv_limbs_name(limbs), g->name,
                     (unsigned)g->spec);
        else
            snprintf(what, sizeof what, "%s.%s", g->module, bv_limbs_name(limbs));
        if (bv_vk_pipeline_stats(ctx, g->code, g->code_size, 2, spec ? &g->spec : NULL, buf, sizeof buf, &e))
            printf("%-13s module %s: no statistics (%s)\n", "", what, e.msg);
        else
            printf("%-13s module %s: %s\n", "", what, buf);
    }
}

static bv_status add_case(wl_run *r, wl_case **c, bv_error *err)
{
    bv_status st = bv_array_reserve(&r->cases, &r->cap, r->ncases + 1, sizeof *r->cases, err);
    if (st)
        return st;
    *c = &r->cases[r->ncases++];
    memset(*c, 0, sizeof **c);
    return BV_OK;
}

/* --batch: k random inputs through plan p as one batch, one after another and then in a ring of
 * `ring` sets, each a case (fails with its first failing input); the pipelined one's gain said. */
static bv_status run_batch(wl_run *r, const bv_workload *w, const bv_workload_plan *p, uint8_t *const *tables,
                           bv_limbs limbs, unsigned log_n, size_t k, unsigned ring, bv_error *err)
{
    bv_status st = BV_OK;
    bv_run_wl_input *ins = NULL;
    bv_run_wl_outcome *outs = calloc(2 * k, sizeof *outs);
    bv_run_wl_outcome *const pass_outs[2] = {outs, outs ? outs + k : NULL};
    bv_vk_result res[2];
    double per_item[2] = {0, 0};
    bool gone = false;
    if (!outs) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory for a batch of %zu", k);
        goto out;
    }
    /* With --warmup the batch runs once untimed first (pipelines made, a GPU's clock up), so that
     * the one-after-another pass does not pay for them. */
    if ((st = bv_run_wl_inputs_make(p->field, log_n, false, r->seed, k, &ins, err)) ||
        (st = bv_run_wl_batch_gain(r->ctx, w, p, tables, ins, k, ring, r->warmup > 0, pass_outs, res, &gone, err)))
        goto out;
    for (int pass = 0; pass < 2; pass++) {
        const bv_run_wl_outcome *o = pass_outs[pass];
        wl_case *c;
        if (o[0].status == BV_RESULT_SKIPPED)
            break; /* the device failed in the pass before */
        if ((st = add_case(r, &c, err)))
            break;
        snprintf(c->name, sizeof c->name, "%s.%s.2^%u.batch%zu.ring%u", bv_kernel_workload_name(w), bv_limbs_name(limbs),
                 log_n, k, pass ? ring : 1);
        c->status = "pass";
        for (size_t i = 0; i < k && strcmp(c->status, "pass") == 0; i++)
            if (o[i].status != BV_RESULT_PASS) {
                c->status = o[i].status == BV_RESULT_FAIL ? "fail" : "error";
                snprintf(c->reason, sizeof c->reason, "input %zu (seed %llu): %s", i,
                         (unsigned long long)(r->seed + i), o[i].reason);
            }
        c->kernel_us = res[pass].kernel_timed ? res[pass].kernel_ns.median / 1e3 : -1;
        c->wall_us = res[pass].wall_ns.median / 1e3 / (double)k;
        c->dispatches = res[pass].dispatches;
        per_item[pass] = strcmp(c->status, "pass") == 0 ? c->wall_us : 0;
        if (strcmp(c->status, "pass") != 0)
            r->fails++;
        if (r->quiet && strcmp(c->status, "pass") == 0)
            continue;
        if (strcmp(c->status, "pass") == 0)
            printf("%-13s %-44s %10.1f us an item (wall), %.1f us GPU each\n", c->status, c->name, c->wall_us,
                   c->kernel_us);
        else
            printf("%-13s %-44s %s\n", c->status, c->name, c->reason);
    }
    if (!st && gone)
        st = bv_error_set(err, BV_ERR_DEVICE_LOST, "%s", outs[0].reason);
    if (!st && !r->quiet && per_item[0] > 0 && per_item[1] > 0)
        printf("%-13s %-44s %.2fx the one-after-another wall time\n", "", "", per_item[1] / per_item[0]);
out:
    bv_run_wl_inputs_free(ins, k);
    free(outs);
    return st;
}

/* One input through one plan on the device, its output checked (the runner's), as a case. */
static bv_status run_case(wl_run *r, const bv_workload *w, const bv_workload_plan *p, uint8_t *const *tables,
                          const bv_run_wl_input *in, wl_case *c, bv_error *err)
{
    double *stage_ns = calloc(p->nstages ? p->nstages : 1, sizeof *stage_ns);
    if (!stage_ns)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    bv_run_wl_opts timing = {.warmup = r->warmup, .reps = r->reps, .warm_ms = r->warm_ms, .stage_ns = stage_ns};
    bv_run_wl_outcome o;
    bool gone;
    bv_status st = bv_run_wl_execute(r->ctx, w, p, tables, in, &timing, &o, &gone, err);
    if (st) {
        free(stage_ns);
        return st;
    }
    c->status = o.status == BV_RESULT_PASS            ? "pass"
                : o.status == BV_RESULT_FAIL          ? "fail"
                : o.status == BV_RESULT_NOT_SUPPORTED ? "not-supported"
                                                      : "error";
    snprintf(c->reason, sizeof c->reason, "%s", o.reason);
    c->kernel_us = o.res.kernel_timed ? o.res.kernel_ns.median / 1e3 : -1;
    c->wall_us = o.res.wall_ns.median / 1e3;
    c->dispatches = o.res.dispatches;
    c->stages[0] = '\0';
    for (size_t i = 0, at = 0; i < p->nstages && stage_ns[p->nstages - 1] > 0 && at < sizeof c->stages; i++) {
        int k = snprintf(c->stages + at, sizeof c->stages - at, "%s%s %.1f", i ? ", " : "", p->stages[i].name,
                         stage_ns[i] / 1e3);
        at += k > 0 ? (size_t)k : 0;
    }
    free(stage_ns);
    if (gone)
        return bv_error_set(err, BV_ERR_DEVICE_LOST, "%s", o.reason);
    return BV_OK;
}

static void print_case(const wl_run *r, const wl_case *c)
{
    bool bad = strcmp(c->status, "pass") != 0 && strcmp(c->status, "not-supported") != 0;
    if (r->quiet && !bad)
        return;
    if (c->kernel_us >= 0 && strcmp(c->status, "pass") == 0) {
        printf("%-13s %-44s %10.1f us GPU, %u dispatches\n", c->status, c->name, c->kernel_us, c->dispatches);
        if (r->show_stages && c->stages[0])
            printf("%-13s stages (us): %s\n", "", c->stages);
    } else
        printf("%-13s %-44s %s\n", c->status, c->name, c->reason);
}

static bv_status write_json(const wl_run *r, const char *path, bv_error *err)
{
    bv_json_file jf;
    bv_status st = bv_json_file_open(&jf, path, true, err);
    if (st)
        return st;
    bv_json_writer *w = jf.w;
    const bv_device_info *d = bv_vk_context_device(r->ctx);
    bv_json_obj_begin(w);
    bv_json_key(w, "format");
    bv_json_str(w, "blsvk-workload-results/1");
    bv_json_key(w, "device");
    bv_json_str(w, d->name);
    bv_json_key(w, "driver");
    bv_json_str(w, d->driver_info);
    bv_json_key(w, "seed");
    bv_json_u64(w, r->seed);
    bv_json_key(w, "cases");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < r->ncases; i++) {
        const wl_case *c = &r->cases[i];
        bv_json_obj_begin(w);
        bv_json_key(w, "name");
        bv_json_str(w, c->name);
        bv_json_key(w, "status");
        bv_json_str(w, c->status);
        bv_json_key(w, "reason");
        bv_json_str(w, c->reason);
        bv_json_key(w, "kernel_us");
        bv_json_num(w, c->kernel_us >= 0 ? c->kernel_us : 0.0 / 0.0);
        bv_json_key(w, "wall_us");
        bv_json_num(w, c->wall_us);
        bv_json_key(w, "dispatches");
        bv_json_u64(w, c->dispatches);
        bv_json_key(w, "stages_us");
        bv_json_str(w, c->stages);
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_obj_end(w);
    return bv_json_file_close(&jf, BV_OK, err);
}

/* junit.xml: a testcase a case, grouped by workload and limbs ("fr.ntt.u64"). */
static bv_status write_junit(const wl_run *r, const char *path, bv_error *err)
{
    bv_report_item *items = calloc(r->ncases ? r->ncases : 1, sizeof *items);
    char (*cls)[64] = calloc(r->ncases ? r->ncases : 1, sizeof *cls);
    if (!items || !cls) {
        free(items);
        free(cls);
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < r->ncases; i++) {
        const wl_case *c = &r->cases[i];
        /* The name up to its size: "fr.ntt.u64.2^10.edge.ones" groups under "fr.ntt.u64". */
        const char *cut = strstr(c->name, ".2^");
        snprintf(cls[i], sizeof cls[i], "%.*s", cut ? (int)(cut - c->name) : (int)strlen(c->name), c->name);
        items[i] = (bv_report_item){.name = c->name, .classname = cls[i], .status = c->status, .reason = c->reason,
                                    .seconds = c->wall_us > 0 ? c->wall_us * 1e-6 : 0};
    }
    const bv_device_info *d = bv_vk_context_device(r->ctx);
    char suite[300];
    snprintf(suite, sizeof suite, "blsvk workload %s", d->name);
    bv_status st = bv_report_write_junit_items(path, suite, d->name, items, r->ncases, err);
    free(items);
    free(cls);
    return st;
}

enum { OPT_WORKLOAD = 256, OPT_WG, OPT_STAGES, OPT_KDIR, OPT_LIMBS, OPT_LOGN, OPT_SET, OPT_SEED, OPT_DEVICE, OPT_REPS, OPT_WARMUP,
       OPT_TIMEOUT, OPT_JSON, OPT_JUNIT, OPT_QUIET, OPT_VALIDATE, OPT_BATCH, OPT_RING, OPT_HELP };

int bv_cli_workload(int argc, char **argv)
{
    static const struct option lo[] = {{"workload", required_argument, NULL, OPT_WORKLOAD},
                                       {"kernel-dir", required_argument, NULL, OPT_KDIR},
                                       {"limbs", required_argument, NULL, OPT_LIMBS},
                                       {"log-n", required_argument, NULL, OPT_LOGN},
                                       {"set", required_argument, NULL, OPT_SET},
                                       {"seed", required_argument, NULL, OPT_SEED},
                                       {"device", required_argument, NULL, OPT_DEVICE},
                                       {"reps", required_argument, NULL, OPT_REPS},
                                       {"warmup", required_argument, NULL, OPT_WARMUP},
                                       {"timeout-ms", required_argument, NULL, OPT_TIMEOUT},
                                       {"workgroup-size", required_argument, NULL, OPT_WG},
                                       {"json", required_argument, NULL, OPT_JSON},
                                       {"junit", required_argument, NULL, OPT_JUNIT},
                                       {"quiet", no_argument, NULL, OPT_QUIET},
                                       {"stages", no_argument, NULL, OPT_STAGES},
                                       {"validate", optional_argument, NULL, OPT_VALIDATE},
                                       {"batch", required_argument, NULL, OPT_BATCH},
                                       {"ring", required_argument, NULL, OPT_RING},
                                       {"help", no_argument, NULL, OPT_HELP},
                                       {NULL, 0, NULL, 0}};
    char names_buf[512] = "", limbs_buf[32] = "u32,u64", sets_buf[32] = "edge,random";
    const char *kdir = NULL, *device = NULL, *json = NULL, *junit = NULL, *sizes = NULL;
    wl_run r = {.reps = 3, .warmup = 1, .seed = 1};
    uint64_t v, timeout = 60000, wg = 0, batch = 0, ring = 3;
    bool ring_given = false;
    int c, rc = BV_EXIT_OK;
    const char *opt;
    bv_vk_instance *inst = NULL;
    bv_workload *w = NULL;
    bv_vk_instance_opts io = {0};
    bv_error err;
    bv_error_clear(&err);

    optind = 0;
    while ((c = bv_cli_getopt(argc, argv, ":", lo, &opt)) != -1) {
        switch (c) {
        case OPT_WORKLOAD:
        case OPT_LIMBS:
        case OPT_SET: {
            char *dst = c == OPT_WORKLOAD ? names_buf : c == OPT_LIMBS ? limbs_buf : sets_buf;
            size_t cap = c == OPT_WORKLOAD ? sizeof names_buf : sizeof limbs_buf;
            if (strlen(optarg) >= cap || !*optarg) {
                fprintf(stderr, "blsvk workload: %s: '%s' is %s\n", opt, optarg, *optarg ? "too long" : "empty");
                return BV_EXIT_USAGE;
            }
            strcpy(dst, optarg);
            break;
        }
        case OPT_KDIR: kdir = optarg; break;
        case OPT_LOGN: sizes = optarg; break;
        case OPT_DEVICE: device = optarg; break;
        case OPT_JSON: json = optarg; break;
        case OPT_JUNIT: junit = optarg; break;
        case OPT_QUIET: r.quiet = true; break;
        case OPT_STAGES: r.show_stages = true; break;
        case OPT_VALIDATE:
            if (!bv_cli_parse_validate("workload", argc, argv, &io.gpu_assisted))
                return BV_EXIT_USAGE;
            io.validation = true;
            break;
        case OPT_SEED:
        case OPT_REPS:
        case OPT_WARMUP:
        case OPT_TIMEOUT:
            if (!bv_cli_parse_u64(optarg, c == OPT_SEED ? UINT64_MAX : c == OPT_TIMEOUT ? 3600000 : 1000, &v) ||
                (c != OPT_SEED && c != OPT_WARMUP && v == 0)) {
                fprintf(stderr, "blsvk workload: %s takes a whole number%s, not '%s'\n", opt,
                        c == OPT_SEED ? "" : c == OPT_TIMEOUT ? " from 1 to 3600000" : " up to 1000", optarg);
                return BV_EXIT_USAGE;
            }
            if (c == OPT_SEED)
                r.seed = v;
            else if (c == OPT_REPS)
                r.reps = (uint32_t)v;
            else if (c == OPT_WARMUP)
                r.warmup = (uint32_t)v;
            else
                timeout = v;
            break;
        case OPT_BATCH:
        case OPT_RING:
            if (!bv_cli_parse_u64(optarg, c == OPT_BATCH ? 4096 : 16, &v) || v < 2) {
                fprintf(stderr, "blsvk workload: %s takes a whole number from 2 to %d, not '%s'\n", opt,
                        c == OPT_BATCH ? 4096 : 16, optarg);
                return BV_EXIT_USAGE;
            }
            if (c == OPT_BATCH)
                batch = v;
            else
                ring = v, ring_given = true;
            break;
        case OPT_WG:
            /* A power of two: the shared-memory stages take blocks of twice the workgroup. */
            if (!bv_cli_parse_u64(optarg, 1024, &v) || v == 0 || (v & (v - 1)) != 0) {
                fprintf(stderr, "blsvk workload: --workgroup-size takes a power of two from 1 to 1024, not '%s'\n",
                        optarg);
                return BV_EXIT_USAGE;
            }
            wg = v;
            break;
        case OPT_HELP: workload_help(stdout); return BV_EXIT_OK;
        default: return bv_cli_option_error("workload", c, opt);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "blsvk workload: unexpected argument '%s' (see --help)\n", argv[optind]);
        return BV_EXIT_USAGE;
    }
    if (ring_given && !batch) {
        fprintf(stderr, "blsvk workload: --ring needs --batch\n");
        return BV_EXIT_USAGE;
    }
    char *names[MAX_LIST], *limbs[MAX_LIST], *sets[MAX_LIST];
    int nnames, nlimbs = split_list(limbs_buf, limbs), nsets = split_list(sets_buf, sets);
    if (!names_buf[0]) {
        nnames = 0;
        for (const char *const *b = bv_kernel_workload_builtin_names(); *b && nnames < MAX_LIST; b++)
            names[nnames++] = (char *)*b;
    } else {
        nnames = split_list(names_buf, names);
    }
    bv_limbs lv[MAX_LIST];
    for (int i = 0; i < nlimbs; i++) {
        if (strcmp(limbs[i], "u32") == 0)
            lv[i] = BV_LIMBS_U32;
        else if (strcmp(limbs[i], "u64") == 0)
            lv[i] = BV_LIMBS_U64;
        else {
            fprintf(stderr, "blsvk workload: --limbs: '%s' is not u32 or u64\n", limbs[i]);
            return BV_EXIT_USAGE;
        }
    }
    for (int i = 0; i < nsets; i++)
        if (strcmp(sets[i], "edge") != 0 && strcmp(sets[i], "random") != 0) {
            fprintf(stderr, "blsvk workload: --set: '%s' is not edge or random\n", sets[i]);
            return BV_EXIT_USAGE;
        }
    uint64_t mask = 0;
    if (sizes && !parse_sizes(sizes, &mask)) {
        fprintf(stderr, "blsvk workload: --log-n: '%s' is not a list of sizes 0 to %u or ranges a-b\n", sizes,
                BV_REF_FR_TWO_ADICITY);
        return BV_EXIT_USAGE;
    }
    if (bv_ref_init(&err)) {
        fprintf(stderr, "blsvk workload: %s\n", err.msg);
        return BV_EXIT_DEVICE;
    }
    bv_vk_context_opts co = {.timeout_ms = (uint32_t)timeout, .workgroup_size = (uint32_t)wg};
    int orc = bv_cli_open_device("workload", device, &io, &co, &inst, &r.ctx);
    if (orc >= 0) {
        rc = orc;
        goto out;
    }
    const bv_device_info *dev = bv_vk_context_device(r.ctx);
    if (!sizes)
        mask = dev->device_type == BV_DEVICE_TYPE_CPU ? 0x7ff : 0x7ff | 1ull << 16;
    r.warm_ms = bv_run_wl_warm_ms(r.ctx);
    if (!r.quiet)
        printf("blsvk workload on %s (%s)\n", dev->name, dev->driver_info);

    for (int wi = 0; wi < nnames && rc != BV_EXIT_DEVICE; wi++) {
        bv_kernel_workload_destroy(w);
        w = NULL;
        if (bv_kernel_workload_load(names[wi], kdir, &w, &err)) {
            fprintf(stderr, "blsvk workload: %s\n", err.msg);
            rc = BV_EXIT_USAGE;
            goto out;
        }
        bool stats_shown[2] = {false, false};
        for (int li = 0; li < nlimbs && rc != BV_EXIT_DEVICE; li++) {
            for (unsigned log_n = 0; log_n <= BV_REF_FR_TWO_ADICITY && rc != BV_EXIT_DEVICE; log_n++) {
                if (!(mask >> log_n & 1))
                    continue;
                bv_workload_plan p;
                if (bv_kernel_workload_plan(w, lv[li], log_n, bv_vk_context_workgroup_size(r.ctx), &p, &err)) {
                    fprintf(stderr, "blsvk workload: %s: %s\n", bv_kernel_workload_source(w), err.msg);
                    rc = BV_EXIT_USAGE;
                    goto out;
                }
                char why[256] = "";
                bool supported = bv_vk_context_supports(r.ctx, p.needs, BV_MODE_PERSISTENT, why, sizeof why);
                if (supported && r.show_stages && !r.quiet && !stats_shown[li]) {
                    show_module_stats(r.ctx, &p, lv[li]);
                    stats_shown[li] = true;
                }
                bv_run_wl_input in;
                uint8_t **tables = NULL;
                bv_status tst = bv_run_wl_input_init(p.field, log_n, &in, &err);
                if (!tst)
                    tst = bv_run_wl_tables(&p, log_n, &tables, &err);
                if (tst) {
                    bv_run_wl_input_free(&in);
                    bv_run_wl_tables_free(tables, p.nbuffers);
                    bv_kernel_workload_plan_free(&p);
                    fprintf(stderr, "blsvk workload: %s\n", err.msg);
                    rc = BV_EXIT_DEVICE;
                    goto out;
                }
                if (batch && supported) {
                    bv_status bst = run_batch(&r, w, &p, tables, lv[li], log_n, (size_t)batch, (unsigned)ring, &err);
                    if (bst) {
                        fprintf(stderr, "blsvk workload: %s\n", err.msg);
                        rc = BV_EXIT_DEVICE;
                    }
                }
                for (int si = 0; si < nsets && !batch && rc != BV_EXIT_DEVICE; si++) {
                    bool edge = strcmp(sets[si], "edge") == 0;
                    size_t count = edge ? bv_run_wl_edge_count(p.field) : 1;
                    for (size_t e = 0; e < count && rc != BV_EXIT_DEVICE; e++) {
                        wl_case *cs;
                        if (add_case(&r, &cs, &err)) {
                            fprintf(stderr, "blsvk workload: %s\n", err.msg);
                            rc = BV_EXIT_DEVICE;
                            break;
                        }
                        snprintf(cs->name, sizeof cs->name, "%s.%s.2^%u.%s%s%s", bv_kernel_workload_name(w),
                                 bv_limbs_name(lv[li]), log_n, sets[si], edge ? "." : "",
                                 edge ? bv_run_wl_edge_name(p.field, e) : "");
                        bv_status st = BV_OK;
                        if (!supported) {
                            cs->status = "not-supported";
                            snprintf(cs->reason, sizeof cs->reason, "%s", why);
                        } else {
                            st = bv_run_wl_input_make(edge, e, r.seed, &in, &err);
                            if (!st)
                                st = run_case(&r, w, &p, tables, &in, cs, &err);
                        }
                        if (st) {
                            cs->status = "error";
                            snprintf(cs->reason, sizeof cs->reason, "%s", err.msg);
                        }
                        if (strcmp(cs->status, "pass") != 0 && strcmp(cs->status, "not-supported") != 0)
                            r.fails++;
                        print_case(&r, cs);
                        if (st == BV_ERR_DEVICE_LOST) {
                            rc = BV_EXIT_DEVICE;
                            break;
                        }
                    }
                }
                bv_run_wl_input_free(&in);
                bv_run_wl_tables_free(tables, p.nbuffers);
                bv_kernel_workload_plan_free(&p);
            }
        }
    }
    if (rc == BV_EXIT_OK && r.fails)
        rc = BV_EXIT_FAIL;
    printf("%zu cases, %zu failed\n", r.ncases, r.fails);
    if (io.validation && bv_cli_validation_summary("workload", inst, io.gpu_assisted) != BV_EXIT_OK &&
        rc == BV_EXIT_OK)
        rc = BV_EXIT_FAIL;
    if (json && write_json(&r, json, &err)) {
        fprintf(stderr, "blsvk workload: %s\n", err.msg);
        if (rc == BV_EXIT_OK)
            rc = BV_EXIT_USAGE;
    }
    if (junit && write_junit(&r, junit, &err)) {
        fprintf(stderr, "blsvk workload: %s\n", err.msg);
        if (rc == BV_EXIT_OK)
            rc = BV_EXIT_USAGE;
    }
out:
    bv_kernel_workload_destroy(w);
    free(r.cases);
    bv_vk_context_destroy(r.ctx);
    bv_vk_instance_destroy(inst);
    return rc;
}
