# The rtc grant's notification "rtc-irg" is a misspelling of "rtc-irq":
# reported with a suggestion; that "rtc-irq" then has no signallers (KP0903)
# follows from it and is not reported.
# expect-hint did you mean 'rtc-irq'?
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
     devices = [(device = "rtc", notification = "rtc-irg")]),  # expect KP0114 @ ""rtc-irg""
  ],
  notifications = [(name = "rtc-irq", owner = "a")],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
