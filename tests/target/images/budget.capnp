# SPDX-License-Identifier: Apache-2.0
# The budget test: a thread that spins for 20 ms with a budget of 500 us in
# every 2000 us; the kernel stops it at each budget's end and logs the first
# overrun, and the thread measures the share of the CPU it got
# (tests/target/partitions/budget_meter.cpp).
@0xc4e2a6f8b1d35a97;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "budget",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "spinner",
      program = "budget-meter.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 250, budgetUs = 500, periodUs = 2000)],
    ),
  ],
  schedule = [(cpu = 0, majorFrameUs = 4000, windows = [(partition = "spinner", durationUs = 4000)])],
);
