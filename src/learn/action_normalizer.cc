#include "learn/action_normalizer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <sstream>
#include <vector>

namespace engram::learn {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

bool IsQuote(char c) { return c == '"' || c == '\'' || c == '`'; }

// Punctuation stripped from both ends of a token (a path keeps its inner
// slashes and dots).
bool IsEdgePunct(char c) {
  static constexpr std::string_view kPunct = "()[]{}<>,;:!?.\"'`";
  return kPunct.find(c) != std::string_view::npos;
}

bool IsNumberLike(std::string_view t) {
  if (t.empty()) return false;
  bool all_digits = std::all_of(t.begin(), t.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_';
  });
  if (all_digits && std::isdigit(static_cast<unsigned char>(t.front())) != 0) return true;
  // Hex ids (commit hashes) and UUIDs: hex digits and dashes, with a digit.
  const bool hexish = std::all_of(t.begin(), t.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == '-';
  });
  const bool has_digit = std::any_of(
      t.begin(), t.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
  return hexish && has_digit && t.size() >= 7;
}

bool IsPathLike(std::string_view t) {
  if (t.find('/') != std::string_view::npos || t.find('\\') != std::string_view::npos) return true;
  const auto dot = t.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  const std::string_view ext = t.substr(dot + 1);
  if (ext.empty() || ext.size() > 5) return false;
  return std::all_of(ext.begin(), ext.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }) &&
         std::isalpha(static_cast<unsigned char>(ext.front())) != 0;
}

// Splits on white space; a quoted run ("a b") is one token marked quoted.
std::vector<std::pair<std::string, bool>> Tokenize(std::string_view s) {
  std::vector<std::pair<std::string, bool>> tokens;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])) != 0) ++i;
    if (i >= s.size()) break;
    if (IsQuote(s[i])) {
      const char q = s[i];
      const auto end = s.find(q, i + 1);
      if (end != std::string_view::npos && end > i + 1) {
        tokens.emplace_back(std::string(s.substr(i + 1, end - i - 1)), true);
        i = end + 1;
        continue;
      }
    }
    std::size_t j = i;
    while (j < s.size() && std::isspace(static_cast<unsigned char>(s[j])) == 0) ++j;
    tokens.emplace_back(std::string(s.substr(i, j - i)), false);
    i = j;
  }
  return tokens;
}

std::string Normalize(std::string_view text, int max_tokens) {
  std::vector<std::string> out;
  for (auto& [raw, quoted] : Tokenize(ToLower(text))) {
    if (static_cast<int>(out.size()) >= max_tokens) break;
    std::string token;
    if (quoted) {
      token = "<str>";
    } else {
      std::string_view t = raw;
      while (!t.empty() && IsEdgePunct(t.front())) t.remove_prefix(1);
      while (!t.empty() && IsEdgePunct(t.back())) t.remove_suffix(1);
      if (t.empty() || (t.front() == '-' && !IsNumberLike(t.substr(1)))) continue;
      if (IsNumberLike(t)) {
        token = "<n>";
      } else if (IsPathLike(t)) {
        token = "<path>";
      } else {
        token = std::string(t);
      }
    }
    if (!out.empty() && token.front() == '<' && out.back() == token) continue;
    out.push_back(std::move(token));
  }
  std::string joined;
  for (const auto& t : out) {
    if (!joined.empty()) joined += ' ';
    joined += t;
  }
  return joined;
}

}  // namespace

std::string NormalizeAction(std::string_view action, NormalizeOptions options) {
  return Normalize(action, std::max(1, options.max_tokens));
}

std::string StepSignature(const Step& step, NormalizeOptions options) {
  return ToLower(step.tool) + ":" + NormalizeAction(step.action, options);
}

std::string NormalizeError(std::string_view output) {
  const auto nl = output.find('\n');
  return Normalize(output.substr(0, nl), 5);
}

bool IsCheckStep(const Step& step) {
  static constexpr std::array<std::string_view, 16> kVerbs = {
      "check", "verify", "test", "tests", "lint", "typecheck", "tsc",    "pytest",
      "jest",  "status", "diff", "grep",  "rg",   "find",      "search", "inspect"};
  static constexpr std::array<std::string_view, 5> kTools = {"grep", "rg", "search", "test",
                                                             "lint"};
  const std::string tool = ToLower(step.tool);
  if (std::find(kTools.begin(), kTools.end(), tool) != kTools.end()) return true;
  std::istringstream words(NormalizeAction(step.action, {.max_tokens = 2}));
  std::string w;
  while (words >> w) {
    if (std::find(kVerbs.begin(), kVerbs.end(), w) != kVerbs.end()) return true;
  }
  return false;
}

}  // namespace engram::learn
