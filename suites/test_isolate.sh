#!/bin/sh
# suites/test_isolate.sh BLSVK: `blsvk run --isolate`, cases in a worker process. A worker that
# dies (a driver crash; here the test hook BLSVK_TEST_CRASH_CASE) makes its case `crash` and a
# fresh worker runs the rest; a worker that stops answering (BLSVK_TEST_HANG_CASE: a call that
# never returns) is killed and its case is `timeout`; the reports have every planned case.
set -u
BLSVK=$1
T=$(mktemp -d /tmp/blsvk-isolate-XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
if ! "$BLSVK" devices >/dev/null 2>&1; then
    echo "skipped: no Vulkan device"
    exit 77
fi
F='fr.add.u32.*'
status_of() { # status_of DIR CASE
    grep "\"name\":\"$2\"," "$1"/*/[0-9]*/results.jsonl | grep '"event":"result"' | sed 's/.*"status":"\([a-z-]*\)".*/\1/'
}

# 1. Isolated and in-process runs give the same verdicts.
"$BLSVK" run --isolate --filter "$F" --quiet --no-pipeline-cache --report-dir "$T/a" || fail "isolated run: exit $?"
"$BLSVK" run --filter "$F" --quiet --no-pipeline-cache --report-dir "$T/b" || fail "in-process run: exit $?"
for c in $("$BLSVK" list --filter "$F"); do
    [ "$(status_of "$T/a" "$c")" = "$(status_of "$T/b" "$c")" ] || fail "$c: isolated $(status_of "$T/a" "$c"), in-process $(status_of "$T/b" "$c")"
done

# 2. A worker that dies: crash, named signal and replay command; the run goes on.
BLSVK_TEST_CRASH_CASE='fr.add.u32.persistent.random.1' "$BLSVK" run --isolate --filter "$F" --quiet \
    --no-pipeline-cache --report-dir "$T/c" >"$T/c.out" 2>&1
rc=$?
[ "$rc" = 1 ] || fail "crash: exit $rc, expected 1: $(cat "$T/c.out")"
[ "$(status_of "$T/c" fr.add.u32.persistent.random.1)" = crash ] || fail "the crashed case is not crash"
grep '"event":"result"' "$T"/c/*/[0-9]*/results.jsonl | grep 'random.1"' | grep -q 'signal 11' ||
    fail "the crash's reason does not name the signal"
grep -q "replay: blsvk run --isolate --filter 'fr.add.u32.persistent.random.1'" "$T"/c/*/[0-9]*/results.json ||
    fail "the crash's reason has no replay command"
n=$("$BLSVK" list --filter "$F" | wc -l)
passed=$(grep '"event":"result"' "$T"/c/*/[0-9]*/results.jsonl | grep -c '"status":"pass"')
[ "$passed" = $((n - 1)) ] || fail "after the crash $passed of $((n - 1)) other cases passed"
grep -q '<error type="crash"' "$T"/c/*/[0-9]*/junit.xml || fail "junit.xml has no crash error"

# 3. A worker that stops answering: killed, timeout, and the next case passes in a fresh one.
start=$(date +%s)
BLSVK_TEST_HANG_CASE='fr.add.u32.oneshot.edge.all' "$BLSVK" run --isolate --filter "$F" --timeout-ms 300 \
    --quiet --no-pipeline-cache --report-dir "$T/h" >"$T/h.out" 2>&1
rc=$?
end=$(date +%s)
[ "$rc" = 1 ] || fail "hang: exit $rc, expected 1: $(cat "$T/h.out")"
[ "$(status_of "$T/h" fr.add.u32.oneshot.edge.all)" = timeout ] || fail "the hung case is not timeout"
grep '"event":"result"' "$T"/h/*/[0-9]*/results.jsonl | grep 'oneshot.edge.all"' | grep -q 'worker was killed' ||
    fail "the timeout's reason does not say the worker was killed"
passed=$(grep '"event":"result"' "$T"/h/*/[0-9]*/results.jsonl | grep -c '"status":"pass"')
[ "$passed" = $((n - 1)) ] || fail "after the hang $passed of $((n - 1)) other cases passed"
[ $((end - start)) -lt 60 ] || fail "the hang took $((end - start)) s to get past"
echo "hang recovered in $((end - start)) s"

[ "$fails" = 0 ] || exit 1
echo "test_isolate: all checks passed"
