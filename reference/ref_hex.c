/* reference/ref_hex.c: elements as hex text ("0x" + big-endian digits of the element's bytes
 * read as one little-endian integer; Fp2's is c1*2^384 + c0), the form vector files and
 * messages use, with parse errors that say what is wrong with the text. */
#include "ref_internal.h"

#include <string.h>

static int hex_value(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* The start of the text for messages, with unprintable bytes shown as '?', so that a
 * stray control byte cannot garble the line a user reads. */
static void excerpt(char *buf, size_t size, const char *text)
{
    size_t n = strlen(text), keep = n < size - 4 ? n : size - 4;
    for (size_t i = 0; i < keep; i++) {
        unsigned char ch = (unsigned char)text[i];
        buf[i] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
    }
    if (keep < n)
        memcpy(buf + keep, "...", 4);
    else
        buf[keep] = '\0';
}

bv_status bv_ref_hex_parse(bv_family f, const char *text, bool require_canonical, uint8_t *out,
                           bv_error *err)
{
    uint8_t value[BV_REF_MAX_BYTES] = {0};
    char shown[40];

    if (!bv_ref_field_valid(f) || !text || !out)
        return bv_error_set(err, BV_ERR_ARG, "bv_ref_hex_parse: %s",
                            !bv_ref_field_valid(f) ? "invalid field" : "NULL text or output");
    if (require_canonical && !bv_ref_ready())
        return bv_error_set(err, BV_ERR_ARG, "bv_ref_hex_parse: bv_ref_init has not succeeded");
    excerpt(shown, sizeof shown, text);
    if (text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
        return bv_error_set(err, BV_ERR_PARSE, "\"%s\": does not start with \"0x\"", shown);
    const char *digits = text + 2;
    size_t n = strlen(digits);
    if (n == 0)
        return bv_error_set(err, BV_ERR_PARSE, "\"%s\": no hex digits after \"0x\"", shown);
    for (size_t i = 0; i < n; i++) {
        if (hex_value(digits[i]) < 0) {
            unsigned char ch = (unsigned char)digits[i];
            if (ch >= 0x20 && ch < 0x7f)
                return bv_error_set(err, BV_ERR_PARSE,
                                    "\"%s\": not a hex digit '%c' at position %zu", shown,
                                    (char)ch, i + 2);
            return bv_error_set(err, BV_ERR_PARSE,
                                "\"%s\": not a hex digit (byte 0x%02x) at position %zu", shown,
                                (unsigned)ch, i + 2);
        }
    }

    /* Leading zeros carry no value, however many there are. */
    size_t lead = 0;
    while (lead < n && digits[lead] == '0')
        lead++;
    size_t sig = n - lead, bits = 0;
    if (sig > 0) {
        unsigned top = (unsigned)hex_value(digits[lead]);
        bits = (sig - 1) * 4;
        while (top) {
            bits++;
            top >>= 1;
        }
    }
    unsigned bytes = (unsigned)bv_ref_family_bytes(f);
    const char *name = bv_ref_family_name(f);
    if (bits > 8u * bytes)
        return bv_error_set(err, BV_ERR_VALUE,
                            "\"%s\": value has %zu bits, more than the %u that %s's %u bytes hold",
                            shown, bits, 8u * bytes, name, bytes);
    for (size_t i = 0; i < sig; i++) {
        /* digit i counted from the least significant end */
        unsigned d = (unsigned)hex_value(digits[n - 1 - i]);
        value[i / 2] |= (uint8_t)(d << (4 * (i % 2)));
    }
    if (require_canonical && f == BV_FAMILY_FP2 && !bv_ref_is_canonical(f, value)) {
        /* The text is c1*2^384 + c0: say which coordinate is out of range. */
        bool c0_ok = bv_ref_is_canonical(BV_FAMILY_FP, value);
        return bv_error_set(err, BV_ERR_VALUE,
                            "\"%s\": %s of fp2 is not below p (the text is c1*2^384 + c0)",
                            shown, c0_ok ? "c1 (the high 384 bits)" : "c0 (the low 384 bits)");
    }
    if (require_canonical && !bv_ref_is_canonical(f, value)) {
        unsigned field_bits = bv_ref_constants_get(f)->bits;
        if (bits > field_bits)
            return bv_error_set(err, BV_ERR_VALUE,
                                "\"%s\": value has %zu bits, more than %s's %u, so it is not "
                                "below the modulus of %s",
                                shown, bits, name, field_bits, name);
        return bv_error_set(err, BV_ERR_VALUE, "\"%s\": value is not below the modulus of %s",
                            shown, name);
    }
    memcpy(out, value, bytes);
    return BV_OK;
}

void bv_ref_hex_format(bv_family f, const uint8_t *x, char *buf)
{
    static const char digit[] = "0123456789abcdef";
    size_t bytes = bv_ref_family_bytes(f);
    char *p = buf;
    *p++ = '0';
    *p++ = 'x';
    for (size_t i = bytes; i-- > 0;) {
        *p++ = digit[x[i] >> 4];
        *p++ = digit[x[i] & 15];
    }
    *p = '\0';
}
