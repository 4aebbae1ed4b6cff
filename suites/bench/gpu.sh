#!/bin/sh
# suites/bench/gpu.sh: the measurements behind docs/PERFORMANCE.md, for a headless NVIDIA
# machine that has no Vulkan loader of its own: unpacks Debian's loader (carried as .deb files
# in .gl/), points the loader at the driver's EGL-based ICD (see README, "Headless NVIDIA
# machines"), then runs the conformance suite and the benchmarks.
# Usage: suites/bench/gpu.sh BLSVK OUTDIR [quick|full] [extra bench options...]
set -u
BLSVK=$1
OUT=$2
SUITE=${3:-full}
shift 3 2>/dev/null || shift $#
if [ -d .gl ] && ! ldconfig -p | grep -q libvulkan.so.1; then
    for f in .gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
fi
if [ -z "${VK_DRIVER_FILES:-}" ]; then
    egl=$(ls /usr/local/nvidia/lib64/libEGL_nvidia.so.0 /usr/lib/x86_64-linux-gnu/libEGL_nvidia.so.0 2>/dev/null | head -1)
    if [ -n "$egl" ]; then
        printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.4.312"}}' "$egl" \
            >/tmp/nvidia_egl_icd.json
        export VK_DRIVER_FILES=/tmp/nvidia_egl_icd.json VK_ICD_FILENAMES=/tmp/nvidia_egl_icd.json
    fi
fi
mkdir -p "$OUT"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.mem --format=csv >"$OUT/nvidia-smi.txt" 2>&1
"$BLSVK" devices 2>&1 | tee "$OUT/devices.txt"
"$BLSVK" run --suite "$SUITE" --bounds --report-dir "$OUT/reports" >"$OUT/run.txt" 2>&1
echo "blsvk run --suite $SUITE: exit $?"
tail -30 "$OUT/run.txt"
for f in results.json report.html summary.md junit.xml; do find "$OUT/reports" -name "$f" -exec cp {} "$OUT/$f" \;; done
"$BLSVK" bench --out "$OUT/bench.json" "$@" 2>&1 | tee "$OUT/bench.txt"
