// SPDX-License-Identifier: Apache-2.0
// Check: the program sources a policy names, and its one-line summary.
#include <kestrel_cli/check.hpp>

#include <map>

#include <kestrel_cli/programs.hpp>

namespace kestrel_cli {
namespace {

namespace fs = std::filesystem;

std::string counted(size_t count, const std::string& thing) {
  return std::to_string(count) + ' ' + thing + (count == 1 ? "" : "s");
}

}  // namespace

std::optional<fs::path> program_source(const kestrel::policy::Partition& partition, const std::string& policy) {
  if (partition.vm || !compiled_program_name(partition.program)) return std::nullopt;
  fs::path source = partition.program;
  if (source.is_relative()) source = fs::path(policy).parent_path() / source;
  return fs::absolute(source).lexically_normal();
}

void check_program_sources(const kestrel::policy::Model& model, const std::string& policy,
                           kestrel::policy::Diagnostics& diagnostics) {
  std::map<std::string, const kestrel::policy::Partition*> by_elf;
  for (const auto& partition : model.partitions) {
    const auto source = program_source(partition, policy);
    if (!source) continue;
    // Each partition's program is built on its own (its kestrel/slots.hpp
    // differs), into <stem>.elf, which the image builder finds by name.
    const std::string elf = *compiled_program_name(partition.program);
    if (const auto [other, inserted] = by_elf.emplace(elf, &partition); !inserted) {
      diagnostics.report(
          kestrel::policy::Code::program_elf_name_clash, partition.src.at("program"),
          "partitions \"" + other->second->name + "\" and \"" + partition.name + "\" would both compile to " + elf,
          "each partition's program is built on its own (its kestrel/slots.hpp differs); give each "
          "source its own file name");
    }
    if (fs::is_regular_file(*source)) continue;
    diagnostics.report(kestrel::policy::Code::program_source_missing, partition.src.at("program"),
                       "program \"" + partition.program + "\" of partition \"" + partition.name +
                           "\" not found: no file " + source->string(),
                       "a relative program path is relative to the policy's directory (" +
                           fs::absolute(policy).parent_path().lexically_normal().string() + ")");
  }
}

std::string one_line_summary(const kestrel::policy::Model& model) {
  size_t threads = 0, vms = 0, vcpus = 0, endpoints = 0;
  for (const auto& partition : model.partitions) {
    // A VM's threads are its vCPUs, counted with it.
    if (partition.vm) {
      ++vms;
      vcpus += partition.vm->cpus.size();
    } else {
      threads += partition.threads.size();
    }
  }
  // The compiler's own endpoints (VM exits) are not the author's.
  for (const auto& endpoint : model.endpoints) endpoints += endpoint.implicit ? 0 : 1;
  std::string text = counted(model.partitions.size(), "partition") + ", " + counted(threads, "thread") + " on " +
                     counted(model.schedule.size(), "CPU") + ", " + counted(endpoints, "endpoint");
  if (vms != 0) text += ", " + counted(vms, "VM") + " (" + counted(vcpus, "vCPU") + ")";
  return text;
}

}  // namespace kestrel_cli
