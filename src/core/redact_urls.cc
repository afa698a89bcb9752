// Scanners for secrets recognised by their surroundings (redact_scan.h):
// credentials inside URLs and AWS secret access keys in prose.
#include <string_view>
#include <vector>

#include "core/redact_scan.h"

namespace engram::redact_internal {
namespace {

bool IsSchemeChar(char c) { return IsAlnum(c) || c == '+' || c == '.' || c == '-'; }
bool EndsAuthority(char c) {
  return c == '/' || c == '?' || c == '#' || c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
         c == '"' || c == '\'' || c == '<' || c == '>' || c == '`';
}
bool IsBase64Char(char c) {
  return (ClassOf(c) & (kDigit | kUpper | kLowerLetter | kBase64Punct)) != 0;
}

// How far around a 40-character run "aws" or "secret" may be for the run
// to count as an AWS secret access key.
constexpr std::size_t kAwsContext = 120;
constexpr std::size_t kAwsSecretLength = 40;

}  // namespace

// scheme://user:password@host (postgres, postgresql, mysql, mongodb,
// mongodb+srv, redis, rediss, amqp, amqps, https, ftp, ... any scheme):
// the password is replaced, user and host stay. A user part alone that
// looks like a token (20+ characters with a digit, as in
// https://<token>@github.com) is replaced too.
void FindUrlCredentials(const ScanText& s, std::vector<Span>& out) {
  const std::string_view text = s.text;
  ForEachOccurrence(text, "://", [&](std::size_t pos) {
    std::size_t scheme = pos;
    while (scheme > 0 && IsSchemeChar(text[scheme - 1])) --scheme;
    if (scheme == pos || !IsAlnum(text[scheme])) return;
    const std::size_t begin = pos + 3;
    std::size_t end = begin;
    while (end < text.size() && !EndsAuthority(text[end])) ++end;
    const std::size_t at = text.substr(begin, end - begin).rfind('@');
    if (at == std::string_view::npos || at == 0) return;
    const std::string_view userinfo = text.substr(begin, at);
    const std::size_t colon = userinfo.find(':');
    if (colon == std::string_view::npos) {
      if (userinfo.size() >= 20 && HasDigit(userinfo) && !userinfo.starts_with(kRedactedPrefix)) {
        out.push_back({begin, begin + at, "url_credential"});
      }
      return;
    }
    const std::string_view password = userinfo.substr(colon + 1);
    if (password.empty() || password.starts_with(kRedactedPrefix)) return;
    out.push_back({begin + colon + 1, begin + at, "url_password"});
  });
}

// A run of exactly 40 base64 characters (A-Z, a-z, 0-9, '/', '+') with
// upper- and lower-case letters and a digit, within 120 characters of
// "aws" or "secret" (any case). Git SHAs (lower-case hex) and UUIDs never
// match: they lack upper case or are split by '-'.
void FindAwsSecretKeys(const ScanText& s, std::vector<Span>& out) {
  const std::string_view text = s.text;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!IsBase64Char(text[i])) {
      ++i;
      continue;
    }
    const std::size_t begin = i;
    unsigned char seen = 0;
    for (; i < text.size() && IsBase64Char(text[i]); ++i) seen |= ClassOf(text[i]);
    const bool upper = (seen & kUpper) != 0, lower = (seen & kLowerLetter) != 0,
               digit = (seen & kDigit) != 0;
    if (i - begin != kAwsSecretLength || !upper || !lower || !digit) continue;
    if (begin > 0 && (text[begin - 1] == '_' || text[begin - 1] == '-')) continue;
    if (i < text.size() && (text[i] == '_' || text[i] == '-' || text[i] == '=')) continue;
    const std::size_t from = begin > kAwsContext ? begin - kAwsContext : 0;
    const std::string_view around = s.lower.substr(from, i + kAwsContext - from);
    if (around.find("aws") != std::string_view::npos ||
        around.find("secret") != std::string_view::npos) {
      out.push_back({begin, i, "aws_secret_key"});
    }
  }
}

}  // namespace engram::redact_internal
