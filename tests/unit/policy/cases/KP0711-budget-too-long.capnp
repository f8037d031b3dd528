# Times reach the kernel in nanoseconds: 18446744073709552 us times 1000 would wrap to 384 ns.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack",
                 budgetUs = 18446744073709552,  # expect KP0711 @ "18446744073709552"
                 periodUs = 18446744073709552)]),  # expect KP0711 @ "18446744073709552"
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
