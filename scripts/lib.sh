# SPDX-License-Identifier: Apache-2.0
# Shared by the quick-start scripts: install dependencies, configure and build.
# Sourced, not run.

kestrel_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kestrel_build=${KESTREL_BUILD_DIR:-$kestrel_root/build}

# kestrel_configure_and_build [TARGET...]: install missing packages, configure
# the build directory if needed and build the given targets (default: all).
kestrel_configure_and_build() {
  "$kestrel_root/scripts/install-deps"
  local generator=()
  # Keep whatever generator an existing build directory was made with.
  [[ -f "$kestrel_build/CMakeCache.txt" ]] || generator=(-G Ninja)
  cmake -S "$kestrel_root" -B "$kestrel_build" "${generator[@]}" >/dev/null
  local targets=()
  for target in "$@"; do targets+=(--target "$target"); done
  cmake --build "$kestrel_build" "${targets[@]}"
}
