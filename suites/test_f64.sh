#!/bin/sh
# suites/test_f64.sh: the f64 variant (Montgomery products on double-precision FMAs). Its constants
# are what kernels/gen_f64.py derives; its built-in kernels run where the fma probe says the
# device's fma is fused and are NotSupported, with the probe's answer, where it is not (lavapipe);
# the same arithmetic with an exact software fma (suites/kernels/f64-soft-fma) passes its cases on
# any device, so the arithmetic is checked where the hardware path cannot run.
# Usage: test_f64.sh BLSVK SOURCE_DIR
set -u
BLSVK=$1
SRC=$2
T=$(mktemp -d /tmp/blsvk-f64-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$SRC/suites/test_lib.sh"

python3 "$SRC/kernels/gen_f64.py" --check >"$T/gen.out" 2>&1
check "gen_f64.py --check: bv_f64.glsl's constants and the algorithm's model" 0 $?

"$BLSVK" devices >/dev/null 2>&1 || { echo "no Vulkan device: skipped"; exit 77; }
latest() { ls -d "$1"/*/[0-9]*/ | tail -1; }

# --- the built-in f64 kernels: every op of both fields made of products, in the quick suite -----
"$BLSVK" list --suite quick >"$T/quick.txt"
for k in fp.mul fp.sqr fp.to_mont fp.from_mont fp.inv fr.mul fr.sqr fr.to_mont fr.from_mont fr.inv fp2.mul fp2.sqr; do
    grep -q "^$k.f64.persistent.edge.all$" "$T/quick.txt" && ok || bad "quick: no $k.f64 edge case"
done
grep -q '^fp.add.f64' "$T/quick.txt" && bad "quick: an f64 add (no such kernel)" || ok
grep -q '^fp2.conj.f64' "$T/quick.txt" && bad "quick: an f64 fp2 conj (no such kernel)" || ok
"$BLSVK" run --filter 'f[pr].*.f64.persistent.*' --filter 'fp2.*.f64.persistent.*' --filter '-*+*' --report-dir "$T/b" --quiet >"$T/b.out" 2>&1
check "built-in f64: a verdict of pass (run or NotSupported)" 0 $?
R=$(latest "$T/b")
if grep -q '^| double fma | fused ' "$R/summary.md"; then
    contains "fused fma: the f64 cases run and pass" "$R/summary.md" '^| cases | [0-9]* cases: [0-9]* pass |$'
else
    contains "no fused fma: the f64 cases are NotSupported" "$R/summary.md" '^| cases | [0-9]* cases: [0-9]* not-supported |$'
    contains "no fused fma: the reason" "$R/results.json" "the kernel's products need a fused double fma, and the fma of .* is "
fi

# --- the same arithmetic with the software fma: runs here, every case right -------------------
"$BLSVK" run --kernel-dir "$SRC/suites/kernels/f64-soft-fma" --filter 'f[pr].*.f64.persistent.*' \
    --filter 'f[pr].*.f64.oneshot.*' --filter 'fp2.*.f64.persistent.*' --filter 'fp2.*.f64.oneshot.*' \
    --filter '-*+*' --report-dir "$T/s" --quiet >"$T/s.out" 2>&1
check "soft-fma f64 kernels pass" 0 $?
R=$(latest "$T/s")
contains "soft-fma: every case ran and passed (Fp2's product, square and inverse too)" "$R/summary.md" \
    '^| cases | 71 cases: 71 pass |$'

finish
