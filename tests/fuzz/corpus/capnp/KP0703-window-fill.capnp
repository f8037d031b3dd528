# The windows of CPU 0 add up to 900 us; the major frame is 1000 us.
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
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 900)])],  # expect KP0703 @ "1000"
);
