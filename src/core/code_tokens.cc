#include "core/code_tokens.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_set>

namespace engram {
namespace {

bool IsWordByte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }
// Characters that join the parts of one identifier.
bool IsJoiner(unsigned char c) { return c == '_' || c == ':' || c == '.' || c == '-' || c == '$'; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Calls fn(identifier) for every run of word bytes and joiners in `text`,
// trimmed of leading/trailing joiners.
template <typename Fn>
void ForEachIdentifier(std::string_view text, Fn fn) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (!IsWordByte(c)) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && (IsWordByte(static_cast<unsigned char>(text[j])) ||
                               IsJoiner(static_cast<unsigned char>(text[j])))) {
      ++j;
    }
    std::size_t end = j;
    while (end > i && IsJoiner(static_cast<unsigned char>(text[end - 1]))) --end;
    fn(text.substr(i, end - i));
    i = j;
  }
}

// Splits one joiner-free word at case and digit boundaries.
void SplitWord(std::string_view w, std::vector<std::string>& out) {
  std::size_t start = 0;
  auto kind = [](unsigned char c) {
    if (std::isdigit(c)) return 0;
    if (std::isupper(c)) return 1;
    return 2;  // lower case or non-ASCII
  };
  for (std::size_t i = 1; i < w.size(); ++i) {
    auto prev = static_cast<unsigned char>(w[i - 1]);
    auto cur = static_cast<unsigned char>(w[i]);
    bool next_lower = i + 1 < w.size() && kind(static_cast<unsigned char>(w[i + 1])) == 2;
    bool boundary = (kind(prev) != 0) != (kind(cur) != 0)                  // letter <-> digit
                    || (kind(prev) == 2 && kind(cur) == 1)                 // aB
                    || (kind(prev) == 1 && kind(cur) == 1 && next_lower);  // ABc -> A Bc
    if (boundary) {
      out.push_back(Lower(w.substr(start, i - start)));
      start = i;
    }
  }
  if (start < w.size()) out.push_back(Lower(w.substr(start)));
}

}  // namespace

std::vector<std::string> SplitIdentifier(std::string_view identifier) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= identifier.size(); ++i) {
    if (i == identifier.size() || IsJoiner(static_cast<unsigned char>(identifier[i]))) {
      if (i > start) SplitWord(identifier.substr(start, i - start), out);
      start = i + 1;
    }
  }
  return out;
}

std::string ExpandIdentifiers(std::string_view text) {
  std::string out;
  ForEachIdentifier(text, [&](std::string_view id) {
    std::size_t joiner_parts = 1;
    for (char c : id) joiner_parts += IsJoiner(static_cast<unsigned char>(c)) ? 1 : 0;
    std::vector<std::string> parts = SplitIdentifier(id);
    // Only identifiers with a boundary the tokenizer keeps (case/digit).
    if (parts.size() <= joiner_parts) return;
    for (const std::string& p : parts) {
      if (!out.empty()) out += ' ';
      out += p;
    }
  });
  return out;
}

bool IsStopWord(std::string_view word) {
  static const std::unordered_set<std::string_view> kStop = {
      "a",       "an",       "the",        "and",   "or",     "but",       "if",      "of",
      "at",      "by",       "for",        "with",  "about",  "against",   "between", "into",
      "through", "during",   "before",     "after", "above",  "below",     "to",      "from",
      "up",      "down",     "in",         "out",   "on",     "off",       "over",    "under",
      "again",   "further",  "then",       "once",  "here",   "there",     "when",    "where",
      "why",     "how",      "all",        "any",   "both",   "each",      "few",     "more",
      "most",    "other",    "some",       "such",  "no",     "nor",       "not",     "only",
      "own",     "same",     "so",         "than",  "too",    "very",      "s",       "t",
      "can",     "will",     "just",       "don",   "should", "now",       "i",       "me",
      "my",      "myself",   "we",         "our",   "ours",   "ourselves", "you",     "your",
      "yours",   "yourself", "yourselves", "he",    "him",    "his",       "himself", "she",
      "her",     "hers",     "herself",    "it",    "its",    "itself",    "they",    "them",
      "their",   "theirs",   "themselves", "what",  "which",  "who",       "whom",    "this",
      "that",    "these",    "those",      "am",    "is",     "are",       "was",     "were",
      "be",      "been",     "being",      "have",  "has",    "had",       "having",  "do",
      "does",    "did",      "doing",      "would", "could",  "ought",     "m",       "re",
      "ve",      "d",        "ll"};
  return kStop.count(word) > 0;
}

std::vector<std::string> QueryTerms(std::string_view query) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](std::string t) {
    if (t.empty() || IsStopWord(t) || !seen.insert(t).second) return;
    out.push_back(std::move(t));
  };
  ForEachIdentifier(query, [&](std::string_view id) {
    // The tokenizer's own words first (split at joiners), then camel parts.
    std::size_t start = 0;
    for (std::size_t i = 0; i <= id.size(); ++i) {
      if (i == id.size() || IsJoiner(static_cast<unsigned char>(id[i]))) {
        if (i > start) add(Lower(id.substr(start, i - start)));
        start = i + 1;
      }
    }
    for (std::string& p : SplitIdentifier(id)) add(std::move(p));
  });
  return out;
}

std::string FtsMatchExpression(std::string_view query) { return FtsOrOfPhrases(QueryTerms(query)); }

std::string FtsOrOfPhrases(const std::vector<std::string>& words) {
  std::string expr;
  for (const std::string& t : words) {
    if (!expr.empty()) expr += " OR ";
    expr += '"';
    for (char c : t) {
      if (c == '"') expr += '"';  // FTS5 string escape
      expr += c;
    }
    expr += '"';
  }
  return expr;
}

}  // namespace engram
