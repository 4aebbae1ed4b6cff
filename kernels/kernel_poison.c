/* kernels/kernel_poison.c: the "poison" recipe. Every Function- and Private-storage variable that
 * has no initializer gets one, a non-zero pattern that changes with a seed, element by element, so
 * that a kernel reading memory it never wrote gets garbage on every driver instead of whatever the
 * driver happens to leave there (often zero, and then the bug passes). Workgroup (shared) variables,
 * which cannot have initializers, are written by the workgroup's first invocation at the start of
 * the entry point, before a barrier. A plain word-level rewrite: SPIRV-Tools installs no headers
 * for writing a pass of one's own. */
#include "kernels_internal.h"

#include <stdlib.h>
#include <string.h>

enum {
    OP_ENTRY_POINT = 15,
    OP_TYPE_BOOL = 20,
    OP_TYPE_INT = 21,
    OP_TYPE_FLOAT = 22,
    OP_TYPE_VECTOR = 23,
    OP_TYPE_MATRIX = 24,
    OP_TYPE_ARRAY = 28,
    OP_TYPE_STRUCT = 30,
    OP_CONSTANT_TRUE = 41,
    OP_CONSTANT_FALSE = 42,
    OP_CONSTANT = 43,
    OP_CONSTANT_COMPOSITE = 44,
    OP_TYPE_POINTER = 32,
    OP_SPEC_CONSTANT = 50,
    OP_SPEC_CONSTANT_OP = 52,
    OP_FUNCTION = 54,
    OP_ACCESS_CHAIN = 65,
    OP_PHI = 245,
    OP_LOOP_MERGE = 246,
    OP_IADD = 128,
    OP_ULESS_THAN = 176,
    OP_VARIABLE = 59,
    OP_LOAD = 61,
    OP_STORE = 62,
    OP_DECORATE = 71,
    OP_IEQUAL = 170,
    OP_CONTROL_BARRIER = 224,
    OP_SELECTION_MERGE = 247,
    OP_LABEL = 248,
    OP_BRANCH = 249,
    OP_BRANCH_CONDITIONAL = 250,
    OP_LINE = 8,
    OP_NO_LINE = 317,
    SC_INPUT = 1,
    SC_WORKGROUP = 4,
    SC_PRIVATE = 6,
    SC_FUNCTION = 7,
    EXEC_GLCOMPUTE = 5,
    DECORATION_BUILTIN = 11,
    BUILTIN_LOCAL_INVOCATION_INDEX = 29,
    SCOPE_WORKGROUP = 2,
    /* AcquireRelease | WorkgroupMemory: the stores before the barrier are seen after it. */
    SEMANTICS_WORKGROUP = 0x108,
};

/* A composite of more scalars than this is filled with one element constant repeated: a large
 * array still gets poison, without a constant per element. */
#define POISON_DISTINCT_MAX 4096

typedef struct words {
    uint32_t *v;
    size_t n, cap;
} words;

typedef struct poisoner {
    const uint32_t *code;
    size_t nwords;
    uint32_t bound;
    size_t *def;      /* id -> word offset of the instruction that defines it (0: none) */
    uint64_t state;   /* the pattern's generator */
    bv_error *err;
} poisoner;

static bv_status push(words *w, const uint32_t *src, size_t n, bv_error *err)
{
    if (w->n + n > w->cap) {
        size_t cap = w->cap ? w->cap : 1024;
        while (cap < w->n + n)
            cap *= 2;
        uint32_t *v = realloc(w->v, cap * sizeof *v);
        if (!v)
            return bv_error_set(err, BV_ERR_NOMEM, "out of memory poisoning a module");
        w->v = v;
        w->cap = cap;
    }
    memcpy(w->v + w->n, src, n * sizeof *src);
    w->n += n;
    return BV_OK;
}

/* splitmix64: the next pattern word pair; never zero. */
static uint64_t next_pattern(poisoner *p)
{
    uint64_t z = bv_splitmix64(&p->state);
    return z ? z : 0x5a5a5a5a5a5a5a5aull;
}

static const uint32_t *def_of(const poisoner *p, uint32_t id)
{
    return id < p->bound && p->def[id] ? p->code + p->def[id] : NULL;
}

/* The number of scalars in a type, or 0 when it cannot be given a constant (a pointer, a
 * runtime array, an array whose length is a specialization constant, ...). */
static uint64_t scalars_of(const poisoner *p, uint32_t type, unsigned depth)
{
    const uint32_t *t = def_of(p, type);
    if (!t || depth > 32)
        return 0;
    unsigned op = t[0] & 0xffff, n = t[0] >> 16;
    switch (op) {
    case OP_TYPE_BOOL:
        return 1;
    case OP_TYPE_INT:
    case OP_TYPE_FLOAT:
        return n >= 3 && t[2] <= 64 ? 1 : 0;
    case OP_TYPE_VECTOR:
    case OP_TYPE_MATRIX:
        return n >= 4 ? scalars_of(p, t[2], depth + 1) * t[3] : 0;
    case OP_TYPE_ARRAY: {
        const uint32_t *len = n >= 4 ? def_of(p, t[3]) : NULL;
        if (!len || (len[0] & 0xffff) != OP_CONSTANT || (len[0] >> 16) < 4)
            return 0;
        uint64_t e = scalars_of(p, t[2], depth + 1);
        return len[3] && e <= UINT64_MAX / len[3] ? e * len[3] : 0;
    }
    case OP_TYPE_STRUCT: {
        uint64_t sum = 0;
        for (unsigned i = 2; i < n; i++) {
            uint64_t e = scalars_of(p, t[i], depth + 1);
            if (!e || sum > UINT64_MAX - e)
                return 0;
            sum += e;
        }
        return n > 2 ? sum : 0;
    }
    default:
        return 0;
    }
}

/* Appends to out the constants for a value of `type` and sets *id to the last (the value
 * itself). Scalars get fresh patterns; a large composite repeats one element. */
static bv_status make_constant(poisoner *p, words *out, uint32_t type, uint32_t *id)
{
    const uint32_t *t = def_of(p, type);
    unsigned op = t[0] & 0xffff, n = t[0] >> 16;
    if (p->bound == UINT32_MAX || p->bound >= (1u << 22))
        return bv_error_set(p->err, BV_ERR_SHADER, "poisoning the module needs more ids than SPIR-V allows");
    bv_status st;
    if (op == OP_TYPE_BOOL) {
        uint32_t ins[3] = {(3u << 16) | (next_pattern(p) & 1 ? OP_CONSTANT_TRUE : OP_CONSTANT_FALSE), type, p->bound};
        *id = p->bound++;
        return push(out, ins, 3, p->err);
    }
    if (op == OP_TYPE_INT || op == OP_TYPE_FLOAT) {
        uint32_t width = t[2];
        uint64_t v = next_pattern(p);
        if (op == OP_TYPE_FLOAT) {
            /* A finite, normal value with the pattern in its mantissa: no NaN or infinity,
             * which a driver might treat specially. */
            if (width == 64)
                v = (v & 0x800fffffffffffffull) | 0x3ff0000000000000ull;
            else if (width == 32)
                v = (v & 0x807fffffu) | 0x3f800000u;
            else
                v = (v & 0x83ffu) | 0x3c00u;
        } else if (width < 32) {
            /* Narrow literals are zero- or sign-extended to a word: keep the sign bit clear. */
            v &= (1u << (width - 1)) - 1;
            v |= 1;
        }
        uint32_t ins[5] = {((width == 64 ? 5u : 4u) << 16) | OP_CONSTANT, type, p->bound, (uint32_t)v,
                           (uint32_t)(v >> 32)};
        *id = p->bound++;
        return push(out, ins, width == 64 ? 5 : 4, p->err);
    }
    /* Composites: the member types, and how many constituents. */
    uint32_t count;
    const uint32_t *members = NULL;
    if (op == OP_TYPE_STRUCT) {
        count = n - 2;
        members = t + 2;
    } else if (op == OP_TYPE_ARRAY) {
        count = def_of(p, t[3])[3];
    } else {
        count = t[3];
    }
    bool distinct = scalars_of(p, type, 0) <= POISON_DISTINCT_MAX;
    uint32_t *ids = malloc((size_t)count * sizeof *ids);
    if (!ids)
        return bv_error_set(p->err, BV_ERR_NOMEM, "out of memory poisoning a module");
    for (uint32_t i = 0; i < count; i++) {
        if (!members && !distinct && i > 0) {
            ids[i] = ids[0];
            continue;
        }
        if ((st = make_constant(p, out, members ? members[i] : t[2], &ids[i])) != BV_OK) {
            free(ids);
            return st;
        }
    }
    if ((uint64_t)count + 3 > 0xffff) {
        free(ids);
        return bv_error_set(p->err, BV_ERR_SHADER, "a composite of %u members is too large to poison", count);
    }
    uint32_t head[3] = {((count + 3) << 16) | OP_CONSTANT_COMPOSITE, type, p->bound};
    *id = p->bound++;
    st = push(out, head, 3, p->err);
    if (!st)
        st = push(out, ids, count, p->err);
    free(ids);
    return st;
}

/* The initializer for an OpVariable at ins (without one), its constants appended to consts;
 * *init = 0 when its type cannot have one (left as it is). */
static bv_status poison_variable(poisoner *p, const uint32_t *ins, words *consts, uint32_t *init)
{
    *init = 0;
    const uint32_t *ptr = def_of(p, ins[1]);
    if (!ptr || (ptr[0] & 0xffff) != OP_TYPE_POINTER || (ptr[0] >> 16) < 4)
        return BV_OK;
    if (!scalars_of(p, ptr[3], 0))
        return BV_OK;
    return make_constant(p, consts, ptr[3], init);
}

/* Whether id is a (specialization) constant of a 32-bit integer type: an array length. */
static bool is_int32(const poisoner *p, uint32_t id)
{
    const uint32_t *c = def_of(p, id);
    const uint32_t *t = c ? def_of(p, c[1]) : NULL;
    return t && (t[0] & 0xffff) == OP_TYPE_INT && (t[0] >> 16) == 4 && t[2] == 32;
}

static uint32_t new_id(poisoner *p)
{
    return p->bound++;
}

/* Appends one instruction of n words (the first word's count filled in here). */
static bv_status emit(words *w, bv_error *err, unsigned n, const uint32_t *ins)
{
    uint32_t head = ((uint32_t)n << 16) | (ins[0] & 0xffff);
    if (push(w, &head, 1, err))
        return BV_ERR_NOMEM;
    return push(w, ins + 1, n - 1, err);
}

/* A loop that stores value into each of the len elements of var (a workgroup array), appended
 * to the block labelled *block, which it ends; *block is then the loop's merge block. */
static bv_status fill_loop(poisoner *p, words *out, uint32_t from, uint32_t var, uint32_t elem_ptr, uint32_t len,
                           uint32_t value, uint32_t uint_t, uint32_t bool_t, uint32_t zero, uint32_t one,
                           uint32_t *block)
{
    uint32_t head = new_id(p), check = new_id(p), body = new_id(p), cont = new_id(p), merge = new_id(p);
    uint32_t i = new_id(p), next = new_id(p), more = new_id(p), ptr = new_id(p);
    bv_status st;
    if ((st = emit(out, p->err, 2, (uint32_t[]){OP_BRANCH, head})) ||
        (st = emit(out, p->err, 2, (uint32_t[]){OP_LABEL, head})) ||
        (st = emit(out, p->err, 7, (uint32_t[]){OP_PHI, uint_t, i, zero, from, next, cont})) ||
        (st = emit(out, p->err, 4, (uint32_t[]){OP_LOOP_MERGE, merge, cont, 0})) ||
        (st = emit(out, p->err, 2, (uint32_t[]){OP_BRANCH, check})) ||
        (st = emit(out, p->err, 2, (uint32_t[]){OP_LABEL, check})) ||
        (st = emit(out, p->err, 5, (uint32_t[]){OP_ULESS_THAN, bool_t, more, i, len})) ||
        (st = emit(out, p->err, 4, (uint32_t[]){OP_BRANCH_CONDITIONAL, more, body, merge})) ||
        (st = emit(out, p->err, 2, (uint32_t[]){OP_LABEL, body})) ||
        (st = emit(out, p->err, 5, (uint32_t[]){OP_ACCESS_CHAIN, elem_ptr, ptr, var, i})) ||
        (st = emit(out, p->err, 3, (uint32_t[]){OP_STORE, ptr, value})) ||
        (st = emit(out, p->err, 2, (uint32_t[]){OP_BRANCH, cont})) ||
        (st = emit(out, p->err, 2, (uint32_t[]){OP_LABEL, cont})) ||
        (st = emit(out, p->err, 5, (uint32_t[]){OP_IADD, uint_t, next, i, one})) ||
        (st = emit(out, p->err, 2, (uint32_t[]){OP_BRANCH, head})) ||
        (st = emit(out, p->err, 2, (uint32_t[]){OP_LABEL, merge})))
        return st;
    *block = merge;
    return BV_OK;
}

/* Workgroup variables: they cannot have initializers, so the entry point's first invocation
 * (LocalInvocationIndex 0, the only writer: identical stores from every invocation would still
 * be a data race) stores a pattern into each before a workgroup barrier, and every invocation
 * then starts from that garbage instead of whatever the previous workgroup left. The entry
 * block is split: its variables stay in a new first block, which branches to the stores and
 * then to the old block under its old label, so no OpPhi needs rewriting. */
static bv_status poison_workgroup(poisoner *p, words *body)
{
    const uint32_t *w = body->v;
    size_t n = body->n, ep = 0, first_type = 0, first_func = 0, entry_label = 0;
    uint32_t func = 0, uint_t = 0, bool_t = 0, lii = 0, lii_type = 0;
    /* A variable's type, or for an array sized by a specialization constant (a staged load's
     * gl_WorkGroupSize.x * n) its element's type and the length, filled by a loop. */
    uint32_t wg_var[64], wg_type[64], wg_len[64];
    size_t nwg = 0;
    bv_status st = BV_OK;
    for (size_t i = 5; i < n; i += w[i] >> 16) {
        unsigned op = w[i] & 0xffff, len = w[i] >> 16;
        if (op == OP_ENTRY_POINT && len >= 3 && w[i + 1] == EXEC_GLCOMPUTE && !ep) {
            ep = i;
            func = w[i + 2];
        } else if (op == OP_TYPE_INT && len == 4 && w[i + 2] == 32 && w[i + 3] == 0) {
            uint_t = w[i + 1];
        } else if (op == OP_TYPE_BOOL && len == 2) {
            bool_t = w[i + 1];
        } else if (op == OP_DECORATE && len == 4 && w[i + 2] == DECORATION_BUILTIN &&
                   w[i + 3] == BUILTIN_LOCAL_INVOCATION_INDEX) {
            lii = w[i + 1];
        } else if (op == OP_VARIABLE && len == 4 && w[i + 3] == SC_WORKGROUP && nwg < 64) {
            const uint32_t *ptr = def_of(p, w[i + 1]);
            const uint32_t *t = ptr && (ptr[0] & 0xffff) == OP_TYPE_POINTER && (ptr[0] >> 16) >= 4 ? def_of(p, ptr[3]) : NULL;
            if (t && scalars_of(p, ptr[3], 0)) {
                wg_var[nwg] = w[i + 2];
                wg_len[nwg] = 0;
                wg_type[nwg++] = ptr[3];
            } else if (t && (t[0] & 0xffff) == OP_TYPE_ARRAY && (t[0] >> 16) >= 4 && scalars_of(p, t[2], 0) &&
                       is_int32(p, t[3])) {
                wg_var[nwg] = w[i + 2];
                wg_len[nwg] = t[3];
                wg_type[nwg++] = t[2];
            }
        } else if (op == OP_FUNCTION && len == 5) {
            if (!first_func)
                first_func = i;
            if (w[i + 2] == func && func)
                for (size_t j = i + len; j < n && !entry_label; j += w[j] >> 16)
                    if ((w[j] & 0xffff) == OP_LABEL)
                        entry_label = j;
        }
        if (op >= 19 && op <= 39 && !first_type)
            first_type = i;
    }
    if (!nwg)
        return BV_OK;
    if (!ep || !first_type || !first_func || !entry_label)
        return bv_error_set(p->err, BV_ERR_SHADER, "poison: a module with workgroup variables but no compute entry point");
    if (p->bound >= (1u << 22) - 64 * 12)
        return bv_error_set(p->err, BV_ERR_SHADER, "poisoning the module needs more ids than SPIR-V allows");
    /* The invocation index: the module's own builtin variable, or a new one. */
    for (size_t i = first_type; lii && i < first_func; i += w[i] >> 16)
        if ((w[i] & 0xffff) == OP_VARIABLE && w[i + 2] == lii) {
            const uint32_t *ptr = def_of(p, w[i + 1]);
            lii_type = ptr && (ptr[0] >> 16) >= 4 ? ptr[3] : 0;
        }
    words glob = {0}, out = {0};
    bool new_lii = !lii || !lii_type;
    if (!uint_t) {
        uint_t = new_id(p);
        if ((st = emit(&glob, p->err, 4, (uint32_t[]){OP_TYPE_INT, uint_t, 32, 0})))
            goto done;
    }
    if (!bool_t) {
        bool_t = new_id(p);
        if ((st = emit(&glob, p->err, 2, (uint32_t[]){OP_TYPE_BOOL, bool_t})))
            goto done;
    }
    if (new_lii) {
        uint32_t ptr = new_id(p);
        lii = new_id(p);
        lii_type = uint_t;
        if ((st = emit(&glob, p->err, 4, (uint32_t[]){OP_TYPE_POINTER, ptr, SC_INPUT, uint_t})) ||
            (st = emit(&glob, p->err, 4, (uint32_t[]){OP_VARIABLE, ptr, lii, SC_INPUT})))
            goto done;
    }
    uint32_t zero = new_id(p), scope = new_id(p), sem = new_id(p);
    if ((st = emit(&glob, p->err, 4, (uint32_t[]){OP_CONSTANT, lii_type, zero, 0})) ||
        (st = emit(&glob, p->err, 4, (uint32_t[]){OP_CONSTANT, uint_t, scope, SCOPE_WORKGROUP})) ||
        (st = emit(&glob, p->err, 4, (uint32_t[]){OP_CONSTANT, uint_t, sem, SEMANTICS_WORKGROUP})))
        goto done;
    uint32_t value[64], elem_ptr[64], one = new_id(p), uzero = new_id(p);
    if ((st = emit(&glob, p->err, 4, (uint32_t[]){OP_CONSTANT, uint_t, one, 1})) ||
        (st = emit(&glob, p->err, 4, (uint32_t[]){OP_CONSTANT, uint_t, uzero, 0})))
        goto done;
    for (size_t v = 0; v < nwg; v++) {
        if ((st = make_constant(p, &glob, wg_type[v], &value[v])))
            goto done;
        if (wg_len[v]) {
            elem_ptr[v] = new_id(p);
            if ((st = emit(&glob, p->err, 4, (uint32_t[]){OP_TYPE_POINTER, elem_ptr[v], SC_WORKGROUP, wg_type[v]})))
                goto done;
        }
    }
    uint32_t first = new_id(p), stores = new_id(p), idx = new_id(p), is0 = new_id(p);
    size_t i = 0;
    if ((st = push(&out, w, 5, p->err)))
        goto done;
    for (i = 5; i < n;) {
        unsigned len = w[i] >> 16;
        if (i == first_type && new_lii &&
            (st = emit(&out, p->err, 4, (uint32_t[]){OP_DECORATE, lii, DECORATION_BUILTIN, BUILTIN_LOCAL_INVOCATION_INDEX})))
            goto done;
        if (i == first_func && (st = push(&out, glob.v, glob.n, p->err)))
            goto done;
        if (i == ep && new_lii) {
            if (len + 1u > 0xffff) {
                st = bv_error_set(p->err, BV_ERR_SHADER, "poison: the entry point's interface is full");
                goto done;
            }
            uint32_t head = ((len + 1u) << 16) | OP_ENTRY_POINT;
            if ((st = push(&out, &head, 1, p->err)) || (st = push(&out, w + i + 1, len - 1, p->err)) ||
                (st = push(&out, &lii, 1, p->err)))
                goto done;
            i += len;
            continue;
        }
        if (i == entry_label) {
            uint32_t old = w[i + 1];
            if ((st = emit(&out, p->err, 2, (uint32_t[]){OP_LABEL, first})))
                goto done;
            for (i += len; i < n; i += w[i] >> 16) {
                unsigned o = w[i] & 0xffff;
                if (o != OP_VARIABLE && o != OP_LINE && o != OP_NO_LINE)
                    break;
                if ((st = push(&out, w + i, w[i] >> 16, p->err)))
                    goto done;
            }
            if ((st = emit(&out, p->err, 4, (uint32_t[]){OP_LOAD, lii_type, idx, lii})) ||
                (st = emit(&out, p->err, 5, (uint32_t[]){OP_IEQUAL, bool_t, is0, idx, zero})) ||
                (st = emit(&out, p->err, 3, (uint32_t[]){OP_SELECTION_MERGE, old, 0})) ||
                (st = emit(&out, p->err, 4, (uint32_t[]){OP_BRANCH_CONDITIONAL, is0, stores, old})) ||
                (st = emit(&out, p->err, 2, (uint32_t[]){OP_LABEL, stores})))
                goto done;
            uint32_t block = stores;
            for (size_t v = 0; v < nwg && !st; v++)
                st = wg_len[v] ? fill_loop(p, &out, block, wg_var[v], elem_ptr[v], wg_len[v], value[v], uint_t, bool_t,
                                           uzero, one, &block)
                               : emit(&out, p->err, 3, (uint32_t[]){OP_STORE, wg_var[v], value[v]});
            if (st)
                goto done;
            if ((st = emit(&out, p->err, 2, (uint32_t[]){OP_BRANCH, old})) ||
                (st = emit(&out, p->err, 2, (uint32_t[]){OP_LABEL, old})) ||
                (st = emit(&out, p->err, 4, (uint32_t[]){OP_CONTROL_BARRIER, scope, scope, sem})))
                goto done;
            continue;
        }
        if ((st = push(&out, w + i, len, p->err)))
            goto done;
        i += len;
    }
    out.v[3] = p->bound;
    free(body->v);
    *body = out;
    out.v = NULL;
done:
    free(glob.v);
    free(out.v);
    return st;
}

bv_status bv_kernel_poison(const uint32_t *code, size_t size, uint64_t seed, uint32_t **out, size_t *out_size,
                           bv_error *err)
{
    *out = NULL;
    *out_size = 0;
    if (!code || size < 20 || size % 4 || code[0] != 0x07230203u)
        return bv_error_set(err, BV_ERR_SHADER, "poison: not a SPIR-V module");
    poisoner p = {.code = code, .nwords = size / 4, .bound = code[3], .state = seed, .err = err};
    words body = {0}, fconsts = {0}, gconsts = {0};
    bv_status st = BV_OK;
    if (p.bound == 0 || p.bound > (1u << 22))
        return bv_error_set(err, BV_ERR_SHADER, "poison: id bound %u out of range", p.bound);
    p.def = calloc(p.bound, sizeof *p.def);
    if (!p.def)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory poisoning a module");
    /* Pass 1: where each id is defined (types and constants have their result in word 1,
     * constants and variables in word 2). */
    for (size_t i = 5; i < p.nwords;) {
        unsigned n = code[i] >> 16, op = code[i] & 0xffff;
        if (n == 0 || i + n > p.nwords) {
            st = bv_error_set(err, BV_ERR_SHADER, "poison: instruction at word %zu runs past the module", i);
            goto done;
        }
        uint32_t rid = 0;
        if (op >= OP_TYPE_BOOL && op <= 39 && n >= 2)
            rid = code[i + 1];
        else if ((op == OP_CONSTANT || op == OP_CONSTANT_TRUE || op == OP_CONSTANT_FALSE || op == OP_SPEC_CONSTANT ||
                  op == OP_SPEC_CONSTANT_OP) &&
                 n >= 3)
            rid = code[i + 2];
        if (rid && rid < p.bound)
            p.def[rid] = i;
        i += n;
    }
    /* Pass 2: copy, giving variables initializers. A Private variable's constants go just before
     * it (its types are declared by then); a Function variable's before the first function. */
    if ((st = push(&body, code, 5, err)))
        goto done;
    for (size_t i = 5; i < p.nwords;) {
        unsigned n = code[i] >> 16, op = code[i] & 0xffff;
        if (op == OP_VARIABLE && n == 4 && (code[i + 3] == SC_PRIVATE || code[i + 3] == SC_FUNCTION)) {
            uint32_t init;
            words *cw = code[i + 3] == SC_PRIVATE ? &gconsts : &fconsts;
            gconsts.n = 0;
            if ((st = poison_variable(&p, code + i, cw, &init)))
                goto done;
            if (code[i + 3] == SC_PRIVATE && gconsts.n && (st = push(&body, gconsts.v, gconsts.n, err)))
                goto done;
            if (init) {
                uint32_t ins[5] = {(5u << 16) | OP_VARIABLE, code[i + 1], code[i + 2], code[i + 3], init};
                if ((st = push(&body, ins, 5, err)))
                    goto done;
                i += n;
                continue;
            }
        }
        if ((st = push(&body, code + i, n, err)))
            goto done;
        i += n;
    }
    /* Splice the Function variables' constants in before the first function. */
    if (fconsts.n) {
        size_t at = 5;
        while (at < body.n && (body.v[at] & 0xffff) != OP_FUNCTION)
            at += body.v[at] >> 16;
        size_t tail = body.n - at;
        if ((st = push(&body, fconsts.v, fconsts.n, err)))
            goto done;
        memmove(body.v + at + fconsts.n, body.v + at, tail * sizeof *body.v);
        memcpy(body.v + at, fconsts.v, fconsts.n * sizeof *body.v);
    }
    body.v[3] = p.bound;
    if ((st = poison_workgroup(&p, &body)))
        goto done;
    *out = body.v;
    *out_size = body.n * 4;
    body.v = NULL;
done:
    free(body.v);
    free(fconsts.v);
    free(gconsts.v);
    free(p.def);
    return st;
}
