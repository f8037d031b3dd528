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

namespace {

// One line of the kernel memory table: what, bytes, and how they add up.
void memory_line(std::ostringstream& out, const char* what, uint64_t bytes, const std::string& how = {}) {
  char line[160];
  std::snprintf(line, sizeof line, "  %-16s %9llu", what, static_cast<unsigned long long>(bytes));
  out << line << (how.empty() ? "" : "  " + how) << '\n';
}

std::string times(const abi::Pool_place& pool) {
  return std::to_string(pool.count) + " x " + std::to_string(pool.size);
}

// Every line is there even when its figure is zero: tools and tests read
// them by name (tests/tools/kernel_memory_report_test).
void kernel_memory_report(std::ostringstream& out, const Kernel_memory_report& memory) {
  const abi::Kernel_objects_layout& objects = memory.objects;
  out << "\nkernel memory (bytes; objects carved at boot from " << memory.objects.size << " bytes at "
      << hex(memory.objects_base) << "):\n";
  memory_line(out, "text", memory.text);
  memory_line(out, "read-only data", memory.read_only_data);
  memory_line(out, "data", memory.data);
  memory_line(out, "bss", memory.bss, "without the boot CPU's stack");
  uint64_t carved_stacks = 0;
  uint32_t carved_stack_count = 0;
  for (const abi::Cpu_pools& cpu : objects.cpus) {
    carved_stacks += cpu.stack.bytes();
    carved_stack_count += cpu.stack.count;
  }
  memory_line(
      out, "stacks", memory.boot_stack + carved_stacks,
      "CPU 0's in .bss + " + std::to_string(carved_stack_count) + " carved: the CPUs the system runs threads on");
  memory_line(out, "kernel tables", objects.kernel_tables.bytes(),
              times(objects.kernel_tables) + ": the kernel's own map (EL2 stage 1)");
  memory_line(out, "threads", objects.threads.bytes(), times(objects.threads));
  memory_line(out, "partitions", objects.partitions.bytes(), times(objects.partitions));
  memory_line(out, "endpoints", objects.endpoints.bytes(), times(objects.endpoints));
  memory_line(out, "notifications", objects.notifications.bytes(), times(objects.notifications));
  memory_line(out, "irqs", objects.irqs.bytes(), times(objects.irqs));
  uint64_t scheduler = 0;
  for (const abi::Cpu_pools& cpu : objects.cpus) {
    scheduler += cpu.domains.bytes() + cpu.domain_map.bytes() + cpu.refill_slots.bytes() + cpu.wakeup_slots.bytes();
  }
  memory_line(out, "schedulers", scheduler, "ready queues, domain maps, timer heaps");
  const uint32_t root_bytes = objects.table_roots.size;
  memory_line(out, "stage-2 tables", objects.table_roots.bytes() + objects.table_pages.bytes(),
              times(objects.table_roots) + " roots (" + (root_bytes > 4096 ? "40" : "39") + "-bit IPA) + " +
                  times(objects.table_pages) + " pages");
  uint64_t counted = carved_stacks + objects.kernel_tables.bytes() + objects.threads.bytes() +
                     objects.partitions.bytes() + objects.endpoints.bytes() + objects.notifications.bytes() +
                     objects.irqs.bytes() + scheduler + objects.table_roots.bytes() + objects.table_pages.bytes();
  memory_line(out, "alignment", objects.size - counted, "padding between pools");
  char kib[32];
  std::snprintf(kib, sizeof kib, "%.1f KiB", static_cast<double>(memory.total()) / 1024);
  memory_line(out, "total", memory.total(), kib);
}

}  // namespace

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
  kernel_memory_report(out, image.kernel_memory);
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
