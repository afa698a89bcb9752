// Command group of the retrieval issue: `engram search|context|reindex`
// (search_cmd.cc).
//
// Ownership: src/cli/. Thread safety: one invocation, one thread.
#pragma once

namespace CLI {
class App;
}  // namespace CLI

namespace engram::cli {

class Context;

void AddSearchCommands(CLI::App& app, Context& ctx);

}  // namespace engram::cli
