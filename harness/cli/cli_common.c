/* harness/cli_common.c: what several verbs of the blsvk command share: number parsing and
 * opening a device (instance, selection, context) with the errors a user should see. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bv_vk.h"
#include "cli.h"

bool bv_cli_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    int base = 10;
    char *end;
    if (!s || !*s)
        return false;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    /* No sign, no spaces, and no octal surprise from a leading zero. */
    if (base == 16 ? !isxdigit((unsigned char)*s) : !isdigit((unsigned char)*s))
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, base);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

int bv_cli_getopt(int argc, char **argv, const char *shorts, const struct option *lo, const char **opt_text)
{
    static const char *const none = "";
    /* The options with a value seen in this parse, by the code getopt returns for them. */
    static int seen[64];
    static size_t nseen;
    if (optind <= 1)
        nseen = 0;
    optarg = NULL;
    int c = getopt_long(argc, argv, shorts, lo, NULL);
    if (c == -1)
        return -1;
    /* The argument that named the option: the one before its value when the value came apart. */
    const char *el = optind >= 1 && optind <= argc ? argv[optind - 1] : none;
    if (optarg && optind >= 2 && optarg == argv[optind - 1])
        el = argv[optind - 2];
    *opt_text = el;
    const struct option *named = NULL;
    if (strncmp(el, "--", 2) == 0 && el[2]) {
        size_t n = strcspn(el + 2, "=");
        for (const struct option *p = lo; p->name && !named; p++)
            if (strlen(p->name) == n && strncmp(p->name, el + 2, n) == 0)
                named = p;
        if (!named)
            return '?'; /* an abbreviation, or ambiguous: not accepted */
    }
    if (c != '?' && c != ':' && optarg && !(named && strcmp(named->name, "filter") == 0)) {
        for (size_t i = 0; i < nseen; i++)
            if (seen[i] == c)
                return BV_CLI_OPT_TWICE;
        if (nseen < sizeof seen / sizeof seen[0])
            seen[nseen++] = c;
    }
    return c;
}

int bv_cli_option_error(const char *verb, int c, const char *opt)
{
    int n = (int)strcspn(opt, "="), h = (int)strcspn(verb, " "); /* help is the verb's: `report`, not `report merge` */
    if (c == ':')
        fprintf(stderr, "blsvk %s: %s needs a value (see blsvk %.*s --help)\n", verb, opt, h, verb);
    else if (c == BV_CLI_OPT_TWICE)
        fprintf(stderr, "blsvk %s: %.*s given twice (see blsvk %.*s --help)\n", verb, n, opt, h, verb);
    else
        fprintf(stderr, "blsvk %s: unknown option '%.*s' (see blsvk %.*s --help)\n", verb, n, opt, h, verb);
    return BV_EXIT_USAGE;
}

int bv_cli_open_device(const char *verb, const char *selector, const bv_vk_instance_opts *io, const bv_vk_context_opts *co,
                       bv_vk_instance **inst, bv_vk_context **ctx)
{
    bv_error err;
    uint32_t index;
    bv_error_clear(&err);
    *inst = NULL;
    *ctx = NULL;
    if (bv_vk_instance_create(io, inst, &err)) {
        fprintf(stderr, "blsvk %s: %s\n", verb, err.msg);
        return err.status == BV_ERR_UNSUPPORTED ? BV_EXIT_USAGE : BV_EXIT_DEVICE;
    }
    if (bv_vk_device_count(*inst) == 0) {
        fprintf(stderr, "blsvk %s: %s\n", verb, bv_vk_no_device_hint());
        return BV_EXIT_DEVICE;
    }
    if (bv_vk_device_select(*inst, selector, &index, &err)) {
        fprintf(stderr, "blsvk %s: --device %s: %s\n", verb, selector ? selector : "", err.msg);
        return err.status == BV_ERR_NO_DEVICE ? BV_EXIT_DEVICE : BV_EXIT_USAGE;
    }
    if (bv_vk_context_create(*inst, index, co, ctx, &err)) {
        fprintf(stderr, "blsvk %s: %s\n", verb, err.msg);
        return err.status == BV_ERR_ARG ? BV_EXIT_USAGE : BV_EXIT_DEVICE;
    }
    return -1;
}

bool bv_cli_parse_validate(const char *verb, int argc, char **argv, bool *gpu)
{
    const char *m = optarg;
    if (!m && optind < argc && (strcmp(argv[optind], "gpu") == 0 || strcmp(argv[optind], "sync") == 0))
        m = argv[optind++];
    if (m && strcmp(m, "gpu") != 0 && strcmp(m, "sync") != 0) {
        fprintf(stderr, "blsvk %s: --validate takes sync (the default) or gpu, not '%s'\n", verb, m);
        return false;
    }
    *gpu = m && strcmp(m, "gpu") == 0;
    return true;
}

int bv_cli_validation_summary(const char *verb, bv_vk_instance *inst, bool gpu)
{
    char msgs[4096];
    size_t nmsg = bv_vk_take_validation_messages(inst, msgs, sizeof msgs);
    printf("validation layer (%s): %zu message%s\n", gpu ? "GPU-assisted" : "synchronization", nmsg,
           nmsg == 1 ? "" : "s");
    if (nmsg)
        fprintf(stderr, "blsvk %s: the validation layer reported:\n%s\n", verb, msgs);
    return nmsg ? BV_EXIT_FAIL : BV_EXIT_OK;
}
