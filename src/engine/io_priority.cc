#include "engine/io_priority.h"

#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace engram {
namespace {

#if defined(__linux__)
constexpr int kWhoProcess = 1;  // IOPRIO_WHO_PROCESS; who 0 = the calling thread
#endif

}  // namespace

int ThreadIoPriority() {
#if defined(__linux__)
  return static_cast<int>(syscall(SYS_ioprio_get, kWhoProcess, 0));
#else
  return -1;
#endif
}

BackgroundIo::BackgroundIo() {
#if defined(__linux__)
  const int before = ThreadIoPriority();
  if (before < 0) return;
  if (syscall(SYS_ioprio_set, kWhoProcess, 0, kIoPriorityIdle) == 0) saved_ = before;
#endif
}

BackgroundIo::~BackgroundIo() {
#if defined(__linux__)
  if (saved_ >= 0) (void)syscall(SYS_ioprio_set, kWhoProcess, 0, saved_);
#endif
}

}  // namespace engram
