// SPDX-License-Identifier: Apache-2.0
// Map IPCM: the memory_map target test's IPCM (images/memory-map.capnp).
// Passive: on peer's first call it tries every map the policy forbids, then
// maps pool page 0 (holding a pattern) into peer's window page 0; on the
// second it checks what peer wrote there and unmaps it.
#include <kestrel/syscall.hpp>

namespace {

// Slots, in the policy's order: the endpoint it serves, the console, its
// pool, then a map_into per tunnel end (peer read-write, other read-only).
constexpr uint64_t endpoint = 0, console = 1, pool = 2, into_peer = 3, into_other = 4, not_held = 40;
constexpr uint64_t pool_pages = 4, window_pages = 4;
constexpr uint64_t read = kestrel::abi::map_read, read_write = read | kestrel::abi::map_write;
auto* const pool_memory = reinterpret_cast<volatile uint64_t*>(0x900000);

using kestrel::abi::Status;

bool refused(const char* what, Status status, Status expected) {
  kestrel::console_print(console, status == expected ? "hostile map refused: " : "hostile map NOT refused right: ");
  kestrel::console_print(console, what);
  kestrel::console_print_line(console, ", status ", static_cast<uint64_t>(status));
  return status == expected;
}

// Everything the policy forbids the IPCM; true if every attempt was refused
// with its documented status.
bool try_forbidden_maps() {
  bool all = true;
  all &= refused("a page outside the pool", kestrel::memory_map(pool, pool_pages, 1, into_peer, 0, read),
                 Status::invalid_argument);
  all &= refused("a range reaching past the pool", kestrel::memory_map(pool, 3, 2, into_peer, 0, read),
                 Status::invalid_argument);
  all &= refused("outside the window", kestrel::memory_map(pool, 0, 1, into_peer, window_pages, read),
                 Status::invalid_argument);
  all &= refused("more rights than allowed", kestrel::memory_map(pool, 0, 1, into_other, 0, read_write),
                 Status::missing_right);
  all &= refused("executable", kestrel::memory_map(pool, 0, 1, into_peer, 0, 7), Status::invalid_argument);
  all &= refused("a map_into it does not hold", kestrel::memory_map(pool, 0, 1, not_held, 0, read),
                 Status::invalid_capability);
  // It can name no memory but its pool: its console or endpoint capability,
  // or a window, is no pool.
  all &= refused("its own memory as pool", kestrel::memory_map(console, 0, 1, into_peer, 0, read),
                 Status::wrong_capability_type);
  all &= refused("another partition's memory as pool", kestrel::memory_map(into_other, 0, 1, into_peer, 0, read),
                 Status::wrong_capability_type);
  all &= refused("an unmap of what it never mapped", kestrel::memory_unmap(into_peer, 1, 1), Status::invalid_argument);
  return all;
}

}  // namespace

extern "C" int main() {
  uint64_t answer[5] = {};
  kestrel::Message message = kestrel::receive(endpoint);
  for (;;) {
    if (message.label() == 1) {  // open
      if (try_forbidden_maps()) kestrel::console_print(console, "every forbidden map was refused\n");
      pool_memory[0] = 0x1234'5678;
      answer[0] = static_cast<uint64_t>(kestrel::memory_map(pool, 0, 1, into_peer, 0, read_write));
    } else {  // close: peer wrote its answer
      kestrel::console_print_line(console, "peer wrote ", pool_memory[1]);
      answer[0] = static_cast<uint64_t>(kestrel::memory_unmap(into_peer, 0, 1));
    }
    message = kestrel::reply_and_receive(endpoint, 0, answer, 1);
  }
}
