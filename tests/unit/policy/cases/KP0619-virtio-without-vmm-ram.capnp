# VM "guest" has a virtio console, but its VMM does not map the guest's RAM
# (no vmmRamAddress), where the device's queues would be. Its PL011 alone
# would need nothing.
@0xb81d4e6a93c2f107;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "vmm", program = "vmm.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
    (name = "guest",
     vm = (cpus = [0], ramSize = 0x200000, kernel = "Image", vmm = "vmm",
           emulated = [(name = "uart", kind = pl011, address = 0x9000000, interrupt = 33),
                       (name = "hvc", kind = virtioConsole, address = 0xa000000, interrupt = 80),  # expect KP0619 @ "virtioConsole"
                       (name = "hvc1", kind = virtioConsole, address = 0xa001000, interrupt = 81)])),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "vmm", durationUs = 500), (partition = "guest", durationUs = 500)])],
);
