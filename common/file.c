/* common/file.c: whole-file reads, atomic (write-then-rename) writes and mkdir -p,
 * so that no module ever leaves a half-written result where a good one was. */
#define _GNU_SOURCE
#include "bv_common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *file_kind(mode_t m)
{
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISFIFO(m))
        return "a pipe (FIFO)";
    if (S_ISSOCK(m))
        return "a socket";
    return "not a regular file";
}

static void size_text(char *buf, size_t n, uint64_t bytes)
{
    if (bytes >= (1ull << 30) && bytes % (1ull << 30) == 0)
        snprintf(buf, n, "%llu GiB", (unsigned long long)(bytes >> 30));
    else if (bytes >= (1ull << 20) && bytes % (1ull << 20) == 0)
        snprintf(buf, n, "%llu MiB", (unsigned long long)(bytes >> 20));
    else
        snprintf(buf, n, "%llu bytes", (unsigned long long)bytes);
}

bv_status bv_file_too_large(const char *path, size_t max, const char *what, bv_error *err)
{
    char cap[32];
    size_text(cap, sizeof cap, max);
    return bv_error_set(err, BV_ERR_OVERFLOW, "%s: larger than the limit of %s for %s", path, cap,
                        what ? what : "a file");
}

bv_status bv_file_open_read(const char *path, unsigned flags, FILE **out, bool *regular, bv_error *err)
{
    struct stat sb;
    int fd = -1;
    *out = NULL;
    *regular = false;
    if ((flags & BV_FILE_STREAM) && strcmp(path, "-") == 0) {
        fd = dup(STDIN_FILENO);
        if (fd < 0)
            return bv_error_set(err, BV_ERR_IO, "standard input: cannot open: %s", strerror(errno));
    } else {
        /* Refuse what is not a regular file before opening it: opening a FIFO would wait
         * for a writer, and a device would be read without end. */
        if (stat(path, &sb) != 0)
            return bv_error_set(err, BV_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
        bool stream = S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode);
        if (!S_ISREG(sb.st_mode) && !(stream && (flags & BV_FILE_STREAM)))
            return bv_error_set(err, BV_ERR_IO, "%s: %s, not a regular file: refused", path,
                                file_kind(sb.st_mode));
        /* O_NONBLOCK so that a file swapped for a FIFO since the stat cannot block the open;
         * a FIFO asked for on purpose is opened blocking (it waits for its writer). */
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (stream ? 0 : O_NONBLOCK));
        if (fd < 0)
            return bv_error_set(err, BV_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    }
    if (fstat(fd, &sb) != 0) {
        bv_status st = bv_error_set(err, BV_ERR_IO, "%s: cannot stat: %s", path, strerror(errno));
        close(fd);
        return st;
    }
    bool stream = S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode);
    if (!S_ISREG(sb.st_mode) && !(stream && (flags & BV_FILE_STREAM))) {
        bv_status st = bv_error_set(err, BV_ERR_IO, "%s: %s, not a regular file: refused", path,
                                    file_kind(sb.st_mode));
        close(fd);
        return st;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && (fl & O_NONBLOCK))
        BV_IGNORE(fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        bv_status st = bv_error_set(err, BV_ERR_NOMEM, "%s: cannot open: %s", path, strerror(errno));
        close(fd);
        return st;
    }
    *out = f;
    *regular = S_ISREG(sb.st_mode);
    return BV_OK;
}

bv_status bv_file_read_rest(FILE *f, const char *path, size_t max, const char *what, const void *prefix,
                            size_t nprefix, char **data, size_t *len, bv_error *err)
{
    bv_status st = BV_OK;
    char *buf = NULL;
    size_t cap = 0, n = 0;

    *data = NULL;
    *len = 0;
    if (nprefix > max)
        return bv_file_too_large(path, max, what, err);
    if (nprefix) {
        if ((st = bv_array_reserve(&buf, &cap, nprefix + 65536 + 1, 1, err)) != BV_OK) {
            bv_error_prefix(err, "%s: reading the file", path);
            return st;
        }
        memcpy(buf, prefix, nprefix);
        n = nprefix;
    }
    for (;;) {
        /* Room for a read of 64 KiB at least, and for the NUL. */
        if (cap - n < 65536 + 1) {
            st = bv_array_reserve(&buf, &cap, n + 65536 + 1, 1, err);
            if (st) {
                bv_error_prefix(err, "%s: reading the file", path);
                goto fail;
            }
        }
        /* Never more than one byte past the cap: enough to know the cap is passed. */
        size_t want = cap - n - 1;
        if (want > max - n + 1)
            want = max - n + 1;
        size_t got = fread(buf + n, 1, want, f);
        n += got;
        if (n > max) {
            st = bv_file_too_large(path, max, what, err);
            goto fail;
        }
        if (got == 0) {
            if (ferror(f)) {
                st = bv_error_set(err, BV_ERR_IO, "%s: read error: %s", path, strerror(errno));
                goto fail;
            }
            break;
        }
    }
    if (!buf && (st = bv_array_reserve(&buf, &cap, 1, 1, err)) != BV_OK)
        goto fail;
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return BV_OK;
fail:
    free(buf);
    return st;
}

bv_status bv_file_read(const char *path, size_t max, unsigned flags, const char *what, char **data, size_t *len,
                       bv_error *err)
{
    FILE *f = NULL;
    bool regular;
    bv_status st;

    *data = NULL;
    *len = 0;
    if ((st = bv_file_open_read(path, flags, &f, &regular, err)) != BV_OK)
        return st;
    if (regular) {
        struct stat sb;
        if (fstat(fileno(f), &sb) == 0 && (uint64_t)sb.st_size > (uint64_t)max) {
            st = bv_file_too_large(path, max, what, err);
            fclose(f);
            return st;
        }
    }
    st = bv_file_read_rest(f, path, max, what, NULL, 0, data, len, err);
    fclose(f);
    return st;
}

bv_status bv_file_read_all(const char *path, char **data, size_t *len, bv_error *err)
{
    return bv_file_read(path, BV_FILE_MAX_DEFAULT, 0, NULL, data, len, err);
}

const char *bv_file_label(const char *path, bool writing)
{
    if (strcmp(path, "-") == 0)
        return writing ? "standard output" : "standard input";
    return path;
}

bv_status bv_atomic_open(bv_atomic_file *af, const char *path, bv_error *err)
{
    struct stat sb;
    memset(af, 0, sizeof *af);
    if (strlen(path) >= sizeof af->path)
        return bv_error_set(err, BV_ERR_ARG, "%s: path too long", path);
    snprintf(af->path, sizeof af->path, "%s", path);
    if (strcmp(path, "-") == 0) {
        int fd = dup(STDOUT_FILENO);
        if (fd < 0 || !(af->f = fdopen(fd, "wb"))) {
            if (fd >= 0)
                close(fd);
            return bv_error_set(err, BV_ERR_IO, "standard output: cannot open: %s", strerror(errno));
        }
        af->is_stdout = true;
        return BV_OK;
    }
    /* The rename would replace whatever is there: only a regular file (or nothing) may be. */
    if (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return bv_error_set(err, BV_ERR_IO, "%s: %s, not a regular file: refused to replace it", path,
                            S_ISLNK(sb.st_mode) ? "a symbolic link" : file_kind(sb.st_mode));
    snprintf(af->tmp_path, sizeof af->tmp_path, "%s.tmp.%ld", path, (long)getpid());
    af->f = fopen(af->tmp_path, "wb");
    if (!af->f) {
        af->tmp_path[0] = '\0';
        return bv_error_set(err, BV_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
    }
    return BV_OK;
}

bv_status bv_atomic_commit(bv_atomic_file *af, bv_error *err)
{
    bv_status st = BV_OK;
    int bad, errnum = 0;
    if (!af->f)
        return bv_error_set(err, BV_ERR_INTERNAL, "%s: commit of a file that is not open", af->path);
    /* The first error's errno, before a later call changes it. */
    bad = fflush(af->f) != 0 || ferror(af->f);
    if (bad)
        errnum = errno ? errno : EIO;
    if (!bad && !af->is_stdout && fsync(fileno(af->f)) != 0) {
        bad = 1;
        errnum = errno;
    }
    if (fclose(af->f) != 0 && !bad) {
        bad = 1;
        errnum = errno;
    }
    af->f = NULL;
    if (bad) {
        st = bv_error_set(err, BV_ERR_IO, "%s: write failed: %s", bv_file_label(af->path, true),
                          strerror(errnum));
        goto fail;
    }
    if (af->is_stdout)
        return BV_OK;
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
