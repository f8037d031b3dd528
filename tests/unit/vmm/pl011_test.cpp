// SPDX-License-Identifier: Apache-2.0
// PL011 model tests (vmm-server/include/kestrel/vmm/pl011.hpp): the ID and
// flag registers Linux's amba-pl011.c reads, output, the receive ring, and
// the interrupt line's edges.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <kestrel/vmm/pl011.hpp>

namespace {

using kestrel::vmm::Level_change;
using kestrel::vmm::Line_buffer;
using kestrel::vmm::Pl011;
namespace pl011 = kestrel::vmm::pl011;

struct Recorder {
  std::string bytes;
  void put(char c) { bytes += c; }
};

class Pl011_test : public ::testing::Test {
 protected:
  Pl011<Recorder> uart;

  // Linux uses 16-bit accesses (iotype UPIO_MEM).
  uint32_t readw(uint64_t offset) { return static_cast<uint32_t>(uart.read(offset, 2)); }
  void writew(uint64_t offset, uint32_t value) { uart.write(offset, 2, value); }
  void enable() { writew(pl011::cr, pl011::cr_uarten | pl011::cr_txe | pl011::cr_rxe); }
};

TEST_F(Pl011_test, IdRegistersSayArmPl011) {
  const uint32_t expected[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
  for (uint32_t i = 0; i < 8; ++i) {
    EXPECT_EQ(uart.read(0xfe0 + 4 * i, 4), expected[i]) << i;
    EXPECT_EQ(uart.read(0xfe0 + 4 * i, 1), expected[i]) << i;
  }
  // What the AMBA bus code assembles: part 0x011, designer 0x41 (Arm).
  uint32_t periphid = 0;
  for (uint32_t i = 0; i < 4; ++i) periphid |= static_cast<uint32_t>(uart.read(0xfe0 + 4 * i, 4)) << (8 * i);
  EXPECT_EQ(periphid & 0x000f'ffff, 0x0004'1011u);
}

TEST_F(Pl011_test, ResetValues) {
  EXPECT_EQ(readw(pl011::fr), pl011::fr_txfe | pl011::fr_rxfe);
  EXPECT_EQ(readw(pl011::cr), 0x300u);
  EXPECT_EQ(readw(pl011::ifls), 0x12u);
  EXPECT_EQ(readw(pl011::imsc), 0u);
  EXPECT_EQ(readw(pl011::ris), 0u) << "transmitter not enabled: no TX interrupt";
}

TEST_F(Pl011_test, SettingsReadBack) {
  writew(pl011::ibrd, 0x1234);
  writew(pl011::fbrd, 0xff);
  writew(pl011::lcr_h, 0x70);
  writew(pl011::ilpr, 0x1ff);
  writew(pl011::dmacr, 0xff);
  writew(pl011::ifls, 0xff);
  EXPECT_EQ(readw(pl011::ibrd), 0x1234u);
  EXPECT_EQ(readw(pl011::fbrd), 0x3fu);
  EXPECT_EQ(readw(pl011::lcr_h), 0x70u);
  EXPECT_EQ(readw(pl011::ilpr), 0xffu);
  EXPECT_EQ(readw(pl011::dmacr), 0x7u);
  EXPECT_EQ(readw(pl011::ifls), 0x3fu);
}

TEST_F(Pl011_test, BytesWrittenToDrGoToTheOutputWhateverTheEnables) {
  writew(pl011::cr, 0);           // earlycon writes before anything is enabled
  uart.write(pl011::dr, 1, 'h');  // and with byte stores
  writew(pl011::dr, 'i');
  uart.write(pl011::dr, 4, 0xffff'ff00 | '\n');  // only the byte is data
  EXPECT_EQ(uart.output().bytes, "hi\n");
  EXPECT_EQ(readw(pl011::fr) & (pl011::fr_txff | pl011::fr_busy | pl011::fr_txfe), pl011::fr_txfe);
}

TEST_F(Pl011_test, LineBufferSaysWhenToFlush) {
  Line_buffer<4> line;
  EXPECT_FALSE(line.put('a'));
  EXPECT_TRUE(line.put('\n'));
  EXPECT_EQ(std::string(line.data(), line.size()), "a\n");
  line.clear();
  EXPECT_FALSE(line.put('1'));
  EXPECT_FALSE(line.put('2'));
  EXPECT_FALSE(line.put('3'));
  EXPECT_TRUE(line.put('4')) << "full";
  EXPECT_EQ(std::string(line.data(), line.size()), "1234");
}

TEST_F(Pl011_test, ReceivedBytesAreReadInOrder) {
  EXPECT_TRUE(uart.receive('o'));
  EXPECT_TRUE(uart.receive('k'));
  EXPECT_EQ(readw(pl011::fr) & pl011::fr_rxfe, 0u);
  EXPECT_EQ(readw(pl011::dr), 'o');
  EXPECT_EQ(readw(pl011::dr), 'k');
  EXPECT_EQ(readw(pl011::fr) & pl011::fr_rxfe, pl011::fr_rxfe);
  EXPECT_EQ(readw(pl011::dr), 0u) << "empty";
}

TEST_F(Pl011_test, FullRingDropsAndFlagsOverrun) {
  std::vector<uint8_t> bytes(100);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(uart.receive(bytes.data(), bytes.size()), Pl011<Recorder>::rx_capacity) << "takes what fits";
  EXPECT_EQ(uart.rx_space(), 0u);
  EXPECT_EQ(readw(pl011::fr) & pl011::fr_rxff, pl011::fr_rxff);
  EXPECT_EQ(readw(pl011::rsr_ecr), 0u) << "receive(span) offers no more than fits";
  EXPECT_FALSE(uart.receive('x'));
  EXPECT_EQ(readw(pl011::rsr_ecr), pl011::rsr_oe);
  EXPECT_EQ(readw(pl011::ris) & pl011::int_oe, pl011::int_oe);
  writew(pl011::rsr_ecr, 0);
  EXPECT_EQ(readw(pl011::rsr_ecr), 0u);
  for (size_t i = 0; i < Pl011<Recorder>::rx_capacity; ++i) ASSERT_EQ(readw(pl011::dr), i) << "the first 64, in order";
  EXPECT_EQ(readw(pl011::fr) & (pl011::fr_rxfe | pl011::fr_rxff), pl011::fr_rxfe);
  // The ring wraps.
  for (uint8_t i = 0; i < 10; ++i) uart.receive(static_cast<uint8_t>(200 + i));
  for (uint32_t i = 0; i < 10; ++i) EXPECT_EQ(readw(pl011::dr), 200 + i);
}

TEST_F(Pl011_test, ReceiveInterruptRisesAndFallsWithTheData) {
  enable();
  writew(pl011::imsc, pl011::int_rx | pl011::int_rt);
  EXPECT_EQ(uart.take_level_change(), Level_change::none);
  uart.receive('a');
  EXPECT_TRUE(uart.interrupt_level());
  EXPECT_EQ(readw(pl011::mis), pl011::int_rx | pl011::int_rt);
  EXPECT_EQ(uart.take_level_change(), Level_change::rose);
  uart.receive('b');
  EXPECT_EQ(uart.take_level_change(), Level_change::none) << "already high: no new edge";
  readw(pl011::dr);
  EXPECT_EQ(uart.take_level_change(), Level_change::none);
  readw(pl011::dr);
  EXPECT_FALSE(uart.interrupt_level());
  EXPECT_EQ(uart.take_level_change(), Level_change::fell);
  uart.receive('c');
  EXPECT_EQ(uart.take_level_change(), Level_change::rose);
}

TEST_F(Pl011_test, MaskedInterruptsShowInRisOnly) {
  uart.receive('a');
  EXPECT_EQ(readw(pl011::ris), pl011::int_rx | pl011::int_rt);
  EXPECT_EQ(readw(pl011::mis), 0u);
  EXPECT_FALSE(uart.interrupt_level());
  EXPECT_EQ(uart.take_level_change(), Level_change::none);
  writew(pl011::imsc, pl011::int_rt);  // unmasking makes the line rise
  EXPECT_EQ(readw(pl011::mis), pl011::int_rt);
  EXPECT_EQ(uart.take_level_change(), Level_change::rose);
}

TEST_F(Pl011_test, IcrClearsLatchedInterruptsUntilTheyHappenAgain) {
  writew(pl011::imsc, pl011::int_all);
  uart.receive('a');
  EXPECT_EQ(uart.take_level_change(), Level_change::rose);
  writew(pl011::icr, pl011::int_rx | pl011::int_rt);
  EXPECT_EQ(readw(pl011::ris), 0u);
  EXPECT_EQ(uart.take_level_change(), Level_change::fell);
  EXPECT_EQ(readw(pl011::fr) & pl011::fr_rxfe, 0u) << "the data is still there";
  uart.receive('b');
  EXPECT_EQ(uart.take_level_change(), Level_change::rose);
  for (int i = 0; i < 80; ++i) uart.receive('z');
  writew(pl011::icr, pl011::int_rx | pl011::int_rt);
  EXPECT_EQ(readw(pl011::ris), pl011::int_oe) << "overrun stays until cleared itself";
  writew(pl011::icr, pl011::int_oe);
  EXPECT_EQ(readw(pl011::ris), 0u);
}

// amba-pl011.c sends from the TX interrupt: it sets TXIM, writes while
// FR.TXFF is clear, and clears TXIM when it has nothing left.
TEST_F(Pl011_test, TransmitInterruptIsUpWhileTheTransmitterIsEnabled) {
  writew(pl011::imsc, pl011::int_tx);
  EXPECT_EQ(uart.take_level_change(), Level_change::none) << "UARTEN is clear at reset";
  enable();
  EXPECT_EQ(readw(pl011::ris), pl011::int_tx);
  EXPECT_EQ(uart.take_level_change(), Level_change::rose);
  writew(pl011::dr, 'x');
  EXPECT_TRUE(uart.interrupt_level()) << "the FIFO is empty again at once";
  writew(pl011::imsc, 0);
  EXPECT_EQ(uart.take_level_change(), Level_change::fell);
  writew(pl011::imsc, pl011::int_tx);
  EXPECT_EQ(uart.take_level_change(), Level_change::rose);
  writew(pl011::cr, pl011::cr_uarten | pl011::cr_rxe);
  EXPECT_EQ(uart.take_level_change(), Level_change::fell) << "transmitter off";
}

TEST_F(Pl011_test, LoopbackReceivesWhatIsSent) {
  writew(pl011::cr, pl011::cr_uarten | pl011::cr_txe | pl011::cr_rxe | pl011::cr_lbe);
  writew(pl011::dr, 'L');
  EXPECT_EQ(uart.output().bytes, "");
  EXPECT_EQ(readw(pl011::dr), 'L');
}

TEST_F(Pl011_test, OddAccessesAreHarmless) {
  uart.receive('a');
  EXPECT_EQ(uart.read(pl011::dr, 8), 0u);
  EXPECT_EQ(uart.read(pl011::dr + 1, 1), 0u) << "the error byte of DR";
  EXPECT_EQ(uart.read(pl011::dr, 3), 0u);
  EXPECT_EQ(uart.read(pl011::fr + 2, 4), 0u) << "misaligned";
  EXPECT_EQ(uart.read(pl011::cr + 1, 1), 0x3u) << "CR's upper byte: TXE, RXE";
  EXPECT_EQ(uart.read(0x800, 4), 0u);
  EXPECT_EQ(uart.read(0x1'0000, 4), 0u) << "beyond the frame";
  uart.write(pl011::dr, 8, 'x');
  uart.write(pl011::dr + 1, 1, 'y');
  uart.write(pl011::cr + 1, 1, 0);
  uart.write(pl011::fr, 4, 0);
  uart.write(0x1'0fe0, 4, 0);
  EXPECT_EQ(uart.output().bytes, "");
  EXPECT_EQ(readw(pl011::cr), 0x300u);
  EXPECT_EQ(readw(pl011::dr), 'a') << "no odd access took the byte";
}

TEST_F(Pl011_test, ResetEmptiesTheRingAndKeepsTheOutput) {
  writew(pl011::dr, 'k');
  uart.receive('r');
  writew(pl011::imsc, pl011::int_all);
  uart.reset();
  EXPECT_EQ(uart.output().bytes, "k");
  EXPECT_EQ(readw(pl011::fr), pl011::fr_txfe | pl011::fr_rxfe);
  EXPECT_EQ(readw(pl011::imsc), 0u);
}

struct Discard {
  void put(char) {}
};
constinit Pl011<Discard> compile_time_uart;

}  // namespace
