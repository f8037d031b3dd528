# The VM's VMM has no thread, so nothing could receive the VM's exits.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "vmm", program = "vmm.elf"),  # expect KP0901 @ ""vmm""
    (name = "guest", vm = (cpus = [1], ramSize = 0x200000, kernel = "Image", vmm = "vmm")),  # expect KP0506 @ ""vmm")"
  ],
  schedule = [(cpu = 1, exclusive = "guest")],
);
