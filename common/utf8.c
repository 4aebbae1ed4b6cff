/* common/utf8.c: the one UTF-8 validator (RFC 3629) that the JSON reader and writer and the
 * report writers share, so that what one accepts the others accept too. */
#include "bv_common.h"

size_t bv_utf8_len(const unsigned char *s, size_t n)
{
    size_t len;
    unsigned long cp, min;
    if (n == 0)
        return 0;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        len = 2;
        cp = s[0] & 0x1F;
        min = 0x80;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        len = 3;
        cp = s[0] & 0x0F;
        min = 0x800;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        len = 4;
        cp = s[0] & 0x07;
        min = 0x10000;
    } else {
        return 0; /* a continuation byte, C0/C1 (always overlong) or F5-FF (past U+10FFFF) */
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    /* Overlong forms, surrogates and code points past U+10FFFF are not UTF-8. */
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}
