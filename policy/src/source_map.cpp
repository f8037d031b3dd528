// SPDX-License-Identifier: Apache-2.0
// Source map: structure scanners for Cap'n Proto text and JSON, and offset to
// line:column conversion.
#include <kestrel/policy/source_map.hpp>

#include <algorithm>
#include <map>

namespace kestrel::policy {

const Source_node* Source_node::field(std::string_view name) const {
  if (kind != Kind::structure) return nullptr;
  for (const auto& child : children) {
    if (child.key == name) return &child;
  }
  return nullptr;
}

const Source_node* Source_node::item(size_t index) const {
  if (kind != Kind::list || index >= children.size()) return nullptr;
  return &children[index];
}

Source_file::Source_file(std::string path, std::string text) : path_{std::move(path)}, text_{std::move(text)} {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(static_cast<uint32_t>(i + 1));
  }
}

Location Source_file::locate(uint32_t offset) const {
  const auto next_line = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<uint32_t>(next_line - line_starts_.begin());  // 1-based
  return {path_, line, offset - line_starts_[line - 1] + 1};
}

Location Source_ref::at() const { return file_ != nullptr ? file_->locate(offset()) : Location{}; }

Location Source_ref::at(std::string_view name) const { return field(name).at(); }

Location Source_ref::key_at(std::string_view name) const {
  const Source_node* child = node_ != nullptr ? node_->field(name) : nullptr;
  if (file_ == nullptr) return {};
  return file_->locate(child != nullptr ? child->key_offset : offset());
}

Source_ref Source_ref::field(std::string_view name) const {
  return {file_, node_ != nullptr ? node_->field(name) : nullptr, offset()};
}

Source_ref Source_ref::item(size_t index) const {
  return {file_, node_ != nullptr ? node_->item(index) : nullptr, offset()};
}

namespace {

// ---- Cap'n Proto text ----------------------------------------------------

struct Token {
  enum class Kind : uint8_t { word, string, punct, end };
  Kind kind;
  std::string_view text;
  uint32_t offset;
};

class Capnp_lexer {
 public:
  explicit Capnp_lexer(std::string_view text) : text_{text} {}

  Token next() {
    skip_space_and_comments();
    const auto start = static_cast<uint32_t>(position_);
    if (position_ >= text_.size()) return {Token::Kind::end, {}, start};
    const char c = text_[position_];
    if (c == '"') {
      ++position_;
      while (position_ < text_.size() && text_[position_] != '"') {
        position_ += text_[position_] == '\\' ? 2 : 1;
      }
      position_ = std::min(position_ + 1, text_.size());
      return {Token::Kind::string, text_.substr(start, position_ - start), start};
    }
    if (is_punct(c)) {
      ++position_;
      return {Token::Kind::punct, text_.substr(start, 1), start};
    }
    while (position_ < text_.size() && !is_space(text_[position_]) && !is_punct(text_[position_]) &&
           text_[position_] != '"' && text_[position_] != '#') {
      ++position_;
    }
    return {Token::Kind::word, text_.substr(start, position_ - start), start};
  }

 private:
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  static bool is_punct(char c) { return std::string_view("()[]{},=:;").find(c) != std::string_view::npos; }
  void skip_space_and_comments() {
    while (position_ < text_.size()) {
      if (is_space(text_[position_])) {
        ++position_;
      } else if (text_[position_] == '#') {
        while (position_ < text_.size() && text_[position_] != '\n') ++position_;
      } else {
        break;
      }
    }
  }
  std::string_view text_;
  size_t position_ = 0;
};

bool is_punct(const Token& token, char c) { return token.kind == Token::Kind::punct && token.text[0] == c; }

class Capnp_value_scanner {
 public:
  explicit Capnp_value_scanner(Capnp_lexer& lexer) : lexer_{lexer} { advance(); }

  const Token& current() const { return current_; }
  void advance() { current_ = lexer_.next(); }

  // Scans one value starting at the current token; leaves the token after it.
  Source_node value(int depth = 0) {
    Source_node node;
    node.offset = current_.offset;
    if (depth > 64) return node;  // absurd nesting: Cap'n Proto will complain
    if (is_punct(current_, '(')) {
      node.kind = Source_node::Kind::structure;
      advance();
      while (current_.kind != Token::Kind::end && !is_punct(current_, ')')) {
        if (current_.kind != Token::Kind::word) return node;
        Source_node member;
        const Token key = current_;
        advance();
        if (!is_punct(current_, '=')) return node;
        advance();
        member = value(depth + 1);
        member.key = std::string(key.text);
        member.key_offset = key.offset;
        node.children.push_back(std::move(member));
        if (is_punct(current_, ',')) advance();
      }
      advance();
    } else if (is_punct(current_, '[')) {
      node.kind = Source_node::Kind::list;
      advance();
      while (current_.kind != Token::Kind::end && !is_punct(current_, ']')) {
        node.children.push_back(value(depth + 1));
        if (is_punct(current_, ',')) {
          advance();
        } else if (!is_punct(current_, ']')) {
          return node;
        }
      }
      advance();
    } else {
      // A scalar: everything up to the next separator at this level.
      int nesting = 0;
      while (current_.kind != Token::Kind::end) {
        if (nesting == 0 && (is_punct(current_, ',') || is_punct(current_, ')') || is_punct(current_, ']') ||
                             is_punct(current_, ';'))) {
          break;
        }
        if (is_punct(current_, '(') || is_punct(current_, '[')) ++nesting;
        if (is_punct(current_, ')') || is_punct(current_, ']')) --nesting;
        advance();
      }
    }
    return node;
  }

 private:
  Capnp_lexer& lexer_;
  Token current_{};
};

}  // namespace

namespace {

// Whether `word` is an integer literal as Cap'n Proto reads one (decimal,
// 0x hex, or octal with a leading 0, after an optional '-') whose magnitude
// is above 2^64 - 1. Anything else (names, floats, ordinals) is not.
bool integer_literal_too_large(std::string_view word) {
  if (!word.empty() && word[0] == '-') word.remove_prefix(1);
  if (word.empty() || word[0] < '0' || word[0] > '9') return false;
  unsigned base = 10;
  if (word.size() > 2 && word[0] == '0' && (word[1] == 'x' || word[1] == 'X')) {
    base = 16;
    word.remove_prefix(2);
  } else if (word.size() > 1 && word[0] == '0') {
    base = 8;
  }
  unsigned __int128 value = 0;
  bool too_large = false;
  for (const char c : word) {
    unsigned digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return false;
    }
    if (digit >= base) return false;
    if (!too_large) value = value * base + digit;
    too_large = too_large || value > UINT64_MAX;
  }
  return too_large;
}

}  // namespace

Capnp_text_findings scan_capnp_text(std::string_view text, uint32_t max_depth) {
  Capnp_text_findings findings;
  struct Group {
    char open;
    std::map<std::string_view, uint32_t> fields;  // name -> offset, for '(' groups
  };
  std::vector<Group> groups;  // a stack on the heap: the scan itself never recurses
  Capnp_lexer lexer{text};
  Token before_previous{Token::Kind::end, {}, 0};
  Token previous{Token::Kind::end, {}, 0};
  for (Token token = lexer.next(); token.kind != Token::Kind::end; token = lexer.next()) {
    if (is_punct(token, '(') || is_punct(token, '[') || is_punct(token, '{')) {
      if (groups.size() >= max_depth) {
        findings.too_deep = token.offset;
        return findings;
      }
      groups.push_back({token.text[0], {}});
    } else if (is_punct(token, ')') || is_punct(token, ']') || is_punct(token, '}')) {
      if (!groups.empty()) groups.pop_back();
    } else if (token.kind == Token::Kind::word && integer_literal_too_large(token.text)) {
      findings.large_integers.push_back({token.offset, static_cast<uint32_t>(token.text.size())});
    } else if (is_punct(token, '=') && previous.kind == Token::Kind::word && !groups.empty() &&
               groups.back().open == '(' && (is_punct(before_previous, '(') || is_punct(before_previous, ','))) {
      // `name = value` directly inside parentheses: a field of a structure value.
      const auto [first, inserted] = groups.back().fields.emplace(previous.text, previous.offset);
      if (!inserted) {
        findings.repeated_fields.push_back({previous.offset, first->second, std::string(previous.text)});
      }
    }
    before_previous = previous;
    previous = token;
  }
  return findings;
}

std::optional<Source_node> scan_capnp_constant(std::string_view text, std::string_view constant,
                                               uint32_t& const_offset) {
  Capnp_lexer lexer{text};
  int depth = 0;
  for (Token token = lexer.next(); token.kind != Token::Kind::end; token = lexer.next()) {
    if (is_punct(token, '(') || is_punct(token, '[') || is_punct(token, '{')) ++depth;
    if (is_punct(token, ')') || is_punct(token, ']') || is_punct(token, '}')) --depth;
    if (depth != 0 || token.kind != Token::Kind::word || token.text != "const") continue;
    const Token name = lexer.next();
    if (name.kind != Token::Kind::word || name.text != constant) continue;
    const_offset = name.offset;
    Token t = lexer.next();
    while (t.kind != Token::Kind::end && !is_punct(t, '=') && !is_punct(t, ';')) t = lexer.next();
    if (!is_punct(t, '=')) return std::nullopt;
    Capnp_value_scanner scanner{lexer};
    return scanner.value();
  }
  return std::nullopt;
}

// ---- JSON ------------------------------------------------------------------

namespace {

class Json_scanner {
 public:
  explicit Json_scanner(std::string_view text) : text_{text} {}

  Json_scan scan() {
    Json_scan result;
    skip_space();
    Source_node root;
    if (!value(root, 0)) {
      result.error = error_;
      return result;
    }
    skip_space();
    if (position_ != text_.size()) {
      result.error = Scan_error{offset(), "unexpected text after the JSON document"};
      return result;
    }
    result.root = std::move(root);
    return result;
  }

 private:
  uint32_t offset() const { return static_cast<uint32_t>(position_); }
  bool fail(std::string message) {
    error_ = Scan_error{offset(), std::move(message)};
    return false;
  }
  void skip_space() {
    while (position_ < text_.size() && (text_[position_] == ' ' || text_[position_] == '\t' ||
                                        text_[position_] == '\n' || text_[position_] == '\r')) {
      ++position_;
    }
  }
  bool at(char c) const { return position_ < text_.size() && text_[position_] == c; }

  bool string(std::string* out) {
    if (!at('"')) return fail("expected a string");
    ++position_;
    while (position_ < text_.size() && text_[position_] != '"') {
      const char c = text_[position_];
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in a string");
      if (c == '\\') {
        if (position_ + 1 >= text_.size()) break;
        const char escaped = text_[position_ + 1];
        if (std::string_view("\"\\/bfnrtu").find(escaped) == std::string_view::npos) {
          return fail("invalid escape sequence in a string");
        }
        if (out != nullptr) out->push_back(escaped == 'u' ? '?' : escaped);
        position_ += 2;
        continue;
      }
      if (out != nullptr) out->push_back(c);
      ++position_;
    }
    if (!at('"')) return fail("unterminated string");
    ++position_;
    return true;
  }

  bool literal(std::string_view word) {
    if (text_.substr(position_, word.size()) != word) return fail("expected a JSON value");
    position_ += word.size();
    return true;
  }

  bool number() {
    const size_t start = position_;
    if (at('-')) ++position_;
    const size_t digits = position_;
    while (position_ < text_.size() &&
           std::string_view("0123456789.eE+-").find(text_[position_]) != std::string_view::npos) {
      ++position_;
    }
    if (position_ == digits) {
      position_ = start;
      return fail("expected a JSON value");
    }
    return true;
  }

  bool value(Source_node& node, int depth) {
    node.offset = offset();
    if (position_ >= text_.size()) return fail("unexpected end of file; expected a value");
    const char c = text_[position_];
    if (depth >= 64 && (c == '{' || c == '[')) {  // the 65th level: KP0014, as for Cap'n Proto text
      error_ = Scan_error{offset(), "brackets are nested more than 64 levels deep here", true};
      return false;
    }
    if (c == '{') {
      node.kind = Source_node::Kind::structure;
      ++position_;
      skip_space();
      if (at('}')) {
        ++position_;
        return true;
      }
      for (;;) {
        skip_space();
        Source_node member;
        member.key_offset = offset();
        if (!string(&member.key)) return false;
        skip_space();
        if (!at(':')) return fail("expected ':' after an object key");
        ++position_;
        skip_space();
        if (!value(member, depth + 1)) return false;
        node.children.push_back(std::move(member));
        skip_space();
        if (at(',')) {
          ++position_;
          continue;
        }
        if (at('}')) {
          ++position_;
          return true;
        }
        return fail("expected ',' or '}' in an object");
      }
    }
    if (c == '[') {
      node.kind = Source_node::Kind::list;
      ++position_;
      skip_space();
      if (at(']')) {
        ++position_;
        return true;
      }
      for (;;) {
        skip_space();
        Source_node item;
        if (!value(item, depth + 1)) return false;
        node.children.push_back(std::move(item));
        skip_space();
        if (at(',')) {
          ++position_;
          continue;
        }
        if (at(']')) {
          ++position_;
          return true;
        }
        return fail("expected ',' or ']' in a list");
      }
    }
    if (c == '"') return string(nullptr);
    if (c == 't') return literal("true");
    if (c == 'f') return literal("false");
    if (c == 'n') return literal("null");
    return number();
  }

  std::string_view text_;
  size_t position_ = 0;
  Scan_error error_{0, {}};
};

}  // namespace

Json_scan scan_json(std::string_view text) { return Json_scanner{text}.scan(); }

}  // namespace kestrel::policy
