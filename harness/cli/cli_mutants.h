/* harness/cli/cli_mutants.h: what the files of the mutants verb share (the table of mutants,
 * the child that runs one, the writers of its results); private to the command layer. */
#ifndef BV_CLI_MUTANTS_H
#define BV_CLI_MUTANTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bv_run.h"

#define MAX_FILTERS 64
#define MAX_KILLS_KEPT 64
/* Mutant runs wait less than ordinary runs: every quick case ends in well under a second on
 * lavapipe, and a looping mutant should not hold the check up for a minute a case. */
#define DEFAULT_TIMEOUT_MS 2000u

typedef struct mut_opts {
    const char *suite;
    const char *mutants_dir;
    const char *device;
    const char *filters[MAX_FILTERS]; /* mutant names */
    size_t nfilters;
    const char *case_filters[MAX_FILTERS];
    size_t ncase_filters;
    const char *json_path, *markdown_path;
    uint32_t timeout_ms;
    bool first_kill;
    bool recipes;
    bool list_only;
    bool quiet;
} mut_opts;

/* How a case kills a mutant: a report status, or what happened to the mutant's process. */
extern const char *const bv_mut_kill_kinds[];
#define KILL_KINDS 6u
#define kill_kinds bv_mut_kill_kinds

/* A case that killed a mutant. */
typedef struct mut_kill {
    char name[160];
    char status[24]; /* a report status name, or "crash" / "hang" */
    char reason[256];
} mut_kill;

typedef enum mut_state { MUT_KILLED = 0, MUT_SURVIVED, MUT_NOT_RUN, MUT_ERROR } mut_state;
extern const char *const bv_mut_state_names[];
#define state_names bv_mut_state_names

typedef struct mutant {
    bool selected; /* by --filter */
    bool device_error; /* the child could not open the device */
    char name[64];
    char bug[512];
    char note[512];
    char ops[128], fields[16], limbs[16]; /* comma-separated, for people */
    size_t nkernels;                      /* modules the table says it has */
    /* Results. */
    mut_state state;
    char error[1024];
    size_t ncases, nkills, npass, nunsupported;
    size_t kind_counts[KILL_KINDS];
    /* Killing cases by set (the fifth part of a case name): which inputs find the bug. */
    char set_names[12][16];
    size_t set_counts[12], nsets;
    mut_kill kills[MAX_KILLS_KEPT]; /* the first MAX_KILLS_KEPT of nkills */
    double seconds;
} mutant;

typedef struct mut_device {
    char name[256];
    char driver[256];
} mut_device;

/* cli_mutants_table.c: the table of mutants (mutants.json in the mutants folder). */
const char *bv_mut_dir(const mut_opts *o, char *buf, size_t n);
BV_NODISCARD bv_status bv_mut_read_table(const char *dir, mutant **out, size_t *n, bv_error *err);
BV_NODISCARD bv_status bv_mut_load(const char *dir, const mutant *m, bv_kernel_set **out, bv_error *err);

/* cli_mutants_child.c: one mutant in a child process, its results read back over a pipe. */
void bv_mut_run(const mut_opts *o, mutant *m, const bv_kernel_set *set, const bv_run_case *cases, size_t n,
                mut_device *dev);

/* cli_mutants_report.c: the results as JSON (blsvk-mutants-results/1) and as a Markdown table. */
void bv_mut_kill_summary(const mutant *m, char *buf, size_t n);
BV_NODISCARD bv_status bv_mut_write_json(const char *path, const mut_opts *o, const mut_device *dev, const mutant *ms,
                                         size_t n, size_t killed, size_t counted, double seconds, bv_error *err);
BV_NODISCARD bv_status bv_mut_write_markdown(const char *path, const mut_opts *o, const mut_device *dev,
                                             const mutant *ms, size_t n, size_t killed, size_t counted,
                                             bv_error *err);

#endif
