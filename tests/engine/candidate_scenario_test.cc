// The candidate half of the scripted coding scenario (scenario.h): 30
// completed episodes propose exactly one gotcha (the recovery that worked,
// seen 12 times) and one anti-pattern (the failure repeated 8 times, from
// its third occurrence), and nothing becomes a lesson without approval.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "engram/candidate_queue.h"
#include "engram/engine.h"
#include "scenario.h"

namespace engram::testing {
namespace {

using CandidateScenarioTest = ScenarioEngineTest;

TEST_F(CandidateScenarioTest, ThirtyEpisodesProposeOneGotchaAndOneAntiPattern) {
  const ScenarioResult r = RunCodingScenario(*engine_, clock_);
  CandidateQueue queue = engine_->candidates();
  auto listed = queue.List(CandidateFilter{});
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 2u);

  const Candidate* gotcha = nullptr;
  const Candidate* anti = nullptr;
  for (const Candidate& c : *listed) {
    EXPECT_EQ(c.origin, CandidateOrigin::kEpisode);
    EXPECT_EQ(c.status, CandidateStatus::kPending);
    if (c.type == LessonType::kGotcha) gotcha = &c;
    if (c.type == LessonType::kAntiPattern) anti = &c;
  }
  ASSERT_NE(gotcha, nullptr);
  ASSERT_NE(anti, nullptr);

  // The first recovery proposes it; the 11 alike find it queued.
  EXPECT_EQ(gotcha->origin_ref, r.recovered.front());
  EXPECT_EQ(gotcha->topic, "jest");
  EXPECT_DOUBLE_EQ(gotcha->confidence, 0.6);  // tests passed after the recovery
  EXPECT_NE(gotcha->content.find("What worked: editor `await the session promise"),
            std::string::npos)
      << gotcha->content;
  EXPECT_NE(gotcha->rationale.find("episode.recovery_gotcha"), std::string::npos);

  // Two earlier failures alike are needed: the third one proposes it.
  EXPECT_EQ(anti->origin_ref, r.failed_same[2]);
  EXPECT_DOUBLE_EQ(anti->confidence, 0.4);
  EXPECT_NE(anti->evidence.find(r.failed_same[0]), std::string::npos);
  EXPECT_NE(anti->evidence.find(r.failed_same[1]), std::string::npos);
  EXPECT_NE(anti->content.find("3 episodes of a debugging task (typescript/jest)"),
            std::string::npos)
      << anti->content;

  // The python failures happened twice only: no anti-pattern for them.
  auto lessons = engine_->ListLessons(LessonFilter{});
  ASSERT_TRUE(lessons.ok());
  EXPECT_TRUE(lessons->empty()) << "nothing becomes a lesson without approval";

  auto approved = queue.Approve(gotcha->id, {}, "matches our experience");
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->lesson.type, LessonType::kGotcha);
  EXPECT_EQ(approved->lesson.source, LessonSource::kEpisode);
  EXPECT_EQ(engine_->ListLessons(LessonFilter{})->size(), 1u);
}

}  // namespace
}  // namespace engram::testing
