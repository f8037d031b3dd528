// SPDX-License-Identifier: Apache-2.0
// Suggest: the name a misspelt one most likely meant, for "did you mean"
// hints (policy names and keys, command-line options and commands).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kestrel::policy {

// Edits (insert, delete, substitute, swap two neighbours) between `a` and
// `b`, ignoring case: the optimal string alignment distance.
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate `name` was most likely meant to be: the one closest to it,
// if it is close enough (at most a third of the name's length in edits, at
// least one, and fewer than the shorter of the two has characters) and no
// other candidate is as close. None if `name` is itself a candidate.
std::optional<std::string> closest_name(std::string_view name, const std::vector<std::string>& candidates);

// "did you mean 'uart0'?", or an empty string when no candidate is close.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

// "unknown option '--formt' (did you mean '--format'?)": what a command-line
// tool says of an argument it does not know (`what`: "option", "command").
std::string unknown_argument(std::string_view what, std::string_view argument, const std::vector<std::string>& known);

// `hint`, or "did you mean 'x'?" when a candidate is close (in place of the
// hint: a likely answer beats general advice).
std::string hint_or_suggestion(std::string_view name, const std::vector<std::string>& candidates, std::string hint);

// The keys of a name index, as candidates.
template <typename Value, typename Compare>
std::vector<std::string> names_of(const std::map<std::string, Value, Compare>& index) {
  std::vector<std::string> names;
  names.reserve(index.size());
  for (const auto& [name, value] : index) names.push_back(name);
  return names;
}

}  // namespace kestrel::policy
