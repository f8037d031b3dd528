# Thread "worker" sends its faults to an endpoint its own partition serves.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000),
               (name = "worker-stack", size = 0x4000, address = 0x200000)],
     threads = [(name = "main", stack = "stack"),
                (name = "worker", stack = "worker-stack", faultHandler = "faults")]),  # expect KP0407 @ ""faults""
    (name = "b", program = "b.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
  ],
  endpoints = [(name = "faults", server = "a", clients = [(partition = "b", badge = 1)])],
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "a", durationUs = 500), (partition = "b", durationUs = 500)])],
);
