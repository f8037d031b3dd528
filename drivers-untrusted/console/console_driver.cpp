// SPDX-License-Identifier: Apache-2.0
// Console driver: an unprivileged partition that owns the PL011 (its MMIO
// and its interrupt) and serves console output to the other partitions over
// IPC, each line prefixed with its partition's name, and console input to
// one of them. The protocol (runtime/include/kestrel/console.hpp is its
// client) on the endpoint "console":
//   label 1, write: word 0 = n bytes (<= 504), the bytes packed little-endian
//     from word 1 on (words 5 and up through the IPC buffers);
//     reply: word 0 = the bytes taken
//   label 2, set name: the same packing, the client's name (1-31 printable
//     bytes), once; reply: word 0 = 0, or 1 if another client has that name
//     or the name is not acceptable
//   label 3, read: reply word 0 = n bytes of input (<= 32), the bytes from
//     word 1 on; only for the client with badge 1 (the policy chooses which
//     partition gets input by giving it badge 1), others get 0 bytes
// Clients are told apart by their badge (which the policy sets and no client
// can forge); one that writes before naming itself is shown as
// "client-<badge>".
#include <kestrel/syscall.hpp>

#include "console_slots.hpp"
#include "pl011.hpp"

namespace {

using kestrel::abi::Status;

enum Label : uint64_t { label_write = 1, label_name = 2, label_read = 3 };

constexpr uint64_t max_write = 504;
constexpr uint64_t max_name = 31;
constexpr uint64_t max_read = 32;
constexpr uint64_t input_badge = 1;
constexpr uint32_t max_clients = 32;

struct Client {
  uint64_t badge;
  char name[max_name + 1];
  bool mid_line;  // the next byte continues a line (no name before it)
};

Client clients[max_clients];
uint32_t client_count = 0;
uint64_t ipc_buffer[kestrel::abi::max_message_words];

char input[256];
uint32_t input_start = 0;
uint32_t input_count = 0;

// Word `i` of the message, from registers or the IPC buffer.
uint64_t word(const kestrel::Message& message, uint64_t i) {
  return i < kestrel::abi::message_register_words ? message.words[i] : ipc_buffer[i];
}

// Byte `i` of the bytes packed from word 1 on.
char byte(const kestrel::Message& message, uint64_t i) {
  return static_cast<char>((word(message, 1 + i / 8) >> (8 * (i % 8))) & 0xff);
}

// The bytes a message carries: what word 0 says, but never more than the
// words that came.
uint64_t byte_count(const kestrel::Message& message, uint64_t limit) {
  const uint64_t words = message.length() == 0 ? 0 : message.length() - 1;
  uint64_t count = word(message, 0);
  if (count > words * 8) count = words * 8;
  return count > limit ? limit : count;
}

void put_text(const char* text) {
  while (*text != '\0') pl011::put(*text++);
}

Client* client_of(uint64_t badge) {
  for (uint32_t i = 0; i < client_count; ++i) {
    if (clients[i].badge == badge) return &clients[i];
  }
  if (client_count == max_clients) return nullptr;
  Client& client = clients[client_count++];
  client = Client{badge, "client-", false};
  for (int shift = 12; shift >= 0; shift -= 4) {
    client.name[7 + (12 - shift) / 4] = "0123456789abcdef"[(badge >> shift) & 0xf];
  }
  return &client;
}

uint64_t write_text(const kestrel::Message& message) {
  Client* client = client_of(message.badge);
  if (client == nullptr) return 0;
  const uint64_t count = byte_count(message, max_write);
  for (uint64_t i = 0; i < count; ++i) {
    const char c = byte(message, i);
    if (!client->mid_line) {
      put_text(client->name);
      put_text(": ");
    }
    pl011::put(c);
    client->mid_line = c != '\n';
  }
  return count;
}

bool same_name(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}

// 0 if the name is now the client's; 1 if another client has it, or it is
// not 1-31 printable characters.
uint64_t set_name(const kestrel::Message& message) {
  char name[max_name + 1] = {};
  const uint64_t count = word(message, 0);
  if (count == 0 || count > max_name || count != byte_count(message, max_name)) return 1;
  for (uint64_t i = 0; i < count; ++i) {
    name[i] = byte(message, i);
    if (name[i] < ' ' || name[i] > '~') return 1;
  }
  for (uint32_t i = 0; i < client_count; ++i) {
    if (clients[i].badge != message.badge && same_name(clients[i].name, name)) return 1;
  }
  Client* client = client_of(message.badge);
  if (client == nullptr) return 1;
  for (uint64_t i = 0; i <= max_name; ++i) client->name[i] = name[i];
  return 0;
}

// Packs up to max_read bytes of input into reply words 1-4.
uint64_t read_input(uint64_t badge, uint64_t (&reply)[5]) {
  for (uint64_t& w : reply) w = 0;
  if (badge != input_badge) return 1;
  uint64_t count = 0;
  while (input_count > 0 && count < max_read) {
    reply[1 + count / 8] |= static_cast<uint64_t>(static_cast<uint8_t>(input[input_start])) << (8 * (count % 8));
    input_start = (input_start + 1) % sizeof input;
    --input_count;
    ++count;
  }
  reply[0] = count;
  return 1 + (count + 7) / 8;
}

// The UART's receive interrupt: keep what came (dropping the oldest when
// full), then let the interrupt fire again.
void take_input() {
  for (int c = pl011::get(); c >= 0; c = pl011::get()) {
    if (input_count == sizeof input) {
      input_start = (input_start + 1) % sizeof input;
      --input_count;
    }
    input[(input_start + input_count) % sizeof input] = static_cast<char>(c);
    ++input_count;
  }
  pl011::write(pl011::interrupt_clear, pl011::receive_interrupts);
  kestrel::irq_ack(console_slots::interrupt);
}

}  // namespace

extern "C" int main() {
  kestrel::set_ipc_buffer(ipc_buffer);
  pl011::write(pl011::interrupt_mask, pl011::receive_interrupts);
  auto message = kestrel::receive(console_slots::requests, console_slots::interrupt_notification);
  for (;;) {
    if (message.is_notification()) {
      take_input();
      message = kestrel::receive(console_slots::requests, console_slots::interrupt_notification);
      continue;
    }
    uint64_t reply[5] = {};
    uint64_t length = 1;
    switch (message.label()) {
      case label_write:
        reply[0] = write_text(message);
        break;
      case label_name:
        reply[0] = set_name(message);
        break;
      case label_read:
        length = read_input(message.badge, reply);
        break;
      default:
        reply[0] = 0;
        break;
    }
    message = kestrel::reply_and_receive(console_slots::requests, message.label(), reply, length,
                                         console_slots::interrupt_notification);
    if (message.status != Status::ok)
      message = kestrel::receive(console_slots::requests, console_slots::interrupt_notification);
  }
}
