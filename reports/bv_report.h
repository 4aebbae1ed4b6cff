/* reports/bv_report.h: the result of a run (device, toolchain, the cases it set out to run,
 * one record per case) and everything that reads or writes it: the crash-safe case log
 * (results.jsonl), results.json, junit.xml, summary.md, report.html and the terminal summary,
 * baselines of known failures, retries, and the merge of runs and shards into one report
 * with a device-by-case matrix. The formats are documented in docs/report-format.md. */
#ifndef BV_REPORT_H
#define BV_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bv_common.h"
#include "bv_ref.h"
#include "bv_json.h"
#include "bv_record.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BV_REPORT_SCHEMA "blsvk-results/1"
#define BV_REPORT_MERGED_SCHEMA "blsvk-merged/1"
/* What the SPIR-V modules went through between the compiler and the driver: "none" for
 * glslang's output as it is. Cases of a spirv-opt recipe name it after their limb width
 * (fp.mul.u32+O.persistent.edge.all); the run record lists the recipes its plan uses. */
#define BV_REPORT_SPIRV_OPT_NONE "none"

/* The order is part of no file format (files carry the names), but keep the first seven
 * where they are: the runner sets them. */
typedef enum bv_report_status {
    BV_RESULT_PASS = 0,
    BV_RESULT_FAIL,
    BV_RESULT_NOT_SUPPORTED,
    BV_RESULT_TIMEOUT,
    BV_RESULT_DEVICE_LOST,
    BV_RESULT_INTERNAL_ERROR,
    BV_RESULT_SKIPPED,         /* not run: the device became unusable earlier in the run */
    BV_RESULT_EXPECTED_FAIL,   /* failed, and the baseline lists the case */
    BV_RESULT_UNEXPECTED_PASS, /* passed, though the baseline lists it as failing */
    BV_RESULT_FLAKE,           /* failed, then passed when retried */
    BV_RESULT_CRASH,           /* the worker process running it died (a driver crash): --isolate */
    BV_RESULT_KNOWN_FLAKE,     /* failed every attempt, and --flakes lists it as a known flake */
    BV_RESULT_SKIP_LISTED,     /* not run: --skips lists it */
    BV_RESULT_COUNT
} bv_report_status;

/* "pass", "fail", "not-supported", "timeout", "device-lost", "internal-error", "skipped",
 * "expected-fail", "unexpected-pass", "flake", "crash", "known-flake", "skip-listed". */
const char *bv_report_status_name(bv_report_status s);
BV_NODISCARD bv_status bv_report_status_parse(const char *name, bv_report_status *out);
/* A new failure: one that makes the run fail (fail, timeout, device-lost, internal-error,
 * skipped, crash). ExpectedFail, UnexpectedPass, Flake, KnownFlake and SkipListed are not. */
bool bv_report_status_is_failure(bv_report_status s);
/* The kernel gave right answers in the end: pass, unexpected-pass, flake. */
bool bv_report_status_is_pass(bv_report_status s);

#define BV_REPORT_MAX_MISMATCHES 8
/* The first attempt and up to 15 retries. */
#define BV_REPORT_MAX_ATTEMPTS 16

/* One wrong output element: where, from what, what was expected, what came back, and
 * which 32-bit limbs differ (bit k = limb k, little-endian). */
typedef struct bv_report_mismatch {
    size_t index;
    char name[96];
    unsigned ninputs;
    char inputs[2][BV_REF_MAX_HEX];
    char expected[BV_REF_MAX_HEX];
    char got[BV_REF_MAX_HEX];
    uint32_t limb_diff; /* the first 32 limbs (a G2 point has 72) */
    /* Which check failed ("wrong value", "not canonical", "not on the curve"), and for a point
     * the expected and the output as affine points in normal form (else empty). */
    char check[32];
    char expected_point[BV_REF_DESCRIBE_BYTES];
    char got_point[BV_REF_DESCRIBE_BYTES];
} bv_report_mismatch;

typedef struct bv_report_timing {
    bool valid;
    bool kernel_timed;
    uint32_t reps;
    bv_stats kernel_ns;
    bv_stats wall_ns;
    double bytes_per_elem;   /* bytes a kernel reads and writes per element */
    double kernel_elems_per_s;
    double kernel_bytes_per_s;
    double wall_elems_per_s;
} bv_report_timing;

/* One run of a case, as --retry-failures records them. */
typedef struct bv_report_attempt {
    bv_report_status status; /* as the runner saw it: pass or one of the failures */
    size_t mismatches;
    double seconds;
    char reason[256];
} bv_report_attempt;

typedef struct bv_report_case {
    char name[160];
    /* Written and read by name (bv_ref_family_name, bv_limbs_name, ...); reading a name blsvk
     * does not know is an error. */
    bv_family family;
    bv_op op;
    bv_limbs limbs;
    bv_mode mode;
    bv_case_set set;
    size_t size;     /* elements asked for (0: the whole set) */
    size_t elements; /* elements run */
    bv_report_status status;
    char reason[1024];
    size_t mismatches;
    unsigned nfirst;
    bv_report_mismatch first[BV_REPORT_MAX_MISMATCHES];
    char replay[1024];          /* vector file that replays the failure, or "" */
    char kernel_source[512];    /* "built-in" or the user's file */
    char kernel_sha256[65];
    uint32_t dispatches;
    /* Where the arrays were for a one-shot or persistent case that ran: "device" or "host"
     * (--memory auto resolved by size); "" when not recorded (pipelined, not run, older files). */
    char memory[8];
    double seconds;             /* host time for the whole case, reference included */
    bv_report_timing timing;
    /* Filled by bv_report_case_add_attempt / bv_report_case_resolve; zero from the runner. */
    bv_report_status observed;  /* the first attempt's status, before retries and baseline */
    unsigned nattempts;         /* 0: one attempt, never retried (as the runner leaves it) */
    bv_report_attempt attempts[BV_REPORT_MAX_ATTEMPTS];
    char baseline_pattern[160]; /* the baseline entry that lists the case, or "" */
    char baseline_reason[256];
} bv_report_case;

/* What identifies a run and the toolchain behind it. */
typedef struct bv_report_run {
    char run_id[64];
    char started[32]; /* UTC, ISO 8601 */
    char finished[32]; /* "" while running */
    char command_line[2048];
    char host[256];
    char blsvk_version[32];
    char git_revision[64];
    char glslang_version[64];
    char spirv_tools_version[64];
    char spirv_opt[1024];     /* "none", then each recipe the plan uses: "none; O = spirv-opt -O ..." */
    char loader_version[32];
    char suite[32];
    char memory[16];
    uint64_t memory_crossover;       /* auto's limit in bytes (0: not auto, or not recorded) */
    char memory_crossover_from[16];  /* "default", "option" or "measured" (bench's, for this device) */
    char kernel_dir[1024];    /* --kernel-dir, "" for the built-in kernels */
    uint64_t seed;
    uint32_t reps, warmup;
    uint32_t workgroup_size;
    bool validation;
    uint32_t shard_index, shard_count; /* --shard I/N, 1-based; 1/1 when not sharded */
    uint32_t retry_failures;
    /* Cases run at once (--jobs): above 1, each case's timing was taken beside others'. */
    uint32_t jobs;
    char baseline_path[1024]; /* --baseline, or "" */
    char baseline_sha256[65];
    bv_device_info device;
} bv_report_run;

/* What the device itself can do, measured in the same run (by the bench verb's measurement;
 * absent from a plain run). Bytes are read plus written for device copies, and what
 * crosses the link for host copies; 0 means not measured. */
typedef struct bv_report_bounds {
    double copy_bytes_per_s;        /* a shader copy that keeps many loads in flight: the roofline */
    double engine_copy_bytes_per_s; /* vkCmdCopyBuffer, device to device */
    double h2d_bytes_per_s, d2h_bytes_per_s;
} bv_report_bounds;

/* A list of case-name globs with a reason each: a baseline of known failures, --skips, --flakes,
 * or (without reasons) a --caselist. */
typedef struct bv_report_baseline_entry {
    char pattern[160];
    char reason[256];
    unsigned line;
    size_t matched; /* cases of the run it listed (filled by bv_report_apply_baseline) */
} bv_report_baseline_entry;

typedef struct bv_report_baseline {
    char path[1024];
    char sha256[65];
    bv_report_baseline_entry *entries;
    size_t n;
} bv_report_baseline;

/* A case started and never finished: blsvk died (or was killed) while running it. */
typedef struct bv_report_interrupted {
    char name[160];
    unsigned starts;
} bv_report_interrupted;

/* One run of one device: its record, the cases it set out to run, the cases it finished.
 * Every pointer is owned by the report. Made only by bv_report_create (it keeps a case index
 * beside the struct). */
typedef struct bv_report {
    bv_report_run run;
    bv_report_bounds bounds;
    bv_report_case *cases; /* in plan order once bv_report_sort is called */
    size_t ncases, cases_cap;
    char **planned;        /* names of the cases the run set out to execute, in order */
    size_t nplanned;
    char **argv;           /* the run verb's arguments (after "run"), for --resume */
    size_t nargv;
    char (*resumed)[32];   /* when each --resume started, UTC */
    size_t nresumed;
    bv_report_baseline *baseline;      /* NULL: no --baseline */
    bv_report_baseline *skips, *flakes; /* --skips and --flakes, or NULL */
    char **shard_plan;     /* a shard of a sharded run: the whole list its shards split */
    size_t nshard_plan;
    size_t missing_shards; /* merged: shards of this device none of the inputs is */
    bv_report_interrupted *interrupted; /* from the log: started, never finished */
    size_t ninterrupted;
    char **sources;        /* merged reports: the files the cases came from */
    size_t nsources;
} bv_report;

BV_NODISCARD bv_status bv_report_create(bv_report **out, bv_error *err);
void bv_report_destroy(bv_report *rep);
/* Adds a copy of c, or replaces the case of the same name (the later record wins). */
BV_NODISCARD bv_status bv_report_put_case(bv_report *rep, const bv_report_case *c, bv_error *err);
bv_report_case *bv_report_find_case(const bv_report *rep, const char *name);
BV_NODISCARD bv_status bv_report_set_plan(bv_report *rep, const char *const *names, size_t n, bv_error *err);
BV_NODISCARD bv_status bv_report_set_shard_plan(bv_report *rep, const char *const *names, size_t n, bv_error *err);
BV_NODISCARD bv_status bv_report_set_argv(bv_report *rep, int argc, char *const *argv, bv_error *err);
BV_NODISCARD bv_status bv_report_add_resumed(bv_report *rep, const char *started, bv_error *err);
BV_NODISCARD bv_status bv_report_add_source(bv_report *rep, const char *source, bv_error *err);
/* Puts the cases in plan order; cases the plan does not name go last, by name. */
void bv_report_sort(bv_report *rep);
/* Whether a planned case has no record. */
bool bv_report_is_missing(const bv_report *rep, size_t planned_index);

/* Counts and the verdict, computed from the cases and the plan. */
typedef struct bv_report_summary {
    size_t totals[BV_RESULT_COUNT];
    size_t cases;        /* records */
    size_t missing;      /* planned, no record */
    size_t new_failures; /* cases whose status bv_report_status_is_failure */
    const char *verdict; /* "pass", "fail" (a new failure) or "incomplete" (cases or shards missing) */
} bv_report_summary;
void bv_report_summarize(const bv_report *rep, bv_report_summary *s);
/* Counts per status. */
void bv_report_totals(const bv_report_case *cases, size_t n, size_t totals[BV_RESULT_COUNT]);

/* The SPIR-V modules that ran: one per distinct kernel, source and SHA-256. */
typedef struct bv_report_module {
    char kernel[48]; /* <field>.<op>.<limbs>[+<recipe>] */
    char recipe[16]; /* the spirv-opt recipe, or "none" */
    char source[512];
    char sha256[65];
    size_t cases;
} bv_report_module;
BV_NODISCARD bv_status bv_report_modules(const bv_report *rep, bv_report_module **out, size_t *n, bv_error *err);
/* 16 hex digits of a SHA-256 over the toolchain (blsvk version and revision, glslang,
 * SPIRV-Tools, loader) and the driver and API versions, and nothing of what ran (neither the
 * modules nor which spirv-opt recipes the plan used): equal fingerprints,
 * same software, whatever --filter or --kernel-dir chose; different ones, see the toolchain table
 * for which part differs. */
BV_NODISCARD bv_status bv_report_fingerprint(const bv_report *rep, char out[17], bv_error *err);
/* 16 hex digits of a SHA-256 over every module that ran (kernel and SHA-256, sorted): equal when
 * the same SPIR-V ran; "" when nothing did. */
BV_NODISCARD bv_status bv_report_modules_fingerprint(const bv_report *rep, char out[17], bv_error *err);
/* A case's throughput as fractions of the device's copy bandwidth (kernel time) and host link
 * (end-to-end time); NaN where the run has no such bound or the case no such timing. */
void bv_report_case_fractions(const bv_report *rep, const bv_report_case *c, double *copy_fraction,
                              double *link_fraction);

/* The spirv-opt recipe of a case, from its name ("fp.mul.u32+O.persistent..." gives "O"), or
 * "none". */
void bv_report_case_recipe(const bv_report_case *c, char *buf, size_t n);

/* A device's directory-name slug, e.g. "llvmpipe-llvm-15-0-6-256-bits-6d657361". */
void bv_report_device_slug(const bv_device_info *d, char *buf, size_t n);

/* --- baselines and retries ---------------------------------------------------------- */

/* Case-name globs: fnmatch's `*`, `?` and `[...]` over the whole name; and a glob with a wildcard
 * matches a spirv-opt recipe case (<kernel>+<recipe>.<mode>.<set>.<size>) also as the plain case
 * of its kernel, so that fr.add.u32.* selects fr.add.u32+O.persistent.edge.all. An exact name
 * selects that case only. --filter, --caselist, --skips, --flakes and --baseline all match so. */
bool bv_report_glob_match(const char *glob, const char *name);

/* Reads a list of globs, one a line: "<glob> <reason>" or "<glob>  # <reason>" (the reason is
 * the rest of the line, required when reasons is true); with reasons false (a case list) only a
 * '#' comment may follow the glob. Lines starting with '#' and blank lines are ignored. Errors
 * name the file and line. */
BV_NODISCARD bv_status bv_report_list_load(const char *path, bool reasons, bv_report_baseline **out,
                                           bv_error *err);
/* A baseline, --skips or --flakes file: bv_report_list_load with reasons required. */
BV_NODISCARD bv_status bv_report_baseline_load(const char *path, bv_report_baseline **out, bv_error *err);
void bv_report_baseline_destroy(bv_report_baseline *bl);
/* The first entry whose glob matches the name (bv_report_glob_match), or NULL. */
bv_report_baseline_entry *bv_report_baseline_match(const bv_report_baseline *bl, const char *name);
/* Writes a baseline of the run's failures to f: each new failure (but skipped, which never ran)
 * by its name, or one <field>.<op>.<limbs>.* line for a kernel that failed in every case it ran;
 * the entries of the run's own baseline that still matched a failure, as they were. Each line
 * "<glob>  # <status>: <first line of the reason>", so that --baseline reads it back. source
 * names the run in the header comment. */
BV_NODISCARD bv_status bv_report_write_baseline(FILE *f, const bv_report *rep, const char *source, bv_error *err);

/* Records one attempt of a case: the first call takes attempt as the case's record; later
 * calls (retries) only add to its attempt list, so that the record keeps the first
 * failure's diff. Returns BV_ERR_OVERFLOW past BV_REPORT_MAX_ATTEMPTS. */
BV_NODISCARD bv_status bv_report_case_add_attempt(bv_report_case *c, const bv_report_case *attempt,
                                                  bv_error *err);
/* Whether the runner should try the case again, with `retries` retries allowed in all. */
bool bv_report_case_should_retry(const bv_report_case *c, unsigned retries);
/* The final status from the attempts, the baseline entry that lists the case and the --flakes
 * entry that lists it (each NULL when none): a failure that passed on a retry is Flake; a
 * failure the flakes list has is KnownFlake (before the baseline); a failure the baseline
 * lists is ExpectedFail; a first-time pass the baseline lists is UnexpectedPass. */
void bv_report_case_resolve(bv_report_case *c, bv_report_baseline_entry *e, const bv_report_baseline_entry *flake);

/* Sets every baseline entry's `matched` to the number of the report's cases resolved with it,
 * and every --skips and --flakes entry's to the number of cases it lists. */
void bv_report_count_baseline(bv_report *rep);

/* --- the case log (results.jsonl) ---------------------------------------------------- */

/* The append-only case log: a "run" line with the run record and the plan, then per case
 * a "start" line written and flushed (fsync) before it runs and its "result" line after,
 * so that a crash is pinned on the right case and no finished case is lost. */
typedef struct bv_report_log bv_report_log;
BV_NODISCARD bv_status bv_report_log_open(const char *path, const bv_report *rep, bv_report_log **out,
                                          bv_error *err);
/* Continues a log: cuts a line left half-written by a crash, then appends a "resume" line. */
BV_NODISCARD bv_status bv_report_log_reopen(const char *path, const char *resumed_at, bv_report_log **out,
                                            bv_error *err);
BV_NODISCARD bv_status bv_report_log_start(bv_report_log *log, const char *case_name, unsigned attempt,
                                           bv_error *err);
BV_NODISCARD bv_status bv_report_log_result(bv_report_log *log, const bv_report_case *c, bv_error *err);
void bv_report_log_close(bv_report_log *log);

/* One case record in the case log's form (a JSON object) and back: how a worker process hands a
 * result to the run's parent. Reading is as strict as reading a log. */
void bv_report_case_write_json(bv_json_writer *w, const bv_report_case *c);
BV_NODISCARD bv_status bv_report_case_read_json(const bv_json *o, bv_report_case *c, bv_error *err);

/* --- reading ------------------------------------------------------------------------- */

/* Reads a run back: path is a run directory (its results.json, else its results.jsonl), a
 * results.json or a results.jsonl. From a log: the run record, the plan, the last result
 * of each case, and the cases started but never finished; a last line cut by a crash is
 * ignored. */
BV_NODISCARD bv_status bv_report_read(const char *path, bv_report **out, bv_error *err);

/* --- writers (each atomic: a crash never leaves a half-written file in place) --------- */

BV_NODISCARD bv_status bv_report_write_json(const char *path, const bv_report *rep, bv_error *err);
/* results.csv, as deqp-runner writes it: "<case>,<status>,<seconds>" a line, no header, in plan
 * order, with deqp-runner's status names (Pass, Fail, Skip, Crash, Timeout, Flake, KnownFlake,
 * ExpectedFail, UnexpectedPass, Missing; docs/report-format.md maps blsvk's onto them); a planned
 * case without a record is Missing. */
BV_NODISCARD bv_status bv_report_write_csv(const char *path, const bv_report *rep, bv_error *err);

/* Several device reports shown together: one run (one device), or a merge. */
typedef struct bv_report_conflict {
    size_t device;
    char name[160];
    bv_report_status a, b;
    char source_a[512], source_b[512];
} bv_report_conflict;

/* A part of the toolchain that differs between the runs shown together, with every value. */
typedef struct bv_report_toolchain_diff {
    char what[48];     /* e.g. "git_revision", "module fp.mul.u32" */
    char values[1024]; /* "abc (runs 1, 2) | def (run 3)" */
} bv_report_toolchain_diff;

/* A shard of a sharded run that none of the merged runs is. */
typedef struct bv_report_missing_shard {
    size_t device;
    uint32_t index, count;
    size_t cases; /* its cases, named missing in the merged plan; 0 when no input knew them */
} bv_report_missing_shard;

typedef struct bv_report_set {
    bv_report **dev; /* owned */
    size_t ndev;
    bv_report_conflict *conflicts; /* the same case on the same device with different verdicts */
    size_t nconflicts;
    size_t duplicates;             /* the same case twice with the same verdict */
    char **inputs;                 /* merge: the runs read */
    size_t ninputs;
    bv_report_toolchain_diff *diffs; /* toolchain parts that differ between the devices or runs */
    size_t ndiffs;
    bv_report_missing_shard *missing_shards;
    size_t nmissing_shards;
    bool merged;
} bv_report_set;

BV_NODISCARD bv_status bv_report_set_create(bv_report_set **out, bv_error *err);
void bv_report_set_destroy(bv_report_set *set);
/* Takes ownership of rep (also on failure). */
BV_NODISCARD bv_status bv_report_set_add(bv_report_set *set, bv_report *rep, bv_error *err);
/* Merges runs and shards: one device report per device configuration (UUID, driver and
 * API version), the union of plans and cases; the same case twice with different verdicts
 * is a conflict (the failing record is kept), with the same verdict a duplicate. Takes
 * ownership of every input (also on failure). sources[i] names input i. */
BV_NODISCARD bv_status bv_report_merge(bv_report **inputs, const char *const *sources, size_t n,
                                       bv_report_set **out, bv_error *err);
/* A run as a set of one, or, for a directory holding merged.json, the merge it describes (its
 * device reports, conflicts, missing shards and toolchain differences). */
BV_NODISCARD bv_status bv_report_read_set(const char *path, bv_report_set **out, bv_error *err);
/* Whether the set passes as a whole: no new failure, nothing missing, no conflict. */
bool bv_report_set_ok(const bv_report_set *set);

/* merged.json: the devices, the device-by-case matrix, missing cases and conflicts. */
BV_NODISCARD bv_status bv_report_write_merged_json(const char *path, const bv_report_set *set, bv_error *err);
/* junit.xml: one testsuite per device, one testcase per case. */
BV_NODISCARD bv_status bv_report_write_junit(const char *path, const bv_report_set *set, bv_error *err);
/* A result that is not one of the suites' cases (a workload's: blsvk workload), for junit.xml. */
typedef struct bv_report_item {
    const char *name;      /* the testcase's name */
    const char *classname; /* what it groups under ("fr.ntt.u64") */
    const char *status;    /* "pass", "fail", "error" or "not-supported" (a skip) */
    const char *reason;    /* why, for all but a pass */
    double seconds;
} bv_report_item;
/* junit.xml of such results: one testsuite named `suite` for `device`, one testcase an item,
 * written whole or not at all. */
BV_NODISCARD bv_status bv_report_write_junit_items(const char *path, const char *suite, const char *device,
                                                   const bv_report_item *items, size_t n, bv_error *err);
/* summary.md: verdict, failures first with their replay commands, the table by field, op,
 * variant and mode. */
BV_NODISCARD bv_status bv_report_write_markdown(const char *path, const bv_report_set *set, bv_error *err);
/* report.html: one self-contained page (no network, no external files). */
BV_NODISCARD bv_status bv_report_write_html(const char *path, const bv_report_set *set, bv_error *err);
/* The summary for a terminal, written to f (the command layer's stdout). */
BV_NODISCARD bv_status bv_report_write_text(FILE *f, const bv_report_set *set, size_t max_listed, bv_error *err);
/* Writes s (NULL: nothing) as the text of one Markdown table cell: '|' as \|, line breaks as
 * spaces, bytes that are not well-formed UTF-8 as U+FFFD, so that any driver message keeps the
 * table whole and the file UTF-8. Backticks are left as they are: they are Markdown of the
 * caller's (code spans), and inside a code span a backslash would show. */
void bv_report_md_cell(FILE *f, const char *s);
/* The replay command of a failed case ("" when it has no replay file). */
void bv_report_replay_command(const bv_report *rep, const bv_report_case *c, char *buf, size_t n);

/* --- bench files and comparisons (report_bench.c, report_compare*.c) -------------------- */

#define BV_REPORT_BENCH_SCHEMA "blsvk-bench/1"

/* One figure of `blsvk bench` (its table and blsvk-bench/1's "entries"). */
typedef struct bv_report_bench_entry {
    char kind[16];  /* resident, chain, roundtrip, stream, workload */
    char name[128];
    char mode[16];
    size_t size, jobs;
    bv_stats ns;
    double per_s;       /* elements (or products) per second */
    double bytes_per_s;
    double bound_per_s; /* what the device's bound allows, same unit as per_s; 0: none */
    bool verified;
    char note[512];
} bv_report_bench_entry;

/* A bench run: what blsvk-bench/1 holds that a comparison needs. */
typedef struct bv_report_bench {
    char blsvk_version[32];
    char git_revision[64];
    char started[32];
    char command_line[2048];
    bv_device_info device;
    bv_report_bench_entry *entries;
    size_t n;
} bv_report_bench;

/* Reads a blsvk-bench/1 file; errors name the file and what is wrong with it. */
BV_NODISCARD bv_status bv_report_bench_read(const char *path, bv_report_bench **out, bv_error *err);
void bv_report_bench_destroy(bv_report_bench *b);
/* An entry's identity across runs: "<kind> <name> <mode> <size>[ x<jobs>]". */
void bv_report_bench_entry_key(const bv_report_bench_entry *e, char *buf, size_t n);

/* One side of a comparison: a run or a merge (a report set), or a bench file. Owns what it holds. */
typedef struct bv_report_compare_input {
    char path[1024];
    bv_report_set *set;     /* a run or a merged report, else NULL */
    bv_report_bench *bench; /* a bench file, else NULL */
} bv_report_compare_input;

/* Reads a run directory (results.json or results.jsonl), a results.json, a merged report's
 * directory or its merged.json, or a blsvk-bench/1 file. */
BV_NODISCARD bv_status bv_report_compare_read(const char *path, bv_report_compare_input **out, bv_error *err);
/* Wraps a set or a bench made in memory (by `blsvk run` or `blsvk bench`), taking ownership. */
BV_NODISCARD bv_status bv_report_compare_wrap(const char *label, bv_report_set *set, bv_report_bench *bench,
                                              bv_report_compare_input **out, bv_error *err);
void bv_report_compare_input_destroy(bv_report_compare_input *in);

typedef struct bv_report_compare_opts {
    double max_slowdown; /* a slowdown by more than this fraction is a regression (0.10: 10%) */
    uint32_t min_reps;   /* fewer samples on either side: "too few repetitions" (at least 2) */
    double confidence;   /* of the interval, e.g. 0.95 */
} bv_report_compare_opts;
/* 10%, 5 repetitions, 95%. */
void bv_report_compare_defaults(bv_report_compare_opts *o);

/* What a timing comparison came to. */
typedef enum bv_report_timing_verdict {
    BV_TIMING_SLOWER = 0, /* the whole interval above 1 + max_slowdown: a regression */
    BV_TIMING_UNSURE,     /* the median ratio past a threshold, the interval reaching inside it */
    BV_TIMING_FASTER,     /* the whole interval below 1 / (1 + max_slowdown) */
    BV_TIMING_SAME,       /* the median ratio inside the thresholds */
    BV_TIMING_FEW_REPS,   /* too few repetitions on a side to say */
    BV_TIMING_NO_SAMPLES, /* a side kept no per-repetition times (a report of an older blsvk) */
    BV_TIMING_COUNT
} bv_report_timing_verdict;
/* "slower", "unsure", "faster", "same", "too-few-reps", "no-samples". */
const char *bv_report_timing_verdict_name(bv_report_timing_verdict v);

/* Timing B against timing A: the ratio of medians B/A and a distribution-free confidence interval
 * for the ratio: the Hodges-Lehmann interval for the shift of log-times between the two sets of
 * repetitions (from the exact distribution of the Mann-Whitney U statistic), exponentiated.
 * lo and hi are NaN when there is no interval. */
typedef struct bv_report_ratio {
    double ratio, lo, hi;
    uint32_t na, nb; /* samples used */
    bv_report_timing_verdict verdict;
} bv_report_ratio;
void bv_report_compare_ratio(bv_report_ratio *out, const bv_stats *a, const bv_stats *b,
                             const bv_report_compare_opts *o);

/* How a case's conformance changed from A to B. */
typedef enum bv_report_change_kind {
    BV_CHANGE_NEW_FAILURE = 0, /* not a failure in A, a failure in B */
    BV_CHANGE_STATUS,          /* another change of status: fail -> timeout, pass -> not-supported */
    BV_CHANGE_NEW_PASS,        /* a failure in A, not in B */
    BV_CHANGE_APPEARED,        /* only B has it (a failure there is a regression) */
    BV_CHANGE_DISAPPEARED,     /* only A has it (or B planned it and never finished it) */
    BV_CHANGE_COUNT
} bv_report_change_kind;
/* "new-failure", "status-changed", "new-pass", "appeared", "disappeared". */
const char *bv_report_change_kind_name(bv_report_change_kind k);

typedef struct bv_report_case_change {
    size_t pair;              /* which device pair (bv_report_comparison.pairs) */
    bv_report_change_kind kind;
    bool regression;
    const bv_report_case *a, *b; /* borrowed from the inputs; NULL on the side without the case */
    char name[160];
} bv_report_case_change;

typedef struct bv_report_timing_change {
    size_t pair;
    char name[200];     /* the case name, or a bench entry's key */
    char group[64];     /* what the HTML page draws bars by: "fp.mul", or a bench entry's kind and kernel */
    const char *measure; /* "kernel" (GPU timestamps), "end-to-end" or "bench" */
    double median_a, median_b; /* nanoseconds */
    bv_report_ratio r;
    bool module_changed; /* the kernel's SHA-256 differs between A and B */
    bool regression;
} bv_report_timing_change;

/* A part of the toolchain, the driver or a module that differs between A and B. */
typedef struct bv_report_env_diff {
    size_t pair;
    char what[64];      /* "driver", "glslang", "module fp.mul.u32", ... */
    char a[1024], b[1024];
} bv_report_env_diff;

/* Devices compared: A's and B's report of one device (by slug; a single device on each side
 * pairs whatever it is, so that a new driver on the same board compares). */
typedef struct bv_report_compare_pair {
    char label_a[800], label_b[800];
    const bv_report *a, *b;           /* runs (NULL for bench inputs) */
} bv_report_compare_pair;

typedef struct bv_report_comparison {
    bv_report_compare_opts opts;
    bv_report_compare_input *a, *b; /* owned */
    bv_report_compare_pair *pairs;
    size_t npairs;
    char **unpaired;                /* devices of one side only: "A: <label>" or "B: <label>" */
    size_t nunpaired;
    bv_report_case_change *changes; /* new failures first, then status changes, new passes, appeared, disappeared */
    size_t nchanges;
    bv_report_timing_change *timings; /* regressions first (largest ratio first), then unsure, faster, same, too few */
    size_t ntimings;
    bv_report_env_diff *env;
    size_t nenv;
    size_t counts[BV_CHANGE_COUNT];
    size_t timing_counts[BV_TIMING_COUNT];
    size_t new_failures;  /* changes that are regressions */
    size_t slowdowns;     /* timings that are regressions */
    bool regression;      /* new_failures or slowdowns */
} bv_report_comparison;

/* Compares B against A (the reference). Takes ownership of a and b (also on failure). An error for
 * inputs of different kinds (a bench file and a run). */
BV_NODISCARD bv_status bv_report_compare(bv_report_compare_input *a, bv_report_compare_input *b,
                                         const bv_report_compare_opts *o, bv_report_comparison **out, bv_error *err);
void bv_report_comparison_destroy(bv_report_comparison *c);

/* The comparison for a terminal, regressions first, at most max_listed rows a table (0: all). */
BV_NODISCARD bv_status bv_report_compare_write_text(FILE *f, const bv_report_comparison *c, size_t max_listed,
                                                    bv_error *err);
/* Markdown (docs/report-format.md, "blsvk compare"). */
BV_NODISCARD bv_status bv_report_compare_write_markdown(const char *path, const bv_report_comparison *c,
                                                        bv_error *err);
/* One self-contained page: verdict, regressions first, before/after ratio bars per op. */
BV_NODISCARD bv_status bv_report_compare_write_html(const char *path, const bv_report_comparison *c, bv_error *err);
/* blsvk-compare/1. */
BV_NODISCARD bv_status bv_report_compare_write_json(const char *path, const bv_report_comparison *c, bv_error *err);

#ifdef __cplusplus
}
#endif
#endif
