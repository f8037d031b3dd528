# SPDX-License-Identifier: Apache-2.0
# The hostile-partition test: "hostile" has one thread per attack (see
# tests/target/partitions/hostile.cpp; thread n's stack is at
# 0x800000 + n * 0x10000, which is how each thread knows its attack), and
# "victim" checks afterwards that its memory, loaded at a fixed physical
# address the attacker knows, is intact.
@0xe5f7a9c1b3d52468;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "hostile",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "hostile",
      program = "hostile.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack0", size = 0x1000, address = 0x800000),
        (name = "stack1", size = 0x1000, address = 0x810000),
        (name = "stack2", size = 0x1000, address = 0x820000),
        (name = "stack3", size = 0x1000, address = 0x830000),
        (name = "stack4", size = 0x1000, address = 0x840000),
        (name = "stack5", size = 0x1000, address = 0x850000),
        (name = "stack6", size = 0x1000, address = 0x860000),
        (name = "stack7", size = 0x1000, address = 0x870000),
        (name = "stack8", size = 0x1000, address = 0x880000),
        (name = "stack9", size = 0x1000, address = 0x890000),
        (name = "stack10", size = 0x1000, address = 0x8a0000),
      ],
      threads = [
        (name = "syscalls", stack = "stack0", priority = 20),
        (name = "write-victim", stack = "stack1", priority = 20),
        (name = "read-kernel", stack = "stack2", priority = 20),
        (name = "write-kernel-text", stack = "stack3", priority = 20),
        (name = "poke-uart", stack = "stack4", priority = 20),
        (name = "msr-el1", stack = "stack5", priority = 20),
        (name = "msr-el2", stack = "stack6", priority = 20),
        (name = "smc", stack = "stack7", priority = 20),
        (name = "hvc", stack = "stack8", priority = 20),
        (name = "jump-kernel", stack = "stack9", priority = 20),
        (name = "write-own-code", stack = "stack10", priority = 20),
      ],
    ),
    ( name = "victim",
      program = "victim.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000, physicalAddress = 0x48000000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
  ],
  # A capability of another kind than console for the hostile partition to
  # misuse: signalling the victim's notification.
  notifications = [(name = "bell", owner = "victim", signallers = [(partition = "hostile", badge = 1)])],
  schedule = [
    (cpu = 0, majorFrameUs = 10000, windows = [
      (partition = "hostile", durationUs = 5000),
      (partition = "victim", durationUs = 5000),
    ]),
  ],
);
