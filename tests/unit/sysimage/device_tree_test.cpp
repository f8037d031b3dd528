// SPDX-License-Identifier: Apache-2.0
// Guest device tree tests: every generated property read back with libfdt, validation, overlays and dtc.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <tuple>

#include <libfdt.h>
#include <kestrel/sysimage/device_tree.hpp>

using namespace kestrel::sysimage;

namespace {

constexpr uint32_t pl011_intid = 33;   // SPI 1
constexpr uint32_t virtio_intid = 48;  // SPI 16

Guest_description two_cpu_guest() {
  Guest_description guest;
  guest.model = "Kestrel guest";
  guest.ram = {0x40000000, 256U << 20};
  guest.vcpus = 2;
  guest.gic_distributor = {0x08000000, 0x10000};
  guest.gic_redistributors = {0x080a0000, 0xf60000};
  guest.devices.push_back({.name = "virtio_mmio",
                           .compatible = {"virtio,mmio"},
                           .registers = {{0x0a000000, 0x200}},
                           .interrupts = {virtio_intid},
                           .dma_coherent = true});
  guest.devices.push_back({.name = "pl011",
                           .compatible = {"arm,pl011", "arm,primecell"},
                           .registers = {{0x09000000, 0x1000}},
                           .interrupts = {pl011_intid},
                           .clock_names = {"uartclk", "apb_pclk"}});
  guest.bootargs = "console=ttyAMA0 earlycon root=/dev/vda";
  guest.initrd = Address_range{0x48000000, 0x00200000};
  guest.stdout_device = "pl011@9000000";
  return guest;
}

Dtb build(const Guest_description& guest) {
  auto result = build_guest_device_tree(guest);
  EXPECT_TRUE(result.ok()) << result.error();
  return result.ok() ? std::move(result).value() : Dtb{};
}

std::string build_error(const Guest_description& guest) {
  const auto result = build_guest_device_tree(guest);
  EXPECT_FALSE(result.ok());
  return result.ok() ? std::string() : result.error();
}

// A property's raw bytes; nullopt if the node or the property is missing.
std::optional<std::string> property(const Dtb& dtb, const char* path, const char* name) {
  const int node = fdt_path_offset(dtb.data(), path);
  if (node < 0) return std::nullopt;
  int length = 0;
  const auto* value = static_cast<const char*>(fdt_getprop(dtb.data(), node, name, &length));
  if (!value) return std::nullopt;
  return std::string(value, static_cast<size_t>(length));
}

std::vector<uint32_t> cells(const Dtb& dtb, const char* path, const char* name) {
  const auto bytes = property(dtb, path, name).value_or("");
  std::vector<uint32_t> values(bytes.size() / sizeof(uint32_t));
  for (size_t i = 0; i < values.size(); ++i) {
    fdt32_t cell;
    std::memcpy(&cell, bytes.data() + i * sizeof cell, sizeof cell);
    values[i] = fdt32_to_cpu(cell);
  }
  return values;
}

// A string or string-list property, split at its NULs.
std::vector<std::string> strings(const Dtb& dtb, const char* path, const char* name) {
  const auto bytes = property(dtb, path, name).value_or("");
  std::vector<std::string> values;
  for (size_t start = 0; start < bytes.size();) {
    const size_t end = bytes.find('\0', start);
    values.push_back(bytes.substr(start, end - start));
    start = end + 1;
  }
  return values;
}

std::optional<uint64_t> u64(const Dtb& dtb, const char* path, const char* name) {
  const auto bytes = property(dtb, path, name);
  if (!bytes || bytes->size() != sizeof(uint64_t)) return std::nullopt;
  fdt64_t value;
  std::memcpy(&value, bytes->data(), sizeof value);
  return fdt64_to_cpu(value);
}

Dtb compile(std::string_view source) {
  auto result = compile_overlay_source(source);
  EXPECT_TRUE(result.ok()) << result.error();
  return result.ok() ? std::move(result).value().output : Dtb{};
}

}  // namespace

TEST(GuestDeviceTree, IsAValidTreeWithLinuxDummyVirtRoot) {
  const Dtb dtb = build(two_cpu_guest());
  ASSERT_EQ(fdt_check_header(dtb.data()), 0);
  ASSERT_EQ(fdt_check_full(dtb.data(), dtb.size()), 0);
  EXPECT_EQ(fdt_totalsize(dtb.data()), dtb.size());
  EXPECT_EQ(cells(dtb, "/", "#address-cells"), std::vector<uint32_t>{2});
  EXPECT_EQ(cells(dtb, "/", "#size-cells"), std::vector<uint32_t>{2});
  EXPECT_EQ(strings(dtb, "/", "compatible"), std::vector<std::string>{"linux,dummy-virt"});
  EXPECT_EQ(strings(dtb, "/", "model"), std::vector<std::string>{"Kestrel guest"});
}

TEST(GuestDeviceTree, MemoryNodeCoversGuestRam) {
  const Dtb dtb = build(two_cpu_guest());
  EXPECT_EQ(strings(dtb, "/memory@40000000", "device_type"), std::vector<std::string>{"memory"});
  EXPECT_EQ(cells(dtb, "/memory@40000000", "reg"), (std::vector<uint32_t>{0, 0x40000000, 0, 0x10000000}));
}

TEST(GuestDeviceTree, OneCpuNodePerVcpuStartedThroughPsci) {
  const Dtb dtb = build(two_cpu_guest());
  EXPECT_EQ(cells(dtb, "/cpus", "#address-cells"), std::vector<uint32_t>{1});
  EXPECT_EQ(cells(dtb, "/cpus", "#size-cells"), std::vector<uint32_t>{0});
  for (uint32_t cpu : {0U, 1U}) {
    const std::string path = "/cpus/cpu@" + std::to_string(cpu);
    SCOPED_TRACE(path);
    EXPECT_EQ(strings(dtb, path.c_str(), "device_type"), std::vector<std::string>{"cpu"});
    EXPECT_EQ(strings(dtb, path.c_str(), "compatible"), std::vector<std::string>{"arm,armv8"});
    EXPECT_EQ(cells(dtb, path.c_str(), "reg"), std::vector<uint32_t>{cpu});
    EXPECT_EQ(strings(dtb, path.c_str(), "enable-method"), std::vector<std::string>{"psci"});
  }
  EXPECT_LT(fdt_path_offset(dtb.data(), "/cpus/cpu@2"), 0);
}

TEST(GuestDeviceTree, PsciUsesHvc) {
  const Dtb dtb = build(two_cpu_guest());
  EXPECT_EQ(strings(dtb, "/psci", "compatible"), (std::vector<std::string>{"arm,psci-1.0", "arm,psci-0.2"}));
  EXPECT_EQ(strings(dtb, "/psci", "method"), std::vector<std::string>{"hvc"});
}

TEST(GuestDeviceTree, RootInterruptParentIsTheGicV3) {
  const Dtb dtb = build(two_cpu_guest());
  const auto parent = cells(dtb, "/", "interrupt-parent");
  ASSERT_EQ(parent.size(), 1U);
  const int gic = fdt_node_offset_by_phandle(dtb.data(), parent[0]);
  ASSERT_GE(gic, 0);
  EXPECT_EQ(std::string(fdt_get_name(dtb.data(), gic, nullptr)), "interrupt-controller@8000000");
  EXPECT_EQ(fdt_node_check_compatible(dtb.data(), gic, "arm,gic-v3"), 0);
  const char* path = "/interrupt-controller@8000000";
  EXPECT_EQ(cells(dtb, path, "#interrupt-cells"), std::vector<uint32_t>{3});
  EXPECT_EQ(property(dtb, path, "interrupt-controller"), std::string());
  EXPECT_EQ(cells(dtb, path, "reg"), (std::vector<uint32_t>{0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0xf60000}));
  EXPECT_EQ(cells(dtb, path, "phandle"), std::vector<uint32_t>{guest_gic_phandle});
}

TEST(GuestDeviceTree, TimerListsFourPpisLevelHighInBindingOrder) {
  const Dtb dtb = build(two_cpu_guest());
  EXPECT_EQ(strings(dtb, "/timer", "compatible"), std::vector<std::string>{"arm,armv8-timer"});
  // <1 (PPI) INTID-16 4 (level-high)>: secure 29, physical 30, virtual 27, hypervisor 26.
  EXPECT_EQ(cells(dtb, "/timer", "interrupts"), (std::vector<uint32_t>{1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4}));
}

TEST(GuestDeviceTree, VirtioMmioNodeHasSpiAndIsDmaCoherent) {
  const Dtb dtb = build(two_cpu_guest());
  const char* path = "/virtio_mmio@a000000";
  EXPECT_EQ(strings(dtb, path, "compatible"), std::vector<std::string>{"virtio,mmio"});
  EXPECT_EQ(cells(dtb, path, "reg"), (std::vector<uint32_t>{0, 0x0a000000, 0, 0x200}));
  EXPECT_EQ(cells(dtb, path, "interrupts"), (std::vector<uint32_t>{0, virtio_intid - 32, 4}));
  EXPECT_EQ(property(dtb, path, "dma-coherent"), std::string());
  EXPECT_EQ(property(dtb, path, "clocks"), std::nullopt);
}

TEST(GuestDeviceTree, Pl011NodeHasSpiAndTheApbClock) {
  const Dtb dtb = build(two_cpu_guest());
  const char* path = "/pl011@9000000";
  EXPECT_EQ(strings(dtb, path, "compatible"), (std::vector<std::string>{"arm,pl011", "arm,primecell"}));
  EXPECT_EQ(cells(dtb, path, "reg"), (std::vector<uint32_t>{0, 0x09000000, 0, 0x1000}));
  EXPECT_EQ(cells(dtb, path, "interrupts"), (std::vector<uint32_t>{0, pl011_intid - 32, 4}));
  EXPECT_EQ(cells(dtb, path, "clocks"), (std::vector<uint32_t>{guest_clock_phandle, guest_clock_phandle}));
  EXPECT_EQ(strings(dtb, path, "clock-names"), (std::vector<std::string>{"uartclk", "apb_pclk"}));
  EXPECT_EQ(property(dtb, path, "dma-coherent"), std::nullopt);
  const int clock = fdt_node_offset_by_phandle(dtb.data(), guest_clock_phandle);
  ASSERT_GE(clock, 0);
  EXPECT_EQ(fdt_node_check_compatible(dtb.data(), clock, "fixed-clock"), 0);
  EXPECT_EQ(cells(dtb, "/apb-pclk", "clock-frequency"), std::vector<uint32_t>{24'000'000});
  EXPECT_EQ(cells(dtb, "/apb-pclk", "#clock-cells"), std::vector<uint32_t>{0});
}

TEST(GuestDeviceTree, EdgeTriggerIsEncodedWhenAsked) {
  auto guest = two_cpu_guest();
  guest.devices[0].trigger = Interrupt_trigger::edge_rising;  // what QEMU's own virt gives virtio-mmio
  const Dtb dtb = build(guest);
  EXPECT_EQ(cells(dtb, "/virtio_mmio@a000000", "interrupts"), (std::vector<uint32_t>{0, virtio_intid - 32, 1}));
}

// How the image builder describes a VM's tunnel (docs/ipcm.md, "The VM end
// of a tunnel"): a node with Kestrel's own properties, and a node without
// interrupts for the control page.
TEST(GuestDeviceTree, DevicesCarryTheirOwnPropertiesAndMayHaveNoInterrupt) {
  auto guest = two_cpu_guest();
  guest.devices.push_back({.name = "tunnel",
                           .compatible = {"kestrel,tunnel"},
                           .registers = {{0x60000000, 0x1000}},
                           .interrupts = {34},
                           .trigger = Interrupt_trigger::edge_rising,
                           .u32_properties = {{"kestrel,tunnel-id", 3}},
                           .string_properties = {{"kestrel,tunnel-name", "door"}}});
  guest.devices.push_back(
      {.name = "tunnel-control", .compatible = {"kestrel,tunnel-control"}, .registers = {{0x60001000, 0x1000}}});
  const Dtb dtb = build(guest);
  EXPECT_EQ(cells(dtb, "/tunnel@60000000", "kestrel,tunnel-id"), std::vector<uint32_t>{3});
  EXPECT_EQ(strings(dtb, "/tunnel@60000000", "kestrel,tunnel-name"), std::vector<std::string>{"door"});
  EXPECT_EQ(cells(dtb, "/tunnel@60000000", "interrupts"), (std::vector<uint32_t>{0, 2, 1}));
  EXPECT_EQ(strings(dtb, "/tunnel-control@60001000", "compatible"), std::vector<std::string>{"kestrel,tunnel-control"});
  EXPECT_EQ(property(dtb, "/tunnel-control@60001000", "interrupts"), std::nullopt);
}

TEST(GuestDeviceTree, ChosenHasBootargsInitrdAndStdoutPath) {
  const Dtb dtb = build(two_cpu_guest());
  EXPECT_EQ(strings(dtb, "/chosen", "bootargs"), std::vector<std::string>{"console=ttyAMA0 earlycon root=/dev/vda"});
  EXPECT_EQ(u64(dtb, "/chosen", "linux,initrd-start"), 0x48000000U);
  EXPECT_EQ(u64(dtb, "/chosen", "linux,initrd-end"), 0x48200000U);
  EXPECT_EQ(strings(dtb, "/chosen", "stdout-path"), std::vector<std::string>{"/pl011@9000000"});
  EXPECT_GE(fdt_path_offset(dtb.data(), strings(dtb, "/chosen", "stdout-path").at(0).c_str()), 0);
}

TEST(GuestDeviceTree, InitrdAbove4GiBKeepsTheHighWord) {
  auto guest = two_cpu_guest();
  guest.ram = {0x8'0000'0000, 1U << 30};
  guest.initrd = Address_range{0x8'1000'0000, 0x1234'5000};
  const Dtb dtb = build(guest);
  EXPECT_EQ(u64(dtb, "/chosen", "linux,initrd-start"), 0x8'1000'0000U);
  EXPECT_EQ(u64(dtb, "/chosen", "linux,initrd-end"), 0x8'2234'5000U);
  EXPECT_EQ(cells(dtb, "/memory@800000000", "reg"), (std::vector<uint32_t>{8, 0, 0, 0x40000000}));
}

TEST(GuestDeviceTree, OptionalChosenPropertiesAndClockAreOmitted) {
  auto guest = two_cpu_guest();
  guest.bootargs.clear();
  guest.initrd.reset();
  guest.stdout_device.clear();
  guest.devices.pop_back();  // the PL011, the only device with clocks
  const Dtb dtb = build(guest);
  EXPECT_GE(fdt_path_offset(dtb.data(), "/chosen"), 0);
  for (const char* name : {"bootargs", "linux,initrd-start", "linux,initrd-end", "stdout-path"}) {
    EXPECT_EQ(property(dtb, "/chosen", name), std::nullopt) << name;
  }
  EXPECT_LT(fdt_path_offset(dtb.data(), "/apb-pclk"), 0);
}

TEST(GuestDeviceTree, DtcDecompilesItWithoutWarnings) {
  const Dtb dtb = build(two_cpu_guest());
  const auto decompiled = run_dtc({"-I", "dtb", "-O", "dts", "-o", "-", "-"}, dtb);
  ASSERT_TRUE(decompiled.ok()) << decompiled.error();
  EXPECT_EQ(decompiled.value().warnings, "");
  const std::string dts(decompiled.value().output.begin(), decompiled.value().output.end());
  EXPECT_NE(dts.find("compatible = \"arm,gic-v3\";"), std::string::npos) << dts;
}

TEST(GuestDeviceTree, IdenticalInputGivesIdenticalBytesWhateverTheDeviceOrder) {
  const auto guest = two_cpu_guest();
  auto reordered = guest;
  std::swap(reordered.devices[0], reordered.devices[1]);
  EXPECT_EQ(build(guest), build(guest));
  EXPECT_EQ(build(guest), build(reordered));
}

TEST(GuestDeviceTreeValidation, RejectsZeroVcpus) {
  auto guest = two_cpu_guest();
  guest.vcpus = 0;
  EXPECT_EQ(build_error(guest), "the guest has no vCPUs; it needs at least 1");
}

TEST(GuestDeviceTreeValidation, RejectsMoreThanEightVcpus) {
  auto guest = two_cpu_guest();
  guest.vcpus = 8;
  EXPECT_TRUE(build_guest_device_tree(guest).ok());
  guest.vcpus = 9;
  EXPECT_EQ(build_error(guest), "the guest has 9 vCPUs; at most 8 are supported");
}

TEST(GuestDeviceTreeValidation, RejectsZeroSizedRam) {
  auto guest = two_cpu_guest();
  guest.ram.size = 0;
  guest.initrd.reset();
  EXPECT_EQ(build_error(guest), "guest RAM at 0x40000000 has size 0");
}

TEST(GuestDeviceTreeValidation, RejectsADeviceWithoutRegisters) {
  auto guest = two_cpu_guest();
  guest.devices[0].registers.clear();
  EXPECT_EQ(build_error(guest), "device 'virtio_mmio' has no registers");
}

TEST(GuestDeviceTreeValidation, RejectsInterruptsThatAreNotSpis) {
  auto guest = two_cpu_guest();
  guest.devices[1].interrupts = {27, 1020};
  EXPECT_EQ(build_error(guest),
            "device 'pl011@9000000' has interrupt 27, which is not an SPI (32-1019)\n"
            "device 'pl011@9000000' has interrupt 1020, which is not an SPI (32-1019)");
}

TEST(GuestDeviceTreeValidation, RejectsDuplicateNodeNames) {
  auto guest = two_cpu_guest();
  guest.devices.push_back(guest.devices[0]);
  const std::string error = build_error(guest);
  EXPECT_NE(error.find("two devices have the node name 'virtio_mmio@a000000'"), std::string::npos) << error;
}

TEST(GuestDeviceTreeValidation, RejectsOverlappingRanges) {
  auto guest = two_cpu_guest();
  guest.devices[0].registers = {{0x08000800, 0x200}};
  EXPECT_EQ(build_error(guest),
            "the GIC distributor at 0x8000000 and device 'virtio_mmio@8000800' register range at 0x8000800 overlap");
}

TEST(GuestDeviceTreeValidation, RejectsARedistributorRangeTooSmallForTheVcpus) {
  auto guest = two_cpu_guest();
  guest.gic_redistributors.size = 0x20000;
  EXPECT_EQ(build_error(guest),
            "the GIC redistributor range (size 0x20000) is too small for 2 vCPUs: each needs 0x20000");
}

TEST(GuestDeviceTreeValidation, RejectsAnInitrdOutsideRamAndAnUnknownStdoutDevice) {
  auto guest = two_cpu_guest();
  guest.initrd = Address_range{0x4ff00000, 0x200000};
  guest.stdout_device = "uart0";
  EXPECT_EQ(build_error(guest),
            "the initrd at 0x4ff00000 (size 0x200000) is not inside guest RAM\n"
            "stdout device 'uart0' is not the node name of any device");
}

TEST(GuestDeviceTreeValidation, ReportsEveryProblemAtOnce) {
  auto guest = two_cpu_guest();
  guest.vcpus = 0;
  guest.virtual_timer_intid = 40;
  guest.devices[1].name = "bad name";
  guest.devices[1].compatible.clear();
  EXPECT_EQ(build_error(guest),
            "the guest has no vCPUs; it needs at least 1\n"
            "the virtual timer interrupt 40 is not a PPI (16-31)\n"
            "device 'bad name@9000000': the name must be 1-31 characters from a-z A-Z 0-9 , . _ + -\n"
            "device 'bad name@9000000' has no compatible string\n"
            "stdout device 'pl011@9000000' is not the node name of any device");
}

TEST(DeviceTreeOverlay, AddsANodeAndAProperty) {
  const Dtb base = build(two_cpu_guest());
  const Dtb overlay = compile(R"(/dts-v1/;
/plugin/;
/ {
  fragment@0 {
    target-path = "/";
    __overlay__ {
      kestrel-test@a100000 { compatible = "kestrel,test"; reg = <0x0 0xa100000 0x0 0x1000>; };
    };
  };
  fragment@1 {
    target-path = "/chosen";
    __overlay__ { kestrel,extra = "yes"; };
  };
};
)");
  const auto merged = apply_overlay(base, overlay);
  ASSERT_TRUE(merged.ok()) << merged.error();
  const Dtb& dtb = merged.value();
  EXPECT_EQ(fdt_check_full(dtb.data(), dtb.size()), 0);
  EXPECT_EQ(strings(dtb, "/kestrel-test@a100000", "compatible"), std::vector<std::string>{"kestrel,test"});
  EXPECT_EQ(strings(dtb, "/chosen", "kestrel,extra"), std::vector<std::string>{"yes"});
  // The generated content is still there.
  EXPECT_EQ(strings(dtb, "/chosen", "bootargs"), std::vector<std::string>{"console=ttyAMA0 earlycon root=/dev/vda"});
  EXPECT_EQ(cells(dtb, "/", "interrupt-parent"), std::vector<uint32_t>{guest_gic_phandle});
}

TEST(DeviceTreeOverlay, ReachesTheGicByLabel) {
  const auto merged =
      apply_overlay(build(two_cpu_guest()), compile("/dts-v1/;\n/plugin/;\n&gic { kestrel,note = \"x\"; };\n"));
  ASSERT_TRUE(merged.ok()) << merged.error();
  EXPECT_EQ(strings(merged.value(), "/interrupt-controller@8000000", "kestrel,note"), std::vector<std::string>{"x"});
}

TEST(DeviceTreeOverlay, MalformedOverlaysAreErrors) {
  const Dtb base = build(two_cpu_guest());
  const Dtb garbage(200, 0xa5);
  EXPECT_EQ(apply_overlay(base, garbage).error(), "malformed overlay: FDT_ERR_BADMAGIC");
  EXPECT_EQ(apply_overlay(base, {}).error(), "malformed overlay: FDT_ERR_TRUNCATED");
  Dtb truncated = compile("/dts-v1/;\n/plugin/;\n&{/chosen} { a = \"b\"; };\n");
  truncated.resize(truncated.size() / 2);
  EXPECT_EQ(apply_overlay(base, truncated).error(), "malformed overlay: FDT_ERR_TRUNCATED");
  // A plain tree has no fragments: applying it would silently do nothing.
  EXPECT_EQ(apply_overlay(base, base).error(),
            "malformed overlay: no fragment has an __overlay__ node (is the source a /plugin/?)");
  EXPECT_EQ(apply_overlay(garbage, base).error(), "malformed base device tree: FDT_ERR_BADMAGIC");
}

TEST(DeviceTreeOverlay, MissingTargetsAreErrors) {
  const Dtb base = build(two_cpu_guest());
  EXPECT_EQ(apply_overlay(base, compile("/dts-v1/;\n/plugin/;\n&{/no-such-node} { a = \"b\"; };\n")).error(),
            "overlay target '/no-such-node' (fragment@0) not found in the guest device tree");
  EXPECT_EQ(apply_overlay(base, compile("/dts-v1/;\n/plugin/;\n&no_such_label { a = \"b\"; };\n")).error(),
            "overlay label '&no_such_label' not found in the guest device tree (it has &gic, &apb_pclk)");
}

TEST(Dtc, CompilesOverlaySourceToAnOverlayBlob) {
  const auto compiled = compile_overlay_source("/dts-v1/;\n/plugin/;\n&{/chosen} { a = \"b\"; };\n");
  ASSERT_TRUE(compiled.ok()) << compiled.error();
  const Dtb& dtb = compiled.value().output;
  ASSERT_EQ(fdt_check_full(dtb.data(), dtb.size()), 0);
  EXPECT_EQ(strings(dtb, "/fragment@0", "target-path"), std::vector<std::string>{"/chosen"});
  EXPECT_EQ(strings(dtb, "/fragment@0/__overlay__", "a"), std::vector<std::string>{"b"});
}

TEST(Dtc, ReturnsDtcsErrorText) {
  const auto compiled = compile_overlay_source("/dts-v1/;\n/plugin/;\n&{/chosen} { a = ; };\n");
  ASSERT_FALSE(compiled.ok());
  EXPECT_NE(compiled.error().find("<stdin>:3"), std::string::npos) << compiled.error();
  EXPECT_NE(compiled.error().find("syntax error"), std::string::npos) << compiled.error();
}

TEST(Dtc, AMissingDtcIsAnError) {
  const char* path = getenv("PATH");
  const std::string saved_path = path ? path : "/usr/bin:/bin";
  setenv("PATH", "/nonexistent", 1);
  const auto compiled = compile_overlay_source("/dts-v1/;\n/plugin/;\n");
  setenv("PATH", saved_path.c_str(), 1);
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.error(), "cannot run dtc (package device-tree-compiler): No such file or directory");
}

TEST(Dtc, CompilesAFileAndNamesItInErrors) {
  const auto directory = std::filesystem::temp_directory_path() / ("kestrel-dtc-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(directory);
  const auto good = directory / "good.dts";
  const auto bad = directory / "bad.dts";
  std::ofstream(good) << "/dts-v1/;\n/plugin/;\n&{/chosen} { a = \"b\"; };\n";
  std::ofstream(bad) << "/dts-v1/;\n/plugin/;\n&{/chosen} { a = \"b\" };\n";
  const auto compiled = compile_overlay_file(good);
  const auto failed = compile_overlay_file(bad);
  const auto missing = compile_overlay_file(directory / "missing.dts");
  std::filesystem::remove_all(directory);

  ASSERT_TRUE(compiled.ok()) << compiled.error();
  EXPECT_EQ(strings(compiled.value().output, "/fragment@0/__overlay__", "a"), std::vector<std::string>{"b"});
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().find(bad.string() + ":3"), std::string::npos) << failed.error();
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("missing.dts"), std::string::npos) << missing.error();
}

TEST(GuestDeviceTree, ChosenHoldsZeroSeedPlaceholdersThatAreFound) {
  const Dtb dtb = build(two_cpu_guest());
  EXPECT_EQ(property(dtb, "/chosen", "rng-seed"), std::string(guest_rng_seed_size, '\0'));
  EXPECT_EQ(property(dtb, "/chosen", "kaslr-seed"), std::string(guest_kaslr_seed_size, '\0'));
  const auto placeholders = find_seed_placeholders(dtb);
  ASSERT_EQ(placeholders.size(), 2u);
  const int chosen = fdt_path_offset(dtb.data(), "/chosen");
  for (const auto& [name, size, found] : {std::tuple{"rng-seed", guest_rng_seed_size, placeholders[0]},
                                          std::tuple{"kaslr-seed", guest_kaslr_seed_size, placeholders[1]}}) {
    const struct fdt_property* expected = fdt_get_property(dtb.data(), chosen, name, nullptr);
    ASSERT_NE(expected, nullptr) << name;
    EXPECT_EQ(found.offset, static_cast<uint64_t>(reinterpret_cast<const uint8_t*>(expected) - dtb.data())) << name;
    EXPECT_EQ(found.size, size) << name;
  }
  EXPECT_TRUE(find_seed_placeholders(Dtb(16, 0)).empty()) << "not a tree";
}

TEST(DeviceTreeOverlay, MovesSeedPlaceholdersOrSetsASeedThatIsNoLongerOne) {
  // Growing /chosen moves its properties: the placeholders are found where
  // they end up. An overlay's own kaslr-seed is its choice, not a placeholder.
  const auto merged = apply_overlay(build(two_cpu_guest()), compile(R"(/dts-v1/;
/plugin/;
&{/chosen} { kestrel,long = "0123456789abcdef0123456789abcdef"; kaslr-seed = <0x1 0x2>; };
)"));
  ASSERT_TRUE(merged.ok()) << merged.error();
  const auto placeholders = find_seed_placeholders(merged.value());
  ASSERT_EQ(placeholders.size(), 1u);
  EXPECT_EQ(placeholders[0].size, guest_rng_seed_size);
  const struct fdt_property* rng_seed =
      fdt_get_property(merged.value().data(), fdt_path_offset(merged.value().data(), "/chosen"), "rng-seed", nullptr);
  ASSERT_NE(rng_seed, nullptr);
  EXPECT_EQ(placeholders[0].offset,
            static_cast<uint64_t>(reinterpret_cast<const uint8_t*>(rng_seed) - merged.value().data()));
}
