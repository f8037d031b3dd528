# "client\0x" names no partition, but cut at its NUL it would name "client".
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "server", program = "server.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack", priority = 100, passive = true)]),
    (name = "client", program = "client.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack", priority = 50)]),
  ],
  endpoints = [(name = "greeting", server = "server",
                clients = [(partition = "client\0x", badge = 1)])],  # expect KP0012 @ ""client"
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "client", durationUs = 1000)])],
);
