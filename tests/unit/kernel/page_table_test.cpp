// SPDX-License-Identifier: Apache-2.0
// Page_table tests: exact descriptors, block/page choice, lookups, and every refusal.
//
// The tables live in a fake memory that pretends to be physical memory at
// 0x4000'0000, hands out pages in order, records every descriptor write and
// fails the test on any access outside the pages it handed out. Expected
// descriptors are written as raw numbers worked out from the Arm ARM's
// formats, not from the header's constants, so a wrong constant fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <random>
#include <vector>

#include <arch/page_table_format.hpp>
#include <kestrel/address.hpp>
#include <kestrel/page_table.hpp>

namespace kestrel {
// Readable gtest failure messages.
void PrintTo(const Attributes& attributes, std::ostream* out) {
  *out << "{access " << static_cast<int>(attributes.access) << ", executable " << attributes.executable << ", memory "
       << static_cast<int>(attributes.memory) << "}";
}
}  // namespace kestrel

using kestrel::Access;
using kestrel::Attributes;
using kestrel::Ipa;
using kestrel::Map_status;
using kestrel::Memory_type;
using kestrel::Paddr;
using kestrel::Table_pages;
using kestrel::Translation;
using kestrel::Vaddr;

namespace {

constexpr uint64_t KiB = 1024;
constexpr uint64_t MiB = 1024 * KiB;
constexpr uint64_t GiB = 1024 * MiB;
constexpr uint64_t xn = uint64_t{1} << 54;

class Fake_memory {
 public:
  static constexpr uint64_t base = 0x4000'0000;
  static constexpr size_t words_per_page = 512;

  struct Write {
    uint64_t address;
    uint64_t value;
    friend bool operator==(const Write&, const Write&) = default;
  };

  struct Snapshot {
    std::vector<uint64_t> words;
    size_t pages_used;
    size_t allocation_calls;
    size_t write_count;
    friend bool operator==(const Snapshot&, const Snapshot&) = default;
  };

  explicit Fake_memory(size_t pages) : words_(pages * words_per_page, 0), pages_{pages} {}

  Table_pages allocate_pages(size_t count) {
    ++allocation_calls_;
    if (count == 0) return {false, Paddr{}};
    const size_t first = (next_ + count - 1) / count * count;
    if (first + count > pages_) return {false, Paddr{}};
    next_ = first + count;
    return {true, page_address(first)};
  }

  size_t free_pages() const { return pages_ - next_; }

  uint64_t read_descriptor(Paddr address) const {
    const size_t index = word_index(address);
    return index < words_.size() ? words_[index] : 0;
  }

  void write_descriptor(Paddr address, uint64_t value) {
    const size_t index = word_index(address);
    if (index >= words_.size()) return;
    words_[index] = value;
    writes_.push_back({address.value(), value});
  }

  // Test helpers.
  static Paddr page_address(size_t page) { return Paddr{base + page * 4096}; }
  uint64_t entry(Paddr table, size_t index) const { return read_descriptor(table + index * 8); }
  const std::vector<Write>& writes() const { return writes_; }
  size_t pages_used() const { return next_; }
  size_t allocation_calls() const { return allocation_calls_; }
  Snapshot snapshot() const { return {words_, next_, allocation_calls_, writes_.size()}; }
  size_t valid_entries() const {
    return static_cast<size_t>(std::count_if(words_.begin(), words_.end(), [](uint64_t word) { return word & 1; }));
  }

 private:
  // The word's index, or words_.size() (after failing the test) for an
  // address outside the pages handed out or not 8-byte aligned.
  size_t word_index(Paddr address) const {
    const uint64_t offset = address.value() - base;
    if (address.value() < base || offset % 8 != 0 || offset / 8 >= next_ * words_per_page) {
      ADD_FAILURE() << "descriptor access outside the allocated table pages: 0x" << std::hex << address.value();
      return words_.size();
    }
    return offset / 8;
  }

  std::vector<uint64_t> words_;
  size_t pages_;
  size_t next_ = 0;
  size_t allocation_calls_ = 0;
  std::vector<Write> writes_;
};

using Stage2_table = kestrel::arch::Stage2_table<Fake_memory>;
using Kernel_table = kestrel::arch::Kernel_table<Fake_memory>;

constexpr Attributes ram{Access::read_write, true, Memory_type::normal_write_back};
constexpr Attributes ram_no_execute{Access::read_write, false, Memory_type::normal_write_back};
constexpr Attributes ram_read_only{Access::read_only, false, Memory_type::normal_write_back};
constexpr Attributes device{Access::read_write, false, Memory_type::device_ngnre};
constexpr Attributes non_cacheable{Access::read_write, false, Memory_type::normal_non_cacheable};

template <typename Table>
Table create(Fake_memory& memory) {
  auto created = Table::create(memory);
  EXPECT_EQ(created.status, Map_status::ok);
  return created.table;
}

// Stage-2 lower attributes of Normal write-back, read/write, inner shareable,
// AF: MemAttr 0b1111 <<2, S2AP 0b11 <<6, SH 0b11 <<8, AF <<10.
constexpr uint64_t s2_ram_bits = 0x3c | 0xc0 | 0x300 | 0x400;

// The tables of a fresh stage-2 table in a fresh fake: root (two pages) first.
const Paddr root = Fake_memory::page_address(0);
const Paddr table2 = Fake_memory::page_address(2);
const Paddr table3 = Fake_memory::page_address(3);
const Paddr table4 = Fake_memory::page_address(4);

TEST(PageTableStage2, FourKibPageWritesOneDescriptorPerLevel) {
  Fake_memory memory{16};
  Stage2_table table = create<Stage2_table>(memory);
  EXPECT_EQ(table.root().value(), root.value());
  EXPECT_EQ(memory.pages_used(), 2u) << "two concatenated level-1 tables";
  EXPECT_TRUE(table.root().is_aligned(8 * KiB));

  ASSERT_EQ(table.map(Ipa{0x8000'1000}, Paddr{0x12'3456'7000}, 4 * KiB, ram), Map_status::ok);

  // Level 1, index 2 (IPA bits [39:30]): table descriptor to the level-2 table.
  EXPECT_EQ(memory.entry(root, 2), table2.value() | 0b11);
  // Level 2, index 0 (bits [29:21]): table descriptor to the level-3 table.
  EXPECT_EQ(memory.entry(table2, 0), table3.value() | 0b11);
  // Level 3, index 1 (bits [20:12]): page descriptor, executable, so XN clear.
  const uint64_t page = memory.entry(table3, 1);
  EXPECT_EQ(page, 0x12'3456'7000u | 0b11 | s2_ram_bits);
  EXPECT_EQ(page & 0b11, 0b11u) << "valid page";
  EXPECT_EQ((page >> 2) & 0xf, 0b1111u) << "MemAttr: Normal, outer and inner write-back";
  EXPECT_EQ((page >> 6) & 0b11, 0b11u) << "S2AP read/write";
  EXPECT_EQ((page >> 8) & 0b11, 0b11u) << "inner shareable";
  EXPECT_EQ((page >> 10) & 1, 1u) << "access flag";
  EXPECT_EQ(page & xn, 0u);
  EXPECT_EQ(page & 0x0000'ffff'ffff'f000, 0x12'3456'7000u) << "output address";

  EXPECT_EQ(memory.pages_used(), 4u);
  EXPECT_EQ(memory.valid_entries(), 3u);
  // The new tables are filled before they are linked: leaf first, root last.
  const std::vector<Fake_memory::Write> expected{{(table3 + 8).value(), page},
                                                 {table2.value(), table3.value() | 0b11},
                                                 {(root + 16).value(), table2.value() | 0b11}};
  EXPECT_EQ(memory.writes(), expected);
}

TEST(PageTableStage2, UpperHalfOfTheIpaSpaceUsesTheSecondRootTable) {
  Fake_memory memory{16};
  Stage2_table table = create<Stage2_table>(memory);
  ASSERT_EQ(table.map(Ipa{0xc0'0000'0000}, Paddr{0x4000'0000}, 2 * MiB, ram), Map_status::ok);
  // IPA bits [39:30] = 768: entry 256 of the second 4 KiB root page.
  EXPECT_EQ(memory.entry(Fake_memory::page_address(1), 256), table2.value() | 0b11);
  EXPECT_EQ(memory.entry(table2, 0), 0x4000'0000u | 0b01 | s2_ram_bits) << "a 2 MiB block";
}

TEST(PageTableStage2, TwoMibAlignedRegionUsesLevel2Blocks) {
  Fake_memory memory{16};
  Stage2_table table = create<Stage2_table>(memory);
  ASSERT_EQ(table.map(Ipa{0x4020'0000}, Paddr{0x8'0040'0000}, 4 * MiB, ram), Map_status::ok);
  EXPECT_EQ(memory.entry(root, 1), table2.value() | 0b11);
  EXPECT_EQ(memory.entry(table2, 1), 0x8'0040'0000u | 0b01 | s2_ram_bits) << "block: bits[1:0] = 0b01";
  EXPECT_EQ(memory.entry(table2, 2), 0x8'0060'0000u | 0b01 | s2_ram_bits);
  EXPECT_EQ(memory.pages_used(), 3u) << "no level-3 table";
  EXPECT_EQ(memory.writes().size(), 3u);
  EXPECT_EQ(memory.valid_entries(), 3u);
}

TEST(PageTableStage2, OneGibAlignedRegionUsesALevel1Block) {
  Fake_memory memory{16};
  Stage2_table table = create<Stage2_table>(memory);
  ASSERT_EQ(table.map(Ipa{0x4000'0000}, Paddr{0x80'0000'0000}, GiB, ram), Map_status::ok);
  EXPECT_EQ(memory.entry(root, 1), 0x80'0000'0000u | 0b01 | s2_ram_bits);
  EXPECT_EQ(memory.pages_used(), 2u);
  EXPECT_EQ(memory.writes().size(), 1u);
}

TEST(PageTableStage2, IpaAlignedButPaMisalignedFallsBackToPages) {
  Fake_memory memory{16};
  Stage2_table table = create<Stage2_table>(memory);
  ASSERT_EQ(table.map(Ipa{0x20'0000}, Paddr{0x4000'1000}, 2 * MiB, ram), Map_status::ok);
  EXPECT_EQ(memory.entry(root, 0), table2.value() | 0b11);
  EXPECT_EQ(memory.entry(table2, 1), table3.value() | 0b11);
  for (size_t i = 0; i < 512; ++i)
    ASSERT_EQ(memory.entry(table3, i), (0x4000'1000u + i * 4096) | 0b11 | s2_ram_bits) << i;
  EXPECT_EQ(memory.pages_used(), 4u);
  EXPECT_EQ(memory.writes().size(), 512u + 2);
}

TEST(PageTableStage2, UnalignedStartMixesPagesAndBlocks) {
  Fake_memory memory{16};
  Stage2_table table = create<Stage2_table>(memory);
  // IPA and PA agree modulo 2 MiB, so the 2 MiB-aligned middle can use blocks.
  ASSERT_EQ(table.map(Ipa{0x1f'f000}, Paddr{0x1'001f'f000}, 0x40'2000, ram), Map_status::ok);

  EXPECT_EQ(memory.entry(root, 0), table2.value() | 0b11);
  // [0x1ff000, 0x200000): one page in a level-3 table for the first 2 MiB.
  EXPECT_EQ(memory.entry(table2, 0), table3.value() | 0b11);
  EXPECT_EQ(memory.entry(table3, 511), 0x1'001f'f000u | 0b11 | s2_ram_bits);
  // [0x200000, 0x600000): two blocks.
  EXPECT_EQ(memory.entry(table2, 1), 0x1'0020'0000u | 0b01 | s2_ram_bits);
  EXPECT_EQ(memory.entry(table2, 2), 0x1'0040'0000u | 0b01 | s2_ram_bits);
  // [0x600000, 0x601000): one page in a second level-3 table.
  EXPECT_EQ(memory.entry(table2, 3), table4.value() | 0b11);
  EXPECT_EQ(memory.entry(table4, 0), 0x1'0060'0000u | 0b11 | s2_ram_bits);

  EXPECT_EQ(memory.pages_used(), 5u);
  EXPECT_EQ(memory.valid_entries(), 7u);
  EXPECT_EQ(memory.writes().size(), 7u);
}

TEST(PageTableStage2, DeviceMemoryIsDeviceNgnreAndExecuteNever) {
  Fake_memory memory{16};
  Stage2_table table = create<Stage2_table>(memory);
  ASSERT_EQ(table.map(Ipa{0x0900'0000}, Paddr{0x0900'0000}, 4 * KiB, device), Map_status::ok);
  const uint64_t page = memory.entry(table3, 0);
  EXPECT_EQ((page >> 2) & 0xf, 0b0001u) << "MemAttr: Device-nGnRE";
  EXPECT_NE(page & xn, 0u);
  EXPECT_EQ(page, 0x0900'0000u | 0b11 | 0x04 | 0xc0 | 0x400 | xn) << "SH left 0: ignored for Device memory";
}

TEST(PageTableStage2, NonCacheableMemory) {
  Fake_memory memory{16};
  Stage2_table table = create<Stage2_table>(memory);
  ASSERT_EQ(table.map(Ipa{0x1000}, Paddr{0x5000'0000}, 4 * KiB, non_cacheable), Map_status::ok);
  EXPECT_EQ(memory.entry(table3, 1), 0x5000'0000u | 0b11 | 0x14 | 0xc0 | 0x300 | 0x400 | xn)
      << "MemAttr 0b0101: outer and inner non-cacheable";
}

TEST(PageTableStage2, ReadOnlyGetsReadOnlyS2ap) {
  Fake_memory memory{16};
  Stage2_table table = create<Stage2_table>(memory);
  ASSERT_EQ(table.map(Ipa{0x1000}, Paddr{0x5000'0000}, 4 * KiB, ram_read_only), Map_status::ok);
  const uint64_t page = memory.entry(table3, 1);
  EXPECT_EQ((page >> 6) & 0b11, 0b01u) << "S2AP read-only";
  EXPECT_EQ(page, 0x5000'0000u | 0b11 | 0x3c | 0x40 | 0x300 | 0x400 | xn);
}

TEST(PageTableStage2, LookupRoundTripsEveryMapping) {
  Fake_memory memory{32};
  Stage2_table table = create<Stage2_table>(memory);
  struct Mapping {
    uint64_t ipa, pa, size;
    Attributes attributes;
    uint64_t expected_size;
    unsigned expected_level;
  };
  const Mapping mappings[] = {
      {0x1000, 0x4000'0000, 0x3000, ram, 4 * KiB, 3},
      {0x20'0000, 0x4020'0000, 2 * MiB, ram_read_only, 2 * MiB, 2},
      {0x0900'0000, 0x0900'0000, 0x1'0000, device, 4 * KiB, 3},
      {0x4000'0000, 0x1'0000'0000, GiB, ram_no_execute, GiB, 1},
      {0xff'ffe0'0000, 0x8000'0000, 2 * MiB, non_cacheable, 2 * MiB, 2},
  };
  for (const Mapping& mapping : mappings)
    ASSERT_EQ(table.map(Ipa{mapping.ipa}, Paddr{mapping.pa}, mapping.size, mapping.attributes), Map_status::ok);

  for (const Mapping& mapping : mappings) {
    for (uint64_t offset : {uint64_t{0}, uint64_t{0x123}, mapping.size / 2 + 8, mapping.size - 1}) {
      const Translation found = table.lookup(Ipa{mapping.ipa + offset});
      ASSERT_TRUE(found.mapped) << std::hex << mapping.ipa + offset;
      EXPECT_EQ(found.physical.value(), mapping.pa + offset);
      EXPECT_EQ(found.attributes, mapping.attributes);
      EXPECT_EQ(found.mapping_size, mapping.expected_size);
      EXPECT_EQ(found.level, mapping.expected_level);
    }
  }
  EXPECT_FALSE(table.lookup(Ipa{0}).mapped);
  EXPECT_FALSE(table.lookup(Ipa{0x4000}).mapped);
  EXPECT_FALSE(table.lookup(Ipa{0x40'0000}).mapped);
  EXPECT_FALSE(table.lookup(Ipa{0x3fff'ffff}).mapped);
  EXPECT_FALSE(table.lookup(Ipa{uint64_t{1} << 40}).mapped) << "beyond the IPA space";
  EXPECT_FALSE(table.lookup(Ipa{~uint64_t{0}}).mapped);
}

// Maps `address` etc. on a table whose memory must not change.
template <typename Table, typename Input>
void expect_refused(Fake_memory& memory, Table& table, Input address, uint64_t physical, uint64_t size,
                    Attributes attributes, Map_status expected) {
  const Fake_memory::Snapshot before = memory.snapshot();
  EXPECT_EQ(table.map(address, Paddr{physical}, size, attributes), expected)
      << std::hex << "address 0x" << address.value() << " physical 0x" << physical << " size 0x" << size;
  EXPECT_TRUE(memory.snapshot() == before) << "a refused map() changed the tables";
}

// A stage-2 table with a few mappings, so refusals are tried on a live table.
struct Populated {
  Fake_memory memory{64};
  Stage2_table table = create<Stage2_table>(memory);
  Populated() {
    EXPECT_EQ(table.map(Ipa{0x10'0000}, Paddr{0x4010'0000}, 0x3000, ram), Map_status::ok);
    EXPECT_EQ(table.map(Ipa{0x4000'0000}, Paddr{0x4000'0000}, 2 * MiB, ram), Map_status::ok);
    EXPECT_EQ(table.map(Ipa{0x8000'0000}, Paddr{0x8000'0000}, GiB, ram), Map_status::ok);
  }
};

TEST(PageTableStage2, RefusesSizeZero) {
  Populated p;
  expect_refused(p.memory, p.table, Ipa{0x200'0000}, 0x5000'0000, 0, ram, Map_status::size_zero);
}

TEST(PageTableStage2, RefusesMisalignedInput) {
  Populated p;
  expect_refused(p.memory, p.table, Ipa{0x200'0800}, 0x5000'0000, 0x1000, ram, Map_status::misaligned);
  expect_refused(p.memory, p.table, Ipa{0x200'0000}, 0x5000'0010, 0x1000, ram, Map_status::misaligned);
  expect_refused(p.memory, p.table, Ipa{0x200'0000}, 0x5000'0000, 0x1800, ram, Map_status::misaligned);
}

TEST(PageTableStage2, RefusesOverflow) {
  Populated p;
  expect_refused(p.memory, p.table, Ipa{0xffff'ffff'ffff'f000}, 0x5000'0000, 0x2000, ram, Map_status::address_overflow);
  expect_refused(p.memory, p.table, Ipa{0x200'0000}, 0xffff'ffff'ffff'f000, 0x2000, ram, Map_status::address_overflow);
  expect_refused(p.memory, p.table, Ipa{0x1000}, 0x5000'0000, 0xffff'ffff'ffff'f000, ram, Map_status::address_overflow);
}

TEST(PageTableStage2, RefusesInputBeyondTheIpaSpace) {
  Populated p;
  expect_refused(p.memory, p.table, Ipa{uint64_t{1} << 40}, 0x5000'0000, 0x1000, ram, Map_status::input_out_of_range);
  expect_refused(p.memory, p.table, Ipa{0xff'ffff'f000}, 0x5000'0000, 0x2000, ram, Map_status::input_out_of_range);
  EXPECT_EQ(p.table.map(Ipa{0xff'ffff'f000}, Paddr{0x5000'0000}, 0x1000, ram), Map_status::ok) << "the last page";
  EXPECT_EQ(p.table.lookup(Ipa{0xff'ffff'ffff}).physical.value(), 0x5000'0fffu);
}

TEST(PageTableStage2, RefusesPhysicalBeyond40Bits) {
  Populated p;
  expect_refused(p.memory, p.table, Ipa{0x200'0000}, uint64_t{1} << 40, 0x1000, ram, Map_status::output_out_of_range);
  expect_refused(p.memory, p.table, Ipa{0x200'0000}, 0xff'ffff'f000, 0x2000, ram, Map_status::output_out_of_range);
  EXPECT_EQ(p.table.map(Ipa{0x200'0000}, Paddr{0xff'ffff'f000}, 0x1000, ram), Map_status::ok);
}

TEST(PageTableStage2, RefusesBadAttributes) {
  Populated p;
  const Attributes bad_access{static_cast<Access>(7), false, Memory_type::normal_write_back};
  const Attributes bad_memory{Access::read_write, false, static_cast<Memory_type>(9)};
  const Attributes executable_device{Access::read_write, true, Memory_type::device_ngnre};
  expect_refused(p.memory, p.table, Ipa{0x200'0000}, 0x5000'0000, 0x1000, bad_access, Map_status::bad_attributes);
  expect_refused(p.memory, p.table, Ipa{0x200'0000}, 0x5000'0000, 0x1000, bad_memory, Map_status::bad_attributes);
  expect_refused(p.memory, p.table, Ipa{0x200'0000}, 0x0900'0000, 0x1000, executable_device,
                 Map_status::executable_device);
}

TEST(PageTableStage2, RefusesOverlap) {
  Populated p;
  // Pages at [0x100000, 0x103000).
  expect_refused(p.memory, p.table, Ipa{0x10'0000}, 0x5000'0000, 0x3000, ram, Map_status::overlap);
  expect_refused(p.memory, p.table, Ipa{0x10'2000}, 0x5000'0000, 0x2000, ram, Map_status::overlap);
  expect_refused(p.memory, p.table, Ipa{0x0f'f000}, 0x5000'0000, 0x5000, ram, Map_status::overlap);
  // A 2 MiB block over the level-3 table holding those pages.
  expect_refused(p.memory, p.table, Ipa{0}, 0x5000'0000, 2 * MiB, ram, Map_status::overlap);
  // A page inside the 2 MiB block at 0x40000000, and a block on it.
  expect_refused(p.memory, p.table, Ipa{0x4010'0000}, 0x5000'0000, 0x1000, ram, Map_status::overlap);
  expect_refused(p.memory, p.table, Ipa{0x4000'0000}, 0x6000'0000, 2 * MiB, ram, Map_status::overlap);
  // A 1 GiB block over the level-2 table holding that block.
  expect_refused(p.memory, p.table, Ipa{0x4000'0000}, 0x8000'0000, GiB, ram, Map_status::overlap);
  // Inside the 1 GiB block at 0x80000000.
  expect_refused(p.memory, p.table, Ipa{0xbfff'f000}, 0x5000'0000, 0x1000, ram, Map_status::overlap);
  // Fresh at the start (it would need new tables) and overlapping only at its end.
  expect_refused(p.memory, p.table, Ipa{0x3ff0'0000}, 0x5000'0000, 0x10'1000, ram, Map_status::overlap);
  expect_refused(p.memory, p.table, Ipa{0x7fff'f000}, 0x5000'0000, 0x2000, ram, Map_status::overlap);
  // Right next to the mappings is fine.
  EXPECT_EQ(p.table.map(Ipa{0x0f'f000}, Paddr{0x5000'0000}, 0x1000, ram), Map_status::ok);
  EXPECT_EQ(p.table.map(Ipa{0x10'3000}, Paddr{0x5000'1000}, 0x1000, ram), Map_status::ok);
  EXPECT_EQ(p.table.map(Ipa{0x3fe0'0000}, Paddr{0x5000'0000}, 2 * MiB, ram), Map_status::ok);
}

// A map window's tables (memory_map): every level down to the last, the
// last-level entries left invalid, even where a 2 MiB block would fit; the
// entries last_level_entry finds are those tables' and nothing else.
TEST(PageTableStage2, ReserveBuildsTablesButMapsNothing) {
  Fake_memory memory{16};
  Stage2_table table = create<Stage2_table>(memory);
  ASSERT_EQ(table.reserve(Ipa{0x4000'0000}, 2 * MiB + 0x1000), Map_status::ok);
  EXPECT_EQ(memory.pages_used(), 5u) << "root (2), a level-2 and two level-3 tables";
  EXPECT_EQ(memory.valid_entries(), 3u) << "only table descriptors";
  EXPECT_FALSE(table.lookup(Ipa{0x4000'0000}).mapped);
  EXPECT_EQ(memory.entry(root, 1), table2.value() | 0b11);
  EXPECT_EQ(memory.entry(table2, 0), table3.value() | 0b11);
  EXPECT_EQ(memory.entry(table2, 1), table4.value() | 0b11);
  EXPECT_EQ(Stage2_table::last_level_entry(memory, root, Ipa{0x4000'2000}).value(), (table3 + 2 * 8).value());
  EXPECT_EQ(Stage2_table::last_level_entry(memory, root, Ipa{0x4020'0000}).value(), table4.value());
  EXPECT_EQ(Stage2_table::last_level_entry(memory, root, Ipa{0x8000'0000}).value(), 0u) << "no tables there";
  // Mapping a page there afterwards takes no new table.
  ASSERT_EQ(table.map(Ipa{0x4000'1000}, Paddr{0x5000'0000}, 0x1000, ram), Map_status::ok);
  EXPECT_EQ(memory.pages_used(), 5u);
}

TEST(PageTableStage2, ReserveRefusesWhatIsMappedAndChangesNothing) {
  Fake_memory memory{16};
  Stage2_table table = create<Stage2_table>(memory);
  ASSERT_EQ(table.map(Ipa{0x20'0000}, Paddr{0x5000'0000}, 2 * MiB, ram), Map_status::ok);
  ASSERT_EQ(table.map(Ipa{0x40'1000}, Paddr{0x5000'0000}, 0x1000, ram), Map_status::ok);
  const Fake_memory::Snapshot before = memory.snapshot();
  EXPECT_EQ(table.reserve(Ipa{0x30'0000}, 0x1000), Map_status::overlap) << "inside a block";
  EXPECT_EQ(table.reserve(Ipa{0x40'0000}, 0x3000), Map_status::overlap) << "over a page";
  EXPECT_EQ(table.reserve(Ipa{0x40'0000}, 0), Map_status::size_zero);
  EXPECT_EQ(table.reserve(Ipa{0x40'0800}, 0x1000), Map_status::misaligned);
  EXPECT_EQ(memory.snapshot(), before);
  EXPECT_EQ(table.reserve(Ipa{0x40'2000}, 0x1000), Map_status::ok) << "beside the page, in its table";
  EXPECT_EQ(memory.pages_used(), before.pages_used);
}

TEST(PageTableStage2, RunningOutOfTablePagesFailsCleanly) {
  Fake_memory memory{3};  // the root and one more page
  Stage2_table table = create<Stage2_table>(memory);
  // A page needs a level-2 and a level-3 table: refused before anything is written.
  expect_refused(memory, table, Ipa{0}, 0x5000'0000, 0x1000, ram, Map_status::out_of_tables);
  // A 1 GiB + 2 MiB + 4 KiB range needs a level-2 and a level-3 table (the first GiB is one block).
  expect_refused(memory, table, Ipa{0x4000'0000}, 0x4000'0000, GiB + 2 * MiB + 0x1000, ram, Map_status::out_of_tables);
  // A 2 MiB block needs only the level-2 table.
  ASSERT_EQ(table.map(Ipa{0}, Paddr{0x5000'0000}, 2 * MiB, ram), Map_status::ok);
  EXPECT_EQ(memory.free_pages(), 0u);
  expect_refused(memory, table, Ipa{0x40'0000}, 0x5000'0000, 0x1000, ram, Map_status::out_of_tables);
  // A block beside it in the same level-2 table needs nothing new.
  EXPECT_EQ(table.map(Ipa{0x20'0000}, Paddr{0x6000'0000}, 2 * MiB, ram), Map_status::ok);
  EXPECT_EQ(table.map(Ipa{0x4000'0000}, Paddr{0x4000'0000}, GiB, ram), Map_status::ok);
  EXPECT_TRUE(table.lookup(Ipa{0x20'0000}).mapped);
}

TEST(PageTableStage2, CreateFailsWithoutRoomForTheRoot) {
  Fake_memory memory{1};  // the concatenated root needs two pages
  auto created = Stage2_table::create(memory);
  EXPECT_EQ(created.status, Map_status::out_of_tables);
  EXPECT_EQ(memory.pages_used(), 0u);
  const Fake_memory::Snapshot before = memory.snapshot();
  EXPECT_EQ(created.table.map(Ipa{0}, Paddr{0}, 0x1000, ram), Map_status::out_of_tables);
  EXPECT_FALSE(created.table.lookup(Ipa{0}).mapped);
  EXPECT_TRUE(memory.snapshot() == before);
}

TEST(PageTableStage2, RootIsAlignedToItsSize) {
  Fake_memory memory{8};
  Kernel_table kernel = create<Kernel_table>(memory);  // takes page 0
  Stage2_table table = create<Stage2_table>(memory);   // must skip page 1
  EXPECT_EQ(kernel.root().value(), Fake_memory::page_address(0).value());
  EXPECT_EQ(table.root().value(), Fake_memory::page_address(2).value());
  EXPECT_EQ(kestrel::arch::vmsa::Vttbr_el2::value(table.root(), 5), 0x0005'0000'4000'2000u);
}

TEST(PageTableStage2, ManyRandomMappingsLookUpCorrectly) {
  std::mt19937_64 random{20240611};
  auto below = [&](uint64_t limit) { return std::uniform_int_distribution<uint64_t>{0, limit - 1}(random); };
  struct Mapping {
    uint64_t ipa, pa, size;
    Attributes attributes;
  };
  const Attributes kinds[] = {ram, ram_no_execute, ram_read_only, device, non_cacheable};

  Fake_memory memory{2048};
  Stage2_table table = create<Stage2_table>(memory);
  std::vector<Mapping> mappings;
  auto overlaps = [&](uint64_t ipa, uint64_t size) {
    return std::any_of(mappings.begin(), mappings.end(),
                       [&](const Mapping& m) { return ipa < m.ipa + m.size && m.ipa < ipa + size; });
  };
  size_t refused_overlaps = 0;
  while (mappings.size() < 400) {
    // Half near each other (sharing tables), half anywhere in the 40-bit space.
    const uint64_t window = mappings.size() % 2 == 0 ? 8 * GiB : uint64_t{1} << 40;
    uint64_t size = 0;
    uint64_t ipa = 0;
    uint64_t pa = 0;
    switch (below(4)) {
      case 0:  // a few pages
        size = (1 + below(16)) * 4 * KiB;
        ipa = below(window / (4 * KiB)) * 4 * KiB;
        pa = below((uint64_t{1} << 40) / (4 * KiB)) * 4 * KiB;
        break;
      case 1:  // whole blocks, both sides 2 MiB-aligned
        size = (1 + below(4)) * 2 * MiB;
        ipa = below(window / (2 * MiB)) * 2 * MiB;
        pa = below((uint64_t{1} << 40) / (2 * MiB)) * 2 * MiB;
        break;
      case 2: {  // pages around blocks: IPA and PA congruent modulo 2 MiB
        size = (1 + below(3)) * 2 * MiB + below(512) * 4 * KiB;
        ipa = below(window / (4 * KiB)) * 4 * KiB;
        pa = (below((uint64_t{1} << 39) / (2 * MiB)) * 2 * MiB) | (ipa & (2 * MiB - 1));
        break;
      }
      default:  // blocks-sized but PA not 2 MiB-aligned: all pages
        size = 2 * MiB;
        ipa = below(window / (2 * MiB)) * 2 * MiB;
        pa = below((uint64_t{1} << 40) / (2 * MiB)) * 2 * MiB + 4 * KiB * (1 + below(511));
        break;
    }
    if (ipa + size > (uint64_t{1} << 40) || pa + size > (uint64_t{1} << 40)) continue;
    const Attributes attributes = kinds[below(5)];
    if (overlaps(ipa, size)) {
      const Fake_memory::Snapshot before = memory.snapshot();
      ASSERT_EQ(table.map(Ipa{ipa}, Paddr{pa}, size, attributes), Map_status::overlap);
      ASSERT_TRUE(memory.snapshot() == before);
      ++refused_overlaps;
      continue;
    }
    ASSERT_EQ(table.map(Ipa{ipa}, Paddr{pa}, size, attributes), Map_status::ok)
        << std::hex << "ipa 0x" << ipa << " pa 0x" << pa << " size 0x" << size;
    mappings.push_back({ipa, pa, size, attributes});
  }
  EXPECT_GT(refused_overlaps, 0u) << "the generator should also have tried some overlaps";

  for (const Mapping& mapping : mappings) {
    for (uint64_t offset = 0; offset < mapping.size; offset += 4 * KiB) {
      const uint64_t inside = offset + below(4 * KiB);
      const Translation found = table.lookup(Ipa{mapping.ipa + inside});
      ASSERT_TRUE(found.mapped) << std::hex << mapping.ipa + inside;
      ASSERT_EQ(found.physical.value(), mapping.pa + inside);
      ASSERT_EQ(found.attributes, mapping.attributes);
    }
    for (uint64_t outside : {mapping.ipa - 1, mapping.ipa + mapping.size}) {
      // (ipa - 1 wraps to 2^64 - 1 for ipa 0, which is beyond the IPA space, hence unmapped too.)
      if (outside < (uint64_t{1} << 40) && overlaps(outside, 1)) continue;
      EXPECT_FALSE(table.lookup(Ipa{outside}).mapped) << std::hex << outside;
    }
  }
}

TEST(PageTableStage1, KernelDescriptorBits) {
  Fake_memory memory{16};
  Kernel_table table = create<Kernel_table>(memory);
  EXPECT_EQ(memory.pages_used(), 1u) << "a single level-1 root table";
  const Attributes text{Access::read_only, true, Memory_type::normal_write_back};
  const Attributes rodata{Access::read_only, false, Memory_type::normal_write_back};
  const Attributes data{Access::read_write, false, Memory_type::normal_write_back};
  const Attributes uart{Access::read_write, false, Memory_type::device_ngnre};
  const Attributes shared{Access::read_write, false, Memory_type::normal_non_cacheable};
  ASSERT_EQ(table.map(Vaddr{0x4008'0000}, Paddr{0x4008'0000}, 0x1000, text), Map_status::ok);
  ASSERT_EQ(table.map(Vaddr{0x4008'1000}, Paddr{0x4008'1000}, 0x1000, rodata), Map_status::ok);
  ASSERT_EQ(table.map(Vaddr{0x4008'2000}, Paddr{0x4008'2000}, 0x1000, data), Map_status::ok);
  ASSERT_EQ(table.map(Vaddr{0x4008'3000}, Paddr{0x4008'3000}, 0x1000, shared), Map_status::ok);
  ASSERT_EQ(table.map(Vaddr{0x0900'0000}, Paddr{0x0900'0000}, 0x1000, uart), Map_status::ok);

  const Paddr l2 = Fake_memory::page_address(1);
  const Paddr l3 = Fake_memory::page_address(2);
  EXPECT_EQ(memory.entry(root, 1), l2.value() | 0b11);
  EXPECT_EQ(memory.entry(l2, 0), l3.value() | 0b11) << "0x40080000: level-2 index 0";
  // AttrIndx <<2, AP[2:1] <<6 (AP[1] RES1: 0b01 read/write, 0b11 read-only), SH <<8, AF <<10, XN <<54.
  EXPECT_EQ(memory.entry(l3, 0x80), 0x4008'0000u | 0b11 | (0 << 2) | (0b11 << 6) | 0x300 | 0x400);
  EXPECT_EQ(memory.entry(l3, 0x81), 0x4008'1000u | 0b11 | (0 << 2) | (0b11 << 6) | 0x300 | 0x400 | xn);
  EXPECT_EQ(memory.entry(l3, 0x82), 0x4008'2000u | 0b11 | (0 << 2) | (0b01 << 6) | 0x300 | 0x400 | xn);
  EXPECT_EQ(memory.entry(l3, 0x83), 0x4008'3000u | 0b11 | (2 << 2) | (0b01 << 6) | 0x300 | 0x400 | xn);
  const Paddr device_l2 = Fake_memory::page_address(3);
  const Paddr device_l3 = Fake_memory::page_address(4);
  EXPECT_EQ(memory.entry(root, 0), device_l2.value() | 0b11);
  EXPECT_EQ(memory.entry(device_l2, 0x48), device_l3.value() | 0b11);
  EXPECT_EQ(memory.entry(device_l3, 0), 0x0900'0000u | 0b11 | (1 << 2) | (0b01 << 6) | 0x400 | xn);

  EXPECT_EQ(table.lookup(Vaddr{0x4008'0123}).attributes, text);
  EXPECT_EQ(table.lookup(Vaddr{0x4008'1123}).attributes, rodata);
  EXPECT_EQ(table.lookup(Vaddr{0x4008'2123}).attributes, data);
  EXPECT_EQ(table.lookup(Vaddr{0x4008'3123}).attributes, shared);
  EXPECT_EQ(table.lookup(Vaddr{0x0900'0018}).attributes, uart);
  EXPECT_EQ(table.lookup(Vaddr{0x0900'0018}).physical.value(), 0x0900'0018u);
}

TEST(PageTableStage1, KernelBlocks) {
  Fake_memory memory{16};
  Kernel_table table = create<Kernel_table>(memory);
  const Attributes data{Access::read_write, false, Memory_type::normal_write_back};
  ASSERT_EQ(table.map(Vaddr{0x4000'0000}, Paddr{0x4000'0000}, GiB + 2 * MiB, data), Map_status::ok);
  EXPECT_EQ(memory.entry(root, 1), 0x4000'0000u | 0b01 | (0b01 << 6) | 0x300 | 0x400 | xn);
  EXPECT_EQ(memory.entry(Fake_memory::page_address(1), 0), 0x8000'0000u | 0b01 | (0b01 << 6) | 0x300 | 0x400 | xn);
  const Translation found = table.lookup(Vaddr{0x8000'1234});
  EXPECT_EQ(found.mapping_size, 2 * MiB);
  EXPECT_EQ(found.physical.value(), 0x8000'1234u);
}

TEST(PageTableStage1, WritableExecutableIsRefused) {
  Fake_memory memory{16};
  Kernel_table table = create<Kernel_table>(memory);
  const Attributes writable_code{Access::read_write, true, Memory_type::normal_write_back};
  expect_refused(memory, table, Vaddr{0x4008'0000}, 0x4008'0000, 0x1000, writable_code,
                 Map_status::writable_executable);
  const Attributes executable_device{Access::read_only, true, Memory_type::device_ngnre};
  expect_refused(memory, table, Vaddr{0x0900'0000}, 0x0900'0000, 0x1000, executable_device,
                 Map_status::executable_device);
}

TEST(PageTableStage1, InputRangeIs39Bits) {
  Fake_memory memory{16};
  Kernel_table table = create<Kernel_table>(memory);
  const Attributes data{Access::read_write, false, Memory_type::normal_write_back};
  expect_refused(memory, table, Vaddr{uint64_t{1} << 39}, 0x4000'0000, 0x1000, data, Map_status::input_out_of_range);
  expect_refused(memory, table, Vaddr{0x7f'ffff'f000}, 0x4000'0000, 0x2000, data, Map_status::input_out_of_range);
  ASSERT_EQ(table.map(Vaddr{0x7f'ffff'f000}, Paddr{0x7f'ffff'f000}, 0x1000, data), Map_status::ok);
  EXPECT_EQ(memory.entry(root, 511), Fake_memory::page_address(1).value() | 0b11);
  EXPECT_FALSE(table.lookup(Vaddr{uint64_t{1} << 39}).mapped);
}

// A 39-bit IPA: one level-1 root page, and nothing at or above 512 GiB.
TEST(PageTableStage2, ThirtyNineBitIpaHasOneRootPage) {
  Fake_memory memory{16};
  auto table = create<kestrel::arch::Stage2_table<Fake_memory, kestrel::arch::Stage2_39_regime>>(memory);
  EXPECT_EQ(memory.pages_used(), 1u) << "one level-1 table";
  ASSERT_EQ(table.map(Ipa{0x8000'1000}, Paddr{0x12'3456'7000}, 4 * KiB, ram), Map_status::ok);
  EXPECT_EQ(memory.entry(root, 2), Fake_memory::page_address(1).value() | 0b11) << "level 2 right after the root";
  EXPECT_EQ(table.lookup(Ipa{0x8000'1000}).physical.value(), 0x12'3456'7000u);
  EXPECT_NE(table.map(Ipa{uint64_t{1} << 39}, Paddr{0x4000'0000}, 4 * KiB, ram), Map_status::ok);
  EXPECT_NE(table.map(Ipa{(uint64_t{1} << 39) - 4 * KiB}, Paddr{0x4000'0000}, 8 * KiB, ram), Map_status::ok);
}

TEST(PageTableRegisters, TranslationControlValues) {
  using kestrel::arch::vmsa::Mair_el2;
  using kestrel::arch::vmsa::Tcr_el2;
  using kestrel::arch::vmsa::Vtcr_el2;
  EXPECT_EQ(Vtcr_el2::T0sz::get(Vtcr_el2::value(40)), 24u);
  EXPECT_EQ(Vtcr_el2::T0sz::get(Vtcr_el2::value(39)), 25u);
  EXPECT_EQ(Vtcr_el2::Sl0::get(Vtcr_el2::value(39)), 1u) << "start at level 1";
  EXPECT_EQ(Vtcr_el2::Sl0::get(Vtcr_el2::value(40)), 1u) << "start at level 1";
  EXPECT_EQ(Vtcr_el2::Tg0::get(Vtcr_el2::value(40)), 0u) << "4 KiB granule";
  EXPECT_EQ(Vtcr_el2::Ps::get(Vtcr_el2::value(40)), 0b010u) << "40-bit PA";
  EXPECT_EQ(Vtcr_el2::value(40), 0x8002'3558u);
  EXPECT_EQ(Vtcr_el2::value(39), 0x8002'3559u);
  EXPECT_EQ(Tcr_el2::T0sz::get(Tcr_el2::value), 25u);
  EXPECT_EQ(Tcr_el2::value, 0x8082'3519u);
  EXPECT_EQ(Mair_el2::value, 0x44'04ffu);
  EXPECT_EQ(kestrel::arch::vmsa::Ttbr0_el2::value(Paddr{0x4000'1000}), 0x4000'1000u);
  EXPECT_STREQ(kestrel::to_string(Map_status::overlap), "range overlaps an existing mapping");
}

// The generic walker over a made-up two-level regime with no blocks and a
// descriptor format unlike Armv8's, so nothing Armv8-specific can hide in
// kestrel/page_table.hpp: 30-bit input, 512 entries of 4 KiB per level;
// bit 0 valid, bit 63 table, bit 1 writable, bit 2 executable, bits [4:3]
// the memory type, the address in bits [62:12].
struct Toy_regime {
  using Input = kestrel::Vaddr;
  static constexpr uint64_t page_size = 4096;
  static constexpr unsigned entries_per_table = 512;
  static constexpr unsigned first_level = 1;
  static constexpr unsigned last_level = 2;
  static constexpr unsigned input_bits = 30;
  static constexpr unsigned output_bits = 32;
  static constexpr unsigned root_tables = 1;
  static constexpr uint64_t valid = 1, writable = 2, executable = 4, table = uint64_t{1} << 63;

  static constexpr unsigned level_shift(unsigned level) { return level == 1 ? 21 : 12; }
  static constexpr bool leaf_allowed(unsigned level) { return level == last_level; }
  static constexpr bool is_valid(unsigned, uint64_t descriptor) { return (descriptor & valid) != 0; }
  static constexpr bool is_table(unsigned, uint64_t descriptor) { return (descriptor & table) != 0; }
  static constexpr uint64_t address_of(uint64_t descriptor) { return descriptor & 0x7fff'ffff'ffff'f000; }
  static constexpr uint64_t table_descriptor(Paddr address) { return address.value() | table | valid; }
  static constexpr uint64_t leaf_descriptor(unsigned, uint64_t output, uint64_t attributes) {
    return output | attributes | valid;
  }
  static constexpr Map_status check(Attributes attributes) { return kestrel::check_attributes(attributes); }
  static constexpr uint64_t leaf_attributes(Attributes attributes) {
    return (attributes.access == Access::read_write ? writable : 0) | (attributes.executable ? executable : 0) |
           static_cast<uint64_t>(attributes.memory) << 3;
  }
  static constexpr Attributes attributes_of(uint64_t descriptor) {
    return {(descriptor & writable) != 0 ? Access::read_write : Access::read_only, (descriptor & executable) != 0,
            static_cast<Memory_type>((descriptor >> 3) & 3)};
  }
};
static_assert(kestrel::Translation_regime<Toy_regime>);
using Toy_table = kestrel::Page_table<Toy_regime, Fake_memory>;

TEST(PageTableGeneric, AnotherRegimesFormatAndGeometry) {
  Fake_memory memory{8};
  Toy_table table = create<Toy_table>(memory);
  // 2 MiB aligned: this regime allows no blocks, so one level-2 table of 512 pages.
  ASSERT_EQ(table.map(Vaddr{0x20'0000}, Paddr{0x1220'0000}, 2 * MiB, ram_read_only), Map_status::ok);
  const Paddr level2 = Fake_memory::page_address(1);
  EXPECT_EQ(memory.entry(root, 1), level2.value() | Toy_regime::table | 1);
  EXPECT_EQ(memory.entry(level2, 0), 0x1220'0000u | 1);
  EXPECT_EQ(memory.entry(level2, 511), (0x1220'0000u + 511 * 4096) | 1);
  EXPECT_EQ(memory.valid_entries(), 513u);
  EXPECT_EQ(memory.writes().back().value, memory.entry(root, 1)) << "the table is linked last";

  ASSERT_EQ(table.map(Vaddr{0x3fff'f000}, Paddr{0xffff'f000}, 4 * KiB, ram), Map_status::ok);
  const Translation found = table.lookup(Vaddr{0x3fff'f123});
  EXPECT_TRUE(found.mapped);
  EXPECT_EQ(found.physical.value(), 0xffff'f123u);
  EXPECT_EQ(found.mapping_size, 4 * KiB);
  EXPECT_EQ(found.level, 2u);
  EXPECT_EQ(found.attributes, ram);

  EXPECT_EQ(table.map(Vaddr{0x4000'0000}, Paddr{0}, 4 * KiB, ram), Map_status::input_out_of_range);
  EXPECT_EQ(table.map(Vaddr{0}, Paddr{uint64_t{1} << 32}, 4 * KiB, ram), Map_status::output_out_of_range);
  EXPECT_EQ(table.map(Vaddr{0x20'1000}, Paddr{0}, 4 * KiB, ram), Map_status::overlap);
  EXPECT_FALSE(table.lookup(Vaddr{0x40'0000}).mapped);
}

}  // namespace
