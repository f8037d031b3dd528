// SPDX-License-Identifier: Apache-2.0
// ELF file: the loadable contents of an AArch64 executable, read with libelf.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace kestrel::sysimage {

struct Elf_segment {
  uint64_t virtual_address = 0;
  uint64_t physical_address = 0;
  uint64_t memory_size = 0;  // bytes past bytes.size() are zero (.bss)
  bool readable = false;
  bool writable = false;
  bool executable = false;
  std::vector<uint8_t> bytes;  // the file's contents of the segment
};

struct Elf_image {
  uint64_t entry = 0;
  std::vector<Elf_segment> segments;  // PT_LOAD only, in file order
  // Sections whose name starts with ".kestrel." (the kernel's object size
  // table), by name, with their contents.
  std::map<std::string, std::vector<uint8_t>> kestrel_sections;
  // The size of every data object in the symbol table, by name (the
  // kernel's stacks and tables, for the image report).
  std::map<std::string, uint64_t> object_sizes;
};

struct Elf_error {
  std::string message;  // says what is wrong, without the file name
};

// Accepts only what Kestrel can load: 64-bit little-endian AArch64 ET_EXEC
// files whose PT_LOAD segments lie inside the file, do not wrap around and do
// not overlap each other, with an entry point inside an executable segment.
std::variant<Elf_image, Elf_error> parse_elf(std::span<const uint8_t> file);

// Reads `path` and parses it; errors name the file.
std::variant<Elf_image, Elf_error> read_elf(const std::string& path);

}  // namespace kestrel::sysimage
