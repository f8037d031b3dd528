// SPDX-License-Identifier: Apache-2.0
// Slots tests: names for every kind of capability, in the compiler's slot
// order, the guest RAM a VMM sees, and the generated kestrel/slots.hpp
// (with the IPCM's tunnel table and each tunnel end's tunnels).
#include <gtest/gtest.h>

#include <sstream>

#include <kestrel/policy/compiler.hpp>
#include <kestrel/policy/tunnel_table_writer.hpp>
#include <kestrel/policy/vm_tunnels.hpp>
#include <kestrel_cli/slots.hpp>
#include "../../../runtime/include/kestrel/vm_description.hpp"

#include "../policy/policy_test_support.hpp"

using namespace kestrel_cli;

namespace {

// Every kind of capability: served and called endpoints (two whose names
// become the same identifier), owned and signalled notifications (one a
// channel's doorbell), a device interrupt, the vCPUs of a VM (on two CPUs,
// so two exit endpoints), the console; and the VM's RAM mapped into its VMM.
constexpr const char* policy_text = R"(@0xb3c4d5e6f7a80912;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "slots",
  platform = Virt.platform,
  partitions = [
    (name = "server", program = "server.cpp", kernelConsole = true,
     memory = [(name = "code", size = 0x10000, address = 0x200000, access = readExecute),
               (name = "stack", size = 0x4000, address = 0x800000)],
     threads = [(name = "main", stack = "stack")]),
    (name = "client", program = "client.cpp",
     memory = [(name = "code", size = 0x10000, address = 0x200000, access = readExecute),
               (name = "stack", size = 0x4000, address = 0x800000)],
     threads = [(name = "main", stack = "stack")],
     devices = [(device = "rtc", notification = "rtc-irq", badge = 0x10)]),
    (name = "vmm", program = "vmm.cpp",
     memory = [(name = "code", size = 0x10000, address = 0x200000, access = readExecute),
               (name = "stack", size = 0x4000, address = 0x800000),
               (name = "stack-cpu1", size = 0x8000, address = 0x900000)],
     threads = [(name = "main", stack = "stack"),
                (name = "exits-cpu1", stack = "stack-cpu1", passive = true, cpu = 1)]),
    (name = "guest", vm = (cpus = [0, 1, 1], ramSize = 0x400000, kernel = "guest.elf", vmm = "vmm",
                           vmmRamAddress = 0x80000000)),
  ],
  endpoints = [
    (name = "db-query", server = "server", clients = [(partition = "client", badge = 1)]),
    (name = "db_query", server = "server", clients = [(partition = "client", badge = 2)]),
  ],
  notifications = [
    (name = "bell", owner = "server", signallers = [(partition = "client", badge = 1)]),
    (name = "rtc-irq", owner = "client"),
  ],
  channels = [(name = "log", size = 0x1000, writer = (partition = "client", address = 0x600000),
               readers = [(partition = "server", address = 0x600000)], doorbell = true)],
  schedule = [(cpu = 0, majorFrameUs = 4000, windows = [
    (partition = "server", durationUs = 1000), (partition = "client", durationUs = 1000),
    (partition = "vmm", durationUs = 1000), (partition = "guest", durationUs = 1000)]),
    (cpu = 1, majorFrameUs = 1000, windows = [(partition = "guest", durationUs = 1000)])],
);
)";

class SlotsTest : public testing::Test {
 protected:
  void SetUp() override {
    path_ = scratch_.path() / "slots.capnp";
    write_file(path_, policy_text);
    result_ = kestrel::policy::compile_policy(path_.string(), {});
    ASSERT_TRUE(result_.ok()) << diagnostics_text(result_.diagnostics);
  }
  const kestrel::policy::Model& model() const { return *result_.model; }
  uint32_t partition(const std::string& name) const { return model().partition_index.at(name); }
  std::vector<std::string> names(const std::string& partition_name) const {
    std::vector<std::string> out;
    for (const auto& slot : slot_names(model(), partition(partition_name))) out.push_back(slot.name);
    return out;
  }

 private:
  Scratch_directory scratch_;
  std::filesystem::path path_;
  kestrel::policy::Compile_result result_;
};

}  // namespace

TEST(Identifier, EveryCharacterThatIsNotALetterOrDigitBecomesAnUnderscore) {
  EXPECT_EQ(identifier("db-query"), "db_query");
  EXPECT_EQ(identifier("log.doorbell.server"), "log_doorbell_server");
  EXPECT_EQ(identifier("Uart0"), "Uart0");
  EXPECT_EQ(identifier("a b\xc3\xa9"), "a_b__");
}

TEST_F(SlotsTest, NamesFollowTheCompilersSlotOrder) {
  // Served endpoints, notifications owned (the doorbell of the channel it
  // reads), then the console; two endpoints whose names become the same
  // identifier both get their slot number.
  EXPECT_EQ(names("server"), (std::vector<std::string>{"serve_db_query_0", "serve_db_query_1", "wait_bell",
                                                       "wait_log_doorbell_server", "kernel_console"}));
  // Called endpoints, owned and signalled notifications, interrupts.
  EXPECT_EQ(names("client"), (std::vector<std::string>{"call_db_query_0", "call_db_query_1", "wait_rtc_irq",
                                                       "signal_bell", "signal_log_doorbell_server", "irq_rtc"}));
  // The VM's exits arrive on an endpoint per CPU its vCPUs run on
  // ("guest.exits-cpu0", "guest.exits-cpu1"), which the VMM serves; then
  // its vCPUs.
  EXPECT_EQ(names("vmm"), (std::vector<std::string>{"serve_guest_exits_cpu0", "serve_guest_exits_cpu1", "vcpu_guest_0",
                                                    "vcpu_guest_1", "vcpu_guest_2"}));
  EXPECT_TRUE(names("guest").empty());
}

TEST_F(SlotsTest, EachNameDescribesTheSameCapabilityAsTheSummary) {
  for (uint32_t p = 0; p < model().partitions.size(); ++p) {
    const auto& capabilities = model().partitions[p].capabilities;
    const auto slots = slot_names(model(), p);
    ASSERT_EQ(slots.size(), capabilities.size());
    for (size_t i = 0; i < slots.size(); ++i) {
      EXPECT_EQ(slots[i].slot, i);
      EXPECT_EQ(slots[i].description, capabilities[i].description);
    }
  }
  const auto client = slot_names(model(), partition("client"));
  EXPECT_EQ(client[5].description, "acknowledge interrupt 34 of rtc") << "irq_rtc is the RTC's";
}

TEST_F(SlotsTest, TheHeaderHasAConstantPerSlotAndThePartitionName) {
  const std::string header = slots_header(model(), partition("server"), "dir/slots.capnp");
  for (const char* line :
       {"#pragma once", "namespace kestrel::slots {", "constexpr const char* partition_name = \"server\";",
        "constexpr uint64_t serve_db_query_0 = 0;  // receive on endpoint db-query",
        "constexpr uint64_t wait_bell = 2;  // wait on notification bell",
        "constexpr uint64_t kernel_console = 4;  // write to the kernel console", "constexpr uint64_t count = 5;",
        "from dir/slots.capnp for partition server"}) {
    EXPECT_NE(header.find(line), std::string::npos) << line << "\nin:\n" << header;
  }
}

TEST_F(SlotsTest, TheHeaderListsTheSignalledNotificationsByTheirPolicyNames) {
  // The client signals "bell" (slot 3) and the channel's doorbell (slot 4);
  // the table keeps the policy's names, dots and dashes included, so a
  // program can find slots by a naming convention (console-input-<badge>).
  const std::string client = slots_header(model(), partition("client"), "slots.capnp");
  for (const char* line :
       {"struct Signalled_notification {", "constexpr Signalled_notification signalled_notifications[] = {",
        "    {\"bell\", 3},\n    {\"log.doorbell.server\", 4},\n    {nullptr, 6},\n};",
        "constexpr uint64_t signalled_notification_count = 2;"}) {
    EXPECT_NE(client.find(line), std::string::npos) << line << "\nin:\n" << client;
  }
  // Owned notifications are not in it; a partition that signals nothing has
  // only the end marker, so the array is never empty.
  const std::string server = slots_header(model(), partition("server"), "slots.capnp");
  EXPECT_NE(server.find("signalled_notifications[] = {\n    {nullptr, 5},\n};"), std::string::npos) << server;
  EXPECT_NE(server.find("constexpr uint64_t signalled_notification_count = 0;"), std::string::npos) << server;
  EXPECT_EQ(server.find("\"bell\""), std::string::npos) << "the server waits on bell; it does not signal it";
}

TEST_F(SlotsTest, TheVmmsHeaderGivesTheExitEndpointOfEachCpuAndTheThreadThatServesIt) {
  const std::string header = slots_header(model(), partition("vmm"), "slots.capnp");
  for (const char* line :
       {"constexpr uint64_t serve_guest_exits_cpu0 = 0;  // receive on endpoint guest.exits-cpu0",
        "constexpr uint64_t serve_guest_exits_cpu1 = 1;  // receive on endpoint guest.exits-cpu1",
        "    .vcpus = 3,\n    .vcpu_cpus = {0, 1, 1},\n    .exit_endpoint_count = 2,\n",
        "    .exit_endpoints = {\n        {0, slots::serve_guest_exits_cpu0, 0},\n"
        "        {1, slots::serve_guest_exits_cpu1, 1},\n    },\n    .first_vcpu = slots::vcpu_guest_0,"}) {
    EXPECT_NE(header.find(line), std::string::npos) << line << "\nin:\n" << header;
  }
}

TEST_F(SlotsTest, TheHeaderListsThePartitionsThreadsWithTheirCpusAndStacks) {
  // So that threads of one program can tell themselves apart by their
  // stack pointer (a thread starts with sp at the end of its stack).
  const std::string header = slots_header(model(), partition("vmm"), "slots.capnp");
  for (const char* line : {"constexpr Thread threads[] = {\n    {\"main\", 0, false, 0x800000, 0x4000},\n"
                           "    {\"exits-cpu1\", 1, true, 0x900000, 0x8000},\n    {nullptr, 0, false, 0, 0},\n};",
                           "constexpr uint64_t thread_count = 2;", "constexpr uint64_t thread_of_stack(uint64_t sp) {",
                           "inline const Thread& this_thread() {"}) {
    EXPECT_NE(header.find(line), std::string::npos) << line << "\nin:\n" << header;
  }
  // A VM has no threads of its own in the table: its vCPUs run no program.
  EXPECT_NE(slots_header(model(), partition("guest"), "slots.capnp").find("constexpr uint64_t thread_count = 0;"),
            std::string::npos);
}

TEST_F(SlotsTest, TheVmmsHeaderSaysWhereItSeesItsGuestsRam) {
  const auto views = guest_ram_views(model(), partition("vmm"));
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].name, "guest");
  EXPECT_EQ(views[0].vm, "guest");
  EXPECT_EQ(views[0].address, 0x8000'0000u);
  EXPECT_EQ(views[0].guest_address, 0x4000'0000u);
  EXPECT_EQ(views[0].size, 0x40'0000u);
  const std::string header = slots_header(model(), partition("vmm"), "slots.capnp");
  for (const char* line : {"namespace kestrel::guest_ram {", "constexpr uint64_t guest_address = 0x80000000;",
                           "constexpr uint64_t guest_guest_address = 0x40000000;",
                           "constexpr uint64_t guest_size = 0x400000;", "}  // namespace kestrel::guest_ram"}) {
    EXPECT_NE(header.find(line), std::string::npos) << line << "\nin:\n" << header;
  }
  EXPECT_LT(header.find("}  // namespace kestrel::slots"), header.find("namespace kestrel::guest_ram {"));
  for (const char* other : {"server", "client", "guest"}) {
    EXPECT_TRUE(guest_ram_views(model(), partition(other)).empty()) << other;
    EXPECT_EQ(slots_header(model(), partition(other), "slots.capnp").find("guest_ram"), std::string::npos) << other;
  }
}

// Two VMs whose names give the same identifier: each gets its partition
// number, as two slots of one name get their slot numbers.
TEST(GuestRamViews, VmsWhoseNamesCollideGetTheirPartitionNumbers) {
  Scratch_directory scratch;
  const auto path = scratch.path() / "views.capnp";
  write_file(path, R"(@0xb3c4d5e6f7a80912;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "views",
  platform = Virt.platform,
  partitions = [
    (name = "vmm", program = "vmm.cpp",
     memory = [(name = "stack", size = 0x4000, address = 0x800000)],
     threads = [(name = "main", stack = "stack")]),
    (name = "g-1", vm = (cpus = [0], ramSize = 0x200000, kernel = "g.elf", vmm = "vmm", vmmRamAddress = 0x80000000)),
    (name = "g_1", vm = (cpus = [0], ramSize = 0x200000, kernel = "g.elf", vmm = "vmm", vmmRamAddress = 0x80200000)),
    (name = "int", vm = (cpus = [0], ramSize = 0x200000, kernel = "g.elf", vmm = "vmm", vmmRamAddress = 0x80400000)),
  ],
  schedule = [(cpu = 0, majorFrameUs = 4000, windows = [
    (partition = "vmm", durationUs = 1000), (partition = "g-1", durationUs = 1000),
    (partition = "g_1", durationUs = 1000), (partition = "int", durationUs = 1000)])],
);
)");
  const auto result = kestrel::policy::compile_policy(path.string(), {});
  ASSERT_TRUE(result.ok()) << diagnostics_text(result.diagnostics);
  const auto views = guest_ram_views(*result.model, 0);
  ASSERT_EQ(views.size(), 3u);
  EXPECT_EQ(views[0].name, "g_1_1");
  EXPECT_EQ(views[1].name, "g_1_2");
  EXPECT_EQ(views[2].name, "int") << "a keyword, but only ever a prefix";
  const std::string header = slots_header(*result.model, 0, "views.capnp");
  EXPECT_NE(header.find("constexpr uint64_t int_address = 0x80400000;"), std::string::npos) << header;
}

namespace {

// A VM with devices of the given kinds (0 virtio console, 1 virtio block,
// 3 PL011) and command line.
kestrel::policy::Virtual_machine vm_with(std::vector<uint32_t> kinds, std::string bootargs) {
  kestrel::policy::Virtual_machine vm;
  for (const uint32_t kind : kinds) {
    kestrel::policy::Emulated_device device;
    device.kind = kind;
    vm.emulated.push_back(device);
  }
  vm.bootargs = std::move(bootargs);
  return vm;
}

}  // namespace

TEST(InputDevice, TheLastConsoleOnTheCommandLineTakesTheInput) {
  // Devices: virtio block, PL011, virtio console, PL011, virtio console.
  const std::vector<uint32_t> kinds = {1, 3, 0, 3, 0};
  EXPECT_EQ(input_device(vm_with(kinds, "console=ttyAMA0 console=hvc0")), 2u);
  EXPECT_EQ(input_device(vm_with(kinds, "console=hvc0 console=ttyAMA0")), 1u);
  EXPECT_EQ(input_device(vm_with(kinds, "console=hvc1 quiet")), 4u);
  EXPECT_EQ(input_device(vm_with(kinds, "console=ttyAMA1,115200n8")), 3u);
  EXPECT_EQ(input_device(vm_with(kinds, "root=/dev/vda console=hvc0 rw")), 2u);
}

TEST(InputDevice, WithoutAConsoleItHasTheFirstUartThenTheFirstVirtioConsole) {
  EXPECT_EQ(input_device(vm_with({0, 3}, "")), 1u);
  EXPECT_EQ(input_device(vm_with({0, 3}, "console=tty0")), 1u) << "a console the VM does not have";
  EXPECT_EQ(input_device(vm_with({0, 3}, "console=hvc2")), 1u) << "no third virtio console";
  EXPECT_EQ(input_device(vm_with({0, 3}, "console=hvc")), 1u);
  EXPECT_EQ(input_device(vm_with({0, 3}, "console=hvc0x")), 1u);
  EXPECT_EQ(input_device(vm_with({0, 3}, "xconsole=hvc0")), 1u);
  EXPECT_EQ(input_device(vm_with({1, 0}, "")), 1u);
  EXPECT_EQ(input_device(vm_with({1}, "console=hvc0")), 1u) << "none: device_count";
  EXPECT_EQ(input_device(vm_with({}, "")), 0u);
}

TEST_F(SlotsTest, TheVmmsHeaderNamesTheInputDevice) {
  const std::string header = slots_header(model(), partition("vmm"), "slots.capnp");
  EXPECT_NE(header.find("    .input_device = 0,\n"), std::string::npos) << header;
}

TEST_F(SlotsTest, TheHeaderGivesEachMemoryRegionsAddressAndSize) {
  const auto regions = named_regions(model(), partition("vmm"));
  ASSERT_EQ(regions.size(), 3u) << "memory regions only: not the guest's RAM it maps";
  EXPECT_EQ(regions[2].name, "stack_cpu1");
  EXPECT_EQ(regions[2].policy_name, "stack-cpu1");
  EXPECT_EQ(regions[2].address, 0x90'0000u);
  EXPECT_EQ(regions[2].size, 0x8000u);
  EXPECT_TRUE(regions[2].writable);
  EXPECT_FALSE(regions[0].writable) << "code is readExecute";
  const std::string header = slots_header(model(), partition("vmm"), "slots.capnp");
  for (const char* line : {"namespace kestrel::memory {", "// region code (not writable)",
                           "constexpr uint64_t code_address = 0x200000;", "constexpr uint64_t code_size = 0x10000;",
                           "// region stack-cpu1", "constexpr uint64_t stack_cpu1_address = 0x900000;",
                           "constexpr uint64_t stack_cpu1_size = 0x8000;", "}  // namespace kestrel::memory"}) {
    EXPECT_NE(header.find(line), std::string::npos) << line << "\nin:\n" << header;
  }
  EXPECT_EQ(header.find("namespace kestrel::channels"), std::string::npos) << "the VMM has no channel";
}

TEST_F(SlotsTest, TheHeaderGivesEachChannelsAddressSizeAndDirection) {
  const auto written = named_channels(model(), partition("client"));
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].name, "log");
  EXPECT_EQ(written[0].address, 0x60'0000u);
  EXPECT_EQ(written[0].size, 0x1000u);
  EXPECT_TRUE(written[0].writable) << "the client writes it";
  const auto read = named_channels(model(), partition("server"));
  ASSERT_EQ(read.size(), 1u);
  EXPECT_FALSE(read[0].writable) << "the server reads it";
  const std::string header = slots_header(model(), partition("server"), "slots.capnp");
  for (const char* line : {"namespace kestrel::channels {", "// channel log: read here",
                           "constexpr uint64_t log_address = 0x600000;", "constexpr uint64_t log_size = 0x1000;",
                           "constexpr bool log_writable = false;", "}  // namespace kestrel::channels"}) {
    EXPECT_NE(header.find(line), std::string::npos) << line << "\nin:\n" << header;
  }
  EXPECT_NE(slots_header(model(), partition("client"), "slots.capnp").find("constexpr bool log_writable = true;"),
            std::string::npos);
  EXPECT_EQ(slots_header(model(), partition("vmm"), "slots.capnp").find("log_address"), std::string::npos);
}

// Two regions whose names give the same identifier: each gets its position.
TEST(NamedRegions, RegionsWhoseNamesCollideGetTheirPositions) {
  Scratch_directory scratch;
  const auto path = scratch.path() / "regions.capnp";
  write_file(path, R"(@0xb3c4d5e6f7a80912;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "regions",
  platform = Virt.platform,
  partitions = [
    (name = "a", program = "a.cpp",
     memory = [(name = "stack", size = 0x4000, address = 0x800000),
               (name = "buf-1", size = 0x1000, address = 0x900000),
               (name = "buf_1", size = 0x2000, address = 0xa00000),
               (name = "int", size = 0x1000, address = 0xb00000)],
     threads = [(name = "main", stack = "stack")]),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "a", durationUs = 1000)])],
);
)");
  const auto result = kestrel::policy::compile_policy(path.string(), {});
  ASSERT_TRUE(result.ok()) << diagnostics_text(result.diagnostics);
  const auto regions = named_regions(*result.model, 0);
  ASSERT_EQ(regions.size(), 4u);
  EXPECT_EQ(regions[1].name, "buf_1_1");
  EXPECT_EQ(regions[2].name, "buf_1_2");
  EXPECT_EQ(regions[3].name, "int") << "a keyword, but only ever a prefix";
  const std::string header = slots_header(*result.model, 0, "regions.capnp");
  EXPECT_NE(header.find("constexpr uint64_t buf_1_2_size = 0x2000;"), std::string::npos) << header;
  EXPECT_NE(header.find("constexpr uint64_t int_address = 0xb00000;"), std::string::npos) << header;
}

namespace {

// tests/unit/policy/cases/valid-tunnels.capnp: a passive IPCM, ends a and
// b, tunnels "data" (both ways, doorbells) and "log" (a writes, two at once).
class TunnelSlots : public testing::Test {
 protected:
  void SetUp() override {
    result_ = kestrel::policy::compile_policy((cases_directory() / "valid-tunnels.capnp").string(), {});
    ASSERT_TRUE(result_.ok()) << diagnostics_text(result_.diagnostics);
  }
  const kestrel::policy::Model& model() const { return *result_.model; }
  uint32_t partition(const std::string& name) const { return model().partition_index.at(name); }
  std::string header(const std::string& name) const {
    return slots_header(model(), partition(name), "valid-tunnels.capnp");
  }

  kestrel::policy::Compile_result result_;
};

// The bytes of `inline constexpr uint8_t table[] = {...};` in `header`.
std::vector<uint8_t> table_bytes(const std::string& header) {
  std::vector<uint8_t> bytes;
  const auto start = header.find("inline constexpr uint8_t table[] = {");
  if (start == std::string::npos) return bytes;
  const auto end = header.find("};", start);
  std::istringstream words(header.substr(start + 36, end - start - 36));
  for (std::string word; std::getline(words, word, ',');) {
    if (word.find_first_not_of(" \n") == std::string::npos) continue;
    bytes.push_back(static_cast<uint8_t>(std::stoul(word, nullptr, 16)));
  }
  return bytes;
}

}  // namespace

TEST_F(TunnelSlots, TheIpcmsHeaderHoldsTheCompiledTunnelTable) {
  const std::string text = header("ipcm");
  const auto expected = kestrel::policy::emit_tunnel_table(model());
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(table_bytes(text), expected) << text;
  EXPECT_NE(text.find("constexpr uint64_t table_size = " + std::to_string(expected.size()) + ";"), std::string::npos);
  for (const char* line : {"namespace kestrel::tunnels {", "constexpr uint64_t serve = slots::serve_ipcm;",
                           "constexpr uint64_t console = ~uint64_t{0};", "constexpr uint32_t tunnel_count = 2;",
                           "constexpr uint32_t instance_count = 3;", "constexpr uint32_t client_count = 2;",
                           "constexpr uint32_t pool_pages = 6;"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\nin:\n" << text;
  }
  EXPECT_EQ(text.find("Tunnel_end"), std::string::npos) << "the IPCM is no end";
}

TEST_F(TunnelSlots, OnlyTheIpcmGetsTheTable) {
  for (const char* other : {"a", "b"}) EXPECT_EQ(table_bytes(header(other)).size(), 0u) << other;
  EXPECT_EQ(slots_header(model(), partition("a"), "x").find("uint8_t table[]"), std::string::npos);
}

TEST_F(TunnelSlots, EachEndGetsItsTunnelsPlacesAccessAndDoorbells) {
  const auto a = tunnel_ends(model(), partition("a"));
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].name, "data");
  EXPECT_EQ(a[0].id, 0u);
  EXPECT_EQ(a[0].address, 0x1000'0000u);
  EXPECT_EQ(a[0].size, 0x2000u);
  EXPECT_TRUE(a[0].writable);
  EXPECT_NE(a[0].wait_doorbell, no_tunnel_slot);
  EXPECT_NE(a[0].ring_doorbell, no_tunnel_slot);
  EXPECT_EQ(a[1].name, "log");
  EXPECT_EQ(a[1].id, 1u);
  EXPECT_EQ(a[1].address, 0x1000'2000u) << "after data's instance";
  EXPECT_EQ(a[1].max_open, 2u);
  EXPECT_TRUE(a[1].writable) << "firstWrites: a is the first end";
  EXPECT_EQ(a[1].wait_doorbell, no_tunnel_slot) << "log has no doorbell";
  const auto b = tunnel_ends(model(), partition("b"));
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].address, 0x2000'0000u);
  EXPECT_FALSE(b[1].writable) << "b only reads log";
  EXPECT_TRUE(tunnel_ends(model(), partition("ipcm")).empty());

  const std::string text = header("a");
  for (const char* line : {"#include <kestrel/tunnel.hpp>", "constexpr Tunnel_end data_tunnel{", "    .id = 0,",
                           "    .ipcm = slots::call_ipcm,", "    .address = 0x10000000,", "    .size = 0x2000,",
                           "    .writable = true,", "    .wait_doorbell = slots::wait_data_doorbell_a,",
                           "    .ring_doorbell = slots::signal_data_doorbell_b,", "constexpr Tunnel_end log_tunnel{",
                           "    .address = 0x10002000,", "    .max_open = 2,", "    .wait_doorbell = ~uint64_t{0},"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\nin:\n" << text;
  }
  const std::string b_text = header("b");
  EXPECT_NE(b_text.find("    .wait_doorbell = slots::wait_data_doorbell_b,"), std::string::npos) << b_text;
  EXPECT_NE(b_text.find("    .ring_doorbell = slots::signal_data_doorbell_a,"), std::string::npos) << b_text;
  EXPECT_NE(b_text.find("    .writable = false,"), std::string::npos) << b_text;
}

TEST_F(SlotsTest, WithoutAnIpcmNoPartitionHearsOfTunnels) {
  for (const char* name : {"server", "client", "vmm"}) {
    EXPECT_EQ(slots_header(model(), partition(name), "slots.capnp").find("kestrel::tunnels"), std::string::npos);
    EXPECT_TRUE(tunnel_ends(model(), partition(name)).empty());
  }
}

// The compiler refuses a VM with more tunnels than the VMM's description
// holds (KP1020), so the two limits are one.
static_assert(kestrel::policy::max_vm_tunnels == kestrel::max_described_tunnels);

// tests/unit/policy/cases/valid-vm-tunnel.capnp: the VM b is an end of
// "data" (doorbells) and "log" through its VMM a, itself an end of both with
// its own badge. The VMM holds b's capabilities and describes b's tunnels.

TEST(VmTunnelSlots, TheVmmCallsAndWaitsForItsVmAndDescribesItsTunnels) {
  const auto result = kestrel::policy::compile_policy((cases_directory() / "valid-vm-tunnel.capnp").string(), {});
  ASSERT_TRUE(result.ok()) << diagnostics_text(result.diagnostics);
  const auto& model = *result.model;
  const uint32_t vmm = model.partition_index.at("a");
  const uint32_t vm = model.partition_index.at("b");
  EXPECT_TRUE(model.partitions[vm].capabilities.empty()) << "a VM's vCPUs make no system calls";
  const std::string text = slots_header(model, vmm, "valid-vm-tunnel.capnp");
  for (const char* line :
       {"constexpr uint64_t call_ipcm = ", "constexpr uint64_t call_ipcm_for_b = ",
        "constexpr uint64_t wait_data_doorbell_b = ", "constexpr uint64_t signal_data_doorbell_a = ",
        // The VMM's own end keeps its own badge's capability.
        "    .ipcm = slots::call_ipcm,", "    .tunnel_control = 0x20006000,", "    .tunnel_count = 2,",
        "{\"data\", 0, 0x20000000, 0x2000, 1, 32, slots::call_ipcm_for_b, slots::wait_data_doorbell_b, "
        "slots::signal_data_doorbell_a},",
        "{\"log\", 1, 0x20002000, 0x2000, 2, 33, slots::call_ipcm_for_b, ~uint64_t{0}, ~uint64_t{0}},"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\nin:\n" << text;
  }
  // The badge the VMM calls with for b is b's, which the IPCM's table names.
  const auto contents = kestrel::policy::tunnel_table_contents(model);
  ASSERT_EQ(contents.clients.size(), 2u);
  EXPECT_EQ(contents.clients[1].badge, 2u);
  EXPECT_EQ(contents.clients[1].flags, kestrel::abi::tunnel_client_is_vm);
  bool found = false;
  for (const auto& capability : model.partitions[vmm].capabilities) {
    if (capability.for_vm == vm) {
      EXPECT_EQ(capability.badge, 2u);
      found = true;
    }
  }
  EXPECT_TRUE(found);
}
