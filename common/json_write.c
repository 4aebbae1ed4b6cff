/* common/json_write.c: the streaming JSON writer behind common/bv_json.h (commas, indentation,
 * escaping, output that stays valid UTF-8) and bv_json_file, a document written atomically. */
#include "bv_json.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct bv_json_writer {
    FILE *f;
    bool pretty;
    bool io_failed;
    int io_errno; /* the errno of the first failed write */
    bool misuse;    /* a call out of order: key outside an object, unbalanced end, ... */
    bool have_root; /* the one top-level value has been started */
    bool after_key; /* inside an object, a key waits for its value */
    unsigned depth;
    unsigned inline_from; /* containers at this level or deeper go on one line; 0: none */
    bool is_obj[BV_JSON_MAX_DEPTH];
    size_t count[BV_JSON_MAX_DEPTH]; /* members written so far at each open level */
};

bv_status bv_json_writer_create(FILE *f, bool pretty, bv_json_writer **out, bv_error *err)
{
    bv_json_writer *w;
    *out = NULL;
    if (!f)
        return bv_error_set(err, BV_ERR_ARG, "JSON writer needs a file");
    w = calloc(1, sizeof *w);
    if (!w)
        return bv_error_set(err, BV_ERR_NOMEM, "out of memory creating a JSON writer");
    w->f = f;
    w->pretty = pretty;
    *out = w;
    return BV_OK;
}

bv_status bv_json_writer_finish(bv_json_writer *w, bv_error *err)
{
    bv_status st = BV_OK;
    if (!w)
        return bv_error_set(err, BV_ERR_ARG, "JSON writer is NULL");
    if (w->misuse || w->depth != 0 || !w->have_root || w->after_key) {
        st = bv_error_set(err, BV_ERR_INTERNAL, "JSON writer: unbalanced or out-of-order calls");
    } else {
        if (!w->io_failed && (fputc('\n', w->f) == EOF || fflush(w->f) != 0 || ferror(w->f))) {
            w->io_failed = true;
            w->io_errno = errno ? errno : EIO;
        }
        if (w->io_failed)
            st = bv_error_set(err, BV_ERR_IO, "write failed: %s", strerror(w->io_errno));
    }
    free(w);
    return st;
}

static void put(bv_json_writer *w, const char *s, size_t n)
{
    if (!w->io_failed && n && fwrite(s, 1, n, w->f) != n) {
        w->io_failed = true;
        w->io_errno = errno ? errno : EIO;
    }
}

static void puts_w(bv_json_writer *w, const char *s)
{
    put(w, s, strlen(s));
}

static void newline_indent(bv_json_writer *w)
{
    if (!w->pretty)
        return;
    put(w, "\n", 1);
    for (unsigned i = 0; i < w->depth; i++)
        put(w, "  ", 2);
}

static bool is_inline(const bv_json_writer *w, unsigned level)
{
    return w->pretty && w->inline_from && level >= w->inline_from;
}

/* The comma and line break (or space, on an inline level) before an array element or a key. */
static void item_separator(bv_json_writer *w)
{
    size_t before = w->count[w->depth - 1]++;
    if (before > 0)
        put(w, ",", 1);
    if (!is_inline(w, w->depth))
        newline_indent(w);
    else if (before > 0)
        put(w, " ", 1);
}

void bv_json_writer_inline_from(bv_json_writer *w, unsigned level)
{
    if (w)
        w->inline_from = level;
}

/* Separators before a value; false when a value is not allowed here. */
static bool begin_value(bv_json_writer *w)
{
    if (!w || w->misuse)
        return false;
    if (w->depth == 0) {
        if (w->have_root) {
            w->misuse = true;
            return false;
        }
        w->have_root = true;
        return true;
    }
    if (w->is_obj[w->depth - 1]) {
        if (!w->after_key) {
            w->misuse = true;
            return false;
        }
        w->after_key = false;
        return true;
    }
    item_separator(w);
    return true;
}

static void write_string(bv_json_writer *w, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    put(w, "\"", 1);
    while (p < end) {
        const unsigned char *run = p;
        /* Copy runs of bytes that need no escaping in one write. */
        while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        put(w, (const char *)run, (size_t)(p - run));
        if (p >= end)
            break;
        unsigned char c = *p;
        char esc[8];
        if (c >= 0x80) {
            size_t len = bv_utf8_len(p, (size_t)(end - p));
            if (len == 0) {
                /* Output must stay valid UTF-8: a broken byte becomes U+FFFD. */
                put(w, "\xEF\xBF\xBD", 3);
                p++;
            } else {
                put(w, (const char *)p, len);
                p += len;
            }
            continue;
        }
        switch (c) {
        case '"': puts_w(w, "\\\""); break;
        case '\\': puts_w(w, "\\\\"); break;
        case '\b': puts_w(w, "\\b"); break;
        case '\f': puts_w(w, "\\f"); break;
        case '\n': puts_w(w, "\\n"); break;
        case '\r': puts_w(w, "\\r"); break;
        case '\t': puts_w(w, "\\t"); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", c);
            puts_w(w, esc);
            break;
        }
        p++;
    }
    put(w, "\"", 1);
}

static void open_container(bv_json_writer *w, bool is_obj)
{
    if (!begin_value(w))
        return;
    if (w->depth >= BV_JSON_MAX_DEPTH) {
        w->misuse = true;
        return;
    }
    put(w, is_obj ? "{" : "[", 1);
    w->is_obj[w->depth] = is_obj;
    w->count[w->depth] = 0;
    w->depth++;
}

static void close_container(bv_json_writer *w, bool is_obj)
{
    if (!w || w->misuse)
        return;
    if (w->depth == 0 || w->is_obj[w->depth - 1] != is_obj || w->after_key) {
        w->misuse = true;
        return;
    }
    bool was_inline = is_inline(w, w->depth);
    w->depth--;
    if (w->count[w->depth] > 0 && !was_inline)
        newline_indent(w);
    put(w, is_obj ? "}" : "]", 1);
}

void bv_json_obj_begin(bv_json_writer *w) { open_container(w, true); }
void bv_json_obj_end(bv_json_writer *w) { close_container(w, true); }
void bv_json_arr_begin(bv_json_writer *w) { open_container(w, false); }
void bv_json_arr_end(bv_json_writer *w) { close_container(w, false); }

void bv_json_keyn(bv_json_writer *w, const char *key, size_t n)
{
    if (!w || w->misuse)
        return;
    if (w->depth == 0 || !w->is_obj[w->depth - 1] || w->after_key || !key) {
        w->misuse = true;
        return;
    }
    item_separator(w);
    write_string(w, key, n);
    puts_w(w, w->pretty ? ": " : ":");
    w->after_key = true;
}

void bv_json_key(bv_json_writer *w, const char *key)
{
    bv_json_keyn(w, key, key ? strlen(key) : 0);
}

void bv_json_strn(bv_json_writer *w, const char *s, size_t n)
{
    if (!begin_value(w))
        return;
    if (!s) {
        puts_w(w, "null");
        return;
    }
    write_string(w, s, n);
}

void bv_json_str(bv_json_writer *w, const char *s)
{
    bv_json_strn(w, s, s ? strlen(s) : 0);
}

void bv_json_int(bv_json_writer *w, int64_t v)
{
    char buf[32];
    if (!begin_value(w))
        return;
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    puts_w(w, buf);
}

void bv_json_u64(bv_json_writer *w, uint64_t v)
{
    char buf[32];
    if (!begin_value(w))
        return;
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    puts_w(w, buf);
}

void bv_json_num(bv_json_writer *w, double v)
{
    char buf[40];
    if (!begin_value(w))
        return;
    if (!isfinite(v)) {
        puts_w(w, "null");
        return;
    }
    /* The shortest of 15, 16 or 17 significant digits that reads back as the same double. */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    puts_w(w, buf);
}

void bv_json_bool_write(bv_json_writer *w, bool v)
{
    if (!begin_value(w))
        return;
    puts_w(w, v ? "true" : "false");
}

void bv_json_null(bv_json_writer *w)
{
    if (!begin_value(w))
        return;
    puts_w(w, "null");
}

bv_status bv_json_file_open(bv_json_file *jf, const char *path, bool pretty, bv_error *err)
{
    jf->w = NULL;
    bv_status st = bv_atomic_open(&jf->af, path, err);
    if (st)
        return st;
    st = bv_json_writer_create(jf->af.f, pretty, &jf->w, err);
    if (st)
        bv_atomic_abort(&jf->af);
    return st;
}

bv_status bv_json_file_close(bv_json_file *jf, bv_status st, bv_error *err)
{
    if (jf->w) {
        bv_status fst = bv_json_writer_finish(jf->w, st ? NULL : err);
        jf->w = NULL;
        if (!st && fst)
            bv_error_prefix(err, "%s", jf->af.is_stdout ? "standard output" : jf->af.path);
        if (!st)
            st = fst;
    }
    if (!st)
        return bv_atomic_commit(&jf->af, err);
    bv_atomic_abort(&jf->af);
    return st;
}
