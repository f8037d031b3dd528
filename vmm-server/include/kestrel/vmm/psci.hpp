// SPDX-License-Identifier: Apache-2.0
// PSCI 1.1 and SMCCC 1.1 for a VM's hypercalls (HVC or SMC; the VMM passes
// both here). Given the function ID in x0, x1-x3 and the calling vCPU, it
// answers the guest's new x0 and an action for the VMM. It keeps each vCPU's
// power state: vCPU 0 on at start, the others off.
//
// What is there: PSCI_VERSION, PSCI_FEATURES, CPU_SUSPEND (standby only),
// CPU_OFF, CPU_ON, AFFINITY_INFO (level 0), MIGRATE_INFO_TYPE, SYSTEM_OFF,
// SYSTEM_RESET; SMCCC_VERSION and SMCCC_ARCH_FEATURES. Everything else
// (MIGRATE, SYSTEM_SUSPEND, SYSTEM_RESET2, the firmware workarounds, ...)
// answers NOT_SUPPORTED (-1) and the guest goes on: only the guest's own
// CPU_OFF, SYSTEM_OFF or SYSTEM_RESET ask the VMM to stop anything.
//
// How a VMM loop uses it:
//
//   kestrel::vmm::Psci psci{2};
//   ... on a hypercall exit (word 1-4: the guest's x0-x3):
//   const auto r = psci.call(exit.vcpu, exit.address, exit.value, exit.size, exit.extra);
//   value = r.x0;
//   switch (r.action) {
//     case Psci_action::start_vcpu:
//       value = kestrel::vcpu_start(first_vcpu + r.target, r.entry, r.context) == Status::ok
//                   ? psci.started(r.target)
//                   : psci.start_failed(r.target, kestrel::vmm::psci::internal_failure);
//       break;
//     case Psci_action::vcpu_off: flags = reply_stop; break;      // this vCPU only
//     case Psci_action::system_off: ...power the VM off...; break;
//     case Psci_action::system_reset: gic.reset(); ...reload and restart the guest...; break;
//     case Psci_action::none: break;
//   }
#pragma once

#include <cstdint>

#include <kestrel/vmm/mmio.hpp>

namespace kestrel::vmm {

namespace psci {

// Function IDs (SMC32 form; | smc64 for the 64-bit one).
inline constexpr uint32_t smc64 = 0x4000'0000;
inline constexpr uint32_t version = 0x8400'0000;
inline constexpr uint32_t cpu_suspend = 0x8400'0001;
inline constexpr uint32_t cpu_off = 0x8400'0002;
inline constexpr uint32_t cpu_on = 0x8400'0003;
inline constexpr uint32_t affinity_info = 0x8400'0004;
inline constexpr uint32_t migrate = 0x8400'0005;
inline constexpr uint32_t migrate_info_type = 0x8400'0006;
inline constexpr uint32_t system_off = 0x8400'0008;
inline constexpr uint32_t system_reset = 0x8400'0009;
inline constexpr uint32_t features = 0x8400'000a;
inline constexpr uint32_t system_suspend = 0x8400'000e;
inline constexpr uint32_t smccc_version = 0x8000'0000;
inline constexpr uint32_t smccc_arch_features = 0x8000'0001;
inline constexpr uint32_t smccc_arch_soc_id = 0x8000'0002;
inline constexpr uint32_t smccc_arch_workaround_1 = 0x8000'8000;
inline constexpr uint32_t smccc_arch_workaround_2 = 0x8000'7fff;
inline constexpr uint32_t smccc_arch_workaround_3 = 0x8000'3fff;

inline constexpr uint64_t version_1_1 = 0x1'0001;        // major 1 (bits 31:16), minor 1
inline constexpr uint64_t smccc_version_1_1 = 0x1'0001;  // likewise
// MIGRATE_INFO_TYPE: a Trusted OS is not present or does not require migration.
inline constexpr uint64_t migration_not_required = 2;

// Return codes, as the guest reads them (sign-extended to 64 bits).
inline constexpr int32_t success = 0;
inline constexpr int32_t not_supported = -1;
inline constexpr int32_t invalid_parameters = -2;
inline constexpr int32_t denied = -3;
inline constexpr int32_t already_on = -4;
inline constexpr int32_t on_pending = -5;
inline constexpr int32_t internal_failure = -6;

// AFFINITY_INFO answers.
inline constexpr uint64_t affinity_on = 0;
inline constexpr uint64_t affinity_off = 1;
inline constexpr uint64_t affinity_on_pending = 2;

// CPU_SUSPEND power_state (original format): StateType, bit 16, 1 = powerdown.
inline constexpr uint64_t power_state_powerdown = uint64_t{1} << 16;

constexpr uint64_t x0_of(int32_t code) { return static_cast<uint64_t>(static_cast<int64_t>(code)); }

}  // namespace psci

enum class Psci_action : uint8_t {
  none,
  start_vcpu,    // vcpu_start(target, entry, context), then started() or start_failed()
  vcpu_off,      // stop the calling vCPU (CPU_OFF); its exit gets no answer
  system_off,    // power the VM off
  system_reset,  // restart the VM; the model is already back at its reset state
};

struct Psci_result {
  uint64_t x0 = psci::x0_of(psci::not_supported);  // the guest's x0 after the call
  Psci_action action = Psci_action::none;
  uint32_t target = 0;   // start_vcpu: the vCPU index to start
  uint64_t entry = 0;    // start_vcpu: guest-physical entry point
  uint64_t context = 0;  // start_vcpu: the started vCPU's x0
};

enum class Power_state : uint8_t { off, on, on_pending };

class Psci {
 public:
  constexpr explicit Psci(uint32_t vcpu_count)
      : vcpu_count_(vcpu_count == 0 ? 1 : (vcpu_count > max_vcpus ? max_vcpus : vcpu_count)) {
    reset();
  }

  // vCPU 0 on, the others off.
  constexpr void reset() {
    for (auto& state : states_) state = Power_state::off;
    states_[0] = Power_state::on;
  }

  constexpr uint32_t vcpu_count() const { return vcpu_count_; }
  constexpr Power_state state(uint32_t index) const { return index < vcpu_count_ ? states_[index] : Power_state::off; }

  // The hypercall of vCPU `caller` with the guest's x0-x3. A 32-bit (SMC32)
  // function takes W0-W3: the upper halves of x1-x3 are ignored.
  constexpr Psci_result call(uint32_t caller, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3) {
    const auto function = static_cast<uint32_t>(x0);
    if ((function & psci::smc64) == 0) {
      x1 &= 0xffff'ffff;
      x2 &= 0xffff'ffff;
      x3 &= 0xffff'ffff;
    }
    switch (function) {
      case psci::version:
        return answer(psci::version_1_1);
      case psci::features:
        return answer(feature(static_cast<uint32_t>(x1)));
      case psci::cpu_suspend:
      case psci::cpu_suspend | psci::smc64:
        return cpu_suspend_call(x1);
      case psci::cpu_off:
        return cpu_off_call(caller);
      case psci::cpu_on:
      case psci::cpu_on | psci::smc64:
        return cpu_on_call(x1, x2, x3);
      case psci::affinity_info:
      case psci::affinity_info | psci::smc64:
        return affinity_info_call(x1, x2);
      case psci::migrate_info_type:
        return answer(psci::migration_not_required);
      case psci::system_off:
        return {.x0 = 0, .action = Psci_action::system_off};
      case psci::system_reset:
        reset();
        return {.x0 = 0, .action = Psci_action::system_reset};
      case psci::smccc_version:
        return answer(psci::smccc_version_1_1);
      case psci::smccc_arch_features:
        return answer(arch_feature(static_cast<uint32_t>(x1)));
      default:
        return error(psci::not_supported);
    }
  }

  // The VMM started `target` after a start_vcpu action: it is on. Returns
  // the x0 for the CPU_ON caller (SUCCESS).
  constexpr uint64_t started(uint32_t target) {
    if (target < vcpu_count_) states_[target] = Power_state::on;
    return psci::x0_of(psci::success);
  }

  // The start failed (the VMM maps the kernel's status to a PSCI error,
  // e.g. INTERNAL_FAILURE: the kernel starts each vCPU only once): the
  // target is off again. Returns the x0 for the CPU_ON caller: `error`.
  constexpr uint64_t start_failed(uint32_t target, int32_t error_code) {
    if (target < vcpu_count_ && states_[target] == Power_state::on_pending) states_[target] = Power_state::off;
    return psci::x0_of(error_code);
  }

 private:
  static constexpr Psci_result answer(uint64_t x0) { return {.x0 = x0}; }
  static constexpr Psci_result error(int32_t code) { return {.x0 = psci::x0_of(code)}; }

  // PSCI_FEATURES: 0 for what is implemented (for CPU_SUSPEND, the flags:
  // original power_state format, platform-coordinated mode only), and for
  // SMCCC_VERSION, which is how Linux finds SMCCC 1.1.
  static constexpr uint64_t feature(uint32_t function) {
    switch (function) {
      case psci::version:
      case psci::cpu_suspend:
      case psci::cpu_suspend | psci::smc64:
      case psci::cpu_off:
      case psci::cpu_on:
      case psci::cpu_on | psci::smc64:
      case psci::affinity_info:
      case psci::affinity_info | psci::smc64:
      case psci::migrate_info_type:
      case psci::system_off:
      case psci::system_reset:
      case psci::features:
      case psci::smccc_version:
        return psci::x0_of(psci::success);
      default:
        return psci::x0_of(psci::not_supported);
    }
  }

  // SMCCC_ARCH_FEATURES. The firmware workarounds for Spectre v2 (1),
  // v4 (2) and BHB (3) are not implemented here, so saying NOT_SUPPORTED is
  // the honest answer: Linux then relies on its own mitigations or reports
  // the CPU as vulnerable, never calling a workaround that does nothing.
  static constexpr uint64_t arch_feature(uint32_t function) {
    switch (function) {
      case psci::smccc_version:
      case psci::smccc_arch_features:
        return psci::x0_of(psci::success);
      default:
        return psci::x0_of(psci::not_supported);
    }
  }

  // Standby (StateType 0) returns at once, SUCCESS: PSCI lets a standby
  // state end at any wake-up event, so an immediate return is a valid
  // (spurious) wake-up, and the guest's idle loop then waits with WFI,
  // which the kernel turns into a real wait. Powerdown states would have to
  // resume the vCPU at a new entry point, which the kernel cannot do for a
  // started vCPU; no powerdown state is offered, so one is invalid.
  static constexpr Psci_result cpu_suspend_call(uint64_t power_state) {
    return error((power_state & psci::power_state_powerdown) != 0 ? psci::invalid_parameters : psci::success);
  }

  constexpr Psci_result cpu_off_call(uint32_t caller) {
    if (caller >= vcpu_count_) return error(psci::denied);
    states_[caller] = Power_state::off;
    // The guest never sees this x0 (CPU_OFF does not return); DENIED is
    // CPU_OFF's only error, should a VMM resume the vCPU all the same.
    return {.x0 = psci::x0_of(psci::denied), .action = Psci_action::vcpu_off};
  }

  constexpr Psci_result cpu_on_call(uint64_t target_mpidr, uint64_t entry, uint64_t context) {
    const uint32_t target = vcpu_of_affinity(target_mpidr, vcpu_count_);
    if (target == no_vcpu) return error(psci::invalid_parameters);
    if (states_[target] == Power_state::on) return error(psci::already_on);
    if (states_[target] == Power_state::on_pending) return error(psci::on_pending);
    states_[target] = Power_state::on_pending;
    return {.x0 = psci::x0_of(psci::success),
            .action = Psci_action::start_vcpu,
            .target = target,
            .entry = entry,
            .context = context};
  }

  constexpr Psci_result affinity_info_call(uint64_t target_affinity, uint64_t lowest_level) {
    const uint32_t target = vcpu_of_affinity(target_affinity, vcpu_count_);
    if (lowest_level != 0 || target == no_vcpu) return error(psci::invalid_parameters);
    switch (states_[target]) {
      case Power_state::on:
        return answer(psci::affinity_on);
      case Power_state::on_pending:
        return answer(psci::affinity_on_pending);
      default:
        return answer(psci::affinity_off);
    }
  }

  uint32_t vcpu_count_;
  Power_state states_[max_vcpus]{};
};

}  // namespace kestrel::vmm
