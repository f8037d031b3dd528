// SPDX-License-Identifier: Apache-2.0
// Guest device trees: validation, generation with libfdt's sequential writer, overlays and dtc.
#include <kestrel/sysimage/device_tree.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <limits>
#include <set>

#include <libfdt.h>

namespace kestrel::sysimage {
namespace {

constexpr uint32_t first_ppi = 16;
constexpr uint32_t first_spi = 32;
constexpr uint32_t last_spi = 1019;
constexpr uint64_t redistributor_frame_size = 0x20000;  // RD_base + SGI_base, 64 KiB each
constexpr uint32_t apb_clock_hz = 24'000'000;           // what QEMU's virt gives its primecells
constexpr uint32_t gic_spi_type = 0;                    // first cell of a GIC interrupt specifier
constexpr uint32_t gic_ppi_type = 1;
constexpr size_t max_tree_size = 64U << 20;  // far beyond any guest tree; stops runaway growth
constexpr const char* gic_node_basename = "interrupt-controller";
constexpr const char* clock_node_path = "/apb-pclk";

std::string hex(uint64_t value) {
  char digits[16];
  const auto end = std::to_chars(digits, digits + sizeof digits, value, 16).ptr;
  return "0x" + std::string(digits, end);
}

std::string unit_address(uint64_t value) { return hex(value).substr(2); }

uint64_t last_byte(const Address_range& range) { return range.base + (range.size - 1); }
bool wraps(const Address_range& range) {
  return range.size != 0 && range.size - 1 > std::numeric_limits<uint64_t>::max() - range.base;
}
bool contains(const Address_range& outer, const Address_range& inner) {
  return inner.base >= outer.base && last_byte(inner) <= last_byte(outer);
}

// Devicetree spec 2.2.1: 1-31 characters from this set; '@' starts the unit address.
bool is_valid_node_basename(std::string_view name) {
  return !name.empty() && name.size() <= 31 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::string_view(",._+-").find(c) != std::string_view::npos;
  });
}

// ---- validation -------------------------------------------------------------

struct Named_range {
  std::string owner;
  Address_range range;
};

void check_range(std::vector<std::string>& problems, std::vector<Named_range>& ranges, const std::string& owner,
                 const Address_range& range) {
  if (range.size == 0) {
    problems.push_back(owner + " at " + hex(range.base) + " has size 0");
  } else if (wraps(range)) {
    problems.push_back(owner + " at " + hex(range.base) + " (size " + hex(range.size) +
                       ") runs past the end of the address space");
  } else {
    ranges.push_back({owner, range});
  }
}

// Overlapping guest-physical ranges would make the guest program one device through another's registers.
void check_overlaps(std::vector<std::string>& problems, std::vector<Named_range> ranges) {
  std::sort(ranges.begin(), ranges.end(), [](const auto& a, const auto& b) { return a.range.base < b.range.base; });
  const Named_range* reaching_furthest = nullptr;
  for (const auto& current : ranges) {
    if (reaching_furthest && current.range.base <= last_byte(reaching_furthest->range)) {
      problems.push_back(reaching_furthest->owner + " at " + hex(reaching_furthest->range.base) + " and " +
                         current.owner + " at " + hex(current.range.base) + " overlap");
    }
    if (!reaching_furthest || last_byte(current.range) > last_byte(reaching_furthest->range)) {
      reaching_furthest = &current;
    }
  }
}

void check_device(std::vector<std::string>& problems, std::vector<Named_range>& ranges, const Guest_device& device) {
  const std::string label = "device '" + (device.registers.empty() ? device.name : device_node_name(device)) + "'";
  if (!is_valid_node_basename(device.name)) {
    problems.push_back(label + ": the name must be 1-31 characters from a-z A-Z 0-9 , . _ + -");
  }
  if (device.compatible.empty()) problems.push_back(label + " has no compatible string");
  for (const auto& compatible : device.compatible) {
    if (compatible.empty() || compatible.find('\0') != std::string::npos) {
      problems.push_back(label + " has an empty compatible string or one containing NUL");
    }
  }
  if (device.registers.empty()) problems.push_back(label + " has no registers");
  for (const auto& registers : device.registers) check_range(problems, ranges, label + " register range", registers);
  for (uint32_t intid : device.interrupts) {
    if (intid < first_spi || intid > last_spi) {
      problems.push_back(label + " has interrupt " + std::to_string(intid) + ", which is not an SPI (32-1019)");
    }
  }
  for (const auto& clock_name : device.clock_names) {
    if (clock_name.empty() || clock_name.find('\0') != std::string::npos) {
      problems.push_back(label + " has an empty clock name or one containing NUL");
    }
  }
}

std::vector<std::string> validate(const Guest_description& guest) {
  std::vector<std::string> problems;
  std::vector<Named_range> ranges;
  if (guest.vcpus == 0) problems.push_back("the guest has no vCPUs; it needs at least 1");
  if (guest.vcpus > max_guest_vcpus) {
    problems.push_back("the guest has " + std::to_string(guest.vcpus) + " vCPUs; at most " +
                       std::to_string(max_guest_vcpus) + " are supported");
  }
  check_range(problems, ranges, "guest RAM", guest.ram);
  check_range(problems, ranges, "the GIC distributor", guest.gic_distributor);
  check_range(problems, ranges, "the GIC redistributors", guest.gic_redistributors);
  if (guest.gic_redistributors.size != 0 && guest.gic_redistributors.size / redistributor_frame_size < guest.vcpus) {
    problems.push_back("the GIC redistributor range (size " + hex(guest.gic_redistributors.size) +
                       ") is too small for " + std::to_string(guest.vcpus) + " vCPUs: each needs " +
                       hex(redistributor_frame_size));
  }
  const std::pair<const char*, uint32_t> timers[] = {{"secure physical", guest.secure_physical_timer_intid},
                                                     {"physical", guest.physical_timer_intid},
                                                     {"virtual", guest.virtual_timer_intid},
                                                     {"hypervisor", guest.hypervisor_timer_intid}};
  for (const auto& [timer, intid] : timers) {
    if (intid < first_ppi || intid >= first_spi) {
      problems.push_back(std::string("the ") + timer + " timer interrupt " + std::to_string(intid) +
                         " is not a PPI (16-31)");
    }
  }
  if (guest.model.find('\0') != std::string::npos) problems.push_back("the model contains a NUL character");
  if (guest.bootargs.find('\0') != std::string::npos) problems.push_back("bootargs contain a NUL character");

  std::set<std::string> node_names;
  for (const auto& device : guest.devices) {
    check_device(problems, ranges, device);
    if (!device.registers.empty() && !node_names.insert(device_node_name(device)).second) {
      problems.push_back("two devices have the node name '" + device_node_name(device) + "'");
    }
  }
  check_overlaps(problems, std::move(ranges));

  if (guest.initrd) {
    if (guest.initrd->size == 0) {
      problems.push_back("the initrd at " + hex(guest.initrd->base) + " has size 0");
    } else if (wraps(*guest.initrd) || guest.ram.size == 0 || wraps(guest.ram) || !contains(guest.ram, *guest.initrd)) {
      problems.push_back("the initrd at " + hex(guest.initrd->base) + " (size " + hex(guest.initrd->size) +
                         ") is not inside guest RAM");
    }
  }
  if (!guest.stdout_device.empty() && !node_names.contains(guest.stdout_device)) {
    problems.push_back("stdout device '" + guest.stdout_device + "' is not the node name of any device");
  }
  return problems;
}

// ---- generation ---------------------------------------------------------------

// libfdt's sequential writer over a buffer that grows when libfdt runs out of
// room. The first error sticks, so generation code need not check each call.
class Fdt_writer {
 public:
  Fdt_writer() : buffer_(16 * 1024) {
    step([&](void* fdt) { return fdt_create(fdt, static_cast<int>(buffer_.size())); });
    step([](void* fdt) { return fdt_finish_reservemap(fdt); });
  }

  void begin_node(const std::string& name) {
    step([&](void* fdt) { return fdt_begin_node(fdt, name.c_str()); });
  }
  void end_node() {
    step([](void* fdt) { return fdt_end_node(fdt); });
  }
  void property(const char* name, const void* value, size_t length) {
    step([&](void* fdt) { return fdt_property(fdt, name, value, static_cast<int>(length)); });
  }
  void empty_property(const char* name) { property(name, nullptr, 0); }
  void string_property(const char* name, const std::string& value) { property(name, value.c_str(), value.size() + 1); }
  // A string list: each string NUL-terminated, one after the other.
  void strings_property(const char* name, const std::vector<std::string>& values) {
    std::string list;
    for (const auto& value : values) list.append(value).push_back('\0');
    property(name, list.data(), list.size());
  }
  void cells_property(const char* name, const std::vector<uint32_t>& values) {
    std::vector<fdt32_t> cells;
    for (uint32_t value : values) cells.push_back(cpu_to_fdt32(value));
    property(name, cells.data(), cells.size() * sizeof(fdt32_t));
  }
  void u32_property(const char* name, uint32_t value) { cells_property(name, {value}); }
  void u64_property(const char* name, uint64_t value) {
    const fdt64_t big_endian = cpu_to_fdt64(value);
    property(name, &big_endian, sizeof big_endian);
  }

  Device_tree_result<Dtb> finish() {
    step([](void* fdt) { return fdt_finish(fdt); });
    if (status_ != 0)
      return Device_tree_error{std::string("libfdt could not build the tree: ") + fdt_strerror(status_)};
    buffer_.resize(fdt_totalsize(buffer_.data()));
    return std::move(buffer_);
  }

 private:
  template <typename Write>
  void step(Write&& write) {
    if (status_ != 0) return;
    int result = write(buffer_.data());
    while (result == -FDT_ERR_NOSPACE && buffer_.size() < max_tree_size) {
      std::vector<uint8_t> larger(buffer_.size() * 2);
      result = fdt_resize(buffer_.data(), larger.data(), static_cast<int>(larger.size()));
      if (result != 0) break;
      buffer_.swap(larger);
      result = write(buffer_.data());
    }
    status_ = result;
  }

  std::vector<uint8_t> buffer_;
  int status_ = 0;
};

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
  writer.end_node();
}

}  // namespace

std::string device_node_name(const Guest_device& device) {
  return device.name + "@" + unit_address(device.registers.empty() ? 0 : device.registers.front().base);
}

Device_tree_result<Dtb> build_guest_device_tree(const Guest_description& guest) {
  if (const auto problems = validate(guest); !problems.empty()) {
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

// ---- overlays -------------------------------------------------------------------

namespace {

// libfdt trusts what it reads, so every blob is checked in full first; the
// copy also gives libfdt the 8-byte alignment it requires.
Device_tree_result<Dtb> checked_copy(std::span<const uint8_t> blob, const char* what) {
  Dtb copy(blob.begin(), blob.end());
  const int status = copy.size() < sizeof(fdt_header) ? -FDT_ERR_TRUNCATED : fdt_check_full(copy.data(), copy.size());
  if (status != 0) return Device_tree_error{std::string("malformed ") + what + ": " + fdt_strerror(status)};
  return copy;
}

std::string property_string(const void* fdt, int node, const char* name) {
  int length = 0;
  const auto* value = static_cast<const char*>(fdt_getprop(fdt, node, name, &length));
  return value && length > 0 ? std::string(value, strnlen(value, static_cast<size_t>(length))) : std::string();
}

// fdt_overlay_apply says only FDT_ERR_NOTFOUND; these checks name the missing target or label.
std::string overlay_target_problem(const Dtb& base, const Dtb& overlay) {
  int fragments = 0;
  int fragment = 0;
  fdt_for_each_subnode(fragment, overlay.data(), 0) {
    if (fdt_subnode_offset(overlay.data(), fragment, "__overlay__") < 0) continue;
    ++fragments;
    const std::string name = fdt_get_name(overlay.data(), fragment, nullptr);
    if (fdt_getprop(overlay.data(), fragment, "target-path", nullptr)) {
      const std::string path = property_string(overlay.data(), fragment, "target-path");
      if (fdt_path_offset(base.data(), path.c_str()) < 0) {
        return "overlay target '" + path + "' (" + name + ") not found in the guest device tree";
      }
    } else if (!fdt_getprop(overlay.data(), fragment, "target", nullptr)) {
      return "malformed overlay: " + name + " has neither target nor target-path";
    }
  }
  if (fragments == 0) return "malformed overlay: no fragment has an __overlay__ node (is the source a /plugin/?)";

  // Labels the overlay uses (target = <&label>, or a phandle in a property) must be in the base's __symbols__.
  const int fixups = fdt_path_offset(overlay.data(), "/__fixups__");
  const int symbols = fdt_path_offset(base.data(), "/__symbols__");
  int property = 0;
  if (fixups < 0) return {};
  fdt_for_each_property_offset(property, overlay.data(), fixups) {
    const char* label = nullptr;
    fdt_getprop_by_offset(overlay.data(), property, &label, nullptr);
    if (!label || (symbols >= 0 && fdt_getprop(base.data(), symbols, label, nullptr))) continue;
    std::string known;
    int symbol = 0;
    fdt_for_each_property_offset(symbol, base.data(), symbols) {
      const char* name = nullptr;
      fdt_getprop_by_offset(base.data(), symbol, &name, nullptr);
      known += std::string(known.empty() ? "" : ", ") + "&" + name;
    }
    return "overlay label '&" + std::string(label) + "' not found in the guest device tree (it has " +
           (known.empty() ? "none" : known) + ")";
  }
  return {};
}

}  // namespace

Device_tree_result<Dtb> apply_overlay(std::span<const uint8_t> base_tree, std::span<const uint8_t> overlay) {
  auto base = checked_copy(base_tree, "base device tree");
  if (!base.ok()) return base;
  auto checked_overlay = checked_copy(overlay, "overlay");
  if (!checked_overlay.ok()) return checked_overlay;
  if (auto problem = overlay_target_problem(base.value(), checked_overlay.value()); !problem.empty()) {
    return Device_tree_error{problem};
  }
  // fdt_overlay_apply needs room to grow in and scribbles on both trees even
  // when it fails, so each attempt works on fresh copies.
  for (size_t size = base.value().size() + overlay.size() + 4096; size <= max_tree_size; size *= 2) {
    Dtb merged(size);
    Dtb overlay_scratch = checked_overlay.value();
    int status = fdt_open_into(base.value().data(), merged.data(), static_cast<int>(size));
    if (status == 0) status = fdt_overlay_apply(merged.data(), overlay_scratch.data());
    if (status == -FDT_ERR_NOSPACE) continue;
    if (status != 0) return Device_tree_error{std::string("cannot apply the overlay: ") + fdt_strerror(status)};
    fdt_pack(merged.data());
    merged.resize(fdt_totalsize(merged.data()));
    return merged;
  }
  return Device_tree_error{"cannot apply the overlay: the merged tree would exceed " + hex(max_tree_size) + " bytes"};
}

// ---- dtc ------------------------------------------------------------------------

namespace {

class Owned_fd {
 public:
  explicit Owned_fd(int fd) : fd_{fd} {}
  Owned_fd(const Owned_fd&) = delete;
  Owned_fd& operator=(const Owned_fd&) = delete;
  ~Owned_fd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

bool write_all(int fd, std::span<const uint8_t> bytes) {
  while (!bytes.empty()) {
    const ssize_t written = write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes = bytes.subspan(static_cast<size_t>(written));
  }
  return true;
}

std::vector<uint8_t> read_from_start(int fd) {
  std::vector<uint8_t> bytes;
  uint8_t chunk[4096];
  for (off_t offset = 0;;) {
    const ssize_t count = pread(fd, chunk, sizeof chunk, offset);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) break;
    bytes.insert(bytes.end(), chunk, chunk + count);
    offset += count;
  }
  return bytes;
}

}  // namespace

Device_tree_result<Dtc_output> run_dtc(const std::vector<std::string>& arguments,
                                       std::span<const uint8_t> standard_input) {
  // Anonymous memory files: no temporary files to clean up, and no pipe to
  // deadlock on if dtc writes a lot before reading all of its input.
  Owned_fd input{memfd_create("dtc-input", MFD_CLOEXEC)};
  Owned_fd output{memfd_create("dtc-output", MFD_CLOEXEC)};
  Owned_fd errors{memfd_create("dtc-errors", MFD_CLOEXEC)};
  if (input.get() < 0 || output.get() < 0 || errors.get() < 0) return Device_tree_error{errno_text("memfd_create")};
  if (!write_all(input.get(), standard_input) || lseek(input.get(), 0, SEEK_SET) != 0) {
    return Device_tree_error{errno_text("cannot write dtc's input")};
  }
  int exec_error_pipe[2];  // carries errno if exec fails; a successful exec closes it
  if (pipe2(exec_error_pipe, O_CLOEXEC) != 0) return Device_tree_error{errno_text("cannot create a pipe")};
  Owned_fd exec_error_reader{exec_error_pipe[0]};
  std::vector<std::string> command{"dtc"};
  command.insert(command.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& argument : command) argv.push_back(argument.data());
  argv.push_back(nullptr);

  const pid_t child = fork();
  if (child < 0) {
    close(exec_error_pipe[1]);
    return Device_tree_error{errno_text("cannot fork")};
  }
  if (child == 0) {
    dup2(input.get(), STDIN_FILENO);  // dup2 clears close-on-exec on the copies
    dup2(output.get(), STDOUT_FILENO);
    dup2(errors.get(), STDERR_FILENO);
    execvp(argv[0], argv.data());
    const int error = errno;
    (void)!write(exec_error_pipe[1], &error, sizeof error);
    _exit(127);
  }
  close(exec_error_pipe[1]);
  int exec_errno = 0;
  ssize_t got = 0;
  do got = read(exec_error_reader.get(), &exec_errno, sizeof exec_errno);
  while (got < 0 && errno == EINTR);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (got == sizeof exec_errno) {
    return Device_tree_error{std::string("cannot run dtc (package device-tree-compiler): ") +
                             std::strerror(exec_errno)};
  }
  const auto error_bytes = read_from_start(errors.get());
  std::string error_text(error_bytes.begin(), error_bytes.end());
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    while (!error_text.empty() && error_text.back() == '\n') error_text.pop_back();
    if (error_text.empty()) error_text = "dtc failed (wait status " + std::to_string(status) + ")";
    return Device_tree_error{error_text};
  }
  return Dtc_output{read_from_start(output.get()), error_text};
}

Device_tree_result<Dtc_output> compile_overlay_source(std::string_view dts_source) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(dts_source.data());
  return run_dtc({"-@", "-I", "dts", "-O", "dtb", "-o", "-", "-"}, {bytes, dts_source.size()});
}

Device_tree_result<Dtc_output> compile_overlay_file(const std::filesystem::path& dts_file) {
  return run_dtc({"-@", "-I", "dts", "-O", "dtb", "-o", "-", "--", dts_file.string()});
}

std::vector<Seed_placeholder> find_seed_placeholders(std::span<const uint8_t> tree) {
  std::vector<Seed_placeholder> found;
  if (tree.size() < sizeof(fdt_header) || fdt_check_full(tree.data(), tree.size()) != 0) return found;
  const int chosen = fdt_path_offset(tree.data(), "/chosen");
  if (chosen < 0) return found;
  for (const char* name : {"rng-seed", "kaslr-seed"}) {
    int length = 0;
    const struct fdt_property* property = fdt_get_property(tree.data(), chosen, name, &length);
    if (property == nullptr || length <= 0) continue;
    const auto* value = reinterpret_cast<const uint8_t*>(property->data);
    // An overlay that put a seed of its own there chose it: leave it.
    if (!std::all_of(value, value + length, [](uint8_t byte) { return byte == 0; })) continue;
    found.push_back({static_cast<uint64_t>(reinterpret_cast<const uint8_t*>(property) - tree.data()),
                     static_cast<uint32_t>(length)});
  }
  std::sort(found.begin(), found.end(),
            [](const Seed_placeholder& a, const Seed_placeholder& b) { return a.offset < b.offset; });
  return found;
}

}  // namespace kestrel::sysimage
