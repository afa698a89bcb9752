// Command group of the learning insights: `engram clusters`, `engram audit`,
// `engram profiles` and `engram lesson promote` (insights_cmd.cc).
//
// Ownership: src/cli/. Thread safety: one invocation, one thread.
#pragma once

namespace CLI {
class App;
}  // namespace CLI

namespace engram::cli {

class Context;

// REQUIRES: AddLessonCommands ran first (promote joins `engram lesson`).
void AddInsightCommands(CLI::App& app, Context& ctx);

}  // namespace engram::cli
