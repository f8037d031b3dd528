// SPDX-License-Identifier: Apache-2.0
// Stages: the policy compiler's pipeline, parse -> resolve -> validate ->
// allocate -> emit. Each stage reports into Diagnostics and never throws on
// bad input; a stage runs only if the ones before it found no error (except
// validation, whose validators all run so one pass reports every mistake).
#pragma once

#include <cstdint>
#include <span>

#include <kestrel/abi/boot_info.hpp>
#include <string>
#include <vector>

#include <kestrel/policy/policy.capnp.h>
#include <kestrel/policy/diagnostics.hpp>
#include <kestrel/policy/model.hpp>

namespace kestrel::policy {

// Names, duplicates and references; turns channels, device grants and VM RAM
// into per-partition regions.
Model resolve(schema::System::Reader system, const Source_ref& root, Diagnostics& diagnostics);

// Semantic checks, one function per area (validate_*.cpp).
void validate_platform(const Model& model, Diagnostics& diagnostics);
void validate_memory(const Model& model, Diagnostics& diagnostics);
void validate_threads(const Model& model, Diagnostics& diagnostics);
void validate_ipc(const Model& model, Diagnostics& diagnostics);
void validate_virtual_machines(const Model& model, Diagnostics& diagnostics);
void validate_schedule(const Model& model, Diagnostics& diagnostics);
void validate_tunnels(const Model& model, Diagnostics& diagnostics);
void validate_ipcm_watch(const Model& model, Diagnostics& diagnostics);
void validate_vm_tunnel_service(const Model& model, Diagnostics& diagnostics);
void validate_devices(const Model& model, Diagnostics& diagnostics);
void validate_device_clients(const Model& model, Diagnostics& diagnostics);
void validate_limits(const Model& model, Diagnostics& diagnostics);
void validate_warnings(const Model& model, Diagnostics& diagnostics);

inline void validate(const Model& model, Diagnostics& diagnostics) {
  validate_platform(model, diagnostics);
  validate_memory(model, diagnostics);
  validate_threads(model, diagnostics);
  validate_ipc(model, diagnostics);
  validate_virtual_machines(model, diagnostics);
  validate_schedule(model, diagnostics);
  validate_tunnels(model, diagnostics);
  validate_ipcm_watch(model, diagnostics);
  validate_vm_tunnel_service(model, diagnostics);
  validate_devices(model, diagnostics);
  validate_device_clients(model, diagnostics);
  validate_limits(model, diagnostics);
  validate_warnings(model, diagnostics);
}

// Places every region without a fixed address in RAM, assigns VMIDs and
// capability slots.
void allocate(Model& model, Diagnostics& diagnostics);

// What only an image knows of the kernel's memory: each partition's stage-2
// table pages (Partition_entry::table_pages, by partition) and the kernel
// objects area (abi::Kernel_memory_entry).
struct Kernel_memory_plan {
  std::vector<uint32_t> table_pages;
  abi::Kernel_memory_entry area{};
};

// The boot-info blob for an allocated model; an image adds what it loaded
// for each partition (sorted by partition), one digest per partition, the
// restartable VMs' pristine copies, the VMs' seed placeholders and the
// kernel's memory.
std::vector<uint8_t> emit_boot_info(const Model& model, std::span<const abi::Measurement_entry> measurements = {},
                                    std::span<const abi::Digest_entry> digests = {},
                                    std::span<const abi::Pristine_entry> pristine = {},
                                    std::span<const abi::Guest_seed_entry> guest_seeds = {},
                                    const Kernel_memory_plan* kernel_memory = nullptr);

// A readable account of the compiled system: memory map, capabilities,
// threads and schedule.
std::string summarize(const Model& model);

}  // namespace kestrel::policy
