/* kernels/kernel_opt.cpp: recipes. A kernel's SPIR-V is run through SPIRV-Tools' optimizer with
 * one of a few named pass lists, so that the same kernel reaches the driver in structurally
 * different forms (unrolled, inlined, in SSA form, split into scalars): a driver compiler bug
 * then shows up as a disagreement between recipes of one case. One more recipe, "poison"
 * (kernel_poison.c), fills uninitialised variables with garbage instead. C++ only because
 * SPIRV-Tools 2023.1 (Debian 12) has no C interface to its optimizer; no exception leaves
 * this file. Each (module, recipe) is optimised once per process and kept. */
#include <spirv-tools/optimizer.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <vector>

extern "C" {
#include "bv_sha256.h"
#include "kernels_internal.h"
}

namespace {

struct recipe {
    const char *name;
    const char *about;
    const char *flags[4]; /* spirv-opt flags; "-O" and "-Os" stand for the standard lists */
};

/* Names are part of case names (<field>.<op>.<limbs>+<recipe>.<mode>...): no '.', no '+'. */
const recipe recipes[] = {
    {"O", "spirv-opt -O (the performance passes)", {"-O"}},
    {"Os", "spirv-opt -Os (the size passes)", {"-Os"}},
    {"unroll", "every limb loop fully unrolled (after inlining and promoting locals to SSA)",
     {"--inline-entry-points-exhaustive", "--eliminate-local-multi-store", "--loop-unroll"}},
    {"inline", "every function inlined into main", {"--inline-entry-points-exhaustive"}},
    {"sroa", "local arrays split into scalars (scalar replacement)", {"--scalar-replacement=0"}},
    {"ssa", "locals promoted to SSA values", {"--eliminate-local-multi-store"}},
    {BV_KERNEL_RECIPE_POISON, "every variable without an initializer filled with a pattern from the run's seed",
     {"poison"}},
};
const size_t nrecipes = sizeof recipes / sizeof recipes[0];
const char *recipe_names[nrecipes + 1];

const recipe *find_recipe(const char *name)
{
    for (size_t i = 0; name && i < nrecipes; i++)
        if (std::strcmp(recipes[i].name, name) == 0)
            return &recipes[i];
    return nullptr;
}

/* Optimised kernels, kept for the life of the process (the runner hands out pointers to them):
 * a list from a plain pointer, which no static destructor frees before the leak checker looks. */
struct cached {
    char key[128]; /* the input's sha256, '+', the recipe, and the seed for poison */
    bv_kernel kernel;
    cached *next;
};
std::mutex cache_lock;
cached *cache;

/* Runs the recipe's passes; false with msg set on failure. */
bool optimize(const recipe &r, const uint32_t *code, size_t words, std::vector<uint32_t> &out, std::string &msg)
{
    spvtools::Optimizer opt(SPV_ENV_VULKAN_1_1);
    opt.SetMessageConsumer([&msg](spv_message_level_t level, const char *, const spv_position_t &pos,
                                  const char *text) {
        if (level <= SPV_MSG_ERROR && msg.empty())
            msg = "word " + std::to_string(pos.index) + ": " + text;
    });
    std::vector<std::string> flags;
    for (const char *f : r.flags) {
        if (!f)
            break;
        if (std::strcmp(f, "-O") == 0)
            opt.RegisterPerformancePasses();
        else if (std::strcmp(f, "-Os") == 0)
            opt.RegisterSizePasses();
        else
            flags.emplace_back(f);
    }
    if (!flags.empty() && !opt.RegisterPassesFromFlags(flags)) {
        msg = "the optimizer does not know a flag of this recipe";
        return false;
    }
    spvtools::OptimizerOptions options;
    /* The kernel ABI: bindings 0-2 and the workgroup size's specialization constant stay. */
    options.set_preserve_bindings(true);
    options.set_preserve_spec_constants(true);
    options.set_run_validator(false); /* bv_kernel_validate runs after, with blsvk's own checks */
    if (!opt.Run(code, words, &out, options)) {
        if (msg.empty())
            msg = "the optimizer failed";
        return false;
    }
    return true;
}

} // namespace

extern "C" const char *const *bv_kernel_recipe_names(void)
{
    static std::once_flag once;
    std::call_once(once, [] {
        for (size_t i = 0; i < nrecipes; i++)
            recipe_names[i] = recipes[i].name;
        recipe_names[nrecipes] = nullptr;
    });
    return recipe_names;
}

extern "C" const char *bv_kernel_recipe_about(const char *name)
{
    const recipe *r = find_recipe(name);
    return r ? r->about : nullptr;
}

extern "C" bv_status bv_kernel_optimize(const uint32_t *code, size_t size, const char *name, uint64_t seed,
                                        uint32_t **out, size_t *out_size, bv_error *err)
{
    *out = nullptr;
    *out_size = 0;
    const recipe *r = find_recipe(name);
    if (!r)
        return bv_error_set(err, BV_ERR_VALUE, "unknown spirv-opt recipe '%s'", name ? name : "");
    if (!code || size == 0 || size % 4)
        return bv_error_set(err, BV_ERR_ARG, "bv_kernel_optimize: no SPIR-V module");
    if (std::strcmp(r->flags[0], "poison") == 0) {
        uint32_t *buf;
        size_t n;
        bv_status st = bv_kernel_poison(code, size, seed, &buf, &n, err);
        if (st)
            return st;
        if ((st = bv_kernel_validate(buf, n, err)) != BV_OK) {
            std::free(buf);
            bv_error_prefix(err, "the poison recipe produced an invalid module");
            return st;
        }
        *out = buf;
        *out_size = n;
        return BV_OK;
    }
    try {
        std::vector<uint32_t> words;
        std::string msg;
        if (!optimize(*r, code, size / 4, words, msg))
            return bv_error_set(err, BV_ERR_SHADER, "spirv-opt recipe %s: %s", r->name, msg.c_str());
        uint32_t *buf = static_cast<uint32_t *>(std::malloc(words.size() * 4));
        if (!buf)
            return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        std::memcpy(buf, words.data(), words.size() * 4);
        bv_status st = bv_kernel_validate(buf, words.size() * 4, err);
        if (st) {
            std::free(buf);
            bv_error_prefix(err, "spirv-opt recipe %s produced an invalid module", r->name);
            return st;
        }
        *out = buf;
        *out_size = words.size() * 4;
        return BV_OK;
    } catch (const std::bad_alloc &) {
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory in the SPIR-V optimizer");
    } catch (...) {
        return bv_error_set(err, BV_ERR_INTERNAL, "spirv-opt recipe %s: the optimizer threw", r->name);
    }
}

extern "C" bv_status bv_kernel_with_recipe(const bv_kernel *k, const char *name, uint64_t seed, const bv_kernel **out,
                                           bv_error *err)
{
    *out = k;
    if (!name || !*name || !k || k->error)
        return BV_OK; /* no recipe, or a kernel that fails its cases with its own message anyway */
    const recipe *r = find_recipe(name);
    if (!r)
        return bv_error_set(err, BV_ERR_VALUE, "unknown spirv-opt recipe '%s'", name);
    try {
        char key[sizeof cache->key];
        std::snprintf(key, sizeof key, "%s+%s/%llu", k->sha256, r->name, (unsigned long long)seed);
        std::lock_guard<std::mutex> guard(cache_lock);
        for (const cached *c = cache; c; c = c->next)
            if (std::strcmp(c->key, key) == 0) {
                *out = &c->kernel;
                return BV_OK;
            }
        uint32_t *code;
        size_t size;
        bv_status st = bv_kernel_optimize(k->code, k->code_size, r->name, seed, &code, &size, err);
        if (st)
            return st;
        cached *c = static_cast<cached *>(std::calloc(1, sizeof *c));
        if (!c) {
            std::free(code);
            return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        }
        std::snprintf(c->key, sizeof c->key, "%s", key);
        c->kernel = *k;
        c->kernel.code = code;
        c->kernel.code_size = size;
        c->kernel.needs_int64 = bv_kernel_spirv_uses_int64(code, size);
        std::snprintf(c->kernel.name, sizeof c->kernel.name, "%s+%s", k->name, r->name);
        std::snprintf(c->kernel.source, sizeof c->kernel.source, "%s, through %s recipe %s", k->source,
                      std::strcmp(r->name, BV_KERNEL_RECIPE_POISON) == 0 ? "the" : "spirv-opt", r->name);
        bv_sha256_hex(c->kernel.sha256, code, size);
        c->next = cache;
        cache = c;
        *out = &c->kernel;
        return BV_OK;
    } catch (const std::bad_alloc &) {
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    }
}
