// Feedback events: record, list newest first per target, count by signal,
// bad input rejected with nothing stored; JSON forms and enum names.
#include <gtest/gtest.h>

#include "engram/feedback.h"
#include "store_test_util.h"

namespace engram::store_test {
namespace {

using FeedbackTest = StoreTest;

FeedbackEvent Event(const std::string& id, const std::string& target_id, FeedbackSignal signal,
                    Timestamp at) {
  FeedbackEvent e;
  e.id = id;
  e.target = FeedbackTarget::kLesson;
  e.target_id = target_id;
  e.signal = signal;
  e.actor = "agent:test";
  e.created_at = at;
  return e;
}

TEST_F(FeedbackTest, RecordsListsNewestFirstAndCounts) {
  FeedbackStore* fb = store_->feedback();
  ASSERT_NE(fb, nullptr);
  FeedbackEvent a = Event("f-1", "l-1", FeedbackSignal::kHelped, 100);
  a.episode_id = "ep-1";
  a.note = "fixed the flaky test";
  a.before = 0.5;
  a.after = 0.6;
  ASSERT_TRUE(fb->RecordFeedback(a).ok());
  ASSERT_TRUE(fb->RecordFeedback(Event("f-2", "l-1", FeedbackSignal::kHarmful, 300)).ok());
  ASSERT_TRUE(fb->RecordFeedback(Event("f-3", "l-1", FeedbackSignal::kHelped, 200)).ok());
  ASSERT_TRUE(fb->RecordFeedback(Event("f-4", "l-2", FeedbackSignal::kRejected, 400)).ok());
  FeedbackEvent p = Event("f-5", "l-1", FeedbackSignal::kHelped, 500);
  p.target = FeedbackTarget::kPattern;  // same id, other kind: separate
  ASSERT_TRUE(fb->RecordFeedback(p).ok());

  auto list = fb->ListFeedback(FeedbackTarget::kLesson, "l-1", 10);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].id, "f-2");
  EXPECT_EQ((*list)[1].id, "f-3");
  EXPECT_EQ(ToJson((*list)[2]), ToJson(a));
  auto limited = fb->ListFeedback(FeedbackTarget::kLesson, "l-1", 1);
  ASSERT_TRUE(limited.ok());
  ASSERT_EQ(limited->size(), 1u);
  EXPECT_EQ((*limited)[0].id, "f-2");

  auto counts = fb->CountFeedback(FeedbackTarget::kLesson, "l-1");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->helped, 2);
  EXPECT_EQ(counts->harmful, 1);
  EXPECT_EQ(counts->rejected, 0);
  EXPECT_EQ(counts->total(), 3);
  auto pattern = fb->CountFeedback(FeedbackTarget::kPattern, "l-1");
  ASSERT_TRUE(pattern.ok());
  EXPECT_EQ(pattern->total(), 1);
}

TEST_F(FeedbackTest, BadInputStoresNothing) {
  FeedbackStore* fb = store_->feedback();
  ASSERT_TRUE(fb->RecordFeedback(Event("f-1", "l-1", FeedbackSignal::kHelped, 1)).ok());
  Status dup = fb->RecordFeedback(Event("f-1", "l-1", FeedbackSignal::kHarmful, 2));
  EXPECT_EQ(dup.code(), ErrorCode::kAlreadyExists);
  EXPECT_NE(dup.message().find("f-1"), std::string::npos);
  FeedbackEvent bad = Event("f-2", "l-1", FeedbackSignal::kHelped, 3);
  bad.after = 1.5;
  EXPECT_EQ(fb->RecordFeedback(bad).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(fb->RecordFeedback(Event("", "l-1", FeedbackSignal::kHelped, 4)).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(fb->RecordFeedback(Event("f-3", "", FeedbackSignal::kHelped, 4)).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(fb->ListFeedback(FeedbackTarget::kLesson, "l-1", 0).status().code(),
            ErrorCode::kInvalidArgument);
  auto counts = fb->CountFeedback(FeedbackTarget::kLesson, "l-1");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->total(), 1);
  EXPECT_EQ(counts->helped, 1);
}

TEST_F(FeedbackTest, SurvivesReopen) {
  ASSERT_TRUE(store_->feedback()
                  ->RecordFeedback(Event("f-1", "l-1", FeedbackSignal::kTestsPassed, 7))
                  .ok());
  store_.reset();
  store_ = Open();
  auto list = store_->feedback()->ListFeedback(FeedbackTarget::kLesson, "l-1", 5);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].signal, FeedbackSignal::kTestsPassed);
}

TEST(FeedbackJson, RoundTripsAndNamesEveryEnum) {
  FeedbackEvent e = Event("f-1", "p-1", FeedbackSignal::kNoEffect, 9);
  e.target = FeedbackTarget::kHeuristic;
  e.before = 0.25;
  Json j = ToJson(e);
  EXPECT_EQ(j["target"], "heuristic");
  EXPECT_EQ(j["signal"], "no_effect");
  EXPECT_FALSE(j.contains("after"));
  auto back = FeedbackEventFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ToJson(*back), j);
  for (const char* s :
       {"helped", "no_effect", "hindered", "accepted", "tests_passed", "rejected", "harmful"}) {
    auto sig = ParseFeedbackSignal(s);
    ASSERT_TRUE(sig.ok()) << s;
    EXPECT_EQ(ToString(*sig), s);
  }
  for (const char* t : {"lesson", "pattern", "heuristic"}) {
    auto tg = ParseFeedbackTarget(t);
    ASSERT_TRUE(tg.ok()) << t;
    EXPECT_EQ(ToString(*tg), t);
  }
  auto bad = ParseFeedbackSignal("great");
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("helped"), std::string::npos);
  j.erase("signal");
  EXPECT_FALSE(FeedbackEventFromJson(j).ok());
}

}  // namespace
}  // namespace engram::store_test
