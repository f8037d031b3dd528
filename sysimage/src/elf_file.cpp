// SPDX-License-Identifier: Apache-2.0
// ELF file: parsing through libelf, then Kestrel's own sanity checks (libelf
// reads headers; it does not promise that segments make sense).
#include <kestrel/sysimage/elf_file.hpp>

#include <gelf.h>
#include <libelf.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string_view>

#include <kestrel/policy/text.hpp>

namespace kestrel::sysimage {
namespace {

using policy::hex;

constexpr size_t max_elf_size = 1U << 30;

struct Elf_closer {
  void operator()(Elf* elf) const { elf_end(elf); }
};

Elf_error error(std::string message) { return Elf_error{std::move(message)}; }

// The .kestrel.* sections' contents and the symbol table's data objects'
// sizes. A file without section headers has neither (which is fine).
bool read_sections(Elf* elf, std::span<const uint8_t> file, Elf_image& image) {
  size_t names = 0;
  if (elf_getshdrstrndx(elf, &names) != 0) return true;
  for (Elf_Scn* section = elf_nextscn(elf, nullptr); section != nullptr; section = elf_nextscn(elf, section)) {
    GElf_Shdr header;
    if (gelf_getshdr(section, &header) == nullptr) return false;
    const char* name = elf_strptr(elf, names, header.sh_name);
    if (name == nullptr) return false;
    if (std::string_view(name).starts_with(".kestrel.") && header.sh_type == SHT_PROGBITS) {
      if (header.sh_offset > file.size() || header.sh_size > file.size() - header.sh_offset) return false;
      const auto* begin = file.data() + header.sh_offset;
      image.kestrel_sections[name].assign(begin, begin + header.sh_size);
    }
    if (header.sh_type != SHT_SYMTAB || header.sh_entsize == 0) continue;
    Elf_Data* data = elf_getdata(section, nullptr);
    if (data == nullptr) return false;
    for (size_t i = 0; i < header.sh_size / header.sh_entsize; ++i) {
      GElf_Sym symbol;
      if (gelf_getsym(data, static_cast<int>(i), &symbol) == nullptr) return false;
      if (GELF_ST_TYPE(symbol.st_info) != STT_OBJECT) continue;
      const char* symbol_name = elf_strptr(elf, header.sh_link, symbol.st_name);
      if (symbol_name != nullptr) image.object_sizes[symbol_name] = symbol.st_size;
    }
  }
  return true;
}

}  // namespace

std::variant<Elf_image, Elf_error> parse_elf(std::span<const uint8_t> file) {
  if (elf_version(EV_CURRENT) == EV_NONE) return error("libelf is out of date");
  if (file.size() < EI_NIDENT || std::memcmp(file.data(), ELFMAG, SELFMAG) != 0) {
    return error("not an ELF file (no \\177ELF magic)");
  }
  // libelf wants a mutable buffer even for reading; it does not write to it.
  std::vector<char> copy(file.begin(), file.end());
  const std::unique_ptr<Elf, Elf_closer> elf{elf_memory(copy.data(), copy.size())};
  if (!elf || elf_kind(elf.get()) != ELF_K_ELF) return error(std::string("unreadable ELF: ") + elf_errmsg(-1));
  if (gelf_getclass(elf.get()) != ELFCLASS64) return error("not a 64-bit ELF file");
  GElf_Ehdr header;
  if (gelf_getehdr(elf.get(), &header) == nullptr) return error(std::string("bad ELF header: ") + elf_errmsg(-1));
  if (header.e_ident[EI_DATA] != ELFDATA2LSB) return error("not little-endian");
  if (header.e_machine != EM_AARCH64)
    return error("not an AArch64 file (e_machine " + std::to_string(header.e_machine) + ")");
  if (header.e_type != ET_EXEC) return error("not a statically linked executable (ET_EXEC)");

  size_t count = 0;
  if (elf_getphdrnum(elf.get(), &count) != 0) return error(std::string("bad program headers: ") + elf_errmsg(-1));
  Elf_image image;
  image.entry = header.e_entry;
  for (size_t i = 0; i < count; ++i) {
    GElf_Phdr program;
    if (gelf_getphdr(elf.get(), static_cast<int>(i), &program) == nullptr) {
      return error("unreadable program header " + std::to_string(i));
    }
    if (program.p_type != PT_LOAD || program.p_memsz == 0) continue;
    const std::string which = "segment " + std::to_string(i);
    if (program.p_filesz > program.p_memsz) return error(which + " has more file bytes than memory bytes");
    if (program.p_offset > file.size() || program.p_filesz > file.size() - program.p_offset) {
      return error(which + " extends past the end of the file");
    }
    if (program.p_memsz - 1 > UINT64_MAX - program.p_vaddr || program.p_memsz - 1 > UINT64_MAX - program.p_paddr) {
      return error(which + " wraps around the address space");
    }
    Elf_segment segment;
    segment.virtual_address = program.p_vaddr;
    segment.physical_address = program.p_paddr;
    segment.memory_size = program.p_memsz;
    segment.readable = (program.p_flags & PF_R) != 0;
    segment.writable = (program.p_flags & PF_W) != 0;
    segment.executable = (program.p_flags & PF_X) != 0;
    const auto* begin = file.data() + program.p_offset;
    segment.bytes.assign(begin, begin + program.p_filesz);
    image.segments.push_back(std::move(segment));
  }
  if (image.segments.empty()) return error("no loadable segments");
  auto sorted = image.segments;
  std::sort(sorted.begin(), sorted.end(),
            [](const Elf_segment& a, const Elf_segment& b) { return a.virtual_address < b.virtual_address; });
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i].virtual_address - sorted[i - 1].virtual_address < sorted[i - 1].memory_size) {
      return error("segments at " + hex(sorted[i - 1].virtual_address) + " and " + hex(sorted[i].virtual_address) +
                   " overlap");
    }
  }
  const bool entry_executable = std::any_of(image.segments.begin(), image.segments.end(), [&](const Elf_segment& s) {
    return s.executable && image.entry >= s.virtual_address && image.entry - s.virtual_address < s.memory_size;
  });
  if (!entry_executable) return error("entry point " + hex(image.entry) + " is not in an executable segment");
  if (!read_sections(elf.get(), file, image)) return error(std::string("bad section headers: ") + elf_errmsg(-1));
  return image;
}

std::variant<Elf_image, Elf_error> read_elf(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return error(path + ": cannot be opened");
  in.seekg(0, std::ios::end);
  const auto size = static_cast<size_t>(in.tellg());
  if (size > max_elf_size) return error(path + ": larger than 1 GiB");
  in.seekg(0);
  std::vector<uint8_t> bytes(size);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
  if (!in) return error(path + ": cannot be read");
  auto parsed = parse_elf(bytes);
  if (auto* failure = std::get_if<Elf_error>(&parsed)) failure->message = path + ": " + failure->message;
  return parsed;
}

}  // namespace kestrel::sysimage
