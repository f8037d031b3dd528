// SPDX-License-Identifier: Apache-2.0
// Suggest: the edit distance and when a close name is suggested.
#include <gtest/gtest.h>

#include <kestrel/policy/suggest.hpp>

using namespace kestrel::policy;

TEST(Suggest, EditDistanceCountsInsertionsDeletionsSubstitutionsAndSwaps) {
  EXPECT_EQ(edit_distance("uart0", "uart0"), 0u);
  EXPECT_EQ(edit_distance("uart9", "uart0"), 1u);         // substitution
  EXPECT_EQ(edit_distance("prority", "priority"), 1u);    // insertion
  EXPECT_EQ(edit_distance("priorrity", "priority"), 1u);  // deletion
  EXPECT_EQ(edit_distance("werorr", "werror"), 1u);       // two neighbours swapped
  EXPECT_EQ(edit_distance("UART0", "uart0"), 0u) << "case is ignored";
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(Suggest, SuggestsTheOneCloseCandidate) {
  const std::vector<std::string> devices = {"uart0", "rtc", "gpio", "virtio0", "virtio1"};
  EXPECT_EQ(closest_name("uart9", devices), "uart0");
  EXPECT_EQ(closest_name("UART0", devices), "uart0");
  EXPECT_EQ(closest_name("gpoi", devices), "gpio");
  EXPECT_EQ(did_you_mean("uart9", devices), "did you mean 'uart0'?");
  EXPECT_EQ(hint_or_suggestion("uart9", devices, "check the spelling"), "did you mean 'uart0'?");
}

TEST(Suggest, StaysSilentWhenNothingIsCloseOrTheBestIsNotAlone) {
  const std::vector<std::string> devices = {"uart0", "rtc", "gpio", "virtio0", "virtio1"};
  EXPECT_EQ(closest_name("serial", devices), std::nullopt) << "nothing close";
  EXPECT_EQ(closest_name("virtio7", devices), std::nullopt) << "virtio0 and virtio1 are as close";
  EXPECT_EQ(closest_name("uart0", devices), std::nullopt) << "the name itself exists";
  EXPECT_EQ(closest_name("", devices), std::nullopt);
  EXPECT_EQ(closest_name("a", {"b", "c"}), std::nullopt) << "one letter in common with nothing is no typo";
  EXPECT_EQ(closest_name("nobody", {"a", "b"}), std::nullopt);
  EXPECT_EQ(closest_name("uartzero", devices), std::nullopt) << "a third of the length at most";
  EXPECT_EQ(did_you_mean("serial", devices), "");
  EXPECT_EQ(hint_or_suggestion("serial", devices, "check the spelling"), "check the spelling");
}

TEST(Suggest, NamesOfAnIndexAreItsKeys) {
  const std::map<std::string, uint32_t, std::less<>> index = {{"b", 1}, {"a", 0}};
  EXPECT_EQ(names_of(index), (std::vector<std::string>{"a", "b"}));
}
