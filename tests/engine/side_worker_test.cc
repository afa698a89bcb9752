// SideWorker: both tasks run, the side task on another thread; concurrent
// callers fall back to running both themselves; exceptions reach the caller.
#include "engine/side_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace engram {
namespace {

TEST(SideWorkerTest, RunsTheSideTaskOnItsThreadAndTheOtherHere) {
  SideWorker worker;
  EXPECT_EQ(worker.tasks_on_worker(), 0);
  for (int round = 0; round < 3; ++round) {
    std::thread::id side_thread, here_thread;
    worker.RunBoth([&] { side_thread = std::this_thread::get_id(); },
                   [&] { here_thread = std::this_thread::get_id(); });
    EXPECT_EQ(here_thread, std::this_thread::get_id());
    EXPECT_NE(side_thread, std::thread::id{});
    EXPECT_NE(side_thread, here_thread);
  }
  EXPECT_EQ(worker.tasks_on_worker(), 3);
}

TEST(SideWorkerTest, BothTasksOverlap) {
  // Each task waits for the other to have started: this only finishes when
  // they run at the same time.
  SideWorker worker;
  std::atomic<int> started{0};
  const auto meet = [&] {
    ++started;
    while (started.load() < 2) std::this_thread::yield();
  };
  worker.RunBoth(meet, meet);
  EXPECT_EQ(started.load(), 2);
}

TEST(SideWorkerTest, ConcurrentCallersAllFinishBothTasks) {
  SideWorker worker;
  std::atomic<int> side_runs{0}, here_runs{0};
  std::vector<std::thread> callers;
  callers.reserve(4);
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        int side_value = 0;
        worker.RunBoth([&] { side_value = i + 1; }, [&] { ++here_runs; });
        // RunBoth returns only after the side task ran, wherever it ran.
        if (side_value == i + 1) ++side_runs;
      }
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(side_runs.load(), 800);
  EXPECT_EQ(here_runs.load(), 800);
  EXPECT_GE(worker.tasks_on_worker(), 1);
  EXPECT_LE(worker.tasks_on_worker(), 800);
}

TEST(SideWorkerTest, ExceptionsReachTheCallerAfterBothTasksEnded) {
  SideWorker worker;
  bool here_ran = false;
  EXPECT_THROW(worker.RunBoth([] { throw std::runtime_error("side"); }, [&] { here_ran = true; }),
               std::runtime_error);
  EXPECT_TRUE(here_ran);
  bool side_ran = false;
  EXPECT_THROW(worker.RunBoth([&] { side_ran = true; }, [] { throw std::logic_error("here"); }),
               std::logic_error);
  EXPECT_TRUE(side_ran);
  // The worker still serves.
  int value = 0;
  worker.RunBoth([&] { value = 7; }, [] {});
  EXPECT_EQ(value, 7);
}

}  // namespace
}  // namespace engram
