/* reference/ref_family.c: the family table (each family's ops, element sizes, equality,
 * input check and reference arithmetic) and bv_ref_init, which derives the constants
 * and readies the arithmetic the table points to. */
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
    }

static const bv_ref_op_info fp_ops[] = FIELD_OPS(48);
static const bv_ref_op_info fr_ops[] = FIELD_OPS(32);
_Static_assert(sizeof fp_ops / sizeof fp_ops[0] == BV_OP_COUNT, "fp lists every op");
_Static_assert(sizeof fr_ops / sizeof fr_ops[0] == BV_OP_COUNT, "fr lists every op");

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

static const bv_ref_family_info families[] = {
    [BV_FAMILY_FP] = {BV_FAMILY_FP, "fp", BV_OP_COUNT, fp_ops, fp_equal, fp_valid_input, fp_apply},
    [BV_FAMILY_FR] = {BV_FAMILY_FR, "fr", BV_OP_COUNT, fr_ops, fr_equal, fr_valid_input, fr_apply},
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
    if (!bv_ref_field_valid(f) || !init_ok)
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
