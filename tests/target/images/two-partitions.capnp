# SPDX-License-Identifier: Apache-2.0
# Two native partitions for the image and kernel target tests: each prints a
# line through its kernel console capability and exits. Their programs are
# tests/target/partitions/hello.cpp built twice with different markers.
@0xc4e2a8b6d0f13579;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "two-partitions",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
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
