// Secret redaction (redact.h). Hand-written scanners, one per kind of
// secret, find spans in the text; overlapping spans are merged (earliest,
// then longest wins) and each is replaced by "[REDACTED:<kind>]". Scanning is
// linear in the input, so large step outputs are cheap and cannot blow the
// stack the way backtracking regexes can.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engram/redact.h"

namespace engram {
namespace {

struct Span {
  std::size_t begin;
  std::size_t end;  // exclusive
  std::string_view kind;
};

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpperAlnum(char c) { return IsDigit(c) || (c >= 'A' && c <= 'Z'); }
bool IsTokenChar(char c) { return IsAlnum(c) || c == '_' || c == '-'; }  // base64url too
bool IsKeyChar(char c) { return IsAlnum(c) || c == '_' || c == '-' || c == '.'; }
bool IsSpace(char c) { return c == ' ' || c == '\t'; }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// True when no token character precedes `pos` (start of a token).
bool StartsToken(std::string_view text, std::size_t pos) {
  return pos == 0 || !IsTokenChar(text[pos - 1]);
}

// End of the run of characters satisfying `pred` starting at `pos`.
template <typename Pred>
std::size_t RunEnd(std::string_view text, std::size_t pos, Pred pred) {
  while (pos < text.size() && pred(text[pos])) ++pos;
  return pos;
}

bool HasDigit(std::string_view s) { return std::any_of(s.begin(), s.end(), IsDigit); }

bool StartsWithIgnoreCase(std::string_view text, std::size_t pos, std::string_view prefix) {
  if (pos + prefix.size() > text.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(text[pos + i]) != prefix[i]) return false;
  }
  return true;
}

// Calls fn(pos) for every occurrence of `needle` in `text`.
template <typename Fn>
void ForEachOccurrence(std::string_view text, std::string_view needle, Fn fn) {
  for (std::size_t pos = text.find(needle); pos != std::string_view::npos;
       pos = text.find(needle, pos + 1)) {
    fn(pos);
  }
}

// -----BEGIN [...] PRIVATE KEY----- ... -----END [...] PRIVATE KEY-----
// A block without its END line is redacted to the end of the text.
void FindPemKeys(std::string_view text, std::vector<Span>& out) {
  constexpr std::string_view kBegin = "-----BEGIN ";
  constexpr std::string_view kLabelEnd = "PRIVATE KEY-----";
  ForEachOccurrence(text, kBegin, [&](std::size_t pos) {
    const std::size_t label_end = text.find("-----", pos + kBegin.size());
    // The label ("RSA PRIVATE KEY") is short and ends with "PRIVATE KEY".
    if (label_end == std::string_view::npos || label_end - pos > 64) return;
    const std::size_t header_end = label_end + 5;
    if (text.substr(header_end - kLabelEnd.size(), kLabelEnd.size()) != kLabelEnd) return;
    std::size_t end = text.size();
    const std::size_t end_marker = text.find("-----END ", header_end);
    if (end_marker != std::string_view::npos) {
      const std::size_t close = text.find("-----", end_marker + 9);
      if (close != std::string_view::npos) end = close + 5;
    }
    out.push_back({pos, end, "private_key"});
  });
}

// AKIA/ASIA/ABIA/ACCA followed by 16 upper-case letters or digits.
void FindAwsKeys(std::string_view text, std::vector<Span>& out) {
  for (std::string_view prefix : {"AKIA", "ASIA", "ABIA", "ACCA"}) {
    ForEachOccurrence(text, prefix, [&](std::size_t pos) {
      if (pos > 0 && IsAlnum(text[pos - 1])) return;
      const std::size_t end = RunEnd(text, pos + 4, IsUpperAlnum);
      if (end - pos == 20) out.push_back({pos, end, "aws_access_key"});
    });
  }
}

// A fixed prefix followed by at least `min_len` body characters; when
// `need_digit`, the body must contain a digit (keeps prose words out).
struct TokenRule {
  std::string_view prefix;
  std::size_t min_len;
  bool need_digit;
  std::string_view kind;
};

constexpr std::array<TokenRule, 13> kTokenRules{{
    {"ghp_", 30, false, "github_token"},
    {"gho_", 30, false, "github_token"},
    {"ghu_", 30, false, "github_token"},
    {"ghs_", 30, false, "github_token"},
    {"ghr_", 30, false, "github_token"},
    {"github_pat_", 22, false, "github_token"},
    {"sk-", 20, true, "api_key"},
    {"xoxb-", 10, true, "slack_token"},
    {"xoxa-", 10, true, "slack_token"},
    {"xoxp-", 10, true, "slack_token"},
    {"xoxo-", 10, true, "slack_token"},
    {"xoxr-", 10, true, "slack_token"},
    {"xoxs-", 10, true, "slack_token"},
}};

void FindPrefixedTokens(std::string_view text, std::vector<Span>& out) {
  for (const TokenRule& rule : kTokenRules) {
    ForEachOccurrence(text, rule.prefix, [&](std::size_t pos) {
      if (!StartsToken(text, pos)) return;
      const std::size_t body = pos + rule.prefix.size();
      const std::size_t end = RunEnd(text, body, IsTokenChar);
      const std::string_view token = text.substr(body, end - body);
      if (token.size() < rule.min_len || (rule.need_digit && !HasDigit(token))) return;
      out.push_back({pos, end, rule.kind});
    });
  }
}

// eyJ<header>.eyJ<payload>.<signature> (base64url segments).
void FindJwts(std::string_view text, std::vector<Span>& out) {
  ForEachOccurrence(text, "eyJ", [&](std::size_t pos) {
    if (!StartsToken(text, pos)) return;
    const std::size_t h_end = RunEnd(text, pos, IsTokenChar);
    if (h_end - pos < 10 || h_end >= text.size() || text[h_end] != '.') return;
    if (text.substr(h_end + 1, 3) != "eyJ") return;
    const std::size_t p_end = RunEnd(text, h_end + 1, IsTokenChar);
    if (p_end - h_end - 1 < 10 || p_end >= text.size() || text[p_end] != '.') return;
    out.push_back({pos, RunEnd(text, p_end + 1, IsTokenChar), "jwt"});
  });
}

bool IsCredentialChar(char c) {
  return IsTokenChar(c) || c == '.' || c == '~' || c == '+' || c == '/' || c == '=';
}

// "Bearer <token>": only the token is replaced. The token must be 16+
// characters with a digit, so prose such as "Bearer tokens expire" stays.
void FindBearerTokens(std::string_view text, std::vector<Span>& out) {
  for (std::size_t pos = 0; pos + 6 < text.size(); ++pos) {
    if (!StartsWithIgnoreCase(text, pos, "bearer") || !StartsToken(text, pos)) continue;
    const std::size_t start = RunEnd(text, pos + 6, IsSpace);
    if (start == pos + 6) continue;
    const std::size_t end = RunEnd(text, start, IsCredentialChar);
    const std::string_view token = text.substr(start, end - start);
    if (token.size() >= 16 && HasDigit(token)) out.push_back({start, end, "bearer_token"});
  }
}

// Secret key names, matched as a suffix of the lower-cased key with '-' read
// as '_': "db_password", "X-Api-Key", "GITHUB_TOKEN" match; "max_tokens",
// "token_count" and "tokenizer" do not.
constexpr std::array<std::string_view, 10> kSecretKeyWords{
    "password", "passwd",     "secret",      "token",         "api_key",
    "apikey",   "access_key", "private_key", "client_secret", "authorization"};

std::optional<std::string_view> SecretKeyKind(std::string_view key) {
  std::string norm(key);
  for (char& c : norm) c = c == '-' ? '_' : Lower(c);
  std::optional<std::string_view> best;
  for (std::string_view word : kSecretKeyWords) {
    if (norm.size() >= word.size() &&
        norm.compare(norm.size() - word.size(), word.size(), word) == 0 &&
        (!best || word.size() > best->size())) {
      best = word;  // the longest match names the kind: client_secret over secret
    }
  }
  return best;
}

constexpr std::string_view kRedactedPrefix = "[REDACTED:";

// key=value, key: value, "key": "value", key='value'. Only the value is
// replaced. An authorization scheme word (Bearer, Basic, Token) is kept and
// the credential after it is replaced.
void FindKeyValues(std::string_view text, std::vector<Span>& out) {
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

}  // namespace

std::string RedactSecrets(std::string_view text) {
  std::vector<Span> spans;
  FindPemKeys(text, spans);
  FindAwsKeys(text, spans);
  FindPrefixedTokens(text, spans);
  FindJwts(text, spans);
  FindBearerTokens(text, spans);
  FindKeyValues(text, spans);
  if (spans.empty()) return std::string(text);

  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  for (const Span& s : spans) {
    if (s.begin < pos) continue;  // overlaps a span already replaced
    out.append(text.substr(pos, s.begin - pos));
    out.append(kRedactedPrefix);
    out.append(s.kind);
    out.push_back(']');
    pos = s.end;
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
      Json out = Json::object();
      for (auto it = value.begin(); it != value.end(); ++it) {
        const std::optional<std::string_view> kind = SecretKeyKind(it.key());
        if (kind && !it.value().is_null()) {
          out[it.key()] = std::string(kRedactedPrefix) + std::string(*kind) + "]";
        } else {
          out[it.key()] = RedactSecrets(it.value());
        }
      }
      return out;
    }
    default:
      return value;
  }
}

}  // namespace engram
