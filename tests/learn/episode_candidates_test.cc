// Episode candidates: recovery gotchas and repeated-failure anti-patterns.
#include "learn/episode_candidates.h"

#include <gtest/gtest.h>

#include <string>

#include "engram/reward.h"

namespace engram::learn {
namespace {

Step MakeStep(int number, const std::string& tool, const std::string& action,
              StepStatus status = StepStatus::kSuccess, const std::string& output = "") {
  Step s;
  s.number = number;
  s.tool = tool;
  s.action = action;
  s.result.status = status;
  s.result.output = output;
  return s;
}

Episode Completed(std::vector<Step> steps, Outcome outcome) {
  Episode e;
  e.id = "ep-1";
  e.task_type = TaskType::kDebugging;
  e.description = "Fix flaky login test";
  e.context.language = "TypeScript";
  e.context.framework = "jest";
  e.steps = std::move(steps);
  e.outcome = std::move(outcome);
  e.reflection = Reflect(e);
  return e;
}

TEST(EpisodeCandidatesTest, ErrorSignatureKeepsWhatRepeats) {
  EXPECT_EQ(ErrorSignature("\n  Timeout after 5300 ms in login.spec.ts:42\nstack..."),
            "timeout after # ms in <path>");
  EXPECT_EQ(ErrorSignature("Error   E1234:\tbad"), "error e#: bad");
  EXPECT_EQ(ErrorSignature("v1.2 failed."), "v#.# failed.");
  EXPECT_EQ(ErrorSignature(""), "");
}

TEST(EpisodeCandidatesTest, RecoveryAfterAnErrorIsAGotcha) {
  Episode e = Completed({MakeStep(1, "bash", "npm test", StepStatus::kError,
                                  "Timeout in login.spec.ts after 5000 ms"),
                         MakeStep(2, "editor", "await the session promise in beforeEach"),
                         MakeStep(3, "bash", "npm test")},
                        SuccessOutcome{"test stable", {}});
  auto c = EpisodeCandidates(e, {});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].type, LessonType::kGotcha);
  EXPECT_EQ(c[0].topic, "jest");
  EXPECT_EQ(c[0].tags, (std::vector<std::string>{"typescript", "jest", "episode"}));
  EXPECT_EQ(c[0].title, "`npm test` fails with \"Timeout in login.spec.ts after 5000 ms\"");
  EXPECT_NE(c[0].content.find("What worked: editor `await the session promise in beforeEach`"),
            std::string::npos)
      << c[0].content;
  EXPECT_DOUBLE_EQ(c[0].confidence, 0.6);  // 0.5 + the last test run passed
  EXPECT_NE(c[0].rationale.find("reflection \"Recovered from error in `bash` after 1 failed "
                                "attempt (step 1 -> step 3)\""),
            std::string::npos)
      << c[0].rationale;
  EXPECT_NE(c[0].evidence.find("step 1 bash `npm test` error: Timeout"), std::string::npos);
  EXPECT_EQ(c[0].key, "gotcha:bash:timeout in <path> after # ms");
}

TEST(EpisodeCandidatesTest, NoRecoveryOrAFailedEpisodeGivesNoGotcha) {
  Episode clean = Completed({MakeStep(1, "bash", "npm test")}, SuccessOutcome{});
  EXPECT_TRUE(EpisodeCandidates(clean, {}).empty());
  Episode failed = Completed({MakeStep(1, "bash", "npm test", StepStatus::kError, "boom"),
                              MakeStep(2, "bash", "npm test -u")},
                             FailureOutcome{"gave up", ""});
  EXPECT_TRUE(EpisodeCandidates(failed, {}).empty()) << "a failure is not a gotcha";
}

TEST(EpisodeCandidatesTest, RepeatedFailureNeedsTwoEarlierAlike) {
  Episode e = Completed({MakeStep(1, "bash", "cargo build", StepStatus::kError,
                                  "error[E0502]: cannot borrow `x` as mutable at src/main.rs:12"),
                         MakeStep(2, "bash", "cargo build", StepStatus::kError,
                                  "error[E0502]: cannot borrow `x` as mutable at src/main.rs:14")},
                        FailureOutcome{"borrow checker", ""});
  EXPECT_EQ(FailureSignature(e), "bash: error[e#]: cannot borrow `x` as mutable at <path>");
  EXPECT_TRUE(EpisodeCandidates(e, EpisodeHistory{{"old-1"}}).empty());
  auto c = EpisodeCandidates(e, EpisodeHistory{{"old-1", "old-2"}});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].type, LessonType::kAntiPattern);
  EXPECT_DOUBLE_EQ(c[0].confidence, 0.4);
  EXPECT_NE(c[0].content.find("3 episodes of a debugging task (TypeScript/jest) failed the same "
                              "way"),
            std::string::npos)
      << c[0].content;
  EXPECT_NE(c[0].content.find("Reflection: Avoid repeating `cargo build`"), std::string::npos)
      << c[0].content;
  EXPECT_NE(c[0].evidence.find("old-1 old-2"), std::string::npos);
  auto more = EpisodeCandidates(e, EpisodeHistory{{"a", "b", "c", "d", "e", "f", "g", "h"}});
  EXPECT_DOUBLE_EQ(more[0].confidence, 0.8);  // 0.4 + 0.1 * 6, capped
  EXPECT_EQ(more[0].key, c[0].key);
}

TEST(EpisodeCandidatesTest, FailureSignatureFallsBackToTheReason) {
  Episode no_steps = Completed({}, FailureOutcome{"Missing API key 42", ""});
  EXPECT_EQ(FailureSignature(no_steps), "reason: missing api key #");
  Episode ok = Completed({}, SuccessOutcome{});
  EXPECT_EQ(FailureSignature(ok), "");
}

}  // namespace
}  // namespace engram::learn
