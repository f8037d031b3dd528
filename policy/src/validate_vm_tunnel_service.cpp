// SPDX-License-Identifier: Apache-2.0
// Validate what a VMM needs to serve its VM's tunnels (docs/ipcm.md, "The
// VM end of a tunnel"): room in the VM's description for every tunnel
// (KP1020), and a doorbell thread for every tunnel with a doorbell (KP1021),
// so that a policy `kestrel check` accepts builds a VMM whose doorbells
// ring. The VMM's doorbell threads are the threads whose stack region is
// named "tunnel-stack..." (vmm-server/vmm.cpp), one per doorbell, in order.
#include <kestrel/policy/stages.hpp>
#include <kestrel/policy/vm_tunnels.hpp>

#include "validate_util.hpp"

namespace kestrel::policy {
namespace {

uint32_t doorbell_threads(const Partition& vmm) {
  uint32_t count = 0;
  for (const Thread& thread : vmm.threads) {
    if (thread.stack_region != none && is_doorbell_stack(vmm.regions[thread.stack_region].name)) ++count;
  }
  return count;
}

void check_vm(const Model& model, uint32_t index, Diagnostics& diagnostics) {
  const Partition& vm = model.partitions[index];
  const auto tunnels = vm_tunnels(model, index);
  if (tunnels.size() > max_vm_tunnels) {
    const Tunnel& first_too_many = model.tunnels[tunnels[max_vm_tunnels].tunnel];
    diagnostics.report(Code::vm_too_many_tunnels, first_too_many.src.at("ends"),
                       "VM " + quoted(vm.name) + " is an end of " + std::to_string(tunnels.size()) +
                           " tunnels; its VMM describes at most " + std::to_string(max_vm_tunnels),
                       "give the VM fewer tunnels (a tunnel may have maxOpen instances)");
  }
  if (vm.vm->vmm == none) return;
  const Partition& vmm = model.partitions[vm.vm->vmm];
  uint32_t served = doorbell_threads(vmm);
  for (const Vm_tunnel& tunnel : tunnels) {
    const Tunnel& declared = model.tunnels[tunnel.tunnel];
    if (!declared.doorbell) continue;
    if (served > 0) {
      --served;
      continue;
    }
    diagnostics.report(Code::vm_doorbell_unserved, declared.src.at("doorbell"),
                       "tunnel " + quoted(declared.name) + " has a doorbell for VM " + quoted(vm.name) +
                           ", but its VMM " + quoted(vmm.name) + " has no thread left to wait on it",
                       "give " + quoted(vmm.name) +
                           " one more thread whose stack region is named \"tunnel-stack...\" (one per doorbell "
                           "of the VM's tunnels), or drop the doorbell");
  }
}

}  // namespace

void validate_vm_tunnel_service(const Model& model, Diagnostics& diagnostics) {
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    if (model.partitions[p].vm && model.partitions[p].tunnel_window.size != 0) check_vm(model, p, diagnostics);
  }
}

}  // namespace kestrel::policy
