// engram-bench (src/bench_cli/) run as a program, and the product `engram`
// without any benchmark command.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_fixture.h"

namespace engram::testing {
namespace {

class BenchCliTest : public CliTest {
 protected:
  // `engram-bench args...`
  RunResult Bench(const std::vector<std::string>& args) {
    RunOptions options = BaseOptions();
    options.binary = ENGRAM_BENCH_BINARY;
    return RunEngram(args, options);
  }
};

TEST_F(BenchCliTest, WritesStoresEveryLessonOfBothPhases) {
  const std::string work = dir_.File("writes");
  RunResult run =
      Bench({"writes", "--n", "12", "--batch", "5", "--bm25", "--work", work, "--json"});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  Json report = run.json();
  EXPECT_EQ(report["n"], 12);
  EXPECT_EQ(report["embedder"], "none");
  EXPECT_GT(report["single"]["lessons_per_s"].get<double>(), 0);
  EXPECT_GT(report["batched"]["lessons_per_s"].get<double>(), 0);
  RunResult listed = RunEngram(
      {"--db", work + "/writes.db", "--json", "lesson", "list", "--limit", "100"}, BaseOptions());
  ASSERT_EQ(listed.exit_code, kExitOk) << listed.err;
  EXPECT_EQ(listed.json().size(), 24u) << "12 single + 12 batched, nothing merged or lost";
}

TEST_F(BenchCliTest, OffersEveryBenchmarkAndNoDatabaseOption) {
  RunResult help = Bench({"--help"});
  ASSERT_EQ(help.exit_code, kExitOk) << help.err;
  for (const char* command :
       {"locomo", "scale", "context", "patterns", "abstain", "writes", "lessons"}) {
    EXPECT_NE(help.out.find(command), std::string::npos) << command << " missing:\n" << help.out;
  }
  EXPECT_EQ(help.out.find("--db"), std::string::npos) << help.out;
  RunResult unknown = Bench({"frob"});
  EXPECT_EQ(unknown.exit_code, kExitUsage);
  EXPECT_NE(unknown.err.find("unknown command 'frob' for 'engram-bench'"), std::string::npos)
      << unknown.err;
}

TEST_F(BenchCliTest, LessonsRunsOnTheProjectsOwnHeldOutCorpus) {
  // bench/data/devlessons-*: 80 lessons written for this project; keyword
  // only here (the hybrid run is the benchmark's, bench/README.md).
  RunOptions options = BaseOptions();
  options.binary = ENGRAM_BENCH_BINARY;
  options.env.emplace_back("ENGRAM_EMBEDDER", "none");
  RunResult run =
      RunEngram({"--json", "lessons", "--data", std::string(ENGRAM_SOURCE_DIR) + "/bench/data",
                 "--prefix", "devlessons", "--work", dir_.File("lessons")},
                options);
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  Json report = run.json();
  EXPECT_EQ(report["lessons"], 80);
  EXPECT_EQ(report["bm25"]["queries"], 80);
  EXPECT_EQ(report["engine"]["r1"], report["bm25"]["r1"]) << "no embedder: the engine is BM25";
  EXPECT_GT(report["bm25"]["r5"].get<double>(), 50.0);
  RunResult missing = Bench({"lessons", "--data", dir_.File("nothing"), "--work", dir_.File("l2")});
  EXPECT_NE(missing.exit_code, kExitOk);
  EXPECT_NE(missing.err.find("jstest-lessons.jsonl"), std::string::npos) << missing.err;
}

TEST_F(BenchCliTest, PatternsRunsWithTheSameFlagsAsBefore) {
  RunResult run = Bench({"--json", "patterns", "--episodes", "200", "--seed", "3"});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_TRUE(run.json().is_object()) << run.out;
}

TEST_F(BenchCliTest, TheProductBinaryHasNoBenchCommand) {
  RunResult run = Engram({"bench", "writes", "--n", "1"});
  EXPECT_EQ(run.exit_code, kExitUsage);
  EXPECT_NE(run.err.find("unknown command 'bench' for 'engram'"), std::string::npos) << run.err;
  RunResult help = Engram({"--help"});
  ASSERT_EQ(help.exit_code, kExitOk);
  EXPECT_EQ(help.out.find("bench"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace engram::testing
