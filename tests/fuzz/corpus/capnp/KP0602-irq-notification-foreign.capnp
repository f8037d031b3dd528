# The interrupts of "a"'s device "rtc" go to a notification "b" owns.
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
     devices = [(device = "rtc", notification = "rtc-irq")]),  # expect KP0602 @ ""rtc-irq""
    (name = "b", program = "b.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
  ],
  notifications = [(name = "rtc-irq", owner = "b")],
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "a", durationUs = 500), (partition = "b", durationUs = 500)])],
);
