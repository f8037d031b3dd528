# A device's interrupts signal a notification with badge 0, which sets no bit.
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
     devices = [(device = "rtc", notification = "rtc-irq", badge = 0)]),  # expect KP0507 @ "0)"
  ],
  notifications = [(name = "rtc-irq", owner = "a")],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
