# The VM's vCPUs run on CPUs 0 and 1; its VMM has a thread on CPU 0 only,
# so nothing could serve vCPU 1's exits on CPU 1, where they arrive.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "vmm", program = "vmm.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack", passive = true, cpu = 0)]),
    (name = "guest", vm = (cpus = [0, 1], ramSize = 0x200000, kernel = "Image", vmm = "vmm")),  # expect KP0512 @ "1]"
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "guest", durationUs = 1000)]),
              (cpu = 1, majorFrameUs = 1000, windows = [(partition = "guest", durationUs = 1000)])],
);
