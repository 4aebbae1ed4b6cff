#!/bin/sh
# suites/bench/ntt.sh BLSVK OUT: the Fr NTT workloads on a GPU beside the CUDA library's (sppark's
# peer_curve, carried in .peer/ as ../shared/peer/README.md says), each stage timed (docs/PERFORMANCE.md,
# "The Fr NTT workload"): forward and inverse, u64 and u32, 2^16 and 2^20 at two workgroup sizes,
# then the forward 2^24. Written to OUT/log as it goes; the cases' JSON (stages_us) to OUT/ntt-*.json.
# Usage: ntt.sh BLSVK OUT   (give it 3 minutes: the GMP reference takes 1.5 s a 2^20 input)
set -u
B=$1
OUT=$2
mkdir -p "$OUT"
. "$(dirname "$0")/gpu_env.sh"
L=$OUT/log
[ -x .peer/bin/peer_curve ] && t timeout 60 .peer/bin/peer_curve
for W in 64 256; do
    t timeout 90 "$B" workload --workload fr.ntt,fr.intt --limbs u64,u32 --log-n 16,20 --set random --reps 10 \
        --warmup 2 --workgroup-size $W --stages --json "$OUT/ntt-wg$W.json"
done
t timeout 120 "$B" workload --workload fr.ntt --limbs u64 --log-n 24 --set random --reps 10 --warmup 2 --stages \
    --json "$OUT/ntt-24.json"
cat "$L"
