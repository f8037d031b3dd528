// SPDX-License-Identifier: Apache-2.0
// Resolver: the state the resolve stage keeps while it turns the Cap'n Proto
// reader into the Model, shared by its parts (resolve_*.cpp, one per
// domain, as the validators are split).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kestrel/abi/limits.hpp>
#include <kestrel/policy/stages.hpp>
#include <kestrel/policy/text.hpp>

namespace kestrel::policy {

inline constexpr size_t max_name_length = abi::max_name_length;  // the kernel's boot-info reader checks it

inline std::string_view text(capnp::Text::Reader reader) { return {reader.cStr(), reader.size()}; }

// Names to their index in the Model's list of that kind of object.
using Name_index = std::map<std::string, uint32_t, std::less<>>;

class Resolver {
 public:
  explicit Resolver(Diagnostics& diagnostics) : diagnostics_{diagnostics} {}

  Model run(schema::System::Reader system, const Source_ref& root);

 private:
  // Names (resolve.cpp).
  bool check_name(std::string_view name, const Location& at, std::string_view what);
  void check_generated_name(const std::string& name, const Location& at, const std::string& what,
                            const std::string& hint);
  bool declare(Name_index& index, std::map<std::string, Location>& first_seen, const std::string& name, uint32_t value,
               const Location& at, Code duplicate_code, std::string_view what);
  uint32_t find_partition(std::string_view name, const Location& at, std::string_view role);
  uint32_t find_in(const Name_index& index, std::string_view name, const Location& at, Code code,
                   std::string_view what);
  void declare_partitions(capnp::List<schema::Partition>::Reader partitions, const Source_ref& src);
  void declare_objects(schema::System::Reader system, const Source_ref& root);

  // The platform (resolve_platform.cpp).
  static Address_range range(schema::AddressRange::Reader reader, const Source_ref& src);
  void resolve_platform(schema::Platform::Reader reader, const Source_ref& src);

  // Partitions, their memory and device grants (resolve_memory.cpp).
  void resolve_partitions(capnp::List<schema::Partition>::Reader partitions, const Source_ref& src);
  void resolve_partition(Partition& partition, schema::Partition::Reader reader, const Source_ref& src);
  Name_index resolve_regions(Partition& partition, capnp::List<schema::MemoryRegion>::Reader memory,
                             const Source_ref& src);
  void resolve_grant(Partition& partition, schema::DeviceGrant::Reader reader, const Source_ref& src);

  // Threads and the schedule (resolve_threads.cpp).
  void resolve_threads(Partition& partition, capnp::List<schema::Thread>::Reader threads, const Source_ref& src,
                       const Name_index& regions);
  void resolve_schedule(capnp::List<schema::CpuSchedule>::Reader schedule, const Source_ref& src);

  // Endpoints, notifications and channels (resolve_ipc.cpp).
  std::vector<Client> resolve_clients(capnp::List<schema::Client>::Reader clients, const Source_ref& src,
                                      std::string_view role);
  void resolve_endpoints(capnp::List<schema::Endpoint>::Reader endpoints, const Source_ref& src);
  void resolve_notifications(capnp::List<schema::Notification>::Reader notifications, const Source_ref& src);
  void resolve_channels(capnp::List<schema::Channel>::Reader channels, const Source_ref& src);

  // The IPCM and its tunnels (resolve_tunnels.cpp).
  void resolve_ipcm(schema::System::Reader system, const Source_ref& root);
  void resolve_tunnels(capnp::List<schema::Tunnel>::Reader tunnels, const Source_ref& src);
  void add_tunnel_doorbells();
  void add_ipcm_watch();
  uint32_t doorbell_holder(uint32_t end) const;

  // Block devices and networks served by driver partitions
  // (resolve_devices.cpp, resolve_device_wiring.cpp).
  void resolve_services(schema::System::Reader system, const Source_ref& root);
  Device_service resolve_service_common(Device_service::Kind kind, const std::string& name, std::string_view driver,
                                        std::string_view device, std::string_view dma_region, uint64_t queues_address,
                                        const Source_ref& src);
  Device_client resolve_block_client(schema::BlockClient::Reader reader, const Source_ref& src);
  Device_client resolve_port(schema::NetworkPort::Reader reader, const Source_ref& src);
  void resolve_reaches(Device_service& network, capnp::List<schema::NetworkPort>::Reader ports, const Source_ref& src);
  void wire_services();
  const std::string& partition_name_of(uint32_t index) const {
    static const std::string unknown = "?";
    return index < model_.partitions.size() ? model_.partitions[index].name : unknown;
  }
  void add_driver_notification(Device_service& service);
  void add_device_grant(Device_service& service);
  void add_client_doorbells(Device_service& service);
  void add_vm_device_doorbells();
  void add_driver_stop_signals();
  void add_queue_regions(Device_service& service);

  // Virtual machines (resolve_vm.cpp).
  void resolve_vm(Partition& partition, schema::VirtualMachine::Reader reader, const Source_ref& src);
  void add_vm_exit_endpoints();
  uint32_t exit_endpoint(uint32_t vm_partition, uint32_t cpu);
  static uint32_t exit_thread(const Partition& vmm, uint32_t cpu);
  void add_vmm_ram_views();
  void add_grant_regions(Partition& partition, const Device_grant& grant);

  Diagnostics& diagnostics_;
  Model model_;
  Name_index object_names_;
  std::map<std::string, Location> object_first_seen_;
  Name_index endpoint_index_, notification_index_, channel_index_, tunnel_index_;
  std::vector<Name_index> threads_by_partition_;
  std::vector<std::pair<uint32_t, Thread>> vcpus_;
};

}  // namespace kestrel::policy
