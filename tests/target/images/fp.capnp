# SPDX-License-Identifier: Apache-2.0
# The lazy FP/SIMD test: two native workers (tests/target/partitions/
# fp_worker.cpp, seeds 1 and 2) in partitions of their own on CPU 0, with
# 1 ms windows, so that they take turns with the FP/SIMD registers many
# times.
@0xd17a3e5b9c2f4068;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "fp",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once both workers are done
  partitions = [
    ( name = "fp-one",
      program = "fp-worker-1.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
    ( name = "fp-two",
      program = "fp-worker-2.elf",
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
    (cpu = 0, majorFrameUs = 2000, windows = [
      (partition = "fp-one", durationUs = 1000),
      (partition = "fp-two", durationUs = 1000),
    ]),
  ],
);
