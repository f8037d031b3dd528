// SPDX-License-Identifier: Apache-2.0
// PSCI: calls into the firmware's Power State Coordination Interface.
//
// The kernel runs at EL2, so the conduit is `smc` (QEMU answers it itself
// when it has no EL3 firmware). Function numbers and return codes are from
// Arm DEN 0022 (PSCI).
#pragma once

#include <cstdint>

namespace kestrel::arch::psci {

enum class Status : int64_t {
  success = 0,
  not_supported = -1,
  invalid_parameters = -2,
  denied = -3,
  already_on = -4,
  on_pending = -5,
  internal_failure = -6,
};

// AFFINITY_INFO results (non-negative) for a CPU that exists.
enum class Affinity_state : int64_t { on = 0, off = 1, on_pending = 2 };

uint32_t version();  // major in bits [31:16], minor in [15:0]

// Raw AFFINITY_INFO result: an Affinity_state, or a negative Status for a
// CPU that does not exist.
int64_t affinity_info(uint64_t mpidr);

Status cpu_on(uint64_t mpidr, uint64_t entry_point, uint64_t context_id);

[[noreturn]] void system_off();

}  // namespace kestrel::arch::psci
