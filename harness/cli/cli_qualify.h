/* harness/cli/cli_qualify.h: what the files of `blsvk qualify` share: the archive's layout, its
 * files and manifest (cli_qualify_archive.c) and the verdict derived from them
 * (cli_qualify_judge.c); private to the command layer. */
#ifndef BV_CLI_QUALIFY_H
#define BV_CLI_QUALIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "bv_json.h"
#include "bv_report.h"

#define BV_QUAL_SCHEMA "blsvk-qualify/1"
/* The archive's one top folder: blsvk-qualify-<device slug>-<UTC date>. */
#define BV_QUAL_TOP_PREFIX "blsvk-qualify-"
#define BV_QUAL_MANIFEST "MANIFEST.sha256"
#define BV_QUAL_VERDICT "verdict.json"
#define BV_QUAL_WAIVERS "waivers.txt"
#define BV_QUAL_MUST_PASS "must-pass.txt"
#define BV_QUAL_BASELINE "baseline.txt"
#define BV_QUAL_TOOLCHAIN "toolchain.json"
#define BV_QUAL_DEVICES "devices.json"
#define BV_QUAL_BENCH "bench.json"
#define BV_QUAL_REPORTS "reports"
#define BV_QUAL_RESULTS "reports/results.json"

/* Paths are joined into buffers this large: user paths are refused past 2048 bytes and every
 * part blsvk adds is short, so a join never truncates. */
#define BV_QUAL_PATH 8192
#define BV_QUAL_MAX_USER_PATH 2048

/* --- files, child processes, the manifest and the archive (cli_qualify_archive.c) --------- */

/* A new file (never one that exists) with these bytes. */
BV_NODISCARD bv_status bv_cli_qualify_write_file(const char *path, const void *data, size_t len, bv_error *err);
/* Removes a folder this verb made, with everything in it; links are removed, never followed. */
void bv_cli_qualify_rm_tree(const char *path);

/* Starts argv (argv[0] a path, or a program found on PATH when search) with its standard output
 * to out_path (created) or to out_fd (>= 0), else this process's. 0 and *pid, or an errno. */
int bv_cli_qualify_spawn(char *const argv[], bool search, const char *out_path, int out_fd, pid_t *pid);
/* Waits for it: its exit status, or 128 + the signal that ended it. */
int bv_cli_qualify_wait(pid_t pid);

/* MANIFEST.sha256 in sha256sum's format (`sha256sum -c` reads it in the folder): every other file
 * under top, sorted by path. A link or anything but files and folders is an error. */
BV_NODISCARD bv_status bv_cli_qualify_write_manifest(const char *top, bv_error *err);
/* Compares the files under top with its MANIFEST.sha256 and prints each difference (a changed,
 * missing or extra file, a line that does not parse); *listed counts the files that match a line.
 * Returns the number of differences, or -1 when the manifest or the folder cannot be read (said). */
long bv_cli_qualify_check_manifest(const char *top, size_t *listed);

/* tar and gzip of work/name into archive (the system's tar); tar's exit status, -1 when it could
 * not start (said). */
int bv_cli_qualify_pack(const char *work, const char *name, const char *archive);
/* Unpacks a .tar.gz into dest (gzip -dc, the tar stream read here): files and folders only, every
 * member's path checked before anything is written, all under one folder named blsvk-qualify-...,
 * whose name goes to top. Errors name the archive and the member. */
BV_NODISCARD bv_status bv_cli_qualify_unpack(const char *archive, const char *dest, char *top, size_t ntop, bv_error *err);

/* --- the verdict, from the files alone (cli_qualify_judge.c) ------------------------------- */

/* One case of the run that the must-pass list names. */
typedef struct bv_cli_qualify_case {
    const char *name;
    const bv_report_case *rec; /* NULL: planned, never finished */
    bv_report_status status;   /* what the kernel did, before the run's baseline said anything */
    const char *result;        /* "pass", "waived", "fail", "missing" */
    const bv_report_baseline_entry *waiver;
} bv_cli_qualify_case;

typedef struct bv_cli_qualify_judgement {
    char top[256];               /* the archive's folder name */
    bv_report *rep;              /* reports/results.json */
    bv_json *results;            /* the same file as JSON, for its toolchain member */
    bv_report_baseline *must;    /* must-pass.txt */
    bv_report_baseline *waivers; /* baseline.txt, or NULL */
    bv_report_bench *bench;      /* bench.json, or NULL */
    bv_cli_qualify_case *cases;
    size_t ncases, cases_cap;
    size_t *missing_globs;       /* indices of must-pass entries that name no case of the run */
    size_t nmissing_globs, missing_cap;
    size_t passed, waived, failed, missing, bench_wrong;
    /* Why the archive's files are not of one device ("" when they are): the bench's device or
     * the device listing that does not hold the run's device. */
    char device_mismatch[512];
    char fingerprint[17];
    bool pass;
} bv_cli_qualify_judgement;

/* Derives the verdict from the files of an archive's folder (dir, named top): reports/results.json,
 * must-pass.txt, baseline.txt and bench.json when there are. The one function that judges a new
 * archive and verifies an old one. Errors name the file. */
BV_NODISCARD bv_status bv_cli_qualify_judge(const char *dir, const char *top, bv_cli_qualify_judgement *j, bv_error *err);
void bv_cli_qualify_judgement_free(bv_cli_qualify_judgement *j);
/* The members of verdict.json that the files determine (into an open object). */
void bv_cli_qualify_write_derived(bv_json_writer *w, const bv_cli_qualify_judgement *j);
/* waivers.txt: every waiver applied, in the baseline grammar. */
void bv_cli_qualify_write_waivers(FILE *f, const bv_cli_qualify_judgement *j);
/* The judgement on the terminal; lists stop after max entries (0: all). */
void bv_cli_qualify_print(const bv_cli_qualify_judgement *j, size_t max);
/* Compares what the files give with verdict.json, waivers.txt and toolchain.json in dir; prints
 * each disagreement and returns how many. */
long bv_cli_qualify_check_derived(const char *dir, const bv_cli_qualify_judgement *j);
/* A parsed JSON value written out again. */
void bv_cli_qualify_json_copy(bv_json_writer *w, const bv_json *j);

#endif
