// Scanners for secrets with a recognisable shape (redact_scan.h): private
// key blocks, AWS access key ids, vendor tokens with a fixed prefix, JWTs
// and Bearer credentials.
#include <array>
#include <string_view>
#include <vector>

#include "core/redact_scan.h"

namespace engram::redact_internal {
namespace {

bool AllOf(std::string_view s, bool (*pred)(char)) {
  for (const char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}
bool IsUpperOrDigit(char c) { return IsUpper(c) || IsDigit(c); }
bool IsLowerOrDigit(char c) { return IsLowerLetter(c) || IsDigit(c); }

// A fixed prefix (lower case) followed by at least `min_len` body
// characters (at most `max_len`, 0 = any); when `need_digit`, the body must
// contain a digit (keeps prose words and identifiers out); when
// `alnum_only`, the body is letters and digits only.
struct TokenRule {
  std::string_view prefix;
  std::size_t min_len;
  std::size_t max_len;
  bool need_digit;
  bool alnum_only;
  std::string_view kind;
};

constexpr std::array<TokenRule, 30> kTokenRules{{
    {"ghp_", 30, 0, false, false, "github_token"},
    {"gho_", 30, 0, false, false, "github_token"},
    {"ghu_", 30, 0, false, false, "github_token"},
    {"ghs_", 30, 0, false, false, "github_token"},
    {"ghr_", 30, 0, false, false, "github_token"},
    {"github_pat_", 22, 0, false, false, "github_token"},
    {"glpat-", 20, 0, false, false, "gitlab_token"},
    {"gldt-", 20, 0, false, false, "gitlab_token"},
    {"glrt-", 20, 0, false, false, "gitlab_token"},
    {"sk-", 20, 0, true, false, "api_key"},  // OpenAI, Anthropic (sk-ant-...)
    {"sk_live_", 16, 0, true, false, "stripe_key"},
    {"sk_test_", 16, 0, true, false, "stripe_key"},
    {"rk_live_", 16, 0, true, false, "stripe_key"},
    {"rk_test_", 16, 0, true, false, "stripe_key"},
    {"whsec_", 24, 0, false, false, "stripe_key"},
    {"xoxb-", 10, 0, true, false, "slack_token"},
    {"xoxa-", 10, 0, true, false, "slack_token"},
    {"xoxp-", 10, 0, true, false, "slack_token"},
    {"xoxo-", 10, 0, true, false, "slack_token"},
    {"xoxr-", 10, 0, true, false, "slack_token"},
    {"xoxs-", 10, 0, true, false, "slack_token"},
    {"xoxe-", 10, 0, true, false, "slack_token"},
    {"xapp-", 10, 0, true, false, "slack_token"},
    {"npm_", 36, 36, false, true, "npm_token"},
    {"aiza", 35, 35, false, false, "google_api_key"},
    {"hf_", 34, 34, false, true, "huggingface_token"},
    {"pypi-ageichlwas5vcmc", 40, 0, false, false, "pypi_token"},
    {"dop_v1_", 64, 64, false, true, "digitalocean_token"},
    {"shpat_", 32, 32, false, true, "shopify_token"},
    {"shpss_", 32, 32, false, true, "shopify_token"},
}};

bool IsCredentialChar(char c) {
  return IsTokenChar(c) || c == '.' || c == '~' || c == '+' || c == '/' || c == '=';
}

}  // namespace

// -----BEGIN [...] PRIVATE KEY----- ... -----END [...] PRIVATE KEY----- and
// -----BEGIN PGP PRIVATE KEY BLOCK----- ... A block without its END line is
// redacted to the end of the text. Public keys and certificates stay.
void FindPrivateKeyBlocks(const ScanText& s, std::vector<Span>& out) {
  constexpr std::string_view kBegin = "-----begin ";
  ForEachOccurrence(s.lower, kBegin, [&](std::size_t pos) {
    const std::size_t label_end = s.lower.find("-----", pos + kBegin.size());
    // The label ("RSA PRIVATE KEY") is short and names a private key.
    if (label_end == std::string_view::npos || label_end - pos > 64) return;
    const std::string_view label = s.lower.substr(pos + kBegin.size(), label_end - pos - 11);
    if (!label.ends_with("private key") && !label.ends_with("private key block")) return;
    std::size_t end = s.text.size();
    const std::size_t end_marker = s.lower.find("-----end ", label_end + 5);
    if (end_marker != std::string_view::npos) {
      const std::size_t close = s.lower.find("-----", end_marker + 9);
      if (close != std::string_view::npos) end = close + 5;
    }
    out.push_back({pos, end, "private_key"});
  });
}

namespace {

// AKIA/ASIA/ABIA/ACCA followed by 16 upper-case letters or digits, or the
// same lower-cased (then with a digit in it). `pos` is not preceded by a
// letter or digit.
void MatchAwsKeyId(const ScanText& s, std::size_t pos, std::vector<Span>& out) {
  const std::string_view p = s.lower.substr(pos, 4);
  if (p != "akia" && p != "asia" && p != "abia" && p != "acca") return;
  const std::size_t end = RunEnd(s.text, pos, IsAlnum);
  if (end - pos != 20) return;
  const std::string_view id = s.text.substr(pos, 20);
  if (AllOf(id, IsUpperOrDigit) || (AllOf(id, IsLowerOrDigit) && HasDigit(id.substr(4)))) {
    out.push_back({pos, end, "aws_access_key"});
  }
}

void MatchTokenRule(const ScanText& s, std::size_t pos, const TokenRule& rule,
                    std::vector<Span>& out) {
  if (!s.lower.substr(pos).starts_with(rule.prefix)) return;
  const std::size_t body = pos + rule.prefix.size();
  const std::size_t end =
      rule.alnum_only ? RunEnd(s.text, body, IsAlnum) : RunEnd(s.text, body, IsTokenChar);
  if (rule.alnum_only && end < s.text.size() && IsTokenChar(s.text[end])) return;
  const std::string_view token = s.text.substr(body, end - body);
  if (token.size() < rule.min_len || (rule.max_len != 0 && token.size() > rule.max_len) ||
      (rule.need_digit && !HasDigit(token))) {
    return;
  }
  out.push_back({pos, end, rule.kind});
}

// eyJ<header>.eyJ<payload>.<signature> (base64url segments).
void MatchJwt(const ScanText& s, std::size_t pos, std::vector<Span>& out) {
  if (!s.lower.substr(pos).starts_with("eyj")) return;
  const std::size_t h_end = RunEnd(s.text, pos, IsTokenChar);
  if (h_end - pos < 10 || h_end >= s.text.size() || s.text[h_end] != '.') return;
  if (s.lower.substr(h_end + 1, 3) != "eyj") return;
  const std::size_t p_end = RunEnd(s.text, h_end + 1, IsTokenChar);
  if (p_end - h_end - 1 < 10 || p_end >= s.text.size() || s.text[p_end] != '.') return;
  out.push_back({pos, RunEnd(s.text, p_end + 1, IsTokenChar), "jwt"});
}

// "Bearer <token>": only the token is replaced. The token must be 16+
// characters with a digit, so prose such as "Bearer tokens expire" stays.
void MatchBearer(const ScanText& s, std::size_t pos, std::vector<Span>& out) {
  if (!s.lower.substr(pos).starts_with("bearer")) return;
  const std::size_t start = RunEnd(s.text, pos + 6, IsSpace);
  if (start == pos + 6) return;
  const std::size_t end = RunEnd(s.text, start, IsCredentialChar);
  const std::string_view token = s.text.substr(start, end - start);
  if (token.size() >= 16 && HasDigit(token)) out.push_back({start, end, "bearer_token"});
}

// The token rules by the first letter of their prefix.
using RuleIndex = std::array<std::vector<const TokenRule*>, 26>;
const RuleIndex& RulesByFirstLetter() {
  static const RuleIndex index = [] {
    RuleIndex by_letter;
    for (const TokenRule& rule : kTokenRules) {
      by_letter[static_cast<std::size_t>(rule.prefix[0] - 'a')].push_back(&rule);
    }
    return by_letter;
  }();
  return index;
}

}  // namespace

// One pass over the starts of words (a letter not preceded by a letter or
// digit): each is checked against the rules for its first letter only, so
// the cost does not grow with the number of rules.
void FindShapedTokens(const ScanText& s, std::vector<Span>& out) {
  const RuleIndex& rules = RulesByFirstLetter();
  for (std::size_t pos = 0; pos < s.text.size(); ++pos) {
    const char c = s.lower[pos];
    if (!IsLowerLetter(c) || (pos > 0 && IsAlnum(s.text[pos - 1]))) continue;
    if (c == 'a') MatchAwsKeyId(s, pos, out);
    // A token may follow '_' or '-' ("deploy-ghp_...", "KEY_sk_live_...").
    for (const TokenRule* rule : rules[static_cast<std::size_t>(c - 'a')]) {
      MatchTokenRule(s, pos, *rule, out);
    }
    if (c == 'e') MatchJwt(s, pos, out);
    if (c == 'b' && StartsToken(s.text, pos)) MatchBearer(s, pos, out);
  }
}

}  // namespace engram::redact_internal
