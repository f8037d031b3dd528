# Channel and reader names are valid, but the doorbell "<channel>.doorbell.<reader>" has 70 characters.
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
    (name = "rxxxxxxxxxxxxxxxxxxx", program = "b.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
  ],
  channels = [(name = "cxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", size = 0x1000, doorbell = true,
               writer = (partition = "a", address = 0x200000),
               readers = [(partition = "rxxxxxxxxxxxxxxxxxxx", address = 0x200000)])],  # expect KP0116 @ ""rxxxxxxxxxxxxxxxxxxx""
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "a", durationUs = 500), (partition = "rxxxxxxxxxxxxxxxxxxx", durationUs = 500)])],
);
