// SPDX-License-Identifier: Apache-2.0
// Serve test server: kestrel::serve answers the client's calls
// (serve_client.cpp), counts its one-way notes, takes its bell in the same
// loop, and stops the thread of "app" when it faults.
//   label 1 (add):      replies [sum of the words, the caller's badge, length]
//   label 2 (reverse):  replies with the words in reverse order (long
//                       messages: words 5 and up through the IPC buffers)
//   label 3 (note):     one-way (send): counted, no reply
//   label 4 (done):     replies [notes so far]
//   label 5 (squares):  word 0 = n: replies n words, i * i
#include <kestrel/console.hpp>
#include <kestrel/serve.hpp>

namespace {

constexpr uint64_t service = 0;  // receive on "service"
constexpr uint64_t bell = 1;     // wait on "bell"
constexpr uint64_t console_slot = 2;

constexpr uint64_t add_label = 1;
constexpr uint64_t reverse_label = 2;
constexpr uint64_t note_label = 3;
constexpr uint64_t done_label = 4;
constexpr uint64_t squares_label = 5;

constinit kestrel::Console console = kestrel::Console::kernel(console_slot);
uint64_t notes = 0;

kestrel::Outgoing answer(const kestrel::Incoming& request) {
  kestrel::Outgoing reply(request.label());
  switch (request.label()) {
    case add_label: {
      uint64_t sum = 0;
      for (uint64_t i = 0; i < request.length(); ++i) sum += request.word(i);
      return reply.add(sum).add(request.badge()).add(request.length());
    }
    case reverse_label:
      for (uint64_t i = request.length(); i > 0; --i) reply.add(request.word(i - 1));
      return reply;
    case done_label:
      console.printf("client with badge %lu is done after %lu notes\n", request.badge(), notes);
      return reply.add(notes);
    case squares_label:
      for (uint64_t i = 0; i < request.word(0); ++i) reply.add(i * i);
      return reply;
    default:
      console.printf("FAILED: unknown label %lu\n", request.label());
      return kestrel::Outgoing(0);
  }
}

bool is_note(uint64_t label) { return label == note_label; }

void take_note(const kestrel::Incoming& note) {
  ++notes;
  console.printf("note %lu from badge %lu: %lu words, first %#lx\n", notes, note.badge(), note.length(), note.word(0));
}

void rung(uint64_t bits) { console.printf("bell rung, bits %#lx\n", bits); }

kestrel::Fault_reply faulted(const kestrel::Exit_message& exit) {
  if (exit.kind != kestrel::abi::Exit_kind::thread_fault) {
    console.printf("FAILED: exit of kind %lu\n", static_cast<uint64_t>(exit.kind));
    return kestrel::Fault_reply::stop();
  }
  console.printf("a thread faulted on address %p at pc %p; stopping it\n", reinterpret_cast<void*>(exit.address),
                 reinterpret_cast<void*>(exit.value));
  return kestrel::Fault_reply::stop();
}

}  // namespace

extern "C" int main() {
  console.printf("serving on slot %lu, bell on slot %lu\n", service, bell);
  kestrel::serve({
      .endpoint = service,
      .notification = bell,
      .call = answer,
      .send = take_note,
      .is_send = is_note,
      .notified = rung,
      .fault = faulted,
  });
}
