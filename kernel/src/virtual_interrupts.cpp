// SPDX-License-Identifier: Apache-2.0
// Virtual interrupts: delivery to vCPUs, and SGIs between the vCPUs of one
// VM. SGIs never reach the VMM: they involve no policy (a VM's vCPUs may
// always interrupt each other) and a Linux boot sends hundreds of them.
#include <kestrel/arch.hpp>
#include <kestrel/cpu.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/virtual_interrupts.hpp>

namespace kestrel {

void deliver_virtual_interrupt(Thread& vcpu, uint32_t intid) {
  const bool live = this_cpu_scheduler().current() == &vcpu;
  arch::vcpu_inject(vcpu, intid, live);
  if (vcpu.state == Thread::State::blocked_wait) {
    make_ready(vcpu);
  } else if (vcpu.state == Thread::State::ready && !live && vcpu.cpu() != arch::current_cpu()) {
    arch::kick_cpu(vcpu.cpu());
  }
}

void send_virtual_sgi(Thread& sender, uint32_t intid, bool all_others, uint32_t first, uint16_t targets) {
  const Partition& vm = sender.partition();
  for (uint32_t index = 0; index < vm.thread_count(); ++index) {
    Thread& vcpu = thread_object(vm.first_thread() + index);
    const bool targeted =
        all_others ? &vcpu != &sender : index >= first && index - first < 16 && ((targets >> (index - first)) & 1) != 0;
    // A vCPU that is off or stopped takes no interrupts (its GIC
    // redistributor is asleep).
    if (!targeted || vcpu.state == Thread::State::inactive || vcpu.state == Thread::State::stopped) continue;
    deliver_virtual_interrupt(vcpu, intid);
  }
}

}  // namespace kestrel
