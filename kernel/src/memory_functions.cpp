// SPDX-License-Identifier: Apache-2.0
// Memory functions: memcpy, memmove, memset and memcmp, which GCC may call for
// struct copies and initialisation even in freestanding code. Byte loops:
// simple, and correct with the MMU off, where unaligned accesses fault.
// Built with -fno-tree-loop-distribute-patterns so the loops are not turned
// back into calls to these very functions.
#include <cstddef>
#include <cstdint>

extern "C" {

void* memcpy(void* destination, const void* source, size_t size) {
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
