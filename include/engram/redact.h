// Secret redaction: API keys, tokens, passwords and private keys are replaced
// by "[REDACTED:<kind>]" before anything is stored.
//
// Detected kinds: PEM private keys, AWS access key ids, GitHub tokens,
// OpenAI/Anthropic-style "sk-" keys, Slack tokens, JWTs, "Bearer <token>",
// and key=value / "key": "value" pairs whose key names a secret (password,
// passwd, secret, token, api_key, apikey, access_key, private_key,
// client_secret, authorization). docs/ARCHITECTURE.md lists the rules.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "engram/json.h"

namespace engram {

// Returns `text` with every detected secret replaced.
std::string RedactSecrets(std::string_view text);
// Exact-match overloads: without them a std::string or string literal
// argument is ambiguous between the string_view and Json overloads.
inline std::string RedactSecrets(const std::string& text) {
  return RedactSecrets(std::string_view(text));
}
inline std::string RedactSecrets(const char* text) { return RedactSecrets(std::string_view(text)); }
// Redacts every string inside `value`, and replaces the whole value of any
// object member whose key names a secret.
Json RedactSecrets(const Json& value);

}  // namespace engram
