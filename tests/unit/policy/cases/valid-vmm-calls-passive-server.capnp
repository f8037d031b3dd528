# A VMM whose passive exit thread on CPU 1 calls a passive console server on
# CPU 0: the VMM has no window anywhere, but its calls carry the time of the
# vCPU whose exit it handles, and the VM has a window on CPU 0 (KP0511 holds
# for the VM's windows as for the VMM's own).
@0xc5e1a7d3f9b20e64;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "console", program = "console.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack", priority = 30, passive = true, cpu = 0)]),
    (name = "vmm", program = "vmm.elf",
     memory = [(name = "s0", size = 0x4000, address = 0x100000), (name = "s1", size = 0x4000, address = 0x200000)],
     threads = [(name = "cpu0", stack = "s0", priority = 20, passive = true, cpu = 0),
                (name = "cpu1", stack = "s1", priority = 20, passive = true, cpu = 1)]),
    (name = "guest", vm = (cpus = [0, 1], ramSize = 0x200000, kernel = "Image", vmm = "vmm", priority = 10)),
  ],
  endpoints = [(name = "console", server = "console", clients = [(partition = "vmm", badge = 1)])],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "guest", durationUs = 1000)]),
              (cpu = 1, majorFrameUs = 1000, windows = [(partition = "guest", durationUs = 1000)])],
);
