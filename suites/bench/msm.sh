#!/bin/sh
# suites/bench/msm.sh BLSVK OUT [DIR|PATCH...]: the G1 MSM workload on a GPU beside the CUDA library's
# (sppark's peer_curve, carried in .peer/ as ../shared/peer/README.md says), each stage timed
# (docs/PERFORMANCE.md, "The G1 MSM workload"): random inputs at 2^12 to 2^22 (u64), the same at
# 2^16 to 2^22 for each DIR (a folder with a g1.msm.json of other settings, run by --kernel-dir;
# or a patch, such as suites/bench/msm-variants/*.patch, applied to a copy of the built-in MSM
# in OUT first: patch(1) must be where the script runs),
# a correctness pass under the validation layer (every named edge, u64 at n = 1 to 2^10, u32 to
# 2^3), and u32 at 2^16 last (the NVIDIA driver takes over a minute to compile the u32 module).
# Then the same random inputs with the stages of bv_msm not specialized (a folder made from the
# built-in sources without the manifest's "specialize": the gain of one pipeline a stage), and
# batches through a ring of buffer sets against one after another (the NTT at 64 x 2^16, the MSM
# at 8 x 2^16). Written to OUT/log as it goes; the cases' JSON (stages_us) to OUT/msm-*.json.
# Usage: msm.sh BLSVK OUT [DIR|PATCH...]   (give it 10 minutes)
set -u
B=$1
OUT=$2
shift 2
mkdir -p "$OUT"
. "$(dirname "$0")/gpu_env.sh"
L=$OUT/log
[ -x .peer/bin/peer_curve ] && t timeout 60 .peer/bin/peer_curve
t timeout 150 "$B" workload --workload g1.msm --limbs u64 --log-n 12,16,20,22 --set random --reps 5 \
    --warmup 1 --stages --json "$OUT/msm-u64.json"
for D in "$@"; do
    case $D in *.patch)
        P=$D
        D=$OUT/variant-$(basename "$P" .patch)
        mkdir -p "$D"
        cp kernels/workloads/g1.msm.json kernels/workloads/bv_msm*.comp kernels/workloads/bv_msm.glsl "$D/"
        patch -s -d "$D" -p1 <"$P" || { echo "msm.sh: $P does not apply" >>"$L"; continue; } ;;
    esac
    t timeout 100 "$B" workload --workload g1.msm --kernel-dir "$D" --limbs u64 --log-n 16,20,22 --set random \
        --reps 5 --warmup 1 --stages --json "$OUT/msm-$(basename "$D").json"
done
ND=$(mktemp -d /tmp/msm-nospec-XXXXXX)
cp kernels/workloads/bv_msm.comp kernels/workloads/bv_msm_chunks.comp kernels/workloads/bv_msm.glsl "$ND/"
sed 's/"specialize": "[0-9]*", //' kernels/workloads/g1.msm.json >"$ND/g1.msm.json"
t timeout 100 "$B" workload --workload g1.msm --kernel-dir "$ND" --limbs u64 --log-n 16,20 --set random \
    --reps 5 --warmup 1 --stages --json "$OUT/msm-nospec.json"
t timeout 60 "$B" workload --workload fr.ntt --limbs u64 --log-n 16 --batch 64 --ring 3
t timeout 60 "$B" workload --workload g1.msm --limbs u64 --log-n 16 --batch 8 --ring 3
t timeout 150 "$B" workload --workload g1.msm --limbs u64 --log-n 0-10 --validate --quiet --reps 1 --warmup 0 \
    --json "$OUT/msm-validate.json"
t timeout 100 "$B" workload --workload g1.msm --limbs u32 --log-n 0-3 --validate --quiet --reps 1 --warmup 0 \
    --json "$OUT/msm-validate-u32.json"
t timeout 100 "$B" workload --workload g1.msm --limbs u32 --log-n 16 --set random --reps 3 --warmup 1 --stages \
    --json "$OUT/msm-u32.json"
cat "$L"
