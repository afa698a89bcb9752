// `engram-bench locomo`: the LoCoMo retrieval benchmark (docs/RETRIEVAL.md,
// bench/README.md). Needs no database: every conversation goes into its own
// scratch store.
#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>

#include "bench/data_paths.h"
#include "bench/locomo.h"
#include "bench_cli/commands.h"
#include "cli/context.h"
#include "engram/embedder.h"

namespace engram::cli {
namespace {

Result<std::vector<int>> ParseKs(const std::string& text) {
  std::vector<int> ks;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      std::size_t used = 0;
      int k = std::stoi(item, &used);
      if (used != item.size() || k < 1 || k > 10000) throw std::invalid_argument(item);
      ks.push_back(k);
    } catch (const std::exception&) {
      return Status::InvalidArgument("--k takes positive integers separated by commas, got '" +
                                     text + "'");
    }
  }
  if (ks.empty()) return Status::InvalidArgument("--k is empty");
  return ks;
}

}  // namespace

void AddBenchLocomo(CLI::App& parent, Context& ctx) {
  struct Args {
    std::string data = bench::DefaultLocomoPath();
    std::string ks = "1,5,10,25,50";
    std::string mode = "bm25";
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd =
      parent.add_subcommand("locomo", "LoCoMo turn-level recall@k of note search (BM25 or hybrid)");
  cmd->add_option("--data", a->data, "LoCoMo JSON file")->capture_default_str();
  cmd->add_option("--k", a->ks, "Cut-offs, comma-separated")->capture_default_str();
  cmd->add_option("--mode", a->mode, "bm25, or hybrid (BM25 + USE Lite embeddings)")
      ->check(CLI::IsMember({"bm25", "hybrid"}))
      ->capture_default_str();
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    bench::LocomoOptions options;
    ENGRAM_ASSIGN_OR_RETURN(options.ks, ParseKs(a->ks));
    ENGRAM_ASSIGN_OR_RETURN(auto data, bench::LoadLocomo(a->data));
    std::unique_ptr<Embedder> embedder;
    if (a->mode == "hybrid") {
      ENGRAM_ASSIGN_OR_RETURN(embedder, OpenUseLiteEmbedder());
    }
    ENGRAM_ASSIGN_OR_RETURN(bench::LocomoReport report,
                            bench::RunLocomo(data, options, embedder.get()));
    Json j = bench::ToJson(report);
    j["data"] = a->data;
    c.Emit(j, [&](std::ostream& os) { os << bench::FormatReport(report); });
    return Status::Ok();
  });
}

}  // namespace engram::cli
