// WriterFirstSharedMutex: a shared mutex under which a waiting writer is
// never starved by a stream of readers.
//
// std::shared_mutex on glibc prefers readers: with searches overlapping one
// another on every core, an Add could wait forever. Here a writer first
// takes a turnstile mutex that every new reader must pass through, so new
// readers queue behind the writer while the current ones drain. Meets the
// SharedMutex requirements (std::shared_lock / std::unique_lock work).
//
// Thread safety: that is its purpose.
#pragma once

#include <mutex>
#include <shared_mutex>

namespace engram::index_internal {

class WriterFirstSharedMutex {
 public:
  void lock() {
    std::lock_guard turnstile(turnstile_);
    rw_.lock();
  }
  bool try_lock() { return rw_.try_lock(); }
  void unlock() { rw_.unlock(); }
  void lock_shared() {
    { std::lock_guard turnstile(turnstile_); }
    rw_.lock_shared();
  }
  bool try_lock_shared() { return rw_.try_lock_shared(); }
  void unlock_shared() { rw_.unlock_shared(); }

 private:
  std::mutex turnstile_;
  std::shared_mutex rw_;
};

}  // namespace engram::index_internal
