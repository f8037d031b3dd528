# CPU 0 has windows, yet lists a partition in sharedWith (which only goes
# with an exclusive owner).
@0xb1d4e7a2c9f30d61;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
    (name = "b", program = "b.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
  ],
  schedule = [
    (cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 500), (partition = "b", durationUs = 500)],
     sharedWith = ["b"]),  # expect KP0709 @ "["
  ],
);
