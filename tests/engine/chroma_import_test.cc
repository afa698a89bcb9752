// ImportChromaDump over a real SqliteStore: the mapping of records onto
// lessons, kept versus re-computed embeddings, and all-or-nothing writes.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/search_state.h"
#include "engine_fixture.h"
#include "engram/chroma_import.h"
#include "engram/embedder.h"
#include "engram/export.h"
#include "engram/fulltext.h"
#include "forwarding_store.h"

namespace engram::testing {
namespace {

// Deterministic vectors (text length, then ones), and a record of each
// EmbedBatch call's size.
class FakeEmbedder final : public Embedder {
 public:
  FakeEmbedder(std::string id, int dim, bool fail = false)
      : id_(std::move(id)), dim_(dim), fail_(fail) {}
  const std::string& model_id() const override { return id_; }
  int dimension() const override { return dim_; }
  Result<std::vector<std::vector<float>>> EmbedBatch(
      std::span<const std::string> texts) const override {
    batches.push_back(texts.size());
    if (fail_) return Status::Unavailable("fake embedder is down");
    std::vector<std::vector<float>> out;
    for (const auto& t : texts) out.push_back(Vector(t, dim_));
    return out;
  }
  static std::vector<float> Vector(const std::string& text, int dim) {
    std::vector<float> v(static_cast<std::size_t>(dim), 1.0f);
    v[0] = static_cast<float>(text.size());
    return v;
  }
  mutable std::vector<std::size_t> batches;

 private:
  std::string id_;
  int dim_;
  bool fail_;
};

ChromaImportOptions Options(std::string model_id, std::string collection = "",
                            std::size_t embed_batch = 64) {
  ChromaImportOptions o;
  o.model_id = std::move(model_id);
  o.collection = std::move(collection);
  o.embed_batch = embed_batch;
  return o;
}

Json LoadDump() {
  std::ifstream in(std::string(ENGRAM_SOURCE_DIR) + "/tests/data/chroma_dump.json");
  std::stringstream text;
  text << in.rdbuf();
  return Json::parse(text.str());
}

class ChromaImportTest : public EngineTest {
 protected:
  Result<ChromaImportReport> Import(const Json& dump, const Embedder& embedder,
                                    ChromaImportOptions options = {}) {
    return ImportChromaDump(*engine_, embedder, dump, options);
  }
  std::vector<Lesson> AllLessons() {
    auto lessons = engine_->ListLessons(LessonFilter{});
    EXPECT_TRUE(lessons.ok());
    return lessons.ok() ? *lessons : std::vector<Lesson>{};
  }
  std::vector<float> StoredVector(const std::string& lesson_id, const std::string& model) {
    auto e = engine_->store().GetEmbedding(lesson_id, model);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? e->vector : std::vector<float>{};
  }
};

TEST_F(ChromaImportTest, MapsRecordsOntoLessonsAndKeepsMatchingEmbeddings) {
  FakeEmbedder embedder("fake-8", 8);
  auto report = Import(LoadDump(), embedder, Options("fake-8"));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->topic, "team-lessons");
  ASSERT_EQ(report->lesson_ids.size(), 4u);
  EXPECT_EQ(report->embeddings_kept, 3u);
  EXPECT_EQ(report->embeddings_computed, 1u);
  EXPECT_EQ(report->tags_skipped, 2u) << "owner (no ASCII) and nested (an object)";
  EXPECT_EQ(embedder.batches, std::vector<std::size_t>{1});

  std::vector<Lesson> l;
  for (const auto& id : report->lesson_ids) l.push_back(*engine_->GetLesson(id));
  EXPECT_EQ(l[0].topic, "team-lessons");
  EXPECT_EQ(l[0].type, LessonType::kGotcha);
  EXPECT_EQ(l[0].title, "Always await async setup in jest.");
  EXPECT_EQ(l[0].content, "Always await async setup in jest. Unawaited promises make tests flaky.");
  EXPECT_DOUBLE_EQ(l[0].confidence, 0.9);
  EXPECT_EQ(l[0].tags, (std::vector<std::string>{"framework:jest", "language:typescript",
                                                 "priority:2", "reviewed:true"}));
  EXPECT_EQ(l[1].type, LessonType::kBestPractice);
  EXPECT_EQ(l[1].title, "Prefer Ninja over Make");
  EXPECT_DOUBLE_EQ(l[1].confidence, 0.5);
  EXPECT_EQ(l[1].tags,
            (std::vector<std::string>{"build", "cmake", "source-file:notes/build-tips.md"}));
  EXPECT_EQ(l[2].type, LessonType::kHeuristic) << "unknown types become heuristic";
  EXPECT_EQ(l[2].tags, std::vector<std::string>{"type:dont-do-this"});
  EXPECT_EQ(l[3].type, LessonType::kHeuristic);
  EXPECT_EQ(l[3].title, "Example: retry with exponential backoff and jitter.");
  EXPECT_TRUE(l[3].tags.empty());

  // Kept vectors are normalised; the missing one is computed as the Engine
  // embeds lessons.
  EXPECT_EQ(StoredVector(l[0].id, "fake-8"), (std::vector<float>{1, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(StoredVector(l[1].id, "fake-8"), (std::vector<float>{0, 1, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(StoredVector(l[3].id, "fake-8"), FakeEmbedder::Vector(LessonEmbeddingText(l[3]), 8));
}

TEST_F(ChromaImportTest, KeepsTheChromaIdsAndMetadataTopicAndReplacesOnReimport) {
  FakeEmbedder embedder("fake-8", 8);
  Json dump = {{"name", "team-lessons"},
               {"ids", {"chroma-a", "chroma-b"}},
               {"documents", {"Close cursors in finally blocks.", "Pin the node version in CI."}},
               {"metadatas", {{{"topic", "db"}, {"jira", "DB-7"}}, nullptr}}};
  auto report = Import(dump, embedder);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->lesson_ids, (std::vector<std::string>{"chroma-a", "chroma-b"}));
  auto a = engine_->GetLesson("chroma-a");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->topic, "db") << "metadata.topic wins over the collection";
  EXPECT_EQ(a->metadata, (Json{{"jira", "DB-7"}})) << "the rest kept as metadata";
  EXPECT_EQ(engine_->GetLesson("chroma-b")->topic, "team-lessons");
  // A second import of the same ids replaces them, keeping history.
  dump["documents"][0] = "Close cursors and statements in finally blocks.";
  ASSERT_TRUE(Import(dump, embedder).ok());
  EXPECT_EQ(AllLessons().size(), 2u);
  auto again = engine_->GetLesson("chroma-a");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->content, "Close cursors and statements in finally blocks.");
  EXPECT_EQ(again->version, 2);
  auto history = engine_->LessonHistory("chroma-a");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->front().lesson.content, "Close cursors in finally blocks.");
}

TEST_F(ChromaImportTest, ReembedsWhenTheModelDiffersInBatches) {
  FakeEmbedder embedder("fake-8", 8);
  auto report = Import(LoadDump(), embedder, Options("all-MiniLM-L6-v2", "", 3));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->embeddings_kept, 0u);
  EXPECT_EQ(report->embeddings_computed, 4u);
  EXPECT_EQ(embedder.batches, (std::vector<std::size_t>{3, 1}));
  const Lesson first = *engine_->GetLesson(report->lesson_ids[0]);
  EXPECT_EQ(StoredVector(first.id, "fake-8"), FakeEmbedder::Vector(LessonEmbeddingText(first), 8));
}

TEST_F(ChromaImportTest, ReembedsWhenTheDimensionDiffers) {
  FakeEmbedder embedder("fake-8", 4);  // same id, other dimension
  auto report = Import(LoadDump(), embedder, Options("fake-8"));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->embeddings_kept, 0u);
  EXPECT_EQ(report->embeddings_computed, 4u);
}

TEST_F(ChromaImportTest, CollectionNameFromOptionsOrRequired) {
  FakeEmbedder embedder("fake-8", 8);
  Json dump = LoadDump();
  auto named = Import(dump, embedder, Options("", "imported"));
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  EXPECT_EQ(engine_->GetLesson(named->lesson_ids[0])->topic, "imported");
  dump.erase("name");
  dump["collection"] = "from-collection-field";
  EXPECT_EQ(Import(dump, embedder)->topic, "from-collection-field");
  dump.erase("collection");
  auto unnamed = Import(dump, embedder);
  ASSERT_FALSE(unnamed.ok());
  EXPECT_NE(unnamed.status().message().find("--collection"), std::string::npos);
}

TEST_F(ChromaImportTest, RejectsMalformedDumpsAndStoresNothing) {
  FakeEmbedder embedder("fake-8", 8);
  const std::vector<std::pair<std::function<void(Json&)>, std::string>> cases = {
      {[](Json& d) { d = Json::array(); }, "not a JSON object"},
      {[](Json& d) { d["ids"] = "a1"; }, "\"ids\" is missing or not an array"},
      {[](Json& d) { d["documents"].erase(3); }, "\"documents\" has 3 entries but \"ids\" has 4"},
      {[](Json& d) { d.erase("documents"); }, "\"documents\" is missing"},
      {[](Json& d) { d["metadatas"].push_back(nullptr); }, "\"metadatas\" has 5 entries"},
      {[](Json& d) { d["embeddings"] = Json::object(); }, "\"embeddings\" is not an array"},
      {[](Json& d) { d["ids"][1] = 7; }, "ids[1] is not a non-empty string"},
      {[](Json& d) { d["ids"][2] = "a1"; }, "record 2 (id 'a1'): the id repeats"},
      {[](Json& d) { d["documents"][1] = 5; }, "record 1 (id 'a2'): the document is not a string"},
      {[](Json& d) { d["documents"][3] = "  \n"; }, "record 3 (id 'a4'): document is empty"},
      {[](Json& d) { d["metadatas"][0] = "gotcha"; }, "the metadata is not an object"},
      {[](Json& d) { d["embeddings"][0] = "x"; }, "embedding is not an array"},
      {[](Json& d) { d["embeddings"][1][3] = "x"; }, "not a finite number"},
      {[](Json& d) { d["metadatas"][0]["confidence"] = 1.5; }, "record 0 (id 'a1'): "},
  };
  for (const auto& [mutate, expected] : cases) {
    Json dump = LoadDump();
    mutate(dump);
    auto report = Import(dump, embedder, Options("fake-8"));
    ASSERT_FALSE(report.ok()) << expected;
    EXPECT_TRUE(report.status().IsInvalidArgument()) << report.status().ToString();
    EXPECT_NE(report.status().message().find(expected), std::string::npos)
        << report.status().message();
    EXPECT_TRUE(AllLessons().empty()) << expected;
  }
  EXPECT_TRUE(embedder.batches.empty()) << "nothing is embedded for a bad dump";
}

TEST_F(ChromaImportTest, EmbedderFailureStoresNothing) {
  FakeEmbedder down("fake-8", 8, /*fail=*/true);
  auto report = Import(LoadDump(), down);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(report.status().message().find("fake embedder is down"), std::string::npos);
  EXPECT_TRUE(AllLessons().empty());
}

// Fails the third PutEmbedding, after two lessons were written.
class FailingEmbeddingStore : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  Status PutEmbedding(const Embedding& e) override {
    if (++calls_ == 3) return Status::IOError("disk full (injected)");
    return ForwardingStore::PutEmbedding(e);
  }

 private:
  int calls_ = 0;
};

TEST_F(ChromaImportTest, AFailedWriteRollsBackTheWholeImport) {
  auto inner = OpenStore();
  ASSERT_NE(inner, nullptr);
  EngineOptions options;
  options.clock = &clock_;
  Engine engine(std::make_unique<FailingEmbeddingStore>(*inner), options);
  FakeEmbedder embedder("fake-8", 8);
  auto report = ImportChromaDump(engine, embedder, LoadDump(), {});
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("disk full"), std::string::npos);
  EXPECT_TRUE(AllLessons().empty());
}

// Counts OptimizeFullText calls (and forwards them).
class CountingOptimizeStore : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  Status OptimizeFullText() override {
    ++optimizes;
    return ForwardingStore::OptimizeFullText();
  }
  int optimizes = 0;
};

TEST_F(ChromaImportTest, ABulkImportMergesTheFullTextSegments) {
  auto inner = OpenStore();
  ASSERT_NE(inner, nullptr);
  EngineOptions options;
  options.clock = &clock_;
  auto counting = std::make_unique<CountingOptimizeStore>(*inner);
  CountingOptimizeStore& store = *counting;
  Engine engine(std::move(counting), options);
  FakeEmbedder embedder("fake-8", 8);
  // The small hand-written dump: no merge.
  ASSERT_TRUE(ImportChromaDump(engine, embedder, LoadDump(), {}).ok());
  EXPECT_EQ(store.optimizes, 0);
  // kOptimizeAfterRecords records: one merge, after the lessons are stored.
  Json bulk = {{"name", "bulk"}, {"ids", Json::array()}, {"documents", Json::array()}};
  for (std::int64_t i = 0; i < kOptimizeAfterRecords; ++i) {
    bulk["ids"].push_back("bulk-" + std::to_string(i));
    bulk["documents"].push_back("Lesson number " + std::to_string(i) + " about retries.");
  }
  auto report = ImportChromaDump(engine, embedder, bulk, {});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(static_cast<std::int64_t>(report->lesson_ids.size()), kOptimizeAfterRecords);
  EXPECT_EQ(store.optimizes, 1);
  auto found = engine.store().fulltext()->SearchText(TextCorpus::kLessons, "retries", 5);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->size(), 5u);
}

}  // namespace
}  // namespace engram::testing
