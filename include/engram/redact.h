// Secret redaction: API keys, tokens, passwords and private keys are replaced
// by "[REDACTED:<kind>]" before anything is stored.
//
// Detected kinds: PEM and PGP private key blocks, AWS access key ids and
// secret access keys (40 base64 characters near "aws"/"secret"), GitHub,
// GitLab, Slack, Stripe, Google, npm, Hugging Face, PyPI, DigitalOcean and
// Shopify tokens, "sk-" API keys, JWTs, "Bearer <token>", passwords in
// connection URLs (scheme://user:password@host), and key=value /
// "key": "value" pairs whose key names a secret (password, passwd,
// passphrase, secret, secret_key, token, api_key, apikey, access_key,
// private_key, client_secret, authorization). Prefixes match in any case.
// docs/ARCHITECTURE.md ("Secret redaction") lists the rules and the one
// place every write is redacted (RedactingStore).
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
// Redacts every string inside `value`, object keys included, and replaces
// the whole value of any object member whose key names a secret.
Json RedactSecrets(const Json& value);

}  // namespace engram
