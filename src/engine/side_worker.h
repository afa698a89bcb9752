// SideWorker: one background thread that runs a task beside the caller.
//
// Lesson search overlaps its two independent candidate sources: the worker
// embeds the query and walks the HNSW graph while the caller runs BM25 on the
// store's connection (docs/RETRIEVAL.md, "Overlapped candidate sources").
// On a 2-core machine that takes the shorter of the two off every query.
//
// The thread starts on the first RunBoth, so engines that never search start
// none. One task at a time: when another caller is using the worker, RunBoth
// runs both tasks on its own thread, one after the other (never queued).
//
// Ownership: owns its thread; the destructor stops and joins it (no task may
// be running then: RunBoth returns only when both tasks are done).
// Thread safety: RunBoth may be called from any number of threads.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace engram {

class SideWorker {
 public:
  SideWorker() = default;
  ~SideWorker();
  SideWorker(const SideWorker&) = delete;
  SideWorker& operator=(const SideWorker&) = delete;

  // Runs `side` on the worker and `here` on the calling thread; returns when
  // both have finished. An exception thrown by `side` is rethrown here after
  // `here` finished (the callers' tasks report errors as values instead).
  void RunBoth(const std::function<void()>& side, const std::function<void()>& here);

  // Tasks run on the worker thread so far (not inline); for tests and stats.
  long tasks_on_worker() const;

 private:
  void Loop();

  mutable std::mutex mu_;
  std::condition_variable wake_;  // worker: a task or stop
  std::condition_variable done_;  // caller: the task finished
  std::thread thread_;            // started on first use
  // Pending or running; non-null while a caller owns the worker.
  const std::function<void()>* task_ = nullptr;
  bool finished_ = false;  // task_ ran
  bool stopping_ = false;
  std::exception_ptr error_;
  long tasks_on_worker_ = 0;
};

}  // namespace engram
