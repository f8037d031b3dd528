// SPDX-License-Identifier: Apache-2.0
// ELF file tests: what the image builder accepts as a program or kernel.
#include <gtest/gtest.h>

#include <kestrel/sysimage/elf_file.hpp>

#include "elf_builder.hpp"

using namespace kestrel::sysimage;

namespace {

std::vector<uint8_t> valid_elf() {
  return make_elf(0x200010, {{0x200000, std::vector<uint8_t>(0x40, 0xaa), 0x40, PF_R | PF_X},
                             {0x400000, std::vector<uint8_t>(8, 0x11), 0x208, PF_R | PF_W}});
}

std::string rejection(const std::vector<uint8_t>& elf) {
  const auto parsed = parse_elf(elf);
  if (const auto* failure = std::get_if<Elf_error>(&parsed)) return failure->message;
  return "(accepted)";
}

}  // namespace

TEST(ElfFile, ReadsSegmentsAndEntry) {
  const auto parsed = parse_elf(valid_elf());
  ASSERT_TRUE(std::holds_alternative<Elf_image>(parsed)) << rejection(valid_elf());
  const auto& image = std::get<Elf_image>(parsed);
  EXPECT_EQ(image.entry, 0x200010u);
  ASSERT_EQ(image.segments.size(), 2u);
  EXPECT_TRUE(image.segments[0].executable);
  EXPECT_FALSE(image.segments[0].writable);
  EXPECT_EQ(image.segments[1].memory_size, 0x208u);
  EXPECT_EQ(image.segments[1].bytes, std::vector<uint8_t>(8, 0x11));
}

TEST(ElfFile, RejectsWhatItCannotLoad) {
  EXPECT_EQ(rejection({}), "not an ELF file (no \\177ELF magic)");
  EXPECT_EQ(rejection(std::vector<uint8_t>(64, 'x')), "not an ELF file (no \\177ELF magic)");
  auto elf = valid_elf();
  elf_header(elf).e_machine = EM_X86_64;
  EXPECT_EQ(rejection(elf), "not an AArch64 file (e_machine 62)");
  elf = valid_elf();
  elf_header(elf).e_type = ET_DYN;
  EXPECT_EQ(rejection(elf), "not a statically linked executable (ET_EXEC)");
  elf = valid_elf();
  elf_header(elf).e_ident[EI_CLASS] = ELFCLASS32;
  EXPECT_NE(rejection(elf), "(accepted)");
  elf = valid_elf();
  elf_header(elf).e_ident[EI_DATA] = ELFDATA2MSB;
  EXPECT_NE(rejection(elf), "(accepted)");
}

TEST(ElfFile, RejectsInconsistentSegments) {
  auto elf = valid_elf();
  program_header(elf, 1).p_offset = elf.size();
  EXPECT_EQ(rejection(elf), "segment 1 extends past the end of the file");
  elf = valid_elf();
  program_header(elf, 1).p_filesz = 0x1000;
  program_header(elf, 1).p_memsz = 0x10;
  EXPECT_EQ(rejection(elf), "segment 1 has more file bytes than memory bytes");
  elf = valid_elf();
  program_header(elf, 1).p_vaddr = 0xffff'ffff'ffff'fff0;
  EXPECT_EQ(rejection(elf), "segment 1 wraps around the address space");
  elf = valid_elf();
  program_header(elf, 1).p_vaddr = 0x200020;
  EXPECT_EQ(rejection(elf), "segments at 0x200000 and 0x200020 overlap");
  elf = valid_elf();
  elf_header(elf).e_entry = 0x400000;
  EXPECT_EQ(rejection(elf), "entry point 0x400000 is not in an executable segment");
  EXPECT_EQ(rejection(make_elf(0, {})), "no loadable segments");
}

// Every prefix of a valid file is a malformed file: rejected, never a crash
// (ASan and UBSan are watching).
TEST(ElfFile, TruncatedFilesAreRejected) {
  const auto elf = valid_elf();
  for (size_t length = 0; length < elf.size(); ++length) {
    const std::vector<uint8_t> prefix(elf.begin(), elf.begin() + static_cast<long>(length));
    EXPECT_NE(rejection(prefix), "(accepted)") << "length " << length;
  }
}

TEST(ElfFile, ReadElfNamesTheFile) {
  const auto parsed = read_elf("/nonexistent/program.elf");
  ASSERT_TRUE(std::holds_alternative<Elf_error>(parsed));
  EXPECT_EQ(std::get<Elf_error>(parsed).message, "/nonexistent/program.elf: cannot be opened");
}
