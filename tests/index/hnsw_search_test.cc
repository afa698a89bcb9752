// HnswIndex search quality: recall against the exact index, and filtered
// search that returns k correct results at any selectivity.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engram/vector_index.h"
#include "test_vectors.h"

namespace engram {
namespace {

using testing_vectors::Clustered;
using testing_vectors::IdOf;
using testing_vectors::Overlap;

constexpr std::size_t kDim = 64;
constexpr std::size_t kN = 4000;
constexpr std::size_t kQueries = 200;

// The options every index of this file starts from.
HnswOptions TestOptions() {
  HnswOptions o;
  o.dimension = kDim;
  o.model_id = "test";
  return o;
}

// One index pair shared by the tests of this file (building takes a moment).
struct Fixture {
  std::unique_ptr<HnswIndex> hnsw;
  std::unique_ptr<VectorIndex> exact;
  std::vector<std::vector<float>> queries;
};

const Fixture& Shared() {
  static const Fixture* f = [] {
    auto* fx = new Fixture;
    HnswOptions o = TestOptions();
    fx->hnsw = HnswIndex::Create(o).value();
    fx->exact = NewExactIndex(kDim);
    const auto data = Clustered(kN, kDim, 40, 11);
    for (std::size_t i = 0; i < kN; ++i) {
      ItemMeta m;
      m.type = static_cast<std::uint8_t>(i % 2);          // 50%
      m.scope = static_cast<std::uint8_t>(i % 100 == 0);  // 1%
      m.deprecated = i % 1000 == 0;                       // 0.1%
      m.project_hash = (i == 3 || i == 777 || i == 1500 || i == 2222 || i == 3999) ? 42 : 0;  // 5
      EXPECT_TRUE(fx->hnsw->Add(IdOf(i), data[i], m).ok());
      EXPECT_TRUE(fx->exact->Add(IdOf(i), data[i], m).ok());
    }
    // Queries near stored items: perturbed copies of every 20th item.
    fx->queries.resize(kQueries);
    for (std::size_t q = 0; q < kQueries; ++q) {
      fx->queries[q] = data[q * 20];
      for (std::size_t j = 0; j < kDim; j += 7) fx->queries[q][j] += 0.05f;
    }
    return fx;
  }();
  return *f;
}

double MeanRecall(const SearchFilter& filter, std::size_t k, SearchPath* path = nullptr) {
  const Fixture& f = Shared();
  double sum = 0;
  for (const auto& q : f.queries) {
    SearchInfo info;
    auto got = f.hnsw->Search(q, k, filter, &info);
    auto want = f.exact->Search(q, k, filter);
    EXPECT_TRUE(got.ok() && want.ok());
    EXPECT_EQ(got->size(), want->size());  // always k, or every match
    for (const auto& h : *got) {
      auto meta = f.exact->GetMeta(h.id);
      EXPECT_TRUE(!filter || filter(h.id, *meta)) << h.id << " does not pass the filter";
      // The graph walks on int8 codes but re-ranks on the floats: a hit's
      // score is the exact one (same float kernel as the exact index).
      for (const auto& w : *want) {
        if (w.id == h.id) {
          EXPECT_NEAR(h.score, w.score, 1e-6) << h.id;
        }
      }
    }
    for (std::size_t i = 1; i < got->size(); ++i) {
      EXPECT_GE((*got)[i - 1].score, (*got)[i].score) << "best first";
    }
    if (path) *path = info.path;
    sum += Overlap(*got, *want);
  }
  return sum / static_cast<double>(f.queries.size());
}

TEST(HnswSearch, RecallAt10AgainstExactAtDefaultSettings) {
  const double recall = MeanRecall({}, 10);
  EXPECT_GE(recall, 0.95);
  RecordProperty("recall_at_10", std::to_string(recall));
}

TEST(HnswSearch, HalfTheItemsMatchingWalksTheGraph) {
  SearchPath path{};
  const double recall =
      MeanRecall([](std::string_view, const ItemMeta& m) { return m.type == 1; }, 10, &path);
  EXPECT_EQ(path, SearchPath::kFilteredGraph);
  EXPECT_GE(recall, 0.95);
}

TEST(HnswSearch, NearlyEveryItemMatchingFiltersThePlainWalk) {
  SearchPath path{};
  const SearchFilter not_deprecated = [](std::string_view, const ItemMeta& m) {
    return !m.deprecated;  // 99.9 %
  };
  EXPECT_GE(MeanRecall(not_deprecated, 10, &path), 0.95);
  EXPECT_EQ(path, SearchPath::kGraphThenFilter);
  const SearchFilter global = [](std::string_view, const ItemMeta& m) { return m.scope == 0; };
  EXPECT_GE(MeanRecall(global, 60, &path), 0.95);  // 99 %, k above the default ef
  EXPECT_EQ(path, SearchPath::kGraphThenFilter);
}

TEST(HnswSearch, APostFilterLeavingFewerThanKWalksWithTheFilter) {
  const Fixture& f = Shared();
  const auto& q = f.queries[3];
  // Rejects the 300 items nearest the query: 92.5 % of items still match,
  // but none of the plain walk's candidates does.
  std::set<std::string> nearest;
  const std::vector<SearchHit> near = f.exact->Search(q, 300).value();
  for (const SearchHit& h : near) nearest.insert(h.id);
  const SearchFilter far = [&](std::string_view id, const ItemMeta&) {
    return nearest.count(std::string(id)) == 0;
  };
  SearchInfo info;
  auto got = f.hnsw->Search(q, 10, far, &info);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 10u);
  EXPECT_EQ(info.path, SearchPath::kFilteredGraph);
  for (const SearchHit& h : *got) EXPECT_EQ(nearest.count(h.id), 0u) << h.id;
  EXPECT_GE(Overlap(*got, *f.exact->Search(q, 10, far)), 0.8);
}

TEST(HnswSearch, OnePercentMatchingIsExact) {
  SearchPath path{};
  const double recall =
      MeanRecall([](std::string_view, const ItemMeta& m) { return m.scope == 1; }, 10, &path);
  EXPECT_EQ(path, SearchPath::kExactScan);
  EXPECT_DOUBLE_EQ(recall, 1.0);
}

TEST(HnswSearch, PointOnePercentMatchingReturnsAllFour) {
  const Fixture& f = Shared();
  auto hits = f.hnsw->Search(f.queries[0], 10,
                             [](std::string_view, const ItemMeta& m) { return m.deprecated; });
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 4u);  // items 0, 1000, 2000, 3000
  EXPECT_DOUBLE_EQ(MeanRecall([](std::string_view, const ItemMeta& m) { return m.deprecated; }, 10),
                   1.0);
}

TEST(HnswSearch, FiveMatchingItemsAreAllReturnedBestFirst) {
  const Fixture& f = Shared();
  const SearchFilter five = [](std::string_view, const ItemMeta& m) {
    return m.project_hash == 42;
  };
  auto hits = f.hnsw->Search(f.queries[3], 10, five);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 5u);
  auto want = f.exact->Search(f.queries[3], 10, five);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ((*hits)[i].id, (*want)[i].id);
  auto three = f.hnsw->Search(f.queries[3], 3, five);
  ASSERT_EQ(three->size(), 3u);
  EXPECT_EQ((*three)[0].id, (*want)[0].id);
}

TEST(HnswSearch, FilterOnIdsWorks) {
  const Fixture& f = Shared();
  auto hits = f.hnsw->Search(f.queries[0], 10,
                             [](std::string_view id, const ItemMeta&) { return id == "item-17"; });
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ(hits->front().id, "item-17");
  EXPECT_TRUE(
      f.hnsw->Search(f.queries[0], 10, [](std::string_view, const ItemMeta&) { return false; })
          ->empty());
}

// post_filter_share above 1 turns the post-filter off: a filter that
// passes 99.9 % of the items walks with the filter instead, as well.
TEST(HnswSearch, PostFilterShareAboveOneAlwaysWalksWithTheFilter) {
  HnswOptions o = TestOptions();
  o.post_filter_share = 1.5;
  auto index = HnswIndex::Create(o).value();
  const Fixture& f = Shared();
  const auto data = Clustered(kN, kDim, 40, 11);  // the shared fixture's items
  for (std::size_t i = 0; i < kN; ++i) {
    ItemMeta m;
    m.deprecated = i % 1000 == 0;
    ASSERT_TRUE(index->Add(IdOf(i), data[i], m).ok());
  }
  const SearchFilter not_deprecated = [](std::string_view, const ItemMeta& m) {
    return !m.deprecated;
  };
  double sum = 0;
  for (std::size_t q = 0; q < 50; ++q) {
    SearchInfo info;
    const auto got = index->Search(f.queries[q], 10, not_deprecated, &info).value();
    EXPECT_EQ(info.path, SearchPath::kFilteredGraph);
    ASSERT_EQ(got.size(), 10u);
    sum += Overlap(got, f.exact->Search(f.queries[q], 10, not_deprecated).value());
  }
  EXPECT_GE(sum / 50, 0.95);
}

// The filtered graph walk alone (exact scan disabled) still finds k matches
// at 1% selectivity, with good recall.
TEST(HnswSearch, FilteredGraphWalkStillReturnsKWhenSelective) {
  HnswOptions o = TestOptions();
  o.exact_scan_factor = 0;  // never choose the exact scan up front
  auto index = HnswIndex::Create(o).value();
  const auto data = Clustered(kN, kDim, 40, 11);
  auto exact = NewExactIndex(kDim);
  for (std::size_t i = 0; i < kN; ++i) {
    ItemMeta m;
    m.scope = static_cast<std::uint8_t>(i % 100 == 0);
    ASSERT_TRUE(index->Add(IdOf(i), data[i], m).ok());
    ASSERT_TRUE(exact->Add(IdOf(i), data[i], m).ok());
  }
  const SearchFilter one_percent = [](std::string_view, const ItemMeta& m) { return m.scope == 1; };
  double sum = 0;
  for (std::size_t q = 0; q < 50; ++q) {
    SearchInfo info;
    auto got = index->Search(data[q * 7], 10, one_percent, &info);
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(got->size(), 10u);
    EXPECT_EQ(info.path, SearchPath::kFilteredGraph);
    sum += Overlap(*got, *exact->Search(data[q * 7], 10, one_percent));
  }
  EXPECT_GE(sum / 50, 0.9);
}

TEST(HnswSearch, LowerEfTradesRecallButStillReturnsK) {
  HnswOptions o = TestOptions();
  o.ef_search = 10;
  auto index = HnswIndex::Create(o).value();
  const auto data = Clustered(1000, kDim, 10, 4);
  for (std::size_t i = 0; i < data.size(); ++i) ASSERT_TRUE(index->Add(IdOf(i), data[i], {}).ok());
  EXPECT_EQ(index->Search(data[5], 50)->size(), 50u);  // ef is raised to k
}

TEST(HnswSearch, ConcurrentSearchesWithOneWriter) {
  HnswOptions o = TestOptions();
  o.initial_capacity = 16;
  auto index = HnswIndex::Create(o).value();
  const auto data = Clustered(1500, kDim, 10, 8);
  for (std::size_t i = 0; i < 500; ++i) ASSERT_TRUE(index->Add(IdOf(i), data[i], {}).ok());
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  readers.reserve(3);
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      for (std::size_t q = t; !stop; q = (q + 7) % data.size()) {
        SearchFilter f;
        if (q % 2) f = [](std::string_view, const ItemMeta& m) { return m.type == 0; };
        auto hits = index->Search(data[q], 5, f);
        if (!hits.ok() || hits->size() != 5) {
          ++bad;
        }
      }
    });
  }
  for (std::size_t i = 500; i < 1500; ++i) {
    ASSERT_TRUE(index->Add(IdOf(i), data[i], {}).ok());  // grows capacity under readers
    if (i % 3 == 0) {
      ASSERT_TRUE(index->Remove(IdOf(i - 400)).ok());
    }
  }
  stop = true;
  for (auto& r : readers) r.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace engram
