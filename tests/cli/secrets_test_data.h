// Secret forms for the secret-redaction end-to-end test
// (secrets_grep_test.cc): each form as an agent would write it, and the
// distinctive parts that must never appear in a database file, its WAL or
// an export (also checked lower-cased: the full-text word tables
// lower-case what they index).
//
// Thread safety: immutable data.
#pragma once

#include <string>
#include <vector>

namespace engram::testing {

struct SecretForm {
  std::string name;
  std::string text;                  // the secret in a sentence, at most 256 bytes
  std::vector<std::string> needles;  // distinctive parts, grepped for
};

inline const std::vector<SecretForm>& SecretForms() {
  static const std::vector<SecretForm> forms = {
      {"pem_rsa_key",
       "key: -----BEGIN RSA PRIVATE "
       "KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu"
       "\n-----END RSA PRIVATE KEY-----",
       {"MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu"}},
      {"pgp_private_key",
       "-----BEGIN PGP PRIVATE KEY "
       "BLOCK-----\n\nlQOYBGT0PgpSecretBody7Qx2Vz9Lw4Nk\n=Zx9Q\n-----END "
       "PGP PRIVATE KEY BLOCK-----",
       {"lQOYBGT0PgpSecretBody7Qx2Vz9Lw4Nk"}},
      {"aws_keys_in_prose",
       "the AWS access key is AKIAIOSFODNN7EXAMPLE and its secret wJalrXUtnFEMI/K7MDENG/"
       "bPxRfiCYEXAMPLEKEY",
       {"IOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "bPxRfiCYEXAMPLEKEY"}},
      {"github_token",
       "push with ghp_R8x2Kq9ZtLmW4vN7pB3cJ6hY1sD5fG0aE2uI now",
       {"R8x2Kq9ZtLmW4vN7pB3cJ6hY1sD5fG0aE2uI"}},
      {"slack_token",
       "slack bot xoxb-2048-9081726354-Zq8WmN3kT5rV7yB1 posts",
       {"Zq8WmN3kT5rV7yB1"}},
      {"sk_api_key",
       "OPENAI_KEY sk-proj-Tq4Vx8Lm2Nz6Rb9Wc3Yd7Hf1Jk5 set",
       {"Tq4Vx8Lm2Nz6Rb9Wc3Yd7Hf1Jk5"}},
      {"stripe_live_key",
       "charge with sk_live_51MzQ8xKp3Rt7Vw2Yb6Nc9Df4Gh today",
       {"51MzQ8xKp3Rt7Vw2Yb6Nc9Df4Gh"}},
      {"jwt",
       "cookie eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtdXNlci00MiJ9."
       "Xk3mP9qL2vN8rT5wY1zB4cF7hJ0sD6gA sent",
       {"eyJzdWIiOiJzZWNyZXQtdXNlci00MiJ9", "Xk3mP9qL2vN8rT5wY1zB4cF7hJ0sD6gA"}},
      {"bearer_header",
       "curl -H 'X-Auth: Bearer Bx7Kq2Lm9Np4Rs6Tv8Wy3Za5Cd1Ef' api",
       {"Bx7Kq2Lm9Np4Rs6Tv8Wy3Za5Cd1Ef"}},
      {"postgres_url",
       "connect to postgres://shop:Pg7SecretPw42@db.internal:5432/shop",
       {"Pg7SecretPw42"}},
      {"password_assignment",
       "run with password=Hunter2Correct9Horse please",
       {"Hunter2Correct9Horse"}},
  };
  return forms;
}

// Secrets in the only shape a tag accepts ([a-z0-9][a-z0-9._:+#/-]*): the
// lower-cased forms that fit.
inline const std::vector<std::string>& TagSecrets() {
  static const std::vector<std::string> tags = {
      "akiaiosfodnn7example", "sk-proj-tq4vx8lm2nz6rb9wc3yd7hf1jk5",
      "xoxb-2048-9081726354-zq8wmn3kt5rv7yb1", "password:hunter2correct9horse"};
  return tags;
}

}  // namespace engram::testing
