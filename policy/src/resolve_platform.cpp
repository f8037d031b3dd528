// SPDX-License-Identifier: Apache-2.0
// Resolve platform: the platform's RAM, devices and console.
#include <kestrel/policy/suggest.hpp>

#include "resolver.hpp"

namespace kestrel::policy {

Address_range Resolver::range(schema::AddressRange::Reader reader, const Source_ref& src) {
  return {reader.getBase(), reader.getSize(), src};
}

void Resolver::resolve_platform(schema::Platform::Reader reader, const Source_ref& src) {
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
    for (uint32_t j = 0; j < mmio.size(); ++j) device.mmio.push_back(range(mmio[j], device_src.field("mmio").item(j)));
    for (const uint32_t interrupt : devices[i].getInterrupts()) device.interrupts.push_back(interrupt);
    declare(platform.device_index, first_seen, device.name, i, device_src.at("name"), Code::duplicate_device, "device");
    platform.devices.push_back(std::move(device));
  }
  const std::string console = reader.getKernelConsole();
  const auto it = platform.device_index.find(console);
  if (it != platform.device_index.end()) {
    platform.console = it->second;
  } else {
    diagnostics_.report(
        Code::platform_console, src.at("kernelConsole"),
        "kernelConsole " + quoted(console) + " is not a device of the platform",
        hint_or_suggestion(console, names_of(platform.device_index), "name the PL011 the kernel logs to"));
  }
}

}  // namespace kestrel::policy
