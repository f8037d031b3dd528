// SPDX-License-Identifier: Apache-2.0
// Generate: synthetic policies of any size, for the compile-time benchmark
// and the generated examples.
#pragma once

#include <string>

namespace kestrel::policy {

// A valid system of `partitions` native partitions spread over 4 CPUs: one
// server endpoint per 8 partitions called by the other 7, a shared-memory
// channel with a doorbell per 16, and a window per partition. Uses the
// platform with 16-bit VMIDs when 8 bits are not enough.
std::string generate_policy(unsigned partitions);

}  // namespace kestrel::policy
