// Add / update / remove / metadata semantics, shared by every VectorIndex.
#include "engram/vector_index.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "test_vectors.h"

namespace engram {
namespace {

using testing_vectors::Clustered;
using testing_vectors::IdOf;

constexpr std::size_t kDim = 32;

std::unique_ptr<VectorIndex> MakeExact() { return NewExactIndex(kDim); }
std::unique_ptr<VectorIndex> MakeHnsw() {
  HnswOptions o;
  o.dimension = kDim;
  o.model_id = "test-model";
  o.initial_capacity = 4;  // exercise growth
  auto index = HnswIndex::Create(o);
  EXPECT_TRUE(index.ok()) << index.status().ToString();
  return std::move(index).value();
}

class VectorIndexTest : public ::testing::TestWithParam<std::unique_ptr<VectorIndex> (*)()> {
 protected:
  void SetUp() override {
    index_ = GetParam()();
    data_ = Clustered(200, kDim, 8, 7);
    for (std::size_t i = 0; i < data_.size(); ++i) {
      ASSERT_TRUE(index_->Add(IdOf(i), data_[i], ItemMeta{}).ok());
    }
  }
  std::string Top1(const std::vector<float>& q) {
    auto hits = index_->Search(q, 1);
    EXPECT_TRUE(hits.ok());
    return hits->empty() ? "" : hits->front().id;
  }
  std::unique_ptr<VectorIndex> index_;
  std::vector<std::vector<float>> data_;
};

TEST_P(VectorIndexTest, FindsEachStoredVectorAsItsOwnNearest) {
  EXPECT_EQ(index_->size(), 200u);
  for (std::size_t i = 0; i < data_.size(); i += 17) {
    auto hits = index_->Search(data_[i], 3);
    ASSERT_TRUE(hits.ok());
    ASSERT_EQ(hits->size(), 3u);
    EXPECT_EQ(hits->front().id, IdOf(i));
    EXPECT_NEAR(hits->front().score, 1.0f, 1e-5);
    EXPECT_GE((*hits)[0].score, (*hits)[1].score);
    EXPECT_GE((*hits)[1].score, (*hits)[2].score);
  }
}

TEST_P(VectorIndexTest, NormalisesVectorsOnTheWayIn) {
  std::vector<float> scaled = data_[5];
  for (float& x : scaled) x *= 40.0f;
  auto hits = index_->Search(scaled, 1);
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(hits->front().id, IdOf(5));
  EXPECT_NEAR(hits->front().score, 1.0f, 1e-5);
}

TEST_P(VectorIndexTest, RejectsBadInputWithoutChangingAnything) {
  std::vector<float> wrong_dim(kDim + 1, 1.0f), zero(kDim, 0.0f), nan(kDim, 1.0f);
  nan[3] = std::nanf("");
  EXPECT_TRUE(index_->Add("x", wrong_dim, {}).IsInvalidArgument());
  EXPECT_TRUE(index_->Add("x", zero, {}).IsInvalidArgument());
  EXPECT_TRUE(index_->Add("x", nan, {}).IsInvalidArgument());
  EXPECT_TRUE(index_->Add("", data_[0], {}).IsInvalidArgument());
  EXPECT_EQ(index_->Add(IdOf(3), data_[0], {}).code(), ErrorCode::kAlreadyExists);
  EXPECT_TRUE(index_->Search(wrong_dim, 5).status().IsInvalidArgument());
  EXPECT_TRUE(index_->Search(zero, 5).status().IsInvalidArgument());
  EXPECT_EQ(index_->size(), 200u);
  EXPECT_FALSE(index_->Contains("x"));
  EXPECT_EQ(Top1(data_[3]), IdOf(3));  // the refused duplicate did not overwrite it
}

TEST_P(VectorIndexTest, UpdateReplacesTheVectorAndMeta) {
  ItemMeta meta;
  meta.type = 3;
  meta.confidence = 0.9f;
  ASSERT_TRUE(index_->Update(IdOf(10), data_[150], meta).ok());
  EXPECT_EQ(index_->size(), 200u);
  auto hits = index_->Search(data_[150], 2);
  ASSERT_TRUE(hits.ok());
  std::vector<std::string> ids{(*hits)[0].id, (*hits)[1].id};
  EXPECT_NE(std::find(ids.begin(), ids.end(), IdOf(10)), ids.end());
  EXPECT_NE(Top1(data_[10]), IdOf(10));  // the old vector is gone
  EXPECT_EQ(index_->GetMeta(IdOf(10)).value(), meta);
  EXPECT_TRUE(index_->Update("missing", data_[0], meta).IsNotFound());
}

TEST_P(VectorIndexTest, GetVectorReturnsTheUnitVectorOfALiveItem) {
  auto unit = [](std::vector<float> v) {
    double n = 0;
    for (float x : v) n += double(x) * x;
    for (float& x : v) x = static_cast<float>(x / std::sqrt(n));
    return v;
  };
  auto near = [](const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (std::fabs(a[i] - b[i]) > 1e-5f) return false;
    }
    return true;
  };
  for (std::size_t i : {0u, 7u, 199u}) {
    auto got = index_->GetVector(IdOf(i));
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_TRUE(near(*got, unit(data_[i]))) << IdOf(i);
  }
  std::vector<float> scaled = data_[150];
  for (float& x : scaled) x *= 3.0f;
  ASSERT_TRUE(index_->Update(IdOf(10), scaled, ItemMeta{}).ok());
  EXPECT_TRUE(near(index_->GetVector(IdOf(10)).value(), unit(data_[150])));
  ASSERT_TRUE(index_->Remove(IdOf(11)).ok());
  EXPECT_TRUE(index_->GetVector(IdOf(11)).status().IsNotFound());
  EXPECT_TRUE(index_->GetVector("missing").status().IsNotFound());
  // A removed label's slot reused by a new item carries the new vector.
  ASSERT_TRUE(index_->Add("new", data_[42], ItemMeta{}).ok());
  EXPECT_TRUE(near(index_->GetVector("new").value(), unit(data_[42])));
}

TEST_P(VectorIndexTest, SetMetaChangesOnlyTheMeta) {
  ItemMeta meta;
  meta.deprecated = true;
  ASSERT_TRUE(index_->SetMeta(IdOf(4), meta).ok());
  EXPECT_TRUE(index_->GetMeta(IdOf(4))->deprecated);
  EXPECT_EQ(Top1(data_[4]), IdOf(4));
  EXPECT_TRUE(index_->SetMeta("missing", meta).IsNotFound());
  EXPECT_TRUE(index_->GetMeta("missing").status().IsNotFound());
}

TEST_P(VectorIndexTest, RemovedItemsNeverComeBack) {
  for (std::size_t i = 0; i < 200; i += 2) ASSERT_TRUE(index_->Remove(IdOf(i)).ok());
  EXPECT_EQ(index_->size(), 100u);
  EXPECT_TRUE(index_->Remove(IdOf(0)).IsNotFound());
  for (std::size_t i = 0; i < 200; i += 10) {
    auto hits = index_->Search(data_[i], 10);
    ASSERT_TRUE(hits.ok());
    ASSERT_EQ(hits->size(), 10u);
    for (const auto& h : *hits) EXPECT_TRUE(index_->Contains(h.id)) << h.id;
  }
  EXPECT_NE(Top1(data_[0]), IdOf(0));
  EXPECT_EQ(Top1(data_[1]), IdOf(1));
}

TEST_P(VectorIndexTest, ReAddedIdsMapToTheirNewVectors) {
  for (std::size_t i = 0; i < 50; ++i) ASSERT_TRUE(index_->Remove(IdOf(i)).ok());
  // Old ids come back with other vectors; new ids take the freed slots.
  for (std::size_t i = 0; i < 25; ++i) ASSERT_TRUE(index_->Add(IdOf(i), data_[199 - i], {}).ok());
  auto extra = Clustered(25, kDim, 3, 99);
  for (std::size_t i = 0; i < 25; ++i)
    ASSERT_TRUE(index_->Add("new-" + std::to_string(i), extra[i], {}).ok());
  EXPECT_EQ(index_->size(), 200u);
  for (std::size_t i = 0; i < 25; ++i) {
    auto hits = index_->Search(data_[199 - i], 2);
    ASSERT_TRUE(hits.ok());
    std::vector<std::string> ids{(*hits)[0].id, (*hits)[1].id};
    EXPECT_NE(std::find(ids.begin(), ids.end(), IdOf(i)), ids.end()) << i;
    EXPECT_EQ(Top1(extra[i]), "new-" + std::to_string(i));
  }
  for (std::size_t i = 25; i < 50; ++i) EXPECT_FALSE(index_->Contains(IdOf(i)));
}

TEST_P(VectorIndexTest, ReturnsEverythingWhenKExceedsTheSize) {
  auto hits = index_->Search(data_[0], 1000);
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(hits->size(), 200u);
  EXPECT_TRUE(index_->Search(data_[0], 0)->empty());
}

INSTANTIATE_TEST_SUITE_P(AllIndexes, VectorIndexTest, ::testing::Values(&MakeExact, &MakeHnsw),
                         [](const auto& info) { return info.index == 0 ? "Exact" : "Hnsw"; });

TEST(HnswIndexTest, GrowsCapacityAndReusesRemovedSlots) {
  HnswOptions o;
  o.dimension = kDim;
  o.model_id = "m";
  o.initial_capacity = 8;
  auto index = HnswIndex::Create(o).value();
  auto data = Clustered(100, kDim, 4, 3);
  for (std::size_t i = 0; i < 100; ++i) ASSERT_TRUE(index->Add(IdOf(i), data[i], {}).ok());
  const std::size_t cap = index->capacity();
  EXPECT_GE(cap, 100u);
  for (int round = 0; round < 5; ++round) {
    for (std::size_t i = 0; i < 100; ++i) ASSERT_TRUE(index->Remove(IdOf(i)).ok());
    for (std::size_t i = 0; i < 100; ++i) ASSERT_TRUE(index->Add(IdOf(i), data[99 - i], {}).ok());
  }
  EXPECT_EQ(index->capacity(), cap);  // churn reuses slots instead of growing
  EXPECT_EQ(index->Search(data[0], 1)->front().id, IdOf(99));
}

TEST(HnswIndexTest, RejectsBadOptions) {
  HnswOptions o;
  o.model_id = "m";
  o.dimension = 0;
  EXPECT_TRUE(HnswIndex::Create(o).status().IsInvalidArgument());
  o.dimension = 8;
  o.growth_factor = 1.0;
  EXPECT_TRUE(HnswIndex::Create(o).status().IsInvalidArgument());
  o.growth_factor = 2.0;
  for (const double share : {-0.1, std::nan("")}) {
    o.post_filter_share = share;
    EXPECT_TRUE(HnswIndex::Create(o).status().IsInvalidArgument()) << share;
  }
  o.post_filter_share = 0.9;
  o.model_id = "";
  EXPECT_TRUE(HnswIndex::Create(o).status().IsInvalidArgument());
}

TEST(HnswIndexTest, AddBatchIsAllOrNothingOnInvalidInput) {
  HnswOptions o;
  o.dimension = kDim;
  o.model_id = "m";
  auto index = HnswIndex::Create(o).value();
  auto data = Clustered(300, kDim, 4, 5);
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < data.size(); ++i) ids.push_back(IdOf(i));
  std::vector<ItemView> items;
  for (std::size_t i = 0; i < data.size(); ++i) items.push_back({ids[i], data[i], {}});
  std::vector<ItemView> dup = items;
  dup.push_back(items[7]);
  EXPECT_TRUE(index->AddBatch(dup, 2).IsInvalidArgument());
  EXPECT_EQ(index->size(), 0u);
  ASSERT_TRUE(index->AddBatch(items, 2).ok());
  EXPECT_EQ(index->size(), 300u);
  EXPECT_EQ(index->AddBatch(std::span(items).subspan(0, 1), 1).code(), ErrorCode::kAlreadyExists);
  for (std::size_t i = 0; i < data.size(); i += 13)
    EXPECT_EQ(index->Search(data[i], 1)->front().id, ids[i]);
}

TEST(HnswIndexTest, AddBatchWithZeroThreadsUsesEveryCoreAndMatchesExact) {
  HnswOptions o;
  o.dimension = kDim;
  o.model_id = "m";
  o.initial_capacity = 16;  // the batch grows the graph first
  auto index = HnswIndex::Create(o).value();
  auto exact = NewExactIndex(kDim);
  auto data = Clustered(2000, kDim, 20, 9);
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < data.size(); ++i) ids.push_back(IdOf(i));
  std::vector<ItemView> items;
  for (std::size_t i = 0; i < data.size(); ++i) {
    items.push_back({ids[i], data[i], {}});
    ASSERT_TRUE(exact->Add(ids[i], data[i], {}).ok());
  }
  ASSERT_TRUE(index->AddBatch(items, 0).ok());
  EXPECT_EQ(index->size(), data.size());
  double recall = 0;
  std::size_t queries = 0;
  for (std::size_t i = 0; i < data.size(); i += 40, ++queries) {
    auto got = index->Search(data[i], 10);
    auto want = exact->Search(data[i], 10);
    ASSERT_TRUE(got.ok() && want.ok());
    EXPECT_EQ(got->front().id, ids[i]);
    recall += testing_vectors::Overlap(*got, *want);
  }
  EXPECT_GE(recall / static_cast<double>(queries), 0.95);
}

TEST(ProjectHashTest, IsStableAndNonZero) {
  EXPECT_EQ(ProjectHash(""), 0u);
  EXPECT_NE(ProjectHash("engram"), 0u);
  EXPECT_EQ(ProjectHash("engram"), ProjectHash("engram"));
  EXPECT_NE(ProjectHash("engram"), ProjectHash("engram2"));
  Lesson l;
  l.scope = LessonScope::kProject;
  l.project = "engram";
  l.deprecated = true;
  l.type = LessonType::kGotcha;
  const ItemMeta m = MetaOf(l);
  EXPECT_EQ(m.project_hash, ProjectHash("engram"));
  EXPECT_TRUE(m.deprecated);
  EXPECT_EQ(m.type, static_cast<std::uint8_t>(LessonType::kGotcha));
}

}  // namespace
}  // namespace engram
