// SPDX-License-Identifier: Apache-2.0
// Validate devices: each block device and network on its own (docs/devices.md,
// "Policy"): a driver that can run it, a virtio-mmio device, DMA memory, at
// most 32 clients each listed once, slices inside the disk that no two
// writers share, and unicast MACs unique in their network. What the
// compiler maps for them (queue regions, the granted device) is checked
// with every other mapping and grant (KP0303, KP0305, KP0316, KP0601).
#include <kestrel/policy/stages.hpp>

#include <kestrel/abi/limits.hpp>
#include <kestrel/device_queue.hpp>

#include "validate_util.hpp"

namespace kestrel::policy {
namespace {

std::string service_text(const Device_service& service) {
  return (service.kind == Device_service::Kind::block ? "block device " : "network ") + quoted(service.name);
}

void check_driver(const Model& model, const Device_service& service, Diagnostics& diagnostics) {
  if (service.driver == none) return;  // KP0110
  const Partition& driver = model.partitions[service.driver];
  if (driver.vm || driver.threads.empty()) {
    diagnostics.report(Code::device_driver_invalid, service.src.at("driver"),
                       "the driver of " + service_text(service) + ", " + quoted(driver.name) +
                           (driver.vm ? ", is a VM" : ", has no thread"),
                       "name a native partition with a thread that runs the driver (drivers-untrusted/virtio-" +
                           std::string(service.kind == Device_service::Kind::block ? "blk" : "net") + ")");
    return;
  }
  if (service.dma_region != none) {
    const Region& dma = driver.regions[service.dma_region];
    if (dma.access != Access::read_write || dma.type == Memory_type::device) {
      diagnostics.report(
          Code::device_dma_region, service.src.at("dmaRegion"),
          "the DMA region " + quoted(dma.name) + " of " + service_text(service) + " is not readWrite memory",
          "give the driver a readWrite, write-back memory region for its DMA");
    }
  } else if (!service.dma_named) {
    diagnostics.report(Code::device_dma_region, service.src.at(), service_text(service) + " names no dmaRegion",
                       "add dmaRegion = \"<a readWrite memory region of the driver>\"");
  }
}

void check_device(const Model& model, const Device_service& service, Diagnostics& diagnostics) {
  if (!service.device_named) {
    if (service.kind == Device_service::Kind::block) {
      diagnostics.report(Code::device_not_virtio, service.src.at(), service_text(service) + " names no device",
                         "add device = \"virtioN\", the virtio-mmio transport QEMU gives the disk");
    }
    return;
  }
  if (service.device == none) return;  // KP0113
  const Device& device = model.platform.devices[service.device];
  if (device.compatible != "virtio,mmio") {
    diagnostics.report(Code::device_not_virtio, service.src.at("device"),
                       "device " + quoted(device.name) + " of " + service_text(service) +
                           " is not a virtio-mmio transport (compatible " + quoted(device.compatible) + ")",
                       "name a platform device whose compatible is \"virtio,mmio\"");
  }
}

void check_client_list(const Model& model, const Device_service& service, Diagnostics& diagnostics) {
  const auto& clients = service.clients;
  const char* list = service.kind == Device_service::Kind::block ? "clients" : "ports";
  if (clients.size() > device_queue::max_clients) {
    diagnostics.report(Code::too_many_device_clients, service.src.field(list).item(device_queue::max_clients).at(),
                       service_text(service) + " has " + std::to_string(clients.size()) + " " + list +
                           "; a driver tells at most " + std::to_string(device_queue::max_clients) + " apart",
                       "split them over two devices or networks");
  }
  for (uint32_t i = 0; i < clients.size(); ++i) {
    const uint32_t partition = clients[i].partition;
    if (partition == none) continue;
    if (partition == service.driver) {
      diagnostics.report(Code::device_client_twice, clients[i].src.at("partition"),
                         quoted(partition_name(model, partition)) + " is the driver of " + service_text(service) +
                             " and one of its " + list,
                         "a driver uses its device directly; remove it from the " + std::string(list));
      continue;
    }
    for (uint32_t j = 0; j < i; ++j) {
      if (clients[j].partition != partition) continue;
      diagnostics
          .report(Code::device_client_twice, clients[i].src.at("partition"),
                  quoted(partition_name(model, partition)) + " is listed twice in the " + list + " of " +
                      service_text(service),
                  "list each partition once; give it one larger slice instead of two")
          .notes.push_back({clients[j].src.at("partition"), "first listed here"});
      break;
    }
  }
}

void check_slices(const Model& model, const Device_service& disk, Diagnostics& diagnostics) {
  std::vector<const Device_client*> valid;
  for (const Device_client& client : disk.clients) {
    const std::string who =
        "the slice of " + quoted(partition_name(model, client.partition)) + " on " + service_text(disk);
    if (client.sector_count == 0) {
      diagnostics.report(Code::slice_empty, client.src.at("sectorCount"), who + " has no sectors",
                         "give it sectorCount = the slice's size in 512-byte sectors");
      continue;
    }
    if (client.first_sector > disk.sectors || client.sector_count > disk.sectors - client.first_sector) {
      diagnostics.report(Code::slice_outside_disk, client.src.at("firstSector"),
                         who + ", sectors " + std::to_string(client.first_sector) + " + " +
                             std::to_string(client.sector_count) + ", ends beyond the disk's " +
                             std::to_string(disk.sectors) + " sectors",
                         "move or shrink the slice, or give the disk its real size in `sectors`");
      continue;
    }
    valid.push_back(&client);
  }
  // Clients are few (at most 32, KP1111): every pair.
  for (size_t i = 0; i < valid.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      const Device_client& later = *valid[i];
      const Device_client& earlier = *valid[j];
      if (later.read_only && earlier.read_only) continue;
      if (later.first_sector >= earlier.first_sector + earlier.sector_count ||
          earlier.first_sector >= later.first_sector + later.sector_count)
        continue;
      diagnostics
          .report(Code::slices_overlap, later.src.at("firstSector"),
                  "the slice of " + quoted(partition_name(model, later.partition)) + " on " + service_text(disk) +
                      " overlaps the slice of " + quoted(partition_name(model, earlier.partition)) + ", and " +
                      (later.read_only ? "the other" : "this one") + " writes",
                  "give each writer a slice of its own; only read-only slices may overlap")
          .notes.push_back({earlier.src.at("firstSector"), "the other slice"});
    }
  }
}

void check_macs(const Model& model, const Device_service& network, Diagnostics& diagnostics) {
  for (uint32_t i = 0; i < network.clients.size(); ++i) {
    const Device_client& port = network.clients[i];
    const std::string who = "the MAC " + quoted(port.mac_text) + " of " +
                            quoted(partition_name(model, port.partition)) + " on " + service_text(network);
    const bool zero =
        port.mac_valid && std::all_of(std::begin(port.mac), std::end(port.mac), [](uint8_t byte) { return byte == 0; });
    if (!port.mac_valid || zero || (port.mac[0] & 1) != 0) {
      diagnostics.report(Code::mac_invalid, port.src.at("mac"),
                         who + (!port.mac_valid ? " is not six hex bytes separated by ':'"
                                : zero          ? " is all zero"
                                                : " is a multicast address (its first byte is odd)"),
                         "use a unicast address such as \"52:54:00:12:34:56\" (locally administered: first byte "
                         "0x02, 0x06, 0x0a, ... or QEMU's 52:54:00)");
      continue;
    }
    for (uint32_t j = 0; j < i; ++j) {
      const Device_client& other = network.clients[j];
      if (!other.mac_valid || !std::equal(std::begin(port.mac), std::end(port.mac), std::begin(other.mac))) continue;
      diagnostics
          .report(Code::mac_duplicate, port.src.at("mac"),
                  who + " is also the MAC of " + quoted(partition_name(model, other.partition)),
                  "give each port its own MAC: the switch tells ports apart by it")
          .notes.push_back({other.src.at("mac"), "the other port"});
      break;
    }
  }
}

uint32_t first_service_of(const Model& model, uint32_t driver) {
  for (uint32_t i = 0; i < model.services.size(); ++i) {
    if (model.services[i].driver == driver) return i;
  }
  return none;
}

// The kernel tells at most abi::max_stop_signals_per_partition
// notifications that a partition stopped; a driver needs one per client of
// all its devices (and one more if it is a tunnel end with a watcher).
void check_stop_signals(const Model& model, Diagnostics& diagnostics) {
  for (const Device_service& service : model.services) {
    if (service.driver == none) continue;
    const Partition& driver = model.partitions[service.driver];
    if (driver.stop_signals.size() <= abi::max_stop_signals_per_partition) continue;
    if (&service != &model.services[first_service_of(model, service.driver)]) continue;  // once per driver
    diagnostics.report(
        Code::too_many_stop_signals, service.src.at("driver"),
        "driver " + quoted(driver.name) + " would have to tell " + std::to_string(driver.stop_signals.size()) +
            " notifications when it stops; the kernel tells " + std::to_string(abi::max_stop_signals_per_partition),
        "spread its devices over more driver partitions");
  }
}

}  // namespace

void validate_devices(const Model& model, Diagnostics& diagnostics) {
  check_stop_signals(model, diagnostics);
  for (const Device_service& service : model.services) {
    check_driver(model, service, diagnostics);
    check_device(model, service, diagnostics);
    check_client_list(model, service, diagnostics);
    if (service.kind == Device_service::Kind::block) {
      check_slices(model, service, diagnostics);
    } else {
      check_macs(model, service, diagnostics);
    }
  }
}

}  // namespace kestrel::policy
