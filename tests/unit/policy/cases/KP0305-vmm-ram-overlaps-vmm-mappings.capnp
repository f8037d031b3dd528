# The VMM sees each VM's RAM over one of its own mappings: a memory region
# (VM "a"), a device (VM "b", over the RTC it maps at its physical address)
# and a channel (VM "c"). Each is reported at the VM's vmmRamAddress.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "vmm", program = "vmm.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000),
               (name = "heap", size = 0x1000, address = 0x80100000)],
     threads = [(name = "main", stack = "stack")],
     devices = [(device = "rtc", notification = "rtc-irq")]),
    (name = "drv", program = "drv.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
    (name = "a",
     vm = (cpus = [0], ramSize = 0x200000, kernel = "Image", vmm = "vmm",
           vmmRamAddress = 0x80000000)),  # expect KP0305 @ "0x80000000"
    (name = "b",
     vm = (cpus = [0], ramSize = 0x400000, kernel = "Image", vmm = "vmm",
           vmmRamAddress = 0x8e00000)),  # expect KP0305 @ "0x8e00000"
    (name = "c",
     vm = (cpus = [0], ramSize = 0x200000, kernel = "Image", vmm = "vmm",
           vmmRamAddress = 0x100000000)),  # expect KP0305 @ "0x100000000"
  ],
  notifications = [(name = "rtc-irq", owner = "vmm")],
  channels = [(name = "data", size = 0x1000, writer = (partition = "drv", address = 0x200000),
               readers = [(partition = "vmm", address = 0x100001000)])],
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "vmm", durationUs = 200), (partition = "drv", durationUs = 200),
                          (partition = "a", durationUs = 200), (partition = "b", durationUs = 200),
                          (partition = "c", durationUs = 200)])],
);
