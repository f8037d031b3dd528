# SPDX-License-Identifier: Apache-2.0
# The hostile-guest test: on CPU 0, a guest sets every register it can reach
# to hostile values (tests/target/guest/hostile_guest.cpp) and spins through
# its window; a peer guest (el1_peer_guest.cpp) and a native victim
# (partitions/state_victim.cpp) run in the next windows on the same CPU and
# must see only their own reset state. Each VM's VMM is passive, so exits are
# served on the guest's own time. The victim powers the machine off.
@0xc4e2a6f8b1d3957a;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "hostile-guest",
  platform = Virt.platform,
  partitions = [
    ( name = "vmm",
      program = "vmm-test.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 50, passive = true)],
    ),
    ( name = "hostile",
      vm = (
        cpus = [0],
        ramSize = 0x400000,
        kernel = "hostile-guest.elf",
        vmm = "vmm",
        priority = 10,
        emulated = [(name = "uart", kind = pl011, address = 0x09000000, interrupt = 33)],
      ),
    ),
    ( name = "peer-vmm",
      program = "vmm-test.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 50, passive = true)],
    ),
    ( name = "peer",
      vm = (
        cpus = [0],
        ramSize = 0x400000,
        kernel = "el1-peer-guest.elf",
        vmm = "peer-vmm",
        priority = 10,
        emulated = [(name = "uart", kind = pl011, address = 0x09000000, interrupt = 33)],
      ),
    ),
    ( name = "victim",
      program = "state-victim.elf",
      kernelConsole = true,
      mayPowerOff = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
        (name = "pmu-stack", size = 0x4000, address = 0x900000),
        (name = "counter-stack", size = 0x4000, address = 0xa00000),
      ],
      threads = [
        (name = "main", stack = "stack", priority = 10),
        (name = "pmu", stack = "pmu-stack", priority = 20),
        (name = "counter", stack = "counter-stack", priority = 20),
      ],
    ),
  ],
  schedule = [
    (cpu = 0, majorFrameUs = 6000, windows = [
      (partition = "hostile", durationUs = 2000),
      (partition = "peer", durationUs = 2000),
      (partition = "victim", durationUs = 2000),
    ]),
  ],
);
