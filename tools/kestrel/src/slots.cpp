// SPDX-License-Identifier: Apache-2.0
// Slots: names for a partition's capability slots, its memory regions and
// channels, the VM RAM it maps, and the generated header (its tunnels part
// is slots_tunnels.cpp, its devices part slots_devices.cpp).
#include <kestrel_cli/slots.hpp>

#include <map>
#include <sstream>

#include <kestrel/policy/policy.capnp.h>
#include <kestrel/abi/boot_info.hpp>
#include <kestrel/policy/text.hpp>

#include "slots_devices.hpp"
#include "slots_tunnels.hpp"

namespace kestrel_cli {

std::string string_literal(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      static const char digits[] = "01234567";
      out += '\\';
      out += digits[(c >> 6) & 3];
      out += digits[(c >> 3) & 7];
      out += digits[c & 7];
    } else {
      out += c;
    }
  }
  return out + '"';
}

namespace {

using kestrel::abi::Capability_kind;
using kestrel::policy::Capability;
using kestrel::policy::Model;
using kestrel::policy::none;
using kestrel::policy::Partition;

// The device and the position among its interrupts of each interrupt
// capability of `partition`, in the order the compiler numbers them: its
// device grants that deliver to a notification, each device's interrupts in
// order. Capabilities carry a global number, consecutive per partition.
std::vector<std::pair<uint32_t, size_t>> interrupts_of(const Model& model, const Partition& partition) {
  std::vector<std::pair<uint32_t, size_t>> interrupts;
  for (const auto& grant : partition.grants) {
    if (grant.device == none || grant.notification == none) continue;
    const auto count = model.platform.devices[grant.device].interrupts.size();
    for (size_t i = 0; i < count; ++i) interrupts.emplace_back(grant.device, i);
  }
  return interrupts;
}

std::string name_of(const Model& model, const Partition& partition, const Capability& capability, uint32_t first_irq) {
  const bool receives = (capability.rights & kestrel::abi::right_receive) != 0;
  switch (static_cast<Capability_kind>(capability.kind)) {
    case Capability_kind::endpoint:
      if (capability.object < model.endpoints.size())
        return (receives ? "serve_" : "call_") + identifier(model.endpoints[capability.object].name) +
               (capability.for_vm < model.partitions.size()
                    ? "_for_" + identifier(model.partitions[capability.for_vm].name)
                    : std::string{});
      break;
    case Capability_kind::notification:
      if (capability.object < model.notifications.size())
        return (receives ? "wait_" : "signal_") + identifier(model.notifications[capability.object].name);
      break;
    case Capability_kind::irq: {
      const auto interrupts = interrupts_of(model, partition);
      const uint32_t index = capability.object - first_irq;
      if (index >= interrupts.size()) break;
      const auto& [device_index, position] = interrupts[index];
      const auto& device = model.platform.devices[device_index];
      // One interrupt: irq_D; several: irq_D_0, irq_D_1, ...
      return "irq_" + identifier(device.name) +
             (device.interrupts.size() == 1 ? std::string{} : "_" + std::to_string(position));
    }
    case Capability_kind::vcpu:
      // The object is the vCPU's thread, numbered across partitions.
      for (const auto& vm : model.partitions) {
        if (capability.object < vm.first_thread || capability.object - vm.first_thread >= vm.threads.size()) continue;
        const uint32_t thread = capability.object - vm.first_thread;
        unsigned vcpu = 0;
        for (uint32_t t = 0; t < thread; ++t) vcpu += vm.threads[t].vcpu ? 1 : 0;
        return "vcpu_" + identifier(vm.name) + "_" + std::to_string(vcpu);
      }
      break;
    case Capability_kind::console:
      return "kernel_console";
    case Capability_kind::power:
      return "power";
    case Capability_kind::memory_pool:
      return "memory_pool";
    case Capability_kind::map_into:
      break;  // named by its slot until the IPCM's hook names its windows
  }
  return {};  // a kind this tool does not know: named by its slot
}

// Line comments end at a line break, and a backslash at the end would
// splice the next line into them.
std::string comment_text(std::string_view text) {
  std::string out;
  for (const char c : text) out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c == '\\' ? '/' : c;
  return out;
}

using kestrel::policy::hex;

// The slot named `name`, or "no slot" as the largest number.
std::string slot_named(const std::vector<Named_slot>& slots, const std::string& name) {
  for (const auto& slot : slots) {
    if (slot.name == name) return "slots::" + slot.name;
  }
  return "~uint64_t{0}";
}

// The slot of the console input doorbell the partition waits on, if any.
std::string input_doorbell(const Model& model, const Partition& partition, const std::vector<Named_slot>& slots) {
  for (size_t slot = 0; slot < partition.capabilities.size(); ++slot) {
    const Capability& capability = partition.capabilities[slot];
    if (static_cast<Capability_kind>(capability.kind) != Capability_kind::notification ||
        (capability.rights & kestrel::abi::right_receive) == 0 || capability.object >= model.notifications.size())
      continue;
    if (model.notifications[capability.object].name.rfind("console-input-", 0) == 0) {
      return "slots::" + slots.at(slot).name;
    }
  }
  return "~uint64_t{0}";
}

// The slot in which `partition` receives on endpoint `endpoint`, or "no slot".
std::string served_slot(const Partition& partition, uint32_t endpoint, const std::vector<Named_slot>& slots) {
  for (size_t slot = 0; slot < partition.capabilities.size(); ++slot) {
    const Capability& capability = partition.capabilities[slot];
    if (static_cast<Capability_kind>(capability.kind) == Capability_kind::endpoint && capability.object == endpoint &&
        (capability.rights & kestrel::abi::right_receive) != 0)
      return "slots::" + slots.at(slot).name;
  }
  return "~uint64_t{0}";
}

std::string join(const std::vector<uint32_t>& numbers) {
  std::string out;
  for (const uint32_t number : numbers) out += (out.empty() ? "" : ", ") + std::to_string(number);
  return out;
}

// For a VMM: each VM it serves (kestrel::vms, runtime/include/kestrel/vm_description.hpp).
void write_vm_descriptions(std::ostringstream& out, const Model& model, uint32_t partition,
                           const std::vector<Named_slot>& slots) {
  std::vector<const Partition*> vms;
  for (const auto& candidate : model.partitions) {
    if (candidate.vm && candidate.vm->vmm == partition) vms.push_back(&candidate);
  }
  if (vms.empty()) return;
  out << "\n#include <kestrel/vm_description.hpp>\n\n"
      << "// The VMs this partition is the VMM of, in policy order; `served` is the first.\n"
      << "namespace kestrel::vms {\n\n";
  for (const Partition* vm_partition : vms) {
    const auto& vm = *vm_partition->vm;
    const std::string id = identifier(vm_partition->name);
    out << "constexpr Vm_description " << id << "_vm{\n"
        << "    .name = " << string_literal(vm_partition->name) << ",\n"
        << "    .vcpus = " << vm.cpus.size() << ",\n"
        << "    .vcpu_cpus = {" << join(vm.cpus) << "},\n"
        << "    .exit_endpoint_count = " << vm.exit_endpoints.size() << ",\n"
        << "    .exit_endpoints = {\n";
    for (const auto& exits : vm.exit_endpoints) {
      const uint32_t thread = model.endpoints.at(exits.endpoint).server_thread;
      out << "        {" << exits.cpu << ", " << served_slot(model.partitions.at(partition), exits.endpoint, slots)
          << ", " << (thread == none ? "~0U" : std::to_string(thread)) << "},\n";
    }
    out << "    },\n"
        << "    .first_vcpu = " << slot_named(slots, "vcpu_" + id + "_0") << ",\n"
        << "    .ram_address = " << hex(vm.ram_address) << ",\n"
        << "    .ram_size = " << hex(vm.ram_size) << ",\n"
        << "    .vmm_ram_address = " << hex(vm.vmm_ram_address) << ",\n"
        << "    .gic_distributor = " << hex(model.platform.gic_distributor.base) << ",\n"
        << "    .gic_redistributors = " << hex(model.platform.gic_redistributors.base) << ",\n"
        << "    .device_count = " << vm.emulated.size() << ",\n"
        << "    .devices = {\n";
    for (const auto& device : vm.emulated) {
      const uint32_t backend =
          emulated_backend(model, static_cast<uint32_t>(vm_partition - model.partitions.data()), device);
      out << "        {" << string_literal(device.name) << ", static_cast<Emulated_kind>(" << device.kind << "), "
          << hex(device.address) << ", " << hex(device.size) << ", " << device.interrupt << ", "
          << (backend == ~0U ? "~0U" : std::to_string(backend)) << "},\n";
    }
    out << "    },\n"
        << "    .input_device = " << input_device(vm) << ",\n";
    write_vm_tunnels(out, model, static_cast<uint32_t>(vm_partition - model.partitions.data()), partition, slots);
    out << "};\n\n";
  }
  // Where the VMM shows its guests' consoles: the console driver's endpoint
  // "console" if it calls it, else the kernel console (or nowhere).
  const std::string driver = slot_named(slots, "call_console");
  const bool has_driver = driver.rfind("slots::", 0) == 0;
  out << "constexpr const Vm_description& served = " << identifier(vms.front()->name) << "_vm;\n"
      << "constexpr uint64_t console = " << (has_driver ? driver : slot_named(slots, "kernel_console")) << ";\n"
      << "constexpr bool console_is_kernel = " << (has_driver ? "false" : "true") << ";\n"
      << "// The power capability (mayPowerOff): a VMM that holds one powers the\n"
      << "// machine off when its VM powers off. ~0: none.\n"
      << "constexpr uint64_t power = " << slot_named(slots, "power") << ";\n"
      << "// Its console input doorbell (a notification console-input-<badge> it\n"
      << "// owns, which the console driver signals): typed input for the guest. ~0: none.\n"
      << "constexpr uint64_t input = " << input_doorbell(model, model.partitions.at(partition), slots) << ";\n\n"
      << "}  // namespace kestrel::vms\n";
}

// The partition's own memory regions by name (not devices, channels or
// guest RAM), so a program can tell its threads apart by their stacks.
void memory_table(std::ostringstream& out, const Partition& partition) {
  out << "// Its memory regions, by the policy's names: the first memory_region_count\n"
      << "// entries; a {nullptr, 0, 0} entry ends it.\n"
      << "struct Memory_region {\n"
      << "  const char* name;\n"
      << "  uint64_t address;\n"
      << "  uint64_t size;\n"
      << "};\n\n"
      << "constexpr Memory_region memory_regions[] = {\n";
  size_t count = 0;
  for (const auto& region : partition.regions) {
    if (region.kind != kestrel::policy::Region::Kind::memory) continue;
    out << "    {" << string_literal(region.name) << ", " << hex(region.ipa) << ", " << hex(region.size) << "},\n";
    ++count;
  }
  out << "    {nullptr, 0, 0},\n"
      << "};\n"
      << "constexpr uint64_t memory_region_count = " << count << ";\n\n";
}

// The partition's threads, with their CPUs and stacks: threads of one
// program run the same code, and each finds itself by its stack pointer
// (this_thread()).
void thread_table(std::ostringstream& out, const Partition& partition) {
  out << "// Its threads, in policy order: the first thread_count entries; a\n"
      << "// {nullptr, ...} entry ends it. A thread starts with sp at the end of its stack.\n"
      << "struct Thread {\n"
      << "  const char* name;\n"
      << "  uint32_t cpu;\n"
      << "  bool passive;\n"
      << "  uint64_t stack_address;\n"
      << "  uint64_t stack_size;\n"
      << "};\n\n"
      << "constexpr Thread threads[] = {\n";
  size_t count = 0;
  for (const auto& thread : partition.threads) {
    if (thread.vcpu) continue;
    uint64_t address = 0;
    uint64_t size = 0;
    if (thread.stack_region < partition.regions.size()) {
      address = partition.regions[thread.stack_region].ipa;
      size = partition.regions[thread.stack_region].size;
    }
    out << "    {" << string_literal(thread.name) << ", " << thread.cpu << ", " << (thread.passive ? "true" : "false")
        << ", " << hex(address) << ", " << hex(size) << "},\n";
    ++count;
  }
  out << "    {nullptr, 0, false, 0, 0},\n"
      << "};\n"
      << "constexpr uint64_t thread_count = " << count << ";\n\n"
      << "// The index in threads of the thread whose stack holds `sp`; thread_count if none.\n"
      << "constexpr uint64_t thread_of_stack(uint64_t sp) {\n"
      << "  for (uint64_t i = 0; i < thread_count; ++i) {\n"
      << "    if (sp > threads[i].stack_address && sp - threads[i].stack_address <= threads[i].stack_size) return i;\n"
      << "  }\n"
      << "  return thread_count;\n"
      << "}\n\n"
      << "#if defined(__aarch64__)\n"
      << "// The thread running this: its entry in threads (the {nullptr, ...} one if\n"
      << "// its stack pointer is on no thread's stack).\n"
      << "inline const Thread& this_thread() {\n"
      << "  uint64_t sp;\n"
      << "  asm volatile(\"mov %0, sp\" : \"=r\"(sp));\n"
      << "  return threads[thread_of_stack(sp)];\n"
      << "}\n"
      << "#endif\n\n";
}

// The notifications the partition signals, by the policy's names, so that a
// program can find slots by a naming convention the policy follows (the
// console driver's input doorbells, console-input-<badge>). A sentinel
// {nullptr, count} ends the table, which is then never empty.
void signalled_table(std::ostringstream& out, const Model& model, const Partition& partition) {
  out << "// The notifications this partition signals, by name: the first\n"
      << "// signalled_notification_count entries; a {nullptr, count} entry ends it.\n"
      << "struct Signalled_notification {\n"
      << "  const char* name;\n"
      << "  uint64_t slot;\n"
      << "};\n\n"
      << "constexpr Signalled_notification signalled_notifications[] = {\n";
  size_t signalled = 0;
  for (size_t slot = 0; slot < partition.capabilities.size(); ++slot) {
    const Capability& capability = partition.capabilities[slot];
    const bool receives = (capability.rights & kestrel::abi::right_receive) != 0;
    if (static_cast<Capability_kind>(capability.kind) != Capability_kind::notification || receives ||
        capability.object >= model.notifications.size())
      continue;
    out << "    {" << string_literal(model.notifications[capability.object].name) << ", " << slot << "},\n";
    ++signalled;
  }
  out << "    {nullptr, " << partition.capabilities.size() << "},\n"
      << "};\n"
      << "constexpr uint64_t signalled_notification_count = " << signalled << ";\n\n";
}

// The partition's mappings of one kind, named; names that collide get
// their position appended, as colliding slot names get their slot.
std::vector<Named_mapping> named_mappings(const Partition& partition, kestrel::policy::Region::Kind kind) {
  std::vector<Named_mapping> mappings;
  std::map<std::string, unsigned> uses;
  for (const auto& region : partition.regions) {
    if (region.kind != kind) continue;
    const bool writable = region.access == kestrel::policy::Access::read_write ||
                          region.access == kestrel::policy::Access::read_write_execute;
    mappings.push_back({identifier(region.name), region.name, region.ipa, region.size, writable});
    ++uses[mappings.back().name];
  }
  for (size_t i = 0; i < mappings.size(); ++i) {
    if (uses[mappings[i].name] > 1) mappings[i].name += "_" + std::to_string(i);
  }
  return mappings;
}

// Constants for the partition's memory regions and channels: a program
// takes addresses from the policy instead of repeating its numbers (as
// Microkit's setvar). Names take a suffix, so a region named like a keyword
// (int) still gives valid identifiers.
void mapping_constants(std::ostringstream& out, const Model& model, uint32_t partition) {
  out << "\n// Where this partition sees its memory regions, by the policy's names.\n"
      << "namespace kestrel::memory {\n\n";
  for (const auto& region : named_regions(model, partition)) {
    out << "// region " << comment_text(region.policy_name) << (region.writable ? "" : " (not writable)") << "\n"
        << "constexpr uint64_t " << region.name << "_address = " << hex(region.address) << ";\n"
        << "constexpr uint64_t " << region.name << "_size = " << hex(region.size) << ";\n";
  }
  out << "\n}  // namespace kestrel::memory\n";
  const auto channels = named_channels(model, partition);
  if (channels.empty()) return;
  out << "\n// Where this partition sees the channels it writes or reads, by the\n"
      << "// policy's names (kestrel::Channel_writer, kestrel::Channel_reader).\n"
      << "namespace kestrel::channels {\n\n";
  for (const auto& channel : channels) {
    out << "// channel " << comment_text(channel.policy_name) << ": " << (channel.writable ? "written" : "read")
        << " here\n"
        << "constexpr uint64_t " << channel.name << "_address = " << hex(channel.address) << ";\n"
        << "constexpr uint64_t " << channel.name << "_size = " << hex(channel.size) << ";\n"
        << "constexpr bool " << channel.name << "_writable = " << (channel.writable ? "true" : "false") << ";\n";
  }
  out << "\n}  // namespace kestrel::channels\n";
}

}  // namespace

std::vector<Named_mapping> named_regions(const Model& model, uint32_t partition) {
  return named_mappings(model.partitions.at(partition), kestrel::policy::Region::Kind::memory);
}

std::vector<Named_mapping> named_channels(const Model& model, uint32_t partition) {
  return named_mappings(model.partitions.at(partition), kestrel::policy::Region::Kind::channel);
}

std::string identifier(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const bool alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out += alphanumeric ? c : '_';
  }
  return out;
}

uint32_t input_device(const kestrel::policy::Virtual_machine& vm) {
  constexpr auto virtio_console = static_cast<uint32_t>(kestrel::policy::schema::EmulatedKind::VIRTIO_CONSOLE);
  constexpr auto pl011 = static_cast<uint32_t>(kestrel::policy::schema::EmulatedKind::PL011);
  const auto none_found = static_cast<uint32_t>(vm.emulated.size());
  // The Nth device of `kind`, or none.
  auto nth = [&](uint32_t kind, unsigned long n) {
    for (uint32_t i = 0; i < vm.emulated.size(); ++i) {
      if (vm.emulated[i].kind == kind && n-- == 0) return i;
    }
    return none_found;
  };
  // The last console=NAME[,options]; Linux makes it /dev/console.
  std::string console;
  std::istringstream words(vm.bootargs);
  for (std::string word; words >> word;) {
    if (word.rfind("console=", 0) != 0) continue;
    const std::string value = word.substr(8);
    console = value.substr(0, value.find(','));
  }
  for (const auto& [prefix, kind] :
       {std::pair{std::string("hvc"), virtio_console}, std::pair{std::string("ttyAMA"), pl011}}) {
    const std::string number = console.rfind(prefix, 0) == 0 ? console.substr(prefix.size()) : std::string{};
    if (number.empty() || number.size() > 2 || number.find_first_not_of("0123456789") != std::string::npos) continue;
    const uint32_t index = nth(kind, std::stoul(number));
    if (index != none_found) return index;
  }
  const uint32_t first_uart = nth(pl011, 0);
  return first_uart != none_found ? first_uart : nth(virtio_console, 0);
}

std::vector<Named_slot> slot_names(const Model& model, uint32_t partition_index) {
  const Partition& partition = model.partitions.at(partition_index);
  uint32_t first_irq = UINT32_MAX;
  for (const auto& capability : partition.capabilities) {
    if (capability.kind == static_cast<uint32_t>(Capability_kind::irq))
      first_irq = std::min(first_irq, capability.object);
  }
  std::vector<Named_slot> slots;
  std::map<std::string, unsigned> uses;
  for (size_t slot = 0; slot < partition.capabilities.size(); ++slot) {
    const Capability& capability = partition.capabilities[slot];
    std::string name = name_of(model, partition, capability, first_irq);
    if (name.empty()) name = "slot";
    ++uses[name];
    slots.push_back({slot, std::move(name), capability.description});
  }
  for (auto& slot : slots) {
    if (uses[slot.name] > 1 || slot.name == "slot") slot.name += "_" + std::to_string(slot.slot);
  }
  return slots;
}

std::vector<Guest_ram_view> guest_ram_views(const Model& model, uint32_t partition_index) {
  std::vector<Guest_ram_view> views;
  std::vector<uint32_t> vms;
  std::map<std::string, unsigned> uses;
  for (const auto& region : model.partitions.at(partition_index).regions) {
    if (region.kind != kestrel::policy::Region::Kind::guest_ram_view) continue;
    const Partition& vm = model.partitions.at(region.owner);
    views.push_back({identifier(vm.name), vm.name, region.ipa, vm.vm->ram_address, region.size});
    vms.push_back(region.owner);
    ++uses[views.back().name];
  }
  for (size_t i = 0; i < views.size(); ++i) {
    if (uses[views[i].name] > 1) views[i].name += "_" + std::to_string(vms[i]);
  }
  return views;
}

std::string slots_header(const Model& model, uint32_t partition, std::string_view policy) {
  const auto& name = model.partitions.at(partition).name;
  std::ostringstream out;
  out << "// Generated by kestrel build from " << comment_text(policy) << " for partition " << comment_text(name)
      << ";\n"
      << "// do not edit. The partition's capability slots, in the order the policy\n"
      << "// compiler assigned them (kestrel check --summary lists them too).\n"
      << "#pragma once\n\n"
      << "#include <cstdint>\n\n"
      << "namespace kestrel::slots {\n\n"
      << "constexpr const char* partition_name = " << string_literal(name) << ";\n\n";
  const auto slots = slot_names(model, partition);
  for (const auto& slot : slots) {
    out << "constexpr uint64_t " << slot.name << " = " << slot.slot << ";  // " << comment_text(slot.description)
        << "\n";
  }
  if (!slots.empty()) out << '\n';
  out << "constexpr uint64_t count = " << slots.size() << ";\n\n";
  signalled_table(out, model, model.partitions.at(partition));
  memory_table(out, model.partitions.at(partition));
  thread_table(out, model.partitions.at(partition));
  out << "}  // namespace kestrel::slots\n";
  mapping_constants(out, model, partition);
  write_vm_descriptions(out, model, partition, slots);
  write_tunnels(out, model, partition, slots);
  write_devices(out, model, partition, slots);
  const auto views = guest_ram_views(model, partition);
  if (views.empty()) return out.str();
  // Names with a suffix, so a VM named like a keyword or a macro (int,
  // linux) still gives valid identifiers.
  out << "\n// The RAM of each VM this partition is VMM of, mapped read-write here\n"
      << "// (vmmRamAddress): guest-physical address g is at V_address + (g - V_guest_address).\n"
      << "namespace kestrel::guest_ram {\n";
  for (const auto& view : views) {
    out << "\n// VM " << comment_text(view.vm) << "\n"
        << "constexpr uint64_t " << view.name << "_address = " << hex(view.address)
        << ";  // where this partition sees it (vmmRamAddress)\n"
        << "constexpr uint64_t " << view.name << "_guest_address = " << hex(view.guest_address)
        << ";  // where the guest sees it (ramAddress)\n"
        << "constexpr uint64_t " << view.name << "_size = " << hex(view.size) << ";  // ramSize\n";
  }
  out << "\n}  // namespace kestrel::guest_ram\n";
  return out.str();
}

}  // namespace kestrel_cli
