// SPDX-License-Identifier: Apache-2.0
// Page_table: builds multi-level translation tables from a memory policy
// (which ranges map where, with which access) for a partition's stage 2 and
// for the kernel's own map.
//
// This is the generic part: the walk, the choice between blocks and pages,
// the checks, and the order of the writes. What a descriptor looks like, how
// many levels there are and which bits say "read-only" or "device" belong to
// the architecture's translation regime (the Regime parameter, see
// Translation_regime below; Armv8's are in <arch/page_table_format.hpp>).
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
// invalid entries, so no TLB invalidation either), and it fills a new table
// before it links it into its parent, so a hardware walker never sees a
// partly built subtree. Not thread-safe: callers serialise map() on a table
// and on its Memory. Freestanding C++20, no heap, no exceptions.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>

#include <kestrel/address.hpp>

namespace kestrel {

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
  misaligned,           // address, physical address or size not a multiple of the page size
  address_overflow,     // address + size or physical + size beyond 2^64
  input_out_of_range,   // beyond the regime's input range
  output_out_of_range,  // beyond the regime's output (physical) address range
  bad_attributes,       // an Access or Memory_type value outside its enum
  executable_device,    // device memory with execute permission
  writable_executable,  // a kernel mapping both writable and executable (W^X)
  overlap,              // part of the range is already mapped
  out_of_tables,        // the memory policy has too few free pages
};

// A short English description, for the kernel log.
[[nodiscard]] const char* to_string(Map_status status);

// The checks every regime makes: valid enum values, device memory never executable.
constexpr Map_status check_attributes(Attributes attributes) {
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

// What Page_table needs from a translation regime: its geometry (levels
// first_level..last_level, each resolving level_shift(level) upwards; the
// root is root_tables concatenated tables of entries_per_table entries, each
// table one page) and its descriptor format (validity, table or leaf, the
// address inside, how Attributes are encoded). All constexpr, so the walk
// compiles to the same code as if the format were written into it.
template <typename Regime>
concept Translation_regime = requires(unsigned level, uint64_t descriptor, Paddr address, Attributes attributes) {
  typename Regime::Input;
  { Regime::page_size } -> std::convertible_to<uint64_t>;
  { Regime::entries_per_table } -> std::convertible_to<unsigned>;
  { Regime::first_level } -> std::convertible_to<unsigned>;
  { Regime::last_level } -> std::convertible_to<unsigned>;
  { Regime::input_bits } -> std::convertible_to<unsigned>;
  { Regime::output_bits } -> std::convertible_to<unsigned>;
  { Regime::root_tables } -> std::convertible_to<unsigned>;
  { Regime::level_shift(level) } -> std::same_as<unsigned>;
  { Regime::leaf_allowed(level) } -> std::same_as<bool>;
  { Regime::is_valid(level, descriptor) } -> std::same_as<bool>;
  { Regime::is_table(level, descriptor) } -> std::same_as<bool>;
  { Regime::address_of(descriptor) } -> std::same_as<uint64_t>;
  { Regime::table_descriptor(address) } -> std::same_as<uint64_t>;
  { Regime::leaf_descriptor(level, descriptor, descriptor) } -> std::same_as<uint64_t>;
  { Regime::check(attributes) } -> std::same_as<Map_status>;
  { Regime::leaf_attributes(attributes) } -> std::same_as<uint64_t>;
  { Regime::attributes_of(descriptor) } -> std::same_as<Attributes>;
};

// Contiguous table pages from the Memory policy, zeroed, aligned to their
// total size; `base` is meaningful only if `ok`.
struct Table_pages {
  bool ok;
  Paddr base;
};

// What Page_table needs from memory:
// - allocate_pages(count): `count` (1, or root_tables for the root) zeroed
//   contiguous pages aligned to count pages, inside the regime's output
//   range, from a fixed pool; never a heap. Pages are never given back.
// - free_pages(): how many single pages allocate_pages(1) can still return,
//   so map() can refuse before it writes anything.
// - read_descriptor / write_descriptor: the 8-byte descriptor at a physical
//   address inside an allocated page. In the kernel a write must be one
//   64-bit store (the hardware may walk the table meanwhile); the caller
//   makes the writes visible to the walker (a barrier) before it relies on
//   new mappings.
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
  uint64_t mapping_size;  // of the page or block it lies in
  unsigned level;         // of that page or block descriptor
  Attributes attributes;
  uint64_t descriptor;  // raw, for fault reports
};

template <Translation_regime Regime, Table_memory Memory>
class Page_table final {
 public:
  using Input = typename Regime::Input;
  static constexpr uint64_t input_limit = uint64_t{1} << Regime::input_bits;
  static constexpr uint64_t output_limit = uint64_t{1} << Regime::output_bits;
  static constexpr unsigned root_entries = Regime::root_tables * Regime::entries_per_table;

  static_assert(Regime::entries_per_table * sizeof(uint64_t) == Regime::page_size, "a table is one page");
  static_assert(uint64_t{root_entries} << Regime::level_shift(Regime::first_level) == input_limit,
                "the root's entries cover the input range exactly");

  struct [[nodiscard]] Create_result;

  // A table with nothing mapped: allocates its (zeroed) root from `memory`,
  // which must outlive the table. Fails with out_of_tables.
  [[nodiscard]] static Create_result create(Memory& memory);

  // The root's physical address, for the translation table base register.
  Paddr root() const { return root_; }

  // Maps [address, address + size) to [physical, physical + size) with the
  // largest blocks alignment allows. On any status but ok nothing changed.
  [[nodiscard]] Map_status map(Input address, Paddr physical, uint64_t size, Attributes attributes);

  // Builds the tables that cover [address, address + size) down to the
  // last level and maps nothing: the last-level entries stay invalid, for
  // later writes that must not allocate (memory_map). Checked like map();
  // overlap if part of the range is mapped already.
  [[nodiscard]] Map_status reserve(Input address, uint64_t size);

  // Walks the tables for `address`, as the hardware would.
  [[nodiscard]] Translation lookup(Input address) const;

  // The last-level entry for `address` below `root` (a reserve()d range),
  // or a null Paddr where the tables end above the last level.
  [[nodiscard]] static Paddr last_level_entry(const Memory& memory, Paddr root, Input address);

 private:
  Page_table(Memory* memory, Paddr root) : memory_{memory}, root_{root} {}

  // What one walk does; the same for every level of it. Run-time flags,
  // not template parameters: map() and reserve() run at boot and on a VM
  // restart only, and one walk per regime keeps the kernel's text small
  // (issue #15).
  struct Pass {
    bool apply;    // write (else only check and count)
    bool reserve;  // build tables only, map nothing
    uint64_t leaf_attributes;
    size_t new_tables;  // counted by the checking pass
  };

  Map_status walk(unsigned level, Paddr table, bool exists, uint64_t input, uint64_t output, uint64_t end, Pass& pass);

  Map_status place(Input address, Paddr physical, uint64_t size, Attributes attributes, bool reserve);

  static constexpr uint64_t level_size(unsigned level) { return uint64_t{1} << Regime::level_shift(level); }
  static constexpr unsigned index(unsigned level, uint64_t input) {
    const unsigned entries = level == Regime::first_level ? root_entries : Regime::entries_per_table;
    return static_cast<unsigned>((input >> Regime::level_shift(level)) & (entries - 1));
  }

  Memory* memory_;
  Paddr root_;
};

// Only when status is ok is `table` usable.
template <Translation_regime Regime, Table_memory Memory>
struct [[nodiscard]] Page_table<Regime, Memory>::Create_result {
  Map_status status;
  Page_table table;
};

template <Translation_regime Regime, Table_memory Memory>
auto Page_table<Regime, Memory>::create(Memory& memory) -> Create_result {
  const Table_pages pages = memory.allocate_pages(Regime::root_tables);
  if (!pages.ok) return {Map_status::out_of_tables, Page_table{nullptr, Paddr{}}};
  return {Map_status::ok, Page_table{&memory, pages.base}};
}

template <Translation_regime Regime, Table_memory Memory>
Map_status Page_table<Regime, Memory>::map(Input address, Paddr physical, uint64_t size, Attributes attributes) {
  return place(address, physical, size, attributes, false);
}

template <Translation_regime Regime, Table_memory Memory>
Map_status Page_table<Regime, Memory>::reserve(Input address, uint64_t size) {
  return place(address, Paddr{}, size, Attributes{}, true);
}

// map() and reserve(): check everything, then walk once without writing
// (overlaps, tables needed), then once writing.
template <Translation_regime Regime, Table_memory Memory>
Map_status Page_table<Regime, Memory>::place(Input address, Paddr physical, uint64_t size, Attributes attributes,
                                             bool reserve) {
  constexpr uint64_t page_size = Regime::page_size;
  if (memory_ == nullptr) return Map_status::out_of_tables;
  if (size == 0) return Map_status::size_zero;
  if (!address.is_aligned(page_size) || !physical.is_aligned(page_size) || size % page_size != 0)
    return Map_status::misaligned;
  const uint64_t input = address.value();
  const uint64_t output = physical.value();
  constexpr uint64_t max = ~uint64_t{0};
  if (size > max - input || size > max - output) return Map_status::address_overflow;
  if (input + size > input_limit) return Map_status::input_out_of_range;
  if (output + size > output_limit) return Map_status::output_out_of_range;
  const Map_status allowed = Regime::check(attributes);
  if (allowed != Map_status::ok) return allowed;

  Pass pass{false, reserve, Regime::leaf_attributes(attributes), 0};
  const Map_status planned = walk(Regime::first_level, root_, true, input, output, input + size, pass);
  if (planned != Map_status::ok) return planned;
  if (pass.new_tables > memory_->free_pages()) return Map_status::out_of_tables;
  pass.apply = true;
  return walk(Regime::first_level, root_, true, input, output, input + size, pass);
}

// One pass over [input, end) inside `table` at `level`. The checking pass
// (pass.apply false) only reads: it finds overlaps and counts the tables to
// create; a table it would create does not exist yet (`exists` false) and
// reads as empty. The writing pass makes the same decisions on the same
// entries, so it meets no overlap and allocates exactly the counted tables;
// its out_of_tables return is only for a Memory policy that broke its
// free_pages() promise.
template <Translation_regime Regime, Table_memory Memory>
Map_status Page_table<Regime, Memory>::walk(unsigned level, Paddr table, bool exists, uint64_t input, uint64_t output,
                                            uint64_t end, Pass& pass) {
  // A last-level table still to be created gets only pages: nothing to check or count.
  if (!exists && level == Regime::last_level) return Map_status::ok;
  const uint64_t entry_size = level_size(level);
  while (input < end) {
    const uint64_t entry_end = (input & ~(entry_size - 1)) + entry_size;
    const uint64_t chunk_end = end < entry_end ? end : entry_end;
    const Paddr entry = table + index(level, input) * sizeof(uint64_t);
    const uint64_t current = exists ? memory_->read_descriptor(entry) : 0;

    bool descend = true;  // into the table `next` (one still to create unless next_exists)
    bool next_exists = true;
    Paddr next{};
    if (Regime::is_valid(level, current)) {
      if (!Regime::is_table(level, current)) return Map_status::overlap;
      next = Paddr{Regime::address_of(current)};
    } else if (pass.reserve ? level == Regime::last_level
                            : Regime::leaf_allowed(level) && input % entry_size == 0 && output % entry_size == 0 &&
                                  chunk_end - input == entry_size) {
      // Always taken at the last level, where every chunk is one aligned
      // page; a reserved page stays invalid.
      descend = false;
      if (pass.apply && !pass.reserve)
        memory_->write_descriptor(entry, Regime::leaf_descriptor(level, output, pass.leaf_attributes));
    } else if (pass.apply) {
      const Table_pages pages = memory_->allocate_pages(1);
      if (!pages.ok) return Map_status::out_of_tables;
      next = pages.base;
    } else {
      ++pass.new_tables;
      next_exists = false;
    }
    if (descend) {
      const Map_status status = walk(level + 1, next, next_exists, input, output, chunk_end, pass);
      if (status != Map_status::ok) return status;
      // A new table is linked only once filled.
      if (pass.apply && !Regime::is_valid(level, current))
        memory_->write_descriptor(entry, Regime::table_descriptor(next));
    }
    output += chunk_end - input;
    input = chunk_end;
  }
  return Map_status::ok;
}

template <Translation_regime Regime, Table_memory Memory>
Translation Page_table<Regime, Memory>::lookup(Input address) const {
  const Translation unmapped{false, Paddr{}, 0, 0, Attributes{}, 0};
  const uint64_t input = address.value();
  if (memory_ == nullptr || input >= input_limit) return unmapped;
  Paddr table = root_;
  for (unsigned level = Regime::first_level; level <= Regime::last_level; ++level) {
    const uint64_t descriptor = memory_->read_descriptor(table + index(level, input) * sizeof(uint64_t));
    if (!Regime::is_valid(level, descriptor)) return unmapped;
    if (Regime::is_table(level, descriptor)) {
      table = Paddr{Regime::address_of(descriptor)};
      continue;
    }
    const uint64_t size = level_size(level);
    const Paddr base{Regime::address_of(descriptor) & ~(size - 1)};
    return {true, base + (input & (size - 1)), size, level, Regime::attributes_of(descriptor), descriptor};
  }
  return unmapped;
}

template <Translation_regime Regime, Table_memory Memory>
Paddr Page_table<Regime, Memory>::last_level_entry(const Memory& memory, Paddr root, Input address) {
  const uint64_t input = address.value();
  if (input >= input_limit) return Paddr{};
  Paddr table = root;
  for (unsigned level = Regime::first_level; level < Regime::last_level; ++level) {
    const uint64_t descriptor = memory.read_descriptor(table + index(level, input) * sizeof(uint64_t));
    if (!Regime::is_valid(level, descriptor) || !Regime::is_table(level, descriptor)) return Paddr{};
    table = Paddr{Regime::address_of(descriptor)};
  }
  return table + index(Regime::last_level, input) * sizeof(uint64_t);
}

}  // namespace kestrel
