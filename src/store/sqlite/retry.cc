#include "store/sqlite/retry.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <thread>

namespace engram::sqlite {

Status RetryBusy(int budget_ms, std::string_view what, const std::function<Status()>& fn) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(std::max(budget_ms, 0));
  thread_local std::minstd_rand rng(std::random_device{}());
  int backoff_ms = 1;
  for (;;) {
    Status st = fn();
    if (st.code() != ErrorCode::kBusy) return st;
    auto now = Clock::now();
    if (now >= deadline) {
      return Status::Busy(std::string(what) + ": still contended after " +
                          std::to_string(budget_ms) + " ms (" + st.message() + ")");
    }
    int sleep_ms = 1 + static_cast<int>(rng() % static_cast<unsigned>(backoff_ms));
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min<long long>(sleep_ms, left)));
    backoff_ms = std::min(backoff_ms * 2, 100);
  }
}

}  // namespace engram::sqlite
