# The schedule misspells majorFrameUs as majorFrame, which Cap'n Proto rejects.
# expect-hint did you mean 'majorFrameUs'?
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
  ],
  schedule = [(cpu = 0, majorFrame = 1000, windows = [(partition = "a", durationUs = 1000)])],  # expect KP0002 @ "majorFrame"
);
