#!/bin/sh
# suites/test_compare.sh: `blsvk compare` on real runs (lavapipe): two runs of one build compare
# as equal within the noise (exit 0); a kernel slowed down on purpose (suites/kernels/slow, through
# --kernel-dir) is a slowdown outside the noise, with its module named (exit 1); a kernel broken on
# purpose (suites/kernels/no-reduce) is a new failure with both statuses and the reason (exit 1);
# unreadable input is exit 2 naming the file. Skips (77) without a Vulkan device.
# The threshold is loose (200%) because on a shared CPU the drift between two runs reaches 1.5x,
# which the interval (from the repetitions inside each run) does not cover; the slow kernel is
# about 25 times slower there.
# Usage: test_compare.sh BLSVK SOURCE_DIR
set -u
BLSVK=$1
SRC=$2
T=$(mktemp -d /tmp/blsvk-compare-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$SRC/suites/test_lib.sh"
if ! "$BLSVK" devices >/dev/null 2>&1; then
    echo "skipped: no Vulkan device (install mesa-vulkan-drivers)"
    exit 77
fi
MUL=fr.mul.u32.persistent.random.4099
ADD=fr.add.u32.persistent.random.4099
run() { # run NAME [options]: one run into $T/NAME, its directory printed
    name=$1
    shift
    "$BLSVK" run --filter "$MUL" --filter "$ADD" --reps 9 --warmup 2 --no-isolate --report-dir "$T/$name" \
        --quiet "$@" >"$T/$name.log" 2>&1
    ls -d "$T/$name"/*/2* | head -1
}
A=$(run a)
A2=$(run a2)
SLOW=$(run slow --kernel-dir "$SRC/suites/kernels/slow")
BROKEN=$(run broken --kernel-dir "$SRC/suites/kernels/no-reduce")

# Two runs of one build: equal within the noise.
"$BLSVK" compare "$A" "$A2" --max-slowdown 200% --json "$T/same.json" >"$T/same.out" 2>&1
check "same build" 0 $?
contains "same build" "$T/same.out" "no regression"
contains "same build json" "$T/same.json" '"verdict": "ok"'
contains "same build json" "$T/same.json" '"format": "blsvk-compare/1"'

# A run compared with itself: every ratio 1, inside its interval.
"$BLSVK" compare "$A" "$A" >"$T/self.out" 2>&1
check "itself" 0 $?
contains "itself" "$T/self.out" "2 compared: 0 slower, 0 unsure, 0 faster, 2 same"

# The slowed-down kernel: a regression, its module named.
"$BLSVK" compare "$A" "$SLOW" --max-slowdown 200% --markdown "$T/slow.md" --html "$T/slow.html" \
    --json "$T/slow.json" >"$T/slow.out" 2>&1
check "slow kernel" 1 $?
contains "slow kernel" "$T/slow.out" "REGRESSION: 0 new failures, 1 slowdown"
contains "slow kernel" "$T/slow.out" "slower .*$MUL.*kernel changed"
contains "slow kernel" "$T/slow.out" "module fr.mul.u32 .*suites/kernels/slow/fr.mul.u32.comp"
contains "slow kernel" "$T/slow.out" "disappeared *$ADD"
contains "slow kernel md" "$T/slow.md" "| \*\*slower\*\* |"
contains "slow kernel html" "$T/slow.html" 'id="verdict" class="badge">REGRESSION'
contains "slow kernel html" "$T/slow.html" "<h3>fr.mul</h3>"
contains "slow kernel json" "$T/slow.json" '"verdict": "regression"'
lacks "slow kernel html" "$T/slow.html" 'src='
lacks "slow kernel html" "$T/slow.html" '@import'
# B against A: the speed-up is no regression.
"$BLSVK" compare "$SLOW" "$A" --max-slowdown 200% >"$T/fast.out" 2>&1
check "faster" 0 $?
contains "faster" "$T/fast.out" "faster .*$MUL"

# The broken kernel: a new failure with both statuses and B's reason.
"$BLSVK" compare "$A" "$BROKEN" --max-slowdown 200% >"$T/broken.out" 2>&1
check "broken kernel" 1 $?
contains "broken kernel" "$T/broken.out" "new-failure *$ADD *pass *fail *.*elements differ"
"$BLSVK" compare "$BROKEN" "$A" --max-slowdown 200% >"$T/fixed.out" 2>&1
check "fixed kernel" 0 $?
contains "fixed kernel" "$T/fixed.out" "new-pass *$ADD *fail *pass"

# Bad input: exit 2, the file named.
"$BLSVK" compare "$A" "$T/nothing-here" >"$T/missing.out" 2>&1
check "missing input" 2 $?
contains "missing input" "$T/missing.out" "nothing-here"
printf '{"format":"blsvk-bench/1","device":{},"entries":[]}\n' >"$T/bench.json"
"$BLSVK" compare "$A" "$T/bench.json" >"$T/mixed.out" 2>&1
check "run against bench" 2 $?
contains "run against bench" "$T/mixed.out" "compare runs with runs"
printf '{"format":"blsvk-bench/1","device":{}}\n' >"$T/bad.json"
"$BLSVK" compare "$T/bad.json" "$T/bench.json" >"$T/bad.out" 2>&1
check "bad bench" 2 $?
contains "bad bench" "$T/bad.out" "bad.json: no entries array"
"$BLSVK" compare "$A" >/dev/null 2>&1
check "one input" 2 $?
"$BLSVK" compare "$A" "$A2" --max-slowdown fast >/dev/null 2>&1
check "bad threshold" 2 $?
"$BLSVK" compare --help | grep -q -- "--max-slowdown" && ok || bad "compare --help"

# run --compare-to: the same comparison at the end of a run, for CI.
"$BLSVK" run --filter "$MUL" --filter "$ADD" --reps 9 --warmup 2 --no-isolate --report-dir "$T/ct" \
    --kernel-dir "$SRC/suites/kernels/slow" --compare-to "$A" --max-slowdown 200% >"$T/ct.out" 2>&1
check "run --compare-to slow" 1 $?
contains "run --compare-to slow" "$T/ct.out" "compared with $A"
contains "run --compare-to slow" "$T/ct.out" "slower .*$MUL"
"$BLSVK" run --filter "$MUL" --filter "$ADD" --reps 9 --warmup 2 --no-isolate --report-dir "$T/ct2" \
    --compare-to "$A" --max-slowdown 200% --quiet >"$T/ct2.out" 2>&1
check "run --compare-to same" 0 $?
contains "run --compare-to same" "$T/ct2.out" "compare: no regression"
"$BLSVK" run --filter "$MUL" --report-dir "$T/ct3" --compare-to "$T/nothing-here" >"$T/ct3.out" 2>&1
check "run --compare-to missing" 2 $?
contains "run --compare-to missing" "$T/ct3.out" "nothing-here"

# bench --baseline, and compare on bench files.
BENCH="--fields fr --ops mul --limbs u32 --sizes 4096 --modes resident --chain 0 --reps 9 --warmup 2"
# shellcheck disable=SC2086
"$BLSVK" bench $BENCH --out "$T/b1.json" >"$T/b1.out" 2>&1
check "bench --out" 0 $?
# shellcheck disable=SC2086
"$BLSVK" bench $BENCH --out "$T/b2.json" --baseline "$T/b1.json" --max-slowdown 200% >"$T/b2.out" 2>&1
check "bench --baseline" 0 $?
contains "bench --baseline" "$T/b2.out" "1 compared: 0 slower"
"$BLSVK" compare "$T/b1.json" "$T/b2.json" --max-slowdown 200% --json "$T/b.json" >"$T/b.out" 2>&1
check "compare bench files" 0 $?
contains "compare bench files" "$T/b.json" '"name": "resident fr.mul.u32 resident 4096"'
# The round-trip floor, waited for three ways, each with vkQueueSubmit's own time.
"$BLSVK" bench --fields fr --ops mul --limbs u32 --modes roundtrip --reps 5 --warmup 1 --out "$T/f.json" >"$T/f.out" 2>&1
check "bench roundtrip" 0 $?
for w in "empty submit  " "empty submit, spin" "empty submit, block"; do
    contains "floor: $w" "$T/f.out" "^roundtrip $w .*vkQueueSubmit alone [0-9.]* us"
done

finish
