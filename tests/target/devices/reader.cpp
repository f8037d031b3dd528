// SPDX-License-Identifier: Apache-2.0
// The native block client of the device tests (tests/target/images/
// devices.capnp.in): its read-only slice of the shared disk must read back
// as exactly the host's pattern (disk_pattern.hpp), sector by sector, at the
// slice's place on the disk. Then it goes round the client library and puts
// requests the library would refuse straight into its ring, so that the
// driver's own checks answer them: a sector past the slice is
// outside_slice, a write is read_only; the disk beyond the slice stays out
// of reach whatever this partition does. Then it waits for the driver to
// stop, which it does only in the fault test.
#include <kestrel/block_client.hpp>
#include <kestrel/console.hpp>
#include <kestrel/slots.hpp>

#include "disk_pattern.hpp"

namespace {

namespace dq = kestrel::device_queue;

constinit kestrel::Console console{kestrel::slots::call_console, kestrel::slots::partition_name};
constexpr const kestrel::Block_client_description& slice = kestrel::devices::block_clients[0];
constinit kestrel::Block_client disk{slice};
// The slice's first sector on the disk: the pattern depends on the disk's
// sector numbers, not the slice's. The policy's firstSector.
constexpr uint64_t first_disk_sector = 67584;  // devices.capnp.in: reader's firstSector

alignas(8) uint8_t buffer[dq::block_slot_bytes];

const char* name_of(dq::Block_status status) {
  switch (status) {
    case dq::Block_status::ok:
      return "ok";
    case dq::Block_status::io_error:
      return "io_error";
    case dq::Block_status::outside_slice:
      return "outside_slice";
    case dq::Block_status::read_only:
      return "read_only";
    case dq::Block_status::bad_request:
      return "bad_request";
    case dq::Block_status::driver_stopped:
      return "driver_stopped";
  }
  return "unknown";
}

// Reads the whole slice, 64 KiB at a time, and checks every sector.
bool read_the_pattern() {
  constexpr uint64_t chunk = dq::block_slot_sectors;
  for (uint64_t sector = 0; sector < slice.sectors; sector += chunk) {
    const uint64_t count = slice.sectors - sector < chunk ? slice.sectors - sector : chunk;
    if (const dq::Block_status status = disk.read(sector, static_cast<uint32_t>(count), buffer);
        status != dq::Block_status::ok) {
      console.printf("read of sectors %lu+%lu: %s (FAILED)\n", sector, count, name_of(status));
      return false;
    }
    for (uint64_t s = 0; s < count; ++s) {
      const auto* words = reinterpret_cast<const uint64_t*>(buffer + s * dq::sector_bytes);
      const uint64_t disk_sector = first_disk_sector + sector + s;
      if (const uint64_t w = kestrel::test_disk::first_wrong_word(words, disk_sector);
          w != kestrel::test_disk::words_per_sector) {
        console.printf("slice sector %lu (disk sector %lu) word %lu is 0x%lx, not the pattern (FAILED)\n", sector + s,
                       disk_sector, w, words[w]);
        return false;
      }
    }
  }
  return true;
}

// One request put into the ring as it is, the client library bypassed;
// the driver's answer. The library has nothing in flight by now, so the
// ring's places follow its own count.
dq::Block_status raw_request(dq::Block_operation operation, uint64_t sector, uint32_t sectors) {
  auto* header = reinterpret_cast<dq::Block_queue_header*>(slice.queue_address);
  const uint32_t produced = __atomic_load_n(&header->requests.produced, __ATOMIC_RELAXED);
  const uint32_t consumed = __atomic_load_n(&header->responses.consumed, __ATOMIC_RELAXED);
  dq::Producer<dq::Block_request, dq::block_queue_depth> requests{&header->requests, produced};
  dq::Consumer<dq::Block_response, dq::block_queue_depth> responses{&header->responses, consumed};
  const dq::Block_request request{
      .tag = 0x7e57, .sector = sector, .sectors = sectors, .slot = 0, .operation = operation, .reserved = 0};
  if (requests.push(request) != dq::Ring_status::ok) return dq::Block_status::bad_request;
  kestrel::signal(slice.ring_driver);
  dq::Block_response response{};
  while (responses.pop(response) != dq::Ring_status::ok) {
    const kestrel::Syscall_result word = kestrel::wait(slice.wait);
    if (word.status != kestrel::abi::Status::ok || (word.value & slice.stopped_badge) != 0) {
      return dq::Block_status::driver_stopped;
    }
  }
  return response.tag == 0x7e57 ? response.status : dq::Block_status::io_error;
}

}  // namespace

extern "C" int main() {
  console.printf("slice of %lu sectors at disk sector %lu, read-only %s\n", slice.sectors, first_disk_sector,
                 slice.read_only ? "yes" : "no");
  if (read_the_pattern()) console.printf("read all %lu sectors of its slice: the host's pattern\n", slice.sectors);
  // The library refuses these itself...
  console.printf("library: write %s, read past the slice %s\n", name_of(disk.write(0, 1, buffer)),
                 name_of(disk.read(slice.sectors, 1, buffer)));
  // ...and so does the driver when they come anyway.
  console.printf("driver: read past the slice %s\n", name_of(raw_request(dq::Block_operation::read, slice.sectors, 1)));
  console.printf("driver: read across the slice's end %s\n",
                 name_of(raw_request(dq::Block_operation::read, slice.sectors - 1, 2)));
  console.printf("driver: write %s\n", name_of(raw_request(dq::Block_operation::write, 0, 1)));
  console.printf("done\n");
  // Until the driver stops (never, unless it faults): the kernel rings the
  // doorbell with the stopped bit, and the reader says so.
  for (;;) {
    const kestrel::Syscall_result word = kestrel::wait(slice.wait);
    if (word.status != kestrel::abi::Status::ok) break;
    if ((word.value & slice.stopped_badge) != 0) {
      disk.notice(dq::driver_stopped_bit);
      console.printf("told that the driver stopped; a read now ends in %s\n", name_of(disk.read(0, 1, buffer)));
      break;
    }
  }
  return 0;
}
