# A VM's name of 53 characters is valid, but its exit endpoint for CPU 0,
# "<vm>.exits-cpu0", has 64.
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
    (name = "gxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  # expect KP0116 @ ""gxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx""
     vm = (cpus = [0], ramSize = 0x200000, kernel = "Image", vmm = "vmm")),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "vmm", durationUs = 500), (partition = "gxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", durationUs = 500)])],
);
