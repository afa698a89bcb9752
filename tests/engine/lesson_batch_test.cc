// LessonDedupe::AddBatch: checked first, embedded in batches, one
// transaction (all or nothing), dedupe within the batch, caller ids.
#include <gtest/gtest.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine_fixture.h"
#include "engram/embedder.h"
#include "engram/lesson_dedupe.h"

namespace engram::testing {
namespace {

// Records the size of each EmbedBatch call; vectors from the text's bytes.
class CountingEmbedder final : public Embedder {
 public:
  const std::string& model_id() const override { return id_; }
  int dimension() const override { return 8; }
  Result<std::vector<std::vector<float>>> EmbedBatch(
      std::span<const std::string> texts) const override {
    batches.push_back(texts.size());
    std::vector<std::vector<float>> out;
    for (const std::string& t : texts) {
      std::vector<float> v(8, 0.1f);
      for (std::size_t i = 0; i < t.size(); ++i) v[i % 8] += static_cast<unsigned char>(t[i]);
      out.push_back(std::move(v));
    }
    return out;
  }
  mutable std::vector<std::size_t> batches;

 private:
  std::string id_ = "counting-8";
};

NewLesson Item(const std::string& topic, const std::string& title, const std::string& content) {
  NewLesson l;
  l.topic = topic;
  l.title = title;
  l.content = content;
  return l;
}

std::vector<NewLesson> Distinct(int n) {
  std::vector<NewLesson> out;
  for (int i = 0; i < n; ++i) {
    const std::string k = std::to_string(i);
    std::string body = "Distinct body ";
    body += k;
    body += " about x";
    body += k;
    out.push_back(Item("topic" + k, "Lesson number " + k, body));
  }
  return out;
}

class LessonBatchTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineOptions options;
    embedder_ = std::make_shared<CountingEmbedder>();
    options.embedder = embedder_;
    engine_ = Open(options);
  }
  std::size_t Stored() {
    LessonFilter all;
    all.include_deprecated = true;
    all.limit = 10000;
    auto listed = engine_->ListLessons(all);
    EXPECT_TRUE(listed.ok());
    return listed.ok() ? listed->size() : 0;
  }
  std::shared_ptr<CountingEmbedder> embedder_;
};

TEST_F(LessonBatchTest, StoresEveryLessonWithItsEmbeddingFromBatchedCalls) {
  LessonBatchOptions options;
  options.embed_batch = 4;
  auto out = engine_->dedupe().AddBatch(Distinct(10), options);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 10u);
  EXPECT_EQ(Stored(), 10u);
  EXPECT_EQ(embedder_->batches, (std::vector<std::size_t>{4, 4, 2}))
      << "each lesson embedded once, in batches";
  for (const LessonAddOutcome& o : *out) {
    auto e = engine_->store().GetEmbedding(o.lesson.id, "counting-8");
    EXPECT_TRUE(e.ok()) << o.lesson.id << ": " << e.status().ToString();
  }
  // Searchable by meaning and words at once.
  SearchRequest r;
  r.query = "Distinct body 7";
  auto found = engine_->SearchLessons(r);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_FALSE(found->results.empty());
  EXPECT_EQ(found->results.front().lesson.title, "Lesson number 7");
}

TEST_F(LessonBatchTest, GivenVectorsAreUsedInsteadOfEmbedding) {
  std::vector<NewLesson> items = Distinct(3);
  LessonBatchOptions options;
  options.vectors = {std::vector<float>(8, 0.5f), std::nullopt, std::vector<float>(8, 0.25f)};
  auto out = engine_->dedupe().AddBatch(items, options);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(embedder_->batches, (std::vector<std::size_t>{1})) << "only the missing one";
  auto e = engine_->store().GetEmbedding((*out)[2].lesson.id, "counting-8");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->vector, std::vector<float>(8, 0.25f));
}

TEST_F(LessonBatchTest, AnInvalidLessonStoresNothingAndIsNamed) {
  std::vector<NewLesson> items = Distinct(5);
  items[3].confidence = 2;
  EXPECT_ERROR(engine_->dedupe().AddBatch(items), ErrorCode::kInvalidArgument,
               "lessons[3]: confidence");
  EXPECT_EQ(Stored(), 0u);
  EXPECT_TRUE(embedder_->batches.empty()) << "checked before any embedding";
  items = Distinct(3);
  items[0].id = "same";
  items[2].id = "same";
  EXPECT_ERROR(engine_->dedupe().AddBatch(items), ErrorCode::kInvalidArgument,
               "lessons[2]: id 'same' repeats lessons[0]");
  EXPECT_EQ(Stored(), 0u);
}

TEST_F(LessonBatchTest, ARejectedDuplicateRollsBackTheWholeBatch) {
  ASSERT_TRUE(engine_
                  ->AddLesson(Item("testing", "Await async setup in jest beforeEach",
                                   "Unawaited promises in beforeEach make jest tests flaky."))
                  .ok());
  std::vector<NewLesson> items = Distinct(4);
  items.push_back(Item("testing", "Await async setup in jest beforeEach",
                       "Unawaited promises in beforeEach make jest tests flaky."));
  items.back().on_duplicate = DuplicatePolicy::kReject;
  EXPECT_ERROR(engine_->dedupe().AddBatch(items), ErrorCode::kAlreadyExists,
               "lessons[4]: near-duplicate");
  EXPECT_EQ(Stored(), 1u) << "the four before it were rolled back";
}

TEST_F(LessonBatchTest, DuplicatesWithinTheBatchMergeAndCallerIdsReplace) {
  NewLesson keep = Item("db", "Old title", "Old body of mem-1");
  keep.id = "mem-1";
  ASSERT_TRUE(engine_->AddLesson(keep).ok());
  std::vector<NewLesson> items;
  items.push_back(Item("testing", "Await async setup in jest beforeEach",
                       "Unawaited promises in beforeEach make jest tests flaky."));
  items.push_back(Item("testing", "Await async setup in jest beforeEach",
                       "Unawaited promises in beforeEach make jest tests flaky; await them."));
  NewLesson replace = Item("db", "New title", "New body of mem-1");
  replace.id = "mem-1";
  items.push_back(replace);
  auto out = engine_->dedupe().AddBatch(items);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_FALSE((*out)[0].merged);
  EXPECT_TRUE((*out)[1].merged) << "compared with the earlier lesson of the same batch";
  EXPECT_EQ((*out)[1].lesson.id, (*out)[0].lesson.id);
  EXPECT_TRUE((*out)[2].replaced);
  auto got = engine_->GetLesson("mem-1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->title, "New title");
  EXPECT_EQ(got->version, 2);
}

}  // namespace
}  // namespace engram::testing
