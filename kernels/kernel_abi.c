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

/* Bytes of a scalar or vector type, or 4 for anything else (the ABI's members are uints). */
static uint32_t type_bytes(const uint32_t *w, size_t n, uint32_t id)
{
    for (size_t i = HEADER_WORDS; i < n;) {
        uint32_t len = w[i] >> 16, op = w[i] & 0xffff;
        if (len == 0 || i + len > n)
            break;
        if (len >= 3 && w[i + 1] == id) {
            if (op == OP_TYPE_INT || op == OP_TYPE_FLOAT)
                return w[i + 2] / 8;
            if (op == OP_TYPE_VECTOR && len >= 4)
                return type_bytes(w, n, w[i + 2]) * w[i + 3];
        }
        i += len;
    }
    return 4;
}

/* The decoration `dec` of id (its first literal), or -1. */
static int64_t decoration(const uint32_t *w, size_t n, uint32_t id, uint32_t dec)
{
    for (size_t i = HEADER_WORDS; i < n;) {
        uint32_t len = w[i] >> 16, op = w[i] & 0xffff;
        if (len == 0 || i + len > n)
            break;
        if (op == OP_DECORATE && len >= 4 && w[i + 1] == id && w[i + 2] == dec)
            return w[i + 3];
        i += len;
    }
    return -1;
}

/* The pointee struct of a pointer type, and its storage class. */
static uint32_t pointee(const uint32_t *w, size_t n, uint32_t ptr_type)
{
    for (size_t i = HEADER_WORDS; i < n;) {
        uint32_t len = w[i] >> 16, op = w[i] & 0xffff;
        if (len == 0 || i + len > n)
            break;
        if (op == OP_TYPE_POINTER && len >= 4 && w[i + 1] == ptr_type)
            return w[i + 3];
        i += len;
    }
    return 0;
}

/* End of the last member of a struct (offset + size), from its Offset decorations. */
static uint32_t struct_bytes(const uint32_t *w, size_t n, uint32_t st)
{
    uint32_t end = 0;
    for (size_t i = HEADER_WORDS; i < n;) {
        uint32_t len = w[i] >> 16, op = w[i] & 0xffff;
        if (len == 0 || i + len > n)
            break;
        if (op == OP_MEMBER_DECORATE && len >= 5 && w[i + 1] == st && w[i + 3] == DEC_OFFSET) {
            uint32_t member = w[i + 2], mtype = 0;
            for (size_t j = HEADER_WORDS; j < n;) {
                uint32_t l2 = w[j] >> 16, o2 = w[j] & 0xffff;
                if (l2 == 0 || j + l2 > n)
                    break;
                if (o2 == OP_TYPE_STRUCT && w[j + 1] == st && 2 + member < l2)
                    mtype = w[j + 2 + member];
                j += l2;
            }
            uint32_t e = w[i + 4] + type_bytes(w, n, mtype);
            if (e > end)
                end = e;
        }
        i += len;
    }
    return end;
}

bv_status bv_kernel_check_abi(const uint32_t *code, size_t size, unsigned arity, bv_error *err)
{
    const uint32_t *w = code;
    size_t n = size / 4;
    bool spec0 = false, size_id = false;
    if (!code || n < HEADER_WORDS)
        return bv_error_set(err, BV_ERR_SHADER, "not a SPIR-V module");
    for (size_t i = HEADER_WORDS; i < n;) {
        uint32_t len = w[i] >> 16, op = w[i] & 0xffff;
        if (len == 0 || i + len > n)
            return bv_error_set(err, BV_ERR_SHADER, "a SPIR-V instruction runs past the end of the module");
        if (op == OP_DECORATE && len >= 4 && w[i + 2] == DEC_SPEC_ID && w[i + 3] == 0)
            spec0 = true;
        if (op == OP_EXECUTION_MODE_ID && len >= 3 && w[i + 2] == MODE_LOCAL_SIZE_ID)
            size_id = true;
        if (op == OP_VARIABLE && len >= 4) {
            uint32_t id = w[i + 2], sc = w[i + 3];
            int64_t set = decoration(w, n, id, DEC_DESCRIPTOR_SET), binding = decoration(w, n, id, DEC_BINDING);
            if (set >= 0 || binding >= 0) {
                if (sc != SC_STORAGE_BUFFER && sc != SC_UNIFORM)
                    return bv_error_set(err, BV_ERR_SHADER,
                                        "does not follow the kernel ABI: a resource at set %lld, binding %lld that is "
                                        "not a storage buffer (the ABI binds storage buffers only)",
                                        (long long)set, (long long)binding);
                if (set != 0 || binding < 0 || binding > (int64_t)arity)
                    return bv_error_set(err, BV_ERR_SHADER,
                                        "does not follow the kernel ABI: a storage buffer in descriptor set %lld, "
                                        "binding %lld; the ABI has set 0 with bindings 0 (output) to %u (inputs)",
                                        (long long)set, (long long)binding, arity);
            }
            if (sc == SC_PUSH_CONSTANT) {
                uint32_t bytes = struct_bytes(w, n, pointee(w, n, w[i + 1]));
                if (bytes > PUSH_BYTES)
                    return bv_error_set(err, BV_ERR_SHADER,
                                        "does not follow the kernel ABI: a push-constant block of %u bytes; the ABI "
                                        "pushes %u ({ uint count; uint base; })",
                                        bytes, (unsigned)PUSH_BYTES);
            }
        }
        i += len;
    }
    if (!spec0 && !size_id)
        return bv_error_set(err, BV_ERR_SHADER,
                            "does not follow the kernel ABI: its workgroup size is fixed; the ABI takes it from "
                            "specialization constant 0 (layout(local_size_x_id = 0) in;)");
    return BV_OK;
}
