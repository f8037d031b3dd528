# A fixed physical region ending exactly at 2^64 is not inside RAM (it used
# to pass as inside, its end wrapping to 0; found by fuzzing).
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000),
               (name = "high", size = 0x2000, address = 0x200000, physicalAddress = 0xffffffffffffe000)],  # expect KP0306 @ "0xfffff"
     threads = [(name = "main", stack = "stack")]),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
