// SPDX-License-Identifier: Apache-2.0
// Manager: the IPCM's state machine on a fake kernel that records every
// map, unmap and signal and can refuse one, over a pool in host memory.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include <kestrel/ipcm/manager.hpp>
#include <kestrel/policy/tunnel_table_writer.hpp>

namespace {

// Aliases, not `using namespace kestrel`: <cxxabi.h> has a global `abi`.
namespace abi = kestrel::abi;
namespace ipcm = kestrel::ipcm;
namespace policy = kestrel::policy;
using ipcm::Instance_state;
using ipcm::Operation;
using ipcm::Reply;
using ipcm::Status;

struct Fake_kernel {
  std::vector<ipcm::Map_call> maps;
  std::vector<ipcm::Unmap_call> unmaps;
  std::vector<std::pair<uint32_t, uint64_t>> signals;
  int refuse_map_in = -1;  // refuse the map this many calls from now (0: the next)
  bool refuse_unmaps = false;

  bool map(const ipcm::Map_call& call) {
    if (refuse_map_in >= 0 && refuse_map_in-- == 0) return false;
    maps.push_back(call);
    return true;
  }
  bool unmap(const ipcm::Unmap_call& call) {
    if (refuse_unmaps) return false;
    unmaps.push_back(call);
    return true;
  }
  void signal(uint32_t slot, uint64_t badge) { signals.emplace_back(slot, badge); }
};

constexpr uint64_t a = 10, b = 20, c = 30;       // badges
constexpr uint32_t data = 0, log = 1, side = 2;  // tunnel ids
constexpr uint32_t a_doorbell = 5, b_doorbell = 6;
constexpr uint64_t page = 0x1000;
constexpr uint32_t rw = abi::tunnel_read | abi::tunnel_write;

// a <-> b "data" (2 pages, doorbells), a -> b "log" (1 page, 2 at once),
// c <-> b "side" (1 page). Clients: a = 0, b = 1, c = 2.
policy::Tunnel_table_contents contents(uint32_t pool_pages = 6, uint32_t max_open_per_end = 3) {
  policy::Tunnel_table_contents table;
  table.header.max_open_per_end = max_open_per_end;
  table.header.pool_address = 0x800000;
  table.header.pool_pages = pool_pages;
  table.header.pool_slot = 1;
  table.clients.push_back({a, 0x10000000, 8, 0, 11, 0});
  table.clients.push_back({b, 0x20000000, 8, 0, 12, 0});
  table.clients.push_back({c, 0x30000000, 8, 0, 13, 0});
  table.tunnels.push_back({data, 2, 1, abi::tunnel_doorbell, {{0, rw, 0, a_doorbell}, {1, rw, 0, b_doorbell}}});
  table.tunnels.push_back(
      {log, 1, 2, 0, {{0, rw, 2, abi::tunnel_no_slot}, {1, abi::tunnel_read, 2, abi::tunnel_no_slot}}});
  table.tunnels.push_back({side, 1, 1, 0, {{2, rw, 0, abi::tunnel_no_slot}, {1, rw, 4, abi::tunnel_no_slot}}});
  return table;
}

class IpcmManager : public testing::Test {
 protected:
  void start(const policy::Tunnel_table_contents& table = contents()) {
    bytes_ = policy::write_tunnel_table(table);
    pool_.assign(size_t{table.header.pool_pages} * page, 0xee);  // start() must zero it
    ASSERT_EQ(manager_.start(bytes_.data(), bytes_.size(), pool_.data()), ipcm::Start_error::none);
  }
  void SetUp() override { start(); }

  Reply open(uint64_t badge, uint64_t tunnel) { return manager_.handle(badge, {uint64_t(Operation::open), tunnel, 0}); }
  Reply accept(uint64_t badge, uint64_t tunnel) {
    return manager_.handle(badge, {uint64_t(Operation::accept), tunnel, 0});
  }
  Reply close(uint64_t badge, uint64_t tunnel, uint64_t instance = 0) {
    return manager_.handle(badge, {uint64_t(Operation::close), tunnel, instance});
  }
  // What an end would write through its mapping of pool page `first`.
  void scribble(uint32_t first, uint32_t pages) {
    std::fill_n(pool_.begin() + first * page, pages * page, uint8_t{0x5a});
  }
  bool pool_is_zero() const {
    return std::all_of(pool_.begin(), pool_.end(), [](uint8_t byte) { return byte == 0; });
  }

  Fake_kernel kernel_;
  ipcm::Manager<Fake_kernel, 8, 16, 4, 64> manager_{kernel_};
  std::vector<uint8_t> bytes_;
  std::vector<uint8_t> pool_;
};

TEST_F(IpcmManager, OpensAcceptsAndClosesATunnel) {
  EXPECT_TRUE(pool_is_zero()) << "start zeroes the pool";
  const Reply opened = open(a, data);
  ASSERT_EQ(opened.status, Status::ok);
  EXPECT_EQ(opened.address, 0x10000000u);
  EXPECT_EQ(opened.size, 2 * page);
  EXPECT_EQ(opened.instance, 0u);
  EXPECT_EQ(manager_.state(data, 0), Instance_state::opening);
  ASSERT_EQ(kernel_.maps.size(), 1u);
  EXPECT_EQ(kernel_.maps[0].client, 0u);
  EXPECT_EQ(kernel_.maps[0].map_into_slot, 11u);
  EXPECT_EQ(kernel_.maps[0].pool_page, 0u);
  EXPECT_EQ(kernel_.maps[0].pages, 2u);
  EXPECT_EQ(kernel_.maps[0].window_page, 0u);
  EXPECT_EQ(kernel_.maps[0].rights, rw);
  ASSERT_EQ(kernel_.signals.size(), 1u);  // b hears that a asked
  EXPECT_EQ(kernel_.signals[0], std::make_pair(b_doorbell, ipcm::doorbell_from_ipcm));

  const Reply accepted = accept(b, data);
  ASSERT_EQ(accepted.status, Status::ok);
  EXPECT_EQ(accepted.address, 0x20000000u);
  EXPECT_EQ(manager_.state(data, 0), Instance_state::open);
  ASSERT_EQ(kernel_.maps.size(), 2u);
  EXPECT_EQ(kernel_.maps[1].client, 1u);
  EXPECT_EQ(kernel_.maps[1].pool_page, 0u) << "both ends map the same pages";
  EXPECT_EQ(kernel_.signals.back(), std::make_pair(a_doorbell, ipcm::doorbell_from_ipcm));
  EXPECT_EQ(manager_.free_pool_pages(), 4u);

  scribble(0, 2);
  ASSERT_EQ(close(b, data).status, Status::ok);
  EXPECT_EQ(manager_.state(data, 0), Instance_state::closed);
  ASSERT_EQ(kernel_.unmaps.size(), 2u);
  EXPECT_EQ(kernel_.unmaps[0].client, 0u);
  EXPECT_EQ(kernel_.unmaps[1].client, 1u);
  EXPECT_EQ(kernel_.unmaps[1].pages, 2u);
  EXPECT_EQ(kernel_.signals.back(), std::make_pair(a_doorbell, ipcm::doorbell_from_ipcm));
  EXPECT_TRUE(pool_is_zero()) << "closing zeroes the pages before they are reused";
  EXPECT_EQ(manager_.free_pool_pages(), 6u);
  EXPECT_EQ(manager_.held_by(a), 0u);
  EXPECT_EQ(manager_.held_by(b), 0u);
}

TEST_F(IpcmManager, EachEndGetsItsAccessAndItsPlaceInItsWindow) {
  ASSERT_EQ(open(a, log).status, Status::ok);
  const Reply second = open(b, log);  // b asks for the other instance
  ASSERT_EQ(second.status, Status::ok);
  EXPECT_EQ(second.instance, 1u);
  EXPECT_EQ(second.address, 0x20000000u + 3 * page);  // window offset 2, instance 1 of 1 page
  EXPECT_EQ(kernel_.maps[0].rights, rw);
  EXPECT_EQ(kernel_.maps[1].rights, abi::tunnel_read);
  const Reply accepted = accept(b, log);
  ASSERT_EQ(accepted.status, Status::ok);
  EXPECT_EQ(accepted.instance, 0u);
  EXPECT_EQ(kernel_.maps[2].rights, abi::tunnel_read) << "the log's second end only reads";
}

TEST_F(IpcmManager, RefusesUnknownClientsTunnelsAndOperations) {
  EXPECT_EQ(open(99, data).status, Status::unknown_client);
  EXPECT_EQ(open(a, 3).status, Status::unknown_tunnel);
  EXPECT_EQ(open(a, uint64_t{1} << 40).status, Status::unknown_tunnel);
  EXPECT_EQ(manager_.handle(a, {7, data, 0}).status, Status::bad_operation);
  EXPECT_EQ(manager_.handle(a, {0, data, 0}).status, Status::bad_operation);
  EXPECT_TRUE(kernel_.maps.empty());
}

TEST_F(IpcmManager, RefusesAPartitionThatIsNotAnEnd) {
  EXPECT_EQ(open(c, data).status, Status::not_an_end);
  ASSERT_EQ(open(a, data).status, Status::ok);
  EXPECT_EQ(accept(c, data).status, Status::not_an_end);
  EXPECT_EQ(close(c, data).status, Status::not_an_end);
  EXPECT_EQ(manager_.state(data, 0), Instance_state::opening);
}

TEST_F(IpcmManager, RefusesASecondRequestWhileTheFirstWaits) {
  ASSERT_EQ(open(a, log).status, Status::ok);
  EXPECT_EQ(open(a, log).status, Status::already_open);
  EXPECT_EQ(manager_.state(log, 1), Instance_state::closed);
}

TEST_F(IpcmManager, RefusesMoreInstancesThanThePolicyAllows) {
  ASSERT_EQ(open(a, data).status, Status::ok);
  ASSERT_EQ(accept(b, data).status, Status::ok);
  EXPECT_EQ(open(a, data).status, Status::max_open_reached);
  EXPECT_EQ(open(b, data).status, Status::max_open_reached);
  EXPECT_EQ(kernel_.maps.size(), 2u);
}

TEST_F(IpcmManager, AcceptsOnlyWhatTheOtherEndAskedFor) {
  EXPECT_EQ(accept(b, data).status, Status::nothing_to_accept);
  ASSERT_EQ(open(a, data).status, Status::ok);
  EXPECT_EQ(accept(a, data).status, Status::nothing_to_accept) << "an end cannot accept its own request";
  EXPECT_EQ(close(a, data, 1).status, Status::not_open);
  EXPECT_EQ(close(b, log).status, Status::not_open);
}

TEST_F(IpcmManager, AQuotaStopsOneEndAndNoOther) {
  start(contents(6, 2));
  ASSERT_EQ(open(b, data).status, Status::ok);
  ASSERT_EQ(open(b, side).status, Status::ok);
  EXPECT_EQ(open(b, log).status, Status::quota_exceeded);
  EXPECT_EQ(manager_.held_by(b), 2u);
  // The others are not affected: a and c hold their own tunnels.
  EXPECT_EQ(open(a, log).status, Status::ok);
  EXPECT_EQ(accept(a, data).status, Status::ok);
  EXPECT_EQ(accept(c, side).status, Status::ok);
  EXPECT_EQ(accept(a, log).status, Status::nothing_to_accept);
  EXPECT_EQ(open(a, log).status, Status::already_open);
  // a holds 2 now (data, its log request): it may not accept more.
  ASSERT_EQ(close(b, side).status, Status::ok);
  ASSERT_EQ(open(b, log).status, Status::ok);
  EXPECT_EQ(accept(a, log).status, Status::quota_exceeded);
}

TEST_F(IpcmManager, FloodingCostsOnlyTheFlooder) {
  for (int i = 0; i < 1000; ++i) {
    const Status status = open(b, log).status;
    ASSERT_EQ(status, i == 0 ? Status::ok : Status::already_open) << i;
  }
  EXPECT_EQ(manager_.held_by(b), 1u);
  EXPECT_EQ(open(a, data).status, Status::ok);
  EXPECT_EQ(open(a, log).status, Status::ok);
  EXPECT_EQ(open(c, side).status, Status::ok);
}

TEST_F(IpcmManager, RefusesWhenThePoolIsExhausted) {
  start(contents(2));
  ASSERT_EQ(open(a, data).status, Status::ok);
  EXPECT_EQ(open(a, log).status, Status::pool_exhausted);
  EXPECT_EQ(manager_.state(log, 0), Instance_state::closed);
  EXPECT_EQ(manager_.held_by(a), 1u);
  EXPECT_EQ(kernel_.maps.size(), 1u);
}

TEST_F(IpcmManager, AFailedMapOnOpenLeavesNothing) {
  kernel_.refuse_map_in = 0;
  EXPECT_EQ(open(a, data).status, Status::map_failed);
  EXPECT_EQ(manager_.state(data, 0), Instance_state::closed);
  EXPECT_EQ(manager_.free_pool_pages(), 6u);
  EXPECT_EQ(manager_.held_by(a), 0u);
  EXPECT_TRUE(kernel_.unmaps.empty());
  EXPECT_EQ(open(a, data).status, Status::ok);
}

TEST_F(IpcmManager, AFailedMapIntoTheSecondEndUnmapsTheFirst) {
  ASSERT_EQ(open(a, data).status, Status::ok);
  scribble(0, 2);  // a wrote before b came
  kernel_.refuse_map_in = 0;
  EXPECT_EQ(accept(b, data).status, Status::map_failed);
  ASSERT_EQ(kernel_.unmaps.size(), 1u);
  EXPECT_EQ(kernel_.unmaps[0].client, 0u);
  EXPECT_EQ(kernel_.unmaps[0].window_page, 0u);
  EXPECT_EQ(kernel_.unmaps[0].pages, 2u);
  EXPECT_EQ(manager_.state(data, 0), Instance_state::closed);
  EXPECT_EQ(manager_.free_pool_pages(), 6u);
  EXPECT_TRUE(pool_is_zero());
  EXPECT_EQ(manager_.held_by(a), 0u);
  EXPECT_EQ(manager_.held_by(b), 0u);
  EXPECT_EQ(kernel_.signals.back(), std::make_pair(a_doorbell, ipcm::doorbell_from_ipcm)) << "a hears it closed";
}

TEST_F(IpcmManager, AStoppedEndClosesItsTunnelsAndOnlyThose) {
  ASSERT_EQ(open(a, data).status, Status::ok);
  ASSERT_EQ(accept(b, data).status, Status::ok);
  ASSERT_EQ(open(a, log).status, Status::ok);
  ASSERT_EQ(open(b, side).status, Status::ok);
  scribble(0, 4);  // data, the log, side
  EXPECT_EQ(manager_.end_stopped(a), 2u);
  EXPECT_EQ(manager_.state(data, 0), Instance_state::closed);
  EXPECT_EQ(manager_.state(log, 0), Instance_state::closed);
  EXPECT_EQ(manager_.state(side, 0), Instance_state::opening);
  EXPECT_EQ(kernel_.unmaps.size(), 3u);  // data from a and b, the log from a
  EXPECT_EQ(manager_.held_by(a), 0u);
  EXPECT_EQ(manager_.held_by(b), 1u);
  EXPECT_EQ(manager_.free_pool_pages(), 5u);
  EXPECT_TRUE(std::all_of(pool_.begin(), pool_.begin() + 3 * page, [](uint8_t x) { return x == 0; }));
  EXPECT_EQ(pool_[3 * page], 0x5a) << "side's page is still b's";
  // Reopened, the tunnel gets zeroed pages.
  const Reply again = open(b, data);
  ASSERT_EQ(again.status, Status::ok);
  EXPECT_EQ(kernel_.maps.back().pool_page, 0u);
  EXPECT_EQ(pool_[0], 0);
  EXPECT_EQ(manager_.end_stopped(99), 0u);
}

// The watcher's word: bit i for the table's client i (a 0, b 1, c 2).
TEST_F(IpcmManager, TheWatchersWordClosesTheTunnelsOfEveryEndItNames) {
  ASSERT_EQ(open(a, data).status, Status::ok);
  ASSERT_EQ(open(a, log).status, Status::ok);
  ASSERT_EQ(open(b, side).status, Status::ok);
  EXPECT_EQ(manager_.ends_stopped(0), 0u) << "no bit, nothing closed";
  EXPECT_EQ(manager_.ends_stopped(1U << 2), 1u) << "c stopped: side, which b asked for";
  EXPECT_EQ(manager_.state(side, 0), Instance_state::closed);
  EXPECT_EQ(manager_.state(data, 0), Instance_state::opening);
  EXPECT_EQ(manager_.held_by(b), 0u);
  EXPECT_EQ(manager_.ends_stopped(1U << 0 | 1ULL << 63), 2u) << "a: data and log; bits past the clients ignored";
  EXPECT_EQ(manager_.state(data, 0), Instance_state::closed);
  EXPECT_EQ(manager_.state(log, 0), Instance_state::closed);
  EXPECT_EQ(manager_.held_by(a), 0u);
  EXPECT_EQ(manager_.free_pool_pages(), 6u);
}

TEST_F(IpcmManager, PagesARefusedUnmapLeftMappedAreNeverReused) {
  ASSERT_EQ(open(a, data).status, Status::ok);
  ASSERT_EQ(accept(b, data).status, Status::ok);
  kernel_.refuse_unmaps = true;
  EXPECT_EQ(close(a, data).status, Status::unmap_failed);
  EXPECT_EQ(manager_.state(data, 0), Instance_state::closing);
  EXPECT_EQ(manager_.free_pool_pages(), 4u);
  ASSERT_EQ(open(a, log).status, Status::ok);
  EXPECT_EQ(kernel_.maps.back().pool_page, 2u) << "not the closing tunnel's pages";
  EXPECT_EQ(open(a, data).status, Status::max_open_reached);
  kernel_.refuse_unmaps = false;
  EXPECT_EQ(close(b, data).status, Status::ok);
  EXPECT_EQ(manager_.state(data, 0), Instance_state::closed);
  EXPECT_EQ(manager_.free_pool_pages(), 5u);
}

TEST(IpcmManagerStart, RefusesWhatItCannotServe) {
  Fake_kernel kernel;
  std::vector<uint8_t> pool(6 * page);
  std::vector<uint8_t> bytes = policy::write_tunnel_table(contents());
  ipcm::Manager<Fake_kernel, 8, 16, 4, 64> manager{kernel};
  EXPECT_EQ(manager.start(bytes.data(), bytes.size() - 1, pool.data()), ipcm::Start_error::bad_table);
  EXPECT_EQ(manager.table_error(), ipcm::Table_error::too_short);
  EXPECT_EQ(manager.handle(a, {uint64_t(Operation::open), data, 0}).status, Status::unknown_client)
      << "nothing is served before a good start";
  EXPECT_EQ(manager.start(bytes.data(), bytes.size(), nullptr), ipcm::Start_error::no_pool_memory);
  ipcm::Manager<Fake_kernel, 2, 16, 4, 64> few_tunnels{kernel};
  EXPECT_EQ(few_tunnels.start(bytes.data(), bytes.size(), pool.data()), ipcm::Start_error::too_large);
  ipcm::Manager<Fake_kernel, 8, 3, 4, 64> few_instances{kernel};
  EXPECT_EQ(few_instances.start(bytes.data(), bytes.size(), pool.data()), ipcm::Start_error::too_large);
  ipcm::Manager<Fake_kernel, 8, 16, 4, 4> small_pool{kernel};
  EXPECT_EQ(small_pool.start(bytes.data(), bytes.size(), pool.data()), ipcm::Start_error::too_large);
}

// A VM end (the table's flag): its VMM calls with the VM's own badge, and
// the manager serves it as any client, mapping into the VM's window (its
// "map into" slot) and ringing the doorbell the VMM waits on. The VMM's
// own badge, if it is an end itself, is another client.
TEST(IpcmManagerVm, ServesAVmThroughItsBadge) {
  constexpr uint64_t vm = 40, vmm = 50;
  constexpr uint32_t vm_doorbell = 7;
  policy::Tunnel_table_contents table;
  table.header.max_open_per_end = 2;
  table.header.pool_address = 0x800000;
  table.header.pool_pages = 3;
  table.header.pool_slot = 1;
  table.clients.push_back({a, 0x10000000, 3, 0, 11, 0});
  table.clients.push_back({vm, 0x60000000, 2, abi::tunnel_client_is_vm, 14, 0});
  table.clients.push_back({vmm, 0x70000000, 1, 0, 15, 0});
  table.tunnels.push_back({0, 2, 1, abi::tunnel_doorbell, {{0, rw, 0, a_doorbell}, {1, rw, 0, vm_doorbell}}});
  table.tunnels.push_back({1, 1, 1, 0, {{0, rw, 2, abi::tunnel_no_slot}, {2, rw, 0, abi::tunnel_no_slot}}});
  const std::vector<uint8_t> bytes = policy::write_tunnel_table(table);
  std::vector<uint8_t> pool(3 * page);
  Fake_kernel kernel;
  ipcm::Manager<Fake_kernel, 2, 2, 3, 3> manager{kernel};
  ASSERT_EQ(manager.start(bytes.data(), bytes.size(), pool.data()), ipcm::Start_error::none);

  const Reply opened = manager.handle(vm, {uint64_t(Operation::open), 0, 0});
  ASSERT_EQ(opened.status, Status::ok) << "a VM's request is served, not refused";
  EXPECT_EQ(opened.address, 0x60000000u);
  ASSERT_EQ(kernel.maps.size(), 1u);
  EXPECT_EQ(kernel.maps[0].client, 1u);
  EXPECT_EQ(kernel.maps[0].map_into_slot, 14u) << "into the VM's window";
  EXPECT_EQ(kernel.signals.back(), std::make_pair(a_doorbell, ipcm::doorbell_from_ipcm));
  EXPECT_EQ(manager.held_by(vm), 1u);
  EXPECT_EQ(manager.held_by(vmm), 0u) << "the VMM's own badge is another client";
  EXPECT_EQ(manager.handle(vmm, {uint64_t(Operation::accept), 0, 0}).status, Status::not_an_end)
      << "the VMM cannot take its VM's place";

  ASSERT_EQ(manager.handle(a, {uint64_t(Operation::accept), 0, 0}).status, Status::ok);
  EXPECT_EQ(kernel.signals.back(), std::make_pair(vm_doorbell, ipcm::doorbell_from_ipcm))
      << "the VM's doorbell, which its VMM waits on";
  ASSERT_EQ(manager.handle(a, {uint64_t(Operation::close), 0, 0}).status, Status::ok);
  ASSERT_EQ(kernel.unmaps.size(), 2u);
  EXPECT_EQ(kernel.unmaps[1].map_into_slot, 14u) << "unmapped from the VM too";
  EXPECT_EQ(kernel.signals.back(), std::make_pair(vm_doorbell, ipcm::doorbell_from_ipcm));
  EXPECT_EQ(manager.handle(vm, {uint64_t(Operation::close), 0, 0}).status, Status::not_open)
      << "what the guest sees after the other end closed";
  EXPECT_EQ(manager.end_stopped(vm), 0u);
}

}  // namespace
