/* kernels/kernel_abi.c: a module's interface checked against the kernel ABI before a driver sees
 * it: storage buffers in descriptor set 0 at the bindings the op has, push constants within
 * { uint count; uint base; }, and the workgroup size taken from specialization constant 0. A
 * module that breaks it can crash a driver in vkCreateComputePipelines (a buffer in set 1 does on
 * lavapipe), so it is refused with what differs instead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels_internal.h"

enum {
    OP_EXECUTION_MODE = 16, OP_TYPE_INT = 21, OP_TYPE_FLOAT = 22, OP_TYPE_VECTOR = 23, OP_TYPE_STRUCT = 30,
    OP_TYPE_POINTER = 32, OP_VARIABLE = 59, OP_DECORATE = 71, OP_MEMBER_DECORATE = 72, OP_EXECUTION_MODE_ID = 331,
    DEC_SPEC_ID = 1, DEC_BINDING = 33, DEC_DESCRIPTOR_SET = 34, DEC_OFFSET = 35,
    SC_UNIFORM = 2, SC_PUSH_CONSTANT = 9, SC_STORAGE_BUFFER = 12, MODE_LOCAL_SIZE_ID = 38,
    PUSH_BYTES = 8, HEADER_WORDS = 5
};

/* What the check needs to know of one id, gathered in one pass: every lookup is then constant
 * time, so that a hostile module of many variables and decorations is not a quadratic scan. */
typedef struct id_info {
    int64_t set, binding; /* decorations, -1 when absent */
    uint32_t pointee;     /* a pointer type's pointee */
    uint32_t bytes;       /* a scalar or vector type's size; a struct's end (last member's offset + size) */
    uint32_t def;         /* word index of a struct type's definition */
} id_info;

/* The largest id bound a consumer must accept (SPIR-V's universal limits). */
#define MAX_ID_BOUND 0x3fffffu

bv_status bv_kernel_check_abi(const uint32_t *code, size_t size, unsigned arity, bv_error *err)
{
    const uint32_t *w = code;
    size_t n = size / 4;
    bool spec0 = false, size_id = false;
    id_info *ids = NULL;
    bv_status st = BV_OK;
    if (!code || n < HEADER_WORDS)
        return bv_error_set(err, BV_ERR_SHADER, "not a SPIR-V module");
    uint32_t bound = w[3];
    if (bound == 0 || bound > MAX_ID_BOUND)
        return bv_error_set(err, BV_ERR_SHADER, "an id bound of %u (SPIR-V allows up to %u)", bound, MAX_ID_BOUND);
    /* calloc: a large bound with few ids touches few pages. */
    ids = calloc(bound, sizeof *ids);
    if (!ids)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory for %u ids", bound);
    for (uint32_t i = 0; i < bound; i++)
        ids[i].set = ids[i].binding = -1;
#define ID_OK(x) ((x) < bound)
    /* Pass 1: decorations, types, and the instruction stream's integrity. */
    for (size_t i = HEADER_WORDS; i < n;) {
        uint32_t len = w[i] >> 16, op = w[i] & 0xffff;
        if (len == 0 || i + len > n) {
            st = bv_error_set(err, BV_ERR_SHADER, "a SPIR-V instruction runs past the end of the module");
            goto out;
        }
        if (op == OP_DECORATE && len >= 4 && ID_OK(w[i + 1])) {
            if (w[i + 2] == DEC_DESCRIPTOR_SET && ids[w[i + 1]].set < 0)
                ids[w[i + 1]].set = w[i + 3];
            else if (w[i + 2] == DEC_BINDING && ids[w[i + 1]].binding < 0)
                ids[w[i + 1]].binding = w[i + 3];
            else if (w[i + 2] == DEC_SPEC_ID && w[i + 3] == 0)
                spec0 = true;
        }
        if (op == OP_EXECUTION_MODE_ID && len >= 3 && w[i + 2] == MODE_LOCAL_SIZE_ID)
            size_id = true;
        if ((op == OP_TYPE_INT || op == OP_TYPE_FLOAT) && len >= 3 && ID_OK(w[i + 1]))
            ids[w[i + 1]].bytes = w[i + 2] / 8;
        /* Types are declared before use: a vector's component size is known here. */
        if (op == OP_TYPE_VECTOR && len >= 4 && ID_OK(w[i + 1]) && ID_OK(w[i + 2]))
            ids[w[i + 1]].bytes = ids[w[i + 2]].bytes * w[i + 3];
        if (op == OP_TYPE_STRUCT && len >= 2 && ID_OK(w[i + 1]))
            ids[w[i + 1]].def = (uint32_t)i;
        if (op == OP_TYPE_POINTER && len >= 4 && ID_OK(w[i + 1]))
            ids[w[i + 1]].pointee = w[i + 3];
        i += len;
    }
    /* Pass 2: each struct's end, from its members' Offset decorations and types (members whose
     * size is unknown count 4 bytes: the ABI's members are uints). */
    for (size_t i = HEADER_WORDS; i < n;) {
        uint32_t len = w[i] >> 16, op = w[i] & 0xffff;
        if (op == OP_MEMBER_DECORATE && len >= 5 && w[i + 3] == DEC_OFFSET && ID_OK(w[i + 1]) && ids[w[i + 1]].def) {
            id_info *s = &ids[w[i + 1]];
            uint32_t member = w[i + 2], dl = w[s->def] >> 16, mbytes = 4;
            if (2 + (uint64_t)member < dl && ID_OK(w[s->def + 2 + member]) && ids[w[s->def + 2 + member]].bytes)
                mbytes = ids[w[s->def + 2 + member]].bytes;
            uint64_t e = (uint64_t)w[i + 4] + mbytes;
            s->bytes = e > s->bytes ? (e > UINT32_MAX ? UINT32_MAX : (uint32_t)e) : s->bytes;
        }
        i += len;
    }
    /* Pass 3: the variables. */
    for (size_t i = HEADER_WORDS; i < n;) {
        uint32_t len = w[i] >> 16, op = w[i] & 0xffff;
        if (op == OP_VARIABLE && len >= 4 && ID_OK(w[i + 2])) {
            uint32_t id = w[i + 2], sc = w[i + 3];
            int64_t set = ids[id].set, binding = ids[id].binding;
            if (set >= 0 || binding >= 0) {
                if (sc != SC_STORAGE_BUFFER && sc != SC_UNIFORM) {
                    st = bv_error_set(err, BV_ERR_SHADER,
                                      "does not follow the kernel ABI: a resource at set %lld, binding %lld that is "
                                      "not a storage buffer (the ABI binds storage buffers only)",
                                      (long long)set, (long long)binding);
                    goto out;
                }
                if (set != 0 || binding < 0 || binding > (int64_t)arity) {
                    st = bv_error_set(err, BV_ERR_SHADER,
                                      "does not follow the kernel ABI: a storage buffer in descriptor set %lld, "
                                      "binding %lld; the ABI has set 0 with bindings 0 (output) to %u (inputs)",
                                      (long long)set, (long long)binding, arity);
                    goto out;
                }
            }
            if (sc == SC_PUSH_CONSTANT) {
                uint32_t ptr = w[i + 1], block = ID_OK(ptr) ? ids[ptr].pointee : 0;
                uint32_t bytes = ID_OK(block) ? ids[block].bytes : 0;
                if (bytes > PUSH_BYTES) {
                    st = bv_error_set(err, BV_ERR_SHADER,
                                      "does not follow the kernel ABI: a push-constant block of %u bytes; the ABI "
                                      "pushes %u ({ uint count; uint base; })",
                                      bytes, (unsigned)PUSH_BYTES);
                    goto out;
                }
            }
        }
        i += len;
    }
#undef ID_OK
    if (!spec0 && !size_id)
        st = bv_error_set(err, BV_ERR_SHADER,
                          "does not follow the kernel ABI: its workgroup size is fixed; the ABI takes it from "
                          "specialization constant 0 (layout(local_size_x_id = 0) in;)");
out:
    free(ids);
    return st;
}
