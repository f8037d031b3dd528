// SPDX-License-Identifier: Apache-2.0
// Device tree overlays: a compiled overlay merged into a guest's generated
// tree, and the seed placeholders found again in the merged tree.
#include <algorithm>
#include <cstring>

#include <libfdt.h>

#include "device_tree_internal.hpp"

namespace kestrel::sysimage {
namespace {

using detail::hex;
using detail::max_tree_size;

// libfdt trusts what it reads, so every blob is checked in full first; the
// copy also gives libfdt the 8-byte alignment it requires.
Device_tree_result<Dtb> checked_copy(std::span<const uint8_t> blob, const char* what) {
  Dtb copy(blob.begin(), blob.end());
  const int status = copy.size() < sizeof(fdt_header) ? -FDT_ERR_TRUNCATED : fdt_check_full(copy.data(), copy.size());
  if (status != 0) return Device_tree_error{std::string("malformed ") + what + ": " + fdt_strerror(status)};
  return copy;
}

std::string property_string(const void* fdt, int node, const char* name) {
  int length = 0;
  const auto* value = static_cast<const char*>(fdt_getprop(fdt, node, name, &length));
  return value && length > 0 ? std::string(value, strnlen(value, static_cast<size_t>(length))) : std::string();
}

// fdt_overlay_apply says only FDT_ERR_NOTFOUND; these checks name the missing target or label.
std::string overlay_target_problem(const Dtb& base, const Dtb& overlay) {
  int fragments = 0;
  int fragment = 0;
  fdt_for_each_subnode(fragment, overlay.data(), 0) {
    if (fdt_subnode_offset(overlay.data(), fragment, "__overlay__") < 0) continue;
    ++fragments;
    const std::string name = fdt_get_name(overlay.data(), fragment, nullptr);
    if (fdt_getprop(overlay.data(), fragment, "target-path", nullptr)) {
      const std::string path = property_string(overlay.data(), fragment, "target-path");
      if (fdt_path_offset(base.data(), path.c_str()) < 0) {
        return "overlay target '" + path + "' (" + name + ") not found in the guest device tree";
      }
    } else if (!fdt_getprop(overlay.data(), fragment, "target", nullptr)) {
      return "malformed overlay: " + name + " has neither target nor target-path";
    }
  }
  if (fragments == 0) return "malformed overlay: no fragment has an __overlay__ node (is the source a /plugin/?)";

  // Labels the overlay uses (target = <&label>, or a phandle in a property) must be in the base's __symbols__.
  const int fixups = fdt_path_offset(overlay.data(), "/__fixups__");
  const int symbols = fdt_path_offset(base.data(), "/__symbols__");
  int property = 0;
  if (fixups < 0) return {};
  fdt_for_each_property_offset(property, overlay.data(), fixups) {
    const char* label = nullptr;
    fdt_getprop_by_offset(overlay.data(), property, &label, nullptr);
    if (!label || (symbols >= 0 && fdt_getprop(base.data(), symbols, label, nullptr))) continue;
    std::string known;
    int symbol = 0;
    fdt_for_each_property_offset(symbol, base.data(), symbols) {
      const char* name = nullptr;
      fdt_getprop_by_offset(base.data(), symbol, &name, nullptr);
      known += std::string(known.empty() ? "" : ", ") + "&" + name;
    }
    return "overlay label '&" + std::string(label) + "' not found in the guest device tree (it has " +
           (known.empty() ? "none" : known) + ")";
  }
  return {};
}

}  // namespace

Device_tree_result<Dtb> apply_overlay(std::span<const uint8_t> base_tree, std::span<const uint8_t> overlay) {
  auto base = checked_copy(base_tree, "base device tree");
  if (!base.ok()) return base;
  auto checked_overlay = checked_copy(overlay, "overlay");
  if (!checked_overlay.ok()) return checked_overlay;
  if (auto problem = overlay_target_problem(base.value(), checked_overlay.value()); !problem.empty()) {
    return Device_tree_error{problem};
  }
  // fdt_overlay_apply needs room to grow in and scribbles on both trees even
  // when it fails, so each attempt works on fresh copies.
  for (size_t size = base.value().size() + overlay.size() + 4096; size <= max_tree_size; size *= 2) {
    Dtb merged(size);
    Dtb overlay_scratch = checked_overlay.value();
    int status = fdt_open_into(base.value().data(), merged.data(), static_cast<int>(size));
    if (status == 0) status = fdt_overlay_apply(merged.data(), overlay_scratch.data());
    if (status == -FDT_ERR_NOSPACE) continue;
    if (status != 0) return Device_tree_error{std::string("cannot apply the overlay: ") + fdt_strerror(status)};
    fdt_pack(merged.data());
    merged.resize(fdt_totalsize(merged.data()));
    return merged;
  }
  return Device_tree_error{"cannot apply the overlay: the merged tree would exceed " + hex(max_tree_size) + " bytes"};
}

std::vector<Seed_placeholder> find_seed_placeholders(std::span<const uint8_t> tree) {
  std::vector<Seed_placeholder> found;
  if (tree.size() < sizeof(fdt_header) || fdt_check_full(tree.data(), tree.size()) != 0) return found;
  const int chosen = fdt_path_offset(tree.data(), "/chosen");
  if (chosen < 0) return found;
  for (const char* name : {"rng-seed", "kaslr-seed"}) {
    int length = 0;
    const struct fdt_property* property = fdt_get_property(tree.data(), chosen, name, &length);
    if (property == nullptr || length <= 0) continue;
    const auto* value = reinterpret_cast<const uint8_t*>(property->data);
    // An overlay that put a seed of its own there chose it: leave it.
    if (!std::all_of(value, value + length, [](uint8_t byte) { return byte == 0; })) continue;
    found.push_back({static_cast<uint64_t>(reinterpret_cast<const uint8_t*>(property) - tree.data()),
                     static_cast<uint32_t>(length)});
  }
  std::sort(found.begin(), found.end(),
            [](const Seed_placeholder& a, const Seed_placeholder& b) { return a.offset < b.offset; });
  return found;
}

}  // namespace kestrel::sysimage
