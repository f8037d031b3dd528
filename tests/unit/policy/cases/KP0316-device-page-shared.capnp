# virtio0 and virtio1 share one 4 KiB page but are granted to different partitions.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")],
     devices = [(device = "virtio0", notification = "irq-a")]),
    (name = "b", program = "b.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")],
     devices = [(device = "virtio1", notification = "irq-b")]),  # expect KP0316 @ ""virtio1""
  ],
  notifications = [(name = "irq-a", owner = "a"), (name = "irq-b", owner = "b")],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 500),
                                                         (partition = "b", durationUs = 500)])],
);
