/* reference/ref_family.c: the family table (each family's ops, element sizes, equality,
 * comparison, input check and reference arithmetic: Fp and Fr over ref_ops.c, Fp2 over
 * ref_fp2.c, G1 and G2 over ref_curve.c), what is read from it by slot (sizes, canonical
 * checks, descriptions), and bv_ref_init, which derives the constants and readies the
 * arithmetic the table points to and the NTT's roots of unity (ref_ntt.c). */
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

/* G1 and G2: Jacobian points in and out (144 / 288 bytes), madd's y affine (96 / 192), smul's y
 * a 32-byte scalar, to_affine's output affine. add carries the SUM tag (the recipe cases'
 * addition). dbl carries the PRODUCT tag: it is the curve's chained op (a scalar
 * multiplication is a chain of doublings, so bench chains it as it chains a field's product),
 * and unlike madd or smul its output can be fed back as its input. */
#define CURVE_OPS(j, a)                                                                     \
    {                                                                                       \
        {BV_OP_ADD, 2, {j, j}, j, BV_REF_TAG_SUM},                                          \
        {BV_OP_DBL, 1, {j, 0}, j, BV_REF_TAG_PRODUCT},                                      \
        {BV_OP_MADD, 2, {j, a}, j, 0},                                                      \
        {BV_OP_NEG, 1, {j, 0}, j, 0},                                                       \
        {BV_OP_SMUL, 2, {j, BV_REF_SCALAR_BYTES}, j, 0},                                    \
        {BV_OP_TO_AFFINE, 1, {j, 0}, a, 0},                                                 \
    }
static const bv_ref_op_info g1_ops[] = CURVE_OPS(144, 96);
static const bv_ref_op_info g2_ops[] = CURVE_OPS(288, 192);

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
    }                                                                                       \
    static bv_ref_verdict pre##_compare(bv_op op, const uint8_t *got, const uint8_t *exp)   \
    {                                                                                       \
        return exact_compare(F, op, got, exp);                                              \
    }

/* Fields and Fp2 compare exactly: not canonical when a word is not below the modulus (for Fp2
 * either coordinate), else same or wrong by bytes. */
static bv_ref_verdict exact_compare(bv_family f, bv_op op, const uint8_t *got,
                                    const uint8_t *expected)
{
    (void)op;
    if (!bv_ref_is_canonical(f, got))
        return BV_REF_NOT_CANONICAL;
    return memcmp(got, expected, bv_ref_family_bytes(f)) == 0 ? BV_REF_SAME : BV_REF_WRONG;
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

static bv_ref_verdict fp2_compare(bv_op op, const uint8_t *got, const uint8_t *expected)
{
    return exact_compare(BV_FAMILY_FP2, op, got, expected);
}

/* G1 and G2: thin entry points over ref_curve.c, which takes the family. */
#define CURVE_ENTRY_POINTS(pre, F)                                                          \
    static bool pre##_equal(bv_op op, const uint8_t *a, const uint8_t *b)                   \
    {                                                                                       \
        return bv_ref_curve_equal(F, op, a, b);                                             \
    }                                                                                       \
    static bv_ref_verdict pre##_compare(bv_op op, const uint8_t *got, const uint8_t *exp)   \
    {                                                                                       \
        return bv_ref_curve_compare(F, op, got, exp);                                       \
    }                                                                                       \
    static bool pre##_valid_input(bv_op op, unsigned input, const uint8_t *x)               \
    {                                                                                       \
        return bv_ref_curve_valid_input(F, op, input, x);                                   \
    }                                                                                       \
    static void pre##_apply(bv_op op, uint8_t *out, const uint8_t *x, const uint8_t *y)     \
    {                                                                                       \
        bv_ref_curve_op(F, op, out, x, y);                                                  \
    }

CURVE_ENTRY_POINTS(g1, BV_FAMILY_G1)
CURVE_ENTRY_POINTS(g2, BV_FAMILY_G2)

#define FAMILY(F, nm, base_, parts_, points_, ops_, pre)                                    \
    [F] = {.family = F, .name = nm, .base = base_, .parts = parts_, .points = points_,       \
           .nops = sizeof ops_ / sizeof ops_[0], .ops = ops_, .equal = pre##_equal,           \
           .compare = pre##_compare, .valid_input = pre##_valid_input, .apply = pre##_apply}

static const bv_ref_family_info families[] = {
    FAMILY(BV_FAMILY_FP, "fp", BV_FAMILY_FP, 1, false, fp_ops, fp),
    FAMILY(BV_FAMILY_FR, "fr", BV_FAMILY_FR, 1, false, fr_ops, fr),
    FAMILY(BV_FAMILY_FP2, "fp2", BV_FAMILY_FP, 2, false, fp2_ops, fp2),
    FAMILY(BV_FAMILY_G1, "g1", BV_FAMILY_FP, 3, true, g1_ops, g1),
    FAMILY(BV_FAMILY_G2, "g2", BV_FAMILY_FP, 6, true, g2_ops, g2),
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
    if (bv_ref_curve_setup(&init_error) != BV_OK)
        return;
    if (bv_ref_ntt_setup(&init_error) != BV_OK)
        return;
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

static const char *const verdict_names[] = {
    [BV_REF_SAME] = "same",
    [BV_REF_WRONG] = "wrong value",
    [BV_REF_NOT_CANONICAL] = "not canonical",
    [BV_REF_OFF_CURVE] = "not on the curve",
};
_Static_assert(sizeof verdict_names / sizeof verdict_names[0] == BV_REF_VERDICT_COUNT,
               "verdict_names must have one entry per bv_ref_verdict");

const char *bv_ref_verdict_name(bv_ref_verdict v)
{
    return (unsigned)v < BV_REF_VERDICT_COUNT ? verdict_names[v] : "unknown";
}

size_t bv_ref_slot_bytes(bv_family f, bv_op op, unsigned which)
{
    const bv_ref_op_info *info = bv_ref_family_op(f, op);
    if (!info || which > BV_REF_OUT)
        return 0;
    return which == BV_REF_OUT ? info->out_bytes : info->in_bytes[which];
}

bool bv_ref_slot_canonical(bv_family f, bv_op op, unsigned which, const uint8_t *v)
{
    if (!bv_ref_slot_bytes(f, op, which))
        return false;
    if (bv_ref_is_curve(f))
        return bv_ref_curve_slot_canonical(f, op, which, v);
    return bv_ref_is_canonical(f, v);
}

bool bv_ref_curve_generator(bv_family f, uint8_t *out)
{
    if (!bv_ref_is_curve(f) || !init_ok)
        return false;
    memcpy(out, bv_ref_curve_generator_bytes(f), bv_ref_family_bytes(f));
    return true;
}
