// SPDX-License-Identifier: Apache-2.0
// System graph tests: the picture's Graphviz source draws every kind of
// connection between partitions (one test per kind, on the example
// systems), explains them in a legend, and Graphviz lays it out.
#include <gtest/gtest.h>

#include <sstream>

#include <kestrel/policy/compiler.hpp>
#include <kestrel/sysimage/output.hpp>

#include "../policy/policy_test_support.hpp"

namespace fs = std::filesystem;
using namespace kestrel;

namespace {

std::string graph_of(const fs::path& policy) {
  const auto compiled = policy::compile_policy(policy.string(), {});
  EXPECT_TRUE(compiled.ok()) << diagnostics_text(compiled.diagnostics);
  return compiled.ok() ? sysimage::system_graph(*compiled.model) : std::string{};
}

const std::string& demo_graph() {
  static const std::string graph = graph_of(examples_directory() / "demo" / "demo.capnp");
  return graph;
}

const std::string& linux_graph() {
  static const std::string graph = graph_of(examples_directory() / "linux" / "linux.capnp");
  return graph;
}

// The lines of `graph` that draw an edge from node `from` to node `to`.
std::vector<std::string> edges(const std::string& graph, const std::string& from, const std::string& to) {
  std::vector<std::string> found;
  std::istringstream lines(graph);
  const std::string head = "\"" + from + "\" -> \"" + to + "\" ";
  for (std::string line; std::getline(lines, line);) {
    if (line.find(head) != std::string::npos) found.push_back(line);
  }
  return found;
}

// The one edge from `from` to `to` with `label`, or an empty string.
std::string edge_with(const std::string& graph, const std::string& from, const std::string& to,
                      const std::string& label) {
  for (const auto& line : edges(graph, from, to)) {
    if (line.find("label=\"" + label + "\"") != std::string::npos) return line;
  }
  return {};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(SystemGraph, NotificationsConnectTheirSignallersToTheirOwnerWithBadges) {
  // The demo's supervisor is woken by alpha and rogue: without these edges
  // it would look connected to nothing but the console.
  const std::string alpha = edge_with(demo_graph(), "partition:alpha", "partition:supervisor", "signal done\\nbadge 1");
  EXPECT_FALSE(alpha.empty()) << demo_graph();
  EXPECT_TRUE(contains(alpha, "color=\"#d95f02\"")) << alpha;
  EXPECT_FALSE(edge_with(demo_graph(), "partition:rogue", "partition:supervisor", "signal done\\nbadge 2").empty());
}

TEST(SystemGraph, CallsCarryTheEndpointAndTheClientsBadge) {
  EXPECT_FALSE(edge_with(demo_graph(), "partition:alpha", "partition:beta", "call ping\\nbadge 1").empty())
      << demo_graph();
  EXPECT_FALSE(edge_with(demo_graph(), "partition:supervisor", "partition:console", "call console\\nbadge 4").empty());
}

TEST(SystemGraph, ChannelsGoFromWriterToReaderAndShowTheirDoorbell) {
  const std::string news = edge_with(demo_graph(), "partition:beta", "partition:alpha", "channel news\\nwith doorbell");
  EXPECT_FALSE(news.empty()) << demo_graph();
  EXPECT_TRUE(contains(news, "style=dashed")) << news;
  // The doorbell is the channel's own notification: no second edge for it.
  EXPECT_EQ(edges(demo_graph(), "partition:beta", "partition:alpha").size(), 1u);
}

TEST(SystemGraph, APassiveServerSaysItRunsOnItsCallersTime) {
  std::istringstream lines(demo_graph());
  std::string beta, alpha;
  for (std::string line; std::getline(lines, line);) {
    if (contains(line, "\"partition:beta\" [label=")) beta = line;
    if (contains(line, "\"partition:alpha\" [label=")) alpha = line;
  }
  EXPECT_TRUE(contains(beta, "passive server: runs on its callers' time")) << beta;
  EXPECT_TRUE(contains(beta, "main: CPU 0, priority 30, passive")) << beta;
  EXPECT_FALSE(contains(alpha, "passive")) << alpha;
}

TEST(SystemGraph, EachCpuIsAClusterWithItsTimeWindowsPointingAtTheirPartitions) {
  const std::string& graph = demo_graph();
  const size_t cluster = graph.find("subgraph \"cluster_cpu0\" {");
  ASSERT_NE(cluster, std::string::npos) << graph;
  EXPECT_TRUE(contains(graph.substr(cluster, 200), "CPU 0, major frame 4000 us")) << graph;
  EXPECT_TRUE(contains(graph, "<td port=\"w1\" align=\"left\">1000 us: alpha</td>")) << graph;
  // Window 2 is the supervisor's; beta, a passive server, has none.
  EXPECT_TRUE(contains(graph, "\"schedule:cpu0\":w2:e -> \"partition:supervisor\"")) << graph;
  EXPECT_FALSE(contains(graph, "-> \"partition:beta\" [color=\"#b8b8b8\"")) << graph;
  // Partitions that run only on CPU 0 are drawn inside its cluster.
  const size_t cluster_end = graph.find("\n  }\n", cluster);
  EXPECT_TRUE(contains(graph.substr(cluster, cluster_end - cluster), "\"partition:rogue\" [label=")) << graph;
}

TEST(SystemGraph, DevicesConnectToTheirOwnerWithTheirInterruptsNotification) {
  const auto grant = edges(demo_graph(), "device:uart0", "partition:console");
  ASSERT_EQ(grant.size(), 1u) << demo_graph();
  EXPECT_TRUE(contains(grant[0], "IRQ 33 signals console-irq")) << grant[0];
  EXPECT_TRUE(contains(demo_graph(), "\"device:uart0\" [shape=ellipse")) << demo_graph();
}

TEST(SystemGraph, ThePowerCapabilityAndTheKernelConsoleAreEdgesToTheKernelsNodes) {
  EXPECT_FALSE(edge_with(demo_graph(), "partition:supervisor", "kernel:power", "may power off").empty())
      << demo_graph();
  EXPECT_TRUE(edges(demo_graph(), "partition:alpha", "kernel:power").empty());
  // The Linux example powers off when no thread is left, and its control
  // partition prints on the kernel's console.
  EXPECT_TRUE(contains(linux_graph(), "off when no thread is left")) << linux_graph();
  EXPECT_FALSE(edges(linux_graph(), "partition:control", "kernel:console").empty()) << linux_graph();
}

TEST(SystemGraph, AVmmIsConnectedToItsVirtualMachine) {
  EXPECT_FALSE(edge_with(linux_graph(), "partition:vmm", "partition:linux", "VMM of").empty()) << linux_graph();
  // Its exits arrive on implicit endpoints, drawn as that one edge, not as calls.
  EXPECT_FALSE(contains(linux_graph(), "call linux.exits")) << linux_graph();
}

TEST(SystemGraph, TheLegendExplainsEveryKindOfEdge) {
  for (const char* meaning : {"call to an endpoint", "shared-memory channel", "notification signal", "device granted",
                              "VMM of a virtual machine", "may power the machine off", "prints on the kernel",
                              "time window on a CPU", "passive server", "virtual machine"}) {
    EXPECT_TRUE(contains(demo_graph(), meaning)) << meaning;
  }
  EXPECT_TRUE(contains(demo_graph(), "subgraph \"cluster_legend\"")) << demo_graph();
}

TEST(SystemGraph, GraphvizLaysOutTheDemo) {
  Scratch_directory scratch;
  const fs::path svg = scratch.path() / "demo.svg";
  ASSERT_EQ(sysimage::render_svg(demo_graph(), svg.string()), "") << "Graphviz is installed by scripts/install-deps";
  const std::string text = read_file(svg);
  EXPECT_TRUE(contains(text, "<svg")) << text.substr(0, 200);
  EXPECT_TRUE(contains(text, "signal done")) << "the notification's label is drawn";
}
