/* harness/cli_vectors.c: the verbs that need no device: `blsvk vectors` writes a vector file,
 * `blsvk ref` fills a vector file's expected values from the reference. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bv_ref.h"
#include "bv_vec.h"
#include "cli.h"

/* Disagreements listed one by one before the rest are only counted. */
#define MAX_LISTED 50

enum { OPT_FIELD = 256, OPT_OP, OPT_SET, OPT_COUNT, OPT_SEED, OPT_FORMAT, OPT_IN, OPT_OUT };

typedef enum out_format { FORMAT_AUTO = 0, FORMAT_JSON, FORMAT_BIN } out_format;

static void vectors_usage(FILE *f)
{
    fprintf(f,
            "usage: blsvk vectors --field fp|fr|fp2|g1|g2 --op OP --set edge|random [--count N]\n"
            "                     [--seed S] [--format json|bin] --out FILE\n\n"
            "Writes a vector file of inputs for one family and op.\n\n"
            "  --field FAMILY       fp (381-bit base field), fr (255-bit scalar field),\n"
            "                       fp2 (Fp[u]/(u^2+1), an element c0 then c1), g1 (points of\n"
            "                       y^2 = x^3 + 4 over Fp) or g2 (points of y^2 = x^3 + 4(1+u) over\n"
            "                       Fp2); points are Jacobian X, Y, Z in Montgomery form\n"
            "  --op OP              fp, fr: add, sub, neg, dbl, mul, sqr, to_mont, from_mont or inv\n"
            "                       fp2: add, sub, neg, dbl, mul, sqr, conj, mul_by_nonresidue or inv\n"
            "                       g1, g2: add, dbl, madd (y an affine point), neg, smul (y a\n"
            "                       256-bit scalar) or to_affine\n"
            "  --set edge           the named edge cases (catalogue values, their pairs for binary\n"
            "                       ops, and special cases on every reduction boundary; for points\n"
            "                       the identity, doubling and cancelling sums, small orders)\n"
            "  --set random         seeded random cases, reproducible from the seed (uniform field\n"
            "                       elements; points on the curve, in and outside the subgroup,\n"
            "                       under random Z; the algorithm is in docs/vectors.md)\n"
            "  --count N            random cases to write (default 1024, at most %zu)\n"
            "  --seed S             the random seed, decimal or 0x-hex (default 1)\n"
            "  --format json|bin    the file format (default: bin for a name ending in .bin, else json)\n"
            "  --out FILE           where to write; replaced atomically (a regular file only;\n"
            "                       - for standard output)\n"
            "  -h, --help           this help\n\n"
            "exit status: 0 written, 2 bad usage or the file could not be written\n",
            BV_VEC_MAX_COUNT);
}

static void ref_usage(FILE *f)
{
    fprintf(f,
            "usage: blsvk ref --in FILE --out FILE [--format json|bin]\n\n"
            "Reads a vector file (JSON or binary), computes every case's expected value with the\n"
            "GMP reference and writes the same cases with expected values to --out. Cases that\n"
            "already have an expected value are checked: if any disagrees with the reference, the\n"
            "disagreements are listed on stderr, --out is not written, and the exit status is 1.\n\n"
            "  --in FILE            the vector file to read (a pipe or FIFO too; - for standard input)\n"
            "  --out FILE           where to write; replaced atomically (may be the same as --in; a\n"
            "                       regular file only; - for standard output)\n"
            "  --format json|bin    the output format (default: bin for a name ending in .bin, else json)\n"
            "  -h, --help           this help\n\n"
            "exit status: 0 written, 1 a disagreement with the reference, 2 bad usage or bad input\n");
}

static bool parse_format(const char *s, out_format *out)
{
    if (strcmp(s, "json") == 0)
        *out = FORMAT_JSON;
    else if (strcmp(s, "bin") == 0)
        *out = FORMAT_BIN;
    else
        return false;
    return true;
}

static out_format format_for(const char *path, out_format chosen)
{
    size_t n = strlen(path);
    if (chosen != FORMAT_AUTO)
        return chosen;
    return n >= 4 && strcmp(path + n - 4, ".bin") == 0 ? FORMAT_BIN : FORMAT_JSON;
}

static bv_status write_set(const char *path, const bv_vec_set *set, out_format fmt, bv_error *err)
{
    return fmt == FORMAT_BIN ? bv_vec_write_bin(path, set, err) : bv_vec_write_json(path, set, err);
}

int bv_cli_vectors(int argc, char **argv)
{
    static const struct option lo[] = {
        {"field", required_argument, NULL, OPT_FIELD}, {"op", required_argument, NULL, OPT_OP},
        {"set", required_argument, NULL, OPT_SET},     {"count", required_argument, NULL, OPT_COUNT},
        {"seed", required_argument, NULL, OPT_SEED},   {"format", required_argument, NULL, OPT_FORMAT},
        {"out", required_argument, NULL, OPT_OUT},     {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *field_s = NULL, *op_s = NULL, *set_s = NULL, *out = NULL, *count_s = NULL,
               *seed_s = NULL;
    out_format fmt = FORMAT_AUTO;
    uint64_t count = 1024, seed = 1;
    bv_family f;
    bv_op op;
    bool edge;
    bv_vec_set *set = NULL;
    bv_error err;
    int c;
    const char *opt = "";

    bv_error_clear(&err);
    optind = 0; /* glibc: start afresh, whatever parsed argv before */
    opterr = 0;
    while ((c = bv_cli_getopt(argc, argv, ":h", lo, &opt)) != -1) {
        switch (c) {
        case 'h':
            vectors_usage(stdout);
            return BV_EXIT_OK;
        case OPT_FIELD: field_s = optarg; break;
        case OPT_OP: op_s = optarg; break;
        case OPT_SET: set_s = optarg; break;
        case OPT_COUNT: count_s = optarg; break;
        case OPT_SEED: seed_s = optarg; break;
        case OPT_OUT: out = optarg; break;
        case OPT_FORMAT:
            if (!parse_format(optarg, &fmt)) {
                fprintf(stderr, "blsvk vectors: --format takes json or bin, not '%s'\n", optarg);
                return BV_EXIT_USAGE;
            }
            break;
        default:
            return bv_cli_option_error("vectors", c, opt);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "blsvk vectors: unexpected argument '%s' (see blsvk vectors --help)\n", argv[optind]);
        return BV_EXIT_USAGE;
    }
    if (!field_s || !op_s || !set_s || !out) {
        fprintf(stderr, "blsvk vectors: %s is required (see blsvk vectors --help)\n",
                !field_s ? "--field" : !op_s ? "--op" : !set_s ? "--set" : "--out");
        return BV_EXIT_USAGE;
    }
    if (bv_ref_family_parse(field_s, &f) != BV_OK) {
        fprintf(stderr, "blsvk vectors: --field takes fp, fr, fp2, g1 or g2, not '%s'\n", field_s);
        return BV_EXIT_USAGE;
    }
    /* The family table needs the reference (as eval's check does). */
    if (bv_ref_init(&err) != BV_OK) {
        fprintf(stderr, "blsvk vectors: %s\n", err.msg);
        return BV_EXIT_FAIL;
    }
    if (bv_ref_op_parse(op_s, &op) != BV_OK || !bv_ref_family_op(f, op)) {
        /* The family's ops as the reference's table lists them. */
        const bv_ref_family_info *fam = bv_ref_family(f);
        char ops[256] = "";
        size_t at = 0;
        for (size_t i = 0; i < fam->nops && at < sizeof ops; i++)
            at += (size_t)snprintf(ops + at, sizeof ops - at, "%s%s", i == 0 ? ""
                                   : i + 1 == fam->nops ? " or " : ", ",
                                   bv_ref_op_name(fam->ops[i].op));
        fprintf(stderr, "blsvk vectors: --op for %s takes %s, not '%s'\n", field_s, ops, op_s);
        return BV_EXIT_USAGE;
    }
    if (strcmp(set_s, "edge") == 0) {
        edge = true;
    } else if (strcmp(set_s, "random") == 0) {
        edge = false;
    } else {
        fprintf(stderr, "blsvk vectors: --set takes edge or random, not '%s'\n", set_s);
        return BV_EXIT_USAGE;
    }
    if (edge && (count_s || seed_s)) {
        fprintf(stderr, "blsvk vectors: %s applies to --set random only; the edge set is fixed\n",
                count_s ? "--count" : "--seed");
        return BV_EXIT_USAGE;
    }
    if (count_s && (!bv_cli_parse_u64(count_s, BV_VEC_MAX_COUNT, &count) || count == 0)) {
        fprintf(stderr, "blsvk vectors: --count takes a whole number from 1 to %zu, not '%s'\n",
                BV_VEC_MAX_COUNT, count_s);
        return BV_EXIT_USAGE;
    }
    if (seed_s && !bv_cli_parse_u64(seed_s, UINT64_MAX, &seed)) {
        fprintf(stderr, "blsvk vectors: --seed takes a whole number from 0 to 2^64-1 (decimal or 0x-hex), not '%s'\n",
                seed_s);
        return BV_EXIT_USAGE;
    }

    bv_status st = edge ? bv_vec_edge(f, op, &set, &err)
                        : bv_vec_random(f, op, seed, 0, (size_t)count, &set, &err);
    if (st == BV_OK)
        st = write_set(out, set, format_for(out, fmt), &err);
    if (st != BV_OK) {
        fprintf(stderr, "blsvk vectors: %s\n", err.msg);
        bv_vec_set_destroy(set);
        return BV_EXIT_USAGE;
    }
    if (edge)
        fprintf(strcmp(out, "-") ? stdout : stderr, "blsvk vectors: wrote %zu %s %s edge cases to %s\n", set->count, bv_ref_family_name(f),
               bv_ref_op_name(op), out);
    else
        fprintf(strcmp(out, "-") ? stdout : stderr, "blsvk vectors: wrote %zu %s %s random cases (seed %llu) to %s\n", set->count,
               bv_ref_family_name(f), bv_ref_op_name(op), (unsigned long long)seed, out);
    bv_vec_set_destroy(set);
    return BV_EXIT_OK;
}

/* Lists the cases whose expected value disagrees with the reference's (compared by the
 * family's compare: a point in the file may have another Z); returns how many. */
static size_t report_disagreements(const char *path, const bv_vec_set *set, const uint8_t *ref)
{
    const bv_ref_family_info *fam = bv_ref_family(set->family);
    size_t bytes = bv_ref_slot_bytes(set->family, set->op, BV_REF_OUT), bad = 0;
    char name[128], in_file[BV_REF_MAX_HEX], by_ref[BV_REF_MAX_HEX];
    char pt_file[BV_REF_DESCRIBE_BYTES], pt_ref[BV_REF_DESCRIBE_BYTES];
    for (size_t i = 0; i < set->count; i++) {
        bv_ref_verdict v;
        if (!bv_vec_has_expected(set, i) ||
            (v = fam->compare(set->op, set->expected + i * bytes, ref + i * bytes)) == BV_REF_SAME)
            continue;
        if (bad++ < MAX_LISTED) {
            bv_vec_name(set, i, name, sizeof name);
            bv_ref_hex_format_slot(set->family, set->op, BV_REF_OUT, set->expected + i * bytes, in_file);
            bv_ref_hex_format_slot(set->family, set->op, BV_REF_OUT, ref + i * bytes, by_ref);
            fprintf(stderr, "blsvk ref: %s: case %zu (%s): expected in file %s, reference %s (%s)\n",
                    path, i, name, in_file, by_ref, bv_ref_verdict_name(v));
            if (bv_ref_family(set->family)->parts > 2) {
                bv_ref_describe(set->family, set->op, BV_REF_OUT, set->expected + i * bytes,
                                pt_file, sizeof pt_file);
                bv_ref_describe(set->family, set->op, BV_REF_OUT, ref + i * bytes, pt_ref,
                                sizeof pt_ref);
                fprintf(stderr, "blsvk ref:   as points: in file %s, reference %s\n", pt_file, pt_ref);
            }
        }
    }
    if (bad > MAX_LISTED)
        fprintf(stderr, "blsvk ref: %s: ... and %zu more\n", path, bad - MAX_LISTED);
    return bad;
}

int bv_cli_ref(int argc, char **argv)
{
    static const struct option lo[] = {
        {"in", required_argument, NULL, OPT_IN},
        {"out", required_argument, NULL, OPT_OUT},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *in = NULL, *out = NULL;
    out_format fmt = FORMAT_AUTO;
    bv_vec_set *set = NULL;
    uint8_t *ref = NULL;
    size_t bytes, ref_bytes, checked = 0;
    bv_error err;
    int c, rc = BV_EXIT_USAGE;
    const char *opt = "";

    bv_error_clear(&err);
    optind = 0;
    opterr = 0;
    while ((c = bv_cli_getopt(argc, argv, ":h", lo, &opt)) != -1) {
        switch (c) {
        case 'h':
            ref_usage(stdout);
            return BV_EXIT_OK;
        case OPT_IN: in = optarg; break;
        case OPT_OUT: out = optarg; break;
        case OPT_FORMAT:
            if (!parse_format(optarg, &fmt)) {
                fprintf(stderr, "blsvk ref: --format takes json or bin, not '%s'\n", optarg);
                return BV_EXIT_USAGE;
            }
            break;
        default:
            return bv_cli_option_error("ref", c, opt);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "blsvk ref: unexpected argument '%s' (see blsvk ref --help)\n", argv[optind]);
        return BV_EXIT_USAGE;
    }
    if (!in || !out) {
        fprintf(stderr, "blsvk ref: %s is required (see blsvk ref --help)\n", !in ? "--in" : "--out");
        return BV_EXIT_USAGE;
    }

    if (bv_vec_read(in, &set, &err) != BV_OK) {
        fprintf(stderr, "blsvk ref: %s\n", err.msg);
        goto out;
    }
    bytes = bv_ref_slot_bytes(set->family, set->op, BV_REF_OUT);
    if (bv_size_mul(set->count, bytes, &ref_bytes) != BV_OK || !(ref = malloc(ref_bytes ? ref_bytes : 1))) {
        fprintf(stderr, "blsvk ref: %s: out of memory for %zu expected values\n", in, set->count);
        goto out;
    }
    if (bv_ref_batch(set->family, set->op, ref, set->x, set->y, set->count, 0, &err) != BV_OK) {
        fprintf(stderr, "blsvk ref: %s: %s\n", in, err.msg);
        goto out;
    }
    for (size_t i = 0; i < set->count; i++)
        checked += bv_vec_has_expected(set, i);
    size_t bad = report_disagreements(in, set, ref);
    if (bad) {
        fprintf(stderr, "blsvk ref: %s: %zu of %zu cases disagree with the reference; %s not written\n", in,
                bad, set->count, out);
        rc = BV_EXIT_FAIL;
        goto out;
    }
    /* The set takes the reference's values for every case; ref now belongs to it. */
    free(set->expected);
    free(set->has_expected);
    set->expected = ref;
    set->has_expected = NULL;
    ref = NULL;
    if (write_set(out, set, format_for(out, fmt), &err) != BV_OK) {
        fprintf(stderr, "blsvk ref: %s\n", err.msg);
        goto out;
    }
    /* With --out - the vectors go to standard output, and the words to standard error. */
    fprintf(strcmp(out, "-") ? stdout : stderr,
            "blsvk ref: wrote %zu %s %s cases with expected values to %s (%zu already had one, all agree)\n",
           set->count, bv_ref_family_name(set->family), bv_ref_op_name(set->op), out, checked);
    rc = BV_EXIT_OK;
out:
    free(ref);
    bv_vec_set_destroy(set);
    return rc;
}
