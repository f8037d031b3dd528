// SPDX-License-Identifier: Apache-2.0
// CRC-32: the IEEE 802.3 checksum (as zlib's crc32), and boot-info's checksum.
//
// Reflected, polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF.
// Table-driven by nibble (64 bytes of table): fast enough for a 16 MiB blob
// at boot, small enough for a kernel that may run it with the MMU off.
// Incremental use: state = crc32_start; state = crc32_update(state, ...)...;
// crc32_finish(state) is the checksum.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kestrel {

inline constexpr uint32_t crc32_start = 0xffff'ffffU;

// `state` advanced over `size` bytes at `data` (which may be null if size is 0).
[[nodiscard]] uint32_t crc32_update(uint32_t state, const void* data, size_t size);

[[nodiscard]] constexpr uint32_t crc32_finish(uint32_t state) { return state ^ 0xffff'ffffU; }

// The CRC-32 of `size` bytes at `data`, in one call.
[[nodiscard]] uint32_t crc32(const void* data, size_t size);

// Boot-info's checksum of the blob: the CRC-32 of all `size` bytes with the
// header's 4-byte checksum field read as zero. The blob is not modified, so
// the kernel can check a blob in read-only memory and the host can compute
// the value before storing it.
[[nodiscard]] uint32_t boot_info_checksum(const uint8_t* blob, size_t size);

}  // namespace kestrel
