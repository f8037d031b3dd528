# Passive server thread "serve" has a budget.
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
    (name = "server", program = "server.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "serve", stack = "stack", passive = true, budgetUs = 100, periodUs = 1000)]),  # expect KP0408 @ "100"
  ],
  endpoints = [(name = "svc", server = "server", clients = [(partition = "a", badge = 1)])],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
