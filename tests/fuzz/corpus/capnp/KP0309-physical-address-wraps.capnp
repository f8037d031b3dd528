# A fixed physical region that wraps past 2^64 (it used to compile).
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000),
               (name = "high", size = 0x2000, address = 0x200000, physicalAddress = 0xfffffffffffff000)],  # expect KP0309 @ "0xfffff"
     threads = [(name = "main", stack = "stack")]),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
