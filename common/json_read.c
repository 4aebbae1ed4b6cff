/* common/json_read.c: the RFC 8259 reader behind common/bv_json.h: text to a DOM, errors with
 * line and column, and the DOM's accessors. The writer is in json_write.c. */
#include "bv_json.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct bv_json {
    bv_json_type type;
    bool b;
    bool is_u64; /* the number is an exact non-negative integer held in u64 */
    double num;
    uint64_t u64;
    char *str; /* strings: NUL-terminated UTF-8, may hold NULs from \u0000 (see str_len) */
    size_t str_len;
    size_t n, cap;    /* arrays and objects */
    bv_json **items;
    char **keys;      /* objects only, parallel to items */
};

/* ---------------------------------------------------------------- DOM */

void bv_json_free(bv_json *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->n; i++) {
        bv_json_free(j->items[i]);
        if (j->keys)
            free(j->keys[i]);
    }
    free(j->items);
    free(j->keys);
    free(j->str);
    free(j);
}

bv_json_type bv_json_type_of(const bv_json *j)
{
    return j ? j->type : BV_JSON_NULL;
}

const char *bv_json_type_name(bv_json_type t)
{
    static const char *const names[] = {"null", "boolean", "number", "string", "array", "object"};
    _Static_assert(sizeof names / sizeof names[0] == BV_JSON_OBJECT + 1, "one name per bv_json_type");
    if ((unsigned)t > BV_JSON_OBJECT)
        return "unknown";
    return names[t];
}

const bv_json *bv_json_get(const bv_json *obj, const char *key)
{
    if (!obj || obj->type != BV_JSON_OBJECT || !key)
        return NULL;
    /* The parser refuses repeated keys; a DOM built otherwise finds the last. */
    for (size_t i = obj->n; i-- > 0;)
        if (strcmp(obj->keys[i], key) == 0)
            return obj->items[i];
    return NULL;
}

size_t bv_json_len(const bv_json *j)
{
    if (!j || (j->type != BV_JSON_ARRAY && j->type != BV_JSON_OBJECT))
        return 0;
    return j->n;
}

const bv_json *bv_json_at(const bv_json *j, size_t i)
{
    if (!j || (j->type != BV_JSON_ARRAY && j->type != BV_JSON_OBJECT) || i >= j->n)
        return NULL;
    return j->items[i];
}

const char *bv_json_key_at(const bv_json *obj, size_t i)
{
    if (!obj || obj->type != BV_JSON_OBJECT || i >= obj->n)
        return NULL;
    return obj->keys[i];
}

const char *bv_json_string(const bv_json *j)
{
    return j && j->type == BV_JSON_STRING ? j->str : NULL;
}

size_t bv_json_string_len(const bv_json *j)
{
    return j && j->type == BV_JSON_STRING ? j->str_len : 0;
}

double bv_json_number(const bv_json *j)
{
    return j && j->type == BV_JSON_NUMBER ? j->num : 0.0;
}

bool bv_json_bool(const bv_json *j)
{
    return j && j->type == BV_JSON_BOOL && j->b;
}

bv_status bv_json_uint(const bv_json *j, uint64_t *out)
{
    if (!j || j->type != BV_JSON_NUMBER)
        return BV_ERR_VALUE;
    if (j->is_u64) {
        *out = j->u64;
        return BV_OK;
    }
    /* Written with a fraction or exponent ("1e3", "2.0"): exact only while a double
     * holds every integer, i.e. up to 2^53. */
    if (j->num >= 0.0 && j->num <= 9007199254740992.0 && floor(j->num) == j->num) {
        *out = (uint64_t)j->num;
        return BV_OK;
    }
    return BV_ERR_VALUE;
}

/* ---------------------------------------------------------------- parser */

typedef struct parser {
    const char *start, *p, *end;
    bv_error *err;
} parser;

static bv_status perr(const parser *ps, const char *at, const char *fmt, ...) BV_PRINTF(3, 4);

static bv_status perr(const parser *ps, const char *at, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    size_t line = 1, col = 1;
    /* Columns count characters, not bytes: UTF-8 continuation bytes do not advance them. */
    for (const char *q = ps->start; q < at; q++) {
        if (*q == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)*q & 0xC0) != 0x80) {
            col++;
        }
    }
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return bv_error_set(ps->err, BV_ERR_PARSE, "line %zu, column %zu: %s", line, col, what);
}

/* What the parser found instead of what it wanted, for messages. */
static void describe_at(const parser *ps, const char *at, char *buf, size_t n)
{
    if (at >= ps->end) {
        snprintf(buf, n, "end of input");
        return;
    }
    unsigned char c = (unsigned char)*at;
    if (c >= 0x20 && c < 0x7F)
        snprintf(buf, n, "'%c'", c);
    else
        snprintf(buf, n, "byte 0x%02x", c);
}

static bv_status expected(const parser *ps, const char *what)
{
    char found[32];
    describe_at(ps, ps->p, found, sizeof found);
    return perr(ps, ps->p, "expected %s but found %s", what, found);
}

static void skip_ws(parser *ps)
{
    while (ps->p < ps->end &&
           (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static bv_json *node_new(parser *ps, bv_json_type t)
{
    bv_json *j = calloc(1, sizeof *j);
    if (!j) {
        bv_error_set(ps->err, BV_ERR_NOMEM, "out of memory parsing JSON");
        return NULL;
    }
    j->type = t;
    return j;
}

/* Appends (key, item) to a container, taking ownership of both even on failure. Not
 * bv_array_reserve: most containers of a document are small (a case's two inputs), and its
 * first 16 slots, twice over for an object's keys, would quadruple the DOM of a vector file. */
static bv_status append(parser *ps, bv_json *c, char *key, bv_json *item)
{
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap : 4, bytes;
        bv_json **ni;
        if ((c->cap && bv_size_mul(c->cap, 2, &ncap) != BV_OK) ||
            bv_size_mul(ncap, sizeof(void *), &bytes) != BV_OK)
            goto nomem;
        ni = realloc(c->items, bytes);
        if (!ni)
            goto nomem;
        c->items = ni;
        if (c->type == BV_JSON_OBJECT) {
            char **nk = realloc(c->keys, bytes);
            if (!nk)
                goto nomem;
            c->keys = nk;
        }
        c->cap = ncap;
    }
    c->items[c->n] = item;
    if (c->type == BV_JSON_OBJECT)
        c->keys[c->n] = key;
    c->n++;
    return BV_OK;
nomem:
    free(key);
    bv_json_free(item);
    return bv_error_set(ps->err, BV_ERR_NOMEM, "out of memory parsing JSON");
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Four hex digits at p (bounded by end), or -1. */
static long hex4(const char *p, const char *end)
{
    long v = 0;
    if (end - p < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        int h = hexval(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static size_t utf8_put(char *out, unsigned long cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A string starting at the opening quote; the result is malloc'ed and NUL-terminated. */
static bv_status parse_string_raw(parser *ps, char **out, size_t *out_len)
{
    const char *open = ps->p, *q = ps->p + 1;
    char *buf = NULL, *w;
    bv_status st;

    /* First find the closing quote: decoding never lengthens a string, so its raw
     * length bounds the buffer. */
    while (q < ps->end && *q != '"')
        q += (*q == '\\' && ps->end - q > 1) ? 2 : 1;
    if (q >= ps->end)
        return perr(ps, open, "unterminated string");
    buf = malloc((size_t)(q - open));
    if (!buf)
        return bv_error_set(ps->err, BV_ERR_NOMEM, "out of memory parsing JSON");
    w = buf;
    for (const char *p = open + 1; p < q;) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20) {
            st = perr(ps, p, "control character 0x%02x in a string must be escaped", c);
            goto fail;
        }
        if (c >= 0x80) {
            size_t n = bv_utf8_len((const unsigned char *)p, (size_t)(q - p));
            if (n == 0) {
                st = perr(ps, p, "invalid UTF-8 in string (byte 0x%02x)", c);
                goto fail;
            }
            memcpy(w, p, n);
            w += n;
            p += n;
            continue;
        }
        if (c != '\\') {
            *w++ = (char)c;
            p++;
            continue;
        }
        switch (p[1]) {
        case '"': *w++ = '"'; p += 2; continue;
        case '\\': *w++ = '\\'; p += 2; continue;
        case '/': *w++ = '/'; p += 2; continue;
        case 'b': *w++ = '\b'; p += 2; continue;
        case 'f': *w++ = '\f'; p += 2; continue;
        case 'n': *w++ = '\n'; p += 2; continue;
        case 'r': *w++ = '\r'; p += 2; continue;
        case 't': *w++ = '\t'; p += 2; continue;
        case 'u': break;
        default: {
            char found[32];
            describe_at(ps, p + 1, found, sizeof found);
            st = perr(ps, p, "invalid escape: backslash followed by %s", found);
            goto fail;
        }
        }
        long cp = hex4(p + 2, q);
        if (cp < 0) {
            st = perr(ps, p, "invalid \\u escape: expected 4 hex digits");
            goto fail;
        }
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
            st = perr(ps, p, "unpaired low surrogate \\u%04lx", (unsigned long)cp);
            goto fail;
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo = (q - p >= 12 && p[6] == '\\' && p[7] == 'u') ? hex4(p + 8, q) : -1;
            if (lo < 0xDC00 || lo > 0xDFFF) {
                st = perr(ps, p, "unpaired high surrogate \\u%04lx", (unsigned long)cp);
                goto fail;
            }
            w += utf8_put(w, 0x10000 + (((unsigned long)cp - 0xD800) << 10) + ((unsigned long)lo - 0xDC00));
            p += 12;
        } else {
            w += utf8_put(w, (unsigned long)cp);
            p += 6;
        }
    }
    *w = '\0';
    *out = buf;
    *out_len = (size_t)(w - buf);
    ps->p = q + 1;
    return BV_OK;
fail:
    free(buf);
    return st;
}

static bool is_digit(const parser *ps, const char *p)
{
    return p < ps->end && *p >= '0' && *p <= '9';
}

static bv_status parse_number(parser *ps, bv_json **out)
{
    const char *s = ps->p, *p = ps->p;
    bool integral = true, negative = false;
    char small[64], *copy = small;
    bv_json *j = NULL;
    bv_status st;

    if (*p == '-') {
        negative = true;
        p++;
    }
    if (!is_digit(ps, p)) {
        ps->p = p;
        return expected(ps, "a digit");
    }
    if (*p == '0') {
        p++;
        if (is_digit(ps, p))
            return perr(ps, p, "leading zeros are not allowed in numbers");
    } else {
        while (is_digit(ps, p))
            p++;
    }
    if (p < ps->end && *p == '.') {
        integral = false;
        p++;
        if (!is_digit(ps, p)) {
            ps->p = p;
            return expected(ps, "a digit after '.'");
        }
        while (is_digit(ps, p))
            p++;
    }
    if (p < ps->end && (*p == 'e' || *p == 'E')) {
        integral = false;
        p++;
        if (p < ps->end && (*p == '+' || *p == '-'))
            p++;
        if (!is_digit(ps, p)) {
            ps->p = p;
            return expected(ps, "a digit in the exponent");
        }
        while (is_digit(ps, p))
            p++;
    }

    size_t n = (size_t)(p - s);
    if (n >= sizeof small) {
        copy = malloc(n + 1);
        if (!copy)
            return bv_error_set(ps->err, BV_ERR_NOMEM, "out of memory parsing JSON");
    }
    memcpy(copy, s, n);
    copy[n] = '\0';
    j = node_new(ps, BV_JSON_NUMBER);
    if (!j) {
        st = BV_ERR_NOMEM;
        goto fail;
    }
    /* The grammar above only admits strings strtod reads the same in the "C" locale. */
    j->num = strtod(copy, NULL);
    if (isinf(j->num)) {
        st = perr(ps, s, "number out of range");
        goto fail;
    }
    if (integral) {
        uint64_t v = 0;
        bool fits = true;
        for (const char *d = s + negative; d < p; d++) {
            unsigned dig = (unsigned)(*d - '0');
            if (v > (UINT64_MAX - dig) / 10) {
                fits = false;
                break;
            }
            v = v * 10 + dig;
        }
        j->is_u64 = fits && (!negative || v == 0);
        j->u64 = j->is_u64 ? v : 0;
    }
    if (copy != small)
        free(copy);
    ps->p = p;
    *out = j;
    return BV_OK;
fail:
    if (copy != small)
        free(copy);
    bv_json_free(j);
    return st;
}

static bv_status parse_value(parser *ps, unsigned depth, bv_json **out);

/* Objects up to this many keys are checked for a repeated key as each key is read; larger
 * ones by sorting at the end, so that a hostile object cannot make the check quadratic. */
#define DUP_SCAN_MAX 64

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bv_status check_duplicates(parser *ps, const bv_json *c)
{
    bv_status st = BV_OK;
    size_t bytes;
    if (bv_size_mul(c->n, sizeof(char *), &bytes) != BV_OK)
        return bv_error_set(ps->err, BV_ERR_NOMEM, "out of memory checking an object's keys");
    char **sorted = malloc(bytes);
    if (!sorted)
        return bv_error_set(ps->err, BV_ERR_NOMEM, "out of memory checking an object's keys");
    memcpy(sorted, c->keys, bytes);
    qsort(sorted, c->n, sizeof *sorted, compare_keys);
    for (size_t i = 1; i < c->n; i++) {
        if (strcmp(sorted[i - 1], sorted[i]) == 0) {
            st = perr(ps, ps->p, "duplicate key \"%.*s\" in the object that ends here", 64, sorted[i]);
            break;
        }
    }
    free(sorted);
    return st;
}

static bv_status parse_container(parser *ps, unsigned depth, bv_json **out)
{
    bool is_obj = *ps->p == '{';
    char close = is_obj ? '}' : ']';
    bv_json *c = NULL;
    bv_status st;

    if (depth > BV_JSON_MAX_DEPTH)
        return perr(ps, ps->p, "nesting deeper than %d levels", BV_JSON_MAX_DEPTH);
    c = node_new(ps, is_obj ? BV_JSON_OBJECT : BV_JSON_ARRAY);
    if (!c)
        return BV_ERR_NOMEM;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        *out = c;
        return BV_OK;
    }
    for (;;) {
        char *key = NULL;
        size_t key_len;
        bv_json *item = NULL;
        skip_ws(ps);
        if (is_obj) {
            if (ps->p >= ps->end || *ps->p != '"') {
                st = expected(ps, "'\"' to begin an object key");
                goto fail;
            }
            const char *key_at = ps->p;
            if ((st = parse_string_raw(ps, &key, &key_len)) != BV_OK)
                goto fail;
            /* A key is looked up as a C string: a NUL in it would silently cut it short. */
            if (strlen(key) != key_len) {
                free(key);
                st = perr(ps, key_at, "an object key holds \\u0000");
                goto fail;
            }
            /* A repeated key is refused rather than resolved (which one did the writer mean?);
             * big objects are checked once, sorted, at their end. */
            for (size_t i = 0; c->n <= DUP_SCAN_MAX && i < c->n; i++) {
                if (strcmp(c->keys[i], key) == 0) {
                    st = perr(ps, key_at, "duplicate key \"%.*s\" in an object", 64, key);
                    free(key);
                    goto fail;
                }
            }
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                free(key);
                st = expected(ps, "':' after an object key");
                goto fail;
            }
            ps->p++;
        }
        if ((st = parse_value(ps, depth, &item)) != BV_OK) {
            free(key);
            goto fail;
        }
        if ((st = append(ps, c, key, item)) != BV_OK)
            goto fail;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            break;
        }
        st = expected(ps, is_obj ? "',' or '}' in an object" : "',' or ']' in an array");
        goto fail;
    }
    if (is_obj && c->n > DUP_SCAN_MAX && (st = check_duplicates(ps, c)) != BV_OK)
        goto fail;
    *out = c;
    return BV_OK;
fail:
    bv_json_free(c);
    return st;
}

static bv_status parse_literal(parser *ps, const char *word, bv_json_type t, bool b, bv_json **out)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return perr(ps, ps->p, "invalid literal (expected '%s')", word);
    bv_json *j = node_new(ps, t);
    if (!j)
        return BV_ERR_NOMEM;
    j->b = b;
    ps->p += n;
    *out = j;
    return BV_OK;
}

static bv_status parse_value(parser *ps, unsigned depth, bv_json **out)
{
    skip_ws(ps);
    if (ps->p >= ps->end)
        return expected(ps, "a value");
    switch (*ps->p) {
    case '{':
    case '[':
        return parse_container(ps, depth + 1, out);
    case '"': {
        bv_json *j = node_new(ps, BV_JSON_STRING);
        bv_status st;
        if (!j)
            return BV_ERR_NOMEM;
        if ((st = parse_string_raw(ps, &j->str, &j->str_len)) != BV_OK) {
            bv_json_free(j);
            return st;
        }
        *out = j;
        return BV_OK;
    }
    case 't':
        return parse_literal(ps, "true", BV_JSON_BOOL, true, out);
    case 'f':
        return parse_literal(ps, "false", BV_JSON_BOOL, false, out);
    case 'n':
        return parse_literal(ps, "null", BV_JSON_NULL, false, out);
    default:
        if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
            return parse_number(ps, out);
        return expected(ps, "a value");
    }
}

bv_status bv_json_parse(const char *text, size_t len, bv_json **out, bv_error *err)
{
    parser ps = {.start = text, .p = text, .end = text + len, .err = err};
    bv_json *j = NULL;
    bv_status st;

    *out = NULL;
    /* RFC 8259 lets a parser ignore a byte order mark; editors on some systems add one. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        ps.p += 3;
    if ((st = parse_value(&ps, 0, &j)) != BV_OK)
        return st;
    skip_ws(&ps);
    if (ps.p < ps.end) {
        char found[32];
        describe_at(&ps, ps.p, found, sizeof found);
        bv_json_free(j);
        return perr(&ps, ps.p, "unexpected %s after the end of the JSON value", found);
    }
    *out = j;
    return BV_OK;
}

bv_status bv_json_parse_file(const char *path, bv_json **out, bv_error *err)
{
    char *text = NULL;
    size_t len = 0;
    bv_status st;

    *out = NULL;
    if ((st = bv_file_read_all(path, &text, &len, err)) != BV_OK)
        return st;
    st = bv_json_parse(text, len, out, err);
    if (st != BV_OK)
        bv_error_prefix(err, "%s", path);
    free(text);
    return st;
}

void bv_json_get_str(const bv_json *obj, const char *key, char *buf, size_t n)
{
    const char *s = bv_json_string(bv_json_get(obj, key));
    snprintf(buf, n, "%s", s ? s : "");
}

double bv_json_get_num(const bv_json *obj, const char *key)
{
    const bv_json *v = bv_json_get(obj, key);
    return bv_json_type_of(v) == BV_JSON_NUMBER ? bv_json_number(v) : 0.0;
}

uint64_t bv_json_get_u64(const bv_json *obj, const char *key)
{
    uint64_t v = 0;
    if (bv_json_uint(bv_json_get(obj, key), &v) != BV_OK)
        return 0;
    return v;
}

/* Members in any order: a parsed document has no repeated keys. */
bool bv_json_equal(const bv_json *a, const bv_json *b)
{
    bv_json_type t = bv_json_type_of(a);
    if (!a || !b || t != bv_json_type_of(b))
        return !a && !b;
    switch (t) {
    case BV_JSON_NULL: return true;
    case BV_JSON_BOOL: return bv_json_bool(a) == bv_json_bool(b);
    case BV_JSON_NUMBER: return bv_json_number(a) == bv_json_number(b);
    case BV_JSON_STRING:
        return bv_json_string_len(a) == bv_json_string_len(b) &&
               memcmp(bv_json_string(a), bv_json_string(b), bv_json_string_len(a)) == 0;
    case BV_JSON_ARRAY:
        if (bv_json_len(a) != bv_json_len(b))
            return false;
        for (size_t i = 0; i < bv_json_len(a); i++)
            if (!bv_json_equal(bv_json_at(a, i), bv_json_at(b, i)))
                return false;
        return true;
    case BV_JSON_OBJECT:
        if (bv_json_len(a) != bv_json_len(b))
            return false;
        for (size_t i = 0; i < bv_json_len(a); i++)
            if (!bv_json_equal(bv_json_at(a, i), bv_json_get(b, bv_json_key_at(a, i))))
                return false;
        return true;
    }
    return false;
}
