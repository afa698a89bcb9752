// `engram-bench scale` end to end on small data (src/bench/scale_bench.h,
// sqlite_vec.h): every measurement is present and consistent.
#include <gtest/gtest.h>

#include <filesystem>

#include "bench/data_paths.h"
#include "bench/scale_bench.h"
#include "bench/sqlite_vec.h"

namespace engram::bench {
namespace {

std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("engram-scale-bench-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

TEST(SqliteVec, MissingExtensionIsReportedNotFailed) {
  SqliteVecOptions o;
  o.extension_path = "/nonexistent/vec0.so";
  o.db_path = TempDir("sv-missing") + "/x.db";
  Matrix m{1, 2, {1, 0}};
  auto run = RunSqliteVec(o, m, m, {});
  ASSERT_TRUE(run.ok());
  EXPECT_FALSE(run->ran);
  EXPECT_NE(run->skipped.find("/nonexistent/vec0.so"), std::string::npos);
}

TEST(SqliteVec, ExactKnnAgreesWithTruth) {
  if (!std::filesystem::exists(DefaultSqliteVecPath())) {
    GTEST_SKIP() << "sqlite-vec not installed at " << DefaultSqliteVecPath();
  }
  // 12 unit vectors on a circle in 2-d; query = vector 0 -> neighbours by angle.
  Matrix base{12, 2, {}};
  for (int i = 0; i < 12; ++i) {
    base.data.push_back(static_cast<float>(std::cos(i * 0.2)));
    base.data.push_back(static_cast<float>(std::sin(i * 0.2)));
  }
  Matrix q{1, 2, {1, 0}};
  std::vector<std::vector<std::int32_t>> truth = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}};
  SqliteVecOptions o;
  o.db_path = TempDir("sv") + "/x.db";
  o.queries = 1;
  auto run = RunSqliteVec(o, base, q, truth);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  ASSERT_TRUE(run->ran) << run->skipped;
  EXPECT_DOUBLE_EQ(run->recall_at_10, 1.0);
  ASSERT_EQ(run->results.size(), 1u);
  EXPECT_EQ(run->results[0].front(), 0);
  EXPECT_EQ(run->results[0].back(), 9);
  EXPECT_NE(run->version.find("sqlite-vec"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(o.db_path));
}

TEST(ScaleBench, RejectsBadOptions) {
  ScaleOptions o;
  EXPECT_EQ(RunScaleBench(o).status().code(), ErrorCode::kInvalidArgument);  // no --work
  o.work = TempDir("bad");
  o.n = 0;
  o.real = 0;
  EXPECT_EQ(RunScaleBench(o).status().code(), ErrorCode::kInvalidArgument);
  o.n = 50;
  EXPECT_EQ(RunScaleBench(o).status().code(), ErrorCode::kInvalidArgument);
}

TEST(ScaleBench, SmallSyntheticAndRealRun) {
  const std::string locomo = DefaultLocomoPath();
  ScaleOptions o;
  o.work = TempDir("run");
  o.n = 600;
  o.real = std::filesystem::exists(locomo) ? 400 : 0;
  o.locomo = locomo;
  o.queries = 25;
  o.efs = {32, 64};
  o.sqlite_vec_queries = 5;
  o.peers_data = "";  // /tmp/peers-data/n600 does not exist: generated
  auto hashing = OpenHashingEmbedder({.dimension = 64});
  ASSERT_TRUE(hashing.ok());
  o.embedder = std::move(*hashing);
  auto report = RunScaleBench(o);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const Json& s = (*report)["synthetic"];
  EXPECT_EQ(s["n"], 600);
  EXPECT_EQ(s["exact"]["truth"], "exact scan");
  ASSERT_EQ(s["hnsw"]["search"].size(), 2u);
  EXPECT_GE(s["hnsw"]["search"][1]["recall_at_10"].get<double>(), 0.9);
  EXPECT_EQ(s["retrieval"]["queries"], 25);
  EXPECT_GT(s["retrieval"]["mean_candidates"].get<double>(), 0);
  EXPECT_EQ(s["retrieval_cold"]["queries"], 25);
  // The timed Engine was warmed first: its index was loaded from the file.
  EXPECT_TRUE(s["engine_warm_up"]["vector_index_loaded"].get<bool>());
  EXPECT_GE(s["engine_warm_up"]["seconds"].get<double>(), 0);
  // It started with the store and index files dropped from the OS page
  // cache, and its last stage read the store pages searches read.
  EXPECT_TRUE(s["engine_warm_up"]["files_dropped_from_page_cache"].get<bool>());
  EXPECT_GT(s["engine_warm_up"]["page_mb"].get<double>(), 0);
  EXPECT_GT(s["bm25"]["p50_ms"].get<double>(), 0);
  EXPECT_GT(s["hnsw"]["index_bytes"].get<double>(), 0);
  EXPECT_FALSE(s.contains("end_to_end"));  // synthetic vectors have no model
  if (s["sqlite_vec"].contains("latency")) {
    EXPECT_DOUBLE_EQ(s["sqlite_vec"]["recall_at_10"].get<double>(), 1.0);
    EXPECT_GT(s["ratios"]["sqlite_vec_over_retrieval"].get<double>(), 0);
  } else {
    EXPECT_NE(s["sqlite_vec"]["skipped"].get<std::string>().find("vec0.so"), std::string::npos);
  }
  if (o.real > 0) {
    const Json& r = (*report)["real"];
    EXPECT_EQ(r["n"], 400);
    EXPECT_FALSE(r["embedding"]["from_cache"].get<bool>());
    EXPECT_EQ(r["end_to_end"]["queries"], 25);
    EXPECT_EQ(r["model_id"], "hashing-v1-64");
    // Second run: vectors come from the cache.
    o.n = 0;
    auto again = RunScaleBench(o);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_TRUE((*again)["real"]["embedding"]["from_cache"].get<bool>());
  }
  EXPECT_FALSE(FormatScaleReport(*report).empty());
  std::filesystem::remove_all(o.work);
}

TEST(ScaleBench, ReuseKeepsTheStoresOfAnEarlierRun) {
  ScaleOptions o;
  o.work = TempDir("reuse");
  o.n = 200;
  o.real = 0;
  o.queries = 10;
  o.efs = {64};
  o.sqlite_vec_queries = 0;  // skipped
  o.peers_data = "";
  // Uses written at shutdown are newer than the saved index file, and the
  // next run's first searches correct the index from the store (and save
  // it): not what this test is about.
  o.record_uses = false;
  auto first = RunScaleBench(o);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ((*first)["synthetic"]["sqlite_vec"]["skipped"], "--sqlite-vec-queries 0");
  const std::string db = o.work + "/synthetic.db";
  const auto built = std::filesystem::last_write_time(db + ".lessons.hnsw");

  o.reuse = true;
  auto again = RunScaleBench(o);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  const Json& s = (*again)["synthetic"];
  EXPECT_EQ(s["store"]["reused"], db);
  EXPECT_FALSE(s["hnsw"].contains("build_s"));
  EXPECT_EQ(std::filesystem::last_write_time(db + ".lessons.hnsw"), built);
  // Rows were mapped back to their lessons: recall is measured as before.
  EXPECT_DOUBLE_EQ(s["hnsw"]["search"][0]["recall_at_10"].get<double>(),
                   (*first)["synthetic"]["hnsw"]["search"][0]["recall_at_10"].get<double>());
  EXPECT_EQ(s["retrieval"]["queries"], 10);
  EXPECT_NE(FormatScaleReport(*again).find("reused"), std::string::npos);

  // Without its HNSW file the kept store's index is rebuilt and timed, with
  // the recall of the first build (same vectors, same metadata).
  std::filesystem::remove(db + ".lessons.hnsw");
  auto rebuilt = RunScaleBench(o);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().ToString();
  const Json& r = (*rebuilt)["synthetic"];
  EXPECT_EQ(r["store"]["reused"], db);
  EXPECT_TRUE(r["hnsw"].contains("build_s"));
  EXPECT_TRUE(std::filesystem::exists(db + ".lessons.hnsw"));
  EXPECT_NEAR(r["hnsw"]["search"][0]["recall_at_10"].get<double>(),
              (*first)["synthetic"]["hnsw"]["search"][0]["recall_at_10"].get<double>(), 0.05);

  // A store of another N is refused, not silently measured.
  o.n = 300;
  auto other = RunScaleBench(o);
  EXPECT_EQ(other.status().code(), ErrorCode::kFailedPrecondition) << other.status().ToString();
  std::filesystem::remove_all(o.work);
}

}  // namespace
}  // namespace engram::bench
