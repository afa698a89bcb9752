// libFuzzer target: NDJSON framing (tests/fuzz/README.md). Each line of the
// input is one request to NdjsonServer over a shared store; every request
// must get exactly one reply of valid JSON, and nothing may crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz_engine.h"
#include "server/ndjson_server.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  engram::fuzz::FuzzEngine& fe = engram::fuzz::SharedEngine();
  const engram::server::NdjsonServer server(*fe.table);
  engram::fuzz::ForEachLine(data, size, [&](std::string_view line) {
    const std::optional<std::string> reply = server.HandleLine(line);
    if (!reply) {
      std::fprintf(stderr, "fuzz: an NDJSON request got no reply\n");
      abort();
    }
    engram::fuzz::CheckReply(*reply);
  });
  return 0;
}
