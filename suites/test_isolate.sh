#!/bin/sh
# suites/test_isolate.sh BLSVK: `blsvk run`'s cases in worker processes (the default). A worker
# that dies (a driver crash; here the test hook BLSVK_TEST_CRASH_CASE) makes its case `crash` and a
# fresh worker runs the rest; a worker that stops answering (BLSVK_TEST_HANG_CASE: a call that
# never returns) is killed and its case is `timeout`; the reports have every planned case. --jobs
# runs cases at once in several workers; SIGINT stops a run that --resume then finishes.
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

# 1. Isolated (the default) and in-process runs give the same verdicts.
"$BLSVK" run --filter "$F" --no-pipeline-cache --report-dir "$T/a" >"$T/a.out" 2>&1 || fail "isolated run: exit $?"
grep -q '^isolation: 1 worker started' "$T/a.out" || fail "a default run does not isolate: $(cat "$T/a.out")"
"$BLSVK" run --no-isolate --filter "$F" --quiet --no-pipeline-cache --report-dir "$T/b" || fail "in-process run: exit $?"
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
grep -q "replay: blsvk run --filter 'fr.add.u32.persistent.random.1'" "$T"/c/*/[0-9]*/results.json ||
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

# 4. --jobs 2: two workers, cases at once, the same verdicts, the report says so.
# A lane takes one kernel's cases at a time: two kernels, so that both lanes have work.
"$BLSVK" run --jobs 2 --filter "$F" --filter 'fr.sub.u32.*' --no-pipeline-cache --report-dir "$T/j" >"$T/j.out" 2>&1 ||
    fail "--jobs 2: exit $?: $(cat "$T/j.out")"
grep -q '^isolation: 2 workers started' "$T/j.out" || fail "--jobs 2 did not start two workers: $(cat "$T/j.out")"
for c in $("$BLSVK" list --filter "$F"); do
    [ "$(status_of "$T/j" "$c")" = "$(status_of "$T/b" "$c")" ] || fail "$c: --jobs 2 $(status_of "$T/j" "$c"), one at a time $(status_of "$T/b" "$c")"
done
grep -q '"jobs": 2' "$T"/j/*/[0-9]*/results.json || fail "results.json does not record 2 jobs"
grep -q '2 cases at once (timings concurrent' "$T"/j/*/[0-9]*/summary.md || fail "summary.md does not mark the timings concurrent"
"$BLSVK" run --jobs 2 --no-isolate --filter "$F" >"$T/err" 2>&1
[ $? = 2 ] && grep -q 'contradict' "$T/err" || fail "--jobs 2 --no-isolate is not refused: $(cat "$T/err")"
"$BLSVK" run --jobs 0 >"$T/err" 2>&1
[ $? = 2 ] && grep -q -- '--jobs takes a whole number from 1 to 64' "$T/err" || fail "--jobs 0 is not refused"

# 5. SIGINT: the case in flight finishes, no new one starts, the reports say incomplete with the
# command to resume; --resume then finishes the run.
"$BLSVK" run --filter "$F" --no-pipeline-cache --report-dir "$T/s" >"$T/s.out" 2>&1 &
pid=$!
for i in $(seq 1 200); do
    grep -q '"event":"start"' "$T"/s/*/[0-9]*/results.jsonl 2>/dev/null && break
    sleep 0.05
done
kill -INT $pid
wait $pid
rc=$?
[ "$rc" = 130 ] || fail "SIGINT: exit $rc, expected 130: $(cat "$T/s.out")"
grep -q 'stopped by Interrupt: .* cases not run; go on with: blsvk run --resume ' "$T/s.out" ||
    fail "SIGINT: no resume command: $(cat "$T/s.out")"
grep -q '"verdict": "incomplete"' "$T"/s/*/[0-9]*/results.json || fail "SIGINT: results.json is not incomplete"
"$BLSVK" run --resume "$(ls -d "$T"/s/*/[0-9]*)" --quiet >"$T/r.out" 2>&1 || fail "--resume after SIGINT: exit $?: $(cat "$T/r.out")"
[ "$(grep '"event":"result"' "$T"/s/*/[0-9]*/results.jsonl | grep -c '"status":"pass"')" = "$n" ] ||
    fail "after --resume not every case passed"

# 6. --device all: one run per device at once (lavapipe alone here), each in its own folder with
# its output in <device>.log, one merged report and one exit status; a device named twice is refused.
"$BLSVK" run --device all --filter "$F" --no-pipeline-cache --report-dir "$T/d" >"$T/d.out" 2>&1 ||
    fail "--device all: exit $?: $(cat "$T/d.out")"
grep -q '"verdict": "pass"' "$T"/d/merged-*/merged.json || fail "--device all: no merged report with verdict pass"
ls "$T"/d/*.log >/dev/null 2>&1 || fail "--device all: no per-device log"
[ "$(grep -c '"event":"result"' "$T"/d/*/[0-9]*/results.jsonl)" = "$n" ] || fail "--device all: not every case ran"
"$BLSVK" run --device 0 --device 0 --filter "$F" --report-dir "$T/d2" >"$T/err" 2>&1
[ $? = 2 ] && grep -q 'a second time' "$T/err" || fail "a device named twice is not refused: $(cat "$T/err")"
"$BLSVK" eval --device 0 --device 0 >"$T/err" 2>&1
[ $? = 2 ] && grep -q 'given twice' "$T/err" || fail "eval takes two devices: $(cat "$T/err")"

[ "$fails" = 0 ] || exit 1
echo "test_isolate: all checks passed"
