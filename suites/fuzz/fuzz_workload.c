/* suites/fuzz/fuzz_workload.c: libFuzzer target for the workload manifests (bv_kernel_workload_load:
 * the JSON, its members, every expression checked once) and the expression evaluator. An input
 * whose first byte is 'e' is an expression, evaluated at a few sizes; any other input is a
 * manifest, written to <folder>/fr.ntt.json and loaded from there. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bv_kernels.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/blsvk-fuzz-workload-XXXXXX";

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
    bv_error err;
    if (size > 0 && data[0] == 'e') {
        char text[256];
        size_t n = size - 1 < sizeof text - 1 ? size - 1 : sizeof text - 1;
        memcpy(text, data + 1, n);
        text[n] = '\0';
        for (unsigned log_n = 0; log_n <= 32; log_n += 8) {
            bv_workload_vars v = {.n = 1ull << log_n, .log_n = log_n, .s = log_n / 2, .wg = 64, .log_wg = 6};
            uint64_t out;
            (void)bv_kernel_workload_eval(text, &v, &out, &err);
        }
        return 0;
    }
    char path[128];
    snprintf(path, sizeof path, "%s/fr.ntt.json", dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    bv_workload *w = NULL;
    if (bv_kernel_workload_load("fr.ntt", dir, &w, &err) == BV_OK)
        bv_kernel_workload_destroy(w);
    return 0;
}
