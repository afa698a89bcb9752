// Services depend on what they use, not on the Engine (docs/ARCHITECTURE.md,
// "Services"): LessonDedupe and CandidateQueue run over a bare Store with a
// LessonWriter of the test's own, and write lessons only through it; no
// service header holds an Engine.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "engine_fixture.h"
#include "engram/candidate_queue.h"
#include "engram/ids.h"
#include "engram/lesson_dedupe.h"
#include "engram/lesson_writer.h"

namespace engram::testing {
namespace {

// Stores lessons straight into the store and records each call.
class RecordingWriter final : public LessonWriter {
 public:
  explicit RecordingWriter(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  Result<Lesson> AddLesson(const NewLesson& lesson) override {
    calls.push_back("add");
    return Put(lesson);
  }
  Result<Lesson> InsertLesson(const NewLesson& lesson, const std::vector<float>*) override {
    calls.push_back("insert");
    return Put(lesson);
  }
  Result<Lesson> UpdateLesson(const std::string& id, const LessonPatch& patch,
                              const std::string& reason) override {
    calls.push_back("update: " + reason);
    ENGRAM_ASSIGN_OR_RETURN(Lesson l, store_.GetLesson(id));
    if (patch.content) l.content = *patch.content;
    if (patch.tags) l.tags = *patch.tags;
    if (patch.confidence) l.confidence = *patch.confidence;
    l.version += 1;
    ENGRAM_RETURN_IF_ERROR(store_.UpdateLesson(l, reason));
    return l;
  }
  Status RunInLessonTransaction(const std::function<Status()>& fn) override {
    calls.push_back("transaction");
    return store_.RunInTransaction(fn);
  }

  std::vector<std::string> calls;

 private:
  Result<Lesson> Put(const NewLesson& in) {
    Lesson l;
    l.id = in.id.empty() ? NewId(clock_.NowMs()) : in.id;
    l.type = in.type;
    l.topic = in.topic;
    l.title = in.title;
    l.content = in.content;
    l.confidence = in.confidence;
    l.tags = in.tags;
    l.created_at = l.updated_at = clock_.NowMs();
    ENGRAM_RETURN_IF_ERROR(store_.InsertLesson(l));
    return l;
  }

  Store& store_;
  const Clock& clock_;
};

NewLesson Flaky() {
  NewLesson l;
  l.topic = "testing";
  l.title = "Await async setup in jest beforeEach";
  l.content = "Unawaited promises in beforeEach make jest tests flaky. Await the promise.";
  l.tags = {"jest"};
  return l;
}

// A bare store (the test's Engine closed) and a RecordingWriter over it.
class ServiceDepsTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    engine_.reset();
    store_ = OpenStore();
    ASSERT_NE(store_, nullptr);
    writer_ = std::make_unique<RecordingWriter>(*store_, clock_);
  }

  const Limits limits_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<RecordingWriter> writer_;
};

TEST_F(ServiceDepsTest, DedupeWritesThroughItsLessonWriterWithoutAnEngine) {
  LessonDedupe dedupe(*store_, limits_, nullptr, clock_, /*redact_secrets=*/true, *writer_);

  auto first = dedupe.Add(Flaky());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->merged);
  NewLesson again = Flaky();
  again.tags = {"flaky"};
  auto second = dedupe.Add(again);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(second->merged);
  EXPECT_EQ(second->lesson.id, first->lesson.id);
  // The first add inserted (no second dedupe), the near-duplicate merged.
  ASSERT_EQ(writer_->calls.size(), 2u);
  EXPECT_EQ(writer_->calls[0], "insert");
  EXPECT_EQ(writer_->calls[1].rfind("update: merge: near-duplicate", 0), 0u) << writer_->calls[1];
  auto stored = store_->GetLesson(first->lesson.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->tags, (std::vector<std::string>{"flaky", "jest"}));
}

TEST_F(ServiceDepsTest, ApprovingACandidateAddsItsLessonThroughTheWriter) {
  CandidateQueue queue(*store_, limits_, clock_, /*redact_secrets=*/true, *writer_);
  const std::string diff =
      "--- a/src/Profile.tsx\n+++ b/src/Profile.tsx\n@@ -1,2 +1,2 @@\n function Profile() {\n"
      "-  useEffect(() => setUser(store.getState().user));\n"
      "+  const user = useStore(selectUser);\n";
  auto proposed = queue.ProposeFromDiff(diff, "pr-7.diff");
  ASSERT_TRUE(proposed.ok()) << proposed.status().ToString();
  ASSERT_EQ(proposed->size(), 1u);
  auto approved = queue.Approve((*proposed)[0].candidate.id, {}, "");
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(writer_->calls, (std::vector<std::string>{"transaction", "add"}));
  auto stored = store_->GetLesson(approved->lesson.id);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->title, (*proposed)[0].candidate.title);
}

// No service declared in include/engram holds an Engine: a member
// `Engine& x_;` or `Engine* x_;` in any header but engine.h fails, naming it.
TEST(ServiceHeadersTest, NoServiceHeaderHoldsAnEngine) {
  namespace fs = std::filesystem;
  const std::regex member(R"(\bEngine\s*[&*]\s*\w+_\s*;)");
  ASSERT_TRUE(std::regex_search("  Engine& engine_;", member));
  int headers = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(ENGRAM_SOURCE_DIR) / "include/engram")) {
    if (entry.path().filename() == "engine.h") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    ++headers;
    EXPECT_FALSE(std::regex_search(text.str(), member))
        << entry.path().filename().string() << " holds an Engine: give it what it uses instead";
  }
  EXPECT_GT(headers, 30);
}

}  // namespace
}  // namespace engram::testing
