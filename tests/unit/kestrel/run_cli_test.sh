#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# kestrel run's messages, end to end, without the AArch64 side: two
# projects' system.capnp get build folders of their own; a missing kernel or
# image is an error before anything is said to boot; the run says how to
# leave QEMU (Ctrl-A X, which the QEMU command line makes work), with a
# script standing in for QEMU. Usage: run_cli_test.sh TOOL SRC
set -uo pipefail
tool=$1 source_dir=$2
source "$source_dir/tests/tools/cli-checks.sh"

expect_not_in() {  # expect_not_in DESCRIPTION FILE TEXT
  checks=$((checks + 1))
  if grep -qF -- "$3" "$2"; then
    echo "FAIL: $1: '$3' in $2"
    sed 's/^/  | /' "$2"
    failures=$((failures + 1))
  fi
}

policy_text() {
  cat <<'POLICY'
@0xf1e2d3c4b5a69788;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "project",
  platform = Virt.platform,
  partitions = [
    ( name = "alpha", program = "alpha.elf",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack")] ),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "alpha", durationUs = 1000)])],
);
POLICY
}
mkdir -p "$scratch/one" "$scratch/two"
policy_text >"$scratch/one/system.capnp"
policy_text >"$scratch/two/system.capnp"
no_kernel=$scratch/no-kernel.elf

# build_folder POLICY: sets $folder to where `kestrel run POLICY` said it
# builds (it stops at the missing kernel, before compiling or booting).
build_folder() {
  check "run $1 with a missing kernel" 1 "$tool" run "$1" --kernel "$no_kernel"
  expect_in "a missing kernel" "$scratch/err" "kestrel: error: kernel $no_kernel not found"
  expect_not_in "a missing kernel: nothing boots" "$scratch/err" "booting"
  folder=$(sed -n "s|^kestrel: building $1 into \(.*\)/system\.elf\$|\1|p" "$scratch/err")
}
build_folder "$scratch/one/system.capnp"
one=$folder
build_folder "$scratch/two/system.capnp"
two=$folder
build_folder "$scratch/one/system.capnp"
again=$folder
checks=$((checks + 3))
[[ -n "$one" && -n "$two" ]] || { echo "FAIL: kestrel run did not say where it builds"; failures=$((failures + 1)); }
[[ "$one" != "$two" ]] || { echo "FAIL: two projects' system.capnp share $one"; failures=$((failures + 1)); }
[[ "$one" == "$again" ]] || { echo "FAIL: one policy, two folders: $one, $again"; failures=$((failures + 1)); }
# The folders are empty (the kernel was missing): leave no trace in the build tree.
rmdir "$one" "$two" 2>/dev/null
case $(basename "$one") in
  system-*) ;;
  *) echo "FAIL: the folder $one is not named after the policy"; failures=$((failures + 1)) ;;
esac
checks=$((checks + 1))

# A missing image: an error, and no gdb instructions or booting line.
check "run a missing image" 2 "$tool" run "$scratch/none.elf" --gdb
expect_in "run a missing image" "$scratch/err" "cannot read image '$scratch/none.elf': no such file"
expect_not_in "run a missing image: nothing boots" "$scratch/err" "booting"
expect_not_in "run a missing image: no gdb" "$scratch/err" "gdb-multiarch"

# --gdb needs the kernel's symbols.
: >"$scratch/image.elf"
check "run --gdb with a missing kernel" 1 "$tool" run "$scratch/image.elf" --gdb --kernel "$no_kernel"
expect_in "run --gdb with a missing kernel" "$scratch/err" "gdb needs its symbols"
expect_not_in "run --gdb with a missing kernel: nothing boots" "$scratch/err" "booting"

# With a stand-in for QEMU that prints its arguments: how to leave it, said
# before booting, and the multiplexed console that makes Ctrl-A X work.
fake_qemu=$scratch/fake-qemu
printf '#!/bin/sh\necho "fake qemu: $*"\n' >"$fake_qemu"
chmod +x "$fake_qemu"
check "run an image" 0 "$tool" run "$scratch/image.elf" --qemu "$fake_qemu" </dev/null
expect_in "run says how to leave QEMU" "$scratch/err" "To leave QEMU, press Ctrl-A then X"
expect_in "Ctrl-A X works" "$scratch/out" "-chardev stdio,id=console,mux=on -serial chardev:console"

cli_summary kestrel_run_cli
