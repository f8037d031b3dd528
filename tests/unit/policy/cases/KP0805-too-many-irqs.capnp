# 257 device interrupts are delivered; the kernel supports at most 256.
# The platform is QEMU virt's plus two devices with 129 (SPIs 32-160) and 128 (161-288) interrupts.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "case",
  platform = (
    name = "virt-many-irqs", cpus = 4, vmidBits = 8,
    ram = [(base = 0x40000000, size = 0x40000000)],
    kernelReserved = (base = 0x40000000, size = 0x800000),
    gicDistributor = (base = 0x08000000, size = 0x10000),
    gicRedistributors = (base = 0x080a0000, size = 0xf60000),
    hypervisorTimerIntid = 26, virtualTimerIntid = 27,
    kernelConsole = "uart0",
    devices = [(name = "uart0", mmio = [(base = 0x09000000, size = 0x1000)], interrupts = [289],
                compatible = "arm,pl011"),
               (name = "big0", mmio = [(base = 0x0c000000, size = 0x1000)], interrupts = [
        32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,
        48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
        64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79,
        80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95,
        96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
        112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127,
        128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143,
        144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159,
        160],
                compatible = "example,big"),
               (name = "big1", mmio = [(base = 0x0c001000, size = 0x1000)], interrupts = [
        161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 175, 176,
        177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191, 192,
        193, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208,
        209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223, 224,
        225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240,
        241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255, 256,
        257, 258, 259, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 270, 271, 272,
        273, 274, 275, 276, 277, 278, 279, 280, 281, 282, 283, 284, 285, 286, 287, 288],
                compatible = "example,big")],
  ),
  partitions = [  # expect KP0805 @ "["
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")],
     devices = [(device = "big0", notification = "a-irq")]),
    (name = "b", program = "b.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")],
     devices = [(device = "big1", notification = "b-irq")]),
  ],
  notifications = [(name = "a-irq", owner = "a"), (name = "b-irq", owner = "b")],
  schedule = [(cpu = 0, majorFrameUs = 1000,
               windows = [(partition = "a", durationUs = 500), (partition = "b", durationUs = 500)])],
);
