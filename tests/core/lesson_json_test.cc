#include <gtest/gtest.h>

#include "engram/kv.h"
#include "engram/lesson.h"
#include "engram/store.h"

namespace engram {
namespace {

Lesson FullLesson() {
  Lesson l;
  l.id = "0193f1c2-7b4e-7a10-8c3d-2f9e6b1a4c5d";
  l.type = LessonType::kGotcha;
  l.topic = "sqlite";
  l.title = "WAL needs shm";
  l.content = "Keep the -shm file next to the db.";
  l.confidence = 0.8125;
  l.scope = LessonScope::kProject;
  l.project = "engram";
  l.source = LessonSource::kIncident;
  l.tags = {"db", "sqlite"};
  l.situations = {"database is locked after a crash", "WAL grows without bound"};
  l.created_at = 1000;
  l.updated_at = 2000;
  l.last_used_at = 3000;
  l.deprecated = true;
  l.version = 4;
  return l;
}

TEST(LessonJson, FullLessonRoundTripsLosslessly) {
  const Json j = ToJson(FullLesson());
  EXPECT_EQ(j["type"], "gotcha");
  EXPECT_EQ(j["scope"], "project");
  EXPECT_EQ(j["source"], "incident");
  EXPECT_EQ(j["last_used_at"], 3000);
  EXPECT_EQ(j["situations"].size(), 2u);
  Result<Lesson> back = LessonFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ToJson(*back), j);
  EXPECT_DOUBLE_EQ(back->confidence, 0.8125);
  EXPECT_TRUE(back->deprecated);
}

TEST(LessonJson, UnsetLastUsedIsOmittedAndDefaultsApply) {
  Lesson l;
  l.id = "id1";
  const Json j = ToJson(l);
  EXPECT_FALSE(j.contains("last_used_at"));
  EXPECT_FALSE(j.contains("situations")) << "omitted when empty";
  Result<Lesson> back = LessonFromJson(Json{{"id", "id1"}});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->version, 1);
  EXPECT_DOUBLE_EQ(back->confidence, 0.5);
  EXPECT_FALSE(back->last_used_at.has_value());
}

TEST(LessonJson, TypeErrorsNameTheField) {
  Json j = ToJson(FullLesson());
  j["deprecated"] = "yes";
  EXPECT_EQ(LessonFromJson(j).status().ToString(),
            "invalid_argument: lesson.deprecated must be a boolean");
  j = ToJson(FullLesson());
  j["scope"] = "team";
  EXPECT_EQ(LessonFromJson(j).status().message(),
            "lesson.scope: unknown lesson scope 'team'; expected one of: global, project");
}

TEST(LessonVersionJson, RoundTripsWithNestedPathInErrors) {
  const LessonVersion v{FullLesson(), 5000, "update"};
  const Json j = ToJson(v);
  Result<LessonVersion> back = LessonVersionFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ToJson(*back), j);
  Json bad = j;
  bad["lesson"]["confidence"] = "high";
  EXPECT_EQ(LessonVersionFromJson(bad).status().message(),
            "lesson_version.lesson.confidence must be a number");
  EXPECT_EQ(LessonVersionFromJson(Json{{"reason", "x"}}).status().message(),
            "lesson_version.lesson is required");
}

TEST(KvEntryJson, RoundTripsAnyValueIncludingNull) {
  for (const Json& value :
       {Json{{"cursor", 42}}, Json::array({1, "a"}), Json(nullptr), Json("text"), Json(3.5)}) {
    KvEntry e{"agent", "state", value, 3, 10, 20, 30};
    const Json j = ToJson(e);
    Result<KvEntry> back = KvEntryFromJson(j);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->value, value);
    EXPECT_EQ(ToJson(*back), j);
  }
}

TEST(KvEntryJson, NoExpiryIsOmittedAndKeyIsRequired) {
  const KvEntry e{"ns", "k", Json(1), 1, 10, 10, std::nullopt};
  EXPECT_FALSE(ToJson(e).contains("expires_at"));
  EXPECT_FALSE(KvEntryFromJson(ToJson(e))->expires_at.has_value());
  EXPECT_EQ(KvEntryFromJson(Json{{"ns", "a"}}).status().message(), "kv.key is required");
  EXPECT_EQ(KvEntryFromJson(Json{{"ns", "a"}, {"key", "b"}, {"version", true}}).status().message(),
            "kv.version must be an integer");
}

TEST(EpisodeSummaryJson, OmitsUnsetOptionals) {
  EpisodeSummary s;
  s.id = "e1";
  s.step_count = 4;
  s.started_at = 100;
  Json j = ToJson(s);
  EXPECT_EQ(j["step_count"], 4);
  EXPECT_EQ(j["task_type"], "other");
  EXPECT_FALSE(j.contains("outcome_kind"));
  EXPECT_FALSE(j.contains("reward_total"));
  EXPECT_FALSE(j.contains("ended_at"));
  s.outcome_kind = "success";
  s.reward_total = 0.9;
  s.ended_at = 200;
  j = ToJson(s);
  EXPECT_EQ(j["outcome_kind"], "success");
  EXPECT_EQ(j["reward_total"], 0.9);
  EXPECT_EQ(j["ended_at"], 200);
}

TEST(StoreStatsJson, ListsEveryCounter) {
  StoreStats s;
  s.path = "/tmp/e.db";
  s.schema_version = 2;
  s.lessons = 7;
  s.journal_mode = "wal";
  const Json j = ToJson(s);
  EXPECT_EQ(j.size(), 13u);
  EXPECT_EQ(j["page_checksums"], false);  // a StoreStats default: not known to be checked
  EXPECT_EQ(j["lessons"], 7);
  EXPECT_EQ(j["journal_mode"], "wal");
  EXPECT_EQ(j["schema_version"], 2);
}

}  // namespace
}  // namespace engram
