// SPDX-License-Identifier: Apache-2.0
// Guest seeds: filling the rng-seed and kaslr-seed placeholders in a VM's
// device tree (abi::Guest_seed_entry) each time the VM starts.
//
// The kernel does it at boot and after vm_restart, after measuring the VM
// (the measurement covers the image's zeros), so every start gets bytes no
// earlier start or other VM got. Without a seeded generator it turns each
// placeholder into FDT_NOP tokens instead: the guest then finds no seed,
// rather than a zero or predictable one it would trust. Portable: built for
// the host and unit-tested there on device trees libfdt made.
#pragma once

#include <cstdint>

#include <kestrel/boot_info.hpp>
#include <kestrel/random.hpp>

namespace kestrel {

enum class Seed_fill : uint8_t {
  filled,             // random bytes in its value
  removed,            // the whole property is FDT_NOP tokens
  not_a_placeholder,  // not an FDT_PROP of that size holding zeros: left alone
};

// The placeholder property starting at `property` (its FDT_PROP token) with
// a `size`-byte value: filled from `random`, or removed if `random` is null.
Seed_fill fill_seed_placeholder(uint8_t* property, uint32_t size, Hmac_drbg* random);

struct Seed_counts {
  uint32_t filled = 0;
  uint32_t removed = 0;
  uint32_t not_placeholders = 0;
};

// How the kernel writes physical memory: the identity map in the kernel, a
// fake memory in host tests. Returns nullptr for a range it cannot write.
using Physical_writer = uint8_t* (*)(uint64_t physical_address, uint64_t size);

// Every placeholder of partition `vm`, filled (or removed, with `random`
// null). The caller makes the writes visible to a guest whose caches are off.
Seed_counts fill_guest_seeds(const Boot_info& info, uint32_t vm, Hmac_drbg* random, Physical_writer writable);

}  // namespace kestrel
