# SPDX-License-Identifier: Apache-2.0
# The "no thread left" test: two native partitions each print a line and
# exit; the policy leaves noThreadLeft at its default (idle), so the kernel
# must keep the machine on. Their programs are
# tests/target/partitions/hello.cpp built twice with different markers.
@0xe6a4c2f8d1b35797;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "idle-when-done",
  platform = Virt.platform,
  partitions = [
    ( name = "alpha",
      program = "hello-alpha.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
    ( name = "beta",
      program = "hello-beta.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
  ],
  schedule = [
    (cpu = 0, majorFrameUs = 10000, windows = [
      (partition = "alpha", durationUs = 5000),
      (partition = "beta", durationUs = 5000),
    ]),
  ],
);
