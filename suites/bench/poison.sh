#!/bin/sh
# suites/bench/poison.sh BLSVK OUT: the poison recipe on a real GPU (docs/RELIABILITY.md, "Poison"):
# the two uninitialised-accumulator kernels of suites/kernels/ plain and poisoned (the issue's claim:
# both pass plain on the H200), every built-in op's poisoned edge case, and what poisoning costs
# against the same cases plain. Written to OUT/log as it goes.
set -u
B=$1
OUT=$2
mkdir -p "$OUT"
. "$(dirname "$0")/gpu_env.sh"
L=$OUT/log
. "$(dirname "$0")/../test_lib.sh"
t() { s=$(date +%s.%N); "$@" >>"$L" 2>&1; rc=$?; e=$(date +%s.%N); echo "  exit $rc in $(awk "BEGIN{printf \"%.1f\", $e - $s}") s: $*" >>"$L"; }
for k in uninit uninit-countdown; do
    echo "== $k: fp.mul.u32 plain and poisoned" >>"$L"
    t "$B" run --kernel-dir "suites/kernels/$k" --filter 'fp.mul.u32.*' --filter '-*+O*' --filter '-*+unroll*' \
        --filter '-*+inline*' --filter '-*+sroa*' --filter '-*+ssa*' --quiet --report-dir "$OUT/$k"
    R=$(ls "$OUT/$k"/*/[0-9]*/results.json | tail -1)
    for c in fp.mul.u32.persistent.edge.all fp.mul.u32.persistent.random.4099 fp.mul.u32+poison.persistent.edge.all; do
        echo "  $c: $(status_of "$R" "$c")" >>"$L"
    done
done
echo "== every built-in op, poisoned edge sets, then the same cases plain" >>"$L"
t "$B" run --suite quick --filter '*+poison.*' --quiet --report-dir "$OUT/poisoned"
grep -h '^| cases |' "$OUT"/poisoned/*/[0-9]*/summary.md >>"$L"
t "$B" run --suite quick --filter '*.persistent.edge.all' --filter '-*+*' --quiet --report-dir "$OUT/plain"
grep -h '^| cases |' "$OUT"/plain/*/[0-9]*/summary.md >>"$L"
cat "$L"
