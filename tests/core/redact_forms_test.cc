// Secret forms beyond the first set (redact_tokens.cc, redact_urls.cc), the
// lower-cased forms, JSON keys, and ordinary code text that must survive.
#include <gtest/gtest.h>

#include <string>

#include "engram/redact.h"

namespace engram {
namespace {

TEST(RedactForms, ReplacesStripeKeys) {
  EXPECT_EQ(RedactSecrets("STRIPE=sk_live_4eC39HqLyjWDarjtT1zdp7dc ok"),
            "STRIPE=[REDACTED:stripe_key] ok");
  EXPECT_EQ(RedactSecrets("rk_live_51H8abcDEF0123456789xyz"), "[REDACTED:stripe_key]");
  EXPECT_EQ(RedactSecrets("sk_test_4eC39HqLyjWDarjtT1zdp7dc"), "[REDACTED:stripe_key]");
}

TEST(RedactForms, ReplacesPgpPrivateKeyBlock) {
  const std::string text =
      "k:\n-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGT0abc\n=x1Y2\n-----END PGP PRIVATE KEY "
      "BLOCK-----\nend";
  EXPECT_EQ(RedactSecrets(text), "k:\n[REDACTED:private_key]\nend");
  const std::string pub =
      "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINB\n-----END PGP PUBLIC KEY BLOCK-----";
  EXPECT_EQ(RedactSecrets(pub), pub);
}

TEST(RedactForms, ReplacesPasswordsInConnectionUrls) {
  EXPECT_EQ(RedactSecrets("DATABASE_URL is postgres://app:Hunter2pw@db.internal:5432/shop"),
            "DATABASE_URL is postgres://app:[REDACTED:url_password]@db.internal:5432/shop");
  EXPECT_EQ(RedactSecrets("mysql://root:r00tpw@localhost/db"),
            "mysql://root:[REDACTED:url_password]@localhost/db");
  EXPECT_EQ(RedactSecrets("mongodb+srv://u:p%40ss@cluster0.x.mongodb.net/?retryWrites=true"),
            "mongodb+srv://u:[REDACTED:url_password]@cluster0.x.mongodb.net/?retryWrites=true");
  EXPECT_EQ(RedactSecrets("redis://:s3cretpw@cache:6379/0"),
            "redis://:[REDACTED:url_password]@cache:6379/0");
  EXPECT_EQ(RedactSecrets("amqp://guest:guestpw@rabbit:5672/"),
            "amqp://guest:[REDACTED:url_password]@rabbit:5672/");
  EXPECT_EQ(RedactSecrets("git clone https://bob:tok3nvalue@git.example.com/r.git"),
            "git clone https://bob:[REDACTED:url_password]@git.example.com/r.git");
  // A token as the whole user part (https://<token>@host).
  EXPECT_EQ(RedactSecrets("https://a1b2c3d4e5f6a7b8c9d0e1@github.com/o/r"),
            "https://[REDACTED:url_credential]@github.com/o/r");
}

TEST(RedactForms, ReplacesAwsSecretAccessKeyInProse) {
  EXPECT_EQ(RedactSecrets("the AWS secret is wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, rotate it"),
            "the AWS secret is [REDACTED:aws_secret_key], rotate it");
  EXPECT_EQ(RedactSecrets("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            "aws_secret_access_key = [REDACTED:aws_secret_key]");
  // The same 40 characters with no "aws" or "secret" around are not taken
  // for a key.
  const std::string bare = "checksum wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  EXPECT_EQ(RedactSecrets(bare), bare);
}

TEST(RedactForms, ReplacesOtherVendorTokens) {
  EXPECT_EQ(RedactSecrets("key AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe here"),
            "key [REDACTED:google_api_key] here");
  EXPECT_EQ(
      RedactSecrets("//registry.npmjs.org/:_authToken npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"),
      "//registry.npmjs.org/:_authToken [REDACTED:npm_token]");
  EXPECT_EQ(RedactSecrets("glpat-xYz123AbC456dEf789gHi0"), "[REDACTED:gitlab_token]");
  EXPECT_EQ(RedactSecrets("xapp-1-A0123456789-1234567890123-abcdef"), "[REDACTED:slack_token]");
}

TEST(RedactForms, FindsTokensJoinedToAWordByDashOrUnderscore) {
  EXPECT_EQ(RedactSecrets("deploy-ghp_R8x2Kq9ZtLmW4vN7pB3cJ6hY1sD5fG0aE2uI"),
            "deploy-[REDACTED:github_token]");
  EXPECT_EQ(RedactSecrets("KEY_sk_live_4eC39HqLyjWDarjtT1zdp7dc"), "KEY_[REDACTED:stripe_key]");
}

TEST(RedactForms, FindsLowerCasedSecrets) {
  // Tags and normalised text are lower-cased before they are stored.
  EXPECT_EQ(RedactSecrets("akiaiosfodnn7example"), "[REDACTED:aws_access_key]");
  EXPECT_EQ(RedactSecrets("-----begin rsa private key-----\nmiie\n-----end rsa private key-----"),
            "[REDACTED:private_key]");
  EXPECT_EQ(
      RedactSecrets("eyjhbgcioijiuzi1nij9.eyjzdwiioiixmjm0nty3odkwin0.dozjgnryp4j3jvmnhl0w5n"),
      "[REDACTED:jwt]");
  EXPECT_EQ(RedactSecrets("sk_live_4ec39hqlyjwdarjtt1zdp7dc"), "[REDACTED:stripe_key]");
}

TEST(RedactForms, LeavesOrdinaryCodeTextAlone) {
  for (const char* text : {
           "commit 3f786850e387550fdab836ed7e6dc881de23001b fixed the secret rotation",
           "aws s3 cp uses etag d41d8cd98f00b204e9800998ecf8427e and sha256 "
           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
           "request id 123e4567-e89b-12d3-a456-426614174000 for the aws call",
           "see https://github.com/org/repo/blob/main/src/a.cc#L10",
           "git@github.com:org/repo.git and ssh://git@github.com/org/repo",
           "mailto:bob@example.com, postgres://localhost:5432/shop",
           "npm_config_cache=/tmp/npm hf_hub_download(repo) sk_test AIzaSy",
           "const secretName = process.env.SECRET_NAME_PREFIX;",
           "src/engine/search_rank.cc: ExpandIdentifiers(useEffectHook2)",
           "akiaiosfodnnexamples is a word",
           "base64 aGVsbG8gd29ybGQgdGhpcyBpcyBhIHRlc3Q=",
       }) {
    EXPECT_EQ(RedactSecrets(text), text) << text;
  }
}

TEST(RedactForms, NewFormsAreIdempotent) {
  const std::string once = RedactSecrets(
      "postgres://u:pw1@h sk_live_4eC39HqLyjWDarjtT1zdp7dc AWS secret "
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  EXPECT_EQ(RedactSecrets(once), once);
  EXPECT_EQ(once.find("pw1"), std::string::npos);
}

TEST(RedactForms, RedactsJsonObjectKeys) {
  const Json in = Json::parse(
      R"({"ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789": "v", "ok": {"postgres://a:pw9@h": 1}})");
  const Json out = RedactSecrets(in);
  EXPECT_EQ(out.dump().find("ghp_"), std::string::npos) << out.dump();
  EXPECT_EQ(out.dump().find("pw9"), std::string::npos) << out.dump();
  EXPECT_EQ(out["[REDACTED:github_token]"], "v");
  EXPECT_EQ(out["ok"]["postgres://a:[REDACTED:url_password]@h"], 1);
}

}  // namespace
}  // namespace engram
