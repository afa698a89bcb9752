// Pure rules: stance, version tags, contradiction detection, decay.
#include "learn/contradictions.h"

#include <gtest/gtest.h>

#include <cmath>

#include "learn/decay.h"
#include "learn/lesson_text.h"

namespace engram::learn {
namespace {

Lesson L(LessonType type, std::string topic, std::string title, std::string content,
         std::vector<std::string> tags = {}) {
  Lesson l;
  l.id = title;
  l.type = type;
  l.topic = std::move(topic);
  l.title = std::move(title);
  l.content = std::move(content);
  l.tags = std::move(tags);
  return l;
}

TEST(LessonTextTest, StanceFromTypeAndCues) {
  EXPECT_EQ(Stance(LessonType::kAntiPattern, "Rebase often", ""), -1);
  EXPECT_EQ(Stance(LessonType::kBestPractice, "Never rebase shared branches", ""), -1);
  EXPECT_EQ(Stance(LessonType::kGotcha, "Do not block the event loop", ""), -1);
  EXPECT_EQ(Stance(LessonType::kGotcha, "Don't block the event loop", ""), -1);
  EXPECT_EQ(Stance(LessonType::kHeuristic, "Prefer small commits", ""), 1);
  EXPECT_EQ(Stance(LessonType::kBestPractice, "Small commits", ""), 1);
  EXPECT_EQ(Stance(LessonType::kGotcha, "WAL needs shm", "It breaks on NFS."), 0);
  EXPECT_EQ(Stance(LessonType::kGotcha, "WAL on NFS", "Avoid it there. Fine elsewhere."), -1);
}

TEST(LessonTextTest, ANegatedLapseSaysDo) {
  // "Never skip X" and "run X" give the same advice (not a contradiction).
  EXPECT_EQ(Stance(LessonType::kGotcha, "Deploy checklist gotcha", "Never skip the checklist."), 1);
  EXPECT_EQ(Stance(LessonType::kGotcha, "Don't forget to await the promise", ""), 1);
  EXPECT_EQ(Stance(LessonType::kGotcha, "Do not omit the lock file", ""), 1);
  EXPECT_EQ(Stance(LessonType::kGotcha, "Never use eval", ""), -1);
  EXPECT_EQ(Stance(LessonType::kGotcha, "Avoid skipping", "Avoid retries."), 1);
}

TEST(LessonTextTest, VersionTags) {
  auto v = ParseVersionTag("react:18");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->framework, "react");
  EXPECT_EQ(v->major, 18);
  EXPECT_EQ(ParseVersionTag("node:20.11")->major, 20);
  EXPECT_EQ(ParseVersionTag("python:v3")->major, 3);
  EXPECT_FALSE(ParseVersionTag("lang:ts"));
  EXPECT_FALSE(ParseVersionTag("react"));
  EXPECT_FALSE(ParseVersionTag("react:18x"));
}

TEST(ContradictionTest, OppositeTypesOnSameSubject) {
  Lesson a = L(LessonType::kBestPractice, "git", "Rebase feature branches before merging",
               "Rebase the feature branch on main before merging to keep history linear.");
  Lesson b = L(LessonType::kAntiPattern, "Git", "Rebasing feature branches before merging",
               "Rebasing a feature branch others pulled rewrites their history; merge main in.");
  auto f = DetectContradiction(a, b, std::nullopt);
  ASSERT_TRUE(f);
  EXPECT_NE(f->reason.find("opposite stance: best_practice says do, anti_pattern says avoid"),
            std::string::npos)
      << f->reason;
  EXPECT_NE(f->reason.find("branch"), std::string::npos) << f->reason;
}

TEST(ContradictionTest, CueWordsDecideStance) {
  Lesson a = L(LessonType::kHeuristic, "react", "Always use useMemo for derived lists",
               "Memoize derived lists.");
  Lesson b = L(LessonType::kHeuristic, "react", "Never use useMemo for derived lists",
               "It costs more than it saves.");
  ASSERT_TRUE(DetectContradiction(a, b, std::nullopt));
  Lesson c = L(LessonType::kHeuristic, "react", "Always use useMemo for derived lists",
               "Memoize derived lists.");
  c.id = "other";
  EXPECT_FALSE(DetectContradiction(a, c, std::nullopt));  // same stance: not a contradiction
}

TEST(ContradictionTest, DifferentTopicOrSubjectIsNone) {
  Lesson a = L(LessonType::kBestPractice, "git", "Rebase before merging", "Keep history linear.");
  Lesson b = L(LessonType::kAntiPattern, "svn", "Rebase before merging", "Keep history linear.");
  EXPECT_FALSE(DetectContradiction(a, b, std::nullopt));
  Lesson c =
      L(LessonType::kAntiPattern, "git", "Committing secrets", "Secrets in history leak forever.");
  EXPECT_FALSE(DetectContradiction(a, c, std::nullopt));
  // A high cosine lowers the subject bar, but only to 0.15.
  EXPECT_FALSE(DetectContradiction(a, c, 0.95));
}

TEST(ContradictionTest, VersionMismatch) {
  Lesson a = L(LessonType::kBestPractice, "react", "Use defaultProps on function components",
               "Declare defaults with defaultProps.", {"react:17"});
  Lesson b = L(LessonType::kBestPractice, "react", "Use default parameters on function components",
               "Declare defaults as default parameters.", {"react:19"});
  auto f = DetectContradiction(a, b, std::nullopt);
  ASSERT_TRUE(f);
  EXPECT_NE(f->reason.find("version mismatch: react:17 vs react:19"), std::string::npos)
      << f->reason;
}

TEST(DecayTest, FactorFollowsMonthsSinceLaterOfUseAndUpdate) {
  constexpr Timestamp kMonth = 30LL * 24 * 3600 * 1000;
  Lesson l;
  l.confidence = 0.8;
  l.updated_at = 0;
  EXPECT_DOUBLE_EQ(DecayFactor(l, 0), 1.0);
  EXPECT_NEAR(DecayFactor(l, 3 * kMonth), std::pow(0.98, 3), 1e-12);
  EXPECT_NEAR(DecayedConfidence(l, 3 * kMonth), 0.8 * std::pow(0.98, 3), 1e-12);
  l.last_used_at = 2 * kMonth;  // used later: clock moves
  EXPECT_NEAR(MonthsUnused(l, 3 * kMonth), 1.0, 1e-12);
  l.updated_at = 3 * kMonth;  // written later than used
  EXPECT_DOUBLE_EQ(MonthsUnused(l, 3 * kMonth), 0.0);
  EXPECT_DOUBLE_EQ(MonthsUnused(l, 0), 0.0);  // never negative
  DecayOptions bad;
  bad.rate_per_month = 1.5;  // out of range: no decay
  EXPECT_DOUBLE_EQ(DecayFactor(l, 30 * kMonth, bad), 1.0);
}

TEST(DecayTest, OlderMajorTag) {
  Lesson l;
  l.tags = {"hooks", "react:18"};
  ASSERT_TRUE(OlderMajorTag(l, "react", 19));
  EXPECT_EQ(OlderMajorTag(l, "react", 19)->major, 18);
  EXPECT_FALSE(OlderMajorTag(l, "react", 18));
  EXPECT_FALSE(OlderMajorTag(l, "vue", 4));
}

}  // namespace
}  // namespace engram::learn
