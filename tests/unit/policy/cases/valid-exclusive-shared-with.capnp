# A VM's CPU shared with the partitions its I/O goes through: CPU 0
# belongs to the VM "guest", and "driver" (a thread with time of its own)
# and "vmm" (a device thread with time of its own beside its passive exit
# thread) run there too, by priority (no KP0708). The driver calls a
# passive server on CPU 0, which its place in sharedWith gives time for
# (no KP0511).
@0xd6f2b8e4a0c31f75;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "console", program = "console.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack", priority = 200, passive = true, cpu = 0)]),
    (name = "driver", program = "driver.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack", priority = 180, cpu = 0)]),
    (name = "vmm", program = "vmm.elf",
     memory = [(name = "s0", size = 0x4000, address = 0x100000), (name = "s1", size = 0x4000, address = 0x200000)],
     threads = [(name = "cpu0", stack = "s0", priority = 150, passive = true, cpu = 0),
                (name = "devices-guest", stack = "s1", priority = 150, cpu = 0)]),
    (name = "guest", vm = (cpus = [0], ramSize = 0x200000, kernel = "Image", vmm = "vmm", priority = 100)),
  ],
  endpoints = [(name = "console", server = "console",
                clients = [(partition = "vmm", badge = 1), (partition = "driver", badge = 2)])],
  schedule = [(cpu = 0, exclusive = "guest", sharedWith = ["driver", "vmm"])],
);
