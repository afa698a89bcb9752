// Episodes and steps: create, append (numbering, limits, completed), complete,
// get, list (filters, paging), delete, and "a failed write stores nothing".
#include <gtest/gtest.h>

#include "store_test_util.h"

namespace engram::store_test {
namespace {

using EpisodesTest = StoreTest;

TEST_F(EpisodesTest, CreateGetRoundTripsEveryField) {
  Episode e = MakeEpisode("ep-1");
  ASSERT_TRUE(store_->CreateEpisode(e).ok());
  auto got = store_->GetEpisode("ep-1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(ToJson(*got), ToJson(e));
  EXPECT_EQ(got->context.tags, (std::vector<std::string>{"zeta", "alpha", "sqlite"}));
  EXPECT_FALSE(got->completed());
}

TEST_F(EpisodesTest, CreateRejectsDuplicateEmptyIdStepsOrOutcome) {
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("ep-1")).ok());
  EXPECT_EQ(store_->CreateEpisode(MakeEpisode("ep-1")).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(store_->CreateEpisode(MakeEpisode("")).code(), ErrorCode::kInvalidArgument);
  Episode with_steps = MakeEpisode("ep-2");
  with_steps.steps.push_back(MakeStep("ls"));
  EXPECT_EQ(store_->CreateEpisode(with_steps).code(), ErrorCode::kInvalidArgument);
  Episode done = MakeEpisode("ep-3");
  done.outcome = MakeSuccess();
  EXPECT_EQ(store_->CreateEpisode(done).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store_->GetEpisode("ep-2").status().IsNotFound());
}

TEST_F(EpisodesTest, AppendStepNumbersFromOneInOrder) {
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("ep-1")).ok());
  for (int i = 1; i <= 5; ++i) {
    Step s = MakeStep("step " + std::to_string(i), 2'000 + i);
    s.number = 99;  // ignored: the store assigns numbers
    auto n = store_->AppendStep("ep-1", s, 100);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    EXPECT_EQ(*n, i);
  }
  auto got = store_->GetEpisode("ep-1");
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->steps.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(got->steps[i].number, i + 1);
    EXPECT_EQ(got->steps[i].action, "step " + std::to_string(i + 1));
    EXPECT_EQ(got->steps[i].parameters["cmd"], "step " + std::to_string(i + 1));
    EXPECT_EQ(got->steps[i].result.status, StepStatus::kError);
    EXPECT_EQ(got->steps[i].latency_ms, 42);
    EXPECT_EQ(got->steps[i].timestamp, 2'001 + i);
  }
}

TEST_F(EpisodesTest, AppendStepErrorsStoreNothing) {
  EXPECT_TRUE(store_->AppendStep("nope", MakeStep("ls"), 10).status().IsNotFound());
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("ep-1")).ok());
  ASSERT_TRUE(store_->AppendStep("ep-1", MakeStep("a"), 2).ok());
  ASSERT_TRUE(store_->AppendStep("ep-1", MakeStep("b"), 2).ok());
  EXPECT_EQ(store_->AppendStep("ep-1", MakeStep("c"), 2).status().code(),
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(
      store_->CompleteEpisode("ep-1", MakeSuccess(), MakeReward(), MakeReflection(), 9'000).ok());
  EXPECT_EQ(store_->AppendStep("ep-1", MakeStep("d"), 100).status().code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(store_->GetEpisode("ep-1")->steps.size(), 2u);
}

TEST_F(EpisodesTest, InvalidUtf8ParametersAreRejectedWithoutThrowing) {
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("ep-1")).ok());
  Step bad = MakeStep("x");
  bad.parameters = Json{{"bytes", std::string("\xff\xfe")}};
  EXPECT_EQ(store_->AppendStep("ep-1", bad, 10).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store_->GetEpisode("ep-1")->steps.empty());
}

TEST_F(EpisodesTest, CompleteStoresOutcomeRewardReflectionOnce) {
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("ep-1")).ok());
  EXPECT_TRUE(store_->CompleteEpisode("nope", MakeSuccess(), MakeReward(), MakeReflection(), 5)
                  .IsNotFound());
  ASSERT_TRUE(
      store_->CompleteEpisode("ep-1", MakeSuccess(), MakeReward(), MakeReflection(), 9'000).ok());
  auto got = store_->GetEpisode("ep-1");
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->completed());
  EXPECT_EQ(OutcomeKind(*got->outcome), "success");
  EXPECT_EQ(ToJson(*got->outcome), ToJson(MakeSuccess()));
  EXPECT_EQ(ToJson(*got->reward), ToJson(MakeReward()));
  EXPECT_EQ(ToJson(*got->reflection), ToJson(MakeReflection()));
  EXPECT_EQ(got->ended_at, 9'000);
  Outcome failure = FailureOutcome{"again", "x"};
  EXPECT_EQ(
      store_->CompleteEpisode("ep-1", failure, MakeReward(0.1), MakeReflection(), 9'999).code(),
      ErrorCode::kFailedPrecondition);
  EXPECT_EQ(OutcomeKind(*store_->GetEpisode("ep-1")->outcome), "success");
}

TEST_F(EpisodesTest, ListFiltersSortsAndPages) {
  for (int i = 0; i < 6; ++i) {
    Episode e = MakeEpisode("ep-" + std::to_string(i), 1'000 + i);
    e.task_type = i % 2 ? TaskType::kTesting : TaskType::kDebugging;
    e.context.project = i < 3 ? "alpha" : "beta";
    e.context.language = i == 5 ? "rust" : "cpp";
    ASSERT_TRUE(store_->CreateEpisode(e).ok());
  }
  ASSERT_TRUE(store_->AppendStep("ep-4", MakeStep("a"), 10).ok());
  ASSERT_TRUE(store_->AppendStep("ep-4", MakeStep("b"), 10).ok());
  ASSERT_TRUE(
      store_->CompleteEpisode("ep-4", MakeSuccess(), MakeReward(0.9), MakeReflection(), 5).ok());

  auto all = store_->ListEpisodes({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 6u);
  EXPECT_EQ((*all)[0].id, "ep-5");  // newest first
  EXPECT_EQ((*all)[5].id, "ep-0");
  EXPECT_EQ((*all)[1].step_count, 2);
  EXPECT_EQ((*all)[1].outcome_kind, "success");
  EXPECT_DOUBLE_EQ(*(*all)[1].reward_total, 0.9);
  EXPECT_EQ((*all)[1].context.tags.size(), 3u);
  EXPECT_FALSE((*all)[0].outcome_kind.has_value());

  auto ids = [&](EpisodeFilter f) {
    std::vector<std::string> out;
    auto r = store_->ListEpisodes(f);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok()) {
      for (const auto& s : *r) out.push_back(s.id);
    }
    return out;
  };
  EpisodeFilter f;
  f.task_type = TaskType::kTesting;
  EXPECT_EQ(ids(f), (std::vector<std::string>{"ep-5", "ep-3", "ep-1"}));
  f = {};
  f.project = "alpha";
  f.language = "cpp";
  EXPECT_EQ(ids(f), (std::vector<std::string>{"ep-2", "ep-1", "ep-0"}));
  f = {};
  f.language = "rust";
  EXPECT_EQ(ids(f), (std::vector<std::string>{"ep-5"}));
  f = {};
  f.domain = "storage";
  f.completed = true;
  EXPECT_EQ(ids(f), (std::vector<std::string>{"ep-4"}));
  f.completed = false;
  EXPECT_EQ(ids(f).size(), 5u);
  f = {};
  f.limit = 2;
  f.offset = 2;
  EXPECT_EQ(ids(f), (std::vector<std::string>{"ep-3", "ep-2"}));

  f = {};
  f.limit = 0;
  EXPECT_EQ(store_->ListEpisodes(f).status().code(), ErrorCode::kInvalidArgument);
  f.limit = 10'001;
  EXPECT_EQ(store_->ListEpisodes(f).status().code(), ErrorCode::kInvalidArgument);
  f.limit = 10;
  f.offset = -1;
  EXPECT_EQ(store_->ListEpisodes(f).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(EpisodesTest, DeleteRemovesStepsAndTags) {
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("ep-1")).ok());
  ASSERT_TRUE(store_->AppendStep("ep-1", MakeStep("a"), 10).ok());
  ASSERT_TRUE(store_->DeleteEpisode("ep-1").ok());
  EXPECT_TRUE(store_->GetEpisode("ep-1").status().IsNotFound());
  EXPECT_TRUE(store_->DeleteEpisode("ep-1").IsNotFound());
  auto stats = store_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->episodes, 0);
  EXPECT_EQ(stats->steps, 0);
  // Re-creating the id starts a fresh episode with no leftover tags/steps.
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("ep-1")).ok());
  EXPECT_EQ(store_->GetEpisode("ep-1")->context.tags.size(), 3u);
  EXPECT_EQ(*store_->AppendStep("ep-1", MakeStep("a"), 10), 1);
}

TEST_F(EpisodesTest, ImportReplacesInPlaceAndChecksNumbering) {
  Episode e = MakeEpisode("ep-1");
  e.steps = {MakeStep("a"), MakeStep("b")};
  e.steps[0].number = 1;
  e.steps[1].number = 2;
  e.outcome = PartialOutcome{{"x"}, {"y"}};
  e.reward = MakeReward(0.4);
  e.reflection = MakeReflection();
  e.ended_at = 3'000;
  ASSERT_TRUE(store_->ImportEpisode(e).ok());
  EXPECT_EQ(ToJson(*store_->GetEpisode("ep-1")), ToJson(e));
  e.steps.pop_back();
  e.description = "changed";
  ASSERT_TRUE(store_->ImportEpisode(e).ok());
  EXPECT_EQ(ToJson(*store_->GetEpisode("ep-1")), ToJson(e));
  e.steps[0].number = 3;
  EXPECT_EQ(store_->ImportEpisode(e).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->GetEpisode("ep-1")->steps[0].number, 1);
}

TEST_F(EpisodesTest, ForEachVisitsAllInIdOrderAndStopsOnError) {
  for (const char* id : {"c", "a", "b"}) ASSERT_TRUE(store_->CreateEpisode(MakeEpisode(id)).ok());
  std::vector<std::string> seen;
  ASSERT_TRUE(store_
                  ->ForEachEpisode([&](const Episode& e) {
                    seen.push_back(e.id);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c"}));
  int calls = 0;
  Status st = store_->ForEachEpisode([&](const Episode&) {
    ++calls;
    return Status::Internal("stop");
  });
  EXPECT_EQ(st.code(), ErrorCode::kInternal);
  EXPECT_EQ(calls, 1);
}

TEST_F(EpisodesTest, ImportWithABadStepStoresNoPartOfTheEpisode) {
  Episode e = MakeEpisode("ep-1");
  e.steps = {MakeStep("a"), MakeStep("b")};
  e.steps[0].number = 1;
  e.steps[1].number = 2;
  e.steps[1].parameters = Json{{"bad", std::string("\xff")}};
  EXPECT_EQ(store_->ImportEpisode(e).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store_->GetEpisode("ep-1").status().IsNotFound());
  EXPECT_EQ(store_->Stats()->steps, 0);
}

}  // namespace
}  // namespace engram::store_test
