// engram-bench: the benchmark commands (src/bench_cli/commands.h,
// docs/BENCH.md), on the same command-line machinery as `engram`.
#include <CLI/CLI.hpp>

#include "bench_cli/commands.h"
#include "cli/cli.h"

namespace {

void AddCommands(CLI::App& app, engram::cli::Context& ctx) {
  engram::cli::AddBenchLocomo(app, ctx);
  engram::cli::AddBenchScale(app, ctx);
  engram::cli::AddBenchContext(app, ctx);
  engram::cli::AddBenchPatterns(app, ctx);
  engram::cli::AddBenchAbstain(app, ctx);
  engram::cli::AddBenchWrites(app, ctx);
  engram::cli::AddBenchLessons(app, ctx);
}

}  // namespace

int main(int argc, char** argv) {
  engram::cli::Program bench;
  bench.name = "engram-bench";
  bench.description =
      "engram-bench: engram's retrieval, learning and write benchmarks (docs/BENCH.md).";
  bench.db_option = false;
  bench.add_commands = AddCommands;
  return engram::cli::RunProgram(bench, argc, argv);
}
