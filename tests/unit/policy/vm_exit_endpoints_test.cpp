// SPDX-License-Identifier: Apache-2.0
// VM exit endpoints: a VM's exits arrive on an endpoint per CPU its vCPUs
// run on, served by its VMM's thread on that CPU (the passive one if it has
// several there), and each vCPU sends its exits to its own CPU's, so no
// exit crosses CPUs. A VMM with no thread on such a CPU is the case file's
// (cases/KP0512-*).
#include <gtest/gtest.h>

#include <kestrel/policy/compiler.hpp>
#include <kestrel/policy/model.hpp>

#include "policy_test_support.hpp"

using namespace kestrel::policy;

namespace {

class VmExitEndpoints : public testing::Test {
 protected:
  void SetUp() override {
    result_ = compile_policy((cases_directory() / "valid-vm-exits-per-cpu.capnp").string(), {});
    ASSERT_TRUE(result_.ok()) << diagnostics_text(result_.diagnostics);
  }
  const Model& model() const { return *result_.model; }
  const Partition& partition(const std::string& name) const {
    return model().partitions[model().partition_index.at(name)];
  }
  const Endpoint* endpoint(const std::string& name) const {
    for (const auto& candidate : model().endpoints) {
      if (candidate.name == name) return &candidate;
    }
    return nullptr;
  }

  Compile_result result_;
};

}  // namespace

TEST_F(VmExitEndpoints, OneEndpointPerCpuOfTheVcpusServedByTheVmmsThreadThere) {
  const auto& exits = partition("guest").vm->exit_endpoints;
  ASSERT_EQ(exits.size(), 2u) << "CPUs 0 and 1, CPU 1 once";
  EXPECT_EQ(exits[0].cpu, 0u);
  EXPECT_EQ(exits[1].cpu, 1u);
  const Endpoint* cpu0 = endpoint("guest.exits-cpu0");
  const Endpoint* cpu1 = endpoint("guest.exits-cpu1");
  ASSERT_NE(cpu0, nullptr);
  ASSERT_NE(cpu1, nullptr);
  EXPECT_EQ(endpoint("guest.exits"), nullptr) << "no endpoint for all CPUs";
  EXPECT_EQ(&model().endpoints[exits[0].endpoint], cpu0);
  EXPECT_EQ(&model().endpoints[exits[1].endpoint], cpu1);
  const Partition& vmm = partition("vmm");
  EXPECT_EQ(vmm.threads[cpu0->server_thread].name, "cpu0");
  EXPECT_EQ(vmm.threads[cpu1->server_thread].name, "cpu1") << "the passive thread on CPU 1, not the busy one";
}

TEST_F(VmExitEndpoints, EachVcpuSendsItsExitsToItsOwnCpusEndpoint) {
  const Partition& guest = partition("guest");
  ASSERT_EQ(guest.threads.size(), 3u);
  for (const auto& vcpu : guest.threads) {
    ASSERT_TRUE(vcpu.vcpu);
    ASSERT_NE(vcpu.fault_endpoint, none) << vcpu.name;
    const Endpoint& exits = model().endpoints[vcpu.fault_endpoint];
    EXPECT_EQ(exits.name, "guest.exits-cpu" + std::to_string(vcpu.cpu)) << vcpu.name;
    EXPECT_EQ(partition("vmm").threads[exits.server_thread].cpu, vcpu.cpu) << vcpu.name;
  }
}

TEST_F(VmExitEndpoints, TheSummaryNamesThemInTheVmmsSlotsAndTheVcpus) {
  for (const char* line : {"[0] receive on endpoint guest.exits-cpu0", "[1] receive on endpoint guest.exits-cpu1",
                           "vcpu0 (vCPU): cpu 0, priority 10, faults to guest.exits-cpu0",
                           "vcpu2 (vCPU): cpu 1, priority 10, faults to guest.exits-cpu1"}) {
    EXPECT_NE(result_.summary.find(line), std::string::npos) << line << "\nin:\n" << result_.summary;
  }
}
