// SPDX-License-Identifier: Apache-2.0
// Output file: writing tool outputs so a failure never leaves a partial file.
#pragma once

#include <cstddef>
#include <string>

namespace kestrel::policy {

// Writes `data` to `path` through a temporary file in the same directory and a
// rename; returns false (leaving no file behind) on failure.
bool write_file_atomically(const std::string& path, const void* data, size_t size);

}  // namespace kestrel::policy
