#include "compiler-driver/depfile.h"

#include <set>

namespace ws {

Result<std::vector<std::string>> ParseDepfile(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool seen_colon = false;
  auto flush = [&] {
    if (!word.empty()) words.push_back(word);
    word.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      char next = text[i + 1];
      if (next == '\n') { ++i; flush(); continue; }
      if (next == '\r' && i + 2 < text.size() && text[i + 2] == '\n') { i += 2; flush(); continue; }
      if (next == ' ' || next == '#' || next == '\\') { word += next; ++i; continue; }
    }
    if (c == '$' && i + 1 < text.size() && text[i + 1] == '$') { word += '$'; ++i; continue; }
    if (c == ':' && !seen_colon && (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n')) {
      flush();
      seen_colon = true;
      words.clear();  // drop the target
      continue;
    }
    if (c == '\n' && seen_colon) { flush(); break; }  // end of the first rule
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') { flush(); continue; }
    word += c;
  }
  flush();
  if (!seen_colon) return Error{"dependency file has no rule"};
  std::vector<std::string> deps;
  std::set<std::string> seen;
  for (std::string& w : words) {
    if (seen.insert(w).second) deps.push_back(std::move(w));
  }
  return deps;
}

}  // namespace ws
