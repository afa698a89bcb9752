// Auditor: most-used, low-confidence, stale, weak topics, counts per
// project, unavailable sections said so, threshold validation.
#include "engram/audit.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engram/contradictions.h"
#include "engram/feedback.h"
#include "engram/ids.h"
#include "engram/store.h"

#include "learning_engine_fixture.h"

namespace engram {
namespace {

using testing::LearningEngineTest;

class AuditTest : public LearningEngineTest {
 protected:
  static std::vector<std::string> Ids(const std::vector<AuditLesson>& v) {
    std::vector<std::string> out;
    for (const auto& l : v) out.push_back(l.id);
    return out;
  }
};

TEST_F(AuditTest, ListsEachKindOfProblem) {
  Lesson old_one =
      Add("Old deploy trick", "Deploy on Fridays.", "deploy", LessonType::kBestPractice, 0.8);
  clock_.now += 100 * kDayMs;
  Lesson weak = Add("Maybe cache", "Maybe cache this.", "caching", LessonType::kHeuristic, 0.1);
  Lesson used =
      Add("Pin versions", "Pin dependency versions.", "deps", LessonType::kBestPractice, 0.9);
  Add("Lock files", "Commit lock files.", "deps", LessonType::kBestPractice, 0.9, "alpha");
  Lesson gone = Add("Deprecated", "Old.", "deps");
  ASSERT_TRUE(engine_->DeprecateLesson(gone.id, "old").ok());
  ASSERT_TRUE(engine_->store().TouchLesson(used.id, clock_.now).ok());
  clock_.now += kDayMs;

  auto r = engine_->auditor().Run(AuditOptions{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->lessons, 4);
  EXPECT_EQ(r->deprecated, 1);
  EXPECT_EQ(r->global, 3);
  EXPECT_EQ(r->per_project, (std::map<std::string, int>{{"alpha", 1}}));
  EXPECT_EQ(Ids(r->most_used), std::vector<std::string>{used.id});
  EXPECT_EQ(Ids(r->low_confidence), std::vector<std::string>{weak.id});
  EXPECT_EQ(Ids(r->stale), std::vector<std::string>{old_one.id});
  EXPECT_NEAR(r->stale[0].days_idle, 101, 1e-6);
  // caching: one lesson (thin) of confidence 0.1 (weak); deploy: thin only.
  ASSERT_EQ(r->weak_topics.size(), 2u);
  EXPECT_EQ(r->weak_topics[0].topic, "caching");
  EXPECT_EQ(r->weak_topics[0].reasons, (std::vector<std::string>{"thin", "weak"}));
  EXPECT_EQ(r->weak_topics[1].topic, "deploy");
  EXPECT_TRUE(r->open_contradictions.available);
  EXPECT_TRUE(r->open_contradictions.items.empty());
  EXPECT_TRUE(r->duplicate_candidates.items.empty());
  Json j = ToJson(*r);
  EXPECT_EQ(j["counts"]["per_project"]["alpha"], 1);
}

TEST_F(AuditTest, FeedbackCountsOrderMostUsed) {
  Lesson a = Add("Pin versions", "Pin dependency versions.", "deps");
  Lesson b = Add("Small commits", "Commit small changes often.", "git");
  ASSERT_TRUE(engine_->store().TouchLesson(a.id, clock_.now).ok());
  FeedbackStore* fs = engine_->store().feedback();
  ASSERT_NE(fs, nullptr);
  for (int i = 0; i < 2; ++i) {
    FeedbackEvent e;
    e.id = NewId(clock_.now + i);
    e.target_id = b.id;
    e.signal = i == 0 ? FeedbackSignal::kHelped : FeedbackSignal::kHindered;
    e.created_at = clock_.now;
    ASSERT_TRUE(fs->RecordFeedback(e).ok());
  }
  auto r = engine_->auditor().Run(AuditOptions{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->feedback_available);
  ASSERT_EQ(r->most_used.size(), 2u);
  EXPECT_EQ(r->most_used[0].id, b.id);
  EXPECT_EQ(r->most_used[0].uses, 2);
  EXPECT_EQ(r->most_used[0].positive, 1);
  EXPECT_EQ(r->most_used[0].negative, 1);
  EXPECT_EQ(r->most_used[1].id, a.id);
}

TEST_F(AuditTest, OpenContradictionsAndDuplicateCandidates) {
  NewLesson dup;
  dup.topic = "testing";
  dup.title = "Await async setup in jest";
  dup.content = "Unawaited promises in beforeEach make jest tests flaky.";
  dup.on_duplicate = DuplicatePolicy::kAllow;
  auto first = engine_->AddLesson(dup);
  dup.content = "Unawaited promises in beforeEach make jest tests flaky!";
  auto second = engine_->AddLesson(dup);
  ASSERT_TRUE(first.ok() && second.ok());
  Lesson other = Add("Mock the clock", "Use fake timers for time-based tests.", "testing");
  Contradiction c;
  c.id = NewId(clock_.now);
  c.lesson_a = std::min(first->id, other.id);
  c.lesson_b = std::max(first->id, other.id);
  c.reason = "opposite stance: test";
  c.created_at = clock_.now;
  ASSERT_TRUE(engine_->store().contradictions()->RecordContradiction(c).ok());

  auto r = engine_->auditor().Run(AuditOptions{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->open_contradictions.items.size(), 1u);
  EXPECT_EQ(r->open_contradictions.items[0]["id"], c.id);
  ASSERT_EQ(r->duplicate_candidates.items.size(), 1u);
  const Json& d = r->duplicate_candidates.items[0];
  EXPECT_EQ(d["lesson_a"], std::min(first->id, second->id));
  EXPECT_EQ(d["lesson_b"], std::max(first->id, second->id));
  EXPECT_GE(d["overlap"].get<double>(), 0.55);
  EXPECT_FALSE(d["reason"].get<std::string>().empty());

  // A project audit leaves out contradictions with lessons outside it.
  NewLesson local;
  local.topic = "testing";
  local.title = "Project only";
  local.content = "Only in alpha.";
  local.scope = LessonScope::kProject;
  local.project = "alpha";
  auto l = engine_->AddLesson(local);
  ASSERT_TRUE(l.ok());
  Contradiction hidden = c;
  hidden.id = NewId(clock_.now + 5);
  hidden.lesson_a = std::min(l->id, other.id);
  hidden.lesson_b = std::max(l->id, other.id);
  ASSERT_TRUE(engine_->store().contradictions()->RecordContradiction(hidden).ok());
  AuditOptions beta;
  beta.project = "beta";
  auto scoped = engine_->auditor().Run(beta);
  ASSERT_TRUE(scoped.ok());
  EXPECT_EQ(scoped->open_contradictions.items.size(), 1u);  // only the global pair
}

TEST_F(AuditTest, ProjectScopeAndThresholds) {
  Add("A", "alpha only", "x", LessonType::kBestPractice, 0.5, "alpha");
  Add("B", "beta only", "x", LessonType::kBestPractice, 0.5, "beta");
  AuditOptions o;
  o.project = "alpha";
  auto r = engine_->auditor().Run(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->lessons, 1);
  EXPECT_EQ(r->per_project.count("beta"), 0u);
  o.low_confidence = 0.6;
  r = engine_->auditor().Run(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->low_confidence.size(), 1u);
  o.top = 0;
  EXPECT_TRUE(engine_->auditor().Run(o).status().IsInvalidArgument());
  o = {};
  o.stale_days = 0;
  EXPECT_TRUE(engine_->auditor().Run(o).status().IsInvalidArgument());
}

}  // namespace
}  // namespace engram
