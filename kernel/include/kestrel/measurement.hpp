// SPDX-License-Identifier: Apache-2.0
// Measurement: checking that a partition's loaded memory is what the image
// builder measured, before the partition may start.
#pragma once

#include <cstdint>

#include <kestrel/boot_info.hpp>
#include <kestrel/sha256.hpp>

namespace kestrel {

// How the kernel reads physical memory: the identity while the MMU is off,
// a fake memory in host unit tests. Returns nullptr for a range it cannot
// read.
using Physical_reader = const uint8_t* (*)(uint64_t physical_address, uint64_t size);

enum class Measurement_status : uint8_t {
  matches,
  mismatch,    // the memory differs from what was measured
  unmeasured,  // boot-info has no digests (not built by kestrel-image)
  unreadable,  // a measured range cannot be read
};

struct Measurement_result {
  Measurement_status status;
  Sha256_digest found;  // valid for matches and mismatch
};

// Hashes the partition's measured ranges, in boot-info order, and compares
// the result with its digest.
[[nodiscard]] Measurement_result measure_partition(const Boot_info& info, uint32_t partition,
                                                   Physical_reader read_physical);

}  // namespace kestrel
