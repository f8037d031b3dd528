// SPDX-License-Identifier: Apache-2.0
// Sysfuzz fuzzer: four threads (two per CPU) each make calls_per_thread
// random system calls from a fixed seed, and judge every answer against
// docs/abi.md (tests/target/images/sysfuzz.capnp is the system).
//
// Each call has a random number (the defined ones but thread_exit, and
// numbers nobody defines, some with a defined number in their low bits), a
// random capability slot (in the table, of the kind the call needs, just
// past the table, huge, a table slot plus 2^32) and random values in x0-x7;
// buffers and IPC buffers point into its own memory, the victim's (at its
// physical and at its own address), the kernel's, its own device, a device
// it was not given, nowhere, misaligned, across a region's end and across
// the top of the address space.
//
// The judge is a model of the ABI: for each call it lists the errors the
// arguments require (a slot outside the table, a capability of another
// kind or without the right, an argument out of range, a buffer outside the
// partition's memory). The kernel must then answer with one of them, in
// whatever order it checks; without any it must succeed (or, for the calls
// that may, say would_block or would_deadlock). It also checks what comes
// back: the victim's echo of each call, the feeder's messages, notification
// words, and that x6-x29 (x6/x7 unless a message arrived in them), x8, sp
// and tpidr_el0 are preserved. A broken invariant prints an "INVARIANT
// BROKEN" line, which the test forbids.
//
// Calls that block: each has a partner that never stops, so no fuzzing
// thread waits for ever and the test cannot deadlock.
//  - call and send on "service": the victim serves it in a loop.
//  - recv and reply_recv on its own "fuzz-inbox": the client's feed-send
//    thread sends on it in a loop (only sends, so a received message never
//    waits for a reply, and a fuzzing thread that calls recv rather than
//    reply_recv leaves no caller hanging).
//  - wait on its own "fuzz-bell" (and recv beside it): the client's
//    feed-signal thread signals it in a loop, and the fuzzing threads may.
//  - A second thread waiting on the inbox or the bell gets would_deadlock.
// The fuzzer is no client of its own endpoint (a call there could wait for
// a reply that a fuzzing thread never sends), holds no power capability, and
// never calls thread_exit by its defined number. What the kernel may write
// into its memory (replies' words 5 and up) only goes to IPC buffers in its
// "buffers" region, one 4 KiB area per thread; console writes that may
// succeed print only from its "text" region (dots), so the console shows no
// garbage that could match a forbidden line.
//
// The last thread to finish prints the summary and then tells the victim,
// with a message no random call sends, that the fuzzing is over.
#include <kestrel/abi/boot_info.hpp>  // capability kinds and rights
#include <kestrel/console.hpp>
#include <kestrel/syscall.hpp>

#include "sysfuzz.hpp"

#ifndef KESTREL_SYSFUZZ_SEED
#error "define KESTREL_SYSFUZZ_SEED"
#endif
#ifndef KESTREL_SYSFUZZ_CALLS
#error "define KESTREL_SYSFUZZ_CALLS (per thread)"
#endif

namespace {

using kestrel::abi::Capability_kind;
using kestrel::abi::Status;
using kestrel::abi::Syscall;
using sysfuzz::Random;
using sysfuzz::Registers;

constexpr unsigned thread_count = 4;
constexpr uint64_t calls_per_thread = KESTREL_SYSFUZZ_CALLS;
constexpr uint64_t seed = KESTREL_SYSFUZZ_SEED;

// The capability table (kestrel-policy check --summary lists it): endpoints
// it serves, endpoints it calls, notifications it owns, notifications it
// signals, its device's interrupt, the console.
struct Capability {
  Capability_kind kind;
  uint32_t rights;
};
constexpr Capability capabilities[] = {
    {Capability_kind::endpoint, kestrel::abi::right_receive},      // 0 fuzz-inbox
    {Capability_kind::endpoint, kestrel::abi::right_send},         // 1 service (badge 1)
    {Capability_kind::notification, kestrel::abi::right_receive},  // 2 fuzz-bell
    {Capability_kind::notification, kestrel::abi::right_send},     // 3 victim-bell (badge 1)
    {Capability_kind::notification, kestrel::abi::right_send},     // 4 fuzz-bell (badge 2)
    {Capability_kind::irq, kestrel::abi::right_control},           // 5 rtc
    {Capability_kind::console, kestrel::abi::right_send},          // 6 console
};
constexpr uint64_t slot_count = sizeof(capabilities) / sizeof(capabilities[0]);
constexpr uint64_t service_slot = 1;
constexpr uint64_t console_slot = 6;
// Bits that can appear in fuzz-bell's word: the client, the fuzzer, the RTC.
constexpr uint64_t bell_bits = 1 | 2 | 0x10;

// The fuzzer's memory (sysfuzz.capnp), as the ABI's buffer checks see it.
struct Region {
  uint64_t base;
  uint64_t size;
  bool writable;
  bool device;
};
constexpr uint64_t text_base = 0x500000;
constexpr uint64_t text_size = 0x1000;
constexpr uint64_t buffers_base = 0x600000;
constexpr uint64_t buffers_size = 0x4000;
constexpr uint64_t buffer_area = 0x1000;  // per thread
constexpr uint64_t rtc_base = 0x09010000;
constexpr Region regions[] = {
    {0x200000, 0x10000, false, false},          // code
    {0x400000, 0x10000, true, false},           // data
    {text_base, text_size, true, false},        // text
    {buffers_base, buffers_size, true, false},  // buffers
    {0x700000, 0x1000, false, false},           // readonly
    {0x800000, 0x4000, true, false},            // stacks
    {0x810000, 0x4000, true, false},           {0x820000, 0x4000, true, false},
    {0x830000, 0x4000, true, false},           {rtc_base, 0x1000, true, true},  // its RTC, device memory
};

// Entirely inside one region (of the partition's readable, or writable,
// non-device memory), without wrapping.
bool inside_memory(uint64_t address, uint64_t size, bool write) {
  if (size == 0 || address + (size - 1) < address) return false;
  for (const Region& region : regions) {
    if (address < region.base || address - region.base >= region.size) continue;
    if (size > region.size - (address - region.base)) return false;
    return !region.device && (region.writable || !write);
  }
  return false;
}

// Addresses outside its memory that must never work.
constexpr uint64_t victim_physical = 0x48000000;  // the victim's pattern
constexpr uint64_t victim_own = 0x1000000;        // the same, where the victim sees it
constexpr uint64_t kernel_base = 0x40000000;      // kernel image and data, 8 MiB
constexpr uint64_t uart = 0x09000000;             // not granted to it
constexpr uint64_t gic = 0x08000000;

uint64_t status_bit(Status status) { return uint64_t{1} << static_cast<uint64_t>(status); }

// What the ABI allows as the answer to one call: one of `errors` if any is
// set; otherwise one of `successes`. `optional` errors are allowed either way
// (where the ABI leaves it open).
struct Verdict {
  uint64_t errors = 0;
  uint64_t optional = 0;
  uint64_t successes = status_bit(Status::ok);

  bool allows(uint64_t status) const {
    if (status >= 64) return false;
    const uint64_t allowed = (errors != 0 ? errors : successes) | optional;
    return (allowed & (uint64_t{1} << status)) != 0;
  }
  // The capability in `slot` must exist, be of `kind` and have `right`.
  void need(uint64_t slot, Capability_kind kind, uint32_t right) {
    if (slot >= slot_count) {
      errors |= status_bit(Status::invalid_capability);
    } else if (capabilities[slot].kind != kind) {
      errors |= status_bit(Status::wrong_capability_type);
    } else if ((capabilities[slot].rights & right) == 0) {
      errors |= status_bit(Status::missing_right);
    }
  }
};

// Errors of a message info a thread sends (with or without an IPC buffer).
uint64_t message_errors(uint64_t info, bool has_buffer) {
  const uint64_t length = kestrel::abi::message_length(info);
  const bool bad = length > kestrel::abi::max_message_words ||
                   (length > kestrel::abi::message_register_words && !has_buffer) ||
                   kestrel::abi::message_label(info) >= kestrel::abi::kernel_label_base;
  return bad ? status_bit(Status::invalid_argument) : 0;
}

// Answers whose contents the fuzzer checked, counted to show that the run
// reached them.
enum Path : unsigned { echo, long_echo, feed, notification_word, ipc_buffer_set };
constexpr const char* path_names[5] = {"echoes from the victim", "echoes with words in the IPC buffer",
                                       "messages from the feeder", "notification words", "IPC buffers set"};

// Per thread: what it did and saw.
struct Thread_state {
  unsigned index;
  Random random{0};
  uint64_t ipc_buffer;  // as the kernel last accepted it; 0: none
  bool use_buffer;      // the next call is a long one to the victim, through the new buffer
  uint64_t calls;
  uint64_t statuses[10];   // by status; [9]: a status the ABI does not define
  uint64_t status_hash;    // FNV-1a over the statuses in order
  uint64_t argument_hash;  // FNV-1a over the numbers and x0-x7, in order
  uint64_t broken;         // invariants broken
  uint64_t exercised[5];   // answers checked, by Path
  uint64_t tpidr;          // its TPIDR_EL0, which every call must keep
  uint64_t buffer_copy[kestrel::abi::max_message_words];
};
Thread_state states[thread_count];
uint64_t threads_done = 0;   // atomic, acquire-release: the last one reads every state
uint64_t lines_printed = 0;  // atomic, relaxed: bounds the INVARIANT lines

// Whole lines to the kernel console (each Console sends a line once it
// ends; one per line printed, so the threads' lines never mix).
kestrel::Console line_console() { return kestrel::Console::kernel(console_slot); }

void broken(Thread_state& state, const Registers& in, const Registers& out, const char* what) {
  ++state.broken;
  if (__atomic_fetch_add(&lines_printed, 1, __ATOMIC_RELAXED) >= 20) return;
  line_console().printf(
      "INVARIANT BROKEN (%s) thread %lu call %lu: x8 0x%016lx x0 0x%016lx x1 0x%016lx x2 0x%016lx -> x0 0x%016lx x1 "
      "0x%016lx x2 0x%016lx\n",
      what, static_cast<uint64_t>(state.index), static_cast<uint64_t>(state.calls), in.x[8], in.x[0], in.x[1], in.x[2],
      out.x[0], out.x[1], out.x[2]);
}

// Random values of the kinds that find bugs: zero, small, huge, sign bits,
// 2^32 + small, addresses.
uint64_t noise(Random& random) {
  switch (random.below(10)) {
    case 0:
      return 0;
    case 1:
      return random.below(16);
    case 2:
      return random.below(0x1000);
    case 3:
      return ~uint64_t{0} - random.below(4);
    case 4:
      return (uint64_t{1} << 63) | random.below(16);
    case 5:
      return (uint64_t{1} << 32) | random.below(16);
    case 6:
      return victim_physical + 8 * random.below(0x2000);
    case 7:
      return kernel_base + 8 * random.below(0x100000);
    default:
      return random.next();
  }
}

// A slot: in the table, one of the kind the call needs, past the table,
// huge, or a table slot with high bits set (a kernel that truncates would
// take it).
uint64_t slot(Random& random, Capability_kind kind) {
  switch (random.below(20)) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
      return random.below(slot_count);
    case 6:
    case 7:
    case 8:
    case 9:
    case 10:
    case 11:
    case 12: {
      uint64_t matching[slot_count];
      uint64_t count = 0;
      for (uint64_t i = 0; i < slot_count; ++i) {
        if (capabilities[i].kind == kind) matching[count++] = i;
      }
      return count != 0 ? matching[random.below(count)] : random.below(slot_count);
    }
    case 13:
    case 14:
      return slot_count + random.below(8);
    case 15:
      return (uint64_t{1} << 32) + random.below(slot_count);
    case 16:
      return (uint64_t{1} << 63) | random.below(slot_count);
    case 17:
      return ~uint64_t{0} - random.below(4);
    case 18:
      return uint64_t{1} << (31 + random.below(33));
    default:
      return random.next();
  }
}

// Places that are no memory of the fuzzer, or memory it may not name.
uint64_t foreign_address(Random& random) {
  switch (random.below(10)) {
    case 0:
      return victim_physical + random.below(0x10000);
    case 1:
      return victim_own + random.below(0x10000);
    case 2:
      return kernel_base + random.below(0x800000);
    case 3:
      return rtc_base + random.below(0x1000);  // its own device
    case 4:
      return uart + random.below(0x1000);
    case 5:
      return gic + random.below(0x10000);
    case 6:
      return 0x410000 + random.below(0xf0000);  // between data and text: nothing
    case 7:
      return ~uint64_t{0} - random.below(0x400);  // wraps
    case 8:
      return random.below(0x200000);  // below its code: nothing
    default:
      return random.next();
  }
}

// For console_write: its text (which it may print), across the text's end,
// or foreign.
uint64_t console_address(Random& random) {
  switch (random.below(4)) {
    case 0:
      return text_base + random.below(text_size);
    case 1:
      return text_base + text_size - 1 - random.below(16);
    default:
      return foreign_address(random);
  }
}

// For set_ipc_buffer: none, its own area (aligned or not), across the end of
// its buffers, read-only memory, code, or foreign.
uint64_t ipc_buffer_address(Random& random, unsigned thread) {
  const uint64_t area = buffers_base + thread * buffer_area;
  switch (random.below(12)) {
    case 0:
      return 0;
    case 1:
    case 2:
    case 3:
    case 4:
      return area + 8 * random.below((buffer_area - kestrel::abi::ipc_buffer_size) / 8 + 1);
    case 5:
      return area + 8 * random.below(64) + 1 + random.below(7);
    case 6:
      return buffers_base + buffers_size - 8 * (1 + random.below(63));
    case 7:
      return 0x700000 + 8 * random.below(0x200);  // readonly
    case 8:
      return 0x200000 + 8 * random.below(0x2000);  // code
    default:
      return foreign_address(random);
  }
}

// A message info: lengths that fit the registers, that need an IPC buffer,
// or too long; labels of the sender's or the kernel's; bit 7 at random.
uint64_t message_info(Random& random) {
  uint64_t length;
  switch (random.below(10)) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
      length = random.below(6);
      break;
    case 5:
    case 6:
    case 7:
      length = 6 + random.below(59);
      break;
    default:
      length = 65 + random.below(63);
      break;
  }
  uint64_t label;
  switch (random.below(10)) {
    case 0:
    case 1:
    case 2:
    case 3:
      label = random.below(0x100000);
      break;
    case 4:
    case 5:
    case 6:
    case 7:
      label = random.next() >> 9;  // below 2^55
      break;
    case 8:
      label = kestrel::abi::kernel_label_base + random.below(0x200);
      break;
    default:
      label = random.next() >> 8;
      break;
  }
  if (label == sysfuzz::fuzzing_over_label) ++label;
  return kestrel::abi::message_info(label, length) | (random.below(2) << 7);
}

// A system-call number: a defined one but thread_exit, or none.
uint64_t syscall_number(Random& random) {
  if (random.below(5) != 0) {
    const uint64_t number = random.below(kestrel::abi::syscall_count - 1);
    return number == static_cast<uint64_t>(Syscall::thread_exit) ? kestrel::abi::syscall_count - 1 : number;
  }
  switch (random.below(6)) {
    case 0:
      return kestrel::abi::syscall_count + random.below(48);
    case 1:
      return 64 + random.below(4096);
    case 2:
      return (uint64_t{1} << 32) | random.below(kestrel::abi::syscall_count);
    case 3:
      return (uint64_t{1} << 63) | random.below(kestrel::abi::syscall_count);
    case 4:
      return ~uint64_t{0} - random.below(4);
    default: {
      const uint64_t number = random.next();
      return number < kestrel::abi::syscall_count ? number + kestrel::abi::syscall_count : number;
    }
  }
}

uint64_t fnv(uint64_t hash, uint64_t value) {
  for (int i = 0; i < 8; ++i) hash = (hash ^ ((value >> (8 * i)) & 0xff)) * 0x100'0000'01b3ULL;
  return hash;
}

// Arguments for a call of `number`, the ABI's verdict on them, and whether
// a message arrives in x3-x7 on success.
Verdict prepare(Thread_state& state, Registers& in) {
  Random& random = state.random;
  for (int i = 0; i < 8; ++i) in.x[i] = noise(random);
  Verdict verdict;
  const uint64_t number = in.x[8];
  if (number >= kestrel::abi::syscall_count) {
    verdict.errors = status_bit(Status::invalid_syscall);
    return verdict;
  }
  const bool has_buffer = state.ipc_buffer != 0;
  switch (static_cast<Syscall>(number)) {
    case Syscall::console_write: {
      in.x[0] = slot(random, Capability_kind::console);
      in.x[1] = console_address(random);
      switch (random.below(6)) {
        case 0:
          in.x[2] = 0;
          break;
        case 1:
        case 2:
        case 3:
          in.x[2] = 1 + random.below(4);
          break;
        case 4:
          in.x[2] = kestrel::abi::console_write_max - 1 + random.below(3);
          break;
        default:
          in.x[2] = noise(random);
          break;
      }
      verdict.need(in.x[0], Capability_kind::console, kestrel::abi::right_send);
      if (in.x[2] > kestrel::abi::console_write_max) {
        verdict.errors |= status_bit(Status::invalid_argument);
      } else if (in.x[2] == 0) {
        verdict.optional |= status_bit(Status::bad_address);  // an empty buffer: the ABI does not say
      } else if (!inside_memory(in.x[1], in.x[2], false)) {
        verdict.errors |= status_bit(Status::bad_address);
      } else if (verdict.errors == 0 && (in.x[1] < text_base || in.x[1] + in.x[2] > text_base + text_size)) {
        // Would print its own memory other than dots; never generated.
        verdict.errors = ~uint64_t{0};
      }
      break;
    }
    case Syscall::yield:
      break;
    // The fuzzer holds neither a memory pool nor a map window: refused at
    // the first capability decode checks (the pool's, for memory_map).
    case Syscall::memory_map:
      in.x[0] = slot(random, Capability_kind::memory_pool);
      in.x[3] = slot(random, Capability_kind::map_into);
      verdict.need(in.x[0], Capability_kind::memory_pool, kestrel::abi::right_control);
      break;
    case Syscall::memory_unmap:
      in.x[0] = slot(random, Capability_kind::map_into);
      verdict.need(in.x[0], Capability_kind::map_into, kestrel::abi::right_control);
      break;
    case Syscall::recv:
    case Syscall::reply_recv:
      in.x[0] = slot(random, Capability_kind::endpoint);
      switch (random.below(3)) {
        case 0:
          in.x[1] = 0;
          break;
        case 1:
          in.x[1] = 1 + slot(random, Capability_kind::notification);
          break;
        default:
          break;  // noise
      }
      if (random.below(2) == 0) in.x[2] = message_info(random);
      verdict.need(in.x[0], Capability_kind::endpoint, kestrel::abi::right_receive);
      if (in.x[1] != 0) verdict.need(in.x[1] - 1, Capability_kind::notification, kestrel::abi::right_receive);
      // It never has a call to answer, so its reply is not looked at.
      if (number == static_cast<uint64_t>(Syscall::reply_recv)) verdict.optional |= message_errors(in.x[2], has_buffer);
      verdict.successes |= status_bit(Status::would_deadlock);
      break;
    case Syscall::vcpu_inject_interrupt:
      in.x[0] = slot(random, Capability_kind::vcpu);
      if (random.below(2) == 0) in.x[1] = 1000 + random.below(30);
      verdict.need(in.x[0], Capability_kind::vcpu, kestrel::abi::right_control);
      if (in.x[1] > 1019) verdict.errors |= status_bit(Status::invalid_argument);
      break;
    case Syscall::call:
    case Syscall::send:
    case Syscall::nb_send:
      in.x[0] = slot(random, Capability_kind::endpoint);
      in.x[2] = message_info(random);
      if (state.use_buffer) {
        in.x[0] = service_slot;
        in.x[2] = kestrel::abi::message_info(random.below(0x100000), 6 + random.below(59));
      }
      verdict.need(in.x[0], Capability_kind::endpoint, kestrel::abi::right_send);
      verdict.errors |= message_errors(in.x[2], has_buffer);
      if (number == static_cast<uint64_t>(Syscall::nb_send)) verdict.successes |= status_bit(Status::would_block);
      break;
    case Syscall::signal:
      in.x[0] = slot(random, Capability_kind::notification);
      verdict.need(in.x[0], Capability_kind::notification, kestrel::abi::right_send);
      break;
    case Syscall::wait:
    case Syscall::poll:
      in.x[0] = slot(random, Capability_kind::notification);
      verdict.need(in.x[0], Capability_kind::notification, kestrel::abi::right_receive);
      if (number == static_cast<uint64_t>(Syscall::wait)) verdict.successes |= status_bit(Status::would_deadlock);
      break;
    case Syscall::irq_ack:
      in.x[0] = slot(random, Capability_kind::irq);
      verdict.need(in.x[0], Capability_kind::irq, kestrel::abi::right_control);
      break;
    case Syscall::set_ipc_buffer:
      in.x[0] = ipc_buffer_address(random, state.index);
      if (in.x[0] != 0) {
        if (in.x[0] % 8 != 0) verdict.errors |= status_bit(Status::invalid_argument);
        if (!inside_memory(in.x[0], kestrel::abi::ipc_buffer_size, true)) {
          verdict.errors |= status_bit(Status::bad_address);
        } else if (verdict.errors == 0 && (in.x[0] < buffers_base + state.index * buffer_area ||
                                           in.x[0] >= buffers_base + (state.index + 1) * buffer_area)) {
          verdict.errors = ~uint64_t{0};  // outside its own area; never generated
        }
      }
      break;
    case Syscall::vcpu_start:
    case Syscall::vcpu_stop:
      in.x[0] = slot(random, Capability_kind::vcpu);
      verdict.need(in.x[0], Capability_kind::vcpu, kestrel::abi::right_control);
      break;
    case Syscall::vm_restart:
      in.x[0] = slot(random, Capability_kind::vcpu);
      verdict.need(in.x[0], Capability_kind::vcpu, kestrel::abi::right_control);
      verdict.optional |= status_bit(Status::invalid_argument);  // a VM that is not restartable
      break;
    case Syscall::system_off:
      in.x[0] = slot(random, Capability_kind::power);
      verdict.need(in.x[0], Capability_kind::power, kestrel::abi::right_control);
      break;
    case Syscall::thread_exit:
      break;  // never generated
  }
  return verdict;
}

// The thread's IPC buffer is one it may read (not one the kernel should
// have refused).
bool own_buffer(const Thread_state& state) {
  return state.ipc_buffer != 0 && inside_memory(state.ipc_buffer, kestrel::abi::ipc_buffer_size, true);
}

// The words an arrived message of `length` words left in x3-x7: the
// message's first words; the registers past it keep their values.
void check_words(Thread_state& state, const Registers& in, const Registers& out, uint64_t length, const uint64_t* words,
                 const char* what) {
  for (uint64_t i = 0; i < kestrel::abi::message_register_words; ++i) {
    const uint64_t wanted = i < length ? words[i] : in.x[3 + i];
    if (out.x[3 + i] != wanted) {
      broken(state, in, out, what);
      return;
    }
  }
}

// What a call that the ABI let succeed returned.
void check_result(Thread_state& state, const Registers& in, const Registers& out) {
  const auto number = static_cast<Syscall>(in.x[8]);
  const uint64_t badge = out.x[1];
  const uint64_t info = out.x[2];
  switch (number) {
    case Syscall::recv:
    case Syscall::reply_recv:
      if (out.x[0] != 0) break;  // would_deadlock: no message
      if (in.x[1] != 0 && kestrel::abi::message_label(info) == kestrel::abi::notification_label) {
        if (kestrel::abi::message_length(info) != 0 || badge == 0 || (badge & ~bell_bits) != 0) {
          broken(state, in, out, "notification beside recv");
        }
        check_words(state, in, out, 0, nullptr, "registers after a notification");
        ++state.exercised[notification_word];
        return;
      }
      if (badge != sysfuzz::feed_badge || kestrel::abi::message_label(info) != sysfuzz::feed_label ||
          kestrel::abi::message_length(info) != 5) {
        broken(state, in, out, "received message");
        return;
      }
      check_words(state, in, out, 5, sysfuzz::feed_words, "received words");
      ++state.exercised[feed];
      return;
    case Syscall::call: {
      const uint64_t length = kestrel::abi::message_length(in.x[2]);
      if (badge != 0 ||
          kestrel::abi::message_label(info) != (kestrel::abi::message_label(in.x[2]) ^ sysfuzz::echo_label) ||
          kestrel::abi::message_length(info) != length) {
        broken(state, in, out, "reply");
        return;
      }
      uint64_t words[kestrel::abi::message_register_words];
      for (uint64_t i = 0; i < kestrel::abi::message_register_words; ++i) words[i] = in.x[3 + i] ^ sysfuzz::echo_word;
      check_words(state, in, out, length, words, "reply words");
      const auto* buffer = reinterpret_cast<const volatile uint64_t*>(state.ipc_buffer);
      for (uint64_t i = kestrel::abi::message_register_words; own_buffer(state) && i < length; ++i) {
        if (buffer[i] != (state.buffer_copy[i] ^ sysfuzz::echo_word)) {
          broken(state, in, out, "reply words in the IPC buffer");
          return;
        }
      }
      ++state.exercised[length > kestrel::abi::message_register_words ? long_echo : echo];
      return;
    }
    case Syscall::wait:
      if (out.x[0] != 0) break;
      if (badge == 0 || (badge & ~bell_bits) != 0) broken(state, in, out, "wait's word");
      ++state.exercised[notification_word];
      break;
    case Syscall::poll:
      if ((badge & ~bell_bits) != 0) broken(state, in, out, "poll's word");
      break;
    case Syscall::set_ipc_buffer:
      if (in.x[0] != 0) ++state.exercised[ipc_buffer_set];
      break;
    default:
      break;
  }
  // No message arrived: x6 and x7 are preserved (x1-x5 may hold results).
  if (out.x[6] != in.x[6] || out.x[7] != in.x[7]) broken(state, in, out, "x6/x7 changed");
}

void fuzz_one(Thread_state& state) {
  Registers in;
  in.x[8] = state.use_buffer ? static_cast<uint64_t>(Syscall::call) : syscall_number(state.random);
  const Verdict verdict = prepare(state, in);
  state.use_buffer = false;
  for (int i = 9; i < 30; ++i) in.x[i] = state.random.next();
  for (int i = 0; i < 9; ++i) state.argument_hash = fnv(state.argument_hash, in.x[i]);
  const uint64_t length = kestrel::abi::message_length(in.x[2]);
  if (in.x[8] == static_cast<uint64_t>(Syscall::call) && own_buffer(state) && length <= 64) {
    const auto* buffer = reinterpret_cast<const volatile uint64_t*>(state.ipc_buffer);
    for (uint64_t i = kestrel::abi::message_register_words; i < length; ++i) state.buffer_copy[i] = buffer[i];
  }
  Registers out = in;
  sysfuzz_svc(&out);
  ++state.calls;
  const uint64_t status = out.x[0];
  // The model follows the buffer the kernel took, even one it should have
  // refused: later long messages then go through it, and if the kernel
  // writes where it should not, the victim sees it.
  if (in.x[8] == static_cast<uint64_t>(Syscall::set_ipc_buffer) && status == 0) {
    state.ipc_buffer = in.x[0];
    state.use_buffer = in.x[0] != 0;
  }
  ++state.statuses[status < 9 ? status : 9];
  state.status_hash = fnv(state.status_hash, status);
  if (!verdict.allows(status)) {
    broken(state, in, out, verdict.errors != 0 ? "a call the ABI refuses" : "status");
    return;
  }
  for (int i = 8; i < 30; ++i) {
    if (out.x[i] != in.x[i]) {
      broken(state, in, out, "x8-x29 changed");
      break;
    }
  }
  uint64_t tpidr;
  asm volatile("mrs %0, tpidr_el0" : "=r"(tpidr));
  if (out.sp_after != out.sp_before || tpidr != state.tpidr) broken(state, in, out, "sp or tpidr_el0 changed");
  if (status == 0 || status == static_cast<uint64_t>(Status::would_deadlock) ||
      status == static_cast<uint64_t>(Status::would_block)) {
    check_result(state, in, out);
  } else if (out.x[6] != in.x[6] || out.x[7] != in.x[7]) {
    broken(state, in, out, "x6/x7 changed by a refused call");
  }
}

// The victim answers a plain call once it has filled its memory, so every
// thread starts fuzzing only then.
bool victim_answers(uint64_t label) {
  constexpr uint64_t words[5] = {1, 2, 3, 4, 5};
  const kestrel::Message reply = kestrel::call(service_slot, label, words);
  return reply.status == Status::ok && reply.label() == (label ^ sysfuzz::echo_label) &&
         reply.words[4] == (5 ^ sysfuzz::echo_word);
}

void summarise() {
  uint64_t calls = 0;
  uint64_t broken_count = 0;
  uint64_t statuses[10] = {};
  uint64_t status_hash = 0;
  uint64_t argument_hash = 0;
  uint64_t exercised[5] = {};
  for (const Thread_state& state : states) {
    calls += state.calls;
    for (int i = 0; i < 5; ++i) exercised[i] += state.exercised[i];
    broken_count += state.broken;
    for (int i = 0; i < 10; ++i) statuses[i] += state.statuses[i];
    status_hash = fnv(status_hash, state.status_hash);
    argument_hash = fnv(argument_hash, state.argument_hash);
  }
  kestrel::Console line = line_console();
  line.print("statuses:");
  const char* const names[10] = {" ok ",
                                 " invalid_syscall ",
                                 " invalid_capability ",
                                 " wrong_capability_type ",
                                 " missing_right ",
                                 " invalid_argument ",
                                 " bad_address ",
                                 " would_deadlock ",
                                 " would_block ",
                                 " other "};
  for (int i = 0; i < 10; ++i) line.printf("%s%lu", names[i], statuses[i]);
  line.print("\n");
  // The statuses of calls that race (would_block, would_deadlock) depend
  // on timing, so this checksum may differ between runs; the arguments'
  // checksum depends on the seed alone.
  line.printf("status checksum 0x%016lx, argument checksum 0x%016lx\n", status_hash, argument_hash);
  line.print("checked:");
  for (int i = 0; i < 5; ++i) line.printf(" %lu %s%s", exercised[i], path_names[i], i < 4 ? "," : "");
  line.print("\n");
  for (int i = 0; i < 5; ++i) {
    if (exercised[i] == 0) line.printf("a path was NEVER exercised: %s\n", path_names[i]);
  }
  if (broken_count == 0) {
    line.printf("%lu system calls from seed 0x%016lx, every answer as docs/abi.md allows\n", calls, seed);
  } else {
    line.printf("%lu system calls from seed 0x%016lx, %lu answers BROKE an invariant\n", calls, seed, broken_count);
  }
}

[[noreturn]] void fuzz(unsigned index) {
  Thread_state& state = states[index];
  state.index = index;
  state.random = Random(seed ^ (0x9e37'79b9'7f4a'7c15ULL * (index + 1)));
  state.tpidr = 0x7ead'0000'0000'0000ULL | index;
  asm volatile("msr tpidr_el0, %0" : : "r"(state.tpidr));
  // Dots to print, a line of them every 64 bytes (every thread writes the
  // same, so none ever reads a zero).
  auto* text = reinterpret_cast<volatile char*>(text_base);
  for (uint64_t i = 0; i < text_size; ++i) text[i] = i % 64 == 63 ? '\n' : '.';
  if (!victim_answers(0x5747 + index)) line_console().print("INVARIANT BROKEN: the victim does not answer\n");
  while (state.calls < calls_per_thread) fuzz_one(state);
  if (__atomic_add_fetch(&threads_done, 1, __ATOMIC_ACQ_REL) == thread_count) {
    kestrel::console_write(console_slot, "\n", 1);  // after dots, if any
    summarise();
    const kestrel::Message reply =
        kestrel::call(service_slot, sysfuzz::fuzzing_over_label, sysfuzz::fuzzing_over_words);
    if (reply.status != Status::ok) line_console().print("INVARIANT BROKEN: the victim did not answer at the end\n");
  }
  kestrel::thread_exit();
}

}  // namespace

extern "C" int main() {
  uint64_t sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  fuzz(static_cast<unsigned>((sp - 0x800000) >> 16));
}
