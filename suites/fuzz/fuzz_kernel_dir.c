/* suites/fuzz/fuzz_kernel_dir.c: libFuzzer target for the --kernel-dir loader
 * (bv_kernel_set_load): file names, SPIR-V validation and inspection, and GLSL compilation.
 * The first byte of an input picks the file's name (or, when it is 0xff, the name is the input
 * up to its first NUL); the rest is the file's content, written into an otherwise empty folder. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bv_kernels.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/blsvk-fuzz-kdir-XXXXXX";

static const char *const names[] = {
    "fp.add.u32.spv", "fr.mul.u64.spv", "fp.neg.u32.comp", "fr.sqr.u64.comp",
    "fp.to_mont.u32.spv", "fr.from_mont.u32.comp", "fp.mul.u32.glsl", "kernel.spv",
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    bv_error err;
    (void)argc;
    (void)argv;
    if (!mkdtemp(dir) || bv_ref_init(&err) != BV_OK)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char name[128], path[256];
    bv_kernel_set *set = NULL;
    bv_error err;
    if (size == 0)
        return 0;
    if (data[0] == 0xff) {
        /* A name from the input: no '/', not "." or "..", not empty. */
        size_t n = 0;
        while (1 + n < size && n < sizeof name - 1 && data[1 + n] && data[1 + n] != '/')
            n++;
        memcpy(name, data + 1, n);
        name[n] = '\0';
        if (n == 0 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            return 0;
        data += 1 + n;
        size -= 1 + n;
        if (size) {
            data++;
            size--;
        }
    } else {
        snprintf(name, sizeof name, "%s", names[data[0] % (sizeof names / sizeof names[0])]);
        data++;
        size--;
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0; /* a name the file system refuses */
    if (fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    if (bv_kernel_set_load(dir, &set, &err) == BV_OK) {
        /* A loaded set holds one kernel: valid with code, or invalid with a message. */
        if (bv_kernel_set_count(set) != 1)
            abort();
        const bv_kernel *k = bv_kernel_set_at(set, 0);
        if (!k->error == !k->code || (k->code && bv_kernel_validate(k->code, k->code_size, &err) != BV_OK))
            abort();
        bv_kernel_set_destroy(set);
    } else if (err.status == BV_ERR_NOMEM) {
        abort(); /* no input this small needs that much memory: a misreported error */
    }
    unlink(path);
    return 0;
}
