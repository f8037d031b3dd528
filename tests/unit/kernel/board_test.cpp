// SPDX-License-Identifier: Apache-2.0
// Board tests: QEMU virt CPU numbering.
#include <gtest/gtest.h>

#include <board/board.hpp>

namespace board = kestrel::board;

TEST(QemuVirtBoard, MpidrRoundTripsForEverySupportedCpu) {
  for (unsigned cpu = 0; cpu < board::max_cpus; ++cpu) {
    EXPECT_EQ(board::cpu_of_mpidr(board::mpidr_of_cpu(cpu)), cpu);
  }
}

TEST(QemuVirtBoard, SeventeenthCpuIsInSecondCluster) {
  EXPECT_EQ(board::mpidr_of_cpu(16), 0x100u);
  EXPECT_EQ(board::mpidr_of_cpu(3), 0x3u);
}

TEST(QemuVirtBoard, CpuOfMpidrIgnoresNonAffinityBits) {
  // MPIDR_EL1 bit 31 is RES1 and bit 24 is MT; neither is part of the number.
  EXPECT_EQ(board::cpu_of_mpidr(0x8000'0002u), 2u);
}
