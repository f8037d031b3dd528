// SPDX-License-Identifier: Apache-2.0
// Image: layout of the kernel, boot-info, partition programs and guest
// payloads in physical memory, and their measurement.
#include <kestrel/sysimage/image.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <arch/page_table_format.hpp>
#include <kestrel/abi/boot_info.hpp>
#include <kestrel/kernel_objects.hpp>
#include <kestrel/policy/stages.hpp>
#include <kestrel/policy/text.hpp>
#include <kestrel/sysimage/elf_file.hpp>
#include <kestrel/sysimage/pristine.hpp>
#include <kestrel/sysimage/signing.hpp>

#include "guest_placement.hpp"
#include "kernel_memory.hpp"

namespace kestrel::sysimage {
namespace {

using policy::hex;

namespace fs = std::filesystem;
using policy::Access;
using policy::Model;
using policy::none;
using policy::Partition;
using policy::Region;

constexpr uint64_t max_payload_size = 1ULL << 30;

// "<stem>.elf" for a program given as C++ source ("hello.cpp" or
// "src/hello.cc"): the ELF `kestrel build` compiles it into.
std::optional<std::string> compiled_program_name(const std::string& program) {
  const fs::path path(program);
  if (path.extension() != ".cpp" && path.extension() != ".cc") return std::nullopt;
  return path.stem().string() + ".elf";
}

uint64_t align_up(uint64_t value, uint64_t alignment) { return (value + alignment - 1) & ~(alignment - 1); }

class Layout {
 public:
  Layout(const Image_inputs& inputs, Image_result& result) : inputs_{inputs}, result_{result} {}

  void run(const policy::Compile_result& compiled) {
    if (!compiled.ok() || !compiled.model) {
      error("the policy " + inputs_.policy_path + " did not compile");
      return;
    }
    image_.policy = compiled.policy;
    image_.model = std::make_shared<Model>(*compiled.model);
    Model& model = *image_.model;
    place_kernel(model);
    for (uint32_t p = 0; p < model.partitions.size(); ++p) {
      Partition& partition = model.partitions[p];
      if (partition.vm) {
        place_guest(p, partition);
      } else if (!partition.program.empty()) {
        place_program(p, partition);
      }
    }
    if (!result_.errors.empty()) return;
    check_no_overlaps();
    if (!result_.errors.empty()) return;
    Pristine_layout pristine = place_pristine_copies(model, image_.pieces);
    if (!pristine.error.empty()) {
      error(pristine.error);
      return;
    }
    measure_and_emit(model, pristine.entries);
    for (Loaded_piece& copy : pristine.pieces) image_.pieces.push_back(std::move(copy));
    if (!result_.errors.empty()) return;
    std::sort(image_.pieces.begin(), image_.pieces.end(),
              [](const Loaded_piece& a, const Loaded_piece& b) { return a.physical_address < b.physical_address; });
    result_.image = std::move(image_);
  }

 private:
  void error(std::string message) { result_.errors.push_back(std::move(message)); }

  // A file named in the policy: absolute, or relative to the policy's
  // directory, then to each search directory.
  std::optional<std::string> find_file(const std::string& name, const std::string& what) {
    std::vector<fs::path> candidates;
    if (fs::path(name).is_absolute()) {
      candidates.emplace_back(name);
    } else {
      candidates.push_back(fs::path(inputs_.policy_path).parent_path() / name);
      for (const auto& directory : inputs_.search_directories) candidates.push_back(fs::path(directory) / name);
    }
    return first_existing(candidates, what + " '" + name + "'", "add a directory with -P");
  }

  // A program named as C++ source stands for the ELF `kestrel build`
  // compiles from it into a directory it passes with -P. Only the search
  // directories are searched: the policy's own directory holds the source.
  std::optional<std::string> find_compiled_program(const std::string& name, const std::string& elf,
                                                   const std::string& what) {
    std::vector<fs::path> candidates;
    for (const auto& directory : inputs_.search_directories) candidates.push_back(fs::path(directory) / elf);
    return first_existing(candidates, what + " '" + elf + "' (compiled from " + name + ")",
                          "kestrel build compiles it; or add the directory holding " + elf + " with -P");
  }

  std::optional<std::string> first_existing(const std::vector<fs::path>& candidates, const std::string& what,
                                            const std::string& hint) {
    for (const auto& candidate : candidates) {
      if (fs::is_regular_file(candidate)) return candidate.string();
    }
    std::string looked;
    for (const auto& candidate : candidates) looked += (looked.empty() ? "" : ", ") + candidate.string();
    error(what + " not found (" + (looked.empty() ? "no search directory given" : "looked for " + looked) + "; " +
          hint + ")");
    return std::nullopt;
  }

  std::optional<std::vector<uint8_t>> read_payload(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    in.seekg(0, std::ios::end);
    const auto size = static_cast<uint64_t>(in.tellg());
    if (!in || size > max_payload_size) {
      error(path + ": cannot be read, or larger than 1 GiB");
      return std::nullopt;
    }
    in.seekg(0);
    std::vector<uint8_t> bytes(size);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
    if (!in) {
      error(path + ": cannot be read");
      return std::nullopt;
    }
    return bytes;
  }

  void place_kernel(const Model& model) {
    auto parsed = read_elf(inputs_.kernel_path);
    if (auto* failure = std::get_if<Elf_error>(&parsed)) {
      error("kernel " + failure->message);
      return;
    }
    const Elf_image& kernel = std::get<Elf_image>(parsed);
    const auto& reserved = model.platform.kernel_reserved;
    uint64_t kernel_end = 0;
    for (size_t i = 0; i < kernel.segments.size(); ++i) {
      const Elf_segment& segment = kernel.segments[i];
      const uint64_t end = segment.physical_address + segment.memory_size;
      if (segment.physical_address < reserved.base || end > reserved.end()) {
        error(inputs_.kernel_path + ": segment " + std::to_string(i) + " at " + hex(segment.physical_address) +
              " lies outside the platform's kernelReserved " + hex(reserved.base) + "-" + hex(reserved.end()));
      }
      kernel_end = std::max(kernel_end, end);
      image_.pieces.push_back({"kernel segment " + std::to_string(i), none, segment.physical_address,
                               segment.memory_size, segment.bytes, segment.writable, segment.executable});
    }
    image_.entry = kernel.entry;
    image_.boot_info_address = align_up(kernel_end, abi::boot_info_alignment);
    std::string problem;
    object_sizes_ = kernel_object_sizes_of(kernel, problem);
    if (!object_sizes_) error("kernel " + inputs_.kernel_path + " " + problem);
    Kernel_memory_report& report = image_.kernel_memory;
    for (const Elf_segment& segment : kernel.segments) {
      const uint64_t file_bytes = segment.bytes.size();
      if (segment.executable) {
        report.text += segment.memory_size;
      } else if (!segment.writable) {
        report.read_only_data += segment.memory_size;
      } else {
        report.data += file_bytes;
        report.bss += segment.memory_size - file_bytes;
      }
    }
    // The boot CPU's stack is part of .bss, by its symbol (smp.cpp).
    for (const auto& [name, size] : kernel.object_sizes) {
      if (name == "kernel_boot_stack") report.boot_stack += size;
    }
    report.bss -= std::min(report.bss, report.boot_stack);
    kernel_image_ = kernel;
  }

  // Each partition's stage-2 table pages and the kernel objects area for
  // the boot-info `blob` (emitted without them): counted from the blob as
  // the kernel reads it, laid out with the kernel's own object sizes.
  std::optional<policy::Kernel_memory_plan> plan_kernel_memory(const std::vector<uint8_t>& blob) {
    if (!object_sizes_) return std::nullopt;
    const Boot_info_result read = read_boot_info(blob.data(), blob.size());
    if (!read.ok()) {
      error(std::string("boot-info rejected by the kernel's reader: ") + to_string(read.problem().error) +
            " (section " + to_string(read.problem().section) + ")");
      return std::nullopt;
    }
    const Boot_info& info = read.info();
    policy::Kernel_memory_plan plan;
    abi::Kernel_object_counts counts = kernel_object_counts(info);
    const auto kernel_tables = kernel_table_pages(kernel_image_, info.ram_ranges(), info.pristine());
    if (!kernel_tables) {
      error("the kernel's own map of itself, RAM and devices cannot be built (a kernel of another layout?)");
      return std::nullopt;
    }
    counts.kernel_table_pages = *kernel_tables;
    const unsigned ipa_bits = stage2_input_bits(info.regions(), info.map_windows());
    counts.stage2_root_tables = ipa_bits > arch::Stage2_39_regime::input_bits ? 2 : 1;
    for (const abi::Partition_entry& partition : info.partitions()) {
      const uint32_t index = static_cast<uint32_t>(plan.table_pages.size());
      const auto pages = stage2_table_pages(info.regions_of(partition), info.map_windows(), index, ipa_bits);
      if (!pages) {
        error("partition \"" + std::string(info.name(partition.name)) +
              "\": its regions and map windows cannot be mapped at stage 2");
        return std::nullopt;
      }
      plan.table_pages.push_back(*pages);
      counts.table_pages += *pages;
    }
    const abi::Kernel_objects_layout layout = abi::layout_kernel_objects(*object_sizes_, counts);
    plan.area.size = layout.size;
    plan.area.table_pages = counts.table_pages;
    plan.area.kernel_table_pages = counts.kernel_table_pages;
    plan.area.stage2_input_bits = ipa_bits;
    image_.kernel_memory.objects = layout;
    return plan;
  }

  // Native partition: every program segment must fall inside one memory
  // region with matching permissions.
  void place_program(uint32_t index, Partition& partition) {
    const std::string owner = "program of partition \"" + partition.name + "\"";
    const auto elf = compiled_program_name(partition.program);
    const auto path = elf ? find_compiled_program(partition.program, *elf, owner) : find_file(partition.program, owner);
    if (!path) return;
    auto parsed = read_elf(*path);
    if (auto* failure = std::get_if<Elf_error>(&parsed)) {
      error("program of partition \"" + partition.name + "\": " + failure->message);
      return;
    }
    const Elf_image& program = std::get<Elf_image>(parsed);
    for (size_t i = 0; i < program.segments.size(); ++i) {
      const Elf_segment& segment = program.segments[i];
      const std::string what = "partition \"" + partition.name + "\": " + partition.program + " segment " +
                               std::to_string(i) + " [" + hex(segment.virtual_address) + ", " +
                               hex(segment.virtual_address + segment.memory_size) + ")";
      const auto region = std::find_if(partition.regions.begin(), partition.regions.end(), [&](const Region& r) {
        return r.kind == Region::Kind::memory && segment.virtual_address >= r.ipa &&
               segment.virtual_address - r.ipa <= r.size &&
               segment.memory_size <= r.size - (segment.virtual_address - r.ipa);
      });
      if (region == partition.regions.end()) {
        error(what + " is not inside any memory region of the partition");
        continue;
      }
      if (segment.executable && region->access != Access::read_execute) {
        error(what + " is executable but region \"" + region->name + "\" is not readExecute");
        continue;
      }
      if (segment.writable && region->access != Access::read_write) {
        error(what + " is writable but region \"" + region->name + "\" is not readWrite");
        continue;
      }
      add_piece(index, partition.name + ": " + partition.program + " segment " + std::to_string(i),
                region->pa + (segment.virtual_address - region->ipa), segment.memory_size, segment.bytes,
                segment.writable, segment.executable);
    }
    for (auto& thread : partition.threads) {
      if (thread.entry == 0) thread.entry = program.entry;
    }
  }

  // VM: see guest_placement.hpp.
  void place_guest(uint32_t index, Partition& partition) {
    const Guest_placement_context context{
        image_.model->platform,
        *image_.model,
        [&](const std::string& name, const std::string& what) { return find_file(name, what); },
        [&](const std::string& path) { return read_payload(path); },
        [&](std::string message) { error(std::move(message)); },
        image_.pieces,
        guest_seeds_};
    place_guest_payloads(index, partition, context);
  }

  void add_piece(uint32_t partition, std::string description, uint64_t pa, uint64_t memory_size,
                 std::vector<uint8_t> bytes, bool writable, bool executable) {
    image_.pieces.push_back(
        {std::move(description), partition, pa, memory_size, std::move(bytes), writable, executable});
  }

  void check_no_overlaps() {
    std::vector<const Loaded_piece*> sorted;
    for (const auto& piece : image_.pieces) sorted.push_back(&piece);
    std::sort(sorted.begin(), sorted.end(),
              [](const Loaded_piece* a, const Loaded_piece* b) { return a->physical_address < b->physical_address; });
    for (size_t i = 1; i < sorted.size(); ++i) {
      if (sorted[i]->physical_address - sorted[i - 1]->physical_address < sorted[i - 1]->memory_size) {
        error(sorted[i]->description + " at " + hex(sorted[i]->physical_address) + " overlaps " +
              sorted[i - 1]->description);
      }
    }
  }

  // Each partition's digest covers its pieces in address order, .bss zeros
  // included: exactly what the kernel hashes from the measurements.
  void measure_and_emit(const Model& model, const std::vector<abi::Pristine_entry>& pristine) {
    std::vector<abi::Measurement_entry> measurements;
    std::vector<abi::Digest_entry> digests;
    for (uint32_t p = 0; p < model.partitions.size(); ++p) {
      std::vector<const Loaded_piece*> pieces;
      for (const auto& piece : image_.pieces) {
        if (piece.partition == p) pieces.push_back(&piece);
      }
      std::sort(pieces.begin(), pieces.end(),
                [](const Loaded_piece* a, const Loaded_piece* b) { return a->physical_address < b->physical_address; });
      Sha256 hash;
      static const uint8_t zeros[4096] = {};
      for (const Loaded_piece* piece : pieces) {
        measurements.push_back({p, 0, piece->physical_address, piece->memory_size});
        hash.update(piece->bytes.data(), piece->bytes.size());
        for (uint64_t left = piece->memory_size - piece->bytes.size(); left > 0;) {
          const uint64_t chunk = std::min<uint64_t>(left, sizeof zeros);
          hash.update(zeros, chunk);
          left -= chunk;
        }
      }
      const Sha256_digest digest = hash.finish();
      image_.digests.push_back(digest);
      abi::Digest_entry entry{};
      std::copy(std::begin(digest.bytes), std::end(digest.bytes), entry.sha256);
      digests.push_back(entry);
    }
    // Boot-info's size does not depend on where the kernel objects area
    // goes: emitted once to learn it, then again with the area's address.
    auto plan = plan_kernel_memory(policy::emit_boot_info(model, measurements, digests, pristine, guest_seeds_));
    if (!plan) return;
    image_.boot_info = policy::emit_boot_info(model, measurements, digests, pristine, guest_seeds_, &*plan);
    const uint64_t signature_size =
        inputs_.secret_key_path.empty()
            ? 0
            : align_up(image_.boot_info.size(), 8) - image_.boot_info.size() + sizeof(abi::Boot_info_signature);
    plan->area.base =
        align_up(image_.boot_info_address + image_.boot_info.size() + signature_size, abi::kernel_objects_alignment);
    image_.kernel_memory.objects_base = plan->area.base;
    image_.boot_info = policy::emit_boot_info(model, measurements, digests, pristine, guest_seeds_, &*plan);
    std::vector<uint8_t> loaded = image_.boot_info;
    if (!inputs_.secret_key_path.empty() && !append_signature(loaded)) return;
    const auto& reserved = model.platform.kernel_reserved;
    if (plan->area.base + plan->area.size > reserved.end()) {
      error("the kernel, boot-info (" + std::to_string(image_.boot_info.size()) + " bytes at " +
            hex(image_.boot_info_address) + ") and the kernel objects (" + std::to_string(plan->area.size) +
            " bytes at " + hex(plan->area.base) + ") do not fit in kernelReserved, which ends at " +
            hex(reserved.end()));
      return;
    }
    const std::string what = image_.signing_public_key.empty() ? "boot-info" : "boot-info and its signature";
    image_.pieces.push_back({what, none, image_.boot_info_address, loaded.size(), loaded, false, false});
  }

  // Appends an abi::Boot_info_signature of the boot-info blob.
  bool append_signature(std::vector<uint8_t>& loaded) {
    auto secret = read_secret_key(inputs_.secret_key_path);
    if (!secret.ok()) {
      error(secret.error());
      return false;
    }
    auto signature = sign(secret.value(), image_.boot_info);
    if (!signature.ok()) {
      error(signature.error());
      return false;
    }
    abi::Boot_info_signature block{};
    block.magic = abi::signature_magic;
    block.signed_size = static_cast<uint32_t>(image_.boot_info.size());
    std::copy(signature.value().begin(), signature.value().end(), block.ed25519);
    loaded.resize(align_up(loaded.size(), 8), 0);
    const auto* bytes = reinterpret_cast<const uint8_t*>(&block);
    loaded.insert(loaded.end(), bytes, bytes + sizeof block);
    const Public_key public_key = public_key_of(secret.value());
    image_.signing_public_key.assign(public_key.begin(), public_key.end());
    return true;
  }

  const Image_inputs& inputs_;
  Image_result& result_;
  System_image image_;
  std::optional<abi::Object_sizes> object_sizes_;  // the kernel's
  Elf_image kernel_image_;                         // its segments bound its own map
  // Where each VM's device tree holds its seed placeholders (in partition
  // order, as the VMs are placed).
  std::vector<abi::Guest_seed_entry> guest_seeds_;
};

}  // namespace

Image_result build_image(const policy::Compile_result& compiled, const Image_inputs& inputs) {
  Image_result result;
  Layout{inputs, result}.run(compiled);
  return result;
}

Image_result build_image(const Image_inputs& inputs) {
  const auto compiled = policy::compile_policy(inputs.policy_path, inputs.load);
  if (!compiled.ok()) return {compiled.diagnostics, {}, std::nullopt};
  Image_result result = build_image(compiled, inputs);
  result.diagnostics = compiled.diagnostics;
  return result;
}

}  // namespace kestrel::sysimage
