// `engram-bench context` on small data (src/bench/context_bench.h): the
// planted fixes reach the answers, decoys never pass for a fix.
#include "bench/context_bench.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace engram::bench {
namespace {

std::string Work(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("engram-context-bench-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

TEST(ContextBench, PlantedFixesAreToldAndDecoysAreNotFixes) {
  ContextBenchOptions o;
  o.families = 4;
  o.successes = 3;
  o.failures = 2;
  o.decoy_share = 1.0;  // every successful episode tries the decoy first
  o.work = Work("small");
  auto r = RunContextBench(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->queries, 4);
  EXPECT_EQ(r->episodes, 20);
  EXPECT_DOUBLE_EQ(r->fix_told, 1.0);
  EXPECT_DOUBLE_EQ(r->fix_in_summary, 1.0);
  EXPECT_DOUBLE_EQ(r->decoy_as_fix, 0.0);
  EXPECT_DOUBLE_EQ(r->decoy_warned, 1.0);
  EXPECT_GT(r->mean_summary_bytes, 0);
  const Json j = ToJson(*r);
  for (const char* key : {"fix_told", "first_fix_right", "heuristic_told", "reflection_told"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_NE(FormatReport(*r).find("fix_told"), std::string::npos);
  std::filesystem::remove_all(o.work);
}

TEST(ContextBench, BadOptionsAreNamed) {
  ContextBenchOptions o;
  o.work = Work("bad");
  o.families = 27;
  auto r = RunContextBench(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("families"), std::string::npos);
  o.families = 2;
  o.work.clear();
  EXPECT_FALSE(RunContextBench(o).ok());
}

}  // namespace
}  // namespace engram::bench
