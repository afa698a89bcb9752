// RunInTransaction (commit, rollback, nesting, exceptions), contention
// between two connections surfacing as kBusy after the retry budget, and
// concurrent use of one store from several threads.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

#include "store_test_util.h"

namespace engram::store_test {
namespace {

using TransactionTest = StoreTest;

TEST_F(TransactionTest, CommitsEverythingTogether) {
  Status st = store_->RunInTransaction([&]() -> Status {
    ENGRAM_RETURN_IF_ERROR(store_->CreateEpisode(MakeEpisode("ep-1")));
    ENGRAM_RETURN_IF_ERROR(store_->AppendStep("ep-1", MakeStep("a"), 10).status());
    ENGRAM_RETURN_IF_ERROR(store_->InsertLesson(MakeLesson("l-1")));
    // Reads inside fn see the transaction's own writes.
    ENGRAM_RETURN_IF_ERROR(store_->GetEpisode("ep-1").status());
    return store_->KvPut("ns", "k", 1, {}, 1).status();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(store_->GetEpisode("ep-1")->steps.size(), 1u);
  EXPECT_TRUE(store_->GetLesson("l-1").ok());
  EXPECT_TRUE(store_->KvGet("ns", "k", 2).ok());
}

TEST_F(TransactionTest, AnErrorRollsBackEverything) {
  Status st = store_->RunInTransaction([&]() -> Status {
    EXPECT_TRUE(store_->CreateEpisode(MakeEpisode("ep-1")).ok());
    EXPECT_TRUE(store_->KvPut("ns", "k", 1, {}, 1).ok());
    return Status::InvalidArgument("caller changed its mind");
  });
  EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(st.message(), "caller changed its mind");
  EXPECT_TRUE(store_->GetEpisode("ep-1").status().IsNotFound());
  EXPECT_TRUE(store_->KvGet("ns", "k", 2).status().IsNotFound());
}

TEST_F(TransactionTest, AFailedCallInsideChangesNothingButTheRestCommits) {
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("done")).ok());
  ASSERT_TRUE(
      store_->CompleteEpisode("done", MakeSuccess(), MakeReward(), MakeReflection(), 5).ok());
  Status st = store_->RunInTransaction([&]() -> Status {
    EXPECT_TRUE(store_->CreateEpisode(MakeEpisode("ep-1")).ok());
    EXPECT_EQ(store_->CreateEpisode(MakeEpisode("ep-1")).code(), ErrorCode::kAlreadyExists);
    EXPECT_EQ(store_->AppendStep("done", MakeStep("late"), 10).status().code(),
              ErrorCode::kFailedPrecondition);
    // A nested transaction that fails is undone on its own.
    Status inner = store_->RunInTransaction([&]() -> Status {
      EXPECT_TRUE(store_->KvPut("ns", "inner", 1, {}, 1).ok());
      return Status::Internal("inner fails");
    });
    EXPECT_EQ(inner.code(), ErrorCode::kInternal);
    return store_->KvPut("ns", "outer", 1, {}, 1).status();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(store_->GetEpisode("ep-1").ok());
  EXPECT_TRUE(store_->GetEpisode("done")->steps.empty());
  EXPECT_TRUE(store_->KvGet("ns", "inner", 2).status().IsNotFound());
  EXPECT_TRUE(store_->KvGet("ns", "outer", 2).ok());
  EXPECT_TRUE(store_->Verify().ok());
}

TEST_F(TransactionTest, AnExceptionBecomesInternalAndRollsBack) {
  Status st = store_->RunInTransaction([&]() -> Status {
    EXPECT_TRUE(store_->CreateEpisode(MakeEpisode("ep-1")).ok());
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(st.code(), ErrorCode::kInternal);
  EXPECT_NE(st.message().find("boom"), std::string::npos);
  EXPECT_TRUE(store_->GetEpisode("ep-1").status().IsNotFound());
  // The store is still usable.
  EXPECT_TRUE(store_->CreateEpisode(MakeEpisode("ep-2")).ok());
}

TEST_F(TransactionTest, ContentionOutlastingTheBudgetIsBusyAndChangesNothing) {
  SqliteOptions o;
  o.path = db_path();
  o.busy_timeout_ms = 20;
  o.busy_retry_budget_ms = 300;
  auto other = OpenSqliteStore(o);
  ASSERT_TRUE(other.ok()) << other.status().ToString();

  std::promise<void> locked, release;
  std::thread holder([&] {
    Status st = store_->RunInTransaction([&]() -> Status {
      ENGRAM_RETURN_IF_ERROR(store_->KvPut("ns", "held", 1, {}, 1).status());
      locked.set_value();
      release.get_future().wait();
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
  });
  locked.get_future().wait();
  auto start = std::chrono::steady_clock::now();
  auto put = (*other)->KvPut("ns", "k", 1, {}, 1);
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(put.status().code(), ErrorCode::kBusy) << put.status().ToString();
  EXPECT_GE(waited, std::chrono::milliseconds(250));
  EXPECT_LT(waited, std::chrono::seconds(5));
  // Readers are not blocked by the writer (WAL) and do not see its writes.
  EXPECT_TRUE((*other)->KvGet("ns", "held", 2).status().IsNotFound());
  release.set_value();
  holder.join();
  EXPECT_TRUE((*other)->KvGet("ns", "held", 2).ok());
  EXPECT_TRUE((*other)->KvGet("ns", "k", 2).status().IsNotFound());
  EXPECT_TRUE((*other)->KvPut("ns", "k", 1, {}, 1).ok());
}

TEST_F(TransactionTest, ContentionWithinTheBudgetIsAbsorbed) {
  SqliteOptions o;
  o.path = db_path();
  o.busy_timeout_ms = 10;  // short lock waits, so the retry loop does the work
  o.busy_retry_budget_ms = 10'000;
  auto other = OpenSqliteStore(o);
  ASSERT_TRUE(other.ok());
  std::promise<void> locked;
  std::thread holder([&] {
    Status st = store_->RunInTransaction([&]() -> Status {
      locked.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      return store_->KvPut("ns", "first", 1, {}, 1).status();
    });
    EXPECT_TRUE(st.ok());
  });
  locked.get_future().wait();
  auto put = (*other)->KvPut("ns", "second", 1, {}, 1);
  EXPECT_TRUE(put.ok()) << put.status().ToString();
  holder.join();
}

TEST_F(TransactionTest, OneStoreIsSafeAcrossThreads) {
  ASSERT_TRUE(store_->CreateEpisode(MakeEpisode("ep-1")).ok());
  constexpr int kThreads = 4, kSteps = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kSteps; ++i) {
        if (!store_->AppendStep("ep-1", MakeStep(std::to_string(t)), 1'000).ok()) ++failures;
        if (!store_->KvPut("ns", "t" + std::to_string(t), i, {}, i + 1).ok()) ++failures;
        if (!store_->GetEpisode("ep-1").ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto e = store_->GetEpisode("ep-1");
  ASSERT_EQ(e->steps.size(), static_cast<std::size_t>(kThreads * kSteps));
  for (std::size_t i = 0; i < e->steps.size(); ++i) EXPECT_EQ(e->steps[i].number, int(i) + 1);
  EXPECT_TRUE(store_->Verify().ok());
}

}  // namespace
}  // namespace engram::store_test
