#include "learn/action_tokens.h"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace engram::learn {
namespace {

bool IsQuote(char c) { return c == '"' || c == '\'' || c == '`'; }

}  // namespace

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

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

// A file path by meaning: a '/' or '\', or a known file extension written
// in lower case ("parser.ts", "requirements.txt"; not "sync.Mutex",
// "it.skip", "Date.now").
bool IsFilePath(std::string_view t) {
  if (t.find('/') != std::string_view::npos || t.find('\\') != std::string_view::npos) return true;
  const auto colon = t.find(':');  // "a.ts:42"
  if (colon != std::string_view::npos) t = t.substr(0, colon);
  const auto dot = t.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  static constexpr std::string_view kExtensions[] = {
      "ts",     "tsx",   "js",     "jsx",  "mjs",  "cjs",  "py",   "go",  "rs",  "c",     "cc",
      "cpp",    "cxx",   "h",      "hpp",  "java", "kt",   "rb",   "php", "cs",  "swift", "scala",
      "json",   "yaml",  "yml",    "toml", "ini",  "cfg",  "conf", "env", "md",  "txt",   "rst",
      "html",   "css",   "scss",   "sql",  "sh",   "bash", "lock", "xml", "csv", "log",   "vue",
      "svelte", "proto", "gradle", "mod",  "sum",  "lua",  "ex",   "exs", "erl", "dart"};
  const std::string_view ext = t.substr(dot + 1);
  return std::find(std::begin(kExtensions), std::end(kExtensions), ext) != std::end(kExtensions);
}

bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// snake_case, camelCase, dotted.names, call(), a::b, $var, @scope, a=b,
// letters mixed with digits.
bool IsIdentifierLike(std::string_view t) {
  static constexpr std::string_view kMarks = "_.()[]:#$@=<>{}";
  if (t.find_first_of(kMarks) != std::string_view::npos) return true;
  bool alpha = false, digit = false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    alpha = alpha || IsAsciiLower(t[i]) || IsAsciiUpper(t[i]);
    digit = digit || IsAsciiDigit(t[i]);
    if (i > 0 && IsAsciiUpper(t[i]) && IsAsciiLower(t[i - 1])) return true;
  }
  return alpha && digit;
}

bool LettersOnly(std::string_view t) {
  return !t.empty() &&
         std::all_of(t.begin(), t.end(), [](char c) { return IsAsciiLower(c) || IsAsciiUpper(c); });
}

}  // namespace engram::learn
