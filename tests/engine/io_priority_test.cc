// BackgroundIo (engine/io_priority.h): the calling thread's reads go to the
// idle class while it lives, and its priority before comes back after;
// another thread is not touched.
#include "engine/io_priority.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace engram {
namespace {

TEST(BackgroundIoTest, LowersThisThreadOnlyAndRestoresIt) {
  const int before = ThreadIoPriority();
  if (before < 0) GTEST_SKIP() << "no per-thread I/O priority here";
  // A thread started before (a new one inherits its creator's priority).
  std::mutex mu;
  std::condition_variable cv;
  int step = 0;  // 1: this thread lowered; 2: the other looked
  int other_inside = -1;
  std::thread other([&] {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return step == 1; });
    other_inside = ThreadIoPriority();
    step = 2;
    cv.notify_all();
  });
  {
    const BackgroundIo background;
    EXPECT_TRUE(background.lowered());  // lowering one's own needs no privilege
    EXPECT_EQ(ThreadIoPriority(), kIoPriorityIdle);
    std::unique_lock lock(mu);
    step = 1;
    cv.notify_all();
    cv.wait(lock, [&] { return step == 2; });
  }
  other.join();
  EXPECT_EQ(ThreadIoPriority(), before);
  EXPECT_EQ(other_inside, before);
}

}  // namespace
}  // namespace engram
