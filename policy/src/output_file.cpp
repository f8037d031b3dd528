// SPDX-License-Identifier: Apache-2.0
// Output file: temporary file plus rename.
#include <kestrel/policy/output_file.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace kestrel::policy {

bool write_file_atomically(const std::string& path, const void* data, size_t size) {
  const std::string temporary = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return false;
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.flush();
    if (!out) {
      out.close();
      std::remove(temporary.c_str());
      return false;
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return false;
  }
  return true;
}

}  // namespace kestrel::policy
