// SPDX-License-Identifier: Apache-2.0
// Guest memory as a device model reaches it: the guest's RAM, mapped into
// the VMM (the policy's vmmRamAddress), looked up by guest-physical address
// with bounds. A range that is not entirely inside guest RAM has no pointer,
// so a model that only goes through at() never reads or writes anything
// else, whatever addresses and lengths the guest hands it.
//
// The guest changes its RAM while the VMM reads it (other vCPUs run on other
// CPUs): a model reads each guest-written value once (load<T>) into its own
// variables and checks that copy. load<T>/store<T> are single-copy atomic
// for naturally aligned fields; the acquire/release forms order them against
// the surrounding accesses, as the virtqueue's ring indices need.
//
//   kestrel::vmm::Guest_memory memory{vm.ram_address, vm.ram_size, vm.vmm_ram_address};
//   if (uint8_t* p = memory.at(guest_address, length)) ... // p[0, length) is guest RAM
//
// Host tests back it with a buffer: Guest_memory{0x4000'0000, sizeof buffer,
// reinterpret_cast<uintptr_t>(buffer)}.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kestrel::vmm {

// Virtio structures are little-endian, and the models read them natively.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the VMM's models assume a little-endian CPU");

class Guest_memory {
 public:
  constexpr Guest_memory() = default;
  // Guest-physical [guest_address, guest_address + size) is at host_address
  // in this program. A size of 0 (or a range that wraps) means no memory.
  constexpr Guest_memory(uint64_t guest_address, uint64_t size, uintptr_t host_address)
      : guest_address_(guest_address),
        size_(host_address == 0 || guest_address + size < guest_address ? 0 : size),
        host_address_(host_address) {}

  // The VMM's pointer to guest-physical [address, address + length), or
  // nullptr if any of it is outside guest RAM (or the RAM is not mapped).
  // A length of 0 gives a pointer if `address` is in RAM or just past it.
  uint8_t* at(uint64_t address, uint64_t length) const {
    if (size_ == 0 || address < guest_address_) return nullptr;
    const uint64_t offset = address - guest_address_;
    if (offset > size_ || length > size_ - offset) return nullptr;
    return reinterpret_cast<uint8_t*>(host_address_ + offset);
  }

  constexpr bool mapped() const { return size_ != 0; }
  constexpr uint64_t guest_address() const { return guest_address_; }
  constexpr uint64_t size() const { return size_; }

 private:
  uint64_t guest_address_ = 0;
  uint64_t size_ = 0;
  uintptr_t host_address_ = 0;
};

// One naturally aligned field of guest memory, read or written once.
template <typename T>
T load_relaxed(const uint8_t* field) {
  return __atomic_load_n(reinterpret_cast<const T*>(field), __ATOMIC_RELAXED);
}
template <typename T>
T load_acquire(const uint8_t* field) {
  return __atomic_load_n(reinterpret_cast<const T*>(field), __ATOMIC_ACQUIRE);
}
template <typename T>
void store_relaxed(uint8_t* field, T value) {
  __atomic_store_n(reinterpret_cast<T*>(field), value, __ATOMIC_RELAXED);
}
template <typename T>
void store_release(uint8_t* field, T value) {
  __atomic_store_n(reinterpret_cast<T*>(field), value, __ATOMIC_RELEASE);
}

}  // namespace kestrel::vmm
