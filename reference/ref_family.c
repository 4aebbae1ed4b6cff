/* reference/ref_family.c: the family table (each family's ops, element sizes, equality,
 * input check and reference arithmetic: Fp and Fr over ref_ops.c, Fp2 over ref_fp2.c) and
 * bv_ref_init, which derives the constants and readies the arithmetic the table points to. */
#include "ref_internal.h"

#include <pthread.h>
#include <string.h>

/* A field's ops in case-list order; `b` is the element size, the same for every input
 * and output. Arities repeat bv_ref_op_arity's table, which test_ref checks. */
#define FIELD_OPS(b)                                                                        \
    {                                                                                       \
        {BV_OP_ADD, 2, {b, b}, b, BV_REF_TAG_SUM}, {BV_OP_SUB, 2, {b, b}, b, 0},            \
        {BV_OP_NEG, 1, {b, 0}, b, 0},              {BV_OP_DBL, 1, {b, 0}, b, 0},            \
        {BV_OP_MUL, 2, {b, b}, b, BV_REF_TAG_PRODUCT}, {BV_OP_SQR, 1, {b, 0}, b, 0},        \
        {BV_OP_TO_MONT, 1, {b, 0}, b, 0},          {BV_OP_FROM_MONT, 1, {b, 0}, b, 0},      \
        {BV_OP_INV, 1, {b, 0}, b, 0},                                                       \
    }

static const bv_ref_op_info fp_ops[] = FIELD_OPS(48);
static const bv_ref_op_info fr_ops[] = FIELD_OPS(32);
#define NFIELD_OPS (sizeof fp_ops / sizeof fp_ops[0])
_Static_assert(NFIELD_OPS == BV_OP_FROM_MONT + 2, "a field lists the ops add to from_mont, and inv");

/* Fp2's ops: elements of 96 bytes (c0 then c1) in and out. No to_mont/from_mont: they are
 * Fp's ops applied to each coordinate. */
static const bv_ref_op_info fp2_ops[] = {
    {BV_OP_ADD, 2, {96, 96}, 96, BV_REF_TAG_SUM},
    {BV_OP_SUB, 2, {96, 96}, 96, 0},
    {BV_OP_NEG, 1, {96, 0}, 96, 0},
    {BV_OP_DBL, 1, {96, 0}, 96, 0},
    {BV_OP_MUL, 2, {96, 96}, 96, BV_REF_TAG_PRODUCT},
    {BV_OP_SQR, 1, {96, 0}, 96, 0},
    {BV_OP_CONJ, 1, {96, 0}, 96, 0},
    {BV_OP_MUL_BY_NONRESIDUE, 1, {96, 0}, 96, 0},
    {BV_OP_INV, 1, {96, 0}, 96, 0},
};

/* The table's functions take no family, so each field gets its own thin entry points;
 * the macro writes them once for both, over the field code in ref_ops.c and ref_const.c. */
#define FIELD_ENTRY_POINTS(pre, F)                                                          \
    static bool pre##_equal(bv_op op, const uint8_t *a, const uint8_t *b)                   \
    {                                                                                       \
        (void)op;                                                                           \
        return memcmp(a, b, bv_ref_family_bytes(F)) == 0;                                   \
    }                                                                                       \
    static bool pre##_valid_input(bv_op op, unsigned input, const uint8_t *x)               \
    {                                                                                       \
        (void)op;                                                                           \
        (void)input;                                                                        \
        return bv_ref_is_canonical(F, x);                                                   \
    }                                                                                       \
    static void pre##_apply(bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y)     \
    {                                                                                       \
        bv_ref_field_op(F, op, out, x, y);                                                  \
    }

FIELD_ENTRY_POINTS(fp, BV_FAMILY_FP)
FIELD_ENTRY_POINTS(fr, BV_FAMILY_FR)

/* Fp2 compares exactly too: an output is canonical when each coordinate is below p. */
static bool fp2_equal(bv_op op, const uint8_t *a, const uint8_t *b)
{
    (void)op;
    return memcmp(a, b, 96) == 0;
}

static bool fp2_valid_input(bv_op op, unsigned input, const uint8_t *x)
{
    (void)op;
    (void)input;
    return bv_ref_is_canonical(BV_FAMILY_FP2, x);
}

static void fp2_apply(bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y)
{
    bv_ref_fp2_op(op, out, x, y);
}

#define FAMILY(F, nm, base_, parts_, ops_, pre)                                             \
    [F] = {.family = F, .name = nm, .base = base_, .parts = parts_,                         \
           .nops = sizeof ops_ / sizeof ops_[0], .ops = ops_, .equal = pre##_equal,           \
           .valid_input = pre##_valid_input, .apply = pre##_apply}

static const bv_ref_family_info families[] = {
    FAMILY(BV_FAMILY_FP, "fp", BV_FAMILY_FP, 1, fp_ops, fp),
    FAMILY(BV_FAMILY_FR, "fr", BV_FAMILY_FR, 1, fr_ops, fr),
    FAMILY(BV_FAMILY_FP2, "fp2", BV_FAMILY_FP, 2, fp2_ops, fp2),
};
_Static_assert(sizeof families / sizeof families[0] == BV_FAMILY_COUNT,
               "families must have one entry per bv_family");

static pthread_once_t init_control = PTHREAD_ONCE_INIT;
static bv_error init_error;
static bool init_ok;

static void init_once(void)
{
    bv_error_clear(&init_error);
    if (bv_ref_const_derive(&init_error) != BV_OK)
        return;
    bv_ref_ops_setup();
    bv_ref_fp2_setup();
    init_ok = true;
}

bv_status bv_ref_init(bv_error *err)
{
    pthread_once(&init_control, init_once);
    if (init_ok)
        return BV_OK;
    /* A failure is permanent (the constants are compiled in), so every caller gets it. */
    return bv_error_set(err, init_error.status, "%s", init_error.msg);
}

bool bv_ref_ready(void)
{
    return init_ok;
}

const bv_ref_constants *bv_ref_constants_get(bv_family f)
{
    if (!bv_ref_is_field(f) || !init_ok)
        return NULL;
    return bv_ref_const(f);
}

const bv_ref_family_info *bv_ref_family(bv_family f)
{
    if (!bv_ref_field_valid(f) || !init_ok)
        return NULL;
    return &families[f];
}

const bv_ref_op_info *bv_ref_family_op(bv_family f, bv_op op)
{
    const bv_ref_family_info *fam = bv_ref_family(f);
    for (size_t i = 0; fam && i < fam->nops; i++) {
        if (fam->ops[i].op == op)
            return &fam->ops[i];
    }
    return NULL;
}

void bv_ref_op(bv_family f, bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y)
{
    const bv_ref_family_info *fam = bv_ref_family(f);
    /* There is no status to return; bv_ref_batch reports these errors instead. */
    if (fam)
        fam->apply(op, out, x, y);
}
