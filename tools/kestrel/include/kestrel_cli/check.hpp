// SPDX-License-Identifier: Apache-2.0
// Check: what `kestrel check` adds to the policy compiler's checks: the
// program sources a policy names must exist, and a one-line summary of a
// policy that compiled.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <kestrel/policy/diagnostics.hpp>
#include <kestrel/policy/model.hpp>

namespace kestrel_cli {

// The C++ source file a partition's program names (resolved beside the
// policy, absolute), or none if its program is not source (an ELF, a VM).
std::optional<std::filesystem::path> program_source(const kestrel::policy::Partition& partition,
                                                    const std::string& policy);

// Reports each program source the policy names that is not there (KP0413)
// and each that would compile to the same ELF name as an earlier one
// (KP0414), at its `program` field, with a hint, beside the compiler's
// diagnostics.
void check_program_sources(const kestrel::policy::Model& model, const std::string& policy,
                           kestrel::policy::Diagnostics& diagnostics);

// "4 partitions, 6 threads on 3 CPUs, 2 endpoints, 1 VM (2 vCPUs)".
std::string one_line_summary(const kestrel::policy::Model& model);

}  // namespace kestrel_cli
