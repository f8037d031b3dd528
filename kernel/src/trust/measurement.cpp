// SPDX-License-Identifier: Apache-2.0
// Measurement: SHA-256 over a partition's measured ranges.
#include <kestrel/measurement.hpp>

namespace kestrel {

Measurement_result measure_partition(const Boot_info& info, uint32_t partition, Physical_reader read_physical) {
  if (info.digests().empty() || partition >= info.digests().size()) return {Measurement_status::unmeasured, {}};
  Sha256 hash;
  for (const abi::Measurement_entry& range : info.measurements()) {
    if (range.partition != partition) continue;
    const uint8_t* memory = read_physical(range.pa, range.size);
    if (memory == nullptr) return {Measurement_status::unreadable, {}};
    hash.update(memory, range.size);
  }
  Measurement_result result{Measurement_status::mismatch, hash.finish()};
  const abi::Digest_entry& expected = info.digests()[partition];
  bool equal = true;
  for (size_t i = 0; i < sizeof expected.sha256; ++i) equal = equal && expected.sha256[i] == result.found.bytes[i];
  if (equal) result.status = Measurement_status::matches;
  return result;
}

}  // namespace kestrel
