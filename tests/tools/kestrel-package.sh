#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Kestrel package as a user meets it: `cmake --install` the build to a
# prefix (then moved, so nothing may point back at where it was installed),
# copy a project of one's own (one C and one C++ source) out of the
# checkout, configure it with the package's toolchain, build it Release and
# Debug, check the ELFs and the flags, and build a one-partition image of
# the Release program for target.package_user_boots to boot.
# Usage: kestrel-package.sh CMAKE GENERATOR BUILD_DIR SOURCE_DIR KESTREL WORK
set -uo pipefail
cmake=$1 generator=$2 build_dir=$3 source_dir=$4 tool=$5 work=$6
source "$(dirname "$0")/cli-checks.sh"
project=$source_dir/tests/target/package

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

rm -rf "$work"
mkdir -p "$work"
check "cmake --install" 0 "$cmake" --install "$build_dir" --prefix "$work/installed"
mv "$work/installed" "$work/prefix"
package=$work/prefix/lib/cmake/Kestrel
for file in KestrelConfig.cmake KestrelTargets.cmake kestrel-partition.cmake target-flags.cmake \
  aarch64-toolchain.cmake; do
  checks=$((checks + 1))
  [[ -f "$package/$file" ]] || fail "not installed: $package/$file"
done
for file in share/kestrel/start.S share/kestrel/partition.ld lib/kestrel/libkestrel_freestanding.a \
  include/kestrel/syscall.hpp include/kestrel/abi/syscall.hpp include/kestrel/vmm; do
  checks=$((checks + 1))
  [[ -e "$work/prefix/$file" ]] || fail "not installed: $work/prefix/$file"
done

# Nothing the project is built with may come from the checkout or the build tree.
from_checkout() {  # from_checkout FILE...: lines naming the checkout's runtime, ABI, toolchain or build
  grep -HF -e "$source_dir/runtime" -e "$source_dir/abi" -e "$source_dir/vmm-server" -e "$source_dir/cmake" \
    -e "$source_dir/freestanding" -e "$build_dir/target" "$@"
}
checks=$((checks + 1))
if from_checkout "$package"/*.cmake; then fail "the installed package names the checkout or the build tree"; fi

mkdir -p "$work/project"
cp "$project"/CMakeLists.txt "$project"/hello.cpp "$project"/squares.c "$project"/squares.h "$work/project/"
# Without the package's toolchain, find_package says what to pass.
check "configure without the toolchain" 1 "$cmake" -S "$work/project" -B "$work/build-host" -G "$generator" \
  -DKestrel_DIR="$package"
expect_in "configure without the toolchain" "$scratch/err" "-DCMAKE_TOOLCHAIN_FILE=$package/aarch64-toolchain.cmake"
for type in Release Debug; do
  build=$work/build-$type
  check "configure ($type)" 0 "$cmake" -S "$work/project" -B "$build" -G "$generator" \
    -DCMAKE_TOOLCHAIN_FILE="$package/aarch64-toolchain.cmake" -DKestrel_DIR="$package" \
    -DCMAKE_BUILD_TYPE=$type -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
  check "build ($type)" 0 "$cmake" --build "$build"
  elf=$build/package-user.elf
  checks=$((checks + 1))
  # ELF magic, 64-bit, little-endian; e_machine 183 (0xb7): AArch64.
  header=$(od -An -tx1 -N20 "$elf" 2>/dev/null | tr -d ' \n')
  [[ $header == 7f454c460201* && ${header:36:4} == b700 ]] || fail "$elf is not an AArch64 ELF (header $header)"
  commands=$build/compile_commands.json
  expect_in "C source compiled ($type)" "$commands" "/squares.c"
  expect_in "C++ source compiled ($type)" "$commands" "/hello.cpp"
  expect_in "freestanding flags ($type)" "$commands" "-ffreestanding"
  expect_in "installed headers ($type)" "$commands" "$work/prefix/include"
  checks=$((checks + 1))
  if from_checkout "$commands" "$build/build.ninja" "$build/CMakeCache.txt"; then
    fail "the $type build uses the checkout or the build tree"
  fi
done
# Debug is for gdb: no optimisation; Release keeps the target build's -O2.
checks=$((checks + 1))
grep -F "/hello.cpp" "$work/build-Debug/compile_commands.json" | grep -q -- " -O0 " ||
  fail "Debug does not compile hello.cpp with -O0"
checks=$((checks + 1))
grep -F "/squares.c" "$work/build-Release/compile_commands.json" | grep -q -- " -O2 " ||
  fail "Release does not compile squares.c with -O2"
checks=$((checks + 1))
if grep -F "/hello.cpp" "$work/build-Release/compile_commands.json" | grep -q -- " -O0 "; then
  fail "Release compiles hello.cpp with -O0"
fi

check "image of the program" 0 "$tool" build "$project/package-user.capnp" -P "$work/build-Release" \
  -o "$work/image/package-user.elf"

cli_summary kestrel-package
