// SPDX-License-Identifier: Apache-2.0
// driver_slots.hpp with a generated slots header (the stand-in in
// generated_slots/): the generated names win over the fallbacks. Without a
// header the fallbacks are used; the freestanding checks of the driver
// programs build that way.
#include <gtest/gtest.h>

#include "driver_slots.hpp"

namespace {

static_assert(driver_slots::block_driver_count == 1);
static_assert(driver_slots::net_driver_count == 1);
static_assert(driver_slots::console_driver == kestrel::slots::call_console);
static_assert(driver_slots::kernel_console == kestrel::no_slot, "no kernel console in this policy");

TEST(Driver_slots, TheGeneratedDescriptionsAreTheOnesFound) {
  EXPECT_EQ(&driver_slots::block_drivers[0], &kestrel::devices::block_drivers[0]);
  EXPECT_EQ(driver_slots::block_drivers[0].disk_sectors, 2048u);
  EXPECT_STREQ(driver_slots::net_drivers[0].network, "lan");
  EXPECT_STREQ(driver_slots::partition_name, "disk-driver");
}

}  // namespace
