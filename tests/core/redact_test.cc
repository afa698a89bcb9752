#include "engram/redact.h"

#include <gtest/gtest.h>

#include <string>

namespace engram {
namespace {

TEST(RedactText, LeavesOrdinaryProseAlone) {
  for (const char* text :
       {"Implemented a token bucket rate limiter.", "The secret to speed is caching.",
        "max_tokens=512 and token_count=3", "if (token == expected) return;",
        "Bearer tokens expire after an hour.", "risk-assessment-of-the-whole-system-2024",
        "std::string token; token::Kind k;", "ASKIA is not a key", ""}) {
    EXPECT_EQ(RedactSecrets(text), text);
  }
}

TEST(RedactText, ReplacesPemPrivateKeyBlock) {
  const std::string text =
      "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc\n-----END RSA PRIVATE "
      "KEY-----\ndone";
  EXPECT_EQ(RedactSecrets(text), "key:\n[REDACTED:private_key]\ndone");
}

TEST(RedactText, TruncatedPemKeyIsRedactedToTheEnd) {
  EXPECT_EQ(RedactSecrets("x -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk"),
            "x [REDACTED:private_key]");
}

TEST(RedactText, KeepsPublicKeysAndCertificates) {
  const std::string cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
  EXPECT_EQ(RedactSecrets(cert), cert);
}

TEST(RedactText, ReplacesAwsAccessKeyId) {
  EXPECT_EQ(RedactSecrets("aws AKIAIOSFODNN7EXAMPLE ok"), "aws [REDACTED:aws_access_key] ok");
  // Too long to be a key id.
  EXPECT_EQ(RedactSecrets("AKIAIOSFODNN7EXAMPLEXX"), "AKIAIOSFODNN7EXAMPLEXX");
}

TEST(RedactText, ReplacesGithubTokens) {
  EXPECT_EQ(RedactSecrets("push with ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 now"),
            "push with [REDACTED:github_token] now");
  EXPECT_EQ(RedactSecrets("github_pat_11ABCDEFG0123456789_abcdefghijklmnop"),
            "[REDACTED:github_token]");
}

TEST(RedactText, ReplacesSkApiKeys) {
  EXPECT_EQ(RedactSecrets("OPENAI sk-proj-abc123DEF456ghi789JKL0"), "OPENAI [REDACTED:api_key]");
  EXPECT_EQ(RedactSecrets("use sk-ant-api03-Zx9_yW8-vU7tS6rQ5pO4 please"),
            "use [REDACTED:api_key] please");
}

TEST(RedactText, ReplacesSlackTokens) {
  EXPECT_EQ(RedactSecrets("xoxb-1234567890-abcdefghij"), "[REDACTED:slack_token]");
}

TEST(RedactText, ReplacesJwt) {
  const std::string jwt =
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_"
      "XgL0n3I9PlFUP0THsR8U";
  EXPECT_EQ(RedactSecrets("cookie=" + jwt + ";"), "cookie=[REDACTED:jwt];");
}

TEST(RedactText, ReplacesOnlyTheBearerCredential) {
  EXPECT_EQ(RedactSecrets("curl -H 'X: Bearer abcDEF1234567890xyz' url"),
            "curl -H 'X: Bearer [REDACTED:bearer_token]' url");
}

TEST(RedactText, AuthorizationHeaderKeepsSchemeWord) {
  EXPECT_EQ(RedactSecrets("Authorization: Basic dXNlcjpwYXNz\n"),
            "Authorization: Basic [REDACTED:authorization]\n");
}

TEST(RedactText, ReplacesValuesOfSecretKeys) {
  EXPECT_EQ(RedactSecrets("password=hunter2 user=bob"), "password=[REDACTED:password] user=bob");
  EXPECT_EQ(RedactSecrets("export GITHUB_TOKEN=abc"), "export GITHUB_TOKEN=[REDACTED:token]");
  EXPECT_EQ(RedactSecrets("--db-password=p4ss"), "--db-password=[REDACTED:password]");
  EXPECT_EQ(RedactSecrets("url?access_token=zz9&page=2"),
            "url?access_token=[REDACTED:token]&page=2");
  EXPECT_EQ(RedactSecrets("client_secret: s3cr3t"), "client_secret: [REDACTED:client_secret]");
  EXPECT_EQ(RedactSecrets("X-Api-Key: k1"), "X-Api-Key: [REDACTED:api_key]");
}

TEST(RedactText, ReplacesQuotedValuesKeepingQuotes) {
  EXPECT_EQ(RedactSecrets(R"({"password": "a b\"c", "user": "x"})"),
            R"({"password": "[REDACTED:password]", "user": "x"})");
  EXPECT_EQ(RedactSecrets("secret='xyz'"), "secret='[REDACTED:secret]'");
}

TEST(RedactText, IsIdempotent) {
  const std::string once = RedactSecrets(
      "password=hunter2 token: \"t\" AKIAIOSFODNN7EXAMPLE Bearer abcDEF1234567890xyz");
  EXPECT_EQ(RedactSecrets(once), once);
  EXPECT_EQ(once,
            "password=[REDACTED:password] token: \"[REDACTED:token]\" [REDACTED:aws_access_key] "
            "Bearer [REDACTED:bearer_token]");
}

TEST(RedactText, HandlesLargeInputLinearly) {
  std::string big(256 * 1024, 'a');
  big += " password=x";
  const std::string out = RedactSecrets(big);
  EXPECT_EQ(out.substr(out.size() - 29), " password=[REDACTED:password]");
}

TEST(RedactJson, ReplacesWholeValueOfSecretMembers) {
  const Json in = Json::parse(R"({
    "api_key": "abc", "Password": 1234, "auth": {"client_secret": {"a": 1}},
    "max_tokens": 100, "cmd": "mysql --password=pw", "list": ["ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"],
    "token": null})");
  const Json expected = Json::parse(R"({
    "api_key": "[REDACTED:api_key]", "Password": "[REDACTED:password]",
    "auth": {"client_secret": "[REDACTED:client_secret]"},
    "max_tokens": 100, "cmd": "mysql --password=[REDACTED:password]",
    "list": ["[REDACTED:github_token]"], "token": null})");
  EXPECT_EQ(RedactSecrets(in), expected);
}

TEST(RedactJson, LeavesNonSecretScalarsUntouched) {
  for (const Json& v : {Json(3), Json(true), Json(nullptr), Json(2.5), Json("plain")}) {
    EXPECT_EQ(RedactSecrets(v), v);
  }
}

}  // namespace
}  // namespace engram
