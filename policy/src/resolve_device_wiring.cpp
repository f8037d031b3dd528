// SPDX-License-Identifier: Apache-2.0
// Resolve device wiring: what the compiler makes of a block device or a
// network (docs/devices.md, "Policy"): the platform device granted to the
// driver, the driver's notification "<device>.driver", each client's
// doorbell (a native client's "<device>.doorbell.<client>", a VM's one
// "<vm>.device-doorbells" held by its VMM) and each client's queue region,
// mapped into the client (or its VMM) and into the driver.
//
// Badges are device_queue.hpp's: the device interrupt sets bit 0 of the
// driver's word and client i bit i + 1; the driver answers a native client
// with responses_bit; the k-th backed emulated device of a VM has bits 2k
// (responses), 2k + 1 (driver stopped) and 32 + k (the guest wrote its
// QueueNotify: a guest doorbell) of its VM's word.
#include <algorithm>

#include <kestrel/device_queue.hpp>

#include "resolver.hpp"

namespace kestrel::policy {
namespace {

namespace queue = kestrel::device_queue;

// The virtio-mmio registers (virtio 1.x, 4.2.2) a backed device's guest
// writes without an exit: QueueNotify rings the VMM's devices thread
// (bit guest_notify_first_bit + k of the VM's word for the k-th backed
// device), InterruptACK is dropped, since that VMM clears InterruptStatus
// as the guest reads it (docs/vmm.md, "Doorbells").
constexpr uint64_t virtio_mmio_queue_notify = 0x50;
constexpr uint64_t virtio_mmio_interrupt_ack = 0x64;
constexpr uint32_t guest_notify_first_bit = 32;

bool backed_kind(uint32_t kind) {
  return kind == static_cast<uint32_t>(schema::EmulatedKind::VIRTIO_BLOCK) ||
         kind == static_cast<uint32_t>(schema::EmulatedKind::VIRTIO_NET);
}

}  // namespace

uint64_t Device_service::queue_bytes() const {
  const uint64_t bytes = kind == Kind::block ? queue::block_queue_bytes : queue::net_queue_bytes;
  return (bytes + page_size - 1) & ~(page_size - 1);
}

uint32_t Device_service::client_of(uint32_t partition) const {
  for (uint32_t i = 0; i < clients.size(); ++i) {
    if (clients[i].partition == partition) return i;
  }
  return none;
}

uint32_t queue_holder(const Model& model, uint32_t client) {
  if (client >= model.partitions.size()) return none;
  const Partition& partition = model.partitions[client];
  return partition.vm ? partition.vm->vmm : client;
}

// A driver that can own notifications and map memory: a native partition
// (KP1101 reports a VM). Clients beyond max_clients have no doorbell bit
// (KP1111), so nothing is made for them.
void Resolver::wire_services() {
  uint32_t queues = 0;
  for (Device_service& service : model_.services) {
    service.first_queue = queues;
    queues += static_cast<uint32_t>(service.clients.size());
    if (service.driver == none || model_.partitions[service.driver].vm) continue;
    add_driver_notification(service);
    add_device_grant(service);
    add_client_doorbells(service);
    add_queue_regions(service);
  }
  model_.queue_physical.assign(queues, 0);
  add_vm_device_doorbells();
  add_driver_stop_signals();
}

// When a driver stops (its last thread, a fault), the kernel rings each
// client's doorbell with its stopped badge (driver_stopped_bit for a
// native client, bit 2k + 1 of a VM's word), so no client waits for ever
// for a driver that is gone (abi::Stop_signal_entry; KP1115 counts them).
void Resolver::add_driver_stop_signals() {
  for (const Device_service& service : model_.services) {
    if (service.driver == none || model_.partitions[service.driver].vm) continue;
    for (const Device_client& client : service.clients) {
      if (client.doorbell == none || client.stopped_badge == 0) continue;
      const auto bit = static_cast<uint32_t>(__builtin_ctzll(client.stopped_badge));
      model_.partitions[service.driver].stop_signals.push_back({client.doorbell, bit});
    }
  }
}

void Resolver::add_driver_notification(Device_service& service) {
  Notification driver;
  driver.name = service.name + ".driver";
  if (service.name.size() <= max_name_length)
    check_generated_name(driver.name, service.src.at("name"),
                         "the notification of " + quoted(service.name) + "'s driver",
                         "shorten the name to at most " + std::to_string(max_name_length - 7) + " characters");
  driver.owner = service.driver;
  driver.implicit = true;
  driver.src = service.src.field("driver");
  for (uint32_t i = 0; i < service.clients.size() && i < queue::max_clients; ++i) {
    const uint32_t holder = queue_holder(model_, service.clients[i].partition);
    if (holder == none || model_.partitions[holder].vm) continue;  // KP0608, KP0610
    driver.signallers.push_back({holder, queue::client_doorbell_bit(i), service.clients[i].src});
  }
  service.driver_notification = static_cast<uint32_t>(model_.notifications.size());
  model_.notifications.push_back(std::move(driver));
}

// The driver owns the device as if it had listed it in its `devices`,
// mapped at its physical address. Checked as a written grant is: KP0601
// if the driver lists it too or another partition has it, KP0316 if
// another partition has a device in one of its pages.
void Resolver::add_device_grant(Device_service& service) {
  if (service.device == none) return;
  Device_grant grant;
  grant.device = service.device;
  grant.notification = service.driver_notification;
  grant.notification_named = true;
  grant.badge = queue::device_interrupt_bit;
  grant.src = service.src;
  Partition& driver = model_.partitions[service.driver];
  add_grant_regions(driver, grant);
  driver.grants.push_back(grant);
}

// A native client's own doorbell; a VM client's bits in its VM's
// notification are set by add_vm_device_doorbells.
void Resolver::add_client_doorbells(Device_service& service) {
  for (uint32_t i = 0; i < service.clients.size() && i < queue::max_clients; ++i) {
    Device_client& client = service.clients[i];
    if (client.partition == none || model_.partitions[client.partition].vm) continue;
    if (client.partition == service.driver) continue;  // KP1110
    const Partition& partition = model_.partitions[client.partition];
    Notification doorbell;
    doorbell.name = service.name + ".doorbell." + partition.name;
    if (service.name.size() <= max_name_length && !partition.unnamed)
      check_generated_name(doorbell.name, client.src.at("partition"),
                           "the doorbell of " + quoted(service.name) + " for " + quoted(partition.name),
                           "shorten the device's or the client's name: together they may have at most " +
                               std::to_string(max_name_length - std::string_view(".doorbell.").size()) + " characters");
    doorbell.owner = client.partition;
    doorbell.implicit = true;
    doorbell.src = client.src;
    doorbell.signallers.push_back({service.driver, queue::responses_bit, service.src});
    // The kernel sets driver_stopped_bit when the driver stops
    // (add_driver_stop_signals); no partition signals it.
    client.doorbell = static_cast<uint32_t>(model_.notifications.size());
    client.responses_badge = queue::responses_bit;
    client.stopped_badge = queue::driver_stopped_bit;
    model_.notifications.push_back(std::move(doorbell));
  }
}

// One notification per VM whose emulated devices have backends, owned by
// its VMM, so one VMM thread ("devices-<vm>", KP1114) waits for all of
// them. The k-th backed device (in `emulated` order) has bits 2k, 2k + 1
// and 32 + k; the driver of its backend signals bit 2k, the kernel bit
// 32 + k when the guest writes the device's QueueNotify (a guest
// doorbell; its InterruptACK is one too, dropped). The VM client's
// badges are set here; a VM client without a backed device keeps none
// (KP1113).
void Resolver::add_vm_device_doorbells() {
  for (uint32_t p = 0; p < model_.partitions.size(); ++p) {
    Partition& vm_partition = model_.partitions[p];
    if (!vm_partition.vm || vm_partition.vm->vmm == none || vm_partition.vm->vmm == p) continue;
    if (model_.partitions[vm_partition.vm->vmm].vm) continue;  // KP0610
    Notification doorbells;
    doorbells.name = vm_partition.name + ".device-doorbells";
    doorbells.owner = vm_partition.vm->vmm;
    doorbells.implicit = true;
    doorbells.src = vm_partition.vm->src.field("emulated");
    const auto index = static_cast<uint32_t>(model_.notifications.size());
    uint32_t k = 0;
    for (const Emulated_device& device : vm_partition.vm->emulated) {
      if (!backed_kind(device.kind) || device.backend.empty()) continue;
      const uint32_t bit = 2 * k++;
      const auto found = model_.service_index.find(device.backend);
      if (found == model_.service_index.end() || bit >= 64) continue;  // KP1112
      Device_service& service = model_.services[found->second];
      const uint32_t client = service.client_of(p);
      if (client == none || client >= queue::max_clients) continue;  // KP1112, KP1111
      if (service.driver == none || model_.partitions[service.driver].vm) continue;
      Device_client& served = service.clients[client];
      if (served.doorbell != none) continue;  // a second device on one backend: KP1112
      served.doorbell = index;
      served.responses_badge = uint64_t{1} << bit;
      served.stopped_badge = uint64_t{1} << (bit + 1);
      served.guest_notify_badge = uint64_t{1} << (guest_notify_first_bit + bit / 2);
      doorbells.signallers.push_back({service.driver, served.responses_badge, device.src});
      vm_partition.guest_doorbells.push_back(
          {device.address + virtio_mmio_queue_notify, index, served.guest_notify_badge});
      vm_partition.guest_doorbells.push_back({device.address + virtio_mmio_interrupt_ack, none, 0});
    }
    std::sort(vm_partition.guest_doorbells.begin(), vm_partition.guest_doorbells.end(),
              [](const Guest_doorbell& a, const Guest_doorbell& b) { return a.ipa < b.ipa; });
    if (k == 0) continue;
    if (!vm_partition.unnamed)
      check_generated_name(doorbells.name, vm_partition.src.at("name"),
                           "the notification of VM " + quoted(vm_partition.name) + "'s device doorbells",
                           "shorten the VM's name to at most " + std::to_string(max_name_length - 17) + " characters");
    model_.notifications.push_back(std::move(doorbells));
  }
}

// Client i's queue region: in the client (or its VMM) at its `address`,
// in the driver at queuesAddress + i x queue_bytes. Both are the same
// pages (placed by the allocator, model.queue_physical), never loaded by
// the image builder, so they start zeroed: both rings empty.
void Resolver::add_queue_regions(Device_service& service) {
  for (uint32_t i = 0; i < service.clients.size() && i < queue::max_clients; ++i) {
    const Device_client& client = service.clients[i];
    const uint32_t holder = queue_holder(model_, client.partition);
    if (holder == none || model_.partitions[holder].vm || client.partition == service.driver) continue;
    Region region;
    region.kind = Region::Kind::device_queue;
    region.name = service.name + "." + model_.partitions[client.partition].name;
    region.size = service.queue_bytes();
    region.access = Access::read_write;
    region.type = Memory_type::write_back;
    region.owner = service.first_queue + i;
    region.shared = true;
    region.src = client.src;
    region.ipa = client.address;
    model_.partitions[holder].regions.push_back(region);
    region.in_driver = true;
    region.src = service.src;
    region.ipa = service.queues_address + uint64_t{i} * service.queue_bytes();
    model_.partitions[service.driver].regions.push_back(std::move(region));
  }
}

}  // namespace kestrel::policy
