// SPDX-License-Identifier: Apache-2.0
// Output: ELF writing (the format is written by hand: writing needs no parser,
// and tests read the result back through libelf), the report, and rendering
// the picture (system_graph.cpp draws it).
#include <kestrel/sysimage/output.hpp>

#include <elf.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <kestrel/policy/model.hpp>
#include <kestrel/policy/output_file.hpp>
#include <kestrel/policy/text.hpp>

namespace kestrel::sysimage {
namespace {

using policy::hex;

constexpr uint64_t file_alignment = 0x1000;

template <typename T>
void append(std::vector<uint8_t>& out, const T& value) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(&value);
  out.insert(out.end(), bytes, bytes + sizeof value);
}

}  // namespace

std::vector<uint8_t> image_elf(const System_image& image) {
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the image is written in host byte order");
  Elf64_Ehdr header{};
  std::memcpy(header.e_ident, ELFMAG, SELFMAG);
  header.e_ident[EI_CLASS] = ELFCLASS64;
  header.e_ident[EI_DATA] = ELFDATA2LSB;
  header.e_ident[EI_VERSION] = EV_CURRENT;
  header.e_ident[EI_OSABI] = ELFOSABI_NONE;
  header.e_type = ET_EXEC;
  header.e_machine = EM_AARCH64;
  header.e_version = EV_CURRENT;
  header.e_entry = image.entry;
  header.e_phoff = sizeof(Elf64_Ehdr);
  header.e_ehsize = sizeof(Elf64_Ehdr);
  header.e_phentsize = sizeof(Elf64_Phdr);
  header.e_phnum = static_cast<Elf64_Half>(image.pieces.size());

  // Each segment's data starts where its file offset is congruent to its
  // address modulo the alignment, as loaders expect.
  uint64_t offset = sizeof(Elf64_Ehdr) + image.pieces.size() * sizeof(Elf64_Phdr);
  std::vector<Elf64_Phdr> programs;
  for (const auto& piece : image.pieces) {
    offset += (piece.physical_address - offset) % file_alignment;
    Elf64_Phdr program{};
    program.p_type = PT_LOAD;
    program.p_flags = PF_R | (piece.writable ? PF_W : 0) | (piece.executable ? PF_X : 0);
    program.p_offset = offset;
    program.p_vaddr = piece.physical_address;
    program.p_paddr = piece.physical_address;
    program.p_filesz = piece.bytes.size();
    program.p_memsz = piece.memory_size;
    program.p_align = file_alignment;
    programs.push_back(program);
    offset += piece.bytes.size();
  }
  std::vector<uint8_t> out;
  out.reserve(offset);
  append(out, header);
  for (const auto& program : programs) append(out, program);
  for (size_t i = 0; i < image.pieces.size(); ++i) {
    out.resize(programs[i].p_offset, 0);
    out.insert(out.end(), image.pieces[i].bytes.begin(), image.pieces[i].bytes.end());
  }
  return out;
}

std::string image_report(const System_image& image, const std::string& summary) {
  const policy::Model& model = *image.model;
  std::ostringstream out;
  out << "Kestrel system image for \"" << model.name << "\"\n\nentry " << hex(image.entry) << ", boot-info at "
      << hex(image.boot_info_address) << " (" << image.boot_info.size() << " bytes)\n\nphysical memory map:\n";
  for (const auto& piece : image.pieces) {
    char line[160];
    std::snprintf(line, sizeof line, "  [%#14llx, %#14llx)  %c%c%c  ",
                  static_cast<unsigned long long>(piece.physical_address),
                  static_cast<unsigned long long>(piece.physical_address + piece.memory_size), 'r',
                  piece.writable ? 'w' : '-', piece.executable ? 'x' : '-');
    out << line << piece.description << '\n';
  }
  if (!image.signing_public_key.empty()) {
    out << "\nboot-info is signed (Ed25519) with public key ";
    for (const uint8_t byte : image.signing_public_key) {
      char digits[3];
      std::snprintf(digits, sizeof digits, "%02x", byte);
      out << digits;
    }
    out << '\n';
  }
  out << "\nmeasurements (SHA-256 of each partition's loaded memory, checked by the kernel before it starts it):\n";
  for (size_t p = 0; p < image.digests.size(); ++p) {
    char text[sha256_hex_buffer_size];
    out << "  " << format_hex(image.digests[p], text) << "  " << model.partitions[p].name << '\n';
  }
  out << '\n' << summary;
  return out.str();
}

std::string render_svg(const std::string& graph, const std::string& path) {
  const std::string dot_file = path + ".dot.tmp." + std::to_string(getpid());
  const std::string svg_file = path + ".tmp." + std::to_string(getpid());
  if (!policy::write_file_atomically(dot_file, graph.data(), graph.size())) return "cannot write " + dot_file;
  const pid_t child = fork();
  if (child == 0) {
    execlp("dot", "dot", "-Tsvg", "-o", svg_file.c_str(), dot_file.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  if (child > 0) waitpid(child, &status, 0);
  std::remove(dot_file.c_str());
  if (child < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::remove(svg_file.c_str());
    return WIFEXITED(status) && WEXITSTATUS(status) == 127
               ? "Graphviz 'dot' not found (scripts/install-deps installs it)"
               : "Graphviz 'dot' failed";
  }
  if (std::rename(svg_file.c_str(), path.c_str()) != 0) {
    std::remove(svg_file.c_str());
    return "cannot write " + path;
  }
  return {};
}

}  // namespace kestrel::sysimage
