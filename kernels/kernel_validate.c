/* kernels/kernel_validate.c: checks that a SPIR-V module may reach a driver: the SPIRV-Tools
 * validator for Vulkan 1.1, plus the ABI's demand of a GLCompute entry point "main"; and the
 * scan that tells what a module needs of a device (shaderInt64, shaderFloat64, a fused fma). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Include libspirv.h in this one file only: in C, its kDefaultMaxIdBound is a definition, so
 * a second including file would make the link fail with a duplicate symbol. */
#include <spirv-tools/libspirv.h>

#include "kernels_internal.h"

/* The few SPIR-V enumerants needed here (SPIR-V specification, section 3), written out so
 * that the SPIRV-Headers package is not a dependency. */
enum {
    SPV_MAGIC = 0x07230203,
    SPV_HEADER_WORDS = 5,
    SPV_OP_ENTRY_POINT = 15,
    SPV_OP_CAPABILITY = 17,
    SPV_EXECUTION_MODEL_GL_COMPUTE = 5,
    SPV_CAPABILITY_INT64 = 11,
    SPV_CAPABILITY_FLOAT64 = 10,
    SPV_OP_EXT_INST_IMPORT = 11,
    SPV_OP_EXT_INST = 12,
    SPV_OP_TYPE_FLOAT = 22,
    SPV_OP_TYPE_VECTOR = 23,
    SPV_GLSL_STD_450_FMA = 50,
};

/* Whether visit() returns true for any instruction after the header; false too at a
 * malformed word count (which the validator rejects anyway). */
static bool spirv_any(const uint32_t *code, size_t words,
                      bool (*visit)(const uint32_t *inst, uint32_t count))
{
    size_t i = SPV_HEADER_WORDS;
    while (i < words) {
        uint32_t count = code[i] >> 16;
        if (count == 0 || count > words - i)
            return false;
        if (visit(&code[i], count))
            return true;
        i += count;
    }
    return false;
}

/* A SPIR-V literal string: bytes packed into words lowest-order octet first, NUL-terminated. */
static bool literal_equals(const uint32_t *words, uint32_t nwords, const char *want)
{
    size_t n = strlen(want);
    for (size_t b = 0; b <= n; b++) {
        if (b / 4 >= nwords)
            return false;
        char c = (char)((words[b / 4] >> (8 * (b % 4))) & 0xff);
        if (c != (b < n ? want[b] : '\0'))
            return false;
    }
    return true;
}

static bool is_compute_main(const uint32_t *inst, uint32_t count)
{
    /* OpEntryPoint <execution model> <function id> <name> <interface ids...> */
    return (inst[0] & 0xffff) == SPV_OP_ENTRY_POINT && count >= 4 &&
           inst[1] == SPV_EXECUTION_MODEL_GL_COMPUTE && literal_equals(&inst[3], count - 3, "main");
}

static bool is_int64_capability(const uint32_t *inst, uint32_t count)
{
    return (inst[0] & 0xffff) == SPV_OP_CAPABILITY && count == 2 &&
           inst[1] == SPV_CAPABILITY_INT64;
}

bool bv_kernel_spirv_uses_int64(const uint32_t *code, size_t size)
{
    return code && size % 4 == 0 && spirv_any(code, size / 4, is_int64_capability);
}

unsigned bv_kernel_spirv_needs(const uint32_t *code, size_t size)
{
    if (!code || size % 4 || size / 4 < SPV_HEADER_WORDS)
        return 0;
    size_t words = size / 4;
    uint32_t bound = code[3];
    unsigned needs = 0;
    /* Ids of 64-bit float scalar and vector types, and of the GLSL.std.450 import: an Fma on
     * doubles is an OpExtInst of that set, instruction 50, with such a result type. Ids past the
     * bound (a malformed module) are ignored; the validator refuses such a module anyway. */
    uint8_t *f64 = bound && bound <= (1u << 22) ? calloc(bound, 1) : NULL;
    uint32_t glsl = 0;
    for (size_t i = SPV_HEADER_WORDS; i < words;) {
        const uint32_t *in = &code[i];
        uint32_t count = in[0] >> 16, op = in[0] & 0xffff;
        if (count == 0 || count > words - i)
            break;
        if (op == SPV_OP_CAPABILITY && count == 2 && in[1] == SPV_CAPABILITY_INT64)
            needs |= BV_KERNEL_NEEDS_INT64;
        else if (op == SPV_OP_CAPABILITY && count == 2 && in[1] == SPV_CAPABILITY_FLOAT64)
            needs |= BV_KERNEL_NEEDS_FLOAT64;
        else if (op == SPV_OP_EXT_INST_IMPORT && count >= 3 && literal_equals(&in[2], count - 2, "GLSL.std.450"))
            glsl = in[1];
        else if (f64 && op == SPV_OP_TYPE_FLOAT && count == 3 && in[2] == 64 && in[1] < bound)
            f64[in[1]] = 1;
        else if (f64 && op == SPV_OP_TYPE_VECTOR && count == 4 && in[1] < bound && in[2] < bound && f64[in[2]])
            f64[in[1]] = 1;
        else if (f64 && op == SPV_OP_EXT_INST && count >= 5 && glsl && in[3] == glsl &&
                 in[4] == SPV_GLSL_STD_450_FMA && in[1] < bound && f64[in[1]])
            needs |= BV_KERNEL_NEEDS_FUSED_FMA64;
        i += count;
    }
    free(f64);
    return needs;
}

bv_status bv_kernel_validate(const uint32_t *code, size_t size, bv_error *err)
{
    bv_status st = BV_OK;
    spv_context ctx = NULL;
    spv_diagnostic diag = NULL;

    if (!code)
        return bv_error_set(err, BV_ERR_ARG, "bv_kernel_validate: no code");
    if (size % 4 != 0 || size < SPV_HEADER_WORDS * 4)
        return bv_error_set(err, BV_ERR_SHADER,
                            "not a SPIR-V module: %zu bytes is not a whole number of 32-bit "
                            "words holding at least the 5-word header",
                            size);
    if (code[0] != SPV_MAGIC)
        return bv_error_set(err, BV_ERR_SHADER,
                            "not a SPIR-V module: first word 0x%08x is not the magic number "
                            "0x%08x (in this machine's byte order)",
                            (unsigned)code[0], (unsigned)SPV_MAGIC);

    ctx = spvContextCreate(SPV_ENV_VULKAN_1_1);
    if (!ctx) {
        st = bv_error_set(err, BV_ERR_NOMEM, "spvContextCreate failed");
        goto fail;
    }
    if (spvValidateBinary(ctx, code, size / 4, &diag) != SPV_SUCCESS) {
        st = bv_error_set(err, BV_ERR_SHADER, "SPIR-V validation (Vulkan 1.1) failed at word %zu: %s",
                          diag ? diag->position.index : (size_t)0,
                          diag && diag->error ? diag->error : "no message from the validator");
        goto fail;
    }
    if (!spirv_any(code, size / 4, is_compute_main)) {
        st = bv_error_set(err, BV_ERR_SHADER,
                          "the module has no compute entry point \"main\" "
                          "(OpEntryPoint GLCompute \"main\")");
        goto fail;
    }

fail:
    spvDiagnosticDestroy(diag);
    spvContextDestroy(ctx);
    return st;
}

const char *bv_kernel_spirv_tools_version(void)
{
    return spvSoftwareVersionString();
}
