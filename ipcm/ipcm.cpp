// SPDX-License-Identifier: Apache-2.0
// The IPCM partition's program (docs/ipcm.md): a passive server on the
// IPCM's endpoint. Each call is one request of the protocol; the badge the
// kernel delivers names the client. ipcm::Manager decides, and calls the
// kernel through the adapter below to map and unmap pool pages and to ring
// doorbells; the pool is the IPCM's own memory region, which is where it
// zeroes pages. `kestrel build` builds it for a policy whose IPCM partition
// names `program = ".../ipcm/ipcm.cpp"`: kestrel/slots.hpp then holds the
// compiled tunnel table (kestrel::tunnels::table) and the sizes below.
//
// A second thread, the watcher (Ipcm.watcher), hears from the kernel that
// tunnel ends stopped or restarted and calls the IPCM like a client, with
// the IPCM's own badge: so only the serving thread ever touches the manager,
// one request at a time, and the work runs on the watcher's own time.
#include <kestrel/console.hpp>
#include <kestrel/ipcm/manager.hpp>
#include <kestrel/serve.hpp>
#include <kestrel/slots.hpp>
#include <kestrel/syscall.hpp>

#include "src/server.hpp"

namespace {

namespace abi = kestrel::abi;
namespace ipcm = kestrel::ipcm;
namespace tunnels = kestrel::tunnels;

// The manager's way to the kernel. The kernel checks every call against the
// IPCM's capabilities (pool, "map into" per end, doorbell signals), so a
// wrong decision here can refuse or mix up tunnels, never reach memory the
// policy keeps from the IPCM.
struct Kernel {
  uint32_t pool_slot = abi::tunnel_no_slot;

  bool map(const ipcm::Map_call& call) const {
    return kestrel::memory_map(pool_slot, call.pool_page, call.pages, call.map_into_slot, call.window_page,
                               call.rights) == abi::Status::ok;
  }
  bool unmap(const ipcm::Unmap_call& call) const {
    return kestrel::memory_unmap(call.map_into_slot, call.window_page, call.pages) == abi::Status::ok;
  }
  // The badge is the capability's: the policy gives the IPCM's doorbell
  // capabilities doorbell_from_ipcm.
  void signal(uint32_t slot, uint64_t) const { kestrel::signal(slot); }
};

using Manager =
    ipcm::Manager<Kernel, tunnels::tunnel_count, tunnels::instance_count, tunnels::client_count, tunnels::pool_pages>;

constinit Kernel kernel;
constinit Manager manager{kernel};
constinit kestrel::Console console = kestrel::Console::kernel(tunnels::console);

kestrel::Outgoing request(const kestrel::Incoming& message) {
  uint64_t words[ipcm::request_words];
  for (uint64_t i = 0; i < ipcm::request_words; ++i) words[i] = message.word(i);
  const uint64_t length = message.length() < ipcm::request_words ? message.length() : ipcm::request_words;
  uint64_t reply[ipcm::reply_words];
  ipcm::answer(manager, message.badge(), message.label(), words, length, tunnels::watcher_badge, reply);
  kestrel::Outgoing out(ipcm::message_label);
  for (const uint64_t word : reply) out.add(word);
  return out;
}

// The watcher's loop: each word from the kernel names the ends (table
// clients, one bit each) that stopped or restarted since the last one.
[[noreturn]] void watch() {
  kestrel::Console watcher_console = kestrel::Console::kernel(tunnels::console);  // one Console per thread
  for (;;) {
    const kestrel::Syscall_result word = kestrel::wait(tunnels::ends_stopped);
    if (word.status != abi::Status::ok) {
      if (tunnels::console != ~uint64_t{0}) {
        watcher_console.printf("watcher cannot wait: status %u\n", static_cast<unsigned>(word.status));
      }
      kestrel::thread_exit();
    }
    kestrel::Outgoing message(ipcm::message_label);
    message.add(static_cast<uint64_t>(ipcm::Operation::ends_stopped));
    message.add(word.value);
    const kestrel::Incoming reply = kestrel::call(tunnels::watcher_call, message);
    if (tunnels::console == ~uint64_t{0}) continue;
    if (reply.status() != abi::Status::ok || reply.word(0) != static_cast<uint64_t>(ipcm::Status::ok)) {
      watcher_console.printf("ends 0x%lx stopped: the IPCM refused to close their tunnels (call %u, status %lu)\n",
                             word.value, static_cast<unsigned>(reply.status()), reply.word(0));
    } else {
      watcher_console.printf("ends 0x%lx stopped or restarted: closed %lu tunnel instances\n", word.value,
                             reply.word(3));
    }
  }
}

// Says what it serves, or why the table was refused, where there is a
// console to say it on.
void report(ipcm::Start_error error, const ipcm::Tunnel_table& table) {
  if (tunnels::console == ~uint64_t{0}) return;
  if (error == ipcm::Start_error::none) {
    console.printf("serving %u tunnels to %u clients from a pool of %u pages\n", table.tunnel_count(),
                   table.client_count(), table.header().pool_pages);
  } else {
    console.printf("cannot serve tunnels: start error %u, table error %u\n", static_cast<unsigned>(error),
                   static_cast<unsigned>(manager.table_error()));
  }
}

}  // namespace

extern "C" int main() {
  if constexpr (tunnels::watcher != ~uint64_t{0}) {
    if (static_cast<uint64_t>(&kestrel::slots::this_thread() - kestrel::slots::threads) == tunnels::watcher) watch();
  }
  // The pool's place and capability come from the table; the manager checks
  // it whole before anything else is read from it.
  ipcm::Tunnel_table table;
  uint8_t* pool = nullptr;
  if (ipcm::Tunnel_table::parse(tunnels::table, sizeof tunnels::table, table) == ipcm::Table_error::none) {
    pool = reinterpret_cast<uint8_t*>(table.header().pool_address);
    kernel.pool_slot = table.header().pool_slot;
  }
  // Zeroes the whole pool: on its first caller's time (the IPCM is passive).
  const ipcm::Start_error error = manager.start(tunnels::table, sizeof tunnels::table, pool);
  // A refused table leaves the manager refusing every request
  // (unknown_client): clients hear it, nothing is mapped.
  report(error, table);
  kestrel::serve({.endpoint = tunnels::serve, .call = request});
}
