# Two emulated devices of the VM named "console".
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000), (name = "exits", size = 0x4000, address = 0x200000)],
     threads = [(name = "main", stack = "stack"), (name = "exits", stack = "exits", passive = true, cpu = 1)]),
    (name = "guest",
     vm = (cpus = [1], ramSize = 0x8000000, kernel = "Image", vmm = "a", vmmRamAddress = 0x80000000,
           emulated = [(name = "console", kind = virtioConsole, address = 0xa000000, interrupt = 80),
                       (name = "console", kind = pl011, address = 0xa001000, interrupt = 81)])),  # expect KP0109 @ ""console""
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)]),
              (cpu = 1, majorFrameUs = 1000, windows = [(partition = "guest", durationUs = 1000)])],
);
