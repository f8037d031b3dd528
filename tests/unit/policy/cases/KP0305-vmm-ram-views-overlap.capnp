# One VMM sees the RAM of VMs "a" and "b" in overlapping ranges; reported at
# the VM written later.
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
    (name = "a",
     vm = (cpus = [0], ramSize = 0x400000, kernel = "Image", vmm = "vmm", vmmRamAddress = 0x80000000)),
    (name = "b",
     vm = (cpus = [0], ramSize = 0x200000, kernel = "Image", vmm = "vmm",
           vmmRamAddress = 0x80200000)),  # expect KP0305 @ "0x80200000"
  ],
  schedule = [(cpu = 0, majorFrameUs = 900,
               windows = [(partition = "vmm", durationUs = 300), (partition = "a", durationUs = 300),
                          (partition = "b", durationUs = 300)])],
);
