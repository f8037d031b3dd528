// SPDX-License-Identifier: Apache-2.0
// Roles: what each thread of the scale benchmark's systems does (layout.hpp
// says which role a thread has); main.cpp picks one by the stack address.
#pragma once

#include <cstdint>

namespace kestrel::bench::scale {

// Part b, one CPU's pair: a one-word Call / ReplyRecv between partitions,
// then a Signal within the client's partition. `cpu` names the figures.
[[noreturn]] void run_client(uint64_t cpu);
[[noreturn]] void run_server(uint64_t cpu);
[[noreturn]] void run_waiter(uint64_t cpu);
[[noreturn]] void run_signaller();

// Part c: the same across CPUs 0 and 1.
[[noreturn]] void run_cross_client();
[[noreturn]] void run_cross_server();
[[noreturn]] void run_cross_waiter();
[[noreturn]] void run_cross_signaller();

}  // namespace kestrel::bench::scale
