// libFuzzer target: MCP framing (tests/fuzz/README.md). Each input is one
// session: a new McpServer over the shared store gets each line of the
// input; every reply must be valid JSON, and nothing may crash.
#include <cstddef>
#include <cstdint>

#include "fuzz_engine.h"
#include "server/mcp_server.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  engram::fuzz::FuzzEngine& fe = engram::fuzz::SharedEngine();
  engram::server::McpServer server(*fe.table, *fe.engine);
  engram::fuzz::ForEachLine(data, size, [&](std::string_view line) {
    if (const std::optional<std::string> reply = server.HandleLine(line)) {
      engram::fuzz::CheckReply(*reply);
    }
  });
  return 0;
}
