// SPDX-License-Identifier: Apache-2.0
// Resolve: from the Cap'n Proto reader to the Model, checking names and
// references on the way.
#include <algorithm>

#include <kestrel/abi/limits.hpp>
#include <kestrel/policy/stages.hpp>
#include <kestrel/policy/text.hpp>

namespace kestrel::policy {
namespace {

constexpr size_t max_name_length = abi::max_name_length;  // the kernel's boot-info reader checks it

std::string_view text(capnp::Text::Reader reader) { return {reader.cStr(), reader.size()}; }

class Resolver {
 public:
  Resolver(Diagnostics& diagnostics) : diagnostics_{diagnostics} {}

  Model run(schema::System::Reader system, const Source_ref& root) {
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
    resolve_schedule(system.getSchedule(), root.field("schedule"));
    add_vm_exit_endpoints();
    add_vmm_ram_views();
    return std::move(model_);
  }

 private:
  // ---- names -----------------------------------------------------------------

  bool check_name(std::string_view name, const Location& at, std::string_view what) {
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
  void check_generated_name(const std::string& name, const Location& at, const std::string& what,
                            const std::string& hint) {
    if (name.size() <= max_name_length) return;
    diagnostics_.report(Code::generated_name_too_long, at,
                        what + " is named " + quoted(name) + ", " + std::to_string(name.size()) +
                            " characters; the kernel allows " + std::to_string(max_name_length),
                        hint);
  }

  // Adds `name` to `index` or reports a duplicate; returns false on error.
  bool declare(std::map<std::string, uint32_t, std::less<>>& index, std::map<std::string, Location>& first_seen,
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

  uint32_t find_partition(std::string_view name, const Location& at, std::string_view role) {
    const auto it = model_.partition_index.find(name);
    if (it != model_.partition_index.end()) return it->second;
    if (name.empty()) {
      diagnostics_.report(Code::name_empty, at, std::string(role) + " names no partition", "name a partition");
    } else {
      diagnostics_.report(Code::unknown_partition, at,
                          std::string(role) + " " + quoted(name) + " is not a partition of this system",
                          "check the spelling or add the partition");
    }
    return none;
  }

  uint32_t find_in(const std::map<std::string, uint32_t, std::less<>>& index, std::string_view name, const Location& at,
                   Code code, std::string_view what) {
    const auto it = index.find(name);
    if (it != index.end()) return it->second;
    diagnostics_.report(code, at, std::string(what) + " " + quoted(name) + " does not exist",
                        "check the spelling or define it");
    return none;
  }

  // ---- platform ----------------------------------------------------------------

  static Address_range range(schema::AddressRange::Reader reader, const Source_ref& src) {
    return {reader.getBase(), reader.getSize(), src};
  }

  void resolve_platform(schema::Platform::Reader reader, const Source_ref& src) {
    Platform& platform = model_.platform;
    model_.has_platform = true;
    platform.src = src;
    platform.name = reader.getName();
    platform.cpus = reader.getCpus();
    platform.vmid_bits = reader.getVmidBits();
    const auto ram = reader.getRam();
    for (uint32_t i = 0; i < ram.size(); ++i) platform.ram.push_back(range(ram[i], src.field("ram").item(i)));
    platform.kernel_reserved = range(reader.getKernelReserved(), src.field("kernelReserved"));
    platform.gic_distributor = range(reader.getGicDistributor(), src.field("gicDistributor"));
    platform.gic_redistributors = range(reader.getGicRedistributors(), src.field("gicRedistributors"));
    platform.hypervisor_timer_intid = reader.getHypervisorTimerIntid();
    platform.virtual_timer_intid = reader.getVirtualTimerIntid();
    std::map<std::string, Location> first_seen;
    const auto devices = reader.getDevices();
    for (uint32_t i = 0; i < devices.size(); ++i) {
      const Source_ref device_src = src.field("devices").item(i);
      Device device;
      device.name = devices[i].getName();
      device.src = device_src;
      device.compatible = devices[i].getCompatible();
      const auto mmio = devices[i].getMmio();
      for (uint32_t j = 0; j < mmio.size(); ++j)
        device.mmio.push_back(range(mmio[j], device_src.field("mmio").item(j)));
      for (const uint32_t interrupt : devices[i].getInterrupts()) device.interrupts.push_back(interrupt);
      declare(platform.device_index, first_seen, device.name, i, device_src.at("name"), Code::duplicate_device,
              "device");
      platform.devices.push_back(std::move(device));
    }
    const std::string console = reader.getKernelConsole();
    const auto it = platform.device_index.find(console);
    if (it != platform.device_index.end()) {
      platform.console = it->second;
    } else {
      diagnostics_.report(Code::platform_console, src.at("kernelConsole"),
                          "kernelConsole " + quoted(console) + " is not a device of the platform",
                          "name the PL011 the kernel logs to");
    }
  }

  // ---- declarations ----------------------------------------------------------

  void declare_partitions(capnp::List<schema::Partition>::Reader partitions, const Source_ref& src) {
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

  // Endpoints, notifications and channels share one namespace.
  void declare_objects(schema::System::Reader system, const Source_ref& root) {
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
  }

  // ---- partitions -------------------------------------------------------------

  void resolve_partitions(capnp::List<schema::Partition>::Reader partitions, const Source_ref& src) {
    for (uint32_t i = 0; i < partitions.size(); ++i)
      resolve_partition(model_.partitions[i], partitions[i], src.item(i));
  }

  void resolve_partition(Partition& partition, schema::Partition::Reader reader, const Source_ref& src) {
    partition.program = reader.getProgram();
    partition.kernel_console = reader.getKernelConsole();
    partition.may_power_off = reader.getMayPowerOff();
    std::map<std::string, uint32_t, std::less<>> region_index;
    std::map<std::string, Location> region_first_seen;
    const auto memory = reader.getMemory();
    for (uint32_t i = 0; i < memory.size(); ++i) {
      const Source_ref region_src = src.field("memory").item(i);
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

    std::map<std::string, uint32_t, std::less<>> thread_index;
    std::map<std::string, Location> thread_first_seen;
    const auto threads = reader.getThreads();
    for (uint32_t i = 0; i < threads.size(); ++i) {
      const Source_ref thread_src = src.field("threads").item(i);
      Thread thread;
      thread.name = threads[i].getName();
      thread.entry = threads[i].getEntry();
      thread.priority = threads[i].getPriority();
      thread.budget_us = threads[i].getBudgetUs();
      thread.period_us = threads[i].getPeriodUs();
      thread.cpu = threads[i].getCpu();
      thread.passive = threads[i].getPassive();
      thread.src = thread_src;
      declare(thread_index, thread_first_seen, thread.name, i, thread_src.at("name"), Code::duplicate_thread, "thread");
      const std::string stack = threads[i].getStack();
      if (stack.empty()) {
        diagnostics_.report(Code::stack_missing, thread_src.at("name"),
                            "thread " + quoted(thread.name) + " of " + quoted(partition.name) + " has no stack",
                            "add stack = \"<region>\" naming a readWrite memory region of " + quoted(partition.name));
      } else {
        thread.stack_region =
            find_in(region_index, stack, thread_src.at("stack"), Code::unknown_region, "memory region");
      }
      const std::string handler = threads[i].getFaultHandler();
      if (!handler.empty()) {
        thread.fault_endpoint =
            find_in(endpoint_index_, handler, thread_src.at("faultHandler"), Code::unknown_endpoint, "endpoint");
      }
      partition.threads.push_back(std::move(thread));
    }
    threads_by_partition_.push_back(std::move(thread_index));

    const auto grants = reader.getDevices();
    for (uint32_t i = 0; i < grants.size(); ++i) resolve_grant(partition, grants[i], src.field("devices").item(i));

    if (reader.hasVm()) resolve_vm(partition, reader.getVm(), src.field("vm"));
  }

  void resolve_grant(Partition& partition, schema::DeviceGrant::Reader reader, const Source_ref& src) {
    Device_grant grant;
    grant.src = src;
    grant.ipa = reader.getAddress();
    grant.badge = reader.getBadge();
    grant.device = find_in(model_.platform.device_index, text(reader.getDevice()), src.at("device"),
                           Code::unknown_device, "device");
    const std::string notification = reader.getNotification();
    if (!notification.empty()) {
      grant.notification_named = true;
      grant.notification = find_in(notification_index_, notification, src.at("notification"),
                                   Code::unknown_notification, "notification");
    }
    const bool already_granted =
        std::any_of(partition.grants.begin(), partition.grants.end(),
                    [&](const Device_grant& other) { return other.device != none && other.device == grant.device; });
    if (grant.device != none && !already_granted) {  // KP0601 reports a second grant
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
        region.src = src;
        partition.regions.push_back(std::move(region));
      }
    }
    partition.grants.push_back(grant);
  }

  void resolve_vm(Partition& partition, schema::VirtualMachine::Reader reader, const Source_ref& src) {
    Virtual_machine vm;
    vm.src = src;
    for (const uint32_t cpu : reader.getCpus()) vm.cpus.push_back(cpu);
    vm.ram_size = reader.getRamSize();
    vm.ram_address = reader.getRamAddress();
    vm.vmm_ram_address = reader.getVmmRamAddress();
    vm.kernel = reader.getKernel();
    vm.initrd = reader.getInitrd();
    vm.device_tree = reader.getDeviceTree();
    vm.bootargs = reader.getBootargs();
    vm.priority = reader.getPriority();
    vm.restartable = reader.getRestartable();
    const std::string vmm = reader.getVmm();
    if (vmm.empty()) {
      diagnostics_.report(Code::vmm_missing, src.at(), "VM partition " + quoted(partition.name) + " names no VMM",
                          "add vmm = \"<partition>\" naming the partition that handles its exits");
    } else {
      vm.vmm = find_partition(vmm, src.at("vmm"), "VMM");
    }
    std::map<std::string, uint32_t, std::less<>> emulated_index;
    std::map<std::string, Location> emulated_first_seen;
    const auto emulated = reader.getEmulated();
    for (uint32_t i = 0; i < emulated.size(); ++i) {
      const Source_ref device_src = src.field("emulated").item(i);
      Emulated_device device{emulated[i].getName(),      static_cast<uint32_t>(emulated[i].getKind()),
                             emulated[i].getAddress(),   emulated[i].getSize(),
                             emulated[i].getInterrupt(), device_src};
      declare(emulated_index, emulated_first_seen, device.name, i, device_src.at("name"),
              Code::duplicate_emulated_device, "emulated device");
      vm.emulated.push_back(std::move(device));
    }
    Region ram;
    ram.kind = Region::Kind::guest_ram;
    ram.name = "guest-ram";
    ram.ipa = vm.ram_address;
    ram.size = vm.ram_size;
    ram.access = Access::read_write_execute;  // the guest's own stage 1 decides
    ram.src = src;
    partition.regions.push_back(std::move(ram));
    for (uint32_t i = 0; i < vm.cpus.size(); ++i) {
      Thread vcpu;
      vcpu.name = "vcpu" + std::to_string(i);
      vcpu.cpu = vm.cpus[i];
      vcpu.priority = vm.priority;
      vcpu.vcpu = true;
      vcpu.src = src.field("cpus").item(i);
      vcpus_.push_back({static_cast<uint32_t>(&partition - model_.partitions.data()), vcpu});
    }
    partition.vm = std::move(vm);
  }

  // ---- IPC objects ----------------------------------------------------------

  std::vector<Client> resolve_clients(capnp::List<schema::Client>::Reader clients, const Source_ref& src,
                                      std::string_view role) {
    std::vector<Client> resolved;
    for (uint32_t i = 0; i < clients.size(); ++i) {
      const Source_ref client_src = src.item(i);
      Client client{find_partition(text(clients[i].getPartition()), client_src.at("partition"), role),
                    clients[i].getBadge(), client_src};
      resolved.push_back(client);
    }
    return resolved;
  }

  void resolve_endpoints(capnp::List<schema::Endpoint>::Reader endpoints, const Source_ref& src) {
    for (uint32_t i = 0; i < endpoints.size(); ++i) {
      const Source_ref endpoint_src = src.item(i);
      Endpoint endpoint;
      endpoint.name = endpoints[i].getName();
      endpoint.src = endpoint_src;
      endpoint.server = find_partition(text(endpoints[i].getServer()), endpoint_src.at("server"), "server");
      const std::string thread = endpoints[i].getServerThread();
      if (endpoint.server != none) {
        if (thread.empty()) {
          endpoint.server_thread = model_.partitions[endpoint.server].threads.empty() ? none : 0;
        } else {
          endpoint.server_thread = find_in(threads_by_partition_[endpoint.server], thread,
                                           endpoint_src.at("serverThread"), Code::unknown_thread, "thread");
        }
      }
      endpoint.clients = resolve_clients(endpoints[i].getClients(), endpoint_src.field("clients"), "client");
      model_.endpoints.push_back(std::move(endpoint));
    }
  }

  void resolve_notifications(capnp::List<schema::Notification>::Reader notifications, const Source_ref& src) {
    for (uint32_t i = 0; i < notifications.size(); ++i) {
      const Source_ref notification_src = src.item(i);
      Notification notification;
      notification.name = notifications[i].getName();
      notification.src = notification_src;
      notification.owner = find_partition(text(notifications[i].getOwner()), notification_src.at("owner"), "owner");
      notification.signallers =
          resolve_clients(notifications[i].getSignallers(), notification_src.field("signallers"), "signaller");
      model_.notifications.push_back(std::move(notification));
    }
  }

  void resolve_channels(capnp::List<schema::Channel>::Reader channels, const Source_ref& src) {
    for (uint32_t i = 0; i < channels.size(); ++i) {
      const Source_ref channel_src = src.item(i);
      Channel channel;
      channel.name = channels[i].getName();
      channel.size = channels[i].getSize();
      channel.doorbell = channels[i].getDoorbell();
      channel.src = channel_src;
      auto resolve_end = [&](schema::ChannelEnd::Reader end, const Source_ref& end_src, std::string_view role) {
        return Channel_end{find_partition(text(end.getPartition()), end_src.at("partition"), role), end.getAddress(),
                           end_src};
      };
      channel.writer = resolve_end(channels[i].getWriter(), channel_src.field("writer"), "writer");
      const auto readers = channels[i].getReaders();
      for (uint32_t j = 0; j < readers.size(); ++j) {
        channel.readers.push_back(resolve_end(readers[j], channel_src.field("readers").item(j), "reader"));
      }
      const auto channel_number = static_cast<uint32_t>(model_.channels.size());
      auto map_end = [&](const Channel_end& end, Access access) {
        if (end.partition == none) return;
        Region region;
        region.kind = Region::Kind::channel;
        region.name = channel.name;
        region.ipa = end.address;
        region.size = channel.size;
        region.access = access;
        region.owner = channel_number;
        region.shared = true;
        region.src = end.src;
        model_.partitions[end.partition].regions.push_back(std::move(region));
      };
      map_end(channel.writer, Access::read_write);
      for (const auto& reader : channel.readers) {
        // The writer already maps it (KP0508 reports the mistake).
        if (reader.partition != channel.writer.partition) map_end(reader, Access::read_only);
      }
      model_.channels.push_back(std::move(channel));
    }
    // A doorbell is one notification per reader, owned by the reader and
    // signalled by the writer; they follow the written notifications.
    for (const Channel& channel : model_.channels) {
      if (!channel.doorbell || channel.writer.partition == none) continue;
      for (const auto& reader : channel.readers) {
        if (reader.partition == none) continue;
        Notification doorbell;
        doorbell.name = channel.name + ".doorbell." + model_.partitions[reader.partition].name;
        if (channel.name.size() <= max_name_length)
          check_generated_name(doorbell.name, reader.src.at("partition"),
                               "the doorbell of channel " + quoted(channel.name) + " for reader " +
                                   quoted(model_.partitions[reader.partition].name),
                               "shorten the channel's or the reader's name: together they may have at most " +
                                   std::to_string(max_name_length - std::string_view(".doorbell.").size()) +
                                   " characters");
        doorbell.owner = reader.partition;
        doorbell.implicit = true;
        doorbell.src = channel.src.field("doorbell");
        doorbell.signallers.push_back({channel.writer.partition, 1, channel.writer.src});
        model_.notifications.push_back(std::move(doorbell));
      }
    }
  }

  // ---- schedule -------------------------------------------------------------

  void resolve_schedule(capnp::List<schema::CpuSchedule>::Reader schedule, const Source_ref& src) {
    for (uint32_t i = 0; i < schedule.size(); ++i) {
      const Source_ref plan_src = src.item(i);
      Cpu_plan plan;
      plan.cpu = schedule[i].getCpu();
      plan.major_frame_us = schedule[i].getMajorFrameUs();
      plan.src = plan_src;
      const std::string exclusive = schedule[i].getExclusive();
      plan.exclusive_named = !exclusive.empty();
      if (plan.exclusive_named) plan.exclusive = find_partition(exclusive, plan_src.at("exclusive"), "exclusive owner");
      const auto windows = schedule[i].getWindows();
      for (uint32_t j = 0; j < windows.size(); ++j) {
        const Source_ref window_src = plan_src.field("windows").item(j);
        plan.windows.push_back({find_partition(text(windows[j].getPartition()), window_src.at("partition"), "window"),
                                windows[j].getDurationUs(), window_src});
      }
      model_.schedule.push_back(std::move(plan));
    }
  }

  // Each VM's exits go to endpoints its VMM serves, one per CPU its vCPUs
  // run on (<vm>.exits-cpuN), each received by the VMM's thread on that CPU,
  // so that no exit crosses CPUs. Its vCPUs are threads of the VM partition
  // whose fault endpoint is their CPU's.
  void add_vm_exit_endpoints() {
    for (auto& [partition_number, vcpu] : vcpus_) {
      Partition& partition = model_.partitions[partition_number];
      Virtual_machine& vm = *partition.vm;
      if (vm.vmm != none) vcpu.fault_endpoint = exit_endpoint(partition_number, vcpu.cpu);
      partition.threads.push_back(vcpu);
    }
  }

  // The exit endpoint of VM `vm_partition` for its vCPUs on `cpu`, made the
  // first time a vCPU there asks.
  uint32_t exit_endpoint(uint32_t vm_partition, uint32_t cpu) {
    const Partition& partition = model_.partitions[vm_partition];
    Virtual_machine& vm = *model_.partitions[vm_partition].vm;
    for (const auto& exits : vm.exit_endpoints) {
      if (exits.cpu == cpu) return exits.endpoint;
    }
    Endpoint exits;
    exits.name = partition.name + ".exits-cpu" + std::to_string(cpu);
    if (!partition.unnamed)
      check_generated_name(
          exits.name, partition.src.at("name"),
          "the endpoint on which VM " + quoted(partition.name) + "'s exits on CPU " + std::to_string(cpu) + " arrive",
          "shorten the VM's name to at most " +
              std::to_string(max_name_length - (exits.name.size() - partition.name.size())) + " characters");
    exits.server = vm.vmm;
    exits.server_thread = exit_thread(model_.partitions[vm.vmm], cpu);
    exits.implicit = true;
    exits.exits_of_vm = vm_partition;
    exits.exits_cpu = cpu;
    exits.src = vm.src.field("vmm");
    const auto endpoint = static_cast<uint32_t>(model_.endpoints.size());
    vm.exit_endpoints.push_back({cpu, endpoint});
    model_.endpoints.push_back(std::move(exits));
    return endpoint;
  }

  // The VMM's thread that receives exits on `cpu`: its passive thread there
  // (a thread with time of its own there may do other work, such as taking
  // typed input), else its first thread there; none if it has no thread on
  // that CPU (KP0512) or none at all (KP0506).
  static uint32_t exit_thread(const Partition& vmm, uint32_t cpu) {
    uint32_t found = none;
    for (uint32_t t = 0; t < vmm.threads.size(); ++t) {
      if (vmm.threads[t].vcpu || vmm.threads[t].cpu != cpu) continue;  // vCPUs: a VM as VMM (KP0609, KP0610)
      if (vmm.threads[t].passive) return t;
      if (found == none) found = t;
    }
    return found;
  }

  // A VM with vmmRamAddress: its RAM, the same physical pages, mapped into
  // its VMM too. Added last, after the VMM's own regions and channels, so
  // an overlap with one of them is reported at vmmRamAddress. Only into a
  // native VMM other than the VM (KP0608-KP0610 report the rest).
  void add_vmm_ram_views() {
    for (uint32_t p = 0; p < model_.partitions.size(); ++p) {
      Partition& partition = model_.partitions[p];
      if (!partition.vm || partition.vm->vmm_ram_address == 0) continue;
      const Virtual_machine& vm = *partition.vm;
      if (vm.vmm == none || vm.vmm == p || model_.partitions[vm.vmm].vm) continue;
      for (Region& region : partition.regions) {
        if (region.kind == Region::Kind::guest_ram) region.shared = true;
      }
      Region view;
      view.kind = Region::Kind::guest_ram_view;
      view.name = partition.name;
      view.ipa = vm.vmm_ram_address;
      view.size = vm.ram_size;
      view.access = Access::read_write;     // data only: the VMM never runs guest code
      view.type = Memory_type::write_back;  // as the guest's stage 2 maps it
      view.owner = p;
      view.shared = true;
      view.src = vm.src;
      model_.partitions[vm.vmm].regions.push_back(std::move(view));
    }
  }

  Diagnostics& diagnostics_;
  Model model_;
  std::map<std::string, uint32_t, std::less<>> object_names_;
  std::map<std::string, Location> object_first_seen_;
  std::map<std::string, uint32_t, std::less<>> endpoint_index_, notification_index_, channel_index_;
  std::vector<std::map<std::string, uint32_t, std::less<>>> threads_by_partition_;
  std::vector<std::pair<uint32_t, Thread>> vcpus_;
};

}  // namespace

Model resolve(schema::System::Reader system, const Source_ref& root, Diagnostics& diagnostics) {
  return Resolver{diagnostics}.run(system, root);
}

}  // namespace kestrel::policy
