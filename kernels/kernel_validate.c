/* kernels/kernel_validate.c: checks that a SPIR-V module may reach a driver: the SPIRV-Tools
 * validator for Vulkan 1.1, plus the ABI's demand of a GLCompute entry point "main"; and the
 * capability scan that tells whether a module needs shaderInt64. */
#include <stdio.h>
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
