#include "learn/lesson_text.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace engram::learn {
namespace {

constexpr std::array<std::string_view, 71> kStopWords{
    "a",     "about", "after",  "all",  "also", "an",    "and",   "any",  "are",   "as",    "at",
    "be",    "been",  "before", "but",  "by",   "can",   "each",  "for",  "from",  "has",   "have",
    "how",   "if",    "in",     "into", "is",   "it",    "its",   "just", "like",  "may",   "more",
    "most",  "of",    "on",     "one",  "only", "or",    "other", "our",  "out",   "over",  "so",
    "some",  "such",  "than",   "that", "the",  "their", "them",  "then", "there", "these", "they",
    "this",  "to",    "too",    "up",   "very", "was",   "we",    "were", "what",  "when",  "which",
    "while", "who",   "will",   "with", "you"};

// Stance cues (after lower-casing and splitting; "don't" splits to "don", "t").
constexpr std::array<std::string_view, 7> kNegativeWords{"avoid",   "never",    "don", "dont",
                                                         "shouldn", "shouldnt", "stop"};
constexpr std::array<std::string_view, 7> kPositiveWords{"prefer", "always", "use",   "should",
                                                         "must",   "do",     "ensure"};

// Verbs of leaving something out: a negated one ("never skip", "don't
// forget", "do not omit") says do.
constexpr std::array<std::string_view, 11> kLapseWords{
    "skip",   "skipping", "forget",  "forgetting", "omit",  "omitting",
    "ignore", "ignoring", "neglect", "miss",       "bypass"};

bool In(std::string_view w, const auto& list) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// Whether the negation at w[i] negates a lapse verb (the apostrophe's "t",
// "not" and "ever" may come between); `*end` receives the verb's index.
bool NegatesLapse(const std::vector<std::string>& w, std::size_t i, std::size_t* end) {
  std::size_t j = i + 1;
  while (j < w.size() && (w[j] == "t" || w[j] == "not" || w[j] == "ever")) ++j;
  if (j >= w.size() || !In(w[j], kLapseWords)) return false;
  *end = j;
  return true;
}

std::string Stem(std::string w) {
  auto ends = [&](std::string_view suf) {
    return w.size() > suf.size() && w.compare(w.size() - suf.size(), suf.size(), suf) == 0;
  };
  if (w.size() > 5 && ends("ing")) {
    w.resize(w.size() - 3);
  } else if (w.size() > 4 && (ends("ed") || ends("es"))) {
    w.resize(w.size() - 2);
  } else if (w.size() > 3 && ends("s") && !ends("ss")) {
    w.resize(w.size() - 1);
  }
  return w;
}

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0) {
      cur.push_back(static_cast<char>(std::tolower(c)));
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

// -1 / +1 / 0 from the cue words of `text`; "do not", "must not",
// "no longer" count as negative.
int TextStance(std::string_view text) {
  std::vector<std::string> w = Words(text);
  bool positive = false;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const bool next_not = i + 1 < w.size() && (w[i + 1] == "not" || w[i + 1] == "longer");
    const bool negation =
        In(w[i], kNegativeWords) ||
        ((w[i] == "do" || w[i] == "must" || w[i] == "should" || w[i] == "no") && next_not);
    std::size_t lapse = 0;
    if (negation && NegatesLapse(w, i, &lapse)) {  // "never skip X" says do X
      positive = true;
      i = lapse;
      continue;
    }
    if (negation) return -1;
    if (In(w[i], kPositiveWords)) positive = true;
  }
  return positive ? 1 : 0;
}

std::string_view FirstSentence(std::string_view text) {
  const std::size_t end = text.find_first_of(".!?\n");
  return end == std::string_view::npos ? text : text.substr(0, end);
}

}  // namespace

std::set<std::string> ContentTokens(std::string_view text) {
  std::set<std::string> out;
  for (std::string& w : Words(text)) {
    if (w.size() < 2 || In(w, kStopWords)) continue;
    out.insert(Stem(std::move(w)));
  }
  return out;
}

std::set<std::string> SubjectTokens(std::string_view text) {
  std::set<std::string> out;
  for (std::string& w : Words(text)) {
    if (w.size() < 2 || In(w, kStopWords) || In(w, kNegativeWords) || In(w, kPositiveWords) ||
        w == "not" || w == "no") {
      continue;
    }
    out.insert(Stem(std::move(w)));
  }
  return out;
}

int Stance(LessonType type, std::string_view title, std::string_view content) {
  if (type == LessonType::kAntiPattern) return -1;
  const int s = TextStance(title);
  if (s != 0) return s;
  // A best practice says "do" unless its title says otherwise; the content
  // is only consulted for the other types (its clauses often negate).
  if (type == LessonType::kBestPractice) return 1;
  return TextStance(FirstSentence(content));
}

std::optional<VersionTag> ParseVersionTag(std::string_view tag) {
  const std::size_t colon = tag.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= tag.size()) {
    return std::nullopt;
  }
  std::string_view ver = tag.substr(colon + 1);
  if (ver.front() == 'v') ver.remove_prefix(1);
  int major = 0;
  std::size_t digits = 0;
  while (digits < ver.size() && std::isdigit(static_cast<unsigned char>(ver[digits])) != 0) {
    if (digits >= 6) return std::nullopt;
    major = major * 10 + (ver[digits] - '0');
    ++digits;
  }
  if (digits == 0 || (digits < ver.size() && ver[digits] != '.')) return std::nullopt;
  return VersionTag{std::string(tag.substr(0, colon)), major};
}

std::vector<VersionTag> VersionTags(const std::vector<std::string>& tags) {
  std::vector<VersionTag> out;
  for (const std::string& t : tags) {
    if (auto v = ParseVersionTag(t)) out.push_back(std::move(*v));
  }
  return out;
}

std::string NormalizeTopic(std::string_view topic) {
  std::size_t b = 0, e = topic.size();
  while (b < e && std::isspace(static_cast<unsigned char>(topic[b])) != 0) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(topic[e - 1])) != 0) --e;
  std::string out(topic.substr(b, e - b));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace engram::learn
