// SPDX-License-Identifier: Apache-2.0
// Validate tunnels: each tunnel's ends, size and doorbell; each tunnel
// window against its partition's mappings and the tunnels that may be open
// there; the IPCM, its endpoint and its pool. What is checked here is what
// lets the IPCM and the kernel stay simple: every tunnel that may be open at
// once fits its ends' windows and the pool (docs/ipcm.md).
#include <kestrel/abi/tunnel_table.hpp>
#include <kestrel/policy/stages.hpp>
#include <kestrel/policy/vm_tunnels.hpp>

#include "validate_util.hpp"

namespace kestrel::policy {
namespace {

constexpr uint64_t ipa_limit = uint64_t{1} << 40;  // VTCR_EL2.T0SZ = 24

bool ends_are_two_partitions(const Tunnel& tunnel) {
  return tunnel.ends.size() == 2 && tunnel.ends[0].partition != none && tunnel.ends[1].partition != none &&
         tunnel.ends[0].partition != tunnel.ends[1].partition;
}

bool is_client_of(const Endpoint& endpoint, uint32_t partition) {
  return std::any_of(endpoint.clients.begin(), endpoint.clients.end(),
                     [&](const Client& client) { return client.partition == partition; });
}

void check_end(const Model& model, const Tunnel& tunnel, const Tunnel_end& end, Diagnostics& diagnostics) {
  const Partition& partition = model.partitions[end.partition];
  const std::string what = "tunnel " + quoted(tunnel.name) + " end " + quoted(partition.name);
  if (end.partition == model.ipcm.partition) {
    diagnostics.report(Code::tunnel_end_is_ipcm, end.at, what + " is the IPCM itself",
                       "the IPCM only maps tunnels between two other partitions");
    return;
  }
  if (partition.tunnel_window.size == 0) {
    diagnostics.report(Code::tunnel_end_without_window, end.at, what + " has no tunnelWindow",
                       "give " + quoted(partition.name) +
                           " a tunnelWindow = (base = ..., size = ...): addresses of its own, clear of its "
                           "other mappings, where the IPCM may map its tunnels");
  }
  // Only against the IPCM's own endpoint: a foreign one is KP1014's mistake.
  const bool endpoint_is_ipcms =
      model.ipcm.endpoint != none && model.endpoints[model.ipcm.endpoint].server == model.ipcm.partition;
  if (endpoint_is_ipcms && !is_client_of(model.endpoints[model.ipcm.endpoint], end.partition)) {
    diagnostics.report(
        Code::tunnel_end_not_client, end.at,
        what + " is not a client of the IPCM's endpoint " + quoted(model.endpoints[model.ipcm.endpoint].name),
        "add (partition = " + quoted(partition.name) +
            ", badge = ...) to its clients: the badge is "
            "how the IPCM knows the end");
  }
  // A VM's doorbell is waited on by its VMM, which raises the guest's SPI.
  const uint32_t waiter = partition.vm ? partition.vm->vmm : end.partition;
  if (tunnel.doorbell && waiter != none && model.partitions[waiter].threads.empty()) {
    diagnostics.report(Code::tunnel_doorbell_unreachable, tunnel.src.at("doorbell"),
                       what + (partition.vm ? " is a VM whose VMM has no thread" : " has no thread") +
                           ", so no one can wait on its doorbell",
                       "drop the doorbell, or give " + quoted(model.partitions[waiter].name) + " a thread");
  }
}

void check_tunnel(const Model& model, const Tunnel& tunnel, Diagnostics& diagnostics) {
  const std::string what = "tunnel " + quoted(tunnel.name);
  if (tunnel.ends.size() != 2) {
    diagnostics.report(Code::tunnel_ends, tunnel.src.at("ends"),
                       what + " has " + std::to_string(tunnel.ends.size()) + " ends",
                       "name exactly two partitions: ends = [\"a\", \"b\"]");
  } else if (tunnel.ends[0].partition != none && tunnel.ends[0].partition == tunnel.ends[1].partition) {
    diagnostics.report(Code::tunnel_same_ends, tunnel.ends[1].at,
                       what + " has " + quoted(partition_name(model, tunnel.ends[0].partition)) + " at both ends",
                       "a partition shares memory with itself without a tunnel; name two different partitions");
  }
  if (tunnel.size == 0 || !page_aligned(tunnel.size)) {
    diagnostics.report(
        Code::tunnel_size, tunnel.src.at("size"),
        what + " size " + hex(tunnel.size) + (tunnel.size == 0 ? " is 0" : " is not a multiple of 4 KiB"),
        "give it a size that is a non-zero multiple of 0x1000");
  } else if (tunnel.max_open != 0 && tunnel.footprint() == 0) {
    diagnostics.report(Code::tunnel_size, tunnel.src.at("size"),
                       what + " size " + hex(tunnel.size) + " times maxOpen " + std::to_string(tunnel.max_open) +
                           " does not fit 64 bits",
                       "make it smaller");
  }
  if (tunnel.max_open == 0) {
    diagnostics.report(Code::tunnel_max_open_zero, tunnel.src.at("maxOpen"), what + " has maxOpen 0, so it never opens",
                       "use 1 or more (1 is the default)");
  }
  if (!ends_are_two_partitions(tunnel)) return;
  for (const auto& end : tunnel.ends) check_end(model, tunnel, end, diagnostics);
}

// Bytes of tunnels that may be open at once with `partition` as an end.
uint64_t window_demand(const Model& model, uint32_t partition) {
  uint64_t demand = 0;
  for (const auto& tunnel : model.tunnels) {
    if (!ends_are_two_partitions(tunnel)) continue;
    if (tunnel.ends[0].partition != partition && tunnel.ends[1].partition != partition) continue;
    const uint64_t footprint = tunnel.footprint();
    demand = footprint > UINT64_MAX - demand ? UINT64_MAX : demand + footprint;
  }
  return demand;
}

void check_window(const Model& model, uint32_t index, Diagnostics& diagnostics) {
  const Partition& partition = model.partitions[index];
  const Address_range& window = partition.tunnel_window;
  if (window.size == 0) return;
  const std::string what =
      "the tunnel window of " + quoted(partition.name) + " " + range_text(window.base, window.size);
  if (!page_aligned(window.base) || !page_aligned(window.size)) {
    diagnostics.report(Code::tunnel_window_invalid, window.src.at(page_aligned(window.base) ? "size" : "base"),
                       what + " is not 4 KiB aligned", "use a base and a size that are multiples of 0x1000");
    return;
  }
  if (window.base > ipa_limit || window.size > ipa_limit - window.base) {
    diagnostics.report(Code::tunnel_window_invalid, window.src.at("base"),
                       what + " lies beyond the 40-bit (1 TiB) guest-physical space", "keep it below 0x10000000000");
    return;
  }
  for (const auto& region : partition.regions) {
    if (!window.overlaps({region.ipa, region.size, {}})) continue;
    diagnostics
        .report(Code::tunnel_window_overlap, window.src.at("base"),
                what + " overlaps " + describe(region) + " " + range_text(region.ipa, region.size),
                "give the window addresses no other mapping of the partition uses")
        .notes.push_back({region.src.at(region.kind == Region::Kind::guest_ram        ? "ramAddress"
                                        : region.kind == Region::Kind::guest_ram_view ? "vmmRamAddress"
                                                                                      : "address"),
                          "the other mapping"});
  }
  const uint64_t demand = window_demand(model, index);
  if (demand > window.size) {
    diagnostics.report(Code::tunnel_window_too_small, window.src.at("size"),
                       what + " is " + hex(window.size) +
                           " bytes, but the tunnels that may be open there at once "
                           "take " +
                           hex(demand),
                       "make it at least " + hex(demand) + " (the sum of size x maxOpen over its tunnels)");
  }
}

// A VM's window and the VMM's tunnel control page after it are
// guest-physical addresses the guest's device tree describes: clear of the
// GIC, the emulated devices and the VM's mappings (the window alone against
// the mappings is KP1006's), and each of its tunnels' doorbells needs an SPI.
void check_vm_window(const Model& model, uint32_t index, Diagnostics& diagnostics) {
  const Partition& partition = model.partitions[index];
  const Address_range& window = partition.tunnel_window;
  if (!partition.vm || window.size == 0 || !page_aligned(window.base) || !page_aligned(window.size)) return;
  const std::string what = "the tunnel window of VM " + quoted(partition.name) + " " +
                           range_text(window.base, window.size) + " with its tunnel control page";
  const uint64_t control = tunnel_control_address(partition);
  if (window.base >= ipa_limit || window.size >= ipa_limit - window.base || tunnel_control_size > ipa_limit - control) {
    diagnostics.report(Code::vm_tunnel_place, window.src.at("base"),
                       what + " lies beyond the 40-bit (1 TiB) guest-physical space",
                       "keep the window and the page after it below 0x10000000000");
    return;
  }
  const Address_range whole{window.base, window.size + tunnel_control_size, {}};
  const Address_range control_page{control, tunnel_control_size, {}};
  auto clash = [&](const std::string& thing) {
    diagnostics.report(Code::vm_tunnel_place, window.src.at("base"), what + " overlaps " + thing,
                       "move the window: it and the 4 KiB after it must be guest-physical addresses nothing "
                       "else of the VM uses");
  };
  for (const auto& device : partition.vm->emulated) {
    if (whole.overlaps({device.address, device.size, {}})) clash("emulated device " + quoted(device.name));
  }
  for (const auto* gic : {&model.platform.gic_distributor, &model.platform.gic_redistributors}) {
    if (gic->size != 0 && !gic->wraps() && whole.overlaps(*gic)) clash("the GIC " + range_text(gic->base, gic->size));
  }
  for (const auto& region : partition.regions) {
    if (control_page.overlaps({region.ipa, region.size, {}})) clash(describe(region));
  }
  for (const auto& tunnel : vm_tunnels(model, index)) {
    if (tunnel.spi <= last_spi) continue;
    diagnostics.report(Code::vm_tunnel_place, model.tunnels[tunnel.tunnel].src.at("ends"),
                       "tunnel " + quoted(model.tunnels[tunnel.tunnel].name) + " of VM " + quoted(partition.name) +
                           " would raise SPI " + std::to_string(tunnel.spi) + ", past the last one (1019)",
                       "the VM's tunnels take the SPIs above its devices' highest: use lower device interrupts");
    break;
  }
}

void check_ipcm(const Model& model, Diagnostics& diagnostics) {
  const Ipcm& ipcm = model.ipcm;
  if (!ipcm.declared) {
    if (!model.tunnels.empty()) {
      diagnostics.report(Code::ipcm_missing, model.src.at("tunnels"), "there are tunnels but no IPCM to open them",
                         "add ipcm = (partition = ..., endpoint = ..., pool = ...)");
    }
    return;
  }
  if (ipcm.max_open_per_end == 0) {
    diagnostics.report(Code::ipcm_max_open_per_end_zero, ipcm.src.at("maxOpenPerEnd"),
                       "the IPCM's maxOpenPerEnd is 0, so no partition may hold a tunnel",
                       "use 1 or more (8 is the default)");
  }
  if (ipcm.partition == none) return;
  const Partition& partition = model.partitions[ipcm.partition];
  if (partition.vm) {
    diagnostics.report(Code::ipcm_is_vm, ipcm.src.at("partition"),
                       "the IPCM " + quoted(partition.name) + " is a VM partition",
                       "the IPCM is a native partition with a passive thread");
    return;
  }
  if (ipcm.endpoint != none) {
    const Endpoint& endpoint = model.endpoints[ipcm.endpoint];
    if (endpoint.server != ipcm.partition) {
      diagnostics.report(Code::ipcm_endpoint_foreign, ipcm.src.at("endpoint"),
                         "the IPCM's endpoint " + quoted(endpoint.name) + " is served by " +
                             quoted(partition_name(model, endpoint.server)) + ", not by the IPCM " +
                             quoted(partition.name),
                         "name an endpoint whose server is " + quoted(partition.name));
    } else if (endpoint.server_thread != none && !partition.threads[endpoint.server_thread].passive) {
      const Thread& thread = partition.threads[endpoint.server_thread];
      diagnostics.report(Code::ipcm_not_passive, thread.src.at("name"),
                         "thread " + quoted(thread.name) + " of the IPCM " + quoted(partition.name) + " serves " +
                             quoted(endpoint.name) + " but is not passive",
                         "add passive = true: the IPCM runs on its callers' time, so one partition's requests "
                         "never take another's");
    }
  }
  if (ipcm.pool_region == none) return;
  const Region& pool = partition.regions[ipcm.pool_region];
  if (pool.access != Access::read_write || pool.type != Memory_type::write_back) {
    diagnostics
        .report(Code::ipcm_pool_invalid, ipcm.src.at("pool"),
                "the IPCM's pool " + quoted(pool.name) + " is not readWrite, write-back memory",
                "the IPCM zeroes pool pages through its own mapping: make the region readWrite and writeBack")
        .notes.push_back({pool.src.at("name"), "the pool region"});
  }
  uint64_t demand = 0;
  for (const auto& tunnel : model.tunnels) {
    const uint64_t footprint = tunnel.footprint();
    demand = footprint > UINT64_MAX - demand ? UINT64_MAX : demand + footprint;
  }
  if (demand > pool.size) {
    diagnostics
        .report(Code::ipcm_pool_too_small, ipcm.src.at("pool"),
                "the IPCM's pool " + quoted(pool.name) + " is " + hex(pool.size) +
                    " bytes, but the tunnels that may be open at once take " + hex(demand),
                "make it at least " + hex(demand) + " (the sum of size x maxOpen over all tunnels)")
        .notes.push_back({pool.src.at("size"), "the pool's size"});
  }
}

}  // namespace

void validate_tunnels(const Model& model, Diagnostics& diagnostics) {
  for (const auto& tunnel : model.tunnels) check_tunnel(model, tunnel, diagnostics);
  // The IPCM's table reader refuses more (kestrel/abi/tunnel_table.hpp):
  // the IPCM would boot refusing every request.
  if (model.tunnels.size() > abi::tunnel_table_max_tunnels) {
    diagnostics.report(Code::too_many_tunnels, model.tunnels[abi::tunnel_table_max_tunnels].src.at("name"),
                       std::to_string(model.tunnels.size()) + " tunnels, but the IPCM's table holds at most " +
                           std::to_string(abi::tunnel_table_max_tunnels),
                       "use fewer tunnels; one tunnel may have several instances open at once (maxOpen)");
  }
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    check_window(model, p, diagnostics);
    check_vm_window(model, p, diagnostics);
  }
  check_ipcm(model, diagnostics);
}

}  // namespace kestrel::policy
