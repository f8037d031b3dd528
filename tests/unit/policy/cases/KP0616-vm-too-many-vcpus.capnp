# Five vCPUs on a platform of four CPUs.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "vmm", program = "vmm.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000), (name = "s1", size = 0x4000, address = 0x200000),
               (name = "s2", size = 0x4000, address = 0x300000), (name = "s3", size = 0x4000, address = 0x400000)],
     threads = [(name = "main", stack = "stack"), (name = "cpu1", stack = "s1", passive = true, cpu = 1),
                (name = "cpu2", stack = "s2", passive = true, cpu = 2),
                (name = "cpu3", stack = "s3", passive = true, cpu = 3)]),
    (name = "guest",
     vm = (cpus = [0, 1, 2, 3, 0], ramSize = 0x200000, kernel = "Image", vmm = "vmm")),  # expect KP0616 @ "["
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "vmm", durationUs = 500), (partition = "guest", durationUs = 500)]),
              (cpu = 1, majorFrameUs = 1000, windows = [(partition = "guest", durationUs = 1000)]),
              (cpu = 2, majorFrameUs = 1000, windows = [(partition = "guest", durationUs = 1000)]),
              (cpu = 3, majorFrameUs = 1000, windows = [(partition = "guest", durationUs = 1000)])],
);
