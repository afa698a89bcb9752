// Engine lessons: add, update with history, deprecate, races, validation.
#include <gtest/gtest.h>

#include <string>

#include "engine_fixture.h"
#include "forwarding_store.h"

namespace engram::testing {
namespace {

TEST_F(EngineTest, AddLessonAssignsIdTimesAndNormalisedTags) {
  NewLesson input;
  input.type = LessonType::kGotcha;
  input.topic = "testing";
  input.title = "Await async setup";
  input.content = "Unawaited promises make tests flaky.";
  input.tags = {"Jest", "async", "jest"};
  auto added = engine_->AddLesson(input);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_TRUE(IsValidId(added->id));
  EXPECT_EQ(added->version, 1);
  EXPECT_EQ(added->created_at, kStartMs);
  EXPECT_EQ(added->tags, (std::vector<std::string>{"async", "jest"}));
  auto got = engine_->GetLesson(added->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(ToJson(*got), ToJson(*added));
}

TEST_F(EngineTest, InvalidLessonStoresNothing) {
  NewLesson input;
  input.topic = "testing";
  input.title = "t";
  input.content = "c";
  input.confidence = 1.5;
  EXPECT_ERROR(engine_->AddLesson(input), ErrorCode::kInvalidArgument, "confidence");
  input.confidence = 0.5;
  input.scope = LessonScope::kProject;  // without a project
  EXPECT_ERROR(engine_->AddLesson(input), ErrorCode::kInvalidArgument, "project");
  auto listed = engine_->ListLessons(LessonFilter{});
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
}

TEST_F(EngineTest, UpdateKeepsPreviousVersionInHistory) {
  const Lesson original = AddLessonOrDie("Await async setup");
  clock_.AdvanceMs(1000);
  LessonPatch patch;
  patch.title = "Always await async setup";
  patch.confidence = 0.9;
  patch.tags = std::vector<std::string>{"Jest"};
  auto updated = engine_->UpdateLesson(original.id, patch, "clearer title");
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->title, "Always await async setup");
  EXPECT_EQ(updated->content, original.content);  // untouched by the patch
  EXPECT_EQ(updated->tags, (std::vector<std::string>{"jest"}));
  EXPECT_EQ(updated->created_at, original.created_at);
  EXPECT_EQ(updated->updated_at, kStartMs + 1000);

  auto history = engine_->LessonHistory(original.id);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].lesson.version, 1);
  EXPECT_EQ((*history)[0].lesson.title, "Await async setup");
  EXPECT_EQ((*history)[0].reason, "clearer title");
  auto got = engine_->GetLesson(original.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(ToJson(*got), ToJson(*updated));
}

TEST_F(EngineTest, InvalidPatchChangesNothing) {
  const Lesson original = AddLessonOrDie("t");
  LessonPatch patch;
  patch.scope = LessonScope::kProject;  // the stored lesson has no project
  EXPECT_ERROR(engine_->UpdateLesson(original.id, patch, ""), ErrorCode::kInvalidArgument,
               "project");
  patch = LessonPatch{};
  patch.title = "";
  EXPECT_ERROR(engine_->UpdateLesson(original.id, patch, ""), ErrorCode::kInvalidArgument, "title");
  auto got = engine_->GetLesson(original.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->version, 1);
  auto history = engine_->LessonHistory(original.id);
  ASSERT_TRUE(history.ok());
  EXPECT_TRUE(history->empty());
}

TEST_F(EngineTest, SwitchingToGlobalScopeClearsProject) {
  NewLesson input;
  input.topic = "build";
  input.title = "Use ninja";
  input.content = "It is faster.";
  input.scope = LessonScope::kProject;
  input.project = "alpha";
  auto added = engine_->AddLesson(input);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  LessonPatch patch;
  patch.scope = LessonScope::kGlobal;
  auto updated = engine_->UpdateLesson(added->id, patch, "");
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->project, "");
  auto history = engine_->LessonHistory(added->id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].reason, "update");  // the default reason
}

TEST_F(EngineTest, DeprecateKeepsHistoryAndHidesFromLists) {
  const Lesson lesson = AddLessonOrDie("Old advice");
  auto deprecated = engine_->DeprecateLesson(lesson.id, "superseded by the docs");
  ASSERT_TRUE(deprecated.ok()) << deprecated.status().ToString();
  EXPECT_TRUE(deprecated->deprecated);
  EXPECT_EQ(deprecated->version, 2);
  EXPECT_EQ(deprecated->title, "Old advice");

  auto history = engine_->LessonHistory(lesson.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_FALSE((*history)[0].lesson.deprecated);
  EXPECT_EQ((*history)[0].reason, "deprecate: superseded by the docs");

  auto visible = engine_->ListLessons(LessonFilter{});
  ASSERT_TRUE(visible.ok());
  EXPECT_TRUE(visible->empty());
  LessonFilter all;
  all.include_deprecated = true;
  auto everything = engine_->ListLessons(all);
  ASSERT_TRUE(everything.ok());
  EXPECT_EQ(everything->size(), 1u);

  EXPECT_ERROR(engine_->DeprecateLesson(lesson.id, ""), ErrorCode::kFailedPrecondition,
               "already deprecated");
}

TEST_F(EngineTest, ListLessonsNormalisesFilterTags) {
  NewLesson input;
  input.topic = "testing";
  input.title = "t";
  input.content = "c";
  input.tags = {"jest"};
  ASSERT_TRUE(engine_->AddLesson(input).ok());
  LessonFilter filter;
  filter.tags = {"JEST"};
  auto listed = engine_->ListLessons(filter);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(listed->size(), 1u);
}

TEST_F(EngineTest, UnknownLessonIdIsNotFoundNamingTheId) {
  const std::string id = "0193f1c2-7b4e-7a10-8c3d-2f9e6b1a4c5d";
  EXPECT_ERROR(engine_->GetLesson(id), ErrorCode::kNotFound, id);
  EXPECT_ERROR(engine_->UpdateLesson(id, LessonPatch{}, ""), ErrorCode::kNotFound, id);
  EXPECT_ERROR(engine_->DeprecateLesson(id, ""), ErrorCode::kNotFound, id);
  EXPECT_ERROR(engine_->DeleteLesson(id), ErrorCode::kNotFound, id);
}

TEST_F(EngineTest, RedactsSecretsInLessonContent) {
  NewLesson input;
  input.topic = "deploy";
  input.title = "Deploy key";
  input.content = "use password=hunter2hunter2 for staging";
  auto added = engine_->AddLesson(input);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added->content.find("hunter2"), std::string::npos) << added->content;
}

// Before forwarding the first `races` UpdateLesson calls, bumps the lesson
// itself, as a concurrent writer would.
class RacingStore : public ForwardingStore {
 public:
  RacingStore(Store& inner, int races) : ForwardingStore(inner), races_(races) {}
  Status UpdateLesson(const Lesson& l, const std::string& reason) override {
    if (races_ > 0) {
      --races_;
      Result<Lesson> current = inner().GetLesson(l.id);
      if (!current.ok()) return current.status();
      Lesson theirs = *current;
      theirs.version += 1;
      theirs.confidence = 0.1;
      ENGRAM_RETURN_IF_ERROR(inner().UpdateLesson(theirs, "concurrent"));
    }
    return ForwardingStore::UpdateLesson(l, reason);
  }

 private:
  int races_;
};

TEST_F(EngineTest, UpdateRetriesOnceAfterLosingAVersionRace) {
  const Lesson lesson = AddLessonOrDie("t");
  engine_.reset();
  std::unique_ptr<Store> real = OpenStore();
  ASSERT_NE(real, nullptr);
  EngineOptions options;
  options.clock = &clock_;
  Engine engine(std::make_unique<RacingStore>(*real, 1), options);

  LessonPatch patch;
  patch.title = "mine";
  auto updated = engine.UpdateLesson(lesson.id, patch, "mine");
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->version, 3);
  EXPECT_EQ(updated->title, "mine");
  EXPECT_DOUBLE_EQ(updated->confidence, 0.1);  // applied on top of the winner
  auto history = engine.LessonHistory(lesson.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].reason, "concurrent");
  EXPECT_EQ((*history)[1].reason, "mine");
}

TEST_F(EngineTest, UpdateGivesUpAfterLosingTwice) {
  const Lesson lesson = AddLessonOrDie("t");
  engine_.reset();
  std::unique_ptr<Store> real = OpenStore();
  ASSERT_NE(real, nullptr);
  EngineOptions options;
  options.clock = &clock_;
  Engine engine(std::make_unique<RacingStore>(*real, 2), options);
  LessonPatch patch;
  patch.title = "mine";
  EXPECT_ERROR(engine.UpdateLesson(lesson.id, patch, ""), ErrorCode::kFailedPrecondition, "");
  auto got = engine.GetLesson(lesson.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->title, "t");
  EXPECT_EQ(got->version, 3);  // the two concurrent updates
}

}  // namespace
}  // namespace engram::testing
