// SPDX-License-Identifier: Apache-2.0
// Validate devices and virtual machines: who owns which device and
// interrupt, VM RAM, vCPUs, VMMs and emulated devices.
#include <algorithm>
#include <set>
#include <tuple>

#include <kestrel/policy/stages.hpp>

#include "validate_util.hpp"

namespace kestrel::policy {
namespace {

constexpr uint64_t block_size = 2U << 20;  // guest RAM is mapped in 2 MiB blocks
constexpr uint32_t first_spi = 32;
constexpr uint32_t last_spi = 1019;
// What the image builder's guest device tree (sysimage/src/device_tree.cpp)
// needs: a GICv3 redistributor frame (RD_base and SGI_base, 64 KiB each) per
// vCPU, at most 8 vCPUs, and node names of at most 31 characters.
constexpr uint64_t redistributor_frame_size = 0x20000;
constexpr size_t max_guest_vcpus = 8;
constexpr size_t max_device_tree_name = 31;

// A device's registers are mapped in whole pages, so devices that share a
// page must be granted to one partition. A sweep over the granted register
// ranges, rounded out to pages and sorted by their first page: linear (after
// sorting) in the number of ranges, however large the devices are.
void check_device_pages(const Model& model, Diagnostics& diagnostics) {
  struct Pages {
    uint64_t first;  // the first page and the last (not one past it, which could be 2^64)
    uint64_t last;
    uint32_t partition;
    uint32_t order;  // of the grant in the policy
    const Device_grant* grant;
  };
  std::vector<Pages> ranges;
  std::set<uint32_t> granted;
  uint32_t order = 0;
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    for (const auto& grant : model.partitions[p].grants) {
      // A second grant of a device is KP0601's.
      if (grant.device == none || !granted.insert(grant.device).second) continue;
      for (const auto& mmio : model.platform.devices[grant.device].mmio) {
        if (mmio.size == 0 || mmio.wraps()) continue;  // reported by the platform checks
        ranges.push_back(
            {mmio.base & ~(page_size - 1), (mmio.base + (mmio.size - 1)) & ~(page_size - 1), p, order, &grant});
      }
      ++order;
    }
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const Pages& a, const Pages& b) { return std::tie(a.first, a.order) < std::tie(b.first, b.order); });
  // Of the ranges so far: the one reaching furthest, and the one reaching
  // furthest among those of other partitions than that one's. A range shares
  // a page with another partition's exactly when one of these two reaches it.
  const Pages* furthest = nullptr;
  const Pages* furthest_other = nullptr;
  std::set<const Device_grant*> reported;
  for (const Pages& range : ranges) {
    const Pages* clash = nullptr;
    if (furthest != nullptr && furthest->partition != range.partition && furthest->last >= range.first) {
      clash = furthest;
    } else if (furthest_other != nullptr && furthest_other->partition != range.partition &&
               furthest_other->last >= range.first) {
      clash = furthest_other;
    }
    if (clash != nullptr) {
      // Reported at the grant written later, naming the earlier one.
      const Pages& later = clash->order > range.order ? *clash : range;
      const Pages& earlier = clash->order > range.order ? range : *clash;
      if (reported.insert(later.grant).second) {
        diagnostics
            .report(Code::device_page_shared, later.grant->src.at("device"),
                    "device " + quoted(model.platform.devices[later.grant->device].name) + " shares the page at " +
                        hex(range.first) + " with device " +
                        quoted(model.platform.devices[earlier.grant->device].name) + ", which is granted to " +
                        quoted(partition_name(model, earlier.partition)),
                    "grant devices that share a 4 KiB page to the same partition")
            .notes.push_back({earlier.grant->src.at("device"), "the other grant"});
      }
    }
    if (furthest == nullptr || range.last > furthest->last) {
      if (furthest != nullptr && furthest->partition != range.partition) furthest_other = furthest;
      furthest = &range;
    } else if (range.partition != furthest->partition &&
               (furthest_other == nullptr || range.last > furthest_other->last)) {
      furthest_other = &range;
    }
  }
}

void check_grants(const Model& model, Diagnostics& diagnostics) {
  struct Owner {
    uint32_t partition;
    const Device_grant* grant;
  };
  std::map<uint32_t, Owner> device_owner;  // device index -> first grant
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    const Partition& partition = model.partitions[p];
    for (const auto& grant : partition.grants) {
      if (grant.device == none) continue;
      const Device& device = model.platform.devices[grant.device];
      const auto [owner, first] = device_owner.emplace(grant.device, Owner{p, &grant});
      if (!first) {
        diagnostics
            .report(Code::device_granted_twice, grant.src.at("device"),
                    "device " + quoted(device.name) + " is granted to " + quoted(partition.name) +
                        (owner->second.partition == p
                             ? " twice"
                             : " and to " + quoted(partition_name(model, owner->second.partition))),
                    "a device has one owner; others reach it through the owner's endpoint")
            .notes.push_back({owner->second.grant->src.at("device"), "first granted here"});
        continue;
      }
      if (grant.notification != none) {
        if (partition.vm) {
          diagnostics.report(Code::vm_grant_notification, grant.src.at("notification"),
                             "device " + quoted(device.name) + " is granted to VM " + quoted(partition.name) +
                                 " but its interrupts are sent to a notification",
                             "a VM's device interrupts are injected into the guest; remove notification");
          continue;
        }
        if (grant.badge == 0) {
          diagnostics.report(Code::notification_zero_badge, grant.src.at("badge"),
                             "interrupts of device " + quoted(device.name) + " signal notification " +
                                 quoted(model.notifications[grant.notification].name) +
                                 " with badge 0, which sets no bit",
                             "give the grant a non-zero badge (the default is 1)");
        }
        const Notification& notification = model.notifications[grant.notification];
        if (notification.owner != none && notification.owner != p) {
          diagnostics.report(Code::irq_notification_foreign, grant.src.at("notification"),
                             "interrupts of device " + quoted(device.name) + " granted to " + quoted(partition.name) +
                                 " go to notification " + quoted(notification.name) + " owned by " +
                                 quoted(partition_name(model, notification.owner)),
                             "deliver a device's interrupts to a notification its owner waits on");
        }
      }
    }
  }
}

// Emulated devices against the VM's mappings and each other, by a sweep
// over all the ranges sorted by base: linear after sorting, for any number
// of devices. Overlaps between mappings alone are KP0305's.
void check_emulated_overlaps(const Partition& partition, const std::vector<const Emulated_device*>& devices,
                             Diagnostics& diagnostics) {
  struct Span {
    uint64_t base;
    uint64_t end;
    const Region* region;           // a mapping, or
    const Emulated_device* device;  // an emulated device
  };
  std::vector<Span> spans;
  for (const auto& region : partition.regions) {
    if (region.size == 0 || region.size - 1 >= UINT64_MAX - region.ipa) continue;  // reported elsewhere
    spans.push_back({region.ipa, region.ipa + region.size, &region, nullptr});
  }
  for (const auto* device : devices)
    spans.push_back({device->address, device->address + device->size, nullptr, device});
  std::stable_sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.base < b.base; });
  auto report = [&](const Emulated_device& device, const Span& other) {
    const std::string what = "emulated device " + quoted(device.name) + " of " + quoted(partition.name);
    if (other.region != nullptr) {
      diagnostics.report(Code::emulated_overlap, device.src.at("address"),
                         what + " " + range_text(device.address, device.size) + " overlaps " + describe(*other.region),
                         "move it to a guest-physical range nothing else uses");
    } else {
      diagnostics
          .report(Code::emulated_overlap, device.src.at("address"),
                  what + " overlaps emulated device " + quoted(other.device->name),
                  "give each emulated device its own range")
          .notes.push_back({other.device->src.at("address"), "the other device"});
    }
  };
  const Span* furthest = nullptr;         // of all ranges so far
  const Span* furthest_device = nullptr;  // of the emulated devices so far
  for (const Span& span : spans) {
    if (span.device != nullptr && furthest != nullptr && span.base < furthest->end) {
      report(*span.device, *furthest);
    } else if (span.region != nullptr && furthest_device != nullptr && span.base < furthest_device->end) {
      report(*furthest_device->device, span);
    }
    if (furthest == nullptr || span.end > furthest->end) furthest = &span;
    if (span.device != nullptr && (furthest_device == nullptr || span.end > furthest_device->end)) {
      furthest_device = &span;
    }
  }
}

void check_emulated(const Partition& partition, const Virtual_machine& vm, const Model& model,
                    Diagnostics& diagnostics) {
  std::set<uint32_t> used_interrupts;
  for (const auto& grant : partition.grants) {
    if (grant.device == none) continue;
    for (uint32_t interrupt : model.platform.devices[grant.device].interrupts) used_interrupts.insert(interrupt);
  }
  std::vector<const Emulated_device*> placed;
  for (const auto& device : vm.emulated) {
    const std::string what = "emulated device " + quoted(device.name) + " of " + quoted(partition.name);
    if (!page_aligned(device.address) || !page_aligned(device.size) || device.size == 0) {
      diagnostics.report(
          Code::emulated_unaligned, device.src.at(page_aligned(device.address) ? "size" : "address"),
          what + " at " + hex(device.address) + " size " + hex(device.size) + " is not whole 4 KiB pages",
          "use a 4 KiB aligned address and a non-zero multiple of 0x1000 as size");
    } else if (device.address + device.size < device.address) {
      diagnostics.report(Code::emulated_unaligned, device.src.at("size"), what + " wraps around the address space",
                         "move it lower");
    } else {
      placed.push_back(&device);
    }
    if (device.interrupt < first_spi || device.interrupt > last_spi) {
      diagnostics.report(Code::emulated_interrupt, device.src.at("interrupt"),
                         what + " interrupt " + std::to_string(device.interrupt) + " is not an SPI (32-1019)",
                         "pick a free SPI, e.g. 80 or above on QEMU virt");
    } else if (!used_interrupts.insert(device.interrupt).second) {
      diagnostics.report(
          Code::emulated_interrupt, device.src.at("interrupt"),
          what + " interrupt " + std::to_string(device.interrupt) + " is already used by another device of this VM",
          "give each device of the VM its own interrupt");
    }
  }
  check_emulated_overlaps(partition, placed, diagnostics);
}

// A virtio device's queues and buffers are in guest RAM, which the VMM
// must read and write: without vmmRamAddress it would not see them, and the
// guest's driver would wait for ever. Reported once per VM, at its first
// virtio device.
void check_virtio_needs_ram(const Partition& partition, const Virtual_machine& vm, Diagnostics& diagnostics) {
  if (vm.vmm_ram_address != 0) return;
  for (const auto& device : vm.emulated) {
    if (device.kind == static_cast<uint32_t>(schema::EmulatedKind::PL011)) continue;
    diagnostics.report(Code::virtio_without_vmm_ram, device.src.at("kind"),
                       "emulated device " + quoted(device.name) + " of VM " + quoted(partition.name) +
                           " is a virtio device, but the VM's VMM does not map its RAM, where the device's queues are",
                       "give the VM vmmRamAddress (a 2 MiB aligned address clear of the VMM's other mappings, e.g. "
                       "0x80000000)");
    return;
  }
}

// The guest sees the GIC at the platform's addresses, beside its RAM and
// its devices; the image builder would refuse to describe an overlap.
void check_gic_overlaps(const Model& model, const Partition& partition, const Virtual_machine& vm,
                        Diagnostics& diagnostics) {
  const Platform& platform = model.platform;
  const std::string what = "VM " + quoted(partition.name);
  auto overlaps_gic = [&](uint64_t base, uint64_t size, const Location& at, const std::string& thing) {
    if (size == 0 || base + size < base) return;  // reported elsewhere
    const Address_range range{base, size, {}};
    for (const auto* gic : {&platform.gic_distributor, &platform.gic_redistributors}) {
      if (gic->size == 0 || gic->wraps() || !range.overlaps(*gic)) continue;
      diagnostics.report(Code::vm_gic_overlap, at,
                         what + " " + thing + " " + range_text(base, size) + " overlaps the GIC's " +
                             (gic == &platform.gic_distributor ? "distributor " : "redistributors ") +
                             range_text(gic->base, gic->size) + ", which the guest sees at the same address",
                         "move it clear of the GIC (QEMU virt guests use RAM at 0x40000000 and devices below "
                         "0x8000000 or from 0xa000000)");
      return;
    }
  };
  overlaps_gic(vm.ram_address, vm.ram_size, vm.src.at("ramAddress"), "RAM");
  for (const auto& device : vm.emulated) {
    if (!page_aligned(device.address) || !page_aligned(device.size)) continue;  // KP0613
    overlaps_gic(device.address, device.size, device.src.at("address"), "emulated device " + quoted(device.name));
  }
  for (const auto& grant : partition.grants) {
    // At its own physical address a device cannot overlap the GIC (KP0215).
    if (grant.device == none || grant.ipa == 0) continue;
    const Device& device = platform.devices[grant.device];
    const uint64_t first_page = device.mmio.empty() ? 0 : device.mmio[0].base & ~(page_size - 1);
    for (const auto& mmio : device.mmio) {
      if (mmio.size == 0 || mmio.wraps()) continue;
      overlaps_gic(grant.ipa + (mmio.base - first_page), mmio.size, grant.src.at("address"),
                   "device " + quoted(device.name));
    }
  }
}

// What the guest's device tree must say: vCPUs that the GIC can serve, and
// devices with a node name, registers and a compatible string.
void check_guest_description(const Model& model, const Partition& partition, const Virtual_machine& vm,
                             Diagnostics& diagnostics) {
  const Platform& platform = model.platform;
  const std::string what = "VM " + quoted(partition.name);
  const size_t vcpus = vm.cpus.size();
  const uint64_t frames = platform.gic_redistributors.size / redistributor_frame_size;
  if (platform.cpus != 0 && (vcpus > platform.cpus || vcpus > max_guest_vcpus)) {
    diagnostics.report(
        Code::vm_too_many_vcpus, vm.src.at("cpus"),
        what + " has " + std::to_string(vcpus) + " vCPUs; the platform has " + std::to_string(platform.cpus) + " CPUs",
        "give the VM at most one vCPU per CPU");
  } else if (platform.gic_redistributors.size != 0 && vcpus > frames) {
    diagnostics.report(Code::vm_too_many_vcpus, vm.src.at("cpus"),
                       what + " has " + std::to_string(vcpus) + " vCPUs, but the GIC's redistributor range " +
                           range_text(platform.gic_redistributors.base, platform.gic_redistributors.size) +
                           " has frames for " + std::to_string(frames),
                       "each vCPU needs a 128 KiB redistributor frame; give the VM fewer vCPUs");
  }
  auto name_fits = [&](const std::string& name, const Location& at, const std::string& thing) {
    if (name.size() <= max_device_tree_name) return;
    diagnostics.report(Code::vm_device_not_describable, at,
                       what + " sees " + thing + " " + quoted(name) + ", but a device-tree node name has at most " +
                           std::to_string(max_device_tree_name) + " characters",
                       "shorten the device's name to at most 31 characters");
  };
  for (const auto& grant : partition.grants) {
    if (grant.device == none) continue;
    const Device& device = platform.devices[grant.device];
    name_fits(device.name, grant.src.at("device"), "device");
    if (device.mmio.empty() || device.compatible.empty()) {
      diagnostics.report(Code::vm_device_not_describable, grant.src.at("device"),
                         what + " is granted device " + quoted(device.name) + ", which has no " +
                             (device.mmio.empty() ? "registers" : "compatible string") + " to tell the guest",
                         "describe the device fully in the platform (mmio and compatible), or grant it to a native "
                         "partition");
    }
  }
  for (const auto& device : vm.emulated) name_fits(device.name, device.src.at("name"), "emulated device");
}

void check_vm(const Model& model, uint32_t p, Diagnostics& diagnostics) {
  const Partition& partition = model.partitions[p];
  const Virtual_machine& vm = *partition.vm;
  const std::string what = "VM " + quoted(partition.name);
  if (vm.cpus.empty()) {
    diagnostics.report(Code::vm_no_vcpus, vm.src.at("cpus"), what + " has no vCPUs",
                       "list the physical CPU of each vCPU, e.g. cpus = [0]");
  }
  for (size_t i = 0; i < vm.cpus.size(); ++i) {
    if (model.platform.cpus != 0 && vm.cpus[i] >= model.platform.cpus) {
      diagnostics.report(Code::vm_cpu_range, vm.src.field("cpus").item(i).at(),
                         what + " vCPU " + std::to_string(i) + " is pinned to CPU " + std::to_string(vm.cpus[i]) +
                             ", which the platform does not have",
                         "use a CPU from 0 to " + std::to_string(model.platform.cpus - 1));
    }
  }
  if (vm.ram_size == 0 || vm.ram_size % block_size != 0) {
    diagnostics.report(
        Code::vm_ram_size, vm.src.at("ramSize"),
        what + " RAM size " + hex(vm.ram_size) + (vm.ram_size == 0 ? " is 0" : " is not a multiple of 2 MiB"),
        "give the guest a multiple of 2 MiB (0x200000), e.g. 0x8000000 for 128 MiB");
  }
  if (vm.ram_address % block_size != 0) {
    diagnostics.report(Code::vm_ram_address, vm.src.at("ramAddress"),
                       what + " RAM address " + hex(vm.ram_address) + " is not 2 MiB aligned",
                       "use a multiple of 0x200000; QEMU virt guests expect 0x40000000");
  }
  // 2 MiB like the guest's own view, so the kernel maps the VMM's with the
  // same 2 MiB blocks: with 4 KiB pages, 1 GiB of guest RAM would take 512
  // level-3 tables, every page of the kernel's stage-2 table pool.
  if (vm.vmm_ram_address % block_size != 0) {
    diagnostics.report(
        Code::vmm_ram_address, vm.src.at("vmmRamAddress"),
        what + " RAM is mapped into its VMM at " + hex(vm.vmm_ram_address) + ", which is not 2 MiB aligned",
        "use a multiple of 0x200000 that is clear of the VMM's other mappings, e.g. 0x80000000");
  }
  if (vm.kernel.empty()) {
    diagnostics.report(Code::vm_kernel_missing, vm.src.at("kernel"), what + " has no guest kernel",
                       "add kernel = \"<Image or ELF>\"");
  }
  if (vm.vmm == p) {
    diagnostics.report(Code::vmm_self, vm.src.at("vmm"), what + " names itself as its VMM",
                       "the VMM must be a native partition that handles the VM's exits");
  } else if (vm.vmm != none && model.partitions[vm.vmm].vm) {
    diagnostics.report(Code::vmm_is_vm, vm.src.at("vmm"),
                       what + " has VMM " + quoted(model.partitions[vm.vmm].name) + ", which is itself a VM",
                       "the VMM must be a native partition");
  }
  check_emulated(partition, vm, model, diagnostics);
  check_virtio_needs_ram(partition, vm, diagnostics);
  if (!model.has_platform) return;
  check_gic_overlaps(model, partition, vm, diagnostics);
  check_guest_description(model, partition, vm, diagnostics);
}

}  // namespace

void validate_virtual_machines(const Model& model, Diagnostics& diagnostics) {
  check_grants(model, diagnostics);
  check_device_pages(model, diagnostics);
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    if (model.partitions[p].vm) check_vm(model, p, diagnostics);
  }
}

}  // namespace kestrel::policy
