# kernelConsole names "uart1", which the platform does not have.
# expect-hint did you mean 'uart0'?
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
const system :K.System = (
  name = "case",
  platform = (
    name = "qemu-virt",
    cpus = 4,
    vmidBits = 8,
    ram = [(base = 0x40000000, size = 0x40000000)],
    kernelReserved = (base = 0x40000000, size = 0x800000),
    gicDistributor = (base = 0x08000000, size = 0x10000),
    gicRedistributors = (base = 0x080a0000, size = 0xf60000),
    hypervisorTimerIntid = 26,
    virtualTimerIntid = 27,
    kernelConsole = "uart1",  # expect KP0211 @ ""uart1""
    devices = [
      (name = "uart0", mmio = [(base = 0x09000000, size = 0x1000)], interrupts = [33], compatible = "arm,pl011"),
      (name = "rtc", mmio = [(base = 0x09010000, size = 0x1000)], interrupts = [34], compatible = "arm,pl031"),
      (name = "gpio", mmio = [(base = 0x09030000, size = 0x1000)], interrupts = [39], compatible = "arm,pl061"),
    ],
  ),
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
