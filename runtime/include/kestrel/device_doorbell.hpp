// SPDX-License-Identifier: Apache-2.0
// Device doorbell: the system calls behind a block or net client
// (block_client.hpp, net_client.hpp): ring the driver's notification, wait
// on the client's own. The clients' logic (block_queue_client.hpp,
// net_queue_client.hpp) takes the doorbell as a template parameter, so the
// host tests run it with a fake one.
#pragma once

#include <cstdint>

#include <kestrel/device_description.hpp>
#include <kestrel/device_queue.hpp>
#include <kestrel/syscall.hpp>

namespace kestrel {

class Device_doorbell {
 public:
  // `ring_driver`: the slot that signals the driver; `wait`: the slot of
  // the notification the driver (and the kernel, when the driver stops)
  // rings, with those badges.
  constexpr Device_doorbell(uint64_t ring_driver, uint64_t wait, uint64_t responses_badge = device_queue::responses_bit,
                            uint64_t stopped_badge = device_queue::driver_stopped_bit)
      : ring_driver_(ring_driver), wait_(wait), responses_badge_(responses_badge), stopped_badge_(stopped_badge) {}
  constexpr explicit Device_doorbell(const Block_client_description& block)
      : Device_doorbell(block.ring_driver, block.wait, block.responses_badge, block.stopped_badge) {}
  constexpr explicit Device_doorbell(const Net_client_description& net)
      : Device_doorbell(net.ring_driver, net.wait, net.responses_badge, net.stopped_badge) {}

  // The signal is a system call: the kernel's lock on the notification word
  // orders this side's writes to the queue before the driver's reads.
  void ring() const { (void)signal(ring_driver_); }

  // Blocks until the word is non-zero and takes it, as device_queue's
  // responses_bit and driver_stopped_bit. A wait that fails (a slot the
  // policy did not give) reports the driver stopped: nothing else would
  // ever wake this side, and a client must not hang.
  uint64_t wait() const { return bits_of(kestrel::wait(wait_)); }

  // The same without blocking (0: nothing rang).
  uint64_t poll() const { return bits_of(kestrel::poll(wait_)); }

 private:
  uint64_t bits_of(const Syscall_result& word) const {
    if (word.status != abi::Status::ok) return device_queue::driver_stopped_bit;
    uint64_t bits = 0;
    if ((word.value & responses_badge_) != 0) bits |= device_queue::responses_bit;
    if ((word.value & stopped_badge_) != 0) bits |= device_queue::driver_stopped_bit;
    return bits;
  }

  uint64_t ring_driver_;
  uint64_t wait_;
  uint64_t responses_badge_;
  uint64_t stopped_badge_;
};

}  // namespace kestrel
