// Dedupe at write time, contradictions and the decay batch over a real
// Engine: merge/reject/allow, detection on add, resolve with superseded_by
// and history, decay with history, framework major change; the operations.
#include <gtest/gtest.h>

#include <cmath>

#include "engine_fixture.h"
#include "engram/contradiction_checker.h"
#include "engram/lesson_decay.h"
#include "engram/lesson_dedupe.h"
#include "server/operation.h"

namespace engram::testing {
namespace {

constexpr Timestamp kMonth = 30LL * 24 * 3600 * 1000;

class LearningEngineTest : public EngineTest {
 protected:
  static NewLesson Make(LessonType type, const std::string& title, const std::string& content,
                        std::vector<std::string> tags = {}) {
    NewLesson l;
    l.type = type;
    l.topic = "git";
    l.title = title;
    l.content = content;
    l.tags = std::move(tags);
    return l;
  }
  Lesson AddOrDie(const NewLesson& l) {
    auto r = engine_->AddLesson(l);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Lesson{};
  }
};

const char* kRebase = "Rebase the feature branch on main before merging to keep history linear.";

TEST_F(LearningEngineTest, NearDuplicateIsMergedWithHistory) {
  Lesson first = AddOrDie(Make(LessonType::kBestPractice, "Rebase feature branches before merging",
                               kRebase, {"workflow"}));
  NewLesson again = Make(LessonType::kBestPractice, "Rebase on main before merge",
                         "Before merging a feature branch, rebase it on main so the history "
                         "stays linear.",
                         {"history"});
  again.confidence = 0.7;
  auto out = engine_->dedupe().Add(again);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(out->merged);
  ASSERT_TRUE(out->duplicate);
  EXPECT_EQ(out->duplicate->lesson_id, first.id);
  EXPECT_EQ(out->lesson.id, first.id);
  EXPECT_EQ(out->lesson.version, 2);
  EXPECT_EQ(out->lesson.tags, (std::vector<std::string>{"history", "workflow"}));
  EXPECT_NEAR(out->lesson.confidence, 0.73, 1e-12);  // 0.7 + 0.1 * 0.3
  EXPECT_NE(out->lesson.content.find("stays linear"), std::string::npos);
  auto all = engine_->ListLessons({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
  auto history = engine_->LessonHistory(first.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].reason.rfind("merge: near-duplicate", 0), 0u) << (*history)[0].reason;
}

TEST_F(LearningEngineTest, RejectNamesTheExistingLessonAndAllowAdds) {
  Lesson first =
      AddOrDie(Make(LessonType::kBestPractice, "Rebase feature branches before merging", kRebase));
  NewLesson dup =
      Make(LessonType::kBestPractice, "Rebase feature branches before merging", kRebase);
  dup.on_duplicate = DuplicatePolicy::kReject;
  EXPECT_ERROR(engine_->AddLesson(dup), ErrorCode::kAlreadyExists, first.id);
  dup.on_duplicate = DuplicatePolicy::kAllow;
  Lesson second = AddOrDie(dup);
  EXPECT_NE(second.id, first.id);
  auto all = engine_->ListLessons({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  // A different lesson on the same topic is not a duplicate.
  Lesson other = AddOrDie(Make(LessonType::kBestPractice, "Write imperative commit subjects",
                               "Commit subjects should be imperative and short."));
  EXPECT_NE(other.id, first.id);
}

TEST_F(LearningEngineTest, ContradictionDetectedOnAddAndResolvedKeepsHistory) {
  Lesson keep =
      AddOrDie(Make(LessonType::kBestPractice, "Rebase feature branches before merging", kRebase));
  Lesson lose = AddOrDie(Make(LessonType::kAntiPattern, "Rebasing feature branches before merging",
                              "Rebasing a branch others pulled rewrites their history."));
  ContradictionChecker checker = engine_->contradictions();
  auto open = checker.List(ContradictionStatus::kOpen, 10);
  ASSERT_TRUE(open.ok()) << open.status().ToString();
  ASSERT_EQ(open->size(), 1u);
  const Contradiction c = (*open)[0];
  EXPECT_EQ(c.lesson_a, std::min(keep.id, lose.id));
  EXPECT_NE(c.reason.find("opposite stance"), std::string::npos) << c.reason;
  // A scan finds nothing new: the pair is stored once.
  auto scan = checker.Scan();
  ASSERT_TRUE(scan.ok());
  EXPECT_TRUE(scan->empty());

  EXPECT_ERROR(checker.Resolve(c.id, "not-a-member"), ErrorCode::kInvalidArgument, "not part");
  auto r = checker.Resolve(c.id, keep.id);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->contradiction.status, ContradictionStatus::kResolved);
  EXPECT_EQ(r->contradiction.winner, keep.id);
  auto lost = engine_->GetLesson(lose.id);
  ASSERT_TRUE(lost.ok());
  EXPECT_TRUE(lost->deprecated);
  EXPECT_EQ(lost->superseded_by, keep.id);
  auto history = engine_->LessonHistory(lose.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_FALSE((*history)[0].lesson.deprecated);
  EXPECT_NE((*history)[0].reason.find(keep.id), std::string::npos);
  EXPECT_ERROR(checker.Resolve(c.id, keep.id), ErrorCode::kFailedPrecondition, "resolved");
  EXPECT_TRUE(engine_->GetLesson(keep.id)->superseded_by == std::nullopt);
}

TEST_F(LearningEngineTest, DecayBatchWritesWithHistoryOnce) {
  Lesson l = AddOrDie(Make(LessonType::kBestPractice, "Rebase feature branches", kRebase));
  clock_.AdvanceMs(3 * kMonth);
  DecayRunOptions dry;
  dry.dry_run = true;
  auto report = engine_->decay().Run(dry);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->changes.size(), 1u);
  EXPECT_NEAR(report->changes[0].after, 0.5 * std::pow(0.98, 3), 1e-9);
  EXPECT_EQ(engine_->GetLesson(l.id)->version, 1);  // dry run wrote nothing

  report = engine_->decay().Run({});
  ASSERT_TRUE(report.ok());
  auto stored = engine_->GetLesson(l.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_NEAR(stored->confidence, 0.5 * std::pow(0.98, 3), 1e-9);
  EXPECT_EQ(stored->version, 2);
  EXPECT_NE(engine_->LessonHistory(l.id)->at(0).reason.find("decay: 0.98 ^ 3.00 months"),
            std::string::npos);
  // Run again at once: the clock restarted, nothing to do.
  report = engine_->decay().Run({});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->changes.empty());
  DecayRunOptions bad;
  bad.rate_per_month = 0;
  EXPECT_ERROR(engine_->decay().Run(bad), ErrorCode::kInvalidArgument, "rate");
}

TEST_F(LearningEngineTest, FrameworkMajorChangeDeprecatesOrHardDecays) {
  NewLesson old18 = Make(LessonType::kGotcha, "forwardRef is needed for refs",
                         "Wrap components in forwardRef to pass a ref.", {"react:18"});
  old18.topic = "react";
  NewLesson new19 = Make(LessonType::kGotcha, "Server actions run on the server",
                         "Mark them with use server.", {"react:19"});
  new19.topic = "react";
  Lesson a = AddOrDie(old18);
  Lesson b = AddOrDie(new19);
  DecayRunOptions hard;
  hard.framework = "react";
  hard.major = 19;
  hard.hard_decay = 0.5;
  auto r = engine_->decay().Run(hard);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->changes.size(), 1u);
  EXPECT_EQ(r->changes[0].action, "hard_decay");
  EXPECT_NEAR(engine_->GetLesson(a.id)->confidence, 0.25, 1e-12);
  DecayRunOptions dep;
  dep.framework = "react";
  dep.major = 19;
  r = engine_->decay().Run(dep);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(engine_->GetLesson(a.id)->deprecated);
  EXPECT_FALSE(engine_->GetLesson(b.id)->deprecated);
}

TEST_F(LearningEngineTest, Operations) {
  server::OperationTable table(*engine_);
  Json add{
      {"topic", "git"}, {"title", "Rebase feature branches before merging"}, {"content", kRebase}};
  auto first = table.Call("add_lesson", add);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->contains("dedupe"));
  auto merged = table.Call("add_lesson", add);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ((*merged)["id"], (*first)["id"]);
  EXPECT_EQ((*merged)["dedupe"]["merged"], true);
  add["on_duplicate"] = "reject";
  EXPECT_EQ(table.Call("add_lesson", add).status().code(), ErrorCode::kAlreadyExists);
  auto anti = table.Call("add_lesson", Json{{"type", "anti_pattern"},
                                            {"topic", "git"},
                                            {"title", "Rebasing feature branches before merging"},
                                            {"content", "It rewrites shared history."}});
  ASSERT_TRUE(anti.ok()) << anti.status().ToString();
  auto list = table.Call("list_contradictions", Json{{"scan", true}});
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ((*list)["count"], 1);
  auto resolved = table.Call(
      "resolve_contradiction",
      Json{{"contradiction_id", (*list)["contradictions"][0]["id"]}, {"keep", (*first)["id"]}});
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_EQ((*resolved)["superseded"]["superseded_by"], (*first)["id"]);
}

}  // namespace
}  // namespace engram::testing
