# SPDX-License-Identifier: Apache-2.0
# vm-mmio.capnp with a passive VMM: it runs on the vCPU's time, so every
# exit after its first receive and every plain answer take the kernel's VM
# exit fast path (kernel/src/fastpath.cpp); the guest must see exactly what
# it sees on the general path.
@0xb7d2e4f6a8c91357;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "vm-mmio-passive",
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
      threads = [(name = "main", stack = "stack", priority = 50, passive = true)],
    ),
    ( name = "guest",
      vm = (
        cpus = [0],
        ramSize = 0x400000,
        kernel = "mmio-guest.elf",
        vmmRamAddress = 0x80000000,  # its virtio device (KP0619); the test VMM does not use it
        vmm = "vmm",
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
      (partition = "guest", durationUs = 10000),
    ]),
  ],
);
