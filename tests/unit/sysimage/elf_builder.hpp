// SPDX-License-Identifier: Apache-2.0
// ELF builder: small AArch64 executables made in memory, for tests that need
// ELF inputs without a cross compiler.
#pragma once

#include <elf.h>

#include <cstdint>
#include <cstring>
#include <vector>

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
