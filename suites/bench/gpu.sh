#!/bin/sh
# suites/bench/gpu.sh: the measurements behind docs/PERFORMANCE.md, for a headless NVIDIA
# machine (gpu_env.sh sets the loader, the driver and the validation layer up): the quick suite
# under the validation layer, then the conformance suite and the benchmarks.
# Usage: suites/bench/gpu.sh BLSVK OUTDIR [quick|full] [extra bench options...]
set -u
BLSVK=$1
OUT=$2
SUITE=${3:-full}
shift 3 2>/dev/null || shift $#
. "$(dirname "$0")/gpu_env.sh"
mkdir -p "$OUT"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.mem --format=csv >"$OUT/nvidia-smi.txt" 2>&1
"$BLSVK" devices 2>&1 | tee "$OUT/devices.txt"
# Validation first: a driver team runs blsvk with the layer on, and blsvk itself must be clean.
"$BLSVK" run --suite quick --validate --quiet --report-dir "$OUT/validate" >"$OUT/validate.txt" 2>&1
echo "blsvk run --suite quick --validate: exit $?"
tail -5 "$OUT/validate.txt"
"$BLSVK" run --suite "$SUITE" --bounds --report-dir "$OUT/reports" >"$OUT/run.txt" 2>&1
echo "blsvk run --suite $SUITE: exit $?"
tail -30 "$OUT/run.txt"
for f in results.json report.html summary.md junit.xml; do find "$OUT/reports" -name "$f" -exec cp {} "$OUT/$f" \;; done
"$BLSVK" bench --out "$OUT/bench.json" "$@" 2>&1 | tee "$OUT/bench.txt"
