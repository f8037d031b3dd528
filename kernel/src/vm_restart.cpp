// SPDX-License-Identifier: Apache-2.0
// VM restart: stopping a VM's vCPUs, putting its RAM back as the image
// loaded it, measuring it again and starting it from its entry.
//
// Cost: the kernel zeroes all of the VM's RAM (256 MiB for a typical Linux
// guest) and cleans it to the point of coherency with the kernel lock held,
// so every CPU waits that long for its next kernel entry. Zeroing less is not
// possible without tracking the guest's writes: it could have written any of
// it. Acceptable for a reset, which is rare; a later version can do it in
// chunks that drop the lock between them.
#include <kestrel/arch.hpp>
#include <kestrel/boot_info.hpp>
#include <kestrel/cpu.hpp>
#include <kestrel/endpoint.hpp>
#include <kestrel/ipc.hpp>
#include <kestrel/kernel_random.hpp>
#include <kestrel/log.hpp>
#include <kestrel/measurement.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/vm_restart.hpp>

extern "C" void* memset(void* destination, int value, size_t size);
extern "C" void* memcpy(void* destination, const void* source, size_t size);

namespace kestrel {
namespace {

using abi::Status;

// Boot-info as found at boot (under the kernel lock after boot).
const uint8_t* boot_info_blob = nullptr;
size_t boot_info_size = 0;

// The kernel maps RAM as an identity (kernel_mmu.cpp).
const uint8_t* read_identity(uint64_t physical_address, uint64_t) {
  return reinterpret_cast<const uint8_t*>(physical_address);
}

Thread& vcpu_of(const Partition& vm, uint32_t number) { return thread_object(vm.first_thread() + number); }

// Guest RAM (also where its VMM maps it: the VMM resets its devices with
// the VM), as opposed to device memory and channels shared with other
// partitions (whose contents are not the VM's alone).
bool is_guest_memory(const abi::Region_entry& region) { return (region.attributes & abi::region_guest_ram) != 0; }

// Nothing waits on `vcpu` and it waits for nothing: an exit queued for its
// VMM is dropped, and an exit its VMM has received will get no answer (the
// VMM's late reply goes to nobody, so it cannot resume the vCPU).
void detach(Thread& vcpu) {
  if (vcpu.fault_endpoint() != abi::no_index) {
    Endpoint& exits = endpoint_object(vcpu.fault_endpoint());
    if (vcpu.state == Thread::State::blocked_call) (void)exits.remove(vcpu);
    if (vcpu.state == Thread::State::blocked_reply && exits.server != nullptr) {
      for (uint32_t i = 0; i < exits.server->thread_count(); ++i) {
        Thread& handler = thread_object(exits.server->first_thread() + i);
        if (handler.reply_to == &vcpu) handler.reply_to = nullptr;
      }
    }
  }
  vcpu.stop_when_answered = false;
  vcpu.state = Thread::State::inactive;
  cpu_scheduler(vcpu.cpu()).requeue(vcpu);  // off its ready queue and deadline heap
}

// Whether a vCPU of `vm` other than `except` is some CPU's current thread:
// running its guest, or entering the kernel with its registers unsaved.
bool vcpu_on_a_cpu(const Partition& vm, const Thread* except) {
  for (uint32_t i = 0; i < vm.thread_count(); ++i) {
    const Thread& vcpu = vcpu_of(vm, i);
    if (&vcpu != except && cpu_scheduler(vcpu.cpu()).current() == &vcpu) return true;
  }
  return false;
}

// Guest RAM zeroed, the image's bytes copied back, all of it where a guest
// with its MMU and caches off reads it (memory, not the kernel's caches),
// and no translation or instruction left from the guest's previous run.
void restore_memory(const Boot_info& info, const Partition& vm) {
  for (const abi::Region_entry& region : vm.regions()) {
    if (is_guest_memory(region)) memset(reinterpret_cast<void*>(region.pa), 0, region.size);
  }
  for (const abi::Pristine_entry& copy : info.pristine()) {
    if (copy.partition != vm.index()) continue;
    memcpy(reinterpret_cast<void*>(copy.guest_pa), reinterpret_cast<const void*>(copy.pa), copy.size);
  }
  for (const abi::Region_entry& region : vm.regions()) {
    if (is_guest_memory(region)) arch::clean_data_cache_to_poc(region.pa, region.size);
  }
  arch::forget_guest_translations(vm);
}

// The VM's vCPUs as at boot: the first at its entry with x0 = the device
// tree (boot-info's thread entry), the others off until vcpu_start.
void reset_vcpus(const Boot_info& info, Partition& vm) {
  vm.live_threads = 0;
  for (uint32_t i = 0; i < vm.thread_count(); ++i) {
    const abi::Thread_entry& entry = info.threads()[vm.first_thread() + i];
    Thread& vcpu = vcpu_of(vm, i);
    vcpu.reset_vcpu(entry.entry, entry.stack_top);
    arch::forget_fp_registers(vcpu);                 // no CPU keeps its old FP values as live
    if (!arch::cpu_is_online(vcpu.cpu())) continue;  // as at boot: it never runs
    ++vm.live_threads;
    if (entry.entry != 0) make_ready(vcpu);
  }
}

// Every vCPU of the VM is off its CPU and detached: restart it.
Status restart_now(Partition& vm) {
  const Boot_info_result read = read_boot_info(boot_info_blob, boot_info_size);
  Measurement_result measured{Measurement_status::unreadable, {}};
  if (read.ok()) {
    restore_memory(read.info(), vm);
    measured = measure_partition(read.info(), vm.index(), read_identity);
  }
  if (measured.status != Measurement_status::matches) {
    char found[sha256_hex_buffer_size];
    log("partition {}: restart refused: measurement MISMATCH (found {}); it stays stopped\n", vm.name(),
        read.ok() ? format_hex(measured.found, found) : "boot-info unreadable");
    vm.live_threads = vm.thread_count();
    for (uint32_t i = 0; i < vm.thread_count(); ++i) stop_thread(vcpu_of(vm, i));
    return Status::measurement_mismatch;
  }
  // After the measurement, which covers the image's zeros.
  give_guest_its_seeds(read.info(), vm.index());
  reset_vcpus(read.info(), vm);
  log("partition {}: restarted from its image (measurement ok)\n", vm.name());
  signal_stop(vm);  // whatever it held at run time (tunnels) belongs to its former run
  return Status::ok;
}

}  // namespace

void keep_boot_info_for_restarts(const uint8_t* blob, size_t size) {
  boot_info_blob = blob;
  boot_info_size = size;
}

Decoded<Partition*> decode_vm_restart(const Thread& caller, uint64_t slot) {
  using D = Decoded<Partition*>;
  const abi::Capability_entry* capability = caller.partition().capability(slot);
  if (capability == nullptr) return D::failed(Status::invalid_capability);
  if (capability->kind != static_cast<uint32_t>(abi::Capability_kind::vcpu)) {
    return D::failed(Status::wrong_capability_type);
  }
  if ((capability->rights & abi::right_control) == 0) return D::failed(Status::missing_right);
  Partition& target = thread_object(capability->object).partition();
  // A VM refused at boot has no address space to restart into.
  if (!target.is_restartable() || !target.may_start || boot_info_blob == nullptr) {
    return D::failed(Status::invalid_argument);
  }
  if (&target == &caller.partition() || target.restart_waiter != nullptr) return D::failed(Status::invalid_argument);
  return D::ok(&target);
}

Result begin_vm_restart(Partition& vm, Thread& caller) {
  log("partition {}: restart asked by {}\n", vm.name(), caller.partition().name());
  bool on_a_cpu = false;
  for (uint32_t i = 0; i < vm.thread_count(); ++i) {
    Thread& vcpu = vcpu_of(vm, i);
    detach(vcpu);
    // Not this CPU's: its current thread is the caller. The kick makes the
    // vCPU's CPU enter the kernel, see that it may not run and switch away
    // (cpu.cpp), which saves its state and calls continue_vm_restart.
    if (cpu_scheduler(vcpu.cpu()).current() == &vcpu) {
      on_a_cpu = true;
      arch::kick_cpu(vcpu.cpu());
    }
  }
  if (!on_a_cpu) return Result::done(restart_now(vm));
  vm.restart_waiter = &caller;
  caller.state = Thread::State::blocked_restart;
  return Result::blocked();
}

bool continue_vm_restart(Thread& left) {
  Partition& vm = left.partition();
  if (!left.is_vcpu() || vm.restart_waiter == nullptr || vcpu_on_a_cpu(vm, &left)) return false;
  Thread& waiter = *vm.restart_waiter;
  vm.restart_waiter = nullptr;
  waiter.context.x[0] = static_cast<uint64_t>(restart_now(vm));
  make_ready(waiter);
  return true;
}

}  // namespace kestrel
