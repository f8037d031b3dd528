# SPDX-License-Identifier: Apache-2.0
# QEMU virt: where the kernel is linked. RAM starts at 0x40000000; QEMU puts
# its device tree blob (1 MiB) below an ELF kernel only if it fits there,
# and the kernel takes its boot seeds from it: leave it that 1 MiB (more
# would take room from boot-info, which must end inside kernelReserved).
set(KESTREL_KERNEL_BASE 0x40100000 CACHE INTERNAL "Kernel link address")
