/* kernels/kernel_opt.cpp: recipes. A kernel's SPIR-V is run through SPIRV-Tools' optimizer with
 * one of a few named pass lists, so that the same kernel reaches the driver in structurally
 * different forms (unrolled, inlined, in SSA form, split into scalars): a driver compiler bug
 * then shows up as a disagreement between recipes of one case. One more recipe, "poison"
 * (kernel_poison.c), fills uninitialised variables with garbage instead. C++ only because
 * SPIRV-Tools 2023.1 (Debian 12) has no C interface to its optimizer; no exception leaves
 * this file. Each (module, recipe) is optimised once per process and kept.
 * Pass lists (bv_kernel_passes) are the same passes one by one: a recipe spelled out, or a list a
 * user writes, of which any first n steps can run, so that blsvk reduce --bisect can find the
 * first pass whose output fails. */
#include <spirv-tools/optimizer.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
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
    char key[192]; /* the input's sha256, '+', the recipe (or the SHA-256 of a pass list), and the seed */
    bv_kernel kernel;
    cached *next;
};
std::mutex cache_lock;
cached *cache;

/* Reports the optimizer's first error into msg. */
void catch_messages(spvtools::Optimizer &opt, std::string &msg)
{
    opt.SetMessageConsumer([&msg](spv_message_level_t level, const char *, const spv_position_t &pos,
                                  const char *text) {
        if (level <= SPV_MSG_ERROR && msg.empty())
            msg = "word " + std::to_string(pos.index) + ": " + text;
    });
}

/* Runs the passes registered in opt. Recipes and pass lists share these options, so that a recipe
 * and its passes spelled out give the same module. */
bool run_optimizer(spvtools::Optimizer &opt, const uint32_t *code, size_t words, std::vector<uint32_t> &out,
                   std::string &msg)
{
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

/* Keeps code (malloc'ed; freed here on failure) as k's module under key, on the list: the caller
 * holds cache_lock and names the new kernel. NULL when out of memory. */
cached *keep(const char *key, const bv_kernel *k, uint32_t *code, size_t size)
{
    cached *c = static_cast<cached *>(std::calloc(1, sizeof *c));
    if (!c) {
        std::free(code);
        return nullptr;
    }
    std::snprintf(c->key, sizeof c->key, "%s", key);
    c->kernel = *k;
    c->kernel.code = code;
    c->kernel.code_size = size;
    c->kernel.needs = bv_kernel_spirv_needs(code, size);
    bv_sha256_hex(c->kernel.sha256, code, size);
    c->next = cache;
    cache = c;
    return c;
}

/* Runs the recipe's passes; false with msg set on failure. */
bool optimize(const recipe &r, const uint32_t *code, size_t words, std::vector<uint32_t> &out, std::string &msg)
{
    spvtools::Optimizer opt(SPV_ENV_VULKAN_1_1);
    catch_messages(opt, msg);
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
    return run_optimizer(opt, code, words, out, msg);
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
        cached *c = keep(key, k, code, size);
        if (!c)
            return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        std::snprintf(c->kernel.name, sizeof c->kernel.name, "%s+%s", k->name, r->name);
        std::snprintf(c->kernel.source, sizeof c->kernel.source, "%s, through %s recipe %s", k->source,
                      std::strcmp(r->name, BV_KERNEL_RECIPE_POISON) == 0 ? "the" : "spirv-opt", r->name);
        *out = &c->kernel;
        return BV_OK;
    } catch (const std::bad_alloc &) {
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    } catch (...) {
        return bv_error_set(err, BV_ERR_INTERNAL, "spirv-opt recipe %s: the optimizer threw", r->name);
    }
}

/* --- pass lists ------------------------------------------------------------------------------ */

/* Outside the namespace: bv_kernels.h declares it for C as an opaque struct. */
struct bv_kernel_passes {
    std::vector<std::string> steps; /* spirv-opt flags without their "--", or "poison" */
    std::string text;               /* the steps joined by ',': what bv_kernel_passes_parse reads back */
};

namespace {

/* The most steps a list may have: a guard against a runaway generated list, far above -O's 44. */
const size_t max_steps = 4096;

/* The names of the passes a spirv-opt flag registers; false (msg: SPIRV-Tools' why) for one it
 * refuses. */
bool passes_of_flag(const std::string &flag, std::vector<std::string> &names, std::string &msg)
{
    spvtools::Optimizer opt(SPV_ENV_VULKAN_1_1);
    opt.SetMessageConsumer([&msg](spv_message_level_t level, const char *, const spv_position_t &, const char *text) {
        if (level <= SPV_MSG_ERROR && msg.empty())
            msg = text;
    });
    if (!opt.RegisterPassFromFlag(flag))
        return false;
    for (const char *n : opt.GetPassNames())
        names.emplace_back(n);
    return true;
}

std::string recipe_list()
{
    std::string s;
    for (size_t i = 0; i < nrecipes; i++)
        s += (i ? ", " : "") + std::string(recipes[i].name);
    return s;
}

/* Appends what a token of a list stands for: a recipe's steps, poison, or a spirv-opt flag (one
 * that runs several passes, as -O does, spelled out pass by pass). False with msg naming it. */
bool add_token(bv_kernel_passes &p, const std::string &token, std::string &msg)
{
    if (token == BV_KERNEL_RECIPE_POISON) {
        p.steps.push_back(token);
        return true;
    }
    if (const recipe *r = find_recipe(token.c_str())) {
        for (const char *f : r->flags)
            if (f && !add_token(p, f, msg))
                return false;
        return true;
    }
    const std::string flag = token[0] == '-' ? token : "--" + token;
    std::vector<std::string> names;
    std::string why;
    if (!passes_of_flag(flag, names, why) || names.empty()) {
        /* A flag it knows with a bad value: its own words say what it takes. */
        if (!why.empty() && why.find("Unknown flag") == std::string::npos &&
            why.find("not a valid flag") == std::string::npos) {
            msg = "pass '" + token + "': " + why;
            return false;
        }
        msg = "unknown pass '" + token + "': neither a recipe (" + recipe_list() +
              ") nor a spirv-opt flag that runs a pass (SPIRV-Tools " + bv_kernel_spirv_tools_version() + ")";
        return false;
    }
    if (names.size() == 1) {
        /* The flag as given, not the pass's name: --loop-unroll-partial=3 is named loop-unroll. */
        p.steps.push_back(flag.substr(flag.find_first_not_of('-')));
        return true;
    }
    /* A list in one flag: each pass by the flag of its name, when that flag makes that pass alone
     * (bv_kernel_passes_parse's test runs -O and -Os both ways and compares the modules). */
    for (const std::string &name : names) {
        std::vector<std::string> one;
        std::string ignored;
        if (!passes_of_flag("--" + name, one, ignored) || one.size() != 1 || one[0] != name) {
            msg = "spirv-opt " + flag + " (in '" + token + "') runs pass " + name +
                  ", which no flag of its own stands for: give its passes one by one";
            return false;
        }
        p.steps.push_back(name);
    }
    return true;
}

/* Runs steps [0, n) on a module: runs of spirv-opt steps through one optimizer each (as a recipe
 * runs its passes), poison on the module between them. */
bv_status run_steps(const bv_kernel_passes &p, size_t n, const uint32_t *code, size_t words, uint64_t seed,
                    std::vector<uint32_t> &cur, bv_error *err)
{
    cur.assign(code, code + words);
    std::vector<std::string> flags;
    size_t first = 0; /* the step the pending flags start at, for messages */
    for (size_t i = 0; i <= n; i++) {
        const bool poison = i < n && p.steps[i] == BV_KERNEL_RECIPE_POISON;
        if (i < n && !poison) {
            if (flags.empty())
                first = i;
            flags.push_back("--" + p.steps[i]);
            continue;
        }
        if (!flags.empty()) {
            spvtools::Optimizer opt(SPV_ENV_VULKAN_1_1);
            std::string msg;
            catch_messages(opt, msg);
            std::vector<uint32_t> out;
            if (!opt.RegisterPassesFromFlags(flags))
                return bv_error_set(err, BV_ERR_VALUE, "pass list: spirv-opt refuses a flag of steps #%zu-#%zu", first + 1, i);
            if (!run_optimizer(opt, cur.data(), cur.size(), out, msg))
                return bv_error_set(err, BV_ERR_SHADER, "pass list, steps #%zu-#%zu (%s ... %s): %s", first + 1, i,
                                    p.steps[first].c_str(), p.steps[i - 1].c_str(), msg.c_str());
            cur.swap(out);
            flags.clear();
        }
        if (poison) {
            uint32_t *buf;
            size_t size;
            bv_status st = bv_kernel_poison(cur.data(), cur.size() * 4, seed, &buf, &size, err);
            if (st) {
                bv_error_prefix(err, "pass list, step #%zu (poison)", i + 1);
                return st;
            }
            cur.assign(buf, buf + size / 4);
            std::free(buf);
        }
    }
    return BV_OK;
}

std::string prefix_text(const bv_kernel_passes &p, size_t n)
{
    std::string s;
    for (size_t i = 0; i < n; i++)
        s += (i ? "," : "") + p.steps[i];
    return s;
}

} // namespace

extern "C" bv_status bv_kernel_passes_parse(const char *text, bv_kernel_passes **out, bv_error *err)
{
    *out = nullptr;
    try {
        std::unique_ptr<bv_kernel_passes> p(new bv_kernel_passes);
        std::string msg;
        for (const char *s = text ? text : ""; *s;) {
            size_t len = std::strcspn(s, ", \t\r\n");
            if (len && !add_token(*p, std::string(s, len), msg))
                return bv_error_set(err, BV_ERR_VALUE, "%s", msg.c_str());
            if (p->steps.size() > max_steps)
                return bv_error_set(err, BV_ERR_VALUE, "a pass list of more than %zu steps", max_steps);
            s += len;
            s += std::strspn(s, ", \t\r\n");
        }
        if (p->steps.empty())
            return bv_error_set(err, BV_ERR_VALUE, "an empty pass list (steps are separated by commas or spaces)");
        p->text = prefix_text(*p, p->steps.size());
        *out = p.release();
        return BV_OK;
    } catch (const std::bad_alloc &) {
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory reading a pass list");
    } catch (...) {
        return bv_error_set(err, BV_ERR_INTERNAL, "reading a pass list: the optimizer threw");
    }
}

extern "C" void bv_kernel_passes_destroy(bv_kernel_passes *p)
{
    delete p;
}

extern "C" size_t bv_kernel_passes_count(const bv_kernel_passes *p)
{
    return p ? p->steps.size() : 0;
}

extern "C" const char *bv_kernel_passes_step(const bv_kernel_passes *p, size_t i)
{
    return p && i < p->steps.size() ? p->steps[i].c_str() : nullptr;
}

extern "C" const char *bv_kernel_passes_text(const bv_kernel_passes *p)
{
    return p ? p->text.c_str() : "";
}

extern "C" bv_status bv_kernel_run_passes(const uint32_t *code, size_t size, const bv_kernel_passes *p, size_t n,
                                          uint64_t seed, uint32_t **out, size_t *out_size, bv_error *err)
{
    *out = nullptr;
    *out_size = 0;
    if (!code || size == 0 || size % 4 || !p)
        return bv_error_set(err, BV_ERR_ARG, "bv_kernel_run_passes: no SPIR-V module or no pass list");
    if (n > p->steps.size())
        return bv_error_set(err, BV_ERR_ARG, "bv_kernel_run_passes: %zu steps of a list of %zu", n, p->steps.size());
    try {
        std::vector<uint32_t> words;
        bv_status st = run_steps(*p, n, code, size / 4, seed, words, err);
        if (st)
            return st;
        uint32_t *buf = static_cast<uint32_t *>(std::malloc(words.size() * 4));
        if (!buf)
            return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        std::memcpy(buf, words.data(), words.size() * 4);
        if ((st = bv_kernel_validate(buf, words.size() * 4, err)) != BV_OK) {
            std::free(buf);
            bv_error_prefix(err, "the pass list up to step #%zu (%s) produced an invalid module", n,
                            n ? p->steps[n - 1].c_str() : "none");
            return st;
        }
        *out = buf;
        *out_size = words.size() * 4;
        return BV_OK;
    } catch (const std::bad_alloc &) {
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory in the SPIR-V optimizer");
    } catch (...) {
        return bv_error_set(err, BV_ERR_INTERNAL, "pass list: the optimizer threw");
    }
}

extern "C" bv_status bv_kernel_with_passes(const bv_kernel *k, const bv_kernel_passes *p, size_t n, uint64_t seed,
                                           const bv_kernel **out, bv_error *err)
{
    *out = k;
    if (!p || n == 0 || !k || k->error)
        return BV_OK; /* as bv_kernel_with_recipe: nothing to run, or a kernel that fails anyway */
    if (n > p->steps.size())
        return bv_error_set(err, BV_ERR_ARG, "bv_kernel_with_passes: %zu steps of a list of %zu", n, p->steps.size());
    try {
        const std::string text = prefix_text(*p, n);
        char key[sizeof cache->key], list_sha[65];
        bv_sha256_hex(list_sha, text.data(), text.size());
        std::snprintf(key, sizeof key, "%s+list:%s/%llu", k->sha256, list_sha, (unsigned long long)seed);
        std::lock_guard<std::mutex> guard(cache_lock);
        for (const cached *c = cache; c; c = c->next)
            if (std::strcmp(c->key, key) == 0) {
                *out = &c->kernel;
                return BV_OK;
            }
        uint32_t *code;
        size_t size;
        bv_status st = bv_kernel_run_passes(k->code, k->code_size, p, n, seed, &code, &size, err);
        if (st)
            return st;
        /* A user's list may hold passes that drop or move bindings (the recipes keep them): such a
         * module is refused here, before a driver sees it, as a --kernel-dir module would be. */
        if ((st = bv_kernel_check_abi(code, size, bv_ref_op_arity(k->op), err)) != BV_OK) {
            std::free(code);
            bv_error_prefix(err, "the pass list up to step #%zu (%s)", n, p->steps[n - 1].c_str());
            return st;
        }
        cached *c = keep(key, k, code, size);
        if (!c)
            return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        std::snprintf(c->kernel.name, sizeof c->kernel.name, "%s+passes", k->name);
        /* The source line is for people: a long list is cut, the SHA-256 tells modules apart. */
        std::snprintf(c->kernel.source, sizeof c->kernel.source, "%s, through %zu pass%s (%s)", k->source, n,
                      n == 1 ? "" : "es", text.size() > 300 ? (text.substr(0, 296) + " ...").c_str() : text.c_str());
        *out = &c->kernel;
        return BV_OK;
    } catch (const std::bad_alloc &) {
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    } catch (...) {
        return bv_error_set(err, BV_ERR_INTERNAL, "pass list: the optimizer threw");
    }
}
