#!/bin/sh
# suites/test_reduce.sh: blsvk reduce on lavapipe. A kernel that never reduces its sum (wrong for
# about half of random inputs) is reduced for a few steps: the result is a valid module that fails
# exactly the same elements, with the README, disassembly and replay files; a kernel that passes
# has nothing to reduce; a folder with results in it is never written over.
# Usage: test_reduce.sh BLSVK SOURCE_DIR
set -u
BLSVK=$1
SRC=$2
T=$(mktemp -d /tmp/blsvk-reduce-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$SRC/suites/test_lib.sh"

"$BLSVK" devices >/dev/null 2>&1 || { echo "no Vulkan device: skipped"; exit 77; }
command -v spirv-reduce >/dev/null || { echo "no spirv-reduce (spirv-tools): skipped"; exit 77; }

"$BLSVK" vectors --field fr --op add --set random --count 12 --seed 3 --out "$T/v.json" >/dev/null
check "vectors" 0 $?
K=$SRC/suites/kernels/no-reduce
"$BLSVK" eval --in "$T/v.json" --out "$T/before.json" --kernel-dir "$K" >"$T/before.out" 2>&1
check "the kernel fails some elements" 1 $?

"$BLSVK" reduce --in "$T/v.json" --kernel-dir "$K" --out "$T/r" --step-limit 40 >"$T/r.out" 2>&1
check "reduce" 0 $?
for f in README.md original.spv original.spvasm reduced.spv reduced.spvasm signature.txt interesting.sh \
    reduce.log vectors.json kernel/fr.add.u32.spv; do
    [ -s "$T/r/$f" ] && ok || bad "reduce wrote no $f"
done
contains "the summary line" "$T/r.out" 'fr.add.u32: [0-9]* -> [0-9]* instructions'
before=$(sed -n 's/.*fr.add.u32: \([0-9]*\) -> \([0-9]*\) instructions.*/\1/p' "$T/r.out")
after=$(sed -n 's/.*fr.add.u32: \([0-9]*\) -> \([0-9]*\) instructions.*/\2/p' "$T/r.out")
[ -n "$after" ] && [ "$after" -le "$before" ] && ok || bad "reduced module larger: $before -> $after"
contains "README: the sizes" "$T/r/README.md" "from $before to $after instructions"
contains "README: the replay" "$T/r/README.md" 'blsvk eval --in vectors.json --out results.json --kernel-dir kernel'
# The reduced module fails the same elements as the original.
"$BLSVK" eval --in "$T/v.json" --out "$T/after.json" --kernel-dir "$T/r/kernel" >"$T/after.out" 2>&1
check "the reduced module still fails" 1 $?
equal "the same pass/fail counts" "$(sed 's/ (.*//' "$T/after.out")" "$(sed 's/ (.*//' "$T/before.out")"
equal "the signature: one line a wrong element" "$(wc -l <"$T/r/signature.txt")" \
    "$(grep -c '"status": "fail"' "$T/before.json")"

# --- nothing to reduce; results never written over; bad values -----------------------------
"$BLSVK" reduce --in "$T/v.json" --out "$T/p" >"$T/p.out" 2>&1
check "a passing kernel" 2 $?
contains "a passing kernel: said" "$T/p.out" 'nothing to reduce'
cp "$T/r/README.md" "$T/readme.before"
"$BLSVK" reduce --in "$T/v.json" --kernel-dir "$K" --out "$T/r" >"$T/again.out" 2>&1
check "into a folder with results" 2 $?
contains "into a folder with results: said" "$T/again.out" 'not empty'
cmp -s "$T/r/README.md" "$T/readme.before" && ok || bad "reduce wrote over an earlier README"
"$BLSVK" reduce --in "$T/v.json" --kernel-dir "$K" --out "$T/z" --step-limit 0 >"$T/z.out" 2>&1
check "--step-limit 0" 2 $?
"$BLSVK" reduce --in "$T/nowhere.json" --out "$T/n" >"$T/n.out" 2>&1
check "missing vectors" 2 $?
contains "missing vectors: named" "$T/n.out" 'nowhere.json'

# --- differential: right plain, different through a recipe ----------------------------------
"$BLSVK" vectors --field fp --op mul --set random --count 4 --seed 2 --out "$T/m.json" >/dev/null
"$BLSVK" reduce --in "$T/m.json" --kernel-dir "$SRC/suites/kernels/uninit-countdown" --recipe poison --seed 3 \
    --differential --out "$T/d" --step-limit 10 >"$T/d.out" 2>&1
check "differential: the countdown kernel through poison" 0 $?
contains "differential: the test carries the recipe" "$T/d/interesting.sh" '--differential --recipe poison --seed 3'
contains "differential: README says what was kept" "$T/d/README.md" 'right plain'
"$BLSVK" reduce --in "$T/v.json" --kernel-dir "$K" --recipe poison --differential --out "$T/d2" >"$T/d2.out" 2>&1
check "differential: a kernel wrong plain" 2 $?
contains "differential: a kernel wrong plain: said" "$T/d2.out" 'wrong plain on'
"$BLSVK" reduce --in "$T/v.json" --kernel-dir "$K" --differential --out "$T/d3" >"$T/d3.out" 2>&1
check "differential without a recipe" 2 $?

finish
