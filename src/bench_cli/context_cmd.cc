// `engram-bench context`: whether retrieve_context tells the planted fix
// (src/bench/context_bench.h, bench/README.md). Needs no database: the
// scratch store is built in --work.
#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>

#include "bench/context_bench.h"
#include "bench_cli/commands.h"
#include "cli/context.h"

namespace engram::cli {

void AddBenchContext(CLI::App& parent, Context& ctx) {
  auto o = std::make_shared<bench::ContextBenchOptions>();
  o->work = "/tmp/engram-context-bench";
  CLI::App* cmd = parent.add_subcommand(
      "context", "Share of retrieve_context answers that name the fix planted in similar episodes");
  cmd->add_option("--families", o->families, "Task families (1..26)")->capture_default_str();
  cmd->add_option("--successes", o->successes, "Episodes per family that apply the fix")
      ->capture_default_str();
  cmd->add_option("--failures", o->failures, "Episodes per family that try the decoy and fail")
      ->capture_default_str();
  cmd->add_option("--decoy-share", o->decoy_share,
                  "Share of successful episodes that try the decoy first")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Random seed")->capture_default_str();
  cmd->add_option("--work", o->work, "Scratch directory")->capture_default_str();
  OnRun(cmd, ctx, [o](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(bench::ContextBenchReport report, bench::RunContextBench(*o));
    c.Emit(bench::ToJson(report), [&](std::ostream& os) { os << bench::FormatReport(report); });
    return Status::Ok();
  });
}

}  // namespace engram::cli
