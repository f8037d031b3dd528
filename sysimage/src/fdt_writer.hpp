// SPDX-License-Identifier: Apache-2.0
// Fdt writer: libfdt's sequential writer for the guest device-tree builder
// (device_tree.cpp), over a buffer that grows as the tree does.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <libfdt.h>

#include "device_tree_internal.hpp"

namespace kestrel::sysimage::detail {

// libfdt's sequential writer over a buffer that grows when libfdt runs out of
// room. The first error sticks, so generation code need not check each call.
class Fdt_writer {
 public:
  Fdt_writer() : buffer_(16 * 1024) {
    step([&](void* fdt) { return fdt_create(fdt, static_cast<int>(buffer_.size())); });
    step([](void* fdt) { return fdt_finish_reservemap(fdt); });
  }

  void begin_node(const std::string& name) {
    step([&](void* fdt) { return fdt_begin_node(fdt, name.c_str()); });
  }
  void end_node() {
    step([](void* fdt) { return fdt_end_node(fdt); });
  }
  void property(const char* name, const void* value, size_t length) {
    step([&](void* fdt) { return fdt_property(fdt, name, value, static_cast<int>(length)); });
  }
  void empty_property(const char* name) { property(name, nullptr, 0); }
  void string_property(const char* name, const std::string& value) { property(name, value.c_str(), value.size() + 1); }
  // A string list: each string NUL-terminated, one after the other.
  void strings_property(const char* name, const std::vector<std::string>& values) {
    std::string list;
    for (const auto& value : values) list.append(value).push_back('\0');
    property(name, list.data(), list.size());
  }
  void cells_property(const char* name, const std::vector<uint32_t>& values) {
    std::vector<fdt32_t> cells;
    for (uint32_t value : values) cells.push_back(cpu_to_fdt32(value));
    property(name, cells.data(), cells.size() * sizeof(fdt32_t));
  }
  void u32_property(const char* name, uint32_t value) { cells_property(name, {value}); }
  void u64_property(const char* name, uint64_t value) {
    const fdt64_t big_endian = cpu_to_fdt64(value);
    property(name, &big_endian, sizeof big_endian);
  }

  Device_tree_result<Dtb> finish() {
    step([](void* fdt) { return fdt_finish(fdt); });
    if (status_ != 0)
      return Device_tree_error{std::string("libfdt could not build the tree: ") + fdt_strerror(status_)};
    buffer_.resize(fdt_totalsize(buffer_.data()));
    return std::move(buffer_);
  }

 private:
  template <typename Write>
  void step(Write&& write) {
    if (status_ != 0) return;
    int result = write(buffer_.data());
    while (result == -FDT_ERR_NOSPACE && buffer_.size() < max_tree_size) {
      std::vector<uint8_t> larger(buffer_.size() * 2);
      result = fdt_resize(buffer_.data(), larger.data(), static_cast<int>(larger.size()));
      if (result != 0) break;
      buffer_.swap(larger);
      result = write(buffer_.data());
    }
    status_ = result;
  }

  std::vector<uint8_t> buffer_;
  int status_ = 0;
};

}  // namespace kestrel::sysimage::detail
