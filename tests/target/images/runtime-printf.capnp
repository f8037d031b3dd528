# SPDX-License-Identifier: Apache-2.0
# The printf test (tests/target/runtime/console_formats.cpp): one partition
# prints kestrel::Console::printf's conversions through the kernel console.
@0xb32379524d56964e;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "runtime-printf",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "printer",
      program = "runtime-console-formats.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "printer", durationUs = 1000)])],
);
