// SPDX-License-Identifier: Apache-2.0
// CRC-32: nibble-table implementation, and the boot-info checksum.
#include <kestrel/abi/boot_info.hpp>
#include <kestrel/crc32.hpp>

namespace kestrel {
namespace {

constexpr uint32_t polynomial = 0xedb8'8320U;  // reflected 0x04C11DB7

struct Nibble_table {
  uint32_t entries[16];
};

// entries[n]: the CRC register after shifting the nibble n through it bit by
// bit, so one lookup replaces four steps of the bitwise algorithm.
constexpr Nibble_table make_nibble_table() {
  Nibble_table table{};
  for (uint32_t nibble = 0; nibble < 16; ++nibble) {
    uint32_t value = nibble;
    for (int bit = 0; bit < 4; ++bit) value = (value & 1) != 0 ? (value >> 1) ^ polynomial : value >> 1;
    table.entries[nibble] = value;
  }
  return table;
}

constexpr Nibble_table nibble_table = make_nibble_table();
static_assert(nibble_table.entries[1] == 0x1db7'1064U, "one bit through the reflected polynomial");

}  // namespace

uint32_t crc32_update(uint32_t state, const void* data, size_t size) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  for (size_t i = 0; i < size; ++i) {
    state ^= bytes[i];
    state = nibble_table.entries[state & 0xf] ^ (state >> 4);
    state = nibble_table.entries[state & 0xf] ^ (state >> 4);
  }
  return state;
}

uint32_t crc32(const void* data, size_t size) { return crc32_finish(crc32_update(crc32_start, data, size)); }

uint32_t boot_info_checksum(const uint8_t* blob, size_t size) {
  constexpr size_t field_begin = offsetof(abi::Boot_info_header, checksum);
  constexpr size_t field_end = field_begin + sizeof(abi::Boot_info_header::checksum);
  constexpr uint8_t zero_field[field_end - field_begin] = {};

  uint32_t state = crc32_update(crc32_start, blob, size < field_begin ? size : field_begin);
  if (size > field_begin) {
    const size_t field_bytes = (size < field_end ? size : field_end) - field_begin;
    state = crc32_update(state, zero_field, field_bytes);
  }
  if (size > field_end) state = crc32_update(state, blob + field_end, size - field_end);
  return crc32_finish(state);
}

}  // namespace kestrel
