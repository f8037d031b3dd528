// SPDX-License-Identifier: Apache-2.0
// Suggest: edit distance and the closest candidate name.
#include <kestrel/policy/suggest.hpp>

#include <algorithm>
#include <cctype>

namespace kestrel::policy {
namespace {

char folded(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

}  // namespace

size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic-programming table: a swap looks two back.
  std::vector<size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitution = folded(a[i - 1]) == folded(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution});
      if (i > 1 && j > 1 && folded(a[i - 1]) == folded(b[j - 2]) && folded(a[i - 2]) == folded(b[j - 1])) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string> closest_name(std::string_view name, const std::vector<std::string>& candidates) {
  if (name.empty() || std::find(candidates.begin(), candidates.end(), name) != candidates.end()) return std::nullopt;
  // A third of the length lets "prority" find "priority" but keeps "a"
  // from suggesting "b": a name with nothing in common is not a typo.
  const size_t allowed = std::max<size_t>(1, name.size() / 3);
  const std::string* best = nullptr;
  size_t best_distance = SIZE_MAX;
  bool tied = false;
  for (const auto& candidate : candidates) {
    const size_t distance = edit_distance(name, candidate);
    if (distance > allowed || distance >= std::min(name.size(), candidate.size())) continue;
    if (distance < best_distance) {
      best = &candidate;
      best_distance = distance;
      tied = false;
    } else if (distance == best_distance && candidate != *best) {
      tied = true;
    }
  }
  if (best == nullptr || tied) return std::nullopt;
  return *best;
}

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  const auto closest = closest_name(name, candidates);
  return closest ? "did you mean '" + *closest + "'?" : std::string{};
}

std::string unknown_argument(std::string_view what, std::string_view argument, const std::vector<std::string>& known) {
  const std::string suggestion = did_you_mean(argument, known);
  return "unknown " + std::string(what) + " '" + std::string(argument) + "'" +
         (suggestion.empty() ? "" : " (" + suggestion + ")");
}

std::string hint_or_suggestion(std::string_view name, const std::vector<std::string>& candidates, std::string hint) {
  std::string suggestion = did_you_mean(name, candidates);
  return suggestion.empty() ? hint : suggestion;
}

}  // namespace kestrel::policy
