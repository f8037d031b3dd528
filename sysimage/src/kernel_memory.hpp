// SPDX-License-Identifier: Apache-2.0
// Kernel memory: what the image builder reserves for the kernel's objects
// (abi/kernel_memory.hpp), counted with the kernel's own sizes and its own
// page-table code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <kestrel/abi/kernel_memory.hpp>
#include <kestrel/boot_info.hpp>
#include <kestrel/sysimage/elf_file.hpp>

namespace kestrel::sysimage {

// The kernel's object size table (its .kestrel.object_sizes section), or
// nullopt with `error` saying why not.
std::optional<abi::Object_sizes> kernel_object_sizes_of(const Elf_image& kernel, std::string& error);

// The IPA size the system's partitions need: 39 bits (a one-page stage-2
// root) if every region of `regions` and every map window of `windows`
// (all partitions') lies below 512 GiB, else 40.
unsigned stage2_input_bits(Span<const abi::Region_entry> regions, Span<const abi::Map_window_entry> windows);

// The stage-2 table pages below the root that mapping `regions`, then
// building the tables of partition `partition`'s map windows among
// `windows` (all partitions'), takes with an IPA of `input_bits`, as the
// kernel's build_address_space does (same code, same order); nullopt if the
// kernel would refuse a region or a window (then boot-info's reader would
// too).
std::optional<uint32_t> stage2_table_pages(Span<const abi::Region_entry> regions,
                                           Span<const abi::Map_window_entry> windows, uint32_t partition,
                                           unsigned input_bits);

// The pages of the kernel's own EL2 map (root included) for this kernel
// image and boot-info's RAM and pristine copies, as its kernel_mmu.cpp maps
// them (same code: arch/kernel_map.hpp); nullopt if it cannot be mapped.
std::optional<uint32_t> kernel_table_pages(const Elf_image& kernel, Span<const abi::Memory_range> ram,
                                           Span<const abi::Pristine_entry> pristine);

}  // namespace kestrel::sysimage
