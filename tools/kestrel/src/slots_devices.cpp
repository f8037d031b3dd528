// SPDX-License-Identifier: Apache-2.0
// Slots, devices: kestrel::devices in kestrel/slots.hpp (docs/devices.md,
// "Policy"): a Block_client_description or Net_client_description per
// queue the partition holds, a Block_driver_description or
// Net_driver_description per device it drives, with the slots, badges,
// addresses and physical addresses the compiler chose.
#include "slots_devices.hpp"

#include <kestrel/policy/policy.capnp.h>
#include <kestrel/abi/boot_info.hpp>
#include <kestrel/policy/text.hpp>

namespace kestrel_cli {
namespace {

using kestrel::abi::Capability_kind;
using kestrel::policy::Device_client;
using kestrel::policy::Device_service;
using kestrel::policy::hex;
using kestrel::policy::Model;
using kestrel::policy::none;
using kestrel::policy::Partition;

constexpr uint32_t max_clients = 32;   // device_queue::max_clients
constexpr uint32_t outside_port = 63;  // net_outside_port

const char* no_slot = "kestrel::no_slot";

std::string slot_text(const std::vector<Named_slot>& slots, uint64_t slot) {
  return slot < slots.size() ? "slots::" + slots[slot].name : no_slot;
}

// The slot of `partition`'s capability to notification `object`: the one
// it waits on (receives), or the one it signals with `badge`.
uint64_t notification_slot(const Partition& partition, uint32_t object, bool receives, uint64_t badge = 0) {
  for (size_t slot = 0; slot < partition.capabilities.size(); ++slot) {
    const auto& capability = partition.capabilities[slot];
    if (static_cast<Capability_kind>(capability.kind) != Capability_kind::notification || capability.object != object)
      continue;
    const bool receive = (capability.rights & kestrel::abi::right_receive) != 0;
    if (receive == receives && (receives || capability.badge == badge)) return slot;
  }
  return ~uint64_t{0};
}

// The slot of the capability that acknowledges `device`'s (first)
// interrupt: irq capabilities follow the partition's grants that deliver
// interrupts, each device's interrupts in order (capabilities.cpp).
uint64_t interrupt_slot(const Model& model, const Partition& partition, uint32_t device) {
  uint64_t position = 0;
  bool found = false;
  for (const auto& grant : partition.grants) {
    if (grant.device == none || grant.notification == none) continue;
    if (grant.device == device) {
      found = true;
      break;
    }
    position += model.platform.devices[grant.device].interrupts.size();
  }
  if (!found) return ~uint64_t{0};
  uint64_t seen = 0;
  for (size_t slot = 0; slot < partition.capabilities.size(); ++slot) {
    if (static_cast<Capability_kind>(partition.capabilities[slot].kind) != Capability_kind::irq) continue;
    if (seen++ == position) return slot;
  }
  return ~uint64_t{0};
}

std::string boolean(bool value) { return value ? "true" : "false"; }

std::string mac_text(const Device_client& port) {
  std::string out = "{";
  for (size_t i = 0; i < 6; ++i) out += (i ? ", " : "") + hex(port.mac[i]);
  return out + "}";
}

// The client's side: what the holder rings and waits on.
void write_client(std::ostringstream& out, const Model& model, const Device_service& service, uint32_t index,
                  const Partition& holder, const std::vector<Named_slot>& slots) {
  const Device_client& client = service.clients[index];
  const bool block = service.kind == Device_service::Kind::block;
  out << "    {\n"
      << "        ." << (block ? "device" : "network") << " = " << string_literal(service.name) << ",\n"
      << "        .client = " << string_literal(model.partitions[client.partition].name) << ",\n"
      << "        .index = " << index << ",\n"
      << "        .queue_address = " << hex(client.address) << ",\n";
  if (block) {
    out << "        .sectors = " << client.sector_count << ",\n"
        << "        .read_only = " << boolean(client.read_only) << ",\n";
  } else {
    out << "        .mac = " << mac_text(client) << ",\n";
  }
  const uint64_t ring = service.driver_notification == none
                            ? ~uint64_t{0}
                            : notification_slot(holder, service.driver_notification, false, uint64_t{2} << index);
  const uint64_t wait = client.doorbell == none ? ~uint64_t{0} : notification_slot(holder, client.doorbell, true);
  out << "        .ring_driver = " << slot_text(slots, ring) << ",\n"
      << "        .wait = " << slot_text(slots, wait) << ",\n"
      << "        .responses_badge = " << hex(client.responses_badge) << ",\n"
      << "        .stopped_badge = " << hex(client.stopped_badge) << ",\n"
      << "        .guest_notify_badge = " << hex(client.guest_notify_badge) << ",\n"
      << "    },\n";
}

void write_clients(std::ostringstream& out, const Model& model, uint32_t partition, bool block,
                   const std::vector<Named_slot>& slots) {
  const auto queues = held_queues(model, partition, block);
  const std::string type = block ? "Block_client_description" : "Net_client_description";
  const std::string name = block ? "block_client" : "net_client";
  out << "constexpr uint32_t " << name << "_count = " << queues.size() << ";\n"
      << "constexpr " << type << " " << name << "s[" << std::max<size_t>(queues.size(), 1) << "] = {\n";
  for (const Held_queue& queue : queues)
    write_client(out, model, model.services[queue.service], queue.client, model.partitions[partition], slots);
  out << "};\n\n";
}

// The driver's side of one device: its transport, DMA memory and every
// client's queue, slice or port.
void write_driver(std::ostringstream& out, const Model& model, const Device_service& service, const Partition& driver,
                  const std::vector<Named_slot>& slots) {
  const bool block = service.kind == Device_service::Kind::block;
  const bool has_device = service.device != none && !model.platform.devices[service.device].mmio.empty();
  const auto& dma = driver.regions.at(service.dma_region);
  out << "    {\n"
      << "        ." << (block ? "device" : "network") << " = " << string_literal(service.name) << ",\n"
      << "        .mmio_address = " << hex(has_device ? model.platform.devices[service.device].mmio[0].base : 0)
      << ",\n"
      << "        .interrupt = "
      << slot_text(slots, has_device ? interrupt_slot(model, driver, service.device) : ~uint64_t{0}) << ",\n"
      << "        .wait = " << slot_text(slots, notification_slot(driver, service.driver_notification, true)) << ",\n"
      << "        .dma_address = " << hex(dma.ipa) << ",\n"
      << "        .dma_physical = " << hex(dma.pa) << ",\n"
      << "        .dma_size = " << hex(dma.size) << ",\n";
  if (block) out << "        .disk_sectors = " << service.sectors << ",\n";
  const auto count = static_cast<uint32_t>(std::min<size_t>(service.clients.size(), max_clients));
  out << "        ." << (block ? "client_count" : "port_count") << " = " << count << ",\n"
      << "        ." << (block ? "clients" : "ports") << " = {\n";
  for (uint32_t i = 0; i < count; ++i) {
    const Device_client& client = service.clients[i];
    const uint64_t ring = client.doorbell == none
                              ? ~uint64_t{0}
                              : notification_slot(driver, client.doorbell, false, client.responses_badge);
    out << "            {\n"
        << "                .name = " << string_literal(model.partitions[client.partition].name) << ",\n"
        << "                .queue_address = " << hex(service.queues_address + uint64_t{i} * service.queue_bytes())
        << ",\n"
        << "                .queue_physical = " << hex(model.queue_physical.at(service.first_queue + i)) << ",\n";
    if (block) {
      out << "                .first_sector = " << client.first_sector << ",\n"
          << "                .sectors = " << client.sector_count << ",\n"
          << "                .read_only = " << boolean(client.read_only) << ",\n";
    } else {
      uint64_t reaches = client.reaches_outside ? uint64_t{1} << outside_port : 0;
      for (const uint32_t port : client.reaches) reaches |= uint64_t{1} << port;
      out << "                .mac = " << mac_text(client) << ",\n"
          << "                .reaches = " << hex(reaches) << ",\n";
    }
    out << "                .ring_client = " << slot_text(slots, ring) << ",\n"
        << "                .responses_badge = " << hex(client.responses_badge) << ",\n"
        << "            },\n";
  }
  out << "        },\n"
      << "    },\n";
}

void write_drivers(std::ostringstream& out, const Model& model, uint32_t partition, bool block,
                   const std::vector<Named_slot>& slots) {
  const auto kind = block ? Device_service::Kind::block : Device_service::Kind::net;
  std::vector<const Device_service*> driven;
  for (const auto& service : model.services) {
    if (service.kind == kind && service.driver == partition && service.dma_region != none) driven.push_back(&service);
  }
  const std::string type = block ? "Block_driver_description" : "Net_driver_description";
  const std::string name = block ? "block_driver" : "net_driver";
  out << "constexpr uint32_t " << name << "_count = " << driven.size() << ";\n"
      << "constexpr " << type << " " << name << "s[" << std::max<size_t>(driven.size(), 1) << "] = {\n";
  for (const Device_service* service : driven) write_driver(out, model, *service, model.partitions[partition], slots);
  out << "};\n\n";
}

}  // namespace

std::vector<Held_queue> held_queues(const Model& model, uint32_t partition, bool block) {
  const auto kind = block ? Device_service::Kind::block : Device_service::Kind::net;
  std::vector<Held_queue> queues;
  for (uint32_t s = 0; s < model.services.size(); ++s) {
    const Device_service& service = model.services[s];
    if (service.kind != kind || service.driver == none) continue;
    for (uint32_t c = 0; c < service.clients.size() && c < max_clients; ++c) {
      const uint32_t client = service.clients[c].partition;
      if (client == none || client == service.driver) continue;
      if (kestrel::policy::queue_holder(model, client) == partition) queues.push_back({s, c});
    }
  }
  return queues;
}

uint32_t emulated_backend(const Model& model, uint32_t vm, const kestrel::policy::Emulated_device& device) {
  using Kind = kestrel::policy::schema::EmulatedKind;
  const bool block = device.kind == static_cast<uint32_t>(Kind::VIRTIO_BLOCK);
  if ((!block && device.kind != static_cast<uint32_t>(Kind::VIRTIO_NET)) || device.backend.empty()) return ~0U;
  const uint32_t vmm = kestrel::policy::queue_holder(model, vm);
  if (vmm == none) return ~0U;
  const auto queues = held_queues(model, vmm, block);
  for (uint32_t i = 0; i < queues.size(); ++i) {
    const Device_service& service = model.services[queues[i].service];
    if (service.name == device.backend && service.clients[queues[i].client].partition == vm) return i;
  }
  return ~0U;
}

void write_devices(std::ostringstream& out, const Model& model, uint32_t partition,
                   const std::vector<Named_slot>& slots) {
  out << "\n#include <kestrel/device_description.hpp>\n\n"
      << "// Block devices and networks served by driver partitions (docs/devices.md):\n"
      << "// the queues this partition holds (for itself, or a VMM for its VMs) and\n"
      << "// the devices it drives. Only the first *_count entries of each array count.\n"
      << "namespace kestrel::devices {\n\n";
  write_clients(out, model, partition, true, slots);
  write_clients(out, model, partition, false, slots);
  write_drivers(out, model, partition, true, slots);
  write_drivers(out, model, partition, false, slots);
  out << "}  // namespace kestrel::devices\n";
}

}  // namespace kestrel_cli
