# Memory region "more" is fixed at physical 0x48001000, inside "data" [0x48000000, 0x48002000).
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000),
               (name = "data", size = 0x2000, address = 0x200000, physicalAddress = 0x48000000),
               (name = "more", size = 0x1000, address = 0x300000, physicalAddress = 0x48001000)],  # expect KP0307 @ "0x48001000"
     threads = [(name = "main", stack = "stack")]),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
