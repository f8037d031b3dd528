// SPDX-License-Identifier: Apache-2.0
// Console driver: an unprivileged partition that owns the PL011 (its MMIO
// and its interrupt) and serves console output to the other partitions over
// IPC, each line prefixed with its partition's name, and console input to
// the client that has the focus. The protocol (runtime/include/kestrel/
// console.hpp is its client) on the endpoint "console":
//   label 1, write: word 0 = n bytes (<= 504), the bytes packed little-endian
//     from word 1 on (words 5 and up through the IPC buffers);
//     reply: word 0 = the bytes taken
//   label 2, set name: the same packing, the client's name (1-31 printable
//     bytes), once; reply: word 0 = 0, or 1 if another client has that name
//     or the name is not acceptable
//   label 3, read: reply word 0 = n bytes of the client's input (<= 32), the
//     bytes from word 1 on; 0 bytes for a client that takes no input
// Clients are told apart by their badge (which the policy sets and no client
// can forge); one that writes before naming itself is shown as
// "client-<badge>".
//
// Input. The clients that take input are the one with badge 1 and each
// client the policy gives an input doorbell: a notification the client owns
// and this driver signals, named "console-input-<badge>" (badge in
// decimal). The driver finds them in the generated <kestrel/slots.hpp>
// (signalled_notifications), so the policy alone says who may get input.
// Typed bytes go to one of them, the focus (at start badge 1), into that
// client's own queue (256 bytes; when full the oldest byte goes, said once
// in a line); switching the focus moves no queued input. The doorbell rings
// when a client's queue stops being empty (and when the focus comes to a
// client with input left): the client waits on it, then reads until it gets
// 0 bytes. Ctrl-] then n moves the focus to the next such client, Ctrl-]
// then 1-9 to the client with that badge, Ctrl-] twice types a Ctrl-]
// (input_router.hpp, which also says why not Ctrl-A); the driver prints
// "console: input now goes to <name>".
#include <kestrel/syscall.hpp>

#include "console_slots.hpp"
#include "input_router.hpp"
#include "pl011.hpp"

namespace {

using kestrel::abi::Status;

enum Label : uint64_t { label_write = 1, label_name = 2, label_read = 3 };

constexpr uint64_t max_write = 504;
constexpr uint64_t max_name = 31;
constexpr uint64_t max_read = 32;
constexpr uint64_t first_focus = 1;  // the badge that takes input without a doorbell
constexpr uint32_t max_clients = 32;

struct Client {
  uint64_t badge;
  char name[max_name + 1];
  bool mid_line;  // the next byte continues a line (no name before it)
};

Client clients[max_clients];
uint32_t client_count = 0;
uint64_t ipc_buffer[kestrel::abi::max_message_words];
bool uart_mid_line = false;  // the last byte out was not a newline

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

void put(char c) {
  pl011::put(c);
  uart_mid_line = c != '\n';
}

void put_text(const char* text) {
  while (*text != '\0') put(*text++);
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
    put(c);
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

// A line of the driver's own ("console: ..."), on a line of its own: a
// client's open line is ended first, and that client's next byte starts a
// new line with its name.
void driver_line(const char* text, const char* name = "", const char* rest = "") {
  if (uart_mid_line) {
    put('\n');
    for (uint32_t i = 0; i < client_count; ++i) clients[i].mid_line = false;
  }
  put_text("console: ");
  put_text(text);
  put_text(name);
  put_text(rest);
  put('\n');
}

const char* name_of(uint64_t badge) {
  const Client* client = client_of(badge);
  return client != nullptr ? client->name : "a client";
}

// What the input router asks of the driver (input_router.hpp).
struct Input_sink {
  void ring(const console_input::Client& client) { kestrel::signal(client.doorbell); }
  void focus_moved(const console_input::Client& client) { driver_line("input now goes to ", name_of(client.badge)); }
  void overflowed(const console_input::Client& client) {
    driver_line("input for ", name_of(client.badge), " overflowed; its oldest bytes are lost");
  }
  void no_input_client(uint64_t badge) {
    const char digit[2] = {static_cast<char>('0' + badge % 10), '\0'};
    driver_line("no client with badge ", digit, " takes input");
  }
  void help() { driver_line("Ctrl-] then n: next client; 1-9: the client with that badge; Ctrl-]: itself"); }
};

Input_sink input_sink;
console_input::Input_router<Input_sink> input_router{input_sink};

// Badge 1, and every client whose doorbell the policy gave this driver.
void set_up_input() {
  input_router.take_input(first_focus, console_input::no_doorbell);
  for (uint64_t i = 0; i < console_slots::signalled_count; ++i) {
    const uint64_t badge = console_input::doorbell_badge(console_slots::signalled[i].name);
    if (badge != 0 && !input_router.take_input(badge, console_slots::signalled[i].slot)) {
      driver_line("too many input doorbells; no input for ", name_of(badge));
    }
  }
  input_router.focus_on(first_focus);
}

// Packs up to max_read bytes of the client's input into reply words 1-4.
uint64_t read_input(uint64_t badge, uint64_t (&reply)[5]) {
  for (uint64_t& w : reply) w = 0;
  char bytes[max_read];
  const uint64_t count = input_router.read(badge, bytes, max_read);
  for (uint64_t i = 0; i < count; ++i) {
    reply[1 + i / 8] |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[i])) << (8 * (i % 8));
  }
  reply[0] = count;
  return 1 + (count + 7) / 8;
}

// The UART's receive interrupt: route what came, then let the interrupt
// fire again.
void take_input() {
  // Clear first, then drain: a character that arrives after the last read
  // raises the interrupt again. The other order loses one that arrives
  // between the last read and the clear (QEMU hands the next character over
  // only once the last has been read, so this happens whenever input comes
  // faster than the driver runs).
  pl011::write(pl011::interrupt_clear, pl011::receive_interrupts);
  for (int c = pl011::get(); c >= 0; c = pl011::get()) input_router.type(static_cast<char>(c));
  kestrel::irq_ack(console_slots::interrupt);
}

}  // namespace

extern "C" int main() {
  kestrel::set_ipc_buffer(ipc_buffer);
  set_up_input();
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
