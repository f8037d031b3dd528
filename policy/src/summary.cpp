// SPDX-License-Identifier: Apache-2.0
// Summary: a readable account of a compiled policy.
#include <sstream>

#include <kestrel/policy/stages.hpp>

#include "validate_util.hpp"

namespace kestrel::policy {
namespace {

const char* access_text(Access access) {
  switch (access) {
    case Access::read_write:
      return "rw-";
    case Access::read_only:
      return "r--";
    case Access::read_execute:
      return "r-x";
    case Access::read_write_execute:
      return "rwx";
  }
  return "?";
}

const char* kind_text(Region::Kind kind) {
  switch (kind) {
    case Region::Kind::memory:
      return "memory";
    case Region::Kind::device:
      return "device";
    case Region::Kind::channel:
      return "channel";
    case Region::Kind::guest_ram:
      return "guest-ram";
    case Region::Kind::guest_ram_view:
      return "guest-ram-of";  // followed by the VM's name
    case Region::Kind::device_queue:
      return "device-queue";  // <device>.<client>
  }
  return "?";
}

}  // namespace

std::string summarize(const Model& model) {
  std::ostringstream out;
  out << "system " << quoted(model.name) << " on " << quoted(model.platform.name) << ": " << model.partitions.size()
      << " partitions, " << model.endpoints.size() << " endpoints, " << model.notifications.size() << " notifications, "
      << model.channels.size() << " channels\n";
  for (const auto& partition : model.partitions) {
    out << "\npartition " << quoted(partition.name) << " (VMID " << partition.vmid << ")";
    if (!partition.program.empty()) out << " program " << partition.program;
    if (partition.vm) out << " VM kernel " << partition.vm->kernel;
    out << "\n  memory:\n";
    for (const auto& region : partition.regions) {
      out << "    " << range_text(region.ipa, region.size) << " -> " << hex(region.pa) << "  "
          << (region.kind == Region::Kind::guest_ram ? "rwx" : access_text(region.access)) << "  "
          << kind_text(region.kind) << ' ' << region.name;
      if (region.kind == Region::Kind::guest_ram && region.shared) {
        out << ", also in " << quoted(partition_name(model, partition.vm->vmm)) << " at "
            << hex(partition.vm->vmm_ram_address);
      }
      out << '\n';
    }
    out << "  threads:\n";
    for (const auto& thread : partition.threads) {
      out << "    " << thread.name << (thread.vcpu ? " (vCPU)" : "") << ": cpu " << thread.cpu << ", priority "
          << thread.priority;
      if (thread.period_us != 0) out << ", budget " << thread.budget_us << "/" << thread.period_us << " us";
      if (thread.passive) out << ", passive";
      if (thread.fault_endpoint != none) out << ", faults to " << model.endpoints[thread.fault_endpoint].name;
      out << '\n';
    }
    out << "  capabilities:\n";
    for (size_t slot = 0; slot < partition.capabilities.size(); ++slot) {
      const auto& capability = partition.capabilities[slot];
      out << "    [" << slot << "] " << capability.description;
      if (capability.badge != 0) out << " (badge " << capability.badge << ")";
      out << '\n';
    }
  }
  out << "\nschedule:\n";
  for (const auto& plan : model.schedule) {
    out << "  cpu " << plan.cpu << ": ";
    if (plan.exclusive != none) {
      out << "exclusive to " << partition_name(model, plan.exclusive);
      const char* separator = ", shared with ";
      for (const uint32_t partition : plan.shared_with) {
        out << separator << partition_name(model, partition);
        separator = ", ";
      }
      out << '\n';
      continue;
    }
    out << "major frame " << plan.major_frame_us << " us:";
    for (const auto& window : plan.windows) {
      out << ' ' << partition_name(model, window.partition) << ' ' << window.duration_us << " us;";
    }
    out << '\n';
  }
  return out.str();
}

}  // namespace kestrel::policy
