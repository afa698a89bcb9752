// Lessons with the caller's own ids and metadata (NewLesson::id,
// Lesson::metadata): kept, replaced with history on a second add, never
// merged away, never moved across projects; redacted like every text.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine_fixture.h"
#include "engram/lesson_dedupe.h"

namespace engram::testing {
namespace {

NewLesson Lesson1(const std::string& id) {
  NewLesson l;
  l.id = id;
  l.topic = "testing";
  l.title = "Await async setup in jest beforeEach";
  l.content = "Unawaited promises in beforeEach make jest tests flaky. Await the promise.";
  l.metadata = {{"source_app", "electron"}, {"rank", 3}};
  return l;
}

TEST_F(EngineTest, ACallersIdAndMetadataAreKept) {
  auto added = engine_->AddLesson(Lesson1("mem-42"));
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->id, "mem-42");
  auto got = engine_->GetLesson("mem-42");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->metadata, (Json{{"source_app", "electron"}, {"rank", 3}}));
  EXPECT_EQ(ToJson(*got)["metadata"], got->metadata);
  // Every lesson operation takes it.
  LessonPatch patch;
  patch.confidence = 0.9;
  ASSERT_TRUE(engine_->UpdateLesson("mem-42", patch, "more sure").ok());
  auto history = engine_->LessonHistory("mem-42");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->front().lesson.metadata, got->metadata);
  ASSERT_TRUE(engine_->DeprecateLesson("mem-42", "old").ok());
  ASSERT_TRUE(engine_->DeleteLesson("mem-42").ok());
  EXPECT_ERROR(engine_->GetLesson("mem-42"), ErrorCode::kNotFound, "mem-42");
}

TEST_F(EngineTest, AnAddOfAStoredIdReplacesItKeepingHistory) {
  ASSERT_TRUE(engine_->AddLesson(Lesson1("mem-1")).ok());
  NewLesson second = Lesson1("mem-1");
  second.title = "Use fake timers for debounced handlers";
  second.content = "Debounced handlers need jest.useFakeTimers() and advanceTimersByTime.";
  second.metadata = {{"rank", 1}};
  auto out = engine_->dedupe().Add(second);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(out->replaced);
  EXPECT_FALSE(out->merged);
  EXPECT_EQ(out->lesson.id, "mem-1");
  EXPECT_EQ(out->lesson.version, 2);
  EXPECT_EQ(out->lesson.title, second.title);
  EXPECT_EQ(out->lesson.metadata, (Json{{"rank", 1}}));
  auto history = engine_->LessonHistory("mem-1");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->front().reason, "add: replaced");
  EXPECT_EQ(history->front().lesson.title, "Await async setup in jest beforeEach");
  auto all = engine_->ListLessons(LessonFilter{});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
}

TEST_F(EngineTest, AnAddNeverMovesACallersLessonToAnotherProject) {
  NewLesson billing = Lesson1("mem-7");
  billing.scope = LessonScope::kProject;
  billing.project = "billing";
  ASSERT_TRUE(engine_->AddLesson(billing).ok());
  NewLesson shop = billing;
  shop.project = "shop";
  shop.content = "shop's text";
  EXPECT_ERROR(engine_->AddLesson(shop), ErrorCode::kFailedPrecondition, "project 'billing'");
  NewLesson global = billing;
  global.scope = LessonScope::kGlobal;
  global.project.clear();
  EXPECT_ERROR(engine_->AddLesson(global), ErrorCode::kFailedPrecondition, "not global");
  auto got = engine_->GetLesson("mem-7");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->project, "billing");
  EXPECT_EQ(got->content, billing.content);
  EXPECT_EQ(got->version, 1);
}

TEST_F(EngineTest, ALessonWithACallersIdIsNeverMergedAway) {
  ASSERT_TRUE(engine_->AddLesson(Lesson1("")).ok());  // a generated id
  NewLesson twin = Lesson1("mine");
  auto out = engine_->dedupe().Add(twin);  // on_duplicate merge (default)
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_FALSE(out->merged);
  ASSERT_TRUE(out->duplicate.has_value()) << "the near-duplicate is reported";
  EXPECT_EQ(out->lesson.id, "mine");
  EXPECT_TRUE(engine_->GetLesson("mine").ok());
  twin.id = "mine-too";
  twin.on_duplicate = DuplicatePolicy::kReject;
  EXPECT_ERROR(engine_->AddLesson(twin), ErrorCode::kAlreadyExists, "near-duplicate");
}

TEST_F(EngineTest, BadCallerIdsAndMetadataAreRefused) {
  for (const std::string& id :
       std::vector<std::string>{" ", " padded", "tab\tin", std::string(300, 'x')}) {
    SCOPED_TRACE("id '" + id + "'");
    EXPECT_ERROR(engine_->AddLesson(Lesson1(id)), ErrorCode::kInvalidArgument, "id");
  }
  NewLesson l = Lesson1("ok-id");
  l.metadata = Json::array({1, 2});
  EXPECT_ERROR(engine_->AddLesson(l), ErrorCode::kInvalidArgument, "metadata");
  auto all = engine_->ListLessons(LessonFilter{});
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
}

TEST_F(EngineTest, LessonMetadataIsRedacted) {
  NewLesson l = Lesson1("mem-s");
  l.metadata = {{"note", "token ghp_R8x2Kq9ZtLmW4vN7pB3cJ6hY1sD5fG0aE2uI leaked"}};
  ASSERT_TRUE(engine_->AddLesson(l).ok());
  auto got = engine_->GetLesson("mem-s");
  ASSERT_TRUE(got.ok());
  const std::string note = got->metadata["note"].get<std::string>();
  EXPECT_EQ(note.find("ghp_R8x2Kq9ZtLmW4vN7pB3cJ6hY1sD5fG0aE2uI"), std::string::npos) << note;
  EXPECT_NE(note.find("REDACTED"), std::string::npos) << note;
}

}  // namespace
}  // namespace engram::testing
