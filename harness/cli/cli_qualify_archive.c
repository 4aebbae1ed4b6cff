/* harness/cli/cli_qualify_archive.c: the files of a `blsvk qualify` archive: its SHA-256 manifest
 * written and checked, the archive packed with the system's tar and unpacked here, safely, for
 * --verify; and the child processes both need. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bv_sha256.h"
#include "cli_qualify.h"

extern char **environ;

/* What --verify unpacks at most: far above a full run's reports (tens of MB), and it keeps an
 * archive made to fill the disk from doing so. */
#define MAX_UNPACKED ((uint64_t)4 << 30)
#define MAX_MEMBERS 200000
#define MAX_DEPTH 16

/* --- files and folders ---------------------------------------------------------------- */

bv_status bv_cli_qualify_write_file(const char *path, const void *data, size_t len, bv_error *err)
{
    FILE *f = fopen(path, "wbx");
    if (!f)
        return bv_error_set(err, BV_ERR_IO, "%s: %s", path, strerror(errno));
    bool ok = fwrite(data, 1, len, f) == len;
    if (fclose(f) != 0 || !ok)
        return bv_error_set(err, BV_ERR_IO, "%s: write failed", path);
    return BV_OK;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (flag == FTW_DP)
        rmdir(p);
    else
        unlink(p);
    return 0;
}

void bv_cli_qualify_rm_tree(const char *p)
{
    if (p && *p)
        nftw(p, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

typedef struct strlist {
    char **v;
    size_t n, cap;
} strlist;

static bv_status strlist_add(strlist *l, const char *s, bv_error *err)
{
    bv_status st = bv_array_reserve(&l->v, &l->cap, l->n + 1, sizeof *l->v, err);
    if (st)
        return st;
    if (!(l->v[l->n] = strdup(s)))
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    l->n++;
    return BV_OK;
}

static void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The regular files under root/rel (rel "" for root), as paths relative to root; a link or
 * anything else that is neither file nor folder is an error, so that nothing is followed. */
static bv_status list_files(const char *root, const char *rel, strlist *out, bv_error *err)
{
    char dir[BV_QUAL_PATH];
    snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(dir);
    if (!d)
        return bv_error_set(err, BV_ERR_IO, "%s: %s", dir, strerror(errno));
    bv_status st = BV_OK;
    struct dirent *e;
    while (!st && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char sub[BV_QUAL_PATH], full[BV_QUAL_PATH];
        struct stat sb;
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        if (lstat(full, &sb) != 0)
            st = bv_error_set(err, BV_ERR_IO, "%s: %s", full, strerror(errno));
        else if (S_ISDIR(sb.st_mode))
            st = list_files(root, sub, out, err);
        else if (S_ISREG(sb.st_mode))
            st = strlist_add(out, sub, err);
        else
            st = bv_error_set(err, BV_ERR_VALUE, "%s: neither a file nor a folder (a link?)", sub);
    }
    closedir(d);
    return st;
}

static bv_status file_sha256(const char *path, char hex[65], bv_error *err)
{
    char *data = NULL;
    size_t len = 0;
    bv_status st = bv_file_read_all(path, &data, &len, err);
    if (!st)
        bv_sha256_hex(hex, data, len);
    free(data);
    return st;
}

/* --- child processes ---------------------------------------------------------------------- */

int bv_cli_qualify_spawn(char *const argv[], bool search, const char *out_path, int out_fd, pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc)
        return rc;
    if (out_path)
        rc = posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    else if (out_fd >= 0)
        rc = posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
    fflush(NULL);
    if (!rc)
        rc = search ? posix_spawnp(pid, argv[0], &fa, NULL, argv, environ)
                    : posix_spawn(pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

int bv_cli_qualify_wait(pid_t pid)
{
    int wst = 0;
    while (waitpid(pid, &wst, 0) < 0)
        if (errno != EINTR)
            return 127;
    return WIFEXITED(wst) ? WEXITSTATUS(wst) : 128 + (WIFSIGNALED(wst) ? WTERMSIG(wst) : 0);
}

/* --- the manifest ------------------------------------------------------------------------- */

bv_status bv_cli_qualify_write_manifest(const char *top, bv_error *err)
{
    strlist files = {0};
    char *text = NULL, p[BV_QUAL_PATH], hex[65];
    size_t len = 0;
    FILE *m = NULL;
    bv_status st = list_files(top, "", &files, err);
    if (!st && !(m = open_memstream(&text, &len)))
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    if (!st)
        qsort(files.v, files.n, sizeof *files.v, cmp_str);
    for (size_t i = 0; !st && i < files.n; i++) {
        if (strcmp(files.v[i], BV_QUAL_MANIFEST) == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", top, files.v[i]);
        if (!(st = file_sha256(p, hex, err)))
            fprintf(m, "%s  %s\n", hex, files.v[i]);
    }
    if (m)
        fclose(m);
    if (!st) {
        snprintf(p, sizeof p, "%s/" BV_QUAL_MANIFEST, top);
        st = bv_cli_qualify_write_file(p, text, len, err);
    }
    free(text);
    strlist_free(&files);
    return st;
}

typedef struct manifest_line {
    char hex[65];
    const char *path; /* into the manifest's text */
    unsigned line;
} manifest_line;

static int cmp_manifest_line(const void *a, const void *b)
{
    return strcmp(((const manifest_line *)a)->path, ((const manifest_line *)b)->path);
}

/* A path as an archive or its manifest names it is taken only when it stays inside the folder
 * it is unpacked in. NULL when it does, else what is wrong with it. */
static const char *path_problem(const char *p)
{
    size_t n = strlen(p);
    if (n == 0)
        return "an empty path";
    if (n >= 1024)
        return "a path longer than 1023 bytes";
    if (p[0] == '/')
        return "an absolute path";
    for (const unsigned char *c = (const unsigned char *)p; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return "a control character in the path";
    unsigned depth = 0;
    for (const char *s = p; *s;) {
        size_t len = strcspn(s, "/");
        /* blsvk's archives are 4 deep; the limit keeps the folder walk's recursion shallow. */
        if (++depth > MAX_DEPTH)
            return "more than 16 folders deep";
        if (len == 0)
            return "an empty path component ('//')";
        if (len == 2 && s[0] == '.' && s[1] == '.')
            return "a '..' component (it would leave the archive's folder)";
        if (len == 1 && s[0] == '.')
            return "a '.' component";
        s += len;
        s += *s == '/';
    }
    return NULL;
}

static bool is_hex64(const char *s)
{
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F')))
            return false;
    return true;
}

long bv_cli_qualify_check_manifest(const char *top, size_t *listed)
{
    char p[BV_QUAL_PATH], hex[65], *text = NULL;
    size_t len = 0, n = 0, cap = 0;
    manifest_line *ml = NULL;
    strlist files = {0};
    bv_error err;
    long problems = 0;
    bv_error_clear(&err);
    *listed = 0;
    snprintf(p, sizeof p, "%s/" BV_QUAL_MANIFEST, top);
    if (bv_file_read_all(p, &text, &len, &err) || list_files(top, "", &files, &err)) {
        fprintf(stderr, "blsvk qualify: --verify: %s\n", err.msg);
        problems = -1;
        goto out;
    }
    unsigned line = 0;
    for (char *s = text; s && *s;) {
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        char *cur = s;
        s = nl ? nl + 1 : NULL;
        line++;
        const char *why = NULL;
        if (strlen(cur) < 67 || !is_hex64(cur) || cur[64] != ' ' || (cur[65] != ' ' && cur[65] != '*'))
            why = "not '<sha256>  <path>'";
        else if ((why = path_problem(cur + 66)) == NULL && strcmp(cur + 66, BV_QUAL_MANIFEST) == 0)
            why = "the manifest lists itself";
        if (why) {
            printf("  manifest: " BV_QUAL_MANIFEST " line %u: %s\n", line, why);
            problems++;
            continue;
        }
        if (bv_array_reserve(&ml, &cap, n + 1, sizeof *ml, &err)) {
            fprintf(stderr, "blsvk qualify: --verify: %s\n", err.msg);
            problems = -1;
            goto out;
        }
        for (int i = 0; i < 64; i++)
            ml[n].hex[i] = (char)(cur[i] >= 'A' && cur[i] <= 'F' ? cur[i] - 'A' + 'a' : cur[i]);
        ml[n].hex[64] = '\0';
        ml[n].path = cur + 66;
        ml[n].line = line;
        n++;
    }
    qsort(ml, n, sizeof *ml, cmp_manifest_line);
    qsort(files.v, files.n, sizeof *files.v, cmp_str);
    /* Both lists sorted by path: one walk finds what is changed, missing and extra. */
    size_t a = 0, b = 0;
    while (a < n || b < files.n) {
        if (b < files.n && strcmp(files.v[b], BV_QUAL_MANIFEST) == 0) {
            b++;
            continue;
        }
        int c = a == n ? 1 : b == files.n ? -1 : strcmp(ml[a].path, files.v[b]);
        if (c == 0 && a + 1 < n && strcmp(ml[a].path, ml[a + 1].path) == 0) {
            printf("  manifest: %s: listed twice (lines %u and %u)\n", ml[a].path, ml[a].line, ml[a + 1].line);
            problems++;
            a++;
            continue;
        }
        if (c < 0) {
            printf("  missing: %s: in the manifest (line %u), not in the archive\n", ml[a].path, ml[a].line);
            problems++;
            a++;
        } else if (c > 0) {
            printf("  extra: %s: in the archive, not in the manifest\n", files.v[b]);
            problems++;
            b++;
        } else {
            snprintf(p, sizeof p, "%s/%s", top, files.v[b]);
            if (file_sha256(p, hex, &err)) {
                printf("  unreadable: %s: %s\n", files.v[b], err.msg);
                problems++;
            } else if (strcmp(hex, ml[a].hex) != 0) {
                printf("  changed: %s: SHA-256 %.16s..., the manifest says %.16s...\n", files.v[b], hex, ml[a].hex);
                problems++;
            }
            (*listed)++;
            a++;
            b++;
        }
    }
out:
    free(ml);
    free(text);
    strlist_free(&files);
    return problems;
}

/* --- packing and unpacking ---------------------------------------------------------------- */

int bv_cli_qualify_pack(const char *work, const char *name, const char *archive)
{
    char *argv[] = {"tar", "--create", "--gzip", "--file", (char *)archive, "--directory", (char *)work,
                    "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--", (char *)name, NULL};
    pid_t pid;
    int rc = bv_cli_qualify_spawn(argv, true, NULL, -1, &pid);
    if (rc) {
        fprintf(stderr, "blsvk qualify: cannot start tar: %s\n", strerror(rc));
        return -1;
    }
    return bv_cli_qualify_wait(pid);
}

/* A tar number: octal digits, padded with spaces or NULs (base-256, for members past 8 GiB, is
 * refused: blsvk never writes one). */
static bool tar_octal(const unsigned char *p, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    while (i < n && p[i] == ' ')
        i++;
    for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
        if (v >> 60)
            return false;
        v = v * 8 + (uint64_t)(p[i] - '0');
    }
    for (; i < n; i++)
        if (p[i] != ' ' && p[i] != '\0')
            return false;
    *out = v;
    return true;
}

static bool tar_checksum_ok(const unsigned char h[512])
{
    uint64_t want, sum = 0;
    if (!tar_octal(h + 148, 8, &want))
        return false;
    for (int i = 0; i < 512; i++)
        sum += i >= 148 && i < 156 ? (unsigned char)' ' : h[i];
    return sum == want;
}

/* Reads n bytes (to buf, or dropped when buf is NULL). */
static bool read_exact(FILE *in, void *buf, uint64_t n)
{
    unsigned char scratch[65536];
    while (n) {
        size_t k = n > sizeof scratch ? sizeof scratch : (size_t)n;
        if (fread(buf ? buf : scratch, 1, k, in) != k)
            return false;
        if (buf)
            buf = (unsigned char *)buf + k;
        n -= k;
    }
    return true;
}

/* The records of a pax extended header: "path" names the next member, "size" sizes it. */
static void pax_records(const char *b, size_t n, char *name, size_t nname, bool *have_name, uint64_t *size)
{
    size_t i = 0;
    while (i < n) {
        char *end;
        unsigned long len = strtoul(b + i, &end, 10);
        if (len == 0 || *end != ' ' || len > n - i)
            return;
        const char *kv = end + 1, *rec_end = b + i + len - 1; /* the record ends in '\n' */
        const char *eq = memchr(kv, '=', (size_t)(rec_end - kv));
        if (eq && eq - kv == 4 && memcmp(kv, "path", 4) == 0) {
            snprintf(name, nname, "%.*s", (int)(rec_end - eq - 1), eq + 1);
            *have_name = true;
        } else if (eq && eq - kv == 4 && memcmp(kv, "size", 4) == 0) {
            *size = strtoull(eq + 1, NULL, 10);
        }
        i += len;
    }
}

static const char *tar_type_name(char t)
{
    switch (t) {
    case '1': return "a hard link";
    case '2': return "a symbolic link";
    case '3': return "a character device";
    case '4': return "a block device";
    case '6': return "a FIFO";
    default: return "of a type blsvk does not take";
    }
}

/* One member's folders under dest, made as needed (nothing in dest is ever a link: none is
 * unpacked). */
static bv_status make_parents(const char *dest, const char *name, bv_error *err)
{
    char p[BV_QUAL_PATH];
    for (const char *s = strchr(name, '/'); s; s = strchr(s + 1, '/')) {
        struct stat sb;
        snprintf(p, sizeof p, "%s/%.*s", dest, (int)(s - name), name);
        if (mkdir(p, 0755) != 0 && (errno != EEXIST || lstat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)))
            return bv_error_set(err, BV_ERR_VALUE, "member '%s': '%.*s' is not a folder", name, (int)(s - name), name);
    }
    return BV_OK;
}

static bv_status unpack_file(FILE *in, const char *dest, const char *name, uint64_t size, bv_error *err)
{
    char p[BV_QUAL_PATH];
    unsigned char buf[65536];
    bv_status st = make_parents(dest, name, err);
    if (st)
        return st;
    snprintf(p, sizeof p, "%s/%s", dest, name);
    int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return bv_error_set(err, BV_ERR_VALUE, "member '%s': %s", name,
                            errno == EEXIST ? "in the archive twice" : strerror(errno));
    while (!st && size) {
        size_t k = size > sizeof buf ? sizeof buf : (size_t)size;
        if (fread(buf, 1, k, in) != k)
            st = bv_error_set(err, BV_ERR_PARSE, "member '%s': cut short", name);
        for (size_t off = 0; !st && off < k;) {
            ssize_t w = write(fd, buf + off, k - off);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                st = bv_error_set(err, BV_ERR_IO, "%s: %s", p, strerror(errno));
            else
                off += (size_t)w;
        }
        size -= k;
    }
    if (close(fd) != 0 && !st)
        st = bv_error_set(err, BV_ERR_IO, "%s: %s", p, strerror(errno));
    return st;
}

/* Unpacks a tar stream into dest: files and folders only, every path checked before anything
 * is written, all under one folder named blsvk-qualify-... (its name into top). */
static bv_status untar(FILE *in, const char *dest, char *top, size_t ntop, bv_error *err)
{
    unsigned char h[512];
    char name[4096 + 256], longname[4096] = "";
    bool have_long = false, ended = false;
    uint64_t pax_size = UINT64_MAX, total = 0;
    size_t members = 0;
    bv_status st = BV_OK;
    top[0] = '\0';
    while (!st && !ended) {
        if (fread(h, 1, sizeof h, in) != sizeof h)
            return bv_error_set(err, BV_ERR_PARSE, "cut short: no end-of-archive blocks");
        bool zero = true;
        for (size_t i = 0; i < sizeof h && zero; i++)
            zero = h[i] == 0;
        if (zero) {
            ended = true;
            break;
        }
        uint64_t size;
        if (!tar_checksum_ok(h))
            return bv_error_set(err, BV_ERR_PARSE, "not a tar archive, or damaged (a header's checksum is wrong)");
        if (!tar_octal(h + 124, 12, &size))
            return bv_error_set(err, BV_ERR_PARSE, "a member's size is not an octal number");
        if (pax_size != UINT64_MAX)
            size = pax_size;
        uint64_t pad = (512 - size % 512) % 512;
        char type = (char)h[156];
        if (type == 'L' || type == 'x' || type == 'g') {
            if (size > 65536)
                return bv_error_set(err, BV_ERR_PARSE, "an extended header larger than 64 KiB");
            char ext[65536 + 1];
            if (!read_exact(in, ext, size) || !read_exact(in, NULL, pad))
                return bv_error_set(err, BV_ERR_PARSE, "cut short in an extended header");
            ext[size] = '\0';
            if (type == 'L') {
                snprintf(longname, sizeof longname, "%s", ext);
                have_long = true;
            } else if (type == 'x') {
                pax_records(ext, (size_t)size, longname, sizeof longname, &have_long, &pax_size);
            }
            continue;
        }
        if (have_long)
            snprintf(name, sizeof name, "%s", longname);
        else if (memcmp(h + 257, "ustar\0", 6) == 0 && h[345])
            snprintf(name, sizeof name, "%.*s/%.*s", (int)strnlen((char *)h + 345, 155), (char *)h + 345,
                     (int)strnlen((char *)h, 100), (char *)h);
        else
            snprintf(name, sizeof name, "%.*s", (int)strnlen((char *)h, 100), (char *)h);
        have_long = false;
        pax_size = UINT64_MAX;
        size_t nlen = strlen(name);
        while (nlen > 1 && name[nlen - 1] == '/')
            name[--nlen] = '\0';
        const char *why = path_problem(name);
        if (why)
            return bv_error_set(err, BV_ERR_VALUE, "member '%.200s': %s: refused", name, why);
        size_t tlen = strcspn(name, "/");
        if (!top[0]) {
            if (tlen >= ntop || strncmp(name, BV_QUAL_TOP_PREFIX, strlen(BV_QUAL_TOP_PREFIX)) != 0)
                return bv_error_set(err, BV_ERR_VALUE,
                                    "member '%.200s': not in a folder named " BV_QUAL_TOP_PREFIX "...", name);
            snprintf(top, ntop, "%.*s", (int)tlen, name);
        } else if (tlen != strlen(top) || strncmp(name, top, tlen) != 0) {
            return bv_error_set(err, BV_ERR_VALUE, "member '%.200s': outside the archive's folder %s", name, top);
        }
        if (++members > MAX_MEMBERS)
            return bv_error_set(err, BV_ERR_OVERFLOW, "more than %d members", MAX_MEMBERS);
        if (type == '5') {
            char p[BV_QUAL_PATH];
            struct stat sb;
            snprintf(p, sizeof p, "%s/%s/", dest, name);
            if (!(st = make_parents(dest, p + strlen(dest) + 1, err)) && !read_exact(in, NULL, size + pad))
                st = bv_error_set(err, BV_ERR_PARSE, "cut short");
            if (!st && (lstat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)))
                st = bv_error_set(err, BV_ERR_VALUE, "member '%s': not a folder", name);
        } else if (type == '0' || type == '\0' || type == '7') {
            if ((total += size) > MAX_UNPACKED)
                return bv_error_set(err, BV_ERR_OVERFLOW, "unpacks to more than %llu bytes",
                                    (unsigned long long)MAX_UNPACKED);
            if (!(st = unpack_file(in, dest, name, size, err)) && !read_exact(in, NULL, pad))
                st = bv_error_set(err, BV_ERR_PARSE, "cut short");
        } else {
            return bv_error_set(err, BV_ERR_VALUE, "member '%.200s' is %s: only files and folders are taken", name,
                                tar_type_name(type));
        }
    }
    if (!st && !top[0])
        st = bv_error_set(err, BV_ERR_PARSE, "no files");
    /* The rest (tar's padding to its record size) is read too, so that gzip reaches the end and
     * checks its CRC. */
    while (!st && fread(h, 1, sizeof h, in) > 0) {
    }
    return st;
}

bv_status bv_cli_qualify_unpack(const char *archive, const char *dest, char *top, size_t ntop, bv_error *err)
{
    int fds[2];
    pid_t pid;
    char *argv[] = {"gzip", "-dc", "--", (char *)archive, NULL};
    if (pipe2(fds, O_CLOEXEC) != 0)
        return bv_error_set(err, BV_ERR_IO, "pipe: %s", strerror(errno));
    int rc = bv_cli_qualify_spawn(argv, true, NULL, fds[1], &pid);
    close(fds[1]);
    if (rc) {
        close(fds[0]);
        return bv_error_set(err, BV_ERR_IO, "cannot start gzip: %s", strerror(rc));
    }
    FILE *in = fdopen(fds[0], "rb");
    bv_status st = in ? untar(in, dest, top, ntop, err) : bv_error_set(err, BV_ERR_NOMEM, "out of memory");
    /* Stopped before gzip's end: gzip is told to stop rather than left to complain of a broken
     * pipe. At its end, its exit status says whether the stream was whole. */
    if (st && in && !feof(in))
        kill(pid, SIGTERM);
    if (in)
        fclose(in);
    else
        close(fds[0]);
    int grc = bv_cli_qualify_wait(pid);
    /* A tar stream cut short is gzip's failure to report (not gzip data, a bad CRC, a truncated
     * file); a member refused is not. */
    if (grc != 0 && grc != 128 + SIGTERM && (!st || st == BV_ERR_PARSE))
        st = bv_error_set(err, BV_ERR_PARSE, "not a gzip file, or damaged (gzip exit status %d)", grc);
    if (st)
        bv_error_prefix(err, "%s", archive);
    return st;
}
