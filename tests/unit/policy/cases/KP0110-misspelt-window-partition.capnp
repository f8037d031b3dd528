# A window names "sever", a misspelling of partition "server": reported once,
# at the window, with a suggestion. That "server" then has no window on CPU 0
# (KP0706) follows from the misspelling and is not reported before it.
# expect-hint did you mean 'server'?
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "client", program = "client.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
    (name = "server", program = "server.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "client", durationUs = 500),
                          (partition = "sever", durationUs = 500)])],  # expect KP0110 @ ""sever""
);
