// SPDX-License-Identifier: Apache-2.0
// System graph: the picture of a system as Graphviz source. Every kind of
// connection between partitions is drawn in its own colour and explained in
// a legend: calls (with badges), channels, notifications (with badges),
// devices and their interrupts, VMM relations, the power capability, the
// kernel console, and each CPU's time windows as a cluster.
#include <algorithm>
#include <set>
#include <sstream>

#include <kestrel/policy/model.hpp>
#include <kestrel/policy/text.hpp>
#include <kestrel/sysimage/output.hpp>

namespace kestrel::sysimage {
namespace {

using policy::hex;
using policy::Model;
using policy::none;
using policy::Partition;

// One colour per kind of connection; the legend uses the same table.
struct Edge_kind {
  const char* color;
  const char* style;
  const char* meaning;
};
constexpr Edge_kind call_edge{"black", "solid", "call to an endpoint (client to server), with the client's badge"};
constexpr Edge_kind channel_edge{"#1f78b4", "dashed", "shared-memory channel (writer to reader)"};
constexpr Edge_kind notification_edge{"#d95f02", "solid", "notification signal (signaller to owner), with its badge"};
constexpr Edge_kind device_edge{"#666666", "dotted", "device granted to a partition, its interrupt's notification"};
constexpr Edge_kind vmm_edge{"#7b3294", "bold", "VMM of a virtual machine (receives its exits)"};
constexpr Edge_kind power_edge{"#d7191c", "solid", "may power the machine off"};
constexpr Edge_kind console_edge{"#999999", "solid", "prints on the kernel's console"};
constexpr Edge_kind window_edge{"#b8b8b8", "dotted", "time window on a CPU (its schedule, in order)"};

std::string dot_quoted(const std::string& text) {
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '\\';  // names hold no backslashes; labels use \n for new lines
    quoted += c;
  }
  return quoted + "\"";
}

// Text inside an HTML-like label.
std::string html(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Node names carry their kind, so a partition called "power" cannot be
// mistaken for the power node.
std::string partition_node(const Partition& partition) { return dot_quoted("partition:" + partition.name); }
std::string device_node(const std::string& device) { return dot_quoted("device:" + device); }
std::string schedule_node(uint32_t cpu) { return dot_quoted("schedule:cpu" + std::to_string(cpu)); }
const std::string power_node = dot_quoted("kernel:power");
const std::string console_node = dot_quoted("kernel:console");

std::string edge_attributes(const Edge_kind& kind, const std::string& label) {
  std::string out = std::string("[color=") + dot_quoted(kind.color) + ", fontcolor=" + dot_quoted(kind.color) +
                    ", style=" + kind.style;
  if (!label.empty()) out += ", label=" + dot_quoted(label);
  return out + "]";
}

std::string with_badge(const std::string& text, uint64_t badge) {
  return badge == 0 ? text : text + "\\nbadge " + std::to_string(badge);
}

// The CPU a partition's threads all run on, or none if they run on several
// (or it has none): it is drawn inside that CPU's cluster.
uint32_t home_cpu(const Partition& partition) {
  uint32_t cpu = none;
  for (const auto& thread : partition.threads) {
    if (cpu != none && thread.cpu != cpu) return none;
    cpu = thread.cpu;
  }
  return cpu;
}

// A box with the partition's name, VMID and program, then a line per thread
// (passive servers say so) and its capabilities over the machine.
std::string partition_label(const Partition& partition) {
  const bool passive =
      !partition.threads.empty() && std::all_of(partition.threads.begin(), partition.threads.end(),
                                                [](const policy::Thread& thread) { return thread.passive; });
  const char* fill = partition.vm ? "#deebf7" : passive ? "#f0f0f0" : "white";
  std::ostringstream out;
  out << "<<table border=\"1\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"2\" style=\"rounded\" bgcolor=\""
      << fill << "\"><tr><td><b>" << html(partition.name) << "</b></td></tr>";
  std::string what = "VMID " + std::to_string(partition.vmid);
  if (partition.vm) {
    what += ", VM: " + std::to_string(partition.vm->cpus.size()) + " vCPUs";
  } else if (!partition.program.empty()) {
    const size_t slash = partition.program.find_last_of('/');
    what += ", " + partition.program.substr(slash == std::string::npos ? 0 : slash + 1);
  }
  out << "<tr><td>" << html(what) << "</td></tr>";
  if (passive) out << "<tr><td><i>passive server: runs on its callers' time</i></td></tr>";
  for (const auto& thread : partition.threads) {
    if (thread.vcpu) continue;
    std::string line =
        thread.name + ": CPU " + std::to_string(thread.cpu) + ", priority " + std::to_string(thread.priority);
    if (thread.passive) line += ", passive";
    if (thread.budget_us != 0) {
      line += ", " + std::to_string(thread.budget_us) + " us every " + std::to_string(thread.period_us) + " us";
    }
    out << "<tr><td align=\"left\"><font point-size=\"9\">" << html(line) << "</font></td></tr>";
  }
  out << "</table>>";
  return out.str();
}

// A CPU's schedule as a table, one row (and port) per window, in order.
std::string schedule_label(const Model& model, const policy::Cpu_plan& plan) {
  std::ostringstream out;
  out << "<<table border=\"1\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"2\" bgcolor=\"#fffbe6\">"
      << "<tr><td><b>CPU " << plan.cpu << " windows</b></td></tr>";
  for (size_t w = 0; w < plan.windows.size(); ++w) {
    const auto& window = plan.windows[w];
    const std::string who = window.partition == none ? "(idle)" : model.partitions[window.partition].name;
    out << "<tr><td port=\"w" << w << "\" align=\"left\">" << window.duration_us << " us: " << html(who)
        << "</td></tr>";
  }
  out << "</table>>";
  return out.str();
}

std::string legend() {
  std::ostringstream out;
  out << "  subgraph \"cluster_legend\" {\n    label=\"legend\"; style=rounded; color=\"#cccccc\";\n"
      << "    \"legend\" [shape=plaintext, label=<<table border=\"0\" cellspacing=\"0\" cellpadding=\"1\">";
  for (const Edge_kind* kind : {&call_edge, &channel_edge, &notification_edge, &device_edge, &vmm_edge, &power_edge,
                                &console_edge, &window_edge}) {
    out << "<tr><td align=\"left\"><font color=\"" << kind->color << "\">" << kind->style << " line</font></td>"
        << "<td align=\"left\">" << html(kind->meaning) << "</td></tr>";
  }
  out << "<tr><td align=\"left\">grey box</td><td align=\"left\">passive server</td></tr>"
      << "<tr><td align=\"left\"><font color=\"#3182bd\">blue box</font></td>"
      << "<td align=\"left\">virtual machine</td></tr></table>>];\n  }\n";
  return out.str();
}

class Graph_writer {
 public:
  explicit Graph_writer(const Model& model) : model_{model} {}

  std::string write() {
    out_ << "digraph " << dot_quoted(model_.name) << " {\n"
         << "  graph [rankdir=LR, splines=true, overlap=false, nodesep=0.4, ranksep=0.9, fontname=\"Helvetica\","
         << " fontsize=12, labelloc=t, label=" << dot_quoted("system \"" + model_.name + "\"") << "];\n"
         << "  node [fontname=\"Helvetica\", fontsize=10, shape=plaintext];\n"
         << "  edge [fontname=\"Helvetica\", fontsize=9];\n";
    cpu_clusters();
    for (const auto& partition : model_.partitions) {
      if (home_cpu(partition) == none) out_ << "  " << node(partition) << '\n';
    }
    calls();
    channels();
    notifications();
    devices();
    vmms_power_and_console();
    out_ << legend() << "}\n";
    return out_.str();
  }

 private:
  std::string node(const Partition& partition) {
    return partition_node(partition) + " [label=" + partition_label(partition) + "];";
  }

  // One cluster per CPU: its schedule and the partitions that run only on
  // it; a dotted edge from each window to its partition.
  void cpu_clusters() {
    std::set<uint32_t> cpus;
    for (const auto& plan : model_.schedule) cpus.insert(plan.cpu);
    for (const auto& partition : model_.partitions) {
      if (home_cpu(partition) != none) cpus.insert(home_cpu(partition));
    }
    for (const uint32_t cpu : cpus) {
      const auto plan = std::find_if(model_.schedule.begin(), model_.schedule.end(),
                                     [&](const policy::Cpu_plan& p) { return p.cpu == cpu; });
      std::string title = "CPU " + std::to_string(cpu);
      if (plan != model_.schedule.end()) {
        title += ", major frame " + std::to_string(plan->major_frame_us) + " us";
        if (plan->exclusive != none) title += ", exclusive to " + model_.partitions[plan->exclusive].name;
      }
      out_ << "  subgraph " << dot_quoted("cluster_cpu" + std::to_string(cpu)) << " {\n    label=" << dot_quoted(title)
           << "; style=rounded; color=\"#bbbbbb\";\n";
      if (plan != model_.schedule.end()) {
        out_ << "    " << schedule_node(cpu) << " [label=" << schedule_label(model_, *plan) << "];\n";
      }
      for (const auto& partition : model_.partitions) {
        if (home_cpu(partition) == cpu) out_ << "    " << node(partition) << '\n';
      }
      out_ << "  }\n";
      if (plan == model_.schedule.end()) continue;
      for (size_t w = 0; w < plan->windows.size(); ++w) {
        if (plan->windows[w].partition == none) continue;
        out_ << "  " << schedule_node(cpu) << ":w" << w << ":e -> "
             << partition_node(model_.partitions[plan->windows[w].partition]) << ' ' << edge_attributes(window_edge, "")
             << ";\n";
      }
    }
  }

  void edge(uint32_t from, uint32_t to, const Edge_kind& kind, const std::string& label) {
    out_ << "  " << partition_node(model_.partitions[from]) << " -> " << partition_node(model_.partitions[to]) << ' '
         << edge_attributes(kind, label) << ";\n";
  }

  void calls() {
    for (const auto& endpoint : model_.endpoints) {
      if (endpoint.server == none || endpoint.implicit) continue;  // VM exits: the VMM edge
      for (const auto& client : endpoint.clients) {
        if (client.partition != none) {
          edge(client.partition, endpoint.server, call_edge, with_badge("call " + endpoint.name, client.badge));
        }
      }
    }
  }

  void channels() {
    for (const auto& channel : model_.channels) {
      if (channel.writer.partition == none) continue;
      const std::string label = "channel " + channel.name + (channel.doorbell ? "\\nwith doorbell" : "");
      for (const auto& reader : channel.readers) {
        if (reader.partition != none) edge(channel.writer.partition, reader.partition, channel_edge, label);
      }
    }
  }

  // Written notifications; a channel's doorbell is drawn with its channel,
  // a device's interrupt with its device.
  void notifications() {
    for (const auto& notification : model_.notifications) {
      if (notification.owner == none || notification.implicit) continue;
      for (const auto& signaller : notification.signallers) {
        if (signaller.partition == none) continue;
        edge(signaller.partition, notification.owner, notification_edge,
             with_badge("signal " + notification.name, signaller.badge));
      }
    }
  }

  void devices() {
    for (const auto& partition : model_.partitions) {
      for (const auto& grant : partition.grants) {
        if (grant.device == none) continue;
        const auto& device = model_.platform.devices[grant.device];
        std::string label = "device " + device.name;
        if (!device.mmio.empty()) label += "\\n" + hex(device.mmio.front().base);
        out_ << "  " << device_node(device.name)
             << " [shape=ellipse, style=dashed, color=" << dot_quoted(device_edge.color)
             << ", label=" << dot_quoted(label) << "];\n";
        std::string grant_label = "owns";
        if (grant.notification != none) {
          grant_label += "\\nIRQ";
          for (const uint32_t interrupt : device.interrupts) grant_label += " " + std::to_string(interrupt);
          grant_label += " signals " + model_.notifications[grant.notification].name;
          if (grant.badge != 0) grant_label += "\\nbadge " + std::to_string(grant.badge);
        }
        out_ << "  " << device_node(device.name) << " -> " << partition_node(partition) << ' '
             << edge_attributes(device_edge, grant_label) << ";\n";
      }
    }
  }

  void vmms_power_and_console() {
    bool power = false;
    bool console = false;
    for (uint32_t p = 0; p < model_.partitions.size(); ++p) {
      const Partition& partition = model_.partitions[p];
      if (partition.vm && partition.vm->vmm != none) edge(partition.vm->vmm, p, vmm_edge, "VMM of");
      if (partition.may_power_off) {
        out_ << "  " << partition_node(partition) << " -> " << power_node << ' '
             << edge_attributes(power_edge, "may power off") << ";\n";
        power = true;
      }
      if (partition.kernel_console) {
        out_ << "  " << partition_node(partition) << " -> " << console_node << ' '
             << edge_attributes(console_edge, "prints") << ";\n";
        console = true;
      }
    }
    if (power || model_.power_off_when_no_thread_left) {
      out_ << "  " << power_node
           << " [shape=box, style=\"rounded,filled\", fillcolor=\"#fde0dd\", color=" << dot_quoted(power_edge.color)
           << ", label="
           << dot_quoted(model_.power_off_when_no_thread_left ? "machine power\\n(off when no thread is left)"
                                                              : "machine power")
           << "];\n";
    }
    if (console) out_ << "  " << console_node << " [shape=box, style=rounded, label=\"kernel console\"];\n";
  }

  const Model& model_;
  std::ostringstream out_;
};

}  // namespace

std::string system_graph(const Model& model) { return Graph_writer{model}.write(); }

}  // namespace kestrel::sysimage
