/* suites/test_ref_util.h: what the reference's and the vectors' test programs share: the
 * reference made ready before a group of tests, and r as published (the order of G1 and G2, the
 * modulus of Fr), for tests that check against the literal rather than the library. */
#ifndef BV_TEST_REF_UTIL_H
#define BV_TEST_REF_UTIL_H

#include <stdio.h>

#include "bv_ref.h"

#define TEST_R_HEX "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001"

/* bv_ref_init, its error printed: 0 or -1, as a cmocka group setup returns. */
static inline int test_ref_init(void)
{
    bv_error err;
    if (bv_ref_init(&err) != BV_OK) {
        fprintf(stderr, "bv_ref_init: %s\n", err.msg);
        return -1;
    }
    return 0;
}

#endif
