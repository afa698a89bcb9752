// `engram bench abstain` (bench_abstain_cmd.cc), registered by bench_cmd.cc.
//
// Ownership: src/cli/. Thread safety: one invocation, one thread.
#pragma once

namespace CLI {
class App;
}  // namespace CLI

namespace engram::cli {

class Context;

void AddBenchAbstain(CLI::App& parent, Context& ctx);

}  // namespace engram::cli
