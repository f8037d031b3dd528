// SPDX-License-Identifier: Apache-2.0
// Span: a pointer and a count, the kernel's stand-in for std::span.
//
// The freestanding kernel cannot rely on <span>, so views into boot-info and
// other arrays go through this. Indexing is not bounds-checked: whoever makes
// a Span vouches for its extent (the boot-info reader checks every section
// before it hands one out).
#pragma once

#include <cstddef>
#include <type_traits>

namespace kestrel {

template <typename T>
class Span {
 public:
  constexpr Span() = default;
  constexpr Span(T* data, size_t size) : data_{data}, size_{size} {}

  // A Span<T> is also a Span<const T>.
  template <typename U>
  requires std::is_same_v<const U, T>
  constexpr Span(Span<U> other) : data_{other.data()}, size_{other.size()} {}

  constexpr T* data() const { return data_; }
  constexpr size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }
  constexpr T& operator[](size_t index) const { return data_[index]; }
  constexpr T* begin() const { return data_; }
  constexpr T* end() const { return data_ + size_; }

  // The `count` elements from `offset`; the caller ensures they are inside.
  constexpr Span subspan(size_t offset, size_t count) const { return {data_ + offset, count}; }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace kestrel
