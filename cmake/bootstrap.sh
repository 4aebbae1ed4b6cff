#!/bin/sh
# Installs what blsvk needs from Debian's packages (only what is missing), then
# configures and builds it in ./build ($BLSVK_BUILD_DIR). Extra arguments go to cmake's
# configure step.
# (libxml2-utils, chromium, slurm-wlm and munge serve the tests only: xmllint checks junit.xml
# against its schema, headless Chromium opens report.html, and test_slurm starts a one-node
# Slurm cluster of its own, with its own munged, for examples/slurm; the Chromium and Slurm
# tests are skipped without them. The packages' own services are not used.)
set -eu
cd "$(dirname "$0")/.."

PKGS="build-essential cmake pkg-config git libvulkan-dev mesa-vulkan-drivers glslang-tools \
glslang-dev spirv-tools libcmocka-dev python3 libgmp-dev vulkan-validationlayers libxml2-utils chromium \
slurm-wlm munge"
# CI adds what only it needs (clang for the fuzz targets) through BLSVK_EXTRA_PACKAGES.
PKGS="$PKGS ${BLSVK_EXTRA_PACKAGES:-}"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "blsvk: installing missing packages:$missing"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "blsvk: need root (or sudo) to install:$missing" >&2; exit 1; }
        SUDO=sudo
    fi
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
fi

BUILD_DIR=${BLSVK_BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
# BLSVK_BUILD_TARGETS: build only these targets (CI's fuzz build), else everything.
cmake --build "$BUILD_DIR" -j "$(nproc)" ${BLSVK_BUILD_TARGETS:+--target $BLSVK_BUILD_TARGETS}
