// SPDX-License-Identifier: Apache-2.0
// Diagnostics: collection, ordering and the gcc-style and JSON renderings.
#include <kestrel/policy/diagnostics.hpp>

#include <algorithm>
#include <cstdio>
#include <tuple>

namespace kestrel::policy {
namespace {

const char* severity_text(Severity severity) { return severity == Severity::error ? "error" : "warning"; }

void print_location(std::ostream& out, const Location& at) {
  out << at.file;
  if (at.line > 0) out << ':' << at.line << ':' << at.column;
  out << ": ";
}

}  // namespace

Diagnostic& Diagnostics::report(Code code, Location at, std::string message, std::string hint) {
  diagnostics_.push_back({code, code_info(code).severity, std::move(at), std::move(message), std::move(hint), {}});
  return diagnostics_.back();
}

size_t Diagnostics::error_count() const {
  return static_cast<size_t>(std::count_if(diagnostics_.begin(), diagnostics_.end(),
                                           [](const Diagnostic& d) { return d.severity == Severity::error; }));
}

size_t Diagnostics::warning_count() const { return diagnostics_.size() - error_count(); }

bool Diagnostics::contains(Code code) const {
  return std::any_of(diagnostics_.begin(), diagnostics_.end(), [&](const Diagnostic& d) { return d.code == code; });
}

void Diagnostics::sort() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.at.file, a.at.line, a.at.column, a.code) < std::tie(b.at.file, b.at.line, b.at.column, b.code);
  });
}

void print_gcc(std::ostream& out, const Diagnostics& diagnostics) {
  for (const auto& d : diagnostics.all()) {
    print_location(out, d.at);
    out << severity_text(d.severity) << ": " << code_text(d.code) << ": " << d.message << '\n';
    for (const auto& note : d.notes) {
      print_location(out, note.at);
      out << "note: " << note.message << '\n';
    }
    if (!d.hint.empty()) out << "  hint: " << d.hint << '\n';
  }
}

std::string json_quoted(std::string_view text) {
  std::string quoted = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        quoted += "\\\"";
        break;
      case '\\':
        quoted += "\\\\";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\t':
        quoted += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          quoted += escaped;
        } else {
          quoted += c;
        }
    }
  }
  return quoted + "\"";
}

void print_counts(std::ostream& out, std::string_view policy, const Diagnostics& diagnostics) {
  out << policy << ": " << diagnostics.error_count() << " error(s), " << diagnostics.warning_count() << " warning(s)\n";
}

void print_json(std::ostream& out, const Diagnostics& diagnostics) {
  auto location = [&](const Location& at) {
    out << "\"file\": " << json_quoted(at.file) << ", \"line\": " << at.line << ", \"column\": " << at.column;
  };
  out << "{\"errors\": " << diagnostics.error_count() << ", \"warnings\": " << diagnostics.warning_count()
      << ", \"diagnostics\": [";
  bool first = true;
  for (const auto& d : diagnostics.all()) {
    out << (first ? "\n  " : ",\n  ") << "{\"code\": \"" << code_text(d.code) << "\", \"severity\": \""
        << severity_text(d.severity) << "\", ";
    location(d.at);
    out << ", \"message\": " << json_quoted(d.message) << ", \"hint\": " << json_quoted(d.hint) << ", \"notes\": [";
    for (size_t i = 0; i < d.notes.size(); ++i) {
      out << (i ? ", " : "") << '{';
      location(d.notes[i].at);
      out << ", \"message\": " << json_quoted(d.notes[i].message) << '}';
    }
    out << "]}";
    first = false;
  }
  out << "\n]}\n";
}

}  // namespace kestrel::policy
