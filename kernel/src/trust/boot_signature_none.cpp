// SPDX-License-Identifier: Apache-2.0
// Boot signature, for a kernel built without a public key: every boot-info
// is accepted (the measurements still decide which partitions start).
#include <kestrel/boot_signature.hpp>

namespace kestrel {

bool boot_info_signature_accepted(const uint8_t*, size_t) { return true; }

}  // namespace kestrel
