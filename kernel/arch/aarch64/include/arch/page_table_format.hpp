// SPDX-License-Identifier: Apache-2.0
// Page-table format: Armv8-A's VMSAv8-64 descriptors (4 KiB granule), the
// translation registers' values, and the two translation regimes the
// generic Page_table (kestrel/page_table.hpp) builds tables for: a
// partition's stage 2 and the kernel's own EL2 stage 1. Plain constexpr
// data and functions, so the host unit tests check them too.
//
// Walk (Arm ARM D5/D8, "Overview of VMSAv8-64 address translation using the
// 4KB translation granule"): a level-1 entry covers 1 GiB, a level-2 entry
// 2 MiB, a level-3 entry 4 KiB; 9 bits of input address per level. Both
// regimes start at level 1 and take three lookups:
//
// - Stage 2: a 39-bit IPA (VTCR_EL2.T0SZ = 25) where every partition of the
//   system fits below 512 GiB, which one 4 KiB level-1 root resolves; else a
//   40-bit IPA (T0SZ = 24): a single level-1 table resolves only 39 bits, so
//   the initial lookup uses two concatenated level-1 tables (1024 entries,
//   8 KiB, and VTTBR_EL2.BADDR aligned to 8 KiB). Both start at level 1
//   (VTCR_EL2.SL0 = 0b01). The Arm ARM allows up to 16 concatenated tables
//   at the initial stage-2 level, and for a 40..43-bit input lets the walk
//   start at level 0 or level 1; level 1 saves a lookup on every TLB miss,
//   at the price of one extra 4 KiB page per partition. The image builder
//   picks the size for the whole system (VTCR_EL2 is written once per CPU,
//   so a VTTBR switch is all a partition switch costs).
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
// executable at EL1 or EL0", the same meaning. The walker issues no TLB
// maintenance; the arch code's DSB ISHST (then ISB) publishes new entries.
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/address.hpp>
#include <kestrel/bitfield.hpp>
#include <kestrel/page_table.hpp>

namespace kestrel::arch {

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

// Stage 2 of the EL1&0 regime: a 39- or 40-bit IPA, start at level 1, 8-bit VMIDs (VS = 0).
struct Vtcr_el2 : Translation_control {
  using Sl0 = Bitfield<6, 2>;  // with TG0 = 4 KiB: 0b00 level 2, 0b01 level 1, 0b10 level 0
  using Vs = Bitflag<19>;      // 16-bit VMIDs (Armv8.1); 0 here
  using Res1 = Bitflag<31>;

  static constexpr unsigned min_input_bits = 39;  // one level-1 root table
  static constexpr unsigned max_input_bits = 40;  // two, concatenated
  static constexpr uint64_t start_at_level1 = 0b01;
  static constexpr uint64_t value(unsigned input_bits) {
    return common | T0sz::bits(64 - input_bits) | Sl0::bits(start_at_level1) | Res1::bits(1);
  }
};
static_assert(Vtcr_el2::T0sz::get(Vtcr_el2::value(40)) == 24 && Vtcr_el2::T0sz::get(Vtcr_el2::value(39)) == 25);
static_assert(Vtcr_el2::value(40) == 0x8002'3558 && Vtcr_el2::value(39) == 0x8002'3559);

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

// The VMSAv8-64 4 KiB-granule walk and descriptor encoding both regimes share.
struct Vmsa_4k_format {
  static constexpr uint64_t page_size = vmsa::page_size;
  static constexpr unsigned entries_per_table = vmsa::entries_per_table;
  static constexpr unsigned first_level = vmsa::first_level;
  static constexpr unsigned last_level = vmsa::last_level;
  static constexpr unsigned output_bits = vmsa::output_address_bits;

  static constexpr unsigned level_shift(unsigned level) { return vmsa::level_shift(level); }
  // 1 GiB blocks at level 1, 2 MiB blocks at level 2, 4 KiB pages at level 3:
  // a leaf is allowed at every level.
  static constexpr bool leaf_allowed(unsigned level) { return level >= first_level; }
  static constexpr bool is_valid(unsigned level, uint64_t descriptor) {
    using namespace vmsa::descriptor;
    return Valid::get(descriptor) != 0 && (level < last_level || Type::get(descriptor) == page_type);
  }
  static constexpr bool is_table(unsigned level, uint64_t descriptor) {
    return level < last_level && vmsa::descriptor::Type::get(descriptor) == vmsa::descriptor::table_type;
  }
  static constexpr uint64_t address_of(uint64_t descriptor) {
    return vmsa::descriptor::Output_address::get(descriptor) << 12;
  }
  static constexpr uint64_t table_descriptor(Paddr table) {
    using namespace vmsa::descriptor;
    return Valid::bits(1) | Type::bits(table_type) | Output_address::bits(table.value() >> 12);
  }
  static constexpr uint64_t leaf_descriptor(unsigned level, uint64_t output, uint64_t attributes) {
    using namespace vmsa::descriptor;
    return Valid::bits(1) | Type::bits(level == last_level ? page_type : block_type) |
           Output_address::bits(output >> 12) | attributes;
  }
  // Inner shareable for Normal memory; the field is ignored for Device
  // memory (always treated as Outer Shareable), where it stays 0.
  static constexpr uint64_t shareability(Memory_type memory) {
    return memory == Memory_type::device_ngnre ? vmsa::descriptor::sh_non_shareable : vmsa::descriptor::sh_inner;
  }
};

// Stage 2: a partition's address space, with an IPA of Input_bits (39 or
// 40). Writable and executable is allowed: a guest's own stage 1 (or the
// policy) decides about W^X inside it.
template <unsigned Input_bits>
struct Stage2_regime_of : Vmsa_4k_format {
  static_assert(Input_bits >= vmsa::Vtcr_el2::min_input_bits && Input_bits <= vmsa::Vtcr_el2::max_input_bits);
  using Input = Ipa;
  static constexpr unsigned input_bits = Input_bits;
  // Level-1 tables concatenated at the root: each resolves 39 bits.
  static constexpr unsigned root_tables = 1U << (Input_bits - vmsa::level_shift(first_level) - 9);

  static constexpr Map_status check(Attributes attributes) { return check_attributes(attributes); }

  static constexpr uint64_t leaf_attributes(Attributes attributes) {
    using namespace vmsa::descriptor;
    uint64_t mem_attr = mem_attr_normal_write_back;
    if (attributes.memory == Memory_type::normal_non_cacheable) mem_attr = mem_attr_normal_non_cacheable;
    if (attributes.memory == Memory_type::device_ngnre) mem_attr = mem_attr_device_ngnre;
    return Mem_attr::bits(mem_attr) |
           S2ap::bits(attributes.access == Access::read_write ? s2ap_read_write : s2ap_read_only) |
           Sh::bits(shareability(attributes.memory)) | Af::bits(1) | Xn::bits(attributes.executable ? 0 : 1);
  }

  static constexpr Attributes attributes_of(uint64_t descriptor) {
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
};

// Stage 1 of the kernel's EL2 regime (identity map, W^X).
struct El2_regime : Vmsa_4k_format {
  using Input = Vaddr;
  static constexpr unsigned input_bits = vmsa::Tcr_el2::input_bits;
  static constexpr unsigned root_tables = 1;

  static constexpr Map_status check(Attributes attributes) {
    const Map_status status = check_attributes(attributes);
    if (status != Map_status::ok) return status;
    if (attributes.access == Access::read_write && attributes.executable) return Map_status::writable_executable;
    return Map_status::ok;
  }

  static constexpr uint64_t leaf_attributes(Attributes attributes) {
    using namespace vmsa::descriptor;
    using vmsa::Mair_el2;
    unsigned index = Mair_el2::normal_write_back_index;
    if (attributes.memory == Memory_type::normal_non_cacheable) index = Mair_el2::normal_non_cacheable_index;
    if (attributes.memory == Memory_type::device_ngnre) index = Mair_el2::device_ngnre_index;
    return Attr_index::bits(index) |
           Ap::bits(attributes.access == Access::read_write ? ap_el2_read_write : ap_el2_read_only) |
           Sh::bits(shareability(attributes.memory)) | Af::bits(1) | Xn::bits(attributes.executable ? 0 : 1);
  }

  static constexpr Attributes attributes_of(uint64_t descriptor) {
    using namespace vmsa::descriptor;
    using vmsa::Mair_el2;
    Attributes attributes;
    attributes.access = Ap::get(descriptor) == ap_el2_read_write ? Access::read_write : Access::read_only;
    attributes.executable = Xn::get(descriptor) == 0;
    const uint64_t index = Attr_index::get(descriptor);
    attributes.memory = index == Mair_el2::normal_write_back_index      ? Memory_type::normal_write_back
                        : index == Mair_el2::normal_non_cacheable_index ? Memory_type::normal_non_cacheable
                                                                        : Memory_type::device_ngnre;
    return attributes;
  }
};

// The widest, which every other use of the name means (the unit tests, the
// alignment below).
using Stage2_regime = Stage2_regime_of<vmsa::Vtcr_el2::max_input_bits>;
using Stage2_39_regime = Stage2_regime_of<vmsa::Vtcr_el2::min_input_bits>;

static_assert(Translation_regime<Stage2_regime> && Translation_regime<Stage2_39_regime> &&
              Translation_regime<El2_regime>);
static_assert(Stage2_regime::root_tables == 2 && Stage2_39_regime::root_tables == 1);
static_assert(Stage2_regime::root_tables <= 16, "at most 16 concatenated tables at the initial stage-2 level");

// A table pool's pages must be able to hold either regime's root.
inline constexpr size_t table_pool_alignment = Stage2_regime::root_tables * vmsa::page_size;

template <typename Memory, typename Regime = Stage2_regime>
using Stage2_table = Page_table<Regime, Memory>;
template <typename Memory>
using Kernel_table = Page_table<El2_regime, Memory>;

}  // namespace kestrel::arch
