#!/bin/sh
# suites/bench/devices.sh BLSVK OUT: on a machine with two GPUs, the quick suite on both at once
# (run --device all) against one device after the other, after an untimed run that fills the
# pipeline cache; the figures of docs/PERFORMANCE.md ("Every device at once"), written to OUT/log
# as they come.
set -u
B=$1
OUT=$2
mkdir -p "$OUT"
. "$(dirname "$0")/gpu_env.sh"
L=$OUT/log
$B devices | grep -E '^\[' >>$L
T_QUIET=1
t $B run --suite quick --device all --quiet --report-dir $OUT/warm
for i in 1 2; do
t $B run --suite quick --device 0 --quiet --report-dir $OUT/seq0
t $B run --suite quick --device 1 --quiet --report-dir $OUT/seq1
t $B run --suite quick --device all --quiet --report-dir $OUT/both
done
grep -h '"verdict"' $OUT/both/merged-*/merged.json | head -2 >>$L
grep -h 'cases' $OUT/both/merged-*/summary.md | head -3 >>$L
cat $L
