// SPDX-License-Identifier: Apache-2.0
// Guest device trees: the tree a VM guest boots with, generated with
// libfdt's sequential writer from a checked description.
#include <kestrel/sysimage/device_tree.hpp>

#include <algorithm>

#include "device_tree_internal.hpp"
#include "fdt_writer.hpp"

namespace kestrel::sysimage {
namespace {

using detail::Fdt_writer;
using detail::first_ppi;
using detail::first_spi;

constexpr uint32_t apb_clock_hz = 24'000'000;  // what QEMU's virt gives its primecells
constexpr uint32_t gic_spi_type = 0;           // first cell of a GIC interrupt specifier
constexpr uint32_t gic_ppi_type = 1;
constexpr const char* gic_node_basename = "interrupt-controller";
constexpr const char* clock_node_path = "/apb-pclk";

std::string unit_address(uint64_t value) { return detail::hex(value).substr(2); }

// #address-cells = #size-cells = 2: each value as a high and a low cell.
std::vector<uint32_t> reg_cells(const std::vector<Address_range>& ranges) {
  std::vector<uint32_t> cells;
  for (const auto& range : ranges) {
    for (uint64_t value : {range.base, range.size}) {
      cells.push_back(static_cast<uint32_t>(value >> 32));
      cells.push_back(static_cast<uint32_t>(value));
    }
  }
  return cells;
}

// <type number flags> as the arm,gic-v3 binding encodes it: PPIs number from 16, SPIs from 32.
void append_interrupt(std::vector<uint32_t>& cells, uint32_t intid, Interrupt_trigger trigger) {
  const bool is_ppi = intid < first_spi;
  cells.push_back(is_ppi ? gic_ppi_type : gic_spi_type);
  cells.push_back(intid - (is_ppi ? first_ppi : first_spi));
  cells.push_back(static_cast<uint32_t>(trigger));
}

void write_cpus(Fdt_writer& writer, unsigned vcpus) {
  writer.begin_node("cpus");
  writer.u32_property("#address-cells", 1);  // MPIDR Aff3-Aff1 are zero: Aff0 alone names a vCPU
  writer.u32_property("#size-cells", 0);
  for (uint32_t cpu = 0; cpu < vcpus; ++cpu) {
    writer.begin_node("cpu@" + unit_address(cpu));
    writer.string_property("device_type", "cpu");
    writer.string_property("compatible", "arm,armv8");
    writer.u32_property("reg", cpu);
    writer.string_property("enable-method", "psci");  // the VMM answers PSCI CPU_ON
    writer.end_node();
  }
  writer.end_node();
}

void write_chosen(Fdt_writer& writer, const Guest_description& guest) {
  writer.begin_node("chosen");
  if (!guest.bootargs.empty()) writer.string_property("bootargs", guest.bootargs);
  if (guest.initrd) {
    writer.u64_property("linux,initrd-start", guest.initrd->base);
    writer.u64_property("linux,initrd-end", guest.initrd->base + guest.initrd->size);  // exclusive
  }
  if (!guest.stdout_device.empty()) writer.string_property("stdout-path", "/" + guest.stdout_device);
  // Zeros: the image is measured, signed and reproducible, so it cannot
  // hold a seed. The kernel fills them each time the VM starts.
  const std::vector<uint8_t> zeros(guest_rng_seed_size, 0);
  writer.property("rng-seed", zeros.data(), guest_rng_seed_size);
  writer.property("kaslr-seed", zeros.data(), guest_kaslr_seed_size);
  writer.end_node();
}

void write_timer(Fdt_writer& writer, const Guest_description& guest) {
  writer.begin_node("timer");
  writer.string_property("compatible", "arm,armv8-timer");
  writer.empty_property("always-on");  // as on QEMU virt: no idle state the guest can enter stops the timer
  std::vector<uint32_t> cells;
  for (uint32_t intid : {guest.secure_physical_timer_intid, guest.physical_timer_intid, guest.virtual_timer_intid,
                         guest.hypervisor_timer_intid}) {
    append_interrupt(cells, intid, Interrupt_trigger::level_high);
  }
  writer.cells_property("interrupts", cells);
  writer.end_node();
}

void write_gic(Fdt_writer& writer, const Guest_description& guest, const std::string& node_name) {
  writer.begin_node(node_name);
  writer.string_property("compatible", "arm,gic-v3");
  writer.u32_property("#interrupt-cells", 3);
  writer.u32_property("#address-cells", 0);  // no child nodes (no ITS); dtc asks every interrupt provider for it
  writer.empty_property("interrupt-controller");
  writer.cells_property("reg", reg_cells({guest.gic_distributor, guest.gic_redistributors}));
  writer.u32_property("phandle", guest_gic_phandle);
  writer.end_node();
}

void write_device(Fdt_writer& writer, const Guest_device& device) {
  writer.begin_node(device_node_name(device));
  writer.strings_property("compatible", device.compatible);
  writer.cells_property("reg", reg_cells(device.registers));
  if (!device.interrupts.empty()) {
    std::vector<uint32_t> cells;
    for (uint32_t intid : device.interrupts) append_interrupt(cells, intid, device.trigger);
    writer.cells_property("interrupts", cells);
  }
  if (!device.clock_names.empty()) {
    writer.cells_property("clocks", std::vector<uint32_t>(device.clock_names.size(), guest_clock_phandle));
    writer.strings_property("clock-names", device.clock_names);
  }
  if (device.dma_coherent) writer.empty_property("dma-coherent");
  for (const auto& [name, value] : device.u32_properties) writer.u32_property(name.c_str(), value);
  for (const auto& [name, value] : device.string_properties) writer.string_property(name.c_str(), value);
  writer.end_node();
}

}  // namespace

std::string device_node_name(const Guest_device& device) {
  return device.name + "@" + unit_address(device.registers.empty() ? 0 : device.registers.front().base);
}

Device_tree_result<Dtb> build_guest_device_tree(const Guest_description& guest) {
  if (const auto problems = detail::guest_description_problems(guest); !problems.empty()) {
    std::string message;
    for (const auto& problem : problems) message += (message.empty() ? "" : "\n") + problem;
    return Device_tree_error{message};
  }
  std::vector<const Guest_device*> devices;
  for (const auto& device : guest.devices) devices.push_back(&device);
  std::sort(devices.begin(), devices.end(), [](const Guest_device* a, const Guest_device* b) {
    return std::pair(a->registers.front().base, a->name) < std::pair(b->registers.front().base, b->name);
  });
  const bool needs_clock = std::any_of(devices.begin(), devices.end(), [](auto* d) { return !d->clock_names.empty(); });
  const std::string gic_node = gic_node_basename + std::string("@") + unit_address(guest.gic_distributor.base);

  Fdt_writer writer;
  writer.begin_node("");
  writer.u32_property("#address-cells", 2);
  writer.u32_property("#size-cells", 2);
  writer.string_property("compatible", "linux,dummy-virt");
  writer.string_property("model", guest.model);
  writer.u32_property("interrupt-parent", guest_gic_phandle);

  write_chosen(writer, guest);

  writer.begin_node("memory@" + unit_address(guest.ram.base));
  writer.string_property("device_type", "memory");
  writer.cells_property("reg", reg_cells({guest.ram}));
  writer.end_node();

  write_cpus(writer, guest.vcpus);

  writer.begin_node("psci");
  writer.strings_property("compatible", {"arm,psci-1.0", "arm,psci-0.2"});
  writer.string_property("method", "hvc");  // HVC traps to Kestrel, which forwards PSCI to the VMM
  writer.end_node();

  write_timer(writer, guest);

  write_gic(writer, guest, gic_node);

  if (needs_clock) {
    writer.begin_node(clock_node_path + 1);
    writer.string_property("compatible", "fixed-clock");
    writer.u32_property("#clock-cells", 0);
    writer.u32_property("clock-frequency", apb_clock_hz);
    writer.string_property("clock-output-names", "clk24mhz");
    writer.u32_property("phandle", guest_clock_phandle);
    writer.end_node();
  }

  for (const Guest_device* device : devices) write_device(writer, *device);

  // Labels for user overlays (`&gic`): libfdt resolves them through this node.
  writer.begin_node("__symbols__");
  writer.string_property("gic", "/" + gic_node);
  if (needs_clock) writer.string_property("apb_pclk", clock_node_path);
  writer.end_node();

  writer.end_node();
  return writer.finish();
}

}  // namespace kestrel::sysimage
