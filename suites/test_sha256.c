/* suites/test_sha256.c: tests of common/sha256.c against the FIPS 180-2 example vectors and
 * the padding boundaries (55/56 and 119/120 bytes spill into an extra block). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bv_sha256.h"

static void fips_180_2_examples(void **state)
{
    char hex[65];
    (void)state;
    /* FIPS 180-2, appendix B.1 and B.2. */
    bv_sha256_hex(hex, "abc", 3);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    bv_sha256_hex(hex, two_blocks, strlen(two_blocks));
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void fips_180_2_million_a(void **state)
{
    char hex[65];
    (void)state;
    /* FIPS 180-2, appendix B.3: one million repetitions of 'a'. */
    char *a = malloc(1000000);
    assert_non_null(a);
    memset(a, 'a', 1000000);
    bv_sha256_hex(hex, a, 1000000);
    free(a);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void empty_message(void **state)
{
    char hex[65];
    uint8_t d[32];
    (void)state;
    bv_sha256_hex(hex, NULL, 0);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    bv_sha256(d, "", 0);
    assert_int_equal(d[0], 0xe3);
    assert_int_equal(d[31], 0x55);
}

/* Messages of bytes 0, 1, 2, ... at the lengths where the padding changes shape; digests
 * from Python's hashlib. */
static void padding_boundaries(void **state)
{
    static const struct {
        size_t len;
        const char *hex;
    } cases[] = {
        {55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59"},
        {56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562"},
        {63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488"},
        {64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108"},
        {65, "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781"},
        {119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6"},
        {120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c"},
    };
    uint8_t msg[128];
    char hex[65];
    (void)state;
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bv_sha256_hex(hex, msg, cases[i].len);
        assert_string_equal(hex, cases[i].hex);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fips_180_2_examples),
        cmocka_unit_test(fips_180_2_million_a),
        cmocka_unit_test(empty_message),
        cmocka_unit_test(padding_boundaries),
    };
    return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
