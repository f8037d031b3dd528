# Channel "log" is 0x1800 bytes, not a multiple of 4 KiB.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
    (name = "b", program = "b.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
  ],
  channels = [
    (name = "log", size = 0x1800,  # expect KP0315 @ "0x1800"
     writer = (partition = "a", address = 0x200000),
     readers = [(partition = "b", address = 0x200000)]),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 500),
                                                         (partition = "b", durationUs = 500)])],
);
