// SPDX-License-Identifier: Apache-2.0
// virtio-net driver: the virtual switch. An unprivileged partition that
// serves a network's ports (each a client's queue region, runtime/include/
// kestrel/device_queue.hpp; the policy and the generated
// kestrel::devices::net_drivers[0] say who, where, each port's MAC and
// whom it may reach) and, when the network has one, owns the NIC: one of
// QEMU virt's virtio-mmio net devices (its MMIO page, its interrupt, DMA
// memory of its own). A network without a NIC (mmio_address 0) is a switch
// between its ports only.
//
// switch.hpp decides where a frame goes. Frames are copied: once out of
// the sender's transmit slot (and checked on the copy), then into each
// receiver's receive slot, or into a DMA buffer behind a zeroed 12-byte
// virtio_net_hdr for the NIC. The NIC's receive queue holds DMA buffers of
// the driver's, refilled as they are used; its transmit buffers come back
// when the device has used them.
//
// Fairness: at most frames_per_turn frames per port per turn, turns going
// round. A port that may reach outside is not served while no NIC
// transmit buffer is free (its frames wait in its ring rather than being
// dropped); a receiver whose ring is full loses the frame (counted), as an
// Ethernet port would. A port whose frames were taken is rung (its
// responses bit) once the round is over, as one that got frames is: a
// sender whose transmit ring was full waits for that ring. The counters
// (frames forwarded, sent out, received, dropped by reason) are printed
// whenever the number of drops reaches a power of two: the first drops
// show at once, a stream of them does not flood the console.
#include <kestrel/console.hpp>
#include <kestrel/device_description.hpp>
#include <kestrel/device_queue.hpp>
#include <kestrel/syscall.hpp>

#include "../virtio/driver_slots.hpp"
#include "../virtio/split_queue.hpp"
#include "../virtio/transport.hpp"
#include "switch.hpp"

namespace {

namespace dq = kestrel::device_queue;
using Registers = virtio::Mmio_registers;
using virtual_switch::Drop;

constexpr uint32_t nic_queue_capacity = 64;  // buffers per direction
constexpr uint32_t buffer_bytes = 2048;      // a virtio_net_hdr and the largest frame
constexpr uint32_t net_header_bytes = 12;    // virtio_net_hdr with VIRTIO_F_VERSION_1
constexpr uint32_t frames_per_turn = 8;
constexpr uint32_t receive_queue = 0;
constexpr uint32_t transmit_queue = 1;
constexpr unsigned feature_mac = 5;  // VIRTIO_NET_F_MAC
static_assert(net_header_bytes + dq::net_max_frame_bytes <= buffer_bytes);

struct Port {
  dq::Consumer<dq::Net_frame, dq::net_queue_depth> transmit{nullptr};
  dq::Producer<dq::Net_frame, dq::net_queue_depth> receive{nullptr};
  bool broken = false;  // its ring indices were impossible: no longer served
};

struct Counters {
  uint64_t forwarded;     // frames put in a port's receive ring
  uint64_t sent_out;      // frames given to the NIC
  uint64_t received;      // frames the NIC received
  uint64_t ring_full;     // a receiver's ring had no room
  uint64_t nic_failed;    // frames for outside with no working NIC
  uint64_t bad_from_nic;  // NIC buffers with an impossible length
  uint64_t drops[static_cast<uint32_t>(Drop::count)];
};

uint64_t ipc_buffer[kestrel::abi::max_message_words];
constinit kestrel::Console console = driver_slots::console_driver != kestrel::no_slot
                                         ? kestrel::Console(driver_slots::console_driver, driver_slots::partition_name)
                                         : kestrel::Console::kernel(driver_slots::kernel_console);

const kestrel::Net_driver_description* network = nullptr;
Port ports[dq::max_clients];
virtual_switch::Port switch_ports[dq::max_clients];
uint32_t port_count = 0;
uint32_t pending_ports = 0;  // bit i: port i may have frames waiting
uint32_t ports_to_ring = 0;
uint32_t next_first_port = 0;
Counters counters;
uint64_t drops_total = 0;

bool nic_working = false;
virtio::Transport<Registers> nic{Registers{0}};
virtio::Split_queue<nic_queue_capacity> nic_receive;
virtio::Split_queue<nic_queue_capacity> nic_transmit;
uint8_t* receive_buffers = nullptr;  // nic_queue_capacity buffers each, in DMA memory
uint8_t* transmit_buffers = nullptr;
uint64_t receive_buffers_physical = 0;
uint64_t transmit_buffers_physical = 0;
uint32_t free_transmit[nic_queue_capacity];
uint32_t free_transmit_count = 0;
bool receive_published = false;
bool transmit_published = false;

alignas(8) uint8_t frame[dq::net_max_frame_bytes];  // the frame being switched, copied out

void print_counters() {
  console.printf("virtio-net: %s: forwarded %llu, sent out %llu, received %llu; dropped:", network->network,
                 static_cast<unsigned long long>(counters.forwarded),
                 static_cast<unsigned long long>(counters.sent_out),
                 static_cast<unsigned long long>(counters.received));
  for (uint32_t reason = 1; reason < static_cast<uint32_t>(Drop::count); ++reason) {
    console.printf(" %s %llu,", virtual_switch::drop_names[reason],
                   static_cast<unsigned long long>(counters.drops[reason]));
  }
  console.printf(
      " ring full %llu, NIC failed %llu, bad from NIC %llu\n", static_cast<unsigned long long>(counters.ring_full),
      static_cast<unsigned long long>(counters.nic_failed), static_cast<unsigned long long>(counters.bad_from_nic));
}

void count_drop(uint64_t& counter) {
  ++counter;
  ++drops_total;
  if ((drops_total & (drops_total - 1)) == 0) print_counters();
}

void give_up_on_nic(const char* why) {
  if (!nic_working) return;
  nic_working = false;
  nic.set_failed();
  console.printf("virtio-net: %s: the NIC %s; the switch goes on between its ports\n", network->network, why);
}

void deliver_to_port(uint32_t j, const uint8_t* bytes, uint32_t length) {
  Port& port = ports[j];
  if (port.broken) return count_drop(counters.ring_full);
  const uint32_t used = port.receive.in_flight();
  if (used > dq::net_queue_depth) {
    port.broken = true;
    console.printf("virtio-net: port %s's receive ring is corrupt; it is no longer served\n", network->ports[j].name);
    return count_drop(counters.ring_full);
  }
  if (used == dq::net_queue_depth) return count_drop(counters.ring_full);
  auto* slot =
      reinterpret_cast<uint8_t*>(network->ports[j].queue_address + dq::net_receive_slot_offset(port.receive.next()));
  __builtin_memcpy(slot, bytes, length);
  port.receive.push(dq::Net_frame{length, 0});
  ports_to_ring |= 1U << j;
  ++counters.forwarded;
}

void send_out(const uint8_t* bytes, uint32_t length) {
  if (!nic_working || free_transmit_count == 0) return count_drop(counters.nic_failed);
  const uint32_t buffer = free_transmit[--free_transmit_count];
  uint8_t* place = transmit_buffers + uint64_t{buffer} * buffer_bytes;
  __builtin_memset(place, 0, net_header_bytes);  // no offloads: flags, gso_type... all 0
  __builtin_memcpy(place + net_header_bytes, bytes, length);
  const virtio::Buffer chain{transmit_buffers_physical + uint64_t{buffer} * buffer_bytes, net_header_bytes + length,
                             false};
  nic_transmit.add(&chain, 1, buffer);  // a free buffer means a free descriptor: one each
  transmit_published = true;
  ++counters.sent_out;
}

void deliver(const virtual_switch::Decision& decision, const uint8_t* bytes, uint32_t length) {
  if (decision.drop != Drop::none) return count_drop(counters.drops[static_cast<uint32_t>(decision.drop)]);
  for (uint32_t j = 0; j < port_count; ++j) {
    if ((decision.ports >> j & 1) != 0) deliver_to_port(j, bytes, length);
  }
  if (decision.outside) send_out(bytes, length);
}

enum class Taken { one, empty, blocked };

Taken take_frame(const virtual_switch::Switch& the_switch, uint32_t index) {
  Port& port = ports[index];
  if (port.broken) return Taken::empty;
  if (nic_working && (network->ports[index].reaches & virtual_switch::outside_bit) != 0 && free_transmit_count == 0)
    return Taken::blocked;
  dq::Net_frame entry;
  const dq::Ring_status ring = port.transmit.peek(entry);
  if (ring == dq::Ring_status::empty_or_full) return Taken::empty;
  if (ring == dq::Ring_status::corrupt) {
    port.broken = true;
    console.printf("virtio-net: port %s's transmit ring is corrupt; it is no longer served\n",
                   network->ports[index].name);
    return Taken::empty;
  }
  const uint32_t length = entry.length;
  if (length < dq::net_min_frame_bytes || length > dq::net_max_frame_bytes) {
    port.transmit.advance();
    ports_to_ring |= 1U << index;
    count_drop(counters.drops[static_cast<uint32_t>(Drop::bad_length)]);
    return Taken::one;
  }
  __builtin_memcpy(frame,
                   reinterpret_cast<const uint8_t*>(network->ports[index].queue_address +
                                                    dq::net_transmit_slot_offset(port.transmit.consumed())),
                   length);
  port.transmit.advance();
  ports_to_ring |= 1U << index;  // room in its transmit ring: its frames may wait for it
  deliver(the_switch.from_port(index, frame, length), frame, length);
  return Taken::one;
}

void serve_ports(const virtual_switch::Switch& the_switch) {
  for (bool progress = true; progress && pending_ports != 0;) {
    progress = false;
    for (uint32_t k = 0; k < port_count; ++k) {
      const uint32_t index = (next_first_port + k) % port_count;
      if ((pending_ports >> index & 1) == 0) continue;
      for (uint32_t taken = 0; taken < frames_per_turn; ++taken) {
        const Taken result = take_frame(the_switch, index);
        if (result == Taken::empty) pending_ports &= ~(1U << index);
        if (result != Taken::one) break;
        progress = true;
      }
    }
    next_first_port = (next_first_port + 1) % port_count;
  }
}

void refill_receive(uint32_t buffer) {
  const virtio::Buffer chain{receive_buffers_physical + uint64_t{buffer} * buffer_bytes, buffer_bytes, true};
  nic_receive.add(&chain, 1, buffer);
  receive_published = true;
}

// The NIC's used buffers: received frames switched, transmit buffers freed.
void take_from_nic(const virtual_switch::Switch& the_switch) {
  for (; nic_working;) {
    uint64_t token = 0;
    uint32_t length = 0;
    const virtio::Used_status status = nic_transmit.take_used(token, length);
    if (status == virtio::Used_status::none) break;
    if (status == virtio::Used_status::bad_index || status == virtio::Used_status::bad_id)
      return give_up_on_nic("broke its transmit queue");
    free_transmit[free_transmit_count++] = static_cast<uint32_t>(token);
  }
  for (; nic_working;) {
    uint64_t token = 0;
    uint32_t length = 0;
    const virtio::Used_status status = nic_receive.take_used(token, length);
    if (status == virtio::Used_status::none) break;
    if (status == virtio::Used_status::bad_index || status == virtio::Used_status::bad_id)
      return give_up_on_nic("broke its receive queue");
    const uint32_t buffer = static_cast<uint32_t>(token);
    if (status != virtio::Used_status::ok || length < net_header_bytes + dq::net_min_frame_bytes ||
        length > net_header_bytes + dq::net_max_frame_bytes) {
      count_drop(counters.bad_from_nic);
    } else {
      ++counters.received;
      // Copied out first: the device may not touch it again, but the copy is what was checked.
      __builtin_memcpy(frame, receive_buffers + uint64_t{buffer} * buffer_bytes + net_header_bytes,
                       length - net_header_bytes);
      deliver(the_switch.from_outside(frame, length - net_header_bytes), frame, length - net_header_bytes);
    }
    refill_receive(buffer);
  }
}

void publish_to_nic() {
  if (receive_published) {
    nic_receive.publish();
    if (nic_receive.device_wants_notify()) nic.notify(receive_queue);
    receive_published = false;
  }
  if (transmit_published) {
    nic_transmit.publish();
    if (nic_transmit.device_wants_notify()) nic.notify(transmit_queue);
    transmit_published = false;
  }
}

void ring_ports() {
  for (uint32_t j = 0; j < port_count; ++j) {
    if ((ports_to_ring >> j & 1) != 0) kestrel::signal(network->ports[j].ring_client);
  }
  ports_to_ring = 0;
}

bool set_up_queue(virtio::Split_queue<nic_queue_capacity>& queue, uint32_t index, uint64_t offset) {
  const uint32_t most = nic.queue_size_max(index);
  uint32_t size = nic_queue_capacity;
  while (size > most) size /= 2;
  if (size < 2) return false;
  queue.init(reinterpret_cast<void*>(network->dma_address + offset), network->dma_physical + offset, size);
  return nic.set_up_queue(index, size, queue.addresses()) == virtio::Queue_status::ok;
}

// The NIC, if the network has one; false (and a line saying why) if it
// cannot be used.
bool start_nic() {
  nic = virtio::Transport<Registers>{Registers{network->mmio_address}};
  const virtio::Probe_status probe = nic.probe(virtio::device_net);
  if (probe != virtio::Probe_status::ok) {
    console.printf("virtio-net: %s: not started: the transport is no virtio 1 net device (device id %u)\n",
                   network->network, nic.device_id());
    return false;
  }
  uint64_t features = 0;
  if (nic.negotiate(virtio::feature_bit(feature_mac), 0, features) != virtio::Negotiation_status::ok) {
    console.printf("virtio-net: %s: not started: the NIC refused virtio 1 feature negotiation\n", network->network);
    return false;
  }
  const uint64_t queue_bytes = virtio::queue_layout(nic_queue_capacity).bytes;
  const uint64_t needed = 2 * queue_bytes + 2 * uint64_t{nic_queue_capacity} * buffer_bytes;
  if (network->dma_size < needed) {
    console.printf("virtio-net: %s: not started: %llu bytes of DMA memory, %llu needed\n", network->network,
                   static_cast<unsigned long long>(network->dma_size), static_cast<unsigned long long>(needed));
    nic.set_failed();
    return false;
  }
  if (!set_up_queue(nic_receive, receive_queue, 0) || !set_up_queue(nic_transmit, transmit_queue, queue_bytes)) {
    console.printf("virtio-net: %s: not started: the NIC refused its queues\n", network->network);
    nic.set_failed();
    return false;
  }
  receive_buffers = reinterpret_cast<uint8_t*>(network->dma_address + 2 * queue_bytes);
  receive_buffers_physical = network->dma_physical + 2 * queue_bytes;
  transmit_buffers = receive_buffers + uint64_t{nic_queue_capacity} * buffer_bytes;
  transmit_buffers_physical = receive_buffers_physical + uint64_t{nic_queue_capacity} * buffer_bytes;
  for (uint32_t i = 0; i < nic_receive.size(); ++i) refill_receive(i);
  for (uint32_t i = 0; i < nic_transmit.size(); ++i) free_transmit[free_transmit_count++] = i;
  nic.driver_ok();
  nic_working = true;
  uint8_t mac[6] = {};
  for (uint32_t i = 0; i < 6; ++i) mac[i] = nic.config8(i);
  console.printf("virtio-net: %s: NIC %02x:%02x:%02x:%02x:%02x:%02x, queues of %u and %u\n", network->network, mac[0],
                 mac[1], mac[2], mac[3], mac[4], mac[5], nic_receive.size(), nic_transmit.size());
  return true;
}

bool start() {
  if (driver_slots::net_driver_count == 0) {
    console.printf("virtio-net: the policy gives this partition no network to serve\n");
    return false;
  }
  network = &driver_slots::net_drivers[0];
  if (driver_slots::net_driver_count > 1)
    console.printf("virtio-net: serving %s only; one driver partition per network\n", network->network);
  port_count = network->port_count < dq::max_clients ? network->port_count : dq::max_clients;
  if (port_count == 0) {
    console.printf("virtio-net: %s: not started: no ports\n", network->network);
    return false;
  }
  for (uint32_t i = 0; i < port_count; ++i) {
    auto* header = reinterpret_cast<dq::Net_queue_header*>(network->ports[i].queue_address);
    ports[i].transmit = decltype(ports[i].transmit)(&header->transmit);
    ports[i].receive = decltype(ports[i].receive)(&header->receive);
    for (uint32_t b = 0; b < 6; ++b) switch_ports[i].mac[b] = network->ports[i].mac[b];
    switch_ports[i].reaches = network->ports[i].reaches;
  }
  if (network->mmio_address != 0 && !start_nic()) return false;
  console.printf("virtio-net: %s: switching %u ports%s\n", network->network, port_count,
                 network->mmio_address != 0 ? " and the NIC" : " (no NIC)");
  pending_ports = port_count == 32 ? ~0U : (1U << port_count) - 1;
  return true;
}

}  // namespace

extern "C" int main() {
  kestrel::set_ipc_buffer(ipc_buffer);
  if (!start()) return 1;
  const virtual_switch::Switch the_switch(switch_ports, port_count, network->mmio_address != 0);
  for (;;) {
    serve_ports(the_switch);
    publish_to_nic();
    ring_ports();
    const uint64_t bits = kestrel::wait(network->wait).value;
    if ((bits & dq::device_interrupt_bit) != 0 && network->mmio_address != 0) {
      nic.take_interrupt();
      kestrel::irq_ack(network->interrupt);
    }
    take_from_nic(the_switch);
    pending_ports |= static_cast<uint32_t>(bits >> 1);
  }
}
