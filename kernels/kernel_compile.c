/* kernels/kernel_compile.c: compiles a user's GLSL compute kernel to SPIR-V at run time with
 * glslang's C interface, resolving #include relative to the including file and then among
 * the built-in includes embedded in the library (so that users can build on blsvk's limb
 * arithmetic), with the same field and limb defines the build passes to the built-ins. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glslang/Include/glslang_c_interface.h>
#include <glslang/Public/resource_limits_c.h>

#include "kernels_internal.h"

/* Deeper nesting than any sane kernel: almost certainly an include cycle. */
#define MAX_INCLUDE_DEPTH 32

typedef struct text_buf {
    char *data;
    size_t len, cap;
} text_buf;

static bv_status buf_append(text_buf *b, const char *s, size_t n, bv_error *err)
{
    size_t need;
    bv_status st;
    /* Room for the text and its NUL. */
    if (bv_size_add(b->len, n, &need) != BV_OK || bv_size_add(need, 1, &need) != BV_OK)
        return bv_error_set(err, BV_ERR_OVERFLOW, "kernel source too large");
    if ((st = bv_array_reserve(&b->data, &b->cap, need, 1, err)) != BV_OK) {
        bv_error_prefix(err, "kernel source");
        return st;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return BV_OK;
}

static bv_status buf_puts(text_buf *b, const char *s, bv_error *err)
{
    return buf_append(b, s, strlen(s), err);
}

/* `#line N "name"`: the name is shown in glslang's messages; characters that would end or
 * escape the string are replaced. */
static bv_status buf_line_directive(text_buf *b, long line, const char *name, bool named,
                                    bv_error *err)
{
    char head[64];
    bv_status st;
    snprintf(head, sizeof head, "#line %ld", line);
    if ((st = buf_puts(b, head, err)) != BV_OK)
        return st;
    if (named) {
        if ((st = buf_puts(b, " \"", err)) != BV_OK)
            return st;
        for (const char *p = name; *p; p++) {
            char c = (*p == '"' || *p == '\\' || *p == '\n') ? '?' : *p;
            if ((st = buf_append(b, &c, 1, err)) != BV_OK)
                return st;
        }
        if ((st = buf_puts(b, "\"", err)) != BV_OK)
            return st;
    }
    return buf_puts(b, "\n", err);
}

/* The folder part of a path, malloc'ed ("." for a bare name); NULL when out of memory. */
static char *path_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static const char *path_base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* One file being expanded. dir is where its own includes are looked for first (NULL for a
 * built-in include, whose includes are built-in too). */
typedef struct expand_file {
    const char *text;
    size_t len;
    const char *display; /* name in messages */
    const char *dir;
} expand_file;

typedef struct expand_ctx {
    text_buf out;
    bool named_lines; /* GL_GOOGLE_cpp_style_line_directive enabled: #line may name files */
    bool version_seen;
    /* The include guards of the files being expanded, outermost first ("" for a file without
     * one): a guarded file that includes itself again, directly or through another, contributes
     * nothing the second time (its guard is defined by then), so the expansion stops there instead
     * of reporting a cycle. */
    char guards[MAX_INCLUDE_DEPTH + 1][64];
} expand_ctx;

/* The macro of a classic include guard, "#ifndef X" then "#define X" as the file's first two
 * directives (comments and blank lines before them allowed); false when the file has none. */
static bool include_guard(const char *p, const char *end, char *macro, size_t cap)
{
    char first[64] = "";
    for (int found = 0; p < end && found < 2;) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
            p++;
        if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
            const char *c = p + 2;
            while (end - c >= 2 && !(c[0] == '*' && c[1] == '/'))
                c++;
            p = end - c >= 2 ? c + 2 : end;
            continue;
        }
        if (end - p >= 2 && p[0] == '/' && p[1] == '/') {
            while (p < end && *p != '\n')
                p++;
            continue;
        }
        if (p == end || *p != '#')
            return false;
        const char *want = found == 0 ? "ifndef" : "define";
        p++;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        size_t wl = strlen(want);
        if ((size_t)(end - p) <= wl || strncmp(p, want, wl) != 0 || (p[wl] != ' ' && p[wl] != '\t'))
            return false;
        p += wl;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        size_t n = 0;
        while (p + n < end && (isalnum((unsigned char)p[n]) || p[n] == '_'))
            n++;
        if (n == 0 || n >= cap || n >= sizeof first)
            return false;
        if (found == 0) {
            memcpy(first, p, n);
            first[n] = '\0';
        } else if (strlen(first) != n || strncmp(first, p, n) != 0) {
            return false;
        }
        while (p < end && *p != '\n')
            p++;
        found++;
    }
    if (!first[0])
        return false;
    snprintf(macro, cap, "%s", first);
    return true;
}

static bv_status expand(expand_ctx *ctx, const expand_file *file, int depth, bv_error *err);

/* Finds the file an #include names, reads it, and expands it in place. */
static bv_status expand_include(expand_ctx *ctx, const expand_file *from, long line,
                                const char *name, int depth, bv_error *err)
{
    bv_status st = BV_OK;
    char *path = NULL, *data = NULL, *dir = NULL, *display = NULL;
    expand_file child = {0};

    if (depth >= MAX_INCLUDE_DEPTH) {
        st = bv_error_set(err, BV_ERR_SHADER, "%s:%ld: #include \"%s\" nested %d deep: a cycle?",
                          from->display, line, name, depth);
        goto fail;
    }
    if (from->dir && name[0] != '\0') {
        size_t n = strlen(from->dir) + strlen(name) + 2;
        path = malloc(n);
        if (!path) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        if (name[0] == '/')
            snprintf(path, n, "%s", name);
        else
            snprintf(path, n, "%s/%s", from->dir, name);
        size_t len = 0;
        struct stat sb;
        /* A name that is not there may be a built-in include; one that is there must read
         * (a device, a FIFO or a huge file is an error, not a fall-back). */
        if (stat(path, &sb) == 0) {
            bv_error why;
            bv_error_clear(&why);
            if ((st = bv_file_read(path, BV_KERNEL_MAX_FILE_BYTES, 0, "an #include file", &data, &len, &why)) !=
                BV_OK) {
                st = bv_error_set(err, st == BV_ERR_NOMEM ? BV_ERR_NOMEM : BV_ERR_SHADER, "%s:%ld: #include \"%s\": %s",
                                  from->display, line, name, why.msg);
                goto fail;
            }
            dir = path_dir(path);
            if (!dir) {
                st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
                goto fail;
            }
            child = (expand_file){.text = data, .len = len, .display = path, .dir = dir};
        }
    }
    if (!child.text) {
        const bv_kernel_include *inc = bv_kernel_include_find(name);
        if (!inc) {
            st = bv_error_set(err, BV_ERR_SHADER,
                              "%s:%ld: cannot find #include \"%s\" (looked in %s and among the "
                              "built-in includes)",
                              from->display, line, name, from->dir ? from->dir : "no folder");
            goto fail;
        }
        size_t n = strlen(name) + sizeof "<built-in>/";
        display = malloc(n);
        if (!display) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        snprintf(display, n, "<built-in>/%s", name);
        child = (expand_file){.text = inc->text, .len = inc->len, .display = display, .dir = NULL};
    }

    char guard[64] = "";
    if (include_guard(child.text, child.text + child.len, guard, sizeof guard))
        for (int d = 0; d <= depth; d++)
            if (strcmp(ctx->guards[d], guard) == 0)
                goto fail; /* included again from inside itself: empty under its guard */
    snprintf(ctx->guards[depth + 1], sizeof ctx->guards[depth + 1], "%s", guard);
    if ((st = buf_line_directive(&ctx->out, 1, child.display, ctx->named_lines, err)) != BV_OK)
        goto fail;
    if ((st = expand(ctx, &child, depth + 1, err)) != BV_OK)
        goto fail;
    st = buf_line_directive(&ctx->out, line + 1, from->display, ctx->named_lines, err);

fail:
    free(path);
    free(data);
    free(dir);
    free(display);
    return st;
}

/* If the line [p, end) is an #include directive, sets name (NUL-terminated, at most cap
 * bytes) and returns 1; returns 0 for any other line, -1 for a malformed #include. */
static int parse_include(const char *p, const char *end, char *name, size_t cap)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p == end || *p != '#')
        return 0;
    p++;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if ((size_t)(end - p) < 7 || strncmp(p, "include", 7) != 0)
        return 0;
    p += 7;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p == end || (*p != '"' && *p != '<'))
        return -1;
    char close = *p == '"' ? '"' : '>';
    const char *start = ++p;
    while (p < end && *p != close)
        p++;
    if (p == end || (size_t)(p - start) >= cap || p == start)
        return -1;
    memcpy(name, start, (size_t)(p - start));
    name[p - start] = '\0';
    return 1;
}

static bool is_version_line(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p == end || *p != '#')
        return false;
    p++;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return (size_t)(end - p) >= 7 && strncmp(p, "version", 7) == 0;
}

/* Copies a file line by line into ctx->out, replacing each #include line with the included
 * file between #line directives, so that glslang's messages name the right file and line.
 * Textual: an #include inside a comment or a false #if is expanded too (harmless for files
 * with include guards, an error only when it names a missing file). */
static bv_status expand(expand_ctx *ctx, const expand_file *file, int depth, bv_error *err)
{
    bv_status st = BV_OK;
    const char *p = file->text, *end = file->text + file->len;
    long line = 1;
    char name[512];

    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = eol ? eol : end;
        int inc = parse_include(p, line_end, name, sizeof name);
        if (inc < 0) {
            return bv_error_set(err, BV_ERR_SHADER, "%s:%ld: malformed #include", file->display,
                                line);
        } else if (inc > 0) {
            if ((st = expand_include(ctx, file, line, name, depth, err)) != BV_OK)
                return st;
        } else {
            if ((st = buf_append(&ctx->out, p, (size_t)(line_end - p), err)) != BV_OK ||
                (st = buf_puts(&ctx->out, "\n", err)) != BV_OK)
                return st;
            /* Right after the top file's #version (nothing but comments may precede it),
             * enable file names in #line, then restore the numbering. */
            if (depth == 0 && !ctx->version_seen && is_version_line(p, line_end)) {
                ctx->version_seen = true;
                ctx->named_lines = true;
                if ((st = buf_puts(&ctx->out,
                                   "#extension GL_GOOGLE_cpp_style_line_directive : require\n",
                                   err)) != BV_OK ||
                    (st = buf_line_directive(&ctx->out, line + 1, file->display, true, err)) !=
                        BV_OK)
                    return st;
            }
        }
        line++;
        p = eol ? eol + 1 : end;
    }
    return BV_OK;
}

/* The defines the build passes to a built-in variant, from a <family>.<op>.<limbs>.comp file
 * name (kernels/CMakeLists.txt's BV_KERNEL_DEFINES_<family>); empty for any other name. */
static void variant_defines(const char *path, char *out, size_t cap)
{
    bv_family f;
    bv_op op;
    bv_limbs l;
    bv_kernel_file_kind kind;
    out[0] = '\0';
    if (!path || bv_kernel_file_name_parse(path_base(path), &f, &op, &l, &kind) != BV_OK)
        return;
    /* Fp2, G1 and G2 are built over Fp's arithmetic: BV_FIELD_FP names the coordinates'
     * field. */
    snprintf(out, cap, "%s#define BV_FIELD_%s\n#define BV_LIMBS_%s\n",
             f == BV_FAMILY_FP2  ? "#define BV_FAMILY_FP2\n"
             : f == BV_FAMILY_G1 ? "#define BV_FAMILY_G1\n"
             : f == BV_FAMILY_G2 ? "#define BV_FAMILY_G2\n"
                                 : "",
             f == BV_FAMILY_FR ? "FR" : "FP", l == BV_LIMBS_U32 ? "U32" : l == BV_LIMBS_U64 ? "U64" : "F64");
}

/* glslang's log, without the trailing newlines, after a prefix. */
static bv_status glslang_error(bv_error *err, const char *path, const char *what, const char *log)
{
    size_t n = log ? strlen(log) : 0;
    while (n > 0 && (log[n - 1] == '\n' || log[n - 1] == ' '))
        n--;
    return bv_error_set(err, BV_ERR_SHADER, "%s: %s: %.*s", path, what, (int)n,
                        n ? log : "no message from glslang");
}

bv_status bv_kernel_compile_glsl(const char *source, const char *path, uint32_t **code,
                                 size_t *size, bv_error *err)
{
    bv_status st = BV_OK;
    expand_ctx ctx = {0};
    char *dir = NULL;
    char defines[128];
    bool process_started = false;
    glslang_shader_t *shader = NULL;
    glslang_program_t *program = NULL;
    uint32_t *words = NULL;
    const char *display = path ? path : "<source>";

    if (!source || !code || !size)
        return bv_error_set(err, BV_ERR_ARG, "bv_kernel_compile_glsl: missing argument");
    *code = NULL;
    *size = 0;

    if (path && !(dir = path_dir(path))) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    expand_file top = {.text = source, .len = strlen(source), .display = display, .dir = dir};
    if ((st = expand(&ctx, &top, 0, err)) != BV_OK)
        goto fail;
    variant_defines(path, defines, sizeof defines);

    /* Reference-counted inside glslang, so concurrent compiles are fine. */
    if (!glslang_initialize_process()) {
        st = bv_error_set(err, BV_ERR_INTERNAL, "glslang_initialize_process failed");
        goto fail;
    }
    process_started = true;

    const glslang_input_t input = {
        .language = GLSLANG_SOURCE_GLSL,
        .stage = GLSLANG_STAGE_COMPUTE,
        .client = GLSLANG_CLIENT_VULKAN,
        .client_version = GLSLANG_TARGET_VULKAN_1_1,
        .target_language = GLSLANG_TARGET_SPV,
        .target_language_version = GLSLANG_TARGET_SPV_1_3,
        .code = ctx.out.data ? ctx.out.data : "", /* an empty file expands to nothing */
        .default_version = 450,
        .default_profile = GLSLANG_NO_PROFILE,
        .force_default_version_and_profile = 0,
        .forward_compatible = 0,
        .messages = GLSLANG_MSG_SPV_RULES_BIT | GLSLANG_MSG_VULKAN_RULES_BIT,
        .resource = glslang_default_resource(),
    };
    shader = glslang_shader_create(&input);
    if (!shader) {
        st = bv_error_set(err, BV_ERR_NOMEM, "%s: glslang_shader_create failed", display);
        goto fail;
    }
    glslang_shader_set_preamble(shader, defines);
    if (!glslang_shader_preprocess(shader, &input)) {
        st = glslang_error(err, display, "preprocessing failed",
                           glslang_shader_get_info_log(shader));
        goto fail;
    }
    if (!glslang_shader_parse(shader, &input)) {
        st = glslang_error(err, display, "compilation failed", glslang_shader_get_info_log(shader));
        goto fail;
    }
    program = glslang_program_create();
    if (!program) {
        st = bv_error_set(err, BV_ERR_NOMEM, "%s: glslang_program_create failed", display);
        goto fail;
    }
    glslang_program_add_shader(program, shader);
    if (!glslang_program_link(program, GLSLANG_MSG_SPV_RULES_BIT | GLSLANG_MSG_VULKAN_RULES_BIT)) {
        st = glslang_error(err, display, "linking failed", glslang_program_get_info_log(program));
        goto fail;
    }
    glslang_program_SPIRV_generate(program, GLSLANG_STAGE_COMPUTE);
    size_t nwords = glslang_program_SPIRV_get_size(program);
    if (nwords == 0) {
        st = glslang_error(err, display, "no SPIR-V generated",
                           glslang_program_SPIRV_get_messages(program));
        goto fail;
    }
    words = malloc(nwords * sizeof *words);
    if (!words) {
        st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
        goto fail;
    }
    glslang_program_SPIRV_get(program, words);
    *code = words;
    *size = nwords * sizeof *words;
    words = NULL;

fail:
    free(words);
    if (program)
        glslang_program_delete(program);
    if (shader)
        glslang_shader_delete(shader);
    if (process_started)
        glslang_finalize_process();
    free(ctx.out.data);
    free(dir);
    return st;
}
