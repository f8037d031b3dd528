// SPDX-License-Identifier: Apache-2.0
// Outsider (limits.capnp): may call the IPCM's endpoint but is no tunnel's
// end; whatever it asks for is refused (unknown_client).
#include <kestrel/console.hpp>
#include <kestrel/ipcm/protocol.hpp>
#include <kestrel/message.hpp>
#include <kestrel/slots.hpp>

extern "C" int main() {
  kestrel::Console console = kestrel::Console::kernel(kestrel::slots::kernel_console);
  namespace ipcm = kestrel::ipcm;
  constexpr ipcm::Operation operations[] = {ipcm::Operation::open, ipcm::Operation::accept};
  for (const ipcm::Operation operation : operations) {
    kestrel::Outgoing message(ipcm::message_label);
    message.add(static_cast<uint64_t>(operation));
    message.add(0);  // pair
    const kestrel::Incoming reply = kestrel::call(kestrel::slots::call_ipcm, message);
    const bool refused = reply.status() == kestrel::abi::Status::ok &&
                         reply.word(0) == static_cast<uint64_t>(ipcm::Status::unknown_client);
    console.printf("operation %lu on pair: %s (ipcm status %lu)\n", static_cast<uint64_t>(operation),
                   refused ? "refused" : "FAILED: not unknown_client", reply.word(0));
  }
  kestrel::thread_exit();
}
