// SPDX-License-Identifier: Apache-2.0
// Source map: where each value of the policy was written.
//
// Cap'n Proto parses and type-checks the policy but keeps no source
// positions for the values of a constant (its schema's SourceInfo has none,
// and the compiler's parser is not a public API). The compiler needs them to
// point semantic errors at the right field, so this scans the text for
// structure only: brackets, field names and where each value starts. It
// never decides what a value means; Cap'n Proto (or its JSON codec) does.
// Where the scan cannot follow the text (a value taken from another
// constant), locations fall back to the nearest enclosing value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kestrel/policy/diagnostics.hpp>

namespace kestrel::policy {

struct Source_node {
  enum class Kind : uint8_t { scalar, structure, list };
  Kind kind = Kind::scalar;
  uint32_t offset = 0;      // where the value starts
  std::string key;          // field name, for a member of a structure
  uint32_t key_offset = 0;  // where the field name starts
  std::vector<Source_node> children;

  const Source_node* field(std::string_view name) const;
  const Source_node* item(size_t index) const;
};

class Source_file {
 public:
  Source_file(std::string path, std::string text);
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  Location locate(uint32_t offset) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

// A position in the policy: a node if the scan found one, else the nearest
// enclosing value.
class Source_ref {
 public:
  Source_ref() = default;
  Source_ref(const Source_file* file, const Source_node* node, uint32_t fallback_offset)
      : file_{file}, node_{node}, fallback_offset_{fallback_offset} {}

  Location at() const;                            // the value itself
  Location at(std::string_view field) const;      // one of its fields' values
  Location key_at(std::string_view field) const;  // one of its fields' names
  Source_ref field(std::string_view name) const;
  Source_ref item(size_t index) const;

 private:
  uint32_t offset() const { return node_ != nullptr ? node_->offset : fallback_offset_; }
  const Source_file* file_ = nullptr;
  const Source_node* node_ = nullptr;
  uint32_t fallback_offset_ = 0;
};

struct Scan_error {
  uint32_t offset;
  std::string message;
  bool too_deep = false;  // nested beyond the scan's limit
};

// The value of `const NAME ... = VALUE;` in Cap'n Proto text, or nullopt if
// the declaration is not found (Cap'n Proto reports real syntax errors).
std::optional<Source_node> scan_capnp_constant(std::string_view text, std::string_view constant,
                                               uint32_t& const_offset);

// What a scan of a whole Cap'n Proto file finds that Cap'n Proto 0.9 lets
// through or cannot survive: an integer literal beyond 64 bits (which it
// wraps), a field given twice in one structure value (it keeps the last),
// and brackets nested so deep that its recursive parser would overflow the
// stack (the scan stops there).
struct Capnp_text_findings {
  struct Literal {
    uint32_t offset;
    uint32_t length;
  };
  struct Repeated_field {
    uint32_t offset;        // the second time the field is given
    uint32_t first_offset;  // the first
    std::string name;
  };
  std::optional<uint32_t> too_deep;  // the first bracket beyond the limit
  std::vector<Literal> large_integers;
  std::vector<Repeated_field> repeated_fields;
};
Capnp_text_findings scan_capnp_text(std::string_view text, uint32_t max_depth);

// The whole JSON document; strict (RFC 8259 structure), so it also serves as
// the JSON syntax check.
struct Json_scan {
  std::optional<Source_node> root;
  std::optional<Scan_error> error;
};
Json_scan scan_json(std::string_view text);

}  // namespace kestrel::policy
