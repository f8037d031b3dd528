# VM "guest" has no vCPUs.
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
     vm = (cpus = [], ramSize = 0x200000, kernel = "Image", vmm = "vmm")),  # expect KP0603 @ "[]"
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "vmm", durationUs = 1000)])],
);
