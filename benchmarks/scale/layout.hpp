// SPDX-License-Identifier: Apache-2.0
// Scale layout: where the threads of the scale benchmark's generated systems
// have their stacks, and which capability slots each role finds where. One
// program (scale.elf) plays every role; a thread learns its role and its
// number from its stack address, so the generator (tools/kestrel, host) and
// the program (target) read the same constants from here.
#pragma once

#include <cstdint>

namespace kestrel::bench::scale {

enum class Role : uint64_t {
  filler = 0,           // waits for ever on notification slot <number> (part a)
  client = 1,           // calls its server on its CPU, times the replies (part b)
  server = 2,           // passive, serves the client, times the calls (part b)
  waiter = 3,           // waits on "wake", times the signals (part b)
  signaller = 4,        // signals "wake" of its own partition (part b)
  cross_client = 5,     // client on CPU 0 of a server on CPU 1 (part c)
  cross_server = 6,     // that server
  cross_waiter = 7,     // waits on "wake" on CPU 1, answers on "ack" (part c)
  cross_signaller = 8,  // signals "wake" from CPU 0, waits for "ack" (part c)
  hello_caller = 9,     // prints "RAN <number>", calls its server once, exits (part d)
  hello_server = 10,    // passive: prints "RAN <number>", then answers calls (part d)
};
inline constexpr uint64_t role_count = 11;

// Stack of thread <number> of role <role>: stack_size bytes at
// stack_base + role * role_stride + number * number_stride.
inline constexpr uint64_t stack_base = 0x1000'0000;
inline constexpr uint64_t role_stride = 0x0400'0000;
inline constexpr uint64_t number_stride = 0x1'0000;
inline constexpr uint64_t stack_size = 0x2000;
inline constexpr uint64_t max_number = role_stride / number_stride;  // 1024

constexpr uint64_t stack_address(Role role, uint64_t number) {
  return stack_base + static_cast<uint64_t>(role) * role_stride + number * number_stride;
}

// Where the signaller stores the counter before it signals, for the waiter
// to read: a region of their partition, or a channel between two.
inline constexpr uint64_t stamp_address = 0x60'0000;
inline constexpr uint64_t stamp_size = 0x1000;

// Capability slots, as the policy compiler numbers them (served endpoints,
// called endpoints, owned notifications, signalled notifications, the
// console last) in the systems tools/kestrel/src/bench_scale_policies.cpp
// writes.
namespace slot {
inline constexpr uint64_t call = 0;           // client, cross_client, hello_caller
inline constexpr uint64_t receive = 0;        // server, cross_server, hello_server
inline constexpr uint64_t wait = 1;           // waiter, cross_waiter: "wake"; cross_signaller: "ack"
inline constexpr uint64_t signal = 2;         // signaller, cross_signaller: "wake"; cross_waiter: "ack"
inline constexpr uint64_t console = 3;        // the roles of parts b and c but the server
inline constexpr uint64_t console_alone = 1;  // server (part b), hello_caller, hello_server
}  // namespace slot

}  // namespace kestrel::bench::scale
