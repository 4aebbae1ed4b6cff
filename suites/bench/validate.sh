#!/bin/sh
# suites/bench/validate.sh BLSVK OUT [full]: blsvk under the Khronos validation layer on a real GPU,
# the figures behind docs/RELIABILITY.md ("Validation"): the quick suite (and the full one with
# `full`) and bench with synchronization validation, each message counted; the queue-role checks on
# (BLSVK_CHECK_COMMANDS); and GPU-assisted validation naming a planted out-of-bounds write and read,
# with what it costs against the same cases unvalidated.
set -u
BLSVK=$1
OUT=$2
FULL=${3:-}
. "$(dirname "$0")/gpu_env.sh"
export BLSVK_CHECK_COMMANDS=1
mkdir -p "$OUT"
"$BLSVK" devices | head -12
t() { s=$(date +%s.%N); "$@"; rc=$?; e=$(date +%s.%N); echo "  exit $rc in $(awk "BEGIN{print $e - $s}") s"; }
echo "== quick suite, synchronization validation"
t "$BLSVK" run --suite quick --validate --quiet --no-pipeline-cache --report-dir "$OUT/vq" >"$OUT/vq.txt" 2>&1
tail -4 "$OUT/vq.txt"
grep -c '"status":"fail"' "$OUT"/vq/*/[0-9]*/results.jsonl
echo "== bench (all modes), synchronization validation"
t "$BLSVK" bench --validate --reps 3 --warmup 1 --out "$OUT/bench-validate.json" >"$OUT/bench-validate.txt" 2>&1
grep -E "validation layer|WRONG|blsvk bench:" "$OUT/bench-validate.txt" | head -5
if [ "$FULL" = full ]; then
    echo "== full suite, synchronization validation"
    t "$BLSVK" run --suite full --validate --quiet --no-pipeline-cache --report-dir "$OUT/vf" >"$OUT/vf.txt" 2>&1
    tail -4 "$OUT/vf.txt"
fi
echo "== GPU-assisted validation: planted out-of-bounds accesses"
F='fr.add.u32.persistent.random.4099,fr.add.u32.oneshot.edge.all'
for k in oob-write oob-read; do
    echo "-- $k, no validation"
    t "$BLSVK" run --kernel-dir suites/kernels/$k --filter "$F" --no-pipeline-cache --report-dir "$OUT/$k" 2>&1 |
        grep -E '^ *(fail|pass) |verdict' | cut -c1-300
    echo "-- $k, --validate gpu"
    t "$BLSVK" run --kernel-dir suites/kernels/$k --filter "$F" --validate gpu --no-pipeline-cache \
        --report-dir "$OUT/$k-gpu" 2>&1 | grep -E '^ *(fail|pass) |verdict' | cut -c1-400
done
echo "== what GPU-assisted validation costs: the quick suite's fr cases, plain / sync / gpu"
for v in "" "--validate" "--validate gpu"; do
    s=$(date +%s.%N)
    "$BLSVK" run --suite quick --filter 'fr.*' $v --quiet --no-pipeline-cache --report-dir "$OUT/cost" >/dev/null 2>&1
    rc=$?
    e=$(date +%s.%N)
    echo "  ${v:-no validation}: exit $rc in $(awk "BEGIN{print $e - $s}") s"
done
