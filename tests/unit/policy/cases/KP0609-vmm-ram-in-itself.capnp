# VM "guest" is its own VMM and asks for its RAM there too, over its own
# RAM: the VMM must be a native partition, and nothing is mapped twice.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "guest",
     vm = (cpus = [0], ramSize = 0x200000, kernel = "Image", vmm = "guest",  # expect KP0609 @ ""guest""
           vmmRamAddress = 0x40000000)),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "guest", durationUs = 1000)])],
);
