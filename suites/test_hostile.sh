#!/bin/sh
# suites/test_hostile.sh: blsvk against hostile input (issue 12): devices, FIFOs and pipes where
# files belong, outputs that are not regular files, bad option values, broken JSON, full disks,
# run folders used twice. Each check names the class of input; docs/RELIABILITY.md lists them.
# Usage: test_hostile.sh BLSVK SOURCE_DIR
set -u
BLSVK=$1
SRC=$2
T=$(mktemp -d /tmp/blsvk-hostile-XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
passes=0

check() { # check NAME EXPECTED_STATUS ACTUAL_STATUS
    if [ "$2" = "$3" ]; then
        passes=$((passes + 1))
    else
        echo "FAIL: $1: exit status $3, expected $2" >&2
        [ -f "$T/err" ] && head -c 1000 "$T/err" >&2
        fails=$((fails + 1))
    fi
}
contains() { # contains NAME FILE TEXT
    if grep -q -- "$3" "$2"; then
        passes=$((passes + 1))
    else
        echo "FAIL: $1: '$3' not in $2:" >&2
        head -c 2000 "$2" >&2
        fails=$((fails + 1))
    fi
}
lacks() { # lacks NAME FILE TEXT
    if grep -q -- "$3" "$2"; then
        echo "FAIL: $1: '$3' in $2" >&2
        fails=$((fails + 1))
    else
        passes=$((passes + 1))
    fi
}
# Runs a command with a time limit, so that a hang is a failure and not a stuck test.
limit() { timeout 60 "$@"; }

"$BLSVK" vectors --field fr --op add --set edge --out "$T/e.json" >/dev/null 2>&1; check "edge json" 0 $?
"$BLSVK" vectors --field fr --op add --set edge --out "$T/e.bin" >/dev/null 2>&1; check "edge bin" 0 $?

# --- 4: devices and FIFOs where a file belongs are refused at once, never read.
for dev in /dev/zero /dev/urandom; do
    limit "$BLSVK" ref --in $dev --out "$T/o.json" >"$T/err" 2>&1; check "ref --in $dev" 2 $?
    contains "ref --in $dev" "$T/err" "a character device, not a regular file"
done
mkdir -p "$T/kfifo" && mkfifo "$T/kfifo/fr.add.u32.spv"
limit "$BLSVK" list --kernel-dir "$T/kfifo" >"$T/err" 2>&1; check "list, a FIFO named like a kernel" 2 $?
contains "list, a FIFO named like a kernel" "$T/err" "not a regular file"
mkdir -p "$T/kinc"
printf '#version 450\n#include "/dev/zero"\nvoid main() {}\n' >"$T/kinc/fr.add.u32.comp"
limit "$BLSVK" eval --in "$T/e.json" --out "$T/o.json" --kernel-dir "$T/kinc" >"$T/err" 2>&1
check "#include of /dev/zero" 1 $?
contains "#include of /dev/zero" "$T/err" 'include "/dev/zero": /dev/zero: a character device'
# A pipeline cache file that is a link to a device is neither read nor replaced: the run goes on
# without it.
mkdir -p "$T/pc"
limit "$BLSVK" eval --in "$T/e.json" --out "$T/o.json" --pipeline-cache "$T/pc" >"$T/err" 2>&1
check "eval with a pipeline cache folder" 0 $?
for f in "$T"/pc/*.vkpc; do ln -sf /dev/zero "$f"; done
limit "$BLSVK" eval --in "$T/e.json" --out "$T/o.json" --pipeline-cache "$T/pc" >"$T/err" 2>&1
check "pipeline cache linked to /dev/zero" 0 $?
for f in "$T"/pc/*.vkpc; do [ -L "$f" ]; check "the cache link is not replaced" 0 $?; done
# A kernel file past the cap is refused with the cap named.
mkdir -p "$T/kbig" && truncate -s 65M "$T/kbig/fr.add.u32.spv"
limit "$BLSVK" list --kernel-dir "$T/kbig" >"$T/err" 2>&1; check "a 65 MiB kernel" 2 $?
contains "a 65 MiB kernel" "$T/err" "larger than the limit of 64 MiB"

# --- 5: pipes, FIFOs and - are read once.
cat "$T/e.json" | limit "$BLSVK" ref --in /dev/stdin --out "$T/p1.json" >"$T/err" 2>&1; check "ref --in /dev/stdin" 0 $?
cat "$T/e.bin" | limit "$BLSVK" ref --in - --out "$T/p2.json" >"$T/err" 2>&1; check "ref --in - (binary)" 0 $?
mkfifo "$T/fifo"
(cat "$T/e.json" >"$T/fifo" &)
limit "$BLSVK" ref --in "$T/fifo" --out "$T/p3.json" >"$T/err" 2>&1; check "ref --in a FIFO" 0 $?
limit "$BLSVK" ref --in "$T/e.json" --out - 2>"$T/err" | limit "$BLSVK" ref --in - --out "$T/p4.json" >/dev/null 2>&1
check "ref --out - | ref --in -" 0 $?
contains "ref --out - says so on stderr" "$T/err" "to -"
head -c 100 "$T/e.bin" | limit "$BLSVK" ref --in - --out "$T/p5.json" >"$T/err" 2>&1; check "a cut binary pipe" 2 $?
contains "a cut binary pipe" "$T/err" "truncated"

# --- 6: --out replaces a regular file or nothing.
mkfifo "$T/outfifo"
limit "$BLSVK" vectors --field fr --op add --set edge --out "$T/outfifo" >"$T/err" 2>&1; check "--out a FIFO" 2 $?
contains "--out a FIFO" "$T/err" "refused to replace it"
[ -p "$T/outfifo" ]; check "the FIFO is still there" 0 $?
ln -s "$T/e.json" "$T/link.json"
limit "$BLSVK" vectors --field fr --op add --set edge --out "$T/link.json" >"$T/err" 2>&1; check "--out a symbolic link" 2 $?
[ -L "$T/link.json" ]; check "the link is still there" 0 $?
# (Not tried on a device node: a blsvk without the fix, run as root, would replace it.)
mkdir "$T/outdir"
limit "$BLSVK" ref --in "$T/e.json" --out "$T/outdir" >"$T/err" 2>&1; check "--out a directory" 2 $?
contains "--out a directory" "$T/err" "a directory, not a regular file"

# --- Clear messages: options.
usage() { # usage NAME TEXT ARGS...: exit status 2 and TEXT in the message
    name=$1 text=$2
    shift 2
    limit "$@" >"$T/err" 2>&1; check "$name" 2 $?
    contains "$name" "$T/err" "$text"
}
usage "a missing value" "--filter needs a value" "$BLSVK" run --filter
usage "a missing value (vectors)" "--out needs a value" "$BLSVK" vectors --field fr --out
usage "an abbreviation" "unknown option '--fil'" "$BLSVK" run --fil 'fr.add.u32.persistent.edge.all'
usage "an abbreviation with =" "unknown option '--fil'" "$BLSVK" list --fil=x
usage "an ambiguous abbreviation" "unknown option '--rep'" "$BLSVK" run --rep 3
usage "an abbreviation (vectors)" "unknown option '--fie'" "$BLSVK" vectors --fie fr
usage "a negative --reps" "--reps takes a positive whole number" "$BLSVK" run --reps -1
usage "--workgroup-size 0" "--workgroup-size takes a whole number from 1 to 1024" "$BLSVK" run --workgroup-size 0
usage "--workgroup-size 1025" "not '1025'" "$BLSVK" run --workgroup-size 1025
usage "--workgroup-size 1000000" "not '1000000'" "$BLSVK" eval --in "$T/e.json" --out "$T/o.json" --workgroup-size 1000000
usage "--suite twice" "--suite given twice" "$BLSVK" run --suite quick --suite full
# Every verb: an option that takes a value is given once (--filter adds patterns).
usage "--field twice (vectors)" "--field given twice" "$BLSVK" vectors --field fr --field fp --op add --set edge --out "$T/x.json"
usage "--in twice (ref)" "--in given twice" "$BLSVK" ref --in "$T/e.json" --in "$T/e.json" --out "$T/x.json"
usage "--reps twice (bench)" "--reps given twice" "$BLSVK" bench --reps 3 --reps 4
usage "--suite twice (mutants)" "--suite given twice" "$BLSVK" mutants --suite quick --suite full
usage "--out twice (report merge)" "--out given twice (see blsvk report --help)" "$BLSVK" report merge --out "$T/m1" --out "$T/m2" "$T"
usage "--max twice (report show)" "--max given twice" "$BLSVK" report show --max 3 --max 4 "$T"
usage "--out twice (eval)" "--out given twice" "$BLSVK" eval --in "$T/e.json" --out "$T/x.json" --out "$T/y.json"
limit "$BLSVK" list --filter 'fr.add.*' --filter 'fp.mul.*' >"$T/out" 2>"$T/err"; check "--filter twice adds" 0 $?
contains "--filter twice adds (fr)" "$T/out" "fr.add.u32.oneshot.edge.all"
contains "--filter twice adds (fp)" "$T/out" "fp.mul.u32.oneshot.edge.all"
usage "--pipeline-cache and --no-pipeline-cache" "contradict" "$BLSVK" run --no-pipeline-cache --pipeline-cache "$T/pc"
usage "--pipeline-cache naming a file" "not a directory" "$BLSVK" run --pipeline-cache "$T/e.json"
for bad in abc 0 -5; do
    BLSVK_CHUNK_ELEMS=$bad limit "$BLSVK" eval --in "$T/e.json" --out "$T/o.json" --mode pipelined >"$T/err" 2>&1
    check "BLSVK_CHUNK_ELEMS=$bad" 2 $?
    contains "BLSVK_CHUNK_ELEMS=$bad" "$T/err" "BLSVK_CHUNK_ELEMS takes a whole number"
done

# --- Clear messages: vector files.
printf '{"format":"blsvk-vectors/1","field":"fr","field":"fp","op":"add","cases":[]}' >"$T/dup.json"
usage "a duplicate JSON key" 'duplicate key "field"' "$BLSVK" ref --in "$T/dup.json" --out "$T/o.json"
printf '{"format":"blsvk-vectors/1","fi\\u0000eld":"fr","op":"add","cases":[]}' >"$T/nul.json"
usage "a NUL in a JSON key" 'key holds \\u0000' "$BLSVK" ref --in "$T/nul.json" --out "$T/o.json"
head -c 7 "$T/e.bin" >"$T/p7.bin"
usage "a 7-byte binary prefix" "truncated binary vector file" "$BLSVK" ref --in "$T/p7.bin" --out "$T/o.json"

# --- 7: eval's counts, printed and written, come from one tally; zero cases is a usage error.
printf '{"format":"blsvk-vectors/1","field":"fr","op":"add","cases":[]}' >"$T/zero.json"
usage "eval of a file with no cases" "no cases: nothing to evaluate" "$BLSVK" eval --in "$T/zero.json" --out "$T/o.json"
WPE="$SRC/suites/kernels/write-past-end"
limit "$BLSVK" eval --in "$T/e.json" --out "$T/o.json" --kernel-dir "$WPE" --mode pipelined >"$T/out" 2>"$T/err"
check "eval, a write past the end (pipelined)" 1 $?
contains "eval prints the guard verdict" "$T/out" "4379 pass, 0 fail, guard words damaged"
contains "eval writes the same verdict" "$T/o.json" '"verdict": "fail"'
contains "eval writes the guards" "$T/o.json" '"guards": "damaged"'

# --- 2: the guard after the output is inside the bound range, so every mode catches a write
# one element past the end (a bounds-checking driver such as lavapipe used to drop it).
for m in oneshot persistent; do
    limit "$BLSVK" eval --in "$T/e.json" --out "$T/o.json" --kernel-dir "$WPE" --mode $m >"$T/out" 2>"$T/err"
    check "eval, a write past the end ($m)" 1 $?
    contains "eval, a write past the end ($m)" "$T/err" "kernel wrote past the output range"
done
limit "$BLSVK" run --kernel-dir "$WPE" --filter 'fr.add.u32.*' --report-dir "$T/rwpe" --quiet >/dev/null 2>&1
check "run, a write past the end" 1 $?
lacks "run, a write past the end: no case passes" "$(ls -d "$T"/rwpe/*/[0-9]*)/results.jsonl" '"status":"pass"'
# The inputs are bound with guards too and read back after the dispatch: a kernel that writes
# into x, or past the end of y, fails in one-shot and persistent mode and in eval; in place,
# where out is x, writing x is the point and passes.
for m in oneshot persistent; do
    limit "$BLSVK" eval --in "$T/e.json" --out "$T/o.json" --kernel-dir "$SRC/suites/kernels/writes-input" --mode $m >"$T/out" 2>"$T/err"
    check "eval, a write into input x ($m)" 1 $?
    contains "eval, a write into input x ($m)" "$T/err" "kernel wrote into its input x (element 1 changed)"
    limit "$BLSVK" eval --in "$T/e.json" --out "$T/o.json" --kernel-dir "$SRC/suites/kernels/writes-past-input" --mode $m >"$T/out" 2>"$T/err"
    check "eval, a write past input y ($m)" 1 $?
    contains "eval, a write past input y ($m)" "$T/err" "kernel wrote past the input y range"
done
limit "$BLSVK" eval --in "$T/e.json" --out "$T/o.json" --kernel-dir "$SRC/suites/kernels/writes-input" --bind inplace >"$T/out" 2>"$T/err"
check "eval, writing x in place passes" 0 $?
limit "$BLSVK" run --kernel-dir "$SRC/suites/kernels/writes-input" --filter 'fr.add.u32.*' --report-dir "$T/rwin" --quiet >/dev/null 2>&1
check "run, a write into input x" 1 $?
grep '"event":"result"' "$(ls -d "$T"/rwin/*/[0-9]*)/results.jsonl" | grep 'persistent.inplace.1031' >"$T/inplace"
contains "run, a write into input x: the in-place case passes" "$T/inplace" '"status":"pass"'
contains "run, a write into input x: a persistent case fails" "$(ls -d "$T"/rwin/*/[0-9]*)/results.jsonl" 'kernel wrote into its input x'

# --- 8: I/O errors name the file and the errno and exit 2; a run that cannot write its
# reports says so last.
usage "eval with an unwritable --out" "No such file or directory" "$BLSVK" eval --in "$T/e.json" --out "$T/no/such/dir/o.json"
if [ -w /dev/full ]; then
    limit "$BLSVK" ref --in "$T/e.json" --out - >/dev/full 2>"$T/err"; check "a full disk" 2 $?
    contains "a full disk" "$T/err" "standard output: write failed: No space left on device"
    limit "$BLSVK" vectors --field fr --op add --set edge --format bin --out - >/dev/full 2>"$T/err"; check "a full disk (binary)" 2 $?
    contains "a full disk (binary)" "$T/err" "standard output: write failed: No space left on device"
fi
limit "$BLSVK" run --filter 'fr.add.u32.persistent.edge.all' --report-dir "$T/rw" --quiet >/dev/null 2>&1
check "a run for the report-writing check" 0 $?
RW=$(ls -d "$T"/rw/*/[0-9]*/)
rm "$RW/results.json" && mkdir "$RW/results.json"
limit "$BLSVK" run --resume "$RW" >"$T/out" 2>"$T/err"; check "reports that cannot be written" 2 $?
contains "the verdict is still printed" "$T/out" "verdict: pass"
contains "the failure to write is said" "$T/err" "could not be written"

# --- 10: a run folder is locked while a run or a resume uses it; a log with a result for a case
# that was never planned is refused.
limit "$BLSVK" run --filter 'fr.add.u32.persistent.edge.all' --report-dir "$T/rl" --quiet >/dev/null 2>&1
check "a run for the lock check" 0 $?
RL=$(ls -d "$T"/rl/*/[0-9]*)
if command -v flock >/dev/null 2>&1; then
    limit flock "$RL/.lock" "$BLSVK" run --resume "$RL" >"$T/err" 2>&1; check "a second user of a run folder" 2 $?
    contains "a second user of a run folder" "$T/err" "in use by another blsvk"
fi
lines=$(wc -l <"$RL/results.jsonl")
grep '"event":"result"' "$RL/results.jsonl" | head -n 1 | sed 's/fr\.add\.u32\.persistent\.edge\.all/fr.add.u32.persistent.edge.unplanned/' >>"$RL/results.jsonl"
limit "$BLSVK" run --resume "$RL" >"$T/err" 2>&1; check "a result for an unplanned case" 2 $?
contains "a result for an unplanned case" "$T/err" "which the run never planned"

# --- 9: report merge refuses an output inside an input (or one that holds an input).
mkdir -p "$T/sh3"
limit "$BLSVK" run --filter 'fr.add.u32.persistent.edge.all' --report-dir "$T/sh3/s1" --quiet >/dev/null 2>&1
check "a run for the merge check" 0 $?
usage "merge --out inside an input" "is inside the input" "$BLSVK" report merge "$T/sh3" --out "$T/sh3/s1" --quiet
usage "merge --out holding an input" "holds the input" "$BLSVK" report merge "$T/sh3/s1" --out "$T/sh3" --quiet
[ ! -e "$T/sh3/s1/merged.json" ]; check "nothing written inside the input" 0 $?
limit "$BLSVK" report merge "$T/sh3" --out "$T/m" --quiet >"$T/err" 2>&1; check "merge elsewhere" 0 $?

# --- 3: a failure's replay command reproduces the case: its binding (a kernel that fails only in
# place) and its spirv-opt recipe.
limit "$BLSVK" run --kernel-dir "$SRC/suites/kernels/reread-after-write" --filter 'fr.add.u32.persistent.inplace.*' \
    --report-dir "$T/rp" --quiet --no-pipeline-cache >/dev/null 2>&1
check "an in-place failure" 1 $?
replay=$(grep -o 'blsvk eval --in [^`]*' "$T"/rp/*/[0-9]*/summary.md | head -n 1)
case "$replay" in *"--bind inplace"*) check "the replay command binds in place" 0 0 ;;
                  *) check "the replay command binds in place: $replay" 0 1 ;; esac
# Run from where the run ran (its paths are relative to that), its output kept in $T.
replay=$(printf '%s' "$replay" | sed "s|--out replay-results.json|--out $T/replay.json|")
eval "limit \"\$BLSVK\" ${replay#blsvk }" >/dev/null 2>&1
check "the replay reproduces the in-place failure" 1 $?
limit "$BLSVK" run --kernel-dir "$SRC/suites/kernels/no-reduce" --filter 'fr.add.u32+O.persistent.edge.all' \
    --report-dir "$T/rr" --quiet --no-pipeline-cache >/dev/null 2>&1
check "a recipe case failure" 1 $?
grep -q -- '--recipe O' "$T"/rr/*/[0-9]*/summary.md; check "the replay command names the recipe" 0 $?

# --- 1: a valid module that breaks the kernel ABI (its output in descriptor set 1, which makes
# lavapipe segfault in vkCreateComputePipelines) is refused with what differs; no pipeline is made.
limit "$BLSVK" run --kernel-dir "$SRC/suites/kernels/set1" --filter 'fr.add.u32.*.edge.all' --report-dir "$T/s1" \
    --no-pipeline-cache >"$T/out" 2>&1
check "a kernel with a buffer in set 1" 1 $?
contains "a kernel with a buffer in set 1" "$T/out" "does not follow the kernel ABI: a storage buffer in descriptor set 1"

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
