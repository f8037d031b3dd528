// SPDX-License-Identifier: Apache-2.0
// virtio-blk driver: an unprivileged partition that owns one of QEMU virt's
// virtio-mmio block devices (its MMIO page, its interrupt, DMA memory of its
// own) and serves each client's slice of the disk through the client's
// queue region (runtime/include/kestrel/device_queue.hpp; the policy and
// the generated kestrel::devices::block_drivers[0] say who, where and
// which slice; docs/devices.md, "Drivers").
//
// One round, each time its notification wakes it: the device's interrupt
// (acknowledged at the device, then irq_ack), the used chains taken back
// and answered into their clients' response rings, then the clients' new
// requests, each checked (block_request.hpp) and either answered at once or
// sent to the device as a chain of three descriptors: the request header
// and the status byte in the driver's DMA memory, the data in between
// straight from/to the client's slot (no copy: the device reaches the
// client's queue region by its physical address). Clients whose responses
// came are rung once per round.
//
// Fairness: a client gets at most requests_per_turn requests taken per
// turn, the turns go round, and the next round starts one client later, so
// a client that keeps its ring full cannot starve another. A client never
// has more requests in the device and answers in its response ring than
// the ring holds, so an answer always has room.
//
// Flush: with VIRTIO_BLK_F_FLUSH (QEMU offers it for a disk with a write
// cache) a client's flush becomes VIRTIO_BLK_T_FLUSH, answered when the
// device has flushed its cache: every write the device had completed, and
// so every write whose response the client had, is then stable. Without it
// the device has no write-back cache (virtio-blk's rule), a completed write
// is already stable, and a flush is answered ok at once.
//
// A device that breaks the rules (a used id not in flight, a used index
// running ahead) is given up on: FAILED set, everything in flight and
// every later request answered io_error; the clients keep running.
#include <kestrel/console.hpp>
#include <kestrel/device_description.hpp>
#include <kestrel/device_queue.hpp>
#include <kestrel/syscall.hpp>

#include "../virtio/driver_slots.hpp"
#include "../virtio/split_queue.hpp"
#include "../virtio/transport.hpp"
#include "block_request.hpp"

namespace {

namespace dq = kestrel::device_queue;
using Registers = virtio::Mmio_registers;

constexpr uint32_t queue_capacity = 256;  // descriptors: 85 requests of 3 in the device at once
constexpr uint32_t requests_per_turn = 4;
constexpr uint64_t no_record = ~uint64_t{0};

// A request's header and status byte, in DMA memory; one per chain.
struct Record {
  virtio_blk::Request_header header;
  uint8_t status;
  uint8_t pad[15];
};
static_assert(sizeof(Record) == 32);

// What the driver remembers of a request in the device (never in shared memory).
struct In_device {
  uint64_t tag;
  uint32_t slot;
  uint32_t client;
  uint32_t bytes_read;  // data bytes the device must write (reads); 0 otherwise
  bool used;
};

struct Client {
  dq::Consumer<dq::Block_request, dq::block_queue_depth> requests{nullptr};
  dq::Producer<dq::Block_response, dq::block_queue_depth> responses{nullptr};
  uint32_t in_device = 0;
  bool broken = false;  // its ring indices were impossible: no longer served
};

uint64_t ipc_buffer[kestrel::abi::max_message_words];
constinit kestrel::Console console = driver_slots::console_driver != kestrel::no_slot
                                         ? kestrel::Console(driver_slots::console_driver, driver_slots::partition_name)
                                         : kestrel::Console::kernel(driver_slots::kernel_console);

const kestrel::Block_driver_description* device = nullptr;
virtio::Transport<Registers> transport{Registers{0}};
virtio::Split_queue<queue_capacity> queue;
Record* records = nullptr;  // queue_capacity of them in DMA memory
uint64_t records_physical = 0;
In_device in_device[queue_capacity];
uint32_t free_records[queue_capacity];
uint32_t free_record_count = 0;
Client clients[dq::max_clients];
uint32_t client_count = 0;
uint32_t pending_clients = 0;  // bit i: client i may have requests waiting
uint32_t clients_to_ring = 0;
uint32_t next_first_client = 0;
bool flush_on_device = false;
bool device_broken = false;
bool published = false;

void respond(uint32_t index, uint64_t tag, uint32_t slot, dq::Block_status status) {
  Client& client = clients[index];
  if (client.responses.push(dq::Block_response{tag, slot, status}) != dq::Ring_status::ok) {
    // Room was kept for it, so only impossible indices of the client's get here.
    client.broken = true;
    console.printf("virtio-blk: client %s's response ring is corrupt; it is no longer served\n",
                   device->clients[index].name);
    return;
  }
  clients_to_ring |= 1U << index;
}

void finish(uint32_t record, dq::Block_status status) {
  In_device& request = in_device[record];
  request.used = false;
  --clients[request.client].in_device;
  free_records[free_record_count++] = record;
  respond(request.client, request.tag, request.slot, status);
}

void give_up_on_device(const char* why) {
  if (device_broken) return;
  device_broken = true;
  transport.set_failed();
  console.printf("virtio-blk: %s: the device %s; every request now ends in an I/O error\n", device->device, why);
  for (uint32_t record = 0; record < queue_capacity; ++record) {
    if (in_device[record].used) finish(record, dq::Block_status::io_error);
  }
}

// Answers the chains the device has used.
void take_used() {
  while (!device_broken) {
    uint64_t token = 0;
    uint32_t length = 0;
    const virtio::Used_status status = queue.take_used(token, length);
    if (status == virtio::Used_status::none) return;
    if (status == virtio::Used_status::bad_index || status == virtio::Used_status::bad_id) {
      give_up_on_device(status == virtio::Used_status::bad_id ? "used a chain it was not given"
                                                              : "claims more used chains than it has");
      return;
    }
    const uint32_t record = static_cast<uint32_t>(token);
    const uint8_t device_status = __atomic_load_n(&records[record].status, __ATOMIC_RELAXED);
    bool ok = status == virtio::Used_status::ok && device_status == virtio_blk::status_ok;
    // A read is whole only if the device wrote all its data and the status.
    if (ok && in_device[record].bytes_read != 0 && length != in_device[record].bytes_read + 1) ok = false;
    finish(record, ok ? dq::Block_status::ok : dq::Block_status::io_error);
  }
}

enum class Taken { one, empty, blocked };

// Takes client `index`'s next request: answered at once, or sent.
Taken take_request(uint32_t index) {
  Client& client = clients[index];
  const kestrel::Block_driver_client& description = device->clients[index];
  if (client.broken) return Taken::empty;
  if (client.responses.in_flight() + client.in_device >= dq::block_queue_depth) return Taken::blocked;
  dq::Block_request request;
  const dq::Ring_status ring = client.requests.peek(request);
  if (ring == dq::Ring_status::empty_or_full) return Taken::empty;
  if (ring == dq::Ring_status::corrupt) {
    client.broken = true;
    console.printf("virtio-blk: client %s's request ring is corrupt; it is no longer served\n", description.name);
    return Taken::empty;
  }
  const virtio_blk::Checked_request checked =
      virtio_blk::check_request(request, {description.first_sector, description.sectors, description.read_only});
  const bool flush = checked.status == dq::Block_status::ok && checked.type == virtio_blk::type_flush;
  if (checked.status != dq::Block_status::ok || device_broken || (flush && !flush_on_device)) {
    client.requests.advance();
    respond(index, request.tag, request.slot,
            checked.status != dq::Block_status::ok ? checked.status
            : device_broken                        ? dq::Block_status::io_error
                                                   : dq::Block_status::ok);
    return Taken::one;
  }
  const uint32_t descriptors = flush ? 2 : 3;
  if (free_record_count == 0 || queue.free_descriptors() < descriptors) return Taken::blocked;
  const uint32_t record = free_records[--free_record_count];
  records[record].header = {checked.type, 0, checked.disk_sector};
  records[record].status = 0xff;  // not a status the device sends: a chain used without one fails
  const uint64_t record_physical = records_physical + uint64_t{record} * sizeof(Record);
  virtio::Buffer buffers[3];
  uint32_t n = 0;
  buffers[n++] = {record_physical, sizeof(virtio_blk::Request_header), false};
  if (!flush) {
    buffers[n++] = {description.queue_physical + checked.slot_offset, checked.bytes,
                    checked.type == virtio_blk::type_in};
  }
  buffers[n++] = {record_physical + offsetof(Record, status), 1, true};
  queue.add(buffers, n, record);  // cannot fail: the descriptors were counted
#ifdef KESTREL_TEST_FAULT_AFTER_WRITES
  // The device tests' hook (tests/target/devices/faulting_blk_driver.cpp):
  // a driver that faults in the middle of its clients' writes, with
  // requests in the device, to show that its clients get errors and keep
  // running. Never defined in a driver a policy names.
  static uint32_t writes_sent = 0;
  if (checked.type == virtio_blk::type_out && ++writes_sent == KESTREL_TEST_FAULT_AFTER_WRITES) {
    console.printf("virtio-blk: test hook: faulting after %u writes\n", writes_sent);
    volatile uintptr_t unmapped = 8;  // volatile: the compiler may not see that it is no object
    *reinterpret_cast<volatile uint32_t*>(unmapped) = 0;
  }
#endif
  in_device[record] = {request.tag, request.slot, index, checked.type == virtio_blk::type_in ? checked.bytes : 0, true};
  ++client.in_device;
  client.requests.advance();
  published = true;
  return Taken::one;
}

// Rounds of at most requests_per_turn per client until no client has a
// request the driver can take now.
void serve_clients() {
  for (bool progress = true; progress && pending_clients != 0;) {
    progress = false;
    for (uint32_t k = 0; k < client_count; ++k) {
      const uint32_t index = (next_first_client + k) % client_count;
      if ((pending_clients >> index & 1) == 0) continue;
      for (uint32_t taken = 0; taken < requests_per_turn; ++taken) {
        const Taken result = take_request(index);
        if (result == Taken::empty) pending_clients &= ~(1U << index);
        if (result != Taken::one) break;
        progress = true;
      }
    }
    next_first_client = (next_first_client + 1) % client_count;
  }
  if (published) {
    queue.publish();
    if (queue.device_wants_notify()) transport.notify(0);
    published = false;
  }
}

void ring_clients() {
  for (uint32_t index = 0; index < client_count; ++index) {
    if ((clients_to_ring >> index & 1) != 0) kestrel::signal(device->clients[index].ring_client);
  }
  clients_to_ring = 0;
}

const char* probe_problem(virtio::Probe_status status) {
  switch (status) {
    case virtio::Probe_status::no_transport:
      return "is no virtio-mmio transport";
    case virtio::Probe_status::legacy:
      return "is a legacy (version 1) virtio-mmio transport";
    case virtio::Probe_status::no_device:
      return "has no device behind it";
    case virtio::Probe_status::wrong_device:
      return "is not a block device";
    default:
      return "is not usable";
  }
}

// Checks and sets the device up; false (and a line saying why) if it
// cannot serve the policy's disk.
bool start() {
  if (driver_slots::block_driver_count == 0) {
    console.printf("virtio-blk: the policy gives this partition no block device to drive\n");
    return false;
  }
  device = &driver_slots::block_drivers[0];
  if (driver_slots::block_driver_count > 1)
    console.printf("virtio-blk: driving %s only; one driver partition per block device\n", device->device);
  transport = virtio::Transport<Registers>{Registers{device->mmio_address}};
  const virtio::Probe_status probe = transport.probe(virtio::device_block);
  if (probe != virtio::Probe_status::ok) {
    console.printf("virtio-blk: %s: not started: its transport %s (device id %u)\n", device->device,
                   probe_problem(probe), transport.device_id());
    return false;
  }
  uint64_t features = 0;
  const uint64_t wanted =
      virtio::feature_bit(virtio_blk::feature_flush) | virtio::feature_bit(virtio_blk::feature_read_only);
  if (transport.negotiate(wanted, 0, features) != virtio::Negotiation_status::ok) {
    console.printf("virtio-blk: %s: not started: the device refused virtio 1 feature negotiation\n", device->device);
    return false;
  }
  flush_on_device = (features & virtio::feature_bit(virtio_blk::feature_flush)) != 0;
  const uint64_t capacity = transport.config64(virtio_blk::config_capacity);
  if (capacity < device->disk_sectors || !virtio_blk::slices_fit(*device, capacity)) {
    console.printf("virtio-blk: %s: not started: the disk has %llu sectors, the policy needs %llu\n", device->device,
                   static_cast<unsigned long long>(capacity), static_cast<unsigned long long>(device->disk_sectors));
    transport.set_failed();
    return false;
  }
  client_count = device->client_count < dq::max_clients ? device->client_count : dq::max_clients;
  const bool device_read_only = (features & virtio::feature_bit(virtio_blk::feature_read_only)) != 0;
  for (uint32_t i = 0; i < client_count; ++i) {
    if (device_read_only && !device->clients[i].read_only) {
      console.printf("virtio-blk: %s: not started: the disk is read-only, client %s may write\n", device->device,
                     device->clients[i].name);
      transport.set_failed();
      return false;
    }
  }
  uint32_t size = queue_capacity;
  const uint32_t most = transport.queue_size_max(0);
  while (size > most) size /= 2;
  const uint64_t queue_bytes = virtio::queue_layout(queue_capacity).bytes;
  if (size < 4 || device->dma_size < queue_bytes + queue_capacity * sizeof(Record)) {
    console.printf("virtio-blk: %s: not started: queue of %u entries, %llu bytes of DMA memory\n", device->device, most,
                   static_cast<unsigned long long>(device->dma_size));
    transport.set_failed();
    return false;
  }
  queue.init(reinterpret_cast<void*>(device->dma_address), device->dma_physical, size);
  records = reinterpret_cast<Record*>(device->dma_address + queue_bytes);
  records_physical = device->dma_physical + queue_bytes;
  for (uint32_t i = 0; i < queue_capacity; ++i) free_records[free_record_count++] = queue_capacity - 1 - i;
  if (transport.set_up_queue(0, size, queue.addresses()) != virtio::Queue_status::ok) {
    console.printf("virtio-blk: %s: not started: the device refused its request queue\n", device->device);
    transport.set_failed();
    return false;
  }
  for (uint32_t i = 0; i < client_count; ++i) {
    auto* header = reinterpret_cast<dq::Block_queue_header*>(device->clients[i].queue_address);
    clients[i].requests = decltype(clients[i].requests)(&header->requests);
    clients[i].responses = decltype(clients[i].responses)(&header->responses);
  }
  transport.driver_ok();
  console.printf("virtio-blk: %s: %llu sectors, %u clients, queue of %u, flush %s\n", device->device,
                 static_cast<unsigned long long>(capacity), client_count, size,
                 flush_on_device ? "by the device" : "not needed (write-through)");
  // Requests pushed before the driver ran rang a notification it now reads.
  pending_clients = client_count == 32 ? ~0U : (1U << client_count) - 1;
  return true;
}

}  // namespace

extern "C" int main() {
  kestrel::set_ipc_buffer(ipc_buffer);
  if (!start()) return 1;
  for (;;) {
    serve_clients();
    ring_clients();
    const uint64_t bits = kestrel::wait(device->wait).value;
    if ((bits & dq::device_interrupt_bit) != 0) {
      transport.take_interrupt();
      kestrel::irq_ack(device->interrupt);
    }
    take_used();
    pending_clients |= static_cast<uint32_t>(bits >> 1);
  }
}
