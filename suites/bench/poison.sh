#!/bin/sh
# suites/bench/poison.sh BLSVK OUT: the poison recipe on a real GPU (docs/RELIABILITY.md, "Poison"):
# the two uninitialised-accumulator kernels of suites/kernels/ plain and poisoned (the issue's claim:
# both pass plain on the H200), the poison-class mutants that need a GPU's answer (MUTANTS: a copy
# of <build>/suites/mutants; optional), every built-in op's poisoned edge case, and what poisoning
# costs against the same cases plain. Written to OUT/log as it goes.
# Usage: poison.sh BLSVK OUT [MUTANTS]
set -u
B=$1
OUT=$2
MUT=${3:-}
mkdir -p "$OUT"
. "$(dirname "$0")/gpu_env.sh"
L=$OUT/log
. "$(dirname "$0")/../test_lib.sh"
for k in uninit uninit-countdown; do
    echo "== $k: fp.mul.u32 plain and poisoned" >>"$L"
    t "$B" run --kernel-dir "suites/kernels/$k" --filter 'fp.mul.u32.persistent.edge.all' \
        --filter 'fp.mul.u32.persistent.random.4099' --filter 'fp.mul.u32+poison.persistent.edge.all' \
        --timeout-ms 2000 --quiet --report-dir "$OUT/$k"
    R=$(ls "$OUT/$k"/*/[0-9]*/results.json | tail -1)
    for c in fp.mul.u32.persistent.edge.all fp.mul.u32.persistent.random.4099 fp.mul.u32+poison.persistent.edge.all; do
        echo "  $c: $(status_of "$R" "$c")" >>"$L"
    done
done
# A mutant's modules as a kernel folder: its cases are the built-in ones with the broken kernels.
for m in from-mont-one-countdown stage-skips-barrier mont-mul-accumulator-unzeroed; do
    [ -n "$MUT" ] && [ -d "$MUT/$m" ] || continue
    case $m in
    from-mont*) f='f[pr].from_mont' ;;
    stage*) f='f[pr].add' ;;
    *) f='f[pr].mul' ;;
    esac
    echo "== mutant $m ($f), plain and poisoned" >>"$L"
    t "$B" run --kernel-dir "$MUT/$m" --filter "$f.u[36][24].persistent.edge.all" --filter "$f.u[36][24].persistent.random.4099" \
        --filter "$f.u[36][24]+poison.persistent.edge.all" --timeout-ms 2000 --quiet --report-dir "$OUT/$m"
    S=$(ls "$OUT/$m"/*/[0-9]*/summary.md | tail -1)
    grep -h '^| cases |' "$S" >>"$L"
    sed -n '/^### /,/^- element/p' "$S" | grep -v '^- element' | head -20 >>"$L"
done
echo "== every built-in op, poisoned edge sets, then the same cases plain" >>"$L"
t "$B" run --suite quick --filter '*+poison.*' --quiet --report-dir "$OUT/poisoned"
grep -h '^| cases |' "$OUT"/poisoned/*/[0-9]*/summary.md >>"$L"
t "$B" run --suite quick --filter '*.persistent.edge.all' --filter '-*+*' --quiet --report-dir "$OUT/plain"
grep -h '^| cases |' "$OUT"/plain/*/[0-9]*/summary.md >>"$L"
cat "$L"
