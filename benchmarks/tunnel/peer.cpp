// SPDX-License-Identifier: Apache-2.0
// Peer: the partition whose tunnel window mapper.cpp maps into and unmaps
// from, and the caller on whose time the passive mapper runs (an IPCM's
// serving thread must be passive): one call per round, then one that
// asks the mapper for its figures. It never touches the window.
#include <kestrel/slots.hpp>
#include <kestrel/syscall.hpp>

#include "../ipc/bench.hpp"
#include "map_protocol.hpp"

extern "C" int main() {
  const uint64_t none[kestrel::abi::message_register_words] = {};
  for (uint64_t round = 0; round < kestrel::bench::rounds; ++round) {
    kestrel::call(kestrel::slots::call_ipcm, map_bench::label_round, none, 0);
  }
  kestrel::call(kestrel::slots::call_ipcm, map_bench::label_report, none, 0);
  kestrel::thread_exit();
}
