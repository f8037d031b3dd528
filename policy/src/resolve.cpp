// SPDX-License-Identifier: Apache-2.0
// Resolve: from the Cap'n Proto reader to the Model, checking names and
// references on the way. The stages in order, and the name checks and
// look-ups every domain (resolve_*.cpp) uses.
#include <algorithm>

#include <kestrel/policy/suggest.hpp>

#include "resolver.hpp"

namespace kestrel::policy {

Model Resolver::run(schema::System::Reader system, const Source_ref& root) {
  model_.src = root;
  model_.name = system.getName();
  model_.power_off_when_no_thread_left = system.getNoThreadLeft() == schema::NoThreadLeft::POWER_OFF;
  check_name(model_.name, root.at("name"), "system");
  if (system.hasPlatform()) {
    resolve_platform(system.getPlatform(), root.field("platform"));
  } else {
    diagnostics_.report(Code::platform_missing, root.at("name"), "the system has no platform",
                        "add platform = Virt.platform, with using Virt = import \"/kestrel/qemu-virt.capnp\";");
  }
  declare_partitions(system.getPartitions(), root.field("partitions"));
  declare_objects(system, root);
  resolve_partitions(system.getPartitions(), root.field("partitions"));
  resolve_endpoints(system.getEndpoints(), root.field("endpoints"));
  resolve_notifications(system.getNotifications(), root.field("notifications"));
  resolve_channels(system.getChannels(), root.field("channels"));
  resolve_ipcm(system, root);
  resolve_tunnels(system.getTunnels(), root.field("tunnels"));
  resolve_services(system, root);
  add_ipcm_watch();
  resolve_schedule(system.getSchedule(), root.field("schedule"));
  add_vm_exit_endpoints();
  add_vmm_ram_views();
  return std::move(model_);
}

bool Resolver::check_name(std::string_view name, const Location& at, std::string_view what) {
  if (name.empty()) {
    diagnostics_.report(Code::name_empty, at, "the " + std::string(what) + " has no name",
                        "add name = \"...\" (letters, digits, '_' or '-', starting with a letter)");
    return false;
  }
  if (name.size() > max_name_length) {
    diagnostics_.report(Code::name_too_long, at,
                        std::string(what) + " name is " + std::to_string(name.size()) + " characters long",
                        "use at most 63 characters");
    return false;
  }
  const bool starts_with_letter = std::isalpha(static_cast<unsigned char>(name[0])) != 0;
  const bool all_valid = std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
  });
  if (!starts_with_letter || !all_valid) {
    diagnostics_.report(Code::name_invalid, at, std::string(what) + " name " + quoted(name) + " is not valid",
                        "use letters, digits, '_' and '-', starting with a letter");
    return false;
  }
  return true;
}

// A name the compiler makes from written ones must fit the kernel's limit
// too; it is reported at the object that makes it. Only names made from
// valid parts are checked: a part that is too long is reported already.
void Resolver::check_generated_name(const std::string& name, const Location& at, const std::string& what,
                                    const std::string& hint) {
  if (name.size() <= max_name_length) return;
  diagnostics_.report(Code::generated_name_too_long, at,
                      what + " is named " + quoted(name) + ", " + std::to_string(name.size()) +
                          " characters; the kernel allows " + std::to_string(max_name_length),
                      hint);
}

// Adds `name` to `index` or reports a duplicate; returns false on error.
bool Resolver::declare(std::map<std::string, uint32_t, std::less<>>& index, std::map<std::string, Location>& first_seen,
                       const std::string& name, uint32_t value, const Location& at, Code duplicate_code,
                       std::string_view what) {
  if (!check_name(name, at, what)) return false;
  const auto [it, inserted] = index.emplace(name, value);
  if (inserted) {
    first_seen[name] = at;
    return true;
  }
  diagnostics_
      .report(duplicate_code, at, std::string(what) + " " + quoted(name) + " is defined twice",
              "give each " + std::string(what) + " its own name")
      .notes.push_back({first_seen[name], "first defined here"});
  return false;
}

uint32_t Resolver::find_partition(std::string_view name, const Location& at, std::string_view role) {
  const auto it = model_.partition_index.find(name);
  if (it != model_.partition_index.end()) return it->second;
  if (name.empty()) {
    diagnostics_.report(Code::name_empty, at, std::string(role) + " names no partition", "name a partition");
  } else {
    model_.unresolved.partition = true;
    diagnostics_.report(
        Code::unknown_partition, at, std::string(role) + " " + quoted(name) + " is not a partition of this system",
        hint_or_suggestion(name, names_of(model_.partition_index), "check the spelling or add the partition"));
  }
  return none;
}

uint32_t Resolver::find_in(const std::map<std::string, uint32_t, std::less<>>& index, std::string_view name,
                           const Location& at, Code code, std::string_view what) {
  const auto it = index.find(name);
  if (it != index.end()) return it->second;
  model_.unresolved.thread |= code == Code::unknown_thread;
  model_.unresolved.endpoint |= code == Code::unknown_endpoint;
  model_.unresolved.notification |= code == Code::unknown_notification;
  diagnostics_.report(code, at, std::string(what) + " " + quoted(name) + " does not exist",
                      hint_or_suggestion(name, names_of(index), "check the spelling or define it"));
  return none;
}

void Resolver::declare_partitions(capnp::List<schema::Partition>::Reader partitions, const Source_ref& src) {
  std::map<std::string, Location> first_seen;
  for (uint32_t i = 0; i < partitions.size(); ++i) {
    Partition partition;
    partition.name = partitions[i].getName();
    partition.src = src.item(i);
    partition.unnamed = !declare(model_.partition_index, first_seen, partition.name, i, partition.src.at("name"),
                                 Code::duplicate_partition, "partition");
    model_.partitions.push_back(std::move(partition));
  }
}

// Endpoints, notifications, channels and tunnels share one namespace.
void Resolver::declare_objects(schema::System::Reader system, const Source_ref& root) {
  auto declare_list = [&](auto list, std::string_view field, std::string_view what,
                          std::map<std::string, uint32_t, std::less<>>& index) {
    for (uint32_t i = 0; i < list.size(); ++i) {
      const Location at = root.field(field).item(i).at("name");
      if (declare(object_names_, object_first_seen_, list[i].getName(), i, at, Code::duplicate_object, what)) {
        index.emplace(list[i].getName(), i);
      }
    }
  };
  declare_list(system.getEndpoints(), "endpoints", "endpoint", endpoint_index_);
  declare_list(system.getNotifications(), "notifications", "notification", notification_index_);
  declare_list(system.getChannels(), "channels", "channel", channel_index_);
  declare_list(system.getTunnels(), "tunnels", "tunnel", tunnel_index_);
  // Block devices and networks: one list in the Model, networks after.
  const auto block_devices = system.getBlockDevices();
  for (uint32_t i = 0; i < block_devices.size(); ++i) {
    const Location at = root.field("blockDevices").item(i).at("name");
    if (declare(object_names_, object_first_seen_, block_devices[i].getName(), i, at, Code::duplicate_object,
                "block device"))
      model_.service_index.emplace(block_devices[i].getName(), i);
  }
  const auto networks = system.getNetworks();
  for (uint32_t i = 0; i < networks.size(); ++i) {
    const Location at = root.field("networks").item(i).at("name");
    if (declare(object_names_, object_first_seen_, networks[i].getName(), block_devices.size() + i, at,
                Code::duplicate_object, "network"))
      model_.service_index.emplace(networks[i].getName(), block_devices.size() + i);
  }
}

Model resolve(schema::System::Reader system, const Source_ref& root, Diagnostics& diagnostics) {
  return Resolver{diagnostics}.run(system, root);
}

}  // namespace kestrel::policy
