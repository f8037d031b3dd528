// SPDX-License-Identifier: Apache-2.0
// Tunnel table: what the policy compiler writes, the IPCM's reader reads
// back unchanged, and the reader refuses every malformed table.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>

#include <kestrel/ipcm/tunnel_table_reader.hpp>
#include <kestrel/policy/compiler.hpp>
#include <kestrel/policy/tunnel_table_writer.hpp>

namespace {

// Aliases, not `using namespace kestrel`: <cxxabi.h> has a global `abi`.
namespace abi = kestrel::abi;
namespace ipcm = kestrel::ipcm;
namespace policy = kestrel::policy;
using ipcm::Table_error;
using ipcm::Tunnel_table;
using policy::Tunnel_table_contents;

Tunnel_table_contents sample() {
  Tunnel_table_contents contents;
  contents.header.max_open_per_end = 4;
  contents.header.pool_address = 0x800000;
  contents.header.pool_pages = 8;
  contents.header.pool_slot = abi::tunnel_no_slot;
  contents.clients.push_back({10, 0x10000000, 8, 0, 3, 0});
  contents.clients.push_back({20, 0x20000000, 8, 0, abi::tunnel_no_slot, 0});
  const uint32_t rw = abi::tunnel_read | abi::tunnel_write;
  contents.tunnels.push_back({0, 2, 1, abi::tunnel_doorbell, {{0, rw, 0, 5}, {1, rw, 0, 6}}});
  contents.tunnels.push_back(
      {1, 1, 2, 0, {{0, rw, 2, abi::tunnel_no_slot}, {1, abi::tunnel_read, 2, abi::tunnel_no_slot}}});
  return contents;
}

Table_error parse(const std::vector<uint8_t>& bytes) {
  Tunnel_table table;
  return Tunnel_table::parse(bytes.data(), bytes.size(), table);
}

Table_error parse_changed(const std::function<void(Tunnel_table_contents&)>& change) {
  Tunnel_table_contents contents = sample();
  change(contents);
  return parse(policy::write_tunnel_table(contents));
}

// Changes the written header, as only a corrupt table could have it.
Table_error parse_with_header(const std::function<void(abi::Tunnel_table_header&)>& change) {
  std::vector<uint8_t> bytes = policy::write_tunnel_table(sample());
  abi::Tunnel_table_header header;
  std::memcpy(&header, bytes.data(), sizeof header);
  change(header);
  std::memcpy(bytes.data(), &header, sizeof header);
  return parse(bytes);
}

TEST(TunnelTable, ReadsBackWhatWasWritten) {
  const Tunnel_table_contents contents = sample();
  const std::vector<uint8_t> bytes = policy::write_tunnel_table(contents);
  Tunnel_table table;
  ASSERT_EQ(Tunnel_table::parse(bytes.data(), bytes.size(), table), Table_error::none);
  EXPECT_EQ(table.header().total_size, bytes.size());
  EXPECT_EQ(table.header().pool_address, 0x800000u);
  EXPECT_EQ(table.header().pool_pages, 8u);
  EXPECT_EQ(table.header().max_open_per_end, 4u);
  ASSERT_EQ(table.tunnel_count(), 2u);
  ASSERT_EQ(table.client_count(), 2u);
  for (uint32_t t = 0; t < 2; ++t) {
    const abi::Tunnel_entry read = table.tunnel(t);
    EXPECT_EQ(std::memcmp(&contents.tunnels[t], &read, sizeof read), 0) << t;
  }
  EXPECT_EQ(table.client(0).badge, 10u);
  EXPECT_EQ(table.client(0).map_into_slot, 3u);
  EXPECT_EQ(table.client(1).window_address, 0x20000000u);
  EXPECT_EQ(table.tunnel(1).ends[1].rights, abi::tunnel_read);
}

TEST(TunnelTable, AnEmptyTableIsValid) {
  Tunnel_table_contents contents;
  contents.header.max_open_per_end = 1;
  EXPECT_EQ(parse(policy::write_tunnel_table(contents)), Table_error::none);
}

TEST(TunnelTable, RefusesAMalformedHeader) {
  std::vector<uint8_t> bytes = policy::write_tunnel_table(sample());
  Tunnel_table table;
  EXPECT_EQ(Tunnel_table::parse(nullptr, 0, table), Table_error::too_short);
  EXPECT_EQ(Tunnel_table::parse(bytes.data(), sizeof(abi::Tunnel_table_header) - 1, table), Table_error::too_short);
  EXPECT_EQ(Tunnel_table::parse(bytes.data(), bytes.size() - 1, table), Table_error::too_short);
  std::vector<uint8_t> longer = bytes;
  longer.push_back(0);
  EXPECT_EQ(parse(longer), Table_error::bad_total_size);
  EXPECT_EQ(parse_with_header([](auto& h) { h.magic ^= 1; }), Table_error::bad_magic);
  EXPECT_EQ(parse_with_header([](auto& h) { h.version = abi::tunnel_table_version + 1; }), Table_error::bad_version);
  EXPECT_EQ(parse_with_header([](auto& h) { h.header_size = 40; }), Table_error::bad_header_size);
  EXPECT_EQ(parse_with_header([](auto& h) { h.total_size += 1; }), Table_error::bad_total_size);
  EXPECT_EQ(parse_with_header([](auto& h) { h.tunnel_count = abi::tunnel_table_max_tunnels + 1; }),
            Table_error::too_many);
  EXPECT_EQ(parse_with_header([](auto& h) { h.client_count = abi::tunnel_table_max_clients + 1; }),
            Table_error::too_many);
  EXPECT_EQ(parse_with_header([](auto& h) { h.tunnel_count = 3; }), Table_error::too_short);
}

TEST(TunnelTable, RefusesABadPoolOrLimit) {
  EXPECT_EQ(parse_changed([](auto& c) { c.header.pool_address = 0x800800; }), Table_error::bad_pool);
  EXPECT_EQ(parse_changed([](auto& c) { c.header.pool_address = 0xffff'ffff'ffff'f000; }), Table_error::bad_pool);
  EXPECT_EQ(parse_changed([](auto& c) { c.header.pool_pages = abi::tunnel_table_max_pages + 1; }),
            Table_error::bad_pool);
  EXPECT_EQ(parse_changed([](auto& c) { c.header.max_open_per_end = 0; }), Table_error::bad_limit);
}

TEST(TunnelTable, RefusesABadClient) {
  EXPECT_EQ(parse_changed([](auto& c) { c.clients[1].flags = 1U << 7; }), Table_error::bad_client);
  EXPECT_EQ(parse_changed([](auto& c) { c.clients[1].reserved = 1; }), Table_error::bad_client);
  EXPECT_EQ(parse_changed([](auto& c) { c.clients[0].window_address = 0x10000010; }), Table_error::bad_client);
  EXPECT_EQ(parse_changed([](auto& c) { c.clients[0].window_address = 0xffff'ffff'ffff'f000; }),
            Table_error::bad_client);
  EXPECT_EQ(parse_changed([](auto& c) { c.clients[1].badge = 10; }), Table_error::duplicate_badge);
}

TEST(TunnelTable, RefusesABadTunnel) {
  EXPECT_EQ(parse_changed([](auto& c) { c.tunnels[1].id = 0; }), Table_error::bad_tunnel);
  EXPECT_EQ(parse_changed([](auto& c) { c.tunnels[0].size_pages = 0; }), Table_error::bad_tunnel);
  EXPECT_EQ(parse_changed([](auto& c) { c.tunnels[0].max_open = 0; }), Table_error::bad_tunnel);
  EXPECT_EQ(parse_changed([](auto& c) { c.tunnels[0].flags = 1U << 5; }), Table_error::bad_tunnel);
}

TEST(TunnelTable, RefusesABadEnd) {
  EXPECT_EQ(parse_changed([](auto& c) { c.tunnels[0].ends[1].client = 2; }), Table_error::bad_end);
  EXPECT_EQ(parse_changed([](auto& c) { c.tunnels[0].ends[1].client = 0; }), Table_error::bad_end);
  EXPECT_EQ(parse_changed([](auto& c) { c.tunnels[0].ends[0].rights = 0; }), Table_error::bad_end);
  EXPECT_EQ(parse_changed([](auto& c) { c.tunnels[0].ends[0].rights = abi::tunnel_write; }), Table_error::bad_end);
  EXPECT_EQ(parse_changed([](auto& c) { c.tunnels[0].ends[0].rights = abi::tunnel_read | 4; }), Table_error::bad_end);
}

TEST(TunnelTable, RefusesTunnelsOutsideOrSharingAWindow) {
  // The log's two instances at pages 7-8 of an 8-page window.
  EXPECT_EQ(parse_changed([](auto& c) { c.tunnels[1].ends[0].window_offset = 7; }), Table_error::outside_window);
  EXPECT_EQ(parse_changed([](auto& c) { c.tunnels[1].max_open = 7; }), Table_error::outside_window);
  EXPECT_EQ(parse_changed([](auto& c) { c.tunnels[1].ends[0].window_offset = 0xffff'ffff; }),
            Table_error::outside_window);
  EXPECT_EQ(parse_changed([](auto& c) { c.tunnels[1].ends[1].window_offset = 1; }), Table_error::overlap_in_window);
}

TEST(TunnelTable, TheCompilerWritesThePolicysTunnels) {
  const auto result = policy::compile_policy(KESTREL_SOURCE_DIR "/tests/unit/policy/cases/valid-tunnels.capnp", {});
  ASSERT_TRUE(result.ok());
  Tunnel_table table;
  ASSERT_EQ(Tunnel_table::parse(result.tunnel_table.data(), result.tunnel_table.size(), table), Table_error::none);
  EXPECT_EQ(table.header().pool_address, 0x800000u);
  EXPECT_EQ(table.header().pool_pages, 6u);
  EXPECT_EQ(table.header().max_open_per_end, 8u);
  ASSERT_EQ(table.client_count(), 2u);
  EXPECT_EQ(table.client(0).badge, 1u);
  EXPECT_EQ(table.client(0).window_address, 0x10000000u);
  EXPECT_EQ(table.client(1).badge, 2u);
  EXPECT_EQ(table.client(1).window_pages, 6u);
  ASSERT_EQ(table.tunnel_count(), 2u);
  const abi::Tunnel_entry data = table.tunnel(0);
  EXPECT_EQ(data.size_pages, 2u);
  EXPECT_EQ(data.flags, abi::tunnel_doorbell);
  EXPECT_NE(data.ends[0].doorbell_slot, abi::tunnel_no_slot);
  EXPECT_NE(data.ends[1].doorbell_slot, data.ends[0].doorbell_slot);
  const abi::Tunnel_entry log = table.tunnel(1);
  EXPECT_EQ(log.max_open, 2u);
  EXPECT_EQ(log.ends[0].rights, abi::tunnel_read | abi::tunnel_write);  // firstWrites
  EXPECT_EQ(log.ends[1].rights, abi::tunnel_read);
  EXPECT_EQ(log.ends[0].window_offset, 2u);  // after data's two pages
  EXPECT_EQ(log.ends[1].doorbell_slot, abi::tunnel_no_slot);
}

TEST(TunnelTable, NoIpcmNoTable) {
  const auto result = policy::compile_policy(KESTREL_SOURCE_DIR "/tests/unit/policy/cases/valid-minimal.capnp", {});
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.tunnel_table.empty());
}

}  // namespace
