# Emulated device "console" raises interrupt 16, a PPI rather than an SPI.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "vmm", program = "vmm.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
    (name = "guest",
     vm = (cpus = [0], ramSize = 0x200000, kernel = "Image", vmm = "vmm", vmmRamAddress = 0x80000000,
           emulated = [(name = "console", kind = virtioConsole, address = 0x20000000, interrupt = 16)])),  # expect KP0612 @ "16"
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "vmm", durationUs = 500), (partition = "guest", durationUs = 500)])],
);
