// SPDX-License-Identifier: Apache-2.0
// The C half of the package test's program: a sum the C++ half prints, and a
// struct copied by value (GCC may make that a memcpy call, which the
// freestanding library must then supply).
#include "squares.h"

struct squares_result sum_of_squares(unsigned n) {
  struct squares_result result = {n, 0};
  for (unsigned i = 1; i <= n; ++i) result.sum += i * i;
  struct squares_result copy = result;
  return copy;
}
