#!/bin/sh
# suites/bench/isolate.sh BLSVK OUT: `run --isolate` against a kernel that never finishes on a real
# GPU (suites/kernels/hang/fr.mul.u32.comp: endless outside lavapipe): the case must end as timeout,
# the worker be killed, and the next cases pass in a fresh worker. Prints how long a fresh worker
# took to open the device after the kill, and the whole run's time.
set -u
BLSVK=$1
OUT=$2
. "$(dirname "$0")/gpu_env.sh"
mkdir -p "$OUT"
s=$(date +%s.%N)
"$BLSVK" run --isolate --kernel-dir suites/kernels/hang --timeout-ms 2000 --no-pipeline-cache --report-dir "$OUT/iso" \
    --filter 'fr.sqr.u32.oneshot.edge.all,fr.mul.u32.oneshot.edge.all,fr.sqr.u32.persistent.random.4099' \
    --filter 'fr.sqr.u32.pipelined.edge.all' >"$OUT/isolate.txt" 2>&1
rc=$?
e=$(date +%s.%N)
echo "run --isolate over the endless kernel: exit $rc (1 expected: one timeout) in $(awk "BEGIN{print $e - $s}") s"
grep -E "^(timeout|crash|skipped|fail) |isolation:|verdict" "$OUT/isolate.txt" | cut -c1-300
