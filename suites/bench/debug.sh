#!/bin/sh
# suites/bench/debug.sh BLSVK OUT: blsvk's debugging and qualification verbs on a real GPU
# (docs/RELIABILITY.md, "On the H200: compare, reduce, bisect, qualify"): two runs of one build
# compared, then one with a kernel slowed down on purpose (suites/kernels/slow) and one broken on
# purpose (suites/kernels/no-reduce); an Fr add with a one-line bug reduced (its loop-free form,
# suites/kernels/one-line-bug-flat: a candidate with an endless loop costs a GPU seconds); a pass list bisected to the pass
# that breaks the countdown kernel (poison); a qualification archive of the device, checked.
# Written to OUT/log as it goes; the archive and the reduced module are copied into OUT.
# Usage: debug.sh BLSVK OUT [PARTS]   (PARTS: some of "compare reduce bisect qualify", default all)
set -u
B=$1
OUT=$2
PARTS=" ${3:-compare reduce bisect qualify} "
want() { case $PARTS in *" $1 "*) return 0 ;; esac; return 1; }
mkdir -p "$OUT"
. "$(dirname "$0")/gpu_env.sh"
L=$OUT/log
W=$(mktemp -d /tmp/blsvk-debug-XXXXXX)
MUL=fr.mul.u32.persistent.random.4099
ADD=fr.add.u32.persistent.random.4099
run() { # run NAME [options]: one run into $W/NAME
    name=$1
    shift
    t "$B" run --filter "$MUL" --filter "$ADD" --reps 9 --warmup 2 --no-isolate --report-dir "$W/$name" --quiet "$@"
}
if want compare; then
echo "== compare: two runs of one build, then a slowed and a broken kernel" >>"$L"
run a
run a2
run slow --kernel-dir suites/kernels/slow
run broken --kernel-dir suites/kernels/no-reduce
A=$(ls -d "$W"/a/*/2* | head -1)
for r in a2 slow broken; do
    echo "-- compare a $r" >>"$L"
    t "$B" compare "$A" "$(ls -d "$W/$r"/*/2* | head -1)" --markdown "$OUT/compare-$r.md"
done
fi

if want reduce; then
echo "== reduce: the Fr add with a one-line bug, 12 random fr.add inputs" >>"$L"
"$B" vectors --field fr --op add --set random --count 12 --seed 3 --out "$W/v.json" >/dev/null
t timeout ${REDUCE_S:-300} "$B" reduce --in "$W/v.json" --kernel-dir suites/kernels/one-line-bug-flat --out "$W/r" \
    --step-limit ${REDUCE_STEPS:-2500}
[ -f "$W/r/README.md" ] && cp "$W/r/README.md" "$OUT/reduce-README.md" && cp "$W/r/reduced.spvasm" "$OUT/"
grep -h 'instructions' "$W/r/README.md" | head -3 >>"$L"
fi

if want bisect; then
echo "== bisect: the countdown kernel through inline, poison, ssa, ccp" >>"$L"
"$B" vectors --field fp --op mul --set random --count 4 --seed 2 --out "$W/m.json" >/dev/null
t "$B" reduce --in "$W/m.json" --kernel-dir suites/kernels/uninit-countdown --passes "inline,poison,ssa,ccp" \
    --seed 3 --bisect --out "$W/b"
[ -f "$W/b/bisect.txt" ] && cat "$W/b/bisect.txt" >>"$L"
echo "-- the same kernel through -O spelled out, with poison last: nothing before it breaks it" >>"$L"
t "$B" reduce --in "$W/m.json" --kernel-dir suites/kernels/uninit-countdown --passes "O,poison" --seed 3 --bisect \
    --out "$W/b2"
[ -f "$W/b2/bisect.txt" ] && grep -v '^prefix' "$W/b2/bisect.txt" >>"$L"
fi

if want qualify; then
echo "== qualify: the full suite (the curve ops left out) and the bench, one archive, verified" >>"$L"
mkdir -p "$W/q"
t timeout 420 "$B" qualify --device 0 --filter '-g[12].*' --out "$W/q"
a=$(ls "$W"/q/*.tar.gz 2>/dev/null | head -1)
if [ -n "$a" ]; then
    ls -l "$a" >>"$L"
    t "$B" qualify --verify "$a"
    cp "$a" "$OUT/"
fi
fi
cat "$L"
