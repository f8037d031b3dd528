// SPDX-License-Identifier: Apache-2.0
// Memory map tests on the fake arch: memory_map and memory_unmap, every
// refusal their decode makes (nothing happens then), and what their invoke
// asks of the arch layer (entries written; entries cleared and every CPU's
// TLB invalidated) and remembers (the window's mapped pages).
#include <gtest/gtest.h>

#include <kestrel/memory_map.hpp>

#include "ipc_system.hpp"

using namespace kestrel;
using namespace kestrel::test;

namespace {

namespace abi = kestrel::abi;
using abi::Capability_kind;
using abi::Status;
using abi::Syscall;

constexpr uint64_t read = abi::map_read;
constexpr uint64_t read_write = abi::map_read | abi::map_write;

// Partition "ipcm" (its pool: pages 8-11 of its region) maps into "a"
// (window of 6 pages, read-write) and "b" (4 pages, read only). "c" has a
// window the IPCM holds no capability for. IPCM slots below; "a" holds a
// pool capability of its own... no: only an endpoint (a wrong kind).
class MemoryMapTest : public testing::Test {
 protected:
  static constexpr uint64_t window_a = 0x1000'0000, window_b = 0x2000'0000, window_c = 0x3000'0000;

  void SetUp() override {
    const uint32_t ipcm = system_.add_partition("ipcm");
    a_ = system_.add_partition("a");
    b_ = system_.add_partition("b");
    const uint32_t c = system_.add_partition("c");
    caller_ = system_.add_thread(ipcm, "main");
    system_.add_thread(a_, "main");
    const uint32_t pool = system_.add_memory_pool(ipcm, 8, 4);
    const uint32_t window_of_a = system_.add_map_window(a_, window_a, 6, read_write);
    const uint32_t window_of_b = system_.add_map_window(b_, window_b, 4, read);
    system_.add_map_window(c, window_c, 4, read_write);
    const uint32_t endpoint = system_.add_endpoint(ipcm);
    system_.add_capability(ipcm, Capability_kind::memory_pool, pool, abi::right_control);      // 0
    system_.add_capability(ipcm, Capability_kind::map_into, window_of_a, abi::right_control);  // 1
    system_.add_capability(ipcm, Capability_kind::map_into, window_of_b, abi::right_control);  // 2
    system_.add_capability(ipcm, Capability_kind::endpoint, endpoint, abi::right_receive);     // 3
    system_.add_capability(ipcm, Capability_kind::memory_pool, pool, abi::right_send);         // 4: no control
    system_.add_capability(ipcm, Capability_kind::map_into, window_of_a, abi::right_send);     // 5: no control
    system_.start();
    system_.run(caller());
  }

  Thread& caller() { return system_.thread(caller_); }

  Status map(uint64_t pool, uint64_t pool_page, uint64_t pages, uint64_t into, uint64_t window_page, uint64_t rights) {
    system_.syscall(caller(), Syscall::memory_map, {pool, pool_page, pages, into, window_page, rights});
    return Ipc_system::status(caller());
  }
  Status unmap(uint64_t into, uint64_t window_page, uint64_t pages) {
    system_.syscall(caller(), Syscall::memory_unmap, {into, window_page, pages});
    return Ipc_system::status(caller());
  }
  uint64_t pool_pa(uint64_t page) const { return system_.info().memory_pools()[0].pa + page * 4096; }
  const auto& maps() const { return arch::fake::machine.window_maps; }
  const auto& unmaps() const { return arch::fake::machine.window_unmaps; }

  static constexpr uint64_t pool_slot = 0, into_a = 1, into_b = 2, endpoint_slot = 3, pool_without_control = 4,
                            into_a_without_control = 5, no_such_slot = 6;
  Ipc_system system_;
  uint32_t caller_ = 0, a_ = 0, b_ = 0;
};

TEST_F(MemoryMapTest, MapWritesTheTargetsEntriesForThePoolPages) {
  EXPECT_EQ(map(pool_slot, 1, 2, into_a, 3, read_write), Status::ok);
  ASSERT_EQ(maps().size(), 1U);
  EXPECT_EQ(maps()[0].target, &system_.partition(a_));
  EXPECT_EQ(maps()[0].ipa, window_a + 3 * 4096);
  EXPECT_EQ(maps()[0].pa, pool_pa(1));
  EXPECT_EQ(maps()[0].pages, 2U);
  EXPECT_TRUE(maps()[0].writable);
  EXPECT_EQ(map(pool_slot, 0, 1, into_b, 0, read), Status::ok);
  ASSERT_EQ(maps().size(), 2U);
  EXPECT_EQ(maps()[1].target, &system_.partition(b_));
  EXPECT_FALSE(maps()[1].writable);
}

TEST_F(MemoryMapTest, MapRefusesAPageAlreadyMapped) {
  ASSERT_EQ(map(pool_slot, 0, 2, into_a, 2, read_write), Status::ok);
  EXPECT_EQ(map(pool_slot, 2, 2, into_a, 3, read_write), Status::invalid_argument) << "page 3 is mapped";
  EXPECT_EQ(map(pool_slot, 2, 1, into_a, 1, read_write), Status::ok) << "page 1 is free";
  EXPECT_EQ(maps().size(), 2U);
}

TEST_F(MemoryMapTest, UnmapClearsAndInvalidatesOnlyWhatMapMapped) {
  ASSERT_EQ(map(pool_slot, 0, 3, into_a, 1, read_write), Status::ok);
  EXPECT_EQ(unmap(into_a, 0, 2), Status::invalid_argument) << "page 0 was never mapped";
  EXPECT_EQ(unmap(into_a, 3, 2), Status::invalid_argument) << "page 4 was never mapped";
  EXPECT_TRUE(unmaps().empty());
  EXPECT_EQ(unmap(into_a, 1, 3), Status::ok);
  ASSERT_EQ(unmaps().size(), 1U);
  EXPECT_EQ(unmaps()[0].target, &system_.partition(a_));
  EXPECT_EQ(unmaps()[0].ipa, window_a + 4096);
  EXPECT_EQ(unmaps()[0].pages, 3U);
  EXPECT_EQ(unmap(into_a, 1, 1), Status::invalid_argument) << "unmapped already";
  EXPECT_EQ(map(pool_slot, 0, 3, into_a, 1, read_write), Status::ok) << "free again";
}

TEST_F(MemoryMapTest, MapRefusesCapabilitiesOfTheWrongKindOrWithoutTheRight) {
  EXPECT_EQ(map(no_such_slot, 0, 1, into_a, 0, read), Status::invalid_capability);
  EXPECT_EQ(map(pool_slot, 0, 1, no_such_slot, 0, read), Status::invalid_capability);
  EXPECT_EQ(map(endpoint_slot, 0, 1, into_a, 0, read), Status::wrong_capability_type);
  EXPECT_EQ(map(into_a, 0, 1, into_b, 0, read), Status::wrong_capability_type) << "a window as the pool";
  EXPECT_EQ(map(pool_slot, 0, 1, pool_slot, 0, read), Status::wrong_capability_type) << "the pool as a window";
  EXPECT_EQ(map(pool_without_control, 0, 1, into_a, 0, read), Status::missing_right);
  EXPECT_EQ(map(pool_slot, 0, 1, into_a_without_control, 0, read), Status::missing_right);
  EXPECT_TRUE(maps().empty());
}

TEST_F(MemoryMapTest, MapRefusesRangesOutsideThePoolOrTheWindow) {
  EXPECT_EQ(map(pool_slot, 0, 0, into_a, 0, read), Status::invalid_argument) << "no pages";
  EXPECT_EQ(map(pool_slot, 4, 1, into_a, 0, read), Status::invalid_argument) << "past the pool";
  EXPECT_EQ(map(pool_slot, 3, 2, into_a, 0, read), Status::invalid_argument) << "ends past the pool";
  EXPECT_EQ(map(pool_slot, 2, UINT64_MAX, into_a, 0, read), Status::invalid_argument) << "wraps";
  EXPECT_EQ(map(pool_slot, UINT64_MAX, 2, into_a, 0, read), Status::invalid_argument) << "wraps";
  EXPECT_EQ(map(pool_slot, 0, 1, into_a, 6, read), Status::invalid_argument) << "past the window";
  EXPECT_EQ(map(pool_slot, 0, 2, into_a, 5, read), Status::invalid_argument) << "ends past the window";
  EXPECT_EQ(map(pool_slot, 0, 2, into_a, UINT64_MAX, read), Status::invalid_argument) << "wraps";
  EXPECT_TRUE(maps().empty());
}

TEST_F(MemoryMapTest, MapRefusesRightsBeyondTheWindowsOrUnknown) {
  EXPECT_EQ(map(pool_slot, 0, 1, into_b, 0, read_write), Status::missing_right) << "b's window is read-only";
  EXPECT_EQ(map(pool_slot, 0, 1, into_a, 0, 0), Status::invalid_argument);
  EXPECT_EQ(map(pool_slot, 0, 1, into_a, 0, abi::map_write), Status::invalid_argument) << "write without read";
  EXPECT_EQ(map(pool_slot, 0, 1, into_a, 0, 4), Status::invalid_argument) << "execute is never a right";
  EXPECT_EQ(map(pool_slot, 0, 1, into_a, 0, 7), Status::invalid_argument);
  EXPECT_TRUE(maps().empty());
}

TEST_F(MemoryMapTest, UnmapRefusesCapabilitiesAndRangesAsMapDoes) {
  ASSERT_EQ(map(pool_slot, 0, 4, into_a, 0, read_write), Status::ok);
  EXPECT_EQ(unmap(no_such_slot, 0, 1), Status::invalid_capability);
  EXPECT_EQ(unmap(pool_slot, 0, 1), Status::wrong_capability_type);
  EXPECT_EQ(unmap(into_a_without_control, 0, 1), Status::missing_right);
  EXPECT_EQ(unmap(into_a, 0, 0), Status::invalid_argument);
  EXPECT_EQ(unmap(into_a, 6, 1), Status::invalid_argument);
  EXPECT_EQ(unmap(into_a, 1, UINT64_MAX), Status::invalid_argument);
  EXPECT_EQ(unmap(into_b, 0, 1), Status::invalid_argument) << "nothing mapped into b";
  EXPECT_TRUE(unmaps().empty());
}

TEST_F(MemoryMapTest, WindowsKeepTheirOwnBits) {
  ASSERT_EQ(map(pool_slot, 0, 1, into_a, 0, read_write), Status::ok);
  EXPECT_EQ(map(pool_slot, 0, 1, into_b, 0, read), Status::ok) << "b's page 0 is not a's";
  EXPECT_EQ(unmap(into_b, 0, 1), Status::ok);
  EXPECT_EQ(map(pool_slot, 1, 1, into_a, 0, read_write), Status::invalid_argument) << "a's page 0 still mapped";
}

}  // namespace
