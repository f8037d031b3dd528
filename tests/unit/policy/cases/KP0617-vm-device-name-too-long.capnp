# A device-tree node name has at most 31 characters; this emulated device's has 32.
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
           emulated = [(name = "console-with-a-very-long-name-32",  # expect KP0617 @ ""console"
                        kind = virtioConsole, address = 0xa000000, interrupt = 80)])),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "vmm", durationUs = 500), (partition = "guest", durationUs = 500)])],
);
