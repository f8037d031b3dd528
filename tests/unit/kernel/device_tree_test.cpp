// SPDX-License-Identifier: Apache-2.0
// Kernel device-tree tests: finding /chosen properties in trees libfdt
// made (as QEMU's virt machine does), refusing malformed ones, and a seed
// placeholder left alone when it is not one.
#include <gtest/gtest.h>
#include <libfdt.h>

#include <cstdint>
#include <string>
#include <vector>

#include <kestrel/device_tree.hpp>
#include <kestrel/guest_seeds.hpp>

namespace {

using Tree = std::vector<uint8_t>;

// A tree like QEMU's: /chosen with rng-seed and kaslr-seed, another node
// with a property of the same name, a chosen node deeper down, and NOPs.
Tree machine_tree() {
  Tree tree(4096);
  void* fdt = tree.data();
  EXPECT_EQ(fdt_create(fdt, static_cast<int>(tree.size())), 0);
  EXPECT_EQ(fdt_finish_reservemap(fdt), 0);
  EXPECT_EQ(fdt_begin_node(fdt, ""), 0);
  EXPECT_EQ(fdt_property_string(fdt, "compatible", "linux,dummy-virt"), 0);
  EXPECT_EQ(fdt_begin_node(fdt, "decoy"), 0);
  EXPECT_EQ(fdt_property_string(fdt, "rng-seed", "not this one"), 0);
  EXPECT_EQ(fdt_begin_node(fdt, "chosen"), 0);
  EXPECT_EQ(fdt_property_string(fdt, "kaslr-seed", "nor this one"), 0);
  EXPECT_EQ(fdt_end_node(fdt), 0);
  EXPECT_EQ(fdt_end_node(fdt), 0);
  EXPECT_EQ(fdt_begin_node(fdt, "chosen"), 0);
  EXPECT_EQ(fdt_property_string(fdt, "stdout-path", "/pl011@9000000"), 0);
  const uint8_t seed[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
  EXPECT_EQ(fdt_property(fdt, "rng-seed", seed, sizeof seed), 0);
  EXPECT_EQ(fdt_property_u64(fdt, "kaslr-seed", 0x0123'4567'89ab'cdefULL), 0);
  EXPECT_EQ(fdt_end_node(fdt), 0);
  EXPECT_EQ(fdt_end_node(fdt), 0);
  EXPECT_EQ(fdt_finish(fdt), 0);
  EXPECT_EQ(fdt_open_into(fdt, fdt, static_cast<int>(tree.size())), 0);
  // A NOP before /chosen's properties, as a loader that removed one leaves.
  EXPECT_EQ(fdt_nop_property(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path"), 0);
  return tree;
}

std::string found(Tree& tree, const char* name, size_t available = 0) {
  const auto value = kestrel::fdt::find_chosen_property(tree.data(), available == 0 ? tree.size() : available, name);
  return {value.begin(), value.end()};
}

}  // namespace

TEST(DeviceTree, FindsPropertiesOfTheTopLevelChosenOnly) {
  Tree tree = machine_tree();
  const std::string rng_seed = found(tree, "rng-seed");
  ASSERT_EQ(rng_seed.size(), 32u);
  EXPECT_EQ(rng_seed[16], 17);
  EXPECT_EQ(found(tree, "kaslr-seed"), std::string("\x01\x23\x45\x67\x89\xab\xcd\xef", 8));
  EXPECT_EQ(found(tree, "stdout-path"), "") << "NOPed away";
  EXPECT_EQ(found(tree, "compatible"), "") << "the root's, not /chosen's";
  EXPECT_EQ(found(tree, "rng-see"), "");
  // The span points into the tree, so the kernel can wipe what it read.
  const auto value = kestrel::fdt::find_chosen_property(tree.data(), tree.size(), "rng-seed");
  EXPECT_GT(value.data(), tree.data());
  EXPECT_LT(value.data(), tree.data() + tree.size());
}

TEST(DeviceTree, RefusesWhatIsNotAWholeTree) {
  Tree tree = machine_tree();
  EXPECT_EQ(found(tree, "rng-seed", fdt_totalsize(tree.data()) - 1), "") << "cut short";
  EXPECT_EQ(kestrel::fdt::find_chosen_property(nullptr, 4096, "rng-seed").size(), 0u);
  Tree zeros(4096, 0);
  EXPECT_EQ(found(zeros, "rng-seed"), "") << "no tree (what the kernel finds when QEMU loaded none)";
  Tree bad_struct = tree;
  fdt_set_size_dt_struct(bad_struct.data(), fdt_totalsize(tree.data()));
  EXPECT_EQ(found(bad_struct, "rng-seed"), "") << "structure block past the end";
  // Every prefix of the structure block: the walk stays inside and finds
  // nothing it should not.
  for (uint32_t size = 0; size < fdt_size_dt_struct(tree.data()); size += 4) {
    Tree cut = tree;
    fdt_set_size_dt_struct(cut.data(), size);
    const std::string value = found(cut, "rng-seed");
    EXPECT_TRUE(value.empty() || value.size() == 32u) << size;
  }
  Tree garbage = tree;
  for (uint32_t at = fdt_off_dt_struct(tree.data()); at < fdt_off_dt_strings(tree.data()); at += 4) {
    garbage[at + 3] = 0x77;  // no token has this value
  }
  EXPECT_EQ(found(garbage, "rng-seed"), "");
}

TEST(DeviceTree, LeavesWhatIsNotAPlaceholderAlone) {
  kestrel::Hmac_drbg random;
  const uint8_t entropy[32] = {1};
  random.instantiate({entropy, sizeof entropy}, {});
  // A property: FDT_PROP, length 8, name offset 0, value.
  auto property = [](uint32_t token, uint32_t length, uint8_t first_value_byte) {
    std::vector<uint8_t> bytes(12 + 8, 0);
    kestrel::fdt::write_be32(bytes.data(), token);
    kestrel::fdt::write_be32(bytes.data() + 4, length);
    bytes[12] = first_value_byte;
    return bytes;
  };
  for (auto bytes : {property(kestrel::fdt::nop, 8, 0), property(kestrel::fdt::property, 4, 0),
                     property(kestrel::fdt::property, 8, 1)}) {
    const auto before = bytes;
    EXPECT_EQ(kestrel::fill_seed_placeholder(bytes.data(), 8, &random), kestrel::Seed_fill::not_a_placeholder);
    EXPECT_EQ(kestrel::fill_seed_placeholder(bytes.data(), 8, nullptr), kestrel::Seed_fill::not_a_placeholder);
    EXPECT_EQ(bytes, before);
  }
  auto placeholder = property(kestrel::fdt::property, 8, 0);
  EXPECT_EQ(kestrel::fill_seed_placeholder(placeholder.data(), 8, nullptr), kestrel::Seed_fill::removed);
  for (size_t word = 0; word < placeholder.size() / 4; ++word) {
    EXPECT_EQ(kestrel::fdt::read_be32(placeholder.data() + 4 * word), uint32_t{kestrel::fdt::nop});
  }
  kestrel::Hmac_drbg unseeded;
  placeholder = property(kestrel::fdt::property, 8, 0);
  EXPECT_EQ(kestrel::fill_seed_placeholder(placeholder.data(), 8, &unseeded), kestrel::Seed_fill::removed)
      << "a generator never seeded counts as none";
}
