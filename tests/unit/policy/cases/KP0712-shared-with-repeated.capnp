# CPU 1 belongs to "a"; its sharedWith names "b" twice and "a" itself.
@0xc2e5f8b3d0a41e72;
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
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack", cpu = 1)]),
  ],
  schedule = [
    (cpu = 0, exclusive = "b"),
    (cpu = 1, exclusive = "a", sharedWith = ["b",
                                             "b",  # expect KP0712 @ ""b""
                                             "a"]),  # expect KP0712 @ ""a""
  ],
);
