# The VM "b" calls the passive IPCM through its VMM "a", whose doorbell
# thread has priority 60, above the IPCM's 50: reported for b (its calls
# are a's) as for a itself.
@0xd2b7e4a9c1f30b58;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "ipcm", program = "ipcm.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000),
               (name = "watcher-stack", size = 0x4000, address = 0x200000),
               (name = "pool", size = 0x6000, address = 0x800000)],
     threads = [(name = "main", stack = "stack", priority = 50, passive = true),
                (name = "watcher", stack = "watcher-stack", priority = 50)]),
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000),
               (name = "tunnel-stack", size = 0x4000, address = 0x300000)],
     # "doorbell" waits on b's doorbell of "data" and raises its SPI in b.
     threads = [(name = "main", stack = "stack", priority = 10),
                (name = "doorbell", stack = "tunnel-stack", priority = 60)],
     tunnelWindow = (base = 0x10000000, size = 0x6000)),
    (name = "b", vm = (cpus = [0], ramSize = 0x200000, kernel = "Image", vmm = "a", priority = 10),
     tunnelWindow = (base = 0x20000000, size = 0x6000)),
  ],
  endpoints = [(name = "ipcm", server = "ipcm", serverThread = "main",
                clients = [(partition = "a", badge = 1),  # expect KP0505 @ ""a""
                           (partition = "b", badge = 2),  # expect KP0505 @ ""b""
                           (partition = "ipcm", badge = 3)])],
  tunnels = [
    (name = "data", ends = ["a", "b"], size = 0x2000, doorbell = true),
    (name = "log", ends = ["a", "b"], size = 0x2000, access = firstWrites, maxOpen = 2),
  ],
  ipcm = (partition = "ipcm", endpoint = "ipcm", pool = "pool", watcher = "watcher"),
  schedule = [(cpu = 0, majorFrameUs = 1500,
               windows = [(partition = "a", durationUs = 500), (partition = "b", durationUs = 500),
                          (partition = "ipcm", durationUs = 500)])],
);
