/* harness/runner/result.c: a failed submission as a case's result, the same for the elementwise
 * and the workload cases. */
#define _GNU_SOURCE
#include "run_internal.h"

#include <stdio.h>
#include <string.h>

void bv_run_device_failure(bv_vk_context *ctx, bv_status kst, const char *msg, bv_report_status *status, char *reason,
                           size_t n, bool *device_gone)
{
    *status = kst == BV_ERR_TIMEOUT       ? BV_RESULT_TIMEOUT
              : kst == BV_ERR_DEVICE_LOST ? BV_RESULT_DEVICE_LOST
              : kst == BV_ERR_UNSUPPORTED ? BV_RESULT_NOT_SUPPORTED
                                          : BV_RESULT_INTERNAL_ERROR;
    snprintf(reason, n, "%s", msg);
    if (*status == BV_RESULT_TIMEOUT || *status == BV_RESULT_DEVICE_LOST) {
        bv_error rerr;
        if (bv_vk_context_reset(ctx, &rerr) != BV_OK) {
            *device_gone = true;
            size_t l = strlen(reason);
            snprintf(reason + l, n - l, "; %s", rerr.msg);
        }
    }
}
