// IndexWorker (src/engine/index_worker.h): requests run off the caller's
// thread, coalesce while one is pending, and WaitIdle/Stop return.
#include "engine/index_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace engram {
namespace {

TEST(IndexWorker, RunsTheLatestRequestOffTheCallersThread) {
  IndexWorker saver;
  std::atomic<int> runs{0};
  std::atomic<int> last{0};
  std::thread::id ran_on;
  for (int i = 1; i <= 5; ++i) {
    saver.Request([&, i] {
      ran_on = std::this_thread::get_id();
      last = i;
      ++runs;
    });
  }
  saver.WaitIdle();
  EXPECT_EQ(last.load(), 5);  // the latest request always runs
  EXPECT_GE(runs.load(), 1);
  EXPECT_LE(runs.load(), 5);  // coalesced while pending
  EXPECT_EQ(saver.runs(), runs.load());
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

TEST(IndexWorker, StopJoinsAndLaterRequestsAreIgnored) {
  IndexWorker saver;
  std::atomic<int> runs{0};
  saver.Request([&] { ++runs; });
  saver.WaitIdle();
  saver.Stop();
  saver.Request([&] { ++runs; });
  saver.WaitIdle();  // returns at once: no worker
  EXPECT_EQ(runs.load(), 1);
}

TEST(IndexWorker, WaitIdleWithoutRequestsReturns) {
  IndexWorker saver;
  saver.WaitIdle();
  EXPECT_EQ(saver.runs(), 0);
}

}  // namespace
}  // namespace engram
