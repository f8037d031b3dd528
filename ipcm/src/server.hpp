// SPDX-License-Identifier: Apache-2.0
// Server: what the IPCM answers to one message on its endpoint. The
// partition's receive loop (ipcm.cpp) hands each call here; the host tests
// drive it with a fake kernel. Pure: no system call, no heap.
#pragma once

#include <cstdint>

#include <kestrel/ipcm/protocol.hpp>

namespace kestrel::ipcm {

// The reply words to the message with `label` and the first `length` of
// `words` from the client with `badge` (the kernel's, never the message's).
// A message with another label is no request of this protocol: refused
// before the manager sees it. ends_stopped is the watcher's alone: only a
// call with `watcher_badge` (the IPCM's own, which no tunnel end has) may
// close another partition's tunnels.
template <typename Manager>
void answer(Manager& manager, uint64_t badge, uint64_t label, const uint64_t* words, uint64_t length,
            uint64_t watcher_badge, uint64_t (&reply_words_out)[reply_words]) {
  const Request request = decode_request(words, length);
  Reply reply{Status::bad_operation, 0, 0, 0};
  if (label != message_label) {
    // refused
  } else if (request.operation == static_cast<uint64_t>(Operation::ends_stopped)) {
    if (badge == watcher_badge) reply = {Status::ok, 0, 0, manager.ends_stopped(request.tunnel)};
  } else {
    reply = manager.handle(badge, request);
  }
  encode(reply, reply_words_out);
}

}  // namespace kestrel::ipcm
