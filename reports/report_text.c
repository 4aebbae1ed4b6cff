/* reports/report_text.c: text helpers the writers share: a growable buffer, XML/HTML and
 * Markdown escaping that survives any bytes a driver puts in a message, SI numbers, and the
 * counting behind every result matrix. */
#define _GNU_SOURCE
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

void rt_buf_printf(rt_buf *b, const char *fmt, ...)
{
    va_list ap;
    if (b->oom)
        return;
    for (;;) {
        size_t room = b->cap - b->len;
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->oom = true;
            return;
        }
        if ((size_t)k < room) {
            b->len += (size_t)k;
            return;
        }
        if (bv_array_reserve(&b->s, &b->cap, b->len + (size_t)k + 1, 1, NULL)) {
            b->oom = true;
            return;
        }
    }
}

/* Length of the well-formed UTF-8 sequence at s, or 0; on top of UTF-8's own rules, U+FFFE
 * and U+FFFF, which XML does not allow. */
static size_t xml_utf8_len(const unsigned char *s, size_t n)
{
    size_t len = bv_utf8_len(s, n);
    if (len == 3 && s[0] == 0xef && s[1] == 0xbf && s[2] >= 0xbe)
        return 0;
    return len;
}

void rt_xml_text(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : ""), *end = p + strlen((const char *)p);
    while (*p) {
        switch (*p) {
        case '&': fputs("&amp;", f); p++; continue;
        case '<': fputs("&lt;", f); p++; continue;
        case '>': fputs("&gt;", f); p++; continue;
        case '"': fputs("&quot;", f); p++; continue;
        case '\'': fputs("&#39;", f); p++; continue;
        default: break;
        }
        if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') {
            fputs("\xef\xbf\xbd", f);
            p++;
            continue;
        }
        size_t n = xml_utf8_len(p, (size_t)(end - p));
        if (n == 0) {
            fputs("\xef\xbf\xbd", f);
            p++;
            continue;
        }
        fwrite(p, 1, n, f);
        p += n;
    }
}

void bv_report_md_cell(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : ""), *end = p + strlen((const char *)p);
    while (p < end) {
        size_t n = bv_utf8_len(p, (size_t)(end - p));
        if (*p == '|') {
            fputs("\\|", f);
        } else if (*p == '\n' || *p == '\r') {
            fputc(' ', f);
        } else if (n == 0) {
            fputs("\xef\xbf\xbd", f);
        } else {
            fwrite(p, 1, n, f);
            p += n;
            continue;
        }
        p++;
    }
}

void rt_si(char *buf, size_t n, double v)
{
    static const char *const prefix[] = {"", "k", "M", "G", "T", "P"};
    unsigned k = 0;
    if (!isfinite(v)) {
        snprintf(buf, n, "-");
        return;
    }
    while (fabs(v) >= 999.5 && k + 1 < sizeof prefix / sizeof prefix[0]) {
        v /= 1000;
        k++;
    }
    snprintf(buf, n, "%.3g %s", v, prefix[k]);
}

int rt_variant(const bv_report_case *c)
{
    if ((unsigned)c->limbs >= BV_LIMBS_COUNT || (unsigned)c->mode >= BV_MODE_COUNT)
        return -1;
    return (int)c->limbs * BV_MODE_COUNT + (int)c->mode;
}

void rt_cell_count(const bv_report *rep, bv_family family, bv_op op, int variant, rt_cell *cell)
{
    memset(cell, 0, sizeof *cell);
    for (size_t i = 0; i < rep->ncases; i++) {
        const bv_report_case *c = &rep->cases[i];
        if (c->family != family || c->op != op || rt_variant(c) != variant)
            continue;
        cell->counts[c->status]++;
        if (c->status == BV_RESULT_NOT_SUPPORTED || c->status == BV_RESULT_SKIP_LISTED)
            cell->notsup++;
        else
            cell->ran++;
        cell->passed += bv_report_status_is_pass(c->status) || c->status == BV_RESULT_EXPECTED_FAIL ||
                        c->status == BV_RESULT_KNOWN_FLAKE;
    }
}

bv_report_status rt_cell_worst(const rt_cell *cell)
{
    static const bv_report_status order[] = {
        BV_RESULT_CRASH,         BV_RESULT_DEVICE_LOST,   BV_RESULT_TIMEOUT,       BV_RESULT_INTERNAL_ERROR,
        BV_RESULT_FAIL,
        BV_RESULT_SKIPPED,       BV_RESULT_KNOWN_FLAKE,   BV_RESULT_FLAKE,           BV_RESULT_EXPECTED_FAIL,
        BV_RESULT_UNEXPECTED_PASS, BV_RESULT_PASS,        BV_RESULT_NOT_SUPPORTED,   BV_RESULT_SKIP_LISTED,
    };
    _Static_assert(sizeof order / sizeof order[0] == BV_RESULT_COUNT, "every status has a rank");
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (cell->counts[order[i]])
            return order[i];
    return BV_RESULT_COUNT;
}

double rt_case_rate(const bv_report_case *c)
{
    const bv_report_timing *t = &c->timing;
    if (!t->valid)
        return NAN;
    if (t->kernel_timed && t->kernel_elems_per_s > 0)
        return t->kernel_elems_per_s;
    return t->wall_elems_per_s > 0 ? t->wall_elems_per_s : NAN;
}

void rt_device_label(const bv_report *rep, char *buf, size_t n)
{
    const bv_device_info *d = &rep->run.device;
    snprintf(buf, n, "%s (%s %s)", d->name[0] ? d->name : "unknown device", d->driver_name, d->driver_version_str);
}

static size_t rt_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (size_t)h;
}

bool rt_nameset_has(const rt_nameset *s, const char *name)
{
    if (!s->cap)
        return false;
    for (size_t h = rt_hash(name) & (s->cap - 1); s->slot[h]; h = (h + 1) & (s->cap - 1))
        if (strcmp(s->slot[h], name) == 0)
            return true;
    return false;
}

bool rt_nameset_add(rt_nameset *s, const char *name)
{
    if (s->oom || rt_nameset_has(s, name))
        return false;
    if (2 * (s->n + 1) > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 64;
        const char **ns = calloc(ncap, sizeof *ns);
        if (!ns) {
            s->oom = true;
            return false;
        }
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i]) {
                size_t h = rt_hash(s->slot[i]) & (ncap - 1);
                while (ns[h])
                    h = (h + 1) & (ncap - 1);
                ns[h] = s->slot[i];
            }
        free(s->slot);
        s->slot = ns;
        s->cap = ncap;
    }
    size_t h = rt_hash(name) & (s->cap - 1);
    while (s->slot[h])
        h = (h + 1) & (s->cap - 1);
    s->slot[h] = name;
    s->n++;
    return true;
}

void rt_nameset_free(rt_nameset *s)
{
    free(s->slot);
    memset(s, 0, sizeof *s);
}

/* --- failures grouped by cause --------------------------------------------------------- */

/* Appends src to the key, with what differs between the cases of one cause made the same: the
 * case's own name and its kernel's as <case> and <kernel>, runs of digits as #, hex numbers as
 * 0x#. */
static void cause_key(rt_buf *b, const bv_report_case *c)
{
    char kernel[64];
    snprintf(kernel, sizeof kernel, "%s.%s.%s", bv_ref_family_name(c->family), bv_ref_op_name(c->op),
             bv_limbs_name(c->limbs));
    size_t nl = strlen(c->name), kl = strlen(kernel);
    rt_buf_printf(b, "%s\n", bv_report_status_name(c->status));
    for (const char *p = c->reason; *p;) {
        if (nl && strncmp(p, c->name, nl) == 0) {
            rt_buf_printf(b, "<case>");
            p += nl;
        } else if (strncmp(p, kernel, kl) == 0) {
            rt_buf_printf(b, "<kernel>");
            p += kl;
            if (*p == '+') /* a recipe's kernel: fr.add.u32+O */
                for (p++; *p && *p != '.' && *p != ' ' && *p != ':'; p++)
                    ;
        } else if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
            rt_buf_printf(b, "0x#");
            for (p += 2; isxdigit((unsigned char)*p); p++)
                ;
        } else if (isdigit((unsigned char)*p)) {
            rt_buf_printf(b, "#");
            while (isdigit((unsigned char)*p))
                p++;
        } else {
            rt_buf_printf(b, "%c", *p++);
        }
    }
}

void rt_groups_free(rt_group *g, size_t n)
{
    for (size_t i = 0; g && i < n; i++)
        free(g[i].cases);
    free(g);
}

bv_status rt_failure_groups(const bv_report *rep, rt_group **out, size_t *nout, bv_error *err)
{
    rt_group *g = NULL;
    size_t n = 0, cap = 0, kcap = 0;
    char **keys = NULL;
    bv_status st = BV_OK;
    *out = NULL;
    *nout = 0;
    for (size_t i = 0; i < rep->ncases; i++) {
        const bv_report_case *c = &rep->cases[i];
        rt_buf b = {0};
        if (!bv_report_status_is_failure(c->status))
            continue;
        cause_key(&b, c);
        if (b.oom) {
            free(b.s);
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        size_t k = 0;
        while (k < n && strcmp(keys[k], b.s) != 0)
            k++;
        if (k == n) {
            if ((st = bv_array_reserve(&g, &cap, n + 1, sizeof *g, err)) != BV_OK ||
                (st = bv_array_reserve(&keys, &kcap, n + 1, sizeof *keys, err)) != BV_OK) {
                free(b.s);
                goto fail;
            }
            memset(&g[n], 0, sizeof g[n]);
            g[n].status = c->status;
            keys[n++] = b.s;
        } else {
            free(b.s);
        }
        size_t *nv = realloc(g[k].cases, (g[k].n + 1) * sizeof *nv);
        if (!nv) {
            st = bv_error_set(err, BV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        g[k].cases = nv;
        g[k].cases[g[k].n++] = i;
    }
    for (size_t k = 0; k < n; k++)
        free(keys[k]);
    free(keys);
    *out = g;
    *nout = n;
    return BV_OK;
fail:
    for (size_t k = 0; k < n; k++)
        free(keys[k]);
    free(keys);
    rt_groups_free(g, n);
    return st;
}
