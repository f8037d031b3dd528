# Tunnel "data" rings a doorbell in "b", which has no thread to wait on it.
@0xd2b7e4a9c1f30b5a;
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
    (name = "b", program = "b.elf",  # expect KP0901 @ ""b"
     memory = [(name = "data", size = 0x4000, address = 0x100000)],
     tunnelWindow = (base = 0x20000000, size = 0x2000)),
  ],
  endpoints = [(name = "ipcm", server = "ipcm",
                clients = [(partition = "a", badge = 1), (partition = "b", badge = 2)])],
  tunnels = [(name = "data", ends = ["a", "b"], size = 0x2000, doorbell = true)],  # expect KP1009 @ "true"
  # No watcher: a stopped end's tunnels would stay open.
  # expect KP0907 @ ""ipcm"" +1
  ipcm = (partition = "ipcm", endpoint = "ipcm", pool = "pool"),
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "a", durationUs = 500),
                          (partition = "b", durationUs = 500)])],  # expect KP0906 @ ""b", durationUs"
);
