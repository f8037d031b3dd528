// SPDX-License-Identifier: Apache-2.0
// Compiler: parse -> resolve -> validate -> allocate -> emit.
#include <kestrel/policy/compiler.hpp>
#include <kestrel/policy/stages.hpp>
#include <kestrel/policy/tunnel_table_writer.hpp>

#include <atomic>

#include <kj/exception.h>

namespace kestrel::policy {
namespace {

// Relaxed: a count read by tests, ordering nothing else.
std::atomic<uint64_t> compile_count{0};

}  // namespace

uint64_t policies_compiled() { return compile_count.load(std::memory_order_relaxed); }

Compile_result compile_policy(const std::string& path, const Load_options& options) {
  compile_count.fetch_add(1, std::memory_order_relaxed);
  Compile_result result;
  Diagnostics& diagnostics = result.diagnostics;
  try {
    std::shared_ptr<Loaded_policy> policy = load_policy(path, options, diagnostics);
    if (policy) {
      Model model = resolve(policy->system(), policy->root(), diagnostics);
      // Validators run even after resolution errors (they skip unresolved
      // references), so one run reports every independent mistake.
      validate(model, diagnostics);
      if (!diagnostics.has_errors()) allocate(model, diagnostics);
      if (!diagnostics.has_errors()) {
        result.boot_info = emit_boot_info(model);
        result.summary = summarize(model);
        result.tunnel_table = emit_tunnel_table(model);
        result.model = std::make_shared<Model>(std::move(model));
        result.policy = std::move(policy);
      }
    }
  } catch (const kj::Exception& exception) {
    // Reading a value Cap'n Proto could not represent, for example; the
    // policy is at fault, never the compiler's caller.
    diagnostics.report(Code::capnp_error, {path, 0, 0}, exception.getDescription().cStr());
  }
  diagnostics.sort();
  return result;
}

}  // namespace kestrel::policy
