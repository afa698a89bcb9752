#include "engine/index_worker.h"

#include <system_error>
#include <utility>

#include "engine/io_priority.h"

namespace engram {

void IndexWorker::Request(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    if (!thread_.joinable()) {
      try {
        thread_ = std::thread([this] { Loop(); });
      } catch (const std::system_error&) {  // no thread to be had: run it here, below
      }
    }
    if (thread_.joinable()) {
      job_ = std::move(job);
      pending_ = true;
      wake_.notify_one();
      return;
    }
  }
  job();
}

void IndexWorker::WaitIdle() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return (!pending_ && !running_) || !thread_.joinable(); });
}

void IndexWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    pending_ = false;
  }
  wake_.notify_one();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  idle_.notify_all();
}

long IndexWorker::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

bool IndexWorker::busy() const {
  std::lock_guard lock(mu_);
  return pending_ || running_;
}

bool IndexWorker::stopping() const {
  std::lock_guard lock(mu_);
  return stopping_;
}

void IndexWorker::Loop() {
  // Its jobs read (and write) whole index files and tables: searches first.
  const BackgroundIo background;
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || pending_; });
    if (stopping_) break;
    std::function<void()> job = job_;
    pending_ = false;
    running_ = true;
    lock.unlock();
    job();  // the jobs report errors as values (SearchState::save_error)
    lock.lock();
    running_ = false;
    ++runs_;
    if (!pending_) idle_.notify_all();
  }
  running_ = false;
  idle_.notify_all();
}

}  // namespace engram
