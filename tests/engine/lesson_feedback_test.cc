// LessonFeedback over a real Engine: confidence moves by the documented
// rules, the event and the old version are kept, use is recorded, bad input
// stores nothing; the lesson_feedback operation.
#include "engram/lesson_feedback.h"

#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "server/operation.h"

namespace engram::testing {
namespace {

class LessonFeedbackTest : public EngineTest {
 protected:
  Lesson Add(double confidence) {
    NewLesson l;
    l.topic = "testing";
    l.title = "Await async setup in jest";
    l.content = "Unawaited promises in beforeEach make tests flaky.";
    l.confidence = confidence;
    auto added = engine_->AddLesson(l);
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? *added : Lesson{};
  }
};

TEST_F(LessonFeedbackTest, HelpedRaisesConfidenceRecordsEventAndHistory) {
  Lesson l = Add(0.5);
  clock_.AdvanceMs(1000);
  Episode ep = StartOrDie("fix flaky test");
  LessonFeedback fb = engine_->feedback();
  auto r = fb.Report({l.id, FeedbackSignal::kHelped, ep.id, "agent:claude", "it worked"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_DOUBLE_EQ(r->lesson.confidence, 0.55);
  EXPECT_EQ(r->lesson.version, 2);
  EXPECT_EQ(r->lesson.last_used_at, kStartMs + 1000);
  EXPECT_EQ(r->rule, "helped: c + 0.10 * (1 - c)");
  EXPECT_DOUBLE_EQ(*r->event.before, 0.5);
  EXPECT_DOUBLE_EQ(*r->event.after, 0.55);

  auto stored = engine_->GetLesson(l.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_DOUBLE_EQ(stored->confidence, 0.55);
  auto history = engine_->LessonHistory(l.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_DOUBLE_EQ((*history)[0].lesson.confidence, 0.5);
  EXPECT_NE((*history)[0].reason.find("feedback: helped by agent:claude"), std::string::npos)
      << (*history)[0].reason;
  auto events = fb.List(l.id);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].episode_id, ep.id);
  EXPECT_EQ((*events)[0].note, "it worked");
}

TEST_F(LessonFeedbackTest, HarmfulLowersMostAndReviewVerdictIsNotAUse) {
  Lesson l = Add(0.8);
  LessonFeedback fb = engine_->feedback();
  auto rejected = fb.Report({l.id, FeedbackSignal::kRejected, "", "user:ana", ""});
  ASSERT_TRUE(rejected.ok());
  EXPECT_NEAR(rejected->lesson.confidence, 0.64, 1e-12);
  EXPECT_FALSE(rejected->lesson.last_used_at.has_value());
  auto harmful = fb.Report({l.id, FeedbackSignal::kHarmful, "", "", ""});
  ASSERT_TRUE(harmful.ok());
  EXPECT_NEAR(harmful->lesson.confidence, 0.384, 1e-12);
  EXPECT_TRUE(harmful->lesson.last_used_at.has_value());
  auto counts = fb.Counts(l.id);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->rejected, 1);
  EXPECT_EQ(counts->harmful, 1);
  auto history = engine_->LessonHistory(l.id);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 2u);
}

TEST_F(LessonFeedbackTest, BadInputStoresNothing) {
  Lesson l = Add(0.5);
  LessonFeedback fb = engine_->feedback();
  EXPECT_ERROR(fb.Report({"nope", FeedbackSignal::kHelped, "", "", ""}), ErrorCode::kNotFound,
               "nope");
  EXPECT_ERROR(fb.Report({l.id, FeedbackSignal::kHelped, "missing-episode", "", ""}),
               ErrorCode::kNotFound, "missing-episode");
  EXPECT_ERROR(fb.Report({l.id, FeedbackSignal::kHelped, "", "", std::string(5000, 'x')}),
               ErrorCode::kInvalidArgument, "note");
  auto stored = engine_->GetLesson(l.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->version, 1);
  EXPECT_DOUBLE_EQ(stored->confidence, 0.5);
  auto counts = fb.Counts(l.id);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->total(), 0);
  EXPECT_ERROR(fb.List("nope"), ErrorCode::kNotFound, "nope");
}

TEST_F(LessonFeedbackTest, OperationReportsAndLists) {
  Lesson l = Add(0.5);
  server::OperationTable table(*engine_);
  auto r = table.Call("lesson_feedback",
                      Json{{"lesson_id", l.id}, {"signal", "tests_passed"}, {"actor", "ci"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_DOUBLE_EQ((*r)["lesson"]["confidence"].get<double>(), 0.575);
  EXPECT_EQ((*r)["event"]["signal"], "tests_passed");
  auto bad = table.Call("lesson_feedback", Json{{"lesson_id", l.id}, {"signal", "great"}});
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
  auto list = table.Call("list_lesson_feedback", Json{{"lesson_id", l.id}});
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ((*list)["count"], 1);
  EXPECT_EQ((*list)["counts"]["tests_passed"], 1);
}

}  // namespace
}  // namespace engram::testing
