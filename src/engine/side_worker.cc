#include "engine/side_worker.h"

#include <system_error>
#include <utility>

namespace engram {

SideWorker::~SideWorker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void SideWorker::RunBoth(const std::function<void()>& side, const std::function<void()>& here) {
  bool on_worker = false;
  {
    std::lock_guard lock(mu_);
    // A pending or running task_ means another search holds the worker.
    if (task_ == nullptr && !stopping_) {
      try {
        if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
        finished_ = false;
        error_ = nullptr;
        task_ = &side;
        on_worker = true;
      } catch (const std::system_error&) {  // no thread to be had
      }
    }
  }
  if (!on_worker) {  // run both here, one after the other
    side();
    here();
    return;
  }
  wake_.notify_one();
  std::exception_ptr here_error;
  try {
    here();
  } catch (...) {
    here_error = std::current_exception();
  }
  std::exception_ptr side_error;
  {
    std::unique_lock lock(mu_);
    done_.wait(lock, [this] { return finished_; });
    side_error = std::exchange(error_, nullptr);
    task_ = nullptr;
  }
  if (here_error) std::rethrow_exception(here_error);
  if (side_error) std::rethrow_exception(side_error);
}

long SideWorker::tasks_on_worker() const {
  std::lock_guard lock(mu_);
  return tasks_on_worker_;
}

void SideWorker::Loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || (task_ != nullptr && !finished_); });
    if (task_ == nullptr || finished_) return;  // stopping, nothing pending
    const std::function<void()>* task = task_;
    lock.unlock();
    std::exception_ptr error;
    try {
      (*task)();
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    error_ = error;
    finished_ = true;
    ++tasks_on_worker_;
    done_.notify_one();
  }
}

}  // namespace engram
