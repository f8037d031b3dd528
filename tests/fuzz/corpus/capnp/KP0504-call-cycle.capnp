# "a" calls "b" and "b" calls "a": the calls form a cycle.
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
  endpoints = [
    (name = "a-svc", server = "a",
     clients = [(partition = "b", badge = 1)]),  # expect KP0504 @ ""b""
    (name = "b-svc", server = "b",
     clients = [(partition = "a", badge = 1)]),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "a", durationUs = 500), (partition = "b", durationUs = 500)])],
);
