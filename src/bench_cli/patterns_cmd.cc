// `engram-bench patterns`: precision and recall of mined error-recovery
// patterns and learned heuristics on seeded synthetic episodes with planted
// patterns (src/bench/pattern_bench.h, bench/README.md). Needs no database.
#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>

#include "bench/pattern_bench.h"
#include "bench_cli/commands.h"
#include "cli/context.h"

namespace engram::cli {

void AddBenchPatterns(CLI::App& parent, Context& ctx) {
  auto o = std::make_shared<bench::PatternBenchOptions>();
  o->corpus.episodes = 1000;
  CLI::App* cmd = parent.add_subcommand(
      "patterns", "Precision/recall of mined patterns and heuristics on synthetic episodes");
  cmd->add_option("--seed", o->corpus.seed, "Generator seed")->capture_default_str();
  cmd->add_option("--episodes", o->corpus.episodes, "Episodes generated")
      ->check(CLI::Range(10, 100000))
      ->capture_default_str();
  cmd->add_option("--flip-rate", o->corpus.flip_rate, "Outcomes flipped at random")
      ->check(CLI::Range(0.0, 0.5))
      ->capture_default_str();
  cmd->add_option("--purity", o->purity,
                  "Share of a rule's episodes that must carry the planted item")
      ->check(CLI::Range(0.5, 1.0))
      ->capture_default_str();
  cmd->add_option("--coverage", o->coverage,
                  "Share of an item's episodes one rule must cover to recall it")
      ->check(CLI::Range(0.1, 1.0))
      ->capture_default_str();
  OnRun(cmd, ctx, [o](Context& c) -> Status {
    const bench::PatternBenchReport report = bench::RunPatternBench(*o);
    c.Emit(bench::ToJson(report), [&](std::ostream& os) { os << bench::FormatReport(report); });
    return Status::Ok();
  });
}

}  // namespace engram::cli
