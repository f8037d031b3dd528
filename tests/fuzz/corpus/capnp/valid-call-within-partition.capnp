# Two threads of one partition: "worker" calls the endpoint "main" serves.
@0xd1e5a3c7b9f24681;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000),
               (name = "worker-stack", size = 0x4000, address = 0x200000)],
     threads = [(name = "main", stack = "stack", priority = 20),
                (name = "worker", stack = "worker-stack", priority = 10)]),
  ],
  endpoints = [(name = "svc", server = "a", serverThread = "main", clients = [(partition = "a", badge = 1)])],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
