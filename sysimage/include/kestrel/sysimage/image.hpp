// SPDX-License-Identifier: Apache-2.0
// Image: everything that goes into one bootable, measured system image, and
// how it is laid out in physical memory.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <kestrel/abi/kernel_memory.hpp>
#include <kestrel/policy/compiler.hpp>
#include <kestrel/policy/model.hpp>
#include <kestrel/sha256.hpp>

namespace kestrel::sysimage {

// One range of physical memory the image fills.
struct Loaded_piece {
  std::string description;            // "kernel segment 0", "server: server.elf segment 1", ...
  uint32_t partition = policy::none;  // owner, or none for the kernel and boot-info
  uint64_t physical_address = 0;
  uint64_t memory_size = 0;  // bytes past bytes.size() are zero
  std::vector<uint8_t> bytes;
  bool writable = false;
  bool executable = false;
};

struct Image_inputs {
  std::string policy_path;    // also where relative program names start
  policy::Load_options load;  // only for build_image(inputs), which compiles
  std::string kernel_path;
  // Searched in order for partition programs and guest payloads named
  // relatively in the policy, after the policy file's own directory.
  std::vector<std::string> search_directories;
  // Signs boot-info with this Ed25519 secret key (kestrel-image keygen).
  std::string secret_key_path;
};

// The kernel's memory in this system, for the report: its ELF's parts and
// the kernel objects area the image reserved (abi/kernel_memory.hpp).
struct Kernel_memory_report {
  uint64_t text = 0;
  uint64_t read_only_data = 0;
  uint64_t data = 0;
  uint64_t bss = 0;         // without the boot CPU's stack
  uint64_t boot_stack = 0;  // the boot CPU's kernel stack (in the ELF's .bss; the others' are objects)
  uint64_t objects_base = 0;
  abi::Kernel_objects_layout objects;  // the kernel's own tables and the other CPUs' stacks included
  uint64_t total() const { return text + read_only_data + data + bss + boot_stack + objects.size; }
};

struct System_image {
  std::shared_ptr<policy::Loaded_policy> policy;  // keeps `model` valid
  std::shared_ptr<policy::Model> model;
  uint64_t entry = 0;  // the kernel's
  uint64_t boot_info_address = 0;
  std::vector<uint8_t> boot_info;
  std::vector<uint8_t> signing_public_key;  // empty if unsigned
  std::vector<Loaded_piece> pieces;         // in physical address order
  std::vector<Sha256_digest> digests;       // one per partition
  Kernel_memory_report kernel_memory;
};

struct Image_result {
  policy::Diagnostics diagnostics;  // from the policy compiler, if build_image compiled it
  std::vector<std::string> errors;  // from laying out the image, each naming its input
  std::optional<System_image> image;
  bool ok() const { return image.has_value(); }
};

// Reads the kernel, programs and payloads, places them, measures every
// partition and emits boot-info with the digests, for a policy compiled
// without errors (compiled.ok()); its diagnostics are the caller's to print.
// The image gets its own copy of the model (the image builder fills in what
// only it knows, such as a vCPU's device-tree address). Never throws for bad
// input.
Image_result build_image(const policy::Compile_result& compiled, const Image_inputs& inputs);

// The same, compiling inputs.policy_path first (kestrel-image build); the
// compiler's diagnostics are in the result.
Image_result build_image(const Image_inputs& inputs);

}  // namespace kestrel::sysimage
