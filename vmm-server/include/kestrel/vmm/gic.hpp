// SPDX-License-Identifier: Apache-2.0
// GICv3 model for a VM: the distributor (gic_distributor.hpp), one
// redistributor per vCPU (gic_redistributor.hpp), and the decision which
// interrupt goes to which vCPU. The guest's CPU interface is the hardware's
// virtual one, so this model never sees acknowledges or EOIs: an interrupt
// it hands the VMM leaves its pending state here and lives on in the kernel
// (the kernel keeps an interrupt that becomes pending again while active).
//
// Guest-physical layout: the GICD frame (64 KiB) at distributor_base, then
// each vCPU's redistributor (128 KiB: RD_base, SGI_base) one after the other
// from redistributor_base, vCPU 0 first.
//
// Delivery. A device model raises an SPI with raise_spi(); a guest write may
// make interrupts deliverable too (ISENABLER, ISPENDR, GICD_CTLR, IROUTER).
// An interrupt is delivered when it is pending, enabled, in Group 1, the
// distributor's EnableGrp1 is set and it has a target vCPU; otherwise it
// stays pending until all that holds. Every call that may deliver returns
// Deliveries, which the VMM injects in order. Priorities are kept for the
// guest to read back but not forwarded: the kernel injects every interrupt
// with one priority.
//
// How a VMM loop uses it (kestrel:: calls from the runtime):
//
//   kestrel::vmm::Gic gic{{.vcpu_count = 2, .highest_spi = 79,
//                          .distributor_base = 0x0800'0000, .redistributor_base = 0x080a'0000}};
//   auto inject = [](const kestrel::vmm::Deliveries& list) {
//     for (const auto& d : list) kestrel::vcpu_inject_interrupt(first_vcpu + d.vcpu, d.intid);
//   };
//   ... on an exit:
//   if (gic.contains(exit.address)) {
//     if (exit.kind == Exit_kind::mmio_read) value = gic.read(exit.address, exit.size);
//     else inject(gic.write(exit.address, exit.size, exit.value));
//   }
//   ... when a device's line rises or falls (e.g. Pl011::take_level_change()):
//   inject(gic.raise_spi(33));   or   gic.lower_spi(33);
//   ... if a Deliveries said more(), inject(gic.take_deliveries()) until not.
#pragma once

#include <cstdint>

#include <kestrel/vmm/gic_distributor.hpp>
#include <kestrel/vmm/gic_redistributor.hpp>
#include <kestrel/vmm/gic_registers.hpp>
#include <kestrel/vmm/mmio.hpp>

namespace kestrel::vmm {

struct Gic_config {
  uint32_t vcpu_count = 1;  // 1 to max_vcpus
  // The VM's highest device SPI. GICD_TYPER advertises INTIDs up to it,
  // rounded up to a multiple of 32, so the guest configures no more.
  uint32_t highest_spi = 63;
  uint64_t distributor_base = 0x0800'0000;    // as on QEMU's virt board
  uint64_t redistributor_base = 0x080a'0000;  // likewise
};

class Gic {
 public:
  constexpr explicit Gic(const Gic_config& config)
      : config_(clamped(config)), distributor_(config_.vcpu_count, intid_count(config_.highest_spi)) {
    reset_redistributors();
  }

  // Back to the state at power-on (PSCI SYSTEM_RESET). In place: a
  // temporary Gic (some 10 KiB) would not fit a partition's stack.
  constexpr void reset() {
    distributor_.reset();
    reset_redistributors();
  }

  constexpr uint32_t vcpu_count() const { return config_.vcpu_count; }

  constexpr bool contains(uint64_t address) const {
    uint64_t offset = 0;
    return offset_in_frame(address, config_.distributor_base, gic::distributor_frame_size, offset) ||
           offset_in_frame(address, config_.redistributor_base, redistributors_size(), offset);
  }

  // Guest-physical accesses; anything outside the frames reads as 0.
  constexpr uint64_t read(uint64_t address, unsigned size) const {
    uint64_t offset = 0;
    if (offset_in_frame(address, config_.distributor_base, gic::distributor_frame_size, offset)) {
      return distributor_read(offset, size);
    }
    if (offset_in_frame(address, config_.redistributor_base, redistributors_size(), offset)) {
      return redistributor_read(frame_vcpu(offset), offset % gic::redistributor_frame_size, size);
    }
    return 0;
  }

  constexpr Deliveries write(uint64_t address, unsigned size, uint64_t value) {
    uint64_t offset = 0;
    if (offset_in_frame(address, config_.distributor_base, gic::distributor_frame_size, offset)) {
      return distributor_write(offset, size, value);
    }
    if (offset_in_frame(address, config_.redistributor_base, redistributors_size(), offset)) {
      return redistributor_write(frame_vcpu(offset), offset % gic::redistributor_frame_size, size, value);
    }
    return {};
  }

  // Accesses by frame: `offset` within the GICD frame, or within vCPU
  // `vcpu`'s redistributor frame pair.
  constexpr uint64_t distributor_read(uint64_t offset, unsigned size) const { return distributor_.read(offset, size); }
  constexpr Deliveries distributor_write(uint64_t offset, unsigned size, uint64_t value) {
    distributor_.write(offset, size, value);
    return take_deliveries();
  }
  constexpr uint64_t redistributor_read(uint32_t vcpu, uint64_t offset, unsigned size) const {
    return vcpu < config_.vcpu_count ? redistributors_[vcpu].read(offset, size) : 0;
  }
  constexpr Deliveries redistributor_write(uint32_t vcpu, uint64_t offset, unsigned size, uint64_t value) {
    if (vcpu < config_.vcpu_count) redistributors_[vcpu].write(offset, size, value);
    return take_deliveries();
  }

  // A device's SPI became pending (an edge, or a level interrupt's line
  // rising). Ignored for an INTID that is no SPI of this distributor.
  constexpr Deliveries raise_spi(uint32_t intid) {
    distributor_.set_pending(intid);
    return take_deliveries();
  }

  // A level-sensitive SPI's line fell before it could be delivered: it is
  // no longer pending (an edge-triggered one stays pending). One delivered
  // already is the kernel's and stays.
  constexpr void lower_spi(uint32_t intid) {
    if (!distributor_.is_edge(intid)) distributor_.clear_pending(intid);
  }

  // Every interrupt that can be delivered now, up to Deliveries::capacity
  // (more() says whether some wait for another call); each leaves the
  // pending state here. Private interrupts first, then SPIs, lowest first.
  constexpr Deliveries take_deliveries() {
    Deliveries out;
    if (!distributor_.group1_enabled()) return out;
    for (uint32_t vcpu = 0; vcpu < config_.vcpu_count; ++vcpu) {
      Gic_redistributor& redistributor = redistributors_[vcpu];
      for (uint32_t ready = redistributor.ready(); ready != 0; ready &= ready - 1) {
        const auto intid = static_cast<uint32_t>(__builtin_ctz(ready));
        if (!out.push({vcpu, intid})) return out;
        redistributor.clear_pending(intid);
      }
    }
    for (uint32_t word = 1; word < Gic_distributor::max_words; ++word) {
      for (uint32_t ready = distributor_.ready(word); ready != 0; ready &= ready - 1) {
        const uint32_t intid = word * 32 + static_cast<uint32_t>(__builtin_ctz(ready));
        const uint32_t vcpu = distributor_.route(intid);
        if (vcpu == no_vcpu) continue;
        if (!out.push({vcpu, intid})) return out;
        distributor_.clear_pending(intid);
      }
    }
    return out;
  }

  constexpr const Gic_distributor& distributor() const { return distributor_; }
  constexpr const Gic_redistributor& redistributor(uint32_t vcpu) const { return redistributors_[vcpu]; }

 private:
  static constexpr Gic_config clamped(Gic_config config) {
    if (config.vcpu_count == 0) config.vcpu_count = 1;
    if (config.vcpu_count > max_vcpus) config.vcpu_count = max_vcpus;
    if (config.highest_spi >= gic::intid_limit) config.highest_spi = gic::intid_limit - 1;
    return config;
  }
  // INTIDs the distributor advertises: 32 for no SPIs at all.
  static constexpr uint32_t intid_count(uint32_t highest_spi) {
    return highest_spi < gic::first_spi ? 32 : (highest_spi / 32 + 1) * 32;
  }
  constexpr void reset_redistributors() {
    for (uint32_t i = 0; i < config_.vcpu_count; ++i) {
      redistributors_[i] = Gic_redistributor(i, i + 1 == config_.vcpu_count);
    }
  }
  constexpr uint64_t redistributors_size() const { return config_.vcpu_count * gic::redistributor_frame_size; }
  static constexpr uint32_t frame_vcpu(uint64_t offset) {
    return static_cast<uint32_t>(offset / gic::redistributor_frame_size);
  }

  Gic_config config_;
  Gic_distributor distributor_;
  Gic_redistributor redistributors_[max_vcpus]{};
};

}  // namespace kestrel::vmm
