// SPDX-License-Identifier: Apache-2.0
// Diagnostics: what the policy compiler tells the author, with locations.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <kestrel/policy/codes.hpp>

namespace kestrel::policy {

struct Location {
  std::string file;
  uint32_t line = 0;  // 1-based; 0: the file as a whole
  uint32_t column = 0;
};

struct Note {
  Location at;
  std::string message;
};

struct Diagnostic {
  Code code;
  Severity severity;
  Location at;
  std::string message;
  std::string hint;  // how to fix it
  std::vector<Note> notes;
};

class Diagnostics {
 public:
  // Records a diagnostic; the returned reference may be used to add notes.
  Diagnostic& report(Code code, Location at, std::string message, std::string hint = {});

  bool has_errors() const { return error_count() > 0; }
  size_t error_count() const;
  size_t warning_count() const;
  bool contains(Code code) const;
  const std::vector<Diagnostic>& all() const { return diagnostics_; }

  // Orders by file, line, column and code, so output does not depend on the
  // order the validators ran in.
  void sort();

 private:
  std::vector<Diagnostic> diagnostics_;
};

// file:line:col: error: KP0104: message, then notes and the hint, as gcc does.
void print_gcc(std::ostream& out, const Diagnostics& diagnostics);
// {"diagnostics": [{"code": ..., "severity": ..., "file": ..., ...}], ...}
void print_json(std::ostream& out, const Diagnostics& diagnostics);
// "POLICY: N error(s), M warning(s)", the line that ends gcc-format output.
void print_counts(std::ostream& out, std::string_view policy, const Diagnostics& diagnostics);

std::string json_quoted(std::string_view text);

}  // namespace kestrel::policy
