# SPDX-License-Identifier: Apache-2.0
# The virtual-interrupt test: a bare-metal guest at EL1
# (tests/target/guest/irq_guest.cpp) waits in WFI for its virtual timer, then
# for an interrupt its VMM (tests/target/partitions/vmm_test.cpp) injects.
# This variant of vm-interrupts.capnp runs the guest on CPU 2, a secondary
# CPU, with its VMM's exit thread there too, passive on the vCPU's time: a
# vCPU's exits are served on its own CPU (the policy compiler refuses a VMM
# with no thread there, KP0512).
@0xd0c4a7e2b95f3168;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "vm-interrupts-smp",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "vmm",
      program = "vmm-test.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 50, passive = true, cpu = 2)],
    ),
    ( name = "guest",
      vm = (
        cpus = [2],
        ramSize = 0x400000,
        kernel = "irq-guest.elf",
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
    (cpu = 2, majorFrameUs = 10000, windows = [(partition = "guest", durationUs = 10000)]),
  ],
);
