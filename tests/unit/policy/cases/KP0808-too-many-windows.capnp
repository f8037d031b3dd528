# CPU 0 has 65 windows; the kernel supports at most 64 per CPU.
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
    (name = "b", program = "b.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
  ],
  schedule = [(cpu = 0, majorFrameUs = 650,
               windows = [  # expect KP0808 @ "["
                 (partition = "a", durationUs = 10), (partition = "b", durationUs = 10), (partition = "a", durationUs = 10), (partition = "b", durationUs = 10),
                 (partition = "a", durationUs = 10), (partition = "b", durationUs = 10), (partition = "a", durationUs = 10), (partition = "b", durationUs = 10),
                 (partition = "a", durationUs = 10), (partition = "b", durationUs = 10), (partition = "a", durationUs = 10), (partition = "b", durationUs = 10),
                 (partition = "a", durationUs = 10), (partition = "b", durationUs = 10), (partition = "a", durationUs = 10), (partition = "b", durationUs = 10),
                 (partition = "a", durationUs = 10), (partition = "b", durationUs = 10), (partition = "a", durationUs = 10), (partition = "b", durationUs = 10),
                 (partition = "a", durationUs = 10), (partition = "b", durationUs = 10), (partition = "a", durationUs = 10), (partition = "b", durationUs = 10),
                 (partition = "a", durationUs = 10), (partition = "b", durationUs = 10), (partition = "a", durationUs = 10), (partition = "b", durationUs = 10),
                 (partition = "a", durationUs = 10), (partition = "b", durationUs = 10), (partition = "a", durationUs = 10), (partition = "b", durationUs = 10),
                 (partition = "a", durationUs = 10), (partition = "b", durationUs = 10), (partition = "a", durationUs = 10), (partition = "b", durationUs = 10),
                 (partition = "a", durationUs = 10), (partition = "b", durationUs = 10), (partition = "a", durationUs = 10), (partition = "b", durationUs = 10),
                 (partition = "a", durationUs = 10), (partition = "b", durationUs = 10), (partition = "a", durationUs = 10), (partition = "b", durationUs = 10),
                 (partition = "a", durationUs = 10), (partition = "b", durationUs = 10), (partition = "a", durationUs = 10), (partition = "b", durationUs = 10),
                 (partition = "a", durationUs = 10), (partition = "b", durationUs = 10), (partition = "a", durationUs = 10), (partition = "b", durationUs = 10),
                 (partition = "a", durationUs = 10), (partition = "b", durationUs = 10), (partition = "a", durationUs = 10), (partition = "b", durationUs = 10),
                 (partition = "a", durationUs = 10), (partition = "b", durationUs = 10), (partition = "a", durationUs = 10), (partition = "b", durationUs = 10),
                 (partition = "a", durationUs = 10), (partition = "b", durationUs = 10), (partition = "a", durationUs = 10), (partition = "b", durationUs = 10),
                 (partition = "a", durationUs = 10),
               ])],
);
