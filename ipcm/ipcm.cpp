// SPDX-License-Identifier: Apache-2.0
// The IPCM partition's program (docs/ipcm.md): a passive server on the
// IPCM's endpoint. Each call is one request of the protocol; the badge the
// kernel delivers names the client. ipcm::Manager decides, and calls the
// kernel through the adapter below to map and unmap pool pages and to ring
// doorbells; the pool is the IPCM's own memory region, which is where it
// zeroes pages. `kestrel build` builds it for a policy whose IPCM partition
// names `program = ".../ipcm/ipcm.cpp"`: kestrel/slots.hpp then holds the
// compiled tunnel table (kestrel::tunnels::table) and the sizes below.
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
  ipcm::answer(manager, message.badge(), message.label(), words, length, reply);
  kestrel::Outgoing out(ipcm::message_label);
  for (const uint64_t word : reply) out.add(word);
  return out;
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
