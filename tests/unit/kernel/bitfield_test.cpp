// SPDX-License-Identifier: Apache-2.0
// Bitfield tests.
#include <gtest/gtest.h>

#include <kestrel/bitfield.hpp>

using kestrel::Bitfield;
using kestrel::Bitflag;

TEST(Bitfield, GetExtractsOnlyTheField) {
  using Ec = Bitfield<26, 6>;
  EXPECT_EQ(Ec::get(0x5600'0000u), 0x15u);
  EXPECT_EQ(Ec::get(0xffff'ffff'03ff'ffffu), 0u);
}

TEST(Bitfield, SetReplacesTheFieldAndKeepsTheRest) {
  using Field = Bitfield<8, 4>;
  EXPECT_EQ(Field::set(0xffff, 0x3), 0xf3ffu);
  EXPECT_EQ(Field::set(0, 0x1f), 0xf00u) << "bits beyond the field are dropped";
}

TEST(Bitfield, FullWidthField) {
  using All = Bitfield<0, 64>;
  EXPECT_EQ(All::mask, ~uint64_t{0});
  EXPECT_EQ(All::get(0x1234), 0x1234u);
  EXPECT_TRUE(All::fits(~uint64_t{0}));
}

TEST(Bitfield, TopBitFlag) {
  using Top = Bitflag<63>;
  EXPECT_EQ(Top::bits(1), uint64_t{1} << 63);
  EXPECT_EQ(Top::get(uint64_t{1} << 63), 1u);
}

TEST(Bitfield, Fits) {
  using Field = Bitfield<4, 3>;
  EXPECT_TRUE(Field::fits(7));
  EXPECT_FALSE(Field::fits(8));
}
