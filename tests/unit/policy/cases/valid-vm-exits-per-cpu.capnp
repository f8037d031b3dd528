# A VM with vCPUs on CPUs 0, 1 and again 1: an exit endpoint per CPU, each
# served by the VMM's thread there (its passive one on CPU 1, which also has
# a thread with time of its own); the VMM's thread on CPU 2 serves none.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "vmm", program = "vmm.elf",
     memory = [(name = "s0", size = 0x4000, address = 0x100000), (name = "s1", size = 0x4000, address = 0x200000),
               (name = "s1-busy", size = 0x4000, address = 0x300000), (name = "s2", size = 0x4000, address = 0x400000)],
     threads = [(name = "cpu0", stack = "s0", priority = 20, passive = true, cpu = 0),
                (name = "busy", stack = "s1-busy", priority = 20, cpu = 1),
                (name = "cpu1", stack = "s1", priority = 20, passive = true, cpu = 1),
                (name = "input", stack = "s2", priority = 20, cpu = 2)]),
    (name = "guest", vm = (cpus = [0, 1, 1], ramSize = 0x200000, kernel = "Image", vmm = "vmm", priority = 10)),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "guest", durationUs = 1000)]),
              (cpu = 1, majorFrameUs = 1000,
               windows = [(partition = "guest", durationUs = 500), (partition = "vmm", durationUs = 500)]),
              (cpu = 2, majorFrameUs = 1000, windows = [(partition = "vmm", durationUs = 1000)])],
);
