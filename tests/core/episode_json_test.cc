#include <gtest/gtest.h>

#include "engram/episode.h"

namespace engram {
namespace {

Step FullStep() {
  Step s;
  s.number = 3;
  s.tool = "bash";
  s.action = "ctest --output-on-failure";
  s.parameters = Json{{"cwd", "/tmp"}, {"args", Json::array({1, 2})}};
  s.result = {StepStatus::kError, "1 test failed"};
  s.latency_ms = 1234;
  s.tokens = 77;
  s.observation = "flaky test";
  s.timestamp = 1'700'000'000'123;
  return s;
}

Episode FullEpisode() {
  Episode e;
  e.id = "0193f1c2-7b4e-7a10-8c3d-2f9e6b1a4c5d";
  e.task_type = TaskType::kDebugging;
  e.description = "fix the flaky test \xc3\xa9";
  e.context = {"c++", "gtest", "infra", "engram", {"ci", "flaky"}, Complexity::kComplex};
  e.steps = {FullStep(), FullStep()};
  e.steps[1].number = 4;
  e.steps[1].result = {StepStatus::kTimeout, ""};
  e.outcome = PartialOutcome{{"a", "b"}, {"c"}};
  e.reward = RewardBreakdown{0.5, 0.1, 0.05, 0.02, 0.01, 0.68, {"base: x", "eff: y"}};
  e.reflection = Reflection{{"s"}, {"f"}, {"i"}, {"n1", "n2"}};
  e.started_at = 1'700'000'000'000;
  e.ended_at = 1'700'000'060'000;
  e.metadata = Json{{"agent", "claude"}};
  return e;
}

TEST(StepJson, UsesSnakeCaseFieldsAndStringEnums) {
  const Json j = ToJson(FullStep());
  EXPECT_EQ(j, Json::parse(R"({
    "number": 3, "tool": "bash", "action": "ctest --output-on-failure",
    "parameters": {"cwd": "/tmp", "args": [1, 2]},
    "result": {"status": "error", "output": "1 test failed"},
    "latency_ms": 1234, "tokens": 77, "observation": "flaky test",
    "timestamp": 1700000000123})"));
}

TEST(StepJson, MissingOptionalFieldsTakeDefaults) {
  Result<Step> s = StepFromJson(Json{{"tool", "grep"}, {"action", "grep -r x"}});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->tool, "grep");
  EXPECT_EQ(s->result.status, StepStatus::kSuccess);
  EXPECT_EQ(s->latency_ms, 0);
  EXPECT_EQ(s->parameters, Json::object());
}

TEST(StepJson, WrongTypeNamesTheField) {
  Json j = ToJson(FullStep());
  j["latency_ms"] = "fast";
  Result<Step> s = StepFromJson(j);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().ToString(), "invalid_argument: step.latency_ms must be an integer");
}

TEST(StepJson, FractionalIntegerIsRejected) {
  Json j = ToJson(FullStep());
  j["tokens"] = 1.5;
  EXPECT_EQ(StepFromJson(j).status().message(), "step.tokens must be an integer");
}

TEST(StepJson, NumberOutOfIntRangeIsRejected) {
  Json j = ToJson(FullStep());
  j["number"] = std::int64_t{1} << 40;
  EXPECT_EQ(StepFromJson(j).status().message(), "step.number is out of range");
  j["number"] = 1;
  j["latency_ms"] = std::uint64_t{1} << 63;
  EXPECT_EQ(StepFromJson(j).status().message(), "step.latency_ms is out of range");
}

TEST(StepJson, UnknownStatusNamesFieldAndChoices) {
  Json j = ToJson(FullStep());
  j["result"]["status"] = "crashed";
  EXPECT_EQ(StepFromJson(j).status().message(),
            "step.result.status: unknown step status 'crashed'; expected one of: success, "
            "error, timeout");
}

TEST(StepJson, NonObjectInputIsRejected) {
  EXPECT_EQ(StepFromJson(Json::array()).status().message(), "step must be an object");
  Json j = ToJson(FullStep());
  j["parameters"] = "x=1";
  EXPECT_EQ(StepFromJson(j).status().message(), "step.parameters must be an object");
}

TEST(TaskContextJson, RoundTripsAndRejectsNonStringTags) {
  const TaskContext c{"go", "gin", "web", "p1", {"a", "b"}, Complexity::kSimple};
  Result<TaskContext> back = TaskContextFromJson(ToJson(c));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(ToJson(*back), ToJson(c));
  EXPECT_EQ(back->complexity, Complexity::kSimple);
  Json bad = ToJson(c);
  bad["tags"] = Json::array({"ok", 3});
  EXPECT_EQ(TaskContextFromJson(bad).status().message(), "context.tags[1] must be a string");
}

TEST(OutcomeJson, EveryVariantRoundTrips) {
  const std::vector<Outcome> outcomes = {
      SuccessOutcome{"done", {"a.cc", "PR #1"}}, PartialOutcome{{"x"}, {"y", "z"}},
      FailureOutcome{"build broke", "ld error"}, AbstainedOutcome{"unsafe", 7}};
  for (const Outcome& o : outcomes) {
    const Json j = ToJson(o);
    EXPECT_EQ(j["kind"], OutcomeKind(o));
    Result<Outcome> back = OutcomeFromJson(j);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->index(), o.index());
    EXPECT_EQ(ToJson(*back), j);
  }
  EXPECT_EQ(ToJson(Outcome{AbstainedOutcome{"unsafe", 7}}),
            Json::parse(R"({"kind":"abstained","reason":"unsafe","stopped_at_step":7})"));
}

TEST(OutcomeJson, KindIsRequiredAndMustBeKnown) {
  EXPECT_EQ(OutcomeFromJson(Json::object()).status().message(), "outcome.kind is required");
  EXPECT_EQ(OutcomeFromJson(Json{{"kind", "won"}}).status().message(),
            "outcome.kind: unknown outcome kind 'won'; expected one of: success, partial, "
            "failure, abstained");
}

TEST(RewardJson, RoundTripsAndRejectsStrings) {
  const RewardBreakdown r{0.7, 0.12, 0.05, 0.08, 0.025, 0.995, {"a", "b"}};
  Result<RewardBreakdown> back = RewardFromJson(ToJson(r));
  ASSERT_TRUE(back.ok());
  EXPECT_DOUBLE_EQ(back->total, 0.995);
  EXPECT_EQ(ToJson(*back), ToJson(r));
  Json bad = ToJson(r);
  bad["quality"] = "high";
  EXPECT_EQ(RewardFromJson(bad).status().message(), "reward.quality must be a number");
}

TEST(ReflectionJson, RoundTrips) {
  const Reflection r{{"s1"}, {"f1", "f2"}, {"i1"}, {}};
  Result<Reflection> back = ReflectionFromJson(ToJson(r));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->failures, r.failures);
  EXPECT_EQ(ToJson(*back), ToJson(r));
}

TEST(EpisodeJson, FullEpisodeRoundTripsLosslessly) {
  const Episode e = FullEpisode();
  const Json j = ToJson(e);
  Result<Episode> back = EpisodeFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ToJson(*back), j);
  EXPECT_EQ(back->steps.size(), 2u);
  EXPECT_EQ(back->ended_at, e.ended_at);
  EXPECT_TRUE(back->completed());
  // Survives serialisation to text too.
  Result<Episode> reparsed = EpisodeFromJson(Json::parse(j.dump()));
  ASSERT_TRUE(reparsed.ok());
  EXPECT_EQ(ToJson(*reparsed), j);
}

TEST(EpisodeJson, TimestampsAreIntegerMilliseconds) {
  const Json j = ToJson(FullEpisode());
  EXPECT_TRUE(j["started_at"].is_number_integer());
  EXPECT_EQ(j["started_at"], 1'700'000'000'000);
  EXPECT_EQ(j["ended_at"], 1'700'000'060'000);
}

TEST(EpisodeJson, UnsetOptionalsAreOmittedAndReadBackUnset) {
  Episode e;
  e.id = "x";
  const Json j = ToJson(e);
  for (const char* key : {"outcome", "reward", "reflection", "ended_at"}) {
    EXPECT_FALSE(j.contains(key)) << key;
  }
  Result<Episode> back = EpisodeFromJson(j);
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->completed());
  EXPECT_FALSE(back->reward.has_value());
  EXPECT_FALSE(back->ended_at.has_value());
}

TEST(EpisodeJson, NestedErrorsCarryTheFullPath) {
  Json j = ToJson(FullEpisode());
  j["steps"][1]["tool"] = 5;
  EXPECT_EQ(EpisodeFromJson(j).status().message(), "episode.steps[1].tool must be a string");
  j = ToJson(FullEpisode());
  j["outcome"]["completed"] = "all";
  EXPECT_EQ(EpisodeFromJson(j).status().message(), "episode.outcome.completed must be an array");
  j = ToJson(FullEpisode());
  j["context"]["complexity"] = "huge";
  EXPECT_EQ(EpisodeFromJson(j).status().code(), ErrorCode::kInvalidArgument);
}

TEST(EpisodeJson, IdIsRequired) {
  Json j = ToJson(FullEpisode());
  j.erase("id");
  EXPECT_EQ(EpisodeFromJson(j).status().message(), "episode.id is required");
}

}  // namespace
}  // namespace engram
