# The thread's faultHandler "fualts" is a misspelling of endpoint "faults":
# reported with a suggestion; that "faults" then has no clients (KP0902)
# follows from it and is not reported.
# expect-hint did you mean 'faults'?
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack", faultHandler = "fualts")]),  # expect KP0112 @ ""fualts""
    (name = "monitor", program = "monitor.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
  ],
  endpoints = [(name = "faults", server = "monitor")],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 500),
                                                         (partition = "monitor", durationUs = 500)])],
);
