/* common/file.c: whole-file reads, atomic (write-then-rename) writes and mkdir -p,
 * so that no module ever leaves a half-written result where a good one was. */
#define _GNU_SOURCE
#include "bv_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bv_status bv_file_read_all(const char *path, char **data, size_t *len, bv_error *err)
{
    bv_status st = BV_OK;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return bv_error_set(err, BV_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    for (;;) {
        /* Room for a read of 64 KiB at least, and for the NUL. */
        if (cap - n < 65536 + 1) {
            st = bv_array_reserve(&buf, &cap, n + 65536 + 1, 1, err);
            if (st) {
                bv_error_prefix(err, "%s: reading the file", path);
                goto fail;
            }
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                st = bv_error_set(err, BV_ERR_IO, "%s: read error: %s", path, strerror(errno));
                goto fail;
            }
            break;
        }
    }
    buf[n] = '\0';
    fclose(f);
    *data = buf;
    *len = n;
    return BV_OK;
fail:
    free(buf);
    fclose(f);
    return st;
}

bv_status bv_atomic_open(bv_atomic_file *af, const char *path, bv_error *err)
{
    memset(af, 0, sizeof *af);
    if (strlen(path) >= sizeof af->path)
        return bv_error_set(err, BV_ERR_ARG, "%s: path too long", path);
    snprintf(af->path, sizeof af->path, "%s", path);
    snprintf(af->tmp_path, sizeof af->tmp_path, "%s.tmp.%ld", path, (long)getpid());
    af->f = fopen(af->tmp_path, "wb");
    if (!af->f)
        return bv_error_set(err, BV_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
    return BV_OK;
}

bv_status bv_atomic_commit(bv_atomic_file *af, bv_error *err)
{
    bv_status st = BV_OK;
    int bad;
    if (!af->f)
        return bv_error_set(err, BV_ERR_INTERNAL, "%s: commit of a file that is not open", af->path);
    bad = fflush(af->f) != 0 || ferror(af->f) || fsync(fileno(af->f)) != 0;
    if (fclose(af->f) != 0)
        bad = 1;
    af->f = NULL;
    if (bad) {
        st = bv_error_set(err, BV_ERR_IO, "%s: write failed: %s", af->tmp_path, strerror(errno));
        goto fail;
    }
    if (rename(af->tmp_path, af->path) != 0) {
        st = bv_error_set(err, BV_ERR_IO, "%s: cannot rename into place: %s", af->path, strerror(errno));
        goto fail;
    }
    af->tmp_path[0] = '\0';
    return BV_OK;
fail:
    bv_atomic_abort(af);
    return st;
}

void bv_atomic_abort(bv_atomic_file *af)
{
    if (af->f) {
        fclose(af->f);
        af->f = NULL;
    }
    if (af->tmp_path[0]) {
        unlink(af->tmp_path);
        af->tmp_path[0] = '\0';
    }
}

bv_status bv_mkdir_p(const char *path, bv_error *err)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf)
        return bv_error_set(err, BV_ERR_ARG, "bad directory path '%s'", path);
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return bv_error_set(err, BV_ERR_IO, "%s: cannot create directory: %s", buf, strerror(errno));
            buf[i] = c;
        }
    }
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return bv_error_set(err, BV_ERR_IO, "%s: not a directory", path);
    return BV_OK;
}
