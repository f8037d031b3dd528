// SPDX-License-Identifier: Apache-2.0
// The VM's virtio consoles, for the VMM program (vmm.cpp): one
// kestrel::vmm::Virtio_console per device of kind virtio_console in its
// Vm_description, in that order, each reaching the guest's RAM where the
// policy maps it into the VMM (vmmRamAddress). The VMM hands it the MMIO
// exits in their frames and the input meant for them, and raises a device's
// SPI when its interrupt line rises (virtio-mmio interrupts are
// edge-triggered in the guest's device tree, so a fall needs nothing).
// Like the other models, they are used under the VMM's models lock.
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/vm_description.hpp>
#include <kestrel/vmm/guest_memory.hpp>
#include <kestrel/vmm/mmio.hpp>
#include <kestrel/vmm/virtio_console.hpp>

namespace vmm_server {

constexpr uint32_t count_of_kind(const kestrel::Vm_description& vm, kestrel::Emulated_kind kind) {
  uint32_t count = 0;
  for (uint32_t i = 0; i < vm.device_count; ++i) count += vm.devices[i].kind == kind ? 1 : 0;
  return count;
}

inline constexpr uint32_t no_console = ~uint32_t{0};

// Which of the VM's virtio consoles (counted in devices order) devices[device]
// is, or no_console.
constexpr uint32_t virtio_console_of_device(const kestrel::Vm_description& vm, uint32_t device) {
  if (device >= vm.device_count || vm.devices[device].kind != kestrel::Emulated_kind::virtio_console) return no_console;
  uint32_t number = 0;
  for (uint32_t i = 0; i < device; ++i) number += vm.devices[i].kind == kestrel::Emulated_kind::virtio_console ? 1 : 0;
  return number;
}

// Count: how many virtio consoles the VM has (count_of_kind).
template <typename Output, uint32_t Count>
class Virtio_consoles {
 public:
  static constexpr uint32_t none = no_console;

  constexpr explicit Virtio_consoles(const kestrel::Vm_description& vm) {
    const kestrel::vmm::Guest_memory memory{vm.ram_address, vm.ram_size, vm.vmm_ram_address};
    for (uint32_t i = 0; i < vm.device_count && count_ < Count; ++i) {
      if (vm.devices[i].kind != kestrel::Emulated_kind::virtio_console) continue;
      frames_[count_] = {vm.devices[i].address, vm.devices[i].size, vm.devices[i].interrupt};
      consoles_[count_] = kestrel::vmm::Virtio_console<Output>(memory);
      ++count_;
    }
  }

  // The console whose frame holds guest-physical `address`, or none.
  constexpr uint32_t at(uint64_t address) const {
    for (uint32_t c = 0; c < count_; ++c) {
      uint64_t offset = 0;
      if (kestrel::vmm::offset_in_frame(address, frames_[c].address, frames_[c].size, offset)) return c;
    }
    return none;
  }

  // An MMIO exit in console c's frame: the value a read gives (0 for a write).
  template <typename Raise>
  uint64_t access(uint32_t c, uint64_t address, bool write, unsigned size, uint64_t value, Raise&& raise) {
    const uint64_t offset = address - frames_[c].address;
    uint64_t result = 0;
    if (write) {
      consoles_[c].write(offset, size, value);
    } else {
      result = consoles_[c].read(offset, size);
    }
    update_interrupt(c, raise);
    return result;
  }

  // Input for console c: how many of `count` bytes its posted buffers took.
  template <typename Raise>
  size_t receive(uint32_t c, const uint8_t* bytes, size_t count, Raise&& raise) {
    const size_t taken = consoles_[c].receive(bytes, count);
    update_interrupt(c, raise);
    return taken;
  }

  // The VM restarts: every console back to its reset state.
  constexpr void reset() {
    for (uint32_t c = 0; c < count_; ++c) consoles_[c].reset();
  }

 private:
  struct Frame {
    uint64_t address;
    uint64_t size;
    uint32_t interrupt;
  };

  template <typename Raise>
  void update_interrupt(uint32_t c, Raise& raise) {
    if (consoles_[c].take_level_change() == kestrel::vmm::Level_change::rose) raise(frames_[c].interrupt);
  }

  static constexpr uint32_t capacity = Count > 0 ? Count : 1;
  Frame frames_[capacity]{};
  kestrel::vmm::Virtio_console<Output> consoles_[capacity]{};
  uint32_t count_ = 0;
};

}  // namespace vmm_server
