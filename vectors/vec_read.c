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
    FILE *f;

    *out = NULL;
    if ((st = bv_ref_init(err)) != BV_OK)
        return st;
    f = fopen(path, "rb");
    if (!f)
        return bv_error_set(err, BV_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    got = fread(magic, 1, sizeof magic, f);
    if (got == sizeof magic && memcmp(magic, BV_VEC_BIN_MAGIC, sizeof magic) == 0) {
        rewind(f);
        st = vec_bin_read(path, f, out, err);
        fclose(f);
        return st;
    }
    fclose(f);
    if ((st = bv_file_read_all(path, &text, &len, err)) != BV_OK)
        return st;
    st = vec_json_read(path, text, len, out, err);
    free(text);
    return st;
}
