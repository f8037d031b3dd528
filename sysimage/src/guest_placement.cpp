// SPDX-License-Identifier: Apache-2.0
// Guest placement: a VM's kernel, initrd and device tree in its guest RAM
// (see guest_placement.hpp).
#include "guest_placement.hpp"

#include <algorithm>
#include <filesystem>

#include <kestrel/policy/text.hpp>
#include <kestrel/policy/vm_tunnels.hpp>
#include <kestrel/sysimage/device_tree.hpp>
#include <kestrel/sysimage/elf_file.hpp>

namespace kestrel::sysimage {
namespace {

using policy::hex;

namespace fs = std::filesystem;
using policy::none;
using policy::Partition;
using policy::Region;

constexpr uint64_t block_size = 2U << 20;
// arm64 Linux Image header (Documentation/arch/arm64/booting.rst).
constexpr uint32_t arm64_image_magic = 0x644d'5241;  // "ARM\x64" at offset 56
constexpr size_t arm64_header_size = 64;

uint64_t align_up(uint64_t value, uint64_t alignment) { return (value + alignment - 1) & ~(alignment - 1); }

uint64_t read_le64(const std::vector<uint8_t>& bytes, size_t offset) {
  uint64_t value = 0;
  for (size_t i = 0; i < 8; ++i) value |= static_cast<uint64_t>(bytes[offset + i]) << (8 * i);
  return value;
}

class Guest_placement {
 public:
  explicit Guest_placement(const Guest_placement_context& context) : context_{context} {}

  void place_guest(uint32_t index, Partition& partition) {
    const auto& vm = *partition.vm;
    const auto ram = std::find_if(partition.regions.begin(), partition.regions.end(),
                                  [](const Region& r) { return r.kind == Region::Kind::guest_ram; });
    const auto kernel_path = find_file(vm.kernel, "guest kernel of VM \"" + partition.name + "\"");
    if (!kernel_path || ram == partition.regions.end()) return;
    const auto kernel = read_payload(*kernel_path);
    if (!kernel) return;
    auto guest_pa = [&](uint64_t ipa) { return ram->pa + (ipa - ram->ipa); };
    auto fits = [&](uint64_t ipa, uint64_t size) {
      return ipa >= ram->ipa && ipa - ram->ipa <= ram->size && size <= ram->size - (ipa - ram->ipa);
    };
    uint64_t entry = 0;
    uint64_t end = 0;
    const std::string who = "VM \"" + partition.name + "\": ";
    if (kernel->size() >= 4 && std::equal(kernel->begin(), kernel->begin() + 4,
                                          "\x7f"
                                          "ELF")) {
      auto parsed = parse_elf(*kernel);
      if (auto* failure = std::get_if<Elf_error>(&parsed)) {
        error(who + *kernel_path + ": " + failure->message);
        return;
      }
      const Elf_image& elf = std::get<Elf_image>(parsed);
      for (size_t i = 0; i < elf.segments.size(); ++i) {
        const Elf_segment& segment = elf.segments[i];
        if (!fits(segment.physical_address, segment.memory_size)) {
          error(who + *kernel_path + " segment " + std::to_string(i) + " at " + hex(segment.physical_address) +
                " is outside guest RAM " + hex(ram->ipa) + "-" + hex(ram->ipa + ram->size));
          return;
        }
        add_piece(index, partition.name + ": " + vm.kernel + " segment " + std::to_string(i),
                  guest_pa(segment.physical_address), segment.memory_size, segment.bytes, true, true);
        end = std::max(end, segment.physical_address + segment.memory_size);
      }
      entry = elf.entry;
    } else if (kernel->size() >= arm64_header_size && (read_le64(*kernel, 56) & 0xffff'ffff) == arm64_image_magic) {
      const uint64_t text_offset = read_le64(*kernel, 8);
      const uint64_t image_size = std::max<uint64_t>(read_le64(*kernel, 16), kernel->size());
      entry = ram->ipa + text_offset;
      if (!fits(entry, image_size)) {
        error(who + *kernel_path + " (" + std::to_string(image_size) + " bytes at offset " + hex(text_offset) +
              ") does not fit in guest RAM of " + hex(ram->size) + " bytes");
        return;
      }
      add_piece(index, partition.name + ": " + vm.kernel, guest_pa(entry), image_size, *kernel, true, true);
      end = entry + image_size;
    } else {
      error(who + *kernel_path + " is neither an arm64 Linux Image nor an AArch64 ELF");
      return;
    }
    uint64_t next = align_up(end, block_size);
    std::optional<Address_range> initrd_range;  // guest-physical
    if (!vm.initrd.empty()) {
      const auto initrd_path = find_file(vm.initrd, "initrd of VM \"" + partition.name + "\"");
      const auto initrd = initrd_path ? read_payload(*initrd_path) : std::nullopt;
      if (!initrd) return;
      if (!fits(next, initrd->size())) {
        error(who + "initrd " + *initrd_path + " does not fit in guest RAM after the kernel");
        return;
      }
      add_piece(index, partition.name + ": " + vm.initrd, guest_pa(next), initrd->size(), *initrd, true, false);
      initrd_range = Address_range{next, initrd->size()};
      next = align_up(next + initrd->size(), block_size);
    }
    const auto tree = guest_device_tree(index, partition, *ram, initrd_range);
    if (!tree) return;
    // The boot protocol wants the tree 8-byte aligned and at most 2 MiB.
    if (tree->size() > block_size || !fits(next, tree->size())) {
      error(who + "the device tree (" + std::to_string(tree->size()) + " bytes) does not fit in guest RAM");
      return;
    }
    add_piece(index, partition.name + ": device tree", guest_pa(next), tree->size(), *tree, false, false);
    for (const Seed_placeholder& seed : find_seed_placeholders(*tree)) {
      context_.guest_seeds.push_back({index, seed.size, guest_pa(next) + seed.offset});
    }
    // The first vCPU starts at the kernel's entry with x0 = the device tree;
    // the others stay off until the guest starts them with PSCI CPU_ON.
    bool first = true;
    for (auto& thread : partition.threads) {
      if (!thread.vcpu) continue;
      thread.entry = first ? entry : 0;
      thread.boot_argument = first ? next : 0;
      first = false;
    }
  }

 private:
  // What the guest sees: its RAM, vCPUs, the GICv3 and timer, PSCI over HVC
  // (answered by its VMM), its passed-through and emulated devices.
  std::optional<Dtb> guest_device_tree(uint32_t index, const Partition& partition, const Region& ram,
                                       const std::optional<Address_range>& initrd) {
    const auto& vm = *partition.vm;
    const auto& platform = context_.platform;
    Guest_description guest;
    guest.model = "Kestrel VM " + partition.name;
    guest.ram = {ram.ipa, ram.size};
    guest.vcpus = static_cast<unsigned>(vm.cpus.size());
    guest.gic_distributor = {platform.gic_distributor.base, platform.gic_distributor.size};
    guest.gic_redistributors = {platform.gic_redistributors.base, platform.gic_redistributors.size};
    guest.virtual_timer_intid = platform.virtual_timer_intid;
    guest.hypervisor_timer_intid = platform.hypervisor_timer_intid;
    guest.bootargs = vm.bootargs;
    guest.initrd = initrd;
    for (const auto& grant : partition.grants) {
      if (grant.device == none) continue;
      const auto& device = platform.devices[grant.device];
      Guest_device node;
      node.name = device.name;
      node.compatible = {device.compatible};
      const uint64_t first_page = device.mmio.empty() ? 0 : device.mmio[0].base & ~uint64_t{0xfff};
      for (const auto& mmio : device.mmio) {
        node.registers.push_back({grant.ipa == 0 ? mmio.base : grant.ipa + (mmio.base - first_page), mmio.size});
      }
      node.interrupts = device.interrupts;
      describe_device_kind(device.compatible, node);
      guest.devices.push_back(std::move(node));
    }
    for (const auto& emulated : vm.emulated) {
      Guest_device node;
      node.name = emulated.name;
      node.registers = {{emulated.address, emulated.size}};
      node.interrupts = {emulated.interrupt};
      const bool is_pl011 = emulated.kind == static_cast<uint32_t>(policy::schema::EmulatedKind::PL011);
      describe_device_kind(is_pl011 ? "arm,pl011" : "virtio,mmio", node);
      if (is_pl011 && guest.stdout_device.empty()) guest.stdout_device = device_node_name(node);
      guest.devices.push_back(std::move(node));
    }
    describe_tunnels(index, partition, guest);
    auto tree = build_guest_device_tree(guest);
    if (!tree.ok()) {
      error("VM \"" + partition.name + "\": device tree: " + tree.error());
      return std::nullopt;
    }
    if (vm.device_tree.empty()) return tree.value();
    const auto overlay_path = find_file(vm.device_tree, "device-tree overlay of VM \"" + partition.name + "\"");
    if (!overlay_path) return std::nullopt;
    Dtb overlay;
    if (fs::path(*overlay_path).extension() == ".dts") {
      auto compiled = compile_overlay_file(*overlay_path);
      if (!compiled.ok()) {
        error(*overlay_path + ": " + compiled.error());
        return std::nullopt;
      }
      overlay = compiled.value().output;
    } else {
      const auto bytes = read_payload(*overlay_path);
      if (!bytes) return std::nullopt;
      overlay = *bytes;
    }
    auto merged = apply_overlay(tree.value(), overlay);
    if (!merged.ok()) {
      error(*overlay_path + ": " + merged.error());
      return std::nullopt;
    }
    return merged.value();
  }

  // One node per tunnel the VM is an end of: its instances' range in the
  // tunnel window, the SPI its doorbell raises (edge: a ring is an event;
  // no driver claims it, so it stays pending for the guest to read in the
  // GIC) and its id and name; and the VMM's tunnel control page
  // (docs/ipcm.md, "The VM end of a tunnel").
  void describe_tunnels(uint32_t index, const Partition& partition, Guest_description& guest) {
    const auto tunnels = policy::vm_tunnels(context_.model, index);
    if (tunnels.empty()) return;
    for (const auto& tunnel : tunnels) {
      Guest_device node;
      node.name = "tunnel";
      node.compatible = {"kestrel,tunnel"};
      node.registers = {{tunnel.address, tunnel.size * tunnel.max_open}};
      node.interrupts = {tunnel.spi};
      node.trigger = Interrupt_trigger::edge_rising;
      node.u32_properties = {{"kestrel,tunnel-id", tunnel.tunnel}, {"kestrel,max-open", tunnel.max_open}};
      node.string_properties = {{"kestrel,tunnel-name", context_.model.tunnels[tunnel.tunnel].name}};
      guest.devices.push_back(std::move(node));
    }
    Guest_device control;
    control.name = "tunnel-control";
    control.compatible = {"kestrel,tunnel-control"};
    control.registers = {{policy::tunnel_control_address(partition), policy::tunnel_control_size}};
    guest.devices.push_back(std::move(control));
  }

  // Linux needs more than a compatible string for some devices: the PL011's
  // clocks, and virtio's coherent DMA with edge-triggered interrupts (as
  // QEMU's own virt machine describes them).
  static void describe_device_kind(const std::string& compatible, Guest_device& node) {
    if (compatible == "arm,pl011") {
      node.compatible = {"arm,pl011", "arm,primecell"};
      node.clock_names = {"uartclk", "apb_pclk"};
    } else if (compatible == "virtio,mmio") {
      node.compatible = {"virtio,mmio"};
      node.dma_coherent = true;
      node.trigger = Interrupt_trigger::edge_rising;
    }
  }

  void error(std::string message) { context_.error(std::move(message)); }
  std::optional<std::string> find_file(const std::string& name, const std::string& what) {
    return context_.find_file(name, what);
  }
  std::optional<std::vector<uint8_t>> read_payload(const std::string& path) { return context_.read_payload(path); }
  void add_piece(uint32_t partition, std::string description, uint64_t pa, uint64_t memory_size,
                 std::vector<uint8_t> bytes, bool writable, bool executable) {
    context_.pieces.push_back(
        {std::move(description), partition, pa, memory_size, std::move(bytes), writable, executable});
  }

  const Guest_placement_context& context_;
};

}  // namespace

void place_guest_payloads(uint32_t index, Partition& partition, const Guest_placement_context& context) {
  Guest_placement{context}.place_guest(index, partition);
}

}  // namespace kestrel::sysimage
