# SPDX-License-Identifier: Apache-2.0
# The SMP-guest test: a bare-metal guest with two vCPUs on CPUs 0 and 1
# (tests/target/guest/smp_guest.cpp); its VMM (vmm_test.cpp built for two
# vCPUs) starts the second on the guest's PSCI CPU_ON.
@0xe6abf2379b4a624f;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "vm-smp",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "vmm",
      program = "vmm-test-smp.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
        (name = "stack-cpu1", size = 0x4000, address = 0x900000),
      ],
      # vCPU 1's exits are served on its CPU, by a passive thread there.
      threads = [
        (name = "main", stack = "stack", priority = 50),
        (name = "exits-cpu1", stack = "stack-cpu1", priority = 50, passive = true, cpu = 1),
      ],
    ),
    ( name = "guest",
      vm = (
        cpus = [0, 1],
        ramSize = 0x400000,
        kernel = "smp-guest.elf",
        vmm = "vmm",
        vmmRamAddress = 0x80000000,  # its virtio device (KP0619); the test VMM does not use it
        priority = 10,
        emulated = [
          (name = "uart", kind = pl011, address = 0x09000000, interrupt = 33),
          (name = "scratch", kind = virtioConsole, address = 0x0a000000, interrupt = 48),
        ],
      ),
    ),
  ],
  schedule = [
    (cpu = 0, majorFrameUs = 10000, windows = [
      (partition = "vmm", durationUs = 5000),
      (partition = "guest", durationUs = 5000),
    ]),
    (cpu = 1, majorFrameUs = 10000, windows = [(partition = "guest", durationUs = 10000)]),
  ],
);
