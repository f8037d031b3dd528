# An endpoint used only as a fault handler needs no clients: no warning.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "app", program = "app.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack", faultHandler = "faults")]),
    (name = "monitor", program = "monitor.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack", priority = 200)]),
  ],
  endpoints = [(name = "faults", server = "monitor")],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "app", durationUs = 500),
                                                       (partition = "monitor", durationUs = 500)])],
);
