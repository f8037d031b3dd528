# Five independent mistakes: one run reports every one of them.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4001, address = 0x100000),  # expect KP0302 @ "0x4001"
               (name = "code", size = 0x1000, address = 0x200000, access = readWriteExecute)],  # expect KP0311 @ "readWriteExecute"
     threads = [(name = "main", stack = "stack", cpu = 7)]),  # expect KP0405 @ "7"
    (name = "b", program = "b.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
  ],
  endpoints = [(name = "e", server = "nobody", clients = [(partition = "a", badge = 1)])],  # expect KP0110 @ ""nobody""
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "b", durationUs = 900)])],  # expect KP0703 @ "1000"
);
