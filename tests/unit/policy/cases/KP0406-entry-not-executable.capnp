# Thread "main" starts at an address inside its (readWrite) stack region.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "code", size = 0x4000, address = 0x10000, access = readExecute),
               (name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack", entry = 0x100000)]),  # expect KP0406 @ "0x100000"
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
