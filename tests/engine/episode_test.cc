// Engine episodes against a real SqliteStore: lifecycle, validation,
// redaction, completion rules.
#include <gtest/gtest.h>

#include <string>

#include "engine_fixture.h"

namespace engram::testing {
namespace {

StepInput MakeStep(const std::string& tool, const std::string& action, StepStatus status,
                   const std::string& output) {
  StepInput step;
  step.tool = tool;
  step.action = action;
  step.result.status = status;
  step.result.output = output;
  step.latency_ms = 1200;
  step.tokens = 300;
  return step;
}

TEST_F(EngineTest, LifecycleStoresStepsRewardAndReflection) {
  StartEpisodeRequest request;
  request.task_type = TaskType::kDebugging;
  request.description = "Fix flaky login test";
  request.context.language = "typescript";
  request.context.tags = {"Jest", "flaky", "jest"};
  request.metadata = {{"ticket", "ENG-12"}};
  auto started = engine_->StartEpisode(request);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  EXPECT_TRUE(IsValidId(started->id));
  EXPECT_EQ(started->started_at, kStartMs);
  EXPECT_EQ(started->context.tags, (std::vector<std::string>{"flaky", "jest"}));
  const std::string id = started->id;

  clock_.AdvanceMs(60'000);
  auto s1 = engine_->LogStep(id, MakeStep("bash", "npm test", StepStatus::kError, "Timeout"));
  ASSERT_TRUE(s1.ok()) << s1.status().ToString();
  EXPECT_EQ(s1->number, 1);
  EXPECT_EQ(s1->timestamp, kStartMs + 60'000);
  StepInput fix = MakeStep("editor", "await the session promise", StepStatus::kSuccess, "");
  fix.timestamp = kStartMs + 90'000;  // an agent-supplied time is kept
  auto s2 = engine_->LogStep(id, fix);
  ASSERT_TRUE(s2.ok()) << s2.status().ToString();
  EXPECT_EQ(s2->timestamp, kStartMs + 90'000);
  ASSERT_TRUE(engine_->LogStep(id, MakeStep("bash", "npm test", StepStatus::kSuccess, "ok")).ok());

  clock_.AdvanceMs(120'000);
  auto completed = engine_->CompleteEpisode(id, SuccessOutcome{"test stable", {"login.spec.ts"}});
  ASSERT_TRUE(completed.ok()) << completed.status().ToString();
  ASSERT_TRUE(completed->reward.has_value());
  EXPECT_GE(completed->reward->total, 0.0);
  EXPECT_LE(completed->reward->total, 1.0);

  auto got = engine_->GetEpisode(id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  const Episode& e = *got;
  EXPECT_EQ(e.task_type, TaskType::kDebugging);
  EXPECT_EQ(e.metadata, request.metadata);
  ASSERT_EQ(e.steps.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(e.steps[i].number, i + 1);
  EXPECT_EQ(e.steps[0].result.status, StepStatus::kError);
  ASSERT_TRUE(e.completed());
  EXPECT_EQ(OutcomeKind(*e.outcome), "success");
  ASSERT_TRUE(e.ended_at.has_value());
  EXPECT_EQ(*e.ended_at, kStartMs + 180'000);
  // The stored reward is the one computed from the stored steps + outcome.
  ASSERT_TRUE(e.reward.has_value());
  EXPECT_DOUBLE_EQ(e.reward->total, completed->reward->total);
  EXPECT_EQ(e.reward->notes, completed->reward->notes);
  EXPECT_FALSE(e.reward->notes.empty());
  EXPECT_DOUBLE_EQ(ComputeReward(e).total, e.reward->total);
  ASSERT_TRUE(e.reflection.has_value());
  EXPECT_EQ(ToJson(*e.reflection), ToJson(Reflect(e)));

  auto listed = engine_->ListEpisodes(EpisodeFilter{});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].step_count, 3);
  EXPECT_EQ((*listed)[0].outcome_kind, "success");
}

TEST_F(EngineTest, InvalidStartStoresNothing) {
  StartEpisodeRequest request;  // empty description
  EXPECT_ERROR(engine_->StartEpisode(request), ErrorCode::kInvalidArgument, "description");
  request.description = "ok";
  request.context.tags = {"not a tag!"};
  EXPECT_ERROR(engine_->StartEpisode(request), ErrorCode::kInvalidArgument, "tag");
  request.context.tags = {};
  request.description = std::string(engine_->limits().max_description_bytes + 1, 'x');
  EXPECT_ERROR(engine_->StartEpisode(request), ErrorCode::kInvalidArgument, "description");
  auto listed = engine_->ListEpisodes(EpisodeFilter{});
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
}

TEST_F(EngineTest, InvalidStepStoresNothing) {
  const Episode e = StartOrDie("task");
  StepInput step = MakeStep("", "ls", StepStatus::kSuccess, "");
  EXPECT_ERROR(engine_->LogStep(e.id, step), ErrorCode::kInvalidArgument, "tool");
  step = MakeStep("bash", "ls", StepStatus::kSuccess, "");
  step.latency_ms = -1;
  EXPECT_ERROR(engine_->LogStep(e.id, step), ErrorCode::kInvalidArgument, "latency");
  auto got = engine_->GetEpisode(e.id);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->steps.empty());
}

TEST_F(EngineTest, InvalidOutcomeLeavesEpisodeOpen) {
  const Episode e = StartOrDie("task");
  SuccessOutcome outcome;
  outcome.verdict = std::string(engine_->limits().max_title_bytes + 1, 'v');
  EXPECT_ERROR(engine_->CompleteEpisode(e.id, outcome), ErrorCode::kInvalidArgument, "verdict");
  auto got = engine_->GetEpisode(e.id);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->completed());
}

TEST_F(EngineTest, RedactsSecretsInStepParametersAndOutput) {
  const Episode e = StartOrDie("deploy with token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789");
  StepInput step = MakeStep("bash", "curl -H 'Authorization: Bearer abcdef0123456789abcdef'",
                            StepStatus::kSuccess, "password=hunter2hunter2");
  step.parameters = {{"api_key", "sk-proj-abc123DEF456ghi789JKL0"}, {"region", "eu-west-1"}};
  step.observation = "used AKIAIOSFODNN7EXAMPLE";
  ASSERT_TRUE(engine_->LogStep(e.id, step).ok());

  auto got = engine_->GetEpisode(e.id);
  ASSERT_TRUE(got.ok());
  const std::string stored = ToJson(*got).dump();
  for (const char* secret :
       {"ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "hunter2hunter2",
        "sk-proj-abc123DEF456ghi789JKL0", "AKIAIOSFODNN7EXAMPLE", "abcdef0123456789abcdef"}) {
    EXPECT_EQ(stored.find(secret), std::string::npos) << secret << " in " << stored;
  }
  ASSERT_EQ(got->steps.size(), 1u);
  EXPECT_EQ(got->steps[0].parameters["region"], "eu-west-1");
  EXPECT_NE(got->steps[0].parameters["api_key"].get<std::string>().find("[REDACTED"),
            std::string::npos);
}

TEST_F(EngineTest, RedactsSecretsInMetadataAndOutcome) {
  StartEpisodeRequest request;
  request.description = "rotate keys";
  request.metadata = {{"client_secret", "s3cr3t-value-123456"}, {"team", "infra"}};
  auto started = engine_->StartEpisode(request);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  auto done = engine_->CompleteEpisode(
      started->id, FailureOutcome{"auth failed", "sent password=hunter2hunter2 to the API"});
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  auto got = engine_->GetEpisode(started->id);
  ASSERT_TRUE(got.ok());
  const std::string stored = ToJson(*got).dump();
  EXPECT_EQ(stored.find("s3cr3t-value-123456"), std::string::npos) << stored;
  EXPECT_EQ(stored.find("hunter2hunter2"), std::string::npos) << stored;
  EXPECT_EQ(got->metadata["team"], "infra");
}

TEST_F(EngineTest, RedactionCanBeTurnedOff) {
  EngineOptions options;
  options.redact_secrets = false;
  engine_ = Open(options);
  const Episode e = StartOrDie("task");
  StepInput step = MakeStep("bash", "login", StepStatus::kSuccess, "password=hunter2hunter2");
  ASSERT_TRUE(engine_->LogStep(e.id, step).ok());
  auto got = engine_->GetEpisode(e.id);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->steps.size(), 1u);
  EXPECT_EQ(got->steps[0].result.output, "password=hunter2hunter2");
}

TEST_F(EngineTest, CompletingTwiceFailsAndKeepsFirstOutcome) {
  const Episode e = StartOrDie("task");
  ASSERT_TRUE(engine_->CompleteEpisode(e.id, FailureOutcome{"broke", "details"}).ok());
  EXPECT_ERROR(engine_->CompleteEpisode(e.id, SuccessOutcome{"fine", {}}),
               ErrorCode::kFailedPrecondition, e.id);
  EXPECT_ERROR(engine_->LogStep(e.id, MakeStep("bash", "ls", StepStatus::kSuccess, "")),
               ErrorCode::kFailedPrecondition, "");
  auto got = engine_->GetEpisode(e.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(OutcomeKind(*got->outcome), "failure");
  EXPECT_TRUE(got->steps.empty());
}

TEST_F(EngineTest, ClockGoingBackwardsGivesZeroDuration) {
  const Episode e = StartOrDie("task");
  clock_.Set(kStartMs - 5000);
  auto done = engine_->CompleteEpisode(e.id, AbstainedOutcome{"unclear", 0});
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(*done->ended_at, kStartMs);
}

TEST_F(EngineTest, UnknownEpisodeIdIsNotFoundNamingTheId) {
  const std::string id = "0193f1c2-7b4e-7a10-8c3d-2f9e6b1a4c5d";
  EXPECT_ERROR(engine_->GetEpisode(id), ErrorCode::kNotFound, id);
  EXPECT_ERROR(engine_->LogStep(id, MakeStep("bash", "ls", StepStatus::kSuccess, "")),
               ErrorCode::kNotFound, id);
  EXPECT_ERROR(engine_->CompleteEpisode(id, SuccessOutcome{}), ErrorCode::kNotFound, id);
  EXPECT_ERROR(engine_->DeleteEpisode(id), ErrorCode::kNotFound, id);
}

TEST_F(EngineTest, DeleteRemovesEpisodeAndSteps) {
  const Episode e = StartOrDie("task");
  ASSERT_TRUE(engine_->LogStep(e.id, MakeStep("bash", "ls", StepStatus::kSuccess, "")).ok());
  ASSERT_TRUE(engine_->DeleteEpisode(e.id).ok());
  EXPECT_ERROR(engine_->GetEpisode(e.id), ErrorCode::kNotFound, e.id);
}

TEST_F(EngineTest, ListFiltersAndRejectsBadPage) {
  StartEpisodeRequest request;
  request.description = "a";
  request.context.project = "alpha";
  ASSERT_TRUE(engine_->StartEpisode(request).ok());
  clock_.AdvanceMs(1);
  const Episode other = StartOrDie("b");
  ASSERT_TRUE(engine_->CompleteEpisode(other.id, SuccessOutcome{}).ok());

  EpisodeFilter filter;
  filter.project = "alpha";
  auto alpha = engine_->ListEpisodes(filter);
  ASSERT_TRUE(alpha.ok());
  ASSERT_EQ(alpha->size(), 1u);
  EXPECT_EQ((*alpha)[0].description, "a");

  filter = EpisodeFilter{};
  filter.completed = true;
  auto done = engine_->ListEpisodes(filter);
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(done->size(), 1u);
  EXPECT_EQ((*done)[0].id, other.id);

  filter = EpisodeFilter{};
  filter.limit = 0;
  EXPECT_ERROR(engine_->ListEpisodes(filter), ErrorCode::kInvalidArgument, "limit");
  filter.limit = 10;
  filter.offset = -1;
  EXPECT_ERROR(engine_->ListEpisodes(filter), ErrorCode::kInvalidArgument, "offset");
}

}  // namespace
}  // namespace engram::testing
