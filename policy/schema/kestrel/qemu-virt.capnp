# SPDX-License-Identifier: Apache-2.0
# The QEMU `virt` platform (-M virt,virtualization=on,gic-version=3 -m 1G),
# as QEMU 7.2's hw/arm/virt.c lays it out. Policies import it:
#   platform = Virt.platform       with -cpu cortex-a72 (8-bit VMIDs: at most
#                                  255 partitions)
#   platform = Virt.platformMax    with -cpu max,pauth-impdef=on (16-bit VMIDs)
# The two differ only in the CPU; everything else is written once below.

@0xe41f5c3a9b27d8c6;

using K = import "/kestrel/policy.capnp";

const platform :K.Platform = (
  name = "qemu-virt",
  cpus = 4,
  vmidBits = 8,  # Cortex-A72: ID_AA64MMFR1_EL1.VMIDBits = 0
  ram = .ram,
  kernelReserved = .kernelReserved,
  gicDistributor = .gicDistributor,
  gicRedistributors = .gicRedistributors,
  hypervisorTimerIntid = 26,
  virtualTimerIntid = 27,
  kernelConsole = "uart0",
  devices = .devices,
);

const platformMax :K.Platform = (
  name = "qemu-virt-max",
  cpus = 4,
  vmidBits = 16,  # -cpu max has FEAT_VMID16
  ram = .ram,
  kernelReserved = .kernelReserved,
  gicDistributor = .gicDistributor,
  gicRedistributors = .gicRedistributors,
  hypervisorTimerIntid = 26,
  virtualTimerIntid = 27,
  kernelConsole = "uart0",
  devices = .devices,
);

const ram :List(K.AddressRange) = [(base = 0x40000000, size = 0x40000000)];
const kernelReserved :K.AddressRange = (base = 0x40000000, size = 0x800000);
const gicDistributor :K.AddressRange = (base = 0x08000000, size = 0x10000);
const gicRedistributors :K.AddressRange = (base = 0x080a0000, size = 0xf60000);

const devices :List(K.Device) = [
  (name = "uart0", mmio = [(base = 0x09000000, size = 0x1000)], interrupts = [33],
   compatible = "arm,pl011"),
  (name = "rtc", mmio = [(base = 0x09010000, size = 0x1000)], interrupts = [34],
   compatible = "arm,pl031"),
  (name = "gpio", mmio = [(base = 0x09030000, size = 0x1000)], interrupts = [39],
   compatible = "arm,pl061"),
    # virtio-mmio transports: 0x200 bytes each, so eight share a page.
    # QEMU gives the first -device on its command line the last (virtio31).
  (name = "virtio0", mmio = [(base = 0x0a000000, size = 0x200)], interrupts = [48], compatible = "virtio,mmio"),
  (name = "virtio1", mmio = [(base = 0x0a000200, size = 0x200)], interrupts = [49], compatible = "virtio,mmio"),
  (name = "virtio2", mmio = [(base = 0x0a000400, size = 0x200)], interrupts = [50], compatible = "virtio,mmio"),
  (name = "virtio3", mmio = [(base = 0x0a000600, size = 0x200)], interrupts = [51], compatible = "virtio,mmio"),
  (name = "virtio4", mmio = [(base = 0x0a000800, size = 0x200)], interrupts = [52], compatible = "virtio,mmio"),
  (name = "virtio5", mmio = [(base = 0x0a000a00, size = 0x200)], interrupts = [53], compatible = "virtio,mmio"),
  (name = "virtio6", mmio = [(base = 0x0a000c00, size = 0x200)], interrupts = [54], compatible = "virtio,mmio"),
  (name = "virtio7", mmio = [(base = 0x0a000e00, size = 0x200)], interrupts = [55], compatible = "virtio,mmio"),
  (name = "virtio8", mmio = [(base = 0x0a001000, size = 0x200)], interrupts = [56], compatible = "virtio,mmio"),
  (name = "virtio9", mmio = [(base = 0x0a001200, size = 0x200)], interrupts = [57], compatible = "virtio,mmio"),
  (name = "virtio10", mmio = [(base = 0x0a001400, size = 0x200)], interrupts = [58], compatible = "virtio,mmio"),
  (name = "virtio11", mmio = [(base = 0x0a001600, size = 0x200)], interrupts = [59], compatible = "virtio,mmio"),
  (name = "virtio12", mmio = [(base = 0x0a001800, size = 0x200)], interrupts = [60], compatible = "virtio,mmio"),
  (name = "virtio13", mmio = [(base = 0x0a001a00, size = 0x200)], interrupts = [61], compatible = "virtio,mmio"),
  (name = "virtio14", mmio = [(base = 0x0a001c00, size = 0x200)], interrupts = [62], compatible = "virtio,mmio"),
  (name = "virtio15", mmio = [(base = 0x0a001e00, size = 0x200)], interrupts = [63], compatible = "virtio,mmio"),
  (name = "virtio16", mmio = [(base = 0x0a002000, size = 0x200)], interrupts = [64], compatible = "virtio,mmio"),
  (name = "virtio17", mmio = [(base = 0x0a002200, size = 0x200)], interrupts = [65], compatible = "virtio,mmio"),
  (name = "virtio18", mmio = [(base = 0x0a002400, size = 0x200)], interrupts = [66], compatible = "virtio,mmio"),
  (name = "virtio19", mmio = [(base = 0x0a002600, size = 0x200)], interrupts = [67], compatible = "virtio,mmio"),
  (name = "virtio20", mmio = [(base = 0x0a002800, size = 0x200)], interrupts = [68], compatible = "virtio,mmio"),
  (name = "virtio21", mmio = [(base = 0x0a002a00, size = 0x200)], interrupts = [69], compatible = "virtio,mmio"),
  (name = "virtio22", mmio = [(base = 0x0a002c00, size = 0x200)], interrupts = [70], compatible = "virtio,mmio"),
  (name = "virtio23", mmio = [(base = 0x0a002e00, size = 0x200)], interrupts = [71], compatible = "virtio,mmio"),
  (name = "virtio24", mmio = [(base = 0x0a003000, size = 0x200)], interrupts = [72], compatible = "virtio,mmio"),
  (name = "virtio25", mmio = [(base = 0x0a003200, size = 0x200)], interrupts = [73], compatible = "virtio,mmio"),
  (name = "virtio26", mmio = [(base = 0x0a003400, size = 0x200)], interrupts = [74], compatible = "virtio,mmio"),
  (name = "virtio27", mmio = [(base = 0x0a003600, size = 0x200)], interrupts = [75], compatible = "virtio,mmio"),
  (name = "virtio28", mmio = [(base = 0x0a003800, size = 0x200)], interrupts = [76], compatible = "virtio,mmio"),
  (name = "virtio29", mmio = [(base = 0x0a003a00, size = 0x200)], interrupts = [77], compatible = "virtio,mmio"),
  (name = "virtio30", mmio = [(base = 0x0a003c00, size = 0x200)], interrupts = [78], compatible = "virtio,mmio"),
  (name = "virtio31", mmio = [(base = 0x0a003e00, size = 0x200)], interrupts = [79], compatible = "virtio,mmio"),
];
