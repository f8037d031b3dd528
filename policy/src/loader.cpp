// SPDX-License-Identifier: Apache-2.0
// Loader: Cap'n Proto text through capnp::SchemaParser, JSON through
// capnp::JsonCodec, both with a source map for locations.
#include <kestrel/policy/loader.hpp>
#include <kestrel/policy/suggest.hpp>
#include <kestrel/policy/text.hpp>

#include <capnp/compat/json.h>
#include <capnp/message.h>
#include <capnp/schema-parser.h>
#include <kj/filesystem.h>

#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace kestrel::policy {

#ifndef KESTREL_POLICY_SCHEMA_DIR
#error "KESTREL_POLICY_SCHEMA_DIR must name the directory holding kestrel/policy.capnp"
#endif

std::string builtin_schema_directory() { return KESTREL_POLICY_SCHEMA_DIR; }

struct Loaded_policy::Storage {
  kj::Own<kj::Filesystem> filesystem;
  std::vector<kj::Own<const kj::ReadableDirectory>> import_directories;
  std::vector<const kj::ReadableDirectory*> import_pointers;
  capnp::SchemaParser parser;
  capnp::MallocMessageBuilder message;
};

Loaded_policy::Loaded_policy() : storage_{std::make_unique<Storage>()} {}
Loaded_policy::~Loaded_policy() = default;

namespace {

constexpr size_t max_policy_size = 64U << 20;
// Deeper than any policy needs (about 6), and shallow enough for Cap'n
// Proto's recursive parser and for the source map's scanners.
constexpr uint32_t max_nesting_depth = 64;

// Every field name and enumerant of the schema, from System down: the
// names a misspelt one in Cap'n Proto text may have meant (its errors do
// not say which struct or enum it was looking in).
struct Schema_names {
  std::vector<std::string> fields;
  std::vector<std::string> enumerants;
};

void collect_names(capnp::StructSchema schema, Schema_names& names, std::set<uint64_t>& seen) {
  if (!seen.insert(schema.getProto().getId()).second) return;
  for (const auto field : schema.getFields()) {
    names.fields.emplace_back(field.getProto().getName().cStr());
    auto type = field.getType();
    if (type.isList()) type = type.asList().getElementType();
    if (type.isStruct()) collect_names(type.asStruct(), names, seen);
    if (type.isEnum() && seen.insert(type.asEnum().getProto().getId()).second) {
      for (const auto enumerant : type.asEnum().getEnumerants())
        names.enumerants.emplace_back(enumerant.getProto().getName().cStr());
    }
  }
}

const Schema_names& schema_names() {
  static const Schema_names names = [] {
    Schema_names collected;
    std::set<uint64_t> seen;
    collect_names(capnp::Schema::from<schema::System>(), collected, seen);
    return collected;
  }();
  return names;
}

// The quoted name in `message` after `prefix`, or none.
std::optional<std::string> name_after(std::string_view message, std::string_view prefix, std::string_view end) {
  if (message.substr(0, prefix.size()) != prefix) return std::nullopt;
  const auto rest = message.substr(prefix.size());
  return std::string(rest.substr(0, rest.find(end)));
}

// A suggestion for a misspelt field ("Struct has no field named 'x'.") or
// enumerant ("Not defined: x"), else where to look.
std::string capnp_error_hint(std::string_view message) {
  const std::string general = "see the schema in policy/schema/kestrel/policy.capnp and docs/policy.md";
  if (const auto field = name_after(message, "Struct has no field named '", "'"))
    return hint_or_suggestion(*field, schema_names().fields, general);
  if (const auto name = name_after(message, "Not defined: ", " "))
    return hint_or_suggestion(*name, schema_names().enumerants, general);
  return general;
}

// Reports every error Cap'n Proto finds, in this file and in files it
// imports, with the position Cap'n Proto gives.
class Reporting_schema_file final : public capnp::SchemaFile {
 public:
  Reporting_schema_file(kj::Own<capnp::SchemaFile> inner, Diagnostics& diagnostics, std::string display_name)
      : inner_{kj::mv(inner)}, diagnostics_{diagnostics}, display_name_{std::move(display_name)} {}

  kj::StringPtr getDisplayName() const override { return display_name_.c_str(); }

  // Every file Cap'n Proto reads (the policy and what it imports) is scanned
  // first for what Cap'n Proto itself would get wrong (see
  // scan_capnp_text). Too deep a nesting would crash its parser, so then it
  // gets nothing to parse, and its complaints about that are not reported.
  kj::Array<const char> readContent() const override {
    auto content = inner_->readContent();
    if (scanned_) return content;
    scanned_ = true;
    const std::string_view text{content.begin(), content.size()};
    const auto findings = scan_capnp_text(text, max_nesting_depth);
    const Source_file file{display_name_, std::string(text)};
    if (findings.too_deep) {
      diagnostics_.report(Code::nesting_too_deep, file.locate(*findings.too_deep),
                          "brackets are nested more than " + std::to_string(max_nesting_depth) + " levels deep here",
                          "a policy needs only a few levels; define deeply nested values as separate constants");
      silenced_ = true;
      return kj::heapArray<const char>(0);
    }
    for (const auto& literal : findings.large_integers) {
      diagnostics_.report(
          Code::number_too_large, file.locate(literal.offset),
          "the number " + std::string(text.substr(literal.offset, literal.length)) + " does not fit in 64 bits",
          "the largest value of any field is 0xffffffffffffffff");
    }
    for (const auto& repeated : findings.repeated_fields) {
      diagnostics_
          .report(Code::duplicate_field, file.locate(repeated.offset),
                  "field " + policy::quoted(repeated.name) + " is given twice; Cap'n Proto would keep only this one",
                  "give each field once")
          .notes.push_back({file.locate(repeated.first_offset), "first given here"});
    }
    return content;
  }
  kj::Maybe<kj::Own<capnp::SchemaFile>> import(kj::StringPtr path) const override {
    KJ_IF_MAYBE (imported, inner_->import(path)) {
      std::string name(imported->get()->getDisplayName().cStr());
      return kj::Maybe<kj::Own<capnp::SchemaFile>>(
          kj::heap<Reporting_schema_file>(kj::mv(*imported), diagnostics_, std::move(name)));
    }
    return nullptr;
  }
  bool operator==(const SchemaFile& other) const override {
    const auto* reporting = dynamic_cast<const Reporting_schema_file*>(&other);
    return reporting != nullptr && *inner_ == *reporting->inner_;
  }
  bool operator!=(const SchemaFile& other) const override { return !(*this == other); }
  size_t hashCode() const override { return inner_->hashCode(); }
  void reportError(SourcePos start, SourcePos, kj::StringPtr message) const override {
    if (silenced_) return;
    diagnostics_.report(Code::capnp_error, {display_name_, start.line + 1, start.column + 1}, message.cStr(),
                        capnp_error_hint(message.cStr()));
  }

 private:
  kj::Own<capnp::SchemaFile> inner_;
  Diagnostics& diagnostics_;
  std::string display_name_;
  mutable bool scanned_ = false;
  mutable bool silenced_ = false;
};

}  // namespace

class Loader {
 public:
  Loader(const std::string& path, const Load_options& options, Diagnostics& diagnostics)
      : path_{path}, options_{options}, diagnostics_{diagnostics}, policy_{std::make_unique<Loaded_policy>()} {}

  std::unique_ptr<Loaded_policy> load() {
    std::string text;
    if (!read_text(text)) return nullptr;
    policy_->file_ = std::make_unique<Source_file>(path_, std::move(text));
    const std::string extension = std::filesystem::path(path_).extension().string();
    bool loaded = false;
    try {
      if (extension == ".capnp") {
        loaded = load_capnp();
      } else if (extension == ".json") {
        loaded = load_json();
      } else {
        diagnostics_.report(Code::unknown_format, {path_, 0, 0},
                            "cannot tell the format of " + policy::quoted(path_) + " from its extension",
                            "name the policy file *.capnp (Cap'n Proto text) or *.json");
      }
    } catch (const kj::Exception& exception) {
      // Cap'n Proto throws after reporting; report only if it reported nothing.
      if (!diagnostics_.has_errors()) {
        diagnostics_.report(Code::capnp_error, {path_, 0, 0}, exception.getDescription().cStr());
      }
      loaded = false;
    }
    if (!loaded || diagnostics_.has_errors()) return nullptr;
    return std::move(policy_);
  }

 private:
  bool read_text(std::string& text) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path_, error);
    if (error || std::filesystem::is_directory(path_)) {
      diagnostics_.report(
          Code::file_unreadable, {path_, 0, 0},
          "cannot read " + policy::quoted(path_) + ": " + (error ? error.message() : "it is a directory"),
          "check the path");
      return false;
    }
    if (size > max_policy_size) {
      diagnostics_.report(Code::file_unreadable, {path_, 0, 0},
                          policy::quoted(path_) + " is " + std::to_string(size) + " bytes, more than a policy can be",
                          "a policy file is at most 64 MiB");
      return false;
    }
    std::ifstream in(path_, std::ios::binary);
    std::ostringstream contents;
    contents << in.rdbuf();
    if (!in.good() && !in.eof()) {
      diagnostics_.report(Code::file_unreadable, {path_, 0, 0}, "cannot read " + policy::quoted(path_),
                          "check permissions");
      return false;
    }
    text = contents.str();
    if (const auto nul = text.find('\0'); nul != std::string::npos || !valid_utf8(text)) {
      diagnostics_.report(Code::not_text, {path_, 0, 0},
                          policy::quoted(path_) + " is not UTF-8 text (it looks like a binary file)",
                          "pass the policy source (.capnp or .json), not a compiled file");
      return false;
    }
    return true;
  }

  static bool valid_utf8(std::string_view text) {
    for (size_t i = 0; i < text.size();) {
      const auto lead = static_cast<unsigned char>(text[i]);
      const size_t length = lead < 0x80           ? 1
                            : (lead >> 5) == 0x6  ? 2
                            : (lead >> 4) == 0xe  ? 3
                            : (lead >> 3) == 0x1e ? 4
                                                  : 0;
      if (length == 0 || i + length > text.size()) return false;
      for (size_t k = 1; k < length; ++k) {
        if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return false;
      }
      i += length;
    }
    return true;
  }

  bool load_capnp() {
    auto& storage = *policy_->storage_;
    // kj prefers $PWD (to keep symlinked paths) and prints a warning when it
    // is stale, as it is under ctest; only absolute paths are used here, so
    // make it agree with the real working directory instead.
    std::error_code cwd_error;
    const auto cwd = std::filesystem::current_path(cwd_error);
    if (!cwd_error) setenv("PWD", cwd.c_str(), 1);
    storage.filesystem = kj::newDiskFilesystem();
    const kj::ReadableDirectory& root = storage.filesystem->getRoot();
    std::vector<std::string> directories = options_.import_paths;
    directories.push_back(builtin_schema_directory());
    directories.push_back("/usr/include");  // /capnp/c++.capnp
    directories.push_back("/usr/local/include");
    for (const auto& directory : directories) {
      const auto absolute = std::filesystem::absolute(directory).lexically_normal().string();
      if (!std::filesystem::is_directory(absolute)) continue;
      storage.import_directories.push_back(root.openSubdir(kj::Path::parse(absolute.substr(1))));
      storage.import_pointers.push_back(storage.import_directories.back().get());
    }
    const auto absolute = std::filesystem::absolute(path_).lexically_normal().string();
    auto file = capnp::SchemaFile::newFromDirectory(
        root, kj::Path::parse(absolute.substr(1)),
        kj::arrayPtr(storage.import_pointers.data(), storage.import_pointers.size()));
    // Lets the parsed System type be read through the generated C++ classes.
    storage.parser.loadCompiledTypeAndDependencies<schema::System>();
    auto schema = storage.parser.parseFile(kj::heap<Reporting_schema_file>(kj::mv(file), diagnostics_, path_));
    if (diagnostics_.has_errors()) return false;

    const uint64_t system_id = capnp::typeId<schema::System>();
    std::vector<std::string> candidates;
    for (const auto nested : schema.getProto().getNestedNodes()) {
      const auto node = schema.getNested(nested.getName());
      if (!node.getProto().isConst()) continue;
      const auto type = node.asConst().getType();
      if (type.isStruct() && type.asStruct().getProto().getId() == system_id) candidates.emplace_back(nested.getName());
    }
    std::string chosen;
    if (!options_.constant.empty()) {
      if (std::find(candidates.begin(), candidates.end(), options_.constant) == candidates.end()) {
        diagnostics_.report(Code::constant_not_found, {path_, 0, 0},
                            "the file has no constant " + policy::quoted(options_.constant) + " of type System",
                            candidates.empty() ? "define one: const system :K.System = (...);"
                                               : "its System constants are: " + join(candidates));
        return false;
      }
      chosen = options_.constant;
    } else if (candidates.empty()) {
      diagnostics_.report(Code::no_system_constant, {path_, 0, 0}, "the file defines no constant of type System",
                          "define one: const system :K.System = (...); see docs/policy.md");
      return false;
    } else if (candidates.size() > 1) {
      diagnostics_.report(Code::several_system_constants, {path_, 0, 0},
                          "the file defines several System constants: " + join(candidates),
                          "pick one with --constant NAME");
      return false;
    } else {
      chosen = candidates[0];
    }
    policy_->system_ = schema.getNested(chosen).asConst().as<schema::System>();
    uint32_t const_offset = 0;
    if (auto node = scan_capnp_constant(policy_->file_->text(), chosen, const_offset)) {
      policy_->root_node_ = std::make_unique<Source_node>(std::move(*node));
    }
    policy_->root_offset_ = const_offset;
    if (diagnostics_.has_errors()) return false;
    check_text_fields(policy_->system_, policy_->root());
    return !diagnostics_.has_errors();
  }

  // JSON numbers are doubles in Cap'n Proto's codec: exact only up to 2^53.
  static constexpr unsigned __int128 json_exact_limit = uint64_t{1} << 53;

  // Every literal of a JSON policy (Cap'n Proto text is checked as a whole
  // by scan_capnp_text, every constant of every file).
  void check_integer_literals(const Source_node& node, unsigned __int128 limit) {
    if (node.kind != Source_node::Kind::scalar) {
      for (const auto& child : node.children) check_integer_literals(child, limit);
      return;
    }
    const std::string& text = policy_->file_->text();
    size_t position = node.offset;
    if (position < text.size() && text[position] == '-') ++position;
    unsigned base = 10;
    if (text.compare(position, 2, "0x") == 0 || text.compare(position, 2, "0X") == 0) {
      base = 16;
      position += 2;
    } else if (limit == UINT64_MAX && position + 1 < text.size() && text[position] == '0' &&
               std::isdigit(static_cast<unsigned char>(text[position + 1]))) {
      base = 8;  // Cap'n Proto reads a leading 0 as octal
    }
    const size_t digits_start = position;
    unsigned __int128 value = 0;
    bool too_large = false;
    for (; position < text.size() && std::isxdigit(static_cast<unsigned char>(text[position])); ++position) {
      const char c = text[position];
      if (base != 16 && !std::isdigit(static_cast<unsigned char>(c))) return;  // not an integer literal
      const unsigned digit = std::isdigit(static_cast<unsigned char>(c))
                                 ? static_cast<unsigned>(c - '0')
                                 : static_cast<unsigned>(std::tolower(c) - 'a' + 10);
      value = value * base + digit;
      too_large = too_large || value > limit;
    }
    if (position == digits_start || !too_large) return;
    const std::string number = text.substr(node.offset, position - node.offset);
    if (limit == json_exact_limit) {
      diagnostics_.report(Code::number_too_large, policy_->file_->locate(node.offset),
                          "the JSON number " + number + " is above 2^53, where JSON numbers lose precision",
                          "write large 64-bit values as strings: \"" + number + "\"");
    } else {
      diagnostics_.report(Code::number_too_large, policy_->file_->locate(node.offset),
                          "the number " + number + " does not fit in 64 bits",
                          "the largest value of any field is 0xffffffffffffffff");
    }
  }

  bool load_json() {
    const std::string& text = policy_->file_->text();
    auto scan = scan_json(text);
    if (scan.error && scan.error->too_deep) {
      diagnostics_.report(Code::nesting_too_deep, policy_->file_->locate(scan.error->offset), scan.error->message,
                          "a policy needs only a few levels of nesting");
      return false;
    }
    if (scan.error) {
      diagnostics_.report(Code::json_syntax, policy_->file_->locate(scan.error->offset), scan.error->message,
                          "fix the JSON syntax (RFC 8259: no comments, no trailing commas)");
      return false;
    }
    policy_->root_node_ = std::make_unique<Source_node>(std::move(*scan.root));
    if (policy_->root_node_->kind != Source_node::Kind::structure) {
      diagnostics_.report(Code::json_value, policy_->file_->locate(policy_->root_node_->offset),
                          "the policy must be a JSON object", "write the System as { \"name\": ..., ... }");
      return false;
    }
    check_json_keys(*policy_->root_node_, capnp::Schema::from<schema::System>());
    check_repeated_keys(*policy_->root_node_);
    check_integer_literals(*policy_->root_node_, json_exact_limit);
    if (diagnostics_.has_errors()) return false;
    capnp::JsonCodec codec;
    auto root = policy_->storage_->message.initRoot<schema::System>();
    try {
      codec.decode(kj::StringPtr(text.c_str(), text.size()), root);
    } catch (const kj::Exception& exception) {
      diagnostics_.report(Code::json_value, policy_->file_->locate(policy_->root_node_->offset),
                          std::string("the JSON does not fit the schema: ") + exception.getDescription().cStr(),
                          "numbers must be decimal (or strings for 64-bit values), enums strings, lists arrays");
      return false;
    }
    policy_->system_ = root.asReader();
    check_text_fields(policy_->system_, policy_->root());
    return !diagnostics_.has_errors();
  }

  // Cap'n Proto's JSON codec keeps the last of two equal keys; the earlier
  // value would silently be lost. The scan's nesting is at most 64 deep.
  void check_repeated_keys(const Source_node& node) {
    if (node.kind == Source_node::Kind::structure) {
      std::map<std::string_view, const Source_node*> seen;
      for (const auto& member : node.children) {
        const auto [first, inserted] = seen.emplace(member.key, &member);
        if (inserted) continue;
        diagnostics_
            .report(Code::duplicate_field, policy_->file_->locate(member.key_offset),
                    "key " + policy::quoted(member.key) + " is given twice; the JSON reader would keep only this one",
                    "give each key once")
            .notes.push_back({policy_->file_->locate(first->second->key_offset), "first given here"});
      }
    }
    for (const auto& child : node.children) check_repeated_keys(child);
  }

  // Text reaches the kernel and device trees as C strings: a NUL would cut
  // it short ("client\0x" would name "client"), and no field has a use for
  // other control characters. Walks every Text field of the System by
  // reflection, so a field added to the schema is covered too; the schema's
  // nesting (not the policy's size) bounds the recursion.
  void check_text_fields(capnp::DynamicStruct::Reader reader, const Source_ref& src) {
    for (const auto field : reader.getSchema().getFields()) {
      if (!reader.has(field)) continue;
      const std::string name = field.getProto().getName();
      const auto value = reader.get(field);
      switch (value.getType()) {
        case capnp::DynamicValue::TEXT:
          check_text(value.as<capnp::Text>(), src.at(name), name);
          break;
        case capnp::DynamicValue::STRUCT:
          check_text_fields(value.as<capnp::DynamicStruct>(), src.field(name));
          break;
        case capnp::DynamicValue::LIST: {
          const auto list = value.as<capnp::DynamicList>();
          for (uint32_t i = 0; i < list.size(); ++i) {
            const auto item = list[i];
            if (item.getType() == capnp::DynamicValue::TEXT) {
              check_text(item.as<capnp::Text>(), src.field(name).item(i).at(), name);
            } else if (item.getType() == capnp::DynamicValue::STRUCT) {
              check_text_fields(item.as<capnp::DynamicStruct>(), src.field(name).item(i));
            }
          }
          break;
        }
        default:
          break;
      }
    }
  }

  void check_text(capnp::Text::Reader text, const Location& at, const std::string& field) {
    const std::string_view value{text.begin(), text.size()};
    for (size_t i = 0; i < value.size(); ++i) {
      const auto c = static_cast<unsigned char>(value[i]);
      // C0 controls and DEL, and the C1 controls U+0080-U+009F (UTF-8 C2 80-C2 9F).
      const bool c1 = c == 0xc2 && i + 1 < value.size() && static_cast<unsigned char>(value[i + 1]) >= 0x80 &&
                      static_cast<unsigned char>(value[i + 1]) <= 0x9f;
      if (c >= 0x20 && c != 0x7f && !c1) continue;
      char code[8];
      std::snprintf(code, sizeof code, "U+%04X", c1 ? static_cast<unsigned char>(value[i + 1]) : c);
      diagnostics_.report(Code::text_control_character, at,
                          policy::quoted(field) + " contains the control character " + code + " at character " +
                              std::to_string(i + 1) + (c == 0 ? ", which would cut the text short there" : ""),
                          "remove it: text values are printable characters only (bootargs are separated by spaces)");
      return;
    }
  }

  // Cap'n Proto's JSON codec ignores unknown keys; a misspelt key would
  // silently leave a field at its default, so every key is checked here.
  void check_json_keys(const Source_node& node, capnp::StructSchema schema) {
    for (const auto& member : node.children) {
      KJ_IF_MAYBE (field, schema.findFieldByName(member.key)) {
        const auto type = field->getType();
        if (type.isList() && member.kind == Source_node::Kind::list && !type.asList().getElementType().isStruct()) {
          for (const auto& item : member.children) check_json_scalar(item, member.key, type.asList().getElementType());
        } else if (!type.isStruct() && !type.isList()) {
          check_json_scalar(member, member.key, type);
        }
        if (type.isStruct() && member.kind == Source_node::Kind::structure) {
          check_json_keys(member, type.asStruct());
        } else if (type.isList() && type.asList().getElementType().isStruct() &&
                   member.kind == Source_node::Kind::list) {
          for (const auto& item : member.children) {
            if (item.kind == Source_node::Kind::structure) {
              check_json_keys(item, type.asList().getElementType().asStruct());
            }
          }
        }
      } else {
        std::vector<std::string> names;
        for (const auto known : schema.getFields()) names.emplace_back(known.getProto().getName());
        diagnostics_.report(
            Code::json_unknown_key, policy_->file_->locate(member.key_offset),
            "unknown key " + policy::quoted(member.key) + " in " + std::string(schema.getShortDisplayName().cStr()),
            hint_or_suggestion(
                member.key, names,
                "the fields of " + std::string(schema.getShortDisplayName().cStr()) + " are: " + join(names)));
      }
    }
  }

  // The JSON codec's own errors carry no position, so the common mistakes
  // (a number out of range, an unknown enum name, a value of the wrong kind)
  // are caught here, at the value.
  void check_json_scalar(const Source_node& node, const std::string& field, capnp::Type type) {
    const std::string& text = policy_->file_->text();
    const char first = node.offset < text.size() ? text[node.offset] : '\0';
    const bool is_string = first == '"';
    const bool is_number = first == '-' || std::isdigit(static_cast<unsigned char>(first)) != 0;
    auto wrong = [&](const std::string& message, const std::string& hint) {
      diagnostics_.report(Code::json_value, policy_->file_->locate(node.offset), policy::quoted(field) + ": " + message,
                          hint);
    };
    if (node.kind != Source_node::Kind::scalar) {
      wrong("expected a single value, not an object or a list", "see the field in policy/schema/kestrel/policy.capnp");
      return;
    }
    if (type.isBool()) {
      if (text.compare(node.offset, 4, "true") != 0 && text.compare(node.offset, 5, "false") != 0) {
        wrong("expected true or false", "write true or false without quotes");
      }
      return;
    }
    if (type.isText()) {
      if (!is_string) wrong("expected a string", "put the value in double quotes");
      return;
    }
    if (type.isEnum()) {
      std::vector<std::string> names;
      for (const auto enumerant : type.asEnum().getEnumerants())
        names.emplace_back(enumerant.getProto().getName().cStr());
      const auto close = text.find('"', node.offset + 1);
      const std::string value =
          is_string && close != std::string::npos ? text.substr(node.offset + 1, close - node.offset - 1) : "";
      if (std::find(names.begin(), names.end(), value) == names.end()) {
        wrong("expected one of " + join(names), "write the name as a string, e.g. \"" + names[0] + "\"");
      }
      return;
    }
    struct Integer_range {
      capnp::schema::Type::Which which;
      __int128 min;
      __int128 max;
      const char* name;
    };
    using W = capnp::schema::Type::Which;
    static constexpr Integer_range ranges[] = {
        {W::INT8, INT8_MIN, INT8_MAX, "Int8"},     {W::INT16, INT16_MIN, INT16_MAX, "Int16"},
        {W::INT32, INT32_MIN, INT32_MAX, "Int32"}, {W::INT64, INT64_MIN, INT64_MAX, "Int64"},
        {W::UINT8, 0, UINT8_MAX, "UInt8"},         {W::UINT16, 0, UINT16_MAX, "UInt16"},
        {W::UINT32, 0, UINT32_MAX, "UInt32"},      {W::UINT64, 0, UINT64_MAX, "UInt64"},
    };
    for (const auto& range : ranges) {
      if (range.which != type.which()) continue;
      const bool wide = range.which == W::INT64 || range.which == W::UINT64;
      if (!is_number && !(is_string && wide)) {
        wrong("expected a number", wide ? "write a decimal number, or a string of one" : "write a decimal number");
        return;
      }
      size_t position = node.offset + (is_string ? 1 : 0);
      const bool negative = position < text.size() && text[position] == '-';
      if (negative) ++position;
      const size_t digits = position;
      __int128 value = 0;
      while (position < text.size() && std::isdigit(static_cast<unsigned char>(text[position])) &&
             value <= UINT64_MAX) {
        value = value * 10 + (text[position++] - '0');
      }
      const bool fraction =
          position < text.size() && (text[position] == '.' || text[position] == 'e' || text[position] == 'E');
      if (position == digits || fraction) {
        wrong("expected a whole number", "write an integer in decimal");
        return;
      }
      if (negative) value = -value;
      if (value < range.min || value > range.max) {
        wrong(text.substr(digits - (negative ? 1 : 0), position - digits + (negative ? 1 : 0)) + " does not fit " +
                  range.name,
              std::string("a ") + range.name + " holds " + (range.min == 0 ? "0" : "negative numbers") + " up to " +
                  std::to_string(static_cast<unsigned long long>(range.max)));
      }
      return;
    }
  }

  static std::string join(const std::vector<std::string>& names) {
    std::string joined;
    for (const auto& name : names) joined += (joined.empty() ? "" : ", ") + name;
    return joined;
  }

  std::string path_;
  Load_options options_;
  Diagnostics& diagnostics_;
  std::unique_ptr<Loaded_policy> policy_;
};

std::unique_ptr<Loaded_policy> load_policy(const std::string& path, const Load_options& options,
                                           Diagnostics& diagnostics) {
  return Loader{path, options, diagnostics}.load();
}

}  // namespace kestrel::policy
