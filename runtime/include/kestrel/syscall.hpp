// SPDX-License-Identifier: Apache-2.0
// Syscall wrappers: the partition side of kernel/include/kestrel/abi/syscall.hpp.
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/abi/syscall.hpp>

namespace kestrel {

struct Syscall_result {
  abi::Status status;
  uint64_t value;  // x1 on return
};

inline Syscall_result syscall(abi::Syscall number, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0,
                              uint64_t a4 = 0, uint64_t a5 = 0) {
  register uint64_t x0 asm("x0") = a0;
  register uint64_t x1 asm("x1") = a1;
  register uint64_t x2 asm("x2") = a2;
  register uint64_t x3 asm("x3") = a3;
  register uint64_t x4 asm("x4") = a4;
  register uint64_t x5 asm("x5") = a5;
  register uint64_t x8 asm("x8") = static_cast<uint64_t>(number);
  asm volatile("svc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5) : "r"(x8) : "memory");
  return {static_cast<abi::Status>(x0), x1};
}

inline abi::Status console_write(uint64_t console, const char* text, size_t length) {
  return syscall(abi::Syscall::console_write, console, reinterpret_cast<uint64_t>(text), length).status;
}

inline abi::Status console_print(uint64_t console, const char* text) {
  size_t length = 0;
  while (text[length] != '\0') ++length;
  return console_write(console, text, length);
}

// "0x" and 16 hexadecimal digits.
inline abi::Status console_print_hex(uint64_t console, uint64_t value) {
  char text[19] = "0x";
  for (int i = 0; i < 16; ++i) text[2 + i] = "0123456789abcdef"[(value >> (60 - 4 * i)) & 0xf];
  text[18] = '\0';
  return console_print(console, text);
}

inline void yield() { syscall(abi::Syscall::yield); }

// A VM exit, as recv and reply_recv return it (see abi::Syscall::recv).
struct Exit_message {
  abi::Status status;
  uint64_t vcpu;
  abi::Exit_kind kind;
  uint64_t address;
  uint64_t value;
  uint64_t size;
};

inline Exit_message receive_with(abi::Syscall number, uint64_t endpoint, uint64_t a1, uint64_t a2) {
  register uint64_t x0 asm("x0") = endpoint;
  register uint64_t x1 asm("x1") = a1;
  register uint64_t x2 asm("x2") = a2;
  register uint64_t x3 asm("x3");
  register uint64_t x4 asm("x4");
  register uint64_t x5 asm("x5");
  register uint64_t x8 asm("x8") = static_cast<uint64_t>(number);
  asm volatile("svc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "=r"(x3), "=r"(x4), "=r"(x5) : "r"(x8) : "memory");
  return {static_cast<abi::Status>(x0), x1, static_cast<abi::Exit_kind>(x2), x3, x4, x5};
}

inline Exit_message recv(uint64_t endpoint) { return receive_with(abi::Syscall::recv, endpoint, 0, 0); }

inline Exit_message reply_recv(uint64_t endpoint, uint64_t value, uint64_t flags) {
  return receive_with(abi::Syscall::reply_recv, endpoint, value, flags);
}

// Makes virtual interrupt `intid` pending for the vCPU behind capability
// `vcpu` (a VMM's control of its guest's vCPU).
inline abi::Status vcpu_inject_interrupt(uint64_t vcpu, uint32_t intid) {
  return syscall(abi::Syscall::vcpu_inject_interrupt, vcpu, intid).status;
}

[[noreturn]] inline void thread_exit() {
  syscall(abi::Syscall::thread_exit);
  for (;;) {
  }
}

}  // namespace kestrel
