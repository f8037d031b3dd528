# The VMM of VM "guest" is VM "other", which is to see the guest's RAM over
# its own: the VMM must be a native partition, and nothing is mapped there.
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
    (name = "other",
     vm = (cpus = [0], ramSize = 0x200000, kernel = "Image", vmm = "vmm")),
    (name = "guest",
     vm = (cpus = [0], ramSize = 0x200000, kernel = "Image", vmm = "other",  # expect KP0610 @ ""other""
           vmmRamAddress = 0x40000000)),
  ],
  schedule = [(cpu = 0, majorFrameUs = 900,
               windows = [(partition = "vmm", durationUs = 300), (partition = "other", durationUs = 300),
                          (partition = "guest", durationUs = 300)])],
);
