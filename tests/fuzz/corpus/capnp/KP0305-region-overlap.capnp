# Memory region "data" starts at 0x102000, inside "stack" [0x100000, 0x104000).
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000),
               (name = "data", size = 0x4000, address = 0x102000)],  # expect KP0305 @ "0x102000"
     threads = [(name = "main", stack = "stack")]),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
