// SPDX-License-Identifier: Apache-2.0
// Validate device clients that are VMs (docs/devices.md, "Policy"): each
// virtioBlock or virtioNet emulated device has a backend of its kind that
// lists the VM (KP1112), each VM client has such a device (KP1113), and the
// VMM has the thread "devices-<vm>" that waits on the VM's device doorbells
// (KP1114), so a policy `kestrel check` accepts gives a VMM whose devices
// answer.
#include <kestrel/policy/stages.hpp>
#include <kestrel/policy/suggest.hpp>

#include "validate_util.hpp"

namespace kestrel::policy {
namespace {

using Kind = schema::EmulatedKind;

// The service kind an emulated device needs, or none for one without a backend.
std::optional<Device_service::Kind> backend_kind(uint32_t kind) {
  if (kind == static_cast<uint32_t>(Kind::VIRTIO_BLOCK)) return Device_service::Kind::block;
  if (kind == static_cast<uint32_t>(Kind::VIRTIO_NET)) return Device_service::Kind::net;
  return std::nullopt;
}

const char* kind_text(Device_service::Kind kind) {
  return kind == Device_service::Kind::block ? "block device" : "network";
}

// Returns whether the device is properly backed.
bool check_backend(const Model& model, uint32_t vm, const Emulated_device& device,
                   std::vector<const Emulated_device*>& by_service, Diagnostics& diagnostics) {
  const std::string what = "emulated device " + quoted(device.name) + " of VM " + quoted(model.partitions[vm].name);
  const auto needed = backend_kind(device.kind);
  if (!needed) {
    if (!device.backend.empty()) {
      diagnostics.report(Code::emulated_backend, device.src.at("backend"),
                         what + " has a backend, but only virtioBlock and virtioNet devices use one", "remove backend");
    }
    return false;
  }
  if (device.backend.empty()) {
    diagnostics.report(Code::emulated_backend, device.src.at(), what + " has no backend",
                       std::string("add backend = \"<the ") + kind_text(*needed) + " that serves it>\"");
    return false;
  }
  const auto found = model.service_index.find(device.backend);
  if (found == model.service_index.end()) {
    diagnostics.report(Code::emulated_backend, device.src.at("backend"),
                       what + "'s backend " + quoted(device.backend) + " is no block device or network",
                       hint_or_suggestion(device.backend, names_of(model.service_index),
                                          "name one of System.blockDevices or networks"));
    return false;
  }
  const Device_service& service = model.services[found->second];
  if (service.kind != *needed) {
    diagnostics.report(Code::emulated_backend, device.src.at("backend"),
                       what + "'s backend " + quoted(service.name) + " is a " + kind_text(service.kind) + ", not a " +
                           kind_text(*needed),
                       "back a virtioBlock device with a block device and a virtioNet device with a network");
    return false;
  }
  if (service.client_of(vm) == none) {
    diagnostics.report(Code::emulated_backend, device.src.at("backend"),
                       what + "'s backend " + quoted(service.name) + " does not list " +
                           quoted(model.partitions[vm].name) +
                           (service.kind == Device_service::Kind::block ? " among its clients" : " among its ports"),
                       "add the VM to the " + std::string(kind_text(service.kind)) + "'s " +
                           (service.kind == Device_service::Kind::block ? "clients" : "ports"));
    return false;
  }
  if (const Emulated_device* first = by_service[found->second]; first != nullptr) {
    diagnostics
        .report(Code::emulated_backend, device.src.at("backend"),
                what + " and " + quoted(first->name) + " are both backed by " + quoted(service.name),
                "a VM has one queue per device: give it one emulated device per backend")
        .notes.push_back({first->src.at("backend"), "the other device"});
    return false;
  }
  by_service[found->second] = &device;
  return true;
}

void check_vm(const Model& model, uint32_t vm, Diagnostics& diagnostics) {
  const Partition& partition = model.partitions[vm];
  std::vector<const Emulated_device*> by_service(model.services.size(), nullptr);
  const Emulated_device* first_backed = nullptr;
  for (const Emulated_device& device : partition.vm->emulated) {
    if (check_backend(model, vm, device, by_service, diagnostics) && first_backed == nullptr) first_backed = &device;
  }
  for (uint32_t s = 0; s < model.services.size(); ++s) {
    const Device_service& service = model.services[s];
    const uint32_t client = service.client_of(vm);
    if (client == none || by_service[s] != nullptr) continue;
    diagnostics.report(Code::vm_client_not_emulated, service.clients[client].src.at("partition"),
                       "VM " + quoted(partition.name) + " is a client of " + kind_text(service.kind) + " " +
                           quoted(service.name) + " but has no emulated device backed by it",
                       std::string("give the VM an emulated ") +
                           (service.kind == Device_service::Kind::block ? "virtioBlock" : "virtioNet") +
                           " device with backend = " + quoted(service.name));
  }
  const uint32_t vmm = partition.vm->vmm;
  if (first_backed == nullptr || vmm == none || vmm == vm || model.partitions[vmm].vm) return;
  const std::string thread_name = "devices-" + partition.name;
  for (const Thread& thread : model.partitions[vmm].threads) {
    if (thread.name == thread_name && !thread.passive && !thread.vcpu) return;
  }
  diagnostics.report(Code::vm_devices_unserved, first_backed->src.at("backend"),
                     "VM " + quoted(partition.name) + " has devices served by driver partitions, but its VMM " +
                         quoted(model.partitions[vmm].name) + " has no thread " + quoted(thread_name) +
                         " to wait on their doorbells",
                     "give " + quoted(model.partitions[vmm].name) + " a thread named " + quoted(thread_name) +
                         " (not passive) with a stack of its own");
}

}  // namespace

void validate_device_clients(const Model& model, Diagnostics& diagnostics) {
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    if (model.partitions[p].vm) check_vm(model, p, diagnostics);
  }
}

}  // namespace kestrel::policy
