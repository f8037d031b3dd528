// SPDX-License-Identifier: Apache-2.0
// Emit: the allocated model as boot-info.
#include <kestrel/policy/boot_info_writer.hpp>
#include <kestrel/policy/stages.hpp>

#include "capabilities.hpp"
#include "validate_util.hpp"

namespace kestrel::policy {
namespace {

// Every time is at most max_time_us (KP0711), so the products below fit.

uint32_t region_attributes(const Region& region) {
  uint32_t attributes = abi::region_read;
  const bool writable = region.access == Access::read_write || region.access == Access::read_write_execute;
  const bool executable = region.access == Access::read_execute || region.access == Access::read_write_execute;
  if (writable || region.kind == Region::Kind::guest_ram) attributes |= abi::region_write;
  if (executable || region.kind == Region::Kind::guest_ram) attributes |= abi::region_execute;
  if (region.type == Memory_type::device || region.kind == Region::Kind::device) attributes |= abi::region_device;
  if (region.type == Memory_type::non_cacheable) attributes |= abi::region_non_cacheable;
  if (region.shared) attributes |= abi::region_shared_channel;
  if (region.kind == Region::Kind::guest_ram) attributes |= abi::region_guest_ram;
  // Asked for in so many words (KP0311 warns): the kernel refuses a native
  // partition's writable and executable region without this mark.
  if (region.access == Access::read_write_execute && region.kind != Region::Kind::guest_ram) {
    attributes |= abi::region_write_execute;
  }
  return attributes;
}

void emit_platform(const Model& model, Boot_info_writer& writer) {
  const Platform& platform = model.platform;
  auto& entry = writer.platform();
  entry.cpu_count = platform.cpus;
  entry.vmid_bits = platform.vmid_bits;
  entry.gic_distributor = platform.gic_distributor.base;
  entry.gic_redistributor = platform.gic_redistributors.base;
  entry.uart = platform.console != none && !platform.devices[platform.console].mmio.empty()
                   ? platform.devices[platform.console].mmio[0].base
                   : 0;
  entry.hypervisor_timer_intid = platform.hypervisor_timer_intid;
  entry.virtual_timer_intid = platform.virtual_timer_intid;
  for (const auto& ram : platform.ram) writer.add(abi::Memory_range{ram.base, ram.size});
}

void emit_partition(const Model& model, uint32_t index, Boot_info_writer& writer) {
  const Partition& partition = model.partitions[index];
  abi::Partition_entry entry{};
  entry.name = writer.intern(partition.name);
  entry.vmid = partition.vmid;
  entry.flags = partition.vm ? static_cast<uint32_t>(abi::partition_is_vm) : 0U;
  if (partition.vm && partition.vm->restartable) entry.flags |= abi::partition_restartable;
  entry.first_stop_signal = static_cast<uint32_t>(writer.stop_signals().size());
  entry.stop_signal_count = static_cast<uint32_t>(partition.stop_signals.size());
  for (const Stop_signal& signal : partition.stop_signals) {
    writer.add(abi::Stop_signal_entry{signal.notification, signal.bit});
  }
  entry.first_guest_doorbell = static_cast<uint32_t>(writer.guest_doorbells().size());
  entry.guest_doorbell_count = static_cast<uint32_t>(partition.guest_doorbells.size());
  for (const Guest_doorbell& doorbell : partition.guest_doorbells) {
    writer.add(abi::Guest_doorbell_entry{doorbell.ipa, doorbell.badge,
                                         doorbell.notification == none ? abi::no_index : doorbell.notification, 0});
  }
  entry.first_region = static_cast<uint32_t>(writer.regions().size());
  for (const auto& region : partition.regions) {
    writer.add(
        abi::Region_entry{region.ipa, region.pa, region.size, region_attributes(region), writer.intern(region.name)});
  }
  entry.region_count = static_cast<uint32_t>(partition.regions.size());
  entry.first_thread = static_cast<uint32_t>(writer.threads().size());
  for (const auto& thread : partition.threads) {
    abi::Thread_entry thread_entry{};
    thread_entry.name = writer.intern(thread.name);
    thread_entry.partition = index;
    thread_entry.entry = thread.entry;
    if (thread.stack_region != none) {
      const Region& stack = partition.regions[thread.stack_region];
      thread_entry.stack_top = stack.ipa + stack.size;
    } else if (thread.vcpu) {
      thread_entry.stack_top = thread.boot_argument;  // x0, per abi::Thread_entry
    }
    thread_entry.budget_ns = thread.budget_us * nanoseconds_per_microsecond;
    thread_entry.period_ns = thread.period_us * nanoseconds_per_microsecond;
    thread_entry.priority = thread.priority;
    thread_entry.cpu = thread.cpu;
    thread_entry.flags = (thread.passive ? static_cast<uint32_t>(abi::thread_passive) : 0U) |
                         (thread.vcpu ? static_cast<uint32_t>(abi::thread_vcpu) : 0U);
    thread_entry.fault_endpoint = thread.fault_endpoint == none ? abi::no_index : thread.fault_endpoint;
    writer.add(thread_entry);
  }
  entry.thread_count = static_cast<uint32_t>(partition.threads.size());
  entry.first_capability = static_cast<uint32_t>(writer.capabilities().size());
  for (const auto& capability : partition.capabilities) {
    writer.add(abi::Capability_entry{capability.kind, capability.object, capability.rights, 0, capability.badge});
  }
  entry.capability_count = static_cast<uint32_t>(partition.capabilities.size());
  writer.add(entry);
}

void emit_objects(const Model& model, Boot_info_writer& writer) {
  for (const auto& endpoint : model.endpoints) {
    writer.add(abi::Endpoint_entry{writer.intern(endpoint.name), endpoint.server});
  }
  for (const auto& notification : model.notifications) {
    writer.add(abi::Notification_entry{writer.intern(notification.name), notification.owner});
  }
  // Interrupts in the order capabilities.cpp numbers them.
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    for (const auto& grant : model.partitions[p].grants) {
      if (grant.device == none || grant.notification == none) continue;
      for (const uint32_t intid : model.platform.devices[grant.device].interrupts) {
        writer.add(abi::Irq_entry{intid, grant.notification, grant.badge, p, 0});
      }
    }
  }
}

void emit_schedule(const Model& model, Boot_info_writer& writer) {
  for (const auto& plan : model.schedule) {
    abi::Cpu_plan_entry entry{};
    entry.cpu = plan.cpu;
    entry.first_window = static_cast<uint32_t>(writer.windows().size());
    if (plan.exclusive != none) {
      entry.flags = abi::cpu_exclusive;
      writer.add(abi::Window_entry{plan.exclusive, 0, 0});
    } else {
      entry.major_frame_ns = plan.major_frame_us * nanoseconds_per_microsecond;
      for (const auto& window : plan.windows) {
        writer.add(abi::Window_entry{window.partition, 0, window.duration_us * nanoseconds_per_microsecond});
      }
    }
    entry.window_count = static_cast<uint32_t>(writer.windows().size()) - entry.first_window;
    writer.add(entry);
  }
}

// The IPCM's pool and each tunnel end's window (docs/ipcm.md), in the
// order of the IPCM's capabilities to them.
void emit_map_tables(const Model& model, Boot_info_writer& writer) {
  if (!model.ipcm.declared || model.ipcm.partition >= model.partitions.size()) return;
  const Partition& ipcm = model.partitions[model.ipcm.partition];
  if (model.ipcm.pool_region < ipcm.regions.size()) {
    const Region& pool = ipcm.regions[model.ipcm.pool_region];
    writer.add(abi::Memory_pool_entry{model.ipcm.partition, 0, pool.pa, pool.size / 4096});
  }
  uint32_t bitmap_words = 0;  // the kernel's bits of the windows before this one
  for (const Map_window& window : map_windows_of(model)) {
    const Address_range& range = model.partitions[window.partition].tunnel_window;
    const abi::Map_window_entry entry{window.partition, window.max_rights, range.base,
                                      static_cast<uint32_t>(range.size / 4096), bitmap_words};
    writer.add(entry);
    bitmap_words += abi::map_bitmap_words(entry);
  }
}

}  // namespace

std::vector<uint8_t> emit_boot_info(const Model& model, std::span<const abi::Measurement_entry> measurements,
                                    std::span<const abi::Digest_entry> digests,
                                    std::span<const abi::Pristine_entry> pristine,
                                    std::span<const abi::Guest_seed_entry> guest_seeds,
                                    const Kernel_memory_plan* kernel_memory) {
  Boot_info_writer writer;
  writer.set_system_name(model.name);
  if (model.power_off_when_no_thread_left) writer.set_system_flags(abi::system_power_off_when_no_thread_left);
  emit_platform(model, writer);
  for (uint32_t p = 0; p < model.partitions.size(); ++p) emit_partition(model, p, writer);
  emit_objects(model, writer);
  emit_schedule(model, writer);
  emit_map_tables(model, writer);
  for (const auto& measurement : measurements) writer.add(measurement);
  for (const auto& digest : digests) writer.add(digest);
  for (const auto& copy : pristine) writer.add(copy);
  for (const auto& seed : guest_seeds) writer.add(seed);
  if (kernel_memory != nullptr) {
    for (uint32_t p = 0; p < kernel_memory->table_pages.size() && p < writer.partitions().size(); ++p) {
      writer.partition(p).table_pages = kernel_memory->table_pages[p];
    }
    writer.add(kernel_memory->area);
  }
  return writer.finish();
}

}  // namespace kestrel::policy
