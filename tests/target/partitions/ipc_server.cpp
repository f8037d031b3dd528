// SPDX-License-Identifier: Apache-2.0
// IPC server: serves the "service" endpoint for the IPC test's clients
// (ipc_client.cpp) and, in the same receive, collects the bits they signal
// on its "bell" notification (recv waits for either).
//   label 1 (add):  replies [sum of the words, the caller's badge, length]
//   label 2 (reverse): replies with the same words in reverse order, through
//                      the IPC buffers when there are more than five
//   label 3 (note): a one-way message (send): counted, no reply
//   label 5 (maybe): a one-way nb_send, which may find no receiver: counted
//                    apart, since whether it arrives depends on timing
//   label 4 (done): the client is finished; after both, the server exits
#include <kestrel/syscall.hpp>

namespace {

using kestrel::abi::Status;

constexpr uint64_t service = 0;  // slot 0: receive on "service"
constexpr uint64_t bell = 1;     // slot 1: wait on "bell"
constexpr uint64_t console = 2;
constexpr uint64_t both_clients = 0x3;  // the badges of "left" and "right"

uint64_t ipc_buffer[kestrel::abi::max_message_words];
uint64_t words_of_call[kestrel::abi::max_message_words];

void print(const char* text) { kestrel::console_print(console, text); }

void print_line(const char* text, uint64_t value) { kestrel::console_print_line(console, text, value); }

// The message's words, wherever they arrived.
void collect(const kestrel::Message& message) {
  for (uint64_t i = 0; i < message.length(); ++i) {
    words_of_call[i] = i < kestrel::abi::message_register_words ? message.words[i] : ipc_buffer[i];
  }
}

[[noreturn]] void serve() {
  if (kestrel::set_ipc_buffer(ipc_buffer) != Status::ok) print("FAILED: set_ipc_buffer\n");
  uint64_t notes = 0;     // send: exactly one per client
  uint64_t nb_notes = 0;  // nb_send: none, one or two, by timing
  uint64_t done = 0;
  uint64_t reply[5] = {};
  uint64_t reply_length = 0;
  uint64_t bells = 0;
  auto message = kestrel::receive(service, bell);
  for (;;) {
    if (message.status != Status::ok) print_line("FAILED: receive status ", static_cast<uint64_t>(message.status));
    reply_length = 0;
    if (message.is_notification()) {
      const uint64_t before = bells;
      bells |= message.badge;
      if (bells == both_clients && before != both_clients) print_line("bell rung by both clients, word ", bells);
      message = kestrel::receive(service, bell);
      continue;
    }
    collect(message);
    switch (message.label()) {
      case 1: {
        uint64_t sum = 0;
        for (uint64_t i = 0; i < message.length(); ++i) sum += words_of_call[i];
        reply[0] = sum;
        reply[1] = message.badge;
        reply[2] = message.length();
        reply_length = 3;
        break;
      }
      case 2:
        for (uint64_t i = 0; i < message.length(); ++i) {
          const uint64_t word = words_of_call[message.length() - 1 - i];
          if (i < kestrel::abi::message_register_words) {
            reply[i] = word;
          } else {
            ipc_buffer[i] = word;
          }
        }
        reply_length = message.length();
        break;
      case 3:
        ++notes;
        break;
      case 5:
        ++nb_notes;
        break;
      case 4:
        ++done;
        print_line("client finished, badge ", message.badge);
        break;
      default:
        print_line("FAILED: unknown label ", message.label());
        break;
    }
    if (done == 2) {
      print_line("one-way messages received: ", notes);
      print_line("non-blocking messages received: ", nb_notes);
    }
    message = kestrel::reply_and_receive(service, message.label(), reply, reply_length, bell);
  }
}

}  // namespace

extern "C" int main() { serve(); }
