/* kernels/kernel_set.c: loads a user's --kernel-dir: every <field>.<op>.<limbs>.spv or .comp
 * in it, compiled (.comp) and validated, each kept as an entry even when it fails, so that
 * its cases fail with the compiler's or validator's message while the run goes on. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bv_sha256.h"
#include "kernels_internal.h"

/* The set owns every entry's code and error string. */
struct bv_kernel_set {
    bv_kernel *items;
    size_t count;
};

void bv_kernel_set_destroy(bv_kernel_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->count; i++) {
        free((void *)set->items[i].code);
        free((void *)set->items[i].error);
    }
    free(set->items);
    free(set);
}

size_t bv_kernel_set_count(const bv_kernel_set *set)
{
    return set ? set->count : 0;
}

const bv_kernel *bv_kernel_set_at(const bv_kernel_set *set, size_t i)
{
    return set && i < set->count ? &set->items[i] : NULL;
}

const bv_kernel *bv_kernel_set_find(const bv_kernel_set *set, bv_family f, bv_op op, bv_limbs l)
{
    for (size_t i = 0; set && i < set->count; i++) {
        const bv_kernel *k = &set->items[i];
        if (k->family == f && k->op == op && k->limbs == l)
            return k;
    }
    return NULL;
}

/* Files in a kernel folder that are not kernels and not mistakes: hidden files, and .glsl
 * include files that the kernels #include. */
static bool ignored_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] == '.' || (n > 5 && strcmp(name + n - 5, ".glsl") == 0);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names of the folder's candidate kernel files (directories and ignored names left
 * out), so that entries come in the same order on every run. */
static bv_status list_files(const char *dir, char ***names_out, size_t *count_out, bv_error *err)
{
    bv_status st = BV_OK;
    DIR *d = NULL;
    char **names = NULL;
    size_t count = 0, cap = 0;
    char path[4096];

    d = opendir(dir);
    if (!d) {
        st = bv_error_set(err, BV_ERR_IO, "%s: cannot open kernel folder: %s", dir, strerror(errno));
        goto fail;
    }
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            if (errno) {
                st = bv_error_set(err, BV_ERR_IO, "%s: cannot read kernel folder: %s", dir,
                                  strerror(errno));
                goto fail;
            }
            break;
        }
        if (ignored_name(e->d_name))
            continue;
        struct stat sb;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path) {
            st = bv_error_set(err, BV_ERR_ARG, "%s/%s: path too long", dir, e->d_name);
            goto fail;
        }
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            continue;
        if ((st = bv_array_reserve(&names, &cap, count + 1, sizeof *names, err)) != BV_OK)
            goto fail;
        if (!(names[count] = strdup(e->d_name))) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        count++;
    }
    if (count > 0)
        qsort(names, count, sizeof *names, compare_names);
    *names_out = names;
    *count_out = count;
    names = NULL;
    count = 0;

fail:
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    if (d)
        closedir(d);
    return st;
}

/* Fills k from the file at path. A module that does not compile or validate is not an error
 * here: it becomes k->error. Only what stops the whole load (memory, unreadable file) is. */
static bv_status load_one(bv_kernel *k, const char *path, bv_kernel_file_kind kind, bv_error *err)
{
    bv_status st = BV_OK;
    bv_status module_st = BV_OK; /* the module's own verdict, reported through k->error */
    char *data = NULL;
    size_t len = 0;
    uint32_t *code = NULL;
    size_t size = 0;
    bv_error why;

    bv_error_clear(&why);
    if ((st = bv_file_read(path, BV_KERNEL_MAX_FILE_BYTES, 0, "a kernel file", &data, &len, err)) != BV_OK)
        goto fail;
    if (kind == BV_KERNEL_FILE_COMP) {
        module_st = bv_kernel_compile_glsl(data, path, &code, &size, &why);
    } else {
        /* bv_file_read_all's buffer comes from malloc: aligned for uint32_t. */
        code = (uint32_t *)(void *)data;
        size = len;
        data = NULL;
    }
    if (module_st == BV_OK && (module_st = bv_kernel_validate(code, size, &why)) != BV_OK)
        bv_error_prefix(&why, "%s", path);
    if (module_st == BV_OK && (module_st = bv_kernel_check_abi(code, size, bv_ref_op_arity(k->op), &why)) != BV_OK)
        bv_error_prefix(&why, "%s", path);
    if (module_st == BV_ERR_NOMEM) {
        st = bv_error_set(err, BV_ERR_NOMEM, "%s", why.msg);
        goto fail;
    }

    if (module_st != BV_OK) {
        if (!(k->error = strdup(why.msg))) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        /* Unknown for a module that never became valid; the variant's limb width says what
         * it would have needed. */
        k->needs = k->limbs == BV_LIMBS_U64 ? BV_KERNEL_NEEDS_INT64 : 0;
    } else {
        k->code = code;
        k->code_size = size;
        k->needs = bv_kernel_spirv_needs(code, size);
        bv_sha256_hex(k->sha256, code, size);
        code = NULL;
    }

fail:
    free(code);
    free(data);
    return st;
}

bv_status bv_kernel_set_load(const char *dir, bv_kernel_set **out, bv_error *err)
{
    bv_status st = BV_OK;
    bv_kernel_set *set = NULL;
    char **names = NULL;
    size_t count = 0;
    bv_workload *wls[8] = {0}; /* the folder's workload manifests */
    size_t nwl = 0;

    if (!dir || !out)
        return bv_error_set(err, BV_ERR_ARG, "bv_kernel_set_load: missing argument");
    *out = NULL;
    if ((st = list_files(dir, &names, &count, err)) != BV_OK)
        goto fail;
    if (count == 0) {
        st = bv_error_set(err, BV_ERR_VALUE,
                          "%s: no kernel files (<field>.<op>.<limbs>.spv or .comp) in the folder",
                          dir);
        goto fail;
    }
    set = calloc(1, sizeof *set);
    if (!set || !(set->items = calloc(2 * count, sizeof *set->items))) { /* a manifest: two entries */
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }

    /* Workload manifests first (<family>.<workload>.json, docs/workload-abi.md): each is read
     * and checked now, stands for both limb widths, and makes its stage modules' files part of it
     * rather than kernels of their own. */
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(names[i]);
        if (len <= 5 || strcmp(names[i] + len - 5, ".json") != 0)
            continue;
        char wname[64];
        bv_family f;
        bv_op op;
        if (bv_kernel_manifest_name_parse(names[i], &f, &op, wname, sizeof wname) != BV_OK) {
            st = bv_error_set(err, BV_ERR_VALUE,
                              "%s/%s: not a workload manifest's name: expected fr.ntt, fr.intt, fr.ntt_coset, "
                              "fr.intt_coset or g1.msm with .json",
                              dir, names[i]);
            goto fail;
        }
        if (nwl == sizeof wls / sizeof *wls) {
            st = bv_error_set(err, BV_ERR_VALUE, "%s: more than %zu workload manifests", dir, nwl);
            goto fail;
        }
        if ((st = bv_kernel_workload_load(wname, dir, &wls[nwl], err)))
            goto fail;
        nwl++;
        for (int l = BV_LIMBS_U32; l <= BV_LIMBS_U64; l++) {
            bv_kernel *k = &set->items[set->count];
            k->family = f;
            k->op = op;
            k->limbs = (bv_limbs)l;
            snprintf(k->name, sizeof k->name, "%s.%s", wname, bv_limbs_name(k->limbs));
            snprintf(k->source, sizeof k->source, "%s/%s", dir, names[i]);
            set->count++;
        }
    }
    for (size_t i = 0; i < count; i++) {
        bv_kernel *k = &set->items[set->count];
        bv_kernel_file_kind kind;
        size_t len = strlen(names[i]);
        if (len > 5 && strcmp(names[i] + len - 5, ".json") == 0)
            continue;
        /* A manifest's stage module: <module>.comp or <module>.<limbs>.spv. */
        char module[256];
        snprintf(module, sizeof module, "%s", names[i]);
        char *ext = strrchr(module, '.');
        if (ext && strcmp(ext, ".spv") == 0) {
            *ext = '\0';
            ext = strrchr(module, '.');
        }
        if (ext)
            *ext = '\0';
        bool stage = false;
        for (size_t j = 0; j < nwl && !stage; j++)
            stage = bv_kernel_workload_uses(wls[j], module);
        if (stage)
            continue;
        if (bv_kernel_file_name_parse(names[i], &k->family, &k->op, &k->limbs, &kind) != BV_OK) {
            st = bv_error_set(err, BV_ERR_VALUE,
                              "%s/%s: not a kernel file name: expected <family>.<op>.<limbs>.spv "
                              "or .comp, with family fp or fr and op add, sub, neg, dbl, mul, "
                              "sqr, to_mont, from_mont or inv, or family fp2 and op add, sub, "
                              "neg, dbl, mul, sqr, conj, mul_by_nonresidue or inv, or family g1 "
                              "or g2 and op add, dbl, madd, neg, smul or to_affine; limbs u32 or "
                              "u64 (e.g. "
                              "fp.mul.u64.spv); .glsl files are taken as includes, <family>.<workload>.json as "
                              "workload manifests and their stage modules as theirs",
                              dir, names[i]);
            goto fail;
        }
        const bv_kernel *dup = bv_kernel_set_find(set, k->family, k->op, k->limbs);
        if (dup) {
            st = bv_error_set(err, BV_ERR_VALUE, "%s and %s/%s are the same kernel variant",
                              dup->source, dir, names[i]);
            goto fail;
        }
        snprintf(k->name, sizeof k->name, "%s.%s.%s", bv_ref_family_name(k->family),
                 bv_ref_op_name(k->op), bv_limbs_name(k->limbs));
        if ((size_t)snprintf(k->source, sizeof k->source, "%s/%s", dir, names[i]) >=
            sizeof k->source) {
            st = bv_error_set(err, BV_ERR_ARG, "%s/%s: path too long", dir, names[i]);
            goto fail;
        }
        /* Counted before loading, so that destroy frees what a failed load left behind. */
        set->count++;
        if ((st = load_one(k, k->source, kind, err)) != BV_OK)
            goto fail;
    }
    *out = set;
    set = NULL;

fail:
    for (size_t i = 0; i < nwl; i++)
        bv_kernel_workload_destroy(wls[i]);
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    bv_kernel_set_destroy(set);
    return st;
}
