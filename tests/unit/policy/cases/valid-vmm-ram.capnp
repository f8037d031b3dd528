# A VMM that sees the RAM of both of its VMs, each at its own 2 MiB aligned
# address clear of its memory, device and channel; the VM written before its
# VMM gets its view all the same.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "first",
     vm = (cpus = [0], ramSize = 0x400000, kernel = "Image", vmm = "vmm", vmmRamAddress = 0x80000000)),
    (name = "vmm", program = "vmm.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")],
     devices = [(device = "rtc", notification = "rtc-irq")]),
    (name = "drv", program = "drv.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
    (name = "second",
     vm = (cpus = [0], ramSize = 0x200000, ramAddress = 0x80000000, kernel = "Image", vmm = "vmm",
           vmmRamAddress = 0x80400000)),
  ],
  notifications = [(name = "rtc-irq", owner = "vmm")],
  channels = [(name = "data", size = 0x1000, writer = (partition = "drv", address = 0x200000),
               readers = [(partition = "vmm", address = 0x80600000)])],
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "vmm", durationUs = 250), (partition = "drv", durationUs = 250),
                          (partition = "first", durationUs = 250), (partition = "second", durationUs = 250)])],
);
