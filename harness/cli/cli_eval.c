/* harness/cli/cli_eval.c: `blsvk eval`: one vector file through one kernel, a verdict per element. */
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
#include "bv_version.h"
#include "cli_opts.h"

/* --- eval -------------------------------------------------------------------------- */

static void eval_help(FILE *f)
{
    fprintf(f,
            "usage: blsvk eval --in VECTORS --out RESULTS [--device SEL] [--limbs u32|u64|f64]\n"
            "                  [--mode oneshot|persistent|pipelined] [--memory device|host|auto] [--kernel-dir DIR]\n"
            "                  [--chunk-elems N] [--buffers N] [--bind none|inplace|samein]\n"
            "                  [--recipe R | --passes LIST] [--seed S]\n\n"
            "Runs one vector file (JSON or binary, see docs/vectors.md) through the kernel for its\n"
            "field and op and writes every case's inputs, expected value (from the reference), what\n"
            "the kernel returned, and pass/fail, as blsvk-eval/1 JSON. An expected value in the\n"
            "file that disagrees with the reference is an input error (exit 2).\n"
            "Exit status: 0 every case passed and the guard words around the buffers are intact,\n"
            "1 a case failed or a guard word was overwritten, 2 bad usage or input (a file with no\n"
            "cases) or --out could not be written, 3 a device error.\n"
            "--bind inplace binds the output to input x's buffer (out = x op y in place), --bind samein\n"
            "both inputs to one buffer (y = x), as a run's inplace and samein cases do; --recipe runs the\n"
            "kernel through a recipe first, as a run's <limbs>+<recipe> cases do (--seed S: the poison\n"
            "recipe's pattern, the run's seed). A failed case's replay command in a run's reports sets\n"
            "all three. --passes LIST runs it through a pass list of your own instead: steps separated\n"
            "by commas or spaces, each a recipe's name (its passes; O and Os spelled out pass by pass),\n"
            "poison, or a spirv-opt flag with or without its '--' (ccp, --scalar-replacement=0), e.g.\n"
            "--passes inline,poison,ssa,ccp.\n"
            "Defaults: --limbs u32, --mode persistent, --memory auto, --bind none, --seed 1.\n");
}

/* What eval found: the one tally that both its JSON and its printed line come from. */
typedef struct eval_tally {
    size_t pass, fail;   /* cases whose value is right, wrong */
    bool guards_ok;      /* the guard words around the buffers were left alone */
    const char *guards;  /* when not: what was damaged */
} eval_tally;

/* An output checked the family's way: equal bytes for a field, the same point for a curve. */
static bool output_ok(const bv_vec_set *set, const uint8_t *expected, const uint8_t *got, size_t i)
{
    size_t eb = bv_ref_slot_bytes(set->family, set->op, BV_REF_OUT);
    return bv_ref_family(set->family)->compare(set->op, got + i * eb, expected + i * eb) == BV_REF_SAME;
}

static void tally_cases(const bv_vec_set *set, const uint8_t *expected, const uint8_t *got, eval_tally *t)
{
    t->pass = t->fail = 0;
    for (size_t i = 0; i < set->count; i++) {
        bool ok = output_ok(set, expected, got, i);
        t->pass += ok;
        t->fail += !ok;
    }
}

static bv_status write_eval(const char *path, const bv_device_info *d, const bv_vec_set *set, bv_limbs limbs,
                            bv_mode mode, const uint8_t *expected, const uint8_t *got, const eval_tally *t,
                            bv_error *err)
{
    bv_json_file jf;
    size_t ebo = bv_ref_slot_bytes(set->family, set->op, BV_REF_OUT);
    size_t ebx = bv_ref_slot_bytes(set->family, set->op, BV_REF_X);
    size_t eby = bv_ref_slot_bytes(set->family, set->op, BV_REF_Y);
    unsigned arity = bv_ref_op_arity(set->op);
    bv_status st = bv_json_file_open(&jf, path, true, err);
    if (st)
        return st;
    bv_json_writer *w = jf.w;
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
        bool ok = output_ok(set, expected, got, i);
        bv_vec_name(set, i, name, sizeof name);
        bv_json_obj_begin(w);
        bv_json_key(w, "name"); bv_json_str(w, name);
        bv_json_key(w, "inputs");
        bv_json_arr_begin(w);
        bv_ref_hex_format_slot(set->family, set->op, BV_REF_X, set->x + i * ebx, hex);
        bv_json_str(w, hex);
        if (arity == 2) {
            bv_ref_hex_format_slot(set->family, set->op, BV_REF_Y, set->y + i * eby, hex);
            bv_json_str(w, hex);
        }
        bv_json_arr_end(w);
        bv_ref_hex_format_slot(set->family, set->op, BV_REF_OUT, expected + i * ebo, hex);
        bv_json_key(w, "expected"); bv_json_str(w, hex);
        bv_ref_hex_format_slot(set->family, set->op, BV_REF_OUT, got + i * ebo, hex);
        bv_json_key(w, "got"); bv_json_str(w, hex);
        if (!ok) {
            uint8_t const *g = got + i * ebo;
            bv_json_key(w, "check");
            bv_json_str(w, bv_ref_verdict_name(bv_ref_family(set->family)->compare(set->op, g, expected + i * ebo)));
        }
        bv_json_key(w, "status"); bv_json_str(w, ok ? "pass" : "fail");
        bv_json_obj_end(w);
    }
    bv_json_arr_end(w);
    bv_json_key(w, "summary");
    bv_json_obj_begin(w);
    bv_json_key(w, "pass"); bv_json_u64(w, t->pass);
    bv_json_key(w, "fail"); bv_json_u64(w, t->fail);
    bv_json_key(w, "guards"); bv_json_str(w, t->guards_ok ? "intact" : "damaged");
    if (!t->guards_ok) {
        bv_json_key(w, "guards_detail"); bv_json_str(w, t->guards);
    }
    bv_json_key(w, "verdict"); bv_json_str(w, t->fail == 0 && t->guards_ok ? "pass" : "fail");
    bv_json_obj_end(w);
    bv_json_obj_end(w);
    return bv_json_file_close(&jf, BV_OK, err);
}

/* --- what eval and reduce start from ----------------------------------------------------------- */

int bv_cli_eval_input(const char *verb, const cli_opts *o, cli_eval_input *in)
{
    bv_error err;
    memset(in, 0, sizeof *in);
    in->limbs = o->has_limbs ? o->limbs : BV_LIMBS_U32;
    bv_error_clear(&err);
    if (bv_ref_init(&err)) {
        fprintf(stderr, "blsvk %s: %s\n", verb, err.msg);
        return BV_EXIT_FAIL;
    }
    if (bv_vec_read(o->in, &in->set, &err)) {
        fprintf(stderr, "blsvk %s: %s\n", verb, err.msg);
        return BV_EXIT_USAGE;
    }
    const bv_vec_set *set = in->set;
    if (set->count == 0) {
        fprintf(stderr, "blsvk %s: %s: the file has no cases: nothing to evaluate\n", verb, o->in);
        return BV_EXIT_USAGE;
    }
    size_t eb = bv_ref_slot_bytes(set->family, set->op, BV_REF_OUT), bytes;
    if (bv_size_mul(set->count, eb, &bytes) || !(in->expected = malloc(bytes + 1)) || !(in->got = malloc(bytes + 1))) {
        fprintf(stderr, "blsvk %s: %s: out of memory for %zu cases\n", verb, o->in, set->count);
        return BV_EXIT_FAIL;
    }
    /* Both inputs bound to one buffer: the kernel sees x twice. */
    const uint8_t *y = o->bind == BV_ALIAS_X_Y ? set->x : set->y;
    if (bv_ref_batch(set->family, set->op, in->expected, set->x, y, set->count, 0, &err)) {
        fprintf(stderr, "blsvk %s: %s\n", verb, err.msg);
        return BV_EXIT_FAIL;
    }
    if (set->expected) {
        size_t bad = 0;
        for (size_t i = 0; i < set->count; i++) {
            if (set->has_expected && !set->has_expected[i])
                continue;
            if (bv_ref_family(set->family)->equal(set->op, set->expected + i * eb, in->expected + i * eb))
                continue;
            char name[128], a[BV_REF_MAX_HEX], b[BV_REF_MAX_HEX];
            bv_vec_name(set, i, name, sizeof name);
            bv_ref_hex_format_slot(set->family, set->op, BV_REF_OUT, set->expected + i * eb, a);
            bv_ref_hex_format_slot(set->family, set->op, BV_REF_OUT, in->expected + i * eb, b);
            if (bad++ < 5)
                fprintf(stderr, "blsvk %s: %s: case %zu (%s): expected %s in the file, the reference says %s\n",
                        verb, o->in, i, name, a, b);
        }
        if (bad) {
            fprintf(stderr, "blsvk %s: %s: %zu expected value%s disagree with the reference; nothing run\n", verb,
                    o->in, bad, bad == 1 ? "" : "s");
            return BV_EXIT_USAGE;
        }
    }
    if (o->bind != BV_ALIAS_NONE && (bv_ref_op_arity(set->op) != 2 || o->mode == BV_MODE_PIPELINED)) {
        fprintf(stderr, "blsvk %s: --bind inplace and samein need a binary op in oneshot or persistent mode\n", verb);
        return BV_EXIT_USAGE;
    }
    return -1;
}

int bv_cli_eval_kernel(const char *verb, const cli_opts *o, cli_eval_input *in)
{
    bv_error err;
    const bv_vec_set *set = in->set;
    int rc = bv_cli_load_kernel_dir(verb, o, &in->user);
    if (rc >= 0)
        return rc;
    in->kernel = in->user ? bv_kernel_set_find(in->user, set->family, set->op, in->limbs)
                          : bv_kernel_builtin(set->family, set->op, in->limbs);
    if (!in->kernel) {
        fprintf(stderr, "blsvk %s: no %s.%s.%s kernel%s%s\n", verb, bv_ref_family_name(set->family),
                bv_ref_op_name(set->op), bv_limbs_name(in->limbs), in->user ? " in " : "",
                in->user ? o->kernel_dir : "");
        return BV_EXIT_USAGE;
    }
    bv_error_clear(&err);
    if (!in->kernel->error && bv_cli_kernel_through(o, in->kernel, &in->kernel, &err)) {
        fprintf(stderr, "blsvk %s: %s%s: %s\n", verb, o->recipe ? "--recipe " : "--passes", o->recipe ? o->recipe : "",
                err.msg);
        return BV_EXIT_FAIL;
    }
    return -1;
}

bv_status bv_cli_kernel_through(const cli_opts *o, const bv_kernel *k, const bv_kernel **out, bv_error *err)
{
    if (!o->passes)
        return bv_kernel_with_recipe(k, o->recipe, o->seed, out, err);
    bv_kernel_passes *p = NULL;
    bv_status st = bv_kernel_passes_parse(o->passes, &p, err);
    if (st == BV_OK)
        st = bv_kernel_with_passes(k, p, bv_kernel_passes_count(p), o->seed, out, err);
    bv_kernel_passes_destroy(p);
    return st;
}

void bv_cli_eval_input_free(cli_eval_input *in)
{
    free(in->expected);
    free(in->got);
    bv_vec_set_destroy(in->set);
    bv_kernel_set_destroy(in->user);
    memset(in, 0, sizeof *in);
}

int bv_cli_eval(int argc, char **argv)
{
    static const struct option lo[] = {LO_EVAL, {0, 0, 0, 0}};
    cli_opts o = {.mode = BV_MODE_PERSISTENT, .seed = 1, .memory = BV_MEMORY_AUTO};
    bv_vk_instance *inst = NULL;
    bv_vk_context *ctx = NULL;
    cli_eval_input in = {0};
    bv_error err;
    int rc = bv_cli_parse_opts("eval", argc, argv, lo, &o, eval_help);
    if (rc >= 0)
        return rc;
    if (!o.in || !o.out) {
        fprintf(stderr, "blsvk eval: --in and --out are required (see blsvk eval --help)\n");
        return BV_EXIT_USAGE;
    }
    if ((rc = bv_cli_eval_input("eval", &o, &in)) >= 0 || (rc = bv_cli_eval_kernel("eval", &o, &in)) >= 0)
        goto out;
    const bv_vec_set *set = in.set;
    const uint8_t *expected = in.expected;
    uint8_t *got = in.got;
    bv_limbs limbs = in.limbs;
    const bv_kernel *k = in.kernel;
    if (k->error) {
        fprintf(stderr, "blsvk eval: %s: %s\n", k->source, k->error);
        rc = BV_EXIT_FAIL;
        goto out;
    }
    rc = bv_cli_open_run_device("eval", &o, &inst, &ctx);
    if (rc >= 0)
        goto out;
    bv_vk_result res;
    bv_run_opts ro = {.memory = o.memory, .chunk_elems = (size_t)o.chunk_elems, .buffers = o.buffers,
                      .alias = o.bind};
    if (bv_run_vectors(ctx, k, set, o.mode, &ro, got, &res, &err)) {
        fprintf(stderr, "blsvk eval: %s\n", err.msg);
        rc = err.status == BV_ERR_UNSUPPORTED ? BV_EXIT_USAGE : BV_EXIT_DEVICE;
        goto out;
    }
    eval_tally t = {.guards_ok = res.canary_ok, .guards = res.canary_msg};
    tally_cases(set, expected, got, &t);
    if (write_eval(o.out, bv_vk_context_device(ctx), set, limbs, o.mode, expected, got, &t, &err)) {
        /* The verdict still stands; the output could not be written, and that is said last. */
        printf("%s: %zu pass, %zu fail%s (%s on %s)\n", o.in, t.pass, t.fail,
               t.guards_ok ? "" : ", guard words damaged", k->name, bv_vk_context_device(ctx)->name);
        fprintf(stderr, "blsvk eval: %s; %s not written\n", err.msg, o.out);
        rc = BV_EXIT_USAGE;
        goto out;
    }
    if (!t.guards_ok)
        fprintf(stderr, "blsvk eval: %s\n", t.guards);
    printf("%s: %zu pass, %zu fail%s (%s on %s)\n", o.in, t.pass, t.fail, t.guards_ok ? "" : ", guard words damaged",
           k->name, bv_vk_context_device(ctx)->name);
    rc = t.fail || !t.guards_ok ? BV_EXIT_FAIL : BV_EXIT_OK;
out:
    bv_cli_eval_input_free(&in);
    bv_vk_context_destroy(ctx);
    bv_vk_instance_destroy(inst);
    return rc;
}
