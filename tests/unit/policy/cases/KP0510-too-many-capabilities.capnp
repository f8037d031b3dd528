# VMM "vmm" needs 264 capabilities (8 VM exit endpoints, 256 vCPUs); the kernel allows 256.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
# Every guest is the same VM with 32 vCPUs, eight on each CPU.
const guest :K.VirtualMachine = (
  cpus = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3],
  ramSize = 0x200000, kernel = "Image", vmm = "vmm");
const guestWindows :List(K.Window) = [
  (partition = "guest0", durationUs = 100), (partition = "guest1", durationUs = 100),
  (partition = "guest2", durationUs = 100), (partition = "guest3", durationUs = 100),
  (partition = "guest4", durationUs = 100), (partition = "guest5", durationUs = 100),
  (partition = "guest6", durationUs = 100), (partition = "guest7", durationUs = 100),
];
const system :K.System = (
  name = "case",
  platform = Virt.platform,
  partitions = [
    (name = "vmm", program = "vmm.elf",  # expect KP0510 @ ""vmm""
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
    (name = "guest0", vm = .guest), (name = "guest1", vm = .guest),
    (name = "guest2", vm = .guest), (name = "guest3", vm = .guest),
    (name = "guest4", vm = .guest), (name = "guest5", vm = .guest),
    (name = "guest6", vm = .guest), (name = "guest7", vm = .guest),
  ],
  schedule = [
    (cpu = 0, majorFrameUs = 1000, windows = [
      (partition = "vmm", durationUs = 200),
      (partition = "guest0", durationUs = 100), (partition = "guest1", durationUs = 100),
      (partition = "guest2", durationUs = 100), (partition = "guest3", durationUs = 100),
      (partition = "guest4", durationUs = 100), (partition = "guest5", durationUs = 100),
      (partition = "guest6", durationUs = 100), (partition = "guest7", durationUs = 100)]),
    (cpu = 1, majorFrameUs = 800, windows = .guestWindows),
    (cpu = 2, majorFrameUs = 800, windows = .guestWindows),
    (cpu = 3, majorFrameUs = 800, windows = .guestWindows),
  ],
);
