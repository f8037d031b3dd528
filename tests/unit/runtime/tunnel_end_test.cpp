// SPDX-License-Identifier: Apache-2.0
// Tunnel end tests: the tunnel client's requests and its checks on the
// IPCM's answers (runtime/include/kestrel/tunnel_end.hpp), on the host.
#include <gtest/gtest.h>

#include <cstdint>

#include <kestrel/tunnel_end.hpp>

namespace {

namespace abi = kestrel::abi;
namespace ipcm = kestrel::ipcm;
using ipcm::Operation;
using ipcm::Status;
using kestrel::tunnel::answer;
using kestrel::tunnel::request;

// Tunnel 3, two instances of 0x2000 bytes from 0x10004000 in this end's window.
constexpr kestrel::Tunnel_end end{.id = 3,
                                  .ipcm = 1,
                                  .address = 0x10004000,
                                  .size = 0x2000,
                                  .max_open = 2,
                                  .writable = false,
                                  .wait_doorbell = 5,
                                  .ring_doorbell = 6};

TEST(TunnelRequest, WordsInProtocolOrder) {
  uint64_t words[ipcm::request_words];
  ipcm::encode(request(Operation::close, end, 1), words);
  EXPECT_EQ(words[0], 3u) << "operation: close";
  EXPECT_EQ(words[1], 3u) << "the tunnel's id";
  EXPECT_EQ(words[2], 1u) << "the instance";
  ipcm::encode(request(Operation::open, end, 1), words);
  EXPECT_EQ(words[0], 1u);
  EXPECT_EQ(words[2], 0u) << "only close names an instance";
  ipcm::encode(request(Operation::accept, end), words);
  EXPECT_EQ(words[0], 2u);
  // What the IPCM decodes is what the client meant.
  const ipcm::Request back = ipcm::decode_request(words, ipcm::request_words);
  EXPECT_EQ(back.operation, 2u);
  EXPECT_EQ(back.tunnel, 3u);
}

TEST(TunnelAnswer, AnOkOpenGivesTheInstancesPlaceInTheWindow) {
  const uint64_t reply[] = {0, 0x10006000, 0x2000, 1};
  const kestrel::Tunnel_answer opened = answer(Operation::open, end, abi::Status::ok, reply, 4);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened.view.address, 0x10006000u);
  EXPECT_EQ(opened.view.size, 0x2000u);
  EXPECT_EQ(opened.view.instance, 1u);
  EXPECT_FALSE(opened.view.writable) << "this end only reads";
  EXPECT_EQ(opened.view.bytes(), reinterpret_cast<uint8_t*>(0x10006000));
}

TEST(TunnelAnswer, AnOkReplyNamingAnyOtherPlaceIsABadReply) {
  const uint64_t wrong_address[] = {0, 0x400000, 0x2000, 0};     // the end's own data
  const uint64_t other_instance[] = {0, 0x10006000, 0x2000, 0};  // instance 1's place for instance 0
  const uint64_t wrong_size[] = {0, 0x10004000, 0x4000, 0};
  const uint64_t past_max_open[] = {0, 0x10008000, 0x2000, 2};
  for (const uint64_t* reply : {wrong_address, other_instance, wrong_size, past_max_open}) {
    const kestrel::Tunnel_answer accepted = answer(Operation::accept, end, abi::Status::ok, reply, 4);
    EXPECT_FALSE(accepted.ok());
    EXPECT_EQ(accepted.status, Status::bad_reply);
    EXPECT_EQ(accepted.view.address, 0u) << "no view of memory the policy did not give the tunnel";
  }
}

TEST(TunnelAnswer, RefusalsPassThroughWithoutAView) {
  const uint64_t reply[] = {uint64_t(Status::quota_exceeded), 0x10004000, 0x2000, 0};
  const kestrel::Tunnel_answer refused = answer(Operation::open, end, abi::Status::ok, reply, 4);
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(refused.status, Status::quota_exceeded);
  EXPECT_EQ(refused.view.address, 0u);
}

TEST(TunnelAnswer, AFailedCallOrAnUnreadableReplyIsABadReply) {
  const uint64_t ok_reply[] = {0, 0x10004000, 0x2000, 0};
  const kestrel::Tunnel_answer unreachable = answer(Operation::open, end, abi::Status::peer_stopped, ok_reply, 4);
  EXPECT_FALSE(unreachable.ok());
  EXPECT_EQ(unreachable.ipc, abi::Status::peer_stopped);
  EXPECT_EQ(unreachable.status, Status::bad_reply);
  EXPECT_EQ(answer(Operation::open, end, abi::Status::ok, ok_reply, 0).status, Status::bad_reply) << "no words";
  const uint64_t unknown_status[] = {uint64_t(Status::bad_reply), 0, 0, 0};
  EXPECT_EQ(answer(Operation::close, end, abi::Status::ok, unknown_status, 4).status, Status::bad_reply);
  const uint64_t far_status[] = {1000, 0, 0, 0};
  EXPECT_EQ(answer(Operation::close, end, abi::Status::ok, far_status, 4).status, Status::bad_reply);
  // A short ok reply to an open lacks the place: its words read as 0.
  EXPECT_EQ(answer(Operation::open, end, abi::Status::ok, ok_reply, 1).status, Status::bad_reply);
}

TEST(TunnelAnswer, AnOkCloseNeedsNoPlace) {
  const uint64_t reply[] = {0, 0, 0, 1};
  const kestrel::Tunnel_answer closed = answer(Operation::close, end, abi::Status::ok, reply, 4);
  EXPECT_TRUE(closed.ok());
  EXPECT_EQ(closed.view.instance, 1u);
}

TEST(Doorbell, ItsBitsSayWhoRang) {
  const kestrel::Doorbell peer{abi::Status::ok, ipcm::doorbell_from_peer};
  EXPECT_TRUE(peer.from_peer());
  EXPECT_FALSE(peer.from_ipcm());
  const kestrel::Doorbell both{abi::Status::ok, ipcm::doorbell_from_peer | ipcm::doorbell_from_ipcm};
  EXPECT_TRUE(both.from_peer());
  EXPECT_TRUE(both.from_ipcm());
  EXPECT_FALSE(kestrel::Doorbell{}.from_peer());
}

}  // namespace
