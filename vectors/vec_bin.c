/* vectors/vec_bin.c: binary vector files (docs/vectors.md): a header checked against the
 * file's real size before anything is allocated, the element arrays, and an FNV-1a 64
 * checksum, so that truncation and corruption are refused rather than believed. */
#define _POSIX_C_SOURCE 200809L
#include "vec_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

/* Bytes of the arrays after the header for count cases: x, then y for binary ops, then
 * expected when flagged, each element of its slot's size (bv_ref_slot_bytes). */
static bv_status arrays_bytes(bv_family f, bv_op op, unsigned flags, size_t count, size_t *out)
{
    size_t per = bv_ref_slot_bytes(f, op, BV_REF_X) + bv_ref_slot_bytes(f, op, BV_REF_Y) +
                 ((flags & BV_VEC_BIN_FLAG_EXPECTED) ? bv_ref_slot_bytes(f, op, BV_REF_OUT) : 0);
    return bv_size_mul(count, per, out);
}

static bv_status write_chunk(bv_atomic_file *af, uint64_t *h, const void *p, size_t n,
                             bv_error *err)
{
    *h = bv_fnv1a64(*h, p, n);
    if (n && fwrite(p, 1, n, af->f) != n)
        return bv_error_set(err, BV_ERR_IO, "%s: write failed: %s", bv_file_label(af->path, true), strerror(errno));
    return BV_OK;
}

bv_status bv_vec_write_bin(const char *path, const bv_vec_set *set, bv_error *err)
{
    uint8_t header[BV_VEC_BIN_HEADER_BYTES] = {0}, sum[8];
    unsigned flags = 0;
    uint64_t h = BV_FNV_OFFSET;
    bv_atomic_file af;
    bv_status st;
    size_t total, n[3];

    if (set->expected && set->has_expected) {
        for (size_t i = 0; i < set->count; i++)
            if (!set->has_expected[i])
                return bv_error_set(err, BV_ERR_ARG,
                                    "%s: case %zu has no expected value: a binary file holds one for every case or none (write JSON instead)",
                                    path, i);
    }
    if (set->count > BV_VEC_MAX_COUNT ||
        arrays_bytes(set->family, set->op, BV_VEC_BIN_FLAG_EXPECTED, set->count, &total) != BV_OK)
        return bv_error_set(err, BV_ERR_OVERFLOW, "%s: %zu cases, more than the limit of %zu", path,
                            set->count, BV_VEC_MAX_COUNT);
    if (set->expected)
        flags |= BV_VEC_BIN_FLAG_EXPECTED;
    if (bv_vec_set_is_random(set))
        flags |= BV_VEC_BIN_FLAG_RANDOM;
    memcpy(header, BV_VEC_BIN_MAGIC, 8);
    put_le(header + 8, BV_VEC_BIN_VERSION, 4);
    header[12] = (uint8_t)set->family;
    header[13] = (uint8_t)set->op;
    put_le(header + 14, flags, 2);
    put_le(header + 16, set->count, 8);
    put_le(header + 24, (flags & BV_VEC_BIN_FLAG_RANDOM) ? set->seed : 0, 8);
    put_le(header + 32, (flags & BV_VEC_BIN_FLAG_RANDOM) ? set->first : 0, 8);

    for (unsigned w = 0; w < 3; w++)
        n[w] = set->count * bv_ref_slot_bytes(set->family, set->op, w); /* each below total */
    if ((st = bv_atomic_open(&af, path, err)) != BV_OK)
        return st;
    if ((st = write_chunk(&af, &h, header, sizeof header, err)) != BV_OK ||
        (st = write_chunk(&af, &h, set->x, n[0], err)) != BV_OK ||
        (set->y && (st = write_chunk(&af, &h, set->y, n[1], err)) != BV_OK) ||
        (set->expected && (st = write_chunk(&af, &h, set->expected, n[2], err)) != BV_OK))
        goto fail;
    put_le(sum, h, 8);
    if (fwrite(sum, 1, sizeof sum, af.f) != sizeof sum) {
        st = bv_error_set(err, BV_ERR_IO, "%s: write failed: %s", bv_file_label(path, true), strerror(errno));
        goto fail;
    }
    return bv_atomic_commit(&af, err);
fail:
    bv_atomic_abort(&af);
    return st;
}

static bv_status read_chunk(const char *path, FILE *f, uint64_t *h, void *p, size_t n,
                            const char *what, bv_error *err)
{
    if (n && fread(p, 1, n, f) != n)
        return bv_error_set(err, ferror(f) ? BV_ERR_IO : BV_ERR_PARSE,
                            "%s: truncated while reading %s", path, what);
    *h = bv_fnv1a64(*h, p, n);
    return BV_OK;
}

/* Every element must be below the modulus, and every input valid (a point on the curve): the
 * checksum only says the bytes are the ones that were written, not that a writer wrote
 * sensible values. */
static bv_status check_canonical(const char *path, const bv_vec_set *set, bv_error *err)
{
    const bv_ref_family_info *fam = bv_ref_family(set->family);
    const uint8_t *arrays[3] = {set->x, set->y, set->expected};
    static const char *const what[3] = {"inputs[0]", "inputs[1]", "expected"};
    char name[64], hex[BV_REF_MAX_HEX];
    for (size_t i = 0; i < set->count; i++) {
        for (unsigned a = 0; a < 3; a++) {
            size_t bytes = bv_ref_slot_bytes(set->family, set->op, a);
            const uint8_t *v = arrays[a] ? arrays[a] + i * bytes : NULL;
            bool canonical = !v || bv_ref_slot_canonical(set->family, set->op, a, v);
            if (canonical && (!v || a == BV_REF_OUT || fam->valid_input(set->op, a, v)))
                continue;
            bv_vec_name(set, i, name, sizeof name);
            bv_ref_hex_format_slot(set->family, set->op, a, v, hex);
            return bv_error_set(err, BV_ERR_VALUE, "%s: case %zu (%s): %s %s is %s %s", path, i,
                                name, what[a], hex,
                                canonical ? "not a point on the curve of" : "not below the modulus of",
                                bv_ref_family_name(set->family));
        }
    }
    return BV_OK;
}

bv_status vec_bin_read(const char *path, FILE *f, bool regular, bv_vec_set **out, bv_error *err)
{
    uint8_t header[BV_VEC_BIN_HEADER_BYTES], sum[8];
    uint64_t h = BV_FNV_OFFSET, count64, stored;
    unsigned version, field_id, op_id, flags;
    size_t array_bytes[3], want;
    bv_vec_set *set = NULL;
    struct stat sb;
    bv_status st;

    *out = NULL;
    memset(&sb, 0, sizeof sb);
    if (regular && fstat(fileno(f), &sb) != 0)
        return bv_error_set(err, BV_ERR_IO, "%s: cannot stat: %s", path, strerror(errno));
    if (regular && sb.st_size < (off_t)(BV_VEC_BIN_HEADER_BYTES + sizeof sum))
        return bv_error_set(err, BV_ERR_PARSE,
                            "%s: truncated: %lld bytes, shorter than a header and a checksum",
                            path, (long long)sb.st_size);
    memcpy(header, BV_VEC_BIN_MAGIC, 8);
    if (fread(header + 8, 1, sizeof header - 8, f) != sizeof header - 8)
        return bv_error_set(err, ferror(f) ? BV_ERR_IO : BV_ERR_PARSE,
                            "%s: truncated: the binary header is cut short", path);
    h = bv_fnv1a64(h, header, sizeof header);
    version = (unsigned)get_le(header + 8, 4);
    field_id = header[12];
    op_id = header[13];
    flags = (unsigned)get_le(header + 14, 2);
    count64 = get_le(header + 16, 8);
    if (version != BV_VEC_BIN_VERSION)
        return bv_error_set(err, BV_ERR_PARSE, "%s: unknown binary format version %u (expected %u)",
                            path, version, BV_VEC_BIN_VERSION);
    if (field_id >= BV_FAMILY_COUNT)
        return bv_error_set(err, BV_ERR_VALUE, "%s: unknown field id %u in the header", path,
                            field_id);
    if (op_id >= BV_OP_COUNT)
        return bv_error_set(err, BV_ERR_VALUE, "%s: unknown op id %u in the header", path, op_id);
    if (!bv_ref_family_op((bv_family)field_id, (bv_op)op_id))
        return bv_error_set(err, BV_ERR_VALUE, "%s: the header's %s has no op %s", path,
                            bv_ref_family_name((bv_family)field_id), bv_ref_op_name((bv_op)op_id));
    if (flags & ~(BV_VEC_BIN_FLAG_EXPECTED | BV_VEC_BIN_FLAG_RANDOM))
        return bv_error_set(err, BV_ERR_PARSE, "%s: unknown flags 0x%x in the header", path, flags);
    if (get_le(header + 40, 8) != 0)
        return bv_error_set(err, BV_ERR_PARSE, "%s: reserved header bytes are not zero", path);
    if (count64 > BV_VEC_MAX_COUNT)
        return bv_error_set(err, BV_ERR_PARSE,
                            "%s: absurd count %llu in the header (the limit is %zu)", path,
                            (unsigned long long)count64, BV_VEC_MAX_COUNT);
    /* With count bounded above, none of these can overflow; checked all the same. */
    if (arrays_bytes((bv_family)field_id, (bv_op)op_id, flags, (size_t)count64, &want) != BV_OK ||
        bv_size_add(want, BV_VEC_BIN_HEADER_BYTES + sizeof sum, &want) != BV_OK)
        return bv_error_set(err, BV_ERR_OVERFLOW, "%s: header count %llu overflows", path,
                            (unsigned long long)count64);
    if (regular && (uint64_t)sb.st_size != (uint64_t)want)
        return bv_error_set(err, BV_ERR_PARSE,
                            "%s: %s: the file has %lld bytes, but its header's count of %llu %s %s cases needs %zu",
                            path, (uint64_t)sb.st_size < (uint64_t)want ? "truncated" : "too long",
                            (long long)sb.st_size, (unsigned long long)count64,
                            bv_ref_family_name((bv_family)field_id), bv_ref_op_name((bv_op)op_id), want);

    if ((st = bv_vec_set_create((bv_family)field_id, (bv_op)op_id, (size_t)count64, false, &set,
                                err)) != BV_OK) {
        bv_error_prefix(err, "%s", path);
        goto fail;
    }
    if ((flags & BV_VEC_BIN_FLAG_EXPECTED) &&
        (st = bv_vec_set_alloc_expected(set, false, err)) != BV_OK)
        goto fail;
    for (unsigned w = 0; w < 3; w++)
        array_bytes[w] = set->count * bv_ref_slot_bytes(set->family, set->op, w); /* below want */
    if ((st = read_chunk(path, f, &h, set->x, array_bytes[0], "inputs", err)) != BV_OK ||
        (set->y && (st = read_chunk(path, f, &h, set->y, array_bytes[1], "second inputs", err)) != BV_OK) ||
        (set->expected &&
         (st = read_chunk(path, f, &h, set->expected, array_bytes[2], "expected values", err)) != BV_OK))
        goto fail;
    if (fread(sum, 1, sizeof sum, f) != sizeof sum) {
        st = bv_error_set(err, BV_ERR_PARSE, "%s: truncated: no checksum", path);
        goto fail;
    }
    if (!regular && fgetc(f) != EOF) {
        st = bv_error_set(err, BV_ERR_PARSE,
                          "%s: too long: bytes after the checksum that the header's count of %llu cases does not account for",
                          path, (unsigned long long)count64);
        goto fail;
    }
    stored = get_le(sum, 8);
    if (stored != h) {
        st = bv_error_set(err, BV_ERR_PARSE,
                          "%s: checksum mismatch: the file says 0x%016llx, its contents give 0x%016llx (corrupted)",
                          path, (unsigned long long)stored, (unsigned long long)h);
        goto fail;
    }
    if (flags & BV_VEC_BIN_FLAG_RANDOM) {
        snprintf(set->name_prefix, sizeof set->name_prefix, "random/");
        set->seed = get_le(header + 24, 8);
        set->first = get_le(header + 32, 8);
    } else {
        snprintf(set->name_prefix, sizeof set->name_prefix, "case/");
    }
    if ((st = check_canonical(path, set, err)) != BV_OK)
        goto fail;
    *out = set;
    return BV_OK;
fail:
    bv_vec_set_destroy(set);
    return st;
}
