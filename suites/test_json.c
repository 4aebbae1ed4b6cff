/* suites/test_json.c: tests of common/json_read.c and json_write.c: valid documents, every
 * error class with its line and column, escapes, the nesting limit, and writer output read back. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <unistd.h>
#include <cmocka.h>

#include "bv_json.h"

static bv_json *parse_ok(const char *text)
{
    bv_json *j = NULL;
    bv_error err;
    bv_error_clear(&err);
    bv_status st = bv_json_parse(text, strlen(text), &j, &err);
    if (st != BV_OK)
        fail_msg("parse of %s failed: %s", text, err.msg);
    assert_non_null(j);
    return j;
}

/* An object past the size that is checked key by key is checked at its end, also refusing a
 * repeated key; distinct keys still parse. */
static void duplicate_key_in_a_big_object(void **state)
{
    char text[8192];
    size_t n = 0;
    bv_json *j = NULL;
    bv_error err;
    (void)state;
    n += (size_t)snprintf(text + n, sizeof text - n, "{");
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "\"k%d\":%d,", i, i);
    n += (size_t)snprintf(text + n, sizeof text - n, "\"k7\":0}");
    bv_error_clear(&err);
    assert_int_equal(bv_json_parse(text, n, &j, &err), BV_ERR_PARSE);
    assert_null(j);
    assert_non_null(strstr(err.msg, "duplicate key \"k7\""));
    text[n - 6] = 'x'; /* "kx" is new */
    j = parse_ok(text);
    bv_json_free(j);
}

static void valid_documents(void **state)
{
    (void)state;
    bv_json *j = parse_ok(" \t\r\n{\"a\": [1, -2.5, 3e2, 0, -0, 1E-2, true, false, null, \"s\", {}, []],"
                          " \"b\": {\"c\": \"d\"}, \"z\": \"last\"}\n");
    uint64_t u = 0;
    assert_int_equal(bv_json_type_of(j), BV_JSON_OBJECT);
    assert_int_equal(bv_json_len(j), 3);
    assert_string_equal(bv_json_key_at(j, 0), "a");
    assert_string_equal(bv_json_key_at(j, 1), "b");
    assert_string_equal(bv_json_string(bv_json_get(j, "z")), "last");
    const bv_json *a = bv_json_at(j, 0);
    assert_int_equal(bv_json_type_of(a), BV_JSON_ARRAY);
    assert_int_equal(bv_json_len(a), 12);
    assert_true(bv_json_number(bv_json_at(a, 0)) == 1.0);
    assert_true(bv_json_number(bv_json_at(a, 1)) == -2.5);
    assert_true(bv_json_number(bv_json_at(a, 2)) == 300.0);
    assert_true(bv_json_number(bv_json_at(a, 5)) == 0.01);
    assert_true(bv_json_bool(bv_json_at(a, 6)));
    assert_false(bv_json_bool(bv_json_at(a, 7)));
    assert_int_equal(bv_json_type_of(bv_json_at(a, 8)), BV_JSON_NULL);
    assert_string_equal(bv_json_string(bv_json_at(a, 9)), "s");
    assert_int_equal(bv_json_type_of(bv_json_at(a, 10)), BV_JSON_OBJECT);
    assert_int_equal(bv_json_len(bv_json_at(a, 10)), 0);
    assert_int_equal(bv_json_type_of(bv_json_at(a, 11)), BV_JSON_ARRAY);
    assert_null(bv_json_at(a, 12));
    assert_string_equal(bv_json_string(bv_json_get(bv_json_get(j, "b"), "c")), "d");
    assert_null(bv_json_get(j, "missing"));
    assert_null(bv_json_get(a, "a"));
    assert_null(bv_json_string(bv_json_at(a, 0)));
    assert_int_equal(bv_json_uint(bv_json_at(a, 2), &u), BV_OK); /* 3e2 */
    assert_int_equal(u, 300);
    assert_int_equal(bv_json_uint(bv_json_at(a, 4), &u), BV_OK); /* -0 */
    assert_int_equal(u, 0);
    assert_int_equal(bv_json_uint(bv_json_at(a, 1), &u), BV_ERR_VALUE);
    assert_int_equal(bv_json_uint(bv_json_at(a, 5), &u), BV_ERR_VALUE);
    assert_int_equal(bv_json_uint(bv_json_at(a, 9), &u), BV_ERR_VALUE);
    bv_json_free(j);

    /* Scalars at top level, a byte order mark, and uint64 at its limits. */
    j = parse_ok("\xEF\xBB\xBF 18446744073709551615 ");
    assert_int_equal(bv_json_uint(j, &u), BV_OK);
    assert_true(u == UINT64_MAX);
    bv_json_free(j);
    j = parse_ok("18446744073709551616");
    assert_int_equal(bv_json_uint(j, &u), BV_ERR_VALUE);
    bv_json_free(j);
    j = parse_ok("-1");
    assert_int_equal(bv_json_uint(j, &u), BV_ERR_VALUE);
    bv_json_free(j);
    j = parse_ok("\"\"");
    assert_string_equal(bv_json_string(j), "");
    bv_json_free(j);

    assert_string_equal(bv_json_type_name(BV_JSON_BOOL), "boolean");
    assert_string_equal(bv_json_type_name(BV_JSON_OBJECT), "object");
    assert_int_equal(bv_json_type_of(NULL), BV_JSON_NULL);
    bv_json_free(NULL);
}

/* Text not NUL-terminated at len: the parser must stop at len. */
static void honours_length(void **state)
{
    bv_json *j = NULL;
    bv_error err;
    (void)state;
    assert_int_equal(bv_json_parse("[1]garbage", 3, &j, &err), BV_OK);
    assert_int_equal(bv_json_len(j), 1);
    bv_json_free(j);
    assert_int_equal(bv_json_parse("[1]", 2, &j, &err), BV_ERR_PARSE);
    assert_null(j);
}

struct bad_case {
    const char *text;
    size_t len; /* 0: strlen */
    const char *where; /* "line L, column C: " */
    const char *what;  /* a fragment of the message */
};

static void error_classes(void **state)
{
    static const struct bad_case cases[] = {
        {"", 0, "line 1, column 1: ", "expected a value but found end of input"},
        {"   \n  ", 0, "line 2, column 3: ", "end of input"},
        {"{\"a\":1,\n \"b\" 2}", 0, "line 2, column 6: ", "expected ':'"},
        {"{\"a\":1\n\n   \"b\":2}", 0, "line 3, column 4: ", "expected ',' or '}'"},
        {"[1,\n2,]", 0, "line 2, column 3: ", "expected a value but found ']'"},
        {"[1 2]", 0, "line 1, column 4: ", "expected ',' or ']'"},
        {"{\"a\":1,}", 0, "line 1, column 8: ", "object key"},
        {"{1:2}", 0, "line 1, column 2: ", "object key"},
        {"[1,2", 0, "line 1, column 5: ", "found end of input"},
        {"[tru]", 0, "line 1, column 2: ", "invalid literal"},
        {"nul", 0, "line 1, column 1: ", "invalid literal"},
        {"[01]", 0, "line 1, column 3: ", "leading zeros"},
        {"-", 0, "line 1, column 2: ", "expected a digit"},
        {"1.", 0, "line 1, column 3: ", "digit after '.'"},
        {"1e+", 0, "line 1, column 4: ", "exponent"},
        {"+1", 0, "line 1, column 1: ", "expected a value but found '+'"},
        {"1e999", 0, "line 1, column 1: ", "out of range"},
        {"\"abc", 0, "line 1, column 1: ", "unterminated string"},
        {"[\"a\tb\"]", 0, "line 1, column 4: ", "control character 0x09"},
        {"\"a\\qb\"", 0, "line 1, column 3: ", "invalid escape"},
        {"\"\\u12G4\"", 0, "line 1, column 2: ", "4 hex digits"},
        {"\"\\u12\"", 0, "line 1, column 2: ", "4 hex digits"},
        {"\"x\\ud83d\"", 0, "line 1, column 3: ", "unpaired high surrogate"},
        {"\"\\ud83d\\u0041\"", 0, "line 1, column 2: ", "unpaired high surrogate"},
        {"\"\\ude00\"", 0, "line 1, column 2: ", "unpaired low surrogate"},
        {"\"\xC3\xA9\xFF\"", 0, "line 1, column 3: ", "invalid UTF-8"},
        {"\"\xC0\xAF\"", 0, "line 1, column 2: ", "invalid UTF-8"},     /* overlong '/' */
        {"\"\xED\xA0\x80\"", 0, "line 1, column 2: ", "invalid UTF-8"}, /* encoded surrogate */
        /* A repeated key is an error, not "the last one wins"; so is a NUL inside a key. */
        {"{\"field\":\"fr\",\"field\":\"fp\"}", 0, "line 1, column 15: ", "duplicate key \"field\""},
        {"{\"a\":{\"b\":1,\"c\":2,\"b\":3}}", 0, "line 1, column 19: ", "duplicate key \"b\""},
        {"{\"fi\\u0000eld\":\"fr\"}", 0, "line 1, column 2: ", "key holds \\u0000"},
        {"{} x", 0, "line 1, column 4: ", "after the end of the JSON value"},
        {"[1]\n]", 0, "line 2, column 1: ", "after the end of the JSON value"},
        {"\"\xC3\xA9\" 1", 0, "line 1, column 5: ", "after the end"}, /* columns count characters */
        {"[1,\0]", 5, "line 1, column 4: ", "byte 0x00"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct bad_case *c = &cases[i];
        bv_json *j = (bv_json *)1;
        bv_error err;
        bv_error_clear(&err);
        size_t len = c->len ? c->len : strlen(c->text);
        bv_status st = bv_json_parse(c->text, len, &j, &err);
        if (st != BV_ERR_PARSE || err.status != BV_ERR_PARSE)
            fail_msg("case %zu (%s): status %d, msg '%s'", i, c->text, st, err.msg);
        assert_null(j);
        if (strncmp(err.msg, c->where, strlen(c->where)) != 0 || !strstr(err.msg, c->what))
            fail_msg("case %zu (%s): got '%s', want '%s...%s'", i, c->text, err.msg, c->where, c->what);
    }
}

static void escapes(void **state)
{
    (void)state;
    bv_json *j = parse_ok("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"\\u00e9\\u20AC\", \"\\ud83d\\ude00\","
                          " \"a\\u0000b\", \"\xE2\x82\xAC raw\", \"\\u0041\\u007f\"]");
    assert_string_equal(bv_json_string(bv_json_at(j, 0)), "\"\\/\b\f\n\r\t");
    assert_string_equal(bv_json_string(bv_json_at(j, 1)), "\xC3\xA9\xE2\x82\xAC");
    assert_string_equal(bv_json_string(bv_json_at(j, 2)), "\xF0\x9F\x98\x80");
    assert_int_equal(bv_json_string_len(bv_json_at(j, 3)), 3);
    assert_memory_equal(bv_json_string(bv_json_at(j, 3)), "a\0b", 4);
    assert_string_equal(bv_json_string(bv_json_at(j, 4)), "\xE2\x82\xAC raw");
    assert_string_equal(bv_json_string(bv_json_at(j, 5)), "A\x7f");
    bv_json_free(j);
    /* Escaped keys are decoded before lookup. */
    j = parse_ok("{\"k\\u0065y\": 1}");
    assert_non_null(bv_json_get(j, "key"));
    bv_json_free(j);
}

static char *nested(size_t depth, bool objects)
{
    size_t unit = objects ? 5 : 1, n = depth * (unit + 1) + 2;
    char *s = malloc(n), *w = s;
    assert_non_null(s);
    for (size_t i = 0; i < depth; i++) {
        memcpy(w, objects ? "{\"a\":" : "[", unit);
        w += unit;
    }
    *w++ = '1';
    for (size_t i = 0; i < depth; i++)
        *w++ = objects ? '}' : ']';
    *w = '\0';
    return s;
}

static void nesting_limit(void **state)
{
    (void)state;
    for (int objects = 0; objects <= 1; objects++) {
        char *ok = nested(256, objects), *deep = nested(257, objects), *huge = nested(200000, objects);
        bv_json *j = NULL;
        bv_error err;
        assert_int_equal(bv_json_parse(ok, strlen(ok), &j, &err), BV_OK);
        bv_json_free(j);
        assert_int_equal(bv_json_parse(deep, strlen(deep), &j, &err), BV_ERR_PARSE);
        assert_non_null(strstr(err.msg, "nesting deeper than 256"));
        /* The 257th opening bracket is where the parser gives up. */
        char where[64];
        snprintf(where, sizeof where, "line 1, column %d: ", objects ? 256 * 5 + 1 : 257);
        assert_true(strncmp(err.msg, where, strlen(where)) == 0);
        /* Far deeper input is refused the same way, without exhausting the stack. */
        assert_int_equal(bv_json_parse(huge, strlen(huge), &j, &err), BV_ERR_PARSE);
        assert_null(j);
        free(ok);
        free(deep);
        free(huge);
    }
}

/* Everything written to f since the start, NUL-terminated. */
static char *slurp(FILE *f)
{
    long n = ftell(f);
    assert_true(n >= 0);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    rewind(f);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    return s;
}

static const double numbers[] = {0.0, -0.0, 0.1, -2.5, 1e300, 5e-324, 123456789.125, 1.0 / 3.0,
                                 9007199254740993.0};

static void write_sample(bv_json_writer *w, const char *all_controls, size_t nctl)
{
    bv_json_obj_begin(w);
    bv_json_key(w, "controls");
    bv_json_strn(w, all_controls, nctl);
    bv_json_key(w, "quote\"back\\slash");
    bv_json_str(w, "\"q\" \\ / \xC3\xA9 \xF0\x9F\x98\x80");
    bv_json_key(w, "ints");
    bv_json_arr_begin(w);
    bv_json_int(w, INT64_MIN);
    bv_json_int(w, -1);
    bv_json_u64(w, UINT64_MAX);
    bv_json_arr_end(w);
    bv_json_key(w, "nums");
    bv_json_arr_begin(w);
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
        bv_json_num(w, numbers[i]);
    bv_json_num(w, NAN);
    bv_json_num(w, INFINITY);
    bv_json_arr_end(w);
    bv_json_key(w, "empty_obj");
    bv_json_obj_begin(w);
    bv_json_obj_end(w);
    bv_json_key(w, "empty_arr");
    bv_json_arr_begin(w);
    bv_json_arr_end(w);
    bv_json_key(w, "lits");
    bv_json_arr_begin(w);
    bv_json_bool_write(w, true);
    bv_json_bool_write(w, false);
    bv_json_null(w);
    bv_json_str(w, NULL);
    bv_json_arr_end(w);
    bv_json_key(w, "bad_utf8");
    bv_json_str(w, "a\xFF" "b");
    bv_json_obj_end(w);
}

static void writer_round_trip(void **state)
{
    (void)state;
    char controls[32];
    for (int i = 0; i < 32; i++)
        controls[i] = (char)i;
    for (int pretty = 0; pretty <= 1; pretty++) {
        FILE *f = tmpfile();
        bv_json_writer *w = NULL;
        bv_error err;
        assert_non_null(f);
        assert_int_equal(bv_json_writer_create(f, pretty, &w, &err), BV_OK);
        write_sample(w, controls, sizeof controls);
        assert_int_equal(bv_json_writer_finish(w, &err), BV_OK);
        char *text = slurp(f);
        fclose(f);
        size_t len = strlen(text);
        assert_true(len > 0 && text[len - 1] == '\n');
        /* Raw control characters never reach the output. */
        for (size_t i = 0; i + 1 < len; i++)
            if (!pretty || text[i] != '\n')
                assert_true((unsigned char)text[i] >= 0x20);
        bv_json *j = parse_ok(text);
        const bv_json *c = bv_json_get(j, "controls");
        assert_int_equal(bv_json_string_len(c), 32);
        assert_memory_equal(bv_json_string(c), controls, 32);
        assert_string_equal(bv_json_string(bv_json_get(j, "quote\"back\\slash")),
                            "\"q\" \\ / \xC3\xA9 \xF0\x9F\x98\x80");
        const bv_json *ints = bv_json_get(j, "ints");
        uint64_t u = 0;
        assert_true(bv_json_number(bv_json_at(ints, 0)) == (double)INT64_MIN);
        assert_true(bv_json_number(bv_json_at(ints, 1)) == -1.0);
        assert_int_equal(bv_json_uint(bv_json_at(ints, 2), &u), BV_OK);
        assert_true(u == UINT64_MAX);
        const bv_json *nums = bv_json_get(j, "nums");
        size_t nn = sizeof numbers / sizeof numbers[0];
        assert_int_equal(bv_json_len(nums), nn + 2);
        for (size_t i = 0; i < nn; i++) {
            double v = bv_json_number(bv_json_at(nums, i));
            assert_true(v == numbers[i]);
            assert_true(signbit(v) == signbit(numbers[i]));
        }
        assert_int_equal(bv_json_type_of(bv_json_at(nums, nn)), BV_JSON_NULL);
        assert_int_equal(bv_json_type_of(bv_json_at(nums, nn + 1)), BV_JSON_NULL);
        assert_int_equal(bv_json_len(bv_json_get(j, "empty_obj")), 0);
        assert_int_equal(bv_json_type_of(bv_json_get(j, "empty_obj")), BV_JSON_OBJECT);
        assert_int_equal(bv_json_type_of(bv_json_get(j, "empty_arr")), BV_JSON_ARRAY);
        const bv_json *lits = bv_json_get(j, "lits");
        assert_int_equal(bv_json_len(lits), 4);
        assert_true(bv_json_bool(bv_json_at(lits, 0)));
        assert_int_equal(bv_json_type_of(bv_json_at(lits, 1)), BV_JSON_BOOL);
        assert_int_equal(bv_json_type_of(bv_json_at(lits, 3)), BV_JSON_NULL);
        assert_string_equal(bv_json_string(bv_json_get(j, "bad_utf8")), "a\xEF\xBF\xBD" "b");
        bv_json_free(j);
        free(text);
    }
}

static void writer_exact_text(void **state)
{
    /* compact, pretty, pretty with level 2 and deeper inline */
    static const char *const want[3] = {
        "{\"a\":[1,\"x\\ny\"],\"b\":{},\"c\":[]}\n",
        "{\n  \"a\": [\n    1,\n    \"x\\ny\"\n  ],\n  \"b\": {},\n  \"c\": []\n}\n",
        "{\n  \"a\": [1, \"x\\ny\"],\n  \"b\": {},\n  \"c\": []\n}\n",
    };
    (void)state;
    for (int style = 0; style <= 2; style++) {
        FILE *f = tmpfile();
        bv_json_writer *w = NULL;
        bv_error err;
        int pretty = style > 0;
        assert_int_equal(bv_json_writer_create(f, pretty, &w, &err), BV_OK);
        if (style == 2)
            bv_json_writer_inline_from(w, 2);
        bv_json_obj_begin(w);
        bv_json_key(w, "a");
        bv_json_arr_begin(w);
        bv_json_int(w, 1);
        bv_json_str(w, "x\ny");
        bv_json_arr_end(w);
        bv_json_key(w, "b");
        bv_json_obj_begin(w);
        bv_json_obj_end(w);
        bv_json_key(w, "c");
        bv_json_arr_begin(w);
        bv_json_arr_end(w);
        bv_json_obj_end(w);
        assert_int_equal(bv_json_writer_finish(w, &err), BV_OK);
        char *text = slurp(f);
        assert_string_equal(text, want[style]);
        free(text);
        fclose(f);
    }
}

static void writer_misuse(void **state)
{
    bv_error err;
    bv_json_writer *w = NULL;
    FILE *f = tmpfile();
    (void)state;
    /* Unclosed container. */
    assert_int_equal(bv_json_writer_create(f, false, &w, &err), BV_OK);
    bv_json_arr_begin(w);
    assert_int_equal(bv_json_writer_finish(w, &err), BV_ERR_INTERNAL);
    /* A value in an object without a key. */
    assert_int_equal(bv_json_writer_create(f, false, &w, &err), BV_OK);
    bv_json_obj_begin(w);
    bv_json_int(w, 1);
    bv_json_obj_end(w);
    assert_int_equal(bv_json_writer_finish(w, &err), BV_ERR_INTERNAL);
    /* A key in an array; mismatched close; two top-level values; nothing written. */
    assert_int_equal(bv_json_writer_create(f, false, &w, &err), BV_OK);
    bv_json_arr_begin(w);
    bv_json_key(w, "k");
    bv_json_arr_end(w);
    assert_int_equal(bv_json_writer_finish(w, &err), BV_ERR_INTERNAL);
    assert_int_equal(bv_json_writer_create(f, false, &w, &err), BV_OK);
    bv_json_arr_begin(w);
    bv_json_obj_end(w);
    assert_int_equal(bv_json_writer_finish(w, &err), BV_ERR_INTERNAL);
    assert_int_equal(bv_json_writer_create(f, false, &w, &err), BV_OK);
    bv_json_int(w, 1);
    bv_json_int(w, 2);
    assert_int_equal(bv_json_writer_finish(w, &err), BV_ERR_INTERNAL);
    assert_int_equal(bv_json_writer_create(f, false, &w, &err), BV_OK);
    assert_int_equal(bv_json_writer_finish(w, &err), BV_ERR_INTERNAL);
    /* Too deep to be read back is refused on the writing side too. */
    assert_int_equal(bv_json_writer_create(f, false, &w, &err), BV_OK);
    for (int i = 0; i < 257; i++)
        bv_json_arr_begin(w);
    for (int i = 0; i < 257; i++)
        bv_json_arr_end(w);
    assert_int_equal(bv_json_writer_finish(w, &err), BV_ERR_INTERNAL);
    fclose(f);
    assert_int_equal(bv_json_writer_finish(NULL, &err), BV_ERR_ARG);
}

static void writer_io_error(void **state)
{
    bv_error err;
    bv_json_writer *w = NULL;
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    assert_int_equal(bv_json_writer_create(f, true, &w, &err), BV_OK);
    bv_json_arr_begin(w);
    for (int i = 0; i < 10000; i++)
        bv_json_str(w, "some text to fill the stdio buffer");
    bv_json_arr_end(w);
    assert_int_equal(bv_json_writer_finish(w, &err), BV_ERR_IO);
    fclose(f);
}

static void parse_file_names_the_file(void **state)
{
    char path[] = "/tmp/test_json_XXXXXX";
    bv_json *j = NULL;
    bv_error err;
    (void)state;
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "{\n  \"a\": nope\n}", 15), 15);
    close(fd);
    assert_int_equal(bv_json_parse_file(path, &j, &err), BV_ERR_PARSE);
    assert_null(j);
    assert_true(strncmp(err.msg, path, strlen(path)) == 0);
    assert_non_null(strstr(err.msg, ": line 2, column 8: invalid literal"));
    unlink(path);
    assert_int_equal(bv_json_parse_file(path, &j, &err), BV_ERR_IO);
    assert_non_null(strstr(err.msg, path));
}

/* Objects compare by their members in any order, arrays in order, numbers by value. */
static void equal_values(void **state)
{
    (void)state;
    static const char *const same[][2] = {
        {"{\"a\": 1, \"b\": [1, 2]}", "{\"b\": [1, 2.0], \"a\": 1e0}"},
        {"null", "null"},
        {"\"x\\u0000y\"", "\"x\\u0000y\""},
    };
    static const char *const differ[][2] = {
        {"{\"a\": 1, \"b\": [1, 2]}", "{\"a\": 1, \"b\": [2, 1]}"},
        {"{\"a\": 1}", "{\"a\": 1, \"b\": 1}"},
        {"{\"a\": 1, \"c\": 1}", "{\"a\": 1, \"b\": 1}"},
        {"\"x\\u0000y\"", "\"x\\u0000z\""},
        {"0", "false"},
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        bv_json *a = parse_ok(same[i][0]), *b = parse_ok(same[i][1]);
        assert_true(bv_json_equal(a, b) && bv_json_equal(b, a));
        bv_json_free(a);
        bv_json_free(b);
    }
    for (size_t i = 0; i < sizeof differ / sizeof differ[0]; i++) {
        bv_json *a = parse_ok(differ[i][0]), *b = parse_ok(differ[i][1]);
        assert_false(bv_json_equal(a, b) || bv_json_equal(b, a));
        bv_json_free(a);
        bv_json_free(b);
    }
    assert_true(bv_json_equal(NULL, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_documents),
        cmocka_unit_test(duplicate_key_in_a_big_object),
        cmocka_unit_test(honours_length),
        cmocka_unit_test(error_classes),
        cmocka_unit_test(escapes),
        cmocka_unit_test(nesting_limit),
        cmocka_unit_test(writer_round_trip),
        cmocka_unit_test(writer_exact_text),
        cmocka_unit_test(writer_misuse),
        cmocka_unit_test(writer_io_error),
        cmocka_unit_test(parse_file_names_the_file),
        cmocka_unit_test(equal_values),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
