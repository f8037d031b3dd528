# Two threads of partition "a" named "main".
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000),
               (name = "stack2", size = 0x4000, address = 0x200000)],
     threads = [(name = "main", stack = "stack"),
                (name = "main", stack = "stack2")]),  # expect KP0106 @ ""main""
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
