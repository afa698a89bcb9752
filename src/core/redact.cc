// Secret redaction (redact.h). The scanners (redact_scan.h; shaped tokens
// in redact_tokens.cc, URL credentials and AWS secrets in redact_urls.cc,
// key=value pairs here) find spans in the text; overlapping spans are
// merged (earliest, then longest wins) and each is replaced by
// "[REDACTED:<kind>]". Scanning is linear in the input, so large step
// outputs are cheap and cannot blow the stack the way backtracking regexes
// can.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/redact_scan.h"
#include "engram/redact.h"

namespace engram {
namespace redact_internal {
namespace {

bool IsKeyChar(char c) { return IsAlnum(c) || c == '_' || c == '-' || c == '.'; }

bool StartsWithIgnoreCase(std::string_view text, std::size_t pos, std::string_view prefix) {
  if (pos + prefix.size() > text.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(text[pos + i]) != prefix[i]) return false;
  }
  return true;
}

// Secret key names, matched as a suffix of the lower-cased key with '-' read
// as '_': "db_password", "X-Api-Key", "GITHUB_TOKEN" match; "max_tokens",
// "token_count" and "tokenizer" do not.
constexpr std::array<std::string_view, 12> kSecretKeyWords{
    "password", "passwd", "passphrase", "secret",      "secret_key",    "token",
    "api_key",  "apikey", "access_key", "private_key", "client_secret", "authorization"};

// True when `key` ends with `word`, compared lower-cased with '-' as '_'.
bool EndsWithKeyWord(std::string_view key, std::string_view word) {
  if (key.size() < word.size()) return false;
  const std::size_t from = key.size() - word.size();
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = key[from + i] == '-' ? '_' : Lower(key[from + i]);
    if (c != word[i]) return false;
  }
  return true;
}

std::optional<std::string_view> SecretKeyKind(std::string_view key) {
  std::optional<std::string_view> best;
  for (std::string_view word : kSecretKeyWords) {
    if (EndsWithKeyWord(key, word) && (!best || word.size() > best->size())) {
      best = word;  // the longest match names the kind: client_secret over secret
    }
  }
  return best;
}

}  // namespace

// key=value, key: value, "key": "value", key='value'. Only the value is
// replaced. An authorization scheme word (Bearer, Basic, Token) is kept and
// the credential after it is replaced.
void FindKeyValues(const ScanText& s, std::vector<Span>& out) {
  const std::string_view text = s.text;
  for (std::size_t sep = 0; sep < text.size(); ++sep) {
    if (text[sep] != '=' && text[sep] != ':') continue;
    // The key: back over spaces and an optional closing quote.
    std::size_t k_end = sep;
    while (k_end > 0 && IsSpace(text[k_end - 1])) --k_end;
    if (k_end > 0 && (text[k_end - 1] == '"' || text[k_end - 1] == '\'')) --k_end;
    std::size_t k_begin = k_end;
    while (k_begin > 0 && IsKeyChar(text[k_begin - 1])) --k_begin;
    if (k_begin == k_end) continue;
    const std::optional<std::string_view> kind =
        SecretKeyKind(text.substr(k_begin, k_end - k_begin));
    if (!kind) continue;
    // The value: after spaces; "==", "::", ":=" are operators, not pairs.
    std::size_t v = RunEnd(text, sep + 1, IsSpace);
    if (v >= text.size() || text[v] == '=' || text[v] == ':' ||
        text.substr(v, kRedactedPrefix.size()) == kRedactedPrefix) {
      continue;
    }
    std::size_t v_end = 0;
    if (text[v] == '"' || text[v] == '\'') {
      const char quote = text[v];
      std::size_t i = v + 1;
      while (i < text.size() && text[i] != quote && text[i] != '\n') i += text[i] == '\\' ? 2 : 1;
      i = std::min(i, text.size());
      if (text.substr(v + 1, kRedactedPrefix.size()) == kRedactedPrefix) continue;
      ++v;
      v_end = i;
    } else {
      for (std::string_view scheme : {"bearer", "basic", "token", "digest"}) {
        const std::size_t after = v + scheme.size();
        if (StartsWithIgnoreCase(text, v, scheme) && after < text.size() && IsSpace(text[after])) {
          v = RunEnd(text, after, IsSpace);
          break;
        }
      }
      v_end = v;
      while (v_end < text.size() && !IsSpace(text[v_end]) && text[v_end] != '\n' &&
             text[v_end] != '\r' &&
             std::string_view(",;&\"'<>)]}").find(text[v_end]) == std::string_view::npos) {
        ++v_end;
      }
    }
    if (v_end > v) out.push_back({v, v_end, *kind});
  }
}

}  // namespace redact_internal

using redact_internal::kRedactedPrefix;
using redact_internal::SecretKeyKind;
using redact_internal::Span;

std::string RedactSecrets(std::string_view text) {
  using namespace redact_internal;  // NOLINT(google-build-using-namespace): the scanners
  std::string lower(text);
  for (char& c : lower) c = Lower(c);
  const ScanText s{text, lower};
  std::vector<Span> spans;
  FindPrivateKeyBlocks(s, spans);
  FindShapedTokens(s, spans);
  FindUrlCredentials(s, spans);
  FindAwsSecretKeys(s, spans);
  FindKeyValues(s, spans);
  if (spans.empty()) return std::string(text);

  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  for (const Span& span : spans) {
    if (span.begin < pos) continue;  // overlaps a span already replaced
    out.append(text.substr(pos, span.begin - pos));
    out.append(kRedactedPrefix);
    out.append(span.kind);
    out.push_back(']');
    pos = span.end;
  }
  out.append(text.substr(pos));
  return out;
}

Json RedactSecrets(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return RedactSecrets(value.get_ref<const std::string&>());
    case Json::value_t::array: {
      Json out = Json::array();
      for (const Json& item : value) out.push_back(RedactSecrets(item));
      return out;
    }
    case Json::value_t::object: {
      // Keys are text too: a secret used as a key is replaced like any other
      // (two keys that redact alike keep the later value).
      Json out = Json::object();
      for (auto it = value.begin(); it != value.end(); ++it) {
        const std::optional<std::string_view> kind = SecretKeyKind(it.key());
        const std::string key = RedactSecrets(it.key());
        if (kind && !it.value().is_null()) {
          out[key] = std::string(kRedactedPrefix) + std::string(*kind) + "]";
        } else {
          out[key] = RedactSecrets(it.value());
        }
      }
      return out;
    }
    default:
      return value;
  }
}

}  // namespace engram
