# SPDX-License-Identifier: Apache-2.0
# A Linux virtual machine beside native partitions:
#   linux    - the guest, 2 vCPUs on CPUs 2 and 3, with an emulated virtio
#              console and block device
#   vmm      - handles the guest's exits and emulates its devices
#   blockdrv - drives the real virtio-mmio disk (virtio31, granted by the
#              compiler) and serves the VM a slice of it through a queue
#              its VMM holds (blockDevices, docs/devices.md)
#   console  - owns the PL011 and serves console output to the others
@0xb3d8a1c4e5f60718;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "vm-with-vmm",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done

  partitions = [
    ( name = "console",
      program = "console.elf",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 200, passive = true)],
      devices = [(device = "uart0", notification = "console-irq")],
    ),
    ( name = "blockdrv",
      program = "virtio-blk.elf",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "dma", size = 0x100000, address = 0x1000000, memoryType = nonCacheable),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 150, cpu = 1)],
    ),
    ( name = "vmm",
      program = "vmm.elf",
      memory = [
        (name = "code", size = 0x20000, address = 0x200000, access = readExecute),
        (name = "heap", size = 0x100000, address = 0x400000),
        (name = "stack", size = 0x8000, address = 0x800000),
        (name = "stack-cpu2", size = 0x8000, address = 0x900000),
        (name = "stack-cpu3", size = 0x8000, address = 0xa00000),
        (name = "stack-devices", size = 0x8000, address = 0xb00000),
      ],
      # devices-linux waits on the VM's device doorbells in its window on
      # CPU 1; each vCPU's exits are served on the vCPU's own CPU, by a
      # passive thread there that runs on the vCPU's time.
      threads = [
        (name = "main", stack = "stack", priority = 120, cpu = 1),
        (name = "devices-linux", stack = "stack-devices", priority = 120, cpu = 1),
        (name = "exits-cpu2", stack = "stack-cpu2", priority = 120, passive = true, cpu = 2),
        (name = "exits-cpu3", stack = "stack-cpu3", priority = 120, passive = true, cpu = 3),
      ],
    ),
    ( name = "linux",
      vm = (
        cpus = [2, 3],
        ramSize = 0x10000000,  # 256 MiB at guest-physical 0x40000000
        kernel = "guest/Image",
        initrd = "guest/initramfs.cpio.gz",
        bootargs = "console=hvc0 earlycon",
        vmm = "vmm",
        vmmRamAddress = 0x80000000,  # the VMM sees all 256 MiB here, for virtio queues
        emulated = [
          (name = "console", kind = virtioConsole, address = 0xa000000, interrupt = 48),
          (name = "disk", kind = virtioBlock, address = 0xa001000, interrupt = 49, backend = "disk"),
        ],
      ),
    ),
  ],

  endpoints = [
    ( name = "console-out", server = "console",
      clients = [(partition = "vmm", badge = 1), (partition = "blockdrv", badge = 2)] ),
  ],

  notifications = [
    (name = "console-irq", owner = "console"),
  ],

  blockDevices = [
    ( name = "disk", driver = "blockdrv", device = "virtio31", dmaRegion = "dma",
      queuesAddress = 0x2000000, sectors = 0x200000,  # 1 GiB
      clients = [(partition = "linux", firstSector = 0, sectorCount = 0x100000, address = 0x2000000)] ),
  ],

  schedule = [
    # CPU 0 runs nothing on its own time: the console is a passive server.
    # CPU 1: the driver and the VMM share a 10 ms frame.
    (cpu = 1, majorFrameUs = 10000, windows = [
      (partition = "blockdrv", durationUs = 4000),
      (partition = "vmm", durationUs = 6000),
    ]),
    # CPUs 2 and 3 belong to the guest alone (and the VMM's passive exit
    # threads, on its time): no timer tick there.
    (cpu = 2, exclusive = "linux"),
    (cpu = 3, exclusive = "linux"),
  ],
);
