// `engram-bench lessons`: symptom -> lesson retrieval, R@1/R@5/MRR of the
// engine, BM25 only and the embedder only in one run
// (src/bench/lessons_bench.h). The lessons go into two scratch stores under
// --work; the embedder is the configured one (ENGRAM_EMBEDDER).
#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <string>

#include "bench/data_paths.h"
#include "bench/lessons_bench.h"
#include "bench_cli/commands.h"
#include "cli/context.h"

namespace engram::cli {

void AddBenchLessons(CLI::App& parent, Context& ctx) {
  struct Args {
    std::string data = bench::DefaultBenchDataDir();
    std::string prefix = "jstest";
    std::string work = "/tmp/engram-lessons";
    bench::LessonsOptions o;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand(
      "lessons", "Symptom -> lesson retrieval: engine, BM25 only and dense only, R@1/R@5/MRR");
  cmd->add_option("--data", a->data, "Directory of <prefix>-lessons.jsonl and -queries.jsonl")
      ->capture_default_str();
  cmd->add_option("--prefix", a->prefix, "Data set prefix")->capture_default_str();
  cmd->add_option("--limit", a->o.limit, "Results per query")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd->add_option("--work", a->work, "Scratch directory (its stores are replaced)")
      ->capture_default_str();
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(bench::AbstainData data,
                            bench::LoadAbstainData(a->data, a->prefix, "", 0));
    ENGRAM_ASSIGN_OR_RETURN(a->o.situations, bench::LoadSituations(a->data, a->prefix));
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, OpenScratchEngine(c, a->work, "lessons.db", false));
    ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<Engine> keyword,
                            OpenScratchKeywordEngine(a->work, "lessons-bm25.db"));
    ENGRAM_ASSIGN_OR_RETURN(bench::LessonsReport report,
                            bench::RunLessons(*engine, *keyword, data, a->o));
    Json j = bench::ToJson(report);
    j["data"] = a->data;
    j["prefix"] = a->prefix;
    c.Emit(j, [&](std::ostream& os) { os << bench::FormatReport(report); });
    return Status::Ok();
  });
}

}  // namespace engram::cli
