// The hashing embedder: deterministic, unit length, and lexically sensible.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engram/embedder.h"

namespace engram {
namespace {

double Dot(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += static_cast<double>(a[i]) * b[i];
  return sum;
}

std::unique_ptr<Embedder> Open(int dimension = 512) {
  auto e = OpenHashingEmbedder({.dimension = dimension});
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return std::move(e).value();
}

TEST(HashingEmbedder, ModelIdAndDimension) {
  auto e = Open();
  EXPECT_EQ(e->model_id(), "hashing-v1-512");
  EXPECT_EQ(e->dimension(), 512);
  EXPECT_EQ(Open(64)->model_id(), "hashing-v1-64");
}

TEST(HashingEmbedder, RejectsBadDimension) {
  EXPECT_TRUE(OpenHashingEmbedder({.dimension = 0}).status().IsInvalidArgument());
  EXPECT_TRUE(OpenHashingEmbedder({.dimension = -3}).status().IsInvalidArgument());
  EXPECT_TRUE(OpenHashingEmbedder({.dimension = 65537}).status().IsInvalidArgument());
}

TEST(HashingEmbedder, DeterministicAcrossInstancesAndBatching) {
  const std::vector<std::string> texts = {"Await async setup in jest",
                                          "Use ninja for faster builds", "ümlaut wörds 123"};
  auto a = Open();
  auto b = Open();
  auto batch = a->EmbedBatch(texts);
  ASSERT_TRUE(batch.ok());
  ASSERT_EQ(batch->size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto single = b->Embed(texts[i]);
    ASSERT_TRUE(single.ok());
    EXPECT_EQ(*single, (*batch)[i]) << texts[i];
  }
  // Pinned values: the hash must not change between builds or platforms,
  // or stored hashing embeddings would silently stop matching.
  auto pinned = Open(8)->Embed("hello world");
  ASSERT_TRUE(pinned.ok());
  const std::vector<float> expected = {0.0f,       0.0f, -0.267261f, 0.534522f,
                                       -0.534522f, 0.0f, -0.534522f, 0.267261f};
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR((*pinned)[i], expected[i], 1e-6);
  std::vector<float> again = *Open(8)->Embed("Hello,   WORLD!");
  EXPECT_EQ(*pinned, again) << "case and punctuation are ignored";
}

TEST(HashingEmbedder, UnitLengthAndZeroForNoWords) {
  auto e = Open();
  for (const std::string text : {"x", "A longer sentence about SQLite WAL mode", "a b a b a b"}) {
    auto v = e->Embed(text);
    ASSERT_TRUE(v.ok());
    ASSERT_EQ(v->size(), 512u);
    EXPECT_NEAR(Dot(*v, *v), 1.0, 1e-5) << text;
  }
  auto empty = e->Embed("  ... !! ");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(Dot(*empty, *empty), 0.0);
}

TEST(HashingEmbedder, SimilarTextsAreCloserThanUnrelated) {
  auto e = Open();
  auto a = *e->Embed("Always await async setup in jest beforeEach hooks");
  auto b = *e->Embed("await the async setup inside jest beforeEach");
  auto c = *e->Embed("Vacuum the SQLite database after bulk deletes");
  EXPECT_GT(Dot(a, b), 0.5);
  EXPECT_LT(std::abs(Dot(a, c)), 0.2);
  EXPECT_GT(Dot(a, b), Dot(a, c) + 0.3);
  // Trigrams make inflections close even without shared words.
  auto d = *e->Embed("configuring");
  auto f = *e->Embed("configured");
  auto g = *e->Embed("pancake");
  EXPECT_GT(Dot(d, f), Dot(d, g) + 0.2);
}

}  // namespace
}  // namespace engram
