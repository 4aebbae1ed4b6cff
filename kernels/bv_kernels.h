/* kernels/bv_kernels.h: the table of kernel variants (field, op, limb width, SPIR-V,
 * required features) that the runner reads, built-in or loaded from a user's
 * --kernel-dir, and the SPIR-V validation every module passes before a driver sees it. */
#ifndef BV_KERNELS_H
#define BV_KERNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bv_common.h"
#include "bv_record.h"
#include "bv_ref.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One kernel variant. A user kernel that failed to compile or validate is still an
 * entry, with code NULL and `error` holding the compiler's or validator's message, so
 * that its cases fail with that message while the run goes on. */
typedef struct bv_kernel {
    bv_family family;
    bv_op op;
    bv_limbs limbs;
    char name[64];          /* "<field>.<op>.<limbs>", e.g. "fp.mul.u64" */
    const uint32_t *code;   /* SPIR-V words */
    size_t code_size;       /* bytes */
    unsigned needs;         /* BV_KERNEL_NEEDS_*: what the module needs of a device */
    char source[512];       /* "built-in" or the file it came from */
    char sha256[65];        /* hex SHA-256 of the SPIR-V (empty when code is NULL) */
    const char *error;      /* NULL, or why this kernel cannot run */
} bv_kernel;

/* What a kernel's module needs beyond plain compute: shaderInt64; shaderFloat64; a double fma
 * that is fused and correctly rounded (any module that calls GLSL.std.450 Fma on doubles: the
 * exact products of the f64 arithmetic depend on it, and Vulkan does not promise it, so such a
 * module runs only where the fma probe says "fused"). */
enum { BV_KERNEL_NEEDS_INT64 = 1u, BV_KERNEL_NEEDS_FLOAT64 = 2u, BV_KERNEL_NEEDS_FUSED_FMA64 = 4u };

/* The built-in kernel for a variant (validated at build time), or NULL. */
const bv_kernel *bv_kernel_builtin(bv_family f, bv_op op, bv_limbs l);

/* A set of user kernels from a --kernel-dir. */
typedef struct bv_kernel_set bv_kernel_set;

/* Loads every <field>.<op>.<limbs>.spv / .comp in dir: .comp files are compiled with
 * glslang's C interface, and every module is validated with SPIRV-Tools. Files whose
 * names do not follow the scheme are an error naming the file (BV_ERR_VALUE). A module
 * that does not compile or validate is kept as an entry with `error` set. */
BV_NODISCARD bv_status bv_kernel_set_load(const char *dir, bv_kernel_set **out, bv_error *err);
void bv_kernel_set_destroy(bv_kernel_set *set);
/* The set's kernel for a variant, or NULL when the directory has none. */
const bv_kernel *bv_kernel_set_find(const bv_kernel_set *set, bv_family f, bv_op op, bv_limbs l);
size_t bv_kernel_set_count(const bv_kernel_set *set);
const bv_kernel *bv_kernel_set_at(const bv_kernel_set *set, size_t i);

/* Validates a SPIR-V module for Vulkan 1.1 with the SPIRV-Tools C API and checks that it
 * has a compute entry point "main". On failure err->msg holds the validator's message. */
BV_NODISCARD bv_status bv_kernel_validate(const uint32_t *code, size_t size, bv_error *err);

/* Checks a valid module's interface against the kernel ABI (docs/kernel-abi.md) for an op with
 * `arity` inputs: storage buffers in set 0 at bindings 0..arity, push constants within 8 bytes, the
 * workgroup size from specialization constant 0. BV_ERR_SHADER saying what differs. */
BV_NODISCARD bv_status bv_kernel_check_abi(const uint32_t *code, size_t size, unsigned arity, bv_error *err);

/* Compiles GLSL compute source to SPIR-V with glslang's C interface (#include resolved
 * relative to the file and to the built-in include folder). *code is malloc'ed. */
BV_NODISCARD bv_status bv_kernel_compile_glsl(const char *source, const char *path,
                                              uint32_t **code, size_t *size, bv_error *err);

/* Recipes: the same kernel run through different spirv-opt pass lists ("O", "Os", "unroll",
 * "inline", "sroa", "ssa"), so that a driver compiler bug shows up as a disagreement between
 * recipes, and through "poison" (bv_kernel_poison), so that a kernel reading memory it never
 * wrote fails. A case names its recipe after the limb width: fp.mul.u32+O.persistent... */
/* The poison recipe's name (its cases: <limbs>+poison). */
#define BV_KERNEL_RECIPE_POISON "poison"
/* The recipe names, NULL-terminated. */
const char *const *bv_kernel_recipe_names(void);
/* What a recipe does, for people; NULL for an unknown name. */
const char *bv_kernel_recipe_about(const char *name);
/* Runs a module through a recipe's passes (bindings and specialization constants kept) and
 * validates the result. *out is malloc'ed. */
BV_NODISCARD bv_status bv_kernel_optimize(const uint32_t *code, size_t size, const char *recipe, uint64_t seed,
                                          uint32_t **out, size_t *out_size, bv_error *err);
/* The recipe that poisons the module: every Function- and Private-storage variable without an
 * initializer gets one, a non-zero pattern drawn from seed (element by element; a composite of
 * more than 4096 scalars repeats one element), so that reading a variable before writing it gives
 * garbage on every driver. Workgroup variables are left alone. *out is malloc'ed. */
BV_NODISCARD bv_status bv_kernel_poison(const uint32_t *code, size_t size, uint64_t seed, uint32_t **out,
                                        size_t *out_size, bv_error *err);
/* The kernel k through a recipe (seed: the poison recipe's pattern, unused by the others):
 * made once per process and kept until it ends (named
 * "<k's name>+<recipe>", with the new module's SHA-256). *out = k when recipe is NULL or "",
 * or when k carries an error (its cases fail with it anyway). */
BV_NODISCARD bv_status bv_kernel_with_recipe(const bv_kernel *k, const char *recipe, uint64_t seed,
                                             const bv_kernel **out, bv_error *err);

/* Pass lists: a recipe's passes one by one, or a list a user writes, of which the first n steps
 * can run (blsvk reduce --bisect looks for the first step whose output fails). */
typedef struct bv_kernel_passes bv_kernel_passes;
/* Reads a list: steps separated by commas or white space, each a recipe's name (its passes:
 * "O" and "-O", "Os" and "-Os" spelled out as the individual passes SPIRV-Tools registers for
 * them), "poison" (bv_kernel_poison, with the seed given when the list runs), or a spirv-opt flag
 * with or without its leading "--" ("ccp", "--scalar-replacement=0"; a flag that runs several
 * passes is spelled out too). Recipe names come first: "inline" is the recipe. BV_ERR_VALUE
 * naming the step that is none of these, or for an empty list. */
BV_NODISCARD bv_status bv_kernel_passes_parse(const char *text, bv_kernel_passes **out, bv_error *err);
void bv_kernel_passes_destroy(bv_kernel_passes *p);
size_t bv_kernel_passes_count(const bv_kernel_passes *p);
/* Step i (0-based) as the list names it: a spirv-opt flag without its "--"
 * ("eliminate-dead-code-aggressive", "scalar-replacement=100") or "poison"; NULL past the end. */
const char *bv_kernel_passes_step(const bv_kernel_passes *p, size_t i);
/* The steps joined by ',': bv_kernel_passes_parse reads it back to the same list. */
const char *bv_kernel_passes_text(const bv_kernel_passes *p);
/* Runs the first n steps of p on a module (n = 0: a copy) and validates the result: each run of
 * spirv-opt steps through one optimizer, with the options a recipe runs with (so the whole list of
 * a recipe gives the recipe's module), poison steps with seed. *out is malloc'ed. BV_ERR_SHADER
 * naming the steps when the optimizer fails or the result is invalid; BV_ERR_ARG when n > count. */
BV_NODISCARD bv_status bv_kernel_run_passes(const uint32_t *code, size_t size, const bv_kernel_passes *p, size_t n,
                                            uint64_t seed, uint32_t **out, size_t *out_size, bv_error *err);
/* The kernel k through the first n steps of p, also checked against the kernel ABI (a user's list
 * may drop a binding): made once per process and kept until it ends, named "<k's name>+passes",
 * with the new module's SHA-256. *out = k when n is 0 or k carries an error. */
BV_NODISCARD bv_status bv_kernel_with_passes(const bv_kernel *k, const bv_kernel_passes *p, size_t n, uint64_t seed,
                                             const bv_kernel **out, bv_error *err);

/* The kernels blsvk runs to measure a device (kernels/tools/), compiled and validated; *code is
 * malloc'ed. copy: a shader copy that keeps four 16-byte loads in flight a thread, the roofline
 * (its ABI: binding 0 the destination and 1 the source, as uvec4 arrays, push constant count in
 * uvec4s). chain: each thread multiplies x by y `chain` times (Montgomery), compute-bound. fma:
 * out[i] = fma(a, b, c) in doubles for x[i] = (a, b) and y[i] = c (needs shaderFloat64), the
 * probe of whether the device's fma is fused (bv_vk_probe_fma). */
BV_NODISCARD bv_status bv_kernel_tool_copy(uint32_t **code, size_t *size, bv_error *err);
BV_NODISCARD bv_status bv_kernel_tool_fma(uint32_t **code, size_t *size, bv_error *err);
BV_NODISCARD bv_status bv_kernel_tool_chain(bv_family f, bv_limbs l, uint32_t chain, uint32_t **code, size_t *size,
                                            bv_error *err);

/* Versions of the shader toolchain, for report fingerprints. */
const char *bv_kernel_glslang_version(void);
const char *bv_kernel_spirv_tools_version(void);

#ifdef __cplusplus
}
#endif

/* ---- Workloads (kernel_workload.c; docs/workload-abi.md) ---------------------------------
 * A workload is a fixed sequence of dispatches (stages) over named buffers, described by a JSON
 * manifest (blsvk-workload/1): the built-in ones (bv_kernel_workload_builtin_names), or
 * <dir>/<name>.json from a --kernel-dir with its modules beside it. */
typedef struct bv_workload bv_workload;
/* Push-constant words of a stage: count and base (the harness's), then the manifest's. */
#define BV_WORKLOAD_PUSH_WORDS 8

typedef struct bv_workload_buffer {
    char name[48];
    size_t elements;
    size_t element_bytes; /* the manifest's, else the workload's element (fr: 32; g1: a Jacobian point, 144) */
    char table[48];   /* a reference table the harness fills it with (bv_ref_ntt_table), or "" */
} bv_workload_buffer;

typedef struct bv_workload_stage {
    char module[48];
    char name[48];        /* the manifest's name of the stage, else the module's; ".s" when repeated */
    const uint32_t *code; /* owned by the workload */
    size_t code_size;
    unsigned needs;       /* BV_KERNEL_NEEDS_* */
    unsigned nbind;
    unsigned bind[3];     /* buffer indices */
    uint32_t push[BV_WORKLOAD_PUSH_WORDS]; /* [0], [1] left to the harness */
    uint64_t items;
    uint64_t shared_bytes; /* workgroup shared memory the module declares at this workgroup size */
    bool specialize;       /* the manifest's "specialize": spec for the module's constant 1 */
    uint32_t spec;
} bv_workload_stage;

/* One size and limb width of a workload: its buffers, and its stages with repeats unrolled. */
typedef struct bv_workload_plan {
    bv_workload_buffer *buffers;
    size_t nbuffers;
    bv_workload_stage *stages;
    size_t nstages;
    unsigned input, output; /* buffer indices */
    int scalars;            /* g1: the buffer of the MSM's scalars; -1 otherwise */
    bv_family field;        /* BV_FAMILY_FR (an NTT) or BV_FAMILY_G1 (an MSM) */
    unsigned needs;         /* every stage's, or'ed */
} bv_workload_plan;

/* The built-in workloads' names, NULL-terminated. */
const char *const *bv_kernel_workload_builtin_names(void);
/* Reads workload `name`: the built-in one (dir NULL) or dir/<name>.json. Errors name the file and
 * the member (BV_ERR_VALUE), or the file that cannot be read. */
BV_NODISCARD bv_status bv_kernel_workload_load(const char *name, const char *dir, bv_workload **out, bv_error *err);
void bv_kernel_workload_destroy(bv_workload *w);
const char *bv_kernel_workload_name(const bv_workload *w);
const char *bv_kernel_workload_about(const bv_workload *w);
const char *bv_kernel_workload_source(const bv_workload *w); /* "built-in" or the manifest's path */
/* The plan for n = 2^log_n elements, limbs and the device's workgroup size wg (a power of two;
 * BV_ERR_UNSUPPORTED otherwise); modules compiled once and kept by w. */
BV_NODISCARD bv_status bv_kernel_workload_plan(bv_workload *w, bv_limbs limbs, unsigned log_n, uint32_t wg,
                                               bv_workload_plan *p, bv_error *err);
void bv_kernel_workload_plan_free(bv_workload_plan *p);
/* The values a manifest expression may name: n, log_n, the repeat index s, the workgroup size wg
 * and log_wg = log2(wg), and the manifest's own "vars" (each defined from the ones before it). */
#define BV_WORKLOAD_MAX_VARS 8
typedef struct bv_workload_vars {
    uint64_t n, log_n, s, wg, log_wg;
    size_t nuser;
    const char *user_names[BV_WORKLOAD_MAX_VARS];
    uint64_t user_values[BV_WORKLOAD_MAX_VARS];
} bv_workload_vars;
/* A manifest expression (unsigned integers, the variables above, + - * / << >>, min(a, b) and
 * parentheses) at the given values; BV_ERR_VALUE saying what is wrong with it. */
BV_NODISCARD bv_status bv_kernel_workload_eval(const char *text, const bv_workload_vars *v, uint64_t *out,
                                               bv_error *err);

#endif
