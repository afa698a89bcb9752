// Command groups of the retrieval issue: `engram search|context|reindex`
// (search_cmd.cc), `engram bench locomo` (bench_cmd.cc) and
// `engram bench writes` (bench_writes_cmd.cc, registered by bench_cmd.cc).
//
// Ownership: src/cli/. Thread safety: one invocation, one thread.
#pragma once

namespace CLI {
class App;
}  // namespace CLI

namespace engram::cli {

class Context;

void AddSearchCommands(CLI::App& app, Context& ctx);
void AddBenchCommands(CLI::App& app, Context& ctx);
void AddBenchWrites(CLI::App& parent, Context& ctx);

}  // namespace engram::cli
