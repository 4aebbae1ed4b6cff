/* suites/test_common.c: tests of common/ (status names, error records, checked sizes, growable
 * arrays, the UTF-8 validator). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bv_common.h"

static void status_names_are_distinct(void **state)
{
    (void)state;
    for (int a = BV_STATUS_MIN; a <= 0; a++)
        for (int b = a + 1; b <= 0; b++)
            assert_string_not_equal(bv_status_name((bv_status)a), bv_status_name((bv_status)b));
    assert_string_equal(bv_status_name(BV_OK), "ok");
    assert_string_equal(bv_status_name((bv_status)1), "unknown-status");
    assert_string_equal(bv_status_name((bv_status)(BV_STATUS_MIN - 1)), "unknown-status");
}

static void error_set_and_prefix(void **state)
{
    bv_error err;
    (void)state;
    bv_error_clear(&err);
    assert_int_equal(bv_error_set(&err, BV_ERR_PARSE, "case %d: bad", 3), BV_ERR_PARSE);
    assert_int_equal(err.status, BV_ERR_PARSE);
    bv_error_prefix(&err, "%s", "f.json");
    assert_string_equal(err.msg, "f.json: case 3: bad");
    assert_int_equal(bv_error_set(NULL, BV_ERR_IO, "x"), BV_ERR_IO);
}

static void size_arithmetic_detects_overflow(void **state)
{
    size_t r = 0;
    (void)state;
    assert_int_equal(bv_size_mul(SIZE_MAX / 2 + 1, 2, &r), BV_ERR_OVERFLOW);
    assert_int_equal(bv_size_mul(1u << 20, 48, &r), BV_OK);
    assert_int_equal(r, 48u << 20);
    assert_int_equal(bv_size_add(SIZE_MAX, 1, &r), BV_ERR_OVERFLOW);
    assert_int_equal(bv_size_add(SIZE_MAX - 1, 1, &r), BV_OK);
    assert_true(r == SIZE_MAX);
}

static void array_reserve_grows_and_keeps_contents(void **state)
{
    uint64_t *v = NULL;
    size_t cap = 0;
    bv_error err;
    (void)state;
    bv_error_clear(&err);
    for (size_t i = 0; i < 1000; i++) {
        assert_int_equal(bv_array_reserve(&v, &cap, i + 1, sizeof *v, &err), BV_OK);
        assert_true(cap >= i + 1);
        v[i] = i * 7919u;
    }
    for (size_t i = 0; i < 1000; i++)
        assert_true(v[i] == i * 7919u);
    size_t before = cap;
    uint64_t *keep = v;
    /* A request whose byte size overflows fails and leaves the array alone. */
    assert_int_equal(bv_array_reserve(&v, &cap, SIZE_MAX / 4, sizeof *v, &err), BV_ERR_OVERFLOW);
    assert_true(v == keep && cap == before);
    free(v);
}

/* The bytes of a string literal, without its NUL. */
#define U8(lit) (const unsigned char *)(lit), sizeof(lit) - 1

static void utf8_len_accepts_well_formed_sequences(void **state)
{
    (void)state;
    assert_int_equal(bv_utf8_len(U8("A")), 1);
    assert_int_equal(bv_utf8_len(U8("\x7f")), 1);
    assert_int_equal(bv_utf8_len(U8("\xc2\x80")), 2);       /* U+0080, the first 2-byte one */
    assert_int_equal(bv_utf8_len(U8("\xdf\xbf")), 2);       /* U+07FF */
    assert_int_equal(bv_utf8_len(U8("\xe0\xa0\x80")), 3);   /* U+0800 */
    assert_int_equal(bv_utf8_len(U8("\xed\x9f\xbf")), 3);   /* U+D7FF, just below the surrogates */
    assert_int_equal(bv_utf8_len(U8("\xee\x80\x80")), 3);   /* U+E000, just above them */
    assert_int_equal(bv_utf8_len(U8("\xef\xbf\xbf")), 3);   /* U+FFFF: UTF-8, though not XML */
    assert_int_equal(bv_utf8_len(U8("\xf0\x90\x80\x80")), 4); /* U+10000 */
    assert_int_equal(bv_utf8_len(U8("\xf4\x8f\xbf\xbf")), 4); /* U+10FFFF, the last code point */
    /* Only the sequence at s counts: what follows it does not. */
    assert_int_equal(bv_utf8_len(U8("\xc3\xa9\xff")), 2);
}

static void utf8_len_rejects_ill_formed_sequences(void **state)
{
    (void)state;
    assert_int_equal(bv_utf8_len(U8("")), 0);
    /* Overlong forms of '/' and of U+07FF, U+FFFF. */
    assert_int_equal(bv_utf8_len(U8("\xc0\xaf")), 0);
    assert_int_equal(bv_utf8_len(U8("\xc1\xbf")), 0);
    assert_int_equal(bv_utf8_len(U8("\xe0\x9f\xbf")), 0);
    assert_int_equal(bv_utf8_len(U8("\xf0\x8f\xbf\xbf")), 0);
    /* Surrogates U+D800 and U+DFFF. */
    assert_int_equal(bv_utf8_len(U8("\xed\xa0\x80")), 0);
    assert_int_equal(bv_utf8_len(U8("\xed\xbf\xbf")), 0);
    /* Past U+10FFFF: U+110000, and lead bytes F5-FF. */
    assert_int_equal(bv_utf8_len(U8("\xf4\x90\x80\x80")), 0);
    assert_int_equal(bv_utf8_len(U8("\xf5\x80\x80\x80")), 0);
    assert_int_equal(bv_utf8_len(U8("\xff")), 0);
    /* A stray continuation byte, and a lead byte followed by something else. */
    assert_int_equal(bv_utf8_len(U8("\x80")), 0);
    assert_int_equal(bv_utf8_len(U8("\xc3" "A")), 0);
    assert_int_equal(bv_utf8_len(U8("\xe2\x82" "A")), 0);
    /* Truncated: the bytes are right but n ends the sequence early (no read past n). */
    assert_int_equal(bv_utf8_len((const unsigned char *)"\xc3\xa9", 1), 0);
    assert_int_equal(bv_utf8_len((const unsigned char *)"\xe2\x82\xac", 2), 0);
    assert_int_equal(bv_utf8_len((const unsigned char *)"\xf0\x9f\x98\x80", 3), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_names_are_distinct),
        cmocka_unit_test(error_set_and_prefix),
        cmocka_unit_test(size_arithmetic_detects_overflow),
        cmocka_unit_test(array_reserve_grows_and_keeps_contents),
        cmocka_unit_test(utf8_len_accepts_well_formed_sequences),
        cmocka_unit_test(utf8_len_rejects_ill_formed_sequences),
    };
    return cmocka_run_group_tests_name("common", tests, NULL, NULL);
}
