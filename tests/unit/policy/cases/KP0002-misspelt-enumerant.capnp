# The region's access "readWrit" is a misspelling of readWrite, which Cap'n
# Proto rejects as not defined; the hint suggests the enumerant.
# expect-hint did you mean 'readWrite'?
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000, access = readWrit)],  # expect KP0002 @ "readWrit"
     threads = [(name = "main", stack = "stack")]),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
