// SPDX-License-Identifier: Apache-2.0
// Flattened device trees: finding a property of /chosen.
#include <kestrel/device_tree.hpp>

namespace kestrel::fdt {
namespace {

// Header fields (Devicetree Specification 5.2), as byte offsets.
constexpr size_t header_size = 40;
constexpr size_t totalsize_field = 4;
constexpr size_t struct_offset_field = 8;
constexpr size_t strings_offset_field = 12;
constexpr size_t strings_size_field = 32;
constexpr size_t struct_size_field = 36;
constexpr size_t max_depth = 64;  // far beyond any real tree

constexpr size_t align4(size_t value) { return (value + 3) & ~size_t{3}; }

// The NUL-terminated string at [text, limit) equals `name`.
bool equals(const uint8_t* text, const uint8_t* limit, const char* name) {
  for (; text < limit; ++text, ++name) {
    if (*text != static_cast<uint8_t>(*name)) return false;
    if (*name == '\0') return true;
  }
  return false;
}

// The length of the NUL-terminated string at [text, limit), or `no_end`.
constexpr size_t no_end = ~size_t{0};
size_t string_length(const uint8_t* text, const uint8_t* limit) {
  for (const uint8_t* at = text; at < limit; ++at) {
    if (*at == '\0') return static_cast<size_t>(at - text);
  }
  return no_end;
}

}  // namespace

uint32_t read_be32(const uint8_t* bytes) {
  return uint32_t{bytes[0]} << 24 | uint32_t{bytes[1]} << 16 | uint32_t{bytes[2]} << 8 | uint32_t{bytes[3]};
}

void write_be32(uint8_t* bytes, uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<uint8_t>(value >> (24 - 8 * i));
}

Span<uint8_t> find_chosen_property(uint8_t* tree, size_t available, const char* name) {
  if (tree == nullptr || available < header_size || read_be32(tree) != magic) return {};
  const size_t total = read_be32(tree + totalsize_field);
  const size_t struct_offset = read_be32(tree + struct_offset_field);
  const size_t struct_size = read_be32(tree + struct_size_field);
  const size_t strings_offset = read_be32(tree + strings_offset_field);
  const size_t strings_size = read_be32(tree + strings_size_field);
  if (total > available || total < header_size || struct_offset % 4 != 0 || struct_offset > total ||
      struct_size > total - struct_offset || strings_offset > total || strings_size > total - strings_offset) {
    return {};
  }
  uint8_t* const struct_end = tree + struct_offset + struct_size;
  const uint8_t* const strings = tree + strings_offset;
  const uint8_t* const strings_end = strings + strings_size;
  // depth: how many nodes are open; in_chosen: the open node at depth 2 is
  // /chosen (the root is depth 1).
  size_t depth = 0;
  bool in_chosen = false;
  for (uint8_t* at = tree + struct_offset; struct_end - at >= 4;) {
    const uint32_t token = read_be32(at);
    at += 4;
    switch (token) {
      case begin_node: {
        const size_t length = string_length(at, struct_end);
        if (length == no_end || ++depth > max_depth) return {};
        if (depth == 2) in_chosen = equals(at, struct_end, "chosen");
        if (align4(length + 1) > static_cast<size_t>(struct_end - at)) return {};
        at += align4(length + 1);
        break;
      }
      case end_node:
        if (depth == 0) return {};
        if (depth-- == 2) in_chosen = false;
        break;
      case property: {
        if (struct_end - at < 8) return {};
        const size_t length = read_be32(at);
        const size_t name_offset = read_be32(at + 4);
        at += 8;
        if (align4(length) > static_cast<size_t>(struct_end - at)) return {};
        if (in_chosen && depth == 2 && name_offset < strings_size && equals(strings + name_offset, strings_end, name)) {
          return {at, length};
        }
        at += align4(length);
        break;
      }
      case nop:
        break;
      default:  // end, or not a token
        return {};
    }
  }
  return {};
}

}  // namespace kestrel::fdt
