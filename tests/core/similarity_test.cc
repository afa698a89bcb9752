#include "core/similarity.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace engram {
namespace {

TEST(SimilarityTest, JaccardIsSharedOverUnion) {
  EXPECT_DOUBLE_EQ(Jaccard({"a", "b", "c"}, {"b", "c", "d"}), 2.0 / 4.0);
  EXPECT_DOUBLE_EQ(Jaccard({"a"}, {"a"}), 1.0);
  EXPECT_DOUBLE_EQ(Jaccard({"a"}, {"b"}), 0.0);
  EXPECT_DOUBLE_EQ(Jaccard({}, {}), 0.0);
  EXPECT_DOUBLE_EQ(Jaccard({"a"}, {}), 0.0);
}

TEST(SimilarityTest, CosineIgnoresLengthAndRejectsMismatches) {
  const std::vector<float> a{1, 0, 0};
  const std::vector<float> b{3, 0, 0};
  const std::vector<float> c{0, 2, 0};
  const std::vector<float> d{1, 1, 0};
  EXPECT_NEAR(CosineSimilarity(a, b), 1.0, 1e-12);
  EXPECT_NEAR(CosineSimilarity(a, c), 0.0, 1e-12);
  EXPECT_NEAR(CosineSimilarity(a, d), 1.0 / std::sqrt(2.0), 1e-9);
  const std::vector<float> shorter{1, 0};
  const std::vector<float> zero{0, 0, 0};
  EXPECT_EQ(CosineSimilarity(a, shorter), 0.0);
  EXPECT_EQ(CosineSimilarity(a, zero), 0.0);
  EXPECT_EQ(CosineSimilarity({}, {}), 0.0);
}

TEST(SimilarityTest, FixedPrintsTheAskedDecimals) {
  EXPECT_EQ(Fixed(0.4251, 2), "0.43");
  EXPECT_EQ(Fixed(0.4251, 3), "0.425");
  EXPECT_EQ(Fixed(2, 0), "2");
  EXPECT_EQ(Fixed(-1.5, 1), "-1.5");
  EXPECT_EQ(Fixed(1.0 / 3, 42), "0.333333333");  // clamped to 9
}

}  // namespace
}  // namespace engram
