#!/bin/sh
# suites/bench/curve.sh BLSVK OUT: on a GPU machine, sppark's curve figures (peer_curve, carried in
# .peer/), G1 and G2 throughput on resident data, then the curve suite; written to OUT/log as they
# come (docs/PERFORMANCE.md, "G1 and G2 on the NVIDIA H200").
set -u
B=$1
OUT=$2
mkdir -p "$OUT"
. "$(dirname "$0")/gpu_env.sh"
L=$OUT/log
timeout 100 .peer/bin/peer_curve >>$L 2>&1
t timeout 120 $B bench --fields g1 --ops add,dbl,madd,neg --limbs u64,u32 --modes resident --sizes 2097152 --reps 10 --warmup 2 --out $OUT/g1.json
t timeout 100 $B bench --fields g2 --ops add,dbl --limbs u64 --modes resident --sizes 1048576 --reps 10 --warmup 2 --out $OUT/g2.json
t timeout 150 $B run --suite curve --quiet --report-dir $OUT/curve
grep -h '"verdict"' $OUT/curve/*/[0-9]*/results.json | head -1 >>$L
cat $L
