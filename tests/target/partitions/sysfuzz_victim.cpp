// SPDX-License-Identifier: Apache-2.0
// Sysfuzz victim: lives beside the system-call fuzzer
// (tests/target/images/sysfuzz.capnp) and checks afterwards that nothing of
// it changed.
//
// - Thread "server" fills the pattern region (64 KiB, at the physical
//   address the fuzzer names as a buffer) before it serves anything, and
//   takes a checksum of its own code. It then serves "service" and waits on
//   "victim-bell" in one loop, answering every call with its echo
//   (sysfuzz.hpp), with x8-x29 given and checked at every reply_recv.
// - Threads "spin0" (the server's CPU) and "spin1" (the other) hold known
//   values in x0-x29 and check them over and over, yielding each round, so
//   that every preemption and system call on both CPUs is a chance to
//   change them.
// - When the fuzzer says it is done, the spinners stop and the client may
//   start ("client-go"): its calls must be served correctly and its signal
//   must arrive. Then the server checks every word of the pattern and its
//   code, prints the verdict and signals "done".
#include <kestrel/syscall.hpp>

#include "sysfuzz.hpp"

namespace {

using kestrel::abi::Status;
using kestrel::abi::Syscall;
using sysfuzz::Registers;

constexpr uint64_t service_slot = 0;
constexpr uint64_t bell_slot = 1;       // wait on victim-bell
constexpr uint64_t own_bell_slot = 2;   // signal victim-bell, badge 4
constexpr uint64_t client_go_slot = 3;  // signal client-go
constexpr uint64_t done_slot = 4;       // signal done (the stopper)
constexpr uint64_t console_slot = 5;
constexpr uint64_t client_bell_bit = 2;

constexpr uint64_t pattern_base = 0x1000000;
constexpr uint64_t pattern_words = 0x10000 / 8;
constexpr uint64_t code_base = 0x200000;
constexpr uint64_t code_size = 0x10000;

uint64_t pattern_word(uint64_t index) {
  sysfuzz::Random random(0xa11c'e5ee'd000'0000ULL + index);
  return random.next();
}

uint64_t code_checksum() {
  const auto* code = reinterpret_cast<const volatile uint64_t*>(code_base);
  uint64_t sum = 0;
  for (uint64_t i = 0; i < code_size / 8; ++i) sum = (sum ^ code[i]) * 0x100'0000'01b3ULL;
  return sum;
}

// A spinner's values and results; sysfuzz_spin reads and writes it at these
// offsets.
struct Spin_state {
  uint64_t expected[30];  // x0-x29; x0 is 0 (yield's status) and x8 is yield
  const uint64_t* stop;   // +240: non-zero: stop
  uint64_t rounds;        // +248
  uint64_t bad_register;  // +256: the first register found changed, ~0 if none
  uint64_t bad_value;     // +264: its value
};
static_assert(sizeof(Spin_state) == 272);

}  // namespace

// Loads x0-x29 from state->expected and, until *state->stop, checks each
// against it (x29 with x0, the others with x29 as the scratch register),
// yielding each round. x30 holds `state`.
extern "C" void sysfuzz_spin(Spin_state* state);

namespace {

Spin_state spinners[2];
uint64_t stop_spinning = 0;  // atomic, release by the server
uint64_t spinners_done = 0;  // atomic, release by each spinner after its results

alignas(8) uint64_t ipc_buffer[kestrel::abi::max_message_words];

// The verdict's pieces.
uint64_t code_sum_at_start = 0;
bool fuzzing_over = false;
bool client_done = false;
uint64_t bell_word = 0;
uint64_t client_calls_good = 0;
uint64_t client_calls_bad = 0;
uint64_t fuzzer_messages = 0;
uint64_t server_register_errors = 0;
uint64_t server_status_errors = 0;
bool finished = false;

void print(const char* text) { kestrel::console_print(console_slot, text); }

void print_value(const char* text, uint64_t value) { kestrel::console_print_line(console_slot, text, value); }

// The client's call `index` (or its last): each word as the protocol says.
bool client_message_good(uint64_t label, uint64_t length, const Registers& out) {
  const uint64_t index = label - sysfuzz::client_label;
  if (index >= sysfuzz::client_calls) return false;
  const uint64_t wanted_length = index % 2 == 0 ? 5 : 12;
  if (length != wanted_length) return false;
  for (uint64_t i = 0; i < length; ++i) {
    const uint64_t word = i < 5 ? out.x[3 + i] : ipc_buffer[i];
    if (word != sysfuzz::client_word(index, i)) return false;
  }
  return true;
}

void final_check() {
  if (finished || !fuzzing_over || !client_done || (bell_word & client_bell_bit) == 0 ||
      __atomic_load_n(&spinners_done, __ATOMIC_ACQUIRE) != 2) {
    return;
  }
  finished = true;
  bool intact = true;
  const auto* pattern = reinterpret_cast<const volatile uint64_t*>(pattern_base);
  for (uint64_t i = 0; i < pattern_words; ++i) {
    if (pattern[i] != pattern_word(i)) {
      print_value("MEMORY CHANGED at ", pattern_base + 8 * i);
      intact = false;
      break;
    }
  }
  if (code_checksum() != code_sum_at_start) {
    print("CODE CHANGED\n");
    intact = false;
  }
  for (const Spin_state& spinner : spinners) {
    if (spinner.bad_register != ~uint64_t{0}) {
      print_value("REGISTERS CHANGED in a spinner: x", spinner.bad_register);
      print_value("it held ", spinner.bad_value);
      intact = false;
    }
    if (spinner.rounds == 0) {
      print("SPINNER NEVER RAN\n");
      intact = false;
    }
  }
  if (server_register_errors != 0) {
    print_value("SERVER REGISTERS CHANGED by reply_recv, times: ", server_register_errors);
    intact = false;
  }
  if (server_status_errors != 0) {
    print_value("SERVICE BROKEN: reply_recv failed, times: ", server_status_errors);
    intact = false;
  }
  if (client_calls_good != sysfuzz::client_calls || client_calls_bad != 0) {
    print_value("SERVICE BROKEN: good client calls ", client_calls_good);
    intact = false;
  }
  print_value("messages from the fuzzer served: ", fuzzer_messages);
  print_value("register checks by spin0: ", spinners[0].rounds);
  print_value("register checks by spin1: ", spinners[1].rounds);
  if (intact) print("memory, registers and service intact after the fuzzing\n");
  kestrel::signal(done_slot);
}

// One message (or notification) received; fills in the reply.
void handle(const Registers& out, Registers& reply) {
  const uint64_t badge = out.x[1];
  const uint64_t label = kestrel::abi::message_label(out.x[2]);
  const uint64_t length = kestrel::abi::message_length(out.x[2]);
  reply.x[2] = 0;  // nothing to answer
  if (label == kestrel::abi::notification_label) {
    bell_word |= badge;
    return;
  }
  if (badge == sysfuzz::fuzzer_badge) {
    ++fuzzer_messages;
    bool over = label == sysfuzz::fuzzing_over_label && length == 5;
    for (uint64_t i = 0; over && i < 5; ++i) over = out.x[3 + i] == sysfuzz::fuzzing_over_words[i];
    if (over && !fuzzing_over) {
      fuzzing_over = true;
      __atomic_store_n(&stop_spinning, 1, __ATOMIC_RELEASE);
      kestrel::signal(client_go_slot);
    }
  } else if (badge == sysfuzz::client_badge) {
    if (label == sysfuzz::client_done_label) {
      client_done = true;
    } else if (client_message_good(label, length, out)) {
      ++client_calls_good;
    } else {
      ++client_calls_bad;
    }
  }
  // The echo, to whoever called (a send's sender gets nothing).
  reply.x[2] = kestrel::abi::message_info(label ^ sysfuzz::echo_label, length);
  for (uint64_t i = 0; i < 5; ++i) reply.x[3 + i] = out.x[3 + i] ^ sysfuzz::echo_word;
  for (uint64_t i = 5; i < length; ++i) ipc_buffer[i] ^= sysfuzz::echo_word;
}

[[noreturn]] void serve() {
  auto* pattern = reinterpret_cast<volatile uint64_t*>(pattern_base);
  for (uint64_t i = 0; i < pattern_words; ++i) pattern[i] = pattern_word(i);
  code_sum_at_start = code_checksum();
  if (kestrel::set_ipc_buffer(ipc_buffer) != Status::ok) print("SERVICE BROKEN: no IPC buffer\n");
  sysfuzz::Random random(0x5e7e'0000);
  Registers reply{};
  for (;;) {
    Registers in = reply;
    in.x[0] = service_slot;
    in.x[1] = bell_slot + 1;
    in.x[8] = static_cast<uint64_t>(Syscall::reply_recv);
    for (int i = 9; i < 30; ++i) in.x[i] = random.next();
    Registers out = in;
    sysfuzz_svc(&out);
    if (out.x[0] != static_cast<uint64_t>(Status::ok)) {
      ++server_status_errors;
      continue;
    }
    // x3-x7 past the message's words, x8-x29 and sp are the server's own.
    const uint64_t length = kestrel::abi::message_length(out.x[2]);
    bool kept = out.sp_after == out.sp_before;
    for (uint64_t i = length < 5 ? length : 5; i < 5; ++i) kept = kept && out.x[3 + i] == in.x[3 + i];
    for (int i = 8; i < 30; ++i) kept = kept && out.x[i] == in.x[i];
    if (!kept) ++server_register_errors;
    handle(out, reply);
    final_check();
  }
}

[[noreturn]] void spin(unsigned index) {
  Spin_state& state = spinners[index];
  for (uint64_t i = 0; i < 30; ++i)
    state.expected[i] = 0x5917'0000'0000'0000ULL | (uint64_t{index} << 40) | (i * 0x0101'0101ULL);
  state.expected[0] = 0;
  state.expected[8] = static_cast<uint64_t>(Syscall::yield);
  state.stop = &stop_spinning;
  state.bad_register = ~uint64_t{0};
  sysfuzz_spin(&state);
  __atomic_add_fetch(&spinners_done, 1, __ATOMIC_RELEASE);
  kestrel::signal(own_bell_slot);
  kestrel::thread_exit();
}

}  // namespace

// clang-format off
asm(R"(
  .macro sysfuzz_check r
    ldr x29, [x30, #(8 * \r)]
    cmp x\r, x29
    b.eq 1f
    str x\r, [x30, #264]
    mov x29, #\r
    str x29, [x30, #256]
    b 3f
  1:
  .endm
  .text
  .balign 4
  .global sysfuzz_spin
  .type sysfuzz_spin, %function
sysfuzz_spin:
  stp x29, x30, [sp, #-96]!
  stp x19, x20, [sp, #16]
  stp x21, x22, [sp, #32]
  stp x23, x24, [sp, #48]
  stp x25, x26, [sp, #64]
  stp x27, x28, [sp, #80]
  mov x30, x0
  ldp x0, x1, [x30, #0]
  ldp x2, x3, [x30, #16]
  ldp x4, x5, [x30, #32]
  ldp x6, x7, [x30, #48]
  ldp x8, x9, [x30, #64]
  ldp x10, x11, [x30, #80]
  ldp x12, x13, [x30, #96]
  ldp x14, x15, [x30, #112]
  ldp x16, x17, [x30, #128]
  ldp x18, x19, [x30, #144]
  ldp x20, x21, [x30, #160]
  ldp x22, x23, [x30, #176]
  ldp x24, x25, [x30, #192]
  ldp x26, x27, [x30, #208]
  ldp x28, x29, [x30, #224]
2:
  sysfuzz_check 0
  sysfuzz_check 1
  sysfuzz_check 2
  sysfuzz_check 3
  sysfuzz_check 4
  sysfuzz_check 5
  sysfuzz_check 6
  sysfuzz_check 7
  sysfuzz_check 8
  sysfuzz_check 9
  sysfuzz_check 10
  sysfuzz_check 11
  sysfuzz_check 12
  sysfuzz_check 13
  sysfuzz_check 14
  sysfuzz_check 15
  sysfuzz_check 16
  sysfuzz_check 17
  sysfuzz_check 18
  sysfuzz_check 19
  sysfuzz_check 20
  sysfuzz_check 21
  sysfuzz_check 22
  sysfuzz_check 23
  sysfuzz_check 24
  sysfuzz_check 25
  sysfuzz_check 26
  sysfuzz_check 27
  sysfuzz_check 28
  ldr x29, [x30, #240]
  ldar x29, [x29]
  cbnz x29, 3f
  ldr x29, [x30, #248]
  add x29, x29, #1
  str x29, [x30, #248]
  ldr x29, [x30, #232]
  svc #0
  cbz x0, 5f
  str x0, [x30, #264]
  str xzr, [x30, #256]
  b 3f
5:
  ldr x0, [x30, #232]
  cmp x29, x0
  b.eq 4f
  str x29, [x30, #264]
  mov x29, #29
  str x29, [x30, #256]
  b 3f
4:
  mov x0, #0
  b 2b
3:
  ldp x19, x20, [sp, #16]
  ldp x21, x22, [sp, #32]
  ldp x23, x24, [sp, #48]
  ldp x25, x26, [sp, #64]
  ldp x27, x28, [sp, #80]
  ldp x29, x30, [sp], #96
  ret
  .size sysfuzz_spin, . - sysfuzz_spin
)");
// clang-format on

extern "C" int main() {
  uint64_t sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  const auto role = static_cast<unsigned>((sp - 0x800000) >> 16);
  if (role == 0) serve();
  spin(role - 1);
}
