// Data and helpers of `engram-bench scale` (src/bench/scale_data.h,
// scale_util.h, table_embedder.h).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "bench/data_paths.h"
#include "bench/scale_data.h"
#include "bench/scale_util.h"
#include "bench/table_embedder.h"

namespace engram::bench {
namespace {

std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("engram-scale-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

TEST(ScaleUtil, NearestRankPercentiles) {
  std::vector<double> v;
  for (int i = 100; i >= 1; --i) v.push_back(i);
  EXPECT_EQ(Percentile(v, 0.5), 50);
  EXPECT_EQ(Percentile(v, 0.99), 99);
  EXPECT_EQ(Percentile(v, 1.0), 100);
  EXPECT_EQ(Percentile({}, 0.5), 0);
  LatencySummary s = Summarize({1, 2, 3, 10});
  EXPECT_EQ(s.p50_ms, 2);
  EXPECT_EQ(s.p99_ms, 10);
  EXPECT_DOUBLE_EQ(s.mean_ms, 4);
  EXPECT_EQ(s.count, 4u);
}

TEST(ScaleUtil, ReadsOwnResidentMemory) {
  EXPECT_GT(ProcKb("VmRSS"), 0);
  EXPECT_EQ(ProcKb("NoSuchField"), -1);
}

TEST(SyntheticText, IsDeterministicAndZipfian) {
  SyntheticText a, b;
  EXPECT_EQ(a.Document(12345), b.Document(12345));
  EXPECT_NE(a.Document(1), a.Document(2));
  std::istringstream words(a.Document(7));
  int count = 0;
  for (std::string w; words >> w;) {
    EXPECT_EQ(w[0], 'w');
    ++count;
  }
  EXPECT_EQ(count, 16);
  // Rank 0 ("wa") is by far the most frequent word.
  int rank0 = 0, rank1000 = 0;
  for (std::size_t row = 0; row < 2000; ++row) {
    for (std::size_t r : a.DocumentRanks(row)) {
      rank0 += r == 0;
      rank1000 += r == 1000;
    }
  }
  EXPECT_GT(rank0, 50 * std::max(1, rank1000));
  EXPECT_EQ(SyntheticText::Word(0), "wa");
  EXPECT_EQ(SyntheticText::Word(27), "wbb");
}

TEST(SyntheticText, QueryHoldsTheNeighboursRarestWords) {
  SyntheticText t;
  auto ranks = t.DocumentRanks(99);
  std::sort(ranks.begin(), ranks.end(), std::greater<>());
  const std::string q = t.Query(3, 99);
  EXPECT_EQ(q.rfind(SyntheticText::Word(ranks[0]) + " " + SyntheticText::Word(ranks[1]) + " ", 0),
            0u)
      << q;
  EXPECT_EQ(q, t.Query(3, 99));
}

TEST(GenerateClustered, UnitVectorsDeterministicShape) {
  ClusteredOptions o;
  o.n = 400;
  o.queries = 10;
  o.dim = 32;
  VectorData a = GenerateClustered(o), b = GenerateClustered(o);
  ASSERT_EQ(a.base.rows, 400u);
  ASSERT_EQ(a.queries.rows, 10u);
  EXPECT_EQ(a.base.data, b.base.data);
  EXPECT_TRUE(a.truth.empty());
  for (std::size_t i = 0; i < a.base.rows; ++i) {
    double s = 0;
    for (float x : a.base.Row(i)) s += double(x) * x;
    EXPECT_NEAR(s, 1.0, 1e-4);
  }
}

TEST(LoadPeersData, ReadsGenPyFilesAndRejectsBadTruth) {
  const std::string dir = TempDir("peers");
  const std::size_t n = 20, d = 4, q = 2, k = 10;
  std::ofstream(dir + "/meta.json") << R"({"n": 20, "d": 4, "q": 2, "k": 10, "seed": 1})";
  std::vector<float> base(n * d, 0.5f), queries(q * d, 0.25f);
  std::vector<std::int32_t> gt(q * k);
  for (std::size_t i = 0; i < gt.size(); ++i) gt[i] = static_cast<std::int32_t>(i % n);
  auto write = [&](const std::string& name, const void* p, std::size_t bytes) {
    std::ofstream(dir + "/" + name, std::ios::binary)
        .write(static_cast<const char*>(p), static_cast<std::streamsize>(bytes));
  };
  write("base.f32", base.data(), base.size() * 4);
  write("queries.f32", queries.data(), queries.size() * 4);
  write("gt.i32", gt.data(), gt.size() * 4);
  auto data = LoadPeersData(dir);
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  EXPECT_EQ(data->base.rows, n);
  EXPECT_EQ(data->queries.Row(1)[3], 0.25f);
  EXPECT_EQ(data->truth[1][0], 10);

  gt[3] = 99;  // out of range
  write("gt.i32", gt.data(), gt.size() * 4);
  EXPECT_EQ(LoadPeersData(dir).status().code(), ErrorCode::kCorruption);
  write("base.f32", base.data(), 8);  // short
  EXPECT_EQ(LoadPeersData(dir).status().code(), ErrorCode::kCorruption);
  EXPECT_TRUE(LoadPeersData(dir + "/missing").status().IsNotFound());
  std::filesystem::remove_all(dir);
}

TEST(VectorCache, RoundTripsAndDetectsDamage) {
  const std::string dir = TempDir("cache");
  const std::string path = dir + "/v.vec";
  Matrix m{3, 4, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}};
  const std::uint64_t h = HashTexts({"a", "b", "c"});
  EXPECT_NE(h, HashTexts({"ab", "c", ""}));
  EXPECT_TRUE(LoadVectorCache(path, "m", h).status().IsNotFound());
  ASSERT_TRUE(SaveVectorCache(path, "m", h, m).ok());
  auto back = LoadVectorCache(path, "m", h);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->rows, 3u);
  EXPECT_EQ(back->data, m.data);
  EXPECT_EQ(LoadVectorCache(path, "other-model", h).status().code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(LoadVectorCache(path, "m", h + 1).status().code(), ErrorCode::kFailedPrecondition);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(60);
    f.put('\x7f');
  }
  EXPECT_EQ(LoadVectorCache(path, "m", h).status().code(), ErrorCode::kCorruption);
  std::ofstream(path, std::ios::binary) << "not a cache at all, clearly";
  EXPECT_EQ(LoadVectorCache(path, "m", h).status().code(), ErrorCode::kCorruption);
  std::filesystem::remove_all(dir);
}

TEST(RealTexts, TurnsThenDistinctPairs) {
  if (!std::filesystem::exists(DefaultLocomoPath())) GTEST_SKIP() << "no " << DefaultLocomoPath();
  auto texts = BuildRealTexts(DefaultLocomoPath(), 6000);
  ASSERT_TRUE(texts.ok()) << texts.status().ToString();
  ASSERT_EQ(texts->size(), 6000u);
  std::set<std::string> distinct;
  for (const auto& t : *texts) distinct.insert(t.text);
  EXPECT_EQ(distinct.size(), 6000u);
  EXPECT_EQ(texts->front().source.find('+'), std::string::npos);  // a single turn
  EXPECT_NE(texts->back().source.find('+'), std::string::npos);   // a pair
  EXPECT_NE(texts->back().text.find('\n'), std::string::npos);
  auto again = BuildRealTexts(DefaultLocomoPath(), 6000);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->back().text, texts->back().text);
  EXPECT_EQ(BuildRealTexts(DefaultLocomoPath(), 100000000).status().code(),
            ErrorCode::kFailedPrecondition);
  auto questions = LocomoQuestions(DefaultLocomoPath());
  ASSERT_TRUE(questions.ok());
  EXPECT_GT(questions->size(), 900u);
}

TEST(TableEmbedder, ServesTableThenInnerModel) {
  auto hashing = OpenHashingEmbedder({.dimension = 8});
  ASSERT_TRUE(hashing.ok());
  std::shared_ptr<const Embedder> inner = std::move(*hashing);
  TableEmbedder t(inner, "", 0);
  EXPECT_EQ(t.model_id(), inner->model_id());
  EXPECT_EQ(t.dimension(), 8);
  std::vector<float> fixed(8, 0.0f);
  fixed[0] = 1.0f;
  t.Put("known text", fixed);
  auto v = t.Embed("known text");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, fixed);
  EXPECT_EQ(t.inner_calls(), 0u);
  t.set_enabled(false);
  auto from_model = t.Embed("known text");
  ASSERT_TRUE(from_model.ok());
  EXPECT_EQ(*from_model, *inner->Embed("known text"));
  EXPECT_EQ(t.inner_calls(), 1u);

  TableEmbedder bare(nullptr, "synthetic", 8);
  bare.Put("q", fixed);
  EXPECT_TRUE(bare.Embed("q").ok());
  EXPECT_TRUE(bare.Embed("unknown").status().IsNotFound());
}

}  // namespace
}  // namespace engram::bench
