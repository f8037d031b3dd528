// SPDX-License-Identifier: Apache-2.0
// Image tests: layout rules, measurement agreement with the kernel, the
// written ELF, reproducibility and refusals, with inputs made in a scratch
// directory.
#include <gtest/gtest.h>

#include <algorithm>

#include <libfdt.h>

#include <kestrel/boot_info.hpp>
#include <kestrel/guest_seeds.hpp>
#include <kestrel/kernel_objects.hpp>
#include <kestrel/measurement.hpp>
#include <kestrel/policy/stages.hpp>
#include <kestrel/policy/text.hpp>
#include <kestrel/sysimage/elf_file.hpp>
#include <kestrel/sysimage/image.hpp>
#include <kestrel/sysimage/output.hpp>

#include "../policy/policy_test_support.hpp"
#include "elf_builder.hpp"

namespace fs = std::filesystem;
using namespace kestrel;
using namespace kestrel::sysimage;

namespace {

constexpr const char* policy_text = R"(@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "image-test",
  platform = Virt.platform,
  partitions = [
    (name = "alpha", program = "alpha.elf",
     memory = [(name = "code", size = 0x10000, address = 0x200000, access = readExecute),
               (name = "data", size = 0x10000, address = 0x400000),
               (name = "stack", size = 0x4000, address = 0x800000)],
     threads = [(name = "main", stack = "stack")]),
    (name = "beta", program = "beta.elf",
     memory = [(name = "code", size = 0x10000, address = 0x200000, access = readExecute),
               (name = "data", size = 0x10000, address = 0x400000),
               (name = "stack", size = 0x4000, address = 0x800000)],
     threads = [(name = "main", stack = "stack")]),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "alpha", durationUs = 500),
                                                       (partition = "beta", durationUs = 500)])],
);
)";

std::vector<uint8_t> program(uint8_t fill, uint64_t data_address = 0x400000, uint32_t data_flags = PF_R | PF_W) {
  return make_elf(0x200008, {{0x200000, std::vector<uint8_t>(0x40, fill), 0x40, PF_R | PF_X},
                             {data_address, std::vector<uint8_t>(8, fill), 0x100, data_flags}});
}

std::vector<uint8_t> kernel() {
  return make_kernel_elf(0x40080000, {{0x40080000, std::vector<uint8_t>(0x1000, 0x11), 0x1000, PF_R | PF_X},
                                      {0x40081000, {}, 0x2345, PF_R | PF_W}});
}

std::string as_text(const std::vector<uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

class ImageTest : public testing::Test {
 protected:
  void SetUp() override {
    write_file(dir() / "system.capnp", policy_text);
    write_file(dir() / "kernel.elf", as_text(kernel()));
    write_file(dir() / "alpha.elf", as_text(program(0xa1)));
    write_file(dir() / "beta.elf", as_text(program(0xb2)));
  }
  fs::path dir() const { return scratch_.path(); }
  Image_inputs inputs() const {
    Image_inputs inputs;
    inputs.policy_path = (dir() / "system.capnp").string();
    inputs.kernel_path = (dir() / "kernel.elf").string();
    return inputs;
  }
  std::string only_error(const Image_result& result) const {
    EXPECT_FALSE(result.ok());
    return result.errors.size() == 1 ? result.errors[0] : "(" + std::to_string(result.errors.size()) + " errors)";
  }

 private:
  Scratch_directory scratch_;
};

// The kernel reads physical memory; here "physical memory" is the image's
// pieces, so the kernel's own measurement code checks the host's digests.
const System_image* memory_image = nullptr;
std::vector<uint8_t> memory_scratch;
const uint8_t* read_from_pieces(uint64_t address, uint64_t size) {
  for (const auto& piece : memory_image->pieces) {
    if (address >= piece.physical_address && address + size <= piece.physical_address + piece.memory_size) {
      memory_scratch.assign(size, 0);
      const uint64_t offset = address - piece.physical_address;
      for (uint64_t i = 0; i < size && offset + i < piece.bytes.size(); ++i)
        memory_scratch[i] = piece.bytes[offset + i];
      return memory_scratch.data();
    }
  }
  return nullptr;
}

}  // namespace

TEST_F(ImageTest, PlacesBootInfoAfterTheKernelAndProgramsInTheirRegions) {
  const auto result = build_image(inputs());
  ASSERT_TRUE(result.ok()) << (result.errors.empty() ? diagnostics_text(result.diagnostics) : result.errors[0]);
  const auto& image = *result.image;
  EXPECT_EQ(image.entry, 0x40080000u);
  // The kernel ends at 0x40081000 + 0x2345 (.bss included): next 64 KiB boundary.
  EXPECT_EQ(image.boot_info_address, 0x40090000u);
  const auto& alpha = image.model->partitions[0];
  const auto code = std::find_if(image.pieces.begin(), image.pieces.end(),
                                 [](const Loaded_piece& p) { return p.description == "alpha: alpha.elf segment 0"; });
  ASSERT_NE(code, image.pieces.end());
  EXPECT_EQ(code->physical_address, alpha.regions[0].pa);
  EXPECT_TRUE(code->executable);
  EXPECT_EQ(alpha.threads[0].entry, 0x200008u) << "entry 0 in the policy means the ELF's entry";
  EXPECT_TRUE(std::is_sorted(image.pieces.begin(), image.pieces.end(),
                             [](const auto& a, const auto& b) { return a.physical_address < b.physical_address; }));
}

TEST_F(ImageTest, TheKernelsMeasurementAgreesWithTheHostsDigests) {
  const auto result = build_image(inputs());
  ASSERT_TRUE(result.ok());
  const auto& image = *result.image;
  const auto read = read_boot_info(image.boot_info.data(), image.boot_info.size());
  ASSERT_TRUE(read.ok()) << to_string(read.problem().error);
  ASSERT_EQ(read.info().digests().size(), 2u);
  EXPECT_NE(image.digests[0], image.digests[1]);
  memory_image = &image;
  for (uint32_t p = 0; p < 2; ++p) {
    const auto measured = measure_partition(read.info(), p, read_from_pieces);
    EXPECT_EQ(measured.status, Measurement_status::matches) << "partition " << p;
    EXPECT_EQ(measured.found, image.digests[p]);
  }
  // One flipped bit in beta's data is caught, and only for beta.
  auto tampered = image;
  for (auto& piece : tampered.pieces) {
    if (piece.description == "beta: beta.elf segment 1") piece.bytes[3] ^= 0x10;
  }
  memory_image = &tampered;
  EXPECT_EQ(measure_partition(read.info(), 0, read_from_pieces).status, Measurement_status::matches);
  EXPECT_EQ(measure_partition(read.info(), 1, read_from_pieces).status, Measurement_status::mismatch);
  memory_image = nullptr;
}

TEST_F(ImageTest, TheWrittenElfHasOneSegmentPerPieceAndIsReproducible) {
  const auto first = build_image(inputs());
  const auto second = build_image(inputs());
  ASSERT_TRUE(first.ok() && second.ok());
  const auto elf = image_elf(*first.image);
  EXPECT_EQ(elf, image_elf(*second.image)) << "same inputs, same bytes";
  const auto parsed = parse_elf(elf);
  ASSERT_TRUE(std::holds_alternative<Elf_image>(parsed)) << std::get<Elf_error>(parsed).message;
  const auto& read_back = std::get<Elf_image>(parsed);
  EXPECT_EQ(read_back.entry, 0x40080000u);
  ASSERT_EQ(read_back.segments.size(), first.image->pieces.size());
  for (size_t i = 0; i < read_back.segments.size(); ++i) {
    EXPECT_EQ(read_back.segments[i].physical_address, first.image->pieces[i].physical_address);
    EXPECT_EQ(read_back.segments[i].bytes, first.image->pieces[i].bytes);
    EXPECT_EQ(read_back.segments[i].memory_size, first.image->pieces[i].memory_size);
  }
}

TEST_F(ImageTest, RefusesAMissingProgramNamingWhereItLooked) {
  fs::remove(dir() / "beta.elf");
  auto in = inputs();
  in.search_directories.push_back("/nonexistent");
  const auto error = only_error(build_image(in));
  EXPECT_NE(error.find("program of partition \"beta\" 'beta.elf' not found"), std::string::npos) << error;
  EXPECT_NE(error.find("/nonexistent/beta.elf"), std::string::npos) << error;
}

TEST_F(ImageTest, FindsProgramsInSearchDirectories) {
  fs::create_directory(dir() / "bin");
  fs::rename(dir() / "beta.elf", dir() / "bin" / "beta.elf");
  auto in = inputs();
  in.search_directories.push_back((dir() / "bin").string());
  EXPECT_TRUE(build_image(in).ok());
}

// `program = "beta.cpp"` names C++ source that `kestrel build` compiles into
// beta.elf in a directory it passes with -P.
TEST_F(ImageTest, AProgramGivenAsCppSourceIsItsElfInASearchDirectory) {
  std::string text = policy_text;
  text.replace(text.find("\"beta.elf\""), 10, "\"beta.cpp\"");
  write_file(dir() / "system.capnp", text);
  write_file(dir() / "beta.cpp", "extern \"C\" int main() { return 0; }\n");
  fs::create_directory(dir() / "work");
  fs::rename(dir() / "beta.elf", dir() / "work" / "beta.elf");

  const auto missing = only_error(build_image(inputs()));
  EXPECT_NE(missing.find("program of partition \"beta\" 'beta.elf' (compiled from beta.cpp) not found (no search "
                         "directory given; kestrel build compiles it"),
            std::string::npos)
      << missing;

  // An ELF of the same name beside the policy is not the compiled program.
  write_file(dir() / "beta.elf", as_text(program(0xee)));
  auto in = inputs();
  in.search_directories.push_back((dir() / "work").string());
  const auto result = build_image(in);
  ASSERT_TRUE(result.ok()) << (result.errors.empty() ? diagnostics_text(result.diagnostics) : result.errors[0]);
  const auto code = std::find_if(result.image->pieces.begin(), result.image->pieces.end(),
                                 [](const Loaded_piece& p) { return p.description == "beta: beta.cpp segment 0"; });
  ASSERT_NE(code, result.image->pieces.end());
  EXPECT_EQ(code->bytes.front(), 0xb2) << "taken from work/beta.elf";

  // .cc too, and a directory in the source's name does not matter.
  text.replace(text.find("\"beta.cpp\""), 10, "\"src/beta.cc\"");
  write_file(dir() / "system.capnp", text);
  EXPECT_TRUE(build_image(in).ok());
}

TEST_F(ImageTest, RefusesSegmentsOutsideRegionsOrWithTheWrongPermissions) {
  write_file(dir() / "beta.elf", as_text(program(0xb2, 0x600000)));
  EXPECT_NE(only_error(build_image(inputs())).find("segment 1 [0x600000, 0x600100) is not inside any memory region"),
            std::string::npos);
  write_file(dir() / "beta.elf", as_text(program(0xb2, 0x208000, PF_R | PF_W)));
  EXPECT_NE(only_error(build_image(inputs())).find("is writable but region \"code\" is not readWrite"),
            std::string::npos);
  write_file(dir() / "beta.elf", as_text(program(0xb2, 0x400000, PF_R | PF_X)));
  EXPECT_NE(only_error(build_image(inputs())).find("is executable but region \"data\" is not readExecute"),
            std::string::npos);
}

TEST_F(ImageTest, RefusesInputsThatAreNotAArch64Executables) {
  write_file(dir() / "alpha.elf", "#!/bin/sh\necho not an ELF\n");
  EXPECT_NE(only_error(build_image(inputs())).find("not an ELF file"), std::string::npos);
  auto x86 = program(0xa1);
  elf_header(x86).e_machine = EM_X86_64;
  write_file(dir() / "alpha.elf", as_text(x86));
  EXPECT_NE(only_error(build_image(inputs())).find("not an AArch64 file"), std::string::npos);
}

TEST_F(ImageTest, RefusesAKernelOutsideKernelReserved) {
  write_file(dir() / "kernel.elf",
             as_text(make_kernel_elf(0x50000000, {{0x50000000, std::vector<uint8_t>(16, 1), 16, PF_R | PF_X}})));
  EXPECT_NE(only_error(build_image(inputs())).find("lies outside the platform's kernelReserved"), std::string::npos);
}

TEST_F(ImageTest, PolicyErrorsAreReportedAsDiagnostics) {
  write_file(dir() / "system.capnp",
             std::string(policy_text).replace(std::string(policy_text).find("0x4000,"), 7, "0x4001,"));
  const auto result = build_image(inputs());
  EXPECT_FALSE(result.ok());
  EXPECT_TRUE(result.diagnostics.contains(policy::Code::region_size_unaligned));
}

// The kernel objects area: after boot-info, inside kernelReserved, exactly
// the size the kernel's own layout gives for the system's counts with the
// sizes in the kernel's ELF, and each partition's table pages what the
// kernel's page-table code needs for its regions.
TEST_F(ImageTest, ReservesTheKernelObjectsAreaTheKernelWillCarve) {
  const auto result = build_image(inputs());
  ASSERT_TRUE(result.ok()) << (result.errors.empty() ? diagnostics_text(result.diagnostics) : result.errors[0]);
  const auto& image = *result.image;
  const auto read = kestrel::read_boot_info(image.boot_info.data(), image.boot_info.size());
  ASSERT_TRUE(read.ok()) << kestrel::to_string(read.problem().error);
  const auto& info = read.info();
  ASSERT_EQ(info.kernel_memory().size(), 1u);
  const kestrel::abi::Kernel_memory_entry& area = info.kernel_memory()[0];
  EXPECT_EQ(area.base % kestrel::abi::kernel_objects_alignment, 0u);
  EXPECT_GE(area.base, image.boot_info_address + image.boot_info.size());
  EXPECT_LE(area.base + area.size, 0x4080'0000u) << "inside Virt's kernelReserved";
  kestrel::abi::Kernel_object_counts counts = kestrel::kernel_object_counts(info);
  EXPECT_EQ(counts.threads, 2u);
  EXPECT_EQ(counts.partitions, 2u);
  for (const kestrel::abi::Partition_entry& partition : info.partitions()) {
    // Code at 2 MiB, data at 4 MiB and the stack at 8 MiB, in the first
    // GiB: one level-2 table and a level-3 table for each (none is a 2 MiB
    // block).
    EXPECT_EQ(partition.table_pages, 4u) << info.name(partition.name);
  }
  EXPECT_EQ(counts.table_pages, 8u);
  // Every region below 512 GiB: a 39-bit IPA, one page a root.
  EXPECT_EQ(area.stage2_input_bits, 39u);
  EXPECT_EQ(counts.stage2_root_tables, 1u);
  // The kernel's own map: a root; a level-2 and two level-3 tables for the
  // devices' GiB (the UART, the GIC); a level-2 and a level-3 table for the
  // kernel's 2 MiB (it starts at 0x4008'0000, not on a block).
  EXPECT_EQ(area.kernel_table_pages, 6u);
  EXPECT_EQ(counts.kernel_table_pages, 6u);
  const auto layout = kestrel::abi::layout_kernel_objects(test_object_sizes(), counts);
  EXPECT_EQ(area.size, layout.size);
  EXPECT_EQ(layout.threads.bytes(), 2u * 1664);
  EXPECT_EQ(layout.kernel_tables.offset, 0u) << "first: the kernel maps itself before it carves the rest";
  EXPECT_EQ(layout.table_roots.bytes(), 2u * 4096);
  EXPECT_EQ(image.kernel_memory.objects.size, area.size);
  EXPECT_EQ(image.kernel_memory.objects_base, area.base);
}

TEST_F(ImageTest, RefusesAKernelWithoutItsObjectSizes) {
  write_file(dir() / "kernel.elf",
             as_text(make_elf(0x40080000, {{0x40080000, std::vector<uint8_t>(0x1000, 0x11), 0x1000, PF_R | PF_X}})));
  EXPECT_NE(only_error(build_image(inputs())).find("has no .kestrel.object_sizes section"), std::string::npos);
}

TEST_F(ImageTest, RefusesKernelObjectsThatDoNotFitInKernelReserved) {
  kestrel::abi::Object_sizes huge = test_object_sizes();
  huge.objects[static_cast<uint32_t>(kestrel::abi::Kernel_object::thread)] = {0x40'0000, 16};  // 4 MiB a thread
  write_file(dir() / "kernel.elf",
             as_text(make_kernel_elf(0x40080000,
                                     {{0x40080000, std::vector<uint8_t>(0x1000, 0x11), 0x1000, PF_R | PF_X}}, huge)));
  EXPECT_NE(only_error(build_image(inputs())).find("do not fit in kernelReserved"), std::string::npos);
}

TEST_F(ImageTest, ReportAndGraphDescribeTheSystem) {
  const auto result = build_image(inputs());
  ASSERT_TRUE(result.ok());
  const auto report = image_report(*result.image, "SUMMARY");
  for (const char* line : {"  text ", "  read-only data ", "  data ", "  bss ", "  stacks ", "  kernel tables ",
                           "  threads ", "  partitions ", "  endpoints ", "  notifications ", "  irqs ",
                           "  schedulers ", "  stage-2 tables ", "  alignment ", "  total "}) {
    EXPECT_NE(report.find(line), std::string::npos) << "kernel memory line '" << line << "' in\n" << report;
  }
  EXPECT_NE(report.find("2 x 1664"), std::string::npos) << "the threads' line counts them";
  EXPECT_NE(report.find("2 x 4096 roots (39-bit IPA) + 8 x 4096 pages"), std::string::npos) << report;
  EXPECT_NE(report.find("boot-info"), std::string::npos);
  EXPECT_NE(report.find("alpha: alpha.elf segment 0"), std::string::npos);
  char digest[sha256_hex_buffer_size];
  EXPECT_NE(report.find(std::string(format_hex(result.image->digests[1], digest)) + "  beta"), std::string::npos);
  const auto graph = system_graph(*result.image->model);
  EXPECT_NE(graph.find("\"partition:alpha\" [label=<"), std::string::npos) << graph;
  EXPECT_NE(graph.find("<b>alpha</b></td></tr><tr><td>VMID 1, alpha.elf</td>"), std::string::npos) << graph;
}

namespace {

// A VMM and a Linux guest with an initrd (vm.capnp, Image, initrd).
void write_vm_system(const fs::path& dir) {
  write_file(dir / "vm.capnp", R"(@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "vm-test",
  platform = Virt.platform,
  partitions = [
    (name = "vmm", program = "alpha.elf",
     memory = [(name = "code", size = 0x10000, address = 0x200000, access = readExecute),
               (name = "data", size = 0x10000, address = 0x400000),
               (name = "stack", size = 0x4000, address = 0x800000),
               (name = "stack2", size = 0x4000, address = 0x900000),
               (name = "stack3", size = 0x4000, address = 0xa00000)],
     threads = [(name = "main", stack = "stack", cpu = 1),
                (name = "exits2", stack = "stack2", passive = true, cpu = 2),
                (name = "exits3", stack = "stack3", passive = true, cpu = 3)]),
    (name = "guest", vm = (cpus = [2, 3], ramSize = 0x1000000, kernel = "Image", initrd = "initrd", vmm = "vmm",
                           bootargs = "console=hvc0", vmmRamAddress = 0x80000000)),
  ],
  schedule = [(cpu = 1, majorFrameUs = 1000, windows = [(partition = "vmm", durationUs = 1000)]),
              (cpu = 2, exclusive = "guest"), (cpu = 3, exclusive = "guest")],
);
)");
  std::vector<uint8_t> linux_image(0x1000, 0);
  linux_image[8] = 0;          // text_offset 0
  linux_image[16 + 2] = 0x10;  // image_size 0x100000
  const uint8_t magic[] = {'A', 'R', 'M', 0x64};
  std::copy(std::begin(magic), std::end(magic), linux_image.begin() + 56);
  write_file(dir / "Image", as_text(linux_image));
  write_file(dir / "initrd", std::string(0x3000, 'i'));
}

}  // namespace

TEST_F(ImageTest, VmPayloadsGoIntoGuestRamWithADeviceTree) {
  write_vm_system(dir());
  auto in = inputs();
  in.policy_path = (dir() / "vm.capnp").string();
  const auto result = build_image(in);
  ASSERT_TRUE(result.ok()) << (result.errors.empty() ? diagnostics_text(result.diagnostics) : result.errors[0]);
  const auto& guest = result.image->model->partitions[1];
  ASSERT_EQ(guest.threads.size(), 2u);
  EXPECT_EQ(guest.threads[0].entry, 0x40000000u) << "the Image at RAM base + text_offset";
  EXPECT_EQ(guest.threads[0].boot_argument, 0x40400000u) << "initrd at 2 MiB after the kernel, the tree after that";
  EXPECT_EQ(guest.threads[1].entry, 0u) << "secondary vCPUs wait for PSCI CPU_ON";
  const auto tree = std::find_if(result.image->pieces.begin(), result.image->pieces.end(),
                                 [](const Loaded_piece& p) { return p.description == "guest: device tree"; });
  ASSERT_NE(tree, result.image->pieces.end());
  EXPECT_EQ(tree->physical_address, guest.regions[0].pa + 0x400000);
  // The VMM sees the same pages the payloads went into, and the report says so.
  const auto& vmm = result.image->model->partitions[0];
  const auto view = std::find_if(vmm.regions.begin(), vmm.regions.end(), [](const policy::Region& r) {
    return r.kind == policy::Region::Kind::guest_ram_view;
  });
  ASSERT_NE(view, vmm.regions.end());
  EXPECT_EQ(view->pa, guest.regions[0].pa);
  const auto report = image_report(*result.image, policy::summarize(*result.image->model));
  EXPECT_NE(report.find("[0x80000000, 0x81000000) -> " + policy::hex(view->pa) + "  rw-  guest-ram-of guest"),
            std::string::npos)
      << report;

  write_file(dir() / "Image", "neither an Image nor an ELF");
  EXPECT_NE(only_error(build_image(in)).find("is neither an arm64 Linux Image nor an AArch64 ELF"), std::string::npos);
}

namespace {

// Guest "physical memory" the kernel's seed filler writes: one device tree.
std::vector<uint8_t> writable_tree;
uint64_t writable_tree_address = 0;
uint8_t* write_into_tree(uint64_t address, uint64_t size) {
  if (address < writable_tree_address || address + size > writable_tree_address + writable_tree.size()) {
    return nullptr;
  }
  return writable_tree.data() + (address - writable_tree_address);
}

std::vector<uint8_t> chosen_property(const std::vector<uint8_t>& tree, const char* name) {
  int length = 0;
  const auto* value =
      static_cast<const uint8_t*>(fdt_getprop(tree.data(), fdt_path_offset(tree.data(), "/chosen"), name, &length));
  return value == nullptr ? std::vector<uint8_t>{} : std::vector<uint8_t>(value, value + length);
}

int chosen_property_count(const std::vector<uint8_t>& tree) {
  int count = 0;
  int property = 0;
  fdt_for_each_property_offset(property, tree.data(), fdt_path_offset(tree.data(), "/chosen")) { ++count; }
  return count;
}

}  // namespace

// The image's tree holds zeros where the seeds go, boot-info says where,
// and the kernel's own code (guest_seeds.cpp) fills them, or removes them
// without entropy, leaving a tree libfdt still reads.
TEST_F(ImageTest, EveryVmsTreeHasSeedPlaceholdersTheKernelFillsOrRemoves) {
  write_vm_system(dir());
  auto in = inputs();
  in.policy_path = (dir() / "vm.capnp").string();
  const auto result = build_image(in);
  ASSERT_TRUE(result.ok()) << (result.errors.empty() ? diagnostics_text(result.diagnostics) : result.errors[0]);
  const auto read = read_boot_info(result.image->boot_info.data(), result.image->boot_info.size());
  ASSERT_TRUE(read.ok()) << to_string(read.problem().error);
  const auto seeds = read.info().guest_seeds();
  ASSERT_EQ(seeds.size(), 2u) << "rng-seed and kaslr-seed";
  const auto tree = std::find_if(result.image->pieces.begin(), result.image->pieces.end(),
                                 [](const Loaded_piece& p) { return p.description == "guest: device tree"; });
  ASSERT_NE(tree, result.image->pieces.end());
  EXPECT_EQ(chosen_property(tree->bytes, "rng-seed"), std::vector<uint8_t>(64, 0));
  EXPECT_EQ(chosen_property(tree->bytes, "kaslr-seed"), std::vector<uint8_t>(8, 0));
  for (const auto& seed : seeds) {
    EXPECT_EQ(seed.partition, 1u);
    ASSERT_GE(seed.pa, tree->physical_address);
    ASSERT_LE(seed.pa + kestrel::abi::guest_seed_property_size(seed), tree->physical_address + tree->bytes.size());
    const uint8_t* property = tree->bytes.data() + (seed.pa - tree->physical_address);
    EXPECT_EQ(fdt32_ld(reinterpret_cast<const fdt32_t*>(property)), uint32_t{FDT_PROP});
    EXPECT_EQ(fdt32_ld(reinterpret_cast<const fdt32_t*>(property + 4)), seed.size);
  }
  EXPECT_EQ(seeds[0].size, 64u);
  EXPECT_EQ(seeds[1].size, 8u);

  Hmac_drbg random;
  const std::vector<uint8_t> entropy(32, 0x5e);
  random.instantiate({entropy.data(), entropy.size()}, {});
  writable_tree_address = tree->physical_address;
  std::vector<std::vector<uint8_t>> rng_seeds;
  for (int start = 0; start < 2; ++start) {
    writable_tree = tree->bytes;  // as vm_restart puts it back
    const Seed_counts counts = fill_guest_seeds(read.info(), 1, &random, write_into_tree);
    EXPECT_EQ(counts.filled, 2u);
    ASSERT_EQ(fdt_check_full(writable_tree.data(), writable_tree.size()), 0);
    const auto rng_seed = chosen_property(writable_tree, "rng-seed");
    ASSERT_EQ(rng_seed.size(), 64u);
    EXPECT_NE(rng_seed, std::vector<uint8_t>(64, 0));
    EXPECT_NE(chosen_property(writable_tree, "kaslr-seed"), std::vector<uint8_t>(8, 0));
    EXPECT_EQ(chosen_property(writable_tree, "bootargs"), chosen_property(tree->bytes, "bootargs"));
    rng_seeds.push_back(rng_seed);
    // Filled already: no longer a placeholder, so never filled twice.
    EXPECT_EQ(fill_guest_seeds(read.info(), 1, &random, write_into_tree).not_placeholders, 2u);
  }
  EXPECT_NE(rng_seeds[0], rng_seeds[1]) << "each start gets its own seed";
  EXPECT_EQ(fill_guest_seeds(read.info(), 0, &random, write_into_tree).filled, 0u) << "the VMM has no tree";

  writable_tree = tree->bytes;
  const Seed_counts counts = fill_guest_seeds(read.info(), 1, nullptr, write_into_tree);
  EXPECT_EQ(counts.removed, 2u);
  ASSERT_EQ(fdt_check_full(writable_tree.data(), writable_tree.size()), 0) << "FDT_NOP tokens are a valid tree";
  EXPECT_TRUE(chosen_property(writable_tree, "rng-seed").empty());
  EXPECT_TRUE(chosen_property(writable_tree, "kaslr-seed").empty());
  EXPECT_EQ(chosen_property_count(writable_tree), chosen_property_count(tree->bytes) - 2) << "nothing else left";
  EXPECT_EQ(chosen_property(writable_tree, "bootargs"), chosen_property(tree->bytes, "bootargs"));
  EXPECT_EQ(chosen_property(writable_tree, "linux,initrd-start"), chosen_property(tree->bytes, "linux,initrd-start"));
}
