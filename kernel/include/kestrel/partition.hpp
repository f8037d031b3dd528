// SPDX-License-Identifier: Apache-2.0
// Partition: one isolated address space with its capability table, created
// once at boot from checked boot-info.
#pragma once

#include <cstdint>

#include <kestrel/abi/boot_info.hpp>
#include <kestrel/boot_info.hpp>
#include <kestrel/span.hpp>

namespace kestrel {

class Partition final {
 public:
  // Binds the partition to entry `index` of `info`, which must have passed
  // read_boot_info and must stay in place.
  void create(const Boot_info& info, uint32_t index);

  const char* name() const { return name_ != nullptr ? name_ : ""; }
  uint32_t index() const { return index_; }
  uint32_t vmid() const { return entry_->vmid; }
  bool is_vm() const { return (entry_->flags & abi::partition_is_vm) != 0; }
  // Its VMM may restart it from the image (vm_restart.hpp).
  bool is_restartable() const { return (entry_->flags & abi::partition_restartable) != 0; }
  uint32_t first_thread() const { return entry_->first_thread; }  // in boot-info's thread table
  uint32_t thread_count() const { return entry_->thread_count; }
  Span<const abi::Region_entry> regions() const { return regions_; }
  // Who hears that it stopped or restarted (abi::Stop_signal_entry).
  Span<const abi::Stop_signal_entry> stop_signals() const { return stop_signals_; }
  // A VM's writes the kernel takes without an exit (abi::Guest_doorbell_entry).
  Span<const abi::Guest_doorbell_entry> guest_doorbells() const { return guest_doorbells_; }

  // The capability in `slot`, or nullptr for a slot outside the table.
  [[nodiscard]] const abi::Capability_entry* capability(uint64_t slot) const {
    return slot < capabilities_.size() ? &capabilities_[static_cast<size_t>(slot)] : nullptr;
  }

  // The capability in `slot` if it is of `kind` and has `right`, else
  // nullptr (the system calls' decoders tell the three failures apart).
  [[nodiscard]] const abi::Capability_entry* capability(uint64_t slot, abi::Capability_kind kind,
                                                        uint32_t right) const {
    // Not through capability(slot): a reference, so that no null check of
    // an element's address remains on the fast paths.
    if (slot >= capabilities_.size()) return nullptr;
    const abi::Capability_entry& found = capabilities_[static_cast<size_t>(slot)];
    if (found.kind != static_cast<uint32_t>(kind) || (found.rights & right) == 0) return nullptr;
    return &found;
  }

  // The physical address of [ipa, ipa + size) if the partition may read all
  // of it: inside one readable region that is not device memory. Zero-sized
  // ranges and ranges that wrap are refused. Returns nullptr otherwise.
  [[nodiscard]] const uint8_t* readable(uint64_t ipa, uint64_t size) const;

  // The same for a range the partition may also write.
  [[nodiscard]] uint8_t* writable(uint64_t ipa, uint64_t size) const;

  // Set by the boot path: measurement verified and address space built.
  bool may_start = false;
  // Its threads that have not stopped (set at boot; stop_thread counts
  // down). At zero nothing can ever receive on its endpoints.
  uint32_t live_threads = 0;
  uint64_t translation_root = 0;  // physical address of its stage-2 root table
  // What a switch to it writes (aarch64: VTTBR_EL2, the root and the VMID),
  // composed once when its address space is built: the fast paths' switch
  // is a load and a write.
  uint64_t translation_register = 0;
  // The partition's console output is in the middle of a line (so the next
  // byte gets no name prefix). False, not true, by default: the object pools
  // must be all zero so they stay in .bss.
  bool console_mid_line = false;
  // Its stage-2 table memory, carved at boot (kernel_objects.cpp): its
  // root, and the table_page_count pages below it that its regions need.
  uint8_t* table_root = nullptr;
  uint8_t* table_pages = nullptr;
  uint32_t table_page_count = 0;
  // A VMM thread waiting in vm_restart for this VM's vCPUs to leave their
  // CPUs; nullptr when no restart is under way.
  class Thread* restart_waiter = nullptr;

 private:
  [[nodiscard]] uint8_t* translate(uint64_t ipa, uint64_t size, uint32_t required) const;

  const abi::Partition_entry* entry_ = nullptr;
  const char* name_ = nullptr;  // zero, so the static pools stay in .bss
  uint32_t index_ = 0;
  Span<const abi::Region_entry> regions_;
  Span<const abi::Stop_signal_entry> stop_signals_;
  Span<const abi::Guest_doorbell_entry> guest_doorbells_;
  Span<const abi::Capability_entry> capabilities_;
};

// Every partition (partition.cpp): partition_count of them, carved at boot
// (kernel_objects.cpp; the pool has at least one).
extern Partition* partition_pool;
extern uint32_t partition_count;

}  // namespace kestrel
