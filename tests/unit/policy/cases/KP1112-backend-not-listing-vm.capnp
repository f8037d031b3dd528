# The VM's disk is backed by "disk", which does not list it among its clients,
# and by a name that is no device.
@0x875d4aa2f5d9001e;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "blk", program = "virtio-blk.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000),
               (name = "dma", size = 0x10000, address = 0x200000)],
     threads = [(name = "main", stack = "stack")]),
    (name = "net", program = "virtio-net.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000),
               (name = "dma", size = 0x40000, address = 0x200000)],
     threads = [(name = "main", stack = "stack")]),
    (name = "app", program = "app.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
    (name = "vmm", program = "vmm.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000),
               (name = "devices-stack", size = 0x4000, address = 0x104000)],
     threads = [(name = "main", stack = "stack"), (name = "devices-linux", stack = "devices-stack")]),
    # expect-hint did you mean 'disk'?
    (name = "linux",
     vm = (cpus = [0], ramSize = 0x400000, kernel = "Image", vmm = "vmm", vmmRamAddress = 0x80000000,
           emulated = [(name = "vda", kind = virtioBlock, address = 0x0a010000, interrupt = 80, backend = "disk"),  # expect KP1112 @ ""disk""
                       (name = "vdb", kind = virtioBlock, address = 0x0a012000, interrupt = 82, backend = "dsk"),  # expect KP1112 @ ""dsk""
                       (name = "eth0", kind = virtioNet, address = 0x0a011000, interrupt = 81, backend = "lan")])),
  ],
  blockDevices = [
    (name = "disk", driver = "blk", device = "virtio31", dmaRegion = "dma", queuesAddress = 0x10000000,
     sectors = 0x100000,
     clients = [(partition = "app", firstSector = 0x80000, sectorCount = 0x1000, readOnly = true,
                 address = 0x40000000)]),
  ],
  networks = [
    (name = "lan", driver = "net", device = "virtio23", dmaRegion = "dma", queuesAddress = 0x10000000,
     ports = [(partition = "linux", mac = "52:54:00:12:34:56", reaches = ["app", "outside"], address = 0x40200000),
              (partition = "app", mac = "52:54:00:12:34:57", address = 0x40200000)]),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "blk", durationUs = 200), (partition = "net", durationUs = 200),
                          (partition = "app", durationUs = 200), (partition = "vmm", durationUs = 200),
                          (partition = "linux", durationUs = 200)])],
);
