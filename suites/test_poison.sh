#!/bin/sh
# suites/test_poison.sh: the poison recipe (<limbs>+poison cases). A kernel that reads a variable it
# never wrote must fail poisoned even where the driver leaves zeros there (lavapipe does), with the
# reason "reads undefined values" when the plain module passes; a failed case replays with the
# run's seed; every op of the quick suite has its poisoned edge case; the guard words past an input
# change with the seed.
# Usage: test_poison.sh BLSVK SOURCE_DIR
set -u
BLSVK=$1
SRC=$2
T=$(mktemp -d /tmp/blsvk-poison-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$SRC/suites/test_lib.sh"
latest() { ls -d "$1"/*/[0-9]*/ | tail -1; }

"$BLSVK" devices >/dev/null 2>&1 || { echo "no Vulkan device: skipped"; exit 77; }

# --- the quick suite poisons every op's edge set --------------------------------------------
"$BLSVK" list --suite quick >"$T/quick.txt"
check "list" 0 $?
for k in $(grep -v '+' "$T/quick.txt" | grep '\.persistent\.edge\.all$' | sed 's/\.persistent\.edge\.all$//'); do
    if grep -qx "$k+poison.persistent.edge.all" "$T/quick.txt"; then ok; else bad "quick: no $k+poison edge case"; fi
done

# --- a zeroing loop that counts down: right plain on lavapipe, wrong poisoned ------------------
CD=$SRC/suites/kernels/uninit-countdown
"$BLSVK" run --kernel-dir "$CD" --filter 'fp.mul.u32.persistent.edge.all' --filter 'fp.mul.u32+poison.*' \
    --seed 5 --report-dir "$T/cd" --quiet >"$T/cd.out" 2>&1
check "countdown: the poisoned case fails the run" 1 $?
R=$(latest "$T/cd")
equal "countdown: plain passes (the driver leaves zeros)" "$(status_of "$R/results.json" fp.mul.u32.persistent.edge.all)" pass
equal "countdown: poisoned fails" "$(status_of "$R/results.json" fp.mul.u32+poison.persistent.edge.all)" fail
contains "countdown: the reason" "$R/results.json" '"reason": "reads undefined values: right plain, wrong with its uninitialised variables poisoned: '
contains "countdown: the replay carries the recipe and the seed" "$R/summary.md" 'eval --in .* --recipe poison --seed 5'
replay=$(grep -o 'blsvk eval --in [^`]*--seed 5[^`]*' "$R/summary.md" | head -1 | sed "s#^blsvk#$BLSVK#; s#replay-results.json#$T/replay.json#")
sh -c "$replay" >"$T/replay.out" 2>&1
check "countdown: the replay fails as the case did" 1 $?

# --- no zeroing at all: wrong poisoned, and the reason says it is wrong plain too here --------
"$BLSVK" run --kernel-dir "$SRC/suites/kernels/uninit" --filter 'fp.mul.u32+poison.*' --report-dir "$T/un" \
    --quiet >/dev/null 2>&1
check "unzeroed: fails poisoned" 1 $?
R=$(latest "$T/un")
equal "unzeroed: poisoned fails" "$(status_of "$R/results.json" fp.mul.u32+poison.persistent.edge.all)" fail

# --- the pattern follows the seed: another seed, another module ------------------------------
for s in 1 2; do
    "$BLSVK" run --filter 'fr.neg.u32+poison.*' --seed $s --report-dir "$T/s$s" --quiet >/dev/null 2>&1
    check "built-in fr.neg poisoned, seed $s" 0 $?
    grep -A3 '"name": "fr.neg.u32+poison' "$(latest "$T/s$s")/results.json" >/dev/null
    sed -n '/"name": "fr.neg.u32+poison/,/"sha256"/p' "$(latest "$T/s$s")/results.json" | grep '"sha256"' >"$T/sha$s"
done
if cmp -s "$T/sha1" "$T/sha2"; then bad "seeds 1 and 2 gave the same poisoned module"; else ok; fi
[ -s "$T/sha1" ] && ok || bad "no module hash for the poisoned case"

# --- the guards follow the seed: a read past the input sees another word in another run --------
for s in 1 2; do
    "$BLSVK" run --kernel-dir "$SRC/suites/kernels/read-past-input" --filter 'fr.add.u32.persistent.edge.all' \
        --seed $s --report-dir "$T/g$s" --quiet >/dev/null 2>&1
    check "read past input, seed $s: fails" 1 $?
    grep -m1 '"got"' "$(latest "$T/g$s")/results.json" >"$T/got$s"
done
[ -s "$T/got1" ] && ok || bad "read past input: no wrong value in the results"
if cmp -s "$T/got1" "$T/got2"; then bad "seeds 1 and 2 put the same word past the input"; else ok; fi

finish
