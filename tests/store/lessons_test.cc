// Lessons (insert, get, list filters, optimistic update with history,
// delete with history/tags/embeddings, touch, import) and embeddings.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "store_test_util.h"

namespace engram::store_test {
namespace {

using LessonsTest = StoreTest;

Lesson Updated(Lesson l, const std::string& title, Timestamp at) {
  l.title = title;
  l.version += 1;
  l.updated_at = at;
  return l;
}

TEST_F(LessonsTest, InsertGetRoundTripAndErrors) {
  Lesson l = MakeLesson("l-1");
  l.last_used_at = 5'000;
  ASSERT_TRUE(store_->InsertLesson(l).ok());
  auto got = store_->GetLesson("l-1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(ToJson(*got), ToJson(l));
  EXPECT_EQ(store_->InsertLesson(l).code(), ErrorCode::kAlreadyExists);
  EXPECT_TRUE(store_->GetLesson("nope").status().IsNotFound());
  Lesson bad = MakeLesson("l-2");
  bad.confidence = 1.5;
  EXPECT_EQ(store_->InsertLesson(bad).code(), ErrorCode::kInvalidArgument);
  bad.confidence = std::nan("");
  EXPECT_EQ(store_->InsertLesson(bad).code(), ErrorCode::kInvalidArgument);
  bad = MakeLesson("l-2");
  bad.version = 2;
  EXPECT_EQ(store_->InsertLesson(bad).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store_->GetLesson("l-2").status().IsNotFound());
}

TEST_F(LessonsTest, GetLessonsReturnsTheKnownOnesInTheOrderAsked) {
  for (const char* id : {"a", "b", "c"}) {
    Lesson l = MakeLesson(id);
    l.title = std::string("title ") + id;
    // Several tags (read back sorted), and none for "b".
    l.tags.clear();
    if (std::string(id) != "b") l.tags = {"t-" + std::string(id), "z-last", "a-first"};
    ASSERT_TRUE(store_->InsertLesson(l).ok());
  }
  auto ids_of = [](const std::vector<Lesson>& ls) {
    std::vector<std::string> out;
    for (const Lesson& l : ls) out.push_back(l.id);
    return out;
  };
  const std::vector<std::string> ask = {"c", "nope", "a", "c", "b"};
  const std::vector<std::string> want = {"c", "a", "c", "b"};
  auto got = store_->GetLessons(ask);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(ids_of(*got), want);
  EXPECT_EQ(ToJson(got->at(1)), ToJson(store_->GetLesson("a").value()));  // tags included
  EXPECT_EQ(got->at(1).tags, (std::vector<std::string>{"a-first", "t-a", "z-last"}));
  EXPECT_TRUE(got->at(3).tags.empty());
  // The default implementation (GetLesson per id) agrees.
  auto each = store_->Store::GetLessons(ask);
  ASSERT_TRUE(each.ok()) << each.status().ToString();
  EXPECT_EQ(ids_of(*each), want);
  EXPECT_EQ(ToJson(each->at(1)), ToJson(got->at(1)));
  EXPECT_TRUE(store_->GetLessons({}).value().empty());
}

TEST_F(LessonsTest, UpdateKeepsHistoryAndChecksVersion) {
  Lesson v1 = MakeLesson("l-1");
  ASSERT_TRUE(store_->InsertLesson(v1).ok());
  Lesson v2 = Updated(v1, "second", 2'000);
  v2.tags = {"new"};
  ASSERT_TRUE(store_->UpdateLesson(v2, "update").ok());
  Lesson v3 = Updated(v2, "third", 3'000);
  v3.deprecated = true;
  ASSERT_TRUE(store_->UpdateLesson(v3, "deprecate: obsolete").ok());

  EXPECT_EQ(ToJson(*store_->GetLesson("l-1")), ToJson(v3));
  auto history = store_->LessonHistory("l-1");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(ToJson((*history)[0].lesson), ToJson(v1));
  EXPECT_EQ((*history)[0].superseded_at, 2'000);
  EXPECT_EQ((*history)[0].reason, "update");
  EXPECT_EQ(ToJson((*history)[1].lesson), ToJson(v2));
  EXPECT_EQ((*history)[1].reason, "deprecate: obsolete");

  // A stale writer (built from v2) loses: nothing changes.
  Lesson stale = Updated(v2, "stale", 4'000);
  EXPECT_EQ(store_->UpdateLesson(stale, "late").code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(store_->GetLesson("l-1")->title, "third");
  EXPECT_EQ(store_->LessonHistory("l-1")->size(), 2u);
  EXPECT_TRUE(store_->UpdateLesson(Updated(MakeLesson("nope"), "x", 1), "r").IsNotFound());
  EXPECT_TRUE(store_->LessonHistory("nope").status().IsNotFound());
  ASSERT_TRUE(store_->Verify().ok());
}

TEST_F(LessonsTest, ListFilters) {
  auto add = [&](const std::string& id, LessonType type, const std::string& topic,
                 LessonScope scope, const std::string& project, double confidence,
                 std::vector<std::string> tags, Timestamp at) {
    Lesson l = MakeLesson(id, at);
    l.type = type;
    l.topic = topic;
    l.scope = scope;
    l.project = project;
    l.confidence = confidence;
    l.tags = std::move(tags);
    ASSERT_TRUE(store_->InsertLesson(l).ok());
  };
  add("g1", LessonType::kGotcha, "sqlite", LessonScope::kGlobal, "", 0.9, {"db", "wal"}, 1);
  add("g2", LessonType::kHeuristic, "git", LessonScope::kGlobal, "", 0.3, {"vcs"}, 2);
  add("p1", LessonType::kGotcha, "sqlite", LessonScope::kProject, "alpha", 0.7, {"db"}, 3);
  add("p2", LessonType::kExample, "cmake", LessonScope::kProject, "beta", 0.6, {"db", "wal"}, 4);
  Lesson dep = *store_->GetLesson("g2");
  dep.deprecated = true;
  dep.version = 2;
  dep.updated_at = 5;
  ASSERT_TRUE(store_->UpdateLesson(dep, "deprecate").ok());

  auto ids = [&](const LessonFilter& f) {
    std::vector<std::string> out;
    auto r = store_->ListLessons(f);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok()) {
      for (const Lesson& l : *r) out.push_back(l.id);
    }
    return out;
  };
  LessonFilter f;
  EXPECT_EQ(ids(f), (std::vector<std::string>{"p2", "p1", "g1"}));  // newest update first
  f.include_deprecated = true;
  EXPECT_EQ(ids(f), (std::vector<std::string>{"g2", "p2", "p1", "g1"}));
  f = {};
  f.type = LessonType::kGotcha;
  EXPECT_EQ(ids(f), (std::vector<std::string>{"p1", "g1"}));
  f = {};
  f.topic = "sqlite";
  f.scope = LessonScope::kProject;
  EXPECT_EQ(ids(f), (std::vector<std::string>{"p1"}));
  f = {};
  f.project = "alpha";  // global + alpha, never beta
  EXPECT_EQ(ids(f), (std::vector<std::string>{"p1", "g1"}));
  f = {};
  f.tags = {"wal", "db", "db"};
  EXPECT_EQ(ids(f), (std::vector<std::string>{"p2", "g1"}));
  f.tags = {"wal", "nope"};
  EXPECT_TRUE(ids(f).empty());
  f = {};
  f.min_confidence = 0.65;
  EXPECT_EQ(ids(f), (std::vector<std::string>{"p1", "g1"}));
  f = {};
  f.limit = 1;
  f.offset = 1;
  EXPECT_EQ(ids(f), (std::vector<std::string>{"p1"}));
  f.limit = 0;
  EXPECT_EQ(store_->ListLessons(f).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(LessonsTest, CountLessonKeysGroupsLiveLessonsByTopicAndTags) {
  auto add = [&](const std::string& id, const std::string& topic, std::vector<std::string> tags,
                 bool deprecated) {
    Lesson l = MakeLesson(id);
    l.topic = topic;
    l.tags = std::move(tags);
    l.deprecated = deprecated;
    ASSERT_TRUE(store_->InsertLesson(l).ok()) << id;
  };
  add("a1", "react", {"state", "hooks"}, false);
  add("a2", "react", {"hooks", "state"}, false);
  add("b1", "react", {}, false);
  add("c1", "go", {"hooks"}, false);
  add("d1", "react", {"hooks", "state"}, true);  // deprecated: not counted
  add("d2", "rust", {"unsafe"}, true);
  {  // a project lesson: not counted (the model serves every project)
    Lesson l = MakeLesson("p1");
    l.topic = "react";
    l.tags = {"billing"};
    l.scope = LessonScope::kProject;
    l.project = "billing";
    ASSERT_TRUE(store_->InsertLesson(l).ok());
  }
  using Row = std::tuple<std::string, std::vector<std::string>, std::int64_t>;
  auto rows = [](const std::vector<LessonKeyCount>& counted) {
    std::vector<Row> out;
    out.reserve(counted.size());
    for (const auto& k : counted) out.emplace_back(k.topic, k.tags, k.lessons);
    std::sort(out.begin(), out.end());
    return out;
  };
  const std::vector<Row> want = {Row{"go", {"hooks"}, 1}, Row{"react", {}, 1},
                                 Row{"react", {"hooks", "state"}, 2}};
  auto sql = store_->CountLessonKeys();
  ASSERT_TRUE(sql.ok()) << sql.status().ToString();
  EXPECT_EQ(rows(*sql), want);
  // The default implementation (paging ListLessons) agrees.
  auto paged = store_->Store::CountLessonKeys();
  ASSERT_TRUE(paged.ok()) << paged.status().ToString();
  EXPECT_EQ(rows(*paged), want);

  // Outside a transaction it scans on a connection of its own; inside one
  // it counts what that transaction sees, its own uncommitted writes too.
  ASSERT_TRUE(store_
                  ->RunInTransaction([&]() -> Status {
                    Lesson l = MakeLesson("c2");
                    l.topic = "go";
                    l.tags = {"hooks"};
                    ENGRAM_RETURN_IF_ERROR(store_->InsertLesson(l));
                    ENGRAM_ASSIGN_OR_RETURN(std::vector<LessonKeyCount> inside,
                                            store_->CountLessonKeys());
                    EXPECT_EQ(rows(inside)[0], (Row{"go", {"hooks"}, 2}));
                    return Status::Ok();
                  })
                  .ok());
}

TEST_F(LessonsTest, TouchOnlyMovesForwardAndKeepsVersion) {
  ASSERT_TRUE(store_->InsertLesson(MakeLesson("l-1")).ok());
  ASSERT_TRUE(store_->TouchLesson("l-1", 7'000).ok());
  ASSERT_TRUE(store_->TouchLesson("l-1", 6'000).ok());
  auto got = store_->GetLesson("l-1");
  EXPECT_EQ(got->last_used_at, 7'000);
  EXPECT_EQ(got->version, 1);
  EXPECT_TRUE(store_->TouchLesson("nope", 1).IsNotFound());
}

TEST_F(LessonsTest, DeleteRemovesHistoryTagsAndEmbeddings) {
  Lesson l = MakeLesson("l-1");
  ASSERT_TRUE(store_->InsertLesson(l).ok());
  ASSERT_TRUE(store_->UpdateLesson(Updated(l, "v2", 2), "update").ok());
  ASSERT_TRUE(store_->PutEmbedding({"l-1", "use-lite", {1, 2, 3}, 9}).ok());
  ASSERT_TRUE(store_->DeleteLesson("l-1").ok());
  EXPECT_TRUE(store_->GetLesson("l-1").status().IsNotFound());
  EXPECT_TRUE(store_->GetEmbedding("l-1", "use-lite").status().IsNotFound());
  EXPECT_TRUE(store_->DeleteLesson("l-1").IsNotFound());
  auto stats = store_->Stats();
  EXPECT_EQ(stats->lessons, 0);
  EXPECT_EQ(stats->lesson_versions, 0);
  EXPECT_EQ(stats->embeddings, 0);
  // The id is reusable and starts with no history or tags left over.
  Lesson again = MakeLesson("l-1");
  again.tags = {};
  ASSERT_TRUE(store_->InsertLesson(again).ok());
  EXPECT_TRUE(store_->LessonHistory("l-1")->empty());
  EXPECT_TRUE(store_->GetLesson("l-1")->tags.empty());
}

TEST_F(LessonsTest, ImportValidatesHistoryAndKeepsEmbeddings) {
  Lesson v1 = MakeLesson("l-1");
  Lesson v2 = Updated(v1, "v2", 2);
  Lesson v3 = Updated(v2, "v3", 3);
  std::vector<LessonVersion> history = {{v1, 2, "update"}, {v2, 3, "update"}};
  ASSERT_TRUE(store_->ImportLesson(v3, history).ok());
  ASSERT_TRUE(store_->PutEmbedding({"l-1", "m", {0.5f}, 1}).ok());
  EXPECT_EQ(ToJson(*store_->GetLesson("l-1")), ToJson(v3));
  ASSERT_EQ(store_->LessonHistory("l-1")->size(), 2u);
  // Re-import replaces the lesson in place: its embedding survives.
  ASSERT_TRUE(store_->ImportLesson(v3, history).ok());
  EXPECT_TRUE(store_->GetEmbedding("l-1", "m").ok());
  EXPECT_EQ(store_->ImportLesson(v2, history).code(), ErrorCode::kInvalidArgument);
  std::vector<LessonVersion> gap = {{v2, 3, "update"}};
  EXPECT_EQ(store_->ImportLesson(Updated(v2, "x", 4), gap).code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(store_->Verify().ok());
}

TEST_F(LessonsTest, EmbeddingsPutReplaceGetAndValidate) {
  ASSERT_TRUE(store_->InsertLesson(MakeLesson("l-1")).ok());
  std::vector<float> v = {0.0f, -1.5f, 3.25e-8f, std::numeric_limits<float>::max()};
  ASSERT_TRUE(store_->PutEmbedding({"l-1", "use-lite", v, 10}).ok());
  auto got = store_->GetEmbedding("l-1", "use-lite");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->vector, v);
  EXPECT_EQ(got->created_at, 10);
  ASSERT_TRUE(store_->PutEmbedding({"l-1", "use-lite", {1, 2}, 11}).ok());
  EXPECT_EQ(store_->GetEmbedding("l-1", "use-lite")->vector, (std::vector<float>{1, 2}));
  ASSERT_TRUE(store_->PutEmbedding({"l-1", "other", {3}, 12}).ok());
  EXPECT_TRUE(store_->GetEmbedding("l-1", "missing").status().IsNotFound());
  EXPECT_TRUE(store_->PutEmbedding({"nope", "m", {1}, 1}).IsNotFound());
  EXPECT_EQ(store_->PutEmbedding({"l-1", "m", {}, 1}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->PutEmbedding({"l-1", "m", {std::nanf("")}, 1}).code(),
            ErrorCode::kInvalidArgument);
  std::vector<std::string> seen;
  ASSERT_TRUE(store_
                  ->ForEachEmbedding([&](const Embedding& e) {
                    seen.push_back(e.model_id);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"other", "use-lite"}));
}

}  // namespace
}  // namespace engram::store_test

namespace engram::store_test {
namespace {

class LessonUsesTest : public StoreTest {};

TEST_F(LessonUsesTest, CountsAddUpAndLastUseOnlyMovesForward) {
  ASSERT_TRUE(store_->InsertLesson(MakeLesson("l-1")).ok());
  ASSERT_TRUE(store_->InsertLesson(MakeLesson("l-2")).ok());
  EXPECT_EQ(store_->GetLesson("l-1")->use_count, 0);
  // An unknown (e.g. deleted) lesson is skipped, not an error.
  ASSERT_TRUE(
      store_->RecordLessonUses({{"l-1", 7'000, 2}, {"l-2", 5'000, 1}, {"gone", 1, 1}}).ok());
  ASSERT_TRUE(store_->RecordLessonUses({{"l-1", 6'000, 3}}).ok());
  auto l1 = store_->GetLesson("l-1");
  auto l2 = store_->GetLesson("l-2");
  ASSERT_TRUE(l1.ok() && l2.ok());
  EXPECT_EQ(l1->use_count, 5);
  EXPECT_EQ(l1->last_used_at, 7'000);
  EXPECT_EQ(l1->version, 1);  // a use is not a new version
  EXPECT_EQ(l2->use_count, 1);
  EXPECT_EQ(l2->last_used_at, 5'000);
  EXPECT_TRUE(store_->RecordLessonUses({{"l-1", 8'000, 0}}).IsInvalidArgument());
}

TEST_F(LessonUsesTest, AnUpdateKeepsUsesRecordedSinceTheLessonWasRead) {
  Lesson l = MakeLesson("l-1");
  ASSERT_TRUE(store_->InsertLesson(l).ok());
  auto read = store_->GetLesson("l-1");
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(store_->RecordLessonUses({{"l-1", 7'000, 4}}).ok());
  Lesson next = *read;  // use_count 0, as read
  next.title = "changed";
  next.version = 2;
  ASSERT_TRUE(store_->UpdateLesson(next, "update").ok());
  EXPECT_EQ(store_->GetLesson("l-1")->use_count, 4);
}

TEST_F(LessonUsesTest, DoNotMoveTheChangeToken) {
  ASSERT_TRUE(store_->InsertLesson(MakeLesson("l-1")).ok());
  auto before = store_->ChangeToken();
  ASSERT_TRUE(store_->RecordLessonUses({{"l-1", 7'000, 1}}).ok());
  auto after = store_->ChangeToken();
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_EQ(*before, *after);
}

TEST_F(LessonUsesTest, ALockHeldByAnotherConnectionFailsAtOnceWithBusy) {
  ASSERT_TRUE(store_->InsertLesson(MakeLesson("l-1")).ok());
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(db_path().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  Status st = store_->RecordLessonUses({{"l-1", 7'000, 1}});
  EXPECT_EQ(st.code(), ErrorCode::kBusy) << st.ToString();
  // Reads go on meanwhile.
  EXPECT_TRUE(store_->GetLesson("l-1").ok());
  ASSERT_EQ(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);
  ASSERT_TRUE(store_->RecordLessonUses({{"l-1", 7'000, 1}}).ok());
  EXPECT_EQ(store_->GetLesson("l-1")->use_count, 1);
  // Other writes wait for the lock again as before (busy timeout restored).
  ASSERT_TRUE(store_->TouchLesson("l-1", 8'000).ok());
}

}  // namespace
}  // namespace engram::store_test
