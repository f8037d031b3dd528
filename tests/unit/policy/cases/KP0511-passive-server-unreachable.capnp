# "client" on CPU 1 calls the passive server "db", whose thread is on CPU 0,
# where "client" has no window: the server would never run on its time.
@0xb5d1e3f7a9c20e41;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "db", program = "db.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack", priority = 10, passive = true, cpu = 0)]),
    (name = "client", program = "client.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack", priority = 5, cpu = 1)]),
    (name = "other", program = "other.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack", priority = 5, cpu = 0)]),
  ],
  endpoints = [
    (name = "query", server = "db",
     clients = [(partition = "client", badge = 1),  # expect KP0511 @ ""client""
                (partition = "other", badge = 2)]),
  ],
  schedule = [
    (cpu = 0, majorFrameUs = 1000, windows = [(partition = "other", durationUs = 1000)]),
    (cpu = 1, majorFrameUs = 1000, windows = [(partition = "client", durationUs = 1000)]),
  ],
);
