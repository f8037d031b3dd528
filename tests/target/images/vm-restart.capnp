# SPDX-License-Identifier: Apache-2.0
# The restart test: a bare-metal guest with two vCPUs on CPUs 0 and 1
# (tests/target/guest/restart_guest.cpp) asks for PSCI SYSTEM_RESET twice;
# its VMM (restart_vmm.cpp) restarts it with vm_restart. Restartable is the
# default: the image keeps a pristine copy of the guest.
@0xb1d8c2e4a7f35e91;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "vm-restart",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "vmm",
      program = "restart-vmm.elf",
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
        kernel = "restart-guest.elf",
        # The VMM sees the guest's RAM (as for virtio devices): a restart
        # zeroes and reloads it all the same.
        vmmRamAddress = 0x80000000,
        vmm = "vmm",
        priority = 10,
        emulated = [
          (name = "uart", kind = pl011, address = 0x09000000, interrupt = 33),
          # A register restart_vmm.cpp answers, no real device.
          (name = "restarts", kind = pl011, address = 0x0a000000, interrupt = 48),
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
