# SPDX-License-Identifier: Apache-2.0
# QEMU virt: where the kernel is linked. RAM starts at 0x40000000; QEMU puts
# its device tree blob below the kernel image, so leave it room.
set(KESTREL_KERNEL_BASE 0x40080000 CACHE INTERNAL "Kernel link address")
