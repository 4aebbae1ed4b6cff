/* reference/ref_hex.c: elements as hex text ("0x" + big-endian digits of the element's bytes
 * read as one little-endian integer; Fp2's is c1*2^384 + c0, a G1 point's Z*2^768 + Y*2^384 + X),
 * the form vector files and messages use, with parse errors that say what is wrong with the
 * text; and the readable form of an element for failure reports (bv_ref_describe). */
#include "ref_internal.h"

#include <stdio.h>
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

/* The text's value into `bytes` bytes of value (zeroed first); *bits is its bit length. what:
 * the element's kind for the too-large message ("fp", "g1 smul y"). */
static bv_status parse_value(const char *text, size_t bytes, const char *what, uint8_t *value,
                             size_t *bits_out, bv_error *err)
{
    char shown[40];
    memset(value, 0, bytes);
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
    if (bits > 8u * bytes)
        return bv_error_set(err, BV_ERR_VALUE,
                            "\"%s\": value has %zu bits, more than the %zu that %s's %zu bytes hold",
                            shown, bits, 8u * bytes, what, bytes);
    for (size_t i = 0; i < sig; i++) {
        /* digit i counted from the least significant end */
        unsigned d = (unsigned)hex_value(digits[n - 1 - i]);
        value[i / 2] |= (uint8_t)(d << (4 * (i % 2)));
    }
    *bits_out = bits;
    return BV_OK;
}

bv_status bv_ref_hex_parse(bv_family f, const char *text, bool require_canonical, uint8_t *out,
                           bv_error *err)
{
    uint8_t value[BV_REF_MAX_BYTES];
    char shown[40];
    size_t bits = 0;
    bv_status st;

    if (!bv_ref_field_valid(f) || !text || !out)
        return bv_error_set(err, BV_ERR_ARG, "bv_ref_hex_parse: %s",
                            !bv_ref_field_valid(f) ? "invalid field" : "NULL text or output");
    if (require_canonical && !bv_ref_ready())
        return bv_error_set(err, BV_ERR_ARG, "bv_ref_hex_parse: bv_ref_init has not succeeded");
    unsigned bytes = (unsigned)bv_ref_family_bytes(f);
    const char *name = bv_ref_family_name(f);
    if ((st = parse_value(text, bytes, name, value, &bits, err)) != BV_OK)
        return st;
    excerpt(shown, sizeof shown, text);
    if (require_canonical && (f == BV_FAMILY_FP2 || bv_ref_is_curve(f)) &&
        !bv_ref_is_canonical(f, value)) {
        /* Made of Fp coordinates: say which one is out of range. */
        static const char *const fp2_names[] = {"c0 (the low 384 bits)", "c1 (the high 384 bits)"};
        static const char *const point_names[] = {"X.c0", "X.c1", "Y.c0", "Y.c1", "Z.c0", "Z.c1"};
        static const char *const g1_names[] = {"X", "Y", "Z"};
        const char *const *names = f == BV_FAMILY_FP2 ? fp2_names
                                   : f == BV_FAMILY_G1 ? g1_names : point_names;
        unsigned k = 0;
        while (bv_ref_is_canonical(BV_FAMILY_FP, value + 48 * k))
            k++;
        return bv_error_set(err, BV_ERR_VALUE, "\"%s\": %s of %s is not below p%s", shown,
                            names[k], name,
                            f == BV_FAMILY_FP2 ? " (the text is c1*2^384 + c0)" : "");
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

static const char *const slot_names[] = {"x", "y", "output"};

bv_status bv_ref_hex_parse_slot(bv_family f, bv_op op, unsigned which, const char *text,
                                bool require_canonical, uint8_t *out, bv_error *err)
{
    uint8_t value[BV_REF_MAX_BYTES];
    char what[64], shown[40];
    size_t bits = 0, bytes;
    bv_status st;

    if (!text || !out)
        return bv_error_set(err, BV_ERR_ARG, "bv_ref_hex_parse_slot: NULL text or output");
    if (!bv_ref_ready())
        return bv_error_set(err, BV_ERR_ARG, "bv_ref_hex_parse_slot: bv_ref_init has not succeeded");
    bytes = bv_ref_slot_bytes(f, op, which);
    if (!bytes)
        return bv_error_set(err, BV_ERR_ARG, "bv_ref_hex_parse_slot: %s %s has no %s",
                            bv_ref_family_name(f), bv_ref_op_name(op),
                            which <= BV_REF_OUT ? slot_names[which] : "such element");
    /* An element of the family's own size reads as bv_ref_hex_parse reads it. */
    if (bytes == bv_ref_family_bytes(f))
        return bv_ref_hex_parse(f, text, require_canonical, out, err);
    snprintf(what, sizeof what, "%s %s %s", bv_ref_family_name(f), bv_ref_op_name(op),
             slot_names[which]);
    if ((st = parse_value(text, bytes, what, value, &bits, err)) != BV_OK)
        return st;
    if (require_canonical && !bv_ref_slot_canonical(f, op, which, value)) {
        /* An affine point: x then y, each one or two Fp words. */
        static const char *const names[2][4] = {{"x", "y"}, {"x.c0", "x.c1", "y.c0", "y.c1"}};
        unsigned k = 0;
        while (bv_ref_is_canonical(BV_FAMILY_FP, value + 48 * k))
            k++;
        excerpt(shown, sizeof shown, text);
        return bv_error_set(err, BV_ERR_VALUE, "\"%s\": %s of the %s is not below p", shown,
                            names[f == BV_FAMILY_G2][k], what);
    }
    memcpy(out, value, bytes);
    return BV_OK;
}

static void format_bytes(const uint8_t *x, size_t bytes, char *buf)
{
    static const char digit[] = "0123456789abcdef";
    char *p = buf;
    *p++ = '0';
    *p++ = 'x';
    for (size_t i = bytes; i-- > 0;) {
        *p++ = digit[x[i] >> 4];
        *p++ = digit[x[i] & 15];
    }
    *p = '\0';
}

void bv_ref_hex_format(bv_family f, const uint8_t *x, char *buf)
{
    format_bytes(x, bv_ref_family_bytes(f), buf);
}

void bv_ref_hex_format_slot(bv_family f, bv_op op, unsigned which, const uint8_t *x, char *buf)
{
    format_bytes(x, bv_ref_slot_bytes(f, op, which), buf);
}

void bv_ref_describe(bv_family f, bv_op op, unsigned which, const uint8_t *v, char *buf,
                     size_t len)
{
    char hex[BV_REF_MAX_HEX];
    if (len == 0)
        return;
    if (!bv_ref_slot_bytes(f, op, which)) {
        snprintf(buf, len, "(no such element)");
        return;
    }
    if (bv_ref_is_curve(f)) {
        bv_ref_curve_describe(f, op, which, v, buf, len);
        return;
    }
    bv_ref_hex_format_slot(f, op, which, v, hex);
    snprintf(buf, len, "%s%s", hex, bv_ref_is_canonical(f, v) ? "" : " [not canonical]");
}

