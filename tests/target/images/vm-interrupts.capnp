# SPDX-License-Identifier: Apache-2.0
# The virtual-interrupt test: a bare-metal guest at EL1
# (tests/target/guest/irq_guest.cpp) waits in WFI for its virtual timer, then
# for an interrupt its VMM (tests/target/partitions/vmm_test.cpp) injects.
# Both run on CPU 0; vm-interrupts-smp.capnp puts them on different CPUs.
@0x8ca36bcc9bc62862;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "vm-interrupts",
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
      threads = [(name = "main", stack = "stack", priority = 50)],
    ),
    ( name = "guest",
      vm = (
        cpus = [0],
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
    (cpu = 0, majorFrameUs = 10000, windows = [
      (partition = "vmm", durationUs = 5000),
      (partition = "guest", durationUs = 5000),
    ]),
  ],
);
