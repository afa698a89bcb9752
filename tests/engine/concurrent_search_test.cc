// Hybrid lesson search runs BM25 on a second thread while the query is
// embedded and the vector index searched (EngineOptions::concurrent_search).
// The answers must be those of the one-thread search, and a failure on the
// BM25 thread must reach the caller.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine_fixture.h"
#include "engram/embedder.h"
#include "forwarding_store.h"

namespace engram::testing {
namespace {

// A store whose lesson BM25 search fails; notes pass through.
class FailingTextIndex : public FullTextIndex {
 public:
  explicit FailingTextIndex(FullTextIndex& inner) : inner_(inner) {}
  Result<std::vector<TextHit>> SearchText(TextCorpus, std::string_view,
                                          const TextQueryOptions&) override {
    return Status::IOError("full-text index unreadable (injected)");
  }
  Result<std::vector<Note>> AddNotes(std::span<const Note> notes) override {
    return inner_.AddNotes(notes);
  }
  Result<std::vector<Note>> ThreadNotes(const std::string& thread) override {
    return inner_.ThreadNotes(thread);
  }
  Result<std::vector<std::string>> NoteThreads() override { return inner_.NoteThreads(); }
  Result<std::vector<NoteHit>> SearchNoteText(const std::string& thread, std::string_view query,
                                              int limit) override {
    return inner_.SearchNoteText(thread, query, limit);
  }
  Result<std::int64_t> DeleteThread(const std::string& thread) override {
    return inner_.DeleteThread(thread);
  }

 private:
  FullTextIndex& inner_;
};

class FailingTextStore : public ForwardingStore {
 public:
  explicit FailingTextStore(Store& inner) : ForwardingStore(inner), text_(*inner.fulltext()) {}
  FullTextIndex* fulltext() override { return &text_; }

 private:
  FailingTextIndex text_;
};

class ConcurrentSearchTest : public EngineTest {
 protected:
  EngineOptions Hybrid(bool concurrent) {
    EngineOptions o;
    auto e = OpenHashingEmbedder();
    EXPECT_TRUE(e.ok());
    if (e.ok()) o.embedder = std::shared_ptr<const Embedder>(std::move(*e));
    o.concurrent_search = concurrent;
    return o;
  }

  // 90 lessons over overlapping vocabularies, so BM25 and the vector index
  // each find some candidates the other does not.
  static void AddCorpus(Engine& engine) {
    const std::vector<std::string> subjects = {"cache",  "retry",     "index", "socket", "parser",
                                               "thread", "migration", "token", "queue"};
    const std::vector<std::string> verbs = {"invalidate", "bound", "rebuild", "close", "validate",
                                            "join",       "apply", "rotate",  "drain", "flush"};
    for (std::size_t i = 0; i < subjects.size(); ++i) {
      for (std::size_t j = 0; j < verbs.size(); ++j) {
        NewLesson l;
        l.topic = j % 2 ? "backend" : "tooling";
        l.title = verbs[j] + " the " + subjects[i];
        l.content = "Always " + verbs[j] + " the " + subjects[i] + " before " +
                    verbs[(j + i) % verbs.size()] + " of the " +
                    subjects[(i + j + 1) % subjects.size()] + ".";
        l.on_duplicate = DuplicatePolicy::kAllow;
        auto r = engine.AddLesson(l);
        ASSERT_TRUE(r.ok()) << r.status().ToString();
      }
    }
  }

  struct Answer {
    std::vector<std::string> ids;
    std::vector<double> bm25, cosine, score;
  };

  static Answer Ask(Engine& engine, const std::string& query) {
    SearchRequest q;
    q.query = query;
    q.limit = 15;
    auto r = engine.SearchLessons(q);
    EXPECT_TRUE(r.ok()) << query << ": " << r.status().ToString();
    Answer a;
    if (!r.ok()) return a;
    EXPECT_EQ(r->mode, "hybrid");
    for (const LessonResult& x : r->results) {
      a.ids.push_back(x.lesson.id);
      a.bm25.push_back(x.explanation.bm25);
      a.cosine.push_back(x.explanation.cosine);
      a.score.push_back(x.score);
    }
    return a;
  }

  const std::vector<std::string> queries_ = {
      "flush the queue",         "rotate token",         "rebuild index after migration",
      "validate parser input",   "socket close",         "join thread before exit",
      "cache invalidation rule", "drain the retry queue"};
};

TEST_F(ConcurrentSearchTest, GivesTheAnswersOfTheOneThreadSearch) {
  engine_.reset();
  std::vector<Answer> concurrent;
  {
    auto engine = Open(Hybrid(true));
    ASSERT_NE(engine, nullptr);
    AddCorpus(*engine);
    for (const std::string& q : queries_) concurrent.push_back(Ask(*engine, q));
  }
  auto engine = Open(Hybrid(false));
  ASSERT_NE(engine, nullptr);
  bool lexical = false, semantic = false;
  for (std::size_t i = 0; i < queries_.size(); ++i) {
    const Answer one = Ask(*engine, queries_[i]);
    ASSERT_FALSE(one.ids.empty()) << queries_[i];
    EXPECT_EQ(concurrent[i].ids, one.ids) << queries_[i];
    EXPECT_EQ(concurrent[i].bm25, one.bm25) << queries_[i];
    EXPECT_EQ(concurrent[i].cosine, one.cosine) << queries_[i];
    EXPECT_EQ(concurrent[i].score, one.score) << queries_[i];
    for (std::size_t j = 0; j < one.ids.size(); ++j) {
      lexical = lexical || one.bm25[j] > 0;
      semantic = semantic || one.cosine[j] > 0;
    }
  }
  // Both sources contributed, so the comparison covers both threads' work.
  EXPECT_TRUE(lexical);
  EXPECT_TRUE(semantic);
}

TEST_F(ConcurrentSearchTest, ABm25FailureReachesTheCaller) {
  engine_.reset();
  {
    auto engine = Open(Hybrid(true));
    ASSERT_NE(engine, nullptr);
    AddCorpus(*engine);
  }
  for (bool concurrent : {true, false}) {
    auto inner = OpenStore();
    ASSERT_NE(inner, nullptr);
    EngineOptions o = Hybrid(concurrent);
    o.lesson_index_path = db_path() + ".lessons.hnsw";
    Engine engine(std::make_unique<FailingTextStore>(*inner), o);
    SearchRequest q;
    q.query = "flush the queue";
    auto r = engine.SearchLessons(q);
    ASSERT_FALSE(r.ok()) << "concurrent " << concurrent;
    EXPECT_EQ(r.status().code(), ErrorCode::kIOError);
    EXPECT_NE(r.status().message().find("unreadable (injected)"), std::string::npos)
        << r.status().ToString();
  }
  // The store is untouched: a healthy engine still finds the lessons.
  auto engine = Open(Hybrid(true));
  ASSERT_NE(engine, nullptr);
  EXPECT_FALSE(Ask(*engine, "flush the queue").ids.empty());
}

}  // namespace
}  // namespace engram::testing
