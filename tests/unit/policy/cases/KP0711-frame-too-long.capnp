# A major frame and its window of 2^62 ns + 1 us: the kernel could not count them in ticks.
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
  schedule = [(cpu = 0,
               majorFrameUs = 4611686018427388,  # expect KP0711 @ "4611686018427388"
               windows = [(partition = "a",
                           durationUs = 4611686018427388)])],  # expect KP0711 @ "4611686018427388"
);
