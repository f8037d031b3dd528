// SPDX-License-Identifier: Apache-2.0
// The package test program's C function, for C and C++.
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

struct squares_result {
  unsigned n;
  unsigned sum;
};

struct squares_result sum_of_squares(unsigned n);

#ifdef __cplusplus
}
#endif
