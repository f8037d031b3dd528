// SPDX-License-Identifier: Apache-2.0
// virtio-blk model tests (vmm-server/include/kestrel/vmm/virtio_block.hpp
// over device_queues.hpp's Block_queue): Linux's driver on one side (feature
// negotiation, the request queue, header/data/status chains in a fake guest
// RAM), a fake driver partition on the other (the Consumer of the requests
// and Producer of the responses of the same queue region, over a disk in a
// vector). Round trips, the split at 64 KiB, out-of-order answers, more
// requests than slots, the read-only flag, bad chains, a stopped or lying
// driver and a reset while requests are in flight.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <kestrel/device_queue.hpp>
#include <kestrel/vmm/device_queues.hpp>
#include <kestrel/vmm/virtio_block.hpp>

#include "virtio_driver.hpp"

namespace {

namespace dq = kestrel::device_queue;
namespace virtio = kestrel::vmm::virtio;
namespace blk = kestrel::vmm::virtio_block;
namespace virtq = kestrel::vmm::virtq;
using kestrel::vmm::Level_change;
using kestrel::vmm::testing::Driver;
using kestrel::vmm::testing::Driver_queue;
using kestrel::vmm::testing::Guest_ram;
using kestrel::vmm::testing::ram_base;

struct Counting_doorbell {
  int* rings = nullptr;
  void ring() { ++*rings; }
};
using Queue = kestrel::vmm::Block_queue<Counting_doorbell>;
using Block = kestrel::vmm::Virtio_block<Queue>;

struct alignas(4096) Region {
  uint8_t bytes[dq::block_queue_bytes];
};

constexpr uint64_t disk_sectors = 4096;  // 2 MiB
constexpr uint32_t queue_size = 64;
constexpr uint64_t guest_ram_size = 1 << 20;
constexpr uint64_t header_area = ram_base + 0x4000;  // request headers and status bytes
constexpr uint64_t data_area = ram_base + 0x10000;   // data buffers

// The driver partition's side of the queue region, serving a disk in memory.
class Fake_driver {
 public:
  explicit Fake_driver(Region& region)
      : region_(region),
        header_(reinterpret_cast<dq::Block_queue_header*>(region.bytes)),
        requests_(&header_->requests),
        responses_(&header_->responses),
        disk_(disk_sectors * dq::sector_bytes, 0) {}

  // Takes every request pushed so far, without answering.
  std::vector<dq::Block_request> take() {
    std::vector<dq::Block_request> taken;
    dq::Block_request request{};
    while (requests_.pop(request) == dq::Ring_status::ok) taken.push_back(request);
    return taken;
  }
  // Does `request` to the disk and answers it with `status` (ok: as done).
  void answer(const dq::Block_request& request, dq::Block_status status = dq::Block_status::ok) {
    uint8_t* slot = region_.bytes + dq::block_slot_offset(request.slot);
    const uint64_t at = request.sector * dq::sector_bytes;
    const uint64_t bytes = uint64_t{request.sectors} * dq::sector_bytes;
    if (status == dq::Block_status::ok && request.operation == dq::Block_operation::read)
      std::copy_n(disk_.begin() + static_cast<std::ptrdiff_t>(at), bytes, slot);
    if (status == dq::Block_status::ok && request.operation == dq::Block_operation::write)
      std::copy_n(slot, bytes, disk_.begin() + static_cast<std::ptrdiff_t>(at));
    ASSERT_EQ(responses_.push({request.tag, request.slot, status}), dq::Ring_status::ok);
  }
  void push_response(const dq::Block_response& response) { ASSERT_EQ(responses_.push(response), dq::Ring_status::ok); }
  // Takes and answers everything, in order; how many.
  size_t serve() {
    const auto taken = take();
    for (const auto& request : taken) answer(request);
    return taken.size();
  }
  std::vector<uint8_t>& disk() { return disk_; }
  dq::Block_queue_header* header() { return header_; }

 private:
  Region& region_;
  dq::Block_queue_header* header_;
  dq::Consumer<dq::Block_request, dq::block_queue_depth> requests_;
  dq::Producer<dq::Block_response, dq::block_queue_depth> responses_;
  std::vector<uint8_t> disk_;
};

std::string pattern(size_t bytes, uint8_t seed) {
  std::string text(bytes, '\0');
  for (size_t i = 0; i < bytes; ++i) text[i] = static_cast<char>(seed + i * 7 + i / 512);
  return text;
}

class Virtio_block_test : public ::testing::Test {
 protected:
  Guest_ram ram{guest_ram_size};
  std::unique_ptr<Region> region = std::make_unique<Region>();
  int rings = 0;
  Fake_driver driver_partition{*region};
  std::unique_ptr<Block> block;
  std::unique_ptr<Driver<Block>> driver;
  std::vector<Driver_queue> queues;
  uint64_t next_header = header_area;

  void SetUp() override { make({disk_sectors, false, "disk0"}); }

  void make(const kestrel::vmm::Virtio_block_disk& disk) {
    block = std::make_unique<Block>(ram.memory(), disk,
                                    Queue(reinterpret_cast<uintptr_t>(region->bytes), Counting_doorbell{&rings}));
    driver = std::make_unique<Driver<Block>>(*block);
  }

  // Linux's probe: negotiate what it knows, set up the queue, DRIVER_OK.
  void start(uint64_t base = ram_base + 0x1000) {
    const uint64_t offered = features();
    ASSERT_TRUE(driver->negotiate(offered));
    queues.clear();
    queues.push_back(driver->setup_queue(ram, blk::requestq, queue_size, base));
    driver->add_status(virtio::status_driver_ok);
    ASSERT_TRUE(block->transport().operational());
  }
  uint64_t features() {
    driver->write(virtio::device_features_sel, 0);
    uint64_t offered = driver->read(virtio::device_features);
    driver->write(virtio::device_features_sel, 1);
    return offered | uint64_t{driver->read(virtio::device_features)} << 32;
  }
  Driver_queue& requestq() { return queues[0]; }

  struct Sent {
    uint16_t head;
    uint64_t status;  // guest address of its status byte
  };

  // A request chain: header, data buffers (device-writable for reads and
  // GET_ID), a 1-byte status; made available (not notified).
  Sent request(uint32_t type, uint64_t sector, const std::vector<std::pair<uint64_t, uint32_t>>& data,
               bool data_writable, uint64_t header_address = 0) {
    Driver_queue& queue = requestq();
    const uint64_t header = header_address != 0 ? header_address : next_header;
    next_header += 32;
    ram.set<uint32_t>(header, type);
    ram.set<uint32_t>(header + 4, 0);
    ram.set<uint64_t>(header + 8, sector);
    const uint64_t status = header + 16;
    ram.set<uint8_t>(status, 0xee);
    const auto head = static_cast<uint16_t>(queue.next_descriptor % queue.size);
    auto add = [&](uint64_t address, uint32_t length, uint16_t flags, bool last) {
      const auto index = static_cast<uint16_t>(queue.next_descriptor++ % queue.size);
      queue.set_descriptor(index, address, length, static_cast<uint16_t>(flags | (last ? 0 : virtq::desc_f_next)),
                           static_cast<uint16_t>(queue.next_descriptor % queue.size));
    };
    add(header, 16, 0, false);
    for (const auto& [address, length] : data) add(address, length, data_writable ? virtq::desc_f_write : 0, false);
    add(status, 1, virtq::desc_f_write, true);
    queue.make_available(head);
    return {head, status};
  }
  Sent read(uint64_t sector, uint64_t address, uint32_t bytes) {
    return request(blk::t_in, sector, {{address, bytes}}, true);
  }
  Sent write(uint64_t sector, uint64_t address, uint32_t bytes) {
    return request(blk::t_out, sector, {{address, bytes}}, false);
  }
  void notify() { driver->write(virtio::queue_notify, blk::requestq); }
  uint8_t status_of(const Sent& sent) { return ram.get<uint8_t>(sent.status); }
  uint16_t used() { return requestq().used_index(); }
  uint32_t interrupt_status() { return driver->read(virtio::interrupt_status); }
  bool needs_reset() { return (driver->read(virtio::status) & virtio::status_device_needs_reset) != 0; }
};

TEST_F(Virtio_block_test, OffersItsFeaturesAndConfiguration) {
  const uint64_t offered = features();
  EXPECT_EQ(offered, virtio::f_version_1 | blk::f_size_max | blk::f_seg_max | blk::f_blk_size | blk::f_flush);
  EXPECT_EQ(driver->read(virtio::device_id), blk::device_id);
  // capacity as Linux's virtio_cread64 reads it (two 32-bit halves), and whole.
  EXPECT_EQ(driver->read(virtio::config + blk::config_capacity), disk_sectors);
  EXPECT_EQ(driver->read(virtio::config + blk::config_capacity + 4), 0u);
  EXPECT_EQ(block->read(virtio::config + blk::config_capacity, 8), disk_sectors);
  EXPECT_EQ(driver->read(virtio::config + blk::config_size_max), 64u * 1024);
  EXPECT_EQ(driver->read(virtio::config + blk::config_seg_max), blk::seg_max);
  EXPECT_EQ(driver->read(virtio::config + blk::config_blk_size), 512u);
  EXPECT_EQ(block->read(virtio::config + blk::config_blk_size + 1, 1), 2u);  // 512 = 0x200, byte 1
  EXPECT_EQ(block->read(virtio::config + blk::config_bytes, 4), 0u);         // past the fields
  EXPECT_EQ(block->read(virtio::config + blk::config_bytes - 2, 4), 0u);     // runs past them
  block->write(virtio::config, 8, 1);                                        // read-only
  EXPECT_EQ(block->read(virtio::config, 8), disk_sectors);
}

TEST_F(Virtio_block_test, WritesAndReadsBackThroughTheQueue) {
  start();
  const std::string data = pattern(4096, 1);
  ram.put_bytes(data_area, data);
  const Sent written = write(8, data_area, 4096);
  notify();
  EXPECT_EQ(rings, 1);
  const auto entries = driver_partition.take();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].operation, dq::Block_operation::write);
  EXPECT_EQ(entries[0].sector, 8u);
  EXPECT_EQ(entries[0].sectors, 8u);
  EXPECT_EQ(used(), 0) << "no completion before the driver's answer";
  driver_partition.answer(entries[0]);
  block->responses();
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(driver_partition.disk().data()) + 8 * 512, 4096), data);
  ASSERT_EQ(used(), 1);
  EXPECT_EQ(requestq().used_id(0), written.head);
  EXPECT_EQ(requestq().used_length(0), 1u);
  EXPECT_EQ(status_of(written), blk::s_ok);
  EXPECT_EQ(block->take_level_change(), Level_change::rose);
  driver->write(virtio::interrupt_ack, interrupt_status());
  EXPECT_EQ(block->take_level_change(), Level_change::fell);

  const Sent read_back = read(8, data_area + 0x10000, 4096);
  notify();
  EXPECT_EQ(driver_partition.serve(), 1u);
  block->responses();
  ASSERT_EQ(used(), 2);
  EXPECT_EQ(requestq().used_length(1), 4097u);
  EXPECT_EQ(status_of(read_back), blk::s_ok);
  EXPECT_EQ(ram.bytes(data_area + 0x10000, 4096), data);
  EXPECT_EQ(block->counts().copies, 2u) << "one copy per request";
  EXPECT_EQ(block->counts().bytes_copied, 8192u);
  EXPECT_EQ(block->busy_slots(), 0u);
}

TEST_F(Virtio_block_test, SplitsA128KibRequestAcrossTwoSlots) {
  start();
  // 32 pages, as Linux's scatterlist of a 128 KiB direct write.
  const std::string data = pattern(128 * 1024, 3);
  std::vector<std::pair<uint64_t, uint32_t>> pages;
  for (uint32_t i = 0; i < 32; ++i) {
    const uint64_t page = data_area + 0x1000 * (31 - i);  // not in address order
    ram.put_bytes(page, data.substr(i * 4096, 4096));
    pages.push_back({page, 4096});
  }
  const Sent written = request(blk::t_out, 100, pages, false);
  notify();
  auto entries = driver_partition.take();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].sector, 100u);
  EXPECT_EQ(entries[1].sector, 228u);
  EXPECT_EQ(entries[0].sectors, 128u);
  EXPECT_EQ(entries[1].sectors, 128u);
  EXPECT_NE(entries[0].slot, entries[1].slot);
  driver_partition.answer(entries[1]);  // the second half first
  block->responses();
  EXPECT_EQ(used(), 0) << "half a request is no completion";
  driver_partition.answer(entries[0]);
  block->responses();
  ASSERT_EQ(used(), 1);
  EXPECT_EQ(status_of(written), blk::s_ok);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(driver_partition.disk().data()) + 100 * 512, data.size()), data);

  // And back, into one 128 KiB buffer.
  const Sent read_back = read(100, data_area + 0x40000, 128 * 1024);
  notify();
  entries = driver_partition.take();
  ASSERT_EQ(entries.size(), 2u);
  driver_partition.answer(entries[0]);
  driver_partition.answer(entries[1]);
  block->responses();
  ASSERT_EQ(used(), 2);
  EXPECT_EQ(requestq().used_length(1), 128u * 1024 + 1);
  EXPECT_EQ(status_of(read_back), blk::s_ok);
  EXPECT_EQ(ram.bytes(data_area + 0x40000, data.size()), data);
}

TEST_F(Virtio_block_test, CompletesRequestsInTheOrderTheDriverAnswers) {
  start();
  const Sent first = read(0, data_area, 512);
  const Sent second = read(1, data_area + 0x1000, 512);
  const Sent third = read(2, data_area + 0x2000, 512);
  notify();
  EXPECT_EQ(rings, 1) << "one ring for the batch";
  const auto entries = driver_partition.take();
  ASSERT_EQ(entries.size(), 3u);
  driver_partition.answer(entries[2]);
  driver_partition.answer(entries[0]);
  driver_partition.answer(entries[1], dq::Block_status::io_error);
  block->responses();
  ASSERT_EQ(used(), 3);
  EXPECT_EQ(requestq().used_id(0), third.head);
  EXPECT_EQ(requestq().used_id(1), first.head);
  EXPECT_EQ(requestq().used_id(2), second.head);
  EXPECT_EQ(status_of(third), blk::s_ok);
  EXPECT_EQ(status_of(first), blk::s_ok);
  EXPECT_EQ(status_of(second), blk::s_ioerr);
  EXPECT_EQ(requestq().used_length(2), 1u) << "a failed read wrote no data";
}

TEST_F(Virtio_block_test, RequestsBeyondTheSixteenSlotsWaitForFreeOnes) {
  start();
  std::vector<Sent> sent;
  for (uint32_t i = 0; i < 20; ++i) sent.push_back(read(i, data_area + 0x1000 * i, 512));
  notify();
  auto entries = driver_partition.take();
  EXPECT_EQ(entries.size(), 16u);
  EXPECT_EQ(block->busy_slots(), 16u);
  for (size_t i = 0; i < 3; ++i) driver_partition.answer(entries[i]);
  block->responses();
  EXPECT_EQ(used(), 3);
  entries = driver_partition.take();
  ASSERT_EQ(entries.size(), 3u) << "the waiting requests took the freed slots";
  EXPECT_EQ(entries[0].sector, 16u);
  EXPECT_EQ(entries[2].sector, 18u);
  EXPECT_EQ(rings, 2);
}

TEST_F(Virtio_block_test, FlushAndGetId) {
  start();
  const Sent flush = request(blk::t_flush, 0, {}, false);
  notify();
  const auto entries = driver_partition.take();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].operation, dq::Block_operation::flush);
  EXPECT_EQ(entries[0].sectors, 0u);
  driver_partition.answer(entries[0]);
  block->responses();
  EXPECT_EQ(status_of(flush), blk::s_ok);

  const Sent id = request(blk::t_get_id, 0, {{data_area, blk::id_bytes}}, true);
  notify();
  EXPECT_TRUE(driver_partition.take().empty()) << "answered by the model";
  EXPECT_EQ(status_of(id), blk::s_ok);
  EXPECT_EQ(ram.bytes(data_area, blk::id_bytes), std::string("disk0") + std::string(15, '\0'));
  EXPECT_EQ(requestq().used_length(1), blk::id_bytes + 1);
}

TEST_F(Virtio_block_test, AReadOnlySliceRefusesWritesItself) {
  make({disk_sectors, true, "ro"});
  EXPECT_NE(features() & blk::f_ro, 0u);
  start();
  const Sent written = write(0, data_area, 512);
  const Sent read_back = read(0, data_area, 512);
  notify();
  const auto entries = driver_partition.take();
  ASSERT_EQ(entries.size(), 1u) << "only the read reaches the driver";
  EXPECT_EQ(entries[0].operation, dq::Block_operation::read);
  EXPECT_EQ(status_of(written), blk::s_ioerr);
  driver_partition.answer(entries[0]);
  block->responses();
  EXPECT_EQ(status_of(read_back), blk::s_ok);
}

TEST_F(Virtio_block_test, BadRequestsGetAnErrorStatusAndNoQueueEntry) {
  start();
  const uint64_t outside = ram_base + guest_ram_size - 256;  // runs past the end of RAM
  const Sent past_ram = read(0, outside, 512);
  const Sent wrong_direction = request(blk::t_in, 0, {{data_area, 512}}, false);
  const Sent odd_length = read(0, data_area, 100);
  const Sent past_disk = read(disk_sectors - 1, data_area, 1024);
  const Sent huge_sector = read(~uint64_t{0}, data_area, 512);
  const Sent unknown = request(11, 0, {}, false);  // T_DISCARD: not offered
  const Sent empty = read(5, data_area, 0);
  notify();
  EXPECT_TRUE(driver_partition.take().empty());
  EXPECT_EQ(status_of(past_ram), blk::s_ioerr);
  EXPECT_EQ(status_of(wrong_direction), blk::s_ioerr);
  EXPECT_EQ(status_of(odd_length), blk::s_ioerr);
  EXPECT_EQ(status_of(past_disk), blk::s_ioerr);
  EXPECT_EQ(status_of(huge_sector), blk::s_ioerr);
  EXPECT_EQ(status_of(unknown), blk::s_unsupp);
  EXPECT_EQ(status_of(empty), blk::s_ok);
  EXPECT_EQ(used(), 7);
  EXPECT_FALSE(needs_reset());
  EXPECT_EQ(block->counts().errors, 6u);

  // More data buffers than seg_max.
  std::vector<std::pair<uint64_t, uint32_t>> many(blk::seg_max + 1, {data_area, 512});
  const Sent too_many = request(blk::t_in, 0, many, true);
  notify();
  EXPECT_EQ(status_of(too_many), blk::s_ioerr);
  EXPECT_TRUE(driver_partition.take().empty());
}

TEST_F(Virtio_block_test, AChainWithNoStatusByteOrReusedDescriptorsNeedsAReset) {
  start();
  Driver_queue& queue = requestq();
  // A header alone: no writable status byte.
  queue.set_descriptor(0, header_area, 16, 0, 0);
  queue.make_available(0);
  notify();
  EXPECT_TRUE(needs_reset());
  EXPECT_NE(interrupt_status() & virtio::interrupt_configuration_change, 0u);

  // Again from a reset (fresh rings elsewhere, as Linux allocates them): a
  // chain whose descriptor is another's in flight.
  start(ram_base + 0x8000);
  Driver_queue& again = requestq();
  const Sent first = read(0, data_area, 512);
  (void)first;
  notify();
  ASSERT_EQ(driver_partition.take().size(), 1u);
  again.make_available(first.head);  // the same chain again while in flight
  notify();
  EXPECT_TRUE(needs_reset());
}

TEST_F(Virtio_block_test, AStoppedDriverFailsEverythingAtOnce) {
  start();
  const Sent first = read(0, data_area, 512);
  const Sent second = write(1, data_area, 512);
  notify();
  const auto entries = driver_partition.take();
  ASSERT_EQ(entries.size(), 2u);
  driver_partition.answer(entries[0]);  // answered, but the stop is seen first
  block->driver_stopped();
  EXPECT_EQ(used(), 2);
  EXPECT_EQ(status_of(first), blk::s_ioerr);
  EXPECT_EQ(status_of(second), blk::s_ioerr);
  EXPECT_EQ(block->take_level_change(), Level_change::rose);
  block->responses();  // the late answer changes nothing
  EXPECT_EQ(used(), 2);
  EXPECT_EQ(status_of(first), blk::s_ioerr);

  const Sent later = request(blk::t_flush, 0, {}, false);
  notify();
  EXPECT_EQ(status_of(later), blk::s_ioerr);
  EXPECT_TRUE(driver_partition.take().empty());
}

TEST_F(Virtio_block_test, ALyingDriverIsIgnoredOrTakenForStopped) {
  start();
  const Sent first = read(0, data_area, 512);
  notify();
  const auto entries = driver_partition.take();
  ASSERT_EQ(entries.size(), 1u);
  driver_partition.push_response({entries[0].tag + 1, entries[0].slot, dq::Block_status::ok});  // wrong tag
  driver_partition.push_response({entries[0].tag, entries[0].slot + 1, dq::Block_status::ok});  // wrong slot
  driver_partition.push_response({entries[0].tag, 99, dq::Block_status::ok});                   // no slot
  block->responses();
  EXPECT_EQ(block->counts().ignored, 3u);
  EXPECT_EQ(used(), 0);
  // A response index that claims more than the ring holds.
  driver_partition.header()->responses.produced += 100;
  block->responses();
  EXPECT_TRUE(block->stopped());
  EXPECT_EQ(status_of(first), blk::s_ioerr);
}

TEST_F(Virtio_block_test, AResetForgetsRequestsInFlight) {
  start();
  const std::string old_data = pattern(512, 9);
  driver_partition.disk().assign(driver_partition.disk().size(), 0x5a);
  const Sent before = read(0, data_area, 512);
  notify();
  const auto old_entries = driver_partition.take();
  ASSERT_EQ(old_entries.size(), 1u);

  // Linux resets the device and sets it up again, rings elsewhere.
  driver->write(virtio::status, 0);
  EXPECT_FALSE(block->transport().operational());
  start(ram_base + 0x8000);
  ram.put_bytes(data_area, old_data);
  const Sent after = read(1, data_area + 0x1000, 512);
  notify();
  const auto new_entries = driver_partition.take();
  ASSERT_EQ(new_entries.size(), 1u);
  EXPECT_NE(new_entries[0].slot, old_entries[0].slot) << "the old slot is still the driver's";

  driver_partition.answer(old_entries[0]);  // the late answer of the forgotten read
  block->responses();
  EXPECT_EQ(used(), 0) << "nothing for the new rings";
  EXPECT_EQ(ram.bytes(data_area, 512), old_data) << "no data copied for a forgotten request";
  EXPECT_EQ(status_of(before), 0xee);
  EXPECT_EQ(block->busy_slots(), 1u) << "its slot is free again";

  driver_partition.answer(new_entries[0]);
  block->responses();
  ASSERT_EQ(used(), 1);
  EXPECT_EQ(requestq().used_id(0), after.head);
  EXPECT_EQ(status_of(after), blk::s_ok);
  EXPECT_EQ(ram.bytes(data_area + 0x1000, 512), std::string(512, '\x5a'));
}

TEST_F(Virtio_block_test, NoQueueRegionFailsRequestsWithoutTouchingAnything) {
  block = std::make_unique<Block>(ram.memory(), kestrel::vmm::Virtio_block_disk{disk_sectors, false, "none"}, Queue{});
  driver = std::make_unique<Driver<Block>>(*block);
  start();
  const Sent sent = read(0, data_area, 512);
  notify();
  block->responses();
  EXPECT_EQ(status_of(sent), blk::s_ioerr);
  EXPECT_EQ(rings, 0);
}

}  // namespace
