# Client "a" (priority 10) calls a passive server of priority 5.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack", priority = 10)]),
    (name = "server", program = "server.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "serve", stack = "stack", passive = true, priority = 5)]),
  ],
  endpoints = [(name = "svc", server = "server", clients = [(partition = "a", badge = 1)])],  # expect KP0505 @ ""a""
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
