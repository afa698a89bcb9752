// `engram-bench scale`: retrieval at scale, sqlite-vec side by side
// (src/bench/scale_bench.h, bench/README.md). Needs no database: the stores
// are built in --work.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <sstream>
#include <string>

#include "bench/data_paths.h"
#include "bench/scale_bench.h"
#include "bench/sqlite_vec.h"
#include "bench_cli/commands.h"
#include "cli/context.h"

namespace engram::cli {

void AddBenchScale(CLI::App& parent, Context& ctx) {
  struct Args {
    bench::ScaleOptions o;
    std::string efs = "64,128,256,512";
  };
  auto a = std::make_shared<Args>();
  a->o.work = "/tmp/engram-scale";
  a->o.locomo = bench::DefaultLocomoPath();
  a->o.sqlite_vec = bench::DefaultSqliteVecPath();
  CLI::App* cmd = parent.add_subcommand(
      "scale", "Retrieval at scale: HNSW, exact, BM25, hybrid search, sqlite-vec, side by side");
  cmd->add_option("--n", a->o.n, "Synthetic 512-d vectors (0 = skip)")->capture_default_str();
  cmd->add_option("--real", a->o.real, "Real LoCoMo texts embedded with USE Lite (0 = skip)")
      ->capture_default_str();
  cmd->add_option("--queries", a->o.queries, "Timed queries per measurement")
      ->capture_default_str();
  cmd->add_option("--ef", a->efs, "HNSW ef_search values, comma-separated")->capture_default_str();
  cmd->add_option("--work", a->o.work, "Scratch directory (stores, vector cache)")
      ->capture_default_str();
  cmd->add_option("--locomo", a->o.locomo, "LoCoMo JSON (real texts and questions)")
      ->capture_default_str();
  cmd->add_option("--peers-data", a->o.peers_data,
                  "gen.py directory for the synthetic part (default /tmp/peers-data/n<N> if "
                  "present, else generated)");
  cmd->add_option("--sqlite-vec", a->o.sqlite_vec, "sqlite-vec extension (vec0.so)")
      ->capture_default_str();
  cmd->add_option("--sqlite-vec-queries", a->o.sqlite_vec_queries,
                  "Timed sqlite-vec queries (slow at 1M)")
      ->capture_default_str();
  cmd->add_option("--exact-queries", a->o.exact_queries,
                  "Timed exact scans when gt.i32 gives the truth")
      ->capture_default_str();
  cmd->add_option("--threads", a->o.threads, "HNSW build and embedding threads")
      ->capture_default_str();
  cmd->add_option("--efc", a->o.ef_construction,
                  "HNSW ef_construction of the built index (0 = the index default)")
      ->capture_default_str();
  cmd->add_flag("!--no-overlap", a->o.overlap_search,
                "Run BM25 and the ANN one after the other, not side by side (A/B runs)");
  cmd->add_flag("!--no-record-uses", a->o.record_uses,
                "Searches record no lesson use (A/B runs of use recording's cost)");
  cmd->add_option("--use-flush-items", a->o.use_flush_items,
                  "Distinct lessons per use-recording batch (0: the engine's default)")
      ->check(CLI::Range(0, 1000000));
  cmd->add_flag("--reuse", a->o.reuse,
                "Keep the stores of an earlier run in --work (an HNSW file too, if present)");
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    bench::ScaleOptions o = a->o;
    o.efs.clear();
    std::stringstream ss(a->efs);
    for (std::string item; std::getline(ss, item, ',');) {
      std::size_t used = 0;
      unsigned long ef = 0;
      try {
        ef = std::stoul(item, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != item.size() || ef < 10 || ef > 10000) {
        return Status::InvalidArgument(
            "--ef takes integers in 10..10000 separated by commas, got '" + a->efs + "'");
      }
      o.efs.push_back(ef);
    }
    if (o.efs.empty()) return Status::InvalidArgument("--ef is empty");
    o.progress = !c.json() && ::isatty(STDERR_FILENO) == 1;
    ENGRAM_ASSIGN_OR_RETURN(Json report, bench::RunScaleBench(o));
    c.Emit(report, [&](std::ostream& os) { os << bench::FormatScaleReport(report); });
    return Status::Ok();
  });
}

}  // namespace engram::cli
