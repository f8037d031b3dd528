// SPDX-License-Identifier: Apache-2.0
// ELF builder: small AArch64 executables made in memory, for tests that need
// ELF inputs without a cross compiler.
#pragma once

#include <elf.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <kestrel/abi/kernel_memory.hpp>

struct Test_segment {
  uint64_t address;
  std::vector<uint8_t> bytes;
  uint64_t memory_size;  // >= bytes.size()
  uint32_t flags;        // PF_R | PF_W | PF_X
};

inline std::vector<uint8_t> make_elf(uint64_t entry, const std::vector<Test_segment>& segments,
                                     uint16_t machine = EM_AARCH64, uint16_t type = ET_EXEC) {
  Elf64_Ehdr header{};
  std::memcpy(header.e_ident, ELFMAG, SELFMAG);
  header.e_ident[EI_CLASS] = ELFCLASS64;
  header.e_ident[EI_DATA] = ELFDATA2LSB;
  header.e_ident[EI_VERSION] = EV_CURRENT;
  header.e_type = type;
  header.e_machine = machine;
  header.e_version = EV_CURRENT;
  header.e_entry = entry;
  header.e_phoff = segments.empty() ? 0 : sizeof header;
  header.e_ehsize = sizeof header;
  header.e_phentsize = sizeof(Elf64_Phdr);
  header.e_phnum = static_cast<uint16_t>(segments.size());
  std::vector<uint8_t> out(sizeof header + segments.size() * sizeof(Elf64_Phdr));
  std::memcpy(out.data(), &header, sizeof header);
  for (size_t i = 0; i < segments.size(); ++i) {
    Elf64_Phdr program{};
    program.p_type = PT_LOAD;
    program.p_flags = segments[i].flags;
    program.p_offset = out.size();
    program.p_vaddr = program.p_paddr = segments[i].address;
    program.p_filesz = segments[i].bytes.size();
    program.p_memsz = segments[i].memory_size;
    program.p_align = 8;
    std::memcpy(out.data() + sizeof header + i * sizeof program, &program, sizeof program);
    out.insert(out.end(), segments[i].bytes.begin(), segments[i].bytes.end());
  }
  return out;
}

// Patches a field of the ELF header or of program header `index`.
inline Elf64_Ehdr& elf_header(std::vector<uint8_t>& elf) { return *reinterpret_cast<Elf64_Ehdr*>(elf.data()); }
inline Elf64_Phdr& program_header(std::vector<uint8_t>& elf, size_t index) {
  return *reinterpret_cast<Elf64_Phdr*>(elf.data() + sizeof(Elf64_Ehdr) + index * sizeof(Elf64_Phdr));
}

// An object size table like a kernel's (the figures need not be the real
// kernel's: the image builder only lays out what the table says).
inline kestrel::abi::Object_sizes test_object_sizes() {
  using kestrel::abi::Object_sizes;
  return Object_sizes{kestrel::abi::object_sizes_magic,
                      kestrel::abi::object_sizes_version,
                      kestrel::abi::kernel_object_count,
                      {{4096, 4096},
                       {4096, 4096},
                       {1664, 16},
                       {96, 8},
                       {32, 8},
                       {24, 8},
                       {16, 8},
                       {552, 8},
                       {1, 1},
                       {2, 2},
                       {4096, 4096},
                       {8192, 16},
                       {8, 8}}};
}

// `elf` with a section `name` holding `contents` (and the section name
// table and header table after it), as a kernel's .kestrel.object_sizes.
inline std::vector<uint8_t> with_section(std::vector<uint8_t> elf, const std::string& name,
                                         const std::vector<uint8_t>& contents) {
  const uint64_t data_offset = elf.size();
  elf.insert(elf.end(), contents.begin(), contents.end());
  const std::string names = std::string("\0.shstrtab\0", 11) + name + '\0';
  const uint64_t names_offset = elf.size();
  elf.insert(elf.end(), names.begin(), names.end());
  while (elf.size() % 8 != 0) elf.push_back(0);
  Elf64_Shdr sections[3]{};
  sections[1].sh_name = 1;
  sections[1].sh_type = SHT_STRTAB;
  sections[1].sh_offset = names_offset;
  sections[1].sh_size = names.size();
  sections[2].sh_name = 11;
  sections[2].sh_type = SHT_PROGBITS;
  sections[2].sh_flags = SHF_ALLOC;
  sections[2].sh_offset = data_offset;
  sections[2].sh_size = contents.size();
  const uint64_t table_offset = elf.size();
  const auto* bytes = reinterpret_cast<const uint8_t*>(sections);
  elf.insert(elf.end(), bytes, bytes + sizeof sections);
  Elf64_Ehdr& header = *reinterpret_cast<Elf64_Ehdr*>(elf.data());
  header.e_shoff = table_offset;
  header.e_shentsize = sizeof(Elf64_Shdr);
  header.e_shnum = 3;
  header.e_shstrndx = 1;
  return elf;
}

// A kernel: make_elf's executable with an object size table.
inline std::vector<uint8_t> make_kernel_elf(uint64_t entry, const std::vector<Test_segment>& segments,
                                            const kestrel::abi::Object_sizes& sizes = test_object_sizes()) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(&sizes);
  return with_section(make_elf(entry, segments), ".kestrel.object_sizes",
                      std::vector<uint8_t>(bytes, bytes + sizeof sizes));
}
