// SPDX-License-Identifier: Apache-2.0
// Resolve VMs: a VM partition's vCPUs, emulated devices and RAM, the
// endpoints its exits go to and its RAM as its VMM sees it.
#include "resolver.hpp"

namespace kestrel::policy {

void Resolver::resolve_vm(Partition& partition, schema::VirtualMachine::Reader reader, const Source_ref& src) {
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
    Emulated_device device{emulated[i].getName(),
                           static_cast<uint32_t>(emulated[i].getKind()),
                           emulated[i].getAddress(),
                           emulated[i].getSize(),
                           emulated[i].getInterrupt(),
                           emulated[i].getBackend(),
                           device_src};
    declare(emulated_index, emulated_first_seen, device.name, i, device_src.at("name"), Code::duplicate_emulated_device,
            "emulated device");
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

// Each VM's exits go to endpoints its VMM serves, one per CPU its vCPUs
// run on (<vm>.exits-cpuN), each received by the VMM's thread on that CPU,
// so that no exit crosses CPUs. Its vCPUs are threads of the VM partition
// whose fault endpoint is their CPU's.
void Resolver::add_vm_exit_endpoints() {
  for (auto& [partition_number, vcpu] : vcpus_) {
    Partition& partition = model_.partitions[partition_number];
    Virtual_machine& vm = *partition.vm;
    if (vm.vmm != none) vcpu.fault_endpoint = exit_endpoint(partition_number, vcpu.cpu);
    partition.threads.push_back(vcpu);
  }
}

// The exit endpoint of VM `vm_partition` for its vCPUs on `cpu`, made the
// first time a vCPU there asks.
uint32_t Resolver::exit_endpoint(uint32_t vm_partition, uint32_t cpu) {
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
uint32_t Resolver::exit_thread(const Partition& vmm, uint32_t cpu) {
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
void Resolver::add_vmm_ram_views() {
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

}  // namespace kestrel::policy
