/* suites/fuzz/fuzz_vec_read.c: libFuzzer target for the vector file readers (bv_vec_read: JSON
 * and binary, told apart by content). Each input is written to a file and read; a file that
 * reads is written back in both forms and read again, and must give the same cases. Any crash,
 * sanitizer report, leak or mismatch is a finding. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bv_vec.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/blsvk-fuzz-vec-XXXXXX";
static char in_path[64], json_path[64], bin_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    bv_error err;
    (void)argc;
    (void)argv;
    if (!mkdtemp(dir) || bv_ref_init(&err) != BV_OK)
        abort();
    snprintf(in_path, sizeof in_path, "%s/in", dir);
    snprintf(json_path, sizeof json_path, "%s/out.json", dir);
    snprintf(bin_path, sizeof bin_path, "%s/out.bin", dir);
    return 0;
}

static void write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
}

/* The same cases: field, op, count, inputs, and expected values where both have them. */
static void check_same(const bv_vec_set *a, const bv_vec_set *b)
{
    size_t eb = bv_ref_family_bytes(a->family);
    if (a->family != b->family || a->op != b->op || a->count != b->count ||
        memcmp(a->x, b->x, a->count * eb) != 0 || (a->y && memcmp(a->y, b->y, a->count * eb) != 0))
        abort();
    for (size_t i = 0; i < a->count; i++)
        if (bv_vec_has_expected(a, i) != bv_vec_has_expected(b, i) ||
            (bv_vec_has_expected(a, i) && memcmp(a->expected + i * eb, b->expected + i * eb, eb) != 0))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bv_vec_set *set = NULL, *back = NULL;
    bv_error err;
    write_file(in_path, data, size);
    if (bv_vec_read(in_path, &set, &err) == BV_OK) {
        if (bv_vec_write_json(json_path, set, &err) != BV_OK || bv_vec_read(json_path, &back, &err) != BV_OK)
            abort();
        check_same(set, back);
        bv_vec_set_destroy(back);
        back = NULL;
        /* The binary form holds only generated names and all-or-nothing expected values. */
        bool partial = false;
        for (size_t i = 0; i < set->count; i++)
            partial |= bv_vec_has_expected(set, i) != bv_vec_has_expected(set, 0);
        if (!partial && bv_vec_write_bin(bin_path, set, &err) == BV_OK) {
            if (bv_vec_read(bin_path, &back, &err) != BV_OK)
                abort();
            check_same(set, back);
            bv_vec_set_destroy(back);
        }
    }
    bv_vec_set_destroy(set);
    unlink(in_path);
    return 0;
}
