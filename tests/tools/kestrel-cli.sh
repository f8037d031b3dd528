#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The kestrel command, end to end: help and usage errors, bad policies and
# programs, building an image whose partition program is C++ source (with
# the Kestrel package's recipe, Release and --debug), running it under QEMU,
# --gdb (with gdb-multiarch stopping in the partition's main).
# Usage: kestrel-cli.sh TOOL SRC QEMU
set -uo pipefail
tool=$1 source_dir=$2 qemu=$3
source "$(dirname "$0")/cli-checks.sh"
bad_policy=$source_dir/tests/unit/policy/cases/KP0104-duplicate-partition.capnp
good_policy=$source_dir/examples/hello-ipc/hello-ipc.capnp

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# A partition program in C++, named by its policy, that finds its console
# slot by name in the generated kestrel/slots.hpp.
mkdir -p "$scratch/system"
cat >"$scratch/system/greeter.cpp" <<'PROGRAM'
#include <kestrel/slots.hpp>
#include <kestrel/syscall.hpp>

extern "C" int main() {
  kestrel::console_print(kestrel::slots::kernel_console, "greeter: hello from partition ");
  kestrel::console_print(kestrel::slots::kernel_console, kestrel::slots::partition_name);
  kestrel::console_print(kestrel::slots::kernel_console, ", compiled by kestrel build\n");
  kestrel::thread_exit();
}
PROGRAM
policy_text() {  # policy_text PROGRAM
  cat <<POLICY
@0xe5a1c3b7d9f20468;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "greeter",
  platform = Virt.platform,
  noThreadLeft = powerOff,
  partitions = [
    ( name = "greeter",
      program = "$1",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
  ],
  schedule = [(cpu = 0, majorFrameUs = 10000, windows = [(partition = "greeter", durationUs = 10000)])],
);
POLICY
}
policy=$scratch/system/greeter.capnp
policy_text greeter.cpp >"$policy"
out=$scratch/image
image=$out/greeter.elf

# Help and usage errors.
check "help" 0 "$tool" --help
for subcommand in check build run bench; do
  expect_in "help lists $subcommand" "$scratch/out" "  $subcommand"
done
for subcommand in check build run bench; do
  check "$subcommand --help" 0 "$tool" "$subcommand" --help
  expect_in "$subcommand --help" "$scratch/out" "usage: kestrel $subcommand"
done
check "no command" 2 "$tool"
expect_in "no command" "$scratch/err" "kestrel: error: no command given"
check "unknown command" 2 "$tool" frobnicate
expect_in "unknown command" "$scratch/err" "unknown command 'frobnicate'"
check "unknown option" 2 "$tool" build "$policy" -o "$image" --fast
expect_in "unknown option" "$scratch/err" "unknown option '--fast'"
expect_in "unknown option" "$scratch/err" "(kestrel build --help shows the usage)"
check "build without -o" 2 "$tool" build "$policy"
expect_in "build without -o" "$scratch/err" "build needs -o IMAGE"
check "check without a policy" 2 "$tool" check
check "bad format" 2 "$tool" check "$policy" --format xml
check "run without an image" 2 "$tool" run
check "run --smp 9" 2 "$tool" run "$image" --smp 9
expect_in "run --smp 9" "$scratch/err" "--smp must be a number from 1 to 8"
check "bench with an argument" 2 "$tool" bench extra
check "bench --cpu cortex-a53" 2 "$tool" bench --cpu cortex-a53
expect_in "bench --cpu cortex-a53" "$scratch/err" "--cpu must be cortex-a72, cortex-a57 or both, not 'cortex-a53'"
[[ ! -e "$out" ]] || fail "usage errors wrote $out"

# kestrel check prints what kestrel-policy check prints.
check "check a good policy" 0 "$tool" check "$good_policy" --summary -
expect_in "check --summary -" "$scratch/out" 'partition "client" (VMID 2)'
check "check a bad policy" 1 "$tool" check "$bad_policy"
expect_in "check: file:line:col" "$scratch/err" \
  "KP0104-duplicate-partition.capnp:12:13: error: KP0104: partition \"a\" is defined twice"
expect_in "check: counts" "$scratch/err" "1 error(s), 0 warning(s)"
check "check --format json" 1 "$tool" check "$bad_policy" --format json
expect_in "check --format json" "$scratch/out" '"code": "KP0104", "severity": "error"'
check "check a missing policy" 1 "$tool" check "$scratch/none.capnp"
expect_in "check a missing policy" "$scratch/err" "KP0001"

# Bad files: no image, ever.
check "build a missing policy" 1 "$tool" build "$scratch/none.capnp" -o "$image"
expect_in "build a missing policy" "$scratch/err" "KP0001"
check "build a bad policy" 1 "$tool" build "$bad_policy" -o "$image"
expect_in "build a bad policy" "$scratch/err" "KP0104-duplicate-partition.capnp:12:13: error: KP0104"
policy_text missing.cpp >"$scratch/system/missing.capnp"
check "a missing source" 1 "$tool" build "$scratch/system/missing.capnp" -o "$image"
expect_in "a missing source" "$scratch/err" \
  "missing.capnp:10:17: error: KP0413: program \"missing.cpp\" of partition \"greeter\" not found"
printf '#include <kestrel/slots.hpp>\nextern "C" int main() { return kestrel::slots::no_such_slot; }\n' \
  >"$scratch/system/broken.cpp"
policy_text broken.cpp >"$scratch/system/broken.capnp"
check "a source that does not compile" 1 "$tool" build "$scratch/system/broken.capnp" -o "$out/broken.elf"
expect_in "compiler errors are shown" "$scratch/err" "broken.cpp:2:"
expect_in "compiler errors are shown" "$scratch/err" "no_such_slot"
expect_in "compile failure" "$scratch/err" "no image written"
for file in "$image" "$out/broken.elf" "$out/broken.report" "$out/broken.svg" "$out/broken.programs/broken.elf"; do
  expect_absent "no output after a failure" "$file"
done

# Build: the program from source, then the image, report and picture.
check "build" 0 "$tool" build "$policy" -o "$image" -v
expect_in "progress" "$scratch/err" "kestrel: building 1 partition program with CMake in $out/greeter.programs/build"
expect_in "progress" "$scratch/err" "kestrel: built greeter.elf for partition \"greeter\""
for file in "$image" "$out/greeter.report" "$out/greeter.svg" "$out/greeter.programs/greeter.elf"; do
  [[ -s "$file" ]] || fail "build did not write $file"
done
expect_in "report" "$out/greeter.report" "program greeter.cpp"
slots=$out/greeter.programs/greeter/include/kestrel/slots.hpp
expect_in "slot header" "$slots" "constexpr uint64_t kernel_console = 0;"
expect_in "slot header" "$slots" 'constexpr const char* partition_name = "greeter";'
cp "$scratch/err" "$scratch/verbose"

# The program is built by a CMake project of kestrel_add_partition calls,
# the recipe of the target build and of the Kestrel package.
programs=$out/greeter.programs
expect_in "generated project" "$programs/CMakeLists.txt" "find_package(Kestrel REQUIRED)"
expect_in "generated project" "$programs/CMakeLists.txt" "kestrel_add_partition(partition-greeter SOURCES"
expect_in "verbose: the compiler" "$scratch/verbose" "aarch64-linux-gnu-g++"
expect_in "verbose: the start-up code" "$scratch/verbose" "/runtime/start.S"
expect_in "Release: optimised" "$programs/build/compile_commands.json" " -O2 "

# Rebuilt only when something changed (CMake's depfiles and commands).
check "rebuild" 0 "$tool" build "$policy" -o "$image"
expect_in "up to date" "$scratch/err" "kestrel: greeter.elf is up to date"
touch "$scratch/system/greeter.cpp"
check "rebuild after an edit" 0 "$tool" build "$policy" -o "$image"
expect_in "rebuilt after an edit" "$scratch/err" "kestrel: built greeter.elf for partition \"greeter\""
# --debug: no optimisation, so other commands, so built again; and back.
check "build --debug" 0 "$tool" build "$policy" -o "$image" --debug
expect_in "build --debug says so" "$scratch/err" "without optimisation (--debug)"
expect_in "build --debug rebuilds" "$scratch/err" "kestrel: built greeter.elf"
expect_in "Debug: -O0" "$programs/build/compile_commands.json" " -O0 "
check "build without --debug" 0 "$tool" build "$policy" -o "$image"
expect_in "Release again rebuilds" "$scratch/err" "kestrel: built greeter.elf"
checks=$((checks + 1))
! grep -qF -- " -O0 " "$programs/build/compile_commands.json" || fail "Release after --debug still has -O0"

# Run it: the partition's line, and exit 0 when the system powers off.
checks=$((checks + 1))
command -v "$qemu" >/dev/null || fail "QEMU ($qemu) not found: it is needed to run images (scripts/install-deps)"
check "run the image" 0 "$tool" run "$image" --qemu "$qemu" --timeout 60 </dev/null
expect_in "run the image" "$scratch/out" "greeter: hello from partition greeter, compiled by kestrel build"
expect_in "run the image" "$scratch/out" "partition greeter: measurement ok"
check "run the policy" 0 "$tool" run "$policy" --qemu "$qemu" --smp 1 --timeout 60 --debug </dev/null
expect_in "run the policy says where" "$scratch/err" "kestrel: building $policy into "
expect_in "run the policy says how to leave QEMU" "$scratch/err" "To leave QEMU, press Ctrl-A then X"
# Its folder is this scratch policy's alone (named by its path's hash): removed at the end.
run_folder=$(sed -n "s|^kestrel: building $policy into \(.*/kestrel-run[^/]*/greeter-[0-9a-f]*\)/greeter\.elf\$|\1|p" \
  "$scratch/err")
expect_in "run the policy" "$scratch/out" "greeter: hello from partition greeter"
# --gdb: QEMU waits for gdb, so the timeout ends it (exit 124, as timeout(1)).
check "run --gdb" 124 "$tool" run "$image" --qemu "$qemu" --timeout 2 --gdb </dev/null
expect_in "run --gdb" "$scratch/err" "gdb-multiarch -q "
expect_in "run --gdb" "$scratch/err" "-ex 'add-symbol-file $out/greeter.programs/greeter.elf'"
expect_in "run --gdb" "$scratch/err" "timed out after 2 s; QEMU was killed"

# --gdb with gdb itself: the printed command loads the partition's symbols,
# so `break main` stops in the partition (the kernel has no main), and gdb's
# detaching lets the system run to its power-off.
checks=$((checks + 1))
if ! command -v gdb-multiarch >/dev/null; then
  fail "gdb-multiarch not found: run scripts/install-deps, which installs it"
else
  "$tool" run "$policy" --qemu "$qemu" --smp 1 --timeout 60 --gdb </dev/null >"$scratch/gdb-run.out" \
    2>"$scratch/gdb-run.err" &
  run=$!
  for _ in $(seq 600); do
    grep -q "^  gdb-multiarch " "$scratch/gdb-run.err" && break
    sleep 0.1
  done
  gdb_command=$(grep -m 1 "^  gdb-multiarch " "$scratch/gdb-run.err")
  [[ -n "$gdb_command" ]] || fail "run --gdb printed no gdb command"
  eval "timeout 60 $gdb_command -batch -ex 'break main' -ex continue -ex bt" >"$scratch/gdb.out" 2>&1
  expect_in "gdb stops in the partition's main" "$scratch/gdb.out" "Breakpoint 1, main () at "
  expect_in "gdb's backtrace is the partition's" "$scratch/gdb.out" "greeter.cpp:"
  checks=$((checks + 1))
  wait "$run" || fail "run --gdb: exit $? after gdb detached; $(cat "$scratch/gdb-run.err")"
  expect_in "run --gdb: the system ran on" "$scratch/gdb-run.out" "greeter: hello from partition greeter"
fi
check "run with a missing QEMU" 3 "$tool" run "$image" --qemu /nonexistent/qemu-system-aarch64
expect_in "run with a missing QEMU" "$scratch/err" "cannot run '/nonexistent/qemu-system-aarch64'"

[[ -n "$run_folder" ]] && rm -rf "$run_folder"
cli_summary kestrel-cli
