// LessonUseRecorder (engine/lesson_use_recorder.h).
#include "engine/lesson_use_recorder.h"

#include <algorithm>
#include <utility>

namespace engram {

Status LessonUseRecorder::Validate(const LessonUseOptions& o) {
  if (o.flush_items < 1) return Status::InvalidArgument("lesson_uses.flush_items must be >= 1");
  if (o.flush_ms < 1) return Status::InvalidArgument("lesson_uses.flush_ms must be >= 1");
  if (o.max_pending < 1) return Status::InvalidArgument("lesson_uses.max_pending must be >= 1");
  return Status::Ok();
}

LessonUseRecorder::LessonUseRecorder(LessonUseOptions options, Write write, Written written)
    : options_(options), write_(std::move(write)), written_(std::move(written)) {}

LessonUseRecorder::~LessonUseRecorder() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  (void)Flush();  // a failure is counted in stats(); nothing to report it to
}

void LessonUseRecorder::Note(const std::vector<std::string>& lesson_ids, Timestamp at) {
  if (lesson_ids.empty()) return;
  bool full = false;
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    if (pending_.empty()) oldest_ = Clock::now();
    for (const std::string& id : lesson_ids) {
      auto it = pending_.find(id);
      if (it == pending_.end()) {
        if (pending_.size() >= static_cast<std::size_t>(options_.max_pending)) {
          ++stats_.dropped;
          continue;
        }
        pending_.emplace(id, LessonUse{id, at, 1});
      } else {
        it->second.used_at = std::max(it->second.used_at, at);
        ++it->second.count;
      }
    }
    full = pending_.size() >= static_cast<std::size_t>(options_.flush_items);
    if (!started_) {
      started_ = true;
      thread_ = std::thread([this] { Run(); });
    }
  }
  if (full) wake_.notify_all();
}

Status LessonUseRecorder::Flush() {
  std::lock_guard write_lock(write_mu_);
  std::vector<LessonUse> batch;
  {
    std::lock_guard lock(mu_);
    batch.reserve(pending_.size());
    for (auto& [id, use] : pending_) batch.push_back(std::move(use));
    pending_.clear();
  }
  if (batch.empty()) return Status::Ok();
  // A stable order: the same lessons are always locked in the same order.
  std::sort(batch.begin(), batch.end(),
            [](const LessonUse& a, const LessonUse& b) { return a.lesson_id < b.lesson_id; });
  Status st = write_(batch);
  if (st.ok()) {
    {
      std::lock_guard lock(mu_);
      stats_.written += static_cast<std::int64_t>(batch.size());
    }
    if (written_) written_(batch);
    return st;
  }
  {
    std::lock_guard lock(mu_);
    ++stats_.failed_writes;
    stats_.last_error = st.ToString();
  }
  if (st.code() == ErrorCode::kBusy) {
    Requeue(batch);
  } else {
    std::lock_guard lock(mu_);
    stats_.dropped += static_cast<std::int64_t>(batch.size());
  }
  return st;
}

void LessonUseRecorder::Requeue(const std::vector<LessonUse>& batch) {
  std::lock_guard lock(mu_);
  if (pending_.empty()) oldest_ = Clock::now();
  for (const LessonUse& use : batch) {
    auto it = pending_.find(use.lesson_id);
    if (it != pending_.end()) {
      it->second.used_at = std::max(it->second.used_at, use.used_at);
      it->second.count += use.count;
    } else if (pending_.size() < static_cast<std::size_t>(options_.max_pending)) {
      pending_.emplace(use.lesson_id, use);
    } else {
      stats_.dropped += use.count;
    }
  }
}

LessonUseStats LessonUseRecorder::stats() {
  std::lock_guard lock(mu_);
  LessonUseStats s = stats_;
  s.pending = static_cast<std::int64_t>(pending_.size());
  return s;
}

void LessonUseRecorder::Run() {
  const auto wait = std::chrono::milliseconds(options_.flush_ms);
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (pending_.empty()) {
      wake_.wait(lock, [&] { return stop_ || !pending_.empty(); });
      continue;
    }
    const bool due = wake_.wait_until(lock, oldest_ + wait, [&] {
      return stop_ || pending_.size() >= static_cast<std::size_t>(options_.flush_items);
    }) || Clock::now() >= oldest_ + wait;
    if (stop_) break;
    if (!due || pending_.empty()) continue;
    lock.unlock();
    const bool failed = !Flush().ok();
    lock.lock();
    // After a failed write wait a full period before trying again, however
    // many lessons wait.
    if (failed && !stop_) {
      wake_.wait_for(lock, wait, [&] { return stop_; });
    }
  }
}

}  // namespace engram
