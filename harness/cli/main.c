/* harness/main.c: the blsvk command: dispatches to its verbs. */
#include <stdio.h>
#include <string.h>

#include "bv_version.h"
#include "cli.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *what;
} verbs[] = {
    {"run", bv_cli_run, "run a suite of conformance cases on a device and write reports"},
    {"eval", bv_cli_eval, "run one vector file through one kernel and write the results"},
    {"bench", bv_cli_bench, "time kernels, round trips and streaming against the device's own bounds"},
    {"qualify", bv_cli_qualify, "run the full suite and the bench on a device, judge it by the must-pass list, archive it all"},
    {"reduce", bv_cli_reduce, "shrink the module of a failing case to a small one that fails the same way (spirv-reduce)"},
    {"compare", bv_cli_compare, "compare run (or bench) B with A: new failures, status changes, slowdowns outside the noise"},
    {"report", bv_cli_report, "print a run's summary, or merge runs and shards into one report"},
    {"devices", bv_cli_devices, "list the Vulkan devices and what blsvk records of them"},
    {"list", bv_cli_list, "list the cases of a suite (after filters)"},
    {"vectors", bv_cli_vectors, "write a vector file (edge catalogue or seeded random)"},
    {"ref", bv_cli_ref, "fill in the reference's expected values of a vector file"},
    {"mutants", bv_cli_mutants, "run a suite against deliberately broken kernels: which cases catch each bug"},
    {"workload", bv_cli_workload, "run multi-dispatch workloads (the Fr NTTs) and check every output against the reference"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: blsvk <verb> [options]   (blsvk <verb> --help for each verb's options)\n\n"
               "BLS12-381 field-arithmetic kernels on Vulkan: conformance against a GMP reference, and timing.\n\n"
               "verbs:\n");
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        fprintf(f, "  %-9s %s\n", verbs[i].name, verbs[i].what);
    fprintf(f, "\nexit status: 0 success, 1 a case failed or a disagreement, 2 bad usage or input,\n"
               "             3 no usable device or a device error\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return BV_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return BV_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("blsvk %s (%s)\n", BV_VERSION, BV_GIT_REVISION);
        return BV_EXIT_OK;
    }
    if (strcmp(argv[1], "__worker") == 0)
        return bv_cli_worker(argc - 1, argv + 1);
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (strcmp(argv[1], verbs[i].name) == 0)
            return verbs[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "blsvk: unknown verb '%s'\n\n", argv[1]);
    usage(stderr);
    return BV_EXIT_USAGE;
}
