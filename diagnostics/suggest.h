// "Did you mean ...?" suggestions for misspelled keys, props and names.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ws {

// Edit distance counting insertions, deletions, substitutions and swaps of
// two adjacent characters as one edit each (optimal string alignment).
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if it is close enough to be a plausible
// typo: at most one edit for short words, about a third of the length for
// longer ones. Ties go to the earlier candidate.
std::optional<std::string> NearestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates);

// "; did you mean 'x'?" or "" when nothing is close.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

// "a, b, c" for notes that list the valid choices.
std::string JoinNames(const std::vector<std::string>& names);

}  // namespace ws
