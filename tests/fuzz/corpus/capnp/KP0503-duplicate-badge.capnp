# Clients "b" and "c" of endpoint "svc" have the same badge.
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
    (name = "c", program = "c.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
  ],
  endpoints = [
    (name = "svc", server = "a",
     clients = [(partition = "b", badge = 1),
                (partition = "c", badge = 1)]),  # expect KP0503 @ "1"
  ],
  schedule = [(cpu = 0, majorFrameUs = 900,
               windows = [(partition = "a", durationUs = 300), (partition = "b", durationUs = 300),
                          (partition = "c", durationUs = 300)])],
);
