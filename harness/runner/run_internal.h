/* harness/runner/run_internal.h: what the runner's files share and nobody else needs. */
#ifndef BV_RUN_INTERNAL_H
#define BV_RUN_INTERNAL_H

#include "bv_run.h"

/* A submission that failed (kst, its message msg) as a case's result: timeout, device-lost,
 * not-supported or internal-error into *status and reason. After a timeout or a lost device the
 * context is reset; when that fails too, *device_gone is set and its error appended. */
void bv_run_device_failure(bv_vk_context *ctx, bv_status kst, const char *msg, bv_report_status *status, char *reason,
                           size_t n, bool *device_gone);

#endif
