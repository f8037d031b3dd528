// SPDX-License-Identifier: Apache-2.0
// virtio-console model tests (vmm-server/include/kestrel/vmm/virtio_console.hpp
// and the split virtqueue, virtio_queue.hpp): transmit of chained buffers,
// receive into posted buffers, the used ring, interrupt status and
// acknowledge, and every way a driver can break a queue, after which the
// device asks for a reset and touches nothing outside guest RAM.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <kestrel/vmm/virtio_console.hpp>

#include "virtio_driver.hpp"

namespace {

using kestrel::vmm::Level_change;
using kestrel::vmm::Virtio_console;
using kestrel::vmm::testing::Driver;
using kestrel::vmm::testing::Driver_queue;
using kestrel::vmm::testing::Guest_ram;
using kestrel::vmm::testing::ram_base;
using kestrel::vmm::testing::ram_size;
namespace virtio = kestrel::vmm::virtio;
namespace virtq = kestrel::vmm::virtq;

struct Recorder {
  std::string bytes;
  void put(char c) { bytes += c; }
};

constexpr uint32_t queue_size = 8;
constexpr uint64_t buffers = ram_base + 0x8000;  // the driver's data buffers

class Virtio_console_test : public ::testing::Test {
 protected:
  Guest_ram ram;
  Virtio_console<Recorder> console{ram.memory()};
  Driver<Virtio_console<Recorder>> driver{console};
  Driver_queue* receiveq = nullptr;
  Driver_queue* transmitq = nullptr;
  std::vector<Driver_queue> queues;

  // Linux's order: negotiate, set up both queues, post receive buffers,
  // DRIVER_OK.
  void SetUp() override {
    ASSERT_TRUE(driver.negotiate());
    queues.push_back(driver.setup_queue(ram, 0, queue_size, ram_base + 0x1000));
    queues.push_back(driver.setup_queue(ram, 1, queue_size, ram_base + 0x3000));
    receiveq = &queues[0];
    transmitq = &queues[1];
  }
  void driver_ok() {
    driver.add_status(virtio::status_driver_ok);
    ASSERT_TRUE(console.transport().operational());
  }
  void notify(uint32_t queue) { driver.write(virtio::queue_notify, queue); }
  uint32_t interrupt_status() { return driver.read(virtio::interrupt_status); }
  bool needs_reset() { return (driver.read(virtio::status) & virtio::status_device_needs_reset) != 0; }

  // The device is broken for good: it served nothing and says it needs a
  // reset, with a configuration change interrupt.
  void expect_needs_reset(const char* what) {
    EXPECT_TRUE(needs_reset()) << what;
    EXPECT_NE(interrupt_status() & virtio::interrupt_configuration_change, 0u) << what;
    EXPECT_EQ(console.take_level_change(), Level_change::rose) << what;
    EXPECT_FALSE(console.transport().operational()) << what;
  }
};

TEST_F(Virtio_console_test, TransmitsAChainedBufferInOrder) {
  driver_ok();
  ram.put_bytes(buffers, "hello, ");
  ram.put_bytes(buffers + 0x100, "hvc");
  ram.put_bytes(buffers + 0x200, "0\n");
  const uint16_t head = transmitq->add_chain({{buffers, 7}, {buffers + 0x100, 3}, {buffers + 0x200, 2}}, false);
  notify(1);
  EXPECT_EQ(console.output().bytes, "hello, hvc0\n");
  ASSERT_EQ(transmitq->used_index(), 1);
  EXPECT_EQ(transmitq->used_id(0), head);
  EXPECT_EQ(transmitq->used_length(0), 0u) << "nothing written into a transmit buffer";
  EXPECT_EQ(interrupt_status(), virtio::interrupt_used_buffer);
}

TEST_F(Virtio_console_test, TransmitsEveryAvailableChainAndSkipsWritableDescriptors) {
  driver_ok();
  ram.put_bytes(buffers, "ab");
  ram.put_bytes(buffers + 0x100, "XX");
  ram.put_bytes(buffers + 0x200, "cd");
  transmitq->add_chain({{buffers, 2}}, false);
  // A device-writable descriptor has nothing to send.
  transmitq->set_descriptor(1, buffers + 0x100, 2, virtq::desc_f_write | virtq::desc_f_next, 2);
  transmitq->set_descriptor(2, buffers + 0x200, 2, 0, 0);
  transmitq->make_available(1);
  notify(1);
  EXPECT_EQ(console.output().bytes, "abcd");
  EXPECT_EQ(transmitq->used_index(), 2);
  EXPECT_FALSE(needs_reset());
}

TEST_F(Virtio_console_test, WrapsAroundTheRingsFreeRunningIndices) {
  driver_ok();
  std::string expected;
  for (int round = 0; round < 3 * static_cast<int>(queue_size) + 3; ++round) {
    const std::string text = std::to_string(round) + ";";
    ram.put_bytes(buffers, text);
    transmitq->add_chain({{buffers, static_cast<uint32_t>(text.size())}}, false);
    notify(1);
    expected += text;
  }
  EXPECT_EQ(console.output().bytes, expected);
  EXPECT_EQ(transmitq->used_index(), 3 * queue_size + 3);
  EXPECT_FALSE(needs_reset());
}

TEST_F(Virtio_console_test, BuffersQueuedBeforeDriverOkGoAtDriverOk) {
  ram.put_bytes(buffers, "early\n");
  transmitq->add_chain({{buffers, 6}}, false);
  notify(1);
  EXPECT_EQ(console.output().bytes, "") << "no buffer is used before DRIVER_OK";
  EXPECT_EQ(transmitq->used_index(), 0);
  driver_ok();
  EXPECT_EQ(console.output().bytes, "early\n");
  EXPECT_EQ(transmitq->used_index(), 1);
}

TEST_F(Virtio_console_test, ReceiveFillsPostedBuffersInOrder) {
  receiveq->add_chain({{buffers, 4}}, true);
  receiveq->add_chain({{buffers + 0x100, 2}, {buffers + 0x200, 8}}, true);
  EXPECT_EQ(console.receive(reinterpret_cast<const uint8_t*>("x"), 1), 0u) << "not before DRIVER_OK";
  driver_ok();
  const std::string input = "typed-42\n";
  EXPECT_EQ(console.receive(reinterpret_cast<const uint8_t*>(input.data()), input.size()), input.size());
  EXPECT_EQ(ram.bytes(buffers, 4), "type");
  EXPECT_EQ(ram.bytes(buffers + 0x100, 2), "d-");
  EXPECT_EQ(ram.bytes(buffers + 0x200, 3), "42\n");
  ASSERT_EQ(receiveq->used_index(), 2);
  EXPECT_EQ(receiveq->used_id(0), 0u);
  EXPECT_EQ(receiveq->used_length(0), 4u);
  EXPECT_EQ(receiveq->used_id(1), 1u);
  EXPECT_EQ(receiveq->used_length(1), 5u);
  EXPECT_EQ(interrupt_status(), virtio::interrupt_used_buffer);
  // No buffer left: nothing taken, for the VMM to offer again later.
  EXPECT_EQ(console.receive(reinterpret_cast<const uint8_t*>("more"), 4), 0u);
  receiveq->add_chain({{buffers + 0x300, 16}}, true);
  notify(0);
  EXPECT_EQ(console.receive(reinterpret_cast<const uint8_t*>("more"), 4), 4u);
  EXPECT_EQ(ram.bytes(buffers + 0x300, 4), "more");
  EXPECT_EQ(receiveq->used_length(2), 4u);
}

TEST_F(Virtio_console_test, ReceiveNeverReadsOrWritesAReadableDescriptor) {
  ram.put_bytes(buffers, "keep");
  receiveq->set_descriptor(0, buffers, 4, virtq::desc_f_next, 1);
  receiveq->set_descriptor(1, buffers + 0x100, 4, virtq::desc_f_write, 0);
  receiveq->make_available(0);
  driver_ok();
  EXPECT_EQ(console.receive(reinterpret_cast<const uint8_t*>("abcdef"), 6), 4u);
  EXPECT_EQ(ram.bytes(buffers, 4), "keep");
  EXPECT_EQ(ram.bytes(buffers + 0x100, 4), "abcd");
  EXPECT_EQ(receiveq->used_length(0), 4u);
}

TEST_F(Virtio_console_test, InterruptRisesOnceAndFallsWhenAcknowledged) {
  driver_ok();
  EXPECT_EQ(console.take_level_change(), Level_change::none);
  ram.put_bytes(buffers, "a");
  transmitq->add_chain({{buffers, 1}}, false);
  notify(1);
  EXPECT_EQ(console.take_level_change(), Level_change::rose);
  transmitq->add_chain({{buffers, 1}}, false);
  notify(1);
  EXPECT_EQ(console.take_level_change(), Level_change::none) << "still high: no new edge";
  driver.write(virtio::interrupt_ack, virtio::interrupt_used_buffer);
  EXPECT_EQ(interrupt_status(), 0u);
  EXPECT_EQ(console.take_level_change(), Level_change::fell);
}

TEST_F(Virtio_console_test, NoInterruptWhenTheDriverSuppressesIt) {
  driver_ok();
  ram.set<uint16_t>(transmitq->available, virtq::avail_f_no_interrupt);
  ram.put_bytes(buffers, "quiet");
  transmitq->add_chain({{buffers, 5}}, false);
  notify(1);
  EXPECT_EQ(console.output().bytes, "quiet");
  EXPECT_EQ(transmitq->used_index(), 1);
  EXPECT_EQ(interrupt_status(), 0u);
  EXPECT_EQ(console.take_level_change(), Level_change::none);
}

TEST_F(Virtio_console_test, ResetStopsTheQueuesAndLowersTheLine) {
  driver_ok();
  ram.put_bytes(buffers, "x");
  transmitq->add_chain({{buffers, 1}}, false);
  notify(1);
  ASSERT_EQ(console.take_level_change(), Level_change::rose);
  console.reset();
  EXPECT_EQ(driver.read(virtio::status), 0u);
  EXPECT_EQ(console.take_level_change(), Level_change::fell);
  transmitq->add_chain({{buffers, 1}}, false);
  notify(1);
  EXPECT_EQ(console.output().bytes, "x") << "a reset device serves nothing";
  receiveq->add_chain({{buffers + 0x100, 4}}, true);
  EXPECT_EQ(console.receive(reinterpret_cast<const uint8_t*>("y"), 1), 0u);
}

TEST_F(Virtio_console_test, NotificationsOfQueuesNotReadyOrAbsentAreIgnored) {
  driver_ok();
  ram.put_bytes(buffers, "x");
  transmitq->add_chain({{buffers, 1}}, false);
  driver.write(virtio::queue_sel, 1);
  driver.write(virtio::queue_ready, 0);
  notify(1);
  notify(2);
  notify(0xffff'ffff);
  EXPECT_EQ(console.output().bytes, "");
  EXPECT_FALSE(needs_reset());
  EXPECT_EQ(interrupt_status(), 0u);
}

// Ways a driver breaks the transmit queue. Each leaves the device needing a
// reset, the broken chain not returned and nothing outside guest RAM read
// (ASan watches the buffer behind it).
TEST_F(Virtio_console_test, DescriptorOutsideGuestRam) {
  driver_ok();
  transmitq->add_chain({{ram_base + ram_size, 1}}, false);
  notify(1);
  expect_needs_reset("buffer just past RAM");
  EXPECT_EQ(transmitq->used_index(), 0);
}

TEST_F(Virtio_console_test, DescriptorBelowGuestRam) {
  driver_ok();
  transmitq->add_chain({{ram_base - 1, 2}}, false);
  notify(1);
  expect_needs_reset("buffer starting below RAM");
  EXPECT_EQ(console.output().bytes, "");
}

TEST_F(Virtio_console_test, DescriptorLengthRunsPastRam) {
  driver_ok();
  transmitq->add_chain({{buffers, 0xffff'ffff}}, false);
  notify(1);
  expect_needs_reset("length past the end of RAM");
  EXPECT_EQ(console.output().bytes, "");
}

TEST_F(Virtio_console_test, DescriptorAddressPlusLengthWraps) {
  driver_ok();
  transmitq->add_chain({{0xffff'ffff'ffff'ff00, 0x1000}}, false);
  notify(1);
  expect_needs_reset("address + length wraps");
}

TEST_F(Virtio_console_test, ChainThatLoops) {
  driver_ok();
  ram.put_bytes(buffers, "L");
  transmitq->set_descriptor(0, buffers, 1, virtq::desc_f_next, 0);
  transmitq->make_available(0);
  notify(1);
  expect_needs_reset("descriptor 0 chains to itself");
  EXPECT_LE(console.output().bytes.size(), queue_size) << "the walk stops after queue-size descriptors";
}

TEST_F(Virtio_console_test, ChainLongerThanTheQueue) {
  driver_ok();
  ram.put_bytes(buffers, "0123456789");
  for (uint16_t i = 0; i < queue_size; ++i) {
    transmitq->set_descriptor(i, buffers + i, 1, virtq::desc_f_next, static_cast<uint16_t>((i + 1) % queue_size));
  }
  transmitq->make_available(3);
  notify(1);
  expect_needs_reset("a ring of every descriptor");
}

TEST_F(Virtio_console_test, ChainOfExactlyTheQueueSizeIsFine) {
  driver_ok();
  ram.put_bytes(buffers, "01234567");
  for (uint16_t i = 0; i < queue_size; ++i) {
    const bool last = i + 1 == queue_size;
    transmitq->set_descriptor(i, buffers + i, 1, last ? 0 : virtq::desc_f_next, static_cast<uint16_t>(i + 1));
  }
  transmitq->make_available(0);
  notify(1);
  EXPECT_EQ(console.output().bytes, "01234567");
  EXPECT_FALSE(needs_reset());
}

TEST_F(Virtio_console_test, NextIndexOutsideTheTable) {
  driver_ok();
  transmitq->set_descriptor(0, buffers, 1, virtq::desc_f_next, queue_size);
  transmitq->make_available(0);
  notify(1);
  expect_needs_reset("next = queue size");
}

TEST_F(Virtio_console_test, HeadIndexOutsideTheTable) {
  driver_ok();
  transmitq->make_available(0xffff);
  notify(1);
  expect_needs_reset("head 0xffff");
  EXPECT_EQ(console.output().bytes, "");
}

TEST_F(Virtio_console_test, AvailableIndexTooFarAhead) {
  driver_ok();
  // Every ring entry names a good descriptor; only the index is wrong.
  ram.put_bytes(buffers, "x");
  for (uint16_t i = 0; i < queue_size; ++i) {
    transmitq->set_descriptor(i, buffers, 1, 0, 0);
    ram.set<uint16_t>(transmitq->available + 4 + 2 * i, i);
  }
  ram.set<uint16_t>(transmitq->available + 2, queue_size + 1);
  notify(1);
  expect_needs_reset("more buffers available than the ring holds");
  EXPECT_EQ(console.output().bytes, "");
}

TEST_F(Virtio_console_test, IndirectDescriptorNotNegotiated) {
  driver_ok();
  transmitq->set_descriptor(0, buffers, 16, virtq::desc_f_indirect, 0);
  transmitq->make_available(0);
  notify(1);
  expect_needs_reset("VIRTQ_DESC_F_INDIRECT");
}

TEST_F(Virtio_console_test, BrokenReceiveBufferNeedsResetToo) {
  receiveq->add_chain({{ram_base + ram_size - 2, 4}}, true);
  driver_ok();
  EXPECT_EQ(console.receive(reinterpret_cast<const uint8_t*>("abcd"), 4), 0u);
  expect_needs_reset("receive buffer past RAM");
  EXPECT_EQ(receiveq->used_index(), 0);
}

TEST_F(Virtio_console_test, ABrokenDeviceServesNothingUntilReset) {
  driver_ok();
  transmitq->make_available(0xffff);
  notify(1);
  ASSERT_TRUE(needs_reset());
  // A good buffer after the broken one is not served.
  ram.put_bytes(buffers, "after");
  transmitq->set_descriptor(1, buffers, 5, 0, 0);
  transmitq->make_available(1);
  notify(1);
  EXPECT_EQ(console.output().bytes, "");
  receiveq->add_chain({{buffers + 0x100, 4}}, true);
  EXPECT_EQ(console.receive(reinterpret_cast<const uint8_t*>("in"), 2), 0u);
  // The driver resets and sets the device up again: it works.
  ASSERT_TRUE(driver.negotiate());
  EXPECT_FALSE(needs_reset());
  queues.clear();
  queues.push_back(driver.setup_queue(ram, 0, queue_size, ram_base + 0x5000));
  queues.push_back(driver.setup_queue(ram, 1, queue_size, ram_base + 0xa000));
  driver_ok();
  queues[1].add_chain({{buffers, 5}}, false);
  notify(1);
  EXPECT_EQ(console.output().bytes, "after");
}

}  // namespace
