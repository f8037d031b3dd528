# Endpoint "svc" is served by "server", which has no thread (and so is idle).
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
    (name = "server", program = "server.elf",  # expect KP0901 @ ""server""
     memory = [(name = "buffer", size = 0x4000, address = 0x100000)]),
  ],
  endpoints = [(name = "svc", server = "server", clients = [(partition = "a", badge = 1)])],  # expect KP0506 @ ""server""
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
