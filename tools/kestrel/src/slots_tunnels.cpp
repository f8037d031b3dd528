// SPDX-License-Identifier: Apache-2.0
// Slots, tunnels: the IPCM's compiled tunnel table and each end's tunnels,
// as kestrel/slots.hpp gives them (docs/ipcm.md, "How the table reaches the
// IPCM" and "Using a tunnel from a partition").
#include "slots_tunnels.hpp"

#include <algorithm>
#include <map>

#include <kestrel/abi/boot_info.hpp>
#include <kestrel/policy/text.hpp>
#include <kestrel/policy/tunnel_table_writer.hpp>
#include <kestrel/policy/vm_tunnels.hpp>

namespace kestrel_cli {
namespace {

using kestrel::abi::Capability_kind;
using kestrel::policy::Model;
using kestrel::policy::none;
using kestrel::policy::Partition;

// The slot of `partition`'s capability to `object` of `kind`, with the
// receive right or without it; no_tunnel_slot if it has none.
// `for_vm`: a capability a VMM holds for that VM (none: its own).
uint64_t slot_of(const Partition& partition, Capability_kind kind, uint32_t object, bool receives,
                 uint32_t for_vm = none) {
  for (size_t slot = 0; slot < partition.capabilities.size(); ++slot) {
    const auto& capability = partition.capabilities[slot];
    if (static_cast<Capability_kind>(capability.kind) == kind && capability.object == object &&
        ((capability.rights & kestrel::abi::right_receive) != 0) == receives && capability.for_vm == for_vm)
      return slot;
  }
  return no_tunnel_slot;
}

std::string slot_text(const std::vector<Named_slot>& slots, uint64_t slot) {
  return slot < slots.size() ? "slots::" + slots[slot].name : "~uint64_t{0}";
}

// The IPCM's watcher (Ipcm.watcher): its thread, the notification the
// kernel signals when an end stops, its own capability to call the IPCM and
// the badge that call carries; all ~0 without a watcher.
std::string watcher_text(const Model& model, uint32_t partition, const std::vector<Named_slot>& slots) {
  const kestrel::policy::Ipcm& ipcm = model.ipcm;
  const Partition& self = model.partitions.at(partition);
  uint64_t badge = ~uint64_t{0};
  if (ipcm.watcher != none && ipcm.endpoint != none) {
    for (const auto& client : model.endpoints[ipcm.endpoint].clients) {
      if (client.partition == partition) badge = client.badge;
    }
  }
  const bool watches = ipcm.watcher != none && ipcm.ends_stopped != none;
  std::ostringstream out;
  out << "// The watcher: the thread (its index in kestrel::slots::threads) that\n"
      << "// waits on ends_stopped (bit i: the table's client i stopped or restarted)\n"
      << "// and calls the IPCM through watcher_call with watcher_badge. ~0: none.\n"
      << "constexpr uint64_t watcher = " << (watches ? std::to_string(ipcm.watcher) : "~uint64_t{0}") << ";\n"
      << "constexpr uint64_t ends_stopped = "
      << slot_text(slots,
                   watches ? slot_of(self, Capability_kind::notification, ipcm.ends_stopped, true) : no_tunnel_slot)
      << ";\n"
      << "constexpr uint64_t watcher_call = "
      << slot_text(slots, watches ? slot_of(self, Capability_kind::endpoint, ipcm.endpoint, false) : no_tunnel_slot)
      << ";\n"
      << "constexpr uint64_t watcher_badge = " << (watches ? kestrel::policy::hex(badge) : "~uint64_t{0}") << ";\n\n";
  return out.str();
}

// The IPCM's table, its endpoint and the sizes of its state. Each size is
// at least 1, so that no array in the IPCM's program has none.
void write_ipcm(std::ostringstream& out, const Model& model, uint32_t partition, const std::vector<Named_slot>& slots) {
  const std::vector<uint8_t> table = kestrel::policy::emit_tunnel_table(model);
  const auto contents = kestrel::policy::tunnel_table_contents(model);
  uint64_t instances = 0;
  for (const auto& tunnel : contents.tunnels) instances += tunnel.max_open;
  auto at_least_one = [](uint64_t count) { return std::max<uint64_t>(count, 1); };
  out << "\n// The IPCM's compiled tunnel table (kestrel/abi/tunnel_table.hpp), which\n"
      << "// ipcm::Manager::start checks; compiled into the program, so it is part\n"
      << "// of the measured image and read-only.\n"
      << "namespace kestrel::tunnels {\n\n"
      << "inline constexpr uint8_t table[] = {";
  for (size_t i = 0; i < table.size(); ++i) {
    out << (i % 12 == 0 ? "\n   " : "") << ' ' << kestrel::policy::hex(table[i]) << ',';
  }
  out << "\n};\n"
      << "constexpr uint64_t table_size = " << table.size() << ";\n\n"
      << "// The endpoint it serves (receive right).\n"
      << "constexpr uint64_t serve = "
      << slot_text(slots, slot_of(model.partitions.at(partition), Capability_kind::endpoint, model.ipcm.endpoint, true))
      << ";\n"
      << "// The kernel console, if it has one (~0: none).\n"
      << "constexpr uint64_t console = "
      << slot_text(slots,
                   [&] {
                     for (const auto& slot : slots) {
                       if (slot.name == "kernel_console") return slot.slot;
                     }
                     return no_tunnel_slot;
                   }())
      << ";\n\n"
      << watcher_text(model, partition, slots)
      << "// What the IPCM sizes its state by (ipcm::Manager's limits), each at least 1.\n"
      << "constexpr uint32_t tunnel_count = " << at_least_one(contents.tunnels.size()) << ";\n"
      << "constexpr uint32_t instance_count = " << at_least_one(instances) << ";\n"
      << "constexpr uint32_t client_count = " << at_least_one(contents.clients.size()) << ";\n"
      << "constexpr uint32_t pool_pages = " << at_least_one(contents.header.pool_pages) << ";\n\n"
      << "}  // namespace kestrel::tunnels\n";
}

void write_ends(std::ostringstream& out, const std::vector<Named_tunnel_end>& ends,
                const std::vector<Named_slot>& slots) {
  out << "\n#include <kestrel/tunnel.hpp>\n\n"
      << "// The tunnels this partition is an end of, by the policy's names, for\n"
      << "// kestrel::tunnel::open, accept, close, ring and wait (docs/ipcm.md).\n"
      << "namespace kestrel::tunnels {\n\n";
  for (const auto& end : ends) {
    out << "// tunnel " << end.policy_name << ": " << (end.writable ? "written" : "read") << " here\n"
        << "constexpr Tunnel_end " << end.name << "_tunnel{\n"
        << "    .id = " << end.id << ",\n"
        << "    .ipcm = " << slot_text(slots, end.ipcm) << ",\n"
        << "    .address = " << kestrel::policy::hex(end.address) << ",\n"
        << "    .size = " << kestrel::policy::hex(end.size) << ",\n"
        << "    .max_open = " << end.max_open << ",\n"
        << "    .writable = " << (end.writable ? "true" : "false") << ",\n"
        << "    .wait_doorbell = " << slot_text(slots, end.wait_doorbell) << ",\n"
        << "    .ring_doorbell = " << slot_text(slots, end.ring_doorbell) << ",\n"
        << "};\n";
  }
  out << "\n}  // namespace kestrel::tunnels\n";
}

}  // namespace

std::vector<Named_tunnel_end> tunnel_ends(const Model& model, uint32_t partition) {
  std::vector<Named_tunnel_end> ends;
  if (!model.ipcm.declared) return ends;
  const Partition& self = model.partitions.at(partition);
  // The table places each instance in each end's window; the header gives
  // the same addresses, so both come from one layout.
  const auto contents = kestrel::policy::tunnel_table_contents(model);
  std::map<std::string, unsigned> uses;
  for (uint32_t t = 0; t < model.tunnels.size() && t < contents.tunnels.size(); ++t) {
    const auto& tunnel = model.tunnels[t];
    for (size_t e = 0; e < tunnel.ends.size() && e < 2; ++e) {
      if (tunnel.ends[e].partition != partition) continue;
      const auto& entry = contents.tunnels[t].ends[e];
      const auto& other = tunnel.ends[1 - e];
      Named_tunnel_end end;
      end.name = identifier(tunnel.name);
      end.policy_name = tunnel.name;
      end.id = t;
      end.address = contents.clients.at(entry.client).window_address +
                    uint64_t{entry.window_offset} * kestrel::abi::tunnel_page_size;
      end.size = tunnel.size;
      end.max_open = tunnel.max_open;
      end.writable = (entry.rights & kestrel::abi::tunnel_write) != 0;
      end.ipcm = slot_of(self, Capability_kind::endpoint, model.ipcm.endpoint, false);
      end.wait_doorbell = tunnel.ends[e].doorbell == none
                              ? no_tunnel_slot
                              : slot_of(self, Capability_kind::notification, tunnel.ends[e].doorbell, true);
      end.ring_doorbell =
          other.doorbell == none ? no_tunnel_slot : slot_of(self, Capability_kind::notification, other.doorbell, false);
      ends.push_back(std::move(end));
      ++uses[ends.back().name];
      break;  // a tunnel's ends are two partitions (KP1003)
    }
  }
  for (auto& end : ends) {
    if (uses[end.name] > 1) end.name += "_" + std::to_string(end.id);
  }
  return ends;
}

void write_vm_tunnels(std::ostringstream& out, const Model& model, uint32_t vm, uint32_t vmm,
                      const std::vector<Named_slot>& slots) {
  const Partition& self = model.partitions.at(vmm);
  const auto tunnels = kestrel::policy::vm_tunnels(model, vm);
  const uint64_t control = tunnels.empty() ? 0 : kestrel::policy::tunnel_control_address(model.partitions.at(vm));
  out << "    .tunnel_control = " << kestrel::policy::hex(control) << ",\n"
      << "    .tunnel_count = " << tunnels.size() << ",\n"
      << "    .tunnels = {\n";
  for (const auto& place : tunnels) {
    const auto& tunnel = model.tunnels.at(place.tunnel);
    const auto& end = tunnel.ends[place.end];
    const auto& other = tunnel.ends[1 - place.end];
    out << "        {" << string_literal(tunnel.name) << ", " << place.tunnel << ", "
        << kestrel::policy::hex(place.address) << ", " << kestrel::policy::hex(place.size) << ", " << place.max_open
        << ", " << place.spi << ", "
        << slot_text(slots, slot_of(self, Capability_kind::endpoint, model.ipcm.endpoint, false, vm)) << ", "
        << slot_text(slots, end.doorbell == none ? no_tunnel_slot
                                                 : slot_of(self, Capability_kind::notification, end.doorbell, true))
        << ", "
        << slot_text(slots, other.doorbell == none
                                ? no_tunnel_slot
                                : slot_of(self, Capability_kind::notification, other.doorbell, false))
        << "},\n";
  }
  out << "    },\n";
}

void write_tunnels(std::ostringstream& out, const Model& model, uint32_t partition,
                   const std::vector<Named_slot>& slots) {
  if (!model.ipcm.declared) return;
  if (model.ipcm.partition == partition) write_ipcm(out, model, partition, slots);
  const auto ends = tunnel_ends(model, partition);
  if (!ends.empty()) write_ends(out, ends, slots);
}

}  // namespace kestrel_cli
