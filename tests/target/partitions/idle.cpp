// SPDX-License-Identifier: Apache-2.0
// Idle: a partition program that does nothing, with a little code, data and
// .bss so every kind of segment is loaded and measured. KESTREL_MARKER is a
// string unique to each build of it, which tests find in the image to flip a
// byte of exactly this program.
#include <cstdint>

#ifndef KESTREL_MARKER
#error "define KESTREL_MARKER"
#endif

namespace {

const char marker[] = KESTREL_MARKER;
volatile uint64_t counter = 1;  // .data
volatile uint64_t scratch[64];  // .bss

}  // namespace

extern "C" int main() {
  for (;;) {
    counter = counter + scratch[counter % 64] + static_cast<uint64_t>(marker[counter % sizeof marker]);
  }
}
