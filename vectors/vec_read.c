/* vectors/vec_read.c: bv_vec_read, which tells a binary vector file from a JSON one by its
 * first bytes and hands it to the right reader. */
#include "vec_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bv_status bv_vec_read(const char *path, bv_vec_set **out, bv_error *err)
{
    bv_status st;
    char magic[8] = {0}, *text = NULL;
    size_t got, len = 0;
    FILE *f = NULL;
    bool regular = false;

    *out = NULL;
    if ((st = bv_ref_init(err)) != BV_OK)
        return st;
    /* Read once, from the start: a pipe or "-" (standard input) cannot be read twice. */
    if ((st = bv_file_open_read(path, BV_FILE_STREAM, &f, &regular, err)) != BV_OK)
        return st;
    got = fread(magic, 1, sizeof magic, f);
    if (ferror(f)) {
        st = bv_error_set(err, BV_ERR_IO, "%s: read error: %s", path, strerror(errno));
        goto out;
    }
    if (got == sizeof magic && memcmp(magic, BV_VEC_BIN_MAGIC, sizeof magic) == 0) {
        st = vec_bin_read(path, f, regular, out, err);
        goto out;
    }
    if (got > 0 && magic[0] == BV_VEC_BIN_MAGIC[0]) {
        if (got < sizeof magic && memcmp(magic, BV_VEC_BIN_MAGIC, got) == 0)
            st = bv_error_set(err, BV_ERR_PARSE,
                              "%s: truncated binary vector file: %zu bytes, shorter than its 8-byte magic '%s'",
                              path, got, BV_VEC_BIN_MAGIC);
        else
            st = bv_error_set(err, BV_ERR_PARSE,
                              "%s: neither a binary vector file (those start with '%s') nor JSON", path,
                              BV_VEC_BIN_MAGIC);
        goto out;
    }
    if ((st = bv_file_read_rest(f, path, BV_VEC_MAX_JSON_BYTES, "a JSON vector file", magic, got, &text, &len,
                                err)) != BV_OK)
        goto out;
    st = vec_json_read(path, text, len, out, err);
    free(text);
out:
    fclose(f);
    return st;
}
