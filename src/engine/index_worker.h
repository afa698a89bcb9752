// IndexWorker: runs one background job at a time for the lesson index,
// coalescing requests (issue 20 §4). Two of them serve SearchState:
//  - the saver writes the index file off the request path. A search that
//    rebuilt the index, or a lesson write that brought it to
//    kLessonIndexSaveEvery unsaved changes, only asks for a save. A failed
//    save (disk full, read-only directory) keeps the index serving from
//    memory, records the error for health_check (SearchState::save_error)
//    and is retried on the next request;
//  - the builder loads, rebuilds or catches the index up when a search must
//    not wait for it (LessonIndexOptions::background).
//
// Ownership: owned by SearchState; the job it runs refers to that
// SearchState, so the worker is declared after the members the job uses and
// stopped (joined) before they are destroyed. A long job polls stopping().
// Thread safety: every method may be called from any thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace engram {

class IndexWorker {
 public:
  IndexWorker() = default;
  ~IndexWorker() { Stop(); }
  IndexWorker(const IndexWorker&) = delete;
  IndexWorker& operator=(const IndexWorker&) = delete;

  // Runs `job` on the worker soon; requests made while one is pending or
  // running are coalesced into one more run. Without a thread to be had,
  // the job runs here.
  void Request(std::function<void()> job);
  // Returns once no job is pending or running.
  void WaitIdle();
  // Stops the worker; a pending job is dropped (the owner saves at exit).
  void Stop();
  // Jobs run so far; for tests.
  long runs() const;
  // A job is pending or running.
  bool busy() const;
  // Stop() was called: a running job should return soon.
  bool stopping() const;

 private:
  void Loop();

  mutable std::mutex mu_;
  std::condition_variable wake_;  // worker: a job or stop
  std::condition_variable idle_;  // waiters: nothing pending or running
  std::function<void()> job_;     // the latest requested
  bool pending_ = false;
  bool running_ = false;
  bool stopping_ = false;
  long runs_ = 0;
  std::thread thread_;  // started on first request
};

}  // namespace engram
