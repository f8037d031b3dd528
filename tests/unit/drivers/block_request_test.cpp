// SPDX-License-Identifier: Apache-2.0
// The virtio-blk driver's request check (drivers-untrusted/virtio-blk/
// block_request.hpp): slices, read-only, malformed requests, overflow.
#include <gtest/gtest.h>

#include <cstdint>

#include "block_request.hpp"

namespace {

namespace dq = kestrel::device_queue;
using virtio_blk::check_request;
using virtio_blk::Slice;

dq::Block_request request(dq::Block_operation operation, uint64_t sector, uint32_t sectors, uint32_t slot = 0) {
  return {0x77, sector, sectors, slot, operation, 0};
}

constexpr Slice slice{1000, 200, false};

TEST(Block_request, AReadInsideTheSliceGoesToTheAbsoluteSector) {
  const auto checked = check_request(request(dq::Block_operation::read, 10, 8, 3), slice);
  EXPECT_EQ(checked.status, dq::Block_status::ok);
  EXPECT_EQ(checked.type, virtio_blk::type_in);
  EXPECT_EQ(checked.disk_sector, 1010u);
  EXPECT_EQ(checked.bytes, 8u * 512);
  EXPECT_EQ(checked.slot_offset, dq::block_slot_offset(3));
}

TEST(Block_request, TheSlicesLastSectorsAreReachableAndNoMore) {
  EXPECT_EQ(check_request(request(dq::Block_operation::write, 199, 1), slice).status, dq::Block_status::ok);
  EXPECT_EQ(check_request(request(dq::Block_operation::write, 192, 8), slice).disk_sector, 1192u);
  EXPECT_EQ(check_request(request(dq::Block_operation::write, 193, 8), slice).status, dq::Block_status::outside_slice);
  EXPECT_EQ(check_request(request(dq::Block_operation::read, 200, 1), slice).status, dq::Block_status::outside_slice);
}

TEST(Block_request, SectorsThatWouldOverflowAreOutside) {
  EXPECT_EQ(check_request(request(dq::Block_operation::read, ~uint64_t{0} - 3, 8), slice).status,
            dq::Block_status::outside_slice);
  const Slice whole{0, ~uint64_t{0}, false};
  EXPECT_EQ(check_request(request(dq::Block_operation::read, ~uint64_t{0} - 3, 8), whole).status,
            dq::Block_status::outside_slice);
}

TEST(Block_request, AReadOnlySliceRefusesWritesButNotReadsOrFlushes) {
  const Slice read_only{0, 100, true};
  EXPECT_EQ(check_request(request(dq::Block_operation::write, 0, 1), read_only).status, dq::Block_status::read_only);
  EXPECT_EQ(check_request(request(dq::Block_operation::read, 0, 1), read_only).status, dq::Block_status::ok);
  EXPECT_EQ(check_request(request(dq::Block_operation::flush, 0, 0), read_only).status, dq::Block_status::ok);
}

TEST(Block_request, MalformedRequestsAreBad) {
  EXPECT_EQ(check_request(request(dq::Block_operation::read, 0, 0), slice).status, dq::Block_status::bad_request);
  EXPECT_EQ(check_request(request(dq::Block_operation::read, 0, dq::block_slot_sectors + 1), slice).status,
            dq::Block_status::bad_request);
  EXPECT_EQ(check_request(request(dq::Block_operation::read, 0, 1, dq::block_queue_depth), slice).status,
            dq::Block_status::bad_request);
  EXPECT_EQ(check_request(request(static_cast<dq::Block_operation>(3), 0, 1), slice).status,
            dq::Block_status::bad_request);
  EXPECT_EQ(check_request(request(dq::Block_operation::read, 0, dq::block_slot_sectors, dq::block_queue_depth - 1),
                          {0, 1000, false})
                .status,
            dq::Block_status::ok);
}

TEST(Block_request, AFlushNamesNoSectorsAndNoSlot) {
  const auto checked = check_request(request(dq::Block_operation::flush, 123456, 0, 99), slice);
  EXPECT_EQ(checked.status, dq::Block_status::ok);
  EXPECT_EQ(checked.type, virtio_blk::type_flush);
  EXPECT_EQ(checked.bytes, 0u);
}

TEST(Block_request, SlicesMustFitTheDisk) {
  kestrel::Block_driver_description description{};
  description.client_count = 2;
  description.clients[0] = {"a", 0, 0, 0, 100, false, 0, 1};
  description.clients[1] = {"b", 0, 0, 100, 50, true, 0, 1};
  EXPECT_TRUE(virtio_blk::slices_fit(description, 150));
  EXPECT_FALSE(virtio_blk::slices_fit(description, 149));
  description.clients[1].first_sector = ~uint64_t{0};
  EXPECT_FALSE(virtio_blk::slices_fit(description, ~uint64_t{0}));
}

}  // namespace
