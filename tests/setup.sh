#!/usr/bin/env bash
# Installs what NetLoom needs from Debian 12's archive (only what is missing), configures
# and builds. Idempotent and quick when nothing changed. Sourced by tests/run.sh and
# examples/run.sh; BUILD_DIR and MESON_ARGS choose the build.
set -euo pipefail

NL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$NL_ROOT/build}"
MESON_ARGS="${MESON_ARGS:-}"

NL_PACKAGES=(
  build-essential pkg-config meson ninja-build gettext python3
  libglib2.0-dev libjson-glib-dev libgtk-4-dev libadwaita-1-dev libepoxy-dev
  libhdf5-dev libmatio-dev libfftw3-dev libgsl-dev libxml2-dev zlib1g-dev
  neuron neuron-dev openmpi-bin libopenmpi-dev
  xvfb xauth clang-14 libclang-rt-14-dev appstream desktop-file-utils
)

nl_install_packages () {
  local missing=()
  for p in "${NL_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "netloom: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

nl_build () {
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    # shellcheck disable=SC2086
    meson setup "$BUILD_DIR" "$NL_ROOT" $MESON_ARGS >&2
  elif [ -n "$MESON_ARGS" ]; then
    # shellcheck disable=SC2086
    meson configure "$BUILD_DIR" $MESON_ARGS >/dev/null
  fi
  ninja -C "$BUILD_DIR" >&2
}

nl_install_packages
nl_build
