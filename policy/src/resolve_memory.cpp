// SPDX-License-Identifier: Apache-2.0
// Resolve memory: a partition's memory regions and its device grants,
// which become regions of their own.
#include <algorithm>

#include "resolver.hpp"

namespace kestrel::policy {

void Resolver::resolve_partitions(capnp::List<schema::Partition>::Reader partitions, const Source_ref& src) {
  for (uint32_t i = 0; i < partitions.size(); ++i) resolve_partition(model_.partitions[i], partitions[i], src.item(i));
}

void Resolver::resolve_partition(Partition& partition, schema::Partition::Reader reader, const Source_ref& src) {
  partition.program = reader.getProgram();
  partition.kernel_console = reader.getKernelConsole();
  partition.may_power_off = reader.getMayPowerOff();
  partition.tunnel_window = range(reader.getTunnelWindow(), src.field("tunnelWindow"));
  const Name_index regions = resolve_regions(partition, reader.getMemory(), src.field("memory"));
  resolve_threads(partition, reader.getThreads(), src.field("threads"), regions);
  const auto grants = reader.getDevices();
  for (uint32_t i = 0; i < grants.size(); ++i) resolve_grant(partition, grants[i], src.field("devices").item(i));
  if (reader.hasVm()) resolve_vm(partition, reader.getVm(), src.field("vm"));
}

Name_index Resolver::resolve_regions(Partition& partition, capnp::List<schema::MemoryRegion>::Reader memory,
                                     const Source_ref& src) {
  Name_index region_index;
  std::map<std::string, Location> region_first_seen;
  for (uint32_t i = 0; i < memory.size(); ++i) {
    const Source_ref region_src = src.item(i);
    Region region;
    region.kind = Region::Kind::memory;
    region.name = memory[i].getName();
    region.size = memory[i].getSize();
    region.ipa = memory[i].getAddress();
    region.pa = memory[i].getPhysicalAddress();
    region.fixed_pa = region.pa != 0;
    region.access = static_cast<Access>(memory[i].getAccess());
    region.type = static_cast<Memory_type>(memory[i].getMemoryType());
    region.src = region_src;
    declare(region_index, region_first_seen, region.name, static_cast<uint32_t>(partition.regions.size()),
            region_src.at("name"), Code::duplicate_region, "memory region");
    partition.regions.push_back(std::move(region));
  }
  return region_index;
}

void Resolver::resolve_grant(Partition& partition, schema::DeviceGrant::Reader reader, const Source_ref& src) {
  Device_grant grant;
  grant.src = src;
  grant.ipa = reader.getAddress();
  grant.badge = reader.getBadge();
  grant.device =
      find_in(model_.platform.device_index, text(reader.getDevice()), src.at("device"), Code::unknown_device, "device");
  const std::string notification = reader.getNotification();
  if (!notification.empty()) {
    grant.notification_named = true;
    grant.notification =
        find_in(notification_index_, notification, src.at("notification"), Code::unknown_notification, "notification");
  }
  add_grant_regions(partition, grant);
  partition.grants.push_back(grant);
}

// The regions that map a grant's device (before the grant joins the
// partition's list): none for a device already granted to it (KP0601
// reports the second grant).
void Resolver::add_grant_regions(Partition& partition, const Device_grant& grant) {
  const bool already_granted =
      std::any_of(partition.grants.begin(), partition.grants.end(),
                  [&](const Device_grant& other) { return other.device != none && other.device == grant.device; });
  if (grant.device != none && !already_granted) {
    // Map every register range, whole pages; the grant's address moves
    // the first page and the others keep their distance from it.
    const Device& device = model_.platform.devices[grant.device];
    const uint64_t first_page = device.mmio.empty() ? 0 : device.mmio[0].base & ~(page_size - 1);
    for (const auto& mmio : device.mmio) {
      if (mmio.size == 0 || mmio.wraps()) continue;  // reported by the platform checks
      Region region;
      region.kind = Region::Kind::device;
      region.name = device.name;
      region.pa = mmio.base & ~(page_size - 1);
      region.size = ((mmio.end() + page_size - 1) & ~(page_size - 1)) - region.pa;
      region.ipa = grant.ipa == 0 ? region.pa : grant.ipa + (region.pa - first_page);
      region.fixed_pa = true;
      region.type = Memory_type::device;
      region.owner = grant.device;
      region.src = grant.src;
      partition.regions.push_back(std::move(region));
    }
  }
}

}  // namespace kestrel::policy
