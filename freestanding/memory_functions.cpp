// SPDX-License-Identifier: Apache-2.0
// Memory functions: memcpy, memmove, memset and memcmp, which GCC may call for
// struct copies and initialisation even in freestanding code. Byte loops,
// which are correct with the MMU off (where unaligned accesses fault), and
// a word loop when everything is 8-byte aligned, as the kernel's structures
// are (a byte loop over a 304-byte register frame costs 1,500 instructions).
// Built with -fno-tree-loop-distribute-patterns so the loops are not turned
// back into calls to these very functions.
#include <cstddef>
#include <cstdint>

extern "C" {

namespace {

bool words_aligned(const void* a, const void* b, size_t size) {
  return ((reinterpret_cast<uintptr_t>(a) | reinterpret_cast<uintptr_t>(b) | size) & 7) == 0;
}

}  // namespace

void* memcpy(void* destination, const void* source, size_t size) {
  if (words_aligned(destination, source, size)) {
    auto* to = static_cast<uint64_t*>(destination);
    const auto* from = static_cast<const uint64_t*>(source);
    for (size_t i = 0; i < size / 8; ++i) to[i] = from[i];
    return destination;
  }
  auto* to = static_cast<uint8_t*>(destination);
  const auto* from = static_cast<const uint8_t*>(source);
  for (size_t i = 0; i < size; ++i) to[i] = from[i];
  return destination;
}

void* memmove(void* destination, const void* source, size_t size) {
  auto* to = static_cast<uint8_t*>(destination);
  const auto* from = static_cast<const uint8_t*>(source);
  if (to < from) {
    for (size_t i = 0; i < size; ++i) to[i] = from[i];
  } else {
    for (size_t i = size; i > 0; --i) to[i - 1] = from[i - 1];
  }
  return destination;
}

void* memset(void* destination, int value, size_t size) {
  if (words_aligned(destination, destination, size)) {
    auto* to = static_cast<uint64_t*>(destination);
    const uint64_t pattern = 0x0101'0101'0101'0101ULL * static_cast<uint8_t>(value);
    for (size_t i = 0; i < size / 8; ++i) to[i] = pattern;
    return destination;
  }
  auto* to = static_cast<uint8_t*>(destination);
  for (size_t i = 0; i < size; ++i) to[i] = static_cast<uint8_t>(value);
  return destination;
}

int memcmp(const void* left, const void* right, size_t size) {
  const auto* a = static_cast<const uint8_t*>(left);
  const auto* b = static_cast<const uint8_t*>(right);
  for (size_t i = 0; i < size; ++i) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

}  // extern "C"
