// Lesson::situations bookkeeping (src/core/situations.h) and their
// validation (ValidateLesson).
#include "core/situations.h"

#include <gtest/gtest.h>

#include "core/validate.h"

namespace engram {
namespace {

TEST(Situations, AddSkipsBlanksAndRepeatsAndKeepsTheNewest) {
  std::vector<std::string> s = {"a timeout"};
  EXPECT_FALSE(AddSituations(s, {"  a timeout ", "", "   "}, 3));
  EXPECT_EQ(s, (std::vector<std::string>{"a timeout"}));
  EXPECT_TRUE(AddSituations(s, {" b crash\n", "c leak", "d hang"}, 3));
  EXPECT_EQ(s, (std::vector<std::string>{"b crash", "c leak", "d hang"})) << "oldest dropped";
}

Episode EpisodeOf(const std::string& project, const std::string& description) {
  Episode e;
  e.context.project = project;
  e.description = description;
  return e;
}

TEST(Situations, AnEpisodeTeachesOnlyALessonOfItsOwnProject) {
  Episode e = EpisodeOf("billing", "Fix flaky ledger test");
  EXPECT_EQ(EpisodeSituation(e, "billing", 8192), "Fix flaky ledger test");
  EXPECT_FALSE(EpisodeSituation(e, "", 8192)) << "a global lesson never holds billing's text";
  EXPECT_FALSE(EpisodeSituation(e, "shop", 8192));
  EXPECT_EQ(EpisodeSituation(EpisodeOf("", "Fix it"), "", 8192), "Fix it");
  EXPECT_FALSE(EpisodeSituation(EpisodeOf("", "  "), "", 8192));
}

TEST(Situations, TheFirstErrorFollowsTheDescriptionWhenItFits) {
  Episode e = EpisodeOf("", "Fix flaky login test");
  Step ok;
  ok.result = {StepStatus::kSuccess, "fine"};
  Step first;
  first.result = {StepStatus::kError, "  Timeout in login.spec.ts\n  at line 3"};
  Step second;
  second.result = {StepStatus::kError, "later error"};
  e.steps = {ok, first, second};
  EXPECT_EQ(EpisodeSituation(e, "", 8192),
            "Fix flaky login test (error: Timeout in login.spec.ts)");
  EXPECT_EQ(EpisodeSituation(e, "", 30), "Fix flaky login test") << "no room: description only";
  // A long error is cut to whole UTF-8 characters.
  std::string err;
  while (err.size() < kMaxEpisodeErrorBytes + 10) err += "\xC3\xA9";  // é
  e.steps = {Step{}};
  e.steps[0].result = {StepStatus::kError, err};
  auto s = EpisodeSituation(e, "", 8192);
  ASSERT_TRUE(s);
  EXPECT_TRUE(IsValidUtf8(*s)) << *s;
  EXPECT_LE(s->size(),
            std::string("Fix flaky login test (error: )").size() + kMaxEpisodeErrorBytes);
}

TEST(Situations, ValidationNamesTheEntryAndTheLimit) {
  Limits limits;
  Lesson l;
  l.topic = "testing";
  l.title = "t";
  l.content = "c";
  l.situations = {"ok", " "};
  Status st = ValidateLesson(l, limits);
  EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(st.message().find("situations[1]"), std::string::npos) << st.ToString();
  l.situations.assign(limits.max_situations + 1, "x");
  st = ValidateLesson(l, limits);
  EXPECT_NE(st.message().find("situations has 9 entries; the limit is 8"), std::string::npos)
      << st.ToString();
  l.situations = {std::string(limits.max_description_bytes + 1, 'a')};
  st = ValidateLesson(l, limits);
  EXPECT_NE(st.message().find("situations[0]"), std::string::npos) << st.ToString();
  l.situations = {"fine"};
  EXPECT_TRUE(ValidateLesson(l, limits).ok());
  LessonPatch p;
  p.situations = std::vector<std::string>{""};
  EXPECT_FALSE(ValidateLessonPatch(p, limits).ok());
}

}  // namespace
}  // namespace engram
