# Memory region "data" is 2 GiB; the platform has 1 GiB of RAM.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000),
               (name = "data", size = 0x80000000, address = 0x40000000)],  # expect KP0313 @ "0x80000000"
     threads = [(name = "main", stack = "stack")]),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
