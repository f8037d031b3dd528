// SPDX-License-Identifier: Apache-2.0
// Console test driver: serves the console driver protocol of
// runtime/include/kestrel/console.hpp with kestrel::serve and prints each
// client's lines, prefixed with its name, through the kernel console. It
// accepts at most 200 bytes of a write, so clients must send the rest again,
// and has "typed" as console input for the client with badge 1.
#include <kestrel/console.hpp>
#include <kestrel/serve.hpp>

namespace {

namespace protocol = kestrel::console_protocol;

constexpr uint64_t requests = 0;  // receive on "console"
constexpr uint64_t console_slot = 1;
constexpr uint64_t most_accepted = 200;
constexpr unsigned max_clients = 4;
constexpr uint64_t input_badge = 1;

const char* input = "typed";

struct Client {
  uint64_t badge;
  char name[protocol::max_name_bytes + 1];
  bool mid_line;
};

Client clients[max_clients];
unsigned client_count = 0;

// Output goes out in whole lines where it can (or 256 bytes at a time).
char output[kestrel::abi::console_write_max];
size_t output_used = 0;

void flush() {
  kestrel::console_write(console_slot, output, output_used);
  output_used = 0;
}

void emit(char c) {
  output[output_used++] = c;
  if (c == '\n' || output_used == sizeof output) flush();
}

void emit(const char* text) {
  while (*text != '\0') emit(*text++);
}

Client* client_of(uint64_t badge) {
  for (unsigned i = 0; i < client_count; ++i) {
    if (clients[i].badge == badge) return &clients[i];
  }
  if (client_count == max_clients) return nullptr;
  Client& client = clients[client_count++];
  client.badge = badge;
  kestrel::snformat(client.name, sizeof client.name, "client-%04lx", badge);
  return &client;
}

bool same(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) ++a, ++b;
  return *a == *b;
}

// The bytes a request carries: word 0 says how many, but never more than
// the words that came.
size_t bytes_of(const kestrel::Incoming& request, char* out, size_t most) {
  const uint64_t claimed = request.word(0);
  return request.bytes(1, out, claimed < most ? claimed : most);
}

uint64_t write(const kestrel::Incoming& request) {
  Client* client = client_of(request.badge());
  if (client == nullptr) return 0;
  char bytes[protocol::max_write_bytes];
  size_t n = bytes_of(request, bytes, sizeof bytes);
  if (n > most_accepted) n = most_accepted;
  for (size_t i = 0; i < n; ++i) {
    if (!client->mid_line) {
      emit(client->name);
      emit(": ");
    }
    emit(bytes[i]);
    client->mid_line = bytes[i] != '\n';
  }
  if (output_used > 0) flush();
  return n;
}

uint64_t set_name(const kestrel::Incoming& request) {
  char name[protocol::max_name_bytes + 1] = {};
  const size_t n = bytes_of(request, name, protocol::max_name_bytes);
  if (n == 0 || n != request.word(0)) return protocol::name_refused;
  for (size_t i = 0; i < n; ++i) {
    if (name[i] < ' ' || name[i] > '~') return protocol::name_refused;
  }
  for (unsigned i = 0; i < client_count; ++i) {
    if (clients[i].badge != request.badge() && same(clients[i].name, name)) return protocol::name_refused;
  }
  Client* client = client_of(request.badge());
  if (client == nullptr) return protocol::name_refused;
  for (size_t i = 0; i < sizeof name; ++i) client->name[i] = name[i];
  return protocol::name_ok;
}

kestrel::Outgoing answer(const kestrel::Incoming& request) {
  switch (request.label()) {
    case protocol::write:
      return kestrel::Outgoing(protocol::write).add(write(request));
    case protocol::set_name:
      return kestrel::Outgoing(protocol::set_name).add(set_name(request));
    case protocol::read: {
      kestrel::Outgoing reply(protocol::read);
      if (request.badge() != input_badge || *input == '\0') return reply.add(0);
      size_t n = 0;
      while (input[n] != '\0') ++n;
      reply.add(n).add_bytes(input, n);
      input += n;
      return reply;
    }
    default:
      emit("FAILED: unknown label\n");
      return kestrel::Outgoing(request.label()).add(0);
  }
}

}  // namespace

extern "C" int main() { kestrel::serve({.endpoint = requests, .call = answer}); }
