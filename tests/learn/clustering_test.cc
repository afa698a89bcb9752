// Pure clustering: average-link merges, thresholds, determinism, TF-IDF
// text vectors and labels.
#include "learn/clustering.h"

#include <gtest/gtest.h>

#include <cmath>

namespace engram::learn {
namespace {

SimilarityMatrix Matrix(std::vector<std::vector<float>> rows) {
  SimilarityMatrix m;
  m.n = rows.size();
  for (const auto& r : rows) m.values.insert(m.values.end(), r.begin(), r.end());
  return m;
}

TEST(ClusteringTest, AverageLinkMergesOnlyAboveTheThreshold) {
  // 0-1 close, 2-3 close, 4 alone.
  SimilarityMatrix m = Matrix({{1.0f, 0.9f, 0.1f, 0.1f, 0.0f},
                               {0.9f, 1.0f, 0.2f, 0.1f, 0.0f},
                               {0.1f, 0.2f, 1.0f, 0.8f, 0.1f},
                               {0.1f, 0.1f, 0.8f, 1.0f, 0.0f},
                               {0.0f, 0.0f, 0.1f, 0.0f, 1.0f}});
  auto c = AverageLinkClusters(m, 0.5);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0], (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(c[1], (std::vector<std::size_t>{2, 3}));
  EXPECT_EQ(c[2], (std::vector<std::size_t>{4}));
  EXPECT_EQ(AverageLinkClusters(m, 0.95).size(), 5u);
  EXPECT_EQ(AverageLinkClusters(m, -1.0).size(), 1u);
  EXPECT_NEAR(Cohesion(m, c[0]), 0.9, 1e-6);
  EXPECT_DOUBLE_EQ(Cohesion(m, c[2]), 1.0);
}

TEST(ClusteringTest, AverageLinkUsesTheMeanNotTheMaximum) {
  // 2 is very close to 0 but far from 1: average link with {0,1} is
  // (0.9 + 0.0) / 2 = 0.45 < 0.5, so it stays out (single link would merge).
  SimilarityMatrix m = Matrix({{1.0f, 0.95f, 0.9f}, {0.95f, 1.0f, 0.0f}, {0.9f, 0.0f, 1.0f}});
  auto c = AverageLinkClusters(m, 0.5);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0], (std::vector<std::size_t>{0, 1}));
}

TEST(ClusteringTest, TiesBreakByLowestIndex) {
  SimilarityMatrix m = Matrix({{1.0f, 0.6f, 0.6f}, {0.6f, 1.0f, 0.0f}, {0.6f, 0.0f, 1.0f}});
  auto c = AverageLinkClusters(m, 0.5);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0], (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(c[1], (std::vector<std::size_t>{2}));
}

TEST(ClusteringTest, CosineMatrixOfDenseVectors) {
  auto m = CosineMatrix({{1, 0}, {1, 1}, {0, 0}});
  EXPECT_NEAR(m.at(0, 1), 1 / std::sqrt(2.0), 1e-6);
  EXPECT_FLOAT_EQ(m.at(0, 0), 1.0f);
  EXPECT_FLOAT_EQ(m.at(0, 2), 0.0f);  // a zero vector is similar to nothing
}

TEST(ClusteringTest, TextVectorsAndLabelsPreferDistinctiveTerms) {
  std::vector<std::string> texts = {
      "XState actor model for the machine", "XState machine context bloat with actors",
      "Postgres index for slow queries", "Postgres vacuum and index bloat"};
  auto vectors = TextVectors(texts);
  EXPECT_EQ(vectors[0].count("the"), 0u);  // stop word
  EXPECT_EQ(vectors[0].count("xstate"), 1u);
  auto m = SparseCosineMatrix(vectors);
  EXPECT_GT(m.at(0, 1), m.at(0, 2));
  auto c = AverageLinkClusters(m, 0.1);
  ASSERT_EQ(c.size(), 2u);
  auto labels = LabelClusters(texts, c, 2);
  ASSERT_EQ(labels.size(), 2u);
  EXPECT_EQ(labels[0], (std::vector<std::string>{"machine", "xstate"}));
  EXPECT_EQ(labels[1], (std::vector<std::string>{"index", "postgres"}));
}

TEST(ClusteringTest, TextTermsKeepRepetitions) {
  auto t = TextTerms("cache the cache, Cache");
  EXPECT_EQ(t, (std::vector<std::string>{"cache", "cache", "cache"}));
}

}  // namespace
}  // namespace engram::learn
