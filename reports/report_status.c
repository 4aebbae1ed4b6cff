/* reports/report_status.c: a case's result status: its names and what counts as a failure or a
 * pass. The bottom of reports/: every other file may call it, it calls none of them. */
#include "bv_report.h"

#include <string.h>

static const char *const status_names[] = {"pass",           "fail",          "not-supported",   "timeout",
                                           "device-lost",    "internal-error", "skipped",        "expected-fail",
                                           "unexpected-pass", "flake",    "crash",         "known-flake",
                                           "skip-listed"};
_Static_assert(sizeof(status_names) / sizeof(status_names[0]) == BV_RESULT_COUNT, "one name per result status");

const char *bv_report_status_name(bv_report_status s)
{
    return (unsigned)s < BV_RESULT_COUNT ? status_names[s] : "?";
}

bv_status bv_report_status_parse(const char *name, bv_report_status *out)
{
    for (unsigned i = 0; i < BV_RESULT_COUNT; i++)
        if (name && strcmp(name, status_names[i]) == 0) {
            *out = (bv_report_status)i;
            return BV_OK;
        }
    return BV_ERR_VALUE;
}

bool bv_report_status_is_failure(bv_report_status s)
{
    return s == BV_RESULT_FAIL || s == BV_RESULT_TIMEOUT || s == BV_RESULT_DEVICE_LOST ||
           s == BV_RESULT_INTERNAL_ERROR || s == BV_RESULT_SKIPPED || s == BV_RESULT_CRASH;
}

bool bv_report_status_is_pass(bv_report_status s)
{
    return s == BV_RESULT_PASS || s == BV_RESULT_UNEXPECTED_PASS || s == BV_RESULT_FLAKE;
}

void bv_report_totals(const bv_report_case *cases, size_t n, size_t totals[BV_RESULT_COUNT])
{
    memset(totals, 0, sizeof(size_t) * BV_RESULT_COUNT);
    for (size_t i = 0; i < n; i++)
        if ((unsigned)cases[i].status < BV_RESULT_COUNT)
            totals[cases[i].status]++;
}
