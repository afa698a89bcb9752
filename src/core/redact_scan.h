// Scanners of secret redaction (include/engram/redact.h), one per kind of
// secret. Each appends the spans it finds to `out`; RedactSecrets merges
// overlapping spans (earliest, then longest wins) and replaces each by
// "[REDACTED:<kind>]". Every scanner is linear in the input.
//
// Prefixes are matched without regard to case (on ScanText::lower, the
// ASCII lower-cased copy: same length, same offsets), so a secret that was
// lower-cased on its way in (a tag, a normalised action) is still found.
//
// Thread safety: pure functions.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace engram::redact_internal {

struct Span {
  std::size_t begin;
  std::size_t end;  // exclusive
  std::string_view kind;
};

struct ScanText {
  std::string_view text;   // as given
  std::string_view lower;  // ASCII lower-cased copy of text
};

// Character classes by table: the scanners test every byte of every write.
enum CharClass : unsigned char {
  kDigit = 1,
  kUpper = 2,
  kLowerLetter = 4,
  kTokenPunct = 8,   // '_' '-'
  kBase64Punct = 16  // '/' '+'
};
inline constexpr std::array<unsigned char, 256> kCharClasses = [] {
  std::array<unsigned char, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = kDigit;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kUpper;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kLowerLetter;
  t['_'] = t['-'] = kTokenPunct;
  t['/'] = t['+'] = kBase64Punct;
  return t;
}();
inline unsigned char ClassOf(char c) { return kCharClasses[static_cast<unsigned char>(c)]; }

inline bool IsAlnum(char c) { return (ClassOf(c) & (kDigit | kUpper | kLowerLetter)) != 0; }
inline bool IsDigit(char c) { return ClassOf(c) == kDigit; }
inline bool IsUpper(char c) { return ClassOf(c) == kUpper; }
inline bool IsLowerLetter(char c) { return ClassOf(c) == kLowerLetter; }
// Letters, digits, '_' and '-' (base64url too).
inline bool IsTokenChar(char c) {
  return (ClassOf(c) & (kDigit | kUpper | kLowerLetter | kTokenPunct)) != 0;
}
inline bool IsSpace(char c) { return c == ' ' || c == '\t'; }
inline char Lower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

// True when no token character precedes `pos` (start of a token).
inline bool StartsToken(std::string_view text, std::size_t pos) {
  return pos == 0 || !IsTokenChar(text[pos - 1]);
}

// End of the run of characters satisfying `pred` starting at `pos`.
template <typename Pred>
std::size_t RunEnd(std::string_view text, std::size_t pos, Pred pred) {
  while (pos < text.size() && pred(text[pos])) ++pos;
  return pos;
}

inline bool HasDigit(std::string_view s) { return std::any_of(s.begin(), s.end(), IsDigit); }

// Calls fn(pos) for every occurrence of `needle` in `text`.
template <typename Fn>
void ForEachOccurrence(std::string_view text, std::string_view needle, Fn fn) {
  for (std::size_t pos = text.find(needle); pos != std::string_view::npos;
       pos = text.find(needle, pos + 1)) {
    fn(pos);
  }
}

inline constexpr std::string_view kRedactedPrefix = "[REDACTED:";

// redact_tokens.cc
void FindPrivateKeyBlocks(const ScanText& s, std::vector<Span>& out);  // PEM, OpenSSH, PGP
// AWS key ids, prefixed vendor tokens (ghp_, sk-, xoxb-, ...), JWTs, Bearer.
void FindShapedTokens(const ScanText& s, std::vector<Span>& out);
// redact_urls.cc
void FindUrlCredentials(const ScanText& s, std::vector<Span>& out);  // scheme://user:pass@host
void FindAwsSecretKeys(const ScanText& s, std::vector<Span>& out);   // 40 chars near "aws"/"secret"
// redact.cc
void FindKeyValues(const ScanText& s, std::vector<Span>& out);  // password=..., "token": "..."

}  // namespace engram::redact_internal
