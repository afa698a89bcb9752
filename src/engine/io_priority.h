// BackgroundIo: while it lives, the calling thread's reads are served after
// other threads' (issue 20 §6). The threads that read whole files or tables
// ahead of searches (the index builder and saver, the expansion learner, the
// warm-up) hold one, so that a search's few page reads do not queue behind a
// 2.78 GB index load: Linux's IOPRIO_CLASS_IDLE, which the bfq and
// mq-deadline schedulers honour (mq-deadline still serves such a read once it
// has waited its aging time, 10 s by default, so nothing starves) and
// schedulers without priorities ignore.
//
// Ownership: a value on the stack; the destructor restores the priority the
// thread had. Thread safety: acts on the calling thread only; construct and
// destroy it on the same thread.
#pragma once

namespace engram {

class BackgroundIo {
 public:
  BackgroundIo();
  ~BackgroundIo();
  BackgroundIo(const BackgroundIo&) = delete;
  BackgroundIo& operator=(const BackgroundIo&) = delete;

  // The kernel took the lower priority (false on other systems, or when the
  // thread's priority could not be read or set).
  bool lowered() const { return saved_ >= 0; }

 private:
  int saved_ = -1;  // the thread's priority before, when lowered
};

// The calling thread's I/O priority as ioprio_get returns it (class << 13 |
// level), or -1 where there is none; for tests.
int ThreadIoPriority();
inline constexpr int kIoPriorityIdle = 3 << 13;  // IOPRIO_CLASS_IDLE, level 0

}  // namespace engram
