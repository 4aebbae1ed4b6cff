#!/bin/sh
# suites/test_hang.sh: a kernel that never finishes ends as Timeout within --timeout-ms in each
# mode, the harness recreates the device and the run goes on: the cases after each timeout pass
# and the reports are written; and when the work outlasts the wait that follows a timeout, the
# device is given up, its remaining cases skipped, the reports still written.
# Usage: test_hang.sh BLSVK SOURCE_DIR
# Needs lavapipe: it ends every shader loop after 65535 iterations, so the "endless" kernel
# there runs for a few seconds and the device comes back. On another driver the kernel would
# really never end, and what vkDestroyDevice does then is the driver's business: skipped.
set -u
BLSVK=$1
SRC=$2
T=$(mktemp -d /tmp/blsvk-hang-XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0

if ! "$BLSVK" devices >"$T/devices" 2>/dev/null; then
    echo "skipped: no Vulkan device"
    exit 77
fi
if ! grep -q '(default) llvmpipe' "$T/devices"; then
    echo "skipped: the default device is not lavapipe, where the hanging kernel is bounded"
    exit 77
fi

# In run order: a timeout in one-shot mode, one in persistent mode (whose long-lived objects the
# hanging work still uses), a case that must pass after them, a timeout in pipelined mode, and
# a pipelined case that must pass after it.
# Both ways: in this process (--no-isolate) and in a worker (the default), where the timeout is
# the worker's own (within --timeout-ms, long before the parent's deadline for the worker).
for how in --no-isolate --isolate; do
start=$(date +%s)
"$BLSVK" run $how --kernel-dir "$SRC/suites/kernels/hang" --timeout-ms 300 --no-pipeline-cache \
    --filter 'fr.mul.u32.oneshot.edge.all,fr.mul.u32.persistent.split.1031,fr.sqr.u32.persistent.random.4099' \
    --filter 'fr.mul.u32.pipelined.multi.5003,fr.sqr.u32.pipelined.multi.5003' --report-dir "$T/r$how" >"$T/out" 2>&1
rc=$?
end=$(date +%s)
if [ "$rc" != 1 ]; then
    echo "FAIL: exit status $rc, expected 1 (cases timed out):" >&2
    cat "$T/out" >&2
    fails=$((fails + 1))
fi
LOG=$(ls "$T"/r$how/*/[0-9]*/results.jsonl 2>/dev/null | head -1)
if [ -z "$LOG" ] || [ -z "$(ls "$T"/r$how/*/[0-9]*/results.json 2>/dev/null)" ]; then
    echo "FAIL: no results.json / results.jsonl written:" >&2
    cat "$T/out" >&2
    exit 1
fi
expect() { # expect CASE STATUS: the case's result record in the crash-safe log
    line=$(grep "\"name\":\"$1\"," "$LOG" | grep '"event":"result"')
    if ! echo "$line" | grep -q "\"status\":\"$2\""; then
        echo "FAIL: $1: expected $2 in: $line" >&2
        fails=$((fails + 1))
    elif [ "$2" = timeout ] && ! echo "$line" | grep -q "within 300 ms"; then
        echo "FAIL: $1: the reason does not name the limit: $line" >&2
        fails=$((fails + 1))
    fi
}
expect fr.mul.u32.oneshot.edge.all timeout
expect fr.mul.u32.persistent.split.1031 timeout
expect fr.sqr.u32.persistent.random.4099 pass
expect fr.mul.u32.pipelined.multi.5003 timeout
expect fr.sqr.u32.pipelined.multi.5003 pass
echo "5 cases in $((end - start)) s ($how)"
done

# When the work outlasts the wait after the timeout (BLSVK_DRAIN_MS, a test hook, shortens it
# from at least 5 s to 200 ms), the device is given up: the rest of its cases are skipped with
# the reason, the reports are still written, and blsvk exits with 3 (a device error).
# What the given-up device holds is left behind on purpose: no leak check for this run.
BLSVK_DRAIN_MS=200 ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$BLSVK" run --no-isolate --kernel-dir "$SRC/suites/kernels/hang" --timeout-ms 300 --no-pipeline-cache \
    --report-dir "$T/r2" --filter 'fr.mul.u32.persistent.split.1031,fr.sqr.u32.persistent.random.4099' >"$T/out2" 2>&1
rc=$?
if [ "$rc" != 3 ]; then
    echo "FAIL: given-up device: exit status $rc, expected 3:" >&2
    cat "$T/out2" >&2
    fails=$((fails + 1))
fi
LOG=$(ls "$T"/r2/*/[0-9]*/results.jsonl 2>/dev/null | head -1)
if [ -z "$LOG" ] || [ -z "$(ls "$T"/r2/*/[0-9]*/results.json 2>/dev/null)" ]; then
    echo "FAIL: given-up device: no results.json / results.jsonl written:" >&2
    cat "$T/out2" >&2
    exit 1
fi
expect fr.mul.u32.persistent.split.1031 timeout
expect fr.sqr.u32.persistent.random.4099 skipped
if ! grep -q "given up" "$LOG"; then
    echo "FAIL: given-up device: the reason is not in $LOG" >&2
    fails=$((fails + 1))
fi
[ "$fails" = 0 ]
