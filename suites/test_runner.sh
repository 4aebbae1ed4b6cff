#!/bin/sh
# suites/test_runner.sh: deqp-runner's conventions in blsvk run, end to end on the default Vulkan
# device: --caselist (blsvk list output reads back; comments, globs, errors naming file and line),
# --skips (skip-listed with the file's reason), --flakes (a listed failure is retried: flake when
# it then passes, known-flake when it never does; neither fails the run), `report baseline` from a
# failing run read back by --baseline, globs for a kernel selecting its spirv-opt recipe cases,
# results.csv and the device folder's `latest` link, a toolchain fingerprint that --filter leaves
# alone, a merge with a missing shard (every missing case a JUnit error, the device incomplete),
# and failures with one cause grouped on the terminal, in summary.md and report.html.
# Usage: test_runner.sh BLSVK SOURCE_DIR
set -u
BLSVK=$1
SRC=$2
NOREDUCE=$SRC/suites/kernels/no-reduce
INVALID=$SRC/suites/kernels/invalid-spirv
T=$(mktemp -d /tmp/blsvk-runner-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$SRC/suites/test_lib.sh"
# The newest run of a report dir, through the device folder's link.
latest() { echo "$(ls -d "$1"/*/ | head -1)latest"; }
total() { grep -A1 '"totals": {' "$1" | grep -o '"cases": [0-9]*' | grep -o '[0-9]*$'; }

if ! "$BLSVK" devices >/dev/null 2>&1; then
    echo "skipped: no Vulkan device (install mesa-vulkan-drivers)"
    exit 77
fi

# --- a glob for a kernel selects its recipe cases ------------------------------------------
"$BLSVK" list --filter 'fr.add.u32.*' >"$T/list.txt"
contains "a kernel's glob takes its recipe cases" "$T/list.txt" '^fr.add.u32+O.persistent.edge.all$'
"$BLSVK" list --filter 'fr.add.u32.persistent.edge.all' >"$T/one.txt"
equal "an exact name selects one case" "$(wc -l <"$T/one.txt")" 1
"$BLSVK" list --filter 'fr.add.*' --filter '-fr.add.u32.*' >"$T/ex.txt"
lacks "an excluding glob takes the recipe cases too" "$T/ex.txt" 'fr.add.u32+'

# --- --caselist --------------------------------------------------------------------------
"$BLSVK" list --caselist "$T/list.txt" >"$T/back.txt"
check "list output as a case list" 0 $?
equal "list output reads back unchanged" "$(cat "$T/back.txt")" "$(cat "$T/list.txt")"
printf '# two cases and a glob\n\nfr.add.u32.persistent.edge.all\n  fr.sub.u64.oneshot.edge.all   # a comment\nfp.neg.u32.persistent.*\n' \
    >"$T/cl.txt"
"$BLSVK" list --caselist "$T/cl.txt" >"$T/cl.out"
check "a case list with comments and globs" 0 $?
equal "what it selects" "$(grep -c . "$T/cl.out")" "$(( 2 + $("$BLSVK" list --filter 'fp.neg.u32.persistent.*' | wc -l) ))"
"$BLSVK" run --caselist "$T/cl.txt" --filter '*.edge.*' --report-dir "$T/cl" --quiet >/dev/null 2>&1
check "run --caselist" 0 $?
CL=$(latest "$T/cl")
equal "--caselist and --filter both apply" "$(total "$CL/results.json")" \
    "$("$BLSVK" list --caselist "$T/cl.txt" --filter '*.edge.*' | wc -l)"
printf 'fr.add.u32.persistent.edge.all\nfr.add.u32 persistent\n' >"$T/bad.txt"
"$BLSVK" run --caselist "$T/bad.txt" --report-dir "$T/bad" >"$T/err" 2>&1
check "a bad case list line" 2 $?
contains "the bad line named" "$T/err" "bad.txt: line 2: one case name or glob a line"
printf '# nothing\nfr.add.u32.persistent.edge.all\nfx.add.*\n' >"$T/none.txt"
"$BLSVK" list --caselist "$T/none.txt" >"$T/err" 2>&1
check "a line that matches no case" 2 $?
contains "the unmatched line named" "$T/err" "none.txt: line 3: 'fx.add.\*' matches no case of the quick suite"
"$BLSVK" run --caselist "$T/nowhere.txt" --report-dir "$T/bad" >"$T/err" 2>&1
check "a case list that is not there" 2 $?

# --- results.csv and latest ----------------------------------------------------------------
"$BLSVK" run --filter 'fr.add.u32.persistent.*' --report-dir "$T/c" --quiet >/dev/null 2>&1
check "a passing run" 0 $?
FIRST=$(readlink "$(latest "$T/c")")
sleep 1
"$BLSVK" run --filter 'fr.add.u32.oneshot.*' --report-dir "$T/c" --quiet >/dev/null 2>&1
SECOND=$(readlink "$(latest "$T/c")")
[ -n "$FIRST" ] && [ "$FIRST" != "$SECOND" ] && ok || bad "latest did not move to the newer run ($FIRST, $SECOND)"
[ -d "$(latest "$T/c")" ] && ok || bad "latest is not a run folder"
C2=$(latest "$T/c")
CSV=$C2/results.csv
[ -s "$CSV" ] && ok || bad "no results.csv beside results.json"
equal "a line a case" "$(wc -l <"$CSV")" "$(total "$C2/results.json")"
contains "case,status,seconds" "$CSV" '^fr.add.u32.oneshot.edge.all,Pass,[0-9]*\.[0-9]*$'
# The device folder's link is no run of its own for a merge.
"$BLSVK" report merge "$T/c" --out "$T/cm" --quiet
check "merge of a report dir with latest" 0 $?
contains "two runs merged, not three" "$T/cm/merged.json" '"duplicates": 0'
[ -s "$(ls -d "$T"/cm/*/ | head -1)results.csv" ] && ok || bad "merge writes no results.csv per device"

# --- the fingerprint is the toolchain's, whatever ran ---------------------------------------
C1=$(dirname "$C2")/$FIRST
fp1=$(grep -o '"fingerprint": "[0-9a-f]*"' "$C1/results.json")
fp2=$(grep -o '"fingerprint": "[0-9a-f]*"' "$C2/results.json")
equal "--filter leaves the fingerprint alone" "$fp1" "$fp2"
m1=$(grep -o '"modules_fingerprint": "[0-9a-f]*"' "$C1/results.json")
m2=$(grep -o '"modules_fingerprint": "[0-9a-f]*"' "$C2/results.json")
[ -n "$m1" ] && [ "$m1" != "$m2" ] && ok || bad "the modules' own fingerprint ('$m1', '$m2')"

# --- --skips -------------------------------------------------------------------------------
printf '# known to fail on this driver\nfr.add.u32.persistent.random.*  # the carry chain, bug 17\nfr.add.u32.*.edge.all the edge set\n' \
    >"$T/skips.txt"
"$BLSVK" run --kernel-dir "$NOREDUCE" --filter 'fr.add.u32.persistent.*' --skips "$T/skips.txt" \
    --report-dir "$T/s" >"$T/s.out" 2>&1
S=$(latest "$T/s")
rc=$(count_status "$S/results.json" fail)
# no-reduce fails the sets it is given; those left after the skips decide the exit status.
if [ "$rc" = 0 ]; then exp=0; else exp=1; fi
"$BLSVK" report show "$S" >/dev/null 2>&1
check "skip-listed cases do not fail the run" $exp $?
equal "skip-listed with the file's reason" "$(status_of "$S/results.json" fr.add.u32.persistent.random.4099)" skip-listed
contains "the reason" "$S/results.json" 'listed in --skips .*skips.txt line 2: the carry chain, bug 17'
contains "the second grammar" "$S/results.json" 'line 3: the edge set'
contains "junit: skipped" "$S/junit.xml" '<skipped type="skip-listed"'
contains "csv: Skip" "$S/results.csv" '^fr.add.u32.persistent.random.4099,Skip,'
contains "summary lists them" "$S/summary.md" '## Skipped by --skips ('
contains "never started" "$S/results.jsonl" '"event":"start","case":"fr.add.u32.persistent.split'
lacks "never started" "$S/results.jsonl" '"event":"start","case":"fr.add.u32.persistent.random.4099"'
printf 'fr.add.u32.*\n' >"$T/skips-bad.txt"
"$BLSVK" run --skips "$T/skips-bad.txt" --filter 'fr.add.u32.*' --report-dir "$T/sb" >"$T/err" 2>&1
check "a skips line without a reason" 2 $?
contains "the file and line named" "$T/err" "skips-bad.txt: line 1"

# --- --flakes --------------------------------------------------------------------------------
printf 'fr.add.u32.persistent.*  # races on this driver, bug 23\n' >"$T/flakes.txt"
# Fails every attempt: known-flake, retried once without --retry-failures, no failure of the run.
"$BLSVK" run --kernel-dir "$NOREDUCE" --filter 'fr.add.u32.persistent.*' --flakes "$T/flakes.txt" \
    --report-dir "$T/f1" --quiet >/dev/null 2>&1
check "known flakes that fail do not fail the run" 0 $?
F1=$(latest "$T/f1")
equal "known-flake" "$(status_of "$F1/results.json" fr.add.u32.persistent.edge.all)" known-flake
contains "retried once" "$F1/results.json" 'failed 2 attempts'
contains "junit: no failure" "$F1/junit.xml" 'failures="0" errors="0"'
contains "csv: KnownFlake" "$F1/results.csv" '^fr.add.u32.persistent.edge.all,KnownFlake,'
contains "summary lists them" "$F1/summary.md" '## Known flakes ('
# Fails, then passes: flake.
BLSVK_TEST_FIRST_ATTEMPT_KERNEL_DIR=$NOREDUCE "$BLSVK" run --filter 'fr.add.u32.persistent.*' \
    --flakes "$T/flakes.txt" --report-dir "$T/f2" --quiet >/dev/null 2>&1
check "a listed flake that passes on the retry" 0 $?
F2=$(latest "$T/f2")
equal "flake" "$(status_of "$F2/results.json" fr.add.u32.persistent.edge.all)" flake
# Not listed: the failure stands.
printf 'fp.mul.*  # another kernel\n' >"$T/flakes-other.txt"
"$BLSVK" run --kernel-dir "$NOREDUCE" --filter 'fr.add.u32.persistent.edge.all' --flakes "$T/flakes-other.txt" \
    --report-dir "$T/f3" --quiet >/dev/null 2>&1
check "a failure no flakes line lists" 1 $?

# --- failures with one cause, grouped ---------------------------------------------------------
"$BLSVK" run --kernel-dir "$INVALID" --filter 'fp.add.u32.*' --report-dir "$T/g" >"$T/g.out" 2>&1
check "an invalid kernel fails" 1 $?
G=$(latest "$T/g")
n=$(count_status "$G/results.json" fail)
[ "$n" -gt 2 ] && ok || bad "only $n failing cases"
contains "terminal: one group" "$T/g.out" "  fail in $n cases (the first, "
# (off a terminal each failure is also printed as it happens, above the summary)
sed -n '/^verdict: /,$p' "$T/g.out" >"$T/g.summary"
equal "terminal: the message once" "$(grep -c 'kernel rejected' "$T/g.summary")" 1
contains "terminal: its cases" "$T/g.out" "    cases: fp.add.u32.oneshot.edge.all "
contains "summary.md: one group" "$G/summary.md" "### fail in $n cases"
contains "summary.md: its recipe cases" "$G/summary.md" '^- `fp.add.u32+O.persistent.edge.all`$'
equal "summary.md: the message once" "$(grep -c 'kernel rejected' "$G/summary.md")" 1
contains "report.html: one row" "$G/report.html" "$n cases:<br>"

# --- a baseline from the failing run; the run with it passes ---------------------------------
"$BLSVK" report baseline "$G" --out "$T/known.txt"
check "report baseline" 0 $?
contains "the kernel as one glob" "$T/known.txt" '^fp.add.u32.\*  # all [0-9]* cases fail: kernel rejected'
"$BLSVK" report baseline "$G" >"$T/known.stdout"
check "report baseline to stdout" 0 $?
equal "stdout and --out agree" "$(cat "$T/known.stdout")" "$(cat "$T/known.txt")"
"$BLSVK" run --kernel-dir "$INVALID" --filter 'fp.add.u32.*' --baseline "$T/known.txt" --report-dir "$T/g2" \
    --quiet >/dev/null 2>&1
check "the run with its own baseline passes" 0 $?
G2=$(latest "$T/g2")
equal "every failure expected" "$(count_status "$G2/results.json" expected-fail)" "$n"
"$BLSVK" report baseline "$G2" --out "$T/known2.txt"
equal "a baseline from the run with it keeps its entries" "$(grep -v '^#' "$T/known2.txt")" \
    "$(grep -v '^#' "$T/known.txt")"
"$BLSVK" report baseline "$T/nowhere" >"$T/err" 2>&1
check "report baseline of nothing" 2 $?

# --- a merge with a missing shard ---------------------------------------------------------------
for i in 1 2; do
    "$BLSVK" run --filter 'fr.add.u32.*' --shard $i/3 --report-dir "$T/sh$i" --quiet >/dev/null 2>&1
    check "shard $i/3" 0 $?
done
"$BLSVK" list --filter 'fr.add.u32.*' --shard 3/3 >"$T/shard3.txt"
"$BLSVK" report merge "$T/sh1" "$T/sh2" --out "$T/m" --quiet
check "a merge missing a shard" 1 $?
contains "merged: the device incomplete" "$T/m/merged.json" '"verdict": "incomplete"'
lacks "merged: no device passes" "$T/m/merged.json" '"verdict": "pass"'
missing=$(grep -c '<error type="missing"' "$T/m/junit.xml")
equal "junit: every case of the missing shard an error" "$missing" "$(wc -l <"$T/shard3.txt")"
while read -r name; do
    grep -q "<testcase name=\"$name\"" "$T/m/junit.xml" || bad "junit: $name of shard 3 not named"
done <"$T/shard3.txt"
contains "junit: errors counted" "$T/m/junit.xml" "errors=\"$missing\""
contains "junit: the verdict" "$T/m/junit.xml" '<property name="verdict" value="incomplete"/>'
contains "summary.md: the device incomplete" "$T/m/summary.md" ' | incomplete | '
lacks "summary.md: no device passes" "$T/m/summary.md" ' | pass | '

finish
