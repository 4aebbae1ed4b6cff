/* kernels/kernel_table.c: the built-in kernel table (generated into bv_kernels_builtin.c),
 * limb-width names and the shader toolchain's versions. */
#include <string.h>

#if defined(__has_include)
#if __has_include(<glslang/build_info.h>)
#include <glslang/build_info.h>
#endif
#endif

#include "kernels_internal.h"

const bv_kernel *bv_kernel_builtin(bv_family f, bv_op op, bv_limbs l)
{
    for (size_t i = 0; i < bv_builtin_kernel_count; i++) {
        const bv_kernel *k = &bv_builtin_kernels[i];
        if (k->family == f && k->op == op && k->limbs == l)
            return k;
    }
    return NULL;
}

const bv_kernel_include *bv_kernel_include_find(const char *name)
{
    for (size_t i = 0; i < bv_builtin_include_count; i++) {
        if (strcmp(bv_builtin_includes[i].name, name) == 0)
            return &bv_builtin_includes[i];
    }
    return NULL;
}

bv_status bv_kernel_file_name_parse(const char *name, bv_family *f, bv_op *op, bv_limbs *l,
                                    bv_kernel_file_kind *kind)
{
    char parts[4][32];
    const char *p = name;
    /* Exactly four dot-separated parts, none empty or longer than any valid one. */
    for (int n = 0; n < 4; n++) {
        const char *dot = strchr(p, '.');
        if ((n < 3) != (dot != NULL))
            return BV_ERR_VALUE;
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (len == 0 || len >= sizeof parts[0])
            return BV_ERR_VALUE;
        memcpy(parts[n], p, len);
        parts[n][len] = '\0';
        p = dot ? dot + 1 : p + len;
    }
    if (bv_ref_family_parse(parts[0], f) != BV_OK || bv_ref_op_parse(parts[1], op) != BV_OK ||
        bv_limbs_parse(parts[2], l) != BV_OK)
        return BV_ERR_VALUE;
    /* Only the family's own ops: there is no fp.conj or fp2.to_mont. The family table needs
     * bv_ref_init, which is idempotent and cheap once done. */
    if (bv_ref_init(NULL) != BV_OK || !bv_ref_family_op(*f, *op))
        return BV_ERR_VALUE;
    if (strcmp(parts[3], "spv") == 0)
        *kind = BV_KERNEL_FILE_SPV;
    else if (strcmp(parts[3], "comp") == 0)
        *kind = BV_KERNEL_FILE_COMP;
    else
        return BV_ERR_VALUE;
    return BV_OK;
}

bv_status bv_kernel_manifest_name_parse(const char *name, bv_family *f, bv_op *op, char *wname, size_t wname_size)
{
    size_t len = strlen(name);
    if (len <= 5 || strcmp(name + len - 5, ".json") != 0 || len - 5 >= wname_size)
        return BV_ERR_VALUE;
    snprintf(wname, wname_size, "%.*s", (int)(len - 5), name);
    char *dot = strchr(wname, '.');
    if (!dot)
        return BV_ERR_VALUE;
    *dot = '\0';
    bool ok = bv_ref_family_parse(wname, f) == BV_OK && bv_ref_op_parse(dot + 1, op) == BV_OK &&
              bv_ref_op_is_workload(*op) && bv_ref_workload_family(*op) == *f;
    *dot = '.';
    return ok ? BV_OK : BV_ERR_VALUE;
}

#define BV_STR_(x) #x
#define BV_STR(x) BV_STR_(x)

const char *bv_kernel_glslang_version(void)
{
    /* The C interface has no version query; the headers' build_info.h, where installed, is
     * what the library was built from; else the version of CMake's glslang package. */
#if defined(GLSLANG_VERSION_MAJOR)
    return BV_STR(GLSLANG_VERSION_MAJOR) "." BV_STR(GLSLANG_VERSION_MINOR) "." BV_STR(
        GLSLANG_VERSION_PATCH) GLSLANG_VERSION_FLAVOR;
#elif defined(BV_GLSLANG_PACKAGE_VERSION)
    return BV_GLSLANG_PACKAGE_VERSION;
#else
    return "unknown";
#endif
}
