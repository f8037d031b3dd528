# A guest range ending exactly at 2^64 does not wrap; it is beyond the 40-bit space.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000),
               (name = "top", size = 0x1000, address = 0xfffffffffffff000)],  # expect KP0310 @ "0xfffff"
     threads = [(name = "main", stack = "stack")]),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
