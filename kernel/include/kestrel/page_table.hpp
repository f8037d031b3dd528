// SPDX-License-Identifier: Apache-2.0
// Page_table: builds VMSAv8-64 translation tables (4 KiB granule) for a
// partition's stage 2 and for the kernel's own EL2 stage 1.
//
// Walk (Arm ARM D5/D8, "Overview of VMSAv8-64 address translation using the
// 4KB translation granule"): a level-1 entry covers 1 GiB, a level-2 entry
// 2 MiB, a level-3 entry 4 KiB; 9 bits of input address per level. Both
// regimes start at level 1 and take three lookups:
//
// - Stage 2: 40-bit IPA (VTCR_EL2.T0SZ = 24). A single level-1 table
//   resolves only 39 bits, so the initial lookup uses two concatenated
//   level-1 tables (1024 entries, 8 KiB, and VTTBR_EL2.BADDR aligned to
//   8 KiB), selected by VTCR_EL2.SL0 = 0b01. The Arm ARM allows up to 16
//   concatenated tables at the initial stage-2 level, and for a 40..43-bit
//   input lets the walk start at level 0 or level 1; level 1 saves a lookup
//   on every TLB miss, at the price of one extra 4 KiB page per partition.
// - EL2 stage 1 (TTBR0_EL2, non-VHE: one VA range): stage 1 cannot
//   concatenate, and with the 4 KiB granule a walk starting at level 1 covers
//   at most 39 bits (TCR_EL2.T0SZ 25..33). So the kernel's identity map uses
//   T0SZ = 25: a 512 GiB VA range, one 4 KiB root table. On QEMU virt all
//   RAM and every device the kernel touches lies below 512 GiB.
//
// Output addresses are 40 bits (PS = 0b010), which Cortex-A53 and -A72
// implement; the arch code must check ID_AA64MMFR0_EL1.PARange >= 0b0010.
//
// Descriptors: 2 MiB blocks at level 2 and 1 GiB blocks at level 1 where the
// input address, the output address and the remaining size all allow it,
// 4 KiB pages at level 3 elsewhere; access flag always set (no access-flag
// faults). Targets Armv8.0: stage-2 execute-never is the single XN bit 54,
// and bit 53 stays 0, which Armv8.2 TTS2UXN reads as XN[1:0] = 0b10, "not
// executable at EL1 or EL0", the same meaning.
//
// Hedron's habit: the builder is a template over a Memory policy that owns
// the table pages (see Table_memory below), so the same code runs in the
// kernel and in host unit tests against a fake that records every write.
//
// Every map() checks first and writes after: it validates its arguments and
// walks the range once without writing (finding overlaps and counting the
// tables it will need) before it allocates or writes anything, so a refused
// map() leaves the tables exactly as they were. It only ever turns invalid
// entries into valid ones (no break-before-make needed; TLBs never hold
// invalid entries, so no TLBI either), and it fills a new table before it
// links it into its parent, so a hardware walker never sees a partly built
// subtree. Not thread-safe: callers serialise map() on a table and on its
// Memory. Freestanding C++20, no heap, no exceptions.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>

#include <kestrel/address.hpp>
#include <kestrel/bitfield.hpp>

namespace kestrel {

// The architecture's fixed numbers: geometry, descriptor fields and the
// translation control registers' values.
namespace vmsa {

inline constexpr uint64_t page_size = 4096;  // the granule; also the size of one table
inline constexpr unsigned entries_per_table = 512;
inline constexpr unsigned first_level = 1;
inline constexpr unsigned last_level = 3;
inline constexpr unsigned output_address_bits = 40;  // PS = 0b010

// Bits of input address below a level's index; an entry at the level covers 2^shift bytes.
constexpr unsigned level_shift(unsigned level) { return 12 + 9 * (last_level - level); }
constexpr uint64_t level_size(unsigned level) { return uint64_t{1} << level_shift(level); }
static_assert(level_size(3) == 4096 && level_size(2) == 2 << 20 && level_size(1) == uint64_t{1} << 30);
static_assert(entries_per_table * sizeof(uint64_t) == page_size);

// Fields of a level-1..3 descriptor (Arm ARM "VMSAv8-64 translation table
// level 0, level 1, and level 2 descriptor formats" and "... level 3").
namespace descriptor {
using Valid = Bitflag<0>;
// Bit 1: at levels 1 and 2, 1 = table, 0 = block; at level 3, 1 = page (0 is reserved, treated as invalid).
using Type = Bitflag<1>;
inline constexpr uint64_t table_type = 1;
inline constexpr uint64_t block_type = 0;
inline constexpr uint64_t page_type = 1;
// OA[47:12] of a block or page, or the next-level table's address.
using Output_address = Bitfield<12, 36>;

// Lower attributes of block and page descriptors.
using Attr_index = Bitfield<2, 3>;  // stage 1: index into MAIR_ELx
using Mem_attr = Bitfield<2, 4>;    // stage 2: MemAttr[3:0]
using Ap = Bitfield<6, 2>;          // stage 1: AP[2:1]
using S2ap = Bitfield<6, 2>;        // stage 2: S2AP[1:0]
using Sh = Bitfield<8, 2>;          // SH[1:0]
using Af = Bitflag<10>;             // access flag
// Upper attributes.
using Xn = Bitflag<54>;  // stage 1 in a one-EL regime: XN; stage 2 on Armv8.0: XN (XN[1] with TTS2UXN)

// SH encodings.
inline constexpr uint64_t sh_non_shareable = 0b00;
inline constexpr uint64_t sh_outer = 0b10;
inline constexpr uint64_t sh_inner = 0b11;

// Stage-1 AP[2:1] in a regime with one Exception level (EL2 non-VHE): AP[1]
// is RES1, AP[2] selects read-only.
inline constexpr uint64_t ap_el2_read_write = 0b01;
inline constexpr uint64_t ap_el2_read_only = 0b11;

// Stage-2 S2AP: bit 0 allows reads, bit 1 writes.
inline constexpr uint64_t s2ap_read_only = 0b01;
inline constexpr uint64_t s2ap_read_write = 0b11;

// Stage-2 MemAttr (FEAT_S2FWB not used): MemAttr[3:2] is 0b00 for Device
// memory (then MemAttr[1:0] is the Device type) or the outer cacheability of
// Normal memory (then MemAttr[1:0] is the inner cacheability).
using S2_mem_attr_high = Bitfield<2, 2>;  // within MemAttr[3:0]
using S2_mem_attr_low = Bitfield<0, 2>;
inline constexpr uint64_t s2_device = 0b00;                // MemAttr[3:2]
inline constexpr uint64_t s2_device_ngnre = 0b01;          // MemAttr[1:0] of Device memory
inline constexpr uint64_t s2_normal_non_cacheable = 0b01;  // outer or inner
inline constexpr uint64_t s2_normal_write_back = 0b11;     // outer or inner
inline constexpr uint64_t mem_attr_device_ngnre =
    S2_mem_attr_high::bits(s2_device) | S2_mem_attr_low::bits(s2_device_ngnre);
inline constexpr uint64_t mem_attr_normal_non_cacheable =
    S2_mem_attr_high::bits(s2_normal_non_cacheable) | S2_mem_attr_low::bits(s2_normal_non_cacheable);
inline constexpr uint64_t mem_attr_normal_write_back =
    S2_mem_attr_high::bits(s2_normal_write_back) | S2_mem_attr_low::bits(s2_normal_write_back);
static_assert(mem_attr_device_ngnre == 0b0001);
static_assert(mem_attr_normal_non_cacheable == 0b0101);
static_assert(mem_attr_normal_write_back == 0b1111);

}  // namespace descriptor

// MAIR_EL2: the memory types the kernel's stage-1 descriptors index.
struct Mair_el2 {
  template <unsigned Index>
  using Attr = Bitfield<8 * Index, 8>;
  using Outer = Bitfield<4, 4>;  // within one Attr<n> byte
  using Inner = Bitfield<0, 4>;

  static constexpr unsigned normal_write_back_index = 0;
  static constexpr unsigned device_ngnre_index = 1;
  static constexpr unsigned normal_non_cacheable_index = 2;

  // Normal: 0b11RW is write-back non-transient with read/write allocation;
  // 0b0100 is non-cacheable. Device: outer nibble 0b0000, inner 0b0100 is nGnRE.
  static constexpr uint64_t normal_write_back = Outer::bits(0b1111) | Inner::bits(0b1111);
  static constexpr uint64_t device_ngnre = Outer::bits(0b0000) | Inner::bits(0b0100);
  static constexpr uint64_t normal_non_cacheable = Outer::bits(0b0100) | Inner::bits(0b0100);

  static constexpr uint64_t value = Attr<normal_write_back_index>::bits(normal_write_back) |
                                    Attr<device_ngnre_index>::bits(device_ngnre) |
                                    Attr<normal_non_cacheable_index>::bits(normal_non_cacheable);
};
static_assert(Mair_el2::normal_write_back == 0xff && Mair_el2::device_ngnre == 0x04 &&
              Mair_el2::normal_non_cacheable == 0x44);
static_assert(Mair_el2::value == 0x44'04ff);

// Fields VTCR_EL2 and TCR_EL2 (E2H = 0) share, at the same positions.
struct Translation_control {
  using T0sz = Bitfield<0, 6>;    // input range is 2^(64 - T0SZ) bytes
  using Irgn0 = Bitfield<8, 2>;   // inner cacheability of table walks
  using Orgn0 = Bitfield<10, 2>;  // outer cacheability of table walks
  using Sh0 = Bitfield<12, 2>;    // shareability of table walks
  using Tg0 = Bitfield<14, 2>;    // granule
  using Ps = Bitfield<16, 3>;     // output address size

  static constexpr uint64_t walk_write_back = 0b01;  // Normal, write-back read- and write-allocate
  static constexpr uint64_t granule_4k = 0b00;
  static constexpr uint64_t size_40_bits = 0b010;

  // The walk reads tables as Normal write-back inner-shareable memory, so
  // the kernel must write descriptors through the same attributes (or clean
  // them to the point of coherency when it wrote them with its MMU off).
  static constexpr uint64_t common = Irgn0::bits(walk_write_back) | Orgn0::bits(walk_write_back) |
                                     Sh0::bits(descriptor::sh_inner) | Tg0::bits(granule_4k) | Ps::bits(size_40_bits);
};

// Stage 2 of the EL1&0 regime: 40-bit IPA, start at level 1, 8-bit VMIDs (VS = 0).
struct Vtcr_el2 : Translation_control {
  using Sl0 = Bitfield<6, 2>;  // with TG0 = 4 KiB: 0b00 level 2, 0b01 level 1, 0b10 level 0
  using Vs = Bitflag<19>;      // 16-bit VMIDs (Armv8.1); 0 here
  using Res1 = Bitflag<31>;

  static constexpr unsigned input_bits = 40;
  static constexpr uint64_t start_at_level1 = 0b01;
  static constexpr uint64_t value = common | T0sz::bits(64 - input_bits) | Sl0::bits(start_at_level1) | Res1::bits(1);
};
static_assert(Vtcr_el2::T0sz::get(Vtcr_el2::value) == 24);
static_assert(Vtcr_el2::value == 0x8002'3558);

// Stage 1 of the non-VHE EL2 regime: 39-bit VA, which starts at level 1 by T0SZ alone.
struct Tcr_el2 : Translation_control {
  using Tbi = Bitflag<20>;  // top byte ignored; 0: all 64 bits are checked
  using Res1_23 = Bitflag<23>;
  using Res1_31 = Bitflag<31>;

  static constexpr unsigned input_bits = 39;
  static constexpr uint64_t value = common | T0sz::bits(64 - input_bits) | Res1_23::bits(1) | Res1_31::bits(1);
};
static_assert(Tcr_el2::T0sz::get(Tcr_el2::value) >= 25 && Tcr_el2::T0sz::get(Tcr_el2::value) <= 33,
              "a 4 KiB-granule stage-1 walk starts at level 1 only for T0SZ 25..33");
static_assert(Tcr_el2::value == 0x8082'3519);

// Translation table base registers: BADDR is bits [47:1] of the table's
// address, which must be aligned to the size of the (concatenated) root.
struct Vttbr_el2 {
  using Baddr = Bitfield<1, 47>;
  using Vmid = Bitfield<48, 16>;  // only [55:48] with VTCR_EL2.VS = 0

  static constexpr uint64_t value(Paddr root, uint16_t vmid) { return (root.value() & Baddr::mask) | Vmid::bits(vmid); }
};
struct Ttbr0_el2 {
  using Baddr = Bitfield<1, 47>;
  static constexpr uint64_t value(Paddr root) { return root.value() & Baddr::mask; }
};

}  // namespace vmsa

enum class Memory_type : uint8_t {
  normal_write_back,     // RAM: inner and outer write-back, inner shareable
  normal_non_cacheable,  // RAM shared with non-coherent devices
  device_ngnre,          // MMIO: non-gathering, non-reordering, early write acknowledgement
};

enum class Access : uint8_t { read_only, read_write };

// What a mapping allows. Device memory is never executable.
struct Attributes {
  Access access = Access::read_only;
  bool executable = false;
  Memory_type memory = Memory_type::normal_write_back;

  friend constexpr bool operator==(const Attributes&, const Attributes&) = default;
};

enum class Map_status : uint8_t {
  ok,
  size_zero,
  misaligned,           // address, physical address or size not a multiple of 4 KiB
  address_overflow,     // address + size or physical + size beyond 2^64
  input_out_of_range,   // beyond the regime's input range (2^40 IPA, 2^39 kernel VA)
  output_out_of_range,  // beyond the 40-bit physical address range
  bad_attributes,       // an Access or Memory_type value outside its enum
  executable_device,    // device memory with execute permission
  writable_executable,  // a kernel mapping both writable and executable (W^X)
  overlap,              // part of the range is already mapped
  out_of_tables,        // the memory policy has too few free pages
};

// A short English description, for the kernel log.
[[nodiscard]] const char* to_string(Map_status status);

// Stage 2: a partition's address space. Writable and executable is allowed:
// a guest's own stage 1 (or the policy) decides about W^X inside it.
struct Stage2_regime {
  using Input = Ipa;
  static constexpr unsigned input_bits = vmsa::Vtcr_el2::input_bits;
  static constexpr unsigned root_tables = 2;  // concatenated at level 1
  static constexpr bool level1_blocks = true;

  static constexpr Map_status check(Attributes attributes);
  static constexpr uint64_t leaf_attributes(Attributes attributes);
  static constexpr Attributes attributes_of(uint64_t descriptor);
};

// Stage 1 of the kernel's EL2 regime (identity map, W^X).
struct El2_regime {
  using Input = Vaddr;
  static constexpr unsigned input_bits = vmsa::Tcr_el2::input_bits;
  static constexpr unsigned root_tables = 1;
  static constexpr bool level1_blocks = true;

  static constexpr Map_status check(Attributes attributes);
  static constexpr uint64_t leaf_attributes(Attributes attributes);
  static constexpr Attributes attributes_of(uint64_t descriptor);
};

// Both regimes start at level 1, whose entries cover 1 GiB: the root has
// one entry per GiB of input range, in whole tables.
static_assert(Stage2_regime::root_tables * vmsa::entries_per_table == uint64_t{1} << (Stage2_regime::input_bits - 30));
static_assert(El2_regime::root_tables * vmsa::entries_per_table == uint64_t{1} << (El2_regime::input_bits - 30));
static_assert(Stage2_regime::root_tables <= 16, "at most 16 concatenated tables at the initial stage-2 level");

// Contiguous table pages from the Memory policy, zeroed, aligned to their
// total size; `base` is meaningful only if `ok`.
struct Table_pages {
  bool ok;
  Paddr base;
};

// What Page_table needs from memory:
// - allocate_pages(count): `count` (1, or root_tables for the root) zeroed
//   contiguous 4 KiB pages aligned to count * 4 KiB, below 2^40, from a
//   fixed pool; never a heap. Pages are never given back.
// - free_pages(): how many single pages allocate_pages(1) can still return,
//   so map() can refuse before it writes anything.
// - read_descriptor / write_descriptor: the 8-byte descriptor at a physical
//   address inside an allocated page. In the kernel a write must be one
//   64-bit store (the hardware may walk the table meanwhile); the caller
//   issues DSB ISHST (then ISB) before it relies on new mappings.
template <typename Memory>
concept Table_memory = requires(Memory& memory, const Memory& view, size_t count, Paddr address, uint64_t value) {
  { memory.allocate_pages(count) } -> std::same_as<Table_pages>;
  { view.free_pages() } -> std::same_as<size_t>;
  { view.read_descriptor(address) } -> std::same_as<uint64_t>;
  { memory.write_descriptor(address, value) } -> std::same_as<void>;
};

// What lookup() found for one address.
struct Translation {
  bool mapped;
  Paddr physical;         // the output address of the address looked up, offset included
  uint64_t mapping_size;  // of the page or block it lies in: 4 KiB, 2 MiB or 1 GiB
  unsigned level;         // of that page or block descriptor
  Attributes attributes;
  uint64_t descriptor;  // raw, for fault reports
};

template <typename Regime, Table_memory Memory>
class Page_table final {
 public:
  using Input = typename Regime::Input;
  static constexpr uint64_t input_limit = uint64_t{1} << Regime::input_bits;
  static constexpr uint64_t output_limit = uint64_t{1} << vmsa::output_address_bits;
  static constexpr unsigned root_entries = Regime::root_tables * vmsa::entries_per_table;

  struct [[nodiscard]] Create_result;

  // A table with nothing mapped: allocates its (zeroed) root from `memory`,
  // which must outlive the table. Fails with out_of_tables.
  [[nodiscard]] static Create_result create(Memory& memory);

  // The root's physical address, for VTTBR_EL2 / TTBR0_EL2.
  Paddr root() const { return root_; }

  // Maps [address, address + size) to [physical, physical + size) with the
  // largest blocks alignment allows. On any status but ok nothing changed.
  [[nodiscard]] Map_status map(Input address, Paddr physical, uint64_t size, Attributes attributes);

  // Walks the tables for `address`, as the hardware would.
  [[nodiscard]] Translation lookup(Input address) const;

 private:
  Page_table(Memory* memory, Paddr root) : memory_{memory}, root_{root} {}

  template <bool Apply>
  Map_status walk(unsigned level, Paddr table, bool exists, uint64_t input, uint64_t output, uint64_t end,
                  uint64_t leaf_attributes, size_t& new_tables);

  static constexpr unsigned index(unsigned level, uint64_t input) {
    const unsigned entries = level == vmsa::first_level ? root_entries : vmsa::entries_per_table;
    return static_cast<unsigned>((input >> vmsa::level_shift(level)) & (entries - 1));
  }
  static constexpr bool is_valid(unsigned level, uint64_t descriptor) {
    return vmsa::descriptor::Valid::get(descriptor) != 0 &&
           (level < vmsa::last_level || vmsa::descriptor::Type::get(descriptor) == vmsa::descriptor::page_type);
  }
  static constexpr bool is_table(unsigned level, uint64_t descriptor) {
    return level < vmsa::last_level && vmsa::descriptor::Type::get(descriptor) == vmsa::descriptor::table_type;
  }
  static constexpr bool leaf_allowed(unsigned level) { return level >= 2 || Regime::level1_blocks; }
  static constexpr uint64_t address_of(uint64_t descriptor) {
    return vmsa::descriptor::Output_address::get(descriptor) << 12;
  }
  static constexpr uint64_t table_descriptor(Paddr table) {
    using namespace vmsa::descriptor;
    return Valid::bits(1) | Type::bits(table_type) | Output_address::bits(table.value() >> 12);
  }
  static constexpr uint64_t leaf_descriptor(unsigned level, uint64_t output, uint64_t attributes) {
    using namespace vmsa::descriptor;
    return Valid::bits(1) | Type::bits(level == vmsa::last_level ? page_type : block_type) |
           Output_address::bits(output >> 12) | attributes;
  }

  Memory* memory_;
  Paddr root_;
};

// Only when status is ok is `table` usable.
template <typename Regime, Table_memory Memory>
struct [[nodiscard]] Page_table<Regime, Memory>::Create_result {
  Map_status status;
  Page_table table;
};

template <typename Memory>
using Stage2_table = Page_table<Stage2_regime, Memory>;
template <typename Memory>
using Kernel_table = Page_table<El2_regime, Memory>;

// ---------------------------------------------------------------------------
// Regimes.

namespace detail {

constexpr Map_status check_common(Attributes attributes) {
  if (attributes.access != Access::read_only && attributes.access != Access::read_write)
    return Map_status::bad_attributes;
  switch (attributes.memory) {
    case Memory_type::normal_write_back:
    case Memory_type::normal_non_cacheable:
      return Map_status::ok;
    case Memory_type::device_ngnre:
      return attributes.executable ? Map_status::executable_device : Map_status::ok;
  }
  return Map_status::bad_attributes;
}

// Inner shareable for Normal memory; the field is ignored for Device memory
// (always treated as Outer Shareable), where it stays 0.
constexpr uint64_t shareability(Memory_type memory) {
  return memory == Memory_type::device_ngnre ? vmsa::descriptor::sh_non_shareable : vmsa::descriptor::sh_inner;
}

}  // namespace detail

constexpr Map_status Stage2_regime::check(Attributes attributes) { return detail::check_common(attributes); }

constexpr uint64_t Stage2_regime::leaf_attributes(Attributes attributes) {
  using namespace vmsa::descriptor;
  uint64_t mem_attr = mem_attr_normal_write_back;
  if (attributes.memory == Memory_type::normal_non_cacheable) mem_attr = mem_attr_normal_non_cacheable;
  if (attributes.memory == Memory_type::device_ngnre) mem_attr = mem_attr_device_ngnre;
  return Mem_attr::bits(mem_attr) |
         S2ap::bits(attributes.access == Access::read_write ? s2ap_read_write : s2ap_read_only) |
         Sh::bits(detail::shareability(attributes.memory)) | Af::bits(1) | Xn::bits(attributes.executable ? 0 : 1);
}

constexpr Attributes Stage2_regime::attributes_of(uint64_t descriptor) {
  using namespace vmsa::descriptor;
  Attributes attributes;
  attributes.access = S2ap::get(descriptor) == s2ap_read_write ? Access::read_write : Access::read_only;
  attributes.executable = Xn::get(descriptor) == 0;
  // Only the three encodings above are ever written; anything else reads as Device.
  const uint64_t mem_attr = Mem_attr::get(descriptor);
  attributes.memory = mem_attr == mem_attr_normal_write_back      ? Memory_type::normal_write_back
                      : mem_attr == mem_attr_normal_non_cacheable ? Memory_type::normal_non_cacheable
                                                                  : Memory_type::device_ngnre;
  return attributes;
}

constexpr Map_status El2_regime::check(Attributes attributes) {
  const Map_status status = detail::check_common(attributes);
  if (status != Map_status::ok) return status;
  if (attributes.access == Access::read_write && attributes.executable) return Map_status::writable_executable;
  return Map_status::ok;
}

constexpr uint64_t El2_regime::leaf_attributes(Attributes attributes) {
  using namespace vmsa::descriptor;
  unsigned index = vmsa::Mair_el2::normal_write_back_index;
  if (attributes.memory == Memory_type::normal_non_cacheable) index = vmsa::Mair_el2::normal_non_cacheable_index;
  if (attributes.memory == Memory_type::device_ngnre) index = vmsa::Mair_el2::device_ngnre_index;
  return Attr_index::bits(index) |
         Ap::bits(attributes.access == Access::read_write ? ap_el2_read_write : ap_el2_read_only) |
         Sh::bits(detail::shareability(attributes.memory)) | Af::bits(1) | Xn::bits(attributes.executable ? 0 : 1);
}

constexpr Attributes El2_regime::attributes_of(uint64_t descriptor) {
  using namespace vmsa::descriptor;
  Attributes attributes;
  attributes.access = Ap::get(descriptor) == ap_el2_read_write ? Access::read_write : Access::read_only;
  attributes.executable = Xn::get(descriptor) == 0;
  const uint64_t index = Attr_index::get(descriptor);
  attributes.memory = index == vmsa::Mair_el2::normal_write_back_index      ? Memory_type::normal_write_back
                      : index == vmsa::Mair_el2::normal_non_cacheable_index ? Memory_type::normal_non_cacheable
                                                                            : Memory_type::device_ngnre;
  return attributes;
}

// ---------------------------------------------------------------------------
// Page_table.

template <typename Regime, Table_memory Memory>
auto Page_table<Regime, Memory>::create(Memory& memory) -> Create_result {
  const Table_pages pages = memory.allocate_pages(Regime::root_tables);
  if (!pages.ok) return {Map_status::out_of_tables, Page_table{nullptr, Paddr{}}};
  return {Map_status::ok, Page_table{&memory, pages.base}};
}

template <typename Regime, Table_memory Memory>
Map_status Page_table<Regime, Memory>::map(Input address, Paddr physical, uint64_t size, Attributes attributes) {
  if (memory_ == nullptr) return Map_status::out_of_tables;
  if (size == 0) return Map_status::size_zero;
  if (!address.is_aligned(vmsa::page_size) || !physical.is_aligned(vmsa::page_size) || size % vmsa::page_size != 0)
    return Map_status::misaligned;
  const uint64_t input = address.value();
  const uint64_t output = physical.value();
  constexpr uint64_t max = ~uint64_t{0};
  if (size > max - input || size > max - output) return Map_status::address_overflow;
  if (input + size > input_limit) return Map_status::input_out_of_range;
  if (output + size > output_limit) return Map_status::output_out_of_range;
  const Map_status allowed = Regime::check(attributes);
  if (allowed != Map_status::ok) return allowed;

  const uint64_t leaf_attributes = Regime::leaf_attributes(attributes);
  size_t new_tables = 0;
  const Map_status planned =
      walk<false>(vmsa::first_level, root_, true, input, output, input + size, leaf_attributes, new_tables);
  if (planned != Map_status::ok) return planned;
  if (new_tables > memory_->free_pages()) return Map_status::out_of_tables;
  return walk<true>(vmsa::first_level, root_, true, input, output, input + size, leaf_attributes, new_tables);
}

// One pass over [input, end) inside `table` at `level`. The checking pass
// (Apply false) only reads: it finds overlaps and counts the tables to
// create; a table it would create does not exist yet (`exists` false) and
// reads as empty. The writing pass makes the same decisions on the same
// entries, so it meets no overlap and allocates exactly the counted tables;
// its out_of_tables return is only for a Memory policy that broke its
// free_pages() promise.
template <typename Regime, Table_memory Memory>
template <bool Apply>
Map_status Page_table<Regime, Memory>::walk(unsigned level, Paddr table, bool exists, uint64_t input, uint64_t output,
                                            uint64_t end, uint64_t leaf_attributes, size_t& new_tables) {
  // A level-3 table still to be created gets only pages: nothing to check or count.
  if constexpr (!Apply)
    if (!exists && level == vmsa::last_level) return Map_status::ok;
  const uint64_t entry_size = vmsa::level_size(level);
  while (input < end) {
    const uint64_t entry_end = (input & ~(entry_size - 1)) + entry_size;
    const uint64_t chunk_end = end < entry_end ? end : entry_end;
    const Paddr entry = table + index(level, input) * sizeof(uint64_t);
    const uint64_t current = exists ? memory_->read_descriptor(entry) : 0;

    if (is_valid(level, current)) {
      if (!is_table(level, current)) return Map_status::overlap;
      const Map_status status = walk<Apply>(level + 1, Paddr{address_of(current)}, true, input, output, chunk_end,
                                            leaf_attributes, new_tables);
      if (status != Map_status::ok) return status;
    } else if (leaf_allowed(level) && input % entry_size == 0 && output % entry_size == 0 &&
               chunk_end - input == entry_size) {
      // Always taken at level 3, where every chunk is one aligned page.
      if constexpr (Apply) memory_->write_descriptor(entry, leaf_descriptor(level, output, leaf_attributes));
    } else if constexpr (Apply) {
      const Table_pages pages = memory_->allocate_pages(1);
      if (!pages.ok) return Map_status::out_of_tables;
      const Map_status status =
          walk<true>(level + 1, pages.base, true, input, output, chunk_end, leaf_attributes, new_tables);
      if (status != Map_status::ok) return status;
      memory_->write_descriptor(entry, table_descriptor(pages.base));  // linked only once filled
    } else {
      ++new_tables;
      const Map_status status =
          walk<false>(level + 1, Paddr{}, false, input, output, chunk_end, leaf_attributes, new_tables);
      if (status != Map_status::ok) return status;
    }
    output += chunk_end - input;
    input = chunk_end;
  }
  return Map_status::ok;
}

template <typename Regime, Table_memory Memory>
Translation Page_table<Regime, Memory>::lookup(Input address) const {
  const Translation unmapped{false, Paddr{}, 0, 0, Attributes{}, 0};
  const uint64_t input = address.value();
  if (memory_ == nullptr || input >= input_limit) return unmapped;
  Paddr table = root_;
  for (unsigned level = vmsa::first_level; level <= vmsa::last_level; ++level) {
    const uint64_t descriptor = memory_->read_descriptor(table + index(level, input) * sizeof(uint64_t));
    if (!is_valid(level, descriptor)) return unmapped;
    if (is_table(level, descriptor)) {
      table = Paddr{address_of(descriptor)};
      continue;
    }
    const uint64_t size = vmsa::level_size(level);
    const Paddr base{address_of(descriptor) & ~(size - 1)};
    return {true, base + (input & (size - 1)), size, level, Regime::attributes_of(descriptor), descriptor};
  }
  return unmapped;
}

}  // namespace kestrel
