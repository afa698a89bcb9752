// `engram-bench abstain`: in-domain R@1/R@5/MRR with and without the
// absolute-relevance threshold, and the share of out-of-domain questions
// answered with nothing (src/bench/abstain_bench.h). The lessons go into a
// scratch store (--work); the embedder is the configured one
// (ENGRAM_EMBEDDER; =none or --bm25 for BM25 only).
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "bench/abstain_bench.h"
#include "bench/data_paths.h"
#include "bench_cli/commands.h"
#include "cli/context.h"

namespace engram::cli {

void AddBenchAbstain(CLI::App& parent, Context& ctx) {
  struct Args {
    std::string data = bench::DefaultBenchDataDir();
    std::string prefix = "jstest";
    std::string locomo = bench::DefaultLocomoPath();
    std::string work = "/tmp/engram-abstain";
    int ood = 100;
    bool bm25 = false;
    bool situations = false;
    bench::AbstainOptions o;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand(
      "abstain",
      "In-domain recall with and without the relevance threshold, out-of-domain abstention");
  cmd->add_option("--data", a->data, "Directory of <prefix>-lessons.jsonl and -queries.jsonl")
      ->capture_default_str();
  cmd->add_option("--prefix", a->prefix, "Data set prefix")->capture_default_str();
  cmd->add_option("--locomo", a->locomo, "LoCoMo JSON: its first --ood questions are asked")
      ->capture_default_str();
  cmd->add_option("--ood", a->ood, "Out-of-domain questions")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  cmd->add_option("--limit", a->o.limit, "In-domain results per query")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd->add_option("--min-relevance", a->o.min_relevance, "Threshold (default: the calibrated one)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--work", a->work, "Scratch directory (its store is replaced)")
      ->capture_default_str();
  cmd->add_flag("--bm25", a->bm25, "Keyword search only (no embedder)");
  cmd->add_flag("--situations", a->situations,
                "Give the lessons the situations of <prefix>-situations.jsonl first");
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(bench::AbstainData data,
                            bench::LoadAbstainData(a->data, a->prefix, a->locomo, a->ood));
    if (a->situations) {
      ENGRAM_ASSIGN_OR_RETURN(a->o.situations, bench::LoadSituations(a->data, a->prefix));
      if (a->o.situations.empty()) {
        return Status::InvalidArgument("--situations: no " + a->data + "/" + a->prefix +
                                       "-situations.jsonl");
      }
    }
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, OpenScratchEngine(c, a->work, "abstain.db", a->bm25));
    ENGRAM_ASSIGN_OR_RETURN(bench::AbstainReport report, bench::RunAbstain(*engine, data, a->o));
    Json j = bench::ToJson(report);
    j["data"] = a->data;
    j["prefix"] = a->prefix;
    j["locomo"] = a->locomo;
    c.Emit(j, [&](std::ostream& os) { os << bench::FormatReport(report); });
    return Status::Ok();
  });
}

}  // namespace engram::cli
