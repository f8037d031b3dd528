# The VMM's tunnel control page of VM "b" (the 4 KiB after its tunnel window)
# would lie where the VM already sees its emulated PL011.
@0xd2b7e4a9c1f30b5b;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "ipcm", program = "ipcm.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000),
               (name = "pool", size = 0x2000, address = 0x800000)],
     threads = [(name = "main", stack = "stack", priority = 50, passive = true)]),
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack", priority = 10)],
     tunnelWindow = (base = 0x10000000, size = 0x2000)),
    (name = "b", vm = (cpus = [0], ramSize = 0x200000, kernel = "Image", vmm = "a", priority = 10,
                       emulated = [(name = "uart", kind = pl011, address = 0x20002000, interrupt = 33)]),
     tunnelWindow = (base = 0x20000000, size = 0x2000)),  # expect KP1019 @ "0x20000000"
  ],
  endpoints = [(name = "ipcm", server = "ipcm",
                clients = [(partition = "a", badge = 1), (partition = "b", badge = 2)])],
  tunnels = [(name = "data", ends = ["a", "b"], size = 0x2000)],
  # No watcher: a stopped end's tunnels would stay open.
  # expect KP0907 @ ""ipcm"" +1
  ipcm = (partition = "ipcm", endpoint = "ipcm", pool = "pool"),
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "a", durationUs = 500), (partition = "b", durationUs = 500)])],
);
