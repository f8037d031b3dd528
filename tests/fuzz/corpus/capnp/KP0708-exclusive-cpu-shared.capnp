# Partition "b" has a thread on CPU 1, which is given exclusively to "a".
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack", cpu = 1)]),
    (name = "b", program = "b.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000),
               (name = "worker-stack", size = 0x4000, address = 0x200000)],
     threads = [(name = "main", stack = "stack"),
                (name = "worker", stack = "worker-stack", cpu = 1)]),  # expect KP0708 @ "1"
  ],
  schedule = [
    (cpu = 0, majorFrameUs = 1000, windows = [(partition = "b", durationUs = 1000)]),
    (cpu = 1, exclusive = "a"),
  ],
);
