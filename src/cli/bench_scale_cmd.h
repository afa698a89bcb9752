// `engram bench scale` (bench_scale_cmd.cc), `engram bench context`
// (bench_context_cmd.cc) and `engram bench patterns` (bench_patterns_cmd.cc),
// registered by bench_cmd.cc.
//
// Ownership: src/cli/. Thread safety: one invocation, one thread.
#pragma once

namespace CLI {
class App;
}  // namespace CLI

namespace engram::cli {

class Context;

void AddBenchScale(CLI::App& parent, Context& ctx);
void AddBenchContext(CLI::App& parent, Context& ctx);
void AddBenchPatterns(CLI::App& parent, Context& ctx);

}  // namespace engram::cli
