# The second vCPU of VM "guest" is pinned to CPU 4; the platform has CPUs 0-3.
@0xa7c3e9d1f2b40c55;
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
     vm = (ramSize = 0x200000, kernel = "Image", vmm = "vmm",
           cpus = [0, 4])),  # expect KP0604 @ "4"
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "vmm", durationUs = 500), (partition = "guest", durationUs = 500)])],
);
