// Contradictions in the store: recorded once per ordered pair, listed by
// status, closed once; superseded_by round-trips on lessons.
#include <gtest/gtest.h>

#include "engram/contradictions.h"
#include "store_test_util.h"

namespace engram::store_test {
namespace {

using ContradictionsTest = StoreTest;

Contradiction Make(const std::string& id, const std::string& a, const std::string& b) {
  Contradiction c;
  c.id = id;
  c.lesson_a = a;
  c.lesson_b = b;
  c.reason = "opposite stance";
  c.score = 0.5;
  c.created_at = 10;
  return c;
}

TEST_F(ContradictionsTest, RecordOnceListAndClose) {
  ASSERT_TRUE(store_->InsertLesson(MakeLesson("l-1")).ok());
  ASSERT_TRUE(store_->InsertLesson(MakeLesson("l-2")).ok());
  ContradictionStore* cs = store_->contradictions();
  ASSERT_NE(cs, nullptr);
  auto first = cs->RecordContradiction(Make("c-1", "l-1", "l-2"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->second);
  auto again = cs->RecordContradiction(Make("c-2", "l-1", "l-2"));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->second);
  EXPECT_EQ(again->first.id, "c-1");
  EXPECT_EQ(cs->RecordContradiction(Make("c-3", "l-2", "l-1")).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(cs->RecordContradiction(Make("c-4", "l-1", "zz")).status().IsNotFound());

  auto open = cs->ListContradictions(ContradictionStatus::kOpen, 10);
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(
      cs->CloseContradiction("c-1", ContradictionStatus::kResolved, std::string("zz"), 20).code(),
      ErrorCode::kInvalidArgument);
  ASSERT_TRUE(
      cs->CloseContradiction("c-1", ContradictionStatus::kResolved, std::string("l-1"), 20).ok());
  EXPECT_EQ(cs->CloseContradiction("c-1", ContradictionStatus::kDismissed, std::nullopt, 30).code(),
            ErrorCode::kFailedPrecondition);
  auto got = cs->GetContradiction("c-1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, ContradictionStatus::kResolved);
  EXPECT_EQ(got->winner, "l-1");
  EXPECT_EQ(got->resolved_at, 20);
  EXPECT_TRUE(cs->ListContradictions(ContradictionStatus::kOpen, 10)->empty());
  EXPECT_EQ(cs->ListContradictions(std::nullopt, 10)->size(), 1u);
  EXPECT_TRUE(cs->GetContradiction("nope").status().IsNotFound());
}

TEST_F(ContradictionsTest, SupersededByRoundTrips) {
  Lesson l = MakeLesson("l-1");
  ASSERT_TRUE(store_->InsertLesson(l).ok());
  EXPECT_FALSE(store_->GetLesson("l-1")->superseded_by.has_value());
  Lesson next = l;
  next.version = 2;
  next.deprecated = true;
  next.superseded_by = "l-9";
  ASSERT_TRUE(store_->UpdateLesson(next, "superseded").ok());
  auto got = store_->GetLesson("l-1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->superseded_by, "l-9");
  EXPECT_EQ(ToJson(*got)["superseded_by"], "l-9");
  auto back = LessonFromJson(ToJson(*got));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->superseded_by, "l-9");
}

}  // namespace
}  // namespace engram::store_test
