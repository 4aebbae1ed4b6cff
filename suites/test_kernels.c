/* suites/test_kernels.c: tests of kernels/: the built-in table (all 32 variants, valid,
 * the same bytes as the installed .spv files), SPIR-V validation, run-time GLSL compilation
 * and the --kernel-dir loader with good, broken and badly named files. Needs
 * BLSVK_BINARY_DIR (set by ctest) to find the built .spv files. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <cmocka.h>

#include "bv_kernels.h"
#include "bv_sha256.h"

/* ---- helpers ---- */

static const char *binary_dir(void)
{
    const char *d = getenv("BLSVK_BINARY_DIR");
    return d && *d ? d : NULL;
}

/* Reads build/kernels/spv/<name>.spv into a malloc'ed buffer; fails the test if missing. */
static uint8_t *read_built_spv(const char *name, size_t *len)
{
    char path[4096];
    char *data = NULL;
    bv_error err;
    snprintf(path, sizeof path, "%s/kernels/spv/%s.spv", binary_dir(), name);
    if (bv_file_read_all(path, &data, len, &err) != BV_OK)
        fail_msg("%s", err.msg);
    return (uint8_t *)data;
}

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void write_text(const char *dir, const char *name, const char *text)
{
    write_file(dir, name, text, strlen(text));
}

/* Whether the module declares OpCapability Int64, scanned independently of the library. */
static bool declares_int64(const uint32_t *w, size_t words)
{
    for (size_t i = 5; i < words && (w[i] >> 16) != 0; i += w[i] >> 16) {
        if ((w[i] & 0xffff) == 17 && (w[i] >> 16) == 2 && w[i + 1] == 11)
            return true;
    }
    return false;
}

/* A fresh, empty folder per test, removed with its files afterwards. */
static int make_tmp_dir(void **state)
{
    char *dir = strdup("/tmp/blsvk-test-kernels-XXXXXX");
    if (!dir || !mkdtemp(dir)) {
        free(dir);
        return -1;
    }
    *state = dir;
    return 0;
}

static int remove_tmp_dir(void **state)
{
    char *dir = *state;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[4096];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
    free(dir);
    return 0;
}

static int need_binary_dir(void **state)
{
    (void)state;
    if (!binary_dir()) {
        fprintf(stderr, "BLSVK_BINARY_DIR is not set: run this test through ctest\n");
        return -1;
    }
    return 0;
}

/* A user kernel in the style of kernels/src/add.comp, built on the built-in includes and on a
 * helper include next to it. The field and limb defines come from its file name. */
static const char good_add_comp[] =
    "/* A user's add kernel. */\n"
    "#version 450\n"
    "#extension GL_GOOGLE_include_directive : require\n"
    "#define BV_BINARY\n"
    "#include \"bv_kernel_head.glsl\"\n"
    "#include \"my_helpers.glsl\"\n"
    "void main()\n"
    "{\n"
    "    uint i;\n"
    "    if (!bv_element(i))\n"
    "        return;\n"
    "    BV_LIMB x[BV_N], y[BV_N], r[BV_N];\n"
    "    bv_load_x(x, i);\n"
    "    bv_load_y(y, i);\n"
    "    my_add(r, x, y);\n"
    "    bv_store(i, r);\n"
    "}\n";

static const char my_helpers_glsl[] =
    "#ifndef MY_HELPERS_GLSL\n"
    "#define MY_HELPERS_GLSL\n"
    "void my_add(out BV_LIMB r[BV_N], BV_LIMB x[BV_N], BV_LIMB y[BV_N])\n"
    "{\n"
    "    bv_add(r, x, y);\n"
    "}\n"
    "#endif\n";

static const char good_sqr_comp[] =
    "#version 450\n"
    "#extension GL_GOOGLE_include_directive : require\n"
    "#include \"bv_kernel_head.glsl\"\n"
    "void main()\n"
    "{\n"
    "    uint i;\n"
    "    if (!bv_element(i))\n"
    "        return;\n"
    "    BV_LIMB x[BV_N], r[BV_N];\n"
    "    bv_load_x(x, i);\n"
    "    bv_mont_sqr(r, x);\n"
    "    bv_store(i, r);\n"
    "}\n";

/* ---- the built-in table ---- */

static void builtin_table_is_complete(void **state)
{
    bv_error err;
    (void)state;
    size_t count = 0;
    assert_int_equal(bv_ref_init(&err), BV_OK);
    for (int f = 0; f < BV_FAMILY_COUNT; f++) {
        for (int op = 0; op < BV_OP_COUNT; op++) {
            for (int l = 0; l < BV_LIMBS_COUNT; l++) {
                const bv_kernel *k = bv_kernel_builtin((bv_family)f, (bv_op)op, (bv_limbs)l);
                char name[64], sha[65];
                /* Exactly the ops of the family's row in the reference's table. */
                if (!bv_ref_family_op((bv_family)f, (bv_op)op)) {
                    assert_null(k);
                    continue;
                }
                /* f64: the field ops made of products only (their arithmetic is what differs), and
                 * Fp2's product, square and inverse. */
                bool f64_op = ((f == BV_FAMILY_FP || f == BV_FAMILY_FR) &&
                               (op == BV_OP_MUL || op == BV_OP_SQR || op == BV_OP_TO_MONT || op == BV_OP_FROM_MONT ||
                                op == BV_OP_INV)) ||
                              (f == BV_FAMILY_FP2 && (op == BV_OP_MUL || op == BV_OP_SQR || op == BV_OP_INV));
                if (l == BV_LIMBS_F64 && !f64_op) {
                    assert_null(k);
                    continue;
                }
                snprintf(name, sizeof name, "%s.%s.%s", bv_ref_family_name((bv_family)f),
                         bv_ref_op_name((bv_op)op), bv_limbs_name((bv_limbs)l));
                assert_non_null(k);
                assert_string_equal(k->name, name);
                assert_int_equal(k->family, f);
                assert_int_equal(k->op, op);
                assert_int_equal(k->limbs, l);
                assert_non_null(k->code);
                assert_true(k->code_size > 20 && k->code_size % 4 == 0);
                assert_int_equal(k->code[0], 0x07230203);
                assert_null(k->error);
                assert_string_equal(k->source, "built-in");
                /* u64 and f64 variants need shaderInt64, f64 doubles and a fused fma as well (what
                 * the module declares and calls agrees); u32 variants need no optional feature. */
                unsigned want = l == BV_LIMBS_U32   ? 0u
                                : l == BV_LIMBS_U64 ? BV_KERNEL_NEEDS_INT64
                                                    : BV_KERNEL_NEEDS_INT64 | BV_KERNEL_NEEDS_FLOAT64 |
                                                          BV_KERNEL_NEEDS_FUSED_FMA64;
                assert_int_equal(k->needs, want);
                assert_int_equal(declares_int64(k->code, k->code_size / 4), l != BV_LIMBS_U32);
                bv_sha256_hex(sha, k->code, k->code_size);
                assert_string_equal(k->sha256, sha);
                count++;
            }
        }
    }
    /* fp and fr: 9 ops each; fp2: 9; g1 and g2: 6 each; two limb widths; and f64's mul, sqr,
     * to_mont, from_mont and inv of fp and fr, and mul, sqr and inv of fp2 */
    assert_int_equal(count, 78 + 10 + 3);
    assert_non_null(bv_kernel_builtin(BV_FAMILY_FP2, BV_OP_MUL_BY_NONRESIDUE, BV_LIMBS_U64));
    assert_non_null(bv_kernel_builtin(BV_FAMILY_FR, BV_OP_INV, BV_LIMBS_U32));
    assert_non_null(bv_kernel_builtin(BV_FAMILY_FP2, BV_OP_INV, BV_LIMBS_U64));
    assert_null(bv_kernel_builtin(BV_FAMILY_FP, BV_OP_CONJ, BV_LIMBS_U32));
    assert_null(bv_kernel_builtin(BV_FAMILY_FP2, BV_OP_TO_MONT, BV_LIMBS_U32));
    assert_null(bv_kernel_builtin(BV_FAMILY_COUNT, BV_OP_ADD, BV_LIMBS_U32));
    assert_null(bv_kernel_builtin(BV_FAMILY_FP, BV_OP_COUNT, BV_LIMBS_U32));
    assert_null(bv_kernel_builtin(BV_FAMILY_FP, BV_OP_ADD, BV_LIMBS_COUNT));
}

static void builtin_modules_validate(void **state)
{
    (void)state;
    for (int f = 0; f < BV_FAMILY_COUNT; f++) {
        for (int op = 0; op < BV_OP_COUNT; op++) {
            for (int l = 0; l < BV_LIMBS_COUNT; l++) {
                const bv_kernel *k = bv_kernel_builtin((bv_family)f, (bv_op)op, (bv_limbs)l);
                bv_error err;
                if (!k)
                    continue;
                bv_error_clear(&err);
                if (bv_kernel_validate(k->code, k->code_size, &err) != BV_OK)
                    fail_msg("%s: %s", k->name, err.msg);
            }
        }
    }
}

/* The embedded bytes are the built (and installed) file's bytes, and the table's SHA-256 is
 * what `sha256sum` prints for that file. */
static void builtin_matches_built_file(void **state)
{
    (void)state;
    for (int f = 0; f < BV_FAMILY_COUNT; f++) {
        for (int op = 0; op < BV_OP_COUNT; op++) {
            for (int l = 0; l < BV_LIMBS_COUNT; l++) {
                const bv_kernel *k = bv_kernel_builtin((bv_family)f, (bv_op)op, (bv_limbs)l);
                size_t len = 0;
                if (!k)
                    continue;
                char sha[65];
                uint8_t *bytes = read_built_spv(k->name, &len);
                assert_int_equal(len, k->code_size);
                assert_memory_equal(bytes, k->code, len);
                bv_sha256_hex(sha, bytes, len);
                assert_string_equal(sha, k->sha256);
                free(bytes);
            }
        }
    }
}

static void limbs_names(void **state)
{
    bv_limbs l;
    (void)state;
    assert_string_equal(bv_limbs_name(BV_LIMBS_U32), "u32");
    assert_string_equal(bv_limbs_name(BV_LIMBS_U64), "u64");
    assert_string_equal(bv_limbs_name(BV_LIMBS_COUNT), "?");
    assert_int_equal(bv_limbs_parse("u64", &l), BV_OK);
    assert_int_equal(l, BV_LIMBS_U64);
    assert_int_equal(bv_limbs_parse("U64", &l), BV_ERR_VALUE);
    assert_int_equal(bv_limbs_parse("u16", &l), BV_ERR_VALUE);
}

static void toolchain_versions(void **state)
{
    (void)state;
    assert_true(strlen(bv_kernel_glslang_version()) > 0);
    assert_string_not_equal(bv_kernel_glslang_version(), "unknown");
    assert_true(strlen(bv_kernel_spirv_tools_version()) > 0);
}

/* ---- validation ---- */

static void validate_rejects_non_spirv(void **state)
{
    bv_error err;
    uint32_t words[8] = {0x07230203, 0x00010300, 0, 1, 0, 0, 0, 0};
    (void)state;
    bv_error_clear(&err);
    assert_int_equal(bv_kernel_validate(words, 18, &err), BV_ERR_SHADER);
    assert_non_null(strstr(err.msg, "18 bytes"));
    assert_int_equal(bv_kernel_validate(words, 16, &err), BV_ERR_SHADER);
    words[0] = 0x03022307;
    assert_int_equal(bv_kernel_validate(words, sizeof words, &err), BV_ERR_SHADER);
    assert_non_null(strstr(err.msg, "magic"));
}

/* Hand-assembled interfaces (words as the SPIR-V specification numbers them): the ABI check
 * reads decorations, types and variables, not whether the module is otherwise valid. */
enum { W_DECORATE = 71, W_MEMBER_DECORATE = 72, W_VARIABLE = 59, W_TYPE_INT = 21, W_TYPE_STRUCT = 30,
       W_TYPE_POINTER = 32 };
#define W_OP(op, len) ((uint32_t)(len) << 16 | (op))

static void check_abi_messages(void **state)
{
    bv_error err;
    (void)state;
    /* Spec id 0 (the workgroup size), an int, a 3-member push-constant block (12 bytes), and a
     * storage buffer at set 0 binding 2 for a unary op. */
    uint32_t m[] = {0x07230203, 0x00010300, 0, 20, 0,
                    W_OP(W_DECORATE, 4), 1, 1, 0,                    /* %1 SpecId 0 */
                    W_OP(W_DECORATE, 4), 5, 34, 0,                   /* %5 DescriptorSet 0 */
                    W_OP(W_DECORATE, 4), 5, 33, 2,                   /* %5 Binding 2 */
                    W_OP(W_MEMBER_DECORATE, 5), 3, 0, 35, 0,         /* %3 member 0 Offset 0 */
                    W_OP(W_MEMBER_DECORATE, 5), 3, 2, 35, 8,         /* %3 member 2 Offset 8 */
                    W_OP(W_TYPE_INT, 4), 2, 32, 0,                   /* %2 uint */
                    W_OP(W_TYPE_STRUCT, 5), 3, 2, 2, 2,              /* %3 { uint, uint, uint } */
                    W_OP(W_TYPE_POINTER, 4), 4, 9, 3,                /* %4 PushConstant pointer to %3 */
                    W_OP(W_VARIABLE, 4), 4, 5, 12,                   /* %5 storage buffer */
                    W_OP(W_VARIABLE, 4), 4, 6, 9};                   /* %6 push constants */
    bv_error_clear(&err);
    assert_int_equal(bv_kernel_check_abi(m, sizeof m, 1, &err), BV_ERR_SHADER);
    assert_non_null(strstr(err.msg, "descriptor set 0, binding 2"));
    assert_int_equal(bv_kernel_check_abi(m, sizeof m, 2, &err), BV_ERR_SHADER);
    assert_non_null(strstr(err.msg, "push-constant block of 12 bytes"));
    m[26] = 4; /* member 2 at offset 4: the block ends at byte 8 */
    assert_int_equal(bv_kernel_check_abi(m, sizeof m, 2, &err), BV_OK);
    m[8] = 1; /* SpecId 1: no workgroup size from constant 0 */
    assert_int_equal(bv_kernel_check_abi(m, sizeof m, 2, &err), BV_ERR_SHADER);
    assert_non_null(strstr(err.msg, "specialization constant 0"));
    m[3] = 0x400000; /* an id bound past SPIR-V's limit */
    assert_int_equal(bv_kernel_check_abi(m, sizeof m, 2, &err), BV_ERR_SHADER);
    assert_non_null(strstr(err.msg, "id bound"));
}

/* A module of many resources is checked in time linear in its size: 200000 decorated variables
 * (a lookup per variable over the whole module would take minutes and trip the test's timeout),
 * the last of them in set 1. */
static void check_abi_is_linear(void **state)
{
    enum { N = 200000 };
    size_t n = 5 + 5 + 4 + 4 * N + 4 * N + 4 * N, k = 0;
    uint32_t *m = malloc(n * sizeof *m);
    bv_error err;
    (void)state;
    assert_non_null(m);
    uint32_t head[] = {0x07230203, 0x00010300, 0, 3 + 2 * N, 0, W_OP(W_DECORATE, 4), 1, 1, 0};
    memcpy(m, head, sizeof head);
    k = sizeof head / sizeof head[0];
    for (uint32_t v = 0; v < N; v++) {
        uint32_t d[] = {W_OP(W_DECORATE, 4), 3 + v, 34, v + 1 == N ? 1u : 0u, W_OP(W_DECORATE, 4), 3 + v, 33, 1};
        memcpy(m + k, d, sizeof d);
        k += 8;
    }
    uint32_t ptr[] = {W_OP(W_TYPE_POINTER, 4), 2, 12, 1};
    memcpy(m + k, ptr, sizeof ptr);
    k += 4;
    for (uint32_t v = 0; v < N; v++) {
        uint32_t var[] = {W_OP(W_VARIABLE, 4), 2, 3 + v, 12};
        memcpy(m + k, var, sizeof var);
        k += 4;
    }
    assert_true(k <= n);
    bv_error_clear(&err);
    assert_int_equal(bv_kernel_check_abi(m, k * sizeof *m, 2, &err), BV_ERR_SHADER);
    assert_non_null(strstr(err.msg, "descriptor set 1, binding 1"));
    free(m);
}

/* A module that passes the validator but whose compute entry point is not called "main". */
static void validate_requires_compute_main(void **state)
{
    const bv_kernel *k = bv_kernel_builtin(BV_FAMILY_FR, BV_OP_NEG, BV_LIMBS_U32);
    bv_error err;
    bool patched = false;
    (void)state;
    uint32_t *code = malloc(k->code_size);
    assert_non_null(code);
    memcpy(code, k->code, k->code_size);
    size_t words = k->code_size / 4;
    for (size_t i = 5; i < words; i += code[i] >> 16) {
        /* OpEntryPoint GLCompute %id "main": the name's first word is "main" in bytes. */
        if ((code[i] & 0xffff) == 15 && code[i + 3] == 0x6e69616d) {
            code[i + 3] = 0x6e69616e; /* "nain" */
            patched = true;
        }
    }
    assert_true(patched);
    bv_error_clear(&err);
    assert_int_equal(bv_kernel_validate(code, k->code_size, &err), BV_ERR_SHADER);
    assert_non_null(strstr(err.msg, "entry point"));
    free(code);
}

/* ---- run-time compilation ---- */

static void compile_reports_missing_include(void **state)
{
    const char *dir = *state;
    char path[4096];
    uint32_t *code = NULL;
    size_t size = 0;
    bv_error err;
    snprintf(path, sizeof path, "%s/fp.add.u32.comp", dir);
    bv_error_clear(&err);
    assert_int_equal(bv_kernel_compile_glsl("#version 450\n#include \"nowhere.glsl\"\n", path,
                                            &code, &size, &err),
                     BV_ERR_SHADER);
    assert_null(code);
    assert_non_null(strstr(err.msg, "nowhere.glsl"));
    assert_non_null(strstr(err.msg, "fp.add.u32.comp:2"));
}

/* An error inside an included user file is reported with that file's name and line. */
static void compile_error_names_included_file(void **state)
{
    const char *dir = *state;
    char path[4096], inc[4096];
    uint32_t *code = NULL;
    size_t size = 0;
    bv_error err;
    write_text(dir, "broken.glsl", "// line 1\nvoid f() { undeclared_thing = 1; }\n");
    snprintf(path, sizeof path, "%s/fr.dbl.u64.comp", dir);
    snprintf(inc, sizeof inc, "%s/broken.glsl:2", dir);
    bv_error_clear(&err);
    assert_int_equal(
        bv_kernel_compile_glsl("#version 450\n#include \"broken.glsl\"\nlayout(local_size_x = 1) "
                               "in;\nvoid main() {}\n",
                               path, &code, &size, &err),
        BV_ERR_SHADER);
    assert_null(code);
    assert_non_null(strstr(err.msg, "undeclared_thing"));
    assert_non_null(strstr(err.msg, inc));
}

/* The same source as a built-in compiles at run time into a module that validates; with the
 * defines taken from the file name. */
static void compile_builtin_source(void **state)
{
    char src_path[4096], path[4096];
    const char *source_dir = getenv("BLSVK_SOURCE_DIR");
    char *source = NULL;
    size_t len = 0;
    uint32_t *code = NULL;
    size_t size = 0;
    bv_error err;
    (void)state;
    if (!source_dir)
        skip();
    snprintf(src_path, sizeof src_path, "%s/kernels/src/mul.comp", source_dir);
    bv_error_clear(&err);
    if (bv_file_read_all(src_path, &source, &len, &err) != BV_OK)
        fail_msg("%s", err.msg);
    /* Not in the source folder: includes must come from the embedded copies. */
    snprintf(path, sizeof path, "/nonexistent/fp.mul.u64.comp");
    if (bv_kernel_compile_glsl(source, path, &code, &size, &err) != BV_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(bv_kernel_validate(code, size, &err), BV_OK);
    assert_true(declares_int64(code, size / 4));
    free(code);
    free(source);
}

/* ---- the --kernel-dir loader ---- */

static void load_good_spv(void **state)
{
    const char *dir = *state;
    size_t len = 0;
    bv_kernel_set *set = NULL;
    bv_error err;
    char path[4096];
    uint8_t *bytes = read_built_spv("fp.mul.u64", &len);
    write_file(dir, "fp.mul.u64.spv", bytes, len);
    free(bytes);

    bv_error_clear(&err);
    if (bv_kernel_set_load(dir, &set, &err) != BV_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(bv_kernel_set_count(set), 1);
    const bv_kernel *k = bv_kernel_set_find(set, BV_FAMILY_FP, BV_OP_MUL, BV_LIMBS_U64);
    assert_non_null(k);
    assert_ptr_equal(k, bv_kernel_set_at(set, 0));
    assert_null(bv_kernel_set_at(set, 1));
    assert_null(bv_kernel_set_find(set, BV_FAMILY_FP, BV_OP_MUL, BV_LIMBS_U32));
    assert_null(k->error);
    assert_string_equal(k->name, "fp.mul.u64");
    snprintf(path, sizeof path, "%s/fp.mul.u64.spv", dir);
    assert_string_equal(k->source, path);
    assert_true(k->needs & BV_KERNEL_NEEDS_INT64);
    assert_string_equal(k->sha256,
                        bv_kernel_builtin(BV_FAMILY_FP, BV_OP_MUL, BV_LIMBS_U64)->sha256);
    bv_kernel_set_destroy(set);
}

/* Kernels that use doubles: one that only converts (needs shaderFloat64) and one that calls fma
 * on doubles (needs the fused fma as well), told apart from the module, as a user's kernel comes. */
static const char double_neg_comp[] =
    "#version 450\n"
    "#extension GL_GOOGLE_include_directive : require\n"
    "#include \"bv_kernel_head.glsl\"\n"
    "void main()\n"
    "{\n"
    "    uint i;\n"
    "    if (!bv_element(i))\n"
    "        return;\n"
    "    BV_LIMB x[BV_N], r[BV_N];\n"
    "    bv_load_x(x, i);\n"
    "    double d = double(x[0]) * double(x[1]);\n"
    "    bv_neg(r, x);\n"
    "    if (d < double(0))\n"
    "        r[0] = 1u;\n"
    "    bv_store(i, r);\n"
    "}\n";

static void needs_doubles_and_fused_fma(void **state)
{
    const char *dir = *state;
    bv_kernel_set *set = NULL;
    bv_error err;
    char fma_src[sizeof double_neg_comp + 64];
    /* The same kernel with its product written as an fma. */
    snprintf(fma_src, sizeof fma_src, "%s", double_neg_comp);
    static const char prod[] = "double(x[0]) * double(x[1])", fma_call[] = "fma(double(x[0]), double(x[1]), double(x[2]))";
    char *at = strstr(fma_src, prod);
    assert_non_null(at);
    memmove(at + strlen(fma_call), at + strlen(prod), strlen(at + strlen(prod)) + 1);
    memcpy(at, fma_call, strlen(fma_call));
    write_text(dir, "fr.neg.u32.comp", double_neg_comp);
    write_text(dir, "fp.neg.u32.comp", fma_src);
    bv_error_clear(&err);
    if (bv_kernel_set_load(dir, &set, &err) != BV_OK)
        fail_msg("%s", err.msg);
    const bv_kernel *plain = bv_kernel_set_find(set, BV_FAMILY_FR, BV_OP_NEG, BV_LIMBS_U32);
    const bv_kernel *fused = bv_kernel_set_find(set, BV_FAMILY_FP, BV_OP_NEG, BV_LIMBS_U32);
    assert_non_null(plain);
    assert_non_null(fused);
    if (plain->error || fused->error)
        fail_msg("%s", plain->error ? plain->error : fused->error);
    assert_int_equal(plain->needs, BV_KERNEL_NEEDS_FLOAT64);
    assert_int_equal(fused->needs, BV_KERNEL_NEEDS_FLOAT64 | BV_KERNEL_NEEDS_FUSED_FMA64);
    /* No built-in u32 kernel needs more than plain compute. */
    assert_int_equal(bv_kernel_builtin(BV_FAMILY_FP, BV_OP_MUL, BV_LIMBS_U32)->needs, 0);
    bv_kernel_set_destroy(set);
}

/* Two guarded headers that include each other (legal: the second inclusion is empty under its
 * guard) load; an unguarded file that includes itself is a cycle, reported with its name. */
static void mutual_includes(void **state)
{
    const char *dir = *state;
    bv_kernel_set *set = NULL;
    bv_error err;
    write_text(dir, "a.glsl", "/* a */\n#ifndef A_GLSL\n#define A_GLSL\n#include \"b.glsl\"\n"
                              "void my_add(out BV_LIMB r[BV_N], BV_LIMB x[BV_N], BV_LIMB y[BV_N]) { my_b(r, x, y); }\n"
                              "#endif\n");
    write_text(dir, "b.glsl", "#ifndef B_GLSL\n#define B_GLSL\n#include \"a.glsl\"\n"
                              "void my_b(out BV_LIMB r[BV_N], BV_LIMB x[BV_N], BV_LIMB y[BV_N]) { bv_add(r, x, y); }\n"
                              "#endif\n");
    write_text(dir, "loop.glsl", "#include \"loop.glsl\"\n");
    char src[sizeof good_add_comp + 16];
    snprintf(src, sizeof src, "%s", good_add_comp);
    char *at = strstr(src, "my_helpers.glsl");
    assert_non_null(at);
    static const char repl[] = "a.glsl\"\n// ...."; /* as long as "my_helpers.glsl" */
    _Static_assert(sizeof repl == sizeof "my_helpers.glsl", "same length");
    memcpy(at, repl, sizeof repl - 1);
    write_text(dir, "fr.add.u32.comp", src);
    write_text(dir, "fp.add.u32.comp", "#version 450\n#include \"loop.glsl\"\nvoid main() {}\n");
    bv_error_clear(&err);
    if (bv_kernel_set_load(dir, &set, &err) != BV_OK)
        fail_msg("%s", err.msg);
    const bv_kernel *good = bv_kernel_set_find(set, BV_FAMILY_FR, BV_OP_ADD, BV_LIMBS_U32);
    const bv_kernel *loop = bv_kernel_set_find(set, BV_FAMILY_FP, BV_OP_ADD, BV_LIMBS_U32);
    assert_non_null(good);
    assert_non_null(loop);
    if (good->error)
        fail_msg("%s", good->error);
    assert_non_null(loop->error);
    assert_non_null(strstr(loop->error, "loop.glsl"));
    assert_non_null(strstr(loop->error, "a cycle?"));
    bv_kernel_set_destroy(set);
}

static void load_good_comp(void **state)
{
    const char *dir = *state;
    bv_kernel_set *set = NULL;
    bv_error err;
    write_text(dir, "fr.add.u32.comp", good_add_comp);
    write_text(dir, "my_helpers.glsl", my_helpers_glsl); /* an include: not a kernel */
    write_text(dir, "fp.sqr.u64.comp", good_sqr_comp);
    write_text(dir, ".hidden", "ignored");

    bv_error_clear(&err);
    if (bv_kernel_set_load(dir, &set, &err) != BV_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(bv_kernel_set_count(set), 2);
    const bv_kernel *add = bv_kernel_set_find(set, BV_FAMILY_FR, BV_OP_ADD, BV_LIMBS_U32);
    const bv_kernel *sqr = bv_kernel_set_find(set, BV_FAMILY_FP, BV_OP_SQR, BV_LIMBS_U64);
    assert_non_null(add);
    assert_non_null(sqr);
    if (add->error)
        fail_msg("%s", add->error);
    if (sqr->error)
        fail_msg("%s", sqr->error);
    assert_non_null(add->code);
    assert_false(add->needs & BV_KERNEL_NEEDS_INT64);
    assert_true(sqr->needs & BV_KERNEL_NEEDS_INT64);
    assert_int_equal(strlen(add->sha256), 64);
    assert_int_equal(bv_kernel_validate(add->code, add->code_size, &err), BV_OK);
    /* Sorted by file name. */
    assert_ptr_equal(bv_kernel_set_at(set, 0), sqr);
    bv_kernel_set_destroy(set);
}

/* A user's Fp2 kernel from GLSL: the file name picks BV_FAMILY_FP2 (and Fp's arithmetic), so
 * the same source serves both limb widths, through the built-in bv_fp2_* helpers. */
static const char good_fp2_mul_comp[] =
    "#version 450\n"
    "#extension GL_GOOGLE_include_directive : require\n"
    "#define BV_BINARY\n"
    "#include \"bv_kernel_head.glsl\"\n"
    "void main()\n"
    "{\n"
    "    uint i;\n"
    "    if (!bv_element(i))\n"
    "        return;\n"
    "    bv_fp2 x, y, r;\n"
    "    bv_fp2_load_x(x, i);\n"
    "    bv_fp2_load_y(y, i);\n"
    "    bv_fp2_mul(r, x, y);\n"
    "    bv_fp2_store(i, r);\n"
    "}\n";

static void load_fp2_comp(void **state)
{
    const char *dir = *state;
    bv_kernel_set *set = NULL;
    bv_error err;
    write_text(dir, "fp2.mul.u32.comp", good_fp2_mul_comp);
    write_text(dir, "fp2.mul.u64.comp", good_fp2_mul_comp);
    bv_error_clear(&err);
    if (bv_kernel_set_load(dir, &set, &err) != BV_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(bv_kernel_set_count(set), 2);
    for (int l = BV_LIMBS_U32; l <= BV_LIMBS_U64; l++) {
        const bv_kernel *k = bv_kernel_set_find(set, BV_FAMILY_FP2, BV_OP_MUL, (bv_limbs)l);
        assert_non_null(k);
        if (k->error)
            fail_msg("%s", k->error);
        assert_string_equal(k->name, l == BV_LIMBS_U32 ? "fp2.mul.u32" : "fp2.mul.u64");
        assert_int_equal((k->needs & BV_KERNEL_NEEDS_INT64) != 0, l == BV_LIMBS_U64);
        assert_int_equal(bv_kernel_validate(k->code, k->code_size, &err), BV_OK);
    }
    bv_kernel_set_destroy(set);
}

static void load_comp_that_does_not_compile(void **state)
{
    const char *dir = *state;
    bv_kernel_set *set = NULL;
    bv_error err;
    write_text(dir, "fp.neg.u32.comp",
               "#version 450\n"
               "#extension GL_GOOGLE_include_directive : require\n"
               "#include \"bv_kernel_head.glsl\"\n"
               "void main()\n"
               "{\n"
               "    no_such_function();\n"
               "}\n");
    bv_error_clear(&err);
    if (bv_kernel_set_load(dir, &set, &err) != BV_OK)
        fail_msg("%s", err.msg);
    const bv_kernel *k = bv_kernel_set_find(set, BV_FAMILY_FP, BV_OP_NEG, BV_LIMBS_U32);
    assert_non_null(k);
    assert_non_null(k->error);
    assert_null(k->code);
    assert_string_equal(k->sha256, "");
    /* glslang's message, pinned on the file and line. */
    assert_non_null(strstr(k->error, "no_such_function"));
    assert_non_null(strstr(k->error, "fp.neg.u32.comp:6"));
    bv_kernel_set_destroy(set);
}

static void load_invalid_spv(void **state)
{
    const char *dir = *state;
    bv_kernel_set *set = NULL;
    bv_error err;
    /* A SPIR-V header and nothing else: right magic, rejected by the validator. */
    const uint32_t header_only[5] = {0x07230203, 0x00010300, 0, 1, 0};
    const uint8_t odd[6] = {0x03, 0x02, 0x23, 0x07, 0, 0};
    const uint32_t not_spirv[6] = {0x464c457f, 0, 0, 0, 0, 0};
    write_file(dir, "fr.mul.u32.spv", header_only, sizeof header_only);
    write_file(dir, "fr.mul.u64.spv", odd, sizeof odd);
    write_file(dir, "fr.sqr.u64.spv", not_spirv, sizeof not_spirv);

    bv_error_clear(&err);
    if (bv_kernel_set_load(dir, &set, &err) != BV_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(bv_kernel_set_count(set), 3);
    const bv_kernel *k = bv_kernel_set_find(set, BV_FAMILY_FR, BV_OP_MUL, BV_LIMBS_U32);
    assert_non_null(k);
    assert_non_null(k->error);
    assert_null(k->code);
    assert_non_null(strstr(k->error, "fr.mul.u32.spv"));
    assert_non_null(strstr(k->error, "SPIR-V validation"));
    k = bv_kernel_set_find(set, BV_FAMILY_FR, BV_OP_MUL, BV_LIMBS_U64);
    assert_non_null(k->error);
    assert_non_null(strstr(k->error, "6 bytes"));
    assert_true(k->needs & BV_KERNEL_NEEDS_INT64);
    k = bv_kernel_set_find(set, BV_FAMILY_FR, BV_OP_SQR, BV_LIMBS_U64);
    assert_non_null(k->error);
    assert_non_null(strstr(k->error, "magic"));
    bv_kernel_set_destroy(set);
}

static void load_rejects_bad_names(void **state)
{
    static const char *const bad[] = {
        "fp.mul.u128.spv", "fq.mul.u32.spv", "fp.div.u32.spv", "fp.mul.u32.txt",
        "fp.mul.spv",      "fp.mul.u32.spv.bak", "README",     "fp..u32.spv",
        /* an op of another family: fp has no conj, fp2 no to_mont */
        "fp.conj.u32.spv", "fp2.to_mont.u64.comp", "fr.mul_by_nonresidue.u32.spv",
    };
    const char *dir = *state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bv_kernel_set *set = NULL;
        bv_error err;
        char path[4096];
        write_text(dir, bad[i], "x");
        bv_error_clear(&err);
        assert_int_equal(bv_kernel_set_load(dir, &set, &err), BV_ERR_VALUE);
        assert_null(set);
        snprintf(path, sizeof path, "%s/%s", dir, bad[i]);
        if (!strstr(err.msg, path))
            fail_msg("%s: message does not name the file: %s", bad[i], err.msg);
        unlink(path);
    }
}

static void load_rejects_duplicates_and_empty(void **state)
{
    const char *dir = *state;
    bv_kernel_set *set = NULL;
    bv_error err;
    size_t len = 0;
    bv_error_clear(&err);
    assert_int_equal(bv_kernel_set_load(dir, &set, &err), BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, "no kernel files"));
    assert_int_equal(bv_kernel_set_load("/nonexistent/blsvk", &set, &err), BV_ERR_IO);
    assert_null(set);

    uint8_t *bytes = read_built_spv("fr.sqr.u32", &len);
    write_file(dir, "fr.sqr.u32.spv", bytes, len);
    free(bytes);
    write_text(dir, "fr.sqr.u32.comp", good_sqr_comp);
    assert_int_equal(bv_kernel_set_load(dir, &set, &err), BV_ERR_VALUE);
    assert_non_null(strstr(err.msg, "fr.sqr.u32.comp"));
    assert_non_null(strstr(err.msg, "fr.sqr.u32.spv"));
    assert_null(set);
}

/* Manifest expressions: precedence, the variables, min, and each error with its reason. The
 * answers are worked by hand. */
static void workload_expressions(void **state)
{
    (void)state;
    bv_workload_vars v = {.n = 1024, .log_n = 10, .s = 3, .wg = 64, .log_wg = 6};
    static const struct {
        const char *text;
        uint64_t want;
    } good[] = {
        {"n / 2", 512},
        {"log_n - s - 1", 6},
        {"1 << s + 1", 16}, /* shifts bind loosest: 1 << (s + 1) */
        {"2 * 3 + 4", 10},
        {"2 * (3 + 4)", 14},
        {"n >> log_n", 1},
        {"min(log_n, log_wg + 1)", 7},
        {"min(3, min(2, 9))", 2},
        {"log_n - min(log_n, log_wg + 1)", 3},
        {"  wg  ", 64},
        {"s + min(log_n, log_wg + 1)", 10},
        {"max(log_n, log_wg + 1)", 10},
        {"max(min(log_n / 2 + 2, 10), min(log_n - 7, 16))", 7},
        {"max (2, 3) + min (5, 4)", 7},
        {"18446744073709551615", UINT64_MAX},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        uint64_t got = 0;
        bv_error err;
        if (bv_kernel_workload_eval(good[i].text, &v, &got, &err))
            fail_msg("'%s': %s", good[i].text, err.msg);
        if (got != good[i].want)
            fail_msg("'%s' = %llu, not %llu", good[i].text, (unsigned long long)got, (unsigned long long)good[i].want);
    }
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"n / (s - s)", "a division by zero"},
        {"s - log_n", "a difference below zero"},
        {"1 << 64", "a shift by 64 or more"},
        {"n << 60", "a left shift overflows 64 bits"},
        {"18446744073709551616", "a number too large"},
        {"n * n * n * n * n * n * n", "a product overflows 64 bits"},
        {"(n + 1", "a '(' without its ')'"},
        {"min(n)", "min takes two arguments"},
        {"max(n, 2", "a 'max(' without its ')'"},
        {"max n", "max without '('"},
        {"n +", "expected a number"},
        {"n 2", "unexpected text"},
        {"nn", "expected a number"},
        {"", "expected a number"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t got = 0;
        bv_error err;
        bv_error_clear(&err);
        assert_int_equal(bv_kernel_workload_eval(bad[i].text, &v, &got, &err), BV_ERR_VALUE);
        if (!strstr(err.msg, bad[i].why))
            fail_msg("'%s': '%s' does not say '%s'", bad[i].text, err.msg, bad[i].why);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builtin_table_is_complete),
        cmocka_unit_test(builtin_modules_validate),
        cmocka_unit_test(builtin_matches_built_file),
        cmocka_unit_test(limbs_names),
        cmocka_unit_test(toolchain_versions),
        cmocka_unit_test(validate_rejects_non_spirv),
        cmocka_unit_test(validate_requires_compute_main),
        cmocka_unit_test(check_abi_messages),
        cmocka_unit_test(check_abi_is_linear),
        cmocka_unit_test_setup_teardown(compile_reports_missing_include, make_tmp_dir,
                                        remove_tmp_dir),
        cmocka_unit_test_setup_teardown(compile_error_names_included_file, make_tmp_dir,
                                        remove_tmp_dir),
        cmocka_unit_test(compile_builtin_source),
        cmocka_unit_test(workload_expressions),
        cmocka_unit_test_setup_teardown(load_good_spv, make_tmp_dir, remove_tmp_dir),
        cmocka_unit_test_setup_teardown(load_good_comp, make_tmp_dir, remove_tmp_dir),
        cmocka_unit_test_setup_teardown(mutual_includes, make_tmp_dir, remove_tmp_dir),
        cmocka_unit_test_setup_teardown(needs_doubles_and_fused_fma, make_tmp_dir, remove_tmp_dir),
        cmocka_unit_test_setup_teardown(load_fp2_comp, make_tmp_dir, remove_tmp_dir),
        cmocka_unit_test_setup_teardown(load_comp_that_does_not_compile, make_tmp_dir,
                                        remove_tmp_dir),
        cmocka_unit_test_setup_teardown(load_invalid_spv, make_tmp_dir, remove_tmp_dir),
        cmocka_unit_test_setup_teardown(load_rejects_bad_names, make_tmp_dir, remove_tmp_dir),
        cmocka_unit_test_setup_teardown(load_rejects_duplicates_and_empty, make_tmp_dir,
                                        remove_tmp_dir),
    };
    return cmocka_run_group_tests_name("kernels", tests, need_binary_dir, NULL);
}
