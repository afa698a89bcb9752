#include "core/validate.h"

#include "engram/int_ranges.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace engram {
namespace {

const Limits kLimits;

std::string Message(const Status& s) { return s.ToString(); }

StartEpisodeRequest ValidStart() {
  StartEpisodeRequest r;
  r.task_type = TaskType::kDebugging;
  r.description = "fix the flaky test";
  r.context.language = "c++";
  r.context.tags = {"ci"};
  return r;
}

StepInput ValidStep() {
  StepInput s;
  s.tool = "bash";
  s.action = "ctest";
  s.result = {StepStatus::kSuccess, "ok"};
  return s;
}

NewLesson ValidLesson() {
  NewLesson l;
  l.topic = "sqlite";
  l.title = "Use WAL";
  l.content = "WAL lets readers run during writes.";
  return l;
}

TEST(IsValidUtf8, AcceptsWellFormedAndRejectsMalformed) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xff"));
}

TEST(ValidateStartEpisode, AcceptsAValidRequest) {
  EXPECT_TRUE(ValidateStartEpisode(ValidStart(), kLimits).ok());
}

TEST(ValidateStartEpisode, DescriptionIsRequired) {
  StartEpisodeRequest r = ValidStart();
  r.description = "  \n";
  EXPECT_EQ(Message(ValidateStartEpisode(r, kLimits)),
            "invalid_argument: description is required and must not be empty");
}

TEST(ValidateStartEpisode, OversizedDescriptionNamesSizeAndLimit) {
  StartEpisodeRequest r = ValidStart();
  r.description = std::string(9000, 'x');
  EXPECT_EQ(Message(ValidateStartEpisode(r, kLimits)),
            "invalid_argument: description is 9000 bytes; the limit is 8192");
}

TEST(ValidateStartEpisode, DescriptionExactlyAtTheLimitIsAccepted) {
  StartEpisodeRequest r = ValidStart();
  r.description = std::string(kLimits.max_description_bytes, 'x');
  EXPECT_TRUE(ValidateStartEpisode(r, kLimits).ok());
}

TEST(ValidateStartEpisode, RejectsInvalidUtf8) {
  StartEpisodeRequest r = ValidStart();
  r.description = "bad \xff byte";
  EXPECT_EQ(Message(ValidateStartEpisode(r, kLimits)),
            "invalid_argument: description is not valid UTF-8");
}

TEST(ValidateStartEpisode, ChecksContextFields) {
  StartEpisodeRequest r = ValidStart();
  r.context.project = std::string(300, 'p');
  EXPECT_EQ(Message(ValidateStartEpisode(r, kLimits)),
            "invalid_argument: context.project is 300 bytes; the limit is 256");
  r = ValidStart();
  r.context.domain = "web\napp";
  EXPECT_EQ(Message(ValidateStartEpisode(r, kLimits)),
            "invalid_argument: context.domain must not contain control characters");
  r = ValidStart();
  r.context.tags = {"ok", "Not Valid"};
  EXPECT_EQ(Message(ValidateStartEpisode(r, kLimits)),
            "invalid_argument: context.tags[1] 'not valid' must match [a-z0-9][a-z0-9._:+#/-]*");
}

TEST(ValidateStartEpisode, MetadataMustBeAnObjectWithinTheJsonLimit) {
  StartEpisodeRequest r = ValidStart();
  r.metadata = Json::array();
  EXPECT_EQ(Message(ValidateStartEpisode(r, kLimits)),
            "invalid_argument: metadata must be a JSON object");
  Limits small;
  small.max_json_bytes = 10;
  r.metadata = Json{{"k", "0123456789"}};
  EXPECT_EQ(Message(ValidateStartEpisode(r, small)),
            "invalid_argument: metadata is 18 bytes; the limit is 10");
}

TEST(ValidateStartEpisode, MetadataWithInvalidUtf8IsRejectedNotThrown) {
  StartEpisodeRequest r = ValidStart();
  r.metadata = Json{{"k", "\xff"}};
  EXPECT_EQ(Message(ValidateStartEpisode(r, kLimits)),
            "invalid_argument: metadata contains a string that is not valid UTF-8");
}

TEST(ValidateStartEpisode, OutOfRangeEnumIsRejected) {
  StartEpisodeRequest r = ValidStart();
  r.task_type = static_cast<TaskType>(99);
  EXPECT_EQ(Message(ValidateStartEpisode(r, kLimits)),
            "invalid_argument: task_type has an unknown value");
}

TEST(ValidateStepInput, AcceptsAValidStep) {
  EXPECT_TRUE(ValidateStepInput(ValidStep(), kLimits).ok());
}

TEST(ValidateStepInput, ToolAndActionAreRequired) {
  StepInput s = ValidStep();
  s.tool = "";
  EXPECT_EQ(Message(ValidateStepInput(s, kLimits)),
            "invalid_argument: tool is required and must not be empty");
  s = ValidStep();
  s.action = "";
  EXPECT_EQ(Message(ValidateStepInput(s, kLimits)),
            "invalid_argument: action is required and must not be empty");
}

TEST(ValidateStepInput, NegativeLatencyAndTokensAreRejected) {
  StepInput s = ValidStep();
  s.latency_ms = -5;
  EXPECT_EQ(Message(ValidateStepInput(s, kLimits)),
            "invalid_argument: latency_ms must be in 0..31622400000 (got -5)");
  s = ValidStep();
  s.tokens = -1;
  EXPECT_FALSE(ValidateStepInput(s, kLimits).ok());
}

// Issue 20 §2: the same ranges as the operation schemas (engram/int_ranges.h).
TEST(ValidateStepInput, IntegersBeyondTheirRangeAreRejected) {
  StepInput s = ValidStep();
  s.latency_ms = kMaxStepLatencyMs;
  EXPECT_TRUE(ValidateStepInput(s, kLimits).ok());
  s.latency_ms = kMaxStepLatencyMs + 1;
  EXPECT_FALSE(ValidateStepInput(s, kLimits).ok());
  s = ValidStep();
  s.tokens = kMaxStepTokens + 1;
  EXPECT_FALSE(ValidateStepInput(s, kLimits).ok());
  s = ValidStep();
  s.timestamp = kMaxTimestampMs + 1;
  EXPECT_FALSE(ValidateStepInput(s, kLimits).ok());
}

TEST(ValidateStepInput, OutputOverTheTextLimitIsRejected) {
  StepInput s = ValidStep();
  s.result.output = std::string(kLimits.max_text_bytes + 1, 'o');
  EXPECT_EQ(Message(ValidateStepInput(s, kLimits)),
            "invalid_argument: result.output is 65537 bytes; the limit is 65536");
}

TEST(ValidateStepInput, ParametersMustBeAnObject) {
  StepInput s = ValidStep();
  s.parameters = "ls";
  EXPECT_EQ(Message(ValidateStepInput(s, kLimits)),
            "invalid_argument: parameters must be a JSON object");
}

TEST(ValidateOutcome, ChecksEachVariantsFields) {
  EXPECT_TRUE(ValidateOutcome(SuccessOutcome{"done", {"a.cc"}}, kLimits).ok());
  EXPECT_EQ(Message(ValidateOutcome(FailureOutcome{std::string(600, 'r'), ""}, kLimits)),
            "invalid_argument: reason is 600 bytes; the limit is 512");
  EXPECT_EQ(Message(ValidateOutcome(AbstainedOutcome{"unsafe", -1}, kLimits)),
            "invalid_argument: stopped_at_step must be >= 0 (got -1)");
  EXPECT_EQ(Message(ValidateOutcome(PartialOutcome{{"ok"}, {"ok", "\xc3"}}, kLimits)),
            "invalid_argument: failed[1] is not valid UTF-8");
}

TEST(ValidateOutcome, ListItemCountIsLimited) {
  Limits small;
  small.max_list_items = 2;
  EXPECT_EQ(Message(ValidateOutcome(SuccessOutcome{"", {"a", "b", "c"}}, small)),
            "invalid_argument: artifacts has 3 items; the limit is 2");
}

TEST(ValidateNewLesson, AcceptsAValidLesson) {
  EXPECT_TRUE(ValidateNewLesson(ValidLesson(), kLimits).ok());
}

TEST(ValidateNewLesson, RequiresTopicTitleAndContent) {
  for (auto clear : {+[](NewLesson& l) { l.topic.clear(); }, +[](NewLesson& l) { l.title.clear(); },
                     +[](NewLesson& l) { l.content.clear(); }}) {
    NewLesson l = ValidLesson();
    clear(l);
    EXPECT_TRUE(ValidateNewLesson(l, kLimits).IsInvalidArgument());
  }
}

TEST(ValidateNewLesson, ConfidenceMustBeFiniteInUnitInterval) {
  for (double bad : {-0.01, 1.01, std::nan(""), std::numeric_limits<double>::infinity()}) {
    NewLesson l = ValidLesson();
    l.confidence = bad;
    EXPECT_TRUE(ValidateNewLesson(l, kLimits).IsInvalidArgument()) << bad;
  }
  for (double ok : {0.0, 1.0, 0.5}) {
    NewLesson l = ValidLesson();
    l.confidence = ok;
    EXPECT_TRUE(ValidateNewLesson(l, kLimits).ok()) << ok;
  }
}

TEST(ValidateNewLesson, ProjectIsRequiredExactlyWhenScopeIsProject) {
  NewLesson l = ValidLesson();
  l.scope = LessonScope::kProject;
  EXPECT_EQ(Message(ValidateNewLesson(l, kLimits)),
            "invalid_argument: project is required when scope is project");
  l.project = "engram";
  EXPECT_TRUE(ValidateNewLesson(l, kLimits).ok());
  l.scope = LessonScope::kGlobal;
  EXPECT_EQ(Message(ValidateNewLesson(l, kLimits)),
            "invalid_argument: project must be empty when scope is global");
}

TEST(ValidateLessonPatch, ChecksOnlyTheFieldsThatAreSet) {
  EXPECT_TRUE(ValidateLessonPatch(LessonPatch{}, kLimits).ok());
  LessonPatch p;
  p.title = "";
  EXPECT_EQ(Message(ValidateLessonPatch(p, kLimits)),
            "invalid_argument: title is required and must not be empty");
  p = {};
  p.confidence = 2;
  EXPECT_TRUE(ValidateLessonPatch(p, kLimits).IsInvalidArgument());
  p = {};
  p.tags = std::vector<std::string>{"-bad"};
  EXPECT_TRUE(ValidateLessonPatch(p, kLimits).IsInvalidArgument());
}

TEST(ValidateLessonPatch, ScopeAndProjectMustAgreeWhenBothSet) {
  LessonPatch p;
  p.scope = LessonScope::kProject;
  EXPECT_TRUE(ValidateLessonPatch(p, kLimits).ok());  // project comes from the stored lesson
  p.project = "";
  EXPECT_TRUE(ValidateLessonPatch(p, kLimits).IsInvalidArgument());
  p.scope = LessonScope::kGlobal;
  p.project = "x";
  EXPECT_TRUE(ValidateLessonPatch(p, kLimits).IsInvalidArgument());
}

TEST(ValidateKv, KeyAndNamespaceAreRequiredShortIdentifiers) {
  EXPECT_TRUE(ValidateKvKey("agent", "cursor", kLimits).ok());
  EXPECT_EQ(Message(ValidateKvKey("", "k", kLimits)),
            "invalid_argument: ns is required and must not be empty");
  EXPECT_EQ(Message(ValidateKvKey("ns", std::string(257, 'k'), kLimits)),
            "invalid_argument: key is 257 bytes; the limit is 256");
  EXPECT_TRUE(ValidateKvKey("ns", std::string("a\0b", 3), kLimits).IsInvalidArgument());
}

TEST(ValidateKv, ValueMayBeAnyJsonWithinTheLimit) {
  EXPECT_TRUE(ValidateKvValue(Json(nullptr), kLimits).ok());
  EXPECT_TRUE(ValidateKvValue(Json::array({1, 2}), kLimits).ok());
  Limits small;
  small.max_json_bytes = 4;
  EXPECT_EQ(Message(ValidateKvValue(Json("abcd"), small)),
            "invalid_argument: value is 6 bytes; the limit is 4");
}

TEST(NormalizeTags, LowerCasesTrimsSortsAndDeduplicates) {
  Result<std::vector<std::string>> tags =
      NormalizeTags({" Rust ", "c++", "rust", "ci/cd", "a:b#c.d_e-f"}, kLimits);
  ASSERT_TRUE(tags.ok()) << tags.status().ToString();
  EXPECT_EQ(*tags, (std::vector<std::string>{"a:b#c.d_e-f", "c++", "ci/cd", "rust"}));
}

TEST(NormalizeTags, RejectsBadFormatEmptyAndOverlong) {
  EXPECT_EQ(NormalizeTags({"ok", "  "}, kLimits).status().message(), "tags[1] is empty");
  EXPECT_EQ(NormalizeTags({".hidden"}, kLimits).status().message(),
            "tags[0] '.hidden' must match [a-z0-9][a-z0-9._:+#/-]*");
  EXPECT_EQ(NormalizeTags({"has space"}, kLimits).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(NormalizeTags({std::string(65, 'a')}, kLimits).status().message(),
            "tags[0] is 65 bytes; the limit is 64");
}

TEST(NormalizeTags, CountsDistinctTagsAgainstTheLimit) {
  Limits small;
  small.max_tags = 2;
  EXPECT_TRUE(NormalizeTags({"a", "A", "b", " b"}, small).ok());
  EXPECT_EQ(NormalizeTags({"a", "b", "c"}, small).status().message(),
            "tags has 3 distinct tags; the limit is 2");
}

}  // namespace
}  // namespace engram
