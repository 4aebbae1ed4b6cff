#!/bin/sh
# suites/test_reduce.sh: blsvk reduce on lavapipe. A kernel that never reduces its sum (wrong for
# about half of random inputs) is reduced for a few steps: the result is a valid module that fails
# exactly the same elements, with the README, disassembly and replay files; a kernel that passes
# has nothing to reduce; a folder with results in it is never written over. --bisect finds the
# step of a pass list that breaks a kernel on purpose (poison, on a kernel that reads what it never
# wrote), in a binary search and in a scan of every prefix, and says when there is nothing to bisect.
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

"$BLSVK" reduce --in "$T/v.json" --kernel-dir "$K" --out "$T/r" --step-limit 40 --keep all >"$T/r.out" 2>&1
check "reduce --keep all" 0 $?
for f in README.md original.spv original.spvasm reduced.spv reduced.spvasm signature.txt interesting.sh \
    reduce.log vectors.json kernel/fr.add.u32.spv; do
    [ -s "$T/r/$f" ] && ok || bad "reduce wrote no $f"
done
contains "the summary line" "$T/r.out" 'fr.add.u32: [0-9]* -> [0-9]* instructions'
ls "$T/r" | grep -q '^temp_.*\.spv$' && bad "spirv-reduce's candidates left in the output folder" || ok
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

contains "the test keeps every element" "$T/r/interesting.sh" "'--keep' 'all' --candidate"
# The test asks the reduction's server; with none (the reduction over, its socket gone) the client
# says so (2) and the script checks the candidate in a process of its own.
"$BLSVK" reduce --ask "$T/no-such.sock" --candidate "$T/r/reduced.spv" >/dev/null 2>&1
check "--ask with no server: 2" 2 $?
"$BLSVK" reduce --ask "$T/no-such.sock" >/dev/null 2>&1
check "--ask without --candidate: usage" 2 $?
"$BLSVK" reduce --serve "$T/s.sock" --in "$T/v.json" >"$T/serve.out" 2>&1
check "--serve without --check: usage" 2 $?
contains "--serve without --check: said" "$T/serve.out" 'goes with --check'
sh "$T/r/interesting.sh" "$T/r/reduced.spv" >/dev/null 2>&1
check "all: the reduced module passes its test, checked by hand" 0 $?
sh "$T/r/interesting.sh" "$T/r/no-such.spv" >/dev/null 2>&1
check "all: a missing candidate is not interesting" 1 $?

# --- the default: the first wrong element, with its wrong value -------------------------------
"$BLSVK" reduce --in "$T/v.json" --kernel-dir "$K" --out "$T/f" --step-limit 40 >"$T/f.out" 2>&1
check "reduce (--keep first)" 0 $?
contains "first: the summary line" "$T/f.out" 'the same first wrong element'
contains "first: the test" "$T/f/interesting.sh" "'--keep' 'first' --candidate"
# The signature carries each wrong value; the reduced module is interesting by its own test, and
# a module that is wrong another way (the original checked against another signature) is not.
head -1 "$T/f/signature.txt" | grep -q '^[0-9]* [a-z ]* [0-9a-f]\{64\}$' && ok || bad "signature line without its value"
sh "$T/f/interesting.sh" "$T/f/reduced.spv" >/dev/null 2>&1
check "first: the reduced module passes its test" 0 $?
sed '1s/ [0-9a-f]*$/ 00/' "$T/f/signature.txt" >"$T/other.txt"
"$BLSVK" reduce --check "$T/other.txt" --candidate "$T/f/original.spv" --in "$T/v.json" >/dev/null 2>&1
check "first: another wrong value is another failure" 1 $?
"$BLSVK" reduce --in "$T/v.json" --kernel-dir "$K" --out "$T/k" --keep some >"$T/k.out" 2>&1
check "--keep some" 2 $?
contains "--keep some: said" "$T/k.out" "keep 'some'"

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
contains "differential: the test carries the recipe" "$T/d/interesting.sh" "'--differential' '--recipe' 'poison' '--seed' '3'"
contains "differential: README says what was kept" "$T/d/README.md" 'right plain'
"$BLSVK" reduce --in "$T/v.json" --kernel-dir "$K" --recipe poison --differential --out "$T/d2" >"$T/d2.out" 2>&1
check "differential: a kernel wrong plain" 2 $?
contains "differential: a kernel wrong plain: said" "$T/d2.out" 'wrong plain on'
"$BLSVK" reduce --in "$T/v.json" --kernel-dir "$K" --differential --out "$T/d3" >"$T/d3.out" 2>&1
check "differential without a recipe" 2 $?
# A list the kernel cannot go through (a pass that fixes the workgroup size breaks the ABI): the
# input's fault, exit 2 with the pass named, not a device error.
"$BLSVK" reduce --in "$T/m.json" --kernel-dir "$SRC/suites/kernels/uninit-countdown" --passes freeze-spec-const \
    --differential --out "$T/d4" >"$T/d4.out" 2>&1
check "differential: a list that breaks the ABI" 2 $?
contains "differential: a list that breaks the ABI: said" "$T/d4.out" 'freeze-spec-const.*kernel ABI'

# --- bisect: the first pass whose output fails ----------------------------------------------
# The countdown kernel is right plain and wrong poisoned: among harmless passes, poison (step #2)
# is where the list turns. Each new module of this kernel is a pipeline compile of about 3 s on
# lavapipe (without Mesa's shader cache): the lists are short, and "nothing to bisect" is shown on
# the built-in fr.add, which compiles in a fraction of that.
U=$SRC/suites/kernels/uninit-countdown
"$BLSVK" reduce --in "$T/m.json" --kernel-dir "$U" --passes "inline,poison,ssa,ccp" --seed 3 --bisect \
    --out "$T/b" >"$T/b.out" 2>&1
check "bisect: a list with poison in it" 0 $?
contains "bisect: poison named, with its index" "$T/b.out" 'first failing pass: #2 poison (of 4)'
for f in README.md bisect.txt before.spv before.spvasm after.spv after.spvasm kernel/fp.mul.u32.spv vectors.json; do
    [ -s "$T/b/$f" ] && ok || bad "bisect wrote no $f"
done
contains "bisect.txt: the answer" "$T/b/bisect.txt" '^first failing pass: #2 poison (of 4)$'
contains "bisect.txt: the list spelled out" "$T/b/bisect.txt" \
    '^passes: inline-entry-points-exhaustive,poison,eliminate-local-multi-store,ccp$'
contains "bisect.txt: the step before passes" "$T/b/bisect.txt" '^prefix 1 pass '
contains "bisect.txt: the step fails" "$T/b/bisect.txt" '^prefix 2 fail '
lacks "bisect: a binary search skips prefix 3" "$T/b/bisect.txt" '^prefix 3 '
contains "bisect README: the answer" "$T/b/README.md" 'first failing pass: #2 poison (of 4)'
contains "bisect README: the replay" "$T/b/README.md" '--kernel-dir kernel --limbs u32 --mode persistent --seed 3 --passes poison'
# The README's replay: the module before the pass is right, that module through the pass alone is not.
"$BLSVK" eval --in "$T/b/vectors.json" --out "$T/b-after.json" --kernel-dir "$T/b/kernel" --seed 3 --passes poison \
    >"$T/b-after.out" 2>&1
check "bisect: the module before, through poison" 1 $?
"$BLSVK" reduce --in "$T/m.json" --kernel-dir "$U" --passes "poison ssa" --seed 3 --bisect --scan \
    --out "$T/s" >"$T/s.out" 2>&1
check "bisect --scan" 0 $?
contains "bisect --scan: poison named" "$T/s.out" 'first failing pass: #1 poison (of 2)'
equal "bisect --scan: every prefix ran" "$(grep -c '^prefix ' "$T/s/bisect.txt")" 3
contains "bisect --scan: where the verdict turns" "$T/s/bisect.txt" '^turns: #1 fails$'

# Nothing to bisect: right through the whole list, or wrong plain; and lists nobody can run.
"$BLSVK" reduce --in "$T/v.json" --recipe O --bisect --out "$T/b2" >"$T/b2.out" 2>&1
check "bisect: right through recipe O" 2 $?
contains "bisect: right through recipe O: said" "$T/b2.out" 'through all [0-9]* steps of recipe O.*nothing to bisect'
"$BLSVK" reduce --in "$T/v.json" --kernel-dir "$K" --recipe ssa --bisect --out "$T/b3" >"$T/b3.out" 2>&1
check "bisect: a kernel wrong plain" 2 $?
contains "bisect: a kernel wrong plain: said" "$T/b3.out" 'fails plain.*nothing to bisect'
"$BLSVK" reduce --in "$T/m.json" --kernel-dir "$U" --passes "ssa,no-such-pass,ccp" --bisect --out "$T/b4" \
    >"$T/b4.out" 2>&1
check "bisect: an unknown pass" 2 $?
contains "bisect: an unknown pass: named" "$T/b4.out" "unknown pass 'no-such-pass'"
[ ! -e "$T/b4" ] && ok || bad "bisect: an unknown pass made the folder"
"$BLSVK" eval --in "$T/m.json" --out "$T/e.json" --passes "inline,,O3" >"$T/e.out" 2>&1
check "eval: an unknown pass" 2 $?
contains "eval: an unknown pass: named" "$T/e.out" "unknown pass 'O3'"
"$BLSVK" reduce --in "$T/m.json" --kernel-dir "$U" --bisect --out "$T/b5" >"$T/b5.out" 2>&1
check "bisect without a list" 2 $?
"$BLSVK" reduce --in "$T/m.json" --kernel-dir "$U" --recipe O --passes ssa --bisect --out "$T/b6" >"$T/b6.out" 2>&1
check "--recipe and --passes" 2 $?

# The loop-free one-line bug (the GPU's reduction): no loop in the module for a step to make
# endless, and it reduces like the looped kernel.
"$BLSVK" reduce --in "$T/v.json" --kernel-dir "$SRC/suites/kernels/one-line-bug-flat" --out "$T/flat" \
    --step-limit 100 >"$T/flat.out" 2>&1
check "the loop-free kernel reduces" 0 $?
lacks "the loop-free kernel has no loop" "$T/flat/original.spvasm" "OpLoopMerge"
contains "the loop-free kernel: its first wrong element kept" "$T/flat.out" "the same first wrong element"
finish
