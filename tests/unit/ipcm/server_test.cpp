// SPDX-License-Identifier: Apache-2.0
// Server: the IPCM's answer to one message (ipcm/src/server.hpp), on a fake
// kernel: how it decodes the request words, what it refuses before the
// manager sees it, the reply words; and a round trip through the tunnel
// client's encoding (kestrel/tunnel_end.hpp), as alpha and beta of
// examples/tunnel go through it on the target.
#include <gtest/gtest.h>

#include <vector>

#include <kestrel/ipcm/manager.hpp>
#include <kestrel/policy/tunnel_table_writer.hpp>
#include <kestrel/tunnel_end.hpp>

#include "../../../ipcm/src/server.hpp"

namespace {

namespace abi = kestrel::abi;
namespace ipcm = kestrel::ipcm;
namespace policy = kestrel::policy;
using ipcm::Operation;
using ipcm::Status;

struct Fake_kernel {
  std::vector<ipcm::Map_call> maps;
  std::vector<ipcm::Unmap_call> unmaps;
  std::vector<uint32_t> signals;
  bool map(const ipcm::Map_call& call) {
    maps.push_back(call);
    return true;
  }
  bool unmap(const ipcm::Unmap_call& call) {
    unmaps.push_back(call);
    return true;
  }
  void signal(uint32_t slot, uint64_t) { signals.push_back(slot); }
};

constexpr uint64_t alpha = 1, beta = 2;  // badges
constexpr uint64_t watcher = 3;          // the IPCM's own badge: its watcher's
constexpr uint64_t page = 0x1000;
constexpr uint32_t rw = abi::tunnel_read | abi::tunnel_write;

// One tunnel "data" of 2 pages between alpha (window 0x10000000) and beta
// (0x20000000), doorbells in the IPCM's slots 7 and 8, as examples/tunnel.
policy::Tunnel_table_contents contents() {
  policy::Tunnel_table_contents table;
  table.header.max_open_per_end = 8;
  table.header.pool_address = 0x1000000;
  table.header.pool_pages = 2;
  table.header.pool_slot = 3;
  table.clients.push_back({alpha, 0x10000000, 2, 0, 5, 0});
  table.clients.push_back({beta, 0x20000000, 2, 0, 6, 0});
  table.tunnels.push_back({0, 2, 1, abi::tunnel_doorbell, {{0, rw, 0, 7}, {1, rw, 0, 8}}});
  return table;
}

// The tunnel as each end's kestrel/slots.hpp gives it.
constexpr kestrel::Tunnel_end alpha_end{.id = 0,
                                        .ipcm = 4,
                                        .address = 0x10000000,
                                        .size = 2 * page,
                                        .max_open = 1,
                                        .writable = true,
                                        .wait_doorbell = 9,
                                        .ring_doorbell = 10};
constexpr kestrel::Tunnel_end beta_end{.id = 0,
                                       .ipcm = 4,
                                       .address = 0x20000000,
                                       .size = 2 * page,
                                       .max_open = 1,
                                       .writable = true,
                                       .wait_doorbell = 9,
                                       .ring_doorbell = 10};

class IpcmServer : public testing::Test {
 protected:
  void SetUp() override {
    bytes_ = policy::write_tunnel_table(contents());
    pool_.assign(2 * page, 0);
    ASSERT_EQ(manager_.start(bytes_.data(), bytes_.size(), pool_.data()), ipcm::Start_error::none);
  }

  // The reply words to a message of `length` words.
  std::vector<uint64_t> answer(uint64_t badge, uint64_t label, std::vector<uint64_t> words, uint64_t length) {
    uint64_t reply[ipcm::reply_words] = {~0ULL, ~0ULL, ~0ULL, ~0ULL};
    ipcm::answer(manager_, badge, label, words.data(), length, watcher, reply);
    return {reply, reply + ipcm::reply_words};
  }

  // What an end's open, accept or close comes to, through both encodings.
  kestrel::Tunnel_answer ask(uint64_t badge, Operation operation, const kestrel::Tunnel_end& end,
                             uint64_t instance = 0) {
    uint64_t request[ipcm::request_words];
    ipcm::encode(kestrel::tunnel::request(operation, end, instance), request);
    uint64_t reply[ipcm::reply_words];
    ipcm::answer(manager_, badge, ipcm::message_label, request, ipcm::request_words, watcher, reply);
    return kestrel::tunnel::answer(operation, end, abi::Status::ok, reply, ipcm::reply_words);
  }

  Fake_kernel kernel_;
  ipcm::Manager<Fake_kernel, 1, 1, 2, 2> manager_{kernel_};
  std::vector<uint8_t> bytes_;
  std::vector<uint8_t> pool_;
};

TEST_F(IpcmServer, AnOpenRequestIsDecodedAndItsReplyEncodedInProtocolOrder) {
  const auto reply = answer(alpha, ipcm::message_label, {uint64_t(Operation::open), 0, 0}, 3);
  EXPECT_EQ(reply, (std::vector<uint64_t>{uint64_t(Status::ok), 0x10000000, 2 * page, 0}))
      << "status, address, size, instance";
  ASSERT_EQ(kernel_.maps.size(), 1u);
  EXPECT_EQ(kernel_.maps[0].client, 0u) << "the badge the kernel delivered names the client";
  EXPECT_EQ(kernel_.signals, std::vector<uint32_t>{8}) << "beta's doorbell";
}

TEST_F(IpcmServer, TheClientIsTheKernelsBadgeNotAnythingInTheMessage) {
  // Beta's request, whatever its words say, maps into beta's window.
  const auto reply = answer(beta, ipcm::message_label, {uint64_t(Operation::open), 0, alpha}, 3);
  EXPECT_EQ(reply[1], 0x20000000u);
  ASSERT_EQ(kernel_.maps.size(), 1u);
  EXPECT_EQ(kernel_.maps[0].client, 1u);
  EXPECT_EQ(answer(77, ipcm::message_label, {uint64_t(Operation::open), 0, 0}, 3)[0], uint64_t(Status::unknown_client));
}

TEST_F(IpcmServer, AnotherLabelIsRefusedBeforeTheManagerSeesIt) {
  const auto reply = answer(alpha, 1, {uint64_t(Operation::open), 0, 0}, 3);
  EXPECT_EQ(reply, (std::vector<uint64_t>{uint64_t(Status::bad_operation), 0, 0, 0}));
  EXPECT_TRUE(kernel_.maps.empty());
}

TEST_F(IpcmServer, WordsPastTheMessagesLengthAreZero) {
  // A one-word open names tunnel 0 whatever the registers held after it.
  EXPECT_EQ(answer(alpha, ipcm::message_label, {uint64_t(Operation::open), 5, 0}, 1)[0], uint64_t(Status::ok));
  // A close without its instance word closes instance 0, not instance 9.
  EXPECT_EQ(answer(alpha, ipcm::message_label, {uint64_t(Operation::close), 0, 9}, 2)[0], uint64_t(Status::ok));
  EXPECT_EQ(kernel_.unmaps.size(), 1u);
  // An empty message is operation 0: no operation.
  EXPECT_EQ(answer(alpha, ipcm::message_label, {uint64_t(Operation::open), 0, 0}, 0)[0],
            uint64_t(Status::bad_operation));
  EXPECT_EQ(answer(alpha, ipcm::message_label, {99, 0, 0}, 3)[0], uint64_t(Status::bad_operation));
}

TEST_F(IpcmServer, BothEndsThroughTheClientEncoding) {
  const auto opened = ask(alpha, Operation::open, alpha_end);
  ASSERT_TRUE(opened.ok()) << int(opened.status);
  EXPECT_EQ(opened.view.address, 0x10000000u);
  EXPECT_EQ(opened.view.size, 2 * page);
  EXPECT_TRUE(opened.view.writable);
  const auto accepted = ask(beta, Operation::accept, beta_end);
  ASSERT_TRUE(accepted.ok()) << int(accepted.status);
  EXPECT_EQ(accepted.view.address, 0x20000000u);
  EXPECT_EQ(ask(beta, Operation::accept, beta_end).status, Status::nothing_to_accept);
  const auto closed = ask(beta, Operation::close, beta_end, accepted.view.instance);
  EXPECT_TRUE(closed.ok()) << int(closed.status);
  EXPECT_EQ(kernel_.unmaps.size(), 2u) << "unmapped from both ends";
  EXPECT_EQ(ask(alpha, Operation::close, alpha_end, 0).status, Status::not_open);
}

}  // namespace

// The watcher's word closes the tunnels of the ends whose bits it sets (bit
// i: the table's client i), and only the watcher's badge may send it: a
// tunnel end cannot close the other end's tunnels by claiming it stopped.
TEST_F(IpcmServer, OnlyTheWatcherMayCloseTheTunnelsOfStoppedEnds) {
  ASSERT_EQ(ask(alpha, Operation::open, alpha_end).status, Status::ok);
  ASSERT_EQ(ask(beta, Operation::accept, beta_end).status, Status::ok);
  const uint64_t beta_stopped = 1U << 1;
  EXPECT_EQ(answer(alpha, ipcm::message_label, {uint64_t(Operation::ends_stopped), beta_stopped, 0}, 3)[0],
            uint64_t(Status::bad_operation));
  EXPECT_EQ(answer(beta, ipcm::message_label, {uint64_t(Operation::ends_stopped), beta_stopped, 0}, 3)[0],
            uint64_t(Status::bad_operation));
  EXPECT_TRUE(kernel_.unmaps.empty()) << "a refused word closes nothing";
  EXPECT_EQ(manager_.state(0, 0), ipcm::Instance_state::open);
  kernel_.signals.clear();
  const auto reply = answer(watcher, ipcm::message_label, {uint64_t(Operation::ends_stopped), beta_stopped, 0}, 3);
  EXPECT_EQ(reply, (std::vector<uint64_t>{uint64_t(Status::ok), 0, 0, 1})) << "one instance closed";
  EXPECT_EQ(kernel_.unmaps.size(), 2u) << "unmapped from both ends";
  EXPECT_EQ(manager_.state(0, 0), ipcm::Instance_state::closed);
  EXPECT_EQ(kernel_.signals, std::vector<uint32_t>{7}) << "alpha hears it on its doorbell";
  EXPECT_EQ(manager_.free_pool_pages(), 2u) << "the pages are back in the pool";
  // A word naming no client with tunnels, or only bits past the clients, closes nothing.
  EXPECT_EQ(answer(watcher, ipcm::message_label, {uint64_t(Operation::ends_stopped), 1ULL << 63, 0}, 3),
            (std::vector<uint64_t>{uint64_t(Status::ok), 0, 0, 0}));
  // The watcher's badge is no tunnel end's: it cannot open.
  EXPECT_EQ(answer(watcher, ipcm::message_label, {uint64_t(Operation::open), 0, 0}, 3)[0],
            uint64_t(Status::unknown_client));
}
