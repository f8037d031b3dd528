// SPDX-License-Identifier: Apache-2.0
// GICv3 model tests (vmm-server/include/kestrel/vmm/gic.hpp): the registers
// as Linux 6.1's irq-gic-v3.c probes and programs them, and which interrupts
// reach which vCPU and when.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include <kestrel/vmm/gic.hpp>

namespace {

using kestrel::vmm::Deliveries;
using kestrel::vmm::Delivery;
using kestrel::vmm::Gic;
using kestrel::vmm::Gic_config;
namespace gic = kestrel::vmm::gic;

constexpr uint64_t gicd = 0x0800'0000;
constexpr uint64_t gicr = 0x080a'0000;
constexpr uint64_t frame = 0x2'0000;  // one redistributor

// The pairs, so a test can compare a whole list.
std::vector<std::pair<uint32_t, uint32_t>> list(const Deliveries& deliveries) {
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  for (const Delivery& d : deliveries) pairs.emplace_back(d.vcpu, d.intid);
  return pairs;
}
using Pairs = std::vector<std::pair<uint32_t, uint32_t>>;

class Gic_test : public ::testing::Test {
 protected:
  Gic gic{Gic_config{.vcpu_count = 2, .highest_spi = 79, .distributor_base = gicd, .redistributor_base = gicr}};

  uint32_t readl(uint64_t address) { return static_cast<uint32_t>(gic.read(address, 4)); }
  Deliveries writel(uint64_t address, uint32_t value) { return gic.write(address, 4, value); }

  // gic_dist_init() and gic_dist_config(): disable, all SPIs Group 1, level,
  // priority 0xa0, deactivated and disabled, then enable with ARE and both
  // groups and route every SPI to the boot CPU with 64-bit writes.
  void linux_dist_init() {
    writel(gicd + gic::gicd_ctlr, 0);
    const uint32_t lines = ((readl(gicd + gic::gicd_typer) & 0x1f) + 1) * 32;
    for (uint32_t i = 32; i < lines; i += 32) writel(gicd + gic::igroupr + i / 8, ~0u);
    for (uint32_t i = 32; i < lines; i += 16) writel(gicd + gic::icfgr + i / 4, 0);
    for (uint32_t i = 32; i < lines; i += 4) writel(gicd + gic::ipriorityr + i, 0xa0a0'a0a0);
    for (uint32_t i = 32; i < lines; i += 32) {
      writel(gicd + gic::icactiver + i / 8, ~0u);
      writel(gicd + gic::icenabler + i / 8, ~0u);
    }
    EXPECT_TRUE(writel(gicd + gic::gicd_ctlr, gic::ctlr_are | 0x3).empty());
    for (uint32_t i = 32; i < lines; ++i) gic.write(gicd + gic::gicd_irouter + i * 8, 8, 0);
  }

  // gic_cpu_init() for vCPU `n`: wake the redistributor, all private
  // interrupts Group 1, deactivate and disable them, priorities, enable SGIs.
  void linux_cpu_init(uint32_t n) {
    const uint64_t rd = gicr + n * frame;
    const uint64_t sgi = rd + gic::sgi_base;
    writel(rd + gic::gicr_waker, readl(rd + gic::gicr_waker) & ~gic::waker_processor_sleep);
    EXPECT_EQ(readl(rd + gic::gicr_waker) & gic::waker_children_asleep, 0u);
    writel(sgi + gic::igroupr, ~0u);
    writel(sgi + gic::icactiver, ~0u);
    writel(sgi + gic::icenabler, ~0u);
    for (uint32_t i = 0; i < 32; i += 4) writel(sgi + gic::ipriorityr + i, 0xa0a0'a0a0);
    writel(sgi + gic::isenabler, 0x0000'ffff);
    EXPECT_EQ(readl(rd + gic::gicr_ctlr) & (1u << 3), 0u) << "RWP must read 0";
  }

  void enable_spi(uint32_t intid) { writel(gicd + gic::isenabler + intid / 32 * 4, 1u << (intid % 32)); }
};

TEST_F(Gic_test, DistributorIdentifiesAsGicv3WithOnlyTheVmsSpis) {
  EXPECT_EQ(readl(gicd + gic::pidr2) & 0xf0, 0x30u);
  const uint32_t typer = readl(gicd + gic::gicd_typer);
  EXPECT_EQ(typer & 0x1f, 2u) << "INTIDs 0-95: SPI 79 rounded up to a multiple of 32";
  EXPECT_EQ((typer >> 5) & 7, 1u) << "CPUNumber: 2 vCPUs";
  EXPECT_EQ((typer >> 19) & 0x1f, 9u) << "IDbits: 10 bits of INTID";
  EXPECT_EQ(typer & (1u << 16 | 1u << 17 | 1u << 8 | 1u << 10), 0u) << "no MBIS, LPIS, ESPI, SecurityExtn";
  EXPECT_EQ(readl(gicd + gic::gicd_typer2), 0u);
  EXPECT_EQ(readl(gicd + gic::gicd_iidr), 0x43bu);
  // DS and ARE read as one whatever is written; the enables are kept; RWP 0.
  EXPECT_EQ(readl(gicd + gic::gicd_ctlr), gic::ctlr_ds | gic::ctlr_are);
  writel(gicd + gic::gicd_ctlr, 0x8000'0003);
  EXPECT_EQ(readl(gicd + gic::gicd_ctlr), gic::ctlr_ds | gic::ctlr_are | 0x3);
  writel(gicd + gic::gicd_ctlr, 0);
  EXPECT_EQ(readl(gicd + gic::gicd_ctlr), gic::ctlr_ds | gic::ctlr_are);
}

TEST_F(Gic_test, ConfigIsClampedToWhatTheGicCanSay) {
  Gic none{{.vcpu_count = 0, .highest_spi = 0}};
  EXPECT_EQ(none.vcpu_count(), 1u);
  EXPECT_EQ(none.read(gicd + gic::gicd_typer, 4) & 0x1f, 0u) << "no SPIs: 32 INTIDs";
  EXPECT_TRUE(none.raise_spi(32).empty());
  Gic most{{.vcpu_count = 20, .highest_spi = 5000}};
  EXPECT_EQ(most.vcpu_count(), 8u);
  EXPECT_EQ(most.read(gicd + gic::gicd_typer, 4) & 0x1f, 31u);
  Gic exact{{.vcpu_count = 1, .highest_spi = 63}};
  EXPECT_EQ(exact.read(gicd + gic::gicd_typer, 4) & 0x1f, 1u) << "SPI 63 needs no third register";
}

// gic_iterate_rdists(): from the first frame, PIDR2 must say GICv3; TYPER's
// affinity finds the CPU's frame; Last ends the walk.
TEST_F(Gic_test, LinuxFindsOneRedistributorPerVcpuAndStopsAtLast) {
  for (uint32_t vcpus = 1; vcpus <= 8; ++vcpus) {
    Gic g{{.vcpu_count = vcpus}};
    uint32_t found = 0;
    for (uint64_t rd = gicr;; rd += frame) {
      ASSERT_LT(found, vcpus) << "walked past the last redistributor";
      ASSERT_EQ(g.read(rd + gic::pidr2, 4) & 0xf0, 0x30u);
      const uint64_t typer = g.read(rd + gic::gicr_typer, 8);
      EXPECT_EQ(typer >> 32, kestrel::vmm::affinity_of(found));
      EXPECT_EQ((typer >> 8) & 0xffff, found) << "Processor_Number";
      EXPECT_EQ(typer & 0xf, 0u) << "no LPIs, no DirectLPI";
      ++found;
      if (typer & gic::typer_last) break;
    }
    EXPECT_EQ(found, vcpus);
  }
}

TEST_F(Gic_test, RedistributorTyperReadsInHalvesToo) {
  const uint64_t rd1 = gicr + frame;
  const uint64_t typer = gic.read(rd1 + gic::gicr_typer, 8);
  EXPECT_EQ(typer, uint64_t{1} << 32 | 1u << 8 | gic::typer_last);
  EXPECT_EQ(readl(rd1 + gic::gicr_typer), typer & 0xffff'ffff);
  EXPECT_EQ(readl(rd1 + gic::gicr_typer + 4), typer >> 32);
  EXPECT_EQ(gic.read(gicr + gic::gicr_typer, 8) & gic::typer_last, 0u) << "vCPU 0 is not the last of two";
  EXPECT_EQ(kestrel::vmm::affinity_of(17), 0x101u) << "Aff1 = 17 / 16, Aff0 = 17 % 16";
}

TEST_F(Gic_test, WakerHandshake) {
  const uint64_t waker = gicr + frame + gic::gicr_waker;
  EXPECT_EQ(readl(waker), gic::waker_processor_sleep | gic::waker_children_asleep) << "asleep at reset";
  writel(waker, 0);
  EXPECT_EQ(readl(waker), 0u) << "ChildrenAsleep clears as soon as ProcessorSleep does";
  EXPECT_TRUE(gic.redistributor(0).asleep()) << "each vCPU's own";
  writel(waker, gic::waker_processor_sleep);
  EXPECT_EQ(readl(waker), gic::waker_processor_sleep | gic::waker_children_asleep);
}

TEST_F(Gic_test, LinuxInitialisationLeavesTheRegistersAsWritten) {
  linux_dist_init();
  linux_cpu_init(0);
  linux_cpu_init(1);
  EXPECT_EQ(readl(gicd + gic::igroupr + 4), ~0u);
  EXPECT_EQ(readl(gicd + gic::igroupr + 0), 0u) << "SGIs and PPIs are the redistributors'";
  EXPECT_EQ(readl(gicd + gic::ipriorityr + 64), 0xa0a0'a0a0u);
  EXPECT_EQ(readl(gicd + gic::isenabler + 4), 0u);
  EXPECT_EQ(gic.read(gicd + gic::gicd_irouter + 79 * 8, 8), 0u);
  const uint64_t sgi1 = gicr + frame + gic::sgi_base;
  EXPECT_EQ(readl(sgi1 + gic::isenabler), 0x0000'ffffu);
  EXPECT_EQ(readl(sgi1 + gic::icenabler), 0x0000'ffffu) << "ICENABLER reads the enables too";
  EXPECT_EQ(readl(sgi1 + gic::igroupr), ~0u);
  EXPECT_EQ(readl(sgi1 + gic::ipriorityr + 28), 0xa0a0'a0a0u);
}

TEST_F(Gic_test, RaisedSpiGoesToTheRoutedVcpuOnceEnabled) {
  linux_dist_init();
  enable_spi(33);
  EXPECT_EQ(list(gic.raise_spi(33)), (Pairs{{0, 33}}));
  EXPECT_EQ(readl(gicd + gic::ispendr + 4), 0u) << "delivered: pending in the kernel, not here";
  EXPECT_EQ(list(gic.raise_spi(33)), (Pairs{{0, 33}})) << "each rising edge is delivered";
  EXPECT_TRUE(gic.raise_spi(34).empty()) << "34 is not enabled";
}

TEST_F(Gic_test, SpiRaisedWhileDisabledIsDeliveredWhenTheGuestEnablesIt) {
  linux_dist_init();
  EXPECT_TRUE(gic.raise_spi(48).empty());
  EXPECT_EQ(readl(gicd + gic::ispendr + 4), 1u << 16) << "kept pending";
  EXPECT_EQ(list(writel(gicd + gic::isenabler + 4, 1u << 16)), (Pairs{{0, 48}}));
  EXPECT_EQ(readl(gicd + gic::ispendr + 4), 0u);
  EXPECT_TRUE(writel(gicd + gic::isenabler + 4, 1u << 16).empty()) << "delivered once";
}

TEST_F(Gic_test, SpiRaisedBeforeTheDistributorIsEnabledWaitsForGicdCtlr) {
  enable_spi(40);
  EXPECT_TRUE(gic.raise_spi(40).empty()) << "GICD_CTLR.EnableGrp1 is clear";
  EXPECT_TRUE(writel(gicd + gic::gicd_ctlr, gic::ctlr_enable_grp0).empty()) << "Group 0 enabled is not enough";
  EXPECT_EQ(list(writel(gicd + gic::gicd_ctlr, gic::ctlr_enable_grp1)), (Pairs{{0, 40}}));
}

TEST_F(Gic_test, Group0InterruptsAreNeverDelivered) {
  linux_dist_init();
  writel(gicd + gic::igroupr + 4, ~0u & ~(1u << 1));  // SPI 33 in Group 0
  enable_spi(33);
  EXPECT_TRUE(gic.raise_spi(33).empty());
  EXPECT_EQ(list(writel(gicd + gic::igroupr + 4, ~0u)), (Pairs{{0, 33}})) << "back in Group 1";
}

TEST_F(Gic_test, GuestSetsAndClearsPendingWithIspendrAndIcpendr) {
  linux_dist_init();
  enable_spi(50);
  EXPECT_EQ(list(writel(gicd + gic::ispendr + 4, 1u << 18)), (Pairs{{0, 50}})) << "a software pend delivers";
  writel(gicd + gic::icenabler + 4, 1u << 18);
  writel(gicd + gic::ispendr + 4, 1u << 18);
  EXPECT_EQ(readl(gicd + gic::icpendr + 4), 1u << 18);
  writel(gicd + gic::icpendr + 4, 1u << 18);
  EXPECT_EQ(readl(gicd + gic::ispendr + 4), 0u);
  EXPECT_TRUE(writel(gicd + gic::isenabler + 4, 1u << 18).empty()) << "cleared before it could be delivered";
}

TEST_F(Gic_test, IrouterRoutesToVcpu1) {
  linux_dist_init();
  enable_spi(41);
  gic.write(gicd + gic::gicd_irouter + 41 * 8, 8, kestrel::vmm::affinity_of(1));  // gic_set_affinity
  EXPECT_EQ(gic.read(gicd + gic::gicd_irouter + 41 * 8, 8), 1u);
  EXPECT_EQ(list(gic.raise_spi(41)), (Pairs{{1, 41}}));
  // Interrupt_Routing_Mode = 1: any vCPU, which is vCPU 0.
  gic.write(gicd + gic::gicd_irouter + 41 * 8, 8, gic::irouter_irm | 1);
  EXPECT_EQ(list(gic.raise_spi(41)), (Pairs{{0, 41}}));
  // 32-bit halves: the low word names vCPU 1 again.
  writel(gicd + gic::gicd_irouter + 41 * 8, 1);
  EXPECT_EQ(readl(gicd + gic::gicd_irouter + 41 * 8 + 4), 0u);
  EXPECT_EQ(list(gic.raise_spi(41)), (Pairs{{1, 41}}));
}

TEST_F(Gic_test, SpiRoutedToNoVcpuWaitsUntilRoutedToOne) {
  linux_dist_init();
  enable_spi(42);
  gic.write(gicd + gic::gicd_irouter + 42 * 8, 8, kestrel::vmm::affinity_of(5));  // only 2 vCPUs
  EXPECT_TRUE(gic.raise_spi(42).empty());
  gic.write(gicd + gic::gicd_irouter + 42 * 8, 8, uint64_t{1} << 32);  // Aff3 = 1: no vCPU either
  EXPECT_TRUE(gic.take_deliveries().empty());
  EXPECT_EQ(list(gic.write(gicd + gic::gicd_irouter + 42 * 8, 8, 1)), (Pairs{{1, 42}}));
}

TEST_F(Gic_test, LoweredLevelInterruptIsNoLongerPendingButAnEdgeIs) {
  linux_dist_init();
  gic.raise_spi(33);
  gic.lower_spi(33);
  EXPECT_TRUE(writel(gicd + gic::isenabler + 4, 1u << 1).empty()) << "level-sensitive: the line fell";
  writel(gicd + gic::icfgr + 8, 2u << 2);  // ICFGR2: INTID 33 edge-triggered
  EXPECT_EQ(readl(gicd + gic::icfgr + 8), 2u << 2);
  writel(gicd + gic::icenabler + 4, 1u << 1);
  gic.raise_spi(33);
  gic.lower_spi(33);
  EXPECT_EQ(list(writel(gicd + gic::isenabler + 4, 1u << 1)), (Pairs{{0, 33}})) << "an edge stays latched";
}

TEST_F(Gic_test, PrivateInterruptPendedThroughTheRedistributorGoesToItsVcpu) {
  linux_dist_init();
  linux_cpu_init(1);
  const uint64_t sgi1 = gicr + frame + gic::sgi_base;
  writel(sgi1 + gic::isenabler, 1u << 20);
  EXPECT_EQ(list(writel(sgi1 + gic::ispendr, 1u << 20)), (Pairs{{1, 20}}));
  writel(sgi1 + gic::icenabler, 1u << 21);
  writel(sgi1 + gic::ispendr, 1u << 21);
  EXPECT_EQ(readl(sgi1 + gic::ispendr), 1u << 21);
  EXPECT_EQ(readl(gicr + gic::sgi_base + gic::ispendr), 0u) << "vCPU 0's own state";
  EXPECT_EQ(list(writel(sgi1 + gic::isenabler, 1u << 21)), (Pairs{{1, 21}}));
}

TEST_F(Gic_test, ActiveStateReadsZeroAndIgnoresWrites) {
  linux_dist_init();
  writel(gicd + gic::isactiver + 4, ~0u);
  EXPECT_EQ(readl(gicd + gic::isactiver + 4), 0u);
  EXPECT_EQ(readl(gicd + gic::icactiver + 4), 0u);
  writel(gicr + gic::sgi_base + gic::isactiver, ~0u);
  EXPECT_EQ(readl(gicr + gic::sgi_base + gic::isactiver), 0u);
}

TEST_F(Gic_test, PrivateInterruptConfiguration) {
  const uint64_t sgi0 = gicr + gic::sgi_base;
  EXPECT_EQ(readl(sgi0 + gic::gicr_icfgr0), 0xaaaa'aaaau) << "SGIs are edge-triggered";
  writel(sgi0 + gic::gicr_icfgr0, 0);
  EXPECT_EQ(readl(sgi0 + gic::gicr_icfgr0), 0xaaaa'aaaau) << "and stay so";
  EXPECT_EQ(readl(sgi0 + gic::gicr_icfgr1), 0u);
  writel(sgi0 + gic::gicr_icfgr1, 0xffff'ffff);
  EXPECT_EQ(readl(sgi0 + gic::gicr_icfgr1), 0xaaaa'aaaau) << "only the odd bits exist";
  writel(sgi0 + gic::igrpmodr, ~0u);
  EXPECT_EQ(readl(sgi0 + gic::igrpmodr), 0u) << "IGRPMODR0 is RAZ/WI with DS = 1";
}

TEST_F(Gic_test, PrioritiesTakeByteAndWordAccesses) {
  gic.write(gicd + gic::ipriorityr + 33, 1, 0x80);
  EXPECT_EQ(readl(gicd + gic::ipriorityr + 32), 0x0000'8000u);
  EXPECT_EQ(gic.read(gicd + gic::ipriorityr + 33, 1), 0x80u);
  writel(gicd + gic::ipriorityr + 36, 0x1122'3344);
  EXPECT_EQ(gic.distributor().priority(36), 0x44);
  EXPECT_EQ(gic.distributor().priority(39), 0x11);
  EXPECT_EQ(gic.read(gicd + gic::ipriorityr + 32, 2), 0u) << "16-bit accesses are not allowed";
  const uint64_t sgi1 = gicr + frame + gic::sgi_base;
  gic.write(sgi1 + gic::ipriorityr + 27, 1, 0x20);
  EXPECT_EQ(readl(sgi1 + gic::ipriorityr + 24), 0x2000'0000u);
  EXPECT_EQ(gic.redistributor(1).priority(27), 0x20);
  EXPECT_EQ(gic.redistributor(0).priority(27), 0);
  writel(gicd + gic::ipriorityr + 8, 0xffff'ffff);
  EXPECT_EQ(readl(gicd + gic::ipriorityr + 8), 0u) << "SGI priorities are not the distributor's";
}

TEST_F(Gic_test, UnknownOffsetsReadZeroAndIgnoreWrites) {
  linux_dist_init();
  for (uint64_t offset : {0x10ull, 0x40ull, 0x800ull, 0xd00ull, 0xe00ull, 0xf00ull, 0x5000ull, 0xfffcull}) {
    EXPECT_TRUE(writel(gicd + offset, ~0u).empty()) << offset;
    EXPECT_EQ(readl(gicd + offset), 0u) << offset;
  }
  for (uint64_t offset : {0x10ull, 0x70ull, 0xc0ull, 0x1'0e00ull, 0x1'fffcull}) {
    writel(gicr + offset, ~0u);
    EXPECT_EQ(readl(gicr + offset), 0u) << offset;
  }
  // Registers of INTIDs the distributor does not have (96 and up).
  writel(gicd + gic::isenabler + 12, ~0u);
  EXPECT_EQ(readl(gicd + gic::isenabler + 12), 0u);
  EXPECT_TRUE(gic.raise_spi(96).empty());
  EXPECT_TRUE(gic.raise_spi(1020).empty());
  gic.write(gicd + gic::gicd_irouter + 96 * 8, 8, 1);
  EXPECT_EQ(gic.read(gicd + gic::gicd_irouter + 96 * 8, 8), 0u);
  // Outside both frames, and the third redistributor of a two-vCPU VM.
  EXPECT_FALSE(gic.contains(gicd - 4));
  EXPECT_FALSE(gic.contains(gicr + 2 * frame));
  EXPECT_TRUE(gic.contains(gicr + 2 * frame - 4));
  EXPECT_EQ(readl(gicr + 2 * frame + gic::pidr2), 0u);
  EXPECT_TRUE(writel(gicr + 2 * frame + gic::sgi_base + gic::ispendr, ~0u).empty());
}

TEST_F(Gic_test, LastSpiRegisterStopsAtInterrupt1019) {
  Gic big{{.vcpu_count = 1, .highest_spi = 1019}};
  big.write(gicd + gic::igroupr + 124, 4, ~0u);
  big.write(gicd + gic::isenabler + 124, 4, ~0u);
  EXPECT_EQ(big.read(gicd + gic::isenabler + 124, 4), 0x0fff'ffffu) << "1020-1023 are special INTIDs";
  big.write(gicd + gic::gicd_ctlr, 4, gic::ctlr_enable_grp1);
  EXPECT_EQ(list(big.raise_spi(1019)), (Pairs{{0, 1019}}));
}

TEST_F(Gic_test, OddSizesAndMisalignedAccessesAreHarmless) {
  writel(gicd + gic::gicd_ctlr, 0x3);
  EXPECT_EQ(gic.read(gicd + gic::gicd_ctlr, 2), 0u);
  EXPECT_EQ(gic.read(gicd + gic::gicd_ctlr, 1), 0u);
  EXPECT_EQ(gic.read(gicd + gic::gicd_ctlr, 8), 0u);
  EXPECT_EQ(gic.read(gicd + gic::gicd_ctlr, 3), 0u);
  EXPECT_EQ(gic.read(gicd + gic::gicd_ctlr, 0), 0u);
  EXPECT_EQ(gic.read(gicd + gic::gicd_ctlr, 1u << 31), 0u);
  EXPECT_EQ(gic.read(gicd + gic::gicd_typer + 1, 4), 0u);
  EXPECT_TRUE(gic.write(gicd + gic::isenabler + 5, 4, ~0u).empty());
  EXPECT_TRUE(gic.write(gicd + gic::isenabler + 4, 1, 0xff).empty());
  EXPECT_TRUE(gic.write(gicd + gic::isenabler + 4, 2, 0xffff).empty());
  EXPECT_TRUE(gic.write(gicd + gic::isenabler + 4, 8, ~0ull).empty());
  EXPECT_EQ(readl(gicd + gic::isenabler + 4), 0u);
  gic.write(gicd + gic::gicd_irouter + 40 * 8 + 4, 8, 1);  // misaligned 64-bit
  gic.write(gicd + gic::gicd_irouter + 40 * 8, 2, 1);
  EXPECT_EQ(gic.read(gicd + gic::gicd_irouter + 40 * 8, 8), 0u);
  EXPECT_EQ(gic.read(gicr + gic::gicr_typer + 4, 8), 0u);
  EXPECT_EQ(gic.read(gicr + gic::gicr_waker, 8), 0u);
  EXPECT_EQ(gic.redistributor_read(7, gic::pidr2, 4), 0u) << "no vCPU 7";
  EXPECT_TRUE(gic.redistributor_write(7, gic::sgi_base + gic::ispendr, 4, ~0u).empty());
  EXPECT_EQ(readl(gicd + gic::gicd_ctlr), gic::ctlr_ds | gic::ctlr_are | 0x3) << "nothing else changed";
}

TEST_F(Gic_test, MoreDeliveriesThanFitWaitForTheNextCall) {
  linux_dist_init();
  writel(gicd + gic::isenabler + 4, ~0u);
  writel(gicd + gic::isenabler + 8, ~0u);
  writel(gicd + gic::gicd_ctlr, 0);
  for (uint32_t intid = 32; intid < 72; ++intid) EXPECT_TRUE(gic.raise_spi(intid).empty());
  const Deliveries first = writel(gicd + gic::gicd_ctlr, gic::ctlr_enable_grp1);
  EXPECT_EQ(first.size(), Deliveries::capacity);
  EXPECT_TRUE(first.more());
  EXPECT_EQ(first[0].intid, 32u);
  EXPECT_EQ(first[31].intid, 63u);
  const Deliveries rest = gic.take_deliveries();
  EXPECT_EQ(rest.size(), 8u);
  EXPECT_FALSE(rest.more());
  EXPECT_EQ(rest[0].intid, 64u);
  EXPECT_EQ(rest[7].intid, 71u);
  EXPECT_TRUE(gic.take_deliveries().empty());
}

TEST_F(Gic_test, ResetForgetsTheGuestsConfiguration) {
  linux_dist_init();
  linux_cpu_init(0);
  enable_spi(33);
  gic.raise_spi(34);
  writel(gicd + gic::igroupr + 4, 0);
  gic.write(gicd + gic::ipriorityr + 40, 1, 0x10);
  gic.write(gicd + gic::gicd_irouter + 40 * 8, 8, 1);
  writel(gicd + gic::icfgr + 8, ~0u);
  gic.reset();
  EXPECT_EQ(readl(gicd + gic::gicd_ctlr), gic::ctlr_ds | gic::ctlr_are);
  EXPECT_EQ(readl(gicd + gic::igroupr + 4), ~0u);
  EXPECT_EQ(gic.distributor().priority(40), 0);
  EXPECT_EQ(gic.distributor().router(40), 0u);
  EXPECT_EQ(readl(gicd + gic::icfgr + 8), 0u);
  EXPECT_EQ(readl(gicd + gic::isenabler + 4), 0u);
  EXPECT_EQ(readl(gicd + gic::ispendr + 4), 0u);
  EXPECT_EQ(readl(gicr + gic::gicr_waker), gic::waker_processor_sleep | gic::waker_children_asleep);
  EXPECT_EQ(gic.read(gicr + frame + gic::gicr_typer, 8) & gic::typer_last, gic::typer_last);
  EXPECT_EQ(readl(gicd + gic::gicd_typer) & 0x1f, 2u);
}

// The model is built at compile time: the partition runs no constructors.
constinit Gic compile_time_gic{{.vcpu_count = 2}};
static_assert(Gic{{.vcpu_count = 3}}.redistributor_read(2, gic::gicr_typer, 8) ==
              (uint64_t{2} << 32 | 2u << 8 | gic::typer_last));

}  // namespace
