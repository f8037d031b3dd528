# VM "guest" asks for its RAM in its VMM but names no VMM: one error, nothing mapped anywhere.
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
    (name = "guest",
     vm = (cpus = [0], ramSize = 0x200000, kernel = "Image", vmmRamAddress = 0x80000000)),  # expect KP0608 @ "("
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "a", durationUs = 500), (partition = "guest", durationUs = 500)])],
);
