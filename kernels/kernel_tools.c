/* kernels/kernel_tools.c: the kernels blsvk itself runs to measure a device (kernels/tools/),
 * compiled at run time from their embedded sources with the defines a measurement asks for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels_internal.h"

/* The tool's source with `defines` after its #version line (which must come first). */
static bv_status compile_tool(const char *name, const char *defines, uint32_t **code, size_t *size, bv_error *err)
{
    const bv_kernel_include *t = bv_kernel_include_find(name);
    bv_status st;
    if (!t)
        return bv_error_set(err, BV_ERR_INTERNAL, "tool kernel %s is not built in", name);
    const char *eol = memchr(t->text, '\n', t->len);
    size_t head = eol ? (size_t)(eol - t->text) + 1 : t->len, dl = strlen(defines), n;
    if (bv_size_add(t->len, dl + 1, &n))
        return bv_error_set(err, BV_ERR_OVERFLOW, "tool kernel %s is too large", name);
    char *src = malloc(n);
    if (!src)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    memcpy(src, t->text, head);
    memcpy(src + head, defines, dl);
    memcpy(src + head + dl, t->text + head, t->len - head);
    src[t->len + dl] = '\0';
    st = bv_kernel_compile_glsl(src, NULL, code, size, err);
    free(src);
    if (!st && (st = bv_kernel_validate(*code, *size, err)) != BV_OK) {
        free(*code);
        *code = NULL;
    }
    if (st)
        bv_error_prefix(err, "%s", name);
    return st;
}

bv_status bv_kernel_tool_copy(uint32_t **code, size_t *size, bv_error *err)
{
    return compile_tool("bv_tool_copy.comp", "", code, size, err);
}

bv_status bv_kernel_tool_fma(uint32_t **code, size_t *size, bv_error *err)
{
    return compile_tool("bv_tool_fma.comp", "", code, size, err);
}

bv_status bv_kernel_tool_chain(bv_family f, bv_limbs l, uint32_t chain, uint32_t **code, size_t *size,
                               bv_error *err)
{
    char defines[128];
    if ((unsigned)f >= BV_FAMILY_COUNT || (unsigned)l >= BV_LIMBS_COUNT || chain == 0)
        return bv_error_set(err, BV_ERR_ARG, "bv_kernel_tool_chain: no chain kernel for that variant");
    /* The family's defines, as kernels/CMakeLists.txt's BV_KERNEL_DEFINES_<family>. */
    snprintf(defines, sizeof defines, "%s#define BV_FIELD_%s\n#define BV_LIMBS_%s\n#define BV_CHAIN %u\n",
             f == BV_FAMILY_FP2 ? "#define BV_FAMILY_FP2\n" : "", f == BV_FAMILY_FR ? "FR" : "FP",
             l == BV_LIMBS_U32 ? "U32" : l == BV_LIMBS_U64 ? "U64" : "F64", chain);
    return compile_tool("bv_tool_chain.comp", defines, code, size, err);
}
