/* common/bv_json.h: a small JSON reader (DOM, with line:column errors) and a streaming
 * writer, used for vector files, results and reports. No dependency beyond libc. */
#ifndef BV_JSON_H
#define BV_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bv_common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bv_json_type {
    BV_JSON_NULL = 0,
    BV_JSON_BOOL,
    BV_JSON_NUMBER,
    BV_JSON_STRING,
    BV_JSON_ARRAY,
    BV_JSON_OBJECT
} bv_json_type;

typedef struct bv_json bv_json;

/* The deepest nesting the reader accepts and the writer writes. */
#define BV_JSON_MAX_DEPTH 256

/* Parses text (len bytes, need not be NUL-terminated). Errors are BV_ERR_PARSE with
 * "line L, column C: what" in err->msg (callers prefix the file name). Nesting deeper
 * than 256 levels is refused. */
BV_NODISCARD bv_status bv_json_parse(const char *text, size_t len, bv_json **out, bv_error *err);
/* Reads and parses a file; errors start with the path. */
BV_NODISCARD bv_status bv_json_parse_file(const char *path, bv_json **out, bv_error *err);
void bv_json_free(bv_json *j);

bv_json_type bv_json_type_of(const bv_json *j); /* BV_JSON_NULL for j == NULL */
const char *bv_json_type_name(bv_json_type t);   /* "null", "boolean", "number", ... */
/* Object member by key, or NULL (a parsed document has no repeated keys: the parser refuses them). */
const bv_json *bv_json_get(const bv_json *obj, const char *key);
/* Number of array elements or object members; 0 otherwise. */
size_t bv_json_len(const bv_json *j);
const bv_json *bv_json_at(const bv_json *j, size_t i);  /* array element or object member value */
const char *bv_json_key_at(const bv_json *obj, size_t i);
const char *bv_json_string(const bv_json *j); /* NULL unless a string */
double bv_json_number(const bv_json *j);      /* 0 unless a number */
bool bv_json_bool(const bv_json *j);          /* false unless true */
/* Equal as JSON values: object members in any order; two NULLs are equal. */
bool bv_json_equal(const bv_json *a, const bv_json *b);
/* Lenient member reads for records a writer may have written partly (older or killed runs): a
 * missing or mistyped member reads as "" or 0. */
void bv_json_get_str(const bv_json *obj, const char *key, char *buf, size_t n);
double bv_json_get_num(const bv_json *obj, const char *key);
uint64_t bv_json_get_u64(const bv_json *obj, const char *key);
/* A number that is an exact non-negative integer <= UINT64_MAX: 0 ok, else BV_ERR_VALUE. */
BV_NODISCARD bv_status bv_json_uint(const bv_json *j, uint64_t *out);

/* Streaming writer: commas, indentation and string escaping are its business. */
typedef struct bv_json_writer bv_json_writer;

BV_NODISCARD bv_status bv_json_writer_create(FILE *f, bool pretty, bv_json_writer **out, bv_error *err);
/* Returns BV_ERR_IO if any write failed, BV_ERR_INTERNAL if containers are unbalanced. Frees w. */
BV_NODISCARD bv_status bv_json_writer_finish(bv_json_writer *w, bv_error *err);
void bv_json_obj_begin(bv_json_writer *w);
void bv_json_obj_end(bv_json_writer *w);
void bv_json_arr_begin(bv_json_writer *w);
void bv_json_arr_end(bv_json_writer *w);
void bv_json_key(bv_json_writer *w, const char *key);
void bv_json_str(bv_json_writer *w, const char *s);
void bv_json_int(bv_json_writer *w, int64_t v);
void bv_json_u64(bv_json_writer *w, uint64_t v);
void bv_json_num(bv_json_writer *w, double v); /* NaN and infinities are written as null */
void bv_json_bool_write(bv_json_writer *w, bool v);
void bv_json_null(bv_json_writer *w);

/* Additions. A string's length in bytes: it may hold NULs written as \u0000. */
size_t bv_json_string_len(const bv_json *j);
/* Keys and strings given with a length (they may hold NULs). Strings are written as
 * valid UTF-8: a byte that is not part of a well-formed sequence becomes U+FFFD.
 * bv_json_str(w, NULL) writes null. bv_json_writer_finish ends the document with a
 * newline in both styles, so that compact documents make JSON Lines. */
void bv_json_keyn(bv_json_writer *w, const char *key, size_t n);
void bv_json_strn(bv_json_writer *w, const char *s, size_t n);
/* In pretty style, writes containers at nesting level `level` or deeper (the top-level
 * value is level 1) on one line, e.g. one record a line; 0 (the default) turns it off. */
void bv_json_writer_inline_from(bv_json_writer *w, unsigned level);

/* A JSON document written to a file atomically (bv_atomic_open / commit): open gives a
 * writer on the temporary file; close with the status so far finishes and renames it into
 * place when that status is 0, else drops it, and returns the first error. */
typedef struct bv_json_file {
    bv_atomic_file af;
    bv_json_writer *w;
} bv_json_file;

BV_NODISCARD bv_status bv_json_file_open(bv_json_file *jf, const char *path, bool pretty, bv_error *err);
BV_NODISCARD bv_status bv_json_file_close(bv_json_file *jf, bv_status st, bv_error *err);

#ifdef __cplusplus
}
#endif
#endif
