# The endpoint's serverThread "wroker" is a misspelling of the server's
# passive thread "worker": reported with a suggestion, and the passive
# thread serving nothing (KP0409) follows from it and is not reported.
# expect-hint did you mean 'worker'?
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
                (name = "worker", stack = "worker-stack", passive = true)]),
    (name = "b", program = "b.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
  ],
  endpoints = [
    (name = "service", server = "a", serverThread = "wroker",  # expect KP0111 @ ""wroker""
     clients = [(partition = "b", badge = 1)]),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 500),
                                                         (partition = "b", durationUs = 500)])],
);
