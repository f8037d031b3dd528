// SPDX-License-Identifier: Apache-2.0
// Output: the image as an ELF file QEMU boots with -kernel, the report and
// the picture of the system.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <kestrel/sysimage/image.hpp>

namespace kestrel::sysimage {

// An ELF64 AArch64 executable with one PT_LOAD segment per loaded piece
// (physical = virtual address), entry at the kernel's entry, no sections.
// Deterministic: the same image gives the same bytes.
std::vector<uint8_t> image_elf(const System_image& image);

// Physical memory map, digests, and the policy summary.
std::string image_report(const System_image& image, const std::string& summary);

// Graphviz: partitions as boxes, grouped by the CPU they run on beside its
// time windows; calls, channels, notifications (with badges), devices and
// their interrupts, VMM relations, the power capability and the kernel
// console as edges of their own colours, explained by a legend.
std::string system_graph(const policy::Model& model);

// Runs Graphviz's dot to render `graph` as SVG into `path` (atomically).
// Returns an error message, or an empty string on success.
std::string render_svg(const std::string& graph, const std::string& path);

}  // namespace kestrel::sysimage
