// redact_bench: cost of secret redaction (include/engram/redact.h), which
// runs on every write (docs/ARCHITECTURE.md, "Secret redaction").
//
// Usage: redact_bench [--mib 16]
// Prints, per input kind, throughput in MB/s and the cost per KB of text:
// code-like step output without secrets (the common case), prose, a
// base64-heavy log (long alphanumeric runs: the AWS secret scanner's worst
// case) and text dense with secrets (one every ~200 bytes).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "engram/redact.h"

namespace {

std::string Repeat(const std::string& unit, std::size_t bytes) {
  std::string out;
  out.reserve(bytes + unit.size());
  while (out.size() < bytes) out += unit;
  return out;
}

struct Input {
  const char* name;
  std::string text;
};

}  // namespace

int main(int argc, char** argv) {
  std::size_t mib = 16;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--mib") == 0) mib = std::strtoul(argv[i + 1], nullptr, 10);
  }
  const std::size_t chunk = 4 * 1024;  // one step output / lesson content
  const std::vector<Input> inputs = {
      {"code output", Repeat("src/engine/search.cc:120:5: error: 'useEffect' was not declared in "
                             "this scope; did you mean 'useState'? [-Werror=unused]\n  const "
                             "token = await client.connect(config.url);\n",
                             chunk)},
      {"prose", Repeat("Await the promise in beforeEach so jest does not run the test before the "
                       "connection is ready; unawaited setup makes tests flaky. ",
                       chunk)},
      {"base64 log", Repeat("blob aGVsbG8gd29ybGQgdGhpcyBpcyBhIHRlc3QgYmxvYiBvZiBiYXNlNjQgZGF0YQ== "
                            "sha 3f786850e387550fdab836ed7e6dc881de23001b\n",
                            chunk)},
      {"dense secrets", Repeat("export GITHUB_TOKEN=ghp_R8x2Kq9ZtLmW4vN7pB3cJ6hY1sD5fG0aE2uI; "
                               "psql postgres://shop:Pg7SecretPw42@db:5432/shop; aws key "
                               "AKIAIOSFODNN7EXAMPLE\n",
                               chunk)},
  };
  std::printf("%-14s %10s %12s %10s\n", "input", "MB/s", "us per KB", "changed");
  for (const Input& in : inputs) {
    const std::size_t rounds = std::max<std::size_t>(1, mib * 1024 * 1024 / in.text.size());
    std::size_t changed = 0;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t r = 0; r < rounds; ++r) {
      const std::string out = engram::RedactSecrets(in.text);
      changed += out.size() != in.text.size() ? 1 : 0;
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double bytes = static_cast<double>(rounds * in.text.size());
    std::printf("%-14s %10.1f %12.3f %10s\n", in.name, bytes / secs / 1e6,
                secs * 1e6 / (bytes / 1024.0), changed > 0 ? "yes" : "no");
  }
  return 0;
}
