# suites/bench/gpu_env.sh: sourced by the GPU scripts. On a headless NVIDIA machine with no Vulkan
# loader of its own: unpacks Debian's loader (carried as .deb files in .gl/), points it at the
# driver's EGL-based ICD (README, "Headless NVIDIA machines"), and makes the Khronos validation
# layer (vulkan-validationlayers in .gl/, unpacked under /tmp so that it cannot break the system)
# and any other carried library (libgmp10) or tool (spirv-tools) findable.
if [ -d .gl ] && ! ldconfig -p | grep -q libvulkan.so.1; then
    for f in .gl/libvulkan1_*.deb; do dpkg -x "$f" /; done
    ldconfig
fi
if [ -d .gl ]; then
    mkdir -p /tmp/bv-extra
    for f in .gl/*.deb; do
        case "$f" in *libvulkan1_*) ;; *) dpkg -x "$f" /tmp/bv-extra ;; esac
    done
    export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/tmp/bv-extra/usr/lib/x86_64-linux-gnu"
    # Carried tools (spirv-tools: spirv-reduce and spirv-dis for blsvk reduce).
    export PATH="$PATH:/tmp/bv-extra/usr/bin"
    [ -d /tmp/bv-extra/usr/share/vulkan/explicit_layer.d ] &&
        export VK_LAYER_PATH=/tmp/bv-extra/usr/share/vulkan/explicit_layer.d
fi
if [ -z "${VK_DRIVER_FILES:-}" ]; then
    egl=$(ls /usr/local/nvidia/lib64/libEGL_nvidia.so.0 /usr/lib/x86_64-linux-gnu/libEGL_nvidia.so.0 2>/dev/null | head -1)
    if [ -n "$egl" ]; then
        printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.4.312"}}' "$egl" \
            >/tmp/nvidia_egl_icd.json
        export VK_DRIVER_FILES=/tmp/nvidia_egl_icd.json VK_ICD_FILENAMES=/tmp/nvidia_egl_icd.json
    fi
fi

# t CMD...: runs CMD with its output appended to $L (the script's log, set before the first call;
# with T_QUIET=1 the output is dropped), then logs its exit status and wall time; returns its status.
t() {
    _s=$(date +%s.%N)
    if [ "${T_QUIET:-0}" = 1 ]; then "$@" >/dev/null 2>&1; else "$@" >>"$L" 2>&1; fi
    _rc=$?
    _e=$(date +%s.%N)
    echo "  exit $_rc in $(awk "BEGIN{printf \"%.1f\", $_e - $_s}") s: $*" >>"$L"
    return $_rc
}
