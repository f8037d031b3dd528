// SPDX-License-Identifier: Apache-2.0
// PSCI and SMCCC model tests (vmm-server/include/kestrel/vmm/psci.hpp):
// every function, its errors, the vCPUs' power states and the actions the
// VMM is asked for.
#include <gtest/gtest.h>

#include <cstdint>

#include <kestrel/vmm/psci.hpp>

namespace {

using kestrel::vmm::Power_state;
using kestrel::vmm::Psci;
using kestrel::vmm::Psci_action;
using kestrel::vmm::Psci_result;
namespace psci = kestrel::vmm::psci;

constexpr uint64_t x0(int32_t code) { return psci::x0_of(code); }
constexpr uint32_t smc64 = psci::smc64;

class Psci_test : public ::testing::Test {
 protected:
  Psci model{2};

  Psci_result call(uint64_t function, uint64_t x1 = 0, uint64_t x2 = 0, uint64_t x3 = 0, uint32_t caller = 0) {
    return model.call(caller, function, x1, x2, x3);
  }

  // CPU_ON for `mpidr` that the VMM then starts.
  void start(uint64_t mpidr) {
    const Psci_result r = call(psci::cpu_on | smc64, mpidr, 0x4008'0000, 0);
    ASSERT_EQ(r.action, Psci_action::start_vcpu);
    model.started(r.target);
  }
};

TEST_F(Psci_test, VersionIs1Point1AndSmccc1Point1) {
  const Psci_result version = call(psci::version);
  EXPECT_EQ(version.x0, 0x1'0001u);
  EXPECT_EQ(version.action, Psci_action::none);
  EXPECT_EQ(call(psci::smccc_version).x0, 0x1'0001u);
  EXPECT_EQ(call(psci::migrate_info_type).x0, 2u);
}

TEST_F(Psci_test, FeaturesListsWhatIsImplemented) {
  for (uint32_t function :
       {psci::version, psci::cpu_suspend, psci::cpu_suspend | smc64, psci::cpu_off, psci::cpu_on, psci::cpu_on | smc64,
        psci::affinity_info, psci::affinity_info | smc64, psci::migrate_info_type, psci::system_off, psci::system_reset,
        psci::features, psci::smccc_version}) {
    EXPECT_EQ(call(psci::features, function).x0, 0u) << std::hex << function;
  }
  for (uint32_t function : {psci::migrate, psci::migrate | smc64, psci::system_suspend, psci::system_suspend | smc64,
                            psci::version | smc64, psci::cpu_off | smc64, 0x8400'0012u /* SYSTEM_RESET2 */,
                            psci::smccc_arch_features, psci::smccc_arch_workaround_1, 0u}) {
    EXPECT_EQ(call(psci::features, function).x0, x0(psci::not_supported)) << std::hex << function;
  }
}

TEST_F(Psci_test, ArchFeaturesAreHonestAboutTheFirmwareWorkarounds) {
  for (uint32_t function : {psci::smccc_arch_workaround_1, psci::smccc_arch_workaround_2, psci::smccc_arch_workaround_3,
                            psci::smccc_arch_soc_id, psci::version}) {
    EXPECT_EQ(call(psci::smccc_arch_features, function).x0, x0(psci::not_supported)) << std::hex << function;
  }
  EXPECT_EQ(call(psci::smccc_arch_features, psci::smccc_version).x0, 0u);
  EXPECT_EQ(call(psci::smccc_arch_features, psci::smccc_arch_features).x0, 0u);
  // Calling a workaround is no different from any unknown function.
  EXPECT_EQ(call(psci::smccc_arch_workaround_1).x0, x0(psci::not_supported));
  EXPECT_EQ(call(psci::smccc_arch_workaround_1).action, Psci_action::none);
}

TEST_F(Psci_test, CpuOnStartsAnOffVcpuOnceTheVmmSaysItStarted) {
  const Psci_result r = call(psci::cpu_on | smc64, 0x1, 0x4008'1234, 0xfeed'0000'0000, 0);
  EXPECT_EQ(r.action, Psci_action::start_vcpu);
  EXPECT_EQ(r.target, 1u);
  EXPECT_EQ(r.entry, 0x4008'1234u);
  EXPECT_EQ(r.context, 0xfeed'0000'0000u);
  EXPECT_EQ(r.x0, 0u);
  EXPECT_EQ(model.state(1), Power_state::on_pending);
  EXPECT_EQ(call(psci::affinity_info | smc64, 1, 0).x0, psci::affinity_on_pending);
  EXPECT_EQ(call(psci::cpu_on | smc64, 0x1, 0x4000'0000).x0, x0(psci::on_pending));
  EXPECT_EQ(call(psci::cpu_on | smc64, 0x1, 0x4000'0000).action, Psci_action::none);
  EXPECT_EQ(model.started(1), 0u);
  EXPECT_EQ(model.state(1), Power_state::on);
  EXPECT_EQ(call(psci::affinity_info | smc64, 1, 0).x0, psci::affinity_on);
  EXPECT_EQ(call(psci::cpu_on | smc64, 0x1, 0x4000'0000).x0, x0(psci::already_on));
}

TEST_F(Psci_test, CpuOnForAVcpuThatIsOnSaysAlreadyOn) {
  const Psci_result r = call(psci::cpu_on | smc64, 0x0, 0x4000'0000, 0, 1);
  EXPECT_EQ(r.x0, x0(psci::already_on));
  EXPECT_EQ(r.action, Psci_action::none);
}

TEST_F(Psci_test, CpuOnWithAnMpidrOfNoVcpuIsInvalid) {
  for (uint64_t mpidr : {uint64_t{2}, uint64_t{15}, uint64_t{16}, uint64_t{0x100}, uint64_t{0x1'0001},
                         uint64_t{0x1'0000'0001}, uint64_t{0xff}}) {
    const Psci_result r = call(psci::cpu_on | smc64, mpidr, 0x4000'0000);
    EXPECT_EQ(r.x0, x0(psci::invalid_parameters)) << std::hex << mpidr;
    EXPECT_EQ(r.action, Psci_action::none);
  }
  EXPECT_EQ(model.state(1), Power_state::off);
  // Bits outside the affinity fields (MT, U, RES1) do not matter.
  EXPECT_EQ(call(psci::cpu_on | smc64, 0x8100'0001, 0x4000'0000).action, Psci_action::start_vcpu);
}

TEST_F(Psci_test, CpuOnWithAffinity1ReachesVcpu16OnlyIfThereIsOne) {
  Psci eight{20};
  EXPECT_EQ(eight.vcpu_count(), 8u);
  EXPECT_EQ(eight.call(0, psci::cpu_on | smc64, 7, 0, 0).target, 7u);
  EXPECT_EQ(eight.call(0, psci::cpu_on | smc64, 0x100, 0, 0).x0, x0(psci::invalid_parameters));
  EXPECT_EQ(Psci{0}.vcpu_count(), 1u);
}

TEST_F(Psci_test, ThirtyTwoBitCallsIgnoreTheUpperHalves) {
  const Psci_result r = call(psci::cpu_on, 0xffff'ffff'0000'0001, 0xaaaa'aaaa'4008'0000, 0x5555'5555'0000'0042);
  EXPECT_EQ(r.action, Psci_action::start_vcpu);
  EXPECT_EQ(r.target, 1u);
  EXPECT_EQ(r.entry, 0x4008'0000u);
  EXPECT_EQ(r.context, 0x42u);
  model.started(1);
  EXPECT_EQ(call(psci::affinity_info, 0xffff'ffff'0000'0001, 0xffff'ffff'0000'0000).x0, psci::affinity_on);
  // The 64-bit form keeps them: Aff3 = 0xff names no vCPU.
  EXPECT_EQ(call(psci::affinity_info | smc64, 0xff'0000'0001, 0).x0, x0(psci::invalid_parameters));
  // The function ID is W0.
  EXPECT_EQ(call(0xdead'beef'0000'0000 | psci::version).x0, 0x1'0001u);
}

TEST_F(Psci_test, FailedStartLeavesTheVcpuOff) {
  const Psci_result r = call(psci::cpu_on | smc64, 1, 0x4000'0000);
  EXPECT_EQ(model.start_failed(r.target, psci::internal_failure), x0(psci::internal_failure));
  EXPECT_EQ(model.state(1), Power_state::off);
  EXPECT_EQ(call(psci::affinity_info | smc64, 1, 0).x0, psci::affinity_off);
  EXPECT_EQ(call(psci::cpu_on | smc64, 1, 0x4000'0000).action, Psci_action::start_vcpu) << "may be tried again";
}

TEST_F(Psci_test, CpuOffThenCpuOnAgain) {
  start(1);
  const Psci_result off = call(psci::cpu_off, 0, 0, 0, 1);
  EXPECT_EQ(off.action, Psci_action::vcpu_off);
  EXPECT_EQ(model.state(1), Power_state::off);
  EXPECT_EQ(model.state(0), Power_state::on) << "only the caller";
  EXPECT_EQ(call(psci::affinity_info | smc64, 1, 0).x0, psci::affinity_off);
  const Psci_result on = call(psci::cpu_on | smc64, 1, 0x4100'0000, 7);
  EXPECT_EQ(on.action, Psci_action::start_vcpu);
  EXPECT_EQ(on.entry, 0x4100'0000u);
  EXPECT_EQ(call(psci::cpu_off, 0, 0, 0, 9).x0, x0(psci::denied)) << "no such caller";
  EXPECT_EQ(call(psci::cpu_off, 0, 0, 0, 9).action, Psci_action::none);
}

TEST_F(Psci_test, AffinityInfoAnswersLevel0Only) {
  EXPECT_EQ(call(psci::affinity_info, 0, 0).x0, psci::affinity_on);
  EXPECT_EQ(call(psci::affinity_info, 1, 0).x0, psci::affinity_off);
  EXPECT_EQ(call(psci::affinity_info, 0, 1).x0, x0(psci::invalid_parameters));
  EXPECT_EQ(call(psci::affinity_info, 2, 0).x0, x0(psci::invalid_parameters));
}

TEST_F(Psci_test, CpuSuspendToStandbyReturnsAndPowerdownIsInvalid) {
  for (uint32_t function : {psci::cpu_suspend, psci::cpu_suspend | smc64}) {
    const Psci_result standby = call(function, 0x0000'0001, 0x4000'0000, 0);
    EXPECT_EQ(standby.x0, 0u);
    EXPECT_EQ(standby.action, Psci_action::none);
    const Psci_result powerdown = call(function, 0x0001'0000, 0x4000'0000, 0);
    EXPECT_EQ(powerdown.x0, x0(psci::invalid_parameters));
    EXPECT_EQ(powerdown.action, Psci_action::none);
  }
  EXPECT_EQ(model.state(0), Power_state::on);
}

TEST_F(Psci_test, SystemOffAndResetAreActionsResetRestoresThePowerStates) {
  EXPECT_EQ(call(psci::system_off).action, Psci_action::system_off);
  start(1);
  call(psci::cpu_off, 0, 0, 0, 0);
  const Psci_result reset = call(psci::system_reset, 0, 0, 0, 1);
  EXPECT_EQ(reset.action, Psci_action::system_reset);
  EXPECT_EQ(model.state(0), Power_state::on);
  EXPECT_EQ(model.state(1), Power_state::off);
  EXPECT_EQ(call(psci::system_off | smc64).action, Psci_action::none) << "no 64-bit SYSTEM_OFF";
}

TEST_F(Psci_test, UnknownFunctionsAreNotSupportedAndStopNothing) {
  for (uint64_t function : {uint64_t{psci::migrate}, uint64_t{psci::migrate | smc64}, uint64_t{psci::system_suspend},
                            uint64_t{0x8400'0012} /* SYSTEM_RESET2 */, uint64_t{0x8400'0011}, uint64_t{0x8400'00ff},
                            uint64_t{psci::version | smc64}, uint64_t{0xc400'0002}, uint64_t{0x1234'5678}, uint64_t{0},
                            uint64_t{0x8600'0000} /* SiP */, uint64_t{0xbf00'0000}}) {
    const Psci_result r = call(function, 1, 2, 3);
    EXPECT_EQ(r.x0, ~uint64_t{0}) << std::hex << function;
    EXPECT_EQ(r.action, Psci_action::none) << std::hex << function;
  }
  EXPECT_EQ(model.state(0), Power_state::on);
  EXPECT_EQ(model.state(1), Power_state::off);
}

static_assert(Psci{2}.state(0) == Power_state::on);
static_assert(Psci{2}.state(1) == Power_state::off);
constinit Psci compile_time_psci{2};

}  // namespace
