#!/bin/sh
# suites/test_report.sh: end-to-end tests of the reports on the default Vulkan device: every
# report file of a run checked (results.json and each line of results.jsonl against the JSON
# Schema, junit.xml against the JUnit XSD with xmllint); shards merged back equal the unsharded
# run's verdicts; a run killed with SIGKILL and resumed loses and duplicates nothing; baselines
# (expected-fail, unexpected-pass) and retries (flake) with a kernel that always fails
# (no-reduce), a kernel that fails now and then (racy-neighbour), and the runner's test hook
# that swaps the first attempt's kernel.
# Also --bounds (rates as fractions of the device's measured bandwidth).
# Usage: test_report.sh BLSVK SOURCE_DIR SCHEMA_CHECK
set -u
BLSVK=$1
SRC=$2
CHECK=$3
SCHEMA=$SRC/docs/schemas/results.schema.json
XSD=$SRC/docs/schemas/junit.xsd
NOREDUCE=$SRC/suites/kernels/no-reduce
RACY=$SRC/suites/kernels/racy-neighbour
T=$(mktemp -d /tmp/blsvk-report-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$SRC/suites/test_lib.sh"
run_dir() { ls -d "$1"/*/[0-9]*/ 2>/dev/null | head -1; }
# Every report file of a run directory, each checked against its schema.
valid_run() { # valid_run NAME DIR
    for f in results.json results.jsonl results.csv junit.xml summary.md report.html; do
        [ -s "$2/$f" ] && ok || bad "$1: no $f in $2"
    done
    "$CHECK" "$SCHEMA" "$2/results.json" && ok || bad "$1: results.json does not match the schema"
    "$CHECK" "$SCHEMA" "$2/results.jsonl" --lines && ok || bad "$1: results.jsonl does not match the schema"
    xmllint --noout --schema "$XSD" "$2/junit.xml" 2>"$T/xmllint.err" && ok ||
        { bad "$1: junit.xml does not validate"; cat "$T/xmllint.err" >&2; }
}

if ! "$BLSVK" devices >/dev/null 2>&1; then
    echo "skipped: no Vulkan device (install mesa-vulkan-drivers)"
    exit 77
fi
if ! command -v xmllint >/dev/null 2>&1; then
    echo "FAIL: xmllint is missing (install libxml2-utils; cmake/bootstrap.sh does)" >&2
    exit 1
fi

# --- the report files of a run ---------------------------------------------------------
"$BLSVK" run --filter 'fr.add.*' --report-dir "$T/a" >"$T/out" 2>&1
check "built-in run" 0 $?
A=$(run_dir "$T/a")
valid_run "built-in run" "$A"
contains "summary.md verdict" "$A/summary.md" "^# blsvk: PASS"
contains "summary.md table" "$A/summary.md" "| fr | add | u64 | persistent |"
contains "report.html verdict" "$A/report.html" 'id="verdict" class="badge">PASS'
contains "toolchain fingerprint" "$A/results.json" '"fingerprint": "[0-9a-f]\{16\}"'
contains "spirv-opt recipes" "$A/results.json" '"spirv_opt": "none; O = spirv-opt -O'
contains "module recipes" "$A/results.json" '"recipe": "O"'
contains "module hashes" "$A/results.json" '"kernel": "fr.add.u64"'
contains "terminal summary" "$T/out" "verdict: pass"
"$BLSVK" report show "$A" >"$T/show" 2>&1
check "report show" 0 $?
contains "report show" "$T/show" "verdict: pass; \([0-9]*\) cases: \1 pass$"
"$BLSVK" report show "$T/nowhere" >"$T/show" 2>&1
check "report show of nothing" 2 $?
# --bounds: the device's own bandwidth measured first, every rate as a fraction of it.
"$BLSVK" run --bounds --filter 'fr.add.u32.persistent.*' --report-dir "$T/bounds" --quiet >/dev/null 2>&1
check "run with --bounds" 0 $?
BD=$(run_dir "$T/bounds")
valid_run "run with --bounds" "$BD"
contains "bounds recorded" "$BD/results.json" '"copy_bytes_per_s": [0-9]'
contains "copy fraction" "$BD/results.json" '"copy_fraction": [0-9]'
contains "host-link fraction" "$BD/results.json" '"host_link_fraction": [0-9]'
contains "no bounds, no fractions" "$A/results.json" '"copy_fraction": null'
contains "copy bound drawn" "$BD/report.html" 'class="bound"'

# --- shards, merged, equal the unsharded run ---------------------------------------------
"$BLSVK" list --kernel-dir "$NOREDUCE" --filter 'fr.add.u32.*' >"$T/all.txt"
: >"$T/shards.txt"
for i in 1 2 3; do
    "$BLSVK" list --kernel-dir "$NOREDUCE" --filter 'fr.add.u32.*' --shard $i/3 >>"$T/shards.txt"
done
equal "shards cover the list once" "$(sort "$T/all.txt")" "$(sort "$T/shards.txt")"
"$BLSVK" list --shard 4/3 >/dev/null 2>&1
check "--shard 4/3 refused" 2 $?
"$BLSVK" run --kernel-dir "$NOREDUCE" --filter 'fr.add.u32.*' --report-dir "$T/whole" --quiet >/dev/null 2>&1
check "unsharded no-reduce run fails" 1 $?
for i in 1 2 3; do
    "$BLSVK" run --kernel-dir "$NOREDUCE" --filter 'fr.add.u32.*' --shard $i/3 --report-dir "$T/shard$i" --quiet \
        >/dev/null 2>&1
    S=$(run_dir "$T/shard$i")
    contains "shard $i recorded" "$S/results.json" "\"index\": $i,"
done
"$BLSVK" report merge "$T/whole" --out "$T/m0" --quiet
check "merge of the unsharded run" 1 $?
"$BLSVK" report merge "$T/shard3" "$T/shard1" "$T/shard2" --out "$T/m1" >"$T/merge.out" 2>&1
check "merge of the shards" 1 $?
grep '^      \["' "$T/m0/merged.json" >"$T/rows0"
grep '^      \["' "$T/m1/merged.json" >"$T/rows1"
[ -s "$T/rows0" ] && ok || bad "merged.json has no matrix rows"
if cmp -s "$T/rows0" "$T/rows1"; then ok; else bad "shards merged differ from the unsharded run:"; diff "$T/rows0" "$T/rows1" >&2; fi
contains "merged: no conflict" "$T/m1/merged.json" '"conflicts": \[\]'
contains "merged: nothing missing" "$T/m1/merged.json" '"missing": \[\]'
M1=$(ls -d "$T"/m1/*/ | head -1)
"$CHECK" "$SCHEMA" "$M1/results.json" && ok || bad "merged results.json does not match the schema"
xmllint --noout --schema "$XSD" "$T/m1/junit.xml" 2>/dev/null && ok || bad "merged junit.xml does not validate"
"$BLSVK" report merge "$T/shard1" "$T/shard2" --out "$T/m2" --quiet
check "merge with a shard missing" 1 $?
"$BLSVK" report show "$T/m2" >"$T/show" 2>&1
check "report show of an incomplete merge" 1 $?
contains "missing shard named" "$T/show" "shard 3/3 never ran"
"$BLSVK" run --filter 'fr.add.u32.*' --report-dir "$T/good" --quiet >/dev/null 2>&1
"$BLSVK" report merge "$T/whole" "$T/good" --out "$T/m3" --quiet
check "merge with conflicting verdicts" 1 $?
contains "conflicts listed" "$T/m3/summary.md" "## Conflicts ("
contains "module differences shown" "$T/m3/summary.md" "| module fr.add.u32 |"

# --- SIGKILL mid-run, then --resume ----------------------------------------------------------
"$BLSVK" run --suite full --filter 'fp.*.u32.persistent.*' --report-dir "$T/k" --quiet >/dev/null 2>&1 &
PID=$!
n=0
tries=0
while [ "$n" -lt 10 ] && [ $tries -lt 1200 ]; do
    sleep 0.05
    tries=$((tries + 1))
    LOG=$(ls "$T"/k/*/[0-9]*/results.jsonl 2>/dev/null | head -1)
    [ -n "$LOG" ] && n=$(grep -c '"event":"result"' "$LOG")
done
kill -9 $PID 2>/dev/null
wait $PID 2>/dev/null
K=$(run_dir "$T/k")
if [ -e "$K/results.json" ]; then
    bad "the run finished before it was killed: nothing was tested (make the workload longer)"
fi
# The log's complete lines (a kill inside a write may leave half a last line) must all hold.
if [ "$(tail -c 1 "$K/results.jsonl" | od -An -c | tr -d ' ')" = '\n' ]; then
    cp "$K/results.jsonl" "$T/prekill.jsonl"
else
    sed '$d' "$K/results.jsonl" >"$T/prekill.jsonl"
fi
"$CHECK" "$SCHEMA" "$T/prekill.jsonl" --lines && ok || bad "the killed run's log does not match the schema"
grep '"event":"result"' "$T/prekill.jsonl" >"$T/prekill.results"
kept=$(wc -l <"$T/prekill.results")
[ "$kept" -ge 10 ] && ok || bad "only $kept cases finished before the kill"
"$BLSVK" report show "$K" >"$T/show" 2>&1
check "report show of a killed run" 1 $?
contains "killed run is incomplete" "$T/show" "verdict: incomplete"
"$BLSVK" run --resume "$K" --filter 'x*' >/dev/null 2>&1
check "--resume takes no new options" 2 $?
"$BLSVK" run --resume "$K" >"$T/resume.out" 2>&1
check "resume finishes the run" 0 $?
contains "resume says what is left" "$T/resume.out" "cases left"
valid_run "resumed run" "$K"
"$BLSVK" list --suite full --filter 'fp.*.u32.persistent.*' >"$T/planned"
planned=$(wc -l <"$T/planned")
contains "every planned case has a result" "$K/results.json" "\"cases\": $planned,"
contains "nothing missing after resume" "$K/results.json" '"missing": 0,'
contains "the resume is recorded" "$K/results.json" '"resumed": \[$'
dups=0
while read -r name; do
    c=$(grep -c "\"result\":{\"name\":\"$name\"" "$K/results.jsonl")
    [ "$c" = 1 ] || { dups=$((dups + 1)); echo "  $name: $c results in the log" >&2; }
    c=$(grep -c "^      \"name\": \"$name\",$" "$K/results.json")
    [ "$c" = 1 ] || { dups=$((dups + 1)); echo "  $name: $c records in results.json" >&2; }
done <"$T/planned"
equal "each case exactly once, in the log and in results.json" "$dups" 0
lost=0
while IFS= read -r line; do
    grep -Fxq -- "$line" "$K/results.jsonl" || lost=$((lost + 1))
done <"$T/prekill.results"
equal "every case finished before the kill kept as it was" "$lost" 0

# --- baselines ---------------------------------------------------------------------------
printf '# no-reduce is wrong whenever x + y >= r\nfr.add.u32.* the kernel never subtracts r\n' >"$T/bl-all"
"$BLSVK" run --kernel-dir "$NOREDUCE" --filter 'fr.add.u32.*' --baseline "$T/bl-all" --report-dir "$T/b1" \
    --quiet >/dev/null 2>&1
check "every failure in the baseline: exit 0" 0 $?
B1=$(run_dir "$T/b1")
valid_run "baseline run" "$B1"
equal "no new failure left" "$(count_status "$B1/results.json" fail)" 0
[ "$(count_status "$B1/results.json" expected-fail)" -ge 3 ] && ok || bad "expected-fail statuses missing"
equal "the expected failure keeps what was seen" \
    "$(awk '/"status": "expected-fail"/ {getline; print; exit}' "$B1/results.json" | tr -d ' ,')" '"observed":"fail"'
contains "junit: expected failures are skipped" "$B1/junit.xml" 'skipped type="expected-fail"'
contains "summary lists them" "$B1/summary.md" "## Expected failures ("
printf 'fr.add.u32.*.edge.all only the edge set is known to fail\n' >"$T/bl-edge"
"$BLSVK" run --kernel-dir "$NOREDUCE" --filter 'fr.add.u32.*' --baseline "$T/bl-edge" --report-dir "$T/b2" \
    --quiet >/dev/null 2>&1
check "a failure the baseline does not list: exit 1" 1 $?
printf 'fr.add.u32.persistent.random.1 failed on driver 0.0.0\nfp.none.* matches nothing\n' >"$T/bl-stale"
"$BLSVK" run --filter 'fr.add.u32.persistent.*' --baseline "$T/bl-stale" --report-dir "$T/b3" --quiet \
    >/dev/null 2>&1
check "an unexpected pass is no failure" 0 $?
B3=$(run_dir "$T/b3")
equal "unexpected-pass" "$(status_of "$B3/results.json" fr.add.u32.persistent.random.1)" unexpected-pass
contains "summary: prune the baseline" "$B3/summary.md" "## Unexpected passes (1)"
contains "summary: stale entries" "$B3/summary.md" "matched no case (1)"
printf 'fr.add.u32.*\n' >"$T/bl-bad"
"$BLSVK" run --filter 'fr.add.u32.*' --baseline "$T/bl-bad" --report-dir "$T/b4" >"$T/err" 2>&1
check "a baseline entry without a reason" 2 $?
contains "the bad line named" "$T/err" "line 1"

# --- retries and flakes ----------------------------------------------------------------------
BLSVK_TEST_FIRST_ATTEMPT_KERNEL_DIR=$NOREDUCE "$BLSVK" run --filter 'fr.add.u32.persistent.*' \
    --retry-failures 2 --report-dir "$T/f1" --quiet >/dev/null 2>&1
check "failed, then passed on a retry: exit 0" 0 $?
F1=$(run_dir "$T/f1")
valid_run "flake run" "$F1"
[ "$(count_status "$F1/results.json" flake)" -ge 3 ] && ok || bad "flake statuses missing"
equal "a flake is never a plain pass" "$(status_of "$F1/results.json" fr.add.u32.persistent.edge.all)" flake
contains "flake attempts" "$F1/results.json" 'passed on attempt 2 of 2'
contains "junit: flaky failures" "$F1/junit.xml" '<flakyFailure type="fail"'
contains "summary lists flakes apart" "$F1/summary.md" "## Flakes ("
BLSVK_TEST_FIRST_ATTEMPT_KERNEL_DIR=$NOREDUCE "$BLSVK" run --filter 'fr.add.u32.persistent.*' \
    --report-dir "$T/f2" --quiet >/dev/null 2>&1
check "without retries the first failure stands" 1 $?
"$BLSVK" run --kernel-dir "$NOREDUCE" --filter 'fr.add.u32.persistent.edge.*' --retry-failures 2 \
    --report-dir "$T/f3" --quiet >/dev/null 2>&1
check "a kernel that always fails still fails" 1 $?
F3=$(run_dir "$T/f3")
contains "every attempt recorded" "$F3/summary.md" "failed all 3 attempts"
"$BLSVK" run --retry-failures 16 --filter 'fr.add.u32.*' --report-dir "$T/f4" >/dev/null 2>&1
check "--retry-failures above 15 refused" 2 $?
# The racy kernel fails or passes as the driver's scheduling falls: whatever it does, the
# record must say it honestly (a pass is one attempt; a flake failed first and passed last; a
# fail failed every attempt).
tally=""
for i in 1 2 3; do
    "$BLSVK" run --kernel-dir "$RACY" --filter 'fr.add.u32.persistent.random.4099' --retry-failures 15 \
        --report-dir "$T/r$i" --quiet >/dev/null 2>&1
    rc=$?
    R=$(run_dir "$T/r$i")
    s=$(status_of "$R/results.json" fr.add.u32.persistent.random.4099)
    tally="$tally $s"
    "$CHECK" "$SCHEMA" "$R/results.json" && ok || bad "racy run $i: results.json does not match the schema"
    attempts=$(grep -c '^          "status": "' "$R/results.json")
    case "$s:$rc" in
    pass:0) equal "racy run $i: a pass took one attempt" "$attempts" 1 ;;
    flake:0)
        contains "racy run $i: flake attempts" "$R/results.json" 'passed on attempt'
        contains "racy run $i: junit" "$R/junit.xml" '<flakyFailure' ;;
    fail:1) equal "racy run $i: a fail failed every attempt" "$attempts" 16 ;;
    *) bad "racy run $i: status '$s' with exit status $rc" ;;
    esac
done
echo "racy-neighbour kernel, 3 runs:$tally"

finish
