// SPDX-License-Identifier: Apache-2.0
// Guest device trees: the flattened tree a VM guest boots with, built on the host with libfdt.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace kestrel::sysimage {

// A flattened device tree (DTB) as bytes.
using Dtb = std::vector<uint8_t>;

struct Address_range {
  uint64_t base = 0;
  uint64_t size = 0;
};

// The <flags> cell of a GIC interrupt specifier (Linux's IRQ_TYPE_* values).
enum class Interrupt_trigger : uint32_t { edge_rising = 1, level_high = 4 };

// Every member has an initializer, so designated initializers may leave any out.
struct Guest_device {
  std::string name{};  // node name without unit address: the node is "<name>@<first register base in hex>"
  std::vector<std::string> compatible{};   // most specific first, e.g. {"arm,pl011", "arm,primecell"}
  std::vector<Address_range> registers{};  // guest-physical MMIO ranges; the first one names the node
  std::vector<uint32_t> interrupts{};      // GIC INTIDs; SPIs only (32-1019)
  Interrupt_trigger trigger = Interrupt_trigger::level_high;
  // Each name is bound to the guest's fixed 24 MHz clock. Linux's AMBA bus will
  // not probe a primecell without "apb_pclk"; a PL011 wants {"uartclk", "apb_pclk"}.
  std::vector<std::string> clock_names{};
  // Set for devices whose DMA is cache-coherent with the guest (virtio: the VMM
  // reads guest memory through cacheable mappings). Without it Linux maps DMA
  // buffers uncached and the VMM would see stale data.
  bool dma_coherent = false;
  // Further properties, for devices only Kestrel's guests know (a tunnel's
  // id and name).
  std::vector<std::pair<std::string, uint32_t>> u32_properties{};
  std::vector<std::pair<std::string, std::string>> string_properties{};
};

struct Guest_description {
  std::string model;  // the root "model" property
  Address_range ram;  // guest-physical RAM
  unsigned vcpus = 1;
  Address_range gic_distributor;
  Address_range gic_redistributors;  // one 128 KiB frame per vCPU
  // Timer PPIs in the order the arm,armv8-timer binding lists them.
  uint32_t secure_physical_timer_intid = 29;
  uint32_t physical_timer_intid = 30;
  uint32_t virtual_timer_intid = 27;
  uint32_t hypervisor_timer_intid = 26;
  std::vector<Guest_device> devices;
  std::string bootargs;                 // empty: no /chosen/bootargs
  std::optional<Address_range> initrd;  // guest-physical; must lie in RAM
  std::string stdout_device;            // node name of a device, e.g. "pl011@9000000"; empty: no stdout-path
};

// The seed placeholders every generated tree's /chosen holds: zeros, which
// the kernel replaces with fresh random bytes each time the VM starts (or
// with FDT_NOP tokens when it has no entropy; abi::Guest_seed_entry).
// Linux credits rng-seed to its random pool and randomizes its own address
// with kaslr-seed (a u64).
inline constexpr size_t guest_rng_seed_size = 64;
inline constexpr size_t guest_kaslr_seed_size = 8;

// A placeholder in a finished tree: `offset` is where its property (the
// FDT_PROP token) starts in the tree, `size` its value's length.
struct Seed_placeholder {
  uint64_t offset = 0;
  uint32_t size = 0;
};

// /chosen's rng-seed and kaslr-seed in a finished tree (an overlay may have
// moved them) while they still hold only zeros, in offset order. A seed an
// overlay set to something else is not a placeholder; a malformed tree has
// none.
std::vector<Seed_placeholder> find_seed_placeholders(std::span<const uint8_t> tree);

// The most vCPUs a Kestrel guest may have.
inline constexpr unsigned max_guest_vcpus = 8;
// Phandles the generated tree assigns. Overlays reach these nodes by label
// instead (&gic, &apb_pclk), through the tree's __symbols__ node.
inline constexpr uint32_t guest_gic_phandle = 1;
inline constexpr uint32_t guest_clock_phandle = 2;

struct Device_tree_error {
  std::string message;  // one problem per line
};

template <typename T>
class [[nodiscard]] Device_tree_result {
 public:
  Device_tree_result(T value) : state_{std::move(value)} {}
  Device_tree_result(Device_tree_error error) : state_{std::move(error)} {}

  bool ok() const { return std::holds_alternative<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T value() && { return std::get<T>(std::move(state_)); }
  const std::string& error() const { return std::get<Device_tree_error>(state_).message; }

 private:
  std::variant<T, Device_tree_error> state_;
};

// "<name>@<first register base in lowercase hex>", the device's node name.
std::string device_node_name(const Guest_device& device);

// Validates the description (reporting every problem found, not just the
// first) and generates the tree. Same description, byte-identical DTB:
// devices are ordered by address whatever their order in the description.
Device_tree_result<Dtb> build_guest_device_tree(const Guest_description& guest);

// Applies a compiled overlay (fragment@N { target-path = "..." or target =
// <&label>; __overlay__ { ... }; }) to a tree and returns the merged tree.
// Neither input is modified; a malformed blob, a target or label missing from
// the base tree, or an overlay without fragments is an error.
Device_tree_result<Dtb> apply_overlay(std::span<const uint8_t> base_tree, std::span<const uint8_t> overlay);

struct Dtc_output {
  std::vector<uint8_t> output;  // dtc's standard output: the DTB when compiling
  std::string warnings;         // dtc's standard error when it succeeded
};

// Runs `dtc <arguments>` with `standard_input` on its standard input. Fails
// with dtc's error text when it exits unsuccessfully. Uses no files: input and
// output travel through anonymous memory files.
Device_tree_result<Dtc_output> run_dtc(const std::vector<std::string>& arguments,
                                       std::span<const uint8_t> standard_input = {});

// `dtc -@ -I dts -O dtb` on overlay source text, which dtc's messages call "<stdin>".
Device_tree_result<Dtc_output> compile_overlay_source(std::string_view dts_source);
// The same on a file, so that messages name it and its /include/s are found beside it.
Device_tree_result<Dtc_output> compile_overlay_file(const std::filesystem::path& dts_file);

}  // namespace kestrel::sysimage
