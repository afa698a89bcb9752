// Full-text index: identifier tokenisation and keeping FTS5 in sync with
// lesson/episode writes, deletes, imports and restores; notes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

#include <filesystem>

#include "core/code_tokens.h"
#include "engram/engine.h"
#include "engram/fulltext.h"
#include "engram/store.h"

namespace engram {
namespace {

namespace fs = std::filesystem;

TEST(CodeTokens, SplitsIdentifiers) {
  EXPECT_EQ(SplitIdentifier("useEffect"), (std::vector<std::string>{"use", "effect"}));
  EXPECT_EQ(SplitIdentifier("HTTPServer2Go"),
            (std::vector<std::string>{"http", "server", "2", "go"}));
  EXPECT_EQ(SplitIdentifier("snake_case"), (std::vector<std::string>{"snake", "case"}));
  EXPECT_EQ(SplitIdentifier("std::vector"), (std::vector<std::string>{"std", "vector"}));
  EXPECT_EQ(SplitIdentifier("a.b-c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(SplitIdentifier("parseJSON"), (std::vector<std::string>{"parse", "json"}));
}

TEST(CodeTokens, ExpandsOnlyWhatTheTokenizerKeepsWhole) {
  EXPECT_EQ(ExpandIdentifiers("call useEffect and snake_case"), "use effect");
  EXPECT_EQ(ExpandIdentifiers("plain words only"), "");
  EXPECT_EQ(ExpandIdentifiers("React.useState()"), "react use state");
}

TEST(CodeTokens, QueryTermsDropStopWordsAndAddParts) {
  EXPECT_EQ(QueryTerms("How do I use useEffect?"),
            (std::vector<std::string>{"use", "useeffect", "effect"}));
  EXPECT_EQ(FtsMatchExpression("the a"), "");
  EXPECT_EQ(FtsMatchExpression("fooBar"), "\"foobar\" OR \"foo\" OR \"bar\"");
}

class FtsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("engram-fts-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto e = Engine::OpenSqlite((dir_ / "t.db").string());
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(*e);
  }
  void TearDown() override {
    engine_.reset();
    fs::remove_all(dir_);
  }
  std::vector<std::string> Find(std::string_view q, TextCorpus c = TextCorpus::kLessons) {
    auto hits = engine_->store().fulltext()->SearchText(c, q, 100);
    EXPECT_TRUE(hits.ok()) << hits.status().ToString();
    std::vector<std::string> ids;
    if (hits.ok()) {
      for (auto& h : *hits) ids.push_back(h.id);
    }
    return ids;
  }
  Lesson Add(const std::string& title, const std::string& content) {
    NewLesson l;
    l.topic = "react";
    l.title = title;
    l.content = content;
    auto r = engine_->AddLesson(l);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return *r;
  }
  fs::path dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(FtsTest, CamelCaseFindableWholeAndByParts) {
  Lesson l = Add("Cleanup in useEffect", "Return a cleanup function from the hook.");
  EXPECT_EQ(Find("useEffect"), std::vector<std::string>{l.id});
  EXPECT_EQ(Find("useeffect"), std::vector<std::string>{l.id});
  EXPECT_EQ(Find("use effect"), std::vector<std::string>{l.id});
  EXPECT_EQ(Find("functions"), std::vector<std::string>{l.id});  // porter stemming
  EXPECT_TRUE(Find("database").empty());
}

TEST_F(FtsTest, SyncedOnUpdateAndDelete) {
  Lesson l = Add("Memoize selectors", "Use reselect for derived state.");
  LessonPatch p;
  p.content = "Prefer useMemo for derived values.";
  ASSERT_TRUE(engine_->UpdateLesson(l.id, p, "rewrite").ok());
  EXPECT_TRUE(Find("reselect").empty());
  EXPECT_EQ(Find("useMemo"), std::vector<std::string>{l.id});
  ASSERT_TRUE(engine_->DeleteLesson(l.id).ok());
  EXPECT_TRUE(Find("useMemo").empty());
  EXPECT_TRUE(Find("memoize").empty());
}

TEST_F(FtsTest, SyncedOnImportReplacingALesson) {
  Lesson l = Add("Old title", "old words here");
  Lesson imported = l;
  imported.content = "brand new vocabulary";
  imported.version = 2;
  LessonVersion v{l, l.updated_at + 1, "import"};
  ASSERT_TRUE(engine_->store().ImportLesson(imported, {v}).ok());
  EXPECT_TRUE(Find("words").empty());
  EXPECT_EQ(Find("vocabulary"), std::vector<std::string>{l.id});
}

TEST_F(FtsTest, EpisodesIndexedWithReflection) {
  StartEpisodeRequest r;
  r.description = "Fix flaky websocket reconnect test";
  auto ep = engine_->StartEpisode(r);
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(Find("websocket", TextCorpus::kEpisodes), std::vector<std::string>{ep->id});
  Outcome o;
  o = SuccessOutcome{};
  auto done = engine_->CompleteEpisode(ep->id, o);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(Find("reconnect", TextCorpus::kEpisodes), std::vector<std::string>{ep->id});
  ASSERT_TRUE(engine_->DeleteEpisode(ep->id).ok());
  EXPECT_TRUE(Find("websocket", TextCorpus::kEpisodes).empty());
}

TEST_F(FtsTest, RestoreKeepsIndexConsistent) {
  Lesson a = Add("Alpha lesson", "keyword alphaonly");
  std::string backup = (dir_ / "b.db").string();
  ASSERT_TRUE(engine_->store().Backup(backup).ok());
  Lesson b = Add("Beta lesson", "keyword betaonly");
  ASSERT_TRUE(engine_->store().Restore(backup).ok());
  EXPECT_EQ(Find("alphaonly"), std::vector<std::string>{a.id});
  EXPECT_TRUE(Find("betaonly").empty());
  EXPECT_EQ(Find("keyword"), std::vector<std::string>{a.id});
}

TEST_F(FtsTest, NotesSearchWithinThread) {
  FullTextIndex* fts = engine_->store().fulltext();
  std::vector<Note> notes(3);
  notes[0].thread = "t1";
  notes[0].text = "We adopted pnpm workspaces";
  notes[1].thread = "t1";
  notes[1].text = "CI caches node_modules";
  notes[2].thread = "t2";
  notes[2].text = "pnpm is also used here";
  auto added = fts->AddNotes(notes);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ((*added)[1].position, 1);
  EXPECT_EQ((*added)[2].position, 0);
  auto hits = fts->SearchNoteText("t1", "pnpm", 10);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].note_id, (*added)[0].id);
  EXPECT_EQ(fts->SearchNoteText("", "pnpm", 10)->size(), 2u);
  EXPECT_EQ(fts->AddNotes(std::vector<Note>{(*added)[0]}).status().code(),
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(*fts->DeleteThread("t1"), 2);
  EXPECT_EQ(fts->SearchNoteText("", "pnpm", 10)->size(), 1u);
}

}  // namespace
}  // namespace engram
