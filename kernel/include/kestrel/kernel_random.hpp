// SPDX-License-Identifier: Apache-2.0
// The kernel's random bits: one HMAC_DRBG (random.hpp), seeded at boot from
// what the machine offers, from which each start of a VM draws the seeds in
// its device tree (guest_seeds.hpp).
//
// Sources: the rng-seed and kaslr-seed that QEMU's virt machine puts in the
// /chosen of the tree it loads below the kernel (wiped once read), and
// FEAT_RNG's RNDR when the CPU has it (read again, as a reseed, at every VM
// start). The system counter goes in as the nonce; it is no entropy under
// -icount. The generator counts as seeded with at least 32 bytes (256 bits)
// from the sources together; with less, VMs get no seeds and the kernel
// says so once. Used at boot on the boot CPU, then under the kernel lock
// (vm_restart).
#pragma once

#include <cstdint>

#include <kestrel/boot_info.hpp>

namespace kestrel {

// At boot, once the kernel's MMU is on and before any VM is seeded. Logs
// where its entropy came from, or that there was none.
void seed_kernel_random();

// VM `vm` starts (at boot or after vm_restart), its memory measured: its
// seed placeholders filled with fresh bytes (or removed, unseeded), and the
// writes made visible to a guest that starts with its caches off.
void give_guest_its_seeds(const Boot_info& info, uint32_t vm);

}  // namespace kestrel
