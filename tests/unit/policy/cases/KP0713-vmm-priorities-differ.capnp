# CPU 0 belongs to the VM "guest" and is shared with its VMM, whose exit
# thread (150) and devices thread (140) would sit in one ready queue: a
# thread waiting for the VMM's lock yields only to its equals.
@0xe7a3c9f5b1d42a86;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "vmm", program = "vmm.elf",
     memory = [(name = "s0", size = 0x4000, address = 0x100000), (name = "s1", size = 0x4000, address = 0x200000)],
     threads = [(name = "cpu0", stack = "s0", priority = 150, passive = true, cpu = 0),
                (name = "devices-guest", stack = "s1", priority = 140, cpu = 0)]),  # expect KP0713 @ "140"
    (name = "guest", vm = (cpus = [0], ramSize = 0x200000, kernel = "Image", vmm = "vmm", priority = 100)),
  ],
  schedule = [(cpu = 0, exclusive = "guest", sharedWith = ["vmm"])],
);
