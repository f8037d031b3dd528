// SPDX-License-Identifier: Apache-2.0
// Input router tests: the console driver's focus, per-client queues,
// doorbell rings and switch key (drivers-untrusted/console/input_router.hpp),
// byte by byte, with a sink that records what the driver would do.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "input_router.hpp"

using console_input::Client;
using console_input::doorbell_badge;
using console_input::no_doorbell;

namespace {

struct Recording_sink {
  std::vector<std::string> events;
  void ring(const Client& client) { events.push_back("ring " + std::to_string(client.badge)); }
  void focus_moved(const Client& client) { events.push_back("focus " + std::to_string(client.badge)); }
  void overflowed(const Client& client) { events.push_back("overflow " + std::to_string(client.badge)); }
  void no_input_client(uint64_t badge) { events.push_back("none " + std::to_string(badge)); }
  void help() { events.push_back("help"); }
};

class InputRouterTest : public testing::Test {
 protected:
  // Badge 1 polls (no doorbell), badges 2 and 5 have doorbells at slots 20
  // and 50, added out of order.
  void SetUp() override {
    ASSERT_TRUE(router.take_input(1, no_doorbell));
    ASSERT_TRUE(router.take_input(5, 50));
    ASSERT_TRUE(router.take_input(2, 20));
    ASSERT_TRUE(router.focus_on(1));
  }
  void type(const std::string& bytes) {
    for (const char c : bytes) router.type(c);
  }
  std::string read(uint64_t badge, size_t size = 1000) {
    std::string out(size, '\0');
    out.resize(router.read(badge, out.data(), size));
    return out;
  }
  using Events = std::vector<std::string>;

  Recording_sink sink;
  console_input::Input_router<Recording_sink> router{sink};
};

}  // namespace

TEST(DoorbellBadge, OnlyConsoleInputFollowedByADecimalBadge) {
  EXPECT_EQ(doorbell_badge("console-input-1"), 1u);
  EXPECT_EQ(doorbell_badge("console-input-42"), 42u);
  EXPECT_EQ(doorbell_badge("console-input-18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(doorbell_badge("console-input-18446744073709551616"), 0u) << "beyond 64 bits";
  EXPECT_EQ(doorbell_badge("console-input-"), 0u);
  EXPECT_EQ(doorbell_badge("console-input-0x2"), 0u);
  EXPECT_EQ(doorbell_badge("console-input-2a"), 0u);
  EXPECT_EQ(doorbell_badge("console-irq"), 0u);
  EXPECT_EQ(doorbell_badge("console-input"), 0u);
  EXPECT_EQ(doorbell_badge("done"), 0u);
}

TEST_F(InputRouterTest, TypedBytesGoToTheFocusOnlyAndRingItsDoorbellWhenItsQueueStopsBeingEmpty) {
  router.focus_on(2);
  type("ab");
  EXPECT_EQ(sink.events, Events{"ring 2"}) << "one ring for the empty queue becoming non-empty, not one per byte";
  EXPECT_EQ(read(1), "");
  EXPECT_EQ(read(5), "");
  EXPECT_EQ(read(2, 1), "a");
  type("c");
  EXPECT_EQ(sink.events, Events{"ring 2"}) << "the queue was not empty";
  EXPECT_EQ(read(2), "bc");
  type("d");
  EXPECT_EQ(sink.events, (Events{"ring 2", "ring 2"})) << "after the client read it empty";
  EXPECT_EQ(read(2), "d");
}

TEST_F(InputRouterTest, TheSwitchKeyThenNGoesRoundTheClientsInBadgeOrder) {
  type("\x1dn");
  EXPECT_EQ(router.focus()->badge, 2u);
  type("\x1dn");
  EXPECT_EQ(router.focus()->badge, 5u);
  type("\x1dn");
  EXPECT_EQ(router.focus()->badge, 1u);
  EXPECT_EQ(sink.events, (Events{"focus 2", "focus 5", "focus 1"}));
  EXPECT_EQ(read(1), "") << "the keys themselves are not input";
}

TEST_F(InputRouterTest, SwitchingFocusLeavesQueuedInputWithItsOwner) {
  type(
      "for one\x1dnfor two\x1d"
      "5for five\x1d"
      "1again");
  EXPECT_EQ(read(2), "for two");
  EXPECT_EQ(read(5), "for five");
  EXPECT_EQ(read(1), "for oneagain");
  EXPECT_EQ(sink.events, (Events{"focus 2", "ring 2", "focus 5", "ring 5", "focus 1"}))
      << "badge 1 polls: no ring for it";
}

TEST_F(InputRouterTest, TheFocusComingBackToAClientWithUnreadInputRingsAgain) {
  router.focus_on(2);
  type(
      "x\x1dn\x1d"
      "2");
  EXPECT_EQ(sink.events, (Events{"ring 2", "focus 5", "focus 2", "ring 2"}));
  EXPECT_EQ(read(2), "x");
}

TEST_F(InputRouterTest, TheSwitchKeyTwiceTypesItself) {
  type(
      "a\x1d\x1d"
      "b");
  EXPECT_EQ(read(1),
            "a\x1d"
            "b");
  EXPECT_TRUE(sink.events.empty());
}

TEST_F(InputRouterTest, ADigitOfNoInputClientOrAnotherKeySaysSoAndTypesNothing) {
  type(
      "\x1d"
      "3\x1dx\x1d"
      "0y");
  EXPECT_EQ(sink.events, (Events{"none 3", "help", "help"}));
  EXPECT_EQ(router.focus()->badge, 1u);
  EXPECT_EQ(read(1), "y");
}

TEST_F(InputRouterTest, AFullQueueLosesItsOldestBytesAndSaysSoOnceUntilItRunsEmpty) {
  router.focus_on(2);
  std::string typed;
  for (uint32_t i = 0; i < console_input::queue_bytes + 3; ++i) typed += static_cast<char>('a' + i % 26);
  type(typed);
  EXPECT_EQ(sink.events, (Events{"ring 2", "overflow 2"}));
  EXPECT_EQ(read(2, 4), typed.substr(3, 4)) << "the three oldest bytes went";
  type("!");
  EXPECT_EQ(sink.events.size(), 2u) << "still not empty: no ring, and no second overflow line";
  EXPECT_EQ(read(2), typed.substr(7) + "!");
  type(typed);
  EXPECT_EQ(sink.events, (Events{"ring 2", "overflow 2", "ring 2", "overflow 2"})) << "said again once it ran empty";
}

TEST_F(InputRouterTest, ClientsThatTakeNoInputReadNothingAndCannotBeFocused) {
  EXPECT_FALSE(router.focus_on(3));
  type("x");
  EXPECT_EQ(read(3), "");
  EXPECT_EQ(router.find(3), nullptr);
  EXPECT_EQ(router.find(5)->doorbell, 50u);
}

TEST(InputRouter, HoldsAtMostMaxClientsAndAddingOneAgainOnlySetsItsDoorbell) {
  Recording_sink sink;
  console_input::Input_router<Recording_sink> router{sink};
  for (uint64_t badge = 1; badge <= console_input::max_clients; ++badge) EXPECT_TRUE(router.take_input(badge, badge));
  EXPECT_FALSE(router.take_input(100, 100));
  EXPECT_TRUE(router.take_input(3, 33));
  EXPECT_EQ(router.find(3)->doorbell, 33u);
}

TEST(InputRouter, WithoutFocusTypedBytesGoNowhereAndNStartsAtTheFirstClient) {
  Recording_sink sink;
  console_input::Input_router<Recording_sink> router{sink};
  router.type('x');
  EXPECT_EQ(router.focus(), nullptr);
  router.type(console_input::switch_key);
  router.type('n');
  EXPECT_TRUE(sink.events.empty()) << "no client at all";
  router.take_input(7, 70);
  router.type(console_input::switch_key);
  router.type('n');
  EXPECT_EQ(sink.events, std::vector<std::string>{"focus 7"});
}
